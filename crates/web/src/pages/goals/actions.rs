//! `POST /goals/{goal}/actions`: adding an action, or marking one done.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use leadkit_domain::goal::Line;
use leadkit_store::StoreError;
use leadkit_store::goals::NewAction;

use crate::auth::SignedIn;
use crate::error::WebError;
use crate::extract::Form;
use crate::forms::{Pairs, invalid, optional_date_at, text as field};
use crate::state::AppState;
use crate::urls;

use super::{GoalAccess, writable_goal};

/// `POST /goals/{goal}/actions`: adds an action, or marks one done (`action`, `done`).
pub async fn actions(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, WebError> {
    let GoalAccess { goal, .. } = writable_goal(&state, &me, &raw).await?;
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
            due_on: optional_date_at(field(&pairs, "due_on"), "The due date", "due_on")?,
        };
        state.store.add_action(goal.id, &action).await?;
    }
    Ok(Redirect::to(&format!("{}#actions", urls::goal(goal.id))).into_response())
}
