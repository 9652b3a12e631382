//! `/profile/record`: my one-page record for this cycle, to take into a
//! meeting with my coach: strengths and areas for development (proposed from
//! my levels and my coach's agreed views until I write my own), my overall
//! comment beside my coach's, my goals and our checkpoint records. Printable.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leadkit_domain::ValidationError;
use leadkit_domain::access::Action;
use leadkit_domain::reflection::Note;
use serde::Deserialize;

use super::{RecordView, load_record, record_view};
use crate::access;
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::extract::Form;
use crate::pages::{Page, render};
use crate::state::AppState;
use crate::urls;

#[derive(Template)]
#[template(path = "profile/record.html")]
pub struct RecordPage {
    pub page: Page,
    pub cycle_name: String,
    pub person_name: String,
    pub record: Option<RecordView>,
    pub record_editable: bool,
    /// The form, as saved, proposed or typed.
    pub strengths: String,
    pub development: String,
    pub comment: String,
    pub errors: Vec<ValidationError>,
    pub saved: bool,
}

impl RecordPage {
    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
}

#[derive(Deserialize, Default)]
pub struct SavedQuery {
    #[serde(default)]
    saved: String,
}

async fn record_page(state: &AppState, me: &SignedIn) -> Result<RecordPage, WebError> {
    let stored = state
        .catalog
        .latest(state.config.primary_framework.as_str())
        .ok_or(WebError::NotFound)?;
    let granted =
        access::reflections_of(state, me, me.person.id, Action::WriteReflections, stored).await?;
    let reflections = state.store.reflections(granted.scope).await?;
    let goals = state.store.goals_of(me.person.id, granted.cycle.id).await?;
    let data = load_record(
        state,
        &granted.owner,
        &granted.cycle,
        stored,
        &reflections,
        goals,
    )
    .await?;
    let view = record_view(&data);
    Ok(RecordPage {
        page: Page::new("My one-page record", "profile", Some(me)),
        cycle_name: granted.cycle.name.clone(),
        person_name: me.person.name.as_str().to_owned(),
        strengths: view.strengths.join("\n"),
        development: view.development.join("\n"),
        comment: view.leader_comment.clone(),
        record: Some(view),
        record_editable: true,
        errors: Vec::new(),
        saved: false,
    })
}

/// `GET /profile/record`.
pub async fn show(
    State(state): State<AppState>,
    me: SignedIn,
    Query(query): Query<SavedQuery>,
) -> Result<Response, WebError> {
    let mut page = record_page(&state, &me).await?;
    page.saved = query.saved == "yes";
    Ok(render(&page)?.into_response())
}

#[derive(Deserialize)]
pub struct RecordForm {
    #[serde(default)]
    strengths: String,
    #[serde(default)]
    development: String,
    #[serde(default)]
    comment: String,
}

/// `POST /profile/record`: saves my part; a refusal keeps every word typed.
pub async fn save(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<RecordForm>,
) -> Result<Response, WebError> {
    let mut errors = Vec::new();
    let mut field = |name: &'static str, raw: &str| match Note::parse(raw) {
        Ok(note) => note.as_str().to_owned(),
        Err(error) => {
            errors.push(ValidationError::new(name, error.message));
            String::new()
        }
    };
    let strengths = field("strengths", &form.strengths);
    let development = field("development", &form.development);
    let comment = field("comment", &form.comment);
    let mut page = record_page(&state, &me).await?;
    if !errors.is_empty() {
        page.strengths = form.strengths;
        page.development = form.development;
        page.comment = form.comment;
        page.errors = errors;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
    }
    let cycle = state
        .store
        .current_cycle(me.person.trust, me.person.school, state.clock.now().date())
        .await?
        .ok_or_else(|| WebError::BadRequest("No cycle is open for your trust yet.".into()))?;
    state
        .store
        .save_leader_summary(
            me.person.id,
            cycle.id,
            &strengths,
            &development,
            &comment,
            state.clock.now(),
        )
        .await?;
    Ok(Redirect::to(&format!("{}?saved=yes", urls::PROFILE_RECORD)).into_response())
}
