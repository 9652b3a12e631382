//! `/admin/sessions`: how long the trust's sessions last (an hour without a
//! request and 12 hours in all unless the trust chooses otherwise).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use leadkit_domain::ValidationError;
use leadkit_domain::audit::AuditAction;
use leadkit_domain::people::SessionLimits;
use serde::Deserialize;

use crate::access;
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::extract::Form;
use crate::pages::{Page, render};
use crate::state::AppState;
use crate::urls;

#[derive(Template)]
#[template(path = "admin/sessions.html")]
pub struct SessionsPage {
    pub page: Page,
    pub idle_minutes: String,
    pub absolute_hours: String,
    pub idle_error: Option<String>,
    pub absolute_error: Option<String>,
    pub saved: bool,
}

fn page(me: &SignedIn, idle: String, absolute: String, errors: &[ValidationError]) -> SessionsPage {
    let error_for = |field: &str| {
        errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.clone())
    };
    SessionsPage {
        page: Page::new("Sessions", "admin", Some(me)),
        idle_error: error_for("idle_minutes"),
        absolute_error: error_for("absolute_hours"),
        idle_minutes: idle,
        absolute_hours: absolute,
        saved: false,
    }
}

#[derive(Deserialize, Default)]
pub struct SavedQuery {
    #[serde(default)]
    saved: Option<String>,
}

/// `GET /admin/sessions`.
pub async fn show(
    State(state): State<AppState>,
    me: SignedIn,
    axum::extract::Query(query): axum::extract::Query<SavedQuery>,
) -> Result<Html<String>, WebError> {
    access::administer(&me)?;
    let limits = state.store.session_limits(me.person.trust).await?;
    let mut shown = page(
        &me,
        limits.idle_minutes.to_string(),
        limits.absolute_hours.to_string(),
        &[],
    );
    shown.saved = query.saved.is_some();
    render(&shown)
}

#[derive(Deserialize)]
pub struct SessionsForm {
    #[serde(default)]
    idle_minutes: String,
    #[serde(default)]
    absolute_hours: String,
}

/// `POST /admin/sessions`: the new limits, or the form again with what is wrong.
pub async fn save(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<SessionsForm>,
) -> Result<Response, WebError> {
    access::administer(&me)?;
    let limits = match SessionLimits::parse(&form.idle_minutes, &form.absolute_hours) {
        Ok(limits) => limits,
        Err(errors) => {
            let shown = page(&me, form.idle_minutes, form.absolute_hours, &errors);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&shown)?).into_response());
        }
    };
    state
        .store
        .set_session_limits(me.person.trust, limits)
        .await?;
    let detail = format!(
        "sessions end after {} minutes without a request and {} hours in all",
        limits.idle_minutes, limits.absolute_hours
    );
    crate::audit::record(&state, &me, AuditAction::SettingChanged, None, &detail).await?;
    Ok(Redirect::to(&format!("{}?saved=1", urls::ADMIN_SESSIONS)).into_response())
}
