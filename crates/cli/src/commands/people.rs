//! `leadkit people import FILE` (a dry run unless `--apply`),
//! `leadkit people archive EMAIL` and `leadkit people unarchive EMAIL`.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Subcommand;
use leadkit_domain::audit::AuditAction;
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
    /// Set (or with "none" remove) a person's coach and line manager.
    Relate {
        email: String,
        /// The coach's email address, or "none".
        #[arg(long)]
        coach: Option<String>,
        /// The line manager's email address, or "none".
        #[arg(long)]
        line_manager: Option<String>,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Write everything leadkit holds about a person as JSON to standard output
    /// (what they can download themselves).
    Export {
        email: String,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Erase a person: name, email, notes, sessions, links and sharing go; their
    /// levels stay, attached to no one. Type their email again to confirm.
    Erase {
        email: String,
        /// The same email address again.
        #[arg(long)]
        confirm: String,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Archive someone who left: their history is kept, their access ends.
    Archive {
        email: String,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Give an archived person their access back (not someone erased): they can
    /// sign in as before and hold the roles they had; set their coach and line
    /// manager again.
    Unarchive {
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
        PeopleCommand::Relate {
            email,
            coach,
            line_manager,
            store,
        } => {
            let store = store.open(leadkit_web::Clock::System).await?;
            let result = relate(&store, &email, coach.as_deref(), line_manager.as_deref()).await;
            store.close().await;
            result
        }
        PeopleCommand::Export { email, store } => {
            let store = store.open(leadkit_web::Clock::System).await?;
            let result = export(&store, &email).await;
            store.close().await;
            result
        }
        PeopleCommand::Erase {
            email,
            confirm,
            store,
        } => {
            // Only deleting files: the limit does not matter.
            let files = store.file_store(u64::MAX);
            let store = store.open(leadkit_web::Clock::System).await?;
            let result = erase(&store, &files, &email, &confirm).await;
            store.close().await;
            result
        }
        PeopleCommand::Archive { email, store } => {
            let store = store.open(leadkit_web::Clock::System).await?;
            let result = archive(&store, &email).await;
            store.close().await;
            result
        }
        PeopleCommand::Unarchive { email, store } => {
            let store = store.open(leadkit_web::Clock::System).await?;
            let result = unarchive(&store, &email).await;
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
    let rows =
        leadkit_interop::staff::read_any(&bytes).map_err(|error| anyhow::anyhow!("{error}"))?;
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
    let summary = format!(
        "{} schools, {} teams, {} people added, {} changed, {} archived",
        done.schools, done.teams, done.added, done.updated, done.archived
    );
    store
        .audit_by_leadkit(
            trust,
            AuditAction::StaffImported,
            &format!("imported a staff list from the command line: {summary}"),
            leadkit_web::Clock::System.now(),
        )
        .await?;
    println!("Applied: {summary}.");
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
    let now = leadkit_web::Clock::System.now();
    store.archive_person(trust, credentials.person, now).await?;
    store
        .audit_by_leadkit(
            trust,
            AuditAction::Archived,
            &format!("archived {} from the command line", email.as_str()),
            now,
        )
        .await?;
    println!(
        "Archived {}: their history is kept and they can no longer sign in.",
        email.as_str()
    );
    Ok(())
}

async fn unarchive(store: &Store, email: &str) -> anyhow::Result<()> {
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("{}", e.message))?;
    let Some((person, trust)) = store.archived_person_by_email(&email).await? else {
        if store.credentials(&email).await?.is_some() {
            bail!("{} is not archived: nothing to do", email.as_str());
        }
        bail!(
            "no one archived has the email address {} (someone erased cannot come back)",
            email.as_str()
        );
    };
    let now = leadkit_web::Clock::System.now();
    store.unarchive_person(trust, person).await?;
    store
        .audit_by_leadkit(
            trust,
            AuditAction::Unarchived,
            &format!(
                "gave {} their access back from the command line",
                email.as_str()
            ),
            now,
        )
        .await?;
    println!(
        "Unarchived {}: they can sign in again with the roles they had. Set their coach and line manager again (leadkit people relate).",
        email.as_str()
    );
    Ok(())
}

async fn person_with(
    store: &Store,
    email: &str,
) -> anyhow::Result<leadkit_domain::people::PersonId> {
    let parsed = Email::parse(email).map_err(|e| anyhow::anyhow!("{email}: {}", e.message))?;
    Ok(store
        .credentials(&parsed)
        .await?
        .with_context(|| {
            format!(
                "no one (not archived) has the email address {}",
                parsed.as_str()
            )
        })?
        .person)
}

async fn relate(
    store: &Store,
    email: &str,
    coach: Option<&str>,
    line_manager: Option<&str>,
) -> anyhow::Result<()> {
    use leadkit_domain::access::RelationshipKind;
    if coach.is_none() && line_manager.is_none() {
        bail!("give --coach EMAIL and/or --line-manager EMAIL (or \"none\" to remove)");
    }
    let person = person_with(store, email).await?;
    // Check every address before changing anything.
    let mut planned = Vec::new();
    for (kind, other) in [
        (RelationshipKind::Coach, coach),
        (RelationshipKind::LineManager, line_manager),
    ] {
        let Some(other) = other else { continue };
        let other = if other.eq_ignore_ascii_case("none") {
            None
        } else {
            Some(person_with(store, other).await?)
        };
        planned.push((kind, other));
    }
    for (kind, other) in planned {
        store
            .set_relationship(person, kind, other, leadkit_web::Clock::System.now())
            .await
            .map_err(|error| match error {
                leadkit_store::StoreError::NotFound => {
                    anyhow::anyhow!("the {} must be in the same trust", kind.label())
                }
                other => other.into(),
            })?;
        store
            .audit_by_leadkit(
                store.trust_of(person).await?,
                AuditAction::RelationshipChanged,
                &format!(
                    "{} of {email} {} from the command line",
                    kind.label(),
                    if other.is_some() { "set" } else { "removed" }
                ),
                leadkit_web::Clock::System.now(),
            )
            .await?;
        println!(
            "{}: {} {}",
            email,
            kind.label(),
            if other.is_some() { "set" } else { "removed" }
        );
    }
    Ok(())
}

async fn export(store: &Store, email: &str) -> anyhow::Result<()> {
    let id = person_with(store, email).await?;
    let person = store.person(id).await?;
    let data = leadkit_web::pages::my_data::personal_data(
        store,
        &person,
        leadkit_web::Clock::System.now(),
    )
    .await?;
    println!("{}", serde_json::to_string_pretty(&data)?);
    Ok(())
}

async fn erase(
    store: &Store,
    files: &leadkit_store::files::FileStore,
    email: &str,
    confirm: &str,
) -> anyhow::Result<()> {
    if !email.trim().eq_ignore_ascii_case(confirm.trim()) {
        bail!("--confirm must repeat the email address exactly; nothing was erased");
    }
    let id = person_with(store, email).await?;
    let trust = store.trust_of(id).await?;
    let now = leadkit_web::Clock::System.now();
    for orphan in store.erase_person(trust, id, now).await? {
        files.remove(&orphan).await?;
    }
    store
        .audit_by_leadkit(
            trust,
            AuditAction::Erased,
            &format!("erased person {} from the command line", id.0),
            now,
        )
        .await?;
    println!("Erased {email}: their levels still count in group numbers, attached to no one.");
    Ok(())
}
