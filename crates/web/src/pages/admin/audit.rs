//! `/admin/audit`: the audit log as a page (the newest entries) and as CSV.

use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use leadkit_store::audit::AuditEntry;

use leadkit_interop::cells::write_safe_record;

use crate::access;
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::pages::{Page, render};
use crate::state::AppState;
use crate::urls;

/// How many entries the audit page shows; the CSV has them all.
const AUDIT_PAGE_LIMIT: i64 = 500;

pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub action: &'static str,
    pub subject: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
pub struct AuditPage {
    pub page: Page,
    pub rows: Vec<AuditRow>,
    pub limit: i64,
    pub csv_url: &'static str,
}

/// The exact time, for the CSV download (machines read it).
fn when(entry: &AuditEntry) -> String {
    entry
        .at
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// `GET /admin/audit`: the newest entries.
pub async fn audit(State(state): State<AppState>, me: SignedIn) -> Result<Html<String>, WebError> {
    access::administer(&me)?;
    let entries = state
        .store
        .audit_log(me.person.trust, AUDIT_PAGE_LIMIT)
        .await?;
    render(&AuditPage {
        page: Page::new("Audit log", "admin", Some(&me)),
        rows: entries
            .iter()
            .map(|entry| AuditRow {
                at: crate::views::moment(entry.at),
                actor: entry.actor_name.clone(),
                action: entry.action.as_str(),
                subject: entry.subject_name.clone(),
                detail: entry.detail.clone(),
            })
            .collect(),
        limit: AUDIT_PAGE_LIMIT,
        csv_url: urls::ADMIN_AUDIT_CSV,
    })
}

/// `GET /admin/audit.csv`: the whole log, newest first.
pub async fn audit_csv(State(state): State<AppState>, me: SignedIn) -> Result<Response, WebError> {
    access::administer(&me)?;
    let entries = state.store.audit_log(me.person.trust, i64::MAX).await?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = [
        "id",
        "at",
        "actor_id",
        "actor",
        "action",
        "subject_id",
        "subject",
        "detail",
    ];
    let write_error =
        |error: csv::Error| WebError::Internal(format!("writing the audit CSV: {error}"));
    writer.write_record(header).map_err(write_error)?;
    for entry in &entries {
        write_safe_record(
            &mut writer,
            [
                entry.id.to_string(),
                when(entry),
                entry.actor.map(|p| p.0.to_string()).unwrap_or_default(),
                entry.actor_name.clone(),
                entry.action.as_str().to_owned(),
                entry.subject.map(|p| p.0.to_string()).unwrap_or_default(),
                entry.subject_name.clone(),
                entry.detail.clone(),
            ],
        )
        .map_err(write_error)?;
    }
    let body = writer
        .into_inner()
        .map_err(|error| WebError::Internal(format!("writing the audit CSV: {error}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"leadkit-audit-log.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}
