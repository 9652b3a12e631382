//! `/goals/new` and `POST /goals`: a goal started from a component, with where I
//! am and where I aim to be, and the items of other frameworks aligned with it.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use leadkit_domain::access::Action;
use leadkit_domain::access::RecordKind;
use leadkit_domain::framework::{Framework, Item};
use leadkit_domain::goal::{Prompts, Support, prompts};
use leadkit_domain::reflection::Judgement;
use leadkit_domain::scale::LevelCode;
use leadkit_store::goals::ItemRef;
use leadkit_store::reflections::ReflectionScope;
use serde::Deserialize;

use crate::access::{self, GrantedRecords};
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::extract::Form;
use crate::forms::{Pairs, fields, item_ref, resolve_item, text as field};
use crate::pages::{Page, render};
use crate::state::{AppState, Catalog};
use crate::urls;

use super::{LevelOption, SupportOption, descriptor_text, draft_from, level_label};

pub struct AlsoOption {
    pub value: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "goals/new.html")]
pub struct NewGoalPage {
    pub page: Page,
    pub cycle_name: String,
    pub item_value: String,
    pub item_label: String,
    pub framework_title: String,
    pub has_levels: bool,
    pub levels: Vec<LevelOption>,
    pub current_label: String,
    pub current_descriptor: String,
    pub target_label: String,
    pub target_descriptor: String,
    pub prompts: Prompts,
    pub supports: Vec<SupportOption>,
    pub also: Vec<AlsoOption>,
    pub suggested_title: String,
}

#[derive(Deserialize)]
pub struct NewGoalQuery {
    #[serde(default)]
    item: String,
}

/// The levels offered, the aim suggested (the next level up, or the top one
/// kept) and the prompts drawn from the two descriptors. Pure.
fn aim(
    framework: &Framework,
    item: &Item,
    current: Option<&LevelCode>,
) -> (Vec<LevelOption>, Option<LevelCode>, Prompts) {
    let Some(scale) = &framework.scale else {
        return (Vec::new(), None, Prompts::default());
    };
    let current_rank = current.and_then(|c| scale.rank(c));
    let target = scale
        .levels
        .get(current_rank.map_or(0, |rank| rank + 1))
        .or(scale.levels.last())
        .map(|level| level.code.clone());
    let options = scale
        .levels
        .iter()
        .map(|level| LevelOption {
            code: level.code.to_string(),
            label: level.label.clone(),
            current: Some(&level.code) == current,
            target: Some(&level.code) == target.as_ref(),
            descriptor: item
                .descriptor(&level.code)
                .flatten()
                .unwrap_or_default()
                .to_owned(),
        })
        .collect();
    let found = target
        .as_ref()
        .map(|target| prompts(item, scale, current, target, &framework.descriptor_lead_in));
    (options, target, found.unwrap_or_default())
}

/// Items of other frameworks aligned with this one, to link the goal to them too.
fn aligned_items(catalog: &Catalog, framework: &Framework, item: &Item) -> Vec<AlsoOption> {
    catalog
        .alignments()
        .alignments
        .iter()
        .filter_map(|alignment| {
            let other = if alignment.from.framework == framework.key
                && alignment.from.item == item.code
            {
                &alignment.to
            } else if alignment.to.framework == framework.key && alignment.to.item == item.code {
                &alignment.from
            } else {
                return None;
            };
            let other_stored = catalog.latest(other.framework.as_str())?;
            let other_item = other_stored.framework.find(&other.item)?;
            Some(AlsoOption {
                value: item_ref(&other_stored.framework, &other_item.code),
                label: format!(
                    "{}: {} {}",
                    other_stored.framework.title, other_item.code, other_item.title
                ),
            })
        })
        .collect()
}

/// `GET /goals/new?item=key|version|code`: the form for a goal on one component,
/// with the current level from my reflection and the next level up as the aim.
pub async fn new(
    State(state): State<AppState>,
    me: SignedIn,
    Query(query): Query<NewGoalQuery>,
) -> Result<Html<String>, WebError> {
    let GrantedRecords { cycle, .. } = access::records_of(
        &state,
        &me,
        me.person.id,
        None,
        Action::WriteGoalsAndEvidence,
        RecordKind::Goals,
    )
    .await?;
    let (stored, item) = resolve_item(&state, &query.item)?;
    let framework = &stored.framework;
    let reflections = state
        .store
        .reflections(ReflectionScope {
            person: me.person.id,
            cycle: cycle.id,
            framework: stored.id,
        })
        .await?;
    let current = reflections
        .iter()
        .find(|r| r.item == item.code)
        .and_then(|r| match &r.judgement {
            Some(Judgement::Level(level)) => Some(level.clone()),
            _ => None,
        });
    let (levels, target, prompts_found) = aim(framework, item, current.as_ref());
    let also = aligned_items(&state.catalog, framework, item);
    render(&NewGoalPage {
        page: Page::new("Start a goal", "goals", Some(&me)),
        cycle_name: cycle.name,
        item_value: item_ref(&stored.framework, &item.code),
        item_label: format!("{} {}", item.code, item.title),
        framework_title: framework.title.clone(),
        has_levels: framework.scale.is_some(),
        levels,
        current_label: level_label(framework, current.as_ref()),
        current_descriptor: descriptor_text(framework, item, current.as_ref()),
        target_label: target
            .as_ref()
            .map(|t| level_label(framework, Some(t)))
            .unwrap_or_default(),
        target_descriptor: descriptor_text(framework, item, target.as_ref()),
        prompts: prompts_found,
        supports: Support::ALL
            .into_iter()
            .map(|s| SupportOption {
                code: s.as_str(),
                label: s.label(),
                checked: false,
            })
            .collect(),
        also,
        suggested_title: item.title.clone(),
    })
}

/// `POST /goals`: starts a goal in the current cycle.
pub async fn create(
    State(state): State<AppState>,
    me: SignedIn,
    Form(pairs): Form<Pairs>,
) -> Result<Response, WebError> {
    let GrantedRecords { owner, cycle, .. } = access::records_of(
        &state,
        &me,
        me.person.id,
        None,
        Action::WriteGoalsAndEvidence,
        RecordKind::Goals,
    )
    .await?;
    access::writable(&state, &owner, &cycle).await?;
    let (stored, item) = resolve_item(&state, field(&pairs, "item"))?;
    let draft = draft_from(&pairs, &stored.framework)?;
    let mut items = vec![ItemRef {
        framework: stored.id,
        code: item.code.clone(),
    }];
    for also in fields(&pairs, "also").filter(|v| !v.trim().is_empty()) {
        let (other, other_item) = resolve_item(&state, also)?;
        items.push(ItemRef {
            framework: other.id,
            code: other_item.code.clone(),
        });
    }
    let id = state
        .store
        .create_goal(owner.id, cycle.id, &draft, &items, None, state.clock.now())
        .await?;
    Ok(Redirect::to(&urls::goal(id)).into_response())
}
