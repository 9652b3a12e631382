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

/// Shapes an item's page: its place in the framework, its descriptors or its
/// children, and the alignments of each component shown. Pure (the catalog is
/// in memory).
pub fn view(catalog: &Catalog, framework: &Framework, item: &Item, page: Page) -> ItemPage {
    let path = framework.path_to(&item.code).unwrap_or_default();
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
    let here = || Some(urls::reflect_group(&framework.key, &item.code));
    let (mut components, groups, reflect_url) = if item.is_reflectable() {
        let parent = framework.parent_of(&item.code);
        (
            vec![component_view(framework, item)],
            vec![],
            parent.map(|group| urls::reflect_group(&framework.key, &group.code)),
        )
    } else if item.children.iter().all(Item::is_reflectable) {
        let components = item.children.iter().map(|c| component_view(framework, c));
        (components.collect(), vec![], here())
    } else if item.is_leaf_group() {
        let components = item
            .reflectable_children()
            .map(|c| component_view(framework, c));
        let groups = domain_view(framework, item).groups.into_iter().skip(1);
        (components.collect(), groups.collect(), here())
    } else {
        (vec![], domain_view(framework, item).groups, None)
    };
    for component in &mut components {
        if let Some(found) = framework.walk().find(|i| i.code.as_str() == component.code) {
            component.aligned = aligned_views(catalog, framework, found);
        }
    }
    ItemPage {
        signed_in: page.user_name.is_some(),
        page,
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
    }
}

/// `GET /frameworks/{key}/{item}`.
pub async fn item(
    State(state): State<AppState>,
    MaybeSignedIn(me): MaybeSignedIn,
    Path((key, slug)): Path<(String, String)>,
) -> Result<Html<String>, WebError> {
    let stored = state.catalog.latest(&key).ok_or(WebError::NotFound)?;
    let framework = &stored.framework;
    let item = framework.find_by_slug(&slug).ok_or(WebError::NotFound)?;
    framework.path_to(&item.code).ok_or(WebError::NotFound)?;
    let title = format!("{} {}", item.code, item.title);
    let page = Page::new(title, "frameworks", me.as_ref());
    render(&view(&state.catalog, framework, item, page))
}
