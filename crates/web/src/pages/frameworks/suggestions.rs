//! `GET /frameworks/{key}/suggestions?target=other`: for an administrator curating
//! alignments, each item of one framework with the items of another whose words
//! are most like it, and which of those are already curated.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use leadkit_align::Suggester;
use leadkit_domain::access::{Action, can};
use leadkit_domain::alignment::{AlignmentSet, ItemRef};
use leadkit_domain::framework::{Framework, Item};
use serde::Deserialize;

use crate::auth::SignedIn;
use crate::error::WebError;
use crate::pages::{Page, render};
use crate::state::AppState;
use crate::urls;

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

/// One item of `from` with its best matches in `to` and which are curated. Pure.
fn suggested_item(
    from: &Framework,
    to: &Framework,
    suggester: &Suggester,
    alignments: &AlignmentSet,
    item: &Item,
) -> SuggestedItem {
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
}

/// `GET /frameworks/{key}/suggestions?target=other`.
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
        .map(|item| suggested_item(from, to, &suggester, alignments, item))
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
