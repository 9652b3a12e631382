//! `GET /insight`: the heatmap, each component's distribution of levels per
//! school, team or role. [`load`] reads the fresh cells; [`view`] lays them out.

use std::collections::{BTreeSet, HashMap};

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use leadkit_domain::framework::{Item, ItemCode};
use leadkit_domain::insight::{Attributes, Cell, Distribution, Population};
use leadkit_store::insight_cells::{CellQuery, StoredCell};
use serde::Deserialize;

use super::{
    CellView, Choice, LegendEntry, Resolved, cell_view, fresh_cells, legend, resolve, role_label,
};
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::pages::{Page, render};
use crate::state::AppState;

/// What the columns group people by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    School,
    Team,
    Role,
}

impl GroupBy {
    const ALL: [GroupBy; 3] = [GroupBy::School, GroupBy::Team, GroupBy::Role];

    fn as_str(self) -> &'static str {
        match self {
            GroupBy::School => "school",
            GroupBy::Team => "team",
            GroupBy::Role => "role",
        }
    }

    /// The grouping column's number in the store's cell queries.
    fn column(self) -> usize {
        match self {
            GroupBy::School => 0,
            GroupBy::Team => 1,
            GroupBy::Role => 2,
        }
    }

    fn of(self, who: &Attributes) -> i64 {
        match self {
            GroupBy::School => who.school,
            GroupBy::Team => who.team,
            GroupBy::Role => who.role,
        }
    }

    /// The grouping asked for: by default schools for the trust, teams in a school.
    /// A school lead sees their own school, so never by school.
    fn parse(raw: &str, resolved: &Resolved) -> Result<Self, WebError> {
        let group = match raw {
            "" if resolved.school.is_some() => GroupBy::Team,
            "" | "school" => GroupBy::School,
            "team" => GroupBy::Team,
            "role" => GroupBy::Role,
            _ => {
                return Err(WebError::BadRequest(
                    "Group by school, team or role.".into(),
                ));
            }
        };
        if group == GroupBy::School && resolved.allowed_schools.is_some() {
            return Err(WebError::BadRequest(
                "You see your own school; group it by team or role.".into(),
            ));
        }
        Ok(group)
    }
}

#[derive(Deserialize, Default)]
pub struct HeatmapQuery {
    /// school, team or role.
    #[serde(default)]
    group: String,
    #[serde(default)]
    school: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    cycle: String,
}

pub struct Row {
    pub code: String,
    /// The component's trend, with the heatmap's filters.
    pub component_url: String,
    pub title: String,
    pub cells: Vec<CellView>,
}

pub struct RowGroup {
    pub heading: String,
    pub rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "insight/heatmap.html")]
pub struct HeatmapPage {
    pub page: Page,
    pub cycle_name: String,
    pub threshold: u32,
    pub columns: Vec<String>,
    pub groups: Vec<RowGroup>,
    pub legend: Vec<LegendEntry>,
    pub group_choices: Vec<Choice>,
    pub school_choices: Vec<Choice>,
    pub role_choices: Vec<Choice>,
    pub cycle_choices: Vec<Choice>,
    pub trust_wide: bool,
    /// The filters as query values, for links to a component's trend.
    pub school_param: String,
    pub role_param: String,
}

/// What the heatmap shows, as loaded.
pub struct Loaded {
    pub resolved: Resolved,
    pub group: GroupBy,
    /// The released cells of the cycle for the filter and each of its groups.
    pub cells: Vec<StoredCell>,
    /// Who made a judgement in the cycle, by attributes.
    pub combinations: Vec<Attributes>,
}

/// Resolves the filters and reads the cycle's fresh cells for them.
pub async fn load(
    state: &AppState,
    me: &SignedIn,
    query: &HeatmapQuery,
) -> Result<Loaded, WebError> {
    let resolved = resolve(state, me, &query.school, &query.role, &query.cycle).await?;
    let group = GroupBy::parse(&query.group, &resolved)?;
    let filter = resolved.filter();
    let cells = fresh_cells(
        state,
        &resolved,
        &[resolved.cycle.id],
        CellQuery::grouped(&filter, group.column()),
    )
    .await?;
    let combinations = state
        .store
        .attribute_combinations(resolved.trust, resolved.cycle.id)
        .await?;
    Ok(Loaded {
        resolved,
        group,
        cells,
        combinations,
    })
}

/// The columns: everyone in the filter, then each group the filter's people are
/// in, with their headings.
fn columns(loaded: &Loaded) -> Vec<(Population, String)> {
    let resolved = &loaded.resolved;
    let filter = resolved.filter();
    let values: BTreeSet<i64> = loaded
        .combinations
        .iter()
        .filter(|who| filter.contains(who))
        .map(|who| loaded.group.of(who))
        .collect();
    let mut columns = vec![(filter, "All".to_owned())];
    for value in values {
        let mut population = filter;
        let label = match loaded.group {
            GroupBy::School => {
                population.school = Some(value);
                resolved
                    .schools
                    .iter()
                    .find(|s| s.id.0 == value)
                    .map_or_else(|| "No school".to_owned(), |s| s.name.clone())
            }
            GroupBy::Team => {
                population.team = Some(value);
                resolved
                    .teams
                    .iter()
                    .find(|t| t.id == value)
                    .map_or_else(|| "No team".to_owned(), |t| t.name.clone())
            }
            GroupBy::Role => {
                population.role = Some(value);
                role_label(value).to_owned()
            }
        };
        columns.push((population, label));
    }
    columns
}

/// Shapes the heatmap from what was loaded. Pure.
pub fn view(loaded: &Loaded, page: Page) -> HeatmapPage {
    let resolved = &loaded.resolved;
    let framework = &resolved.stored.framework;
    let threshold = resolved.threshold;
    let columns = columns(loaded);
    let shown: HashMap<(&ItemCode, Population), &Distribution> = loaded
        .cells
        .iter()
        .map(|c| ((&c.item, c.population), &c.distribution))
        .collect();
    let level_labels: Vec<String> = framework
        .scale
        .iter()
        .flat_map(|s| s.levels.iter().map(|l| l.label.clone()))
        .collect();
    let school = resolved.school.map(|s| s.to_string()).unwrap_or_default();
    let role = resolved.role.map(|r| r.to_string()).unwrap_or_default();
    let row_for = |item: &Item| Row {
        code: item.code.to_string(),
        component_url: crate::urls::insight_component(item.code.as_str(), &school, &role),
        title: item.title.clone(),
        cells: columns
            .iter()
            .map(|(p, _)| match shown.get(&(&item.code, *p)) {
                Some(d) => Cell::Shown((*d).clone()),
                None => Cell::Suppressed,
            })
            .map(|cell| cell_view(cell, &level_labels, threshold))
            .collect(),
    };
    let groups = framework
        .leaf_groups()
        .map(|group| RowGroup {
            heading: format!("{} {}", group.code, group.title),
            rows: group.reflectable_children().map(row_for).collect(),
        })
        .collect();
    let (school_choices, role_choices, cycle_choices) = resolved.choices();
    let trust_wide = resolved.allowed_schools.is_none();
    HeatmapPage {
        page,
        cycle_name: resolved.cycle.name.clone(),
        threshold: threshold.get(),
        columns: columns.into_iter().map(|(_, label)| label).collect(),
        groups,
        legend: legend(&level_labels),
        group_choices: GroupBy::ALL
            .into_iter()
            .filter(|g| *g != GroupBy::School || trust_wide)
            .map(|g| Choice {
                value: g.as_str().into(),
                label: format!("By {}", g.as_str()),
                selected: g == loaded.group,
            })
            .collect(),
        school_choices,
        role_choices,
        cycle_choices,
        trust_wide,
        school_param: resolved.school.map(|s| s.to_string()).unwrap_or_default(),
        role_param: resolved.role.map(|r| r.to_string()).unwrap_or_default(),
    }
}

/// `GET /insight`: the heatmap.
pub async fn heatmap(
    State(state): State<AppState>,
    me: SignedIn,
    Query(query): Query<HeatmapQuery>,
) -> Result<Html<String>, WebError> {
    let loaded = load(&state, &me, &query).await?;
    render(&view(
        &loaded,
        Page::new("Insight: heatmap", "insight", Some(&me)),
    ))
}

#[cfg(test)]
#[path = "heatmap_tests.rs"]
mod tests;
