//! Cycles: the periods in which people reflect.

use leadkit_domain::cycle::{Cycle, CycleId};
use leadkit_domain::people::TrustId;
use sqlx::Row;
use time::Date;

use crate::{Store, StoreError, on_pool, stored};

const ISO_DATE: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

fn parse_date(raw: &str) -> Result<Date, StoreError> {
    stored(Date::parse(raw, ISO_DATE), "cycle date")
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
        self.changed(|cache| cache.forget_cycles());
        on_pool!(self, pool => {
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
            let row = sqlx::query("select id from cycle where trust_id = $1 and name = $2")
                .bind(trust.0)
                .bind(name)
                .fetch_one(pool)
                .await?;
            Ok(CycleId(row.try_get("id")?))
        })
    }

    /// The trust's current cycle: the open cycle whose dates contain `today`, else the
    /// most recently started open one.
    pub async fn current_cycle(
        &self,
        trust: TrustId,
        today: Date,
    ) -> Result<Option<Cycle>, StoreError> {
        let seen = match self.cache.as_ref().map(|cache| cache.cycle(trust.0, today)) {
            Some(crate::cache::Lookup::Hit(hit)) => return Ok(hit),
            Some(crate::cache::Lookup::Miss(seen)) => Some(seen),
            None => None,
        };
        let found = self.load_current_cycle(trust, today).await?;
        if let (Some(cache), Some(seen)) = (&self.cache, seen) {
            cache.put_cycle(seen, trust.0, today, found.clone());
        }
        Ok(found)
    }

    async fn load_current_cycle(
        &self,
        trust: TrustId,
        today: Date,
    ) -> Result<Option<Cycle>, StoreError> {
        on_pool!(self, pool => {
            let row = sqlx::query(
                "select id, name, starts_on, ends_on, closed_at from cycle
                 where trust_id = $1 and closed_at is null
                 order by case when starts_on <= $2 and ends_on >= $2 then 0 else 1 end, starts_on desc
                 limit 1",
            )
            .bind(trust.0)
            .bind(today.to_string())
            .fetch_optional(pool)
            .await?;
            row.map(|row| {
                let starts_on: String = row.try_get("starts_on")?;
                let ends_on: String = row.try_get("ends_on")?;
                Ok(Cycle {
                    id: CycleId(row.try_get("id")?),
                    name: row.try_get("name")?,
                    starts_on: parse_date(&starts_on)?,
                    ends_on: parse_date(&ends_on)?,
                    open: row.try_get::<Option<i64>, _>("closed_at")?.is_none(),
                })
            })
            .transpose()
        })
    }
}
