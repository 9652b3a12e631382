//! Report pages and downloads: my profile report (a printable page and a PDF),
//! and the school or trust report for governors (a printable page, PDF, CSV
//! and XLSX). The documents themselves are made in [`crate::reports`].

use axum::extract::{Query, State};
use axum::response::{Html, Response};
use serde::Deserialize;

use super::{ProfilePage, ProfileQuery, profile_page};
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::pages::{Page, render};
use crate::reports::chart::{Bar, BarChart};
use crate::reports::{Block, Document, pdf};
use crate::reports::{ReportPage, download};
use crate::state::AppState;

#[derive(Deserialize, Default)]
pub struct ProfileReportQuery {
    /// "yes" to include my notes; they are left out unless I choose them.
    #[serde(default)]
    notes: String,
}

fn include_notes(raw: &str) -> Result<bool, WebError> {
    match raw {
        "" | "no" => Ok(false),
        "yes" => Ok(true),
        _ => Err(WebError::BadRequest(
            "Notes are included or not: yes or no.".into(),
        )),
    }
}

/// My profile as a report: levels by domain (a chart), growth since last
/// cycle, every component's level (and note, if I choose), goals, evidence.
pub fn profile_document(profile: &ProfilePage, notes: bool, made_on: time::Date) -> Document {
    let mut doc = Document::new(
        format!("Leadership profile: {}", profile.person_name),
        format!(
            "{}, {}. {} of {} components reflected. Made on {made_on}.",
            profile.framework_title, profile.cycle_name, profile.reflected, profile.total
        ),
    );
    if !profile.job_title.is_empty() {
        doc.push(Block::Text(profile.job_title.clone()));
    }
    if let Some(record) = &profile.record {
        record_blocks(&mut doc, record);
    }
    // Levels per domain: "Not yet" then each level, lowest first (the counts
    // list the levels first, then not yet, not in my role, not reflected).
    if let Some(first) = profile.domains.first() {
        let levels = first.counts.len().saturating_sub(3);
        let mut segments = vec!["Not yet".to_owned()];
        segments.extend(first.counts.iter().take(levels).map(|c| c.label.clone()));
        let bars = profile
            .domains
            .iter()
            .map(|domain| {
                let mut counts = vec![domain.counts.get(levels).map_or(0, |c| c.count as u32)];
                counts.extend(domain.counts.iter().take(levels).map(|c| c.count as u32));
                Bar {
                    label: domain.heading.clone(),
                    counts,
                }
            })
            .collect();
        doc.push(Block::Heading("Levels by domain".into()));
        doc.push(Block::Chart(BarChart {
            title: "Components at each level, per domain".into(),
            segments,
            bars,
        }));
    }
    if let Some(previous) = &profile.previous_cycle {
        doc.push(Block::Heading(format!("Growth since {previous}")));
        doc.push(Block::Text(
            "Components judged in both cycles: moved up, stayed, moved down.".into(),
        ));
        for domain in &profile.domains {
            if let Some((up, same, down)) = domain.growth {
                doc.push(Block::Fact(
                    domain.heading.clone(),
                    format!("{up} up, {same} the same, {down} down"),
                ));
            }
        }
    }
    let mut goals: Vec<String> = Vec::new();
    let mut evidence: Vec<(String, String)> = Vec::new();
    for domain in &profile.domains {
        doc.push(Block::Heading(domain.heading.clone()));
        for group in &domain.groups {
            doc.push(Block::Subheading(format!("{} {}", group.code, group.title)));
            for row in &group.rows {
                let mut level = row.judgement.clone();
                if !row.previous.is_empty() {
                    level.push_str(&format!(" (last cycle: {})", row.previous));
                }
                doc.push(Block::Fact(format!("{} {}", row.code, row.title), level));
                if notes && !row.note.trim().is_empty() {
                    doc.push(Block::Text(format!("Note: {}", row.note.trim())));
                }
                for (_, title) in &row.goals {
                    if !goals.contains(title) {
                        goals.push(title.clone());
                    }
                }
                for (title, on, _) in &row.evidence {
                    let entry = (on.clone(), title.clone());
                    if !evidence.contains(&entry) {
                        evidence.push(entry);
                    }
                }
            }
        }
    }
    doc.push(Block::Heading("Goals".into()));
    if goals.is_empty() {
        doc.push(Block::Text(
            "No goals on these components this cycle.".into(),
        ));
    }
    for goal in goals {
        doc.push(Block::Text(format!("• {goal}")));
    }
    doc.push(Block::Heading("Evidence".into()));
    if evidence.is_empty() {
        doc.push(Block::Text(
            "No evidence tagged to these components this cycle.".into(),
        ));
    }
    evidence.sort();
    for (on, title) in evidence {
        doc.push(Block::Fact(on, title));
    }
    doc
}

/// The one-page record, first in the report.
fn record_blocks(doc: &mut Document, record: &super::RecordView) {
    doc.push(Block::Heading("One-page record".into()));
    let list = |doc: &mut Document, title: &str, lines: &[String]| {
        doc.push(Block::Subheading(title.to_owned()));
        if lines.is_empty() {
            doc.push(Block::Text("None written yet.".into()));
        }
        for line in lines {
            doc.push(Block::Text(format!("• {line}")));
        }
    };
    list(doc, "Strengths", &record.strengths);
    list(doc, "Areas for development", &record.development);
    doc.push(Block::Subheading("The leader’s comment".into()));
    doc.push(Block::Text(if record.leader_comment.is_empty() {
        "None yet.".into()
    } else {
        record.leader_comment.clone()
    }));
    doc.push(Block::Subheading("The coach’s comment".into()));
    doc.push(Block::Text(if record.coach_comment.is_empty() {
        "None yet.".into()
    } else {
        format!(
            "{} ({}, {})",
            record.coach_comment, record.coach_name, record.coach_saved
        )
    }));
    if !record.checkpoints.is_empty() {
        doc.push(Block::Subheading("Checkpoints".into()));
        for (name, state, leader, coach) in &record.checkpoints {
            doc.push(Block::Fact(
                name.clone(),
                format!("{state}. Leader: {leader}. Coach: {coach}."),
            ));
        }
    }
}

async fn my_profile_document(
    state: &AppState,
    me: SignedIn,
    notes: bool,
) -> Result<Document, WebError> {
    let key = state.config.primary_framework.as_str().to_owned();
    let today = state.clock.now().date();
    let profile = profile_page(state, me, None, &key, &ProfileQuery::default()).await?;
    Ok(profile_document(&profile, notes, today))
}

/// `GET /profile/report`: my profile report as a printable page.
pub async fn profile_report(
    State(state): State<AppState>,
    me: SignedIn,
    Query(query): Query<ProfileReportQuery>,
) -> Result<Html<String>, WebError> {
    let notes = include_notes(&query.notes)?;
    let page = Page::new("My profile report", "profile", Some(&me));
    let doc = my_profile_document(&state, me, notes).await?;
    let pdf_url = format!(
        "{}?notes={}",
        crate::urls::PROFILE_REPORT_PDF,
        if notes { "yes" } else { "no" }
    );
    render(&ReportPage {
        page,
        title: doc.title.clone(),
        subtitle: doc.subtitle.clone(),
        body: doc.to_html(),
        downloads: vec![("Download as PDF".into(), pdf_url)],
        notes_choice: true,
        notes,
    })
}

/// `GET /profile/report.pdf`: the same report as a PDF file.
pub async fn profile_report_pdf(
    State(state): State<AppState>,
    me: SignedIn,
    Query(query): Query<ProfileReportQuery>,
) -> Result<Response, WebError> {
    let notes = include_notes(&query.notes)?;
    let doc = my_profile_document(&state, me, notes).await?;
    Ok(download(
        pdf::render(&doc),
        "application/pdf",
        "leadership-profile.pdf",
    ))
}
