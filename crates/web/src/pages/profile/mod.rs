//! "My profile": every subdomain and component with the chosen level and note,
//! and counts per level per domain. Printable (see print.css). The page and the
//! profile report are both made here: [`load`] reads, [`view`] shapes, purely.

mod page;
pub mod record;
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
    /// The one-page record (on the primary framework's profile).
    pub record: Option<RecordView>,
    /// Whether the record may be changed here (my own).
    pub record_editable: bool,
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

/// The one-page record of a leader's cycle, as the profile, its own page and
/// the PDF show it.
pub struct RecordView {
    pub strengths: Vec<String>,
    pub development: Vec<String>,
    /// The strengths and areas are proposed from the levels (nothing saved yet).
    pub proposed: bool,
    pub leader_comment: String,
    /// "2 December 2026", when the leader last saved.
    pub leader_saved: String,
    pub coach_comment: String,
    pub coach_name: String,
    pub coach_saved: String,
    /// Each goal's title and where it stands.
    pub goals: Vec<(String, String)>,
    /// Each checkpoint: name, state, the leader's record, the coach's.
    pub checkpoints: Vec<(String, String, String, String)>,
}

/// What the record is made from.
pub struct RecordData {
    pub summary: Option<leadkit_store::record::RecordSummary>,
    pub proposal: (Vec<String>, Vec<String>),
    pub goals: Vec<leadkit_domain::goal::Goal>,
    pub standings: Vec<leadkit_domain::checkpoint::Standing>,
    pub today: time::Date,
}

/// Reads what the record of `owner`'s `cycle` is made from. `reflections` are
/// theirs on `stored`, the primary framework; `goals` are those the viewer may
/// see (none when goals are not shared with them).
pub async fn load_record(
    state: &crate::state::AppState,
    owner: &leadkit_domain::people::Person,
    cycle: &leadkit_domain::cycle::Cycle,
    stored: &leadkit_store::frameworks::StoredFramework,
    reflections: &[Reflection],
    goals: Vec<leadkit_domain::goal::Goal>,
) -> Result<RecordData, crate::error::WebError> {
    let views = state
        .store
        .coach_views(owner.id, cycle.id, stored.id)
        .await?;
    let judged: Vec<::leadkit_domain::record::Judged> = stored
        .framework
        .reflectable_items()
        .map(|item| ::leadkit_domain::record::Judged {
            code: item.code.clone(),
            mine: reflections
                .iter()
                .find(|r| r.item == item.code)
                .and_then(|r| r.judgement.clone()),
            coach: views
                .iter()
                .find(|v| v.item == item.code)
                .and_then(|v| v.judgement.clone()),
        })
        .collect();
    let checkpoints = state.store.checkpoints(owner.trust, cycle.id).await?;
    let confirmations = state.store.confirmations(owner.id, cycle.id).await?;
    Ok(RecordData {
        summary: state.store.record_summary(owner.id, cycle.id).await?,
        proposal: ::leadkit_domain::record::propose(&stored.framework, &judged),
        goals,
        standings: leadkit_domain::checkpoint::standings(&checkpoints, &confirmations),
        today: state.clock.now().date(),
    })
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| {
            line.trim()
                .trim_start_matches(['•', '-', '*'])
                .trim()
                .to_owned()
        })
        .filter(|line| !line.is_empty())
        .collect()
}

/// The record in words. Pure.
pub fn record_view(data: &RecordData) -> RecordView {
    let saved = data.summary.as_ref().filter(|s| s.leader_saved.is_some());
    let when = |at: Option<time::OffsetDateTime>| {
        at.map(|at| crate::views::long_date(at.date()))
            .unwrap_or_default()
    };
    let said = |c: &Option<leadkit_domain::checkpoint::Confirmation>| {
        c.as_ref().map_or_else(
            || "Not yet".to_owned(),
            |c| format!("{}, {}", c.by_name, crate::views::long_date(c.on)),
        )
    };
    RecordView {
        strengths: saved.map_or_else(|| data.proposal.0.clone(), |s| lines(&s.strengths)),
        development: saved.map_or_else(|| data.proposal.1.clone(), |s| lines(&s.development)),
        proposed: saved.is_none(),
        leader_comment: saved.map(|s| s.leader_comment.clone()).unwrap_or_default(),
        leader_saved: when(saved.and_then(|s| s.leader_saved)),
        coach_comment: data
            .summary
            .as_ref()
            .map(|s| s.coach_comment.clone())
            .unwrap_or_default(),
        coach_name: data
            .summary
            .as_ref()
            .map(|s| s.coach_name.clone())
            .unwrap_or_default(),
        coach_saved: when(data.summary.as_ref().and_then(|s| s.coach_saved)),
        goals: data
            .goals
            .iter()
            .map(|g| (g.title.as_str().to_owned(), g.standing()))
            .collect(),
        checkpoints: data
            .standings
            .iter()
            .map(|s| {
                (
                    s.checkpoint.name.clone(),
                    if s.agreed() {
                        "Agreed".to_owned()
                    } else if s.overdue(data.today) {
                        format!(
                            "Overdue since {}",
                            crate::views::long_date(s.checkpoint.due_on)
                        )
                    } else {
                        format!("Due {}", crate::views::long_date(s.checkpoint.due_on))
                    },
                    said(&s.leader),
                    said(&s.coach),
                )
            })
            .collect(),
    }
}
