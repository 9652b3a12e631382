//! leadkit's storage: the only crate that speaks SQL.
//!
//! [`Store`] is one type over two backends, an embedded SQLite file (the default)
//! and PostgreSQL (for deployments that outgrow one machine). Each function below
//! writes its SQL once with `$1` placeholders, which both backends accept, and the
//! [`on_pool!`] macro runs it on whichever pool the store holds. Where the dialects
//! differ, both statements stand side by side in the same function.
//!
//! Values come in and go out as `leadkit-domain` types; no sqlx type leaves this crate.

pub mod audit;
mod backend;
pub mod backup;
pub mod bulk;
mod cache;
pub mod checkpoints;
pub mod coaching;
pub mod credentials;
pub mod cycles;
pub mod evidence;
pub mod files;
pub mod frameworks;
pub mod goals;
pub mod growth_cells;
pub mod insight;
pub mod insight_cells;
pub mod kept;
pub mod links;
mod migrate;
pub mod participation;
pub mod people;
pub mod personal_data;
pub mod record;
pub mod reflections;
pub mod reminders;
pub mod schools;
pub mod sessions;
pub mod sharing;
pub mod sso;
pub mod staff;
/// Throw-away databases for tests: only with the `testing` feature (which other
/// crates enable for their tests) or in this crate's own unit tests. This
/// crate's integration tests include the file directly (tests/suite/main.rs).
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod throttle;
pub mod trusts;

pub use migrate::{MIGRATIONS, Migration};

use sqlx::{PgPool, SqlitePool};

/// Runs `$body` with `$pool` bound to the store's pool, whichever backend it is.
/// The body is compiled once per backend, so it may use either's types.
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.db {
            $crate::Db::Sqlite($pool) => $body,
            $crate::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

/// Begins a transaction that is going to write.
///
/// On SQLite this is `BEGIN IMMEDIATE`: it takes the write lock before the first
/// read, so a transaction that reads and then writes waits its turn (the busy
/// timeout) instead of failing when another connection committed in between (a
/// deferred transaction's snapshot would then be stale, and SQLite refuses the
/// write at once with `SQLITE_BUSY_SNAPSHOT`). PostgreSQL needs nothing special.
pub(crate) trait BeginWrite {
    type Database: sqlx::Database;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, Self::Database>, sqlx::Error>;
}

impl BeginWrite for sqlx::SqlitePool {
    type Database = sqlx::Sqlite;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.begin_with("BEGIN IMMEDIATE").await
    }
}

impl BeginWrite for sqlx::PgPool {
    type Database = sqlx::Postgres;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
        self.begin().await
    }
}

/// A connection pool to one of the two supported databases, with an optional
/// read cache (see [`Store::with_read_cache`]).
#[derive(Clone, Debug)]
pub struct Store {
    db: Db,
    cache: Option<std::sync::Arc<cache::ReadCache>>,
}

#[derive(Clone, Debug)]
pub(crate) enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Which database a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// What can go wrong in storage.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness rule would be broken, e.g. an email already in use.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The database URL or file could not be used.
    #[error("cannot open the database: {0}")]
    Connect(String),
    /// A migration failed or an applied migration was changed afterwards.
    #[error("migration: {0}")]
    Migration(String),
    /// Stored data no longer parses as the domain expects.
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    /// A backup could not be written or restored; says where and why.
    #[error("{0}")]
    Restore(String),
    #[error(transparent)]
    Other(#[from] sqlx::Error),
}

impl StoreError {
    /// Whether the database was too busy to answer in time (SQLite's lock wait
    /// ran out, PostgreSQL refused a lock, or no connection came free): the
    /// request may simply be tried again in a moment.
    pub fn is_busy(&self) -> bool {
        match self {
            StoreError::Other(sqlx::Error::PoolTimedOut) => true,
            StoreError::Other(sqlx::Error::Database(db)) => {
                let code = db.code();
                // SQLITE_BUSY (5), SQLITE_LOCKED (6) and their extended codes;
                // PostgreSQL's lock_not_available and serialization failures.
                let by_code = code.as_deref().is_some_and(|code| {
                    matches!(code, "5" | "6" | "55P03" | "40001" | "40P01")
                        || code.parse::<i64>().is_ok_and(|n| matches!(n & 0xff, 5 | 6))
                });
                by_code || db.message().contains("database is locked")
            }
            _ => false,
        }
    }

    /// Maps a unique-constraint violation to [`StoreError::Conflict`], anything else as is.
    pub(crate) fn from_write(error: sqlx::Error, what: &str) -> Self {
        match &error {
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Conflict(what.to_owned())
            }
            _ => StoreError::Other(error),
        }
    }
}

impl Store {
    fn new(db: Db) -> Self {
        Store { db, cache: None }
    }

    /// Tells the read cache, if there is one, what a write has changed, and
    /// every other process's cache that something has: the write is counted in
    /// `store_epoch`, which [`Store::signed_in_session`] compares once per
    /// request. Called after the write, whatever process makes it (the command
    /// line has no cache but must still be seen by a running server).
    pub(crate) async fn changed(
        &self,
        forget: impl FnOnce(&cache::ReadCache),
    ) -> Result<(), StoreError> {
        if let Some(cache) = &self.cache {
            forget(cache);
        }
        on_pool!(self, pool => {
            sqlx::query("update store_epoch set n = n + 1 where id = 1")
                .execute(pool)
                .await?;
            Ok::<(), StoreError>(())
        })?;
        if let Some(cache) = &self.cache {
            cache.counted_own_write();
        }
        Ok(())
    }

    /// Tells this process's read cache what a write has changed, and nobody
    /// else: for a person's own reflection choices, which only the web saves
    /// (on the hot path, where one more write per choice would cost).
    pub(crate) fn changed_here(&self, forget: impl FnOnce(&cache::ReadCache)) {
        if let Some(cache) = &self.cache {
            forget(cache);
        }
    }

    /// Forgets the whole read cache if another process has written since the
    /// last look (see [`Store::changed`]). One small read.
    pub(crate) async fn notice_other_writers(&self) -> Result<(), StoreError> {
        let Some(cache) = &self.cache else {
            return Ok(());
        };
        let epoch = on_pool!(self, pool => {
            Ok::<i64, StoreError>(
                sqlx::query_scalar::<_, i64>("select n from store_epoch where id = 1")
                    .fetch_one(pool)
                    .await?,
            )
        })?;
        cache.observe_epoch(epoch);
        Ok(())
    }

    /// The same store, remembering the reads every signed-in page makes (the
    /// session with its person, the current cycle, a person's reflections) until
    /// a write changes them. Writes through this store forget what they change;
    /// writes by another process (the command line beside a running server) are
    /// counted in `store_epoch` and noticed at the next signed-in request, which
    /// then forgets everything. Only for SQLite: with PostgreSQL the store is
    /// returned unchanged.
    pub fn with_read_cache(self) -> Self {
        match self.db {
            Db::Sqlite(_) => Store {
                cache: Some(std::sync::Arc::default()),
                ..self
            },
            Db::Postgres(_) => self,
        }
    }

    /// Whether reads are served from the exact read cache, so that an unchanged
    /// [`Store::shared_reflections`] result is the same allocation as before.
    pub fn has_read_cache(&self) -> bool {
        self.cache.is_some()
    }

    /// Opens a store from a URL: `sqlite://PATH` (created if missing) or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            backend::connect_postgres(url)
                .await
                .map(|pool| Store::new(Db::Postgres(pool)))
        } else if let Some(path) = url.strip_prefix("sqlite://") {
            backend::open_sqlite(std::path::Path::new(path))
                .await
                .map(|pool| Store::new(Db::Sqlite(pool)))
        } else {
            Err(StoreError::Connect(
                "the database URL must start with sqlite:// or postgres://".into(),
            ))
        }
    }

    /// Opens (creating if needed) the embedded SQLite database at `path`.
    pub async fn open_sqlite(path: &std::path::Path) -> Result<Self, StoreError> {
        backend::open_sqlite(path)
            .await
            .map(|pool| Store::new(Db::Sqlite(pool)))
    }

    pub fn backend(&self) -> Backend {
        match self.db {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies every migration not yet applied. Safe to call from several processes
    /// at once: PostgreSQL serialises them with an advisory lock, SQLite with its
    /// write lock.
    pub async fn migrate(&self, now: time::OffsetDateTime) -> Result<usize, StoreError> {
        migrate::run(self, now.unix_timestamp()).await
    }

    /// Closes the pool, waiting for connections to return (flushes SQLite's WAL).
    pub async fn close(&self) {
        on_pool!(self, pool => pool.close().await)
    }
}

/// Parses a stored value with a domain parser, mapping failure to [`StoreError::Corrupt`].
pub(crate) fn stored<T, E: std::fmt::Display>(
    parsed: Result<T, E>,
    what: &str,
) -> Result<T, StoreError> {
    parsed.map_err(|error| StoreError::Corrupt(format!("{what}: {error}")))
}

/// Converts stored unix seconds to a timestamp.
pub(crate) fn timestamp(seconds: i64) -> Result<time::OffsetDateTime, StoreError> {
    stored(
        time::OffsetDateTime::from_unix_timestamp(seconds),
        "timestamp",
    )
}

#[cfg(test)]
mod tests {
    use super::BeginWrite;

    /// A transaction that reads and then writes must not fail because another
    /// connection wrote in between: with a deferred `BEGIN` SQLite refuses the
    /// write (`SQLITE_BUSY_SNAPSHOT`) and a user saw a 500.
    #[tokio::test]
    async fn a_read_then_write_transaction_survives_a_concurrent_writer() {
        let dir = tempfile::tempdir().unwrap();
        let pool = crate::backend::open_sqlite(&dir.path().join("t.db"))
            .await
            .unwrap();
        sqlx::query("create table counter (n integer not null)")
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("insert into counter (n) values (0)")
            .execute(&pool)
            .await
            .unwrap();

        let mut tx = pool.begin_write().await.unwrap();
        let n: i64 = sqlx::query_scalar("select n from counter")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        let other = {
            let pool = pool.clone();
            tokio::spawn(async move {
                sqlx::query("update counter set n = n + 10")
                    .execute(&pool)
                    .await
            })
        };
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        sqlx::query("update counter set n = $1")
            .bind(n + 1)
            .execute(&mut *tx)
            .await
            .expect("the write after a read is not refused");
        tx.commit().await.unwrap();
        other.await.unwrap().unwrap();
        let n: i64 = sqlx::query_scalar("select n from counter")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(n, 11, "both writes counted, one after the other");
    }
}
