//! "My profile": every subdomain and component with the chosen level and note,
//! and counts per level per domain. Printable (see print.css). The page and the
//! profile report are both made here: [`load`] reads, [`view`] shapes, purely.

mod page;
pub mod report;
pub mod show;
pub mod through;

pub use page::{Loaded, load, profile_page, view};

use askama::Template;
use leadkit_domain::framework::Framework;
use leadkit_domain::framework::diff::{ItemChange, carry_forward, diff};
use leadkit_domain::reflection::Reflection;

use crate::pages::Page;
use crate::views::SharingPanel;

pub struct CountView {
    pub label: String,
    pub count: usize,
    /// The bar's width as a whole percentage of the domain's components.
    pub percent: usize,
    /// A CSS class naming the level, for the bar's colour and pattern.
    pub class: String,
}

pub struct ComponentRow {
    pub code: String,
    pub title: String,
    pub judgement: String,
    pub class: String,
    pub note: String,
    /// The level chosen in the previous cycle, if any.
    pub previous: String,
    /// Start a goal on this component (own profile only).
    pub new_goal_url: String,
    /// Add evidence tagged to this component (own profile only).
    pub new_evidence_url: String,
    /// Goals about this component: (url, title).
    pub goals: Vec<(String, String)>,
    /// Evidence tagged to this component: (title, date, download url).
    pub evidence: Vec<(String, String, Option<String>)>,
}

pub struct GroupRows {
    pub code: String,
    pub title: String,
    pub reflect_url: String,
    pub rows: Vec<ComponentRow>,
}

pub struct DomainProfile {
    /// Kind label, code and title, e.g. "Domain 1 Professional Knowledge and Understanding".
    pub heading: String,
    pub code: String,
    pub title: String,
    pub counts: Vec<CountView>,
    pub total: usize,
    pub groups: Vec<GroupRows>,
    /// Since the previous cycle: components moved up, stayed, moved down.
    pub growth: Option<(u32, u32, u32)>,
}

#[derive(Template)]
#[template(path = "profile/show.html")]
pub struct ProfilePage {
    pub page: Page,
    /// "My profile", or "Ben Khan’s profile" for someone who shared theirs.
    pub heading: String,
    /// Whether I am looking at my own profile (else one shared with me: read only).
    pub own: bool,
    /// Who my reflections are shared with (my own profile only).
    pub sharing: Option<SharingPanel>,
    pub person_name: String,
    pub job_title: String,
    pub framework_title: String,
    pub cycle_name: String,
    pub reflected: usize,
    pub total: usize,
    pub domains: Vec<DomainProfile>,
    /// Every framework, to switch the profile between them.
    pub frameworks: Vec<FrameworkLink>,
    /// The frameworks this one is aligned with: my profile read through them.
    pub through: Vec<FrameworkLink>,
    /// What changed since the version I reflected on before, if it changed.
    pub version_notice: Option<VersionNotice>,
    pub reflect_url: String,
    /// The previous cycle's name, when there is one to compare with.
    pub previous_cycle: Option<String>,
    /// Showing only components with no evidence yet.
    pub no_evidence_filter: bool,
    /// The same profile with and without the filter.
    pub filter_url: String,
    pub unfiltered_url: String,
    /// Whether evidence is shown (mine, or shared with me).
    pub evidence_visible: bool,
}

#[derive(serde::Deserialize, Default)]
pub struct ProfileQuery {
    #[serde(default)]
    pub filter: String,
}

pub struct FrameworkLink {
    pub title: String,
    pub url: String,
    pub current: bool,
}

/// What a new version of the framework changed for me.
#[derive(Clone)]
pub struct VersionNotice {
    pub from_version: String,
    pub to_version: String,
    /// Reflections that came with me to the new version.
    pub carried: usize,
    /// Items I reflected on whose wording or place changed.
    pub changed: Vec<String>,
    /// Items I reflected on that the new version no longer has; the reflections
    /// stay with the old version.
    pub left_behind: Vec<String>,
    /// Items new in this version.
    pub added: Vec<String>,
}

fn version_notice(
    old: &Framework,
    new: &Framework,
    earlier: &[Reflection],
) -> Option<VersionNotice> {
    if earlier.is_empty() {
        return None;
    }
    let map = carry_forward(old, new);
    let changes = diff(old, new);
    let mut changed = Vec::new();
    let mut left_behind = Vec::new();
    let mut carried = 0;
    for reflection in earlier {
        let Some((_, to)) = map.iter().find(|(from, _)| *from == reflection.item) else {
            let title = old.find(&reflection.item).map_or("", |i| i.title.as_str());
            left_behind.push(format!("{} {title}", reflection.item));
            continue;
        };
        carried += 1;
        let what: Vec<&str> = changes
            .iter()
            .filter_map(|change| match change {
                ItemChange::Retitled { code, .. } if code == &reflection.item => Some("its title"),
                ItemChange::DescriptorChanged { code, .. } if code == &reflection.item => {
                    Some("a descriptor")
                }
                ItemChange::Moved { code, .. } if code == &reflection.item => Some("its place"),
                _ => None,
            })
            .collect();
        let title = new.find(to).map_or("", |i| i.title.as_str());
        if to != &reflection.item {
            changed.push(format!("{} is now {to} {title}", reflection.item));
        } else if !what.is_empty() {
            let mut what = what;
            what.dedup();
            changed.push(format!("{to} {title}: {} changed", what.join(" and ")));
        }
    }
    let added = new
        .reflectable_items()
        .filter(|item| !map.iter().any(|(_, to)| *to == item.code))
        .filter(|item| old.find(&item.code).is_none())
        .map(|item| format!("{} {}", item.code, item.title))
        .collect();
    Some(VersionNotice {
        from_version: old.version.clone(),
        to_version: new.version.clone(),
        carried,
        changed,
        left_behind,
        added,
    })
}

fn percent(count: usize, total: usize) -> usize {
    (count * 100 + total / 2).checked_div(total).unwrap_or(0)
}
