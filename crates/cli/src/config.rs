//! Where the data lives, from flags or `LEADKIT_*` environment variables.

use std::path::PathBuf;

use anyhow::Context;
use leadkit_store::Store;

/// Which database to use.
#[derive(clap::Args, Clone)]
pub struct StoreArgs {
    /// Folder for the embedded database (created if missing).
    #[arg(long, env = "LEADKIT_DATA_DIR", default_value = "leadkit-data")]
    pub data_dir: PathBuf,
    /// Folder for evidence files (default: the data folder's `evidence`). With
    /// PostgreSQL and several servers, a folder they all share.
    #[arg(long, env = "LEADKIT_EVIDENCE_DIR")]
    pub evidence_dir: Option<PathBuf>,
    /// Use this database instead of the embedded one: postgres://user@host/db
    /// (or sqlite://PATH).
    #[arg(long, env = "LEADKIT_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
}

impl StoreArgs {
    /// The evidence folder, refusing files over `limit` bytes.
    pub fn file_store(&self, limit: u64) -> leadkit_store::files::FileStore {
        let dir = self
            .evidence_dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join("evidence"));
        leadkit_store::files::FileStore::new(dir, limit)
    }

    /// Opens the store, applies migrations and publishes the shipped frameworks.
    pub async fn open(&self, clock: leadkit_web::Clock) -> anyhow::Result<Store> {
        let store = self.connect().await?;
        let now = clock.now();
        store.migrate(now).await.context("applying migrations")?;
        for framework in leadkit_content::shipped()? {
            store
                .publish_framework(&framework, now)
                .await
                .with_context(|| format!("loading the shipped framework {}", framework.key))?;
        }
        Ok(store)
    }

    /// Opens the store as it is: no migrations, nothing loaded.
    pub async fn connect(&self) -> anyhow::Result<Store> {
        let store = match &self.database_url {
            Some(url) => Store::connect(url)
                .await
                .context("LEADKIT_DATABASE_URL / --database-url")?,
            None => {
                std::fs::create_dir_all(&self.data_dir).with_context(|| {
                    format!(
                        "cannot create the data folder {} (LEADKIT_DATA_DIR / --data-dir)",
                        self.data_dir.display()
                    )
                })?;
                Store::open_sqlite(&self.data_dir.join("leadkit.db"))
                    .await
                    .context("LEADKIT_DATA_DIR / --data-dir")?
            }
        };
        Ok(store)
    }
}
