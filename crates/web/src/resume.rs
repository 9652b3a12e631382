//! Nothing typed is lost when a session ends: a reflection form posted after the
//! session expired is carried through sign-in (as hidden fields of the sign-in
//! form, tied to the anti-forgery token of the session that rendered it) and
//! saved once the same person is back. The reflection page keeps a post; the
//! sign-in page replays it. Both read the form through [`planned_changes`].

use std::collections::HashMap;

use leadkit_domain::ValidationError;
use leadkit_domain::access::Action;
use leadkit_domain::framework::{Framework, Item};
use leadkit_domain::people::Person;
use leadkit_domain::reflection::{Judgement, Note, Reflection, ReflectionChange};
use leadkit_store::frameworks::StoredFramework;

use crate::access;
use crate::error::WebError;
use crate::forms::field;
use crate::state::AppState;
use crate::urls;

/// Changes typed on the reflection form after the session ended, carried through
/// sign-in so that they are saved once the same person is back.
#[derive(Debug, Clone, Default)]
pub struct Resume {
    /// The reflection page the form came from.
    pub path: String,
    /// The anti-forgery token of the session that rendered the form.
    pub csrf: String,
    /// The form's fields (`j.…` judgements, `n.…` notes).
    pub fields: Vec<(String, String)>,
    /// One line per component, to show what will be saved.
    pub summary: Vec<String>,
}

/// The reflection fields of a form: judgements (`j.…`) and notes (`n.…`).
fn reflection_fields(fields: &[(String, String)]) -> Vec<(String, String)> {
    fields
        .iter()
        .filter(|(key, _)| key.starts_with("j.") || key.starts_with("n."))
        .cloned()
        .collect()
}

impl Resume {
    /// Keeps a reflection form posted to `group` of `stored` by a session that
    /// has ended.
    pub fn keep(stored: &StoredFramework, group: &Item, fields: &[(String, String)]) -> Self {
        let carried = reflection_fields(fields);
        Self {
            path: urls::reflect_group(&stored.framework.key, &group.code),
            csrf: field(fields, crate::auth::csrf::CSRF_FIELD)
                .unwrap_or_default()
                .to_owned(),
            summary: summarise(&stored.framework, &carried),
            fields: carried,
        }
    }

    /// The changes a sign-in form carries back, if any (only to a reflection page).
    pub fn carried_by(state: &AppState, fields: &[(String, String)]) -> Option<Self> {
        let path = field(fields, "resume_path")?.to_owned();
        let csrf = field(fields, "resume_csrf")?.to_owned();
        let (stored, _) = target(state, &path).ok()?;
        let carried = reflection_fields(fields);
        Some(Self {
            path,
            csrf,
            summary: summarise(&stored.framework, &carried),
            fields: carried,
        })
    }
}

/// The framework and subdomain a reflection page's path names.
fn target<'a>(
    state: &'a AppState,
    path: &str,
) -> Result<(&'a StoredFramework, &'a Item), WebError> {
    if !urls::is_local_path(path) || !path.starts_with(urls::REFLECT) {
        return Err(WebError::NotFound);
    }
    let mut segments = path
        .trim_start_matches(urls::REFLECT)
        .trim_start_matches('/')
        .splitn(2, '/');
    let (Some(key), Some(slug)) = (segments.next(), segments.next()) else {
        return Err(WebError::NotFound);
    };
    let stored = state.catalog.latest(key).ok_or(WebError::NotFound)?;
    Ok((stored, reflection_group(stored, slug)?))
}

/// The subdomain (a group of reflectable components) a reflection page shows.
pub fn reflection_group<'a>(stored: &'a StoredFramework, slug: &str) -> Result<&'a Item, WebError> {
    stored
        .framework
        .find_by_slug(slug)
        .filter(|item| item.is_leaf_group())
        .ok_or(WebError::NotFound)
}

/// Saves changes carried through sign-in, for the person who has just signed in.
/// Invalid changes are refused like any other post (nothing saved).
pub async fn save(state: &AppState, person: &Person, resume: &Resume) -> Result<(), WebError> {
    let (stored, group) = target(state, &resume.path)?;
    let scope = access::my_reflections(state, person, Action::WriteReflections, stored)
        .await?
        .scope;
    let reflections = state.store.reflections(scope).await?;
    let changes = planned_changes(&stored.framework, group, &reflections, &resume.fields)
        .map_err(|errors| WebError::Invalid(errors.into_values().collect()))?;
    state
        .store
        .save_reflections(scope, &changes, state.clock.now())
        .await?;
    Ok(())
}

/// Works out the changes a posted form asks for, validating every component first.
/// A component is changed only when its judgement or note differs from what is stored.
pub fn planned_changes(
    framework: &Framework,
    group: &Item,
    reflections: &[Reflection],
    fields: &[(String, String)],
) -> Result<Vec<ReflectionChange>, HashMap<String, ValidationError>> {
    let mut changes = Vec::new();
    let mut errors = HashMap::new();
    for item in group.reflectable_children() {
        let slug = item.code.slug();
        let stored = reflections.iter().find(|r| r.item == item.code);
        let judgement = match field(fields, &format!("j.{slug}")).filter(|v| !v.is_empty()) {
            Some(crate::forms::CLEAR_CHOICE) => None,
            Some(raw) => match Judgement::parse(raw) {
                Ok(judgement) => Some(judgement),
                Err(error) => {
                    errors.insert(item.code.to_string(), error);
                    continue;
                }
            },
            None => stored.and_then(|r| r.judgement.clone()),
        };
        let note = match field(fields, &format!("n.{slug}")) {
            Some(raw) => match Note::parse(raw) {
                Ok(note) => note,
                Err(error) => {
                    errors.insert(item.code.to_string(), error);
                    continue;
                }
            },
            None => stored.map(|r| r.note.clone()).unwrap_or_default(),
        };
        let unchanged = match stored {
            Some(r) => r.judgement == judgement && r.note == note,
            None => judgement.is_none() && note.is_empty(),
        };
        if unchanged {
            continue;
        }
        match ReflectionChange::validate(framework, item.code.clone(), judgement, note) {
            Ok(change) => changes.push(change),
            Err(error) => {
                errors.insert(item.code.to_string(), error);
            }
        }
    }
    if errors.is_empty() {
        Ok(changes)
    } else {
        Err(errors)
    }
}

/// One line per component with carried changes, for the sign-in page.
pub fn summarise(framework: &Framework, fields: &[(String, String)]) -> Vec<String> {
    let mut lines = Vec::new();
    for (key, value) in fields {
        let Some(slug) = key.strip_prefix("j.") else {
            continue;
        };
        if value.is_empty() {
            continue;
        }
        lines.push(format!(
            "{}: {}",
            slug.replace('-', " "),
            Judgement::parse(value)
                .map_or_else(|_| value.clone(), |j| framework.judgement_label(&j))
        ));
    }
    for (key, value) in fields {
        let Some(slug) = key.strip_prefix("n.") else {
            continue;
        };
        if value.trim().is_empty() {
            continue;
        }
        let preview: String = value.chars().take(80).collect();
        let more = if value.chars().count() > 80 {
            "…"
        } else {
            ""
        };
        lines.push(format!("{} note: {preview}{more}", slug.replace('-', " ")));
    }
    lines
}
