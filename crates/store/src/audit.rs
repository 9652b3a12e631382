//! The audit log: administrative actions, sharing choices and every access by one
//! person to another's records. Entries are only ever added.

use leadkit_domain::people::{PersonId, TrustId};
use time::OffsetDateTime;

use crate::{Store, StoreError, on_pool};

pub use leadkit_domain::audit::AuditAction;

/// One thing to write down.
#[derive(Debug, Clone)]
pub struct AuditRecord<'a> {
    pub trust: TrustId,
    pub actor: PersonId,
    pub action: AuditAction,
    /// Whose records or account it touched, if anyone's.
    pub subject: Option<PersonId>,
    /// A short, human description: "reflections in 2026–27 with their coach".
    pub detail: &'a str,
}

/// One entry as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: i64,
    pub at: OffsetDateTime,
    pub actor: Option<PersonId>,
    pub actor_name: String,
    pub action: AuditAction,
    pub subject: Option<PersonId>,
    pub subject_name: String,
    pub detail: String,
}

impl Store {
    /// Appends an entry. Names are copied in from the people's rows as they are now.
    pub async fn audit(
        &self,
        record: AuditRecord<'_>,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query(
                "insert into audit_event (trust_id, at, actor_id, actor_name, action, subject_id, subject_name, detail)
                 values ($1, $2, $3,
                         coalesce((select full_name from person where id = $3), ''),
                         $4, $5,
                         coalesce((select full_name from person where id = $5), ''),
                         $6)",
            )
            .bind(record.trust.0)
            .bind(now.unix_timestamp())
            .bind(record.actor.0)
            .bind(record.action.as_str())
            .bind(record.subject.map(|s| s.0))
            .bind(record.detail)
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    /// Appends an entry for something leadkit did by itself (a trust setting
    /// carried out), with no person as the actor.
    pub async fn audit_by_leadkit(
        &self,
        trust: TrustId,
        action: AuditAction,
        detail: &str,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query(
                "insert into audit_event (trust_id, at, actor_id, actor_name, action, subject_id, subject_name, detail)
                 values ($1, $2, null, 'leadkit', $3, null, '', $4)",
            )
            .bind(trust.0)
            .bind(now.unix_timestamp())
            .bind(action.as_str())
            .bind(detail)
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    /// The entries in which a person acted or whose records were touched, newest first.
    pub async fn audit_log_of_person(
        &self,
        person: PersonId,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query_as::<_, AuditRow>(
                "select id, at, actor_id, actor_name, action, subject_id, subject_name, detail
                 from audit_event where actor_id = $1 or subject_id = $1 order by at desc, id desc",
            )
            .bind(person.0)
            .fetch_all(pool)
            .await?;
            rows.into_iter().map(AuditRow::into_domain).collect()
        })
    }

    /// A trust's audit log, newest first, at most `limit` entries.
    pub async fn audit_log(
        &self,
        trust: TrustId,
        limit: i64,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query_as::<_, AuditRow>(
                "select id, at, actor_id, actor_name, action, subject_id, subject_name, detail
                 from audit_event where trust_id = $1 order by at desc, id desc limit $2",
            )
            .bind(trust.0)
            .bind(limit)
            .fetch_all(pool)
            .await?;
            rows.into_iter().map(AuditRow::into_domain).collect()
        })
    }
}

/// An `audit_event` row as read back.
#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    at: i64,
    actor_id: Option<i64>,
    actor_name: String,
    action: String,
    subject_id: Option<i64>,
    subject_name: String,
    detail: String,
}

impl AuditRow {
    fn into_domain(self) -> Result<AuditEntry, StoreError> {
        Ok(AuditEntry {
            id: self.id,
            at: OffsetDateTime::from_unix_timestamp(self.at)
                .map_err(|e| StoreError::Corrupt(format!("audit time: {e}")))?,
            actor: self.actor_id.map(PersonId),
            actor_name: self.actor_name,
            action: audit_action(&self.action)?,
            subject: self.subject_id.map(PersonId),
            subject_name: self.subject_name,
            detail: self.detail,
        })
    }
}

fn audit_action(raw: &str) -> Result<AuditAction, StoreError> {
    AuditAction::parse(raw).ok_or_else(|| StoreError::Corrupt(format!("audit action {raw:?}")))
}
