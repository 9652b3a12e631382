//! One-time links for a person: invitations (set a first password) and password
//! resets. Only a hash of each link's token is stored.

use crate::BeginWrite;
use leadkit_domain::people::PersonId;
use time::OffsetDateTime;

use crate::{Store, StoreError, on_pool};

/// What a one-time link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    Invitation,
    PasswordReset,
}

impl LinkPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkPurpose::Invitation => "invitation",
            LinkPurpose::PasswordReset => "password_reset",
        }
    }
}

impl Store {
    /// Makes a new link for `person`; any earlier unused link of the same purpose
    /// for them stops working.
    pub async fn create_person_link(
        &self,
        token_hash: &str,
        purpose: LinkPurpose,
        person: PersonId,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("delete from setup_token where purpose = $1 and person_id = $2 and used_at is null")
                .bind(purpose.as_str())
                .bind(person.0)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "insert into setup_token (token_hash, purpose, person_id, expires_at) values ($1, $2, $3, $4)",
            )
            .bind(token_hash)
            .bind(purpose.as_str())
            .bind(person.0)
            .bind(expires_at.unix_timestamp())
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// The person a link is for, if it is unused, unexpired and theirs is not archived.
    pub async fn person_for_link(
        &self,
        token_hash: &str,
        purpose: LinkPurpose,
        now: OffsetDateTime,
    ) -> Result<Option<PersonId>, StoreError> {
        on_pool!(self, pool => {
            let person = sqlx::query_scalar::<_, i64>(
                "select t.person_id from setup_token t join person p on p.id = t.person_id
                 where t.token_hash = $1 and t.purpose = $2 and t.used_at is null and t.expires_at > $3
                   and p.archived_at is null",
            )
            .bind(token_hash)
            .bind(purpose.as_str())
            .bind(now.unix_timestamp())
            .fetch_optional(pool)
            .await?;
            Ok(person.map(PersonId))
        })
    }

    /// Uses a link: sets the person's password and ends all their sessions, once.
    /// Returns the person, or `None` if the link was already used or has expired
    /// (two requests racing for one link: only one wins).
    pub async fn use_person_link(
        &self,
        token_hash: &str,
        purpose: LinkPurpose,
        password_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<PersonId>, StoreError> {
        let used = on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let person = sqlx::query_scalar::<_, i64>(
                "update setup_token set used_at = $1
                 where token_hash = $2 and purpose = $3 and used_at is null and expires_at > $1
                 returning person_id",
            )
            .bind(now.unix_timestamp())
            .bind(token_hash)
            .bind(purpose.as_str())
            .fetch_optional(&mut *tx)
            .await?;
            let Some(person) = person else {
                return Ok(None);
            };
            let changed = sqlx::query("update person set password_hash = $1 where id = $2 and archived_at is null")
                .bind(password_hash)
                .bind(person)
                .execute(&mut *tx)
                .await?;
            if changed.rows_affected() == 0 {
                return Ok(None);
            }
            sqlx::query("delete from session where person_id = $1")
                .bind(person)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<Option<PersonId>, StoreError>(Some(PersonId(person)))
        })?;
        self.changed(|cache| cache.forget_sessions()).await?;
        Ok(used)
    }
}
