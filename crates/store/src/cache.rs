//! The read cache behind [`crate::Store::with_read_cache`]: what every signed-in
//! page reads, kept until a write through the same store changes it.
//!
//! Each map is cleared or updated by the store's own write functions, never by
//! time: a read after a write always sees the write. Entries are small and their
//! number is bounded by the people signed in; a full map is simply emptied.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use leadkit_domain::cycle::Cycle;
use leadkit_domain::people::Person;
use leadkit_domain::reflection::Reflection;
use time::Date;

use crate::reflections::ReflectionScope;
use crate::sessions::SessionRecord;

/// Most entries a map holds before it is emptied and refilled.
const LIMIT: usize = 50_000;

#[derive(Debug, Clone)]
pub(crate) struct CachedSession {
    pub record: SessionRecord,
    pub person: Person,
    /// Unix seconds: the session's absolute expiry, checked on every hit.
    pub expires_at: i64,
}

/// One map and a count of the writes that changed it. A reader notes the count
/// before it reads the database and stores what it read only if no write came
/// in between, so a slow read can never put back what a write just replaced.
#[derive(Debug)]
struct Map<K, V> {
    writes: u64,
    entries: HashMap<K, V>,
}

impl<K, V> Default for Map<K, V> {
    fn default() -> Self {
        Map {
            writes: 0,
            entries: HashMap::new(),
        }
    }
}

impl<K: std::hash::Hash + Eq, V: Clone> Map<K, V> {
    fn get(&self, key: &K) -> Option<V> {
        self.entries.get(key).cloned()
    }

    fn put(&mut self, seen: u64, key: K, value: V) {
        if seen != self.writes {
            return;
        }
        if self.entries.len() >= LIMIT {
            self.entries.clear();
        }
        self.entries.insert(key, value);
    }

    fn forget(&mut self, key: &K) {
        self.writes += 1;
        self.entries.remove(key);
    }

    fn forget_all(&mut self) {
        self.writes += 1;
        self.entries.clear();
    }
}

/// What the cache knows of `store_epoch`: the count it last read, and how many
/// of this process's own writes have been counted since. A count other than
/// their sum means another process wrote, and everything is forgotten. (A race
/// with one of our own writes can only make it forget more than it must.)
#[derive(Debug, Default)]
struct Epoch {
    seen: i64,
    own_since: i64,
}

#[derive(Debug, Default)]
pub(crate) struct ReadCache {
    epoch: Mutex<Epoch>,
    sessions: Mutex<Map<String, CachedSession>>,
    cycles: Mutex<Map<(i64, i64, Date), Option<Cycle>>>,
    reflections: Mutex<Map<ScopeKey, Arc<Vec<Reflection>>>>,
}

/// A poisoned lock only means another request panicked while holding it; the
/// map itself is still whole, so carry on with it.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Person, cycle and framework version.
type ScopeKey = (i64, i64, i64);

fn scope_key(scope: &ReflectionScope) -> ScopeKey {
    (scope.person.0, scope.cycle.0, scope.framework.0)
}

/// What a reader saw before going to the database: a hit, or the write count
/// to hand back with what it read.
pub(crate) enum Lookup<V> {
    Hit(V),
    Miss(u64),
}

fn lookup<K: std::hash::Hash + Eq, V: Clone>(map: &Mutex<Map<K, V>>, key: &K) -> Lookup<V> {
    let map = lock(map);
    match map.get(key) {
        Some(value) => Lookup::Hit(value),
        None => Lookup::Miss(map.writes),
    }
}

impl ReadCache {
    pub fn counted_own_write(&self) {
        lock(&self.epoch).own_since += 1;
    }

    /// Compares the database's count of cache-changing writes with ours.
    pub fn observe_epoch(&self, now: i64) {
        let mut epoch = lock(&self.epoch);
        if now != epoch.seen + epoch.own_since {
            self.forget_sessions();
            self.forget_cycles();
            self.forget_all_reflections();
        }
        *epoch = Epoch {
            seen: now,
            own_since: 0,
        };
    }

    pub fn session(&self, token_hash: &str) -> Lookup<CachedSession> {
        lookup(&self.sessions, &token_hash.to_owned())
    }

    pub fn put_session(&self, seen: u64, token_hash: &str, session: CachedSession) {
        lock(&self.sessions).put(seen, token_hash.to_owned(), session);
    }

    pub fn touch_session(&self, token_hash: &str, last_seen_at: time::OffsetDateTime) {
        let mut map = lock(&self.sessions);
        map.writes += 1;
        if let Some(entry) = map.entries.get_mut(token_hash) {
            entry.record.last_seen_at = last_seen_at;
        }
    }

    pub fn forget_session(&self, token_hash: &str) {
        lock(&self.sessions).forget(&token_hash.to_owned());
    }

    /// After any change to people, roles or sessions in bulk.
    pub fn forget_sessions(&self) {
        lock(&self.sessions).forget_all();
    }

    /// The current cycle for a school (0: no school) of a trust on a day.
    pub fn cycle(&self, trust: i64, school: i64, today: Date) -> Lookup<Option<Cycle>> {
        lookup(&self.cycles, &(trust, school, today))
    }

    pub fn put_cycle(&self, seen: u64, trust: i64, school: i64, today: Date, cycle: Option<Cycle>) {
        lock(&self.cycles).put(seen, (trust, school, today), cycle);
    }

    pub fn forget_cycles(&self) {
        lock(&self.cycles).forget_all();
    }

    pub fn reflections(&self, scope: &ReflectionScope) -> Lookup<Arc<Vec<Reflection>>> {
        lookup(&self.reflections, &scope_key(scope))
    }

    pub fn put_reflections(
        &self,
        seen: u64,
        scope: &ReflectionScope,
        reflections: Arc<Vec<Reflection>>,
    ) {
        lock(&self.reflections).put(seen, scope_key(scope), reflections);
    }

    pub fn forget_reflections(&self, scope: &ReflectionScope) {
        lock(&self.reflections).forget(&scope_key(scope));
    }

    /// After a write that touches many people's reflections (a new framework
    /// version carrying reflections forward).
    pub fn forget_all_reflections(&self) {
        lock(&self.reflections).forget_all();
    }
}
