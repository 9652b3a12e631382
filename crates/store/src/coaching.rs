//! A coach's own view of a coachee's components, the conversation notes they
//! share, and the coach's sign-off of a cycle's review.

use crate::BeginWrite;
use leadkit_domain::cycle::CycleId;
use leadkit_domain::framework::ItemCode;
use leadkit_domain::people::PersonId;
use leadkit_domain::reflection::{Judgement, Note};
use time::OffsetDateTime;

use crate::frameworks::FrameworkVersionId;
use crate::{Store, StoreError, on_pool, stored, timestamp};

/// The coach's agreed level and comment on one component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoachView {
    pub item: ItemCode,
    pub coach_name: String,
    pub judgement: Option<Judgement>,
    pub comment: Note,
}

/// A conversation note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationNote {
    pub id: i64,
    pub author: Option<PersonId>,
    pub author_name: String,
    pub body: Note,
    pub at: OffsetDateTime,
}

/// Who signed off a cycle's review, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignOff {
    pub coach_name: String,
    pub at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct CoachViewRow {
    code: String,
    coach_name: String,
    judgement: Option<String>,
    comment: String,
}

impl CoachViewRow {
    fn into_domain(self) -> Result<CoachView, StoreError> {
        Ok(CoachView {
            item: stored(ItemCode::parse(&self.code), "item code")?,
            coach_name: self.coach_name,
            judgement: self
                .judgement
                .map(|raw| stored(Judgement::parse(&raw), "coach judgement"))
                .transpose()?,
            comment: stored(Note::parse(&self.comment), "coach comment")?,
        })
    }
}

#[derive(sqlx::FromRow)]
struct ConversationNoteRow {
    id: i64,
    author_id: Option<i64>,
    author_name: String,
    body: String,
    created_at: i64,
}

impl ConversationNoteRow {
    fn into_domain(self) -> Result<ConversationNote, StoreError> {
        Ok(ConversationNote {
            id: self.id,
            author: self.author_id.map(PersonId),
            author_name: self.author_name,
            body: stored(Note::parse(&self.body), "conversation note")?,
            at: timestamp(self.created_at)?,
        })
    }
}

impl Store {
    /// Saves the coach's view of one component (insert or replace).
    #[allow(clippy::too_many_arguments)]
    pub async fn save_coach_view(
        &self,
        person: PersonId,
        cycle: CycleId,
        framework: FrameworkVersionId,
        item: &ItemCode,
        coach: PersonId,
        coach_name: &str,
        judgement: Option<&Judgement>,
        comment: &Note,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let view = CoachView {
            item: item.clone(),
            coach_name: coach_name.to_owned(),
            judgement: judgement.cloned(),
            comment: comment.clone(),
        };
        self.save_coach_views(person, cycle, framework, coach, &[view], now)
            .await
    }

    /// Saves several of the coach's views in one transaction: all or none (an
    /// item the version does not have is `NotFound` and nothing is saved).
    pub async fn save_coach_views(
        &self,
        person: PersonId,
        cycle: CycleId,
        framework: FrameworkVersionId,
        coach: PersonId,
        views: &[CoachView],
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            for view in views {
                let done = sqlx::query(
                    "insert into coach_view (person_id, cycle_id, item_id, coach_id, coach_name, judgement, comment, updated_at)
                     select $1, $2, id, $3, $4, $5, $6, $7 from framework_item where framework_id = $8 and code = $9
                     on conflict (person_id, cycle_id, item_id) do update set coach_id = excluded.coach_id,
                         coach_name = excluded.coach_name, judgement = excluded.judgement,
                         comment = excluded.comment, updated_at = excluded.updated_at",
                )
                .bind(person.0)
                .bind(cycle.0)
                .bind(coach.0)
                .bind(&view.coach_name)
                .bind(view.judgement.as_ref().map(Judgement::as_str))
                .bind(view.comment.as_str())
                .bind(now.unix_timestamp())
                .bind(framework.0)
                .bind(view.item.as_str())
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound);
                }
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// The coach's views of a person's components in one framework version.
    pub async fn coach_views(
        &self,
        person: PersonId,
        cycle: CycleId,
        framework: FrameworkVersionId,
    ) -> Result<Vec<CoachView>, StoreError> {
        on_pool!(self, pool => {
            sqlx::query_as::<_, CoachViewRow>(
                "select i.code, v.coach_name, v.judgement, v.comment from coach_view v
                 join framework_item i on i.id = v.item_id
                 where v.person_id = $1 and v.cycle_id = $2 and i.framework_id = $3
                 order by i.position",
            )
            .bind(person.0)
            .bind(cycle.0)
            .bind(framework.0)
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(CoachViewRow::into_domain)
            .collect()
        })
    }

    /// Adds a conversation note to a person's cycle.
    pub async fn add_conversation_note(
        &self,
        person: PersonId,
        cycle: CycleId,
        author: PersonId,
        author_name: &str,
        body: &Note,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query(
                "insert into conversation_note (person_id, cycle_id, author_id, author_name, body, created_at)
                 values ($1, $2, $3, $4, $5, $6)",
            )
            .bind(person.0)
            .bind(cycle.0)
            .bind(author.0)
            .bind(author_name)
            .bind(body.as_str())
            .bind(now.unix_timestamp())
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    /// A person's conversation notes in a cycle, oldest first.
    pub async fn conversation_notes(
        &self,
        person: PersonId,
        cycle: CycleId,
    ) -> Result<Vec<ConversationNote>, StoreError> {
        on_pool!(self, pool => {
            sqlx::query_as::<_, ConversationNoteRow>(
                "select id, author_id, author_name, body, created_at from conversation_note
                 where person_id = $1 and cycle_id = $2 order by created_at, id",
            )
            .bind(person.0)
            .bind(cycle.0)
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(ConversationNoteRow::into_domain)
            .collect()
        })
    }

    /// Records a coach's sign-off of a person's review of a cycle. Signing twice
    /// keeps the first sign-off.
    pub async fn sign_off(
        &self,
        person: PersonId,
        cycle: CycleId,
        coach: PersonId,
        coach_name: &str,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query(
                "insert into cycle_sign_off (person_id, cycle_id, coach_id, coach_name, signed_at)
                 values ($1, $2, $3, $4, $5) on conflict (person_id, cycle_id) do nothing",
            )
            .bind(person.0)
            .bind(cycle.0)
            .bind(coach.0)
            .bind(coach_name)
            .bind(now.unix_timestamp())
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    /// Withdraws the sign-off of a person's cycle (the undo of [`Store::sign_off`]);
    /// `NotFound` when there was none.
    pub async fn withdraw_sign_off(
        &self,
        person: PersonId,
        cycle: CycleId,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let done = sqlx::query("delete from cycle_sign_off where person_id = $1 and cycle_id = $2")
                .bind(person.0)
                .bind(cycle.0)
                .execute(pool)
                .await?;
            if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
        })
    }

    /// The sign-off of a person's cycle, if any.
    pub async fn signed_off(
        &self,
        person: PersonId,
        cycle: CycleId,
    ) -> Result<Option<SignOff>, StoreError> {
        on_pool!(self, pool => {
            sqlx::query_as::<_, (String, i64)>(
                "select coach_name, signed_at from cycle_sign_off where person_id = $1 and cycle_id = $2",
            )
            .bind(person.0)
            .bind(cycle.0)
            .fetch_optional(pool)
            .await?
            .map(|(coach_name, signed_at)| Ok(SignOff { coach_name, at: timestamp(signed_at)? }))
            .transpose()
        })
    }
}

/// A coach's view or a conversation note about a person, with its cycle, for the
/// person's download of their data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoachingRecord {
    pub cycle: String,
    /// "coach view of 1a i" or "conversation note".
    pub kind: String,
    pub author: String,
    pub judgement: Option<String>,
    pub text: String,
    pub at: OffsetDateTime,
}

/// A coach view with its cycle and framework, for a person's download.
#[derive(sqlx::FromRow)]
struct CoachViewRecordRow {
    cycle: String,
    key: String,
    code: String,
    coach_name: String,
    judgement: Option<String>,
    comment: String,
    updated_at: i64,
}

/// A conversation note with its cycle, for a person's download.
#[derive(sqlx::FromRow)]
struct NoteRecordRow {
    cycle: String,
    author_name: String,
    body: String,
    created_at: i64,
}

impl Store {
    /// Every coach view, conversation note and checkpoint record about a
    /// person, in every cycle.
    pub async fn coaching_records_of_person(
        &self,
        person: PersonId,
    ) -> Result<Vec<CoachingRecord>, StoreError> {
        on_pool!(self, pool => {
            let mut records = Vec::new();
            for row in sqlx::query_as::<_, CoachViewRecordRow>(
                "select c.name as cycle, i.code, f.key, v.coach_name, v.judgement, v.comment, v.updated_at
                 from coach_view v join cycle c on c.id = v.cycle_id
                 join framework_item i on i.id = v.item_id join framework f on f.id = i.framework_id
                 where v.person_id = $1 order by c.starts_on, f.key, i.position",
            )
            .bind(person.0)
            .fetch_all(pool)
            .await?
            {
                records.push(CoachingRecord {
                    cycle: row.cycle,
                    kind: format!("coach view of {} {}", row.key, row.code),
                    author: row.coach_name,
                    judgement: row.judgement,
                    text: row.comment,
                    at: timestamp(row.updated_at)?,
                });
            }
            for row in sqlx::query_as::<_, NoteRecordRow>(
                "select c.name as cycle, n.author_name, n.body, n.created_at from conversation_note n
                 join cycle c on c.id = n.cycle_id where n.person_id = $1 order by n.created_at, n.id",
            )
            .bind(person.0)
            .fetch_all(pool)
            .await?
            {
                records.push(CoachingRecord {
                    cycle: row.cycle,
                    kind: "conversation note".into(),
                    author: row.author_name,
                    judgement: None,
                    text: row.body,
                    at: timestamp(row.created_at)?,
                });
            }
            for (cycle, name, side, by_name, at) in sqlx::query_as::<_, (String, String, String, String, i64)>(
                "select c.name, k.name, f.side, f.confirmed_by_name, f.confirmed_at
                 from checkpoint_confirmation f join cycle_checkpoint k on k.id = f.checkpoint_id
                 join cycle c on c.id = k.cycle_id where f.person_id = $1 order by f.confirmed_at, k.id",
            )
            .bind(person.0)
            .fetch_all(pool)
            .await?
            {
                records.push(CoachingRecord {
                    cycle,
                    kind: format!("checkpoint recorded by the {side}"),
                    author: by_name,
                    judgement: None,
                    text: name,
                    at: timestamp(at)?,
                });
            }
            Ok(records)
        })
    }
}
