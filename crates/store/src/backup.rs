//! Backups: SQLite's own online copy of the database file, and a portable export
//! (JSON lines, every table, one consistent snapshot) that either backend can
//! write and either can restore into a fresh database.
//!
//! The portable format, one JSON value per line:
//! ```text
//! {"leadkit_backup":1,"schema_version":6}
//! {"table":"trust","columns":["id","name","created_at",…]}
//! [1,"Demo Academies Trust",1795000000,…]
//! …
//! ```
//! Every column of every table is an integer, text or null, in both backends.

use crate::BeginWrite;
use std::io::{BufRead, Write};

use serde_json::Value;
use sqlx::Row;

use crate::{Store, StoreError, on_pool};

/// The portable format's version.
const FORMAT: i64 = 1;

/// Every table with data, parents before children, so a restore can insert in
/// this order with every reference already in place. The migration ledger is not
/// here: the restoring server migrates the fresh database itself.
pub const TABLES: [&str; 35] = [
    "framework",
    "framework_item",
    "trust",
    "school",
    "team",
    "person",
    "person_role",
    "setup_token",
    "session",
    "cycle",
    "reflection",
    "relationship",
    "share",
    "audit_event",
    "failed_sign_in",
    "oidc_provider",
    "oidc_login",
    "goal",
    "goal_item",
    "goal_action",
    "check_in",
    "evidence",
    "evidence_item",
    "evidence_goal",
    "coach_view",
    "conversation_note",
    "cycle_sign_off",
    "cycle_checkpoint",
    "checkpoint_confirmation",
    "record_summary",
    "calendar_feed",
    "reminder_setting",
    "reminder_sent",
    "notice",
    "kept_form",
];

/// Tables whose `id` PostgreSQL generates; after a restore their sequences must
/// continue after the highest restored id.
const IDENTITY_TABLES: [&str; 17] = [
    "framework",
    "framework_item",
    "trust",
    "school",
    "team",
    "person",
    "cycle",
    "reflection",
    "audit_event",
    "goal",
    "goal_action",
    "check_in",
    "evidence",
    "conversation_note",
    "notice",
    "kept_form",
    "cycle_checkpoint",
];

/// What a restore brought back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    pub tables: usize,
    pub rows: usize,
}

fn bad(line: usize, what: impl std::fmt::Display) -> StoreError {
    StoreError::Restore(format!("line {line}: {what}"))
}

fn io(error: std::io::Error) -> StoreError {
    StoreError::Restore(format!("cannot read or write the backup: {error}"))
}

/// A column's value as JSON: integer, text or null. Read by position, not
/// with a row struct: the export copies tables whose columns it only learns
/// at run time, and tries an integer before text.
fn cell<R: Row>(row: &R, index: usize) -> Result<Value, StoreError>
where
    usize: sqlx::ColumnIndex<R>,
    for<'r> Option<i64>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    Ok(if let Ok(value) = row.try_get::<Option<i64>, _>(index) {
        value.map_or(Value::Null, Value::from)
    } else {
        row.try_get::<Option<String>, _>(index)?
            .map_or(Value::Null, Value::from)
    })
}

/// A column as described by the database's catalogue.
#[derive(sqlx::FromRow)]
struct ColumnRow {
    name: String,
    kind: String,
}

impl Store {
    /// The highest migration applied to this database.
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        on_pool!(self, pool => {
            Ok(sqlx::query_scalar::<_, i64>("select coalesce(max(version), 0) as v from schema_migration")
                .fetch_one(pool)
                .await?)
        })
    }

    /// SQLite's online backup: a consistent copy of the whole database, taken
    /// while the server keeps running, written to `path` (which must not exist).
    pub async fn backup_sqlite_file(&self, path: &std::path::Path) -> Result<(), StoreError> {
        if path.exists() {
            return Err(StoreError::Restore(format!(
                "{} already exists; choose a new file",
                path.display()
            )));
        }
        let target = path.to_str().ok_or_else(|| {
            StoreError::Restore("the backup file's path must be valid UTF-8".into())
        })?;
        match &self.db {
            crate::Db::Sqlite(pool) => {
                sqlx::query("vacuum into $1")
                    .bind(target)
                    .execute(pool)
                    .await?;
                Ok(())
            }
            crate::Db::Postgres(_) => Err(StoreError::Restore(
                "a PostgreSQL database is backed up with the portable export".into(),
            )),
        }
    }

    /// Writes every table, read in one transaction so the export is one
    /// consistent moment even while the server runs.
    pub async fn export_portable(&self, out: &mut impl Write) -> Result<usize, StoreError> {
        let version = self.schema_version().await?;
        let header = serde_json::json!({ "leadkit_backup": FORMAT, "schema_version": version });
        writeln!(out, "{header}").map_err(io)?;
        let mut rows_written = 0;
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            if matches!(self.db, crate::Db::Postgres(_)) {
                sqlx::query("set transaction isolation level repeatable read, read only")
                    .execute(&mut *tx)
                    .await?;
            }
            for table in TABLES {
                let columns: Vec<String> =
                    self.columns_of(table).await?.into_iter().map(|(name, _)| name).collect();
                let order: Vec<String> = (1..=columns.len()).map(|i| i.to_string()).collect();
                let sql = format!(
                    "select {} from {table} order by {}",
                    columns.join(", "),
                    order.join(", ")
                );
                let rows = sqlx::query(&sql).fetch_all(&mut *tx).await?;
                writeln!(out, "{}", serde_json::json!({ "table": table, "columns": columns }))
                    .map_err(io)?;
                for row in &rows {
                    let mut cells = Vec::with_capacity(columns.len());
                    for index in 0..row.columns().len() {
                        cells.push(cell(row, index)?);
                    }
                    writeln!(out, "{}", Value::Array(cells)).map_err(io)?;
                    rows_written += 1;
                }
            }
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        out.flush().map_err(io)?;
        Ok(rows_written)
    }

    /// The columns of a table in their defined order, each with whether it holds
    /// text (else an integer).
    async fn columns_of(&self, table: &str) -> Result<Vec<(String, bool)>, StoreError> {
        on_pool!(self, pool => {
            let sql = match self.db {
                crate::Db::Sqlite(_) => format!(
                    "select name, lower(type) as kind from pragma_table_info('{table}') order by cid"
                ),
                crate::Db::Postgres(_) => format!(
                    "select column_name::text as name, data_type::text as kind from information_schema.columns
                     where table_schema = current_schema() and table_name = '{table}' order by ordinal_position"
                ),
            };
            Ok(sqlx::query_as::<_, ColumnRow>(&sql)
                .fetch_all(pool)
                .await?
                .into_iter()
                .map(|column| (column.name, column.kind == "text"))
                .collect())
        })
    }

    /// Restores a portable export into this database, which must be migrated to
    /// the export's schema version and hold no data. All or nothing.
    pub async fn import_portable(&self, input: impl BufRead) -> Result<Restored, StoreError> {
        let mut lines = input.lines().enumerate();
        let (_, first) = lines
            .next()
            .ok_or_else(|| StoreError::Restore("the backup file is empty".into()))?;
        let header: Value = serde_json::from_str(&first.map_err(io)?)
            .map_err(|e| bad(1, format!("not a leadkit backup ({e})")))?;
        if header["leadkit_backup"] != FORMAT {
            return Err(bad(1, "not a leadkit portable backup"));
        }
        let version = self.schema_version().await?;
        if header["schema_version"] != version {
            return Err(bad(
                1,
                format!(
                    "the backup is of schema version {}, this leadkit has {version}; restore with the leadkit that made it",
                    header["schema_version"]
                ),
            ));
        }
        for table in TABLES {
            if self.count_rows(table).await? > 0 {
                return Err(StoreError::Restore(format!(
                    "the database is not empty (table {table} has rows); restore into a fresh database"
                )));
            }
        }
        let mut restored = Restored { tables: 0, rows: 0 };
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            if matches!(self.db, crate::Db::Sqlite(_)) {
                // Rows arrive parents first, but a table may refer to itself.
                sqlx::query("pragma defer_foreign_keys = on").execute(&mut *tx).await?;
            }
            let mut current: Option<(String, Vec<bool>, String)> = None;
            for (index, line) in lines {
                let number = index + 1;
                let line = line.map_err(io)?;
                if line.trim().is_empty() {
                    continue;
                }
                let value: Value = serde_json::from_str(&line).map_err(|e| bad(number, e))?;
                match value {
                    Value::Object(object) => {
                        let table = object.get("table").and_then(Value::as_str)
                            .ok_or_else(|| bad(number, "expected a table header"))?;
                        if !TABLES.contains(&table) {
                            return Err(bad(number, format!("unknown table {table:?}")));
                        }
                        let columns: Vec<String> = object.get("columns").and_then(Value::as_array)
                            .ok_or_else(|| bad(number, "a table header needs its columns"))?
                            .iter()
                            .map(|c| c.as_str().map(str::to_owned).ok_or_else(|| bad(number, "a column name must be text")))
                            .collect::<Result<_, _>>()?;
                        let described = self.columns_of(table).await?;
                        let known: Vec<String> = described.iter().map(|(name, _)| name.clone()).collect();
                        if columns != known {
                            return Err(bad(number, format!("table {table} has columns {known:?}, the backup {columns:?}")));
                        }
                        let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
                        let sql = format!(
                            "insert into {table} ({}) values ({})",
                            columns.join(", "),
                            placeholders.join(", ")
                        );
                        let text: Vec<bool> = described.iter().map(|(_, text)| *text).collect();
                        current = Some((table.to_owned(), text, sql));
                        restored.tables += 1;
                    }
                    Value::Array(cells) => {
                        let Some((table, text, sql)) = &current else {
                            return Err(bad(number, "a row before any table header"));
                        };
                        if cells.len() != text.len() {
                            return Err(bad(number, format!("{table} rows have {} values, this has {}", text.len(), cells.len())));
                        }
                        let mut query = sqlx::query(sql);
                        // Each value is bound as its column's type, as both
                        // databases' protocols require.
                        for (cell, is_text) in cells.into_iter().zip(text.iter().copied()) {
                            query = match (cell, is_text) {
                                (Value::Null, true) => query.bind(None::<String>),
                                (Value::Null, false) => query.bind(None::<i64>),
                                (Value::String(value), true) => query.bind(value),
                                (Value::Number(n), false) => query.bind(
                                    n.as_i64().ok_or_else(|| bad(number, format!("{table}: numbers must be whole")))?,
                                ),
                                (_, true) => return Err(bad(number, format!("{table}: expected text or null"))),
                                (_, false) => return Err(bad(number, format!("{table}: expected a whole number or null"))),
                            };
                        }
                        query.execute(&mut *tx).await.map_err(|e| bad(number, format!("{table}: {e}")))?;
                        restored.rows += 1;
                    }
                    _ => return Err(bad(number, "expected a table header or a row")),
                }
            }
            if matches!(self.db, crate::Db::Postgres(_)) {
                for table in IDENTITY_TABLES {
                    sqlx::query(&format!(
                        "select setval(pg_get_serial_sequence('{table}', 'id'), coalesce((select max(id) from {table}), 0) + 1, false)"
                    ))
                    .execute(&mut *tx)
                    .await?;
                }
            }
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        self.changed(|cache| {
            cache.forget_sessions();
            cache.forget_cycles();
            cache.forget_all_reflections();
        })
        .await?;
        Ok(restored)
    }

    async fn count_rows(&self, table: &str) -> Result<i64, StoreError> {
        on_pool!(self, pool => {
            Ok(sqlx::query_scalar::<_, i64>(&format!("select count(*) as n from {table}"))
                .fetch_one(pool)
                .await?)
        })
    }
}
