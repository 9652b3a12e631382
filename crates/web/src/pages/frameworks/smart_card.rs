//! `GET /frameworks/{key}`: a framework's smart card, every domain and subdomain
//! with their components.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use leadkit_domain::access::{Action, can};

use crate::auth::MaybeSignedIn;
use crate::error::WebError;
use crate::pages::{Page, render};
use crate::state::AppState;
use crate::urls;

use super::{DomainView, LevelView, domain_view, levels};

#[derive(Template)]
#[template(path = "frameworks/smart_card.html")]
pub struct SmartCardPage {
    pub page: Page,
    pub title: String,
    pub publisher: String,
    pub motto: String,
    pub introduction: Vec<String>,
    pub levels: Vec<LevelView>,
    /// Whether the levels are the framework's own, with descriptors per item.
    pub has_descriptors: bool,
    pub domains: Vec<DomainView>,
    /// For administrators: ranked alignment suggestions to another framework.
    pub suggestions_url: Option<String>,
}

pub async fn smart_card(
    State(state): State<AppState>,
    MaybeSignedIn(me): MaybeSignedIn,
    Path(key): Path<String>,
) -> Result<Html<String>, WebError> {
    let stored = state.catalog.latest(&key).ok_or(WebError::NotFound)?;
    let framework = &stored.framework;
    render(&SmartCardPage {
        page: Page::new(framework.title.clone(), "frameworks", me.as_ref()),
        title: framework.title.clone(),
        publisher: framework.publisher.clone(),
        motto: framework.motto.clone(),
        introduction: framework.introduction.clone(),
        levels: levels(framework),
        has_descriptors: framework.walk().any(|item| !item.descriptors.is_empty()),
        domains: framework
            .items
            .iter()
            .map(|d| domain_view(framework, d))
            .collect(),
        suggestions_url: me
            .as_ref()
            .filter(|me| can(&me.actor, Action::Administer, None).is_allowed())
            .and_then(|_| {
                let other = state
                    .catalog
                    .latest_versions()
                    .into_iter()
                    .find(|other| other.framework.key != framework.key)?;
                Some(urls::suggestions(&framework.key, &other.framework.key))
            }),
    })
}
