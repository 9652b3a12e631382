//! Private calendar feeds and email reminders: the feed's and the unsubscribe
//! link's token hashes, each person's choice, and the days a digest went out.

use leadkit_domain::people::PersonId;
use time::{Date, OffsetDateTime};

use crate::{Store, StoreError, on_pool};

impl Store {
    /// Gives a person a new calendar feed token (replacing any earlier one).
    pub async fn set_calendar_token(
        &self,
        person: PersonId,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query(
                "insert into calendar_feed (person_id, token_hash, created_at) values ($1, $2, $3)
                 on conflict (person_id) do update set token_hash = excluded.token_hash, created_at = excluded.created_at",
            )
            .bind(person.0)
            .bind(token_hash)
            .bind(now.unix_timestamp())
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    /// Revokes a person's calendar feed.
    pub async fn revoke_calendar_token(&self, person: PersonId) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("delete from calendar_feed where person_id = $1")
                .bind(person.0)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    /// When the person's feed was made, if they have one.
    pub async fn calendar_feed_since(
        &self,
        person: PersonId,
    ) -> Result<Option<OffsetDateTime>, StoreError> {
        on_pool!(self, pool => {
            sqlx::query_scalar::<_, i64>("select created_at from calendar_feed where person_id = $1")
                .bind(person.0)
                .fetch_optional(pool)
                .await?
                .map(crate::timestamp)
                .transpose()
        })
    }

    /// The person a feed token belongs to (not archived).
    pub async fn person_by_calendar_token(
        &self,
        token_hash: &str,
    ) -> Result<Option<PersonId>, StoreError> {
        on_pool!(self, pool => {
            Ok(sqlx::query_scalar::<_, i64>(
                "select f.person_id from calendar_feed f join person p on p.id = f.person_id
                 where f.token_hash = $1 and p.archived_at is null",
            )
            .bind(token_hash)
            .fetch_optional(pool)
            .await?
            .map(PersonId))
        })
    }

    /// Whether a person gets email reminders (on unless they turned them off).
    pub async fn email_reminders(&self, person: PersonId) -> Result<bool, StoreError> {
        on_pool!(self, pool => {
            let setting = sqlx::query_scalar::<_, i64>("select email_reminders from reminder_setting where person_id = $1")
                .bind(person.0)
                .fetch_optional(pool)
                .await?;
            Ok(match setting {
                Some(on) => on == 1,
                None => true,
            })
        })
    }

    pub async fn set_email_reminders(&self, person: PersonId, on: bool) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query(
                "insert into reminder_setting (person_id, email_reminders) values ($1, $2)
                 on conflict (person_id) do update set email_reminders = excluded.email_reminders",
            )
            .bind(person.0)
            .bind(i64::from(on))
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    /// Records the hash of the person's unsubscribe link (replacing any earlier one).
    pub async fn set_unsubscribe_token(
        &self,
        person: PersonId,
        token_hash: &str,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query(
                "insert into reminder_setting (person_id, email_reminders, unsubscribe_hash) values ($1, 1, $2)
                 on conflict (person_id) do update set unsubscribe_hash = excluded.unsubscribe_hash",
            )
            .bind(person.0)
            .bind(token_hash)
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    /// Turns reminders off for whoever the unsubscribe link belongs to.
    pub async fn unsubscribe(&self, token_hash: &str) -> Result<Option<PersonId>, StoreError> {
        on_pool!(self, pool => {
            Ok(sqlx::query_scalar::<_, i64>(
                "update reminder_setting set email_reminders = 0 where unsubscribe_hash = $1 returning person_id",
            )
            .bind(token_hash)
            .fetch_optional(pool)
            .await?
            .map(PersonId))
        })
    }

    /// Claims `day`'s digest for a person: true the first time, false after, so
    /// that at most one digest goes out a day even with several servers.
    pub async fn claim_reminder_day(
        &self,
        person: PersonId,
        day: Date,
    ) -> Result<bool, StoreError> {
        on_pool!(self, pool => {
            let done = sqlx::query(
                "insert into reminder_sent (person_id, day) values ($1, $2) on conflict do nothing",
            )
            .bind(person.0)
            .bind(day.to_string())
            .execute(pool)
            .await?;
            Ok(done.rows_affected() == 1)
        })
    }

    /// Gives back a claim whose digest could not be sent, so it is tried again.
    pub async fn release_reminder_day(
        &self,
        person: PersonId,
        day: Date,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("delete from reminder_sent where person_id = $1 and day = $2")
                .bind(person.0)
                .bind(day.to_string())
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    /// People (active, with reminders on) who have an open action of an
    /// unreviewed goal falling due between `from` and `until`, inclusive.
    pub async fn people_with_actions_due(
        &self,
        from: Date,
        until: Date,
    ) -> Result<Vec<PersonId>, StoreError> {
        on_pool!(self, pool => {
            Ok(sqlx::query_scalar::<_, i64>(
                "select distinct g.owner_id from goal_action a
                 join goal g on g.id = a.goal_id
                 join cycle c on c.id = g.cycle_id
                 join person p on p.id = g.owner_id
                 left join reminder_setting r on r.person_id = p.id
                 where a.done = 0 and a.due_on >= $1 and a.due_on <= $2
                   and g.review_outcome is null and c.closed_at is null
                   and p.archived_at is null and p.erased_at is null
                   and coalesce(r.email_reminders, 1) = 1
                 order by g.owner_id",
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
