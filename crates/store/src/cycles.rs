//! Cycles: the periods in which people reflect.

use crate::BeginWrite;
use leadkit_domain::cycle::{Cycle, CycleId};
use leadkit_domain::people::{SchoolId, TrustId};
use time::Date;

use crate::{Store, StoreError, on_pool, stored};

const ISO_DATE: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

pub(crate) fn parse_date(raw: &str) -> Result<Date, StoreError> {
    stored(Date::parse(raw, ISO_DATE), "cycle date")
}

/// A cycle to open: for a school or (`school: None`) the whole trust, starting
/// from the levels of `carry_from` when given.
#[derive(Debug, Clone, Copy)]
pub struct NewCycle<'a> {
    pub school: Option<SchoolId>,
    pub name: &'a str,
    pub starts_on: Date,
    pub ends_on: Date,
    pub carry_from: Option<CycleId>,
}

/// A cycle as stored (columns id, name, starts_on, ends_on, closed_at, school_id).
#[derive(sqlx::FromRow)]
struct CycleRow {
    id: i64,
    name: String,
    starts_on: String,
    ends_on: String,
    closed_at: Option<i64>,
    school_id: Option<i64>,
}

impl CycleRow {
    fn into_domain(self) -> Result<Cycle, StoreError> {
        Ok(Cycle {
            id: CycleId(self.id),
            name: self.name,
            starts_on: parse_date(&self.starts_on)?,
            ends_on: parse_date(&self.ends_on)?,
            open: self.closed_at.is_none(),
            school: self.school_id.map(SchoolId),
        })
    }
}

impl Store {
    /// Creates a cycle, or returns the existing one with the same name in the trust.
    pub async fn ensure_cycle(
        &self,
        trust: TrustId,
        name: &str,
        starts_on: Date,
        ends_on: Date,
    ) -> Result<CycleId, StoreError> {
        let done = on_pool!(self, pool => {
            sqlx::query(
                // A new cycle begins with the trust's sharing default of the day.
                "insert into cycle (trust_id, name, starts_on, ends_on, share_with_coach_by_default)
                 select $1, $2, $3, $4, share_with_coach_by_default from trust where id = $1
                 on conflict (trust_id, name) do nothing",
            )
            .bind(trust.0)
            .bind(name)
            .bind(starts_on.to_string())
            .bind(ends_on.to_string())
            .execute(pool)
            .await?;
            let id = sqlx::query_scalar::<_, i64>("select id from cycle where trust_id = $1 and name = $2")
                .bind(trust.0)
                .bind(name)
                .fetch_one(pool)
                .await?;
            Ok::<_, StoreError>(CycleId(id))
        })?;
        self.changed(|cache| cache.forget_cycles()).await?;
        Ok(done)
    }

    /// The current cycle for people of `school` (or of no school) in the trust:
    /// among the open cycles that are the school's own or the whole trust's, the
    /// one whose dates contain `today` (the school's own first), else the most
    /// recently started.
    pub async fn current_cycle(
        &self,
        trust: TrustId,
        school: Option<SchoolId>,
        today: Date,
    ) -> Result<Option<Cycle>, StoreError> {
        let school_key = school.map_or(0, |s| s.0);
        let seen = match self
            .cache
            .as_ref()
            .map(|cache| cache.cycle(trust.0, school_key, today))
        {
            Some(crate::cache::Lookup::Hit(hit)) => return Ok(hit),
            Some(crate::cache::Lookup::Miss(seen)) => Some(seen),
            None => None,
        };
        let found = self.load_current_cycle(trust, school, today).await?;
        if let (Some(cache), Some(seen)) = (&self.cache, seen) {
            cache.put_cycle(seen, trust.0, school_key, today, found.clone());
        }
        Ok(found)
    }

    async fn load_current_cycle(
        &self,
        trust: TrustId,
        school: Option<SchoolId>,
        today: Date,
    ) -> Result<Option<Cycle>, StoreError> {
        on_pool!(self, pool => {
            let row = sqlx::query_as::<_, CycleRow>(
                "select id, name, starts_on, ends_on, closed_at, school_id from cycle
                 where trust_id = $1 and closed_at is null and (school_id is null or school_id = $3)
                 order by case when starts_on <= $2 and ends_on >= $2 then 0 else 1 end,
                          case when school_id is null then 1 else 0 end,
                          starts_on desc
                 limit 1",
            )
            .bind(trust.0)
            .bind(today.to_string())
            .bind(school.map_or(0, |s| s.0))
            .fetch_optional(pool)
            .await?;
            row.map(CycleRow::into_domain).transpose()
        })
    }

    /// One cycle of a trust; `NotFound` if it is another trust's.
    pub async fn cycle(&self, trust: TrustId, id: CycleId) -> Result<Cycle, StoreError> {
        self.cycles(trust)
            .await?
            .into_iter()
            .find(|cycle| cycle.id == id)
            .ok_or(StoreError::NotFound)
    }

    /// Every cycle of a trust, newest first.
    pub async fn cycles(&self, trust: TrustId) -> Result<Vec<Cycle>, StoreError> {
        on_pool!(self, pool => {
            sqlx::query_as::<_, CycleRow>(
                "select id, name, starts_on, ends_on, closed_at, school_id from cycle
                 where trust_id = $1 order by starts_on desc, id desc",
            )
            .bind(trust.0)
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(CycleRow::into_domain)
            .collect()
        })
    }

    /// Opens a new cycle. With `carry_from`, every person's reflections in that
    /// cycle are copied in, so people review last cycle's levels rather than
    /// start again (the earlier cycle keeps its own). A name already used in the
    /// trust is a conflict and nothing changes.
    pub async fn open_cycle(
        &self,
        trust: TrustId,
        new: &NewCycle<'_>,
        now: time::OffsetDateTime,
    ) -> Result<CycleId, StoreError> {
        let NewCycle {
            school,
            name,
            starts_on,
            ends_on,
            carry_from,
        } = *new;
        let id = on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            if let Some(school) = school {
                let ours = sqlx::query("select 1 as one from school where id = $1 and trust_id = $2")
                    .bind(school.0)
                    .bind(trust.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                if ours.is_none() {
                    return Err(StoreError::NotFound);
                }
            }
            let id = sqlx::query_scalar::<_, i64>(
                "insert into cycle (trust_id, name, starts_on, ends_on, share_with_coach_by_default, school_id)
                 select $1, $2, $3, $4, share_with_coach_by_default, $5 from trust where id = $1
                 returning id",
            )
            .bind(trust.0)
            .bind(name)
            .bind(starts_on.to_string())
            .bind(ends_on.to_string())
            .bind(school.map(|s| s.0))
            .fetch_optional(&mut *tx)
            .await
            .map_err(|error| StoreError::from_write(error, "a cycle with that name already exists"))?
            .ok_or(StoreError::NotFound)?;
            if let Some(from) = carry_from {
                let belongs = sqlx::query("select 1 as one from cycle where id = $1 and trust_id = $2")
                    .bind(from.0)
                    .bind(trust.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                if belongs.is_none() {
                    return Err(StoreError::NotFound);
                }
                // A school's cycle starts from the levels of that school's people only.
                sqlx::query(
                    "insert into reflection (person_id, cycle_id, item_id, judgement, note, updated_at)
                     select r.person_id, $1, r.item_id, r.judgement, r.note, $2 from reflection r
                     join person p on p.id = r.person_id
                     where r.cycle_id = $3 and ($4 = 0 or p.school_id = $4)",
                )
                .bind(id)
                .bind(now.unix_timestamp())
                .bind(from.0)
                .bind(school.map_or(0, |s| s.0))
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok::<i64, StoreError>(id)
        })?;
        self.changed(|cache| {
            cache.forget_cycles();
            cache.forget_all_reflections();
        })
        .await?;
        Ok(CycleId(id))
    }

    /// Closes a cycle: nobody changes its reflections, goals or evidence any more.
    pub async fn close_cycle(
        &self,
        trust: TrustId,
        id: CycleId,
        now: time::OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let done = sqlx::query(
                "update cycle set closed_at = coalesce(closed_at, $1) where id = $2 and trust_id = $3",
            )
            .bind(now.unix_timestamp())
            .bind(id.0)
            .bind(trust.0)
            .execute(pool)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            Ok::<(), StoreError>(())
        })?;
        self.changed(|cache| cache.forget_cycles()).await?;
        Ok(())
    }

    /// Opens a closed cycle again (the undo of [`Store::close_cycle`]).
    pub async fn reopen_cycle(&self, trust: TrustId, id: CycleId) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let done = sqlx::query("update cycle set closed_at = null where id = $1 and trust_id = $2")
                .bind(id.0)
                .bind(trust.0)
                .execute(pool)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            Ok::<(), StoreError>(())
        })?;
        self.changed(|cache| cache.forget_cycles()).await
    }

    /// The cycle before `cycle` (by start date) for people of `school`: the
    /// school's own or the whole trust's, if any.
    pub async fn previous_cycle(
        &self,
        trust: TrustId,
        school: Option<SchoolId>,
        cycle: &Cycle,
    ) -> Result<Option<Cycle>, StoreError> {
        Ok(self.cycles(trust).await?.into_iter().find(|other| {
            other.starts_on < cycle.starts_on
                && other.id != cycle.id
                && (other.school.is_none() || other.school == school)
        }))
    }
}
