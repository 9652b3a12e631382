//! `GET /frameworks/{key}/{item}`: one item with its descriptors, its alignments
//! with other frameworks, and ways to start a goal or add evidence on it.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use leadkit_domain::framework::Item;

use crate::auth::MaybeSignedIn;
use crate::error::WebError;
use crate::pages::{Page, render};
use crate::state::AppState;
use crate::urls;

use super::*;

pub struct Crumb {
    pub title: String,
    pub url: String,
}

#[derive(Template)]
#[template(path = "frameworks/item.html")]
pub struct ItemPage {
    pub page: Page,
    pub framework_title: String,
    pub crumbs: Vec<Crumb>,
    pub code: String,
    pub title: String,
    /// The introduction of the domain this item belongs to (or its own).
    pub domain_title: String,
    pub introduction: Vec<String>,
    pub levels: Vec<LevelView>,
    /// Shown before each descriptor ("A leader will"), if the framework has one.
    pub lead_in: String,
    /// The components shown with their descriptors side by side.
    pub components: Vec<ComponentView>,
    /// For a domain: its subdomains, listed.
    pub groups: Vec<GroupView>,
    pub reflect_url: Option<String>,
    /// Whether to offer goals and evidence on the components (signed in).
    pub signed_in: bool,
}

pub async fn item(
    State(state): State<AppState>,
    MaybeSignedIn(me): MaybeSignedIn,
    Path((key, slug)): Path<(String, String)>,
) -> Result<Html<String>, WebError> {
    let stored = state.catalog.latest(&key).ok_or(WebError::NotFound)?;
    let framework = &stored.framework;
    let item = framework.find_by_slug(&slug).ok_or(WebError::NotFound)?;
    let path = framework.path_to(&item.code).ok_or(WebError::NotFound)?;
    let domain = path.first().copied().unwrap_or(item);
    let mut crumbs = vec![Crumb {
        title: framework.title.clone(),
        url: urls::framework(&framework.key),
    }];
    crumbs.extend(
        path.iter()
            .take(path.len().saturating_sub(1))
            .map(|ancestor| Crumb {
                title: format!("{} {}", ancestor.code, ancestor.title),
                url: urls::framework_item(&framework.key, &ancestor.code),
            }),
    );
    let (components, groups, reflect_url) = if item.is_reflectable() {
        let parent = framework.parent_of(&item.code);
        (
            vec![component_view(framework, item)],
            vec![],
            parent.map(|group| urls::reflect_group(&framework.key, &group.code)),
        )
    } else if item.children.iter().all(Item::is_reflectable) {
        (
            item.children
                .iter()
                .map(|c| component_view(framework, c))
                .collect(),
            vec![],
            Some(urls::reflect_group(&framework.key, &item.code)),
        )
    } else if item.is_leaf_group() {
        (
            item.reflectable_children()
                .map(|c| component_view(framework, c))
                .collect(),
            domain_view(framework, item)
                .groups
                .into_iter()
                .skip(1)
                .collect(),
            Some(urls::reflect_group(&framework.key, &item.code)),
        )
    } else {
        (vec![], domain_view(framework, item).groups, None)
    };
    let mut components = components;
    for component in &mut components {
        if let Some(found) = framework.walk().find(|i| i.code.as_str() == component.code) {
            component.aligned = aligned_views(&state.catalog, framework, found);
        }
    }
    render(&ItemPage {
        signed_in: me.is_some(),
        page: Page::new(
            format!("{} {}", item.code, item.title),
            "frameworks",
            me.as_ref(),
        ),
        framework_title: framework.title.clone(),
        crumbs,
        code: item.code.to_string(),
        title: item.title.clone(),
        domain_title: framework.heading(domain),
        introduction: domain.introduction.clone(),
        levels: levels(framework),
        lead_in: framework.descriptor_lead_in.clone(),
        components,
        groups,
        reflect_url,
    })
}
