//! "My profile": every subdomain and component with the chosen level and note,
//! and counts per level per domain. Printable (see print.css).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use leadkit_domain::access::Action;
use leadkit_domain::framework::diff::{ItemChange, carry_forward, diff};
use leadkit_domain::framework::{Framework, Item};
use leadkit_domain::people::PersonId;
use leadkit_domain::profile::ProfileSummary;
use leadkit_domain::reflection::{Judgement, Progress, Reflection};
use leadkit_store::reflections::ReflectionScope;
use leadkit_store::sharing::RecordKind;

use crate::access;
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::pages::{Page, render};
use crate::state::AppState;
use crate::urls;
use crate::views::{SharingPanel, sharing_panel};

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
    filter: String,
}

pub struct FrameworkLink {
    pub title: String,
    pub url: String,
    pub current: bool,
}

/// What a new version of the framework changed for me.
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

/// `GET /profile`: my profile against the trust's primary framework.
pub async fn show(
    State(state): State<AppState>,
    me: SignedIn,
    Query(query): Query<ProfileQuery>,
) -> Result<Html<String>, WebError> {
    let key = state.config.primary_framework.as_str().to_owned();
    profile_page(&state, me, None, &key, &query).await
}

/// `GET /profile/{key}`: my profile against any published framework.
pub async fn show_framework(
    State(state): State<AppState>,
    me: SignedIn,
    Path(key): Path<String>,
    Query(query): Query<ProfileQuery>,
) -> Result<Html<String>, WebError> {
    profile_page(&state, me, None, &key, &query).await
}

/// `GET /people/{person}/profile`: someone's profile, if they shared it with me.
pub async fn of_person(
    State(state): State<AppState>,
    me: SignedIn,
    Path(person): Path<String>,
    Query(query): Query<ProfileQuery>,
) -> Result<Html<String>, WebError> {
    let person = access::person_id(&person)?;
    let key = state.config.primary_framework.as_str().to_owned();
    profile_page(&state, me, Some(person), &key, &query).await
}

/// `GET /people/{person}/profile/{key}`: the same against any framework.
pub async fn of_person_framework(
    State(state): State<AppState>,
    me: SignedIn,
    Path((person, key)): Path<(String, String)>,
    Query(query): Query<ProfileQuery>,
) -> Result<Html<String>, WebError> {
    let person = access::person_id(&person)?;
    profile_page(&state, me, Some(person), &key, &query).await
}

/// The profile of `person` (me when `None`) against the framework `key`.
async fn profile_page(
    state: &AppState,
    me: SignedIn,
    person: Option<PersonId>,
    key: &str,
    query: &ProfileQuery,
) -> Result<Html<String>, WebError> {
    render(&profile_data(state, me, person, key, query).await?)
}

/// What the profile page shows (the profile report is made from it too).
pub(crate) async fn profile_data(
    state: &AppState,
    me: SignedIn,
    person: Option<PersonId>,
    key: &str,
    query: &ProfileQuery,
) -> Result<ProfilePage, WebError> {
    let no_evidence_filter = match query.filter.as_str() {
        "" => false,
        "no-evidence" => true,
        _ => {
            return Err(WebError::BadRequest(
                "The only filter is no-evidence.".into(),
            ));
        }
    };
    let stored = state.catalog.latest(key).ok_or(WebError::NotFound)?;
    let framework = &stored.framework;
    let access::Granted {
        owner,
        cycle,
        scope,
        own,
    } = access::reflections_of(
        state,
        &me,
        person.unwrap_or(me.person.id),
        Action::ReadReflections,
        stored,
    )
    .await?;
    let profile_url = |other: &leadkit_domain::framework::FrameworkKey| {
        if own {
            urls::profile_of(other)
        } else {
            urls::person_profile_of(owner.id, other)
        }
    };
    let others: Vec<FrameworkLink> = state
        .catalog
        .latest_versions()
        .into_iter()
        .map(|other| FrameworkLink {
            title: other.framework.title.clone(),
            url: profile_url(&other.framework.key),
            current: other.framework.key == framework.key,
        })
        .collect();
    let alignments = state.catalog.alignments();
    // Reading through another framework is offered on my own profile only.
    let through: Vec<FrameworkLink> = state
        .catalog
        .latest_versions()
        .into_iter()
        .filter(|_| own)
        .filter(|other| {
            alignments
                .between(&framework.key, &other.framework.key)
                .next()
                .is_some()
        })
        .map(|other| FrameworkLink {
            title: other.framework.title.clone(),
            url: urls::profile_through(&framework.key, &other.framework.key),
            current: false,
        })
        .collect();
    let sharing = if own {
        Some(sharing_panel(state, &me, &cycle, RecordKind::Reflections).await?)
    } else {
        None
    };
    let reflections = state.store.reflections(scope).await?;
    let version_notice = match state.catalog.previous(stored) {
        Some(previous) => {
            let earlier = state
                .store
                .reflections(ReflectionScope {
                    framework: previous.id,
                    ..scope
                })
                .await?;
            version_notice(&previous.framework, framework, &earlier)
        }
        None => None,
    };
    let summary = ProfileSummary::build(framework, &reflections);
    // Last cycle's levels, to compare with.
    let previous_cycle = state
        .store
        .previous_cycle(owner.trust, owner.school, &cycle)
        .await?;
    let previous_reflections = match (&previous_cycle, own) {
        (Some(previous), true) => {
            state
                .store
                .reflections(ReflectionScope {
                    cycle: previous.id,
                    ..scope
                })
                .await?
        }
        _ => Vec::new(),
    };
    // Goals and evidence show where they are mine or shared with me.
    let goals = if access::may(
        state,
        &me,
        &owner,
        &cycle,
        Action::ReadGoals,
        RecordKind::Goals,
    )
    .await?
    {
        state.store.goals_of(owner.id, cycle.id).await?
    } else {
        Vec::new()
    };
    let evidence_visible = access::may(
        state,
        &me,
        &owner,
        &cycle,
        Action::ReadEvidence,
        RecordKind::Evidence,
    )
    .await?;
    let evidence = if evidence_visible {
        state.store.evidence_of(owner.id, cycle.id).await?
    } else {
        Vec::new()
    };
    let tagged = |item: &Item| {
        evidence
            .iter()
            .filter(|e| {
                e.items
                    .iter()
                    .any(|tag| tag.framework == framework.key && tag.code == item.code)
            })
            .map(|e| {
                (
                    e.title.as_str().to_owned(),
                    e.on.to_string(),
                    e.file.as_ref().map(|_| urls::evidence_file(e.id)),
                )
            })
            .collect::<Vec<_>>()
    };
    let label_of = |judgement: Option<&Judgement>| -> (String, String) {
        match judgement {
            None => ("Not reflected yet".into(), "none".into()),
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
        }
    };
    let row = |item: &Item, reflection: Option<&Reflection>| {
        let (judgement, class) = label_of(reflection.and_then(|r| r.judgement.as_ref()));
        let previous = previous_reflections
            .iter()
            .find(|r| r.item == item.code)
            .and_then(|r| r.judgement.as_ref())
            .map(|j| label_of(Some(j)).0)
            .unwrap_or_default();
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
            goals: goals
                .iter()
                .filter(|g| {
                    g.items
                        .iter()
                        .any(|i| i.framework == framework.key && i.code == item.code)
                })
                .map(|g| (urls::goal(g.id), g.title.as_str().to_owned()))
                .collect(),
            evidence: tagged(item),
        }
    };
    let domains = framework
        .items
        .iter()
        .zip(summary.domains.iter())
        .map(|(domain, counts)| {
            let mut bars: Vec<CountView> = counts
                .per_level
                .iter()
                .map(|(level, count)| CountView {
                    label: label_of(Some(&Judgement::Level(level.clone()))).0,
                    count: *count,
                    percent: percent(*count, counts.total),
                    class: format!("level-{level}"),
                })
                .collect();
            for (label, count, class) in [
                ("Not yet", counts.not_yet, "not-yet"),
                ("Not in my role", counts.not_in_role, "not-in-role"),
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
                .filter(|group| {
                    framework
                        .path_to(&group.code)
                        .and_then(|path| path.first().map(|top| top.code == domain.code))
                        .unwrap_or(false)
                })
                .map(|group| GroupRows {
                    code: group.code.to_string(),
                    title: group.title.clone(),
                    reflect_url: urls::reflect_group(&framework.key, &group.code),
                    rows: group
                        .reflectable_children()
                        .map(|item| row(item, reflections.iter().find(|r| r.item == item.code)))
                        .filter(|row| !no_evidence_filter || row.evidence.is_empty())
                        .collect(),
                })
                .filter(|group: &GroupRows| !group.rows.is_empty())
                .collect();
            // My own growth since last cycle, over components judged in both.
            let growth = (!previous_reflections.is_empty()).then(|| {
                let rank = |j: Option<&Judgement>| match j {
                    Some(Judgement::NotYet) => Some(0),
                    Some(Judgement::Level(level)) => framework
                        .scale
                        .as_ref()
                        .and_then(|s| s.rank(level))
                        .map(|r| r + 1),
                    _ => None,
                };
                let mut moved = (0, 0, 0);
                for item in framework.reflectable_items().filter(|item| {
                    framework
                        .path_to(&item.code)
                        .and_then(|path| path.first().map(|top| top.code == domain.code))
                        .unwrap_or(false)
                }) {
                    let before = previous_reflections
                        .iter()
                        .find(|r| r.item == item.code)
                        .and_then(|r| rank(r.judgement.as_ref()));
                    let after = reflections
                        .iter()
                        .find(|r| r.item == item.code)
                        .and_then(|r| rank(r.judgement.as_ref()));
                    if let (Some(before), Some(after)) = (before, after) {
                        match after.cmp(&before) {
                            std::cmp::Ordering::Greater => moved.0 += 1,
                            std::cmp::Ordering::Equal => moved.1 += 1,
                            std::cmp::Ordering::Less => moved.2 += 1,
                        }
                    }
                }
                moved
            });
            DomainProfile {
                growth,
                heading: framework.heading(domain),
                code: domain.code.to_string(),
                title: domain.title.clone(),
                counts: bars,
                total: counts.total,
                groups,
            }
        })
        .collect();
    let progress = Progress::of(framework.reflectable_items().map(|i| &i.code), &reflections);
    let heading = if own {
        "My profile".to_owned()
    } else {
        format!("{}’s profile", owner.name.as_str())
    };
    let here = if own {
        urls::profile_of(&framework.key)
    } else {
        urls::person_profile_of(owner.id, &framework.key)
    };
    Ok(ProfilePage {
        previous_cycle: previous_cycle
            .filter(|_| !previous_reflections.is_empty())
            .map(|c| c.name),
        no_evidence_filter,
        filter_url: format!("{here}?filter=no-evidence"),
        unfiltered_url: here,
        evidence_visible,
        page: Page::new(heading.clone(), "profile", Some(&me)),
        heading,
        own,
        sharing,
        person_name: owner.name.as_str().to_owned(),
        job_title: owner.job_title.clone(),
        framework_title: framework.title.clone(),
        cycle_name: cycle.name,
        reflected: progress.reflected,
        total: progress.total,
        domains,
        frameworks: others,
        through,
        version_notice,
        reflect_url: framework
            .leaf_groups()
            .next()
            .map(|group| urls::reflect_group(&framework.key, &group.code))
            .unwrap_or_else(|| urls::REFLECT.to_owned()),
    })
}
