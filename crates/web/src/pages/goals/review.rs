//! The end of a goal's cycle: its review, and carrying it forward into the next.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use leadkit_domain::access::Action;
use leadkit_domain::goal::{Outcome, Review};
use leadkit_domain::reflection::Note;

use crate::access::{self};
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::extract::Form;
use crate::forms::{Pairs, invalid_at, text as field};
use crate::state::AppState;
use crate::urls;

use super::{GoalAccess, goal_for, writable_goal};

/// `POST /goals/{goal}/review`: the end-of-cycle review.
pub async fn review(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, WebError> {
    let GoalAccess { goal, .. } = writable_goal(&state, &me, &raw).await?;
    let review = Review {
        outcome: Outcome::parse(field(&pairs, "outcome")).map_err(invalid_at("outcome"))?,
        note: Note::parse(field(&pairs, "note")).map_err(invalid_at("note"))?,
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
    access::writable(&state, &owner, &current).await?;
    let id = state
        .store
        .carry_goal_forward(goal.id, current.id, state.clock.now())
        .await?;
    Ok(Redirect::to(&urls::goal(id)).into_response())
}
