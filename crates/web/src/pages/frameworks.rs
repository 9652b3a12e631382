//! Browsing frameworks: the list, the "smart card" overview, and a page per item
//! showing its descriptors side by side.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use leadkit_domain::access::{Action, can};
use leadkit_domain::alignment::{Alignment, ItemRef, Nature};
use leadkit_domain::framework::{Framework, Item};

use crate::auth::MaybeSignedIn;
use crate::error::WebError;
use crate::pages::{Page, render};
use crate::state::{AppState, Catalog};
use crate::urls;

pub struct LevelView {
    pub code: String,
    pub label: String,
    pub summary: String,
    pub lead_in: String,
    pub points: Vec<String>,
}

pub struct DescriptorView {
    pub label: String,
    /// `None`: missing from the source; the template says so.
    pub text: Option<String>,
}

pub struct ComponentView {
    pub code: String,
    pub title: String,
    pub url: String,
    pub descriptors: Vec<DescriptorView>,
    /// Start a goal on this item, or add evidence for it (shown when signed in).
    pub new_goal_url: String,
    pub new_evidence_url: String,
    /// Items of other frameworks this one is aligned with, either way (filled on
    /// item pages only, to keep the overview light).
    pub aligned: Vec<AlignedView>,
}

/// One curated alignment as read from the item being shown.
pub struct AlignedView {
    /// "Addresses" (this item is the alignment's source) or "Addressed by".
    pub direction: &'static str,
    pub framework_title: String,
    pub code: String,
    pub title: String,
    pub url: String,
    pub kind: &'static str,
    /// "knowledge (Learn that…)" or "practice (Learn how to…)", where the target says.
    pub nature: Option<&'static str>,
    pub reason: String,
}

/// The curated alignments that start or end at `item`, each with the other end.
pub fn aligned_views(catalog: &Catalog, framework: &Framework, item: &Item) -> Vec<AlignedView> {
    let here = ItemRef {
        framework: framework.key.clone(),
        item: item.code.clone(),
    };
    let view = |direction, other: &ItemRef, alignment: &Alignment| {
        let stored = catalog.latest(other.framework.as_str())?;
        let found = stored.framework.find(&other.item)?;
        Some(AlignedView {
            direction,
            framework_title: stored.framework.title.clone(),
            code: found.code.to_string(),
            title: found.title.clone(),
            url: urls::framework_item(&stored.framework.key, &found.code),
            kind: alignment.kind.label(),
            nature: alignment.nature.map(Nature::label),
            reason: alignment.reason.clone(),
        })
    };
    let alignments = catalog.alignments();
    alignments
        .from_item(&here)
        .filter_map(|a| view("Addresses", &a.to, a))
        .chain(
            alignments
                .to_item(&here)
                .filter_map(|a| view("Addressed by", &a.from, a)),
        )
        .collect()
}

pub struct GroupView {
    pub code: String,
    pub title: String,
    pub url: String,
    pub reflect_url: String,
    pub components: Vec<ComponentView>,
}

pub struct DomainView {
    pub code: String,
    /// Kind label, code and title, e.g. "Domain 1 Professional Knowledge and Understanding".
    pub heading: String,
    pub title: String,
    pub url: String,
    pub introduction: Vec<String>,
    pub groups: Vec<GroupView>,
}

pub fn levels(framework: &Framework) -> Vec<LevelView> {
    framework
        .scale
        .iter()
        .flat_map(|scale| scale.levels.iter())
        .map(|level| LevelView {
            code: level.code.to_string(),
            label: level.label.clone(),
            summary: level.summary.clone(),
            lead_in: level.lead_in.clone(),
            points: level.points.clone(),
        })
        .collect()
}

pub fn component_view(framework: &Framework, item: &Item) -> ComponentView {
    let descriptors = framework
        .scale
        .iter()
        .flat_map(|scale| scale.levels.iter())
        .filter_map(|level| {
            item.descriptor(&level.code).map(|text| DescriptorView {
                label: level.label.clone(),
                text: text.map(str::to_owned),
            })
        })
        .collect();
    let reference = crate::forms::item_ref(framework, &item.code);
    ComponentView {
        code: item.code.to_string(),
        title: item.title.clone(),
        url: urls::framework_item(&framework.key, &item.code),
        descriptors,
        new_goal_url: urls::new_goal(&reference),
        new_evidence_url: urls::new_evidence_for(&reference),
        aligned: Vec::new(),
    }
}

fn group_view(framework: &Framework, group: &Item) -> GroupView {
    GroupView {
        code: group.code.to_string(),
        title: group.title.clone(),
        url: urls::framework_item(&framework.key, &group.code),
        reflect_url: urls::reflect_group(&framework.key, &group.code),
        components: group
            .reflectable_children()
            .map(|c| component_view(framework, c))
            .collect(),
    }
}

/// A top-level item and every group of reflectable items below it, at any depth.
pub fn domain_view(framework: &Framework, domain: &Item) -> DomainView {
    let mut groups = Vec::new();
    let mut stack = vec![domain];
    while let Some(item) = stack.pop() {
        if item.is_leaf_group() {
            groups.push(group_view(framework, item));
        }
        // A group can also hold groups (an NPQSL "Learn how to…" holds headings
        // with bullets beside headings without): those are listed after it.
        stack.extend(item.children.iter().filter(|c| !c.is_reflectable()).rev());
    }
    DomainView {
        code: domain.code.to_string(),
        heading: framework.heading(domain),
        title: domain.title.clone(),
        url: urls::framework_item(&framework.key, &domain.code),
        introduction: domain.introduction.clone(),
        groups,
    }
}

pub struct FrameworkSummary {
    pub title: String,
    pub publisher: String,
    pub version: String,
    pub url: String,
    pub components: usize,
}

#[derive(Template)]
#[template(path = "frameworks/index.html")]
pub struct IndexPage {
    pub page: Page,
    pub frameworks: Vec<FrameworkSummary>,
}

pub async fn index(
    State(state): State<AppState>,
    MaybeSignedIn(me): MaybeSignedIn,
) -> Result<Html<String>, WebError> {
    let frameworks = state
        .catalog
        .latest_versions()
        .into_iter()
        .map(|stored| FrameworkSummary {
            title: stored.framework.title.clone(),
            publisher: stored.framework.publisher.clone(),
            version: stored.framework.version.clone(),
            url: urls::framework(&stored.framework.key),
            components: stored.framework.reflectable_items().count(),
        })
        .collect();
    render(&IndexPage {
        page: Page::new("Frameworks", "frameworks", me.as_ref()),
        frameworks,
    })
}

#[derive(Template)]
#[template(path = "frameworks/smart_card.html")]
pub struct SmartCardPage {
    pub page: Page,
    pub title: String,
    pub publisher: String,
    pub motto: String,
    pub introduction: Vec<String>,
    pub levels: Vec<LevelView>,
    /// Whether the levels are the framework's own, with descriptors per item.
    pub has_descriptors: bool,
    pub domains: Vec<DomainView>,
    /// For administrators: ranked alignment suggestions to another framework.
    pub suggestions_url: Option<String>,
}

pub async fn smart_card(
    State(state): State<AppState>,
    MaybeSignedIn(me): MaybeSignedIn,
    Path(key): Path<String>,
) -> Result<Html<String>, WebError> {
    let stored = state.catalog.latest(&key).ok_or(WebError::NotFound)?;
    let framework = &stored.framework;
    render(&SmartCardPage {
        page: Page::new(framework.title.clone(), "frameworks", me.as_ref()),
        title: framework.title.clone(),
        publisher: framework.publisher.clone(),
        motto: framework.motto.clone(),
        introduction: framework.introduction.clone(),
        levels: levels(framework),
        has_descriptors: framework.walk().any(|item| !item.descriptors.is_empty()),
        domains: framework
            .items
            .iter()
            .map(|d| domain_view(framework, d))
            .collect(),
        suggestions_url: me
            .as_ref()
            .filter(|me| can(&me.actor, Action::Administer, None).is_allowed())
            .and_then(|_| {
                let other = state
                    .catalog
                    .latest_versions()
                    .into_iter()
                    .find(|other| other.framework.key != framework.key)?;
                Some(urls::suggestions(&framework.key, &other.framework.key))
            }),
    })
}

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
