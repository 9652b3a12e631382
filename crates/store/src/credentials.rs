//! Passwords and one-time set-up links: what sign-in checks, and the links
//! that let the first administrator in.

use crate::BeginWrite;
use leadkit_domain::people::{Email, PersonId, TrustId};
use time::OffsetDateTime;

use crate::{Store, StoreError, on_pool};

/// What sign-in needs to check a password: who, and their hash if they have one.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub person: PersonId,
    pub password_hash: Option<String>,
}

/// The purpose of the first administrator's set-up link.
pub const FIRST_ADMINISTRATOR: &str = "first_administrator";

impl Store {
    /// The person signing in with this email, if any (archived people cannot sign in).
    pub async fn credentials(&self, email: &Email) -> Result<Option<Credentials>, StoreError> {
        on_pool!(self, pool => {
            let row = sqlx::query_as::<_, (i64, Option<String>)>(
                "select id, password_hash from person where email = $1 and archived_at is null",
            )
            .bind(email.as_str())
            .fetch_optional(pool)
            .await?;
            Ok(row.map(|(id, password_hash)| Credentials {
                person: PersonId(id),
                password_hash,
            }))
        })
    }

    pub async fn set_password_hash(&self, person: PersonId, hash: &str) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let done = sqlx::query("update person set password_hash = $1 where id = $2")
                .bind(hash)
                .bind(person.0)
                .execute(pool)
                .await?;
            if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
        })?;
        // Whatever this changes, a cached signed-in person must be read afresh.
        self.changed(|cache| cache.forget_sessions()).await
    }

    /// Gives every person of a trust the same password hash: used only for the demo
    /// trust, whose password is made afresh at every start.
    pub async fn set_trust_password_hash(
        &self,
        trust: TrustId,
        hash: &str,
    ) -> Result<u64, StoreError> {
        let done = on_pool!(self, pool => {
            let done = sqlx::query("update person set password_hash = $1 where trust_id = $2")
                .bind(hash)
                .bind(trust.0)
                .execute(pool)
                .await?;
            Ok::<_, StoreError>(done.rows_affected())
        })?;
        // Whatever this changes, a cached signed-in person must be read afresh.
        self.changed(|cache| cache.forget_sessions()).await?;
        Ok(done)
    }

    /// How many administrators can sign in (have a password and are not archived).
    pub async fn administrators_with_password(&self) -> Result<i64, StoreError> {
        on_pool!(self, pool => {
            Ok(sqlx::query_scalar::<_, i64>(
                "select count(*) as n from person p join person_role r on r.person_id = p.id
                 where r.role = 'administrator' and p.password_hash is not null and p.archived_at is null",
            )
            .fetch_one(pool)
            .await?)
        })
    }

    /// Records a one-time link (by the hash of its token), replacing any unused link
    /// with the same purpose so that only the newest printed link works.
    pub async fn replace_setup_token(
        &self,
        token_hash: &str,
        purpose: &str,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("delete from setup_token where purpose = $1 and used_at is null")
                .bind(purpose)
                .execute(&mut *tx)
                .await?;
            sqlx::query("insert into setup_token (token_hash, purpose, expires_at) values ($1, $2, $3)")
                .bind(token_hash)
                .bind(purpose)
                .bind(expires_at.unix_timestamp())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        // Whatever this changes, a cached signed-in person must be read afresh.
        self.changed(|cache| cache.forget_sessions()).await
    }

    /// Whether a one-time link is still usable.
    pub async fn setup_token_is_valid(
        &self,
        token_hash: &str,
        purpose: &str,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        on_pool!(self, pool => {
            let n = sqlx::query_scalar::<_, i64>(
                "select count(*) as n from setup_token
                 where token_hash = $1 and purpose = $2 and used_at is null and expires_at > $3",
            )
            .bind(token_hash)
            .bind(purpose)
            .bind(now.unix_timestamp())
            .fetch_one(pool)
            .await?;
            Ok(n > 0)
        })
    }
}
