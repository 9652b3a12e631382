//! `leadkit framework list | import FILE | export ID | diff A B`.

use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow, bail};
use clap::{Subcommand, ValueEnum};
use leadkit_domain::framework::{Framework, FrameworkKey};
use leadkit_interop::spreadsheet::{self, SheetIdentity};
use leadkit_store::Store;
use leadkit_store::frameworks::StoredFramework;

use crate::config::StoreArgs;

#[derive(Subcommand)]
pub enum FrameworkCommand {
    /// List the stored frameworks and their versions.
    List {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Import a framework file as a new framework or a new version of one: a CASE
    /// package (CASE 1.0 or 1.1 JSON), leadkit's own JSON, or a spreadsheet (.csv).
    /// All or nothing: a file with any problem imports nothing, and every problem is
    /// listed with its line or identifier.
    Import {
        file: PathBuf,
        /// Refuse CASE identifiers that are not UUIDs (by default any is accepted).
        #[arg(long)]
        strict: bool,
        /// The framework's key, for a spreadsheet (default: from the file name).
        #[arg(long)]
        key: Option<String>,
        /// The framework's title, for a spreadsheet (default: the stored version's,
        /// or the key).
        #[arg(long)]
        title: Option<String>,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Write a whole framework to standard output.
    Export {
        /// The framework's key, optionally with @version (default: the Leadership Toolkit).
        #[arg(default_value = leadkit_content::TOOLKIT_KEY)]
        id: String,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// Where the CASE service is reached, for the package's URIs.
        #[arg(
            long,
            env = "LEADKIT_PUBLIC_URL",
            default_value = "http://127.0.0.1:8080"
        )]
        public_url: String,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// What changed between two frameworks or versions: each is KEY, KEY@VERSION or a file.
    Diff {
        old: String,
        new: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// leadkit's own JSON: the whole tree, scale and descriptors.
    Json,
    /// One row per item: code, parent, kind, title, introduction, one column per level.
    Csv,
    /// A 1EdTech CASE 1.1 package (CFPackage JSON).
    Case,
}

pub async fn run(command: FrameworkCommand) -> anyhow::Result<()> {
    match command {
        FrameworkCommand::List { store } => {
            let store = store.open(leadkit_web::Clock::System).await?;
            for stored in store.frameworks().await? {
                let framework = &stored.framework;
                println!(
                    "{}\tversion {}\t{}\t{} items to reflect on",
                    framework.key,
                    framework.version,
                    framework.title,
                    framework.reflectable_items().count()
                );
            }
            store.close().await;
        }
        FrameworkCommand::Import {
            file,
            strict,
            key,
            title,
            store,
        } => {
            // Read and check the whole file before touching the database.
            let bytes = read_limited(&file)?;
            let store = store.open(leadkit_web::Clock::System).await?;
            let result = import(&store, &file, &bytes, key, title, strict).await;
            store.close().await;
            let framework = result?;
            println!(
                "imported {} version {} (\"{}\"): {} items, {} to reflect on",
                framework.key,
                framework.version,
                framework.title,
                framework.walk().count(),
                framework.reflectable_items().count()
            );
            println!("running servers show it after a restart");
        }
        FrameworkCommand::Export {
            id,
            format,
            public_url,
            store,
        } => {
            let store = store.open(leadkit_web::Clock::System).await?;
            let found = stored(&store, &id).await;
            let all = store.frameworks().await;
            store.close().await;
            let (found, all) = (found?, all?);
            let mut framework = found.framework;
            match format {
                Format::Json => {
                    let json = serde_json::to_string_pretty(&framework).context("writing JSON")?;
                    emit(&format!("{json}\n"))?;
                }
                Format::Csv => emit(&spreadsheet::export(&framework)?)?,
                Format::Case => {
                    // The curated alignments touching this framework go out as
                    // associations to the newest version of the other frameworks.
                    let mut latest: Vec<&leadkit_domain::framework::Framework> = Vec::new();
                    for stored in all.iter().rev() {
                        if !latest.iter().any(|f| f.key == stored.framework.key) {
                            latest.push(&stored.framework);
                        }
                    }
                    let extra = leadkit_interop::case::alignment_associations(
                        &framework,
                        &latest,
                        &leadkit_content::alignments()?,
                        &public_url,
                    );
                    framework.associations.extend(extra);
                    let package =
                        leadkit_interop::case::export(&framework, &public_url, found.published_at);
                    let json = serde_json::to_string_pretty(&package).context("writing JSON")?;
                    emit(&format!("{json}\n"))?;
                }
            }
        }
        FrameworkCommand::Diff { old, new, store } => {
            let store = store.open(leadkit_web::Clock::System).await?;
            let old = resolve(&store, &old).await;
            let new = resolve(&store, &new).await;
            store.close().await;
            let (old, new) = (old?, new?);
            let changes = leadkit_domain::framework::diff::diff(&old, &new);
            if changes.is_empty() {
                println!("no differences in items, titles or descriptors");
            }
            for change in &changes {
                println!("{change}");
            }
        }
    }
    Ok(())
}

/// Writes to standard output; a reader that stops early (`| head`) is not an error.
fn emit(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("writing to standard output"),
    }
}

/// Reads a file, refusing one too large for a framework before reading it.
fn read_limited(file: &Path) -> anyhow::Result<Vec<u8>> {
    let size = std::fs::metadata(file)
        .with_context(|| format!("cannot read {}", file.display()))?
        .len();
    leadkit_interop::check_size(size).map_err(|error| anyhow!("{}: {error}", file.display()))?;
    std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))
}

/// A CASE package is JSON whose top level has a `CFDocument`.
fn is_case(bytes: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(bytes)
        .is_ok_and(|object| object.contains_key("CFDocument"))
}

fn is_csv(file: &Path) -> bool {
    file.extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("csv"))
}

/// A framework from a file of either format, without storing it.
fn parse_file(
    file: &Path,
    bytes: &[u8],
    strict: bool,
    key: Option<FrameworkKey>,
    identity: impl FnOnce() -> anyhow::Result<SheetIdentity>,
) -> anyhow::Result<Framework> {
    if is_case(bytes) {
        let options = leadkit_interop::case::ImportOptions {
            strict_identifiers: strict,
            key,
        };
        leadkit_interop::case::import(bytes, options)
            .map_err(|error| anyhow!("{}: {error}", file.display()))
    } else if is_csv(file) {
        spreadsheet::import(bytes, identity()?)
            .map_err(|error| anyhow!("{}: {error}", file.display()))
    } else {
        let text = std::str::from_utf8(bytes)
            .map_err(|error| anyhow!("{}: the file is not UTF-8 text ({error})", file.display()))?;
        let framework: Framework = serde_json::from_str(text).map_err(|error| {
            anyhow!(
                "{}: nothing was imported: line {}, column {}: {error}",
                file.display(),
                error.line(),
                error.column()
            )
        })?;
        framework
            .validate()
            .map_err(|error| anyhow!("{}: nothing was imported: {error}", file.display()))?;
        Ok(framework)
    }
}

async fn import(
    store: &Store,
    file: &Path,
    bytes: &[u8],
    key: Option<String>,
    title: Option<String>,
    strict: bool,
) -> anyhow::Result<Framework> {
    let all = store.frameworks().await?;
    let key = match key {
        Some(key) => Some(FrameworkKey::parse(&key).map_err(|e| anyhow!("--key: {}", e.message))?),
        None => None,
    };
    let mut framework = parse_file(file, bytes, strict, key.clone(), || {
        let key = match key.clone() {
            Some(key) => key,
            None => key_from_file_name(file)?,
        };
        let latest = all.iter().rev().find(|s| s.framework.key == key);
        Ok(SheetIdentity {
            title: title
                .clone()
                .or_else(|| latest.map(|s| s.framework.title.clone()))
                .unwrap_or_else(|| key.to_string()),
            version: next_version(&all, &key),
            scale: latest.and_then(|s| s.framework.scale.clone()),
            key,
        })
    })?;
    let latest = all.iter().rev().find(|s| s.framework.key == framework.key);
    if is_csv(file)
        && let Some(latest) = latest
    {
        // A sheet holds items only: a new version keeps the framework's own words.
        let base = &latest.framework;
        framework.publisher = base.publisher.clone();
        framework.motto = base.motto.clone();
        framework.introduction = base.introduction.clone();
        framework.kind_labels = base.kind_labels.clone();
        framework.descriptor_lead_in = base.descriptor_lead_in.clone();
    }
    if let Some(latest) = latest {
        let mut same = framework.clone();
        same.version = latest.framework.version.clone();
        if same == latest.framework {
            bail!(
                "this file is the same as {} version {}; nothing was imported",
                framework.key,
                latest.framework.version
            );
        }
    }
    if framework.scale.is_none() {
        // A framework without levels is reflected on with the trust's own scale.
        let primary = leadkit_content::toolkit()?;
        framework.scale = primary.scale;
        println!(
            "{} declares no levels: it will be reflected on with the {}'s",
            framework.key, primary.title
        );
    }
    if let Some(existing) = all
        .iter()
        .find(|s| s.framework.key == framework.key && s.framework.version == framework.version)
    {
        if existing.framework == framework {
            bail!(
                "{} version {} is already stored, exactly as in this file; nothing changed",
                framework.key,
                framework.version
            );
        }
        bail!(
            "{} version {} is already stored with different content; give the file a new version (nothing was imported)",
            framework.key,
            framework.version
        );
    }
    store
        .publish_framework(&framework, leadkit_web::Clock::System.now())
        .await?;
    Ok(framework)
}

fn key_from_file_name(file: &Path) -> anyhow::Result<FrameworkKey> {
    let stem = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let slug: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    FrameworkKey::parse(&slug).map_err(|_| {
        anyhow!(
            "cannot make a framework key from the file name {}; give one with --key",
            file.display()
        )
    })
}

/// The next numeric version of a framework: one more than the highest stored.
fn next_version(all: &[StoredFramework], key: &FrameworkKey) -> String {
    let highest = all
        .iter()
        .filter(|s| &s.framework.key == key)
        .filter_map(|s| s.framework.version.parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    (highest + 1).to_string()
}

/// A stored framework named KEY or KEY@VERSION.
async fn stored(store: &Store, id: &str) -> anyhow::Result<StoredFramework> {
    let (key, version) = match id.split_once('@') {
        Some((key, version)) => (key, Some(version)),
        None => (id, None),
    };
    let key = FrameworkKey::parse(key).map_err(|error| anyhow!("{}", error.message))?;
    let all = store.frameworks().await?;
    all.into_iter()
        .rev()
        .find(|s| s.framework.key == key && version.is_none_or(|v| s.framework.version == v))
        .ok_or_else(|| {
            anyhow!("there is no framework \"{id}\"; `leadkit framework list` shows them")
        })
}

/// A framework named by a stored KEY[@VERSION] or by a file.
async fn resolve(store: &Store, name: &str) -> anyhow::Result<Framework> {
    let path = Path::new(name);
    if path.is_file() {
        let bytes = read_limited(path)?;
        let key = key_from_file_name(path)?;
        let all = store.frameworks().await?;
        return parse_file(path, &bytes, false, None, || {
            let latest = all.iter().rev().find(|s| s.framework.key == key);
            Ok(SheetIdentity {
                title: key.to_string(),
                version: "file".into(),
                scale: latest.and_then(|s| s.framework.scale.clone()),
                key,
            })
        });
    }
    Ok(stored(store, name).await?.framework)
}
