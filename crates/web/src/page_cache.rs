//! Rendered reflection pages, kept per person and page until anything the page
//! shows changes.
//!
//! A reflection page is a pure function of the framework version (immutable once
//! loaded), the group, the cycle, the person's name and anti-forgery token, and
//! the person's reflections in that scope. The store's read cache hands back the
//! same `Arc` of reflections until a write changes them, so an entry is valid
//! exactly while its kept `Arc` is the one the store returns now
//! ([`Arc::ptr_eq`]; holding the `Arc` keeps its address from being reused) and
//! the other inputs compare equal. Nothing expires by time.
//!
//! Only used when the store has its read cache (one SQLite server); with
//! PostgreSQL every read is fresh and the page is rendered every time.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::Bytes;
use leadkit_domain::cycle::Cycle;
use leadkit_domain::reflection::Reflection;

/// Bytes of rendered pages kept before the cache is emptied and refilled.
const BYTE_BUDGET: usize = 32 * 1024 * 1024;

/// Which page: the person, the framework version and the group's code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageKey {
    pub person: i64,
    pub framework: i64,
    pub group: String,
}

/// Everything besides the key that the page shows.
#[derive(Debug, Clone)]
pub struct PageInputs {
    pub reflections: Arc<Vec<Reflection>>,
    pub cycle: Cycle,
    pub user_name: String,
    pub csrf: String,
}

impl PageInputs {
    fn same_as(&self, other: &PageInputs) -> bool {
        Arc::ptr_eq(&self.reflections, &other.reflections)
            && self.cycle == other.cycle
            && self.user_name == other.user_name
            && self.csrf == other.csrf
    }
}

#[derive(Debug)]
struct Entry {
    inputs: PageInputs,
    body: Bytes,
}

#[derive(Debug, Default)]
struct Pages {
    bytes: usize,
    entries: HashMap<PageKey, Entry>,
}

#[derive(Debug, Default)]
pub struct PageCache {
    pages: Mutex<Pages>,
}

impl PageCache {
    /// The page rendered earlier from these very inputs, if it is still kept.
    pub fn get(&self, key: &PageKey, inputs: &PageInputs) -> Option<Bytes> {
        let pages = self.lock();
        pages
            .entries
            .get(key)
            .filter(|entry| entry.inputs.same_as(inputs))
            .map(|entry| entry.body.clone())
    }

    /// Keeps a page rendered from `inputs`, replacing any older one for `key`.
    pub fn put(&self, key: PageKey, inputs: PageInputs, body: Bytes) {
        let mut pages = self.lock();
        if pages.bytes + body.len() > BYTE_BUDGET {
            pages.entries.clear();
            pages.bytes = 0;
        }
        pages.bytes += body.len();
        if let Some(old) = pages.entries.insert(key, Entry { inputs, body }) {
            pages.bytes -= old.body.len();
        }
    }

    /// A poisoned lock only means another request panicked while holding it; the
    /// map is still whole.
    fn lock(&self) -> MutexGuard<'_, Pages> {
        self.pages
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use leadkit_domain::cycle::CycleId;
    use time::{Date, Month};

    fn inputs(reflections: &Arc<Vec<Reflection>>) -> PageInputs {
        PageInputs {
            reflections: reflections.clone(),
            cycle: Cycle {
                id: CycleId(1),
                name: "2026–27".into(),
                starts_on: Date::from_calendar_date(2026, Month::September, 1).unwrap(),
                ends_on: Date::from_calendar_date(2027, Month::August, 31).unwrap(),
                open: true,
                school: None,
            },
            user_name: "Ben Khan".into(),
            csrf: "token".into(),
        }
    }

    fn key() -> PageKey {
        PageKey {
            person: 1,
            framework: 1,
            group: "1a".into(),
        }
    }

    #[test]
    fn a_page_is_served_only_while_every_input_is_the_same() {
        let cache = PageCache::default();
        let reflections = Arc::new(Vec::new());
        cache.put(key(), inputs(&reflections), Bytes::from_static(b"page"));
        assert_eq!(
            cache.get(&key(), &inputs(&reflections)).as_deref(),
            Some(&b"page"[..])
        );

        // Equal contents in a new allocation means the store read again after a write.
        let reread = Arc::new(Vec::new());
        assert!(cache.get(&key(), &inputs(&reread)).is_none());

        let mut renamed = inputs(&reflections);
        renamed.user_name = "Ben Khan-Smith".into();
        assert!(cache.get(&key(), &renamed).is_none());

        let mut new_session = inputs(&reflections);
        new_session.csrf = "another".into();
        assert!(cache.get(&key(), &new_session).is_none());

        let mut renamed_cycle = inputs(&reflections);
        renamed_cycle.cycle.name = "Autumn term".into();
        assert!(cache.get(&key(), &renamed_cycle).is_none());

        let other_group = PageKey {
            group: "1b".into(),
            ..key()
        };
        assert!(cache.get(&other_group, &inputs(&reflections)).is_none());
    }

    #[test]
    fn the_cache_stays_within_its_byte_budget() {
        let cache = PageCache::default();
        let reflections = Arc::new(Vec::new());
        let page = Bytes::from(vec![b'x'; 1024 * 1024]);
        for person in 0..100 {
            let key = PageKey { person, ..key() };
            cache.put(key, inputs(&reflections), page.clone());
            assert!(cache.lock().bytes <= BYTE_BUDGET);
        }
        // Replacing a page counts its bytes once.
        cache.put(key(), inputs(&reflections), page.clone());
        cache.put(key(), inputs(&reflections), page.clone());
        let pages = cache.lock();
        let counted: usize = pages.entries.values().map(|e| e.body.len()).sum();
        assert_eq!(pages.bytes, counted);
    }
}
