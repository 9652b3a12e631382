//! `POST /notices/{notice}/dismiss`: a person puts away a notice on their home
//! page (a new coach or line manager, say).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use crate::auth::SignedIn;
use crate::error::WebError;
use crate::state::AppState;
use crate::urls;

pub async fn dismiss(
    State(state): State<AppState>,
    me: SignedIn,
    Path(notice): Path<String>,
) -> Result<Response, WebError> {
    let notice: i64 = notice.parse().map_err(|_| WebError::NotFound)?;
    state
        .store
        .dismiss_notice(me.person.id, notice, state.clock.now())
        .await?;
    Ok(Redirect::to(urls::HOME).into_response())
}
