//! `/insight/growth`: for a group, how many moved up, stayed or moved down on each
//! component between two cycles, and per domain.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use leadkit_domain::cycle::CycleId;
use serde::Deserialize;

use crate::auth::SignedIn;
use crate::error::WebError;
use crate::pages::{Page, render};
use crate::state::AppState;

use super::*;

#[derive(Deserialize, Default)]
pub struct GrowthQuery {
    #[serde(default)]
    school: String,
    #[serde(default)]
    role: String,
    /// The later cycle (default: the current one).
    #[serde(default)]
    cycle: String,
    /// The earlier cycle (default: the one before).
    #[serde(default)]
    from: String,
}

#[derive(Template)]
#[template(path = "insight/growth.html")]
pub struct GrowthPage {
    pub page: Page,
    /// Why there is nothing to compare yet, when there is no earlier cycle.
    pub nothing_yet: Option<String>,
    /// Where cycles are opened, for an administrator.
    pub cycles_url: Option<&'static str>,
    pub from_name: String,
    pub to_name: String,
    pub threshold: u32,
    pub groups: Vec<GrowthGroup>,
    pub school_choices: Vec<Choice>,
    pub role_choices: Vec<Choice>,
    pub cycle_choices: Vec<Choice>,
    pub from_choices: Vec<Choice>,
    pub trust_wide: bool,
}

/// `GET /insight/growth`: for a group, how many moved up, stayed or moved down on
/// each component between two cycles, and per domain.
pub async fn growth_view(
    State(state): State<AppState>,
    me: SignedIn,
    Query(query): Query<GrowthQuery>,
) -> Result<Html<String>, WebError> {
    let resolved = resolve(&state, &me, &query.school, &query.role, &query.cycle).await?;
    let from = match parse_id(&query.from, "cycle")? {
        Some(id) => resolved
            .cycles
            .iter()
            .find(|c| c.id == CycleId(id))
            .cloned()
            .ok_or_else(|| WebError::BadRequest("Choose a cycle from the list.".into()))?,
        None => {
            let previous = resolved.previous_cycle(&state).await?;
            match previous {
                Some(previous) => previous,
                None => return render(&nothing_to_compare(&me, &resolved)),
            }
        }
    };
    if from.id == resolved.cycle.id {
        return Err(WebError::BadRequest("Choose two different cycles.".into()));
    }
    let groups = growth_groups(&state, &resolved, &from).await?;
    let (school_choices, role_choices, cycle_choices) = resolved.choices();
    let from_choices = resolved
        .cycles
        .iter()
        .map(|c| Choice {
            value: c.id.0.to_string(),
            label: c.name.clone(),
            selected: c.id == from.id,
        })
        .collect();
    render(&GrowthPage {
        page: Page::new("Insight: growth", "insight", Some(&me)),
        nothing_yet: None,
        cycles_url: None,
        from_name: from.name,
        to_name: resolved.cycle.name.clone(),
        threshold: resolved.threshold.get(),
        groups,
        school_choices,
        role_choices,
        cycle_choices,
        from_choices,
        trust_wide: resolved.allowed_schools.is_none(),
    })
}

/// The growth page before there are two cycles: what growth will show, and what
/// makes it possible.
fn nothing_to_compare(me: &SignedIn, resolved: &Resolved) -> GrowthPage {
    let administrator = me
        .person
        .has_role(leadkit_domain::people::Role::Administrator);
    let next = if administrator {
        "Open the next cycle on the Cycles page, starting from this one’s levels, and growth will show here as people review their reflection."
    } else {
        "When your administrator opens the next cycle and people review their reflection, growth will show here."
    };
    let (school_choices, role_choices, cycle_choices) = resolved.choices();
    GrowthPage {
        page: Page::new("Insight: growth", "insight", Some(me)),
        nothing_yet: Some(format!(
            "There is nothing to compare yet: growth compares two cycles, and {} is the first. {next}",
            resolved.cycle.name
        )),
        cycles_url: administrator.then_some(crate::urls::ADMIN_CYCLES),
        from_name: String::new(),
        to_name: resolved.cycle.name.clone(),
        threshold: resolved.threshold.get(),
        groups: Vec::new(),
        school_choices,
        role_choices,
        cycle_choices,
        from_choices: Vec::new(),
        trust_wide: resolved.allowed_schools.is_none(),
    }
}
