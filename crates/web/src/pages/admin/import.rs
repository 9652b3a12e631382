//! `/admin/people/import`: a staff list, pasted as CSV or uploaded as a CSV or
//! XLSX file, checked (every change, and every problem by the spreadsheet's own
//! row number), then applied all or nothing.
//!
//! An uploaded file is turned into CSV text in the same form (a workbook's
//! first sheet, one line per row), so the check and the apply that follows
//! read exactly what the administrator can see, with the sheet's row numbers.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use leadkit_domain::audit::AuditAction;
use leadkit_interop::MAX_IMPORT_BYTES;
use serde::Deserialize;

use crate::access;
use crate::auth::SignedIn;
use crate::auth::token::same_secret;
use crate::error::WebError;
use crate::extract::Form;
use crate::pages::{Page, render};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "admin/import.html")]
pub struct ImportPage {
    pub page: Page,
    pub csv: String,
    pub archive_missing: bool,
    /// The file the list was read from, when it was uploaded.
    pub source: Option<String>,
    /// After a dry run: what would change, every problem, and who is not listed.
    pub checked: bool,
    pub changes: Vec<String>,
    pub problems: Vec<String>,
    pub not_in_file: usize,
    /// After applying: what was done.
    pub done: Option<String>,
    /// After applying: people who still have no invitation.
    pub not_invited: usize,
}

impl ImportPage {
    fn new(me: &SignedIn, csv: String, archive_missing: bool) -> Self {
        ImportPage {
            page: Page::new("Import a staff list", "admin", Some(me)),
            csv,
            archive_missing,
            source: None,
            checked: false,
            changes: Vec::new(),
            problems: Vec::new(),
            not_in_file: 0,
            done: None,
            not_invited: 0,
        }
    }
}

/// `GET /admin/people/import`.
pub async fn import_form(
    State(_state): State<AppState>,
    me: SignedIn,
) -> Result<Html<String>, WebError> {
    access::administer(&me)?;
    render(&ImportPage::new(&me, String::new(), false))
}

#[derive(Deserialize)]
pub struct ImportForm {
    #[serde(default)]
    csv: String,
    #[serde(default)]
    archive_missing: String,
    /// "check" for a dry run, "apply" to make the changes.
    #[serde(default)]
    step: String,
}

fn refused(page: &ImportPage) -> Result<Response, WebError> {
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)?).into_response())
}

/// Checks the list in `page.csv` and, when `apply`, makes its changes.
async fn check(
    state: &AppState,
    me: &SignedIn,
    mut page: ImportPage,
    apply: bool,
) -> Result<Response, WebError> {
    page.checked = true;
    let rows = match leadkit_interop::staff::read(page.csv.as_bytes()) {
        Ok(rows) => rows,
        Err(error) => {
            page.problems = error.problems.iter().map(|p| p.in_rows()).collect();
            return refused(&page);
        }
    };
    if rows.is_empty() {
        page.problems = vec![
            "the list has a heading row but no people: add a row for each person under it".into(),
        ];
        return refused(&page);
    }
    let emails: Vec<String> = rows.iter().map(|r| r.email.clone()).collect();
    let mut current = state.store.staff_snapshot(me.person.trust, &emails).await?;
    // A list may not archive the administrator applying it, or demote them.
    current.acting = Some(me.person.email.clone());
    let plan = leadkit_domain::staff::plan(&rows, &current, page.archive_missing);
    page.changes = plan.changes.iter().map(|c| c.describe()).collect();
    page.problems = plan.problems.iter().map(ToString::to_string).collect();
    page.not_in_file = plan.not_in_file.len();
    if !plan.problems.is_empty() {
        return refused(&page);
    }
    if apply && !plan.is_empty() {
        let done = match state
            .store
            .apply_staff_plan(me.person.trust, &plan, state.clock.now())
            .await
        {
            Ok(done) => done,
            // The trust changed since the check (another administrator, the
            // command line): nothing was applied; say why beside the list.
            Err(leadkit_store::StoreError::Conflict(why)) => {
                page.problems = vec![why];
                return refused(&page);
            }
            Err(other) => return Err(other.into()),
        };
        let summary = format!(
            "imported a staff list: {} schools, {} teams, {} people added, {} changed, {} archived",
            done.schools, done.teams, done.added, done.updated, done.archived
        );
        crate::audit::record(state, me, AuditAction::StaffImported, None, &summary).await?;
        page.done = Some(summary);
        page.not_invited = state
            .store
            .people_overview(me.person.trust, state.clock.now())
            .await?
            .iter()
            .filter(|p| p.access == leadkit_store::people::Access::NotInvited)
            .count();
    }
    Ok(render(&page)?.into_response())
}

/// `POST /admin/people/import`: a dry run, or (step=apply) all or nothing.
pub async fn import(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<ImportForm>,
) -> Result<Response, WebError> {
    access::administer(&me)?;
    let page = ImportPage::new(&me, form.csv, form.archive_missing == "yes");
    check(&state, &me, page, form.step == "apply").await
}

fn unreadable(error: axum::extract::multipart::MultipartError) -> WebError {
    WebError::BadRequest(format!(
        "The upload could not be read ({}). Nothing was changed.",
        error.body_text()
    ))
}

/// `POST /admin/people/import/upload` (multipart): a CSV or XLSX file, read
/// into the form and checked (never applied: the administrator sees the
/// changes first).
pub async fn upload(
    State(state): State<AppState>,
    me: SignedIn,
    mut multipart: Multipart,
) -> Result<Response, WebError> {
    access::administer(&me)?;
    let mut genuine = false;
    let mut archive_missing = false;
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut too_large = false;
    while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name != "csrf" && !genuine {
            // The token comes first; nothing is read without it.
            return Err(WebError::Forgery);
        }
        let file_name = field.file_name().unwrap_or_default().to_owned();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
            if bytes.len() as u64 + chunk.len() as u64 > MAX_IMPORT_BYTES {
                too_large = true;
                continue; // read past the rest, to keep the other fields
            }
            bytes.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "csrf" => {
                genuine = std::str::from_utf8(&bytes)
                    .is_ok_and(|token| same_secret(&me.csrf_token, token));
                if !genuine {
                    return Err(WebError::Forgery);
                }
            }
            "archive_missing" => archive_missing = bytes == b"yes",
            "file" if !file_name.is_empty() => file = Some((file_name, bytes)),
            _ => {}
        }
    }
    let mut page = ImportPage::new(&me, String::new(), archive_missing);
    let Some((file_name, bytes)) = file else {
        page.checked = true;
        page.problems =
            vec!["choose a file to upload (CSV or Excel .xlsx), or paste the list below".into()];
        return refused(&page);
    };
    page.source = Some(file_name.clone());
    if too_large {
        page.checked = true;
        page.problems = vec![format!(
            "{file_name} is larger than {} MB: split the list, or remove columns leadkit does not read",
            MAX_IMPORT_BYTES / 1_048_576
        )];
        return refused(&page);
    }
    let text = if leadkit_interop::staff::is_workbook(&bytes) {
        leadkit_interop::staff::xlsx_as_csv(&bytes)
    } else {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        String::from_utf8(bytes.to_vec()).map_err(|_| {
            leadkit_interop::ImportError::one(
                None,
                format!("{file_name} is neither an Excel workbook (.xlsx) nor CSV text in UTF-8: in your spreadsheet, save it as \"CSV UTF-8\" or as .xlsx"),
            )
        })
    };
    match text {
        Ok(text) => {
            page.csv = text;
            check(&state, &me, page, false).await
        }
        Err(error) => {
            page.checked = true;
            page.problems = error.problems.iter().map(|p| p.in_rows()).collect();
            refused(&page)
        }
    }
}
