//! A coach's sign-off of a person's review of the cycle: confirmed first on a
//! page that says what it locks, and withdrawn while the cycle is open.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use leadkit_domain::audit::AuditAction;

use super::coachee;
use crate::access::GrantedRecords;
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::pages::{Page, render};
use crate::state::AppState;
use crate::urls;

#[derive(Template)]
#[template(path = "coaching/sign_off.html")]
pub struct SignOffPage {
    pub page: Page,
    pub person_name: String,
    pub cycle_name: String,
    pub action: String,
    pub back: String,
}

/// `GET /people/{person}/coaching/sign-off`: what signing off locks, and the
/// button (nothing changes until it is pressed).
pub async fn confirm(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    let GrantedRecords { owner, cycle, .. } = coachee(&state, &me, &raw).await?;
    let back = urls::person_coaching(owner.id);
    if !cycle.open || state.store.signed_off(owner.id, cycle.id).await?.is_some() {
        return Ok(Redirect::to(&back).into_response());
    }
    let page: Html<String> = render(&SignOffPage {
        page: Page::new(
            format!("Sign off {}’s review", owner.name.as_str()),
            "people",
            Some(&me),
        ),
        person_name: owner.name.as_str().to_owned(),
        cycle_name: cycle.name,
        action: urls::person_coaching_sign_off(owner.id),
        back,
    })?;
    Ok(page.into_response())
}

/// `POST /people/{person}/coaching/sign-off`: the coach signs off the cycle's review.
pub async fn sign_off(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    let GrantedRecords { owner, cycle, .. } = coachee(&state, &me, &raw).await?;
    if state.store.signed_off(owner.id, cycle.id).await?.is_none() {
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
        let detail = format!("signed off the review of {}", cycle.name);
        crate::audit::record(&state, &me, AuditAction::SignedOff, Some(owner.id), &detail).await?;
    }
    Ok(Redirect::to(&urls::person_coaching(owner.id)).into_response())
}

/// `POST /people/{person}/coaching/sign-off/withdraw`: the undo, while the
/// cycle is open.
pub async fn withdraw(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    let GrantedRecords { owner, cycle, .. } = coachee(&state, &me, &raw).await?;
    if !cycle.open {
        return Err(WebError::Conflict(format!(
            "{} is closed; an administrator can reopen it first",
            cycle.name
        )));
    }
    match state.store.withdraw_sign_off(owner.id, cycle.id).await {
        Ok(()) => {
            let detail = format!("withdrew the sign-off of {}", cycle.name);
            crate::audit::record(
                &state,
                &me,
                AuditAction::SignOffWithdrawn,
                Some(owner.id),
                &detail,
            )
            .await?;
        }
        // Already withdrawn (another tab): nothing to do.
        Err(leadkit_store::StoreError::NotFound) => {}
        Err(error) => return Err(error.into()),
    }
    Ok(Redirect::to(&urls::person_coaching(owner.id)).into_response())
}
