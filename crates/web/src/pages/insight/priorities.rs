//! `/insight/priorities`: professional development priorities, ranked, as a page
//! and as CSV.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use serde::Deserialize;

use crate::auth::SignedIn;
use crate::error::WebError;
use crate::pages::{Page, render};
use crate::state::AppState;

use super::*;

#[derive(Deserialize, Default)]
pub struct PriorityQuery {
    #[serde(default)]
    school: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    cycle: String,
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
        "{}?cycle={}&school={}&role={}",
        crate::urls::INSIGHT_PRIORITIES_CSV,
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
        leadkit_interop::cells::write_safe_record(
            &mut writer,
            [
                row.rank.to_string(),
                row.code.clone(),
                row.title.clone(),
                row.people.to_string(),
                row.low.to_string(),
                row.goals.clone(),
                row.coach_low.clone(),
                row.score.clone(),
            ],
        )
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
