//! Fresh, throw-away databases for tests in any crate.
//!
//! SQLite tests get a file in a temporary folder; PostgreSQL tests get a new
//! database on the server named by `LEADKIT_TEST_PG_URL`, dropped by
//! [`TestDatabase::drop_postgres`] (or left for inspection if a test panics).

use sqlx::Connection;

use crate::StoreError;

/// The environment variable that names the PostgreSQL server for tests.
pub const PG_URL_VARIABLE: &str = "LEADKIT_TEST_PG_URL";

/// The PostgreSQL URL for tests, if one is set.
pub fn postgres_url() -> Option<String> {
    std::env::var(PG_URL_VARIABLE)
        .ok()
        .filter(|url| !url.trim().is_empty())
}

/// Creates a new, empty database on the server at `server_url` and returns its URL.
pub async fn create_postgres_database(server_url: &str) -> Result<String, StoreError> {
    let mut admin = sqlx::PgConnection::connect(server_url)
        .await
        .map_err(|error| StoreError::Connect(error.to_string()))?;
    let mut bytes = [0u8; 8];
    random_bytes(&mut bytes);
    let name = format!(
        "leadkit_test_{}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    );
    sqlx::query(&format!("create database {name}"))
        .execute(&mut admin)
        .await?;
    admin.close().await?;
    let (base, query) = match server_url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (server_url, String::new()),
    };
    let base = match base.rfind('/') {
        Some(slash) if slash > base.find("://").map_or(0, |i| i + 2) => &base[..slash],
        _ => base,
    };
    Ok(format!("{base}/{name}{query}"))
}

/// Drops a database made by [`create_postgres_database`].
pub async fn drop_postgres_database(
    server_url: &str,
    database_url: &str,
) -> Result<(), StoreError> {
    let name = database_url
        .split('?')
        .next()
        .and_then(|base| base.rsplit('/').next())
        .unwrap_or_default();
    if !name.starts_with("leadkit_test_") {
        return Err(StoreError::Connect(format!("refusing to drop {name}")));
    }
    let mut admin = sqlx::PgConnection::connect(server_url)
        .await
        .map_err(|error| StoreError::Connect(error.to_string()))?;
    sqlx::query(&format!("drop database if exists {name} with (force)"))
        .execute(&mut admin)
        .await?;
    Ok(())
}

fn random_bytes(bytes: &mut [u8]) {
    use std::hash::{BuildHasher, Hasher};
    // Test database names only need to differ between concurrent tests, not be secret.
    for chunk in bytes.chunks_mut(8) {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u128(std::process::id() as u128);
        let value = hasher.finish().to_le_bytes();
        chunk.copy_from_slice(&value[..chunk.len()]);
    }
}
