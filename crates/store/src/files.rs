//! Evidence files, kept outside the database in a folder, each under the hex
//! SHA-256 of its bytes (`ab/abcdef…`), so the same file uploaded twice is kept
//! once.
//!
//! An upload streams into a temporary file in the same folder while its hash is
//! computed; only a complete upload within the size limit is renamed into place
//! (after an fsync), and a [`PendingFile`] dropped before [`PendingFile::finish`]
//! removes its temporary file, so a failed upload leaves nothing behind.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

/// Bytes kept from the start and the end of an upload, for deciding its type
/// (a zip package names its parts at both ends).
const SNIFF_BYTES: usize = 64 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("the file is larger than the limit of {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("cannot store the file: {0}")]
    Io(#[from] std::io::Error),
}

/// The evidence folder.
#[derive(Debug, Clone)]
pub struct FileStore {
    dir: PathBuf,
    limit: u64,
}

/// A complete upload, moved into place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    pub sha256: String,
    pub size: u64,
}

impl FileStore {
    /// A store in `dir` (created when the first file arrives) refusing files over `limit` bytes.
    pub fn new(dir: impl Into<PathBuf>, limit: u64) -> Self {
        Self {
            dir: dir.into(),
            limit,
        }
    }

    pub fn limit(&self) -> u64 {
        self.limit
    }

    fn path_of(&self, sha256: &str) -> Option<PathBuf> {
        // Only a 64-character lowercase hex name can reach the disk.
        let valid = sha256.len() == 64
            && sha256
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        valid.then(|| self.dir.join(&sha256[..2]).join(sha256))
    }

    /// Starts an upload.
    pub async fn begin(&self) -> Result<PendingFile, FileError> {
        tokio::fs::create_dir_all(&self.dir).await?;
        // A leftover of a crashed process with the same id may hold a name: try the next.
        let mut attempt = 0;
        let (path, file) = loop {
            let path = self.dir.join(upload_name());
            match tokio::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .await
            {
                Ok(file) => break (path, file),
                Err(error)
                    if error.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 =>
                {
                    attempt += 1;
                }
                Err(error) => return Err(error.into()),
            }
        };
        Ok(PendingFile {
            store: self.clone(),
            path: Some(path),
            file,
            hasher: Sha256::new(),
            size: 0,
            head: Vec::new(),
            tail: Vec::new(),
        })
    }

    /// Opens a kept file for reading; `None` if it is not there.
    pub async fn open(&self, sha256: &str) -> Result<Option<tokio::fs::File>, FileError> {
        let Some(path) = self.path_of(sha256) else {
            return Ok(None);
        };
        match tokio::fs::File::open(path).await {
            Ok(file) => Ok(Some(file)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(error.into()),
        }
    }

    /// Removes a kept file (the caller has checked nothing refers to it).
    pub async fn remove(&self, sha256: &str) -> Result<(), FileError> {
        let Some(path) = self.path_of(sha256) else {
            return Ok(());
        };
        match tokio::fs::remove_file(path).await {
            Ok(()) => Ok(()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(error) => Err(error.into()),
        }
    }

    /// Whether a kept file exists.
    pub fn contains(&self, sha256: &str) -> bool {
        self.path_of(sha256).is_some_and(|path| path.exists())
    }

    /// The names of every kept file (for tests and checks).
    pub fn kept(&self) -> Vec<String> {
        let mut names = Vec::new();
        let Ok(shards) = std::fs::read_dir(&self.dir) else {
            return names;
        };
        for shard in shards.flatten() {
            if let Ok(files) = std::fs::read_dir(shard.path()) {
                names.extend(
                    files
                        .flatten()
                        .filter_map(|f| f.file_name().to_str().map(str::to_owned)),
                );
            }
        }
        names.sort();
        names
    }

    /// Everything in the folder that is not a kept file: leftovers of failed uploads.
    pub fn leftovers(&self) -> Vec<PathBuf> {
        std::fs::read_dir(&self.dir)
            .map(|entries| {
                entries
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.is_file())
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// A temporary name unique among this process's uploads and other processes
/// sharing the folder.
fn upload_name() -> String {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("upload-{}-{n}.partial", std::process::id())
}

/// An upload in progress.
#[derive(Debug)]
pub struct PendingFile {
    store: FileStore,
    /// `None` once finished (nothing to clean up).
    path: Option<PathBuf>,
    file: tokio::fs::File,
    hasher: Sha256,
    size: u64,
    head: Vec<u8>,
    tail: Vec<u8>,
}

impl PendingFile {
    /// Appends bytes; past the limit the upload fails (and its temporary file is
    /// removed when the pending file is dropped).
    pub async fn write(&mut self, chunk: &[u8]) -> Result<(), FileError> {
        self.size += chunk.len() as u64;
        if self.size > self.store.limit {
            return Err(FileError::TooLarge {
                limit: self.store.limit,
            });
        }
        self.hasher.update(chunk);
        if self.head.len() < SNIFF_BYTES {
            let take = (SNIFF_BYTES - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
        }
        self.tail.extend_from_slice(chunk);
        if self.tail.len() > SNIFF_BYTES {
            let excess = self.tail.len() - SNIFF_BYTES;
            self.tail.drain(..excess);
        }
        self.file.write_all(chunk).await?;
        Ok(())
    }

    /// The start and end of the bytes so far, from which
    /// [`leadkit_domain::evidence::sniff`] decides the type before `finish`.
    pub fn sniff_bytes(&self) -> Vec<u8> {
        let mut bytes = self.head.clone();
        if self.size as usize > self.head.len() {
            bytes.extend_from_slice(&self.tail);
        }
        bytes
    }

    /// Syncs the file to disk and moves it to its content-addressed name.
    pub async fn finish(mut self) -> Result<Kept, FileError> {
        self.file.flush().await?;
        self.file.sync_all().await?;
        let sha256: String = std::mem::take(&mut self.hasher)
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let target = self
            .store
            .path_of(&sha256)
            .ok_or_else(|| std::io::Error::other("bad hash"))?;
        if let Some(shard) = target.parent() {
            tokio::fs::create_dir_all(shard).await?;
        }
        let path = self
            .path
            .take()
            .ok_or_else(|| std::io::Error::other("finished twice"))?;
        if tokio::fs::try_exists(&target).await? {
            // The same bytes are kept already.
            tokio::fs::remove_file(&path).await?;
        } else {
            tokio::fs::rename(&path, &target).await?;
        }
        Ok(Kept {
            sha256,
            size: self.size,
        })
    }
}

impl Drop for PendingFile {
    fn drop(&mut self) {
        if let Some(path) = self.path.take() {
            // Best effort: the file was never named for anything, so a leftover is
            // only wasted space, reported by `FileStore::leftovers`.
            let _ = std::fs::remove_file(path);
        }
    }
}

/// What copying evidence files between folders did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Copied {
    pub files: usize,
    /// Files whose bytes did not match their name (refused, not copied).
    pub refused: usize,
}

impl FileStore {
    /// Copies every kept file into `dest` (a backup's evidence folder), in the
    /// same layout.
    pub fn copy_all_to(&self, dest: &Path) -> Result<Copied, FileError> {
        let mut copied = Copied::default();
        for name in self.kept() {
            let Some(from) = self.path_of(&name) else {
                continue;
            };
            let to = dest.join(&name[..2]).join(&name);
            std::fs::create_dir_all(dest.join(&name[..2]))?;
            std::fs::copy(from, to)?;
            copied.files += 1;
        }
        Ok(copied)
    }

    /// Brings back files from a backup's evidence folder, each only if its bytes
    /// hash to its name; files already here are kept as they are.
    pub fn restore_from(&self, source: &Path) -> Result<Copied, FileError> {
        let backup = FileStore::new(source, self.limit);
        let mut copied = Copied::default();
        for name in backup.kept() {
            let (Some(from), Some(to)) = (backup.path_of(&name), self.path_of(&name)) else {
                copied.refused += 1;
                continue;
            };
            let bytes = std::fs::read(&from)?;
            let actual: String = Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            if actual != name {
                copied.refused += 1;
                continue;
            }
            if !to.exists() {
                if let Some(shard) = to.parent() {
                    std::fs::create_dir_all(shard)?;
                }
                // Written under a temporary name and renamed, so a crash leaves no
                // half file under a real name.
                let partial = self.dir.join(format!("restore-{name}.partial"));
                std::fs::write(&partial, &bytes)?;
                std::fs::rename(&partial, &to)?;
            }
            copied.files += 1;
        }
        Ok(copied)
    }
}
