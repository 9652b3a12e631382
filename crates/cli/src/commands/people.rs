//! `leadkit people import FILE` (a dry run unless `--apply`) and
//! `leadkit people archive EMAIL`.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Subcommand;
use leadkit_domain::people::{Email, TrustId};
use leadkit_domain::staff::plan;
use leadkit_store::Store;

use crate::config::StoreArgs;

#[derive(Subcommand)]
pub enum PeopleCommand {
    /// Compare a staff list (CSV: name, email, school, role, line manager's email,
    /// team) with the trust and show what would change and every problem by line.
    /// With --apply, make the changes: all or nothing. Importing the same file
    /// twice changes nothing.
    Import {
        file: PathBuf,
        /// Make the changes (without it, nothing is changed).
        #[arg(long)]
        apply: bool,
        /// Archive people of the trust whom the file does not list.
        #[arg(long)]
        archive_missing: bool,
        /// The trust's name (needed when the database holds more than one).
        #[arg(long)]
        trust: Option<String>,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Archive someone who left: their history is kept, their access ends.
    Archive {
        email: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

pub async fn run(command: PeopleCommand) -> anyhow::Result<()> {
    match command {
        PeopleCommand::Import {
            file,
            apply,
            archive_missing,
            trust,
            store,
        } => {
            let store = store.open(leadkit_web::Clock::System).await?;
            let result = import(&store, &file, apply, archive_missing, trust.as_deref()).await;
            store.close().await;
            result
        }
        PeopleCommand::Archive { email, store } => {
            let store = store.open(leadkit_web::Clock::System).await?;
            let result = archive(&store, &email).await;
            store.close().await;
            result
        }
    }
}

async fn which_trust(store: &Store, name: Option<&str>) -> anyhow::Result<TrustId> {
    let trusts = store.trusts().await?;
    match name {
        Some(name) => trusts
            .iter()
            .find(|(_, n)| n == name)
            .map(|(id, _)| *id)
            .with_context(|| format!("no trust is called {name:?}")),
        None => match trusts.as_slice() {
            [(id, _)] => Ok(*id),
            [] => bail!(
                "there is no trust yet: finish the first set-up (leadkit serve prints the link)"
            ),
            _ => bail!(
                "this database holds several trusts; name one with --trust ({})",
                trusts
                    .iter()
                    .map(|(_, n)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        },
    }
}

async fn import(
    store: &Store,
    file: &std::path::Path,
    apply: bool,
    archive_missing: bool,
    trust: Option<&str>,
) -> anyhow::Result<()> {
    let trust = which_trust(store, trust).await?;
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let rows = leadkit_interop::staff::read(&bytes).map_err(|error| anyhow::anyhow!("{error}"))?;
    let emails: Vec<String> = rows.iter().map(|r| r.email.clone()).collect();
    let current = store.staff_snapshot(trust, &emails).await?;
    let plan = plan(&rows, &current, archive_missing);
    if !plan.problems.is_empty() {
        let mut message = format!(
            "nothing was changed: {} problem{} in {}\n",
            plan.problems.len(),
            if plan.problems.len() == 1 { "" } else { "s" },
            file.display()
        );
        for problem in &plan.problems {
            message.push_str(&format!("  {problem}\n"));
        }
        bail!(message);
    }
    for change in &plan.changes {
        println!("{}", change.describe());
    }
    if !plan.not_in_file.is_empty() && !archive_missing {
        println!(
            "{} people of the trust are not in the file (kept; --archive-missing archives them)",
            plan.not_in_file.len()
        );
    }
    if plan.is_empty() {
        println!(
            "Nothing to change: the trust already matches {}.",
            file.display()
        );
        return Ok(());
    }
    if !apply {
        println!(
            "Dry run: {} changes, nothing changed. Run again with --apply to make them.",
            plan.changes.len()
        );
        return Ok(());
    }
    let done = store
        .apply_staff_plan(trust, &plan, leadkit_web::Clock::System.now())
        .await?;
    println!(
        "Applied: {} schools, {} teams, {} people added, {} changed, {} archived.",
        done.schools, done.teams, done.added, done.updated, done.archived
    );
    Ok(())
}

async fn archive(store: &Store, email: &str) -> anyhow::Result<()> {
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("{}", e.message))?;
    let credentials = store.credentials(&email).await?.with_context(|| {
        format!(
            "no one (not archived) has the email address {}",
            email.as_str()
        )
    })?;
    let trust = store.trust_of(credentials.person).await?;
    store
        .archive_person(trust, credentials.person, leadkit_web::Clock::System.now())
        .await?;
    println!(
        "Archived {}: their history is kept and they can no longer sign in.",
        email.as_str()
    );
    Ok(())
}
