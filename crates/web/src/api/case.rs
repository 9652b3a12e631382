//! The read endpoints of a 1EdTech CASE 1.1 service, at `/ims/case/v1p1/…`, so
//! that other systems can fetch any framework version leadkit publishes. Frameworks
//! are public; nothing about people is here.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use leadkit_domain::framework::Framework;
use leadkit_interop::case::{CfAssociation, CfPackage, alignment_associations, export};
use serde_json::json;

use crate::state::AppState;

/// Every published framework version as a CASE package, with the curated
/// alignments that touch it as associations to the other frameworks' items.
fn packages(state: &AppState) -> Vec<CfPackage> {
    let latest: Vec<&Framework> = state
        .catalog
        .latest_versions()
        .into_iter()
        .map(|stored| &stored.framework)
        .collect();
    state
        .catalog
        .all()
        .map(|stored| {
            let mut framework = stored.framework.clone();
            framework.associations.extend(alignment_associations(
                &stored.framework,
                &latest,
                state.catalog.alignments(),
                &state.config.public_url,
            ));
            export(&framework, &state.config.public_url, stored.published_at)
        })
        .collect()
}

/// CASE's status object for a failed request.
fn not_found(what: &str, id: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(json!({
            "imsx_codeMajor": "failure",
            "imsx_severity": "error",
            "imsx_description": format!("there is no {what} with the identifier {id}"),
            "imsx_CodeMinor": { "imsx_codeMinorField": [
                { "imsx_codeMinorFieldName": "sourcedId", "imsx_codeMinorFieldValue": "unknownobject" }
            ]},
        })),
    )
        .into_response()
}

pub async fn documents(State(state): State<AppState>) -> Response {
    let documents: Vec<_> = packages(&state).into_iter().map(|p| p.document).collect();
    Json(json!({ "CFDocuments": documents })).into_response()
}

pub async fn document(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    match packages(&state)
        .into_iter()
        .find(|p| p.document.identifier == id)
    {
        Some(package) => Json(package.document).into_response(),
        None => not_found("CFDocument", &id),
    }
}

pub async fn package(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    match packages(&state)
        .into_iter()
        .find(|p| p.document.identifier == id)
    {
        Some(package) => Json(package).into_response(),
        None => not_found("CFPackage", &id),
    }
}

pub async fn item(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let found = packages(&state)
        .into_iter()
        .flat_map(|p| p.items)
        .find(|item| item.identifier == id);
    match found {
        Some(item) => Json(item).into_response(),
        None => not_found("CFItem", &id),
    }
}

pub async fn association(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let found = packages(&state)
        .into_iter()
        .flat_map(|p| p.associations)
        .find(|association| association.identifier == id);
    match found {
        Some(association) => Json(association).into_response(),
        None => not_found("CFAssociation", &id),
    }
}

/// An item with every association that starts or ends at it.
pub async fn item_associations(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    for package in packages(&state) {
        if let Some(item) = package.items.iter().find(|item| item.identifier == id) {
            let associations: Vec<&CfAssociation> = package
                .associations
                .iter()
                .filter(|a| {
                    a.origin_node_uri.identifier == id || a.destination_node_uri.identifier == id
                })
                .collect();
            return Json(json!({ "CFItem": item, "CFAssociations": associations })).into_response();
        }
    }
    not_found("CFItem", &id)
}

pub async fn rubric(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let found = packages(&state)
        .into_iter()
        .flat_map(|p| p.rubrics)
        .find(|rubric| rubric.identifier == id);
    match found {
        Some(rubric) => Json(rubric).into_response(),
        None => not_found("CFRubric", &id),
    }
}
