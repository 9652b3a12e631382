//! `leadkit backup FILE` and `leadkit restore FILE`.
//!
//! On the embedded SQLite database a backup is SQLite's own online copy of the
//! file (`VACUUM INTO`), consistent while the server keeps running. On PostgreSQL,
//! or with `--portable`, it is leadkit's portable export (JSON lines, every table,
//! read in one transaction). `restore` takes either and brings it back into a
//! fresh database of either kind, all or nothing.

use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use leadkit_store::Store;

use crate::config::StoreArgs;

#[derive(clap::Args)]
pub struct BackupArgs {
    /// The file to write (it must not exist yet).
    pub file: PathBuf,
    /// Write the portable export even from SQLite (to move to PostgreSQL).
    #[arg(long)]
    pub portable: bool,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(clap::Args)]
pub struct RestoreArgs {
    /// A file written by `leadkit backup`.
    pub file: PathBuf,
    #[command(flatten)]
    pub store: StoreArgs,
}

pub async fn backup(args: BackupArgs) -> anyhow::Result<()> {
    if args.file.exists() {
        bail!("{} already exists; choose a new file", args.file.display());
    }
    let store = args.store.connect().await?;
    let result = if store.backend() == leadkit_store::Backend::Sqlite && !args.portable {
        store
            .backup_sqlite_file(&args.file)
            .await
            .map(|()| "a copy of the SQLite database".to_owned())
    } else {
        write_portable(&store, &args.file).await
    };
    store.close().await;
    let what = result?;
    println!("Backed up to {}: {what}.", args.file.display());
    Ok(())
}

async fn write_portable(store: &Store, path: &Path) -> Result<String, leadkit_store::StoreError> {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            leadkit_store::StoreError::Restore(format!("cannot create {}: {e}", path.display()))
        })?;
    let mut out = std::io::BufWriter::new(file);
    let rows = store.export_portable(&mut out).await;
    if rows.is_err() {
        // Leave nothing half-written behind.
        let _ = std::fs::remove_file(path);
    }
    Ok(format!("a portable export of {} rows", rows?))
}

fn is_sqlite_file(path: &Path) -> anyhow::Result<bool> {
    let mut head = [0u8; 16];
    let mut file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let read = file.read(&mut head).unwrap_or(0);
    Ok(read == 16 && &head == b"SQLite format 3\0")
}

pub async fn restore(args: RestoreArgs) -> anyhow::Result<()> {
    let work = tempfile::tempdir().context("making a temporary folder")?;
    // A SQLite backup is first read as a database (from a copy, so the backup file
    // itself is never changed) and exported; either way the restore reads the
    // portable form.
    let portable = if is_sqlite_file(&args.file)? {
        let copy = work.path().join("backup.db");
        std::fs::copy(&args.file, &copy).context("copying the backup")?;
        let source = Store::open_sqlite(&copy)
            .await
            .context("reading the SQLite backup")?;
        let exported = work.path().join("backup.jsonl");
        let written = write_portable(&source, &exported).await;
        source.close().await;
        written.context("reading the SQLite backup")?;
        exported
    } else {
        args.file.clone()
    };
    let store = args.store.connect().await?;
    let outcome = async {
        store
            .migrate(leadkit_web::Clock::System.now())
            .await
            .context("preparing the database")?;
        let file = std::fs::File::open(&portable)
            .with_context(|| format!("cannot open {}", portable.display()))?;
        store
            .import_portable(BufReader::new(file))
            .await
            .context("restoring")
    }
    .await;
    store.close().await;
    let restored = outcome?;
    println!(
        "Restored {} rows in {} tables from {}.",
        restored.rows,
        restored.tables,
        args.file.display()
    );
    Ok(())
}
