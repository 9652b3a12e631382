//! `POST /goals/{goal}/check-ins`: a check-in by the goal's owner or their coach.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use leadkit_domain::access::Action;
use leadkit_domain::access::RecordKind;
use leadkit_domain::goal::Rag;
use leadkit_domain::reflection::Note;
use leadkit_store::goals::NewCheckIn;

use crate::access::{self};
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::extract::Form;
use crate::forms::{Pairs, invalid_at, optional_date_at, refuse_at, text as field};
use crate::state::AppState;
use crate::urls;

use super::{GoalAccess, goal_for};

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
    access::writable(&state, &owner, &cycle).await?;
    let check = NewCheckIn {
        author: me.person.id,
        author_name: me.person.name.as_str().to_owned(),
        on: optional_date_at(field(&pairs, "on"), "The check-in date", "on")?
            .unwrap_or_else(|| state.clock.now().date()),
        progress: Note::parse(field(&pairs, "progress")).map_err(invalid_at("progress"))?,
        rag: Rag::parse(field(&pairs, "rag")).map_err(invalid_at("rag"))?,
        next_steps: Note::parse(field(&pairs, "next_steps")).map_err(invalid_at("next_steps"))?,
    };
    if check.progress.is_empty() {
        return Err(refuse_at(
            "progress",
            "Write a sentence about progress; nothing was saved.",
        ));
    }
    state
        .store
        .add_check_in(goal.id, &check, state.clock.now())
        .await?;
    Ok(Redirect::to(&format!("{}#check-ins", urls::goal(goal.id))).into_response())
}
