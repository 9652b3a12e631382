//! Opening each backend: where the dialects' connection settings live.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

use crate::StoreError;

/// Opens the SQLite file in WAL mode with `synchronous = FULL`.
///
/// FULL syncs the WAL on every commit, so a save that was acknowledged survives a
/// kill of the process *and* a power cut; NORMAL would survive a kill but could lose
/// the last commits on power loss. The benchmark shows FULL still clears the target.
pub(crate) async fn open_sqlite(path: &std::path::Path) -> Result<SqlitePool, StoreError> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5))
        .statement_cache_capacity(200);
    SqlitePoolOptions::new()
        // WAL lets readers run beside the one writer; more connections than cores
        // only adds contention on this small a machine.
        .max_connections(8)
        .min_connections(1)
        .connect_with(options)
        .await
        .map_err(|error| StoreError::Connect(format!("{}: {error}", path.display())))
}

pub(crate) async fn connect_postgres(url: &str) -> Result<PgPool, StoreError> {
    let options = PgConnectOptions::from_str(url)
        .map_err(|error| StoreError::Connect(redacted(url, &error.to_string())))?;
    PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
        .map_err(|error| StoreError::Connect(redacted(url, &error.to_string())))
}

/// An error message naming the database without its password.
fn redacted(url: &str, error: &str) -> String {
    let shown = match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}://…@{}", &url[..scheme_end], &url[at + 1..])
        }
        _ => url.to_owned(),
    };
    format!("{shown}: {error}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_database_url_is_shown_without_its_credentials() {
        let shown = super::redacted("postgres://app:s3cret@db.example/leadkit", "refused");
        assert_eq!(shown, "postgres://…@db.example/leadkit: refused");
        assert!(!shown.contains("s3cret"));
    }
}
