//! `/admin/people/{person}/relationships`: a person's school, team, job title,
//! roles, coach and line manager, changed together.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use leadkit_domain::access::RelationshipKind;
use leadkit_domain::audit::AuditAction;

use leadkit_domain::people::{Person, PersonId, Role, SchoolId, assignment};
use leadkit_store::StoreError;
use leadkit_store::people::{PersonDetails, PersonOverview};

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

/// The people of one school in a coach or line-manager picker.
pub struct ChoiceGroup {
    pub label: String,
    pub choices: Vec<Choice>,
}

/// Everyone who may be `person`'s coach or line manager, grouped by school:
/// the person's own school first, then the others by name, then the trust's
/// central staff; by name within each, coaches marked. Pure.
pub fn grouped_choices(
    everyone: &[PersonOverview],
    person: PersonId,
    own_school: Option<SchoolId>,
    current: Option<PersonId>,
    me: PersonId,
) -> Vec<ChoiceGroup> {
    let mut groups: std::collections::BTreeMap<(u8, String), Vec<Choice>> =
        std::collections::BTreeMap::new();
    for other in everyone
        .iter()
        // Nobody is their own coach, and an administrator cannot make
        // themselves anyone's (shown only if it was recorded before).
        .filter(|other| other.id != person)
        .filter(|other| other.id != me || Some(other.id) == current)
    {
        let key = match &other.school {
            Some((id, name)) if Some(*id) == own_school => (0, name.clone()),
            Some((_, name)) => (1, name.clone()),
            None => (2, "No school (central staff)".to_owned()),
        };
        let mut label = other.name.clone();
        if !other.job_title.is_empty() {
            label.push_str(", ");
            label.push_str(&other.job_title);
        }
        if other.roles.contains(&Role::Coach) {
            label.push_str(" · coach");
        }
        groups.entry(key).or_default().push(Choice {
            id: other.id.0,
            label,
            selected: Some(other.id) == current,
        });
    }
    groups
        .into_iter()
        .map(|((_, label), choices)| ChoiceGroup { label, choices })
        .collect()
}

#[derive(Template)]
#[template(path = "admin/relationships.html")]
pub struct RelationshipsPage {
    pub page: Page,
    pub name: String,
    pub action: String,
    pub coaches: Vec<ChoiceGroup>,
    pub line_managers: Vec<ChoiceGroup>,
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
    let everyone = state
        .store
        .people_overview(me.person.trust, state.clock.now())
        .await?;
    let choices = |kind| {
        let current = related.iter().find(|r| r.kind == kind).map(|r| r.person);
        grouped_choices(&everyone, person.id, person.school, current, me.person.id)
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

/// The person's new school, team, job title and roles, when the form carries
/// them (the roles are checkboxes, so the form says so with `details=yes`).
fn details_from(
    pairs: &[(String, String)],
    me: &SignedIn,
    person: &Person,
) -> Result<Option<PersonDetails>, WebError> {
    let field = |name: &str| crate::forms::text(pairs, name).trim();
    if field("details") != "yes" {
        return Ok(None);
    }
    let id = |raw: &str, what: &str| match raw {
        "" => Ok(None),
        raw => raw
            .parse::<i64>()
            .map(Some)
            .map_err(|_| WebError::BadRequest(format!("Choose a {what} from the list."))),
    };
    let school = id(field("school"), "school")?.map(SchoolId);
    let team = id(field("team"), "team")?;
    let job_title = field("job_title").to_owned();
    if job_title.chars().count() > 200 {
        return Err(WebError::BadRequest(
            "A job title can be at most 200 characters.".into(),
        ));
    }
    let roles = crate::forms::fields(pairs, "roles")
        .map(Role::parse)
        .collect::<Result<Vec<_>, _>>()
        .map_err(crate::forms::invalid)?;
    let roles = assignment::grants(&roles, school).map_err(crate::forms::invalid)?;
    assignment::keeps_own_administration(me.person.id, person.id, &roles)
        .map_err(crate::forms::invalid)?;
    Ok(Some(PersonDetails {
        school,
        team,
        job_title,
        roles,
    }))
}

/// The coach and line manager the form asks for (`None` removes one), each
/// someone in the trust other than the person.
async fn chosen_relations(
    state: &AppState,
    me: &SignedIn,
    person: &Person,
    pairs: &[(String, String)],
) -> Result<Vec<(RelationshipKind, Option<Person>)>, WebError> {
    let mut planned = Vec::new();
    for kind in RelationshipKind::ALL {
        let raw = crate::forms::text(pairs, kind.as_str()).trim();
        let other = if raw.is_empty() {
            None
        } else {
            let other = in_my_trust(state, me, raw).await.map_err(|_| {
                WebError::BadRequest(format!("Choose a {} from the list.", kind.label()))
            })?;
            assignment::relationship(me.person.id, person.id, other.id, kind.label())
                .map_err(crate::forms::invalid)?;
            Some(other)
        };
        planned.push((kind, other));
    }
    Ok(planned)
}

async fn save_details(
    state: &AppState,
    me: &SignedIn,
    person: &Person,
    details: &PersonDetails,
) -> Result<(), WebError> {
    state
        .store
        .update_person_details(me.person.trust, person.id, details)
        .await
        .map_err(|error| match error {
            StoreError::NotFound => WebError::BadRequest("Choose a school from the list.".into()),
            StoreError::Conflict(_) => {
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
        state,
        me,
        AuditAction::SettingChanged,
        Some(person.id),
        &detail,
    )
    .await
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
    access::administer(&me)?;
    let person = in_my_trust(&state, &me, &person).await?;
    let planned = chosen_relations(&state, &me, &person, &pairs).await?;
    if let Some(details) = details_from(&pairs, &me, &person)? {
        save_details(&state, &me, &person, &details).await?;
    }
    let before = state.store.relationships_of(person.id).await?;
    for (kind, other) in planned {
        let was = before.iter().find(|r| r.kind == kind).map(|r| r.person);
        let now = other.as_ref().map(|o| o.id);
        if was == now {
            continue;
        }
        state
            .store
            .set_relationship(person.id, kind, now, state.clock.now())
            .await?;
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
