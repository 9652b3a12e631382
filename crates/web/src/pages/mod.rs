//! HTML pages: one module per page, each with its handlers (`show`, `save`) and the
//! askama struct its template reads. Templates get ready-made view data.

pub mod admin;

pub mod calendar;
pub mod coaching;
pub mod evidence;
pub mod expertise;

pub mod frameworks;
pub mod goals;
pub mod home;
pub mod insight;

pub mod links;
pub mod my_data;
pub mod notices;
pub mod profile;
pub mod reflect;

pub mod setup;
pub mod sharing;
pub mod sign_in;

use axum::response::Html;

use leadkit_domain::people::Role;

use crate::assets;
use crate::auth::SignedIn;
use crate::error::WebError;

/// What the base template needs on every page.
pub struct Page {
    pub title: String,
    /// Which main-menu entry this page belongs to: "home", "frameworks", "reflect",
    /// "profile", "people", "admin".
    pub section: &'static str,
    pub user_name: Option<String>,
    /// The signed-in person's id (browser drafts are kept per person); empty
    /// when signed out.
    pub person: String,
    /// Whether the signed-in person administers their trust (shows the menu entry).
    pub admin: bool,
    /// Whether they see school or trust insight (leads and administrators).
    pub insight: bool,
    /// The anti-forgery token for forms on this page; empty when signed out.
    pub csrf: String,
    pub css: &'static str,
    pub print_css: &'static str,
    pub js: &'static str,
    /// Keeps drafts of long text in the browser on every signed-in page.
    pub forms_js: &'static str,
    /// Registers the service worker; sends what was done offline.
    pub offline_js: &'static str,
    pub icon_svg: &'static str,
    pub icon_192: &'static str,
}

impl Page {
    pub fn new(
        title: impl Into<String>,
        section: &'static str,
        signed_in: Option<&SignedIn>,
    ) -> Self {
        let urls = assets::urls();
        Self {
            title: title.into(),
            section,
            user_name: signed_in.map(|s| s.person.name.as_str().to_owned()),
            person: signed_in
                .map(|s| s.person.id.0.to_string())
                .unwrap_or_default(),
            admin: signed_in.is_some_and(|s| s.person.has_role(Role::Administrator)),
            insight: signed_in
                .is_some_and(|s| leadkit_domain::access::insight_scope(&s.actor).is_some()),
            csrf: signed_in.map(|s| s.csrf_token.clone()).unwrap_or_default(),
            css: &urls.app_css,
            print_css: &urls.print_css,
            js: &urls.reflect_js,
            forms_js: &urls.forms_js,
            offline_js: &urls.offline_js,
            icon_svg: &urls.icon_svg,
            icon_192: &urls.icon_192,
        }
    }

    pub fn anonymous(title: &str) -> Self {
        Self::new(title, "", None)
    }
}

/// Renders a template into an HTML response.
pub fn render(template: &impl askama::Template) -> Result<Html<String>, WebError> {
    Ok(Html(template.render()?))
}
