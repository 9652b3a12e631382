//! `leadkit framework list | export`.

use anyhow::Context;
use clap::{Subcommand, ValueEnum};

use crate::config::StoreArgs;

#[derive(Subcommand)]
pub enum FrameworkCommand {
    /// List the stored frameworks and their versions.
    List {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Write a whole framework to standard output.
    Export {
        /// The framework's key (default: the Leadership Toolkit).
        #[arg(default_value = leadkit_content::TOOLKIT_KEY)]
        id: String,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// leadkit's own JSON: the whole tree, scale and descriptors.
    Json,
}

pub async fn run(command: FrameworkCommand) -> anyhow::Result<()> {
    match command {
        FrameworkCommand::List { store } => {
            let store = store.open(leadkit_web::Clock::System).await?;
            for stored in store.frameworks().await? {
                let framework = &stored.framework;
                println!(
                    "{}\tversion {}\t{}\t{} components",
                    framework.key,
                    framework.version,
                    framework.title,
                    framework.reflectable_items().count()
                );
            }
            store.close().await;
        }
        FrameworkCommand::Export { id, format, store } => {
            let key = leadkit_domain::framework::FrameworkKey::parse(&id)
                .map_err(|error| anyhow::anyhow!("{}", error.message))?;
            let store = store.open(leadkit_web::Clock::System).await?;
            let stored = store
                .latest_framework(&key)
                .await
                .map_err(|error| match error {
                    leadkit_store::StoreError::NotFound => {
                        anyhow::anyhow!(
                            "there is no framework \"{id}\"; `leadkit framework list` shows them"
                        )
                    }
                    other => other.into(),
                })?;
            match format {
                Format::Json => {
                    let json =
                        serde_json::to_string_pretty(&stored.framework).context("writing JSON")?;
                    println!("{json}");
                }
            }
            store.close().await;
        }
    }
    Ok(())
}
