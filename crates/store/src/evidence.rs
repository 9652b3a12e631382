//! The evidence portfolio's rows (the files themselves are in [`crate::files`]).

use crate::BeginWrite;
use leadkit_domain::cycle::CycleId;
use leadkit_domain::evidence::{Evidence, EvidenceId, Link, StoredFile};
use leadkit_domain::goal::{GoalId, GoalItem, Line};
use leadkit_domain::people::PersonId;
use leadkit_domain::reflection::Note;
use time::{Date, OffsetDateTime};

use crate::cycles::parse_date;
use crate::goals::{GoalItemRow, ItemRef, item_ids};
use crate::{Store, StoreError, on_pool, stored};

/// A new piece of evidence, validated.
#[derive(Debug, Clone)]
pub struct NewEvidence {
    pub title: Line,
    pub on: Date,
    pub note: Note,
    pub link: Option<Link>,
    pub file: Option<StoredFile>,
}

/// A piece of evidence's own columns.
#[derive(sqlx::FromRow)]
struct EvidenceRow {
    id: i64,
    owner_id: i64,
    cycle_id: i64,
    title: String,
    on_date: String,
    note: String,
    link: Option<String>,
    file_sha256: Option<String>,
    file_name: Option<String>,
    file_size: Option<i64>,
    file_type: Option<String>,
}

impl EvidenceRow {
    fn into_domain(self, items: Vec<GoalItem>, goals: Vec<GoalId>) -> Result<Evidence, StoreError> {
        let file = self.file_sha256.map(|sha256| StoredFile {
            name: self.file_name.unwrap_or_default(),
            sha256,
            size: self.file_size.unwrap_or_default().max(0) as u64,
            media_type: self.file_type.unwrap_or_default(),
        });
        Ok(Evidence {
            id: EvidenceId(self.id),
            owner: PersonId(self.owner_id),
            cycle: CycleId(self.cycle_id),
            title: stored(Line::parse_field("title", &self.title), "evidence title")?,
            on: parse_date(&self.on_date)?,
            note: stored(Note::parse(&self.note), "evidence note")?,
            link: self
                .link
                .map(|link| stored(Link::parse(&link), "evidence link"))
                .transpose()?,
            file,
            items,
            goals,
        })
    }
}

impl Store {
    /// Adds evidence tagged to `items` and to `goals` (which must be the owner's:
    /// a goal that is not is `NotFound` and nothing is written).
    pub async fn add_evidence(
        &self,
        owner: PersonId,
        cycle: CycleId,
        evidence: &NewEvidence,
        items: &[ItemRef],
        goals: &[GoalId],
        now: OffsetDateTime,
    ) -> Result<EvidenceId, StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let ids = item_ids(&mut tx, items).await?;
            let file = evidence.file.as_ref();
            let id = sqlx::query_scalar::<_, i64>(
                "insert into evidence (owner_id, cycle_id, title, on_date, note, link, file_sha256,
                     file_name, file_size, file_type, created_at)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id",
            )
            .bind(owner.0)
            .bind(cycle.0)
            .bind(evidence.title.as_str())
            .bind(evidence.on.to_string())
            .bind(evidence.note.as_str())
            .bind(evidence.link.as_ref().map(Link::as_str))
            .bind(file.map(|f| f.sha256.as_str()))
            .bind(file.map(|f| f.name.as_str()))
            .bind(file.map(|f| f.size as i64))
            .bind(file.map(|f| f.media_type.as_str()))
            .bind(now.unix_timestamp())
            .fetch_one(&mut *tx)
            .await?;
            for item in ids {
                sqlx::query("insert into evidence_item (evidence_id, item_id) values ($1, $2)")
                    .bind(id)
                    .bind(item)
                    .execute(&mut *tx)
                    .await?;
            }
            for goal in goals {
                let done = sqlx::query(
                    "insert into evidence_goal (evidence_id, goal_id)
                     select $1, id from goal where id = $2 and owner_id = $3
                     on conflict do nothing",
                )
                .bind(id)
                .bind(goal.0)
                .bind(owner.0)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    let mine = sqlx::query("select 1 as one from goal where id = $1 and owner_id = $2")
                        .bind(goal.0)
                        .bind(owner.0)
                        .fetch_optional(&mut *tx)
                        .await?;
                    if mine.is_none() {
                        return Err(StoreError::NotFound);
                    }
                }
            }
            tx.commit().await?;
            Ok(EvidenceId(id))
        })
    }

    /// One piece of evidence.
    pub async fn evidence(&self, id: EvidenceId) -> Result<Evidence, StoreError> {
        self.load_evidence("e.id = $1", id.0)
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    /// A person's evidence in a cycle, newest first.
    pub async fn evidence_of(
        &self,
        owner: PersonId,
        cycle: CycleId,
    ) -> Result<Vec<Evidence>, StoreError> {
        let all = self.load_evidence("e.owner_id = $1", owner.0).await?;
        Ok(all.into_iter().filter(|e| e.cycle == cycle).collect())
    }

    /// Every piece of a person's evidence, in every cycle.
    pub async fn all_evidence_of(&self, owner: PersonId) -> Result<Vec<Evidence>, StoreError> {
        self.load_evidence("e.owner_id = $1", owner.0).await
    }

    async fn load_evidence(&self, filter: &str, value: i64) -> Result<Vec<Evidence>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query_as::<_, EvidenceRow>(&format!(
                "select e.id, e.owner_id, e.cycle_id, e.title, e.on_date, e.note, e.link,
                        e.file_sha256, e.file_name, e.file_size, e.file_type
                 from evidence e where {filter} order by e.on_date desc, e.id desc"
            ))
            .bind(value)
            .fetch_all(pool)
            .await?;
            let mut found = Vec::with_capacity(rows.len());
            for row in rows {
                let id = row.id;
                let items = sqlx::query_as::<_, GoalItemRow>(
                    "select f.key, f.version, i.code, i.title from evidence_item ei
                     join framework_item i on i.id = ei.item_id
                     join framework f on f.id = i.framework_id
                     where ei.evidence_id = $1 order by f.key, i.position",
                )
                .bind(id)
                .fetch_all(pool)
                .await?
                .into_iter()
                .map(GoalItemRow::into_domain)
                .collect::<Result<Vec<_>, StoreError>>()?;
                let goals = sqlx::query_scalar::<_, i64>(
                    "select goal_id from evidence_goal where evidence_id = $1 order by goal_id",
                )
                .bind(id)
                .fetch_all(pool)
                .await?
                .into_iter()
                .map(GoalId)
                .collect();
                found.push(row.into_domain(items, goals)?);
            }
            Ok(found)
        })
    }

    /// Deletes a piece of evidence. Returns its file's hash when no other evidence
    /// names the same file, so the caller can delete the file.
    pub async fn delete_evidence(&self, id: EvidenceId) -> Result<Option<String>, StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let sha256 = sqlx::query_scalar::<_, Option<String>>("select file_sha256 from evidence where id = $1")
                .bind(id.0)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            sqlx::query("delete from evidence where id = $1")
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
            let orphan = match sha256 {
                None => None,
                Some(sha256) => {
                    let others = sqlx::query_scalar::<_, i64>("select count(*) as n from evidence where file_sha256 = $1")
                        .bind(&sha256)
                        .fetch_one(&mut *tx)
                        .await?;
                    (others == 0).then_some(sha256)
                }
            };
            tx.commit().await?;
            Ok(orphan)
        })
    }

    /// Whether any evidence names the file.
    pub async fn file_referenced(&self, sha256: &str) -> Result<bool, StoreError> {
        on_pool!(self, pool => {
            let n = sqlx::query_scalar::<_, i64>("select count(*) as n from evidence where file_sha256 = $1")
                .bind(sha256)
                .fetch_one(pool)
                .await?;
            Ok(n > 0)
        })
    }

    /// The hash of every file some evidence names.
    pub async fn referenced_files(&self) -> Result<Vec<String>, StoreError> {
        on_pool!(self, pool => {
            Ok(sqlx::query_scalar::<_, String>(
                "select distinct file_sha256 from evidence where file_sha256 is not null order by file_sha256",
            )
            .fetch_all(pool)
            .await?)
        })
    }
}
