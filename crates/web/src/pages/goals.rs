//! Growing Great People goals: my goals, starting one from a component, a goal's
//! page (the descriptors of where I am and where I aim to be, prompts drawn from
//! their difference, actions, check-ins by me and my coach, the review), and
//! carrying a goal forward into the next cycle.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use leadkit_domain::access::Action;
use leadkit_domain::cycle::Cycle;
use leadkit_domain::framework::{Framework, Item, ItemCode};
use leadkit_domain::goal::{
    Goal, GoalDraft, GoalId, GoalStatus, Line, Outcome, Prompts, Rag, Review, Support, prompts,
};
use leadkit_domain::people::{Person, PersonId};
use leadkit_domain::reflection::{Judgement, Note};
use leadkit_domain::scale::LevelCode;
use leadkit_store::StoreError;
use leadkit_store::frameworks::StoredFramework;
use leadkit_store::goals::{ItemRef, NewAction, NewCheckIn};
use leadkit_store::reflections::ReflectionScope;
use leadkit_store::sharing::RecordKind;
use serde::Deserialize;
use time::Date;

use super::form::{Pairs, fields, invalid};
use super::sharing::{SharingPanel, sharing_panel};
use super::{Page, render};
use crate::access::{self, GrantedRecords};
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::extract::Form;
use crate::state::AppState;
use crate::urls;

/// A field of the form, empty when it is missing.
fn field<'a>(pairs: &'a Pairs, name: &str) -> &'a str {
    super::form::field(pairs, name).unwrap_or("")
}

/// Parses an optional ISO date typed into a form.
pub fn optional_date(raw: &str, what: &str) -> Result<Option<Date>, WebError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    Date::parse(
        raw,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map(Some)
    .map_err(|_| WebError::BadRequest(format!("{what} must be a date such as 2027-03-31.")))
}

/// An item reference as forms carry it: `framework-key|version|code`.
pub fn item_ref(framework: &Framework, code: &ItemCode) -> String {
    format!("{}|{}|{}", framework.key, framework.version, code)
}

/// Resolves an item reference against the loaded frameworks. An item of a
/// version that has been replaced, or of a version or framework that does not
/// exist, is refused with a message saying which.
pub fn resolve_item<'a>(
    state: &'a AppState,
    raw: &str,
) -> Result<(&'a Arc<StoredFramework>, &'a Item), WebError> {
    let mut parts = raw.trim().splitn(3, '|');
    let (Some(key), Some(version), Some(code)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(WebError::BadRequest(
            "Choose a framework item (framework|version|code).".into(),
        ));
    };
    let latest = state
        .catalog
        .latest(key)
        .ok_or_else(|| WebError::BadRequest(format!("There is no framework called “{key}”.")))?;
    if latest.framework.version != version {
        let exists = state
            .catalog
            .all()
            .any(|s| s.framework.key.as_str() == key && s.framework.version == version);
        return Err(WebError::BadRequest(if exists {
            format!(
                "That item is from version {version} of {}, which has been replaced by version {}. Choose the item in the current version; nothing was saved.",
                latest.framework.title, latest.framework.version
            )
        } else {
            format!(
                "{} has no version {version}; nothing was saved.",
                latest.framework.title
            )
        }));
    }
    let item = ItemCode::parse(code)
        .ok()
        .and_then(|code| latest.framework.find(&code))
        .filter(|item| item.is_reflectable())
        .ok_or_else(|| {
            WebError::BadRequest(format!(
                "{} has no component “{code}”; nothing was saved.",
                latest.framework.title
            ))
        })?;
    Ok((latest, item))
}

fn level_label(framework: &Framework, level: Option<&LevelCode>) -> String {
    match level {
        None => "Not yet".into(),
        Some(code) => framework
            .scale
            .as_ref()
            .and_then(|scale| scale.level(code))
            .map_or_else(|| code.to_string(), |level| level.label.clone()),
    }
}

fn descriptor_text(framework: &Framework, item: &Item, level: Option<&LevelCode>) -> String {
    match level.map(|level| item.descriptor(level)) {
        None => String::new(),
        Some(Some(Some(text))) => format!("{} {text}", framework.descriptor_lead_in)
            .trim()
            .to_owned(),
        Some(Some(None)) => "This descriptor is not in the published toolkit.".into(),
        Some(None) => String::new(),
    }
}

/// One line of my goals list.
pub struct GoalLine {
    pub url: String,
    pub title: String,
    pub items: String,
    pub levels: String,
    pub status: String,
    pub actions: String,
    pub outcome: String,
}

fn goal_line(state: &AppState, goal: &Goal) -> GoalLine {
    let framework = goal
        .items
        .first()
        .and_then(|item| state.catalog.latest(item.framework.as_str()))
        .map(|stored| &stored.framework);
    let levels = match (framework, &goal.target_level) {
        (Some(framework), Some(target)) => format!(
            "{} → {}",
            level_label(framework, goal.current_level.as_ref()),
            level_label(framework, Some(target))
        ),
        _ => String::new(),
    };
    let done = goal.actions.iter().filter(|a| a.done).count();
    GoalLine {
        url: urls::goal(goal.id),
        title: goal.title.as_str().to_owned(),
        items: goal
            .items
            .iter()
            .map(|item| format!("{} {}", item.code, item.title))
            .collect::<Vec<_>>()
            .join("; "),
        levels,
        status: goal.status.label().to_owned(),
        actions: format!("{done} of {} actions done", goal.actions.len()),
        outcome: goal
            .review
            .as_ref()
            .map(|r| r.outcome.label().to_owned())
            .unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "goals/list.html")]
pub struct GoalsPage {
    pub page: Page,
    pub heading: String,
    pub own: bool,
    pub cycle_name: String,
    pub goals: Vec<GoalLine>,
    pub sharing: Option<SharingPanel>,
    /// Goals of the previous cycle whose review carried them forward and that
    /// are not yet in this one.
    pub to_carry: Vec<(String, String)>,
    pub profile_url: String,
}

/// `GET /goals`: my goals in the current cycle.
pub async fn list(State(state): State<AppState>, me: SignedIn) -> Result<Html<String>, WebError> {
    let id = me.person.id;
    goals_page(&state, me, id).await
}

/// `GET /people/{person}/goals`: someone's goals, if they shared them with me.
pub async fn of_person(
    State(state): State<AppState>,
    me: SignedIn,
    Path(person): Path<String>,
) -> Result<Html<String>, WebError> {
    let person = access::person_id(&person)?;
    goals_page(&state, me, person).await
}

async fn goals_page(
    state: &AppState,
    me: SignedIn,
    person: PersonId,
) -> Result<Html<String>, WebError> {
    let GrantedRecords { owner, cycle, own } = access::records_of(
        state,
        &me,
        person,
        None,
        Action::ReadGoals,
        RecordKind::Goals,
    )
    .await?;
    let goals = state.store.goals_of(owner.id, cycle.id).await?;
    let mut to_carry = Vec::new();
    if own {
        if let Some(previous) = state
            .store
            .previous_cycle(owner.trust, owner.school, &cycle)
            .await?
        {
            for goal in state.store.goals_of(owner.id, previous.id).await? {
                let carried = goals.iter().any(|g| g.carried_from == Some(goal.id));
                if !carried
                    && goal
                        .review
                        .as_ref()
                        .is_some_and(|r| r.outcome == Outcome::CarriedForward)
                {
                    to_carry.push((urls::goal(goal.id), goal.title.as_str().to_owned()));
                }
            }
        }
    }
    let sharing = if own {
        Some(sharing_panel(state, &me, &cycle, RecordKind::Goals).await?)
    } else {
        None
    };
    let heading = if own {
        "My goals".to_owned()
    } else {
        format!("{}’s goals", owner.name.as_str())
    };
    render(&GoalsPage {
        page: Page::new(heading.clone(), "goals", Some(&me)),
        heading,
        own,
        cycle_name: cycle.name.clone(),
        goals: goals.iter().map(|g| goal_line(state, g)).collect(),
        sharing,
        to_carry,
        profile_url: if own {
            urls::PROFILE.to_owned()
        } else {
            urls::person_profile(owner.id)
        },
    })
}

pub struct LevelOption {
    pub code: String,
    pub label: String,
    pub current: bool,
    pub target: bool,
}

pub struct SupportOption {
    pub code: &'static str,
    pub label: &'static str,
    pub checked: bool,
}

pub struct AlsoOption {
    pub value: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "goals/new.html")]
pub struct NewGoalPage {
    pub page: Page,
    pub cycle_name: String,
    pub item_value: String,
    pub item_label: String,
    pub framework_title: String,
    pub has_levels: bool,
    pub levels: Vec<LevelOption>,
    pub current_label: String,
    pub current_descriptor: String,
    pub target_label: String,
    pub target_descriptor: String,
    pub prompts: Prompts,
    pub supports: Vec<SupportOption>,
    pub also: Vec<AlsoOption>,
    pub suggested_title: String,
}

#[derive(Deserialize)]
pub struct NewGoalQuery {
    #[serde(default)]
    item: String,
}

/// `GET /goals/new?item=key|version|code`: the form for a goal on one component,
/// with the current level from my reflection and the next level up as the aim.
pub async fn new(
    State(state): State<AppState>,
    me: SignedIn,
    Query(query): Query<NewGoalQuery>,
) -> Result<Html<String>, WebError> {
    let GrantedRecords { cycle, .. } = access::records_of(
        &state,
        &me,
        me.person.id,
        None,
        Action::WriteGoalsAndEvidence,
        RecordKind::Goals,
    )
    .await?;
    let (stored, item) = resolve_item(&state, &query.item)?;
    let framework = &stored.framework;
    let reflections = state
        .store
        .reflections(ReflectionScope {
            person: me.person.id,
            cycle: cycle.id,
            framework: stored.id,
        })
        .await?;
    let current = reflections
        .iter()
        .find(|r| r.item == item.code)
        .and_then(|r| match &r.judgement {
            Some(Judgement::Level(level)) => Some(level.clone()),
            _ => None,
        });
    let (levels, target, prompts_found) = match &framework.scale {
        Some(scale) => {
            let current_rank = current.as_ref().and_then(|c| scale.rank(c));
            let target = scale
                .levels
                .get(current_rank.map_or(0, |rank| rank + 1))
                .or(scale.levels.last())
                .map(|level| level.code.clone());
            let options = scale
                .levels
                .iter()
                .map(|level| LevelOption {
                    code: level.code.to_string(),
                    label: level.label.clone(),
                    current: Some(&level.code) == current.as_ref(),
                    target: Some(&level.code) == target.as_ref(),
                })
                .collect();
            let found = target.as_ref().map(|target| {
                prompts(
                    item,
                    scale,
                    current.as_ref(),
                    target,
                    &framework.descriptor_lead_in,
                )
            });
            (options, target, found.unwrap_or_default())
        }
        None => (Vec::new(), None, Prompts::default()),
    };
    // Items of other frameworks aligned with this one, to link the goal to them too.
    let also = state
        .catalog
        .alignments()
        .alignments
        .iter()
        .filter_map(|alignment| {
            let other = if alignment.from.framework == framework.key
                && alignment.from.item == item.code
            {
                &alignment.to
            } else if alignment.to.framework == framework.key && alignment.to.item == item.code {
                &alignment.from
            } else {
                return None;
            };
            let other_stored = state.catalog.latest(other.framework.as_str())?;
            let other_item = other_stored.framework.find(&other.item)?;
            Some(AlsoOption {
                value: item_ref(&other_stored.framework, &other_item.code),
                label: format!(
                    "{}: {} {}",
                    other_stored.framework.title, other_item.code, other_item.title
                ),
            })
        })
        .collect();
    render(&NewGoalPage {
        page: Page::new("Start a goal", "goals", Some(&me)),
        cycle_name: cycle.name,
        item_value: item_ref(&stored.framework, &item.code),
        item_label: format!("{} {}", item.code, item.title),
        framework_title: framework.title.clone(),
        has_levels: framework.scale.is_some(),
        levels,
        current_label: level_label(framework, current.as_ref()),
        current_descriptor: descriptor_text(framework, item, current.as_ref()),
        target_label: target
            .as_ref()
            .map(|t| level_label(framework, Some(t)))
            .unwrap_or_default(),
        target_descriptor: descriptor_text(framework, item, target.as_ref()),
        prompts: prompts_found,
        supports: Support::ALL
            .into_iter()
            .map(|s| SupportOption {
                code: s.as_str(),
                label: s.label(),
                checked: false,
            })
            .collect(),
        also,
        suggested_title: item.title.clone(),
    })
}

/// Reads the goal form into a draft checked against the first item's scale.
fn draft_from(pairs: &Pairs, framework: &Framework) -> Result<GoalDraft, WebError> {
    let level = |name: &'static str| -> Result<Option<LevelCode>, WebError> {
        match field(pairs, name).trim() {
            "" | "not_yet" => Ok(None),
            raw => LevelCode::parse(raw)
                .map(Some)
                .map_err(|_| WebError::BadRequest("Choose a level from the list.".into())),
        }
    };
    let note = |name: &'static str| Note::parse(field(pairs, name)).map_err(invalid);
    let support = fields(pairs, "support")
        .map(Support::parse)
        .collect::<Result<Vec<_>, _>>()
        .map_err(invalid)?;
    let status = match field(pairs, "status") {
        "" => GoalStatus::Planned,
        raw => GoalStatus::parse(raw).map_err(invalid)?,
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

/// Refuses changes to a cycle that is closed or whose review the coach signed off.
pub async fn writable(state: &AppState, owner: &Person, cycle: &Cycle) -> Result<(), WebError> {
    if !cycle.open {
        return Err(WebError::Conflict(format!(
            "{} is closed, so its goals and evidence can no longer change. Nothing was saved.",
            cycle.name
        )));
    }
    if let Some(signed) = state.store.signed_off(owner.id, cycle.id).await? {
        return Err(WebError::Conflict(format!(
            "{} signed off this cycle’s review, so it is read-only; add a conversation note instead. Nothing was saved.",
            signed.coach_name
        )));
    }
    Ok(())
}

/// `POST /goals`: starts a goal in the current cycle.
pub async fn create(
    State(state): State<AppState>,
    me: SignedIn,
    Form(pairs): Form<Pairs>,
) -> Result<Response, WebError> {
    let GrantedRecords { owner, cycle, .. } = access::records_of(
        &state,
        &me,
        me.person.id,
        None,
        Action::WriteGoalsAndEvidence,
        RecordKind::Goals,
    )
    .await?;
    writable(&state, &owner, &cycle).await?;
    let (stored, item) = resolve_item(&state, field(&pairs, "item"))?;
    let draft = draft_from(&pairs, &stored.framework)?;
    let mut items = vec![ItemRef {
        framework: stored.id,
        code: item.code.clone(),
    }];
    for also in fields(&pairs, "also").filter(|v| !v.trim().is_empty()) {
        let (other, other_item) = resolve_item(&state, also)?;
        items.push(ItemRef {
            framework: other.id,
            code: other_item.code.clone(),
        });
    }
    let id = state
        .store
        .create_goal(owner.id, cycle.id, &draft, &items, None, state.clock.now())
        .await?;
    Ok(Redirect::to(&urls::goal(id)).into_response())
}

/// A goal and what the asker may do with it.
struct GoalAccess {
    goal: Goal,
    owner: Person,
    cycle: Cycle,
    own: bool,
}

async fn goal_for(
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

pub struct ActionView {
    pub id: i64,
    pub text: String,
    pub owner: String,
    pub due: String,
    pub done: bool,
}

pub struct CheckInView {
    pub on: String,
    pub author: String,
    pub rag: &'static str,
    pub rag_label: &'static str,
    pub progress: String,
    pub next_steps: String,
}

pub struct ItemLine {
    pub label: String,
    pub url: String,
}

pub struct EvidenceLine {
    pub title: String,
    pub on: String,
    pub url: Option<String>,
}

pub struct ChoiceView {
    pub code: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "goals/show.html")]
pub struct GoalPage {
    pub page: Page,
    pub own: bool,
    /// Why the goal cannot change now, if so.
    pub locked: Option<String>,
    pub may_check_in: bool,
    pub owner_name: String,
    pub cycle_name: String,
    pub action: String,
    pub title: String,
    pub items: Vec<ItemLine>,
    pub has_levels: bool,
    pub levels: Vec<LevelOption>,
    pub current_label: String,
    pub current_descriptor: String,
    pub target_label: String,
    pub target_descriptor: String,
    pub prompts: Prompts,
    pub why: String,
    pub success_criteria: String,
    pub supports: Vec<SupportOption>,
    pub support_detail: String,
    pub statuses: Vec<ChoiceView>,
    pub status_label: String,
    pub actions: Vec<ActionView>,
    pub check_ins: Vec<CheckInView>,
    pub rags: Vec<ChoiceView>,
    pub outcomes: Vec<ChoiceView>,
    pub review: Option<(String, String, String)>,
    pub evidence: Vec<EvidenceLine>,
    pub carried_from: Option<String>,
    pub history: Vec<CheckInView>,
    pub today: String,
    pub goals_url: String,
    /// When the goal asks for a colleague with expertise: where to find one.
    pub expertise_url: Option<String>,
}

fn check_in_view(check: &leadkit_domain::goal::CheckIn) -> CheckInView {
    CheckInView {
        on: check.on.to_string(),
        author: check.author_name.clone(),
        rag: check.rag.as_str(),
        rag_label: check.rag.label(),
        progress: check.progress.as_str().to_owned(),
        next_steps: check.next_steps.as_str().to_owned(),
    }
}

/// `GET /goals/{goal}`: a goal, for its owner or someone they shared goals with.
pub async fn show(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
) -> Result<Html<String>, WebError> {
    let GoalAccess {
        goal,
        owner,
        cycle,
        own,
    } = goal_for(&state, &me, &raw, Action::ReadGoals).await?;
    let first = goal.items.first();
    let found = first.and_then(|item| {
        let stored = state
            .catalog
            .all()
            .find(|s| s.framework.key == item.framework && s.framework.version == item.version)?;
        Some((stored, stored.framework.find(&item.code)?))
    });
    let (levels, current_descriptor, target_descriptor, found_prompts, has_levels) = match found {
        Some((stored, item)) => {
            let framework = &stored.framework;
            let levels = framework
                .scale
                .iter()
                .flat_map(|scale| scale.levels.iter())
                .map(|level| LevelOption {
                    code: level.code.to_string(),
                    label: level.label.clone(),
                    current: Some(&level.code) == goal.current_level.as_ref(),
                    target: Some(&level.code) == goal.target_level.as_ref(),
                })
                .collect();
            let found_prompts = match (&framework.scale, &goal.target_level) {
                (Some(scale), Some(target)) => prompts(
                    item,
                    scale,
                    goal.current_level.as_ref(),
                    target,
                    &framework.descriptor_lead_in,
                ),
                _ => Prompts::default(),
            };
            (
                levels,
                descriptor_text(framework, item, goal.current_level.as_ref()),
                descriptor_text(framework, item, goal.target_level.as_ref()),
                found_prompts,
                framework.scale.is_some(),
            )
        }
        None => (
            Vec::new(),
            String::new(),
            String::new(),
            Prompts::default(),
            false,
        ),
    };
    let framework = found.map(|(stored, _)| &stored.framework);
    let label =
        |level: Option<&LevelCode>| framework.map_or_else(String::new, |f| level_label(f, level));
    let locked = if !cycle.open {
        Some(format!("{} is closed.", cycle.name))
    } else {
        state
            .store
            .signed_off(owner.id, cycle.id)
            .await?
            .map(|s| format!("{} signed off this cycle’s review.", s.coach_name))
    };
    let may_check_in = locked.is_none()
        && (own
            || access::may(
                &state,
                &me,
                &owner,
                &cycle,
                Action::Coach,
                RecordKind::Goals,
            )
            .await?);
    let evidence = if own
        || access::may(
            &state,
            &me,
            &owner,
            &cycle,
            Action::ReadEvidence,
            RecordKind::Evidence,
        )
        .await?
    {
        state
            .store
            .evidence_of(owner.id, cycle.id)
            .await?
            .into_iter()
            .filter(|e| e.goals.contains(&goal.id))
            .map(|e| EvidenceLine {
                title: e.title.as_str().to_owned(),
                on: e.on.to_string(),
                url: e.file.as_ref().map(|_| urls::evidence_file(e.id)),
            })
            .collect()
    } else {
        Vec::new()
    };
    let (carried_from, history) = match goal.carried_from {
        Some(previous) => match state.store.goal(previous).await {
            Ok(previous) => (
                Some(urls::goal(previous.id)),
                previous.check_ins.iter().map(check_in_view).collect(),
            ),
            Err(StoreError::NotFound) => (None, Vec::new()),
            Err(error) => return Err(error.into()),
        },
        None => (None, Vec::new()),
    };
    render(&GoalPage {
        page: Page::new(goal.title.as_str().to_owned(), "goals", Some(&me)),
        own,
        locked,
        may_check_in,
        owner_name: owner.name.as_str().to_owned(),
        cycle_name: cycle.name.clone(),
        action: urls::goal(goal.id),
        title: goal.title.as_str().to_owned(),
        items: goal
            .items
            .iter()
            .map(|item| ItemLine {
                label: format!("{} {}", item.code, item.title),
                url: urls::framework_item(&item.framework, &item.code),
            })
            .collect(),
        has_levels,
        levels,
        current_label: label(goal.current_level.as_ref()),
        current_descriptor,
        target_label: label(goal.target_level.as_ref()),
        target_descriptor,
        prompts: found_prompts,
        why: goal.why.as_str().to_owned(),
        success_criteria: goal.success_criteria.as_str().to_owned(),
        supports: Support::ALL
            .into_iter()
            .map(|s| SupportOption {
                code: s.as_str(),
                label: s.label(),
                checked: goal.support.contains(&s),
            })
            .collect(),
        support_detail: goal.support_detail.as_str().to_owned(),
        statuses: GoalStatus::ALL
            .into_iter()
            .map(|s| ChoiceView {
                code: s.as_str(),
                label: s.label(),
                selected: s == goal.status,
            })
            .collect(),
        status_label: goal.status.label().to_owned(),
        actions: goal
            .actions
            .iter()
            .map(|a| ActionView {
                id: a.id,
                text: a.text.as_str().to_owned(),
                owner: a.owner.as_str().to_owned(),
                due: a.due_on.map(|d| d.to_string()).unwrap_or_default(),
                done: a.done,
            })
            .collect(),
        check_ins: goal.check_ins.iter().map(check_in_view).collect(),
        rags: Rag::ALL
            .into_iter()
            .map(|r| ChoiceView {
                code: r.as_str(),
                label: r.label(),
                selected: false,
            })
            .collect(),
        outcomes: Outcome::ALL
            .into_iter()
            .map(|o| ChoiceView {
                code: o.as_str(),
                label: o.label(),
                selected: goal.review.as_ref().is_some_and(|r| r.outcome == o),
            })
            .collect(),
        review: goal.review.as_ref().map(|r| {
            (
                r.outcome.label().to_owned(),
                r.note.as_str().to_owned(),
                r.on.to_string(),
            )
        }),
        evidence,
        carried_from,
        history,
        today: state.clock.now().date().to_string(),
        goals_url: if own {
            urls::GOALS.to_owned()
        } else {
            urls::person_goals(owner.id)
        },
        expertise_url: goal
            .support
            .contains(&Support::Colleague)
            .then(|| {
                goal.items
                    .first()
                    .map(|item| urls::expertise_for(&item.code))
            })
            .flatten(),
    })
}

/// `POST /goals/{goal}`: changes what the goal says.
pub async fn update(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, WebError> {
    let GoalAccess {
        goal, owner, cycle, ..
    } = goal_for(&state, &me, &raw, Action::WriteGoalsAndEvidence).await?;
    writable(&state, &owner, &cycle).await?;
    let framework =
        goal.items
            .first()
            .and_then(|item| {
                state.catalog.all().find(|s| {
                    s.framework.key == item.framework && s.framework.version == item.version
                })
            })
            .ok_or(WebError::NotFound)?;
    let draft = draft_from(&pairs, &framework.framework)?;
    state
        .store
        .update_goal(goal.id, &draft, state.clock.now())
        .await?;
    Ok(Redirect::to(&urls::goal(goal.id)).into_response())
}

/// `POST /goals/{goal}/actions`: adds an action, or marks one done (`action`, `done`).
pub async fn actions(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, WebError> {
    let GoalAccess {
        goal, owner, cycle, ..
    } = goal_for(&state, &me, &raw, Action::WriteGoalsAndEvidence).await?;
    writable(&state, &owner, &cycle).await?;
    let existing = field(&pairs, "action");
    if !existing.is_empty() {
        let action = existing
            .parse::<i64>()
            .map_err(|_| WebError::BadRequest("That action is not known.".into()))?;
        let done = match field(&pairs, "done") {
            "yes" => true,
            "no" => false,
            _ => {
                return Err(WebError::BadRequest(
                    "Say whether the action is done.".into(),
                ));
            }
        };
        state
            .store
            .set_action_done(goal.id, action, done)
            .await
            .map_err(|error| match error {
                StoreError::NotFound => {
                    WebError::BadRequest("That action is not one of this goal’s.".into())
                }
                other => other.into(),
            })?;
    } else {
        let action = NewAction {
            text: Line::required("text", field(&pairs, "text"), "what the action is")
                .map_err(invalid)?,
            owner: Line::parse_field("owner", field(&pairs, "owner")).map_err(invalid)?,
            due_on: optional_date(field(&pairs, "due_on"), "The due date")?,
        };
        state.store.add_action(goal.id, &action).await?;
    }
    Ok(Redirect::to(&format!("{}#actions", urls::goal(goal.id))).into_response())
}

/// `POST /goals/{goal}/check-ins`: a check-in by the goal's owner, or by their
/// coach when the owner shared their goals with them.
pub async fn check_in(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, WebError> {
    let GoalAccess {
        goal,
        owner,
        cycle,
        own,
    } = goal_for(&state, &me, &raw, Action::ReadGoals).await?;
    if !own
        && !access::may(
            &state,
            &me,
            &owner,
            &cycle,
            Action::Coach,
            RecordKind::Goals,
        )
        .await?
    {
        return Err(WebError::NotFound);
    }
    writable(&state, &owner, &cycle).await?;
    let check = NewCheckIn {
        author: me.person.id,
        author_name: me.person.name.as_str().to_owned(),
        on: optional_date(field(&pairs, "on"), "The check-in date")?
            .unwrap_or_else(|| state.clock.now().date()),
        progress: Note::parse(field(&pairs, "progress")).map_err(invalid)?,
        rag: Rag::parse(field(&pairs, "rag")).map_err(invalid)?,
        next_steps: Note::parse(field(&pairs, "next_steps")).map_err(invalid)?,
    };
    if check.progress.is_empty() {
        return Err(WebError::BadRequest(
            "Write a sentence about progress; nothing was saved.".into(),
        ));
    }
    state
        .store
        .add_check_in(goal.id, &check, state.clock.now())
        .await?;
    Ok(Redirect::to(&format!("{}#check-ins", urls::goal(goal.id))).into_response())
}

/// `POST /goals/{goal}/review`: the end-of-cycle review.
pub async fn review(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, WebError> {
    let GoalAccess {
        goal, owner, cycle, ..
    } = goal_for(&state, &me, &raw, Action::WriteGoalsAndEvidence).await?;
    writable(&state, &owner, &cycle).await?;
    let review = Review {
        outcome: Outcome::parse(field(&pairs, "outcome")).map_err(invalid)?,
        note: Note::parse(field(&pairs, "note")).map_err(invalid)?,
        on: state.clock.now().date(),
    };
    state.store.review_goal(goal.id, &review).await?;
    Ok(Redirect::to(&format!("{}#review", urls::goal(goal.id))).into_response())
}

/// `POST /goals/{goal}/carry-forward`: continues a goal reviewed as "carried
/// forward" in the current cycle, keeping the old one as its history.
pub async fn carry_forward(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    let GoalAccess { goal, owner, .. } =
        goal_for(&state, &me, &raw, Action::WriteGoalsAndEvidence).await?;
    if !goal
        .review
        .as_ref()
        .is_some_and(|r| r.outcome == Outcome::CarriedForward)
    {
        return Err(WebError::BadRequest(
            "Only a goal reviewed as “carried forward” continues into the next cycle.".into(),
        ));
    }
    let today = state.clock.now().date();
    let current = state
        .store
        .current_cycle(owner.trust, owner.school, today)
        .await?
        .ok_or_else(|| WebError::BadRequest("No cycle is open to carry the goal into.".into()))?;
    if current.id == goal.cycle {
        return Err(WebError::BadRequest(
            "This goal is already in the current cycle; it is carried forward when the next cycle opens.".into(),
        ));
    }
    writable(&state, &owner, &current).await?;
    let id = state
        .store
        .carry_goal_forward(goal.id, current.id, state.clock.now())
        .await?;
    Ok(Redirect::to(&urls::goal(id)).into_response())
}
