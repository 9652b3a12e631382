//! Trusts: creating and listing them, and founding one (its first
//! administrator and first cycle) from the one-time set-up link.

use crate::BeginWrite;
use leadkit_domain::people::{PersonId, TrustId};
use time::{Date, OffsetDateTime};

use crate::credentials::FIRST_ADMINISTRATOR;
use crate::people::{NewPerson, insert_person};
use crate::{Store, StoreError, on_pool};

/// Everything the first administrator's set-up link creates, in one transaction.
#[derive(Debug, Clone)]
pub struct Founding {
    pub setup_token_hash: String,
    pub trust_name: String,
    pub administrator: NewPerson,
    /// The first cycle: name, first and last day.
    pub cycle: (String, Date, Date),
}

impl Store {
    pub async fn create_trust(
        &self,
        name: &str,
        now: OffsetDateTime,
    ) -> Result<TrustId, StoreError> {
        let id = on_pool!(self, pool => {
            Ok::<i64, StoreError>(sqlx::query_scalar::<_, i64>("insert into trust (name, created_at) values ($1, $2) returning id")
                .bind(name)
                .bind(now.unix_timestamp())
                .fetch_one(pool)
                .await?)
        })?;
        // Whatever this changes, a cached signed-in person must be read afresh.
        self.changed(|cache| cache.forget_sessions()).await?;
        Ok(TrustId(id))
    }

    /// Every trust, by name: (id, name).
    pub async fn trusts(&self) -> Result<Vec<(TrustId, String)>, StoreError> {
        on_pool!(self, pool => {
            Ok(sqlx::query_as::<_, (i64, String)>("select id, name from trust order by name, id")
                .fetch_all(pool)
                .await?
                .into_iter()
                .map(|(id, name)| (TrustId(id), name))
                .collect())
        })
    }

    /// The trust with exactly this name, if there is one.
    pub async fn trust_named(&self, name: &str) -> Result<Option<TrustId>, StoreError> {
        on_pool!(self, pool => {
            let id = sqlx::query_scalar::<_, i64>("select id from trust where name = $1 order by id limit 1")
                .bind(name)
                .fetch_optional(pool)
                .await?;
            Ok(id.map(TrustId))
        })
    }

    /// Creates the trust, its first administrator and its first cycle, and uses up the
    /// set-up link, all or nothing. Returns `NotFound` if the link is used or expired.
    pub async fn found_trust(
        &self,
        founding: &Founding,
        now: OffsetDateTime,
    ) -> Result<PersonId, StoreError> {
        let (cycle_name, starts_on, ends_on) = &founding.cycle;
        let person = on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let used = sqlx::query(
                "update setup_token set used_at = $1
                 where token_hash = $2 and purpose = $3 and used_at is null and expires_at > $1",
            )
            .bind(now.unix_timestamp())
            .bind(&founding.setup_token_hash)
            .bind(FIRST_ADMINISTRATOR)
            .execute(&mut *tx)
            .await?;
            if used.rows_affected() != 1 {
                return Err(StoreError::NotFound);
            }
            let trust = sqlx::query_scalar::<_, i64>("insert into trust (name, created_at) values ($1, $2) returning id")
                .bind(&founding.trust_name)
                .bind(now.unix_timestamp())
                .fetch_one(&mut *tx)
                .await?;
            let mut administrator = founding.administrator.clone();
            administrator.trust = TrustId(trust);
            let person = insert_person(&mut tx, &administrator, now).await?;
            sqlx::query("insert into cycle (trust_id, name, starts_on, ends_on) values ($1, $2, $3, $4)")
                .bind(trust)
                .bind(cycle_name)
                .bind(starts_on.to_string())
                .bind(ends_on.to_string())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<PersonId, StoreError>(person)
        })?;
        // Whatever this changes, a cached signed-in person must be read afresh.
        self.changed(|cache| cache.forget_sessions()).await?;
        Ok(person)
    }
}
