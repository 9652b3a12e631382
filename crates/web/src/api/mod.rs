//! The JSON API: the same reads and writes as the pages, for integrations and tests.
//! Handlers are registered through utoipa-axum, so the OpenAPI document served at
//! `/api/openapi.json` is generated from the very routes the server answers.

pub mod case;
pub mod frameworks;
pub mod reflections;

use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "leadkit",
        description = "Leadership frameworks, reflections and profiles. Sign in through the web page first: the API uses the same session cookie, and every PUT must send the session's anti-forgery token in the X-CSRF-Token header (it is in the page's csrf-token meta tag).",
    ),
    modifiers(&SessionSecurity),
    tags(
        (name = "frameworks", description = "Browse the frameworks"),
        (name = "reflections", description = "Your own reflections"),
    )
)]
struct ApiDoc;

struct SessionSecurity;

impl Modify for SessionSecurity {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::auth::session::SESSION_COOKIE,
            ))),
        );
        components.add_security_scheme(
            "csrf",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-CSRF-Token"))),
        );
    }
}

/// The API routes, and the OpenAPI document that describes exactly them.
pub fn router() -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(frameworks::list))
        .routes(routes!(frameworks::show))
        .routes(routes!(reflections::mine))
        .routes(routes!(reflections::save))
        .routes(routes!(reflections::of_person))
        .routes(routes!(reflections::my_profile))
        .split_for_parts()
}
