//! Goals with their items, actions, check-ins and review.

use crate::BeginWrite;
use leadkit_domain::cycle::CycleId;
use leadkit_domain::framework::{FrameworkKey, ItemCode};
use leadkit_domain::goal::{
    CheckIn, Goal, GoalAction, GoalDraft, GoalId, GoalItem, GoalStatus, Line, Outcome, Rag, Review,
    Support,
};
use leadkit_domain::people::PersonId;
use leadkit_domain::reflection::Note;
use leadkit_domain::scale::LevelCode;
use time::{Date, OffsetDateTime};

use crate::cycles::parse_date;
use crate::frameworks::FrameworkVersionId;
use crate::{Store, StoreError, on_pool, stored};

/// An item a goal or evidence is tagged with: its code in a stored framework version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRef {
    pub framework: FrameworkVersionId,
    pub code: ItemCode,
}

/// A new check-in.
#[derive(Debug, Clone)]
pub struct NewCheckIn {
    pub author: PersonId,
    pub author_name: String,
    pub on: Date,
    pub progress: Note,
    pub rag: Rag,
    pub next_steps: Note,
}

/// A new action.
#[derive(Debug, Clone)]
pub struct NewAction {
    pub text: Line,
    pub owner: Line,
    pub due_on: Option<Date>,
}

fn support_codes(support: &[Support]) -> String {
    support
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn parse_support(raw: &str) -> Result<Vec<Support>, StoreError> {
    raw.split_whitespace()
        .map(|code| stored(Support::parse(code), "goal support"))
        .collect()
}

fn level(raw: Option<String>) -> Result<Option<LevelCode>, StoreError> {
    raw.map(|raw| stored(LevelCode::parse(&raw), "goal level"))
        .transpose()
}

fn note(raw: String, what: &str) -> Result<Note, StoreError> {
    stored(Note::parse(&raw), what)
}

fn line(raw: String, what: &str) -> Result<Line, StoreError> {
    stored(Line::parse_field("text", &raw), what)
}

/// A tagged item (columns key, version, code, title).
#[derive(sqlx::FromRow)]
pub(crate) struct GoalItemRow {
    key: String,
    version: String,
    code: String,
    title: String,
}

impl GoalItemRow {
    pub(crate) fn into_domain(self) -> Result<GoalItem, StoreError> {
        Ok(GoalItem {
            framework: stored(FrameworkKey::parse(&self.key), "framework key")?,
            version: self.version,
            code: stored(ItemCode::parse(&self.code), "item code")?,
            title: self.title,
        })
    }
}

/// Finds each item's row id in its version, on an open transaction of either
/// backend; `NotFound` if any is missing.
pub(crate) async fn item_ids<DB>(
    tx: &mut sqlx::Transaction<'_, DB>,
    items: &[ItemRef],
) -> Result<Vec<i64>, StoreError>
where
    DB: sqlx::Database,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: sqlx::IntoArguments<'q, DB>,
    for<'q> i64: sqlx::Encode<'q, DB> + sqlx::Decode<'q, DB> + sqlx::Type<DB>,
    for<'q> &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    let mut ids = Vec::new();
    for item in items {
        let id = sqlx::query_scalar::<_, i64>(
            "select id from framework_item where framework_id = $1 and code = $2",
        )
        .bind(item.framework.0)
        .bind(item.code.as_str())
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// A goal's own columns.
#[derive(sqlx::FromRow)]
struct GoalRow {
    id: i64,
    owner_id: i64,
    cycle_id: i64,
    title: String,
    current_level: Option<String>,
    target_level: Option<String>,
    why: String,
    success_criteria: String,
    support: String,
    support_detail: String,
    status: String,
    review_outcome: Option<String>,
    review_note: String,
    reviewed_on: Option<String>,
    carried_from: Option<i64>,
}

impl GoalRow {
    fn into_domain(
        self,
        items: Vec<GoalItem>,
        actions: Vec<GoalAction>,
        check_ins: Vec<CheckIn>,
    ) -> Result<Goal, StoreError> {
        let review = match self.review_outcome {
            None => None,
            Some(outcome) => Some(Review {
                outcome: stored(Outcome::parse(&outcome), "goal outcome")?,
                note: note(self.review_note, "review note")?,
                on: parse_date(&self.reviewed_on.unwrap_or_default())?,
            }),
        };
        Ok(Goal {
            id: GoalId(self.id),
            owner: PersonId(self.owner_id),
            cycle: CycleId(self.cycle_id),
            title: line(self.title, "goal title")?,
            items,
            current_level: level(self.current_level)?,
            target_level: level(self.target_level)?,
            why: note(self.why, "goal why")?,
            success_criteria: note(self.success_criteria, "success criteria")?,
            support: parse_support(&self.support)?,
            support_detail: note(self.support_detail, "support detail")?,
            status: stored(GoalStatus::parse(&self.status), "goal status")?,
            actions,
            check_ins,
            review,
            carried_from: self.carried_from.map(GoalId),
        })
    }
}

#[derive(sqlx::FromRow)]
struct ActionRow {
    id: i64,
    text: String,
    owner: String,
    due_on: Option<String>,
    done: i64,
}

impl ActionRow {
    fn into_domain(self) -> Result<GoalAction, StoreError> {
        Ok(GoalAction {
            id: self.id,
            text: line(self.text, "action")?,
            owner: line(self.owner, "action owner")?,
            due_on: self.due_on.map(|raw| parse_date(&raw)).transpose()?,
            done: self.done == 1,
        })
    }
}

#[derive(sqlx::FromRow)]
struct CheckInRow {
    id: i64,
    author_id: Option<i64>,
    author_name: String,
    on_date: String,
    progress: String,
    rag: String,
    next_steps: String,
}

impl CheckInRow {
    fn into_domain(self) -> Result<CheckIn, StoreError> {
        Ok(CheckIn {
            id: self.id,
            author: self.author_id.map(PersonId),
            author_name: self.author_name,
            on: parse_date(&self.on_date)?,
            progress: note(self.progress, "check-in progress")?,
            rag: stored(Rag::parse(&self.rag), "check-in rag")?,
            next_steps: note(self.next_steps, "check-in next steps")?,
        })
    }
}

impl Store {
    /// Creates a goal on `items` (at least one, each in a stored version) and
    /// returns its id. Nothing is written if an item is not found.
    pub async fn create_goal(
        &self,
        owner: PersonId,
        cycle: CycleId,
        draft: &GoalDraft,
        items: &[ItemRef],
        carried_from: Option<GoalId>,
        now: OffsetDateTime,
    ) -> Result<GoalId, StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let ids = item_ids(&mut tx, items).await?;
            if ids.is_empty() {
                return Err(StoreError::NotFound);
            }
            let id = sqlx::query_scalar::<_, i64>(
                "insert into goal (owner_id, cycle_id, title, current_level, target_level, why,
                     success_criteria, support, support_detail, status, carried_from, created_at, updated_at)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) returning id",
            )
            .bind(owner.0)
            .bind(cycle.0)
            .bind(draft.title.as_str())
            .bind(draft.current_level.as_ref().map(LevelCode::as_str))
            .bind(draft.target_level.as_ref().map(LevelCode::as_str))
            .bind(draft.why.as_str())
            .bind(draft.success_criteria.as_str())
            .bind(support_codes(&draft.support))
            .bind(draft.support_detail.as_str())
            .bind(draft.status.as_str())
            .bind(carried_from.map(|g| g.0))
            .bind(now.unix_timestamp())
            .fetch_one(&mut *tx)
            .await?;
            for (position, item) in ids.iter().enumerate() {
                sqlx::query("insert into goal_item (goal_id, item_id, position) values ($1, $2, $3)")
                    .bind(id)
                    .bind(item)
                    .bind(position as i64)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(GoalId(id))
        })
    }

    /// Replaces what a goal says (not its items, actions or check-ins).
    pub async fn update_goal(
        &self,
        goal: GoalId,
        draft: &GoalDraft,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let done = sqlx::query(
                "update goal set title = $1, current_level = $2, target_level = $3, why = $4,
                     success_criteria = $5, support = $6, support_detail = $7, status = $8, updated_at = $9
                 where id = $10",
            )
            .bind(draft.title.as_str())
            .bind(draft.current_level.as_ref().map(LevelCode::as_str))
            .bind(draft.target_level.as_ref().map(LevelCode::as_str))
            .bind(draft.why.as_str())
            .bind(draft.success_criteria.as_str())
            .bind(support_codes(&draft.support))
            .bind(draft.support_detail.as_str())
            .bind(draft.status.as_str())
            .bind(now.unix_timestamp())
            .bind(goal.0)
            .execute(pool)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            Ok(())
        })
    }

    /// One goal with everything hanging off it.
    pub async fn goal(&self, goal: GoalId) -> Result<Goal, StoreError> {
        let mut found = self.load_goals("g.id = $1", goal.0).await?;
        found.pop().ok_or(StoreError::NotFound)
    }

    /// A person's goals in a cycle, oldest first.
    pub async fn goals_of(&self, owner: PersonId, cycle: CycleId) -> Result<Vec<Goal>, StoreError> {
        let goals = self.load_goals("g.owner_id = $1", owner.0).await?;
        Ok(goals.into_iter().filter(|g| g.cycle == cycle).collect())
    }

    /// Every goal of a person, in every cycle.
    pub async fn all_goals_of(&self, owner: PersonId) -> Result<Vec<Goal>, StoreError> {
        self.load_goals("g.owner_id = $1", owner.0).await
    }

    async fn load_goals(&self, filter: &str, value: i64) -> Result<Vec<Goal>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query_as::<_, GoalRow>(&format!(
                "select g.id, g.owner_id, g.cycle_id, g.title, g.current_level, g.target_level, g.why,
                        g.success_criteria, g.support, g.support_detail, g.status, g.review_outcome,
                        g.review_note, g.reviewed_on, g.carried_from
                 from goal g where {filter} order by g.id"
            ))
            .bind(value)
            .fetch_all(pool)
            .await?;
            let mut goals = Vec::with_capacity(rows.len());
            for row in rows {
                let id = row.id;
                let items = sqlx::query_as::<_, GoalItemRow>(
                    "select f.key, f.version, i.code, i.title from goal_item gi
                     join framework_item i on i.id = gi.item_id
                     join framework f on f.id = i.framework_id
                     where gi.goal_id = $1 order by gi.position",
                )
                .bind(id)
                .fetch_all(pool)
                .await?
                .into_iter()
                .map(GoalItemRow::into_domain)
                .collect::<Result<Vec<_>, StoreError>>()?;
                let actions = sqlx::query_as::<_, ActionRow>(
                    "select id, text, owner, due_on, done from goal_action where goal_id = $1 order by id",
                )
                .bind(id)
                .fetch_all(pool)
                .await?
                .into_iter()
                .map(ActionRow::into_domain)
                .collect::<Result<Vec<_>, StoreError>>()?;
                let check_ins = sqlx::query_as::<_, CheckInRow>(
                    "select id, author_id, author_name, on_date, progress, rag, next_steps
                     from check_in where goal_id = $1 order by on_date, id",
                )
                .bind(id)
                .fetch_all(pool)
                .await?
                .into_iter()
                .map(CheckInRow::into_domain)
                .collect::<Result<Vec<_>, StoreError>>()?;
                goals.push(row.into_domain(items, actions, check_ins)?);
            }
            Ok(goals)
        })
    }

    /// Adds an action to a goal.
    pub async fn add_action(&self, goal: GoalId, action: &NewAction) -> Result<i64, StoreError> {
        on_pool!(self, pool => {
            Ok(sqlx::query_scalar::<_, i64>(
                "insert into goal_action (goal_id, text, owner, due_on, done) values ($1, $2, $3, $4, 0) returning id",
            )
            .bind(goal.0)
            .bind(action.text.as_str())
            .bind(action.owner.as_str())
            .bind(action.due_on.map(|d| d.to_string()))
            .fetch_one(pool)
            .await?)
        })
    }

    /// Marks one of a goal's actions done or not; `NotFound` if the action is not the goal's.
    pub async fn set_action_done(
        &self,
        goal: GoalId,
        action: i64,
        done: bool,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let changed = sqlx::query("update goal_action set done = $1 where id = $2 and goal_id = $3")
                .bind(i64::from(done))
                .bind(action)
                .bind(goal.0)
                .execute(pool)
                .await?;
            if changed.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            Ok(())
        })
    }

    /// Adds a check-in to a goal. A goal still "planned" is under way once it
    /// has a check-in, and says so.
    pub async fn add_check_in(
        &self,
        goal: GoalId,
        check_in: &NewCheckIn,
        now: OffsetDateTime,
    ) -> Result<i64, StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("update goal set status = 'in_progress' where id = $1 and status = 'planned'")
                .bind(goal.0)
                .execute(&mut *tx)
                .await?;
            let id = sqlx::query_scalar::<_, i64>(
                "insert into check_in (goal_id, author_id, author_name, on_date, progress, rag, next_steps, created_at)
                 values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
            )
            .bind(goal.0)
            .bind(check_in.author.0)
            .bind(&check_in.author_name)
            .bind(check_in.on.to_string())
            .bind(check_in.progress.as_str())
            .bind(check_in.rag.as_str())
            .bind(check_in.next_steps.as_str())
            .bind(now.unix_timestamp())
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Records the end-of-cycle review of a goal.
    pub async fn review_goal(&self, goal: GoalId, review: &Review) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let changed = sqlx::query(
                "update goal set review_outcome = $1, review_note = $2, reviewed_on = $3 where id = $4",
            )
            .bind(review.outcome.as_str())
            .bind(review.note.as_str())
            .bind(review.on.to_string())
            .bind(goal.0)
            .execute(pool)
            .await?;
            if changed.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            Ok(())
        })
    }

    /// Starts a goal in `cycle` that carries `goal` forward: the same items, levels
    /// and plan, its open actions, and a link back to the original (which keeps
    /// its check-ins and review as its history). Returns the existing carried
    /// goal if there is one already, so carrying forward twice makes one goal.
    pub async fn carry_goal_forward(
        &self,
        goal: GoalId,
        cycle: CycleId,
        now: OffsetDateTime,
    ) -> Result<GoalId, StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            if let Some(existing) =
                sqlx::query_scalar::<_, i64>("select id from goal where carried_from = $1 and cycle_id = $2")
                    .bind(goal.0)
                    .bind(cycle.0)
                    .fetch_optional(&mut *tx)
                    .await?
            {
                return Ok(GoalId(existing));
            }
            let id = sqlx::query_scalar::<_, i64>(
                "insert into goal (owner_id, cycle_id, title, current_level, target_level, why,
                     success_criteria, support, support_detail, status, carried_from, created_at, updated_at)
                 select owner_id, $1, title, current_level, target_level, why, success_criteria, support,
                        support_detail, 'in_progress', id, $2, $2
                 from goal where id = $3
                 returning id",
            )
            .bind(cycle.0)
            .bind(now.unix_timestamp())
            .bind(goal.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
            sqlx::query(
                "insert into goal_item (goal_id, item_id, position)
                 select $1, item_id, position from goal_item where goal_id = $2",
            )
            .bind(id)
            .bind(goal.0)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "insert into goal_action (goal_id, text, owner, due_on, done)
                 select $1, text, owner, due_on, 0 from goal_action where goal_id = $2 and done = 0 order by id",
            )
            .bind(id)
            .bind(goal.0)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(GoalId(id))
        })
    }
}
