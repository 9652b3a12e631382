//! A person's own data, for them to download, and erasure by an administrator.

use crate::BeginWrite;
use leadkit_domain::people::{PersonId, TrustId};
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

#[derive(sqlx::FromRow)]
struct PersonalReflectionRow {
    cycle: String,
    key: String,
    title: String,
    version: String,
    code: String,
    item_title: String,
    judgement: Option<String>,
    note: String,
    updated_at: i64,
}

#[derive(sqlx::FromRow)]
struct PersonalShareRow {
    cycle: String,
    record: String,
    audience: String,
    full_name: Option<String>,
    shared: i64,
    changed_at: i64,
}

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
            let rows = sqlx::query_as::<_, PersonalReflectionRow>(
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
            rows.into_iter()
                .map(|row| {
                    Ok(PersonalReflection {
                        cycle: row.cycle,
                        framework_key: row.key,
                        framework_title: row.title,
                        framework_version: row.version,
                        item: row.code,
                        item_title: row.item_title,
                        judgement: row.judgement,
                        note: row.note,
                        updated_at: at(row.updated_at)?,
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
            let rows = sqlx::query_as::<_, PersonalShareRow>(
                "select c.name as cycle, s.record, s.audience, p.full_name, s.shared, s.changed_at
                 from share s join cycle c on c.id = s.cycle_id
                 left join person p on p.id = s.audience_person_id
                 where s.owner_id = $1
                 order by c.starts_on, s.record, s.audience, s.audience_person_id",
            )
            .bind(person.0)
            .fetch_all(pool)
            .await?;
            rows.into_iter()
                .map(|row| {
                    Ok(PersonalShare {
                        cycle: row.cycle,
                        record: row.record,
                        audience: if row.audience == "person" {
                            row.full_name.unwrap_or_default()
                        } else {
                            row.audience
                        },
                        shared: row.shared == 1,
                        changed_at: at(row.changed_at)?,
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
            let found = sqlx::query_scalar::<_, String>("select email from person where id = $1 and trust_id = $2")
                .bind(person.0)
                .bind(trust.0)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(email) = found else {
                return Err(StoreError::NotFound);
            };
            let administrators = crate::staff::administrators_on(&mut tx, trust.0).await?;
            // Failed sign-ins are counted under the address typed.
            // (and under the address typed with each client address).
            let pair_prefix = format!("pair:{email}|");
            sqlx::query("delete from failed_sign_in where key = $1 or substr(key, 1, $2) = $3")
                .bind(format!("email:{email}"))
                .bind(i32::try_from(pair_prefix.chars().count()).unwrap_or(i32::MAX))
                .bind(&pair_prefix)
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
            let files = sqlx::query_scalar::<_, String>(
                "select distinct file_sha256 from evidence where owner_id = $1 and file_sha256 is not null",
            )
            .bind(person.0)
            .fetch_all(&mut *tx)
            .await?;
            crate::staff::people_lose_their_supporter(&mut tx, person.0, now).await?;
            for statement in [
                "update reflection set note = '' where person_id = $1",
                "delete from evidence where owner_id = $1",
                "delete from goal where owner_id = $1",
                "delete from coach_view where person_id = $1",
                "delete from conversation_note where person_id = $1",
                "delete from cycle_sign_off where person_id = $1",
                "delete from checkpoint_confirmation where person_id = $1",
                "delete from record_summary where person_id = $1",
                "delete from calendar_feed where person_id = $1",
                "delete from reminder_setting where person_id = $1",
                "delete from reminder_sent where person_id = $1",
                "delete from notice where person_id = $1",
                "delete from kept_form where person_id = $1",
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
            sqlx::query("update record_summary set coach_name = $1 where coach_id = $2")
                .bind(ERASED_NAME)
                .bind(person.0)
                .execute(&mut *tx)
                .await?;
            sqlx::query("update checkpoint_confirmation set confirmed_by_name = $1 where confirmed_by = $2")
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
                let others = sqlx::query_scalar::<_, i64>("select count(*) as n from evidence where file_sha256 = $1")
                    .bind(&sha256)
                    .fetch_one(&mut *tx)
                    .await?;
                if others == 0 {
                    orphans.push(sha256);
                }
            }
            crate::staff::keep_an_administrator(&mut tx, trust.0, administrators).await?;
            tx.commit().await?;
            Ok::<Vec<String>, StoreError>(orphans)
        });
        let orphans = orphans?;
        self.changed(|cache| {
            cache.forget_sessions();
            cache.forget_all_reflections();
        })
        .await?;
        Ok(orphans)
    }
}

impl Store {
    /// How many days the trust keeps archived people (`None`: keep them).
    pub async fn archived_retention_days(&self, trust: TrustId) -> Result<Option<i64>, StoreError> {
        on_pool!(self, pool => {
            sqlx::query_scalar::<_, Option<i64>>("select archived_retention_days as d from trust where id = $1")
                .bind(trust.0)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
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
            Ok::<_, StoreError>(sqlx::query_as::<_, (i64, i64)>(
                "select p.trust_id, p.id from person p join trust t on t.id = p.trust_id
                 where p.archived_at is not null and t.archived_retention_days is not null
                   and p.erased_at is null
                   and p.archived_at < $1 - t.archived_retention_days * 86400
                 order by p.id",
            )
            .bind(now.unix_timestamp())
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|(trust, person)| (TrustId(trust), PersonId(person)))
            .collect())
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
