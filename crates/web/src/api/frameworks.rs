//! `GET /api/frameworks` and `GET /api/frameworks/{key}`.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ErrorBody, WebError};
use crate::state::AppState;

/// One framework, as listed.
#[derive(Serialize, ToSchema)]
pub struct FrameworkListing {
    /// The framework's stable key, used in URLs.
    pub key: String,
    pub version: String,
    pub title: String,
    pub publisher: String,
    /// How many items a person reflects on.
    pub components: usize,
}

/// A whole framework: its scale of levels and its tree of items with descriptors.
/// A descriptor that is `null` is missing from the published source.
#[derive(Serialize, ToSchema)]
pub struct FrameworkDocument {
    pub id: String,
    pub version: String,
    pub title: String,
    /// Left out when the source names no publisher (likewise the other optional fields).
    pub publisher: Option<String>,
    pub motto: Option<String>,
    pub introduction: Option<Vec<String>>,
    /// `{ "name": …, "levels": [{ "code", "label", "summary", "lead_in", "points" }] }`;
    /// left out for a framework without levels.
    #[schema(value_type = Option<Object>)]
    pub scale: Option<serde_json::Value>,
    /// How an item of a kind is named before its code: `{ "domain": "Domain" }`.
    #[schema(value_type = Option<Object>)]
    pub kind_labels: Option<serde_json::Value>,
    /// Words the source puts before every descriptor ("A leader will").
    pub descriptor_lead_in: Option<String>,
    /// Links beyond the tree (CASE associations).
    #[schema(value_type = Option<Vec<Object>>)]
    pub associations: Option<serde_json::Value>,
    /// The framework's identifier in the system it was imported from.
    pub identifier: Option<String>,
    /// Other text the source gave the framework, verbatim by field name.
    #[schema(value_type = Option<Object>)]
    pub extra: Option<serde_json::Value>,
    /// Items: `{ "code", "kind", "title", "introduction"?, "descriptors"?: {level: text|null}, "children"? }`
    #[schema(value_type = Vec<Object>)]
    pub items: serde_json::Value,
}

/// The newest version of every framework.
#[utoipa::path(get, path = "/api/frameworks", tag = "frameworks",
    responses((status = 200, description = "The frameworks", body = [FrameworkListing])))]
pub async fn list(State(state): State<AppState>) -> axum::Json<Vec<FrameworkListing>> {
    axum::Json(
        state
            .catalog
            .latest_versions()
            .into_iter()
            .map(|stored| FrameworkListing {
                key: stored.framework.key.to_string(),
                version: stored.framework.version.clone(),
                title: stored.framework.title.clone(),
                publisher: stored.framework.publisher.clone(),
                components: stored.framework.reflectable_items().count(),
            })
            .collect(),
    )
}

/// The newest version of one framework, in full.
#[utoipa::path(get, path = "/api/frameworks/{key}", tag = "frameworks",
    params(("key" = String, Path, description = "The framework's key, e.g. leadership-toolkit")),
    responses(
        (status = 200, description = "The framework", body = FrameworkDocument),
        (status = 404, description = "No such framework", body = ErrorBody),
    ))]
pub async fn show(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<Response, ApiError> {
    let stored = state.catalog.latest(&key).ok_or(WebError::NotFound)?;
    Ok(axum::Json(&stored.framework).into_response())
}
