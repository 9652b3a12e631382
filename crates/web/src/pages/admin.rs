//! Administration: people with their coach and line manager, the trust's
//! sharing default, and the audit log (as a page and as CSV).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use leadkit_domain::people::PersonId;
use leadkit_store::audit::{AuditAction, AuditEntry, AuditRecord};
use leadkit_store::sharing::RelationshipKind;
use serde::Deserialize;

use super::{Page, render};
use crate::access;
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::extract::Form;
use crate::state::AppState;
use crate::urls;

/// How many entries the audit page shows; the CSV has them all.
const AUDIT_PAGE_LIMIT: i64 = 500;

pub struct PersonRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub school: String,
    pub job_title: String,
    pub coach: String,
    pub line_manager: String,
    pub edit_url: String,
}

#[derive(Template)]
#[template(path = "admin/people.html")]
pub struct PeoplePage {
    pub page: Page,
    pub people: Vec<PersonRow>,
    pub share_with_coach_by_default: bool,
    /// Days archived people are kept before they are erased; empty: kept.
    pub retention_days: String,
}

/// `GET /admin/people`.
pub async fn people(State(state): State<AppState>, me: SignedIn) -> Result<Html<String>, WebError> {
    access::administer(&me)?;
    let listed = state.store.people_in_trust(me.person.trust).await?;
    let mut people = Vec::with_capacity(listed.len());
    for person in listed {
        let related = state.store.relationships_of(person.id).await?;
        let name_of = |kind| {
            related
                .iter()
                .find(|r| r.kind == kind)
                .map_or_else(String::new, |r| r.name.clone())
        };
        people.push(PersonRow {
            id: person.id.0,
            coach: name_of(RelationshipKind::Coach),
            line_manager: name_of(RelationshipKind::LineManager),
            edit_url: urls::admin_relationships(person.id),
            name: person.name,
            email: person.email,
            school: person.school.unwrap_or_default(),
            job_title: person.job_title,
        });
    }
    render(&PeoplePage {
        page: Page::new("People", "admin", Some(&me)),
        people,
        share_with_coach_by_default: state
            .store
            .share_with_coach_by_default(me.person.trust)
            .await?,
        retention_days: state
            .store
            .archived_retention_days(me.person.trust)
            .await?
            .map(|days| days.to_string())
            .unwrap_or_default(),
    })
}

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

/// The person an administrator is changing, if they are in the administrator's trust.
async fn in_my_trust(
    state: &AppState,
    me: &SignedIn,
    raw: &str,
) -> Result<leadkit_domain::people::Person, WebError> {
    let id = access::person_id(raw)?;
    match state.store.person(id).await {
        Ok(person) if person.trust == me.person.trust => Ok(person),
        Ok(_) | Err(leadkit_store::StoreError::NotFound) => Err(WebError::NotFound),
        Err(error) => Err(error.into()),
    }
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
        roles: leadkit_domain::people::Role::ALL
            .into_iter()
            .map(|role| RoleChoice {
                value: role.as_str(),
                label: role.label(),
                checked: person.has_role(role),
            })
            .collect(),
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
        audit_admin(
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
        audit_admin(
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

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    share_with_coach_by_default: String,
}

/// `POST /admin/settings`.
pub async fn save_settings(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<SettingsForm>,
) -> Result<Response, WebError> {
    access::administer(&me)?;
    let on = match form.share_with_coach_by_default.as_str() {
        "yes" => true,
        "" | "no" => false,
        _ => return Err(WebError::BadRequest("Choose yes or no.".into())),
    };
    state
        .store
        .set_share_with_coach_by_default(me.person.trust, on)
        .await?;
    let detail = format!(
        "new cycles {} shared with each person's coach",
        if on { "start" } else { "do not start" }
    );
    audit_admin(&state, &me, AuditAction::SettingChanged, None, &detail).await?;
    Ok(Redirect::to(urls::ADMIN_PEOPLE).into_response())
}

#[derive(Deserialize)]
pub struct RetentionForm {
    #[serde(default)]
    days: String,
}

/// `POST /admin/retention`: how long archived people are kept (blank: kept).
pub async fn save_retention(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<RetentionForm>,
) -> Result<Response, WebError> {
    access::administer(&me)?;
    let days = match form.days.trim() {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(days) if (30..=3650).contains(&days) => Some(days),
            _ => {
                return Err(WebError::BadRequest(
                    "Give a number of days from 30 to 3650, or leave it empty to keep archived people."
                        .into(),
                ));
            }
        },
    };
    state
        .store
        .set_archived_retention_days(me.person.trust, days)
        .await?;
    let detail = match days {
        Some(days) => format!("archived people are erased {days} days after they were archived"),
        None => "archived people are kept".to_owned(),
    };
    audit_admin(&state, &me, AuditAction::SettingChanged, None, &detail).await?;
    Ok(Redirect::to(urls::ADMIN_PEOPLE).into_response())
}

pub(crate) async fn audit_admin(
    state: &AppState,
    me: &SignedIn,
    action: AuditAction,
    subject: Option<PersonId>,
    detail: &str,
) -> Result<(), WebError> {
    state
        .store
        .audit(
            AuditRecord {
                trust: me.person.trust,
                actor: me.person.id,
                action,
                subject,
                detail,
            },
            state.clock.now(),
        )
        .await?;
    Ok(())
}

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
                at: when(entry),
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
        writer
            .write_record([
                entry.id.to_string(),
                when(entry),
                entry.actor.map(|p| p.0.to_string()).unwrap_or_default(),
                entry.actor_name.clone(),
                entry.action.as_str().to_owned(),
                entry.subject.map(|p| p.0.to_string()).unwrap_or_default(),
                entry.subject_name.clone(),
                entry.detail.clone(),
            ])
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
    let current = state.store.staff_snapshot(me.person.trust, &emails).await?;
    let plan = leadkit_domain::staff::plan(&rows, &current, archive_missing);
    page.changes = plan.changes.iter().map(|c| c.describe()).collect();
    page.problems = plan.problems.iter().map(ToString::to_string).collect();
    page.not_in_file = plan.not_in_file.len();
    if !plan.problems.is_empty() {
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
    }
    if form.step == "apply" && !plan.is_empty() {
        let done = state
            .store
            .apply_staff_plan(me.person.trust, &plan, state.clock.now())
            .await?;
        let summary = format!(
            "imported a staff list: {} schools, {} teams, {} people added, {} changed, {} archived",
            done.schools, done.teams, done.added, done.updated, done.archived
        );
        audit_admin(&state, &me, AuditAction::StaffImported, None, &summary).await?;
        page.done = Some(summary);
    }
    Ok(render(&page)?.into_response())
}

pub struct SchoolChoice {
    pub id: i64,
    pub name: String,
    pub selected: bool,
}

pub struct RoleChoice {
    pub value: &'static str,
    pub label: &'static str,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "admin/new_person.html")]
pub struct NewPersonPage {
    pub page: Page,
    pub name: String,
    pub email: String,
    pub job_title: String,
    pub schools: Vec<SchoolChoice>,
    pub new_school: String,
    pub roles: Vec<RoleChoice>,
    pub errors: Vec<String>,
}

#[derive(Deserialize, Default)]
pub struct NewPersonForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    job_title: String,
    /// An existing school's id, or empty.
    #[serde(default)]
    school: String,
    /// A new school's name (used when `school` is empty).
    #[serde(default)]
    new_school: String,
    #[serde(default)]
    roles: Vec<String>,
}

async fn new_person_page(
    state: &AppState,
    me: &SignedIn,
    form: &NewPersonForm,
    errors: Vec<String>,
) -> Result<NewPersonPage, WebError> {
    let schools = state.store.schools(me.person.trust).await?;
    Ok(NewPersonPage {
        page: Page::new("Add a person", "admin", Some(me)),
        name: form.name.clone(),
        email: form.email.clone(),
        job_title: form.job_title.clone(),
        schools: schools
            .into_iter()
            .map(|school| SchoolChoice {
                selected: form.school == school.id.0.to_string(),
                id: school.id.0,
                name: school.name,
            })
            .collect(),
        new_school: form.new_school.clone(),
        roles: leadkit_domain::people::Role::ALL
            .into_iter()
            .map(|role| RoleChoice {
                value: role.as_str(),
                label: role.label(),
                checked: form.roles.iter().any(|r| r == role.as_str())
                    || (form.roles.is_empty()
                        && errors.is_empty()
                        && role == leadkit_domain::people::Role::Leader),
            })
            .collect(),
        errors,
    })
}

/// `GET /admin/people/new`.
pub async fn new_person_form(
    State(state): State<AppState>,
    me: SignedIn,
) -> Result<Html<String>, WebError> {
    access::administer(&me)?;
    render(&new_person_page(&state, &me, &NewPersonForm::default(), Vec::new()).await?)
}

/// `POST /admin/people/new`: adds one person (no password until invited).
pub async fn add_person(
    State(state): State<AppState>,
    me: SignedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    use leadkit_domain::people::{Email, PersonName, Role, RoleGrant, SchoolId};
    access::administer(&me)?;
    // Checkboxes repeat the `roles` field, so the form is read as pairs.
    let mut form = NewPersonForm::default();
    for (key, value) in pairs {
        match key.as_str() {
            "name" => form.name = value,
            "email" => form.email = value,
            "job_title" => form.job_title = value,
            "school" => form.school = value,
            "new_school" => form.new_school = value,
            "roles" => form.roles.push(value),
            _ => {}
        }
    }
    let mut errors = Vec::new();
    let name = PersonName::parse(&form.name)
        .map_err(|e| errors.push(e.message))
        .ok();
    let email = Email::parse(&form.email)
        .map_err(|e| errors.push(e.message))
        .ok();
    let job_title = form.job_title.trim().to_owned();
    if job_title.chars().count() > 200 {
        errors.push("A job title can be at most 200 characters".into());
    }
    let mut roles = Vec::new();
    for raw in &form.roles {
        match Role::parse(raw) {
            Ok(role) => roles.push(role),
            Err(error) => errors.push(error.message),
        }
    }
    if roles.is_empty() {
        errors.push("Choose at least one role".into());
    }
    let schools = state.store.schools(me.person.trust).await?;
    let school = match (form.school.trim(), form.new_school.trim()) {
        ("", "") => None,
        ("", new) if new.chars().count() <= 200 => Some(Err(new.to_owned())),
        ("", _) => {
            errors.push("A school's name can be at most 200 characters".into());
            None
        }
        (id, _) => match schools.iter().find(|s| s.id.0.to_string() == id) {
            Some(school) => Some(Ok(school.id)),
            None => {
                errors.push("Choose a school from the list".into());
                None
            }
        },
    };
    if roles.contains(&Role::SchoolLead) && school.is_none() {
        errors.push("A school lead needs a school".into());
    }
    if let (Some(email), true) = (&email, errors.is_empty())
        && state.store.credentials(email).await?.is_some()
    {
        errors.push(format!("{} is already in use", email.as_str()));
    }
    let (Some(name), Some(email), true) = (name, email, errors.is_empty()) else {
        let page = new_person_page(&state, &me, &form, errors).await?;
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
    };
    let school: Option<SchoolId> = match school {
        Some(Ok(id)) => Some(id),
        Some(Err(new)) => Some(state.store.create_school(me.person.trust, &new).await?),
        None => None,
    };
    let person = state
        .store
        .create_person(
            &leadkit_store::people::NewPerson {
                trust: me.person.trust,
                school,
                name,
                email: email.clone(),
                job_title,
                roles: roles
                    .iter()
                    .map(|&role| RoleGrant {
                        role,
                        school: match role {
                            Role::TrustLead | Role::Administrator => None,
                            _ => school,
                        },
                    })
                    .collect(),
                password_hash: None,
            },
            state.clock.now(),
        )
        .await?;
    let detail = format!("added {}", email.as_str());
    audit_admin(&state, &me, AuditAction::PersonAdded, Some(person), &detail).await?;
    Ok(Redirect::to(urls::ADMIN_PEOPLE).into_response())
}

#[derive(Template)]
#[template(path = "admin/sign_on.html")]
pub struct SignOnPage {
    pub page: Page,
    pub issuer: String,
    pub client_id: String,
    pub has_secret: bool,
    pub redirect_uri: String,
}

/// `GET /admin/sign-on`: the trust's OpenID Connect provider.
pub async fn sign_on(
    State(state): State<AppState>,
    me: SignedIn,
) -> Result<Html<String>, WebError> {
    access::administer(&me)?;
    let settings = state.store.oidc_settings(me.person.trust).await?;
    render(&SignOnPage {
        page: Page::new("Single sign-on", "admin", Some(&me)),
        issuer: settings
            .as_ref()
            .map(|s| s.issuer.clone())
            .unwrap_or_default(),
        client_id: settings
            .as_ref()
            .map(|s| s.client_id.clone())
            .unwrap_or_default(),
        has_secret: settings.is_some(),
        redirect_uri: format!("{}{}", state.config.public_url, urls::SSO_CALLBACK),
    })
}

#[derive(Deserialize)]
pub struct SignOnForm {
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    client_id: String,
    /// Empty keeps the stored secret.
    #[serde(default)]
    client_secret: String,
    #[serde(default)]
    remove: String,
}

/// `POST /admin/sign-on`: saves (or with remove=yes removes) the provider.
pub async fn save_sign_on(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<SignOnForm>,
) -> Result<Response, WebError> {
    access::administer(&me)?;
    if form.remove == "yes" {
        state.store.set_oidc_settings(me.person.trust, None).await?;
        audit_admin(
            &state,
            &me,
            AuditAction::SettingChanged,
            None,
            "removed single sign-on",
        )
        .await?;
        return Ok(Redirect::to("/admin/sign-on").into_response());
    }
    let issuer = form.issuer.trim().trim_end_matches('/').to_owned();
    let local = issuer.starts_with("http://127.0.0.1") || issuer.starts_with("http://localhost");
    if !(issuer.starts_with("https://") || local) || issuer.contains(char::is_whitespace) {
        return Err(WebError::BadRequest(
            "The issuer must be an https:// address, such as https://login.microsoftonline.com/<tenant>/v2.0 or https://accounts.google.com.".into(),
        ));
    }
    let client_id = form.client_id.trim().to_owned();
    if client_id.is_empty() || client_id.len() > 500 {
        return Err(WebError::BadRequest(
            "Enter the client id the provider gave you.".into(),
        ));
    }
    let secret = match form.client_secret.trim() {
        "" => state
            .store
            .oidc_settings(me.person.trust)
            .await?
            .map(|s| s.client_secret)
            .ok_or_else(|| {
                WebError::BadRequest("Enter the client secret the provider gave you.".into())
            })?,
        secret => secret.to_owned(),
    };
    state
        .store
        .set_oidc_settings(
            me.person.trust,
            Some(&leadkit_store::sso::OidcSettings {
                issuer: issuer.clone(),
                client_id,
                client_secret: secret,
            }),
        )
        .await?;
    let detail = format!("single sign-on with {issuer}");
    audit_admin(&state, &me, AuditAction::SettingChanged, None, &detail).await?;
    Ok(Redirect::to("/admin/sign-on").into_response())
}

#[derive(Template)]
#[template(path = "admin/schools.html")]
pub struct SchoolsPage {
    pub page: Page,
    pub schools: Vec<leadkit_store::people::SchoolOverview>,
}

/// `GET /admin/schools`: the trust's schools and their teams.
pub async fn schools(
    State(state): State<AppState>,
    me: SignedIn,
) -> Result<Html<String>, WebError> {
    access::administer(&me)?;
    render(&SchoolsPage {
        page: Page::new("Schools and teams", "admin", Some(&me)),
        schools: state.store.school_overview(me.person.trust).await?,
    })
}

#[derive(Deserialize)]
pub struct SchoolForm {
    #[serde(default)]
    name: String,
    /// Set when adding a team to this school.
    #[serde(default)]
    school: String,
}

/// `POST /admin/schools`: adds a school, or (with `school`) a team to one.
pub async fn add_school_or_team(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<SchoolForm>,
) -> Result<Response, WebError> {
    access::administer(&me)?;
    let name = form.name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() || name.chars().count() > 200 {
        return Err(WebError::BadRequest(
            "Give a name of 1 to 200 characters.".into(),
        ));
    }
    let detail = if form.school.is_empty() {
        state
            .store
            .create_school(me.person.trust, &name)
            .await
            .map_err(|error| match error {
                leadkit_store::StoreError::Conflict(_) => {
                    WebError::BadRequest(format!("The trust already has a school called {name}."))
                }
                other => other.into(),
            })?;
        format!("added the school {name}")
    } else {
        let school = form
            .school
            .parse::<i64>()
            .map(leadkit_domain::people::SchoolId)
            .map_err(|_| WebError::BadRequest("Choose a school from the list.".into()))?;
        state
            .store
            .create_team(me.person.trust, school, &name)
            .await
            .map_err(|error| match error {
                leadkit_store::StoreError::NotFound => {
                    WebError::BadRequest("Choose a school from the list.".into())
                }
                leadkit_store::StoreError::Conflict(message) => {
                    WebError::BadRequest(format!("{}: {name}.", capitalised(&message)))
                }
                other => other.into(),
            })?;
        format!("added the team {name}")
    };
    audit_admin(&state, &me, AuditAction::SettingChanged, None, &detail).await?;
    Ok(Redirect::to("/admin/schools").into_response())
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
