//! `POST /coaching/checkpoints/{checkpoint}` (the leader) and
//! `POST /people/{person}/coaching/checkpoints/{checkpoint}` (their coach):
//! each records that they met and agreed at a checkpoint of the leader's
//! cycle, or takes their own record back (`do=withdraw`, the undo).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use leadkit_domain::access::{Action, RecordKind};
use leadkit_domain::checkpoint::{CheckpointId, Side};
use leadkit_domain::cycle::Cycle;
use leadkit_domain::people::Person;
use serde::Deserialize;

use super::coachee;
use crate::access::{self, GrantedRecords};
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::extract::Form;
use crate::state::AppState;
use crate::urls;

#[derive(Deserialize)]
pub struct RecordForm {
    /// "confirm" (the default) or "withdraw".
    #[serde(default, rename = "do")]
    what: String,
}

async fn record(
    state: &AppState,
    me: &SignedIn,
    owner: &Person,
    cycle: &Cycle,
    side: Side,
    raw: &str,
    what: &str,
) -> Result<(), WebError> {
    let id = raw
        .parse::<i64>()
        .map(CheckpointId)
        .map_err(|_| WebError::NotFound)?;
    let checkpoints = state.store.checkpoints(owner.trust, cycle.id).await?;
    if !checkpoints.iter().any(|c| c.id == id) {
        return Err(WebError::NotFound);
    }
    if !cycle.open {
        return Err(WebError::BadRequest(format!(
            "{} is closed: its checkpoints can no longer be recorded.",
            cycle.name
        )));
    }
    match what {
        "withdraw" => {
            state
                .store
                .withdraw_confirmation(id, owner.id, side)
                .await?
        }
        "" | "confirm" => {
            state
                .store
                .confirm_checkpoint(
                    id,
                    owner.id,
                    side,
                    me.person.id,
                    me.person.name.as_str(),
                    state.clock.now(),
                )
                .await?;
        }
        _ => {
            return Err(WebError::BadRequest(
                "Choose to record the meeting or take your record back.".into(),
            ));
        }
    }
    Ok(())
}

/// `POST /coaching/checkpoints/{checkpoint}`: the leader's own record.
pub async fn mine(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
    Form(form): Form<RecordForm>,
) -> Result<Response, WebError> {
    let GrantedRecords { owner, cycle, .. } = access::records_of(
        &state,
        &me,
        me.person.id,
        None,
        Action::ReadReflections,
        RecordKind::Reflections,
    )
    .await?;
    record(&state, &me, &owner, &cycle, Side::Leader, &raw, &form.what).await?;
    Ok(Redirect::to(&format!("{}#checkpoints", urls::COACHING)).into_response())
}

/// `POST /people/{person}/coaching/checkpoints/{checkpoint}`: the coach's record.
pub async fn coachs(
    State(state): State<AppState>,
    me: SignedIn,
    Path((person, raw)): Path<(String, String)>,
    Form(form): Form<RecordForm>,
) -> Result<Response, WebError> {
    let GrantedRecords { owner, cycle, .. } = coachee(&state, &me, &person).await?;
    record(&state, &me, &owner, &cycle, Side::Coach, &raw, &form.what).await?;
    Ok(Redirect::to(&format!("{}#checkpoints", urls::person_coaching(owner.id))).into_response())
}
