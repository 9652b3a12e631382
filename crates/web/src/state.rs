//! What every handler can reach: the store, the loaded frameworks, the clock, settings.

use std::sync::Arc;

use leadkit_domain::alignment::AlignmentSet;
use leadkit_domain::framework::FrameworkKey;
use leadkit_store::Store;
use leadkit_store::files::FileStore;
use leadkit_store::frameworks::StoredFramework;

use crate::clock::Clock;
use crate::mail::Mailer;
use crate::page_cache::PageCache;

/// Settings the web layer needs, filled in by the CLI from flags and environment.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Send cookies with `Secure` (set when the public URL is https).
    pub secure_cookies: bool,
    /// The framework people reflect on by default.
    pub primary_framework: FrameworkKey,
    /// The address people and other systems use to reach leadkit, without a
    /// trailing slash (CASE identifiers' URIs start with it).
    pub public_url: String,
    /// Behind a proxy: the request header that carries the client's address
    /// (`X-Forwarded-For`, rightmost entry, or `X-Real-IP`). Without it the
    /// connection's peer address is used.
    pub client_ip_header: Option<String>,
    /// The key that binds a signed-out form's token to its pre-session cookie
    /// (shared by every server through the database: `Store::server_secret`).
    pub presession_key: String,
}

/// Shared state, cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub catalog: Arc<Catalog>,
    pub clock: Clock,
    pub config: Arc<WebConfig>,
    /// Rendered reflection pages (see [`crate::page_cache`]); start with `Default`.
    pub pages: Arc<PageCache>,
    /// Where invitations and password resets are sent.
    pub mailer: Arc<Mailer>,
    /// The evidence folder, with its upload size limit.
    pub files: FileStore,
}

/// The framework versions loaded at start. Published versions never change, so they
/// are read once and shared rather than fetched for every page.
#[derive(Debug)]
pub struct Catalog {
    frameworks: Vec<Arc<StoredFramework>>,
    alignments: AlignmentSet,
}

impl Catalog {
    pub fn new(frameworks: Vec<StoredFramework>, alignments: AlignmentSet) -> Self {
        Self {
            frameworks: frameworks.into_iter().map(Arc::new).collect(),
            alignments,
        }
    }

    /// The curated alignments between frameworks, by framework key and item code.
    pub fn alignments(&self) -> &AlignmentSet {
        &self.alignments
    }

    /// Every loaded version, in key order then publication order.
    pub fn all(&self) -> impl Iterator<Item = &Arc<StoredFramework>> {
        self.frameworks.iter()
    }

    /// The newest version of each framework, in key order.
    pub fn latest_versions(&self) -> Vec<&Arc<StoredFramework>> {
        let mut latest: Vec<&Arc<StoredFramework>> = Vec::new();
        for stored in &self.frameworks {
            match latest
                .iter_mut()
                .find(|seen| seen.framework.key == stored.framework.key)
            {
                Some(seen) if seen.id < stored.id => *seen = stored,
                Some(_) => {}
                None => latest.push(stored),
            }
        }
        latest
    }

    /// The version published just before `stored`, if any.
    pub fn previous(&self, stored: &StoredFramework) -> Option<&Arc<StoredFramework>> {
        self.frameworks
            .iter()
            .filter(|other| other.framework.key == stored.framework.key && other.id < stored.id)
            .max_by_key(|other| other.id)
    }

    /// The newest version of the framework with this key (as typed in a URL).
    pub fn latest(&self, key: &str) -> Option<&Arc<StoredFramework>> {
        self.frameworks
            .iter()
            .filter(|stored| stored.framework.key.as_str() == key)
            .max_by_key(|stored| stored.id)
    }
}
