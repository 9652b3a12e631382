//! `GET /profile/{key}/through/{other}`: where I stand against another
//! framework's sections, derived from my reflection on this one through the
//! curated alignments (and marked as derived).

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use leadkit_domain::alignment::{DerivedStanding, Nature, SectionStanding};
use leadkit_domain::framework::Framework;
use leadkit_domain::reflection::Judgement;

use crate::access::current_scope;
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::pages::{Page, render};
use crate::state::AppState;
use crate::urls;

pub struct SourceRow {
    pub code: String,
    pub title: String,
    pub url: String,
    pub kind: &'static str,
    pub judgement: String,
    pub class: String,
}

pub struct TargetRow {
    pub code: String,
    pub title: String,
    pub url: String,
    pub nature: Option<&'static str>,
    pub sources: Vec<SourceRow>,
}

pub struct SectionView {
    pub code: String,
    pub heading: String,
    pub items: usize,
    pub aligned: usize,
    /// "Mostly High impact", or a plain statement that nothing aligned was judged.
    pub standing: String,
    pub counts: Vec<(String, usize)>,
    pub knowledge: usize,
    pub practice: usize,
    pub targets: Vec<TargetRow>,
}

#[derive(Template)]
#[template(path = "profile/through.html")]
pub struct ThroughPage {
    pub page: Page,
    pub source_title: String,
    pub target_title: String,
    pub cycle_name: String,
    pub profile_url: String,
    pub shows_nature: bool,
    pub sections: Vec<SectionView>,
}

/// A judgement's label and the CSS class of its colour.
fn level_label(framework: &Framework, judgement: Option<&Judgement>) -> (String, String) {
    match judgement {
        None => ("Not reflected yet".to_owned(), "none".to_owned()),
        Some(Judgement::NotYet) => (Judgement::NOT_YET_LABEL.into(), "not-yet".into()),
        Some(Judgement::NotInRole) => (Judgement::NOT_IN_ROLE_LABEL.into(), "not-in-role".into()),
        Some(judgement @ Judgement::Level(level)) => (
            framework.judgement_label(judgement),
            format!("level-{level}"),
        ),
    }
}

/// One section of `to`, as my reflection on `from` reads against it. Pure.
fn section_view(from: &Framework, to: &Framework, section: &SectionStanding) -> SectionView {
    let judged: usize = section.per_level.iter().map(|(_, n)| n).sum();
    let aligned = judged + section.not_yet + section.not_in_role + section.unreflected;
    let standing = match &section.median {
        Some(level) => format!(
            "Typically {} — the middle of the {judged} Toolkit judgements aligned here",
            from.level_label(level),
        ),
        None if section.targets.is_empty() => {
            "Nothing in this section is aligned with a component yet".to_owned()
        }
        None => "None of the aligned components has a level yet".to_owned(),
    };
    let mut counts: Vec<(String, usize)> = section
        .per_level
        .iter()
        .map(|(level, n)| (from.level_label(level), *n))
        .collect();
    counts.push((Judgement::NOT_YET_LABEL.into(), section.not_yet));
    counts.push((Judgement::NOT_IN_ROLE_LABEL.into(), section.not_in_role));
    counts.push(("Not reflected yet".into(), section.unreflected));
    let item = to.find(&section.code);
    SectionView {
        code: section.code.to_string(),
        heading: item.map_or_else(|| section.title.clone(), |item| to.heading(item)),
        items: section.items,
        aligned,
        standing,
        counts,
        knowledge: section.knowledge_targets,
        practice: section.practice_targets,
        targets: section
            .targets
            .iter()
            .map(|target| TargetRow {
                code: target.item.to_string(),
                title: target.title.clone(),
                url: urls::framework_item(&to.key, &target.item),
                nature: target.nature.map(Nature::label),
                sources: target
                    .sources
                    .iter()
                    .map(|s| {
                        let (judgement, class) = level_label(from, s.judgement.as_ref());
                        SourceRow {
                            code: s.item.to_string(),
                            title: s.title.clone(),
                            url: urls::framework_item(&from.key, &s.item),
                            kind: s.kind.label(),
                            judgement,
                            class,
                        }
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// `GET /profile/{key}/through/{other}`: where I stand against `other`'s
/// sections, derived from my reflection on `key`.
pub async fn through(
    State(state): State<AppState>,
    me: SignedIn,
    Path((key, other)): Path<(String, String)>,
) -> Result<Html<String>, WebError> {
    let source = state.catalog.latest(&key).ok_or(WebError::NotFound)?;
    let target = state.catalog.latest(&other).ok_or(WebError::NotFound)?;
    let alignments = state.catalog.alignments();
    if alignments
        .between(&source.framework.key, &target.framework.key)
        .next()
        .is_none()
    {
        return Err(WebError::NotFound);
    }
    let (cycle, scope) = current_scope(&state, &me, source).await?.ok_or_else(|| {
        WebError::BadRequest("No reflection cycle is open for your trust yet.".into())
    })?;
    let reflections = state.store.reflections(scope).await?;
    let (from, to) = (&source.framework, &target.framework);
    let standing = DerivedStanding::derive(from, &reflections, alignments, to);
    render(&ThroughPage {
        page: Page::new(
            format!("My profile through {}", to.title),
            "profile",
            Some(&me),
        ),
        source_title: from.title.clone(),
        target_title: to.title.clone(),
        cycle_name: cycle.name,
        profile_url: urls::profile_of(&from.key),
        shows_nature: standing
            .sections
            .iter()
            .any(|s| s.knowledge_targets + s.practice_targets > 0),
        sections: standing
            .sections
            .iter()
            .map(|section| section_view(from, to, section))
            .collect(),
    })
}
