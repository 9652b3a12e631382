//! `/goals` and `/people/{person}/goals`: a person's goals in a cycle.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use leadkit_domain::access::Action;
use leadkit_domain::access::RecordKind;
use leadkit_domain::goal::{Goal, Outcome};
use leadkit_domain::people::PersonId;

use crate::access::{self, GrantedRecords};
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::pages::{Page, render};
use crate::state::AppState;
use crate::urls;
use crate::views::{SharingPanel, sharing_panel};

use super::level_label;

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
        status: goal.standing(),
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
    /// Whose goals these are (their name), for a coach reading them.
    pub owner_name: String,
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
        owner_name: owner.name.as_str().to_owned(),
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
