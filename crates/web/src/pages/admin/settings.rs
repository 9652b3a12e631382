//! The trust's settings on the people page: sharing in new cycles, and how long
//! archived people are kept.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use leadkit_domain::audit::AuditAction;
use serde::Deserialize;

use crate::access;
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::extract::Form;
use crate::state::AppState;
use crate::urls;

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    share_with_coach_by_default: String,
}

/// `POST /admin/settings`.
pub async fn save_settings(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<SettingsForm>,
) -> Result<Response, WebError> {
    access::administer(&me)?;
    let on = match form.share_with_coach_by_default.as_str() {
        "yes" => true,
        "" | "no" => false,
        _ => return Err(WebError::BadRequest("Choose yes or no.".into())),
    };
    state
        .store
        .set_share_with_coach_by_default(me.person.trust, on)
        .await?;
    let detail = format!(
        "new cycles {} shared with each person's coach",
        if on { "start" } else { "do not start" }
    );
    crate::audit::record(&state, &me, AuditAction::SettingChanged, None, &detail).await?;
    Ok(Redirect::to(urls::ADMIN_PEOPLE).into_response())
}

#[derive(Deserialize)]
pub struct RetentionForm {
    #[serde(default)]
    days: String,
}

/// `POST /admin/retention`: how long archived people are kept (blank: kept).
pub async fn save_retention(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<RetentionForm>,
) -> Result<Response, WebError> {
    access::administer(&me)?;
    let days = match form.days.trim() {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(days) if (30..=3650).contains(&days) => Some(days),
            _ => {
                return Err(crate::forms::refuse_at(
                    "days",
                    "Give a number of days from 30 to 3650, or leave it empty to keep archived people.",
                ));
            }
        },
    };
    state
        .store
        .set_archived_retention_days(me.person.trust, days)
        .await?;
    let detail = match days {
        Some(days) => format!("archived people are erased {days} days after they were archived"),
        None => "archived people are kept".to_owned(),
    };
    crate::audit::record(&state, &me, AuditAction::SettingChanged, None, &detail).await?;
    Ok(Redirect::to(urls::ADMIN_PEOPLE).into_response())
}
