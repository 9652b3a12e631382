//! `/admin/schools`: the trust's schools and their teams; adding either.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use leadkit_domain::audit::AuditAction;
use serde::Deserialize;

use crate::access;
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::extract::Form;
use crate::pages::{Page, render};
use crate::state::AppState;
use crate::urls;

#[derive(Template)]
#[template(path = "admin/schools.html")]
pub struct SchoolsPage {
    pub page: Page,
    pub schools: Vec<leadkit_store::people::SchoolOverview>,
}

/// `GET /admin/schools`: the trust's schools and their teams.
pub async fn schools(
    State(state): State<AppState>,
    me: SignedIn,
) -> Result<Html<String>, WebError> {
    access::administer(&me)?;
    render(&SchoolsPage {
        page: Page::new("Schools and teams", "admin", Some(&me)),
        schools: state.store.school_overview(me.person.trust).await?,
    })
}

#[derive(Deserialize)]
pub struct SchoolForm {
    #[serde(default)]
    name: String,
    /// Set when adding a team to this school.
    #[serde(default)]
    school: String,
}

/// `POST /admin/schools`: adds a school, or (with `school`) a team to one.
pub async fn add_school_or_team(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<SchoolForm>,
) -> Result<Response, WebError> {
    access::administer(&me)?;
    let name = form.name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() || name.chars().count() > 200 {
        return Err(crate::forms::refuse_at(
            "name",
            "Give a name of 1 to 200 characters.",
        ));
    }
    let detail = if form.school.is_empty() {
        state
            .store
            .create_school(me.person.trust, &name)
            .await
            .map_err(|error| match error {
                leadkit_store::StoreError::Conflict(_) => crate::forms::refuse_at(
                    "name",
                    format!("The trust already has a school called {name}."),
                ),
                other => other.into(),
            })?;
        format!("added the school {name}")
    } else {
        let school = form
            .school
            .parse::<i64>()
            .map(leadkit_domain::people::SchoolId)
            .map_err(|_| WebError::BadRequest("Choose a school from the list.".into()))?;
        state
            .store
            .create_team(me.person.trust, school, &name)
            .await
            .map_err(|error| match error {
                leadkit_store::StoreError::NotFound => {
                    WebError::BadRequest("Choose a school from the list.".into())
                }
                leadkit_store::StoreError::Conflict(message) => {
                    crate::forms::refuse_at("name", format!("{}: {name}.", capitalised(&message)))
                }
                other => other.into(),
            })?;
        format!("added the team {name}")
    };
    crate::audit::record(&state, &me, AuditAction::SettingChanged, None, &detail).await?;
    Ok(Redirect::to(urls::ADMIN_SCHOOLS).into_response())
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
