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
#[cfg(test)]
mod fixtures;
pub mod forms;
mod headers;
pub mod invitations;
pub mod kept;
pub mod mail;
pub mod page_cache;
pub mod pages;
pub mod refill;
pub mod refusal;
pub mod reminders;
pub mod reports;
pub mod resume;
pub mod state;
pub mod urls;
pub mod views;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::Uri;
use axum::middleware::{from_fn_with_state, map_response};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

pub use clock::Clock;
pub use state::{AppState, Catalog, WebConfig};

use crate::error::{ApiError, WebError};
use crate::pages::{
    admin, calendar, coaching, evidence, expertise, frameworks, goals, home, insight, links,
    my_data, notices, profile, reflect, setup, sharing, sign_in,
};

/// The whole application.
pub fn app(state: AppState) -> Router {
    let (api, openapi) = api::router();
    let openapi_json = openapi.to_pretty_json().unwrap_or_default();

    // Every route here refuses a state-changing request without the right token.
    let guarded = Router::new()
        .route(urls::HOME, get(home::show::show))
        .route(urls::SIGN_IN, get(sign_in::show).post(sign_in::save))
        .route(urls::SIGN_OUT, post(sign_in::sign_out))
        .route(urls::SSO_START, get(auth::sso::start))
        .route(urls::SSO_CALLBACK, get(auth::sso::callback))
        .route(
            urls::SIGN_OUT_EVERYWHERE,
            post(sign_in::sign_out_everywhere),
        )
        .route(urls::SETUP, get(setup::show).post(setup::save))
        .route(urls::WELCOME, get(links::welcome_form).post(links::welcome))
        .route(
            urls::PASSWORD_RESET,
            get(links::forgotten_form).post(links::forgotten),
        )
        .route(
            urls::PASSWORD_RESET_LINK,
            get(links::reset_form).post(links::reset),
        )
        .route(urls::ADMIN_INVITE, post(links::invite))
        .route(urls::GOALS, get(goals::list::list).post(goals::new::create))
        .route(urls::NEW_GOAL, get(goals::new::new))
        .route(urls::GOAL, get(goals::show::show).post(goals::show::update))
        .route(urls::GOAL_ACTIONS, post(goals::actions::actions))
        .route(urls::GOAL_CHECK_INS, post(goals::check_ins::check_in))
        .route(urls::GOAL_REVIEW, post(goals::review::review))
        .route(urls::GOAL_CARRY_FORWARD, post(goals::review::carry_forward))
        .route(urls::PERSON_GOALS, get(goals::list::of_person))
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
        .route(urls::INSIGHT_GROWTH, get(insight::growth::growth_view))
        .route(urls::INSIGHT_COMPONENT, get(insight::component::component))
        .route(
            urls::INSIGHT_PRIORITIES,
            get(insight::priorities::priorities_view),
        )
        .route(
            urls::INSIGHT_PRIORITIES_CSV,
            get(insight::priorities::priorities_csv),
        )
        .route(urls::INSIGHT_REPORT, get(insight::report::page))
        .route(urls::INSIGHT_REPORT_PDF, get(insight::report::pdf_file))
        .route(urls::INSIGHT_REPORT_CSV, get(insight::report::csv_file))
        .route(urls::INSIGHT_REPORT_XLSX, get(insight::report::xlsx_file))
        .route(
            urls::ADMIN_INSIGHT_THRESHOLD,
            post(insight::threshold::save_threshold),
        )
        .route(
            urls::CALENDAR_SETTINGS,
            get(calendar::show).post(calendar::save),
        )
        .route(urls::CALENDAR_FEED, get(calendar::feed))
        .route(urls::UNSUBSCRIBE, get(calendar::unsubscribe))
        .route(urls::COACHING_NOTES, post(coaching::notes::add_my_note))
        .route(urls::PERSON_COACHING, get(coaching::show::show_coachee))
        .route(
            urls::PERSON_COACHING_VIEWS,
            post(coaching::views::save_views),
        )
        .route(
            urls::PERSON_COACHING_NOTES,
            post(coaching::notes::add_coachee_note),
        )
        .route(
            urls::PERSON_COACHING_SIGN_OFF,
            get(coaching::sign_off::confirm).post(coaching::sign_off::sign_off),
        )
        .route(urls::MY_CHECKPOINT, post(coaching::checkpoints::mine))
        .route(urls::PERSON_CHECKPOINT, post(coaching::checkpoints::coachs))
        .route(
            urls::PERSON_COACHING_RECORD,
            post(coaching::show::save_record_comment),
        )
        .route(
            urls::PERSON_COACHING_SIGN_OFF_WITHDRAW,
            post(coaching::sign_off::withdraw),
        )
        .route(
            urls::ADMIN_CLOSE_CYCLE,
            get(admin::cycles::confirm_close).post(admin::cycles::close),
        )
        .route(urls::ADMIN_REOPEN_CYCLE, post(admin::cycles::reopen))
        .route(
            urls::ADMIN_CHECKPOINTS,
            get(admin::checkpoints::show).post(admin::checkpoints::add),
        )
        .route(
            urls::ADMIN_REMOVE_CHECKPOINT,
            post(admin::checkpoints::remove),
        )
        .route(urls::EVIDENCE_FILE, get(evidence::file::file))
        .route(urls::EVIDENCE_DELETE, post(evidence::file::delete))
        .route(urls::PERSON_EVIDENCE, get(evidence::list::of_person))
        .route(urls::FRAMEWORKS, get(frameworks::index::index))
        .route(urls::FRAMEWORK, get(frameworks::smart_card::smart_card))
        .route(urls::FRAMEWORK_ITEM, get(frameworks::item::item))
        .route(urls::REFLECT, get(reflect::start))
        .route(urls::PROFILE, get(profile::show::show))
        .route(urls::PROFILE_REPORT, get(profile::report::profile_report))
        .route(
            urls::PROFILE_RECORD,
            get(profile::record::show).post(profile::record::save),
        )
        .route(
            urls::PROFILE_REPORT_PDF,
            get(profile::report::profile_report_pdf),
        )
        .route(urls::PROFILE_SHARING, post(sharing::save))
        .route(urls::NOTICE_DISMISS, post(notices::dismiss))
        .route(urls::MY_DATA, get(my_data::html))
        .route(urls::MY_DATA_JSON, get(my_data::json))
        .route(
            urls::ADMIN_ERASE,
            get(my_data::erase_form).post(my_data::erase),
        )
        .route(urls::PROFILE_OF, get(profile::show::show_framework))
        .route(urls::PEOPLE, get(sharing::supporting))
        .route(urls::PERSON_PROFILE, get(profile::show::of_person))
        .route(
            urls::PERSON_PROFILE_OF,
            get(profile::show::of_person_framework),
        )
        .route(urls::ADMIN_PEOPLE, get(admin::people::people))
        .route(
            urls::ADMIN_ARCHIVE,
            get(admin::archive::confirm).post(admin::archive::archive),
        )
        .route(urls::ADMIN_UNARCHIVE, post(admin::archive::unarchive))
        .route(
            urls::ADMIN_SESSIONS,
            get(admin::sessions::show).post(admin::sessions::save),
        )
        .route(
            urls::ADMIN_NEW_PERSON,
            get(admin::new_person::new_person_form).post(admin::new_person::add_person),
        )
        .route(
            urls::ADMIN_IMPORT,
            get(admin::import::import_form).post(admin::import::import),
        )
        .route(
            urls::ADMIN_INVITE_ALL,
            get(admin::invite_all::preview).post(admin::invite_all::send),
        )
        .route(
            urls::ADMIN_RELATIONSHIPS,
            get(admin::relationships::relationships).post(admin::relationships::save_relationships),
        )
        .route(urls::ADMIN_SETTINGS, post(admin::settings::save_settings))
        .route(urls::ADMIN_RETENTION, post(admin::settings::save_retention))
        .route(
            urls::ADMIN_SCHOOLS,
            get(admin::schools::schools).post(admin::schools::add_school_or_team),
        )
        .route(
            urls::ADMIN_SIGN_ON,
            get(admin::sign_on::sign_on).post(admin::sign_on::save_sign_on),
        )
        .route(urls::ADMIN_AUDIT, get(admin::audit::audit))
        .route(urls::ADMIN_AUDIT_CSV, get(admin::audit::audit_csv))
        .route(urls::PROFILE_THROUGH, get(profile::through::through))
        .route(
            urls::FRAMEWORK_SUGGESTIONS,
            get(frameworks::suggestions::suggestions),
        )
        .route(urls::CASE_DOCUMENTS, get(api::case::documents))
        .route(urls::CASE_DOCUMENT, get(api::case::document))
        .route(urls::CASE_PACKAGE, get(api::case::package))
        .route(urls::CASE_ITEM, get(api::case::item))
        .route(urls::CASE_ASSOCIATION, get(api::case::association))
        .route(
            urls::CASE_ITEM_ASSOCIATIONS,
            get(api::case::item_associations),
        )
        .route(urls::CASE_RUBRIC, get(api::case::rubric))
        .merge(api)
        .route_layer(from_fn_with_state(state.clone(), auth::csrf::require_token));
    // The reflection form also accepts a signed-out post, to keep the typed text.
    let reflect_form = Router::new()
        .route(urls::REFLECT_GROUP, get(reflect::show).post(reflect::save))
        .route_layer(from_fn_with_state(
            state.clone(),
            auth::csrf::require_token_unless_signed_out,
        ));

    // The evidence upload is multipart and may be large: it checks its own
    // anti-forgery token before reading the file, and the file store enforces
    // the size limit while streaming (see pages::evidence).
    let upload = Router::new()
        .route(urls::EVIDENCE_UPLOAD, post(evidence::add::add))
        .layer(DefaultBodyLimit::disable());
    // A staff list uploaded as a file: multipart, checking its own token first,
    // and no larger than an import may be (see pages::admin::import).
    let staff_upload = Router::new()
        .route(urls::ADMIN_IMPORT_UPLOAD, post(admin::import::upload))
        .layer(DefaultBodyLimit::max(
            usize::try_from(leadkit_interop::MAX_IMPORT_BYTES * 2).unwrap_or(usize::MAX),
        ));

    let hsts = state.config.secure_cookies;
    let router = Router::new()
        .merge(guarded)
        .merge(reflect_form)
        .merge(upload)
        .merge(staff_upload)
        .fallback(not_found)
        .layer(from_fn_with_state(state.clone(), kept::carry))
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
        .route(urls::ASSETS, get(assets::serve))
        .route(urls::SERVICE_WORKER, get(assets::service_worker))
        .route(urls::MANIFEST, get(assets::manifest))
        .route(urls::OFFLINE, get(assets::offline_page))
        .route(urls::HEALTHZ, get(|| async { "ok" }))
        .layer(DefaultBodyLimit::max(extract::BODY_LIMIT))
        .layer(map_response(headers::add));
    // Served over TLS (an https public URL): tell browsers to keep to https.
    let router = if hsts {
        router.layer(map_response(headers::add_hsts))
    } else {
        router
    };
    // A refused form post shows its page again, as typed (see `refusal`).
    refusal::layer(router.with_state(state))
}

async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        ApiError(WebError::NotFound).into_response()
    } else {
        WebError::NotFound.into_response()
    }
}
