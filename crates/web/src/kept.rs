//! Nothing typed is lost when a session ends or a page outlives its sign-in.
//!
//! A form posted with a stale anti-forgery token (the page was open from an
//! earlier sign-in) or after the session ended is not acted on. It is kept
//! for the person (the table `kept_form`, on either backend) and they are taken
//! back to the page the form was on, with every field as they left it and a
//! line saying it was not sent: one press sends it, through the same handler
//! and the same checks as any post. A signed-out post first goes through the
//! sign-in form (see [`crate::resume`]). Once a kept form's post succeeds, the
//! kept copy is forgotten.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use leadkit_domain::people::PersonId;

use crate::auth::session::SessionState;
use crate::error::WebError;
use crate::extract::{BODY_LIMIT, too_large};
use crate::refill::{Refill, is_carried};
use crate::state::AppState;
use crate::urls;

/// The hidden field (and query parameter) that ties a post to its kept copy.
pub const KEPT_FIELD: &str = "kept";

/// What the person reads above a form filled back in from a kept post.
pub const NOTICE: &str = "You were signed out before this was sent, so nothing has been saved yet. Everything you typed is below (a file you chose must be chosen again): check it and send it again.";

/// Whether a post carries anything a person typed (a sign-out button or a
/// dismiss button carries nothing worth keeping).
pub fn has_typed(fields: &[(String, String)]) -> bool {
    fields
        .iter()
        .any(|(name, value)| is_carried(name) && !value.trim().is_empty())
}

/// Keeps a form for `person` and says where to take them: the form's page with
/// the kept copy named, so that it is filled back in.
pub async fn keep(
    state: &AppState,
    person: PersonId,
    page: &str,
    action: &str,
    fields: &[(String, String)],
) -> Result<String, WebError> {
    let carried: Vec<(String, String)> = fields
        .iter()
        .filter(|(name, _)| is_carried(name))
        .cloned()
        .collect();
    let id = state
        .store
        .keep_form(person, page, action, &carried, state.clock.now())
        .await?;
    Ok(with_kept(page, id))
}

/// `page` with `?kept=ID` (or `&kept=ID`) added.
fn with_kept(page: &str, id: i64) -> String {
    let separator = if page.contains('?') { '&' } else { '?' };
    format!("{page}{separator}{KEPT_FIELD}={id}")
}

/// The page a form was posted from: the same-origin `Referer`, when the browser
/// sent one, else the post's own path.
pub fn form_page(headers: &axum::http::HeaderMap, action: &str) -> String {
    referer_path(headers).unwrap_or_else(|| action.to_owned())
}

/// The path and query of a same-origin `Referer`.
pub fn referer_path(headers: &axum::http::HeaderMap) -> Option<String> {
    let referer = headers.get(header::REFERER)?.to_str().ok()?;
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let rest = referer
        .strip_prefix("https://")
        .or_else(|| referer.strip_prefix("http://"))?;
    let path = rest.strip_prefix(host)?;
    let path = path.split('#').next().unwrap_or_default();
    (urls::is_local_path(path)).then(|| path.to_owned())
}

/// Keeps a signed-in person's post that carried a stale token, and takes them
/// back to its form. `None` when there is nothing typed to keep.
pub async fn keep_stale(
    state: &AppState,
    person: PersonId,
    headers: &axum::http::HeaderMap,
    action: &str,
    fields: &[(String, String)],
) -> Result<Option<Response>, WebError> {
    if !has_typed(fields) {
        return Ok(None);
    }
    let page = form_page(headers, action);
    let to = keep(state, person, &page, action, fields).await?;
    Ok(Some(Redirect::to(&to).into_response()))
}

fn kept_id_in_query(query: Option<&str>) -> Option<i64> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query?)
        .ok()?
        .into_iter()
        .find(|(name, _)| name == KEPT_FIELD)
        .and_then(|(_, value)| value.parse().ok())
}

/// Middleware (inside the session layer) for every page: fills a kept form back
/// into its page, and forgets the kept copy once its post has gone through.
pub async fn carry(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let person = request
        .extensions()
        .get::<SessionState>()
        .and_then(|s| s.0.as_ref())
        .map(|signed_in| signed_in.person.id);
    let Some(person) = person else {
        return next.run(request).await;
    };
    if request.method() == Method::GET {
        let Some(id) = kept_id_in_query(request.uri().query()) else {
            return next.run(request).await;
        };
        let path = request.uri().path().to_owned();
        let response = next.run(request).await;
        if matches!(
            response.status(),
            StatusCode::METHOD_NOT_ALLOWED | StatusCode::NOT_FOUND
        ) && let Some(cut) = path.rfind('/').filter(|cut| *cut > 0)
        {
            // A post's own path without a page of its own (no Referer told us
            // the page): its form is on the page above it.
            return Redirect::to(&with_kept(&path[..cut], id)).into_response();
        }
        if response.status() != StatusCode::OK {
            return response;
        }
        let kept = match state.store.kept_form(person, id).await {
            Ok(Some(kept)) => kept,
            Ok(None) => return response,
            Err(error) => return WebError::from(error).into_response(),
        };
        let hidden = [(KEPT_FIELD.to_owned(), id.to_string())];
        let refill = Refill {
            action: &kept.action,
            fields: &kept.fields,
            problems: &[],
            notice: Some(NOTICE),
            hidden: &hidden,
        };
        return crate::refusal::refill_response(response, &refill, StatusCode::OK).await;
    }
    let is_form = crate::extract::is_urlencoded(request.headers());
    if request.method() != Method::POST || request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let action = request.uri().path().to_owned();
    if !is_form {
        // A file upload: only the browser's drafts need telling.
        let response = next.run(request).await;
        return saved(response, &action, state.config.secure_cookies);
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        return too_large().into_response();
    };
    let kept = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .ok()
        .and_then(|fields| {
            fields
                .into_iter()
                .find(|(name, _)| name == KEPT_FIELD)
                .and_then(|(_, value)| value.parse::<i64>().ok())
        });
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    if let Some(id) = kept
        && (response.status().is_redirection() || response.status().is_success())
        && let Err(error) = state.store.forget_kept_form(person, id).await
    {
        // The post itself went through; a kept copy left behind only waits for
        // its thirty days.
        tracing::warn!(%error, "a sent form's kept copy could not be forgotten");
    }
    saved(response, &action, state.config.secure_cookies)
}

/// Tells the browser which form the server has accepted (a post answered with
/// a redirect), so that the drafts it kept of that form are cleared.
fn saved(mut response: Response, action: &str, secure: bool) -> Response {
    let kept_again = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|to| to.contains(&format!("{KEPT_FIELD}=")));
    if !response.status().is_redirection() || kept_again {
        return response;
    }
    let cookie = format!(
        "lk_saved={}; Path=/; Max-Age=60; SameSite=Strict{}",
        cookie_safe(action),
        if secure { "; Secure" } else { "" }
    );
    if let Ok(value) = axum::http::HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// A path as a cookie value: anything outside the cookie-safe characters
/// percent-encoded (the script decodes it).
fn cookie_safe(path: &str) -> String {
    path.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderMap, HeaderValue};

    #[test]
    fn only_a_same_origin_referer_names_the_form_page() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static("leadkit.test"));
        headers.insert(
            header::REFERER,
            HeaderValue::from_static("https://leadkit.test/goals/4?x=1#top"),
        );
        assert_eq!(referer_path(&headers).as_deref(), Some("/goals/4?x=1"));
        headers.insert(
            header::REFERER,
            HeaderValue::from_static("https://evil.test/goals/4"),
        );
        assert_eq!(referer_path(&headers), None);
        headers.insert(
            header::REFERER,
            HeaderValue::from_static("https://leadkit.test.evil.test//x"),
        );
        assert_eq!(referer_path(&headers), None);
        assert_eq!(form_page(&headers, "/goals"), "/goals");
    }

    #[test]
    fn a_kept_mark_is_added_to_the_page_address() {
        assert_eq!(with_kept("/goals/4", 9), "/goals/4?kept=9");
        assert_eq!(with_kept("/evidence?item=a", 9), "/evidence?item=a&kept=9");
    }

    #[test]
    fn a_bare_button_has_nothing_to_keep() {
        let fields = vec![("csrf".to_owned(), "t".to_owned())];
        assert!(!has_typed(&fields));
        let fields = vec![("note".to_owned(), "words".to_owned())];
        assert!(has_typed(&fields));
    }
}
