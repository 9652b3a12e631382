//! "Download my data": everything leadkit holds about me, as JSON and as a
//! readable page, and an administrator's erasure of a person.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use leadkit_domain::audit::AuditAction;
use leadkit_store::personal_data::{PersonalReflection, PersonalShare};
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;

use crate::access;
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::extract::Form;
use crate::pages::{Page, render};
use crate::state::AppState;
use crate::urls;

#[derive(Serialize)]
pub struct MyData {
    pub exported_at: String,
    pub person: PersonData,
    pub coach: Option<String>,
    pub line_manager: Option<String>,
    pub reflections: Vec<ReflectionData>,
    pub sharing: Vec<ShareData>,
    /// My goals in every cycle, with their actions, check-ins and reviews.
    pub goals: Vec<leadkit_domain::goal::Goal>,
    /// My evidence in every cycle (files are downloaded from the evidence page).
    pub evidence: Vec<leadkit_domain::evidence::Evidence>,
    /// My coach's views of my components and our conversation notes.
    pub coaching: Vec<CoachingData>,
    /// Who did what with my records, and what I did with others'.
    pub audit: Vec<AuditData>,
    /// What I have been told in the app (a new coach, say), dismissed or not.
    pub notices: Vec<NoticeData>,
}

#[derive(Serialize)]
pub struct NoticeData {
    pub at: String,
    pub text: String,
    pub dismissed_at: Option<String>,
}

#[derive(Serialize)]
pub struct PersonData {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub job_title: String,
    pub roles: Vec<String>,
}

#[derive(Serialize)]
pub struct ReflectionData {
    pub cycle: String,
    pub framework: String,
    pub framework_title: String,
    pub version: String,
    pub item: String,
    pub item_title: String,
    pub judgement: Option<String>,
    pub note: String,
    pub updated_at: String,
}

#[derive(Serialize)]
pub struct ShareData {
    pub cycle: String,
    pub record: String,
    pub audience: String,
    pub shared: bool,
    pub changed_at: String,
}

#[derive(Serialize)]
pub struct CoachingData {
    pub cycle: String,
    pub kind: String,
    pub author: String,
    pub judgement: Option<String>,
    pub text: String,
    pub at: String,
}

#[derive(Serialize)]
pub struct AuditData {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

fn rfc3339(at: time::OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_default()
}

async fn collect(state: &AppState, me: &SignedIn) -> Result<MyData, WebError> {
    Ok(personal_data(&state.store, &me.person, state.clock.now()).await?)
}

/// Everything leadkit holds about `person` (for their download, and for an
/// administrator's `leadkit people export`).
pub async fn personal_data(
    store: &leadkit_store::Store,
    person: &leadkit_domain::people::Person,
    now: time::OffsetDateTime,
) -> Result<MyData, leadkit_store::StoreError> {
    let related = store.relationships_of(person.id).await?;
    let name_of = |kind| {
        related
            .iter()
            .find(|r| r.kind == kind)
            .map(|r| r.name.clone())
    };
    let reflections = store.reflections_of_person(person.id).await?;
    let shares = store.shares_of_person(person.id).await?;
    let audit = store.audit_log_of_person(person.id).await?;
    let notices = store
        .all_notices_of(person.id)
        .await?
        .into_iter()
        .map(|(notice, dismissed)| NoticeData {
            at: rfc3339(notice.created_at),
            text: notice.body,
            dismissed_at: dismissed.map(rfc3339),
        })
        .collect();
    let goals = store.all_goals_of(person.id).await?;
    let evidence = store.all_evidence_of(person.id).await?;
    let coaching = store
        .coaching_records_of_person(person.id)
        .await?
        .into_iter()
        .map(|record| CoachingData {
            cycle: record.cycle,
            kind: record.kind,
            author: record.author,
            judgement: record.judgement,
            text: record.text,
            at: rfc3339(record.at),
        })
        .collect();
    Ok(MyData {
        notices,
        goals,
        evidence,
        coaching,
        exported_at: rfc3339(now),
        person: PersonData {
            id: person.id.0,
            name: person.name.as_str().to_owned(),
            email: person.email.as_str().to_owned(),
            job_title: person.job_title.clone(),
            roles: person
                .roles
                .iter()
                .map(|grant| grant.role.label().to_owned())
                .collect(),
        },
        coach: name_of(leadkit_domain::access::RelationshipKind::Coach),
        line_manager: name_of(leadkit_domain::access::RelationshipKind::LineManager),
        reflections: reflections.into_iter().map(reflection).collect(),
        sharing: shares.into_iter().map(share).collect(),
        audit: audit
            .into_iter()
            .map(|entry| AuditData {
                at: rfc3339(entry.at),
                actor: entry.actor_name,
                action: entry.action.as_str().to_owned(),
                subject: entry.subject_name,
                detail: entry.detail,
            })
            .collect(),
    })
}

fn reflection(r: PersonalReflection) -> ReflectionData {
    ReflectionData {
        cycle: r.cycle,
        framework: r.framework_key,
        framework_title: r.framework_title,
        version: r.framework_version,
        item: r.item,
        item_title: r.item_title,
        judgement: r.judgement,
        note: r.note,
        updated_at: rfc3339(r.updated_at),
    }
}

fn share(s: PersonalShare) -> ShareData {
    ShareData {
        cycle: s.cycle,
        record: s.record,
        audience: s.audience,
        shared: s.shared,
        changed_at: rfc3339(s.changed_at),
    }
}

/// `GET /profile/my-data.json`: a download of everything about me.
pub async fn json(State(state): State<AppState>, me: SignedIn) -> Result<Response, WebError> {
    let data = collect(&state, &me).await?;
    let body = serde_json::to_vec_pretty(&data)
        .map_err(|error| WebError::Internal(format!("writing my data: {error}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"leadkit-my-data.json\"",
            ),
        ],
        body,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "profile/my_data.html")]
pub struct MyDataPage {
    pub page: Page,
    pub data: MyData,
    pub json_url: &'static str,
}

/// `GET /profile/my-data`: the same as a readable, printable page.
pub async fn html(State(state): State<AppState>, me: SignedIn) -> Result<Html<String>, WebError> {
    let data = collect(&state, &me).await?;
    render(&MyDataPage {
        page: Page::new("My data", "profile", Some(&me)),
        data,
        json_url: urls::MY_DATA_JSON,
    })
}

#[derive(Template)]
#[template(path = "admin/erase.html")]
pub struct ErasePage {
    pub page: Page,
    pub name: String,
    pub email: String,
    pub action: String,
    pub error: Option<String>,
}

async fn person_to_erase(
    state: &AppState,
    me: &SignedIn,
    raw: &str,
) -> Result<leadkit_domain::people::Person, WebError> {
    access::administer(me)?;
    let id = access::person_id(raw)?;
    match state.store.person(id).await {
        Ok(person) if person.trust == me.person.trust => Ok(person),
        Ok(_) | Err(leadkit_store::StoreError::NotFound) => Err(WebError::NotFound),
        Err(error) => Err(error.into()),
    }
}

/// `GET /admin/people/{person}/erase`: what erasing means, and the confirmation.
pub async fn erase_form(
    State(state): State<AppState>,
    me: SignedIn,
    Path(person): Path<String>,
) -> Result<Html<String>, WebError> {
    let person = person_to_erase(&state, &me, &person).await?;
    render(&ErasePage {
        page: Page::new(
            format!("Erase {}", person.name.as_str()),
            "admin",
            Some(&me),
        ),
        name: person.name.as_str().to_owned(),
        email: person.email.as_str().to_owned(),
        action: urls::admin_erase(person.id),
        error: None,
    })
}

#[derive(Deserialize)]
pub struct EraseForm {
    #[serde(default)]
    confirm_email: String,
}

/// `POST /admin/people/{person}/erase`: erases the person once their email
/// address has been typed to confirm.
pub async fn erase(
    State(state): State<AppState>,
    me: SignedIn,
    Path(person): Path<String>,
    Form(form): Form<EraseForm>,
) -> Result<Response, WebError> {
    let person = person_to_erase(&state, &me, &person).await?;
    if person.id == me.person.id {
        return Err(WebError::BadRequest(
            "You cannot erase yourself; ask another administrator.".into(),
        ));
    }
    if form.confirm_email.trim().to_lowercase() != person.email.as_str() {
        let page = render(&ErasePage {
            page: Page::new(
                format!("Erase {}", person.name.as_str()),
                "admin",
                Some(&me),
            ),
            name: person.name.as_str().to_owned(),
            email: person.email.as_str().to_owned(),
            action: urls::admin_erase(person.id),
            error: Some(format!(
                "Type {} exactly to confirm. Nothing was erased.",
                person.email.as_str()
            )),
        })?;
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let orphans = state
        .store
        .erase_person(me.person.trust, person.id, state.clock.now())
        .await?;
    for orphan in orphans {
        if let Err(error) = state.files.remove(&orphan).await {
            tracing::warn!(%error, "could not delete an erased person's evidence file");
        }
    }
    let detail = format!("erased person {}", person.id.0);
    crate::audit::record(&state, &me, AuditAction::Erased, None, &detail).await?;
    Ok(Redirect::to(urls::ADMIN_PEOPLE).into_response())
}
