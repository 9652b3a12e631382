//! Growing Great People goals: my goals, starting one from a component, a goal's
//! page (the descriptors of where I am and where I aim to be, prompts drawn from
//! their difference, actions, check-ins by me and my coach, the review), and
//! carrying a goal forward into the next cycle. One module per page or form;
//! what several share is here.

pub mod actions;
pub mod check_ins;
pub mod list;
pub mod new;
pub mod review;
pub mod show;

use leadkit_domain::access::Action;
use leadkit_domain::access::RecordKind;
use leadkit_domain::cycle::Cycle;
use leadkit_domain::framework::{Framework, Item};
use leadkit_domain::goal::{Goal, GoalDraft, GoalId, GoalStatus, Line, Support};
use leadkit_domain::people::Person;
use leadkit_domain::reflection::{Judgement, Note};
use leadkit_domain::scale::LevelCode;
use leadkit_store::StoreError;

use crate::access::{self, GrantedRecords};
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::forms::{Pairs, fields, invalid, invalid_at, refuse_at, text as field};
use crate::state::AppState;

pub(super) fn level_label(framework: &Framework, level: Option<&LevelCode>) -> String {
    match level {
        None => Judgement::NOT_YET_LABEL.into(),
        Some(code) => framework.level_label(code),
    }
}

pub(super) fn descriptor_text(
    framework: &Framework,
    item: &Item,
    level: Option<&LevelCode>,
) -> String {
    match level.map(|level| item.descriptor(level)) {
        None => String::new(),
        Some(Some(Some(text))) => format!("{} {text}", framework.descriptor_lead_in)
            .trim()
            .to_owned(),
        Some(Some(None)) => crate::views::MISSING_DESCRIPTOR.into(),
        Some(None) => String::new(),
    }
}

pub struct LevelOption {
    pub code: String,
    pub label: String,
    pub current: bool,
    pub target: bool,
    /// The component's descriptor at this level, so that the pair shown above
    /// the form follows a level chosen before saving (in the browser).
    pub descriptor: String,
}

pub struct SupportOption {
    pub code: &'static str,
    pub label: &'static str,
    pub checked: bool,
}

/// Reads the goal form into a draft checked against the first item's scale.
pub(super) fn draft_from(pairs: &Pairs, framework: &Framework) -> Result<GoalDraft, WebError> {
    let level = |name: &'static str| -> Result<Option<LevelCode>, WebError> {
        match field(pairs, name).trim() {
            "" | "not_yet" => Ok(None),
            raw => LevelCode::parse(raw)
                .map(Some)
                .map_err(|_| refuse_at(name, "Choose a level from the list.")),
        }
    };
    let note = |name: &'static str| Note::parse(field(pairs, name)).map_err(invalid_at(name));
    let support = fields(pairs, "support")
        .map(Support::parse)
        .collect::<Result<Vec<_>, _>>()
        .map_err(invalid_at("support"))?;
    let status = match field(pairs, "status") {
        "" => GoalStatus::Planned,
        raw => GoalStatus::parse(raw).map_err(invalid_at("status"))?,
    };
    let draft = GoalDraft {
        title: Line::required("title", field(pairs, "title"), "a title for the goal")
            .map_err(invalid)?,
        current_level: level("current_level")?,
        target_level: level("target_level")?,
        why: note("why")?,
        success_criteria: note("success_criteria")?,
        support,
        support_detail: note("support_detail")?,
        status,
    };
    draft
        .check_levels(framework.scale.as_ref())
        .map_err(invalid)?;
    Ok(draft)
}

/// A goal and what the asker may do with it.
pub(super) struct GoalAccess {
    pub goal: Goal,
    pub owner: Person,
    pub cycle: Cycle,
    pub own: bool,
}

pub(super) async fn goal_for(
    state: &AppState,
    me: &SignedIn,
    raw: &str,
    action: Action,
) -> Result<GoalAccess, WebError> {
    let id = raw
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(GoalId)
        .ok_or(WebError::NotFound)?;
    let goal = match state.store.goal(id).await {
        Ok(goal) => goal,
        Err(StoreError::NotFound) => return Err(WebError::NotFound),
        Err(error) => return Err(error.into()),
    };
    let GrantedRecords { owner, cycle, own } = access::records_of(
        state,
        me,
        goal.owner,
        Some(goal.cycle),
        action,
        RecordKind::Goals,
    )
    .await?;
    Ok(GoalAccess {
        goal,
        owner,
        cycle,
        own,
    })
}

/// A goal the asker may change now: theirs, and its cycle not locked.
pub(super) async fn writable_goal(
    state: &AppState,
    me: &SignedIn,
    raw: &str,
) -> Result<GoalAccess, WebError> {
    let found = goal_for(state, me, raw, Action::WriteGoalsAndEvidence).await?;
    access::writable(state, &found.owner, &found.cycle).await?;
    Ok(found)
}
