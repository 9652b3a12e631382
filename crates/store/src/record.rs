//! The one-page record of a leader's cycle: what the leader wrote (strengths,
//! areas for development, an overall comment) and the coach's overall comment.

use leadkit_domain::cycle::CycleId;
use leadkit_domain::people::PersonId;
use time::OffsetDateTime;

use crate::{Store, StoreError, on_pool, timestamp};

/// The record as saved; empty text where nothing was written yet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordSummary {
    pub strengths: String,
    pub development: String,
    pub leader_comment: String,
    /// When the leader last saved, if ever.
    pub leader_saved: Option<OffsetDateTime>,
    pub coach_comment: String,
    pub coach_name: String,
    pub coach_saved: Option<OffsetDateTime>,
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    strengths: String,
    development: String,
    leader_comment: String,
    leader_saved_at: Option<i64>,
    coach_comment: String,
    coach_name: String,
    coach_saved_at: Option<i64>,
}

impl Store {
    /// The record of `person`'s `cycle`, if anything was written.
    pub async fn record_summary(
        &self,
        person: PersonId,
        cycle: CycleId,
    ) -> Result<Option<RecordSummary>, StoreError> {
        on_pool!(self, pool => {
            let row = sqlx::query_as::<_, SummaryRow>(
                "select strengths, development, leader_comment, leader_saved_at, coach_comment, coach_name, coach_saved_at
                 from record_summary where person_id = $1 and cycle_id = $2",
            )
            .bind(person.0)
            .bind(cycle.0)
            .fetch_optional(pool)
            .await?;
            row.map(|row| {
                Ok(RecordSummary {
                    strengths: row.strengths,
                    development: row.development,
                    leader_comment: row.leader_comment,
                    leader_saved: row.leader_saved_at.map(timestamp).transpose()?,
                    coach_comment: row.coach_comment,
                    coach_name: row.coach_name,
                    coach_saved: row.coach_saved_at.map(timestamp).transpose()?,
                })
            })
            .transpose()
        })
    }

    /// Saves the leader's part of the record (the coach's is left as it is).
    pub async fn save_leader_summary(
        &self,
        person: PersonId,
        cycle: CycleId,
        strengths: &str,
        development: &str,
        comment: &str,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query(
                "insert into record_summary (person_id, cycle_id, strengths, development, leader_comment, leader_saved_at)
                 values ($1, $2, $3, $4, $5, $6)
                 on conflict (person_id, cycle_id) do update set strengths = excluded.strengths,
                   development = excluded.development, leader_comment = excluded.leader_comment,
                   leader_saved_at = excluded.leader_saved_at",
            )
            .bind(person.0)
            .bind(cycle.0)
            .bind(strengths)
            .bind(development)
            .bind(comment)
            .bind(now.unix_timestamp())
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    /// Saves the coach's overall comment (the leader's part is left as it is).
    pub async fn save_coach_comment(
        &self,
        person: PersonId,
        cycle: CycleId,
        coach: PersonId,
        coach_name: &str,
        comment: &str,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query(
                "insert into record_summary (person_id, cycle_id, coach_comment, coach_id, coach_name, coach_saved_at)
                 values ($1, $2, $3, $4, $5, $6)
                 on conflict (person_id, cycle_id) do update set coach_comment = excluded.coach_comment,
                   coach_id = excluded.coach_id, coach_name = excluded.coach_name, coach_saved_at = excluded.coach_saved_at",
            )
            .bind(person.0)
            .bind(cycle.0)
            .bind(comment)
            .bind(coach.0)
            .bind(coach_name)
            .bind(now.unix_timestamp())
            .execute(pool)
            .await?;
            Ok(())
        })
    }
}
