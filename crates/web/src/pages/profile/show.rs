//! The profile pages: mine or someone's who shared it with me, against the
//! primary framework or any other.

use axum::extract::{Path, Query, State};
use axum::response::Html;

use super::{ProfileQuery, profile_page};
use crate::access;
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::pages::render;
use crate::state::AppState;

/// `GET /profile`: my profile against the trust's primary framework.
pub async fn show(
    State(state): State<AppState>,
    me: SignedIn,
    Query(query): Query<ProfileQuery>,
) -> Result<Html<String>, WebError> {
    let key = state.config.primary_framework.as_str().to_owned();
    render(&profile_page(&state, me, None, &key, &query).await?)
}

/// `GET /profile/{key}`: my profile against any published framework.
pub async fn show_framework(
    State(state): State<AppState>,
    me: SignedIn,
    Path(key): Path<String>,
    Query(query): Query<ProfileQuery>,
) -> Result<Html<String>, WebError> {
    render(&profile_page(&state, me, None, &key, &query).await?)
}

/// `GET /people/{person}/profile`: someone's profile, if they shared it with me.
pub async fn of_person(
    State(state): State<AppState>,
    me: SignedIn,
    Path(person): Path<String>,
    Query(query): Query<ProfileQuery>,
) -> Result<Html<String>, WebError> {
    let person = access::person_id(&person)?;
    let key = state.config.primary_framework.as_str().to_owned();
    render(&profile_page(&state, me, Some(person), &key, &query).await?)
}

/// `GET /people/{person}/profile/{key}`: the same against any framework.
pub async fn of_person_framework(
    State(state): State<AppState>,
    me: SignedIn,
    Path((person, key)): Path<(String, String)>,
    Query(query): Query<ProfileQuery>,
) -> Result<Html<String>, WebError> {
    let person = access::person_id(&person)?;
    render(&profile_page(&state, me, Some(person), &key, &query).await?)
}
