//! `GET /frameworks`: every published framework.

use askama::Template;
use axum::extract::State;
use axum::response::Html;

use crate::auth::MaybeSignedIn;
use crate::error::WebError;
use crate::pages::{Page, render};
use crate::state::AppState;
use crate::urls;

pub struct FrameworkSummary {
    pub title: String,
    pub publisher: String,
    pub version: String,
    pub url: String,
    pub components: usize,
}

#[derive(Template)]
#[template(path = "frameworks/index.html")]
pub struct IndexPage {
    pub page: Page,
    pub frameworks: Vec<FrameworkSummary>,
}

pub async fn index(
    State(state): State<AppState>,
    MaybeSignedIn(me): MaybeSignedIn,
) -> Result<Html<String>, WebError> {
    let frameworks = state
        .catalog
        .latest_versions()
        .into_iter()
        .map(|stored| FrameworkSummary {
            title: stored.framework.title.clone(),
            publisher: stored.framework.publisher.clone(),
            version: stored.framework.version.clone(),
            url: urls::framework(&stored.framework.key),
            components: stored.framework.reflectable_items().count(),
        })
        .collect();
    render(&IndexPage {
        page: Page::new("Frameworks", "frameworks", me.as_ref()),
        frameworks,
    })
}
