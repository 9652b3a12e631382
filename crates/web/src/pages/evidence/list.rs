//! `/evidence` and `/people/{person}/evidence`: a portfolio of evidence in the
//! current cycle, with the form to add to my own.

use axum::extract::{Path, Query, State};
use axum::response::Html;
use serde::Deserialize;

use super::evidence_page;
use crate::access;
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct EvidenceQuery {
    #[serde(default)]
    item: String,
}

/// `GET /evidence`: my portfolio in the current cycle and the form to add to it.
pub async fn list(
    State(state): State<AppState>,
    me: SignedIn,
    Query(query): Query<EvidenceQuery>,
) -> Result<Html<String>, WebError> {
    let id = me.person.id;
    evidence_page(&state, me, id, &query.item).await
}

/// `GET /people/{person}/evidence`: someone's evidence, if they shared it with me.
pub async fn of_person(
    State(state): State<AppState>,
    me: SignedIn,
    Path(person): Path<String>,
) -> Result<Html<String>, WebError> {
    let person = access::person_id(&person)?;
    evidence_page(&state, me, person, "").await
}
