//! A person's own data, for them to download, and erasure by an administrator.

use crate::BeginWrite;
use leadkit_domain::people::{PersonId, TrustId};
use sqlx::Row;
use time::OffsetDateTime;

use crate::{Store, StoreError, on_pool};

/// One reflection with where it belongs, as a person's download lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalReflection {
    pub cycle: String,
    pub framework_key: String,
    pub framework_title: String,
    pub framework_version: String,
    pub item: String,
    pub item_title: String,
    pub judgement: Option<String>,
    pub note: String,
    pub updated_at: OffsetDateTime,
}

/// One sharing choice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalShare {
    pub cycle: String,
    pub record: String,
    /// "coach", "line_manager" or a colleague's name.
    pub audience: String,
    pub shared: bool,
    pub changed_at: OffsetDateTime,
}

/// What `Store::erase_person` leaves: the judgements (so that counts for groups
/// stay as they were), with no name, email, note or link to anyone.
pub const ERASED_NAME: &str = "Erased person";

fn at(seconds: i64) -> Result<OffsetDateTime, StoreError> {
    OffsetDateTime::from_unix_timestamp(seconds)
        .map_err(|e| StoreError::Corrupt(format!("a time: {e}")))
}

impl Store {
    /// Every reflection a person has made, in every cycle and framework version.
    pub async fn reflections_of_person(
        &self,
        person: PersonId,
    ) -> Result<Vec<PersonalReflection>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query(
                "select c.name as cycle, f.key, f.title, f.version, i.code, i.title as item_title,
                        r.judgement, r.note, r.updated_at
                 from reflection r
                 join cycle c on c.id = r.cycle_id
                 join framework_item i on i.id = r.item_id
                 join framework f on f.id = i.framework_id
                 where r.person_id = $1
                 order by c.starts_on, f.key, f.id, i.position",
            )
            .bind(person.0)
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|row| {
                    Ok(PersonalReflection {
                        cycle: row.try_get("cycle")?,
                        framework_key: row.try_get("key")?,
                        framework_title: row.try_get("title")?,
                        framework_version: row.try_get("version")?,
                        item: row.try_get("code")?,
                        item_title: row.try_get("item_title")?,
                        judgement: row.try_get("judgement")?,
                        note: row.try_get("note")?,
                        updated_at: at(row.try_get("updated_at")?)?,
                    })
                })
                .collect()
        })
    }

    /// Every sharing choice a person has made.
    pub async fn shares_of_person(
        &self,
        person: PersonId,
    ) -> Result<Vec<PersonalShare>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query(
                "select c.name as cycle, s.record, s.audience, p.full_name, s.shared, s.changed_at
                 from share s join cycle c on c.id = s.cycle_id
                 left join person p on p.id = s.audience_person_id
                 where s.owner_id = $1
                 order by c.starts_on, s.record, s.audience, s.audience_person_id",
            )
            .bind(person.0)
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|row| {
                    let audience: String = row.try_get("audience")?;
                    let name: Option<String> = row.try_get("full_name")?;
                    Ok(PersonalShare {
                        cycle: row.try_get("cycle")?,
                        record: row.try_get("record")?,
                        audience: if audience == "person" { name.unwrap_or_default() } else { audience },
                        shared: row.try_get::<i64, _>("shared")? == 1,
                        changed_at: at(row.try_get("changed_at")?)?,
                    })
                })
                .collect()
        })
    }

    /// Erases a person: their name, email, password, notes, sessions,
    /// relationships, sharing and the names in the audit log are gone, and they
    /// can never sign in again. Their judgements stay, attached to no one, so the
    /// numbers for their school and trust do not change. Their goals, evidence,
    /// coach's views and conversation notes are deleted. All or nothing.
    ///
    /// Returns the hashes of evidence files nothing refers to any more, for the
    /// caller to delete from the [`crate::files::FileStore`].
    pub async fn erase_person(
        &self,
        trust: TrustId,
        person: PersonId,
        now: OffsetDateTime,
    ) -> Result<Vec<String>, StoreError> {
        let orphans = on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let found = sqlx::query("select email from person where id = $1 and trust_id = $2")
                .bind(person.0)
                .bind(trust.0)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(found) = found else {
                return Err(StoreError::NotFound);
            };
            // Failed sign-ins are counted under the address typed.
            let email: String = found.try_get("email")?;
            sqlx::query("delete from failed_sign_in where key = $1")
                .bind(format!("email:{email}"))
                .execute(&mut *tx)
                .await?;
            let placeholder = format!("erased-{}@erased.invalid", person.0);
            sqlx::query(
                "update person set full_name = $1, email = $2, job_title = '', password_hash = null,
                        team_id = null, archived_at = coalesce(archived_at, $3), erased_at = $3
                 where id = $4",
            )
            .bind(ERASED_NAME)
            .bind(&placeholder)
            .bind(now.unix_timestamp())
            .bind(person.0)
            .execute(&mut *tx)
            .await?;
            let files: Vec<String> = sqlx::query(
                "select distinct file_sha256 from evidence where owner_id = $1 and file_sha256 is not null",
            )
            .bind(person.0)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(|row| row.try_get("file_sha256"))
            .collect::<Result<_, _>>()?;
            for statement in [
                "update reflection set note = '' where person_id = $1",
                "delete from evidence where owner_id = $1",
                "delete from goal where owner_id = $1",
                "delete from coach_view where person_id = $1",
                "delete from conversation_note where person_id = $1",
                "delete from cycle_sign_off where person_id = $1",
                "delete from calendar_feed where person_id = $1",
                "delete from reminder_setting where person_id = $1",
                "delete from reminder_sent where person_id = $1",
                "delete from session where person_id = $1",
                "delete from setup_token where person_id = $1",
                "delete from relationship where person_id = $1 or other_id = $1",
                "delete from share where owner_id = $1 or (audience = 'person' and audience_person_id = $1)",
                "delete from person_role where person_id = $1",
            ] {
                sqlx::query(statement).bind(person.0).execute(&mut *tx).await?;
            }
            sqlx::query("update audit_event set actor_name = $1 where actor_id = $2")
                .bind(ERASED_NAME)
                .bind(person.0)
                .execute(&mut *tx)
                .await?;
            sqlx::query("update audit_event set subject_name = $1 where subject_id = $2")
                .bind(ERASED_NAME)
                .bind(person.0)
                .execute(&mut *tx)
                .await?;
            sqlx::query("update conversation_note set author_name = $1 where author_id = $2")
                .bind(ERASED_NAME)
                .bind(person.0)
                .execute(&mut *tx)
                .await?;
            sqlx::query("update check_in set author_name = $1 where author_id = $2")
                .bind(ERASED_NAME)
                .bind(person.0)
                .execute(&mut *tx)
                .await?;
            let mut orphans = Vec::new();
            for sha256 in files {
                let others = sqlx::query("select count(*) as n from evidence where file_sha256 = $1")
                    .bind(&sha256)
                    .fetch_one(&mut *tx)
                    .await?;
                if others.try_get::<i64, _>("n")? == 0 {
                    orphans.push(sha256);
                }
            }
            tx.commit().await?;
            Ok::<Vec<String>, StoreError>(orphans)
        });
        let orphans = orphans?;
        self.changed(|cache| {
            cache.forget_sessions();
            cache.forget_all_reflections();
        });
        Ok(orphans)
    }
}

impl Store {
    /// How many days the trust keeps archived people (`None`: keep them).
    pub async fn archived_retention_days(&self, trust: TrustId) -> Result<Option<i64>, StoreError> {
        on_pool!(self, pool => {
            let row = sqlx::query("select archived_retention_days as d from trust where id = $1")
                .bind(trust.0)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)?;
            Ok(row.try_get("d")?)
        })
    }

    pub async fn set_archived_retention_days(
        &self,
        trust: TrustId,
        days: Option<i64>,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("update trust set archived_retention_days = $1 where id = $2")
                .bind(days)
                .bind(trust.0)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    /// Erases everyone archived longer ago than their trust keeps archived
    /// people (see [`Store::erase_person`]); returns (trust, person) for each.
    pub async fn erase_expired_archives(
        &self,
        files: &crate::files::FileStore,
        now: OffsetDateTime,
    ) -> Result<Vec<(TrustId, PersonId)>, StoreError> {
        let due: Vec<(TrustId, PersonId)> = on_pool!(self, pool => {
            sqlx::query(
                "select p.trust_id, p.id from person p join trust t on t.id = p.trust_id
                 where p.archived_at is not null and t.archived_retention_days is not null
                   and p.erased_at is null
                   and p.archived_at < $1 - t.archived_retention_days * 86400
                 order by p.id",
            )
            .bind(now.unix_timestamp())
            .fetch_all(pool)
            .await?
            .iter()
            .map(|row| Ok((TrustId(row.try_get("trust_id")?), PersonId(row.try_get("id")?))))
            .collect::<Result<_, StoreError>>()
        })?;
        for (trust, person) in &due {
            for orphan in self.erase_person(*trust, *person, now).await? {
                if let Err(error) = files.remove(&orphan).await {
                    tracing::warn!(%error, "could not delete an erased person's evidence file");
                }
            }
            self.audit_by_leadkit(
                *trust,
                crate::audit::AuditAction::Erased,
                &format!(
                    "erased person {} (archived longer than the trust keeps archived people)",
                    person.0
                ),
                now,
            )
            .await?;
        }
        Ok(due)
    }
}
