//! leadkit's web layer: routes, sign-in, HTML pages and the JSON API.
//!
//! It knows HTTP, HTML and JSON, and asks `leadkit-store` for data and
//! `leadkit-domain` for rules. It never writes SQL. [`app`] builds the whole router;
//! the CLI serves it and the tests drive it.

pub mod access;
pub mod api;
pub mod assets;
pub mod audit;
pub mod auth;
pub mod clock;
pub mod error;
pub mod extract;
pub mod forms;
mod headers;
pub mod mail;
pub mod page_cache;
pub mod pages;
pub mod reminders;
pub mod reports;
pub mod resume;
pub mod state;
pub mod urls;
pub mod views;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::Uri;
use axum::middleware::{from_fn, from_fn_with_state, map_response};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

pub use clock::Clock;
pub use state::{AppState, Catalog, WebConfig};

use crate::error::{ApiError, WebError};
use crate::pages::{
    admin, calendar, coaching, evidence, expertise, frameworks, goals, home, insight, links,
    my_data, profile, reflect, setup, sharing, sign_in,
};

/// The whole application.
pub fn app(state: AppState) -> Router {
    let (api, openapi) = api::router();
    let openapi_json = openapi.to_pretty_json().unwrap_or_default();

    // Every route here refuses a state-changing request without the right token.
    let guarded = Router::new()
        .route("/", get(home::show))
        .route("/sign-in", get(sign_in::show).post(sign_in::save))
        .route("/sign-out", post(sign_in::sign_out))
        .route("/sso/{trust}/start", get(auth::sso::start))
        .route(urls::SSO_CALLBACK, get(auth::sso::callback))
        .route("/sign-out-everywhere", post(sign_in::sign_out_everywhere))
        .route("/setup/{token}", get(setup::show).post(setup::save))
        .route(
            "/welcome/{token}",
            get(links::welcome_form).post(links::welcome),
        )
        .route(
            "/password-reset",
            get(links::forgotten_form).post(links::forgotten),
        )
        .route(
            "/password-reset/{token}",
            get(links::reset_form).post(links::reset),
        )
        .route("/admin/people/{person}/invite", post(links::invite))
        .route(urls::GOALS, get(goals::list::list).post(goals::new::create))
        .route(urls::NEW_GOAL, get(goals::new::new))
        .route(
            "/goals/{goal}",
            get(goals::show::show).post(goals::show::update),
        )
        .route("/goals/{goal}/actions", post(goals::actions::actions))
        .route("/goals/{goal}/check-ins", post(goals::check_ins::check_in))
        .route("/goals/{goal}/review", post(goals::review::review))
        .route(
            "/goals/{goal}/carry-forward",
            post(goals::review::carry_forward),
        )
        .route("/people/{person}/goals", get(goals::list::of_person))
        .route(urls::EVIDENCE, get(evidence::list::list))
        .route(
            urls::ADMIN_CYCLES,
            get(admin::cycles::list).post(admin::cycles::open),
        )
        .route(urls::COACHING, get(coaching::show::show_mine))
        .route(urls::INSIGHT, get(insight::heatmap::heatmap))
        .route(
            urls::EXPERTISE,
            get(expertise::list).post(expertise::opt_in),
        )
        .route("/insight/growth", get(insight::growth::growth_view))
        .route("/insight/component", get(insight::component::component))
        .route(
            "/insight/priorities",
            get(insight::priorities::priorities_view),
        )
        .route(
            "/insight/priorities.csv",
            get(insight::priorities::priorities_csv),
        )
        .route(urls::INSIGHT_REPORT, get(insight::report::page))
        .route("/insight/report.pdf", get(insight::report::pdf_file))
        .route("/insight/report.csv", get(insight::report::csv_file))
        .route("/insight/report.xlsx", get(insight::report::xlsx_file))
        .route(
            "/admin/insight-threshold",
            post(insight::threshold::save_threshold),
        )
        .route(
            urls::CALENDAR_SETTINGS,
            get(calendar::show).post(calendar::save),
        )
        .route("/calendar/{file}", get(calendar::feed))
        .route("/reminders/unsubscribe/{token}", get(calendar::unsubscribe))
        .route("/coaching/notes", post(coaching::notes::add_my_note))
        .route(
            "/people/{person}/coaching",
            get(coaching::show::show_coachee),
        )
        .route(
            "/people/{person}/coaching/views",
            post(coaching::views::save_views),
        )
        .route(
            "/people/{person}/coaching/notes",
            post(coaching::notes::add_coachee_note),
        )
        .route(
            "/people/{person}/coaching/sign-off",
            post(coaching::sign_off::sign_off),
        )
        .route("/admin/cycles/{cycle}/close", post(admin::cycles::close))
        .route("/evidence/{id}/file", get(evidence::file::file))
        .route("/evidence/{id}/delete", post(evidence::file::delete))
        .route("/people/{person}/evidence", get(evidence::list::of_person))
        .route(urls::FRAMEWORKS, get(frameworks::index::index))
        .route("/frameworks/{key}", get(frameworks::smart_card::smart_card))
        .route("/frameworks/{key}/{item}", get(frameworks::item::item))
        .route(urls::REFLECT, get(reflect::start))
        .route(urls::PROFILE, get(profile::show::show))
        .route(urls::PROFILE_REPORT, get(profile::report::profile_report))
        .route(
            urls::PROFILE_REPORT_PDF,
            get(profile::report::profile_report_pdf),
        )
        .route(urls::PROFILE_SHARING, post(sharing::save))
        .route(urls::MY_DATA, get(my_data::html))
        .route(urls::MY_DATA_JSON, get(my_data::json))
        .route(
            "/admin/people/{person}/erase",
            get(my_data::erase_form).post(my_data::erase),
        )
        .route("/profile/{key}", get(profile::show::show_framework))
        .route(urls::PEOPLE, get(sharing::supporting))
        .route("/people/{person}/profile", get(profile::show::of_person))
        .route(
            "/people/{person}/profile/{key}",
            get(profile::show::of_person_framework),
        )
        .route(urls::ADMIN_PEOPLE, get(admin::people::people))
        .route(
            "/admin/people/new",
            get(admin::new_person::new_person_form).post(admin::new_person::add_person),
        )
        .route(
            "/admin/people/import",
            get(admin::import::import_form).post(admin::import::import),
        )
        .route(
            "/admin/people/{person}/relationships",
            get(admin::relationships::relationships).post(admin::relationships::save_relationships),
        )
        .route("/admin/settings", post(admin::settings::save_settings))
        .route("/admin/retention", post(admin::settings::save_retention))
        .route(
            "/admin/schools",
            get(admin::schools::schools).post(admin::schools::add_school_or_team),
        )
        .route(
            "/admin/sign-on",
            get(admin::sign_on::sign_on).post(admin::sign_on::save_sign_on),
        )
        .route(urls::ADMIN_AUDIT, get(admin::audit::audit))
        .route(urls::ADMIN_AUDIT_CSV, get(admin::audit::audit_csv))
        .route(
            "/profile/{key}/through/{other}",
            get(profile::through::through),
        )
        .route(
            "/frameworks/{key}/suggestions",
            get(frameworks::suggestions::suggestions),
        )
        .route("/ims/case/v1p1/CFDocuments", get(api::case::documents))
        .route("/ims/case/v1p1/CFDocuments/{id}", get(api::case::document))
        .route("/ims/case/v1p1/CFPackages/{id}", get(api::case::package))
        .route("/ims/case/v1p1/CFItems/{id}", get(api::case::item))
        .route(
            "/ims/case/v1p1/CFAssociations/{id}",
            get(api::case::association),
        )
        .route(
            "/ims/case/v1p1/CFItemAssociations/{id}",
            get(api::case::item_associations),
        )
        .route("/ims/case/v1p1/CFRubrics/{id}", get(api::case::rubric))
        .merge(api)
        .route_layer(from_fn(auth::csrf::require_token));
    // The reflection form also accepts a signed-out post, to keep the typed text.
    let reflect_form = Router::new()
        .route(
            "/reflect/{key}/{group}",
            get(reflect::show).post(reflect::save),
        )
        .route_layer(from_fn(auth::csrf::require_token_unless_signed_out));

    // The evidence upload is multipart and may be large: it checks its own
    // anti-forgery token before reading the file, and the file store enforces
    // the size limit while streaming (see pages::evidence).
    let upload = Router::new()
        .route(urls::EVIDENCE_UPLOAD, post(evidence::add::add))
        .layer(DefaultBodyLimit::disable());

    let hsts = state.config.secure_cookies;
    let router = Router::new()
        .merge(guarded)
        .merge(reflect_form)
        .merge(upload)
        .fallback(not_found)
        .layer(from_fn_with_state(state.clone(), auth::session::load))
        .route(
            urls::OPENAPI,
            get(move || async move {
                (
                    [(axum::http::header::CONTENT_TYPE, "application/json")],
                    openapi_json,
                )
            }),
        )
        .route("/assets/{file}", get(assets::serve))
        .route("/healthz", get(|| async { "ok" }))
        .layer(DefaultBodyLimit::max(extract::BODY_LIMIT))
        .layer(map_response(headers::add));
    // Served over TLS (an https public URL): tell browsers to keep to https.
    let router = if hsts {
        router.layer(map_response(headers::add_hsts))
    } else {
        router
    };
    router.with_state(state)
}

async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        ApiError(WebError::NotFound).into_response()
    } else {
        WebError::NotFound.into_response()
    }
}
