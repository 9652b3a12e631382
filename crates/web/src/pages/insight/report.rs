//! The school or trust report for governors: the insight views' numbers for a
//! cycle (levels per component, growth since the cycle before, the
//! professional development priorities), every number under the same
//! threshold and suppression as the pages, as a printable page, a PDF, a CSV
//! file and an XLSX workbook.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::response::{Html, Response};
use leadkit_domain::framework::ItemCode;
use leadkit_domain::insight::Distribution;
use leadkit_store::insight_cells::CellQuery;
use serde::Deserialize;

use super::{
    GrowthGroup, PriorityRow, Resolved, fresh_cells, growth_groups, priority_rows, resolve,
    role_label,
};
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::pages::{Page, render};
use crate::reports::chart::{Bar, BarChart};
use crate::reports::tables::{Table, Value};
use crate::reports::{Block, Document, pdf, tables};
use crate::reports::{ReportPage, download};
use crate::state::AppState;

#[derive(Deserialize, Default)]
pub struct ReportQuery {
    #[serde(default)]
    school: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    cycle: String,
}

/// A component's code, title and distribution (`None` when withheld).
type ComponentLevels = (String, String, Option<Distribution>);

/// Everything the report shows, counted once for all four formats.
struct Numbers {
    title: String,
    subtitle: String,
    level_labels: Vec<String>,
    /// Per subdomain: its heading and, per component, code, title and the
    /// distribution (`None` withheld).
    levels: Vec<(String, Vec<ComponentLevels>)>,
    growth: Option<(String, Vec<GrowthGroup>)>,
    priorities: Vec<PriorityRow>,
}

async fn numbers(
    state: &AppState,
    me: &SignedIn,
    query: &ReportQuery,
) -> Result<Numbers, WebError> {
    let resolved: Resolved = resolve(state, me, &query.school, &query.role, &query.cycle).await?;
    let framework = &resolved.stored.framework;
    let filter = resolved.filter();
    let cells: HashMap<ItemCode, Distribution> = fresh_cells(
        state,
        &resolved,
        &[resolved.cycle.id],
        CellQuery::only(&filter),
    )
    .await?
    .into_iter()
    .map(|c| (c.item, c.distribution))
    .collect();
    let levels = framework
        .leaf_groups()
        .map(|group| {
            (
                format!("{} {}", group.code, group.title),
                group
                    .reflectable_children()
                    .map(|item| {
                        (
                            item.code.to_string(),
                            item.title.clone(),
                            cells.get(&item.code).cloned(),
                        )
                    })
                    .collect(),
            )
        })
        .collect();
    let previous = resolved.previous_cycle(state).await?;
    let growth = match previous {
        Some(from) => Some((
            from.name.clone(),
            growth_groups(state, &resolved, &from).await?,
        )),
        None => None,
    };
    let priorities = priority_rows(state, &resolved).await?;
    let school = resolved
        .school
        .and_then(|id| resolved.schools.iter().find(|s| s.id.0 == id))
        .map(|s| s.name.clone());
    let scope = match (school, resolved.role) {
        (Some(school), Some(role)) => format!("{school}, {}s", role_label(role).to_lowercase()),
        (Some(school), None) => school,
        (None, Some(role)) => format!("the whole trust, {}s", role_label(role).to_lowercase()),
        (None, None) => "the whole trust".to_owned(),
    };
    Ok(Numbers {
        title: format!("Leadership insight: {scope}"),
        subtitle: format!(
            "{}, {}. Numbers describing fewer than {} people, or that would let someone work them out, are withheld.",
            framework.title,
            resolved.cycle.name,
            resolved.threshold.get()
        ),
        level_labels: framework
            .scale
            .iter()
            .flat_map(|s| s.levels.iter().map(|l| l.label.clone()))
            .collect(),
        levels,
        growth,
        priorities,
    })
}

fn document(n: &Numbers) -> Document {
    let mut doc = Document::new(n.title.clone(), n.subtitle.clone());
    doc.push(Block::Heading("Professional development priorities".into()));
    doc.push(Block::Text(
        "Ranked by the share at \u{201c}not yet\u{201d} or the lowest level, then goals chosen and coach-agreed levels."
            .into(),
    ));
    if n.priorities.is_empty() {
        doc.push(Block::Text(
            "No component has numbers that may be shown yet.".into(),
        ));
    }
    for p in n.priorities.iter().take(10) {
        doc.push(Block::Fact(
            format!("{}. {} {}", p.rank, p.code, p.title),
            format!(
                "{} of {} low; goals {}; coach low {}; score {}",
                p.low, p.people, p.goals, p.coach_low, p.score
            ),
        ));
    }
    let mut segments = vec!["Not yet".to_owned()];
    segments.extend(n.level_labels.iter().cloned());
    doc.push(Block::Heading("Levels per component".into()));
    for (heading, rows) in &n.levels {
        let bars = rows
            .iter()
            .map(|(code, title, d)| match d {
                Some(d) => {
                    let mut counts = vec![d.not_yet];
                    counts.extend(d.per_level.iter().copied());
                    Bar {
                        label: format!("{code} {title}"),
                        counts,
                    }
                }
                None => Bar {
                    label: format!("{code} (withheld)"),
                    counts: Vec::new(),
                },
            })
            .collect();
        doc.push(Block::Chart(BarChart {
            title: heading.clone(),
            segments: segments.clone(),
            bars,
        }));
    }
    if let Some((from, groups)) = &n.growth {
        doc.push(Block::Heading(format!("Growth since {from}")));
        doc.push(Block::Text(
            "People judged in both cycles: moved up, stayed, moved down.".into(),
        ));
        for group in groups {
            let value = match group.total {
                Some((up, same, down)) => format!("{up} up, {same} the same, {down} down"),
                None => "withheld".into(),
            };
            doc.push(Block::Fact(group.heading.clone(), value));
        }
    }
    doc
}

fn table_rows(n: &Numbers) -> Vec<Table> {
    let mut headings: Vec<String> = ["Code", "Component", "People", "Not yet"]
        .map(String::from)
        .to_vec();
    headings.extend(n.level_labels.iter().cloned());
    let growth_of: HashMap<&str, Option<(u32, u32, u32, u32)>> = n
        .growth
        .iter()
        .flat_map(|(_, groups)| {
            groups
                .iter()
                .flat_map(|g| g.rows.iter().map(|r| (r.code.as_str(), r.growth)))
        })
        .collect();
    if n.growth.is_some() {
        headings.extend(["Moved up", "Stayed", "Moved down"].map(String::from));
    }
    let withheld = || Value::Text("withheld".into());
    let mut rows = Vec::new();
    for (_, components) in &n.levels {
        for (code, title, d) in components {
            let mut row = vec![Value::Text(code.clone()), Value::Text(title.clone())];
            match d {
                Some(d) => {
                    row.push(Value::Number(d.people));
                    row.push(Value::Number(d.not_yet));
                    row.extend(d.per_level.iter().map(|c| Value::Number(*c)));
                }
                None => row.extend((0..2 + n.level_labels.len()).map(|_| withheld())),
            }
            if n.growth.is_some() {
                match growth_of.get(code.as_str()).copied().flatten() {
                    Some((up, same, down, _)) => {
                        row.extend([Value::Number(up), Value::Number(same), Value::Number(down)])
                    }
                    None => row.extend((0..3).map(|_| withheld())),
                }
            }
            rows.push(row);
        }
    }
    let priorities = Table {
        name: "Priorities".into(),
        headings: [
            "Rank",
            "Code",
            "Component",
            "People",
            "Low",
            "Goals",
            "Coach low",
            "Score",
        ]
        .map(String::from)
        .to_vec(),
        rows: n
            .priorities
            .iter()
            .map(|p| {
                vec![
                    Value::Number(p.rank as u32),
                    Value::Text(p.code.clone()),
                    Value::Text(p.title.clone()),
                    Value::Number(p.people),
                    Value::Number(p.low),
                    p.goals
                        .parse()
                        .map_or_else(|_| Value::Text(p.goals.clone()), Value::Number),
                    p.coach_low
                        .parse()
                        .map_or_else(|_| Value::Text(p.coach_low.clone()), Value::Number),
                    Value::Text(p.score.clone()),
                ]
            })
            .collect(),
    };
    vec![
        Table {
            name: "Levels".into(),
            headings,
            rows,
        },
        priorities,
    ]
}

/// `GET /insight/report`: the report as a printable page, with its downloads.
pub async fn page(
    State(state): State<AppState>,
    me: SignedIn,
    Query(query): Query<ReportQuery>,
) -> Result<Html<String>, WebError> {
    let n = numbers(&state, &me, &query).await?;
    let doc = document(&n);
    let params = format!(
        "cycle={}&school={}&role={}",
        query.cycle, query.school, query.role
    );
    render(&ReportPage {
        page: Page::new("Insight report", "insight", Some(&me)),
        title: doc.title.clone(),
        subtitle: doc.subtitle.clone(),
        body: doc.to_html(),
        downloads: ["pdf", "csv", "xlsx"]
            .into_iter()
            .map(|f| {
                (
                    format!("Download {}", f.to_uppercase()),
                    format!("{}.{f}?{params}", crate::urls::INSIGHT_REPORT),
                )
            })
            .collect(),
        notes_choice: false,
        notes: false,
    })
}

/// `GET /insight/report.pdf`.
pub async fn pdf_file(
    State(state): State<AppState>,
    me: SignedIn,
    Query(query): Query<ReportQuery>,
) -> Result<Response, WebError> {
    file(state, me, query, "pdf").await
}

/// `GET /insight/report.csv`.
pub async fn csv_file(
    State(state): State<AppState>,
    me: SignedIn,
    Query(query): Query<ReportQuery>,
) -> Result<Response, WebError> {
    file(state, me, query, "csv").await
}

/// `GET /insight/report.xlsx`.
pub async fn xlsx_file(
    State(state): State<AppState>,
    me: SignedIn,
    Query(query): Query<ReportQuery>,
) -> Result<Response, WebError> {
    file(state, me, query, "xlsx").await
}

async fn file(
    state: AppState,
    me: SignedIn,
    query: ReportQuery,
    format: &str,
) -> Result<Response, WebError> {
    let n = numbers(&state, &me, &query).await?;
    Ok(match format {
        "pdf" => download(
            pdf::render(&document(&n)),
            "application/pdf",
            "leadership-insight.pdf",
        ),
        "csv" => download(
            tables::to_csv(&table_rows(&n)).map_err(|e| WebError::Internal(e.to_string()))?,
            "text/csv; charset=utf-8",
            "leadership-insight.csv",
        ),
        _ => download(
            tables::to_xlsx(&table_rows(&n)).map_err(|e| WebError::Internal(e.to_string()))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "leadership-insight.xlsx",
        ),
    })
}
