//! Forms kept across a sign-in: what a person posted after their session had
//! ended, held until they are back and send it (or throw it away). Each is the
//! person's own; nobody else can read or remove it. Old ones are removed when
//! new ones are kept, so that the table holds only the last few weeks.

use leadkit_domain::people::PersonId;
use time::OffsetDateTime;

use crate::{BeginWrite, Store, StoreError, on_pool};

/// How long a kept form waits for its person to come back.
pub const KEPT_FOR: time::Duration = time::Duration::days(30);

/// A form as it was posted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptForm {
    pub id: i64,
    /// The page the form was on, where the person is taken back to.
    pub page: String,
    /// The path the form posts to.
    pub action: String,
    /// The fields as (name, value) pairs, in order.
    pub fields: Vec<(String, String)>,
    pub created_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct KeptRow {
    id: i64,
    page: String,
    action: String,
    fields: String,
    created_at: i64,
}

impl KeptRow {
    fn into_kept(self) -> Result<KeptForm, StoreError> {
        let fields = serde_json::from_str(&self.fields)
            .map_err(|e| StoreError::Corrupt(format!("kept form {}: {e}", self.id)))?;
        Ok(KeptForm {
            id: self.id,
            page: self.page,
            action: self.action,
            fields,
            created_at: crate::timestamp(self.created_at)?,
        })
    }
}

impl Store {
    /// Keeps a form for `person`, returning its id.
    pub async fn keep_form(
        &self,
        person: PersonId,
        page: &str,
        action: &str,
        fields: &[(String, String)],
        now: OffsetDateTime,
    ) -> Result<i64, StoreError> {
        let json = serde_json::to_string(fields)
            .map_err(|e| StoreError::Corrupt(format!("kept form: {e}")))?;
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("delete from kept_form where created_at < $1")
                .bind((now - KEPT_FOR).unix_timestamp())
                .execute(&mut *tx)
                .await?;
            let id = sqlx::query_scalar::<_, i64>(
                "insert into kept_form (person_id, page, action, fields, created_at)
                 values ($1, $2, $3, $4, $5) returning id",
            )
            .bind(person.0)
            .bind(page)
            .bind(action)
            .bind(&json)
            .bind(now.unix_timestamp())
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// One of the person's own kept forms, if it is still there.
    pub async fn kept_form(
        &self,
        person: PersonId,
        id: i64,
    ) -> Result<Option<KeptForm>, StoreError> {
        on_pool!(self, pool => {
            let row = sqlx::query_as::<_, KeptRow>(
                "select id, page, action, fields, created_at from kept_form where id = $1 and person_id = $2",
            )
            .bind(id)
            .bind(person.0)
            .fetch_optional(pool)
            .await?;
            row.map(KeptRow::into_kept).transpose()
        })
    }

    /// Forgets one of the person's kept forms (sent, or thrown away). Forgetting
    /// one that is already gone, or someone else's, changes nothing.
    pub async fn forget_kept_form(&self, person: PersonId, id: i64) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("delete from kept_form where id = $1 and person_id = $2")
                .bind(id)
                .bind(person.0)
                .execute(pool)
                .await?;
            Ok(())
        })
    }
}
