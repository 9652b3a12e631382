//! The profile as loaded for the person asking ([`load`]) and as shown
//! ([`view`], pure): the page and the profile report are both made from it.

use leadkit_domain::access::Action;
use leadkit_domain::access::RecordKind;
use leadkit_domain::cycle::Cycle;
use leadkit_domain::evidence::Evidence;
use leadkit_domain::framework::{Framework, FrameworkKey, Item, ItemCode};
use leadkit_domain::goal::Goal;
use leadkit_domain::people::{Person, PersonId};
use leadkit_domain::profile::{DomainCounts, ProfileSummary};
use leadkit_domain::reflection::{Judgement, Progress, Reflection};
use leadkit_store::reflections::ReflectionScope;

use crate::access;
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::pages::Page;
use crate::state::AppState;
use crate::urls;
use crate::views::{SharingPanel, sharing_panel};

use super::*;

/// What the profile shows, as loaded for the person asking.
pub struct Loaded<'a> {
    pub framework: &'a Framework,
    pub owner: Person,
    pub cycle: Cycle,
    pub own: bool,
    pub no_evidence_filter: bool,
    /// Every framework's latest version, to switch between.
    pub frameworks: Vec<&'a Framework>,
    /// The frameworks with alignments to this one (my own profile only).
    pub through: Vec<&'a Framework>,
    pub sharing: Option<SharingPanel>,
    pub reflections: Vec<Reflection>,
    pub version_notice: Option<VersionNotice>,
    pub previous_cycle: Option<Cycle>,
    /// My reflections in the previous cycle (my own profile only).
    pub previous_reflections: Vec<Reflection>,
    pub goals: Vec<Goal>,
    /// Whether evidence is shown (mine, or shared with me), and the evidence.
    pub evidence_visible: bool,
    pub evidence: Vec<Evidence>,
    /// The one-page record, on the primary framework's profile.
    pub record: Option<RecordData>,
}

fn no_evidence_filter(query: &ProfileQuery) -> Result<bool, WebError> {
    match query.filter.as_str() {
        "" => Ok(false),
        "no-evidence" => Ok(true),
        _ => Err(WebError::BadRequest(
            "The only filter is no-evidence.".into(),
        )),
    }
}

/// Loads the profile of `person` (me when `None`) against the framework `key`,
/// asking the access rule once.
pub async fn load<'a>(
    state: &'a AppState,
    me: &SignedIn,
    person: Option<PersonId>,
    key: &str,
    query: &ProfileQuery,
) -> Result<Loaded<'a>, WebError> {
    let no_evidence_filter = no_evidence_filter(query)?;
    let stored = state.catalog.latest(key).ok_or(WebError::NotFound)?;
    let framework = &stored.framework;
    let access::Granted {
        owner,
        cycle,
        scope,
        own,
    } = access::reflections_of(
        state,
        me,
        person.unwrap_or(me.person.id),
        Action::ReadReflections,
        stored,
    )
    .await?;
    let latest = state.catalog.latest_versions();
    let alignments = state.catalog.alignments();
    let through = latest
        .iter()
        .filter(|_| own)
        .filter(|other| {
            alignments
                .between(&framework.key, &other.framework.key)
                .next()
                .is_some()
        })
        .map(|other| &other.framework)
        .collect();
    let sharing = match own {
        true => Some(sharing_panel(state, me, &cycle, RecordKind::Reflections).await?),
        false => None,
    };
    let reflections = state.store.reflections(scope).await?;
    let version_notice = match state.catalog.previous(stored) {
        Some(previous) => {
            let earlier = ReflectionScope {
                framework: previous.id,
                ..scope
            };
            let earlier = state.store.reflections(earlier).await?;
            version_notice(&previous.framework, framework, &earlier)
        }
        None => None,
    };
    let previous_cycle = state
        .store
        .previous_cycle(owner.trust, owner.school, &cycle)
        .await?;
    let previous_reflections = match (&previous_cycle, own) {
        (Some(previous), true) => {
            let earlier = ReflectionScope {
                cycle: previous.id,
                ..scope
            };
            state.store.reflections(earlier).await?
        }
        _ => Vec::new(),
    };
    let standing = access::standing(
        state,
        me,
        &owner,
        &cycle,
        &[RecordKind::Goals, RecordKind::Evidence],
    )
    .await?;
    let goals = match standing.may(Action::ReadGoals, RecordKind::Goals) {
        true => state.store.goals_of(owner.id, cycle.id).await?,
        false => Vec::new(),
    };
    let evidence_visible = standing.may(Action::ReadEvidence, RecordKind::Evidence);
    let evidence = match evidence_visible {
        true => state.store.evidence_of(owner.id, cycle.id).await?,
        false => Vec::new(),
    };
    let record = match framework.key.as_str() == state.config.primary_framework.as_str() {
        true => {
            Some(load_record(state, &owner, &cycle, stored, &reflections, goals.clone()).await?)
        }
        false => None,
    };
    Ok(Loaded {
        record,
        framework,
        frameworks: latest.iter().map(|s| &s.framework).collect(),
        through,
        owner,
        cycle,
        own,
        no_evidence_filter,
        sharing,
        reflections,
        version_notice,
        previous_cycle,
        previous_reflections,
        goals,
        evidence_visible,
        evidence,
    })
}

/// A judgement as the profile shows it: its label and the CSS class of its colour.
fn judgement_view(framework: &Framework, judgement: Option<&Judgement>) -> (String, String) {
    match judgement {
        None => ("Not reflected yet".into(), "none".into()),
        Some(Judgement::NotYet) => (Judgement::NOT_YET_LABEL.into(), "not-yet".into()),
        Some(Judgement::NotInRole) => (Judgement::NOT_IN_ROLE_LABEL.into(), "not-in-role".into()),
        Some(judgement @ Judgement::Level(level)) => (
            framework.judgement_label(judgement),
            format!("level-{level}"),
        ),
    }
}

fn component_row(loaded: &Loaded, item: &Item) -> ComponentRow {
    let framework = loaded.framework;
    let reflection = loaded.reflections.iter().find(|r| r.item == item.code);
    let (judgement, class) =
        judgement_view(framework, reflection.and_then(|r| r.judgement.as_ref()));
    let previous = loaded
        .previous_reflections
        .iter()
        .find(|r| r.item == item.code)
        .and_then(|r| r.judgement.as_ref())
        .map(|j| judgement_view(framework, Some(j)).0)
        .unwrap_or_default();
    let tagged = |framework_key: &FrameworkKey, code: &ItemCode| {
        *framework_key == framework.key && *code == item.code
    };
    let reference = crate::forms::item_ref(framework, &item.code);
    ComponentRow {
        code: item.code.to_string(),
        title: item.title.clone(),
        judgement,
        class,
        note: reflection
            .map(|r| r.note.as_str().to_owned())
            .unwrap_or_default(),
        previous,
        new_goal_url: urls::new_goal(&reference),
        new_evidence_url: urls::new_evidence_for(&reference),
        goals: loaded
            .goals
            .iter()
            .filter(|g| g.items.iter().any(|i| tagged(&i.framework, &i.code)))
            .map(|g| (urls::goal(g.id), g.title.as_str().to_owned()))
            .collect(),
        evidence: loaded
            .evidence
            .iter()
            .filter(|e| e.items.iter().any(|tag| tagged(&tag.framework, &tag.code)))
            .map(|e| {
                (
                    e.title.as_str().to_owned(),
                    crate::views::long_date(e.on),
                    e.file.as_ref().map(|_| urls::evidence_file(e.id)),
                )
            })
            .collect(),
    }
}

/// Whether `item` lies in the domain `domain`.
fn in_domain(framework: &Framework, domain: &Item, item: &Item) -> bool {
    framework
        .path_to(&item.code)
        .and_then(|path| path.first().map(|top| top.code == domain.code))
        .unwrap_or(false)
}

/// My own growth in a domain since last cycle, over components judged in both:
/// (moved up, stayed, moved down).
fn domain_growth(loaded: &Loaded, domain: &Item) -> Option<(u32, u32, u32)> {
    let framework = loaded.framework;
    if loaded.previous_reflections.is_empty() {
        return None;
    }
    let rank = |reflections: &[Reflection], item: &Item| {
        let judgement = reflections.iter().find(|r| r.item == item.code)?;
        match judgement.judgement.as_ref()? {
            Judgement::NotYet => Some(0),
            Judgement::Level(level) => framework
                .scale
                .as_ref()
                .and_then(|s| s.rank(level))
                .map(|r| r + 1),
            Judgement::NotInRole => None,
        }
    };
    let mut moved = (0, 0, 0);
    for item in framework
        .reflectable_items()
        .filter(|item| in_domain(framework, domain, item))
    {
        let before = rank(&loaded.previous_reflections, item);
        let after = rank(&loaded.reflections, item);
        if let (Some(before), Some(after)) = (before, after) {
            match after.cmp(&before) {
                std::cmp::Ordering::Greater => moved.0 += 1,
                std::cmp::Ordering::Equal => moved.1 += 1,
                std::cmp::Ordering::Less => moved.2 += 1,
            }
        }
    }
    Some(moved)
}

fn domain_view(loaded: &Loaded, domain: &Item, counts: &DomainCounts) -> DomainProfile {
    let framework = loaded.framework;
    let mut bars: Vec<CountView> = counts
        .per_level
        .iter()
        .map(|(level, count)| CountView {
            label: framework.level_label(level),
            count: *count,
            percent: percent(*count, counts.total),
            class: format!("level-{level}"),
        })
        .collect();
    for (label, count, class) in [
        (Judgement::NOT_YET_LABEL, counts.not_yet, "not-yet"),
        (
            Judgement::NOT_IN_ROLE_LABEL,
            counts.not_in_role,
            "not-in-role",
        ),
        ("Not reflected yet", counts.unreflected, "none"),
    ] {
        bars.push(CountView {
            label: label.into(),
            count,
            percent: percent(count, counts.total),
            class: class.into(),
        });
    }
    let groups = framework
        .leaf_groups()
        .filter(|group| in_domain(framework, domain, group))
        .map(|group| GroupRows {
            code: group.code.to_string(),
            title: group.title.clone(),
            reflect_url: urls::reflect_group(&framework.key, &group.code),
            rows: group
                .reflectable_children()
                .map(|item| component_row(loaded, item))
                .filter(|row| !loaded.no_evidence_filter || row.evidence.is_empty())
                .collect(),
        })
        .filter(|group: &GroupRows| !group.rows.is_empty())
        .collect();
    DomainProfile {
        growth: domain_growth(loaded, domain),
        heading: framework.heading(domain),
        code: domain.code.to_string(),
        title: domain.title.clone(),
        counts: bars,
        total: counts.total,
        groups,
    }
}

/// Shapes the profile page from what was loaded. Pure.
pub fn view(loaded: &Loaded, page: impl FnOnce(&str) -> Page) -> ProfilePage {
    let Loaded {
        framework,
        owner,
        own,
        ..
    } = loaded;
    let own = *own;
    let profile_url = |key: &FrameworkKey| match own {
        true => urls::profile_of(key),
        false => urls::person_profile_of(owner.id, key),
    };
    let summary = ProfileSummary::build(framework, &loaded.reflections);
    let domains = framework
        .items
        .iter()
        .zip(summary.domains.iter())
        .map(|(domain, counts)| domain_view(loaded, domain, counts))
        .collect();
    let progress = Progress::of(
        framework.reflectable_items().map(|i| &i.code),
        &loaded.reflections,
    );
    let heading = match own {
        true => "My profile".to_owned(),
        false => format!("{}’s profile", owner.name.as_str()),
    };
    let here = profile_url(&framework.key);
    ProfilePage {
        previous_cycle: loaded
            .previous_cycle
            .as_ref()
            .filter(|_| !loaded.previous_reflections.is_empty())
            .map(|c| c.name.clone()),
        no_evidence_filter: loaded.no_evidence_filter,
        filter_url: format!("{here}?filter=no-evidence"),
        unfiltered_url: here,
        evidence_visible: loaded.evidence_visible,
        record: loaded.record.as_ref().map(record_view),
        record_editable: own,
        page: page(&heading),
        heading,
        own,
        sharing: loaded.sharing.clone(),
        person_name: owner.name.as_str().to_owned(),
        job_title: owner.job_title.clone(),
        framework_title: framework.title.clone(),
        cycle_name: loaded.cycle.name.clone(),
        reflected: progress.reflected,
        total: progress.total,
        domains,
        frameworks: loaded
            .frameworks
            .iter()
            .map(|other| FrameworkLink {
                title: other.title.clone(),
                url: profile_url(&other.key),
                current: other.key == framework.key,
            })
            .collect(),
        through: loaded
            .through
            .iter()
            .map(|other| FrameworkLink {
                title: other.title.clone(),
                url: urls::profile_through(&framework.key, &other.key),
                current: false,
            })
            .collect(),
        version_notice: loaded.version_notice.clone(),
        reflect_url: framework
            .leaf_groups()
            .next()
            .map(|group| urls::reflect_group(&framework.key, &group.code))
            .unwrap_or_else(|| urls::REFLECT.to_owned()),
    }
}

/// The profile page of `person` (me when `None`) against the framework `key`,
/// as the page and the profile report show it.
pub async fn profile_page(
    state: &AppState,
    me: SignedIn,
    person: Option<PersonId>,
    key: &str,
    query: &ProfileQuery,
) -> Result<ProfilePage, WebError> {
    let loaded = load(state, &me, person, key, query).await?;
    Ok(view(&loaded, |heading| {
        Page::new(heading.to_owned(), "profile", Some(&me))
    }))
}

#[cfg(test)]
#[path = "page_tests.rs"]
mod tests;
