//! `leadkit audit export`: a trust's whole audit log as CSV on standard output.

use anyhow::Context;

use crate::config::StoreArgs;

#[derive(clap::Args)]
pub struct AuditExportArgs {
    /// The trust's name (needed when the database holds more than one).
    #[arg(long)]
    pub trust: Option<String>,
    #[command(flatten)]
    pub store: StoreArgs,
}

pub async fn export(args: AuditExportArgs) -> anyhow::Result<()> {
    let store = args.store.open(leadkit_web::Clock::System).await?;
    let result = async {
        let trusts = store.trusts().await?;
        let trust = match (&args.trust, trusts.as_slice()) {
            (Some(name), _) => trusts
                .iter()
                .find(|(_, n)| n == name)
                .map(|(id, _)| *id)
                .with_context(|| format!("no trust is called {name:?}"))?,
            (None, [(id, _)]) => *id,
            (None, []) => anyhow::bail!("there is no trust yet"),
            (None, _) => anyhow::bail!("this database holds several trusts; name one with --trust"),
        };
        let entries = store.audit_log(trust, i64::MAX).await?;
        let mut out = csv::Writer::from_writer(std::io::stdout().lock());
        out.write_record([
            "id",
            "at",
            "actor_id",
            "actor",
            "action",
            "subject_id",
            "subject",
            "detail",
        ])?;
        for entry in &entries {
            leadkit_interop::cells::write_safe_record(
                &mut out,
                [
                    entry.id.to_string(),
                    entry
                        .at
                        .format(&time::format_description::well_known::Rfc3339)
                        .unwrap_or_default(),
                    entry.actor.map(|p| p.0.to_string()).unwrap_or_default(),
                    entry.actor_name.clone(),
                    entry.action.as_str().to_owned(),
                    entry.subject.map(|p| p.0.to_string()).unwrap_or_default(),
                    entry.subject_name.clone(),
                    entry.detail.clone(),
                ],
            )?;
        }
        out.flush()?;
        Ok(())
    }
    .await;
    store.close().await;
    result
}
