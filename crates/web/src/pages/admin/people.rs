//! `/admin/people`: everyone in the trust with their coach and line manager, and
//! the trust's sharing and retention settings.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use leadkit_domain::access::RelationshipKind;

use crate::access;
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::pages::{Page, render};
use crate::state::AppState;
use crate::urls;

pub struct PersonRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub school: String,
    pub job_title: String,
    pub coach: String,
    pub line_manager: String,
    pub edit_url: String,
    pub invite_url: String,
    pub erase_url: String,
    pub archive_url: String,
}

/// Someone archived, with the button that gives their access back.
pub struct ArchivedRow {
    pub name: String,
    pub email: String,
    /// "2 December 2026"
    pub archived_on: String,
    pub unarchive_url: String,
}

/// What the page says at the top after an archive or giving access back.
pub enum Done {
    /// Archived just now: the undo.
    Archived { name: String, undo_url: String },
    /// Given access back: their coach and line manager are set again by hand.
    Unarchived { name: String, edit_url: String },
}

#[derive(serde::Deserialize, Default)]
pub struct PeopleQuery {
    #[serde(default)]
    archived: Option<String>,
    #[serde(default)]
    unarchived: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/people.html")]
pub struct PeoplePage {
    pub page: Page,
    pub people: Vec<PersonRow>,
    pub archived: Vec<ArchivedRow>,
    pub done: Option<Done>,
    pub share_with_coach_by_default: bool,
    /// Days archived people are kept before they are erased; empty: kept.
    pub retention_days: String,
}

/// `GET /admin/people`.
pub async fn people(
    State(state): State<AppState>,
    me: SignedIn,
    Query(query): Query<PeopleQuery>,
) -> Result<Html<String>, WebError> {
    access::administer(&me)?;
    let listed = state.store.people_in_trust(me.person.trust).await?;
    let archived = state.store.archived_people(me.person.trust).await?;
    let id_in = |raw: &Option<String>| raw.as_deref().and_then(|raw| raw.parse::<i64>().ok());
    let done = if let Some(id) = id_in(&query.archived) {
        archived
            .iter()
            .find(|p| p.id.0 == id)
            .map(|p| Done::Archived {
                name: p.name.clone(),
                undo_url: urls::admin_unarchive(p.id),
            })
    } else if let Some(id) = id_in(&query.unarchived) {
        listed
            .iter()
            .find(|p| p.id.0 == id)
            .map(|p| Done::Unarchived {
                name: p.name.clone(),
                edit_url: urls::admin_relationships(p.id),
            })
    } else {
        None
    };
    let mut people = Vec::with_capacity(listed.len());
    for person in listed {
        let related = state.store.relationships_of(person.id).await?;
        let name_of = |kind| {
            related
                .iter()
                .find(|r| r.kind == kind)
                .map_or_else(String::new, |r| r.name.clone())
        };
        people.push(PersonRow {
            id: person.id.0,
            coach: name_of(RelationshipKind::Coach),
            line_manager: name_of(RelationshipKind::LineManager),
            edit_url: urls::admin_relationships(person.id),
            invite_url: urls::admin_invite(person.id),
            erase_url: urls::admin_erase(person.id),
            archive_url: urls::admin_archive(person.id),
            name: person.name,
            email: person.email,
            school: person.school.unwrap_or_default(),
            job_title: person.job_title,
        });
    }
    render(&PeoplePage {
        page: Page::new("People", "admin", Some(&me)),
        people,
        archived: archived
            .into_iter()
            .map(|p| ArchivedRow {
                archived_on: crate::views::long_date(p.archived_at.date()),
                unarchive_url: urls::admin_unarchive(p.id),
                name: p.name,
                email: p.email,
            })
            .collect(),
        done,
        share_with_coach_by_default: state
            .store
            .share_with_coach_by_default(me.person.trust)
            .await?,
        retention_days: state
            .store
            .archived_retention_days(me.person.trust)
            .await?
            .map(|days| days.to_string())
            .unwrap_or_default(),
    })
}
