//! `/admin/people/new`: an administrator adds one person.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use leadkit_domain::audit::AuditAction;
use serde::Deserialize;

use axum::http::StatusCode;
use leadkit_domain::people::{Email, PersonName, Role, SchoolId, assignment};
use leadkit_store::people::NewPerson;

use crate::access;
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::extract::Form;
use crate::pages::{Page, render};
use crate::state::AppState;
use crate::urls;

use super::RoleChoice;

pub struct SchoolChoice {
    pub id: i64,
    pub name: String,
    pub selected: bool,
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
        roles: RoleChoice::all(|role| {
            form.roles.iter().any(|r| r == role.as_str())
                || (form.roles.is_empty()
                    && errors.is_empty()
                    && role == leadkit_domain::people::Role::Leader)
        }),
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

impl NewPersonForm {
    /// Reads the form as pairs: checkboxes repeat the `roles` field.
    fn from_pairs(pairs: Vec<(String, String)>) -> Self {
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
        form
    }
}

/// A new person's details, checked.
struct Checked {
    name: PersonName,
    email: Email,
    job_title: String,
    roles: Vec<Role>,
    /// An existing school, or the name of one to add.
    school: Option<Result<SchoolId, String>>,
}

/// Checks every field, collecting every problem.
async fn check(
    state: &AppState,
    me: &SignedIn,
    form: &NewPersonForm,
) -> Result<Result<Checked, Vec<String>>, WebError> {
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
    // A school still to be added counts as a school for the role rules.
    let some_school = school.as_ref().map(|s| *s.as_ref().unwrap_or(&SchoolId(0)));
    if let Err(error) = assignment::grants(&roles, some_school) {
        errors.push(error.message);
    }
    if let (Some(email), true) = (&email, errors.is_empty())
        && state.store.credentials(email).await?.is_some()
    {
        errors.push(format!("{} is already in use", email.as_str()));
    }
    Ok(match (name, email, errors.is_empty()) {
        (Some(name), Some(email), true) => Ok(Checked {
            name,
            email,
            job_title,
            roles,
            school,
        }),
        _ => Err(errors),
    })
}

/// `POST /admin/people/new`: adds one person (no password until invited).
pub async fn add_person(
    State(state): State<AppState>,
    me: SignedIn,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    access::administer(&me)?;
    let form = NewPersonForm::from_pairs(pairs);
    let checked = match check(&state, &me, &form).await? {
        Ok(checked) => checked,
        Err(errors) => {
            let page = new_person_page(&state, &me, &form, errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
        }
    };
    let school: Option<SchoolId> = match checked.school {
        Some(Ok(id)) => Some(id),
        Some(Err(new)) => Some(state.store.create_school(me.person.trust, &new).await?),
        None => None,
    };
    let roles = assignment::grants(&checked.roles, school).map_err(crate::forms::invalid)?;
    let new = NewPerson {
        trust: me.person.trust,
        school,
        name: checked.name,
        email: checked.email.clone(),
        job_title: checked.job_title,
        roles,
        password_hash: None,
    };
    let person = state.store.create_person(&new, state.clock.now()).await?;
    let detail = format!("added {}", checked.email.as_str());
    crate::audit::record(&state, &me, AuditAction::PersonAdded, Some(person), &detail).await?;
    Ok(Redirect::to(urls::ADMIN_PEOPLE).into_response())
}
