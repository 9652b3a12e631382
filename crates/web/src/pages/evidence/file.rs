//! An evidence file downloaded (as an attachment, to those allowed), and evidence
//! deleted with its file when nothing else names it.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use leadkit_domain::access::Action;
use leadkit_domain::access::RecordKind;
use leadkit_domain::evidence::safe_file_name;

use crate::access::{self, GrantedRecords};
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::state::AppState;
use crate::urls;

use super::{evidence_named, file_error};

/// `GET /evidence/{id}/file`: the file, as an attachment, for its owner or
/// someone they shared their evidence with.
pub async fn file(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    let evidence = evidence_named(&state, &raw).await?;
    access::records_of(
        &state,
        &me,
        evidence.owner,
        Some(evidence.cycle),
        Action::ReadEvidence,
        RecordKind::Evidence,
    )
    .await?;
    let stored = evidence.file.ok_or(WebError::NotFound)?;
    let Some(mut opened) = state.files.open(&stored.sha256).await.map_err(file_error)? else {
        return Err(WebError::Internal(format!(
            "the evidence file {} is missing from the evidence folder",
            stored.sha256
        )));
    };
    let mut bytes = Vec::with_capacity(stored.size as usize);
    tokio::io::AsyncReadExt::read_to_end(&mut opened, &mut bytes)
        .await
        .map_err(|error| WebError::Internal(error.to_string()))?;
    let mut response = Response::new(Body::from(bytes));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&stored.media_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    let name = safe_file_name(&stored.name);
    // The plain name for old clients (non-ASCII replaced), and the exact one per RFC 6266.
    let ascii: String = name
        .chars()
        .map(|c| if c.is_ascii() && c != '\\' { c } else { '_' })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    if let Ok(value) = HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    )) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    Ok(response)
}

/// `POST /evidence/{id}/delete`: deletes my evidence, and its file when nothing
/// else names it.
pub async fn delete(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    let evidence = evidence_named(&state, &raw).await?;
    let GrantedRecords { owner, cycle, .. } = access::records_of(
        &state,
        &me,
        evidence.owner,
        Some(evidence.cycle),
        Action::WriteGoalsAndEvidence,
        RecordKind::Evidence,
    )
    .await?;
    crate::access::writable(&state, &owner, &cycle).await?;
    if let Some(orphan) = state.store.delete_evidence(evidence.id).await? {
        state.files.remove(&orphan).await.map_err(file_error)?;
    }
    Ok(Redirect::to(urls::EVIDENCE).into_response())
}
