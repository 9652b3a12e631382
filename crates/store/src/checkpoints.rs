//! A cycle's checkpoints, and each leader's and coach's record that they met
//! and agreed at one.

use leadkit_domain::checkpoint::{Checkpoint, CheckpointId, Confirmation, Side};
use leadkit_domain::cycle::CycleId;
use leadkit_domain::people::{PersonId, TrustId};
use time::{Date, OffsetDateTime};

use crate::{Store, StoreError, on_pool, stored, timestamp};

fn date(raw: &str) -> Result<Date, StoreError> {
    stored(
        Date::parse(
            raw,
            &time::macros::format_description!("[year]-[month]-[day]"),
        ),
        "checkpoint date",
    )
}

impl Store {
    /// A cycle's checkpoints, by date. A cycle of another trust has none.
    pub async fn checkpoints(
        &self,
        trust: TrustId,
        cycle: CycleId,
    ) -> Result<Vec<Checkpoint>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query_as::<_, (i64, String, String)>(
                "select k.id, k.name, k.due_on from cycle_checkpoint k join cycle c on c.id = k.cycle_id
                 where k.cycle_id = $1 and c.trust_id = $2 order by k.due_on, k.id",
            )
            .bind(cycle.0)
            .bind(trust.0)
            .fetch_all(pool)
            .await?;
            rows.into_iter()
                .map(|(id, name, due_on)| Ok(Checkpoint { id: CheckpointId(id), name, due_on: date(&due_on)? }))
                .collect()
        })
    }

    /// Adds a checkpoint to a cycle of the trust. A name the cycle already has
    /// is a [`StoreError::Conflict`].
    pub async fn add_checkpoint(
        &self,
        trust: TrustId,
        cycle: CycleId,
        name: &str,
        due_on: Date,
    ) -> Result<CheckpointId, StoreError> {
        on_pool!(self, pool => {
            let id = sqlx::query_scalar::<_, i64>(
                "insert into cycle_checkpoint (cycle_id, name, due_on)
                 select id, $3, $4 from cycle where id = $1 and trust_id = $2 returning id",
            )
            .bind(cycle.0)
            .bind(trust.0)
            .bind(name)
            .bind(due_on.to_string())
            .fetch_optional(pool)
            .await
            .map_err(|error| StoreError::from_write(error, "the cycle already has a checkpoint with that name"))?;
            id.map(CheckpointId).ok_or(StoreError::NotFound)
        })
    }

    /// Removes a checkpoint nobody has confirmed yet (one that has a record
    /// is a [`StoreError::Conflict`]: the records are kept).
    pub async fn remove_checkpoint(
        &self,
        trust: TrustId,
        checkpoint: CheckpointId,
    ) -> Result<Checkpoint, StoreError> {
        on_pool!(self, pool => {
            let found = sqlx::query_as::<_, (String, String, i64)>(
                "select k.name, k.due_on,
                        (select count(*) from checkpoint_confirmation f where f.checkpoint_id = k.id) as records
                 from cycle_checkpoint k join cycle c on c.id = k.cycle_id where k.id = $1 and c.trust_id = $2",
            )
            .bind(checkpoint.0)
            .bind(trust.0)
            .fetch_optional(pool)
            .await?
            .ok_or(StoreError::NotFound)?;
            if found.2 > 0 {
                return Err(StoreError::Conflict(format!(
                    "“{}” has been confirmed by {} people and cannot be removed; its records are kept",
                    found.0, found.2
                )));
            }
            sqlx::query("delete from cycle_checkpoint where id = $1")
                .bind(checkpoint.0)
                .execute(pool)
                .await?;
            Ok(Checkpoint { id: checkpoint, name: found.0, due_on: date(&found.1)? })
        })
    }

    /// What `person`'s leader and coach have recorded at the cycle's checkpoints.
    pub async fn confirmations(
        &self,
        person: PersonId,
        cycle: CycleId,
    ) -> Result<Vec<Confirmation>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query_as::<_, (i64, String, String, i64)>(
                "select f.checkpoint_id, f.side, f.confirmed_by_name, f.confirmed_at
                 from checkpoint_confirmation f join cycle_checkpoint k on k.id = f.checkpoint_id
                 where f.person_id = $1 and k.cycle_id = $2",
            )
            .bind(person.0)
            .bind(cycle.0)
            .fetch_all(pool)
            .await?;
            rows.into_iter()
                .map(|(checkpoint, side, by_name, at)| {
                    Ok(Confirmation {
                        checkpoint: CheckpointId(checkpoint),
                        side: stored(Side::parse(&side).ok_or("unknown side"), "checkpoint side")?,
                        by_name,
                        on: timestamp(at)?.date(),
                    })
                })
                .collect()
        })
    }

    /// Records that `by` (the leader, or their coach) met and agreed at a
    /// checkpoint of `person`'s. Recording twice keeps the first record.
    #[allow(clippy::too_many_arguments)]
    pub async fn confirm_checkpoint(
        &self,
        checkpoint: CheckpointId,
        person: PersonId,
        side: Side,
        by: PersonId,
        by_name: &str,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query(
                "insert into checkpoint_confirmation (checkpoint_id, person_id, side, confirmed_by, confirmed_by_name, confirmed_at)
                 values ($1, $2, $3, $4, $5, $6) on conflict (checkpoint_id, person_id, side) do nothing",
            )
            .bind(checkpoint.0)
            .bind(person.0)
            .bind(side.as_str())
            .bind(by.0)
            .bind(by_name)
            .bind(now.unix_timestamp())
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    /// Takes back one side's record (the undo just after confirming).
    pub async fn withdraw_confirmation(
        &self,
        checkpoint: CheckpointId,
        person: PersonId,
        side: Side,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("delete from checkpoint_confirmation where checkpoint_id = $1 and person_id = $2 and side = $3")
                .bind(checkpoint.0)
                .bind(person.0)
                .bind(side.as_str())
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    /// People (active leaders, with reminders on) in trusts with a checkpoint
    /// of an open cycle due between `from` and `until` that they have not
    /// recorded yet.
    pub async fn people_with_checkpoints_due(
        &self,
        from: Date,
        until: Date,
    ) -> Result<Vec<PersonId>, StoreError> {
        on_pool!(self, pool => {
            Ok(sqlx::query_scalar::<_, i64>(
                "select distinct p.id from cycle_checkpoint k
                 join cycle c on c.id = k.cycle_id
                 join person p on p.trust_id = c.trust_id
                 join person_role pr on pr.person_id = p.id and pr.role = 'leader'
                 left join reminder_setting r on r.person_id = p.id
                 where k.due_on >= $1 and k.due_on <= $2 and c.closed_at is null
                   and (c.school_id is null or c.school_id = p.school_id)
                   and p.archived_at is null and p.erased_at is null
                   and coalesce(r.email_reminders, 1) = 1
                   and not exists (select 1 from checkpoint_confirmation f
                                   where f.checkpoint_id = k.id and f.person_id = p.id and f.side = 'leader')
                 order by p.id",
            )
            .bind(from.to_string())
            .bind(until.to_string())
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(PersonId)
            .collect())
        })
    }
}
