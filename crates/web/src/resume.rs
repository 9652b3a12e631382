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

/// A form posted after the session ended, carried through sign-in. On a
/// reflection page its changes are saved once the same person is back; any
/// other form is kept for the person and filled back in (see [`crate::kept`]).
#[derive(Debug, Clone, Default)]
pub struct Resume {
    /// The path the form was posted to.
    pub path: String,
    /// The page the form was on (for a reflection page, the same path).
    pub page: String,
    /// The anti-forgery token of the session that rendered the form.
    pub csrf: String,
    /// The form's fields, as they are posted to the sign-in page: a reflection
    /// form's own names (`j.…`, `n.…`), any other's prefixed with [`CARRY`].
    pub hidden: Vec<(String, String)>,
    /// One line per component or field, to show what is carried.
    pub summary: Vec<String>,
    /// Whether this is a reflection form (saved at sign-in) or any other
    /// (kept, and filled back into its form).
    pub reflection: bool,
}

/// The prefix of a carried field's name on the sign-in form, so that a carried
/// `email` cannot be taken for the sign-in form's own.
pub const CARRY: &str = "carry.";

/// The reflection fields of a form: judgements (`j.…`) and notes (`n.…`).
fn reflection_fields(fields: &[(String, String)]) -> Vec<(String, String)> {
    fields
        .iter()
        .filter(|(key, _)| key.starts_with("j.") || key.starts_with("n."))
        .cloned()
        .collect()
}

/// Up to five lines previewing what was typed into a form.
fn preview(fields: &[(String, String)]) -> Vec<String> {
    fields
        .iter()
        .filter(|(name, value)| crate::refill::is_carried(name) && !value.trim().is_empty())
        .filter(|(_, value)| value.chars().count() > 2)
        .take(5)
        .map(|(_, value)| {
            let short: String = value.chars().take(80).collect();
            if value.chars().count() > 80 {
                format!("{short}…")
            } else {
                short
            }
        })
        .collect()
}

impl Resume {
    /// Keeps a reflection form posted to `group` of `stored` by a session that
    /// has ended.
    pub fn keep(stored: &StoredFramework, group: &Item, fields: &[(String, String)]) -> Self {
        let carried = reflection_fields(fields);
        let path = urls::reflect_group(&stored.framework.key, &group.code);
        Self {
            page: path.clone(),
            path,
            csrf: field(fields, crate::auth::csrf::CSRF_FIELD)
                .unwrap_or_default()
                .to_owned(),
            summary: summarise(&stored.framework, &carried),
            hidden: carried,
            reflection: true,
        }
    }

    /// Keeps any other form, posted to `path` from `page`.
    pub fn keep_form(page: &str, path: &str, fields: &[(String, String)]) -> Self {
        Self {
            path: path.to_owned(),
            page: page.to_owned(),
            csrf: field(fields, crate::auth::csrf::CSRF_FIELD)
                .unwrap_or_default()
                .to_owned(),
            summary: preview(fields),
            hidden: fields
                .iter()
                .filter(|(name, _)| crate::refill::is_carried(name))
                .map(|(name, value)| (format!("{CARRY}{name}"), value.clone()))
                .collect(),
            reflection: false,
        }
    }

    /// The form's own fields, as it posted them (without the carrying prefix).
    pub fn fields(&self) -> Vec<(String, String)> {
        if self.reflection {
            return self.hidden.clone();
        }
        self.hidden
            .iter()
            .filter_map(|(name, value)| Some((name.strip_prefix(CARRY)?.to_owned(), value.clone())))
            .collect()
    }

    /// What a sign-in form carries back, if anything.
    pub fn carried_by(state: &AppState, fields: &[(String, String)]) -> Option<Self> {
        let path = field(fields, "resume_path")?.to_owned();
        let csrf = field(fields, "resume_csrf")?.to_owned();
        if !urls::is_local_path(&path) {
            return None;
        }
        if let Ok((stored, _)) = target(state, &path) {
            let carried = reflection_fields(fields);
            return Some(Self {
                page: path.clone(),
                path,
                csrf,
                summary: summarise(&stored.framework, &carried),
                hidden: carried,
                reflection: true,
            });
        }
        let page = field(fields, "resume_page")
            .filter(|page| urls::is_local_path(page))
            .unwrap_or(&path)
            .to_owned();
        let hidden: Vec<(String, String)> = fields
            .iter()
            .filter(|(name, _)| name.starts_with(CARRY))
            .cloned()
            .collect();
        let mut resume = Self {
            path,
            page,
            csrf,
            hidden,
            summary: Vec::new(),
            reflection: false,
        };
        resume.summary = preview(&resume.fields());
        Some(resume)
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
    let changes = planned_changes(&stored.framework, group, &reflections, &resume.hidden)
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
