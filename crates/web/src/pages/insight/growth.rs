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
        None => state
            .store
            .previous_cycle(
                resolved.trust,
                resolved.school.map(leadkit_domain::people::SchoolId),
                &resolved.cycle,
            )
            .await?
            .ok_or_else(|| {
                WebError::BadRequest("There is no earlier cycle to compare with yet.".into())
            })?,
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
