//! Embedded migrations, one folder per backend with the same numbers and names,
//! and the small runner that applies them.
//!
//! Each applied migration is recorded with a checksum of its text; changing an
//! applied file is refused at start-up rather than silently ignored.

use crate::BeginWrite;
use sha2::{Digest, Sha256};

use crate::{Store, StoreError, on_pool};

/// One migration: the same version and name in both backends, with each one's SQL.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

// A macro because `include_str!` takes a literal path: this builds both from the name once.
macro_rules! migration {
    ($version:literal, $name:literal) => {
        Migration {
            version: $version,
            name: $name,
            sqlite: include_str!(concat!("../migrations/sqlite/", $name, ".sql")),
            postgres: include_str!(concat!("../migrations/postgres/", $name, ".sql")),
        }
    };
}

/// Every migration, in order. A test checks this list against both folders.
pub const MIGRATIONS: &[Migration] = &[
    migration!(1, "0001_frameworks"),
    migration!(2, "0002_people"),
    migration!(3, "0003_sessions"),
    migration!(4, "0004_reflections"),
    migration!(5, "0005_relationships_sharing_audit"),
    migration!(6, "0006_sign_in_attempts"),
    migration!(7, "0007_retention"),
    migration!(8, "0008_single_sign_on"),
    migration!(9, "0009_goals_evidence"),
    migration!(10, "0010_calendar_reminders"),
    migration!(11, "0011_insight_cells"),
    migration!(12, "0012_insight_recount"),
    migration!(13, "0013_growth_cells"),
    migration!(14, "0014_store_epoch"),
    migration!(15, "0015_sign_in_attempt"),
    migration!(16, "0016_notice"),
    migration!(17, "0017_session_limits"),
    migration!(18, "0018_kept_form"),
    migration!(19, "0019_checkpoints"),
    migration!(20, "0020_record_summary"),
];

const CREATE_LEDGER: &str = "create table if not exists schema_migration (
    version bigint primary key,
    name text not null,
    checksum text not null,
    applied_at bigint not null
)";

// Any constant will do; it only has to be the same in every leadkit process.
const PG_MIGRATION_LOCK: i64 = 0x006c_6561_646b_6974;

fn checksum(sql: &str) -> String {
    Sha256::digest(sql.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

pub(crate) async fn run(store: &Store, now: i64) -> Result<usize, StoreError> {
    let mut applied = 0;
    on_pool!(store, pool => {
        sqlx::query(CREATE_LEDGER).execute(pool).await?;
        for migration in MIGRATIONS {
            let sql = match store.backend() {
                crate::Backend::Sqlite => migration.sqlite,
                crate::Backend::Postgres => migration.postgres,
            };
            let sum = checksum(sql);
            let mut tx = pool.begin_write().await?;
            if store.backend() == crate::Backend::Postgres {
                sqlx::query(&format!("select pg_advisory_xact_lock({PG_MIGRATION_LOCK})"))
                    .execute(&mut *tx)
                    .await?;
            }
            let existing = sqlx::query_scalar::<_, String>("select checksum from schema_migration where version = $1")
                .bind(migration.version)
                .fetch_optional(&mut *tx)
                .await?;
            if let Some(recorded) = existing {
                if recorded != sum {
                    return Err(StoreError::Migration(format!(
                        "{} was changed after it was applied; add a new migration instead",
                        migration.name
                    )));
                }
                continue;
            }
            sqlx::raw_sql(sql)
                .execute(&mut *tx)
                .await
                .map_err(|error| StoreError::Migration(format!("{}: {error}", migration.name)))?;
            sqlx::query(
                "insert into schema_migration (version, name, checksum, applied_at)
                 values ($1, $2, $3, $4)",
            )
            .bind(migration.version)
            .bind(migration.name)
            .bind(&sum)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            applied += 1;
            tracing::info!(migration = migration.name, "applied migration");
        }
        Ok(applied)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_in(folder: &str) -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(folder);
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn both_backends_have_the_same_migrations_and_all_are_embedded() {
        let sqlite = names_in("sqlite");
        let postgres = names_in("postgres");
        assert_eq!(sqlite, postgres, "migration folders differ");
        let embedded: Vec<String> = MIGRATIONS
            .iter()
            .map(|m| format!("{}.sql", m.name))
            .collect();
        assert_eq!(sqlite, embedded, "a migration file is not in MIGRATIONS");
        for (index, migration) in MIGRATIONS.iter().enumerate() {
            assert_eq!(migration.version, index as i64 + 1);
            assert!(
                migration
                    .name
                    .starts_with(&format!("{:04}_", migration.version))
            );
        }
    }
}
