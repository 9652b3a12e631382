//! Administration of cycles: open a new one (optionally starting from last
//! cycle's levels, so leaders review rather than start again) and close one.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use leadkit_domain::audit::AuditAction;
use leadkit_domain::cycle::CycleId;
use leadkit_store::StoreError;
use leadkit_store::cycles::NewCycle;
use serde::Deserialize;

use crate::access;
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::extract::Form;
use crate::forms::{optional_date_at, refuse_at};
use crate::pages::{Page, render};
use crate::state::AppState;
use crate::urls;

pub struct CycleRow {
    pub id: i64,
    pub name: String,
    /// "Whole trust" or the school's name.
    pub scope: String,
    pub dates: String,
    pub open: bool,
    pub current: bool,
    /// The confirmation page for closing it (open cycles), or the reopen form's
    /// action (closed ones).
    pub close_url: String,
    pub reopen_url: String,
    pub checkpoints_url: String,
}

#[derive(Template)]
#[template(path = "admin/cycles.html")]
pub struct CyclesPage {
    pub page: Page,
    pub cycles: Vec<CycleRow>,
    /// (id, name) of each school, for a school's own cycle.
    pub schools: Vec<(i64, String)>,
    pub suggested_name: String,
    pub suggested_start: String,
    pub suggested_end: String,
    /// Just closed: (name, reopen url), for the undo at the top.
    pub closed: Option<(String, String)>,
    /// Just reopened: its name.
    pub reopened: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    closed: Option<String>,
    #[serde(default)]
    reopened: Option<String>,
}

/// `GET /admin/cycles`: the trust's cycles, newest first, and the form for a new one.
pub async fn list(
    State(state): State<AppState>,
    me: SignedIn,
    axum::extract::Query(done): axum::extract::Query<DoneQuery>,
) -> Result<Html<String>, WebError> {
    access::administer(&me)?;
    let cycles = state.store.cycles(me.person.trust).await?;
    let named = |raw: &Option<String>| {
        let id = raw.as_deref()?.parse::<i64>().ok()?;
        cycles.iter().find(|c| c.id.0 == id)
    };
    let closed = named(&done.closed)
        .filter(|c| !c.open)
        .map(|c| (c.name.clone(), urls::admin_reopen_cycle(c.id)));
    let reopened = named(&done.reopened)
        .filter(|c| c.open)
        .map(|c| c.name.clone());
    let today = state.clock.now().date();
    let current = state
        .store
        .current_cycle(me.person.trust, None, today)
        .await?;
    let schools: Vec<(i64, String)> = state
        .store
        .school_overview(me.person.trust)
        .await?
        .into_iter()
        .map(|school| (school.id.0, school.name))
        .collect();
    // Suggest the school year after the newest cycle.
    let (name, start, end) = match cycles.first() {
        Some(newest) => {
            leadkit_domain::cycle::school_year_containing(newest.ends_on + time::Duration::days(1))
        }
        None => leadkit_domain::cycle::school_year_containing(today),
    };
    render(&CyclesPage {
        page: Page::new("Cycles", "admin", Some(&me)),
        cycles: cycles
            .iter()
            .map(|cycle| CycleRow {
                id: cycle.id.0,
                name: cycle.name.clone(),
                scope: match cycle.school {
                    None => "Whole trust".to_owned(),
                    Some(school) => schools
                        .iter()
                        .find(|(id, _)| *id == school.0)
                        .map_or_else(|| "A school".to_owned(), |(_, name)| name.clone()),
                },
                dates: format!(
                    "{} to {}",
                    crate::views::long_date(cycle.starts_on),
                    crate::views::long_date(cycle.ends_on)
                ),
                open: cycle.open,
                current: current.as_ref().is_some_and(|c| c.id == cycle.id),
                close_url: urls::admin_close_cycle(cycle.id),
                checkpoints_url: urls::admin_checkpoints(cycle.id),
                reopen_url: urls::admin_reopen_cycle(cycle.id),
            })
            .collect(),
        closed,
        reopened,
        schools,
        suggested_name: name,
        suggested_start: start.to_string(),
        suggested_end: end.to_string(),
    })
}

#[derive(Deserialize)]
pub struct OpenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    /// A cycle whose levels everyone starts from, or empty.
    #[serde(default)]
    carry_from: String,
    /// The school whose own cycle this is, or empty for the whole trust.
    #[serde(default)]
    school: String,
}

/// `POST /admin/cycles`: opens a cycle for the whole trust.
pub async fn open(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<OpenForm>,
) -> Result<Response, WebError> {
    access::administer(&me)?;
    let name = form.name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() || name.chars().count() > 100 {
        return Err(refuse_at(
            "name",
            "Give the cycle a name of 1 to 100 characters, such as 2027–28.",
        ));
    }
    let starts_on = optional_date_at(&form.starts_on, "The first day", "starts_on")?
        .ok_or_else(|| refuse_at("starts_on", "Give the cycle’s first day."))?;
    let ends_on = optional_date_at(&form.ends_on, "The last day", "ends_on")?
        .ok_or_else(|| refuse_at("ends_on", "Give the cycle’s last day."))?;
    if ends_on <= starts_on {
        return Err(refuse_at(
            "ends_on",
            "The last day must come after the first day.",
        ));
    }
    let carry_from = match form.carry_from.trim() {
        "" => None,
        raw => Some(CycleId(raw.parse::<i64>().map_err(|_| {
            refuse_at("carry_from", "Choose a cycle to start from, or none.")
        })?)),
    };
    let school = match form.school.trim() {
        "" => None,
        raw => Some(leadkit_domain::people::SchoolId(
            raw.parse::<i64>().map_err(|_| {
                refuse_at(
                    "school",
                    "Choose a school from the list, or the whole trust.",
                )
            })?,
        )),
    };
    state
        .store
        .open_cycle(
            me.person.trust,
            &NewCycle {
                school,
                name: &name,
                starts_on,
                ends_on,
                carry_from,
            },
            state.clock.now(),
        )
        .await
        .map_err(|error| match error {
            StoreError::Conflict(_) => refuse_at(
                "name",
                format!("The trust already has a cycle called {name}. Give this one another name."),
            ),
            StoreError::NotFound => WebError::BadRequest(
                "Choose a school and a cycle to start from of your own trust.".into(),
            ),
            other => other.into(),
        })?;
    let detail = match carry_from {
        Some(from) => format!("opened the cycle {name}, starting from the levels of cycle {from}"),
        None => format!("opened the cycle {name}"),
    };
    crate::audit::record(&state, &me, AuditAction::SettingChanged, None, &detail).await?;
    Ok(Redirect::to(urls::ADMIN_CYCLES).into_response())
}

/// A cycle of the administrator's trust, from the path.
async fn cycle_of_mine(
    state: &AppState,
    me: &SignedIn,
    raw: &str,
) -> Result<leadkit_domain::cycle::Cycle, WebError> {
    access::administer(me)?;
    let id = raw
        .parse::<i64>()
        .map(CycleId)
        .map_err(|_| WebError::NotFound)?;
    match state.store.cycle(me.person.trust, id).await {
        Ok(cycle) => Ok(cycle),
        Err(StoreError::NotFound) => Err(WebError::NotFound),
        Err(error) => Err(error.into()),
    }
}

#[derive(Template)]
#[template(path = "admin/close_cycle.html")]
pub struct CloseCyclePage {
    pub page: Page,
    pub name: String,
    /// "everyone in the trust (60 people)" or "everyone at Oakwood".
    pub whom: String,
    pub dates: String,
    pub action: String,
}

/// `GET /admin/cycles/{cycle}/close`: what closing will do and to whom, and
/// the button (nothing changes until it is pressed).
pub async fn confirm_close(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    let cycle = cycle_of_mine(&state, &me, &raw).await?;
    if !cycle.open {
        return Ok(Redirect::to(urls::ADMIN_CYCLES).into_response());
    }
    let whom = match cycle.school {
        None => {
            let people = state.store.people_in_trust(me.person.trust).await?.len();
            format!("everyone in the trust ({people} people)")
        }
        Some(school) => {
            let name = state
                .store
                .school_overview(me.person.trust)
                .await?
                .into_iter()
                .find(|s| s.id == school)
                .map_or_else(|| "the school".to_owned(), |s| s.name);
            format!("everyone at {name}")
        }
    };
    Ok(render(&CloseCyclePage {
        page: Page::new(format!("Close {}", cycle.name), "admin", Some(&me)),
        dates: format!(
            "{} to {}",
            crate::views::long_date(cycle.starts_on),
            crate::views::long_date(cycle.ends_on)
        ),
        action: urls::admin_close_cycle(cycle.id),
        name: cycle.name,
        whom,
    })?
    .into_response())
}

/// `POST /admin/cycles/{cycle}/close`: closes a cycle; its records become
/// read-only. The cycles page then offers to reopen it.
pub async fn close(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    let cycle = cycle_of_mine(&state, &me, &raw).await?;
    state
        .store
        .close_cycle(me.person.trust, cycle.id, state.clock.now())
        .await?;
    let detail = format!("closed the cycle {}", cycle.name);
    crate::audit::record(&state, &me, AuditAction::SettingChanged, None, &detail).await?;
    Ok(Redirect::to(&format!("{}?closed={}", urls::ADMIN_CYCLES, cycle.id.0)).into_response())
}

/// `POST /admin/cycles/{cycle}/reopen`: the undo of closing; its records can be
/// changed again.
pub async fn reopen(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    let cycle = cycle_of_mine(&state, &me, &raw).await?;
    if !cycle.open {
        state.store.reopen_cycle(me.person.trust, cycle.id).await?;
        let detail = format!("reopened the cycle {}", cycle.name);
        crate::audit::record(&state, &me, AuditAction::SettingChanged, None, &detail).await?;
    }
    Ok(Redirect::to(&format!("{}?reopened={}", urls::ADMIN_CYCLES, cycle.id.0)).into_response())
}
