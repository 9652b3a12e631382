//! No form refusal is a bare error page.
//!
//! When a handler refuses a browser's form post ([`WebError::BadRequest`],
//! [`WebError::Invalid`] or [`WebError::Conflict`]), this layer answers 422
//! with the page the form was on, as its own handler renders it for the same
//! signed-in person, with every field as it was posted, each problem beside its
//! field and a summary at the top (see [`crate::refill`]). Pages that render
//! their own refusal (reflection, evidence, the administration forms with many
//! fields) answer before this layer is needed. The page is found from the
//! browser's same-origin `Referer`, else by walking up the post's path.

use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;

use crate::extract::{BODY_LIMIT, too_large};
use crate::refill::{Problem, Refill};

/// Marks a response as the refusal of what was typed, with its problems.
#[derive(Debug, Clone)]
pub struct Refused(pub Vec<Problem>);

/// The largest page this layer rewrites.
const PAGE_LIMIT: usize = 8 * 1024 * 1024;

/// Wraps `router` so that its form refusals show their form again.
pub fn layer(router: Router) -> Router {
    let pages = router.clone();
    router.layer(axum::middleware::from_fn(
        move |request: Request, next: Next| {
            let pages = pages.clone();
            async move { refill_refused(pages, request, next).await }
        },
    ))
}

fn is_browser_form_post(request: &Request) -> bool {
    request.method() == Method::POST
        && !request.uri().path().starts_with("/api/")
        && crate::extract::is_urlencoded(request.headers())
}

async fn refill_refused(pages: Router, request: Request, next: Next) -> Response {
    if !is_browser_form_post(&request) {
        return next.run(request).await;
    }
    let uri = request.uri().clone();
    let headers = request.headers().clone();
    let connect = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .cloned();
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        return too_large().into_response();
    };
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes.clone())))
        .await;
    let Some(Refused(problems)) = response.extensions().get::<Refused>().cloned() else {
        return response;
    };
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
    let hidden: Vec<(String, String)> = fields
        .iter()
        .filter(|(name, _)| name == crate::kept::KEPT_FIELD)
        .cloned()
        .collect();
    let refill = Refill {
        action: uri.path(),
        fields: &fields,
        problems: &problems,
        notice: None,
        hidden: &hidden,
    };
    let refused_cookies: Vec<HeaderValue> = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .cloned()
        .collect();
    for page in candidates(&headers, uri.path()) {
        let Some(found) = fetch(&pages, &page, &headers, connect).await else {
            continue;
        };
        if let Some(mut shown) = rewrite(found, &refill, StatusCode::UNPROCESSABLE_ENTITY).await {
            for cookie in &refused_cookies {
                shown
                    .headers_mut()
                    .append(header::SET_COOKIE, cookie.clone());
            }
            return shown;
        }
    }
    // No page holds this form (a client posting from elsewhere): the message,
    // and what was typed below it, so that no word is lost.
    let (head, body) = response.into_parts();
    let Ok(html) = axum::body::to_bytes(body, PAGE_LIMIT).await else {
        return StatusCode::UNPROCESSABLE_ENTITY.into_response();
    };
    let html = String::from_utf8_lossy(&html);
    let with_typed =
        crate::refill::append_typed(&html, &fields).unwrap_or_else(|_| html.into_owned());
    respond(head, with_typed, StatusCode::UNPROCESSABLE_ENTITY)
}

/// Where the form may be: the page the browser says it came from, the post's
/// own path, then each parent of it (at most four in all).
fn candidates(headers: &HeaderMap, action: &str) -> Vec<String> {
    let mut pages = Vec::new();
    if let Some(page) = crate::kept::referer_path(headers) {
        pages.push(page);
    }
    let mut path = action.to_owned();
    loop {
        if !pages.contains(&path) {
            pages.push(path.clone());
        }
        match path.rfind('/') {
            Some(0) | None => break,
            Some(cut) => path.truncate(cut),
        }
    }
    pages.truncate(4);
    pages
}

/// The page at `path` as the same person's browser would get it.
async fn fetch(
    pages: &Router,
    path: &str,
    headers: &HeaderMap,
    connect: Option<ConnectInfo<SocketAddr>>,
) -> Option<Response> {
    let uri: Uri = path.parse().ok()?;
    let mut request = Request::builder().method(Method::GET).uri(uri);
    for name in [header::COOKIE, header::HOST, header::USER_AGENT] {
        for value in headers.get_all(&name) {
            request = request.header(&name, value);
        }
    }
    let mut request = request
        .header(header::ACCEPT, "text/html")
        .body(Body::empty())
        .ok()?;
    if let Some(connect) = connect {
        request.extensions_mut().insert(connect);
    }
    let response = pages.clone().oneshot(request).await.ok()?;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    (response.status() == StatusCode::OK && is_html).then_some(response)
}

/// Rewrites an HTML page's form; `None` when the page does not hold it.
async fn rewrite(response: Response, refill: &Refill<'_>, status: StatusCode) -> Option<Response> {
    let (head, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, PAGE_LIMIT).await.ok()?;
    let rewritten = rewrite_html(&bytes, refill)?;
    Some(respond(head, rewritten, status))
}

fn rewrite_html(bytes: &[u8], refill: &Refill<'_>) -> Option<String> {
    let html = std::str::from_utf8(bytes).ok()?;
    match crate::refill::refill(html, refill) {
        Ok(found) => found,
        Err(error) => {
            tracing::warn!(%error, "a refused form could not be filled back in");
            None
        }
    }
}

/// A rewritten page, never cached.
fn respond(mut head: axum::http::response::Parts, html: String, status: StatusCode) -> Response {
    head.status = status;
    for name in [header::CONTENT_LENGTH, header::ETAG, header::LAST_MODIFIED] {
        head.headers.remove(name);
    }
    head.headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Response::from_parts(head, Body::from(html))
}

/// Fills a page's form back in (a kept post); the page as it was when it does
/// not hold the form, with what was typed added below, so that nothing is lost.
pub async fn refill_response(
    response: Response,
    refill: &Refill<'_>,
    status: StatusCode,
) -> Response {
    let (head, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, PAGE_LIMIT).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let html = match rewrite_html(&bytes, refill) {
        Some(rewritten) => rewritten,
        None => {
            let html = String::from_utf8_lossy(&bytes);
            crate::refill::append_typed(&html, refill.fields).unwrap_or_else(|_| html.into_owned())
        }
    };
    respond(head, html, status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_is_looked_for_where_it_came_from_then_up_the_path() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static("l.test"));
        headers.insert(
            header::REFERER,
            HeaderValue::from_static("http://l.test/goals/3"),
        );
        assert_eq!(
            candidates(&headers, "/goals/3/check-ins"),
            vec!["/goals/3", "/goals/3/check-ins", "/goals"]
        );
        assert_eq!(
            candidates(&HeaderMap::new(), "/people/7/coaching/notes"),
            vec![
                "/people/7/coaching/notes",
                "/people/7/coaching",
                "/people/7",
                "/people"
            ]
        );
    }
}
