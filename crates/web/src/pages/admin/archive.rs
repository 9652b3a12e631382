//! Archiving someone who left, confirmed first, and giving access back (the
//! undo, and the way back for someone archived by mistake or by an import).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use leadkit_domain::audit::AuditAction;
use leadkit_domain::people::Person;

use crate::access;
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::pages::{Page, render};
use crate::state::AppState;
use crate::urls;

#[derive(Template)]
#[template(path = "admin/archive.html")]
pub struct ArchivePage {
    pub page: Page,
    pub name: String,
    pub email: String,
    pub action: String,
    /// Why it cannot be done, when it cannot.
    pub refused: Option<String>,
}

fn page_for(me: &SignedIn, person: &Person, refused: Option<String>) -> ArchivePage {
    ArchivePage {
        page: Page::new(
            format!("Archive {}", person.name.as_str()),
            "admin",
            Some(me),
        ),
        name: person.name.as_str().to_owned(),
        email: person.email.as_str().to_owned(),
        action: urls::admin_archive(person.id),
        refused,
    }
}

const NOT_YOURSELF: &str =
    "You cannot archive yourself. Another administrator can, once you have left.";

/// `GET /admin/people/{person}/archive`: what archiving means, and the button.
pub async fn confirm(
    State(state): State<AppState>,
    me: SignedIn,
    Path(person): Path<String>,
) -> Result<Html<String>, WebError> {
    access::administer(&me)?;
    let person = super::in_my_trust(&state, &me, &person).await?;
    let refused = (person.id == me.person.id).then(|| NOT_YOURSELF.to_owned());
    render(&page_for(&me, &person, refused))
}

/// `POST /admin/people/{person}/archive`: archives them and returns to the
/// people page, which offers to undo it.
pub async fn archive(
    State(state): State<AppState>,
    me: SignedIn,
    Path(person): Path<String>,
) -> Result<Response, WebError> {
    access::administer(&me)?;
    let person = super::in_my_trust(&state, &me, &person).await?;
    let refuse = |why: String| -> Result<Response, WebError> {
        Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&page_for(&me, &person, Some(why)))?,
        )
            .into_response())
    };
    if person.id == me.person.id {
        return refuse(NOT_YOURSELF.to_owned());
    }
    match state
        .store
        .archive_person(me.person.trust, person.id, state.clock.now())
        .await
    {
        Ok(()) => {}
        Err(leadkit_store::StoreError::Conflict(why)) => {
            return refuse(format!(
                "{} cannot be archived: {why}.",
                person.name.as_str()
            ));
        }
        Err(error) => return Err(error.into()),
    }
    let detail = format!("archived {}", person.email.as_str());
    crate::audit::record(&state, &me, AuditAction::Archived, Some(person.id), &detail).await?;
    Ok(Redirect::to(&format!("{}?archived={}", urls::ADMIN_PEOPLE, person.id.0)).into_response())
}

/// `POST /admin/people/{person}/unarchive`: gives an archived person their
/// access back.
pub async fn unarchive(
    State(state): State<AppState>,
    me: SignedIn,
    Path(person): Path<String>,
) -> Result<Response, WebError> {
    access::administer(&me)?;
    let id = access::person_id(&person)?;
    let archived = state.store.archived_people(me.person.trust).await?;
    let Some(person) = archived.iter().find(|p| p.id == id) else {
        // Not archived (already given back, perhaps in another tab), or not ours.
        return match state.store.person(id).await {
            Ok(person) if person.trust == me.person.trust => {
                Ok(
                    Redirect::to(&format!("{}?unarchived={}", urls::ADMIN_PEOPLE, id.0))
                        .into_response(),
                )
            }
            _ => Err(WebError::NotFound),
        };
    };
    state.store.unarchive_person(me.person.trust, id).await?;
    let detail = format!("gave {} their access back", person.email);
    crate::audit::record(&state, &me, AuditAction::Unarchived, Some(id), &detail).await?;
    Ok(Redirect::to(&format!("{}?unarchived={}", urls::ADMIN_PEOPLE, id.0)).into_response())
}
