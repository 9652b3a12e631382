//! `leadkit backup FILE` and `leadkit restore FILE`.
//!
//! On the embedded SQLite database a backup is SQLite's own online copy of the
//! file (`VACUUM INTO`), consistent while the server keeps running. On PostgreSQL,
//! or with `--portable`, it is leadkit's portable export (JSON lines, every table,
//! read in one transaction). `restore` takes either and brings it back into a
//! fresh database of either kind, all or nothing.
//!
//! Evidence files live outside the database: a backup copies them into a folder
//! beside the backup file (`FILE.evidence`), and a restore brings them back from
//! there, each checked against its hash, and says if any file the database names
//! is missing.

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
    if evidence_folder(&args.file).exists() {
        bail!(
            "{} already exists; choose a new file",
            evidence_folder(&args.file).display()
        );
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
    let evidence = evidence_folder(&args.file);
    let copied = args
        .store
        .file_store(u64::MAX)
        .copy_all_to(&evidence)
        .with_context(|| format!("copying evidence files to {}", evidence.display()))?;
    println!(
        "Backed up to {}: {what}, and {} evidence file{} in {}.",
        args.file.display(),
        copied.files,
        if copied.files == 1 { "" } else { "s" },
        evidence.display()
    );
    Ok(())
}

/// Where a backup keeps its evidence files: beside it, `FILE.evidence`.
fn evidence_folder(backup: &Path) -> PathBuf {
    let mut name = backup.as_os_str().to_owned();
    name.push(".evidence");
    PathBuf::from(name)
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
    let referenced = match &outcome {
        Ok(_) => store.referenced_files().await.context("reading evidence")?,
        Err(_) => Vec::new(),
    };
    store.close().await;
    let restored = outcome?;
    println!(
        "Restored {} rows in {} tables from {}.",
        restored.rows,
        restored.tables,
        args.file.display()
    );
    let files = args.store.file_store(u64::MAX);
    let evidence = evidence_folder(&args.file);
    if evidence.is_dir() {
        let copied = files
            .restore_from(&evidence)
            .with_context(|| format!("restoring evidence files from {}", evidence.display()))?;
        println!(
            "Restored {} evidence file{} from {}.",
            copied.files,
            if copied.files == 1 { "" } else { "s" },
            evidence.display()
        );
        if copied.refused > 0 {
            println!(
                "{} file{} in {} did not match {} name and {} left out.",
                copied.refused,
                if copied.refused == 1 { "" } else { "s" },
                evidence.display(),
                if copied.refused == 1 { "its" } else { "their" },
                if copied.refused == 1 { "was" } else { "were" }
            );
        }
    }
    let missing: Vec<&String> = referenced
        .iter()
        .filter(|sha| !files.contains(sha))
        .collect();
    if !missing.is_empty() {
        println!(
            "Warning: {} evidence file{} named by the database {} not in {}; copy {} from the backup's .evidence folder.",
            missing.len(),
            if missing.len() == 1 { "" } else { "s" },
            if missing.len() == 1 { "is" } else { "are" },
            files.dir().display(),
            if missing.len() == 1 { "it" } else { "them" }
        );
    }
    Ok(())
}
