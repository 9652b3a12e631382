//! Coach and line-manager relationships, and each owner's sharing choices.

use crate::BeginWrite;
use leadkit_domain::access::{Audience, Relation, Sharing};
use leadkit_domain::cycle::CycleId;
use leadkit_domain::people::{PersonId, TrustId};
use time::OffsetDateTime;

use crate::{Store, StoreError, on_pool};

pub use leadkit_domain::access::{RecordKind, RelationshipKind};

/// Someone's coach or line manager, or someone they coach or manage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub kind: RelationshipKind,
    pub person: PersonId,
    pub name: String,
}

#[derive(sqlx::FromRow)]
struct RelatedRow {
    kind: String,
    id: i64,
    full_name: String,
}

impl RelatedRow {
    fn into_domain(self) -> Result<Related, StoreError> {
        Ok(Related {
            kind: relationship_kind(&self.kind)?,
            person: PersonId(self.id),
            name: self.full_name,
        })
    }
}

#[derive(sqlx::FromRow)]
struct ShareRow {
    audience: String,
    audience_person_id: i64,
    shared: i64,
}

fn audience_columns(audience: Audience) -> (&'static str, i64) {
    match audience {
        Audience::Coach => ("coach", 0),
        Audience::LineManager => ("line_manager", 0),
        Audience::Person(person) => ("person", person.0),
    }
}

fn parse_audience(kind: &str, person: i64) -> Result<Audience, StoreError> {
    match kind {
        "coach" => Ok(Audience::Coach),
        "line_manager" => Ok(Audience::LineManager),
        "person" => Ok(Audience::Person(PersonId(person))),
        other => Err(StoreError::Corrupt(format!("share audience {other:?}"))),
    }
}

/// Something a person is told in the app until they dismiss it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub id: i64,
    pub body: String,
    pub created_at: OffsetDateTime,
}

impl Store {
    /// Makes `other` the `kind` (coach or line manager) of `person`, replacing
    /// whoever held it; `None` removes it. Both must be in the same trust.
    ///
    /// When it replaces or removes someone, what `person` had shared with "my
    /// coach" (or "my line manager") is withdrawn, in every cycle: it was shared
    /// with the person who held the role, and passes to the new one only when
    /// `person` shares it again. Whenever it changes anything, `person` is told
    /// (a notice on their home page).
    pub async fn set_relationship(
        &self,
        person: PersonId,
        kind: RelationshipKind,
        other: Option<PersonId>,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        if other == Some(person) {
            return Err(StoreError::Conflict(format!(
                "a person cannot be their own {}",
                kind.label()
            )));
        }
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let mut new_name = None;
            if let Some(other) = other {
                new_name = sqlx::query_scalar::<_, String>(
                    "select b.full_name from person a join person b on a.trust_id = b.trust_id
                     where a.id = $1 and b.id = $2 and a.archived_at is null and b.archived_at is null",
                )
                .bind(person.0)
                .bind(other.0)
                .fetch_optional(&mut *tx)
                .await?;
                if new_name.is_none() {
                    return Err(StoreError::NotFound);
                }
            }
            let was = sqlx::query_scalar::<_, i64>(
                "select other_id from relationship where person_id = $1 and kind = $2",
            )
            .bind(person.0)
            .bind(kind.as_str())
            .fetch_optional(&mut *tx)
            .await?;
            if was == other.map(|o| o.0) {
                return Ok(());
            }
            sqlx::query("delete from relationship where person_id = $1 and kind = $2")
                .bind(person.0)
                .bind(kind.as_str())
                .execute(&mut *tx)
                .await?;
            if let Some(other) = other {
                sqlx::query("insert into relationship (person_id, kind, other_id) values ($1, $2, $3)")
                    .bind(person.0)
                    .bind(kind.as_str())
                    .bind(other.0)
                    .execute(&mut *tx)
                    .await?;
            }
            let mut withdrawn = false;
            if was.is_some() {
                let done = sqlx::query(
                    "update share set shared = 0, changed_at = $1
                     where owner_id = $2 and audience = $3 and shared = 1",
                )
                .bind(now.unix_timestamp())
                .bind(person.0)
                .bind(kind.as_str())
                .execute(&mut *tx)
                .await?;
                withdrawn = done.rows_affected() > 0;
            }
            let body = leadkit_domain::notice::relationship_changed(kind, new_name.as_deref(), withdrawn);
            sqlx::query("insert into notice (person_id, body, created_at) values ($1, $2, $3)")
                .bind(person.0)
                .bind(body)
                .bind(now.unix_timestamp())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// A person's notices not yet dismissed, newest first.
    pub async fn notices_for(&self, person: PersonId) -> Result<Vec<Notice>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query_as::<_, (i64, String, i64)>(
                "select id, body, created_at from notice
                 where person_id = $1 and dismissed_at is null order by created_at desc, id desc",
            )
            .bind(person.0)
            .fetch_all(pool)
            .await?;
            rows.into_iter()
                .map(|(id, body, created_at)| {
                    Ok(Notice { id, body, created_at: crate::timestamp(created_at)? })
                })
                .collect()
        })
    }

    /// Every notice a person has had, dismissed or not, oldest first (for their
    /// download of their data): (notice, dismissed at).
    pub async fn all_notices_of(
        &self,
        person: PersonId,
    ) -> Result<Vec<(Notice, Option<OffsetDateTime>)>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query_as::<_, (i64, String, i64, Option<i64>)>(
                "select id, body, created_at, dismissed_at from notice
                 where person_id = $1 order by created_at, id",
            )
            .bind(person.0)
            .fetch_all(pool)
            .await?;
            rows.into_iter()
                .map(|(id, body, created_at, dismissed_at)| {
                    Ok((
                        Notice { id, body, created_at: crate::timestamp(created_at)? },
                        dismissed_at.map(crate::timestamp).transpose()?,
                    ))
                })
                .collect()
        })
    }

    /// Dismisses one of the person's own notices; `NotFound` for anyone else's.
    pub async fn dismiss_notice(
        &self,
        person: PersonId,
        notice: i64,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let done = sqlx::query(
                "update notice set dismissed_at = coalesce(dismissed_at, $1) where id = $2 and person_id = $3",
            )
            .bind(now.unix_timestamp())
            .bind(notice)
            .bind(person.0)
            .execute(pool)
            .await?;
            if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
        })
    }

    /// A person's coach and line manager, as recorded.
    pub async fn relationships_of(&self, person: PersonId) -> Result<Vec<Related>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query_as::<_, RelatedRow>(
                "select r.kind, p.id, p.full_name from relationship r join person p on p.id = r.other_id
                 where r.person_id = $1 and p.archived_at is null order by r.kind",
            )
            .bind(person.0)
            .fetch_all(pool)
            .await?;
            rows.into_iter().map(RelatedRow::into_domain).collect()
        })
    }

    /// The people `person` coaches or line-manages, by name.
    pub async fn people_supported_by(&self, person: PersonId) -> Result<Vec<Related>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query_as::<_, RelatedRow>(
                "select r.kind, p.id, p.full_name from relationship r join person p on p.id = r.person_id
                 where r.other_id = $1 and p.archived_at is null order by p.full_name, r.kind",
            )
            .bind(person.0)
            .fetch_all(pool)
            .await?;
            rows.into_iter().map(RelatedRow::into_domain).collect()
        })
    }

    /// How `actor` stands to `owner` now.
    pub async fn relation(&self, actor: PersonId, owner: PersonId) -> Result<Relation, StoreError> {
        on_pool!(self, pool => {
            let kinds = sqlx::query_scalar::<_, String>("select kind from relationship where person_id = $1 and other_id = $2")
                .bind(owner.0)
                .bind(actor.0)
                .fetch_all(pool)
                .await?;
            let mut relation = Relation::default();
            for kind in &kinds {
                match relationship_kind(kind)? {
                    RelationshipKind::Coach => relation.coach = true,
                    RelationshipKind::LineManager => relation.line_manager = true,
                }
            }
            Ok(relation)
        })
    }

    /// What `owner` has shared of `record` in `cycle`, and whether the cycle
    /// began with sharing with the coach on.
    pub async fn sharing(
        &self,
        owner: PersonId,
        cycle: CycleId,
        record: RecordKind,
    ) -> Result<Sharing, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query_as::<_, ShareRow>(
                "select audience, audience_person_id, shared from share
                 where owner_id = $1 and cycle_id = $2 and record = $3
                 order by audience, audience_person_id",
            )
            .bind(owner.0)
            .bind(cycle.0)
            .bind(record.as_str())
            .fetch_all(pool)
            .await?;
            let mut choices = Vec::with_capacity(rows.len());
            for row in &rows {
                let audience = parse_audience(&row.audience, row.audience_person_id)?;
                choices.push((audience, row.shared == 1));
            }
            let coach_by_default = sqlx::query_scalar::<_, i64>("select share_with_coach_by_default as d from cycle where id = $1")
                .bind(cycle.0)
                .fetch_optional(pool)
                .await?
                == Some(1);
            Ok(Sharing { choices, coach_by_default })
        })
    }

    /// Records the owner's choice to share `record` in `cycle` with `audience`
    /// (or to stop). A named colleague must be someone else in the same trust.
    pub async fn set_share(
        &self,
        owner: PersonId,
        cycle: CycleId,
        record: RecordKind,
        audience: Audience,
        shared: bool,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        if let Audience::Person(colleague) = audience {
            if colleague == owner {
                return Err(StoreError::Conflict(
                    "you already see your own records".into(),
                ));
            }
            let owner_trust = self.trust_of(owner).await?;
            if self.trust_of(colleague).await? != owner_trust {
                return Err(StoreError::NotFound);
            }
        }
        let (kind, person) = audience_columns(audience);
        on_pool!(self, pool => {
            sqlx::query(
                "insert into share (owner_id, cycle_id, record, audience, audience_person_id, shared, changed_at)
                 values ($1, $2, $3, $4, $5, $6, $7)
                 on conflict (owner_id, cycle_id, record, audience, audience_person_id)
                 do update set shared = excluded.shared, changed_at = excluded.changed_at",
            )
            .bind(owner.0)
            .bind(cycle.0)
            .bind(record.as_str())
            .bind(kind)
            .bind(person)
            .bind(i64::from(shared))
            .bind(now.unix_timestamp())
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    /// The trust a person (not archived) belongs to.
    pub async fn trust_of(&self, person: PersonId) -> Result<TrustId, StoreError> {
        on_pool!(self, pool => {
            let trust = sqlx::query_scalar::<_, i64>("select trust_id from person where id = $1 and archived_at is null")
                .bind(person.0)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)?;
            Ok(TrustId(trust))
        })
    }

    /// Whether new cycles in the trust start shared with each person's coach.
    pub async fn set_share_with_coach_by_default(
        &self,
        trust: TrustId,
        on: bool,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("update trust set share_with_coach_by_default = $1 where id = $2")
                .bind(i64::from(on))
                .bind(trust.0)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    pub async fn share_with_coach_by_default(&self, trust: TrustId) -> Result<bool, StoreError> {
        on_pool!(self, pool => {
            let on = sqlx::query_scalar::<_, i64>("select share_with_coach_by_default as d from trust where id = $1")
                .bind(trust.0)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)?;
            Ok(on == 1)
        })
    }
}

fn relationship_kind(raw: &str) -> Result<RelationshipKind, StoreError> {
    RelationshipKind::parse(raw)
        .ok_or_else(|| StoreError::Corrupt(format!("relationship kind {raw:?}")))
}
