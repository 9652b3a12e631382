//! `POST /people/{person}/coaching/sign-off`: the coach signs off the cycle's review.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::coachee;
use crate::access::GrantedRecords;
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::state::AppState;
use crate::urls;

/// `POST /people/{person}/coaching/sign-off`: the coach signs off the cycle's review.
pub async fn sign_off(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    let GrantedRecords { owner, cycle, .. } = coachee(&state, &me, &raw).await?;
    state
        .store
        .sign_off(
            owner.id,
            cycle.id,
            me.person.id,
            me.person.name.as_str(),
            state.clock.now(),
        )
        .await?;
    Ok(Redirect::to(&urls::person_coaching(owner.id)).into_response())
}
