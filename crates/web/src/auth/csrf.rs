//! The anti-forgery check on every state-changing request.
//!
//! A signed-in request must carry its session's token, in the `csrf` form field or
//! the `X-CSRF-Token` header. A signed-out request (sign-in, first set-up) must carry
//! the keyed hash of its pre-session cookie (the form was given it). Anything else
//! is refused before a handler runs.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::session::{PRESESSION_COOKIE, SessionState, cookie};
use super::token::{keyed_hash, same_secret};
use crate::error::{ApiError, WebError};
use crate::extract::{BODY_LIMIT, too_large};
use crate::state::AppState;

pub const CSRF_HEADER: &str = "x-csrf-token";
pub const CSRF_FIELD: &str = "csrf";

/// Middleware for every route that changes state.
pub async fn require_token(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    guard(&state, request, next, false).await
}

/// Middleware for the reflection form: a signed-out post is let through so that the
/// handler can keep the person's text and ask them to sign in again. The handler
/// must change nothing for a signed-out request.
pub async fn require_token_unless_signed_out(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    guard(&state, request, next, true).await
}

async fn guard(
    state: &AppState,
    request: Request,
    next: Next,
    let_signed_out_through: bool,
) -> Response {
    if request.method().is_safe() {
        return next.run(request).await;
    }
    let is_api = request.uri().path().starts_with("/api/");
    let refuse = |error: WebError| {
        if is_api {
            ApiError(error).into_response()
        } else {
            error.into_response()
        }
    };
    let person = request
        .extensions()
        .get::<SessionState>()
        .and_then(|s| s.0.as_ref())
        .map(|signed_in| signed_in.person.id);
    let expected = match request
        .extensions()
        .get::<SessionState>()
        .and_then(|s| s.0.as_ref())
    {
        Some(signed_in) => Some(signed_in.csrf_token.clone()),
        None if let_signed_out_through => return next.run(request).await,
        // The JSON API answers a signed-out write as its document says: 401,
        // sign in first (there is no form, so no token to check yet).
        None if is_api => {
            let next = request.uri().path().to_owned();
            return refuse(WebError::SignInRequired { next });
        }
        None => cookie(request.headers(), PRESESSION_COOKIE)
            .map(|value| keyed_hash(&state.config.presession_key, value)),
    };
    let from_header = request
        .headers()
        .get(CSRF_HEADER)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let is_form = crate::extract::is_urlencoded(request.headers());
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        return refuse(too_large());
    };
    let provided = from_header.or_else(|| {
        is_form
            .then(|| form_urlencoded_field(&bytes, CSRF_FIELD))
            .flatten()
    });
    let genuine = matches!((&expected, &provided), (Some(e), Some(p)) if same_secret(e, p));
    if !genuine {
        if is_form && !is_api {
            let fields: Vec<(String, String)> =
                serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
            return keep_what_was_typed(state, &parts.headers, parts.uri.path(), person, &fields)
                .await
                .unwrap_or_else(IntoResponse::into_response);
        }
        return refuse(WebError::Forgery);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// The forms a signed-out person fills in (sign-in, first set-up, invitation
/// and password links): their token is the pre-session cookie's.
fn is_signed_out_form(path: &str) -> bool {
    path == crate::urls::SIGN_IN
        || path == crate::urls::PASSWORD_RESET
        || ["/setup/", "/welcome/", "/password-reset/"]
            .iter()
            .any(|prefix| path.starts_with(prefix))
}

/// What a person reads when a signed-out form had been open too long.
const STALE_FORM: &str = "This page had been open a long time, so nothing was sent. Everything you typed is still here: send it again.";

/// A browser form whose token is stale or whose session has ended: nothing is
/// done, and nothing typed is lost. A signed-in person's post is kept and they
/// are taken back to its form; a signed-out post to a signed-in page goes
/// through the sign-in form; a signed-out form is shown again as typed, with a
/// fresh token.
pub(crate) async fn keep_what_was_typed(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    path: &str,
    person: Option<leadkit_domain::people::PersonId>,
    fields: &[(String, String)],
) -> Result<Response, WebError> {
    if let Some(person) = person {
        return match crate::kept::keep_stale(state, person, headers, path, fields).await? {
            Some(back_to_the_form) => Ok(back_to_the_form),
            None => Err(WebError::Forgery),
        };
    }
    if is_signed_out_form(path) {
        let mut response = WebError::Forgery.into_response();
        response
            .extensions_mut()
            .insert(crate::refusal::Refused(vec![crate::refill::Problem {
                field: None,
                message: STALE_FORM.into(),
            }]));
        return Ok(response);
    }
    let page = crate::kept::form_page(headers, path);
    if !crate::kept::has_typed(fields) {
        return Err(WebError::SignInRequired { next: page });
    }
    let resume = crate::resume::Resume::keep_form(&page, path, fields);
    super::sign_in_form::respond(
        state,
        headers,
        axum::http::StatusCode::UNAUTHORIZED,
        String::new(),
        page,
        Some("You were signed out before this was sent. Sign in again and you will be back on the form with everything you typed; nothing has been saved yet.".into()),
        Some(resume),
    )
    .await
}

/// The first value of `name` in a URL-encoded body.
fn form_urlencoded_field(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
}

/// The token a signed-out form carries (the keyed hash of its pre-session
/// cookie), and a `Set-Cookie` for a new cookie when there is none.
pub fn presession(
    existing: Option<&str>,
    secure: bool,
    key: &str,
) -> (String, Option<HeaderValue>) {
    match existing {
        Some(token) if token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()) => {
            (keyed_hash(key, token), None)
        }
        _ => {
            let token = super::token::random_token();
            let cookie = super::session::set_cookie(PRESESSION_COOKIE, &token, None, secure, true);
            (keyed_hash(key, &token), Some(cookie))
        }
    }
}
