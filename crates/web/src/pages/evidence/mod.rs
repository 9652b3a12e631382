//! Evidence: the portfolio page, adding to it, and a file's download and deletion.
//! `portfolio` is the page's loader and view, which the list and a refused add
//! both show.

pub mod add;
pub mod file;
pub mod list;
pub mod portfolio;

use leadkit_domain::evidence::EvidenceId;
use leadkit_store::files::FileError;

use crate::error::WebError;

pub(super) fn file_error(error: FileError) -> WebError {
    WebError::Internal(error.to_string())
}

pub(super) fn evidence_id(raw: &str) -> Result<EvidenceId, WebError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(EvidenceId)
        .ok_or(WebError::NotFound)
}

/// The evidence an address names, or "not found".
pub(super) async fn evidence_named(
    state: &crate::state::AppState,
    raw: &str,
) -> Result<leadkit_domain::evidence::Evidence, WebError> {
    match state.store.evidence(evidence_id(raw)?).await {
        Ok(evidence) => Ok(evidence),
        Err(leadkit_store::StoreError::NotFound) => Err(WebError::NotFound),
        Err(error) => Err(error.into()),
    }
}
