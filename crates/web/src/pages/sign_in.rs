//! Signing in and out. A wrong email or password gets one plain message, the same
//! for both, after the same work, so that nobody can learn which emails exist.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use leadkit_domain::people::Email;
use serde::Deserialize;

use crate::auth::session::{self, PRESESSION_COOKIE};
use crate::auth::throttle;
use crate::auth::{MaybeSignedIn, SignedIn, password, sign_in_form};
use crate::error::WebError;
use crate::extract::Form;
use crate::resume::Resume;
use crate::state::AppState;
use crate::urls;

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

fn safe_next(next: Option<&str>) -> String {
    next.filter(|path| urls::is_local_path(path))
        .unwrap_or(urls::HOME)
        .to_owned()
}

pub async fn show(
    State(state): State<AppState>,
    MaybeSignedIn(signed_in): MaybeSignedIn,
    Query(query): Query<NextQuery>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let next = safe_next(query.next.as_deref());
    if signed_in.is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    sign_in_form::respond(
        &state,
        &headers,
        StatusCode::OK,
        String::new(),
        next,
        None,
        None,
    )
    .await
}

const WRONG: &str = "The email address or password is not right. Check them and try again.";

pub async fn save(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let field = |name: &str| crate::forms::text(&fields, name);
    let typed_email = field("email").trim().to_owned();
    let again = |status: StatusCode, message: &str| {
        let next = safe_next(Some(field("next")));
        let resume = Resume::carried_by(&state, &fields);
        let (email, message) = (typed_email.clone(), Some(message.to_owned()));
        sign_in_form::respond(&state, &headers, status, email, next, message, resume)
    };
    let client = throttle::client_address(
        &headers,
        &extensions,
        state.config.client_ip_header.as_deref(),
    );
    let busy = || async {
        // At the limit of password checks, or the database too busy to answer:
        // the form again, as typed, to try in a moment.
        let mut response = again(StatusCode::SERVICE_UNAVAILABLE, crate::error::BUSY).await?;
        response.headers_mut().insert(
            header::RETRY_AFTER,
            header::HeaderValue::from_static(crate::error::RETRY_AFTER_SECONDS),
        );
        Ok::<Response, WebError>(response)
    };
    let attempt = match throttle::begin(&state, throttle::keys(&typed_email, &client)).await {
        Ok(Some(attempt)) => attempt,
        Ok(None) => return again(StatusCode::TOO_MANY_REQUESTS, throttle::MESSAGE).await,
        Err(WebError::Busy) => return busy().await,
        Err(other) => return Err(other),
    };
    let credentials = match Email::parse(&typed_email) {
        Ok(email) => state.store.credentials(&email).await?,
        Err(_) => None,
    };
    let (person, hash) = match credentials {
        Some(found) => (Some(found.person), found.password_hash),
        None => (None, None),
    };
    let verified = match password::verify(hash, field("password").to_owned()).await {
        // Counted as a failure (it stays recorded), like any attempt not seen through.
        Err(WebError::Busy) => return busy().await,
        other => other?,
    };
    let Some(person) = person.filter(|_| verified) else {
        return again(StatusCode::UNAUTHORIZED, WRONG).await;
    };
    throttle::succeeded(&state, &attempt).await?;
    let destination = resume_after(&state, person, &fields).await?;
    signed_in_at(&state, person, &destination).await
}

/// Where a person who has just signed in goes: the page whose post their ended
/// session kept (a reflection's changes saved, any other form kept to be filled
/// back in), else where they were going.
async fn resume_after(
    state: &AppState,
    person: leadkit_domain::people::PersonId,
    fields: &[(String, String)],
) -> Result<String, WebError> {
    let next = safe_next(Some(crate::forms::text(fields, "next")));
    let Some(resume) = Resume::carried_by(state, fields) else {
        return Ok(next);
    };
    // Only the person whose session rendered the form gets it back. A form whose
    // session has gone altogether (signed out in another tab) comes back to
    // whoever signs in on that page, to check and send: it never saves itself.
    let owner = state.store.session_owner_by_csrf(&resume.csrf).await?;
    if resume.reflection {
        if owner != Some(person) {
            return Ok(next);
        }
        let me = state.store.person(person).await?;
        crate::resume::save(state, &me, &resume).await?;
        return Ok(format!("{}?resumed=1", resume.path));
    }
    if owner.is_some_and(|owner| owner != person) {
        return Ok(next);
    }
    crate::kept::keep(state, person, &resume.page, &resume.path, &resume.fields()).await
}

/// Starts a session and sends the person on, ending the pre-session cookie.
async fn signed_in_at(
    state: &AppState,
    person: leadkit_domain::people::PersonId,
    destination: &str,
) -> Result<Response, WebError> {
    let session_cookie = session::start(state, person).await?;
    let mut response = Redirect::to(destination).into_response();
    let headers = response.headers_mut();
    headers.append(header::SET_COOKIE, session_cookie);
    headers.append(
        header::SET_COOKIE,
        session::set_cookie(
            PRESESSION_COOKIE,
            "",
            Some(time::Duration::ZERO),
            state.config.secure_cookies,
            true,
        ),
    );
    Ok(response)
}

/// Home, with the session cookie cleared and everything this browser kept for
/// the person (drafts, work waiting to be sent, pages kept for offline use)
/// removed: a shared computer keeps nothing of them.
fn signed_out(state: &AppState) -> Response {
    let mut response = Redirect::to(urls::HOME).into_response();
    let headers = response.headers_mut();
    headers.append(
        header::SET_COOKIE,
        session::clear(state.config.secure_cookies),
    );
    headers.insert(
        header::HeaderName::from_static("clear-site-data"),
        header::HeaderValue::from_static("\"cache\", \"storage\""),
    );
    response
}

pub async fn sign_out(State(state): State<AppState>, me: SignedIn) -> Result<Response, WebError> {
    state.store.delete_session(&me.token_hash).await?;
    Ok(signed_out(&state))
}

/// `POST /sign-out-everywhere`: ends every session of mine, on every device and
/// every server process.
pub async fn sign_out_everywhere(
    State(state): State<AppState>,
    me: SignedIn,
) -> Result<Response, WebError> {
    state.store.delete_sessions_of(me.person.id).await?;
    Ok(signed_out(&state))
}
