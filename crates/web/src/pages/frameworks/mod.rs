//! The frameworks as published: the list, each framework's smart card, each
//! item's page, and (for administrators) alignment suggestions between two. The
//! view pieces the pages share are here.

pub mod index;
pub mod item;
pub mod smart_card;
pub mod suggestions;

use leadkit_domain::alignment::{Alignment, ItemRef, Nature};
use leadkit_domain::framework::{Framework, Item};

use crate::state::Catalog;
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

pub(super) fn group_view(framework: &Framework, group: &Item) -> GroupView {
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
