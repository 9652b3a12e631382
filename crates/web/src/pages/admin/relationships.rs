//! `/admin/people/{person}/relationships`: a person's school, team, job title,
//! roles, coach and line manager, changed together.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use leadkit_store::audit::AuditAction;
use leadkit_store::sharing::RelationshipKind;

use crate::access;
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::extract::Form;
use crate::pages::{Page, render};
use crate::state::AppState;
use crate::urls;

use super::{RoleChoice, in_my_trust};

pub struct Choice {
    pub id: i64,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "admin/relationships.html")]
pub struct RelationshipsPage {
    pub page: Page,
    pub name: String,
    pub action: String,
    pub coaches: Vec<Choice>,
    pub line_managers: Vec<Choice>,
    pub schools: Vec<Choice>,
    pub teams: Vec<Choice>,
    pub job_title: String,
    pub roles: Vec<RoleChoice>,
}

/// `GET /admin/people/{person}/relationships`.
pub async fn relationships(
    State(state): State<AppState>,
    me: SignedIn,
    Path(person): Path<String>,
) -> Result<Html<String>, WebError> {
    access::administer(&me)?;
    let person = in_my_trust(&state, &me, &person).await?;
    let related = state.store.relationships_of(person.id).await?;
    let everyone = state.store.people_in_trust(me.person.trust).await?;
    let choices = |kind| -> Vec<Choice> {
        let current = related.iter().find(|r| r.kind == kind).map(|r| r.person);
        everyone
            .iter()
            .filter(|other| other.id != person.id)
            .map(|other| Choice {
                id: other.id.0,
                label: if other.job_title.is_empty() {
                    other.name.clone()
                } else {
                    format!("{}, {}", other.name, other.job_title)
                },
                selected: Some(other.id) == current,
            })
            .collect()
    };
    let team = state.store.team_of(person.id).await?;
    let schools = state.store.schools(me.person.trust).await?;
    let school_names: std::collections::HashMap<i64, String> =
        schools.iter().map(|s| (s.id.0, s.name.clone())).collect();
    render(&RelationshipsPage {
        page: Page::new(format!("Edit {}", person.name.as_str()), "admin", Some(&me)),
        name: person.name.as_str().to_owned(),
        action: urls::admin_relationships(person.id),
        coaches: choices(RelationshipKind::Coach),
        line_managers: choices(RelationshipKind::LineManager),
        schools: schools
            .iter()
            .map(|school| Choice {
                id: school.id.0,
                label: school.name.clone(),
                selected: person.school == Some(school.id),
            })
            .collect(),
        teams: state
            .store
            .teams_of_trust(me.person.trust)
            .await?
            .into_iter()
            .map(|t| Choice {
                id: t.id,
                label: format!(
                    "{} at {}",
                    t.name,
                    school_names.get(&t.school.0).cloned().unwrap_or_default()
                ),
                selected: team == Some(t.id),
            })
            .collect(),
        job_title: person.job_title.clone(),
        roles: RoleChoice::all(|role| person.has_role(role)),
    })
}

/// `POST /admin/people/{person}/relationships`: the whole new state of the
/// person's school, team, job title, roles, coach and line manager (an empty coach
/// or line manager removes it). Everything is checked before anything changes.
pub async fn save_relationships(
    State(state): State<AppState>,
    me: SignedIn,
    Path(person): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    use leadkit_domain::people::{Role, RoleGrant, SchoolId};
    access::administer(&me)?;
    let person = in_my_trust(&state, &me, &person).await?;
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
    };
    // Check both choices before changing either.
    let mut planned = Vec::new();
    for (kind, raw) in [
        (RelationshipKind::Coach, field("coach").unwrap_or_default()),
        (
            RelationshipKind::LineManager,
            field("line_manager").unwrap_or_default(),
        ),
    ] {
        let other = if raw.is_empty() {
            None
        } else {
            let other = in_my_trust(&state, &me, &raw).await.map_err(|_| {
                WebError::BadRequest(format!("Choose a {} from the list.", kind.label()))
            })?;
            if other.id == person.id {
                return Err(WebError::BadRequest(format!(
                    "A person cannot be their own {}.",
                    kind.label()
                )));
            }
            Some(other)
        };
        planned.push((kind, other));
    }
    // Details are changed only when the form carries them (the roles are checkboxes,
    // so the form says so with `details=yes`).
    let details = if field("details").as_deref() == Some("yes") {
        let school = match field("school").unwrap_or_default().as_str() {
            "" => None,
            raw => Some(SchoolId(raw.parse().map_err(|_| {
                WebError::BadRequest("Choose a school from the list.".into())
            })?)),
        };
        let team = match field("team").unwrap_or_default().as_str() {
            "" => None,
            raw => Some(
                raw.parse::<i64>()
                    .map_err(|_| WebError::BadRequest("Choose a team from the list.".into()))?,
            ),
        };
        let job_title = field("job_title").unwrap_or_default();
        if job_title.chars().count() > 200 {
            return Err(WebError::BadRequest(
                "A job title can be at most 200 characters.".into(),
            ));
        }
        let mut roles = Vec::new();
        for (_, raw) in pairs.iter().filter(|(k, _)| k == "roles") {
            let role = Role::parse(raw).map_err(|e| WebError::BadRequest(e.message))?;
            roles.push(RoleGrant {
                role,
                school: match role {
                    Role::TrustLead | Role::Administrator => None,
                    _ => school,
                },
            });
        }
        if roles.is_empty() {
            return Err(WebError::BadRequest("Choose at least one role.".into()));
        }
        if person.id == me.person.id && !roles.iter().any(|g| g.role == Role::Administrator) {
            return Err(WebError::BadRequest(
                "You cannot remove your own administrator role; ask another administrator.".into(),
            ));
        }
        Some(leadkit_store::people::PersonDetails {
            school,
            team,
            job_title,
            roles,
        })
    } else {
        None
    };
    if let Some(details) = &details {
        state
            .store
            .update_person_details(me.person.trust, person.id, details)
            .await
            .map_err(|error| match error {
                leadkit_store::StoreError::NotFound => {
                    WebError::BadRequest("Choose a school from the list.".into())
                }
                leadkit_store::StoreError::Conflict(_) => {
                    WebError::BadRequest("Choose a team at the person's school, or no team.".into())
                }
                other => other.into(),
            })?;
        let roles: Vec<&str> = details.roles.iter().map(|g| g.role.as_str()).collect();
        let detail = format!(
            "set school, team, job title and roles ({})",
            roles.join(", ")
        );
        crate::audit::record(
            &state,
            &me,
            AuditAction::SettingChanged,
            Some(person.id),
            &detail,
        )
        .await?;
    }
    let before = state.store.relationships_of(person.id).await?;
    for (kind, other) in planned {
        let was = before.iter().find(|r| r.kind == kind).map(|r| r.person);
        let now = other.as_ref().map(|o| o.id);
        if was == now {
            continue;
        }
        state.store.set_relationship(person.id, kind, now).await?;
        let detail = match &other {
            Some(other) => format!("set {} to {}", kind.label(), other.name.as_str()),
            None => format!("removed their {}", kind.label()),
        };
        crate::audit::record(
            &state,
            &me,
            AuditAction::RelationshipChanged,
            Some(person.id),
            &detail,
        )
        .await?;
    }
    Ok(Redirect::to(urls::ADMIN_PEOPLE).into_response())
}
