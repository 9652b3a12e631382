//! `/admin/cycles/{cycle}/checkpoints`: the points of a coaching year (goals
//! agreed by October, a mid-year review by February, …). Each appears on
//! leaders' and coaches' homes, in calendar feeds and in reminders. A
//! checkpoint nobody has recorded yet can be removed, and the removal undone.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use leadkit_domain::ValidationError;
use leadkit_domain::audit::AuditAction;
use leadkit_domain::checkpoint::{CheckpointId, validate};
use leadkit_domain::cycle::{Cycle, CycleId};
use leadkit_store::StoreError;
use serde::Deserialize;

use crate::access;
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::extract::Form;
use crate::pages::{Page, render};
use crate::state::AppState;
use crate::urls;
use crate::views::long_date;

pub struct CheckpointRow {
    pub name: String,
    /// "28 February 2027"
    pub due: String,
    pub remove_url: String,
}

#[derive(Template)]
#[template(path = "admin/checkpoints.html")]
pub struct CheckpointsPage {
    pub page: Page,
    pub cycle_name: String,
    pub cycle_dates: String,
    pub action: String,
    pub checkpoints: Vec<CheckpointRow>,
    /// The form as typed, and what is wrong with it.
    pub name: String,
    pub due_on: String,
    pub errors: Vec<ValidationError>,
    /// Just removed: its name and date, for the undo (which adds it again).
    pub removed: Option<(String, String)>,
    pub added: Option<String>,
    pub refused: Option<String>,
}

impl CheckpointsPage {
    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
}

async fn cycle_of_mine(state: &AppState, me: &SignedIn, raw: &str) -> Result<Cycle, WebError> {
    access::administer(me)?;
    let id = raw
        .parse::<i64>()
        .map(CycleId)
        .map_err(|_| WebError::NotFound)?;
    match state.store.cycle(me.person.trust, id).await {
        Ok(cycle) => Ok(cycle),
        Err(StoreError::NotFound) => Err(WebError::NotFound),
        Err(error) => Err(error.into()),
    }
}

async fn page_for(
    state: &AppState,
    me: &SignedIn,
    cycle: &Cycle,
) -> Result<CheckpointsPage, WebError> {
    let checkpoints = state.store.checkpoints(me.person.trust, cycle.id).await?;
    Ok(CheckpointsPage {
        page: Page::new(format!("Checkpoints of {}", cycle.name), "admin", Some(me)),
        cycle_name: cycle.name.clone(),
        cycle_dates: format!(
            "{} to {}",
            long_date(cycle.starts_on),
            long_date(cycle.ends_on)
        ),
        action: urls::admin_checkpoints(cycle.id),
        checkpoints: checkpoints
            .iter()
            .map(|c| CheckpointRow {
                name: c.name.clone(),
                due: long_date(c.due_on),
                remove_url: urls::admin_remove_checkpoint(cycle.id, c.id),
            })
            .collect(),
        name: String::new(),
        due_on: String::new(),
        errors: Vec::new(),
        removed: None,
        added: None,
        refused: None,
    })
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    removed: Option<String>,
    #[serde(default)]
    due_on: Option<String>,
    #[serde(default)]
    added: Option<String>,
}

/// `GET /admin/cycles/{cycle}/checkpoints`.
pub async fn show(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Html<String>, WebError> {
    let cycle = cycle_of_mine(&state, &me, &raw).await?;
    let mut page = page_for(&state, &me, &cycle).await?;
    page.removed = done.removed.zip(done.due_on);
    page.added = done.added;
    render(&page)
}

#[derive(Deserialize)]
pub struct CheckpointForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    due_on: String,
}

/// `POST /admin/cycles/{cycle}/checkpoints`: adds one (also the undo of a removal).
pub async fn add(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
    Form(form): Form<CheckpointForm>,
) -> Result<Response, WebError> {
    let cycle = cycle_of_mine(&state, &me, &raw).await?;
    let existing = state.store.checkpoints(me.person.trust, cycle.id).await?;
    let refuse = |mut page: CheckpointsPage, errors| -> Result<Response, WebError> {
        page.name = form.name.clone();
        page.due_on = form.due_on.clone();
        page.errors = errors;
        Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
    };
    let (name, due_on) = match validate(&cycle, &existing, &form.name, &form.due_on) {
        Ok(valid) => valid,
        Err(errors) => return refuse(page_for(&state, &me, &cycle).await?, errors),
    };
    match state
        .store
        .add_checkpoint(me.person.trust, cycle.id, &name, due_on)
        .await
    {
        Ok(_) => {}
        Err(StoreError::Conflict(why)) => {
            return refuse(
                page_for(&state, &me, &cycle).await?,
                vec![ValidationError::new("name", format!("{why}."))],
            );
        }
        Err(error) => return Err(error.into()),
    }
    let detail = format!(
        "added the checkpoint “{name}” ({}) to {}",
        long_date(due_on),
        cycle.name
    );
    crate::audit::record(&state, &me, AuditAction::SettingChanged, None, &detail).await?;
    let back = format!(
        "{}?added={}",
        urls::admin_checkpoints(cycle.id),
        urlencoding(&name)
    );
    Ok(Redirect::to(&back).into_response())
}

/// `POST /admin/cycles/{cycle}/checkpoints/{checkpoint}/remove`.
pub async fn remove(
    State(state): State<AppState>,
    me: SignedIn,
    Path((raw, checkpoint)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let cycle = cycle_of_mine(&state, &me, &raw).await?;
    let id = checkpoint
        .parse::<i64>()
        .map(CheckpointId)
        .map_err(|_| WebError::NotFound)?;
    if !state
        .store
        .checkpoints(me.person.trust, cycle.id)
        .await?
        .iter()
        .any(|c| c.id == id)
    {
        return Err(WebError::NotFound);
    }
    let removed = match state.store.remove_checkpoint(me.person.trust, id).await {
        Ok(removed) => removed,
        Err(StoreError::Conflict(why)) => {
            let mut page = page_for(&state, &me, &cycle).await?;
            page.refused = Some(format!("{why}."));
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
        }
        Err(StoreError::NotFound) => return Err(WebError::NotFound),
        Err(error) => return Err(error.into()),
    };
    let detail = format!(
        "removed the checkpoint “{}” from {}",
        removed.name, cycle.name
    );
    crate::audit::record(&state, &me, AuditAction::SettingChanged, None, &detail).await?;
    let back = format!(
        "{}?removed={}&due_on={}",
        urls::admin_checkpoints(cycle.id),
        urlencoding(&removed.name),
        removed.due_on
    );
    Ok(Redirect::to(&back).into_response())
}

fn urlencoding(text: &str) -> String {
    serde_urlencoded::to_string([("", text)])
        .map(|pair| pair.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}
