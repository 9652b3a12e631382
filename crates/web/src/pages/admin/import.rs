//! `/admin/people/import`: a staff list checked (every change and problem by
//! line), then applied all or nothing.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use leadkit_domain::audit::AuditAction;
use serde::Deserialize;

use crate::access;
use crate::auth::SignedIn;
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
    /// After a dry run: what would change, every problem, and who is not listed.
    pub checked: bool,
    pub changes: Vec<String>,
    pub problems: Vec<String>,
    pub not_in_file: usize,
    /// After applying: what was done.
    pub done: Option<String>,
}

/// `GET /admin/people/import`.
pub async fn import_form(
    State(_state): State<AppState>,
    me: SignedIn,
) -> Result<Html<String>, WebError> {
    access::administer(&me)?;
    render(&ImportPage {
        page: Page::new("Import a staff list", "admin", Some(&me)),
        csv: String::new(),
        archive_missing: false,
        checked: false,
        changes: Vec::new(),
        problems: Vec::new(),
        not_in_file: 0,
        done: None,
    })
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

/// `POST /admin/people/import`: a dry run, or (step=apply) all or nothing.
pub async fn import(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<ImportForm>,
) -> Result<Response, WebError> {
    access::administer(&me)?;
    let archive_missing = form.archive_missing == "yes";
    let mut page = ImportPage {
        page: Page::new("Import a staff list", "admin", Some(&me)),
        csv: form.csv.clone(),
        archive_missing,
        checked: true,
        changes: Vec::new(),
        problems: Vec::new(),
        not_in_file: 0,
        done: None,
    };
    let rows = match leadkit_interop::staff::read(form.csv.as_bytes()) {
        Ok(rows) => rows,
        Err(error) => {
            page.problems = error.problems.iter().map(ToString::to_string).collect();
            return Ok(
                (axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response(),
            );
        }
    };
    let emails: Vec<String> = rows.iter().map(|r| r.email.clone()).collect();
    let mut current = state.store.staff_snapshot(me.person.trust, &emails).await?;
    // A list may not archive the administrator applying it, or demote them.
    current.acting = Some(me.person.email.clone());
    let plan = leadkit_domain::staff::plan(&rows, &current, archive_missing);
    page.changes = plan.changes.iter().map(|c| c.describe()).collect();
    page.problems = plan.problems.iter().map(ToString::to_string).collect();
    page.not_in_file = plan.not_in_file.len();
    if !plan.problems.is_empty() {
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
    }
    if form.step == "apply" && !plan.is_empty() {
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
                return Ok(
                    (axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response(),
                );
            }
            Err(other) => return Err(other.into()),
        };
        let summary = format!(
            "imported a staff list: {} schools, {} teams, {} people added, {} changed, {} archived",
            done.schools, done.teams, done.added, done.updated, done.archived
        );
        crate::audit::record(&state, &me, AuditAction::StaffImported, None, &summary).await?;
        page.done = Some(summary);
    }
    Ok(render(&page)?.into_response())
}
