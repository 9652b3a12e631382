//! The sign-in form, as the sign-in page shows it and as any page shows it when a
//! post arrives after the session ended (with the post carried in it): a
//! pre-session cookie binds the form's anti-forgery token.

use askama::Template;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::auth::csrf::presession;
use crate::auth::session::{PRESESSION_COOKIE, cookie};
use crate::error::WebError;
use crate::pages::{Page, render};
use crate::resume::Resume;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "auth/sign_in.html")]
pub struct SignInPage {
    pub page: Page,
    pub form_token: String,
    pub email: String,
    pub next: String,
    pub error: Option<String>,
    pub resume: Option<Resume>,
    /// (label, address) of each trust's single sign-on.
    pub sso: Vec<(String, String)>,
}

/// Renders the sign-in form, with a pre-session cookie for its anti-forgery token.
pub async fn respond(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    email: String,
    next: String,
    error: Option<String>,
    resume: Option<Resume>,
) -> Result<Response, WebError> {
    let sso = crate::auth::sso::offers(state).await?;
    let (form_token, set_cookie) = presession(
        cookie(headers, PRESESSION_COOKIE),
        state.config.secure_cookies,
        &state.config.presession_key,
    );
    let html = render(&SignInPage {
        page: Page::new("Sign in", "", None),
        form_token,
        email,
        next,
        error,
        resume,
        sso,
    })?;
    let mut response = (status, html).into_response();
    if let Some(value) = set_cookie {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}
