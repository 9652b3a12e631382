//! Sessions: the cookie, looking it up once per request, and the extractors that
//! hand handlers the signed-in person.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use leadkit_domain::access::Actor;
use leadkit_domain::people::Person;
use leadkit_store::sessions::NewSession;
use time::{Duration, OffsetDateTime};

use super::token::{hash_token, random_token};
use crate::error::{ApiError, WebError};
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "lk_session";
/// Before sign-in there is no session to hold an anti-forgery token, so the sign-in
/// and set-up forms compare theirs with this cookie instead (double submit).
pub const PRESESSION_COOKIE: &str = "lk_presession";

// How long sessions last is each trust's setting (`SessionLimits`: by default
// an hour without a request, and 12 hours in all), set at /admin/sessions.
/// Activity is written back at most this often, to keep reads from becoming writes.
const TOUCH_INTERVAL: Duration = Duration::minutes(1);

/// The person behind the request's session.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub person: Person,
    pub actor: Actor,
    pub csrf_token: String,
    pub token_hash: String,
}

/// What the session layer found, stored in the request's extensions.
#[derive(Debug, Clone)]
pub struct SessionState(pub Option<SignedIn>);

/// Reads one cookie's value from the request headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// A `Set-Cookie` value for a session-scoped, HttpOnly cookie.
pub fn set_cookie(
    name: &str,
    value: &str,
    max_age: Option<Duration>,
    secure: bool,
    strict: bool,
) -> HeaderValue {
    let mut cookie = format!(
        "{name}={value}; Path=/; HttpOnly; SameSite={}",
        if strict { "Strict" } else { "Lax" }
    );
    if let Some(age) = max_age {
        cookie.push_str(&format!("; Max-Age={}", age.whole_seconds().max(0)));
    }
    if secure {
        cookie.push_str("; Secure");
    }
    // Only ASCII goes in (hex tokens and fixed names), so this cannot fail; an empty
    // value is the harmless fallback.
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Middleware: finds the session for the request (one lookup) and stores what it
/// found for the extractors below and the anti-forgery check.
pub async fn load(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let found = match cookie(request.headers(), SESSION_COOKIE) {
        Some(token) if token.len() == 64 => lookup(&state, token).await,
        _ => Ok(None),
    };
    match found {
        Ok(signed_in) => {
            request.extensions_mut().insert(SessionState(signed_in));
            next.run(request).await
        }
        Err(error) => axum::response::IntoResponse::into_response(error),
    }
}

async fn lookup(state: &AppState, token: &str) -> Result<Option<SignedIn>, WebError> {
    let now = state.clock.now();
    let token_hash = hash_token(token);
    let Some((session, person)) = state.store.signed_in_session(&token_hash, now).await? else {
        return Ok(None);
    };
    if now - session.last_seen_at > session.limits.idle()
        || now - session.created_at > session.limits.absolute()
    {
        state.store.delete_session(&token_hash).await?;
        return Ok(None);
    }
    if now - session.last_seen_at > TOUCH_INTERVAL {
        state.store.touch_session(&token_hash, now).await?;
    }
    let actor = Actor {
        person: person.id,
        trust: person.trust,
        roles: person.roles.clone(),
    };
    Ok(Some(SignedIn {
        person,
        actor,
        csrf_token: session.csrf_token,
        token_hash,
    }))
}

/// Starts a session for a person; returns the `Set-Cookie` header value.
pub async fn start(
    state: &AppState,
    person: leadkit_domain::people::PersonId,
) -> Result<HeaderValue, WebError> {
    let now: OffsetDateTime = state.clock.now();
    let trust = state.store.trust_of(person).await?;
    let limits = state.store.session_limits(trust).await?;
    let token = random_token();
    let token_hash = hash_token(&token);
    let csrf_token = random_token();
    state
        .store
        .create_session(
            &NewSession {
                token_hash: &token_hash,
                person,
                csrf_token: &csrf_token,
                expires_at: now + limits.absolute(),
            },
            now,
        )
        .await?;
    Ok(set_cookie(
        SESSION_COOKIE,
        &token,
        None,
        state.config.secure_cookies,
        false,
    ))
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear(secure: bool) -> HeaderValue {
    set_cookie(SESSION_COOKIE, "", Some(Duration::ZERO), secure, false)
}

fn session_state(parts: &Parts) -> Option<SignedIn> {
    parts
        .extensions
        .get::<SessionState>()
        .and_then(|state| state.0.clone())
}

fn wanted(parts: &Parts) -> String {
    parts
        .uri
        .path_and_query()
        .map(|pq| pq.as_str().to_owned())
        .unwrap_or_else(|| "/".into())
}

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        session_state(parts).ok_or_else(|| WebError::SignInRequired {
            next: wanted(parts),
        })
    }
}

/// The signed-in person, for API handlers: rejects with a JSON 401.
pub struct ApiUser(pub SignedIn);

impl<S: Send + Sync> FromRequestParts<S> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        session_state(parts).map(ApiUser).ok_or_else(|| {
            ApiError(WebError::SignInRequired {
                next: wanted(parts),
            })
        })
    }
}

/// The signed-in person if there is one.
pub struct MaybeSignedIn(pub Option<SignedIn>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeSignedIn {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(MaybeSignedIn(session_state(parts)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cookie_is_found_among_several() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; lk_session=abc; b=2"),
        );
        assert_eq!(cookie(&headers, "lk_session"), Some("abc"));
        assert_eq!(cookie(&headers, "missing"), None);
    }

    #[test]
    fn session_cookies_are_http_only_and_same_site() {
        let value = set_cookie(SESSION_COOKIE, "t", None, true, false);
        let text = value.to_str().unwrap();
        assert!(
            text.contains("HttpOnly") && text.contains("SameSite=Lax") && text.contains("Secure")
        );
    }
}
