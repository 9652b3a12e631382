//! `GET /goals/{goal}`: a goal's page, for its owner or someone they shared goals
//! with (the coach may add check-ins), and `POST /goals/{goal}`, changing what
//! it says. The handler loads ([`load`]); [`view`] shapes the page, purely.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use leadkit_domain::access::Action;
use leadkit_domain::access::RecordKind;
use leadkit_domain::cycle::{Cycle, Lock};
use leadkit_domain::evidence::Evidence;
use leadkit_domain::framework::{Framework, Item};
use leadkit_domain::goal::{Goal, GoalStatus, Outcome, Prompts, Rag, Support, prompts};
use leadkit_domain::people::Person;
use leadkit_domain::scale::LevelCode;
use leadkit_store::StoreError;
use time::Date;

use super::{
    GoalAccess, LevelOption, SupportOption, descriptor_text, draft_from, goal_for, level_label,
    writable_goal,
};
use crate::access;
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::extract::Form;
use crate::forms::Pairs;
use crate::pages::{Page, render};
use crate::state::AppState;
use crate::urls;

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
        on: crate::views::long_date(check.on),
        author: check.author_name.clone(),
        rag: check.rag.as_str(),
        rag_label: check.rag.label(),
        progress: check.progress.as_str().to_owned(),
        next_steps: check.next_steps.as_str().to_owned(),
    }
}

/// Everything the goal page shows, as loaded for the person asking.
pub struct Loaded<'a> {
    pub goal: Goal,
    pub owner: Person,
    pub cycle: Cycle,
    /// Whether the asker owns the goal.
    pub own: bool,
    /// The goal's first item in its framework version, if that is still loaded.
    pub item: Option<(&'a Framework, &'a Item)>,
    pub lock: Option<Lock>,
    /// Whether the asker coaches the owner with their goals shared.
    pub coaches: bool,
    /// The owner's evidence in the cycle, where the asker may see it.
    pub evidence: Vec<Evidence>,
    /// The goal this one carries forward, if it still exists.
    pub previous: Option<Goal>,
    pub today: Date,
}

/// Loads a goal and what its page needs, asking the access rule once.
pub async fn load<'a>(
    state: &'a AppState,
    me: &SignedIn,
    raw: &str,
) -> Result<Loaded<'a>, WebError> {
    let GoalAccess {
        goal,
        owner,
        cycle,
        own,
    } = goal_for(state, me, raw, Action::ReadGoals).await?;
    let standing = access::standing(
        state,
        me,
        &owner,
        &cycle,
        &[RecordKind::Goals, RecordKind::Evidence],
    )
    .await?;
    let item = goal.items.first().and_then(|item| {
        let stored = state
            .catalog
            .all()
            .find(|s| s.framework.key == item.framework && s.framework.version == item.version)?;
        Some((&stored.framework, stored.framework.find(&item.code)?))
    });
    let lock = access::lock(state, &owner, &cycle).await?;
    let evidence = if own || standing.may(Action::ReadEvidence, RecordKind::Evidence) {
        state.store.evidence_of(owner.id, cycle.id).await?
    } else {
        Vec::new()
    };
    let previous = match goal.carried_from {
        Some(previous) => match state.store.goal(previous).await {
            Ok(previous) => Some(previous),
            Err(StoreError::NotFound) => None,
            Err(error) => return Err(error.into()),
        },
        None => None,
    };
    Ok(Loaded {
        coaches: standing.may(Action::Coach, RecordKind::Goals),
        goal,
        owner,
        cycle,
        own,
        item,
        lock,
        evidence,
        previous,
        today: state.clock.now().date(),
    })
}

/// What the page shows of the goal's levels: each level with the current and
/// target marked, the descriptors at both, and the prompts drawn from them.
struct Levels {
    options: Vec<LevelOption>,
    current: String,
    target: String,
    prompts: Prompts,
    has_levels: bool,
}

fn levels_of(goal: &Goal, item: Option<(&Framework, &Item)>) -> Levels {
    let Some((framework, item)) = item else {
        return Levels {
            options: Vec::new(),
            current: String::new(),
            target: String::new(),
            prompts: Prompts::default(),
            has_levels: false,
        };
    };
    let options = framework
        .scale
        .iter()
        .flat_map(|scale| scale.levels.iter())
        .map(|level| LevelOption {
            code: level.code.to_string(),
            label: level.label.clone(),
            current: Some(&level.code) == goal.current_level.as_ref(),
            target: Some(&level.code) == goal.target_level.as_ref(),
            descriptor: item
                .descriptor(&level.code)
                .flatten()
                .unwrap_or_default()
                .to_owned(),
        })
        .collect();
    let prompts = match (&framework.scale, &goal.target_level) {
        (Some(scale), Some(target)) => prompts(
            item,
            scale,
            goal.current_level.as_ref(),
            target,
            &framework.descriptor_lead_in,
        ),
        _ => Prompts::default(),
    };
    Levels {
        options,
        current: descriptor_text(framework, item, goal.current_level.as_ref()),
        target: descriptor_text(framework, item, goal.target_level.as_ref()),
        prompts,
        has_levels: framework.scale.is_some(),
    }
}

fn choices<T: Copy + PartialEq>(
    all: impl IntoIterator<Item = T>,
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
    selected: impl Fn(T) -> bool,
) -> Vec<ChoiceView> {
    all.into_iter()
        .map(|value| ChoiceView {
            code: code(value),
            label: label(value),
            selected: selected(value),
        })
        .collect()
}

/// Shapes the goal page from what was loaded. Pure.
pub fn view(loaded: &Loaded, page: Page) -> GoalPage {
    let Loaded {
        goal, owner, cycle, ..
    } = loaded;
    let own = loaded.own;
    let levels = levels_of(goal, loaded.item);
    let label = |level: Option<&LevelCode>| {
        loaded
            .item
            .map_or_else(String::new, |(framework, _)| level_label(framework, level))
    };
    let locked = loaded.lock.as_ref().map(Lock::reason);
    GoalPage {
        page,
        own,
        may_check_in: locked.is_none() && (own || loaded.coaches),
        locked,
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
        has_levels: levels.has_levels,
        levels: levels.options,
        current_label: label(goal.current_level.as_ref()),
        current_descriptor: levels.current,
        target_label: label(goal.target_level.as_ref()),
        target_descriptor: levels.target,
        prompts: levels.prompts,
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
        statuses: choices(
            GoalStatus::ALL,
            GoalStatus::as_str,
            GoalStatus::label,
            |s| s == goal.status,
        ),
        status_label: goal.standing(),
        actions: goal
            .actions
            .iter()
            .map(|a| ActionView {
                id: a.id,
                text: a.text.as_str().to_owned(),
                owner: a.owner.as_str().to_owned(),
                due: a.due_on.map(crate::views::long_date).unwrap_or_default(),
                done: a.done,
            })
            .collect(),
        check_ins: goal.check_ins.iter().map(check_in_view).collect(),
        rags: choices(Rag::ALL, Rag::as_str, Rag::label, |_| false),
        outcomes: choices(Outcome::ALL, Outcome::as_str, Outcome::label, |o| {
            goal.review.as_ref().is_some_and(|r| r.outcome == o)
        }),
        review: goal.review.as_ref().map(|r| {
            (
                r.outcome.label().to_owned(),
                r.note.as_str().to_owned(),
                crate::views::long_date(r.on),
            )
        }),
        evidence: loaded
            .evidence
            .iter()
            .filter(|e| e.goals.contains(&goal.id))
            .map(|e| EvidenceLine {
                title: e.title.as_str().to_owned(),
                on: crate::views::long_date(e.on),
                url: e.file.as_ref().map(|_| urls::evidence_file(e.id)),
            })
            .collect(),
        carried_from: loaded.previous.as_ref().map(|p| urls::goal(p.id)),
        history: loaded
            .previous
            .iter()
            .flat_map(|p| p.check_ins.iter().map(check_in_view))
            .collect(),
        today: loaded.today.to_string(),
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
    }
}

/// `GET /goals/{goal}`: a goal, for its owner or someone they shared goals with.
pub async fn show(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
) -> Result<Html<String>, WebError> {
    let loaded = load(&state, &me, &raw).await?;
    let page = Page::new(loaded.goal.title.as_str().to_owned(), "goals", Some(&me));
    render(&view(&loaded, page))
}

/// `POST /goals/{goal}`: changes what the goal says.
pub async fn update(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, WebError> {
    let GoalAccess { goal, .. } = writable_goal(&state, &me, &raw).await?;
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

#[cfg(test)]
#[path = "show_tests.rs"]
mod tests;
