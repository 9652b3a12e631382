//! Sharing my reflections (one click, revocable) with my coach, my line manager
//! or named colleagues, and the page of people who shared theirs with me.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use leadkit_domain::access::{Action, Audience, Sharing};
use leadkit_domain::access::{RecordKind, RelationshipKind};
use leadkit_domain::audit::AuditAction;
use leadkit_domain::people::{Email, PersonId};
use serde::Deserialize;

use crate::access;
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::extract::Form;
use crate::pages::{Page, render};
use crate::state::AppState;
use crate::urls;

#[derive(Deserialize)]
pub struct ShareForm {
    audience: String,
    /// A named colleague's id (to stop sharing with them).
    #[serde(default)]
    person: String,
    /// A colleague's email (to start sharing with them).
    #[serde(default)]
    email: String,
    /// "yes" to share, "no" to stop.
    share: String,
    /// Which records: reflections (the default), goals or evidence.
    #[serde(default)]
    record: String,
}

/// `POST /profile/sharing`: share my reflections in the current cycle with one
/// audience, or stop.
pub async fn save(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<ShareForm>,
) -> Result<Response, WebError> {
    let shared = match form.share.as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            return Err(WebError::BadRequest(
                "Choose to share or to stop sharing.".into(),
            ));
        }
    };
    let kind = match form.record.as_str() {
        "" => RecordKind::Reflections,
        raw => RecordKind::parse(raw).ok_or_else(|| {
            WebError::BadRequest("Choose reflections, goals or evidence to share.".into())
        })?,
    };
    let granted = access::records_of(&state, &me, me.person.id, None, Action::Share, kind).await?;
    let (audience, described) = audience_of(&state, &me, &form).await?;
    state
        .store
        .set_share(
            me.person.id,
            granted.cycle.id,
            kind,
            audience,
            shared,
            state.clock.now(),
        )
        .await
        .map_err(|error| match error {
            leadkit_store::StoreError::NotFound => {
                WebError::BadRequest("That colleague is not in your trust.".into())
            }
            other => other.into(),
        })?;
    let detail = format!(
        "{} their {} in {} with {described}",
        if shared { "shared" } else { "stopped sharing" },
        kind.label(),
        granted.cycle.name
    );
    let action = match shared {
        true => AuditAction::Shared,
        false => AuditAction::Unshared,
    };
    crate::audit::record(&state, &me, action, Some(me.person.id), &detail).await?;
    let back = match kind {
        RecordKind::Reflections => urls::PROFILE,
        RecordKind::Goals => urls::GOALS,
        RecordKind::Evidence => urls::EVIDENCE,
    };
    Ok(Redirect::to(&format!("{back}#sharing")).into_response())
}

/// Whom the form shares with, and how the audit log names them.
async fn audience_of(
    state: &AppState,
    me: &SignedIn,
    form: &ShareForm,
) -> Result<(Audience, String), WebError> {
    let related = state.store.relationships_of(me.person.id).await?;
    Ok(match form.audience.as_str() {
        "coach" | "line_manager" => {
            let (audience, kind) = if form.audience == "coach" {
                (Audience::Coach, RelationshipKind::Coach)
            } else {
                (Audience::LineManager, RelationshipKind::LineManager)
            };
            let Some(person) = related.iter().find(|r| r.kind == kind) else {
                return Err(WebError::BadRequest(format!(
                    "You have no {} recorded yet, so there is no one to share with. Your administrator records one.",
                    kind.label()
                )));
            };
            (audience, format!("their {}, {}", kind.label(), person.name))
        }
        "person" => {
            let colleague = if !form.person.trim().is_empty() {
                access::person_id(form.person.trim())
                    .map_err(|_| WebError::BadRequest("That colleague is not known.".into()))?
            } else {
                let email = Email::parse(&form.email).map_err(crate::forms::invalid_at("email"))?;
                state
                    .store
                    .person_by_email(me.person.trust, &email)
                    .await?
                    .ok_or_else(|| {
                        crate::forms::refuse_at(
                            "email",
                            format!(
                                "No one in your trust has the email address {}. Check the spelling, or ask your administrator.",
                                email.as_str()
                            ),
                        )
                    })?
            };
            if colleague == me.person.id {
                return Err(crate::forms::refuse_at(
                    "email",
                    "You always see your own reflections; name a colleague.",
                ));
            }
            let name = named(state, me, colleague).await?;
            (Audience::Person(colleague), name)
        }
        _ => return Err(WebError::BadRequest("Choose whom to share with.".into())),
    })
}

/// A colleague's name, if they are in my trust.
async fn named(state: &AppState, me: &SignedIn, person: PersonId) -> Result<String, WebError> {
    match state.store.person(person).await {
        Ok(colleague) if colleague.trust == me.person.trust => {
            Ok(colleague.name.as_str().to_owned())
        }
        Ok(_) | Err(leadkit_store::StoreError::NotFound) => Err(WebError::BadRequest(
            "That colleague is not in your trust.".into(),
        )),
        Err(error) => Err(error.into()),
    }
}

pub struct SupportedView {
    pub name: String,
    /// "coach", "line manager" or "coach and line manager".
    pub relationship: String,
    /// Their profile, when they shared it with me.
    pub profile_url: Option<String>,
    /// The coaching page, when I am their coach.
    pub coaching_url: Option<String>,
}

pub struct SharedWithMeView {
    pub name: String,
    pub profile_url: String,
}

#[derive(Template)]
#[template(path = "people/supporting.html")]
pub struct SupportingPage {
    pub page: Page,
    pub cycle_name: String,
    pub supported: Vec<SupportedView>,
}

/// `GET /people`: the people I coach or line-manage, and whether each has shared
/// their reflections with me in the current cycle.
pub async fn supporting(
    State(state): State<AppState>,
    me: SignedIn,
) -> Result<Html<String>, WebError> {
    let today = state.clock.now().date();
    let my_cycle = state
        .store
        .current_cycle(me.person.trust, me.person.school, today)
        .await?;
    let related = state.store.people_supported_by(me.person.id).await?;
    let mut supported: Vec<SupportedView> = Vec::new();
    let mut seen: Vec<PersonId> = Vec::new();
    for person in &related {
        if seen.contains(&person.person) {
            continue;
        }
        seen.push(person.person);
        let kinds: Vec<&str> = related
            .iter()
            .filter(|r| r.person == person.person)
            .map(|r| r.kind.label())
            .collect();
        // Each colleague works in their own school's current cycle.
        let school = match state.store.person(person.person).await {
            Ok(colleague) => colleague.school,
            Err(leadkit_store::StoreError::NotFound) => continue,
            Err(error) => return Err(error.into()),
        };
        let cycle = state
            .store
            .current_cycle(me.person.trust, school, today)
            .await?;
        let shared = match &cycle {
            Some(cycle) => {
                let sharing: Sharing = state
                    .store
                    .sharing(person.person, cycle.id, RecordKind::Reflections)
                    .await?;
                let relation = state.store.relation(me.person.id, person.person).await?;
                (relation.coach && sharing.is_shared_with(Audience::Coach))
                    || (relation.line_manager && sharing.is_shared_with(Audience::LineManager))
                    || sharing.is_shared_with(Audience::Person(me.person.id))
            }
            None => false,
        };
        supported.push(SupportedView {
            name: person.name.clone(),
            relationship: kinds.join(" and "),
            profile_url: shared.then(|| urls::person_profile(person.person)),
            coaching_url: related
                .iter()
                .any(|r| r.person == person.person && r.kind == RelationshipKind::Coach)
                .then(|| urls::person_coaching(person.person)),
        });
    }
    render(&SupportingPage {
        page: Page::new("People I support", "people", Some(&me)),
        cycle_name: my_cycle.map(|c| c.name).unwrap_or_default(),
        supported,
    })
}
