//! Our own `Form` and `Json` extractors: the same as axum's, but a rejection becomes
//! a [`WebError`] with a sentence a person can act on, never axum's plain text.

use axum::extract::rejection::{FormRejection, JsonRejection};
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, WebError};

/// The largest request body the app reads, in bytes. A subdomain page holds at most a
/// dozen notes of 5,000 characters (up to 4 bytes each) plus the form's field names.
pub const BODY_LIMIT: usize = 256 * 1024;

pub(crate) fn too_large() -> WebError {
    WebError::TooLarge(format!(
        "That is more than leadkit accepts in one go ({} KB). Shorten your notes and try again; nothing was changed.",
        BODY_LIMIT / 1024
    ))
}

/// Whether a request's body is a URL-encoded form (what a browser's plain
/// form post sends).
pub fn is_urlencoded(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(axum::http::header::CONTENT_TYPE)
        .is_some_and(|v| {
            v.as_bytes()
                .starts_with(b"application/x-www-form-urlencoded")
        })
}

/// A URL-encoded form body, as a list of (name, value) pairs in order.
pub struct Form<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Form<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(value)) => Ok(Form(value)),
            Err(FormRejection::BytesRejection(_)) => Err(too_large()),
            Err(FormRejection::InvalidFormContentType(_)) => Err(WebError::BadRequest(
                "Send this form as application/x-www-form-urlencoded.".into(),
            )),
            Err(rejection) => Err(WebError::BadRequest(format!(
                "The form could not be read: {}. Nothing was changed.",
                rejection.body_text()
            ))),
        }
    }
}

/// A JSON body, with friendly rejections for the API.
pub struct Json<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(Json(value)),
            Err(JsonRejection::BytesRejection(_)) => Err(ApiError(too_large())),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError(WebError::BadRequest(
                "Send a JSON body with Content-Type: application/json.".into(),
            ))),
            Err(rejection) => Err(ApiError(WebError::BadRequest(format!(
                "The JSON body could not be read: {}. Nothing was changed.",
                rejection.body_text()
            )))),
        }
    }
}
