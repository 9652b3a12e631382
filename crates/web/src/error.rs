//! One error type for the web layer, rendered as an HTML page for people and as JSON
//! for the API ([`ApiError`]). Every variant maps to a status explicitly; a 500 logs
//! its cause and shows nothing of it.

use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use leadkit_domain::ValidationError;
use leadkit_store::StoreError;
use serde::Serialize;

use crate::urls;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// No such page or record — also what someone sees for another person's records,
    /// so that a refusal cannot be told apart from absence.
    #[error("not found")]
    NotFound,
    /// The page needs a signed-in person; `next` is where to come back to.
    #[error("sign in required")]
    SignInRequired { next: String },
    /// A state-changing request without the right anti-forgery token.
    #[error("this form has expired or did not come from leadkit")]
    Forgery,
    #[error("{0}")]
    BadRequest(String),
    #[error("the request is too large: {0}")]
    TooLarge(String),
    #[error("invalid input")]
    Invalid(Vec<ValidationError>),
    /// Invalid input in fields whose names are made at run time (one per
    /// framework component, say): (field, message).
    #[error("invalid input")]
    InvalidFields(Vec<(String, String)>),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("too many attempts; wait a minute and try again")]
    TooManyRequests,
    /// The server is at its limit of password checks; try again in a moment.
    #[error("busy")]
    Busy,
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for WebError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => WebError::NotFound,
            StoreError::Conflict(what) => WebError::Conflict(what),
            // Too busy to answer in time: 503 with Retry-After, never a 500.
            other if other.is_busy() => WebError::Busy,
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl From<ValidationError> for WebError {
    fn from(error: ValidationError) -> Self {
        WebError::Invalid(vec![error])
    }
}

impl From<askama::Error> for WebError {
    fn from(error: askama::Error) -> Self {
        WebError::Internal(format!("template: {error}"))
    }
}

/// What a person is told when the server is at its limit of password checks, or
/// the database is too busy to answer in time.
pub const BUSY: &str =
    "leadkit is busy just now. Wait a few seconds and try again; nothing was changed.";

/// How many seconds to wait before trying again, as `Retry-After` says.
pub const RETRY_AFTER_SECONDS: &str = "5";

impl WebError {
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::SignInRequired { .. } => StatusCode::UNAUTHORIZED,
            WebError::Forgery => StatusCode::FORBIDDEN,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            WebError::Invalid(_) | WebError::InvalidFields(_) => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            WebError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What a person is told. Internal causes are logged, never shown.
    pub fn public_message(&self) -> String {
        match self {
            WebError::NotFound => "We could not find that page.".into(),
            WebError::SignInRequired { .. } => "Please sign in to continue.".into(),
            WebError::Forgery => {
                "This form has expired or did not come from leadkit. Go back, reload the page and try again; nothing was changed.".into()
            }
            WebError::BadRequest(message) => message.clone(),
            WebError::TooLarge(message) => message.clone(),
            WebError::Invalid(errors) => errors
                .iter()
                .map(|error| error.message.clone())
                .collect::<Vec<_>>()
                .join(" "),
            WebError::InvalidFields(errors) => errors
                .iter()
                .map(|(_, message)| message.clone())
                .collect::<Vec<_>>()
                .join(" "),
            WebError::Conflict(message) => {
                format!("That cannot be saved: {}.", message.trim_end_matches('.'))
            }
            WebError::TooManyRequests => self.to_string(),
            WebError::Busy => BUSY.into(),
            WebError::Internal(_) => {
                "Something went wrong on our side. Nothing you saved earlier is lost; please try again.".into()
            }
        }
    }

    /// What was wrong with a refused form post, field by field where the
    /// problem names its field; `None` when this is not a refusal of what was
    /// typed (the form page is then not shown again).
    pub fn problems(&self) -> Option<Vec<crate::refill::Problem>> {
        use crate::refill::Problem;
        match self {
            WebError::BadRequest(message) => Some(vec![Problem {
                field: None,
                message: message.clone(),
            }]),
            WebError::Invalid(errors) => Some(
                errors
                    .iter()
                    .map(|error| Problem {
                        field: Some(error.field.to_owned()),
                        message: error.message.clone(),
                    })
                    .collect(),
            ),
            WebError::InvalidFields(errors) => Some(
                errors
                    .iter()
                    .map(|(field, message)| Problem {
                        field: Some(field.clone()),
                        message: message.clone(),
                    })
                    .collect(),
            ),
            WebError::Conflict(_) => Some(vec![Problem {
                field: None,
                message: self.public_message(),
            }]),
            _ => None,
        }
    }

    fn log(&self) {
        if let WebError::Internal(cause) = self {
            tracing::error!(%cause, "request failed");
        }
    }
}

#[derive(askama::Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: crate::pages::Page,
    title: String,
    message: String,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        self.log();
        if let WebError::SignInRequired { next } = &self {
            return Redirect::to(&urls::sign_in_then(next)).into_response();
        }
        let status = self.status();
        let title = status.canonical_reason().unwrap_or("Error").to_owned();
        let page = ErrorPage {
            page: crate::pages::Page::anonymous(&title),
            title,
            message: self.public_message(),
        };
        let retry = matches!(self, WebError::Busy);
        let refused = self.problems();
        let mut response = match askama::Template::render(&page) {
            Ok(body) => (status, Html(body)).into_response(),
            Err(_) => (
                status,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                page.message,
            )
                .into_response(),
        };
        if let Some(problems) = refused {
            response
                .extensions_mut()
                .insert(crate::refusal::Refused(problems));
        }
        if retry {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                header::HeaderValue::from_static(RETRY_AFTER_SECONDS),
            );
        }
        response
    }
}

/// The same errors, for the JSON API: `{"error": "...", "fields": [...]}`.
#[derive(Debug)]
pub struct ApiError(pub WebError);

impl<E: Into<WebError>> From<E> for ApiError {
    fn from(error: E) -> Self {
        ApiError(error.into())
    }
}

/// The body of every API error.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// A sentence saying what went wrong.
    pub error: String,
    /// Field-level problems, for invalid input.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let error = self.0;
        error.log();
        let status = match error {
            WebError::SignInRequired { .. } => StatusCode::UNAUTHORIZED,
            ref other => other.status(),
        };
        let fields = match &error {
            WebError::Invalid(errors) => errors
                .iter()
                .map(|e| FieldError {
                    field: e.field.to_owned(),
                    message: e.message.clone(),
                })
                .collect(),
            WebError::InvalidFields(errors) => errors
                .iter()
                .map(|(field, message)| FieldError {
                    field: field.clone(),
                    message: message.clone(),
                })
                .collect(),
            _ => Vec::new(),
        };
        let body = ErrorBody {
            error: error.public_message(),
            fields,
        };
        let mut response = (status, axum::Json(body)).into_response();
        if matches!(error, WebError::Busy) {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                header::HeaderValue::from_static(RETRY_AFTER_SECONDS),
            );
        }
        response
    }
}
