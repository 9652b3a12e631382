//! Evidence: the portfolio page, adding to it, and a file's download and deletion.
//! What they share is here: the portfolio page's loader and pure view, which the
//! list shows and a refused add shows again with the form as the person left it.

pub mod add;
pub mod file;
pub mod list;

use crate::access::{self, GrantedRecords};
use crate::auth::SignedIn;
use crate::forms::{item_ref, resolve_item};
use crate::pages::{Page, render};
use crate::state::AppState;
use crate::urls;
use crate::views::{SharingPanel, sharing_panel};
use askama::Template;
use axum::response::Html;
use leadkit_domain::access::Action;
use leadkit_domain::access::RecordKind;
use leadkit_domain::cycle::Cycle;
use leadkit_domain::evidence::ACCEPTED;
use leadkit_domain::evidence::Evidence;
use leadkit_domain::evidence::EvidenceId;
use leadkit_domain::framework::{Framework, Item};
use leadkit_domain::goal::Goal;
use leadkit_domain::people::Person;
use leadkit_domain::people::PersonId;
use leadkit_store::files::FileError;
use time::Date;

use crate::error::WebError;

pub(super) fn file_error(error: FileError) -> WebError {
    WebError::Internal(error.to_string())
}

pub(super) fn evidence_id(raw: &str) -> Result<EvidenceId, WebError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(EvidenceId)
        .ok_or(WebError::NotFound)
}

/// The evidence an address names, or "not found".
pub(super) async fn evidence_named(
    state: &crate::state::AppState,
    raw: &str,
) -> Result<leadkit_domain::evidence::Evidence, WebError> {
    match state.store.evidence(evidence_id(raw)?).await {
        Ok(evidence) => Ok(evidence),
        Err(leadkit_store::StoreError::NotFound) => Err(WebError::NotFound),
        Err(error) => Err(error.into()),
    }
}

pub struct EvidenceView {
    pub id: i64,
    pub title: String,
    pub on: String,
    pub note: String,
    pub link: Option<String>,
    pub file: Option<(String, String)>,
    pub items: Vec<String>,
    pub goals: Vec<(String, String)>,
    pub delete_url: String,
}

/// What the person typed into the form, shown again when it is refused, with
/// each problem beside its field.
#[derive(Default)]
pub struct FormState {
    pub title: String,
    pub on: String,
    pub note: String,
    pub link: String,
    /// The item references ticked.
    pub items: Vec<String>,
    /// The goal ids ticked.
    pub goals: Vec<String>,
    /// (field, message), in the form's order.
    pub errors: Vec<(&'static str, String)>,
}

impl FormState {
    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
}

/// One framework in the tagging checklist.
pub struct TagFramework {
    pub key: String,
    pub title: String,
    pub open: bool,
    pub groups: Vec<TagGroup>,
}

/// A group of items in the checklist (a subdomain).
pub struct TagGroup {
    pub heading: String,
    pub items: Vec<ItemOption>,
    /// Open when it holds a ticked item; folded otherwise.
    pub open: bool,
    pub ticked: usize,
}

pub struct ItemOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct GoalOption {
    pub id: i64,
    pub title: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "evidence/list.html")]
pub struct EvidencePage {
    pub page: Page,
    pub heading: String,
    pub own: bool,
    pub cycle_name: String,
    pub evidence: Vec<EvidenceView>,
    pub tags: Vec<TagFramework>,
    pub goals: Vec<GoalOption>,
    pub today: String,
    pub limit_mb: u64,
    pub accepted: &'static str,
    pub sharing: Option<SharingPanel>,
    pub form: FormState,
}

/// What the evidence page shows, as loaded for the person asking.
pub struct Loaded<'a> {
    pub owner: Person,
    pub cycle: Cycle,
    pub own: bool,
    pub evidence: Vec<Evidence>,
    pub goals: Vec<Goal>,
    /// The item the form is tagged to in advance, if any (my own page only).
    pub preselected: Option<(&'a Framework, &'a Item)>,
    /// Every framework's current version, the primary one first: the form
    /// offers all their items as tags (my own page only).
    pub frameworks: Vec<&'a Framework>,
    pub sharing: Option<SharingPanel>,
    pub today: Date,
    pub limit_mb: u64,
}

pub async fn load<'a>(
    state: &'a AppState,
    me: &SignedIn,
    person: PersonId,
    preselected: &str,
) -> Result<Loaded<'a>, WebError> {
    let GrantedRecords { owner, cycle, own } = access::records_of(
        state,
        me,
        person,
        None,
        Action::ReadEvidence,
        RecordKind::Evidence,
    )
    .await?;
    let sharing = match own {
        true => Some(sharing_panel(state, me, &cycle, RecordKind::Evidence).await?),
        false => None,
    };
    Ok(Loaded {
        evidence: state.store.evidence_of(owner.id, cycle.id).await?,
        goals: state.store.goals_of(owner.id, cycle.id).await?,
        preselected: (own && !preselected.is_empty())
            .then(|| resolve_item(state, preselected).ok())
            .flatten()
            .map(|(stored, item)| (&stored.framework, item)),
        frameworks: match own {
            false => Vec::new(),
            true => {
                let mut all: Vec<&Framework> = state
                    .catalog
                    .latest_versions()
                    .into_iter()
                    .map(|stored| &stored.framework)
                    .collect();
                let primary = state.config.primary_framework.as_str();
                all.sort_by_key(|f| f.key.as_str() != primary);
                all
            }
        },
        owner,
        cycle,
        own,
        sharing,
        today: state.clock.now().date(),
        limit_mb: state.files.limit() / (1024 * 1024),
    })
}

/// The tagging checklist: every framework's items, grouped as the framework
/// groups them (the Toolkit's domains and subdomains, say), each ticked if the
/// person came from it or ticked it before a refusal. The framework holding a
/// ticked item, else the primary one, is open; the others are folded.
fn tag_frameworks(loaded: &Loaded, form: &FormState) -> Vec<TagFramework> {
    let chosen = loaded
        .preselected
        .map(|(framework, item)| item_ref(framework, &item.code));
    let ticked =
        |value: &str| form.items.iter().any(|v| v == value) || chosen.as_deref() == Some(value);
    let mut shown: Vec<TagFramework> = loaded
        .frameworks
        .iter()
        .map(|framework| {
            let mut groups = Vec::new();
            collect_groups(framework, &framework.items, "", &mut groups, &ticked);
            let open = groups.iter().any(|g| g.items.iter().any(|i| i.selected));
            TagFramework {
                key: framework.key.as_str().to_owned(),
                title: framework.title.clone(),
                open,
                groups,
            }
        })
        .collect();
    if !shown.iter().any(|f| f.open)
        && let Some(first) = shown.first_mut()
    {
        first.open = true;
    }
    shown
}

/// Walks a framework's tree, one group per item that gathers reflectable
/// items, headed by the path to it ("Domain 1 Strategic leadership › 1a …").
fn collect_groups(
    framework: &Framework,
    items: &[Item],
    path: &str,
    groups: &mut Vec<TagGroup>,
    ticked: &dyn Fn(&str) -> bool,
) {
    for item in items {
        let heading = match path {
            "" => framework.heading(item),
            path => format!("{path} › {}", framework.heading(item)),
        };
        if item.is_leaf_group() {
            let items: Vec<ItemOption> = item
                .reflectable_children()
                .map(|child| {
                    let value = item_ref(framework, &child.code);
                    ItemOption {
                        selected: ticked(&value),
                        label: format!("{} {}", child.code, child.title),
                        value,
                    }
                })
                .collect();
            let ticked = items.iter().filter(|i| i.selected).count();
            groups.push(TagGroup {
                heading: heading.clone(),
                open: ticked > 0,
                ticked,
                items,
            });
        }
        let deeper: Vec<Item> = item
            .children
            .iter()
            .filter(|child| !child.is_reflectable())
            .cloned()
            .collect();
        if !deeper.is_empty() {
            let path = if path.is_empty() {
                framework.heading(item)
            } else {
                heading
            };
            collect_groups(framework, &deeper, &path, groups, ticked);
        }
    }
}

fn evidence_view(loaded: &Loaded, e: &Evidence) -> EvidenceView {
    EvidenceView {
        id: e.id.0,
        title: e.title.as_str().to_owned(),
        on: crate::views::long_date(e.on),
        note: e.note.as_str().to_owned(),
        link: e.link.as_ref().map(|l| l.as_str().to_owned()),
        file: e.file.as_ref().map(|f| {
            (
                urls::evidence_file(e.id),
                format!("{} ({} KB)", f.name, f.size.div_ceil(1024)),
            )
        }),
        items: e
            .items
            .iter()
            .map(|i| format!("{} {}", i.code, i.title))
            .collect(),
        goals: e
            .goals
            .iter()
            .filter_map(|id| loaded.goals.iter().find(|g| g.id == *id))
            .map(|g| (urls::goal(g.id), g.title.as_str().to_owned()))
            .collect(),
        delete_url: urls::evidence_delete(e.id),
    }
}

/// Shapes the evidence page from what was loaded, with the form as the person
/// left it (empty when they have not posted). Pure.
pub fn view(loaded: &Loaded, form: FormState, page: impl FnOnce(&str) -> Page) -> EvidencePage {
    let heading = match loaded.own {
        true => "My evidence".to_owned(),
        false => format!("{}’s evidence", loaded.owner.name.as_str()),
    };
    EvidencePage {
        page: page(&heading),
        heading,
        own: loaded.own,
        cycle_name: loaded.cycle.name.clone(),
        evidence: loaded
            .evidence
            .iter()
            .map(|e| evidence_view(loaded, e))
            .collect(),
        tags: tag_frameworks(loaded, &form),
        goals: loaded
            .goals
            .iter()
            .filter(|_| loaded.own)
            .map(|g| GoalOption {
                id: g.id.0,
                title: g.title.as_str().to_owned(),
                checked: form.goals.contains(&g.id.0.to_string()),
            })
            .collect(),
        today: match form.on.is_empty() {
            true => loaded.today.to_string(),
            false => form.on.clone(),
        },
        limit_mb: loaded.limit_mb,
        accepted: ACCEPTED,
        sharing: loaded.sharing.clone(),
        form,
    }
}

pub async fn evidence_page(
    state: &AppState,
    me: SignedIn,
    person: PersonId,
    preselected: &str,
) -> Result<Html<String>, WebError> {
    let loaded = load(state, &me, person, preselected).await?;
    render(&view(&loaded, FormState::default(), |heading| {
        Page::new(heading.to_owned(), "evidence", Some(&me))
    }))
}
