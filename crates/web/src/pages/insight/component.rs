//! `/insight/component`: one component's distribution in every cycle.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use leadkit_domain::cycle::CycleId;
use leadkit_domain::insight::Cell;
use leadkit_store::insight_cells::CellQuery;
use serde::Deserialize;

use crate::auth::SignedIn;
use crate::error::WebError;
use crate::pages::{Page, render};
use crate::state::AppState;

use super::*;

#[derive(Deserialize, Default)]
pub struct ComponentQuery {
    #[serde(default)]
    item: String,
    #[serde(default)]
    school: String,
    #[serde(default)]
    role: String,
}

pub struct TrendRow {
    pub cycle: String,
    pub cell: CellView,
    /// Where the cycle's name sits in the chart, and its bar.
    pub label_y: u32,
    pub bar_y: u32,
    pub bars: Vec<TrendBar>,
}

/// One level's part of a cycle's bar, in the chart's coordinates.
pub struct TrendBar {
    pub x: u32,
    pub width: u32,
    pub colour: &'static str,
}

/// The chart's geometry: names in the first 110 units, then 3 units a percent,
/// one row of 24 units a cycle.
const BAR_LEFT: u32 = 110;
const UNITS_PER_PERCENT: u32 = 3;
const ROW_HEIGHT: u32 = 24;

fn trend_row(index: usize, cycle: String, cell: CellView) -> TrendRow {
    let y = index as u32 * ROW_HEIGHT;
    TrendRow {
        cycle,
        label_y: y + 15,
        bar_y: y + 3,
        bars: cell
            .segments
            .iter()
            .map(|s| TrendBar {
                x: BAR_LEFT + s.x * UNITS_PER_PERCENT,
                width: s.width * UNITS_PER_PERCENT,
                colour: s.colour,
            })
            .collect(),
        cell,
    }
}

#[derive(Template)]
#[template(path = "insight/component.html")]
pub struct ComponentPage {
    pub page: Page,
    pub code: String,
    pub title: String,
    pub threshold: u32,
    pub trend: Vec<TrendRow>,
    pub chart_height: u32,
    pub legend: Vec<LegendEntry>,
    pub school_choices: Vec<Choice>,
    pub role_choices: Vec<Choice>,
    pub trust_wide: bool,
    pub item: String,
}

/// `GET /insight/component?item=CODE`: one component's distribution in every
/// cycle, oldest first, as a chart and as numbers.
pub async fn component(
    State(state): State<AppState>,
    me: SignedIn,
    Query(query): Query<ComponentQuery>,
) -> Result<Html<String>, WebError> {
    let resolved = resolve(&state, &me, &query.school, &query.role, "").await?;
    let framework = &resolved.stored.framework;
    let item = leadkit_domain::framework::ItemCode::parse(query.item.trim())
        .ok()
        .and_then(|code| framework.find(&code))
        .filter(|item| item.is_reflectable())
        .ok_or_else(|| WebError::BadRequest("Choose a component of the framework.".into()))?;
    let level_labels: Vec<String> = framework
        .scale
        .iter()
        .flat_map(|s| s.levels.iter().map(|l| l.label.clone()))
        .collect();
    let filter = resolved.filter();
    let oldest_first: Vec<CycleId> = resolved.cycles.iter().rev().map(|c| c.id).collect();
    let stored_cells =
        fresh_cells(&state, &resolved, &oldest_first, CellQuery::only(&filter)).await?;
    let mut trend = Vec::new();
    for (index, cycle) in resolved.cycles.iter().rev().enumerate() {
        let cell = stored_cells
            .iter()
            .find(|c| c.cycle == cycle.id && c.item == item.code)
            .map_or(Cell::Suppressed, |c| Cell::Shown(c.distribution.clone()));
        let cell = cell_view(cell, &level_labels, resolved.threshold);
        trend.push(trend_row(index, cycle.name.clone(), cell));
    }
    let legend = legend(&level_labels);
    let (school_choices, role_choices, _) = resolved.choices();
    render(&ComponentPage {
        page: Page::new(format!("Insight: {}", item.code), "insight", Some(&me)),
        code: item.code.to_string(),
        title: item.title.clone(),
        threshold: resolved.threshold.get(),
        chart_height: (trend.len() as u32 * ROW_HEIGHT).max(ROW_HEIGHT),
        trend,
        legend,
        school_choices,
        role_choices,
        trust_wide: resolved.allowed_schools.is_none(),
        item: item.code.to_string(),
    })
}
