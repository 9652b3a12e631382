//! `/admin/people`: everyone in the trust with their coach, line manager and
//! whether they can sign in yet, searched and filtered by name, school, role and
//! access; then the trust's sharing and retention settings.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use leadkit_domain::people::Role;
use leadkit_store::people::{Access, PersonOverview};

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
    pub roles: String,
    pub coach: String,
    pub line_manager: String,
    /// "Can sign in", "Invited, not yet accepted", …
    pub access: &'static str,
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
    /// Part of a name or email address.
    #[serde(default)]
    q: String,
    /// A school's id, "none" for the trust's central staff, empty for all.
    #[serde(default)]
    school: String,
    /// A role's stored name, empty for all.
    #[serde(default)]
    role: String,
    /// An [`AccessFilter`]'s value, empty for all.
    #[serde(default)]
    access: String,
    /// "none": only people without a coach.
    #[serde(default)]
    coach: String,
}

/// Who the list shows: every condition given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub words: Vec<String>,
    pub school: SchoolFilter,
    pub role: Option<Role>,
    pub access: Option<AccessFilter>,
    pub without_coach: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SchoolFilter {
    #[default]
    Any,
    /// The trust's central staff, in no school.
    None,
    One(i64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessFilter {
    NotInvited,
    Invited,
    CanSignIn,
}

impl AccessFilter {
    pub const ALL: [(AccessFilter, &'static str, &'static str); 3] = [
        (AccessFilter::NotInvited, "not-invited", "Not invited yet"),
        (
            AccessFilter::Invited,
            "invited",
            "Invited, not yet accepted",
        ),
        (AccessFilter::CanSignIn, "can-sign-in", "Can sign in"),
    ];

    fn holds(self, access: Access) -> bool {
        matches!(
            (self, access),
            (AccessFilter::NotInvited, Access::NotInvited)
                | (AccessFilter::Invited, Access::Invited { .. })
                | (AccessFilter::CanSignIn, Access::CanSignIn)
        )
    }
}

/// How the list says whether someone can sign in.
pub fn access_label(access: Access) -> &'static str {
    match access {
        Access::CanSignIn => "Can sign in",
        Access::Invited { expired: false } => "Invited, not yet accepted",
        Access::Invited { expired: true } => "Invitation expired: invite again",
        Access::NotInvited => "Not invited yet",
    }
}

impl Filter {
    /// The filter a query asks for; values that mean nothing are ignored.
    fn from_query(query: &PeopleQuery) -> Self {
        Filter {
            words: query.q.split_whitespace().map(str::to_lowercase).collect(),
            school: match query.school.trim() {
                "" => SchoolFilter::Any,
                "none" => SchoolFilter::None,
                id => id.parse().map_or(SchoolFilter::Any, SchoolFilter::One),
            },
            role: Role::parse(query.role.trim()).ok(),
            access: AccessFilter::ALL
                .iter()
                .find(|(_, value, _)| *value == query.access.trim())
                .map(|(filter, _, _)| *filter),
            without_coach: query.coach.trim() == "none",
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// Whether `person` is shown: every word is in their name or email, and
    /// they are in the school, hold the role and have the access asked for.
    pub fn shows(&self, person: &PersonOverview) -> bool {
        let haystack = format!("{} {}", person.name, person.email).to_lowercase();
        self.words
            .iter()
            .all(|word| haystack.contains(word.as_str()))
            && match self.school {
                SchoolFilter::Any => true,
                SchoolFilter::None => person.school.is_none(),
                SchoolFilter::One(id) => person.school.as_ref().is_some_and(|(s, _)| s.0 == id),
            }
            && self.role.is_none_or(|role| person.roles.contains(&role))
            && self.access.is_none_or(|access| access.holds(person.access))
            && (!self.without_coach || person.coach.is_none())
    }
}

/// One choice of a filter's select.
pub struct FilterChoice {
    pub value: String,
    pub label: String,
    pub selected: bool,
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
    /// The search and filters as asked, to show them again.
    pub q: String,
    pub schools: Vec<FilterChoice>,
    pub roles: Vec<FilterChoice>,
    pub accesses: Vec<FilterChoice>,
    pub without_coach: bool,
    pub filtered: bool,
    /// Everyone in the trust (the list may show fewer).
    pub total: usize,
    /// People nobody has invited yet, whom "Invite everyone" would invite.
    pub not_invited: usize,
}

/// One row of the list. Pure.
fn person_row(person: PersonOverview) -> PersonRow {
    PersonRow {
        id: person.id.0,
        roles: person
            .roles
            .iter()
            .map(|role| role.label())
            .collect::<Vec<_>>()
            .join(", "),
        coach: person.coach.map(|(_, name)| name).unwrap_or_default(),
        line_manager: person
            .line_manager
            .map(|(_, name)| name)
            .unwrap_or_default(),
        access: access_label(person.access),
        edit_url: urls::admin_relationships(person.id),
        invite_url: urls::admin_invite(person.id),
        erase_url: urls::admin_erase(person.id),
        archive_url: urls::admin_archive(person.id),
        name: person.name,
        email: person.email,
        school: person.school.map(|(_, name)| name).unwrap_or_default(),
        job_title: person.job_title,
    }
}

/// The choices of the school, role and access filters, with what is asked
/// for selected. Pure.
fn filter_choices(
    filter: &Filter,
    schools: &[leadkit_store::people::School],
) -> (Vec<FilterChoice>, Vec<FilterChoice>, Vec<FilterChoice>) {
    let choice = |value: String, label: String, selected: bool| FilterChoice {
        value,
        label,
        selected,
    };
    let school_choices: Vec<FilterChoice> = std::iter::once(choice(
        "none".into(),
        "No school (central staff)".into(),
        filter.school == SchoolFilter::None,
    ))
    .chain(schools.iter().map(|school| {
        choice(
            school.id.0.to_string(),
            school.name.clone(),
            filter.school == SchoolFilter::One(school.id.0),
        )
    }))
    .collect();
    let role_choices: Vec<FilterChoice> = Role::ALL
        .into_iter()
        .map(|role| {
            choice(
                role.as_str().into(),
                role.label().into(),
                filter.role == Some(role),
            )
        })
        .collect();
    let access_choices: Vec<FilterChoice> = AccessFilter::ALL
        .iter()
        .map(|(access, value, label)| {
            choice(
                (*value).into(),
                (*label).into(),
                filter.access == Some(*access),
            )
        })
        .collect();
    (school_choices, role_choices, access_choices)
}

/// `GET /admin/people`.
pub async fn people(
    State(state): State<AppState>,
    me: SignedIn,
    Query(query): Query<PeopleQuery>,
) -> Result<Html<String>, WebError> {
    access::administer(&me)?;
    let listed = state
        .store
        .people_overview(me.person.trust, state.clock.now())
        .await?;
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
    let filter = Filter::from_query(&query);
    let total = listed.len();
    let not_invited = listed
        .iter()
        .filter(|p| p.access == Access::NotInvited)
        .count();
    let schools = state.store.schools(me.person.trust).await?;
    let people: Vec<PersonRow> = listed
        .into_iter()
        .filter(|person| filter.shows(person))
        .map(person_row)
        .collect();
    let (school_choices, role_choices, access_choices) = filter_choices(&filter, &schools);
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
        q: query.q.clone(),
        schools: school_choices,
        roles: role_choices,
        accesses: access_choices,
        without_coach: filter.without_coach,
        filtered: !filter.is_empty(),
        total,
        not_invited,
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
