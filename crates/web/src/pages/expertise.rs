//! The expertise directory: colleagues who chose to be listed, against the
//! components where they and their coach agree they are at the highest level,
//! searchable by component or keyword, so a leader setting a goal can find
//! someone to learn from ("connect colleagues with relevant expertise").

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::auth::SignedIn;
use crate::error::WebError;
use crate::extract::Form;
use crate::pages::{Page, render};
use crate::state::AppState;
use crate::urls;

#[derive(Deserialize, Default)]
pub struct ExpertiseQuery {
    /// A component code ("1a i") or words to find in components' titles and descriptors.
    #[serde(default)]
    q: String,
}

pub struct ExpertView {
    pub name: String,
    pub email: String,
    pub role: String,
}

pub struct ComponentExperts {
    pub code: String,
    pub title: String,
    pub url: String,
    pub experts: Vec<ExpertView>,
}

#[derive(Template)]
#[template(path = "expertise/list.html")]
pub struct ExpertisePage {
    pub page: Page,
    pub q: String,
    pub top_label: String,
    pub components: Vec<ComponentExperts>,
    pub listed: bool,
}

/// `GET /expertise`: the directory, for everyone signed in to the trust.
pub async fn list(
    State(state): State<AppState>,
    me: SignedIn,
    Query(query): Query<ExpertiseQuery>,
) -> Result<Html<String>, WebError> {
    let q = query.q.trim().to_owned();
    if q.chars().count() > 200 {
        return Err(WebError::BadRequest(
            "Search for at most 200 characters.".into(),
        ));
    }
    let stored = state
        .catalog
        .latest(state.config.primary_framework.as_str())
        .ok_or(WebError::NotFound)?;
    let framework = &stored.framework;
    let top = framework
        .scale
        .as_ref()
        .and_then(|s| s.levels.last())
        .ok_or(WebError::NotFound)?;
    let experts = state
        .store
        .experts(me.person.trust, stored.id, top.code.as_str())
        .await?;
    let needle = q.to_lowercase();
    let matches = |item: &leadkit_domain::framework::Item| {
        needle.is_empty()
            || item.code.as_str().eq_ignore_ascii_case(&q)
            || item.title.to_lowercase().contains(&needle)
            || item
                .descriptors
                .values()
                .flatten()
                .any(|text| text.to_lowercase().contains(&needle))
    };
    let components = framework
        .reflectable_items()
        .filter(|item| matches(item))
        .map(|item| ComponentExperts {
            code: item.code.to_string(),
            title: item.title.clone(),
            url: urls::framework_item(&framework.key, &item.code),
            experts: experts
                .iter()
                .filter(|e| e.item == item.code && e.person != me.person.id)
                .map(|e| ExpertView {
                    name: e.name.clone(),
                    email: e.email.clone(),
                    role: match &e.school {
                        Some(school) if !e.job_title.is_empty() => {
                            format!("{}, {school}", e.job_title)
                        }
                        Some(school) => school.clone(),
                        None => e.job_title.clone(),
                    },
                })
                .collect(),
        })
        .filter(|c| !c.experts.is_empty() || !needle.is_empty())
        .collect();
    render(&ExpertisePage {
        page: Page::new("Expertise directory", "expertise", Some(&me)),
        q,
        top_label: top.label.clone(),
        components,
        listed: state.store.expertise_opt_in(me.person.id).await?,
    })
}

#[derive(Deserialize)]
pub struct OptInForm {
    /// "yes" to be listed, "no" to stop.
    listed: String,
}

/// `POST /expertise`: I choose to be listed, or stop.
pub async fn opt_in(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<OptInForm>,
) -> Result<Response, WebError> {
    let listed = match form.listed.as_str() {
        "yes" => true,
        "no" => false,
        _ => return Err(WebError::BadRequest("Choose to be listed or not.".into())),
    };
    state
        .store
        .set_expertise_opt_in(me.person.id, listed)
        .await?;
    Ok(Redirect::to(urls::EXPERTISE).into_response())
}
