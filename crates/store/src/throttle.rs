//! Failed sign-in attempts, counted per key over a window, shared by every server
//! process that uses the database.

use crate::BeginWrite;
use time::OffsetDateTime;

use crate::{Store, StoreError, on_pool};

impl Store {
    /// Records one failed attempt under each key, and forgets attempts older than
    /// `forget_before` (so the table stays small).
    pub async fn record_failed_sign_in(
        &self,
        keys: &[String],
        now: OffsetDateTime,
        forget_before: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("delete from failed_sign_in where at < $1")
                .bind(forget_before.unix_timestamp())
                .execute(&mut *tx)
                .await?;
            for key in keys {
                sqlx::query("insert into failed_sign_in (key, at) values ($1, $2)")
                    .bind(key)
                    .bind(now.unix_timestamp())
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Failed attempts under `key` since `since`.
    pub async fn failed_sign_ins_since(
        &self,
        key: &str,
        since: OffsetDateTime,
    ) -> Result<i64, StoreError> {
        on_pool!(self, pool => {
            Ok(sqlx::query_scalar::<_, i64>("select count(*) as n from failed_sign_in where key = $1 and at >= $2")
                .bind(key)
                .bind(since.unix_timestamp())
                .fetch_one(pool)
                .await?)
        })
    }

    /// Forgets the failures under `key` (after a successful sign-in to that account).
    pub async fn clear_failed_sign_ins(&self, key: &str) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("delete from failed_sign_in where key = $1")
                .bind(key)
                .execute(pool)
                .await?;
            Ok(())
        })
    }
}
