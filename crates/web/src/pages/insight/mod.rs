//! School and trust insight: the heatmap of levels per component across groups
//! (schools, teams or roles), growth between cycles, priorities, one component's
//! trend, and the governors' report, for trust leads, administrators and school
//! leads (their own school only). Every number shown passes
//! [`leadkit_domain::insight::release`]; withheld cells say so. What every view
//! needs (who may see what, the cycle, the filters, fresh cells) is here.

pub mod component;
pub mod growth;
pub mod heatmap;
pub mod priorities;
pub mod report;
pub mod threshold;

use std::collections::HashMap;

use leadkit_domain::framework::ItemCode;

use leadkit_domain::access::{InsightScope, insight_scope};
use leadkit_domain::cycle::CycleId;
use leadkit_domain::insight::{Cell, Counted, Distribution, Population, Threshold};
use leadkit_domain::reflection::Judgement;
use leadkit_store::insight_cells::{CellQuery, StoredCell};

use crate::auth::SignedIn;
use crate::error::WebError;
use crate::state::AppState;

/// The heading of a role grouping value (a [`Role::seniority`]).
pub fn role_label(rank: i64) -> &'static str {
    leadkit_domain::people::Role::group_label(rank)
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

pub struct LegendEntry {
    pub label: String,
    pub colour: &'static str,
}

pub(super) fn parse_id(raw: &str, what: &str) -> Result<Option<i64>, WebError> {
    match raw.trim() {
        "" => Ok(None),
        raw => raw
            .parse::<i64>()
            .map(Some)
            .map_err(|_| WebError::BadRequest(format!("Choose a {what} from the list."))),
    }
}

/// What every insight view needs: who may see what, the cycle, the filters.
pub struct Resolved {
    pub trust: leadkit_domain::people::TrustId,
    pub stored: std::sync::Arc<leadkit_store::frameworks::StoredFramework>,
    pub cycles: Vec<leadkit_domain::cycle::Cycle>,
    pub cycle: leadkit_domain::cycle::Cycle,
    pub schools: Vec<leadkit_store::people::SchoolOverview>,
    pub teams: Vec<leadkit_store::people::TeamChoice>,
    /// The schools a school lead may see; `None` for the whole trust.
    pub allowed_schools: Option<Vec<i64>>,
    pub school: Option<i64>,
    pub role: Option<i64>,
    pub threshold: Threshold,
}

impl Resolved {
    /// The cycle before the resolved one, for the filtered school or the trust.
    pub async fn previous_cycle(
        &self,
        state: &AppState,
    ) -> Result<Option<leadkit_domain::cycle::Cycle>, WebError> {
        let school = self.school.map(leadkit_domain::people::SchoolId);
        Ok(state
            .store
            .previous_cycle(self.trust, school, &self.cycle)
            .await?)
    }

    pub fn filter(&self) -> Population {
        Population {
            school: self.school,
            team: None,
            role: self.role,
        }
    }

    pub(super) fn choices(&self) -> (Vec<Choice>, Vec<Choice>, Vec<Choice>) {
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
            leadkit_domain::people::Role::ALL
                .into_iter()
                .map(leadkit_domain::people::Role::seniority)
                .filter(|rank| *rank > 0)
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

pub async fn resolve(
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
pub async fn fresh_cells(
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

/// The counted judgements of each component, gathered in one pass over the rows.
pub(super) fn counted_by_item(
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

pub(super) fn counted(
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

pub(super) fn cell_view(cell: Cell, level_labels: &[String], threshold: Threshold) -> CellView {
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
                        colour: crate::reports::chart::hex(i),
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

/// Growth per component (and per subdomain) between `from` and the resolved
/// cycle, for the resolved filter.
pub async fn growth_groups(
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

pub async fn priority_rows(
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

/// The legend of a distribution's colours: "Not yet", then each level.
pub(super) fn legend(level_labels: &[String]) -> Vec<LegendEntry> {
    let mut legend = vec![LegendEntry {
        label: leadkit_domain::reflection::Judgement::NOT_YET_LABEL.into(),
        colour: crate::reports::chart::hex(0),
    }];
    legend.extend(
        level_labels
            .iter()
            .enumerate()
            .map(|(i, label)| LegendEntry {
                label: label.clone(),
                colour: crate::reports::chart::hex(i + 1),
            }),
    );
    legend
}
