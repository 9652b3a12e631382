//! School and trust insight: the heatmap of levels per component across groups
//! (schools, teams or roles), for trust leads, administrators and school leads
//! (their own school only). Every number shown passes
//! [`leadkit_domain::insight::release`]; withheld cells say so.

use std::collections::{BTreeSet, HashMap};

use leadkit_domain::framework::ItemCode;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use leadkit_domain::access::{InsightScope, insight_scope};
use leadkit_domain::cycle::CycleId;
use leadkit_domain::insight::{Cell, Counted, Distribution, Population, Threshold};
use leadkit_domain::reflection::Judgement;
use leadkit_store::insight_cells::{CellQuery, StoredCell};
use serde::Deserialize;

use crate::auth::SignedIn;
use crate::error::WebError;
use crate::pages::{Page, render};
use crate::state::AppState;

/// Okabe–Ito colours, distinguishable with the common colour-vision
/// differences: not yet, then each level lowest first.
const COLOURS: [&str; 4] = ["#E69F00", "#56B4E9", "#009E73", "#0072B2"];

/// The label of a role grouping value (see `leadkit_store::insight`).
pub(crate) fn role_label(role: i64) -> &'static str {
    match role {
        4 => "Trust leads",
        3 => "School leads",
        2 => "Coaches and line managers",
        1 => "Leaders",
        _ => "Others",
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

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct Segment {
    pub x: u32,
    pub width: u32,
    pub colour: &'static str,
}

pub struct CellView {
    pub shown: bool,
    /// "n=12: not yet 1, Some impact 2, …", for screen readers and print.
    pub text: String,
    pub counts: String,
    pub segments: Vec<Segment>,
}

pub struct Row {
    pub code: String,
    pub title: String,
    pub cells: Vec<CellView>,
}

pub struct RowGroup {
    pub heading: String,
    pub rows: Vec<Row>,
}

pub struct LegendEntry {
    pub label: String,
    pub colour: &'static str,
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

fn parse_id(raw: &str, what: &str) -> Result<Option<i64>, WebError> {
    match raw.trim() {
        "" => Ok(None),
        raw => raw
            .parse::<i64>()
            .map(Some)
            .map_err(|_| WebError::BadRequest(format!("Choose a {what} from the list."))),
    }
}

/// What every insight view needs: who may see what, the cycle, the filters.
pub(crate) struct Resolved {
    pub(crate) trust: leadkit_domain::people::TrustId,
    pub(crate) stored: std::sync::Arc<leadkit_store::frameworks::StoredFramework>,
    pub(crate) cycles: Vec<leadkit_domain::cycle::Cycle>,
    pub(crate) cycle: leadkit_domain::cycle::Cycle,
    pub(crate) schools: Vec<leadkit_store::people::SchoolOverview>,
    pub(crate) teams: Vec<leadkit_store::people::TeamChoice>,
    /// The schools a school lead may see; `None` for the whole trust.
    pub(crate) allowed_schools: Option<Vec<i64>>,
    pub(crate) school: Option<i64>,
    pub(crate) role: Option<i64>,
    pub(crate) threshold: Threshold,
}

impl Resolved {
    pub(crate) fn filter(&self) -> Population {
        Population {
            school: self.school,
            team: None,
            role: self.role,
        }
    }

    fn choices(&self) -> (Vec<Choice>, Vec<Choice>, Vec<Choice>) {
        let choice = |value: String, label: String, selected: bool| Choice {
            value,
            label,
            selected,
        };
        (
            self.schools
                .iter()
                .filter(|s| {
                    self.allowed_schools
                        .as_ref()
                        .is_none_or(|a| a.contains(&s.id.0))
                })
                .map(|s| {
                    choice(
                        s.id.0.to_string(),
                        s.name.clone(),
                        Some(s.id.0) == self.school,
                    )
                })
                .collect(),
            (1..=4)
                .rev()
                .map(|r| choice(r.to_string(), role_label(r).into(), Some(r) == self.role))
                .collect(),
            self.cycles
                .iter()
                .map(|c| choice(c.id.0.to_string(), c.name.clone(), c.id == self.cycle.id))
                .collect(),
        )
    }
}

pub(crate) async fn resolve(
    state: &AppState,
    me: &SignedIn,
    school: &str,
    role: &str,
    cycle: &str,
) -> Result<Resolved, WebError> {
    let scope = insight_scope(&me.actor).ok_or(WebError::NotFound)?;
    let trust = me.person.trust;
    let stored = state
        .catalog
        .latest(state.config.primary_framework.as_str())
        .ok_or(WebError::NotFound)?
        .clone();
    let cycles = state.store.cycles(trust).await?;
    let cycle = match parse_id(cycle, "cycle")? {
        Some(id) => cycles
            .iter()
            .find(|c| c.id == CycleId(id))
            .cloned()
            .ok_or_else(|| WebError::BadRequest("Choose a cycle from the list.".into()))?,
        None => state
            .store
            .current_cycle(trust, None, state.clock.now().date())
            .await?
            .or_else(|| cycles.first().cloned())
            .ok_or_else(|| WebError::BadRequest("The trust has no cycles yet.".into()))?,
    };
    let schools = state.store.school_overview(trust).await?;
    let teams = state.store.teams_of_trust(trust).await?;
    // A school lead sees their own school only.
    let allowed_schools: Option<Vec<i64>> = match &scope {
        InsightScope::Trust => None,
        InsightScope::Schools(ids) => Some(ids.iter().map(|s| s.0).collect()),
    };
    let mut school = parse_id(school, "school")?;
    if let Some(allowed) = &allowed_schools {
        match school {
            Some(chosen) if !allowed.contains(&chosen) => return Err(WebError::NotFound),
            None => school = allowed.first().copied(),
            _ => {}
        }
    } else if school.is_some_and(|chosen| !schools.iter().any(|s| s.id.0 == chosen)) {
        return Err(WebError::BadRequest(
            "Choose a school from the list.".into(),
        ));
    }
    let role = parse_id(role, "role")?;
    if role.is_some_and(|r| !(0..=4).contains(&r)) {
        return Err(WebError::BadRequest("Choose a role from the list.".into()));
    }
    let threshold = Threshold::new(state.store.insight_threshold(trust).await?).unwrap_or_default();
    Ok(Resolved {
        trust,
        stored,
        cycles,
        cycle,
        schools,
        teams,
        allowed_schools,
        school,
        role,
        threshold,
    })
}

/// The precomputed cells `query` asks for in `cycles`, brought up to date first
/// (see `leadkit_store::insight_cells`).
pub(crate) async fn fresh_cells(
    state: &AppState,
    resolved: &Resolved,
    cycles: &[CycleId],
    query: CellQuery,
) -> Result<Vec<StoredCell>, WebError> {
    let scale = resolved.stored.framework.scale.as_ref();
    for cycle in cycles {
        state
            .store
            .refresh_insight(*cycle, resolved.stored.id, scale, resolved.threshold)
            .await
            .map_err(|error| match error {
                leadkit_store::StoreError::Conflict(message) => WebError::BadRequest(message),
                other => other.into(),
            })?;
    }
    Ok(state
        .store
        .insight_cells(cycles, resolved.stored.id, query)
        .await?)
}

/// `GET /insight`: the heatmap.
pub async fn heatmap(
    State(state): State<AppState>,
    me: SignedIn,
    Query(query): Query<HeatmapQuery>,
) -> Result<Html<String>, WebError> {
    let resolved = resolve(&state, &me, &query.school, &query.role, &query.cycle).await?;
    let Resolved {
        stored,
        cycle,
        schools,
        teams,
        allowed_schools,
        school,
        role,
        threshold,
        ..
    } = &resolved;
    let (school, threshold) = (*school, *threshold);
    let _ = role;
    let framework = &stored.framework;
    let group = match query.group.as_str() {
        "" => {
            if school.is_some() {
                "team"
            } else {
                "school"
            }
        }
        "school" | "team" | "role" => query.group.as_str(),
        _ => {
            return Err(WebError::BadRequest(
                "Group by school, team or role.".into(),
            ));
        }
    };
    if group == "school" && allowed_schools.is_some() {
        return Err(WebError::BadRequest(
            "You see your own school; group it by team or role.".into(),
        ));
    }

    let filter = resolved.filter();
    let by = match group {
        "school" => 0,
        "team" => 1,
        _ => 2,
    };
    let stored_cells = fresh_cells(
        &state,
        &resolved,
        &[cycle.id],
        CellQuery::grouped(&filter, by),
    )
    .await?;
    // Columns: everyone in the filter, then each group the filter's people are in.
    let values: BTreeSet<i64> = state
        .store
        .attribute_combinations(me.person.trust, cycle.id)
        .await?
        .iter()
        .filter(|who| filter.contains(who))
        .map(|who| match by {
            0 => who.school,
            1 => who.team,
            _ => who.role,
        })
        .collect();
    let mut populations = vec![filter];
    let mut columns = vec!["All".to_owned()];
    for value in values {
        let mut population = filter;
        let label = match group {
            "school" => {
                population.school = Some(value);
                schools
                    .iter()
                    .find(|s| s.id.0 == value)
                    .map_or_else(|| "No school".to_owned(), |s| s.name.clone())
            }
            "team" => {
                population.team = Some(value);
                teams
                    .iter()
                    .find(|t| t.id == value)
                    .map_or_else(|| "No team".to_owned(), |t| t.name.clone())
            }
            _ => {
                population.role = Some(value);
                role_label(value).to_owned()
            }
        };
        populations.push(population);
        columns.push(label);
    }
    let shown: HashMap<(&ItemCode, Population), &Distribution> = stored_cells
        .iter()
        .map(|c| ((&c.item, c.population), &c.distribution))
        .collect();

    let level_labels: Vec<String> = framework
        .scale
        .iter()
        .flat_map(|s| s.levels.iter().map(|l| l.label.clone()))
        .collect();
    let row_for = |item: &leadkit_domain::framework::Item| {
        let cells = populations
            .iter()
            .map(|p| match shown.get(&(&item.code, *p)) {
                Some(d) => Cell::Shown((*d).clone()),
                None => Cell::Suppressed,
            })
            .map(|cell| cell_view(cell, &level_labels, threshold))
            .collect();
        Row {
            code: item.code.to_string(),
            title: item.title.clone(),
            cells,
        }
    };
    let groups = framework
        .leaf_groups()
        .map(|group| RowGroup {
            heading: format!("{} {}", group.code, group.title),
            rows: group.reflectable_children().map(row_for).collect(),
        })
        .collect();
    let mut legend = vec![LegendEntry {
        label: "Not yet".into(),
        colour: COLOURS[0],
    }];
    legend.extend(
        level_labels
            .iter()
            .enumerate()
            .map(|(i, label)| LegendEntry {
                label: label.clone(),
                colour: COLOURS[(i + 1).min(COLOURS.len() - 1)],
            }),
    );
    let choice = |value: String, label: String, selected: bool| Choice {
        value,
        label,
        selected,
    };
    let (school_choices, role_choices, cycle_choices) = resolved.choices();
    render(&HeatmapPage {
        page: Page::new("Insight: heatmap", "insight", Some(&me)),
        cycle_name: cycle.name.clone(),
        threshold: threshold.get(),
        columns,
        groups,
        legend,
        group_choices: ["school", "team", "role"]
            .into_iter()
            .filter(|g| *g != "school" || allowed_schools.is_none())
            .map(|g| choice(g.into(), format!("By {g}"), g == group))
            .collect(),
        school_choices,
        role_choices,
        cycle_choices,
        trust_wide: allowed_schools.is_none(),
        school_param: school.map(|s| s.to_string()).unwrap_or_default(),
        role_param: resolved.role.map(|r| r.to_string()).unwrap_or_default(),
    })
}

#[derive(Deserialize)]
pub struct ThresholdForm {
    #[serde(default)]
    threshold: String,
}

/// `POST /admin/insight-threshold`: an administrator raises (or lowers, never
/// below 5) the fewest people a shown number may describe.
pub async fn save_threshold(
    State(state): State<AppState>,
    me: SignedIn,
    crate::extract::Form(form): crate::extract::Form<ThresholdForm>,
) -> Result<axum::response::Response, WebError> {
    use axum::response::IntoResponse;
    crate::access::administer(&me)?;
    let value =
        form.threshold.trim().parse::<u32>().map_err(|_| {
            WebError::BadRequest("Give a whole number of people, 5 or more.".into())
        })?;
    let threshold = Threshold::new(value).map_err(|error| WebError::BadRequest(error.message))?;
    state
        .store
        .set_insight_threshold(me.person.trust, threshold.get())
        .await?;
    crate::audit::record(
        &state,
        &me,
        leadkit_store::audit::AuditAction::SettingChanged,
        None,
        &format!("set the insight threshold to {}", threshold.get()),
    )
    .await?;
    Ok(axum::response::Redirect::to(crate::urls::INSIGHT).into_response())
}

/// The counted judgements of each component, gathered in one pass over the rows.
fn counted_by_item(
    framework: &leadkit_domain::framework::Framework,
    rows: &[leadkit_store::insight::GroupedJudgement],
) -> HashMap<ItemCode, Vec<Counted>> {
    let mut by_item: HashMap<ItemCode, Vec<Counted>> = HashMap::new();
    for row in rows {
        if let Some(c) = counted(framework, row.who, &row.judgement) {
            by_item.entry(row.item.clone()).or_default().push(c);
        }
    }
    by_item
}

fn counted(
    framework: &leadkit_domain::framework::Framework,
    who: leadkit_domain::insight::Attributes,
    judgement: &Judgement,
) -> Option<Counted> {
    match judgement {
        Judgement::NotInRole => None,
        Judgement::NotYet => Some(Counted { who, rank: None }),
        Judgement::Level(level) => Some(Counted {
            who,
            rank: framework.scale.as_ref().and_then(|s| s.rank(level)),
        }),
    }
}

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

pub struct GrowthRow {
    pub code: String,
    pub title: String,
    /// up, same, down, people; `None` when withheld.
    pub growth: Option<(u32, u32, u32, u32)>,
}

pub struct GrowthGroup {
    pub heading: String,
    pub rows: Vec<GrowthRow>,
    /// The domain's total of component moves, when every component in it shows.
    pub total: Option<(u32, u32, u32)>,
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

/// Growth per component (and per subdomain) between `from` and the resolved
/// cycle, for the resolved filter.
pub(crate) async fn growth_groups(
    state: &AppState,
    resolved: &Resolved,
    from: &leadkit_domain::cycle::Cycle,
) -> Result<Vec<GrowthGroup>, WebError> {
    let framework = &resolved.stored.framework;
    let filter = resolved.filter();
    let pair = (from.id, resolved.cycle.id);
    state
        .store
        .refresh_growth(
            pair,
            resolved.stored.id,
            framework.scale.as_ref(),
            resolved.threshold,
        )
        .await
        .map_err(|error| match error {
            leadkit_store::StoreError::Conflict(message) => WebError::BadRequest(message),
            other => other.into(),
        })?;
    // A component without a cell for the filter is withheld.
    let shown: HashMap<ItemCode, leadkit_domain::insight::Growth> = state
        .store
        .growth_cells(pair, resolved.stored.id, (filter.school, filter.role))
        .await?
        .into_iter()
        .collect();
    let growth = |code: &ItemCode| shown.get(code).copied();
    let groups: Vec<GrowthGroup> = framework
        .leaf_groups()
        .map(|group| {
            let rows: Vec<GrowthRow> = group
                .reflectable_children()
                .map(|item| GrowthRow {
                    code: item.code.to_string(),
                    title: item.title.clone(),
                    growth: growth(&item.code).map(|g| (g.up, g.same, g.down, g.people())),
                })
                .collect();
            // A subdomain's total is shown only when each of its rows is, so it
            // cannot reveal a withheld row by subtraction.
            let total = rows.iter().try_fold((0, 0, 0), |acc, row| {
                row.growth
                    .map(|(u, s, d, _)| (acc.0 + u, acc.1 + s, acc.2 + d))
            });
            GrowthGroup {
                heading: format!("{} {}", group.code, group.title),
                rows,
                total,
            }
        })
        .collect();
    Ok(groups)
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

#[derive(Deserialize, Default)]
pub struct PriorityQuery {
    #[serde(default)]
    school: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    cycle: String,
}

pub struct PriorityRow {
    pub rank: usize,
    pub code: String,
    pub title: String,
    pub people: u32,
    pub low: u32,
    pub goals: String,
    pub coach_low: String,
    pub score: String,
}

#[derive(Template)]
#[template(path = "insight/priorities.html")]
pub struct PrioritiesPage {
    pub page: Page,
    pub cycle_name: String,
    pub threshold: u32,
    pub rows: Vec<PriorityRow>,
    pub csv_url: String,
    pub school_choices: Vec<Choice>,
    pub role_choices: Vec<Choice>,
    pub cycle_choices: Vec<Choice>,
    pub trust_wide: bool,
}

pub(crate) async fn priority_rows(
    state: &AppState,
    resolved: &Resolved,
) -> Result<Vec<PriorityRow>, WebError> {
    use leadkit_domain::insight::{PriorityInput, priorities};
    let framework = &resolved.stored.framework;
    let (trust, cycle, version) = (resolved.trust, resolved.cycle.id, resolved.stored.id);
    let filter = resolved.filter();
    let mut judged: HashMap<ItemCode, Distribution> =
        fresh_cells(state, resolved, &[cycle], CellQuery::only(&filter))
            .await?
            .into_iter()
            .map(|c| (c.item, c.distribution))
            .collect();
    let goals = state.store.grouped_goals(trust, cycle, version).await?;
    let coach = state
        .store
        .grouped_coach_judgements(trust, cycle, version)
        .await?;
    let items: Vec<&leadkit_domain::framework::Item> = framework.reflectable_items().collect();
    let mut coached = counted_by_item(framework, &coach);
    let mut goal_setters: HashMap<ItemCode, Vec<leadkit_domain::insight::Attributes>> =
        HashMap::new();
    for goal in goals {
        goal_setters.entry(goal.item).or_default().push(goal.who);
    }
    let inputs: Vec<PriorityInput> = items
        .iter()
        .map(|item| PriorityInput {
            judged: judged.remove(&item.code),
            goal_setters: goal_setters.remove(&item.code).unwrap_or_default(),
            coach_judgements: coached.remove(&item.code).unwrap_or_default(),
        })
        .collect();
    let k = resolved.threshold.get();
    let withheld = format!("fewer than {k}");
    Ok(priorities(&inputs, &filter, resolved.threshold)
        .into_iter()
        .enumerate()
        .map(|(i, p)| PriorityRow {
            rank: i + 1,
            code: items[p.component].code.to_string(),
            title: items[p.component].title.clone(),
            people: p.people,
            low: p.low,
            goals: p.goals.map_or_else(|| withheld.clone(), |n| n.to_string()),
            coach_low: p
                .coach_low
                .map_or_else(|| withheld.clone(), |n| n.to_string()),
            score: format!("{:.2}", p.score),
        })
        .collect())
}

/// `GET /insight/priorities`: professional development priorities, ranked.
pub async fn priorities_view(
    State(state): State<AppState>,
    me: SignedIn,
    Query(query): Query<PriorityQuery>,
) -> Result<Html<String>, WebError> {
    let resolved = resolve(&state, &me, &query.school, &query.role, &query.cycle).await?;
    let rows = priority_rows(&state, &resolved).await?;
    let (school_choices, role_choices, cycle_choices) = resolved.choices();
    let csv_url = format!(
        "/insight/priorities.csv?cycle={}&school={}&role={}",
        resolved.cycle.id.0,
        resolved.school.map(|s| s.to_string()).unwrap_or_default(),
        resolved.role.map(|r| r.to_string()).unwrap_or_default()
    );
    render(&PrioritiesPage {
        page: Page::new("Insight: priorities", "insight", Some(&me)),
        cycle_name: resolved.cycle.name.clone(),
        threshold: resolved.threshold.get(),
        rows,
        csv_url,
        school_choices,
        role_choices,
        cycle_choices,
        trust_wide: resolved.allowed_schools.is_none(),
    })
}

/// `GET /insight/priorities.csv`: the same list for a CPD plan.
pub async fn priorities_csv(
    State(state): State<AppState>,
    me: SignedIn,
    Query(query): Query<PriorityQuery>,
) -> Result<axum::response::Response, WebError> {
    use axum::response::IntoResponse;
    let resolved = resolve(&state, &me, &query.school, &query.role, &query.cycle).await?;
    let rows = priority_rows(&state, &resolved).await?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = [
        "rank",
        "component",
        "title",
        "people",
        "not yet or lowest level",
        "people with a goal on it",
        "coach-agreed not yet or lowest",
        "score",
    ];
    writer
        .write_record(header)
        .map_err(|e| WebError::Internal(e.to_string()))?;
    for row in &rows {
        writer
            .write_record([
                row.rank.to_string(),
                row.code.clone(),
                row.title.clone(),
                row.people.to_string(),
                row.low.to_string(),
                row.goals.clone(),
                row.coach_low.clone(),
                row.score.clone(),
            ])
            .map_err(|e| WebError::Internal(e.to_string()))?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"priorities.csv\"",
            ),
        ],
        bytes,
    )
        .into_response())
}

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
    /// The bar's vertical position in the chart.
    pub y: u32,
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

fn cell_view(cell: Cell, level_labels: &[String], threshold: Threshold) -> CellView {
    match cell {
        Cell::Suppressed => CellView {
            shown: false,
            text: format!("Fewer than {} people: not shown", threshold.get()),
            counts: String::new(),
            segments: Vec::new(),
        },
        Cell::Shown(d) => {
            let mut parts = vec![d.not_yet];
            parts.extend(d.per_level.iter().copied());
            let mut x = 0;
            let segments = parts
                .iter()
                .enumerate()
                .map(|(i, count)| {
                    let width = (count * 100).checked_div(d.people).unwrap_or(0);
                    let segment = Segment {
                        x,
                        width,
                        colour: COLOURS[i.min(COLOURS.len() - 1)],
                    };
                    x += width;
                    segment
                })
                .collect();
            let mut words = vec![format!("not yet {}", d.not_yet)];
            words.extend(
                level_labels
                    .iter()
                    .zip(d.per_level.iter())
                    .map(|(label, n)| format!("{label} {n}")),
            );
            CellView {
                shown: true,
                text: format!("{} people: {}", d.people, words.join(", ")),
                counts: parts
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(" · "),
                segments,
            }
        }
    }
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
        trend.push(TrendRow {
            cycle: cycle.name.clone(),
            cell: cell_view(cell, &level_labels, resolved.threshold),
            y: index as u32 * 24,
        });
    }
    let mut legend = vec![LegendEntry {
        label: "Not yet".into(),
        colour: COLOURS[0],
    }];
    legend.extend(
        level_labels
            .iter()
            .enumerate()
            .map(|(i, label)| LegendEntry {
                label: label.clone(),
                colour: COLOURS[(i + 1).min(COLOURS.len() - 1)],
            }),
    );
    let (school_choices, role_choices, _) = resolved.choices();
    render(&ComponentPage {
        page: Page::new(format!("Insight: {}", item.code), "insight", Some(&me)),
        code: item.code.to_string(),
        title: item.title.clone(),
        threshold: resolved.threshold.get(),
        chart_height: (trend.len() as u32 * 24).max(24),
        trend,
        legend,
        school_choices,
        role_choices,
        trust_wide: resolved.allowed_schools.is_none(),
        item: item.code.to_string(),
    })
}
