//! The home page: what leadkit is, or where the signed-in person is up to and
//! what they have been told (notices).

use askama::Template;
use axum::extract::State;
use axum::response::Html;
use leadkit_domain::reflection::Progress;

use crate::access::current_scope;
use crate::auth::MaybeSignedIn;
use crate::error::WebError;
use crate::pages::{Page, render};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub page: Page,
    pub framework_title: String,
    pub motto: String,
    pub introduction: String,
    pub framework_url: String,
    pub cycle_name: Option<String>,
    pub progress: Option<Progress>,
    pub notices: Vec<NoticeView>,
}

/// A notice as the home page shows it.
pub struct NoticeView {
    pub body: String,
    /// "2 December 2026"
    pub on: String,
    pub dismiss_url: String,
}

pub async fn show(
    State(state): State<AppState>,
    MaybeSignedIn(signed_in): MaybeSignedIn,
) -> Result<Html<String>, WebError> {
    let primary = state
        .catalog
        .latest(state.config.primary_framework.as_str())
        .ok_or(WebError::NotFound)?;
    let framework = &primary.framework;
    let (cycle_name, progress) = match &signed_in {
        Some(me) => match current_scope(&state, me, primary).await? {
            Some((cycle, scope)) => {
                let reflections = state.store.reflections(scope).await?;
                let progress =
                    Progress::of(framework.reflectable_items().map(|i| &i.code), &reflections);
                (Some(cycle.name), Some(progress))
            }
            None => (None, None),
        },
        None => (None, None),
    };
    let notices = match &signed_in {
        Some(me) => state
            .store
            .notices_for(me.person.id)
            .await?
            .into_iter()
            .map(|notice| NoticeView {
                on: crate::views::long_date(notice.created_at.date()),
                dismiss_url: crate::urls::notice_dismiss(notice.id),
                body: notice.body,
            })
            .collect(),
        None => Vec::new(),
    };
    render(&HomePage {
        notices,
        page: Page::new("Home", "home", signed_in.as_ref()),
        framework_title: framework.title.clone(),
        motto: framework.motto.clone(),
        introduction: framework.introduction.first().cloned().unwrap_or_default(),
        framework_url: crate::urls::framework(&framework.key),
        cycle_name,
        progress,
    })
}
