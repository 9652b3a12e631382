//! Invitations and password resets: a one-time, expiring link by email, at which
//! a person chooses a password and is signed in.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use leadkit_domain::ValidationError;
use leadkit_domain::people::{Email, NewPassword};
use leadkit_store::links::LinkPurpose;
use serde::Deserialize;
use time::Duration;

use crate::access;
use crate::auth::csrf::presession;
use crate::auth::session::{self, PRESESSION_COOKIE, cookie};
use crate::auth::token::{hash_token, random_token};
use crate::auth::{SignedIn, password};
use crate::error::WebError;
use crate::extract::Form;
use crate::mail::Mail;
use crate::pages::{Page, render};
use crate::state::AppState;
use crate::urls;

pub use crate::invitations::INVITATION_LIFETIME;
/// How long a password-reset link works.
pub const RESET_LIFETIME: Duration = Duration::hours(1);

const RESET_SENT: &str = "If an account has this address, we have sent it a link to choose a new password. It works for one hour.";

#[derive(Template)]
#[template(path = "auth/invited.html")]
pub struct InvitedPage {
    pub page: Page,
    pub name: String,
    pub email: String,
    /// Shown only when email is not set up, for the administrator to pass on.
    pub link: Option<String>,
    pub error: Option<String>,
}

/// `POST /admin/people/{person}/invite`: emails a one-time link to set a password.
pub async fn invite(
    State(state): State<AppState>,
    me: SignedIn,
    Path(person): Path<String>,
) -> Result<Response, WebError> {
    access::administer(&me)?;
    let id = access::person_id(&person)?;
    let person = match state.store.person(id).await {
        Ok(person) if person.trust == me.person.trust => person,
        Ok(_) | Err(leadkit_store::StoreError::NotFound) => return Err(WebError::NotFound),
        Err(error) => return Err(error.into()),
    };
    let (shown_link, error) = match crate::invitations::send(&state, &me, &person).await? {
        crate::invitations::Sent::Emailed => (None, None),
        crate::invitations::Sent::Link(link) => (Some(link), None),
        crate::invitations::Sent::Failed(error) => (
            None,
            Some(format!(
                "The invitation could not be sent: {error}. Nothing else changed; try again."
            )),
        ),
    };
    let status = if error.is_some() {
        StatusCode::BAD_GATEWAY
    } else {
        StatusCode::OK
    };
    let page = render(&InvitedPage {
        page: Page::new("Invitation", "admin", Some(&me)),
        name: person.name.as_str().to_owned(),
        email: person.email.as_str().to_owned(),
        link: shown_link,
        error,
    })?;
    Ok((status, page).into_response())
}

#[derive(Template)]
#[template(path = "auth/choose_password.html")]
pub struct ChoosePasswordPage {
    pub page: Page,
    pub form_token: String,
    pub heading: &'static str,
    pub action: String,
    pub errors: Vec<ValidationError>,
}

fn purpose_of(welcome: bool) -> LinkPurpose {
    if welcome {
        LinkPurpose::Invitation
    } else {
        LinkPurpose::PasswordReset
    }
}

fn expired() -> WebError {
    WebError::BadRequest(
        "This link has expired or has already been used. Ask your administrator for a new invitation, or ask for a new password link from the sign-in page.".into(),
    )
}

fn choose_page(
    headers: &HeaderMap,
    state: &AppState,
    status: StatusCode,
    welcome: bool,
    token: &str,
    errors: Vec<ValidationError>,
) -> Result<Response, WebError> {
    let (form_token, set_cookie) = presession(
        cookie(headers, PRESESSION_COOKIE),
        state.config.secure_cookies,
        &state.config.presession_key,
    );
    let page = ChoosePasswordPage {
        page: Page::new(
            if welcome {
                "Welcome to leadkit"
            } else {
                "Choose a new password"
            },
            "",
            None,
        ),
        form_token,
        heading: if welcome {
            "Welcome to leadkit: choose your password"
        } else {
            "Choose a new password"
        },
        action: if welcome {
            urls::welcome(token)
        } else {
            urls::password_reset(token)
        },
        errors,
    };
    let mut response = (status, render(&page)?).into_response();
    if let Some(value) = set_cookie {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}

async fn show(
    state: AppState,
    token: String,
    headers: HeaderMap,
    welcome: bool,
) -> Result<Response, WebError> {
    let valid = state
        .store
        .person_for_link(&hash_token(&token), purpose_of(welcome), state.clock.now())
        .await?;
    if valid.is_none() {
        return Err(expired());
    }
    choose_page(
        &headers,
        &state,
        StatusCode::OK,
        welcome,
        &token,
        Vec::new(),
    )
}

#[derive(Deserialize)]
pub struct ChooseForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

async fn save(
    state: AppState,
    token: String,
    headers: HeaderMap,
    form: ChooseForm,
    welcome: bool,
) -> Result<Response, WebError> {
    let mut errors = Vec::new();
    // The person the link is for: their name and address must not be the password.
    let personal = match state
        .store
        .person_for_link(&hash_token(&token), purpose_of(welcome), state.clock.now())
        .await?
    {
        Some(id) => match state.store.person(id).await {
            Ok(person) => vec![
                person.name.as_str().to_owned(),
                person.email.as_str().to_owned(),
            ],
            Err(_) => Vec::new(),
        },
        None => return Err(expired()),
    };
    let personal: Vec<&str> = personal.iter().map(String::as_str).collect();
    let new_password = NewPassword::parse_for(&form.password, &personal)
        .map_err(|e| errors.push(e))
        .ok();
    if new_password.is_some() && form.password != form.password_again {
        errors.push(ValidationError::new(
            "password_again",
            "The two passwords are not the same",
        ));
    }
    let (Some(new_password), true) = (new_password, errors.is_empty()) else {
        return choose_page(
            &headers,
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            welcome,
            &token,
            errors,
        );
    };
    let hash = password::hash(new_password.expose().to_owned()).await?;
    let person = state
        .store
        .use_person_link(
            &hash_token(&token),
            purpose_of(welcome),
            &hash,
            state.clock.now(),
        )
        .await?
        .ok_or_else(expired)?;
    let session_cookie = session::start(&state, person).await?;
    let mut response = Redirect::to(urls::HOME).into_response();
    let headers = response.headers_mut();
    headers.append(header::SET_COOKIE, session_cookie);
    headers.append(
        header::SET_COOKIE,
        session::set_cookie(
            PRESESSION_COOKIE,
            "",
            Some(Duration::ZERO),
            state.config.secure_cookies,
            true,
        ),
    );
    Ok(response)
}

/// `GET /welcome/{token}`.
pub async fn welcome_form(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    show(state, token, headers, true).await
}

/// `POST /welcome/{token}`: sets the first password and signs in.
pub async fn welcome(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    Form(form): Form<ChooseForm>,
) -> Result<Response, WebError> {
    save(state, token, headers, form, true).await
}

/// `GET /password-reset/{token}`.
pub async fn reset_form(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    show(state, token, headers, false).await
}

/// `POST /password-reset/{token}`: sets a new password, ends every other
/// session, and signs in.
pub async fn reset(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    Form(form): Form<ChooseForm>,
) -> Result<Response, WebError> {
    save(state, token, headers, form, false).await
}

#[derive(Template)]
#[template(path = "auth/forgotten.html")]
pub struct ForgottenPage {
    pub page: Page,
    pub form_token: String,
    pub sent: Option<&'static str>,
    pub mail_on: bool,
}

async fn forgotten_page(
    headers: &HeaderMap,
    state: &AppState,
    sent: Option<&'static str>,
) -> Result<Response, WebError> {
    let (form_token, set_cookie) = presession(
        cookie(headers, PRESESSION_COOKIE),
        state.config.secure_cookies,
        &state.config.presession_key,
    );
    let mut response = render(&ForgottenPage {
        page: Page::new("Forgotten password", "", None),
        form_token,
        sent,
        mail_on: state.mailer.is_on(),
    })?
    .into_response();
    if let Some(value) = set_cookie {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}

/// `GET /password-reset`.
pub async fn forgotten_form(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    forgotten_page(&headers, &state, None).await
}

#[derive(Deserialize)]
pub struct ForgottenForm {
    #[serde(default)]
    email: String,
}

/// `POST /password-reset`: the same answer whether or not anyone has the address;
/// the link is made and sent after the answer, so timing says nothing either.
pub async fn forgotten(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<ForgottenForm>,
) -> Result<Response, WebError> {
    if let Ok(email) = Email::parse(&form.email) {
        let state = state.clone();
        tokio::spawn(async move {
            if let Err(error) = send_reset(&state, &email).await {
                tracing::warn!(%error, "a password-reset link could not be sent");
            }
        });
    }
    forgotten_page(&headers, &state, Some(RESET_SENT)).await
}

async fn send_reset(state: &AppState, email: &Email) -> Result<(), String> {
    let Some(credentials) = state
        .store
        .credentials(email)
        .await
        .map_err(|e| e.to_string())?
    else {
        return Ok(());
    };
    let person = state
        .store
        .person(credentials.person)
        .await
        .map_err(|e| e.to_string())?;
    let token = random_token();
    state
        .store
        .create_person_link(
            &hash_token(&token),
            LinkPurpose::PasswordReset,
            person.id,
            state.clock.now() + RESET_LIFETIME,
        )
        .await
        .map_err(|e| e.to_string())?;
    let link = format!(
        "{}{}",
        state.config.public_url,
        urls::password_reset(&token)
    );
    state
        .mailer
        .send(&Mail {
            to_name: person.name.as_str().to_owned(),
            to_email: person.email.as_str().to_owned(),
            subject: "Choose a new leadkit password".into(),
            body: format!(
                "Hello {},\n\nSomeone (we hope you) asked to choose a new password for leadkit. Choose it here (the link works once, for one hour):\n\n{link}\n\nIf it was not you, ignore this email: your password has not changed.\n",
                person.name.as_str()
            ),
            unsubscribe: None,
        })
        .await
}
