//! `POST /admin/insight-threshold`: the fewest people a shown number may describe.

use axum::extract::State;
use leadkit_domain::insight::Threshold;
use serde::Deserialize;

use crate::auth::SignedIn;
use crate::error::WebError;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct ThresholdForm {
    #[serde(default)]
    threshold: String,
}

/// `POST /admin/insight-threshold`: an administrator raises (or lowers, never
/// below 5) the fewest people a shown number may describe.
pub async fn save_threshold(
    State(state): State<AppState>,
    me: SignedIn,
    crate::extract::Form(form): crate::extract::Form<ThresholdForm>,
) -> Result<axum::response::Response, WebError> {
    use axum::response::IntoResponse;
    crate::access::administer(&me)?;
    let value =
        form.threshold.trim().parse::<u32>().map_err(|_| {
            WebError::BadRequest("Give a whole number of people, 5 or more.".into())
        })?;
    let threshold = Threshold::new(value).map_err(|error| WebError::BadRequest(error.message))?;
    state
        .store
        .set_insight_threshold(me.person.trust, threshold.get())
        .await?;
    crate::audit::record(
        &state,
        &me,
        leadkit_domain::audit::AuditAction::SettingChanged,
        None,
        &format!("set the insight threshold to {}", threshold.get()),
    )
    .await?;
    Ok(axum::response::Redirect::to(crate::urls::INSIGHT).into_response())
}
