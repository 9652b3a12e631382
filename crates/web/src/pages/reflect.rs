//! The reflection form: one page per subdomain, each component's descriptors side by
//! side. With JavaScript every choice and note saves as it is made (through the
//! JSON API); without it the page is a plain form that saves on submit. If the
//! session has ended, the typed text is carried through sign-in and saved then.

use std::collections::HashMap;

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use leadkit_domain::ValidationError;
use leadkit_domain::cycle::Cycle;
use leadkit_domain::framework::{Framework, Item};
use leadkit_domain::reflection::{Judgement, Progress, Reflection};
use leadkit_store::frameworks::StoredFramework;
use serde::Deserialize;

use crate::access;
use crate::auth::sign_in_form;
use crate::auth::{MaybeSignedIn, SignedIn};
use crate::error::WebError;
use crate::extract::Form;
use crate::forms::field;
use crate::page_cache::{PageInputs, PageKey};
use crate::pages::{Page, render};
use crate::resume::{Resume, planned_changes, reflection_group as find_group};
use crate::state::AppState;
use crate::urls;
use crate::views::MISSING_DESCRIPTOR;

/// `GET /reflect`: the first subdomain not yet complete.
pub async fn start(State(state): State<AppState>, me: SignedIn) -> Result<Redirect, WebError> {
    let stored = state
        .catalog
        .latest(state.config.primary_framework.as_str())
        .ok_or(WebError::NotFound)?;
    let framework = &stored.framework;
    let reflections = match access::current_scope(&state, &me, stored).await? {
        Some((_, scope)) => state.store.reflections(scope).await?,
        None => Vec::new(),
    };
    let group = framework
        .leaf_groups()
        .find(|group| !group_progress(group, &reflections).is_complete())
        .or_else(|| framework.leaf_groups().next())
        .ok_or(WebError::NotFound)?;
    Ok(Redirect::to(&urls::reflect_group(
        &framework.key,
        &group.code,
    )))
}

pub struct OptionView {
    pub value: String,
    pub label: String,
    pub descriptor: String,
    pub missing: bool,
    pub checked: bool,
    /// "level" for a descriptor, "summary" for a level without descriptors,
    /// "other" for not yet / not in my role.
    pub kind: &'static str,
}

pub struct ComponentForm {
    pub code: String,
    pub slug: String,
    pub title: String,
    pub options: Vec<OptionView>,
    pub note: String,
    pub error: Option<String>,
    pub api_url: String,
    pub updated_at: i64,
    /// The stored reflection's version ("" if none): what a
    /// change made on this page is based on, so a change made elsewhere since
    /// is never silently overwritten.
    pub version: String,
    pub reflected: bool,
}

pub struct NavGroup {
    pub code: String,
    pub title: String,
    pub url: String,
    pub reflected: usize,
    pub total: usize,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "reflect/group.html")]
pub struct ReflectPage {
    pub page: Page,
    pub framework_title: String,
    pub cycle_name: String,
    pub domain_title: String,
    /// Shown before each descriptor ("A leader will"), if the framework has one.
    pub lead_in: String,
    pub domain_introduction: Vec<String>,
    pub group_code: String,
    pub group_title: String,
    pub components: Vec<ComponentForm>,
    pub nav: Vec<NavGroup>,
    pub reflected: usize,
    pub total: usize,
    pub group_reflected: usize,
    pub group_total: usize,
    pub errors: Vec<String>,
    pub notice: Option<String>,
    pub form_action: String,
    pub previous_url: Option<String>,
    pub next_url: Option<String>,
    /// Identifies this person's drafts in the browser's storage.
    pub draft_key: String,
    /// What this framework's reflectable items and their pages are called:
    /// "component"/"subdomain" where items have descriptors (the Toolkit),
    /// "item"/"group" otherwise.
    pub item_word: &'static str,
    pub group_word: &'static str,
    pub has_descriptors: bool,
}

fn group_progress(group: &Item, reflections: &[Reflection]) -> Progress {
    Progress::of(group.reflectable_children().map(|c| &c.code), reflections)
}

fn option_views(framework: &Framework, item: &Item, chosen: Option<&str>) -> Vec<OptionView> {
    let mut options: Vec<OptionView> = framework
        .scale
        .iter()
        .flat_map(|scale| scale.levels.iter())
        .map(|level| {
            // An item without descriptors (a framework that has none) is judged
            // against the level's own summary; a descriptor missing from the
            // published source is said to be missing.
            let (descriptor, missing, kind) = match item.descriptor(&level.code) {
                Some(Some(text)) => (text.to_owned(), false, "level"),
                Some(None) => (MISSING_DESCRIPTOR.to_owned(), true, "level"),
                None => (level.summary.clone(), false, "summary"),
            };
            OptionView {
                value: level.code.to_string(),
                label: level.label.clone(),
                descriptor,
                missing,
                checked: chosen == Some(level.code.as_str()),
                kind,
            }
        })
        .collect();
    for (value, label, descriptor) in [
        (
            Judgement::NOT_YET,
            "Not yet",
            "None of these describes my impact yet.",
        ),
        (
            Judgement::NOT_IN_ROLE,
            "Not in my role",
            "This is not part of my role: leave it out of my gaps and counts.",
        ),
    ] {
        options.push(OptionView {
            value: value.into(),
            label: label.into(),
            descriptor: descriptor.into(),
            missing: false,
            checked: chosen == Some(value),
            kind: "other",
        });
    }
    // The way back from a choice made by mistake.
    options.push(OptionView {
        value: crate::forms::CLEAR_CHOICE.into(),
        label: "No choice yet".into(),
        descriptor: "Leave this without a choice for now (this clears a choice made by mistake)."
            .into(),
        missing: false,
        checked: chosen.is_none() || chosen == Some(crate::forms::CLEAR_CHOICE),
        kind: "other",
    });
    options
}

/// What the form shows for one component: the posted values when re-showing a
/// form with errors, else what is stored.
struct Shown<'a> {
    judgement: Option<&'a str>,
    note: &'a str,
}

#[allow(clippy::too_many_arguments)]
fn page_view(
    me: &SignedIn,
    framework: &Framework,
    group: &Item,
    cycle: &Cycle,
    reflections: &[Reflection],
    posted: Option<&[(String, String)]>,
    errors: &HashMap<String, ValidationError>,
    notice: Option<String>,
) -> ReflectPage {
    let path = framework.path_to(&group.code).unwrap_or_default();
    let domain = path.first().copied().unwrap_or(group);
    let groups: Vec<&Item> = framework.leaf_groups().collect();
    let has_descriptors = framework.walk().any(|item| !item.descriptors.is_empty());
    let position = groups
        .iter()
        .position(|g| g.code == group.code)
        .unwrap_or(0);
    let nav = groups
        .iter()
        .map(|g| {
            let progress = group_progress(g, reflections);
            NavGroup {
                code: g.code.to_string(),
                title: g.title.clone(),
                url: urls::reflect_group(&framework.key, &g.code),
                reflected: progress.reflected,
                total: progress.total,
                current: g.code == group.code,
            }
        })
        .collect();
    let components = group
        .reflectable_children()
        .map(|item| {
            let slug = item.code.slug();
            let stored = reflections.iter().find(|r| r.item == item.code);
            let shown = match posted {
                Some(fields) => Shown {
                    judgement: field(fields, &format!("j.{slug}"))
                        .or(stored.and_then(|r| r.judgement.as_ref().map(Judgement::as_str))),
                    note: field(fields, &format!("n.{slug}"))
                        .unwrap_or_else(|| stored.map_or("", |r| r.note.as_str())),
                },
                None => Shown {
                    judgement: stored.and_then(|r| r.judgement.as_ref().map(Judgement::as_str)),
                    note: stored.map_or("", |r| r.note.as_str()),
                },
            };
            ComponentForm {
                code: item.code.to_string(),
                title: item.title.clone(),
                options: option_views(framework, item, shown.judgement),
                note: shown.note.to_owned(),
                error: errors.get(item.code.as_str()).map(|e| e.message.clone()),
                api_url: urls::api_reflection(&framework.key, &item.code),
                updated_at: stored.map_or(0, |r| r.updated_at.unix_timestamp()),
                version: stored
                    .map(crate::views::reflection_version)
                    .unwrap_or_default(),
                reflected: stored.is_some_and(|r| r.judgement.is_some()),
                slug,
            }
        })
        .collect();
    let total = Progress::of(framework.reflectable_items().map(|i| &i.code), reflections);
    let this_group = group_progress(group, reflections);
    let mut error_lines: Vec<String> = errors
        .iter()
        .map(|(code, error)| format!("{code}: {}", error.message))
        .collect();
    error_lines.sort();
    ReflectPage {
        page: Page::new(
            format!("Reflect: {} {}", group.code, group.title),
            "reflect",
            Some(me),
        ),
        framework_title: framework.title.clone(),
        cycle_name: cycle.name.clone(),
        domain_title: framework.heading(domain),
        lead_in: framework.descriptor_lead_in.clone(),
        domain_introduction: domain.introduction.clone(),
        group_code: group.code.to_string(),
        group_title: group.title.clone(),
        components,
        nav,
        reflected: total.reflected,
        total: total.total,
        group_reflected: this_group.reflected,
        group_total: this_group.total,
        errors: error_lines,
        notice,
        form_action: urls::reflect_group(&framework.key, &group.code),
        previous_url: position
            .checked_sub(1)
            .and_then(|i| groups.get(i))
            .map(|g| urls::reflect_group(&framework.key, &g.code)),
        next_url: groups
            .get(position + 1)
            .map(|g| urls::reflect_group(&framework.key, &g.code)),
        draft_key: format!(
            "leadkit-draft:{}:{}:{}",
            me.person.id, cycle.id, framework.key
        ),
        item_word: if has_descriptors { "component" } else { "item" },
        group_word: if has_descriptors {
            "subdomain"
        } else {
            "group"
        },
        has_descriptors,
    }
}

#[derive(Deserialize)]
pub struct ShowQuery {
    saved: Option<String>,
    resumed: Option<String>,
}

fn no_cycle() -> WebError {
    WebError::BadRequest(
        "No reflection cycle is open for your trust yet. Ask your administrator to open one."
            .into(),
    )
}

pub async fn show(
    State(state): State<AppState>,
    me: SignedIn,
    Path((key, slug)): Path<(String, String)>,
    Query(query): Query<ShowQuery>,
) -> Result<Response, WebError> {
    let stored = state.catalog.latest(&key).ok_or(WebError::NotFound)?;
    let group = find_group(stored, &slug)?;
    let (cycle, scope) = access::current_scope(&state, &me, stored)
        .await?
        .ok_or_else(no_cycle)?;
    let reflections = state.store.shared_reflections(scope).await?;
    let notice = if query.resumed.is_some() {
        Some("Welcome back. The changes you made before your session ended are saved.".to_owned())
    } else if query.saved.is_some() {
        Some("Saved.".to_owned())
    } else {
        None
    };
    // A page with a one-off notice is never kept; the plain page is, while the
    // store's read cache can say that its reflections have not changed.
    let cacheable = notice.is_none() && state.store.has_read_cache();
    let key = PageKey {
        person: me.person.id.0,
        framework: stored.id.0,
        group: group.code.to_string(),
    };
    let inputs = PageInputs {
        reflections: reflections.clone(),
        cycle: cycle.clone(),
        user_name: me.person.name.as_str().to_owned(),
        csrf: me.csrf_token.clone(),
    };
    if cacheable && let Some(body) = state.pages.get(&key, &inputs) {
        return Ok(Html(body).into_response());
    }
    let body = Bytes::from(
        page_view(
            &me,
            &stored.framework,
            group,
            &cycle,
            &reflections,
            None,
            &HashMap::new(),
            notice,
        )
        .render()?,
    );
    if cacheable {
        state.pages.put(key, inputs, body.clone());
    }
    Ok(Html(body).into_response())
}

/// `POST /reflect/{framework}/{group}`: the no-JavaScript save of a whole page.
pub async fn save(
    State(state): State<AppState>,
    MaybeSignedIn(me): MaybeSignedIn,
    Path((key, slug)): Path<(String, String)>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let stored = state.catalog.latest(&key).ok_or(WebError::NotFound)?;
    let group = find_group(stored, &slug)?;
    let Some(me) = me else {
        // The session ended while they typed: keep every field and ask them to sign
        // in again; nothing is saved until the same person is back.
        let resume = Resume::keep(stored, group, &fields);
        return sign_in_form::respond(
            &state,
            &headers,
            StatusCode::UNAUTHORIZED,
            String::new(),
            resume.path.clone(),
            Some("Your session ended before these changes were saved. Sign in again and they will be saved.".into()),
            Some(resume),
        ).await;
    };
    let (cycle, scope) = access::current_scope(&state, &me, stored)
        .await?
        .ok_or_else(no_cycle)?;
    let reflections = state.store.reflections(scope).await?;
    match planned_changes(&stored.framework, group, &reflections, &fields) {
        Ok(changes) => {
            state
                .store
                .save_reflections(scope, &changes, state.clock.now())
                .await?;
            let target = match (field(&fields, "then"), nav_target(stored, group)) {
                (Some("next"), Some(next)) => next,
                _ => format!(
                    "{}?saved=1",
                    urls::reflect_group(&stored.framework.key, &group.code)
                ),
            };
            Ok(Redirect::to(&target).into_response())
        }
        Err(errors) => {
            let page = page_view(
                &me,
                &stored.framework,
                group,
                &cycle,
                &reflections,
                Some(&fields),
                &errors,
                None,
            );
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
    }
}

fn nav_target(stored: &StoredFramework, group: &Item) -> Option<String> {
    let groups: Vec<&Item> = stored.framework.leaf_groups().collect();
    let position = groups.iter().position(|g| g.code == group.code)?;
    groups
        .get(position + 1)
        .map(|g| urls::reflect_group(&stored.framework.key, &g.code))
}
