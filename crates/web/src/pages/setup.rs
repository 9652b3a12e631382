//! The first administrator's one-time set-up link: there is no default password
//! anywhere, so the first start prints a link at which the first administrator
//! names the trust and sets their own password.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use leadkit_domain::ValidationError;
use leadkit_domain::cycle::school_year_containing;
use leadkit_domain::people::{Email, NewPassword, PersonName, Role, RoleGrant, TrustId};
use leadkit_store::Store;
use leadkit_store::people::{FIRST_ADMINISTRATOR, Founding, NewPerson};
use serde::Deserialize;
use time::{Duration, OffsetDateTime};

use crate::auth::csrf::presession;
use crate::auth::password;
use crate::auth::session::{self, PRESESSION_COOKIE, cookie};
use crate::auth::token::{hash_token, random_token};
use crate::error::WebError;
use crate::extract::Form;
use crate::pages::{Page, render};
use crate::state::AppState;

/// How long a printed set-up link works.
pub const LINK_LIFETIME: Duration = Duration::hours(24);

/// If no administrator can sign in yet, makes a new one-time set-up token (replacing
/// any earlier one) and returns it; otherwise `None`.
pub async fn first_administrator_token(
    store: &Store,
    now: OffsetDateTime,
) -> Result<Option<String>, WebError> {
    if store.administrators_with_password().await? > 0 {
        return Ok(None);
    }
    let token = random_token();
    store
        .replace_setup_token(
            &hash_token(&token),
            FIRST_ADMINISTRATOR,
            now + LINK_LIFETIME,
        )
        .await?;
    Ok(Some(token))
}

#[derive(Template)]
#[template(path = "auth/setup.html")]
pub struct SetupPage {
    pub page: Page,
    pub form_token: String,
    pub action: String,
    pub trust_name: String,
    pub name: String,
    pub email: String,
    pub errors: Vec<ValidationError>,
}

impl SetupPage {
    /// The message for one field, if it has a problem (for the template).
    pub fn error_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|error| error.field == field)
            .map(|error| error.message.as_str())
    }
}

#[derive(Deserialize)]
pub struct SetupForm {
    #[serde(default)]
    trust_name: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

async fn check_link(state: &AppState, token: &str) -> Result<String, WebError> {
    let token_hash = hash_token(token);
    let valid = state
        .store
        .setup_token_is_valid(&token_hash, FIRST_ADMINISTRATOR, state.clock.now())
        .await?;
    if valid {
        Ok(token_hash)
    } else {
        Err(WebError::NotFound)
    }
}

fn page_response(
    headers: &HeaderMap,
    state: &AppState,
    status: StatusCode,
    mut page: SetupPage,
) -> Result<Response, WebError> {
    let (form_token, set_cookie) = presession(
        cookie(headers, PRESESSION_COOKIE),
        state.config.secure_cookies,
        &state.config.presession_key,
    );
    page.form_token = form_token;
    let mut response = (status, render(&page)?).into_response();
    if let Some(value) = set_cookie {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}

pub async fn show(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    check_link(&state, &token).await?;
    let page = SetupPage {
        page: Page::new("Set up leadkit", "", None),
        form_token: String::new(),
        action: crate::urls::setup(&token),
        trust_name: String::new(),
        name: String::new(),
        email: String::new(),
        errors: Vec::new(),
    };
    page_response(&headers, &state, StatusCode::OK, page)
}

pub async fn save(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    Form(form): Form<SetupForm>,
) -> Result<Response, WebError> {
    let token_hash = check_link(&state, &token).await?;
    let mut errors = Vec::new();
    let trust_name = form.trust_name.trim().to_owned();
    if trust_name.is_empty() || trust_name.chars().count() > 200 {
        errors.push(ValidationError::new(
            "trust_name",
            "Enter your trust's name (at most 200 characters)",
        ));
    }
    let name = PersonName::parse(&form.name)
        .map_err(|e| errors.push(e))
        .ok();
    let email = Email::parse(&form.email).map_err(|e| errors.push(e)).ok();
    let new_password = NewPassword::parse_for(
        &form.password,
        &[form.name.as_str(), form.email.as_str(), trust_name.as_str()],
    )
    .map_err(|e| errors.push(e))
    .ok();
    if new_password.is_some() && form.password != form.password_again {
        errors.push(ValidationError::new(
            "password_again",
            "The two passwords are not the same",
        ));
    }
    let (Some(name), Some(email), Some(new_password), true) =
        (name, email, new_password, errors.is_empty())
    else {
        let page = SetupPage {
            page: Page::new("Set up leadkit", "", None),
            form_token: String::new(),
            action: crate::urls::setup(&token),
            trust_name,
            name: form.name,
            email: form.email,
            errors,
        };
        return page_response(&headers, &state, StatusCode::UNPROCESSABLE_ENTITY, page);
    };
    let now = state.clock.now();
    let founding = Founding {
        setup_token_hash: token_hash,
        trust_name,
        administrator: NewPerson {
            trust: TrustId(0),
            school: None,
            name,
            email,
            job_title: String::new(),
            roles: vec![
                RoleGrant {
                    role: Role::Administrator,
                    school: None,
                },
                RoleGrant {
                    role: Role::Leader,
                    school: None,
                },
            ],
            password_hash: Some(password::hash(new_password.expose().to_owned()).await?),
        },
        cycle: school_year_containing(now.date()),
    };
    let person = state.store.found_trust(&founding, now).await?;
    let session_cookie = session::start(&state, person).await?;
    let mut response = Redirect::to(crate::urls::HOME).into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, session_cookie);
    Ok(response)
}
