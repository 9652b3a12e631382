//! Frameworks seen through each other: my reflection on one framework read
//! against another's sections (derived from the curated alignments, and marked
//! so), and, for administrators, ranked alignment suggestions between any two.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use leadkit_align::Suggester;
use leadkit_domain::access::{Action, can};
use leadkit_domain::alignment::{DerivedStanding, ItemRef, Nature};
use leadkit_domain::framework::Framework;
use leadkit_domain::reflection::Judgement;
use serde::Deserialize;

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
    let standing = DerivedStanding::derive(
        &source.framework,
        &reflections,
        alignments,
        &target.framework,
    );
    let (from, to) = (&source.framework, &target.framework);
    let level_label = |framework: &Framework, judgement: Option<&Judgement>| match judgement {
        None => ("Not reflected yet".to_owned(), "none".to_owned()),
        Some(Judgement::NotYet) => ("Not yet".into(), "not-yet".into()),
        Some(Judgement::NotInRole) => ("Not in my role".into(), "not-in-role".into()),
        Some(Judgement::Level(level)) => (
            framework
                .scale
                .as_ref()
                .and_then(|scale| scale.level(level))
                .map_or_else(|| level.to_string(), |l| l.label.clone()),
            format!("level-{level}"),
        ),
    };
    let sections = standing
        .sections
        .iter()
        .map(|section| {
            let aligned_sources: usize = section.per_level.iter().map(|(_, n)| n).sum::<usize>()
                + section.not_yet
                + section.not_in_role
                + section.unreflected;
            let standing = match &section.median {
                Some(level) => format!(
                    "Typically {} — the middle of the {} Toolkit judgements aligned here",
                    level_label(from, Some(&Judgement::Level(level.clone()))).0,
                    section.per_level.iter().map(|(_, n)| n).sum::<usize>()
                ),
                None if section.targets.is_empty() => {
                    "Nothing in this section is aligned with a component yet".to_owned()
                }
                None => "None of the aligned components has a level yet".to_owned(),
            };
            let mut counts: Vec<(String, usize)> = section
                .per_level
                .iter()
                .map(|(level, n)| {
                    (
                        level_label(from, Some(&Judgement::Level(level.clone()))).0,
                        *n,
                    )
                })
                .collect();
            counts.push(("Not yet".into(), section.not_yet));
            counts.push(("Not in my role".into(), section.not_in_role));
            counts.push(("Not reflected yet".into(), section.unreflected));
            let item = to.find(&section.code);
            SectionView {
                code: section.code.to_string(),
                heading: item.map_or_else(|| section.title.clone(), |item| to.heading(item)),
                items: section.items,
                aligned: aligned_sources,
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
        })
        .collect();
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
        sections,
    })
}

#[derive(Deserialize)]
pub struct SuggestionQuery {
    pub target: Option<String>,
}

pub struct SuggestionView {
    pub code: String,
    pub title: String,
    pub url: String,
    pub score: String,
    /// The curated kind, when this suggestion is already a curated alignment.
    pub curated: Option<&'static str>,
}

pub struct SuggestedItem {
    pub code: String,
    pub title: String,
    pub url: String,
    pub suggestions: Vec<SuggestionView>,
    pub curated_elsewhere: usize,
}

pub struct TargetChoice {
    pub key: String,
    pub title: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "frameworks/suggestions.html")]
pub struct SuggestionsPage {
    pub page: Page,
    pub source_title: String,
    pub source_key: String,
    pub target_title: String,
    pub targets: Vec<TargetChoice>,
    pub items: Vec<SuggestedItem>,
}

/// How many suggestions are shown per item.
const SHOWN: usize = 5;

/// `GET /frameworks/{key}/suggestions?target=other`: for an administrator curating
/// alignments, each item of `key` with the items of `other` whose words are most
/// like it, and which of those are already curated.
pub async fn suggestions(
    State(state): State<AppState>,
    me: SignedIn,
    Path(key): Path<String>,
    Query(query): Query<SuggestionQuery>,
) -> Result<Html<String>, WebError> {
    if !can(&me.actor, Action::Administer, None).is_allowed() {
        return Err(WebError::NotFound);
    }
    let source = state.catalog.latest(&key).ok_or(WebError::NotFound)?;
    let others: Vec<_> = state
        .catalog
        .latest_versions()
        .into_iter()
        .filter(|stored| stored.framework.key != source.framework.key)
        .collect();
    let target = match &query.target {
        Some(wanted) => others
            .iter()
            .find(|stored| stored.framework.key.as_str() == wanted)
            .ok_or_else(|| WebError::BadRequest(format!("There is no framework \"{wanted}\".")))?,
        None => others.first().ok_or_else(|| {
            WebError::BadRequest("There is no other framework to align to.".into())
        })?,
    };
    let (from, to) = (&source.framework, &target.framework);
    let suggester = Suggester::for_framework(to);
    let alignments = state.catalog.alignments();
    let items = from
        .reflectable_items()
        .map(|item| {
            let here = ItemRef {
                framework: from.key.clone(),
                item: item.code.clone(),
            };
            let curated: Vec<_> = alignments
                .from_item(&here)
                .filter(|a| a.to.framework == to.key)
                .collect();
            let suggestions: Vec<SuggestionView> = suggester
                .suggest_for(from, item, SHOWN)
                .into_iter()
                .filter_map(|s| {
                    let found = to.find(&s.item)?;
                    Some(SuggestionView {
                        code: found.code.to_string(),
                        title: found.title.clone(),
                        url: urls::framework_item(&to.key, &found.code),
                        score: format!("{:.1}", s.score),
                        curated: curated
                            .iter()
                            .find(|a| a.to.item == found.code)
                            .map(|a| a.kind.label()),
                    })
                })
                .collect();
            let shown_curated = suggestions.iter().filter(|s| s.curated.is_some()).count();
            SuggestedItem {
                code: item.code.to_string(),
                title: item.title.clone(),
                url: urls::framework_item(&from.key, &item.code),
                curated_elsewhere: curated.len() - shown_curated,
                suggestions,
            }
        })
        .collect();
    render(&SuggestionsPage {
        page: Page::new(
            format!("Alignment suggestions: {} to {}", from.title, to.title),
            "frameworks",
            Some(&me),
        ),
        source_title: from.title.clone(),
        source_key: from.key.to_string(),
        target_title: to.title.clone(),
        targets: others
            .iter()
            .map(|stored| TargetChoice {
                key: stored.framework.key.to_string(),
                title: stored.framework.title.clone(),
                selected: stored.framework.key == to.key,
            })
            .collect(),
        items,
    })
}
