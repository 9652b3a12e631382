//! `POST /people/{person}/coaching/views`: the coach's agreed levels and comments.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use leadkit_domain::framework::{Framework, ItemCode};
use leadkit_domain::reflection::{Judgement, Note};
use leadkit_store::coaching::CoachView;

use super::{coachee, primary};
use crate::access::{self, GrantedRecords};
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::extract::Form;
use crate::forms::{Pairs, field};
use crate::state::AppState;
use crate::urls;

/// The coach's views the form changes, one pair of fields per component; every
/// field is checked first, so one bad field saves nothing. Pure.
fn planned_views(
    framework: &Framework,
    existing: &[CoachView],
    pairs: &Pairs,
) -> Result<Vec<(ItemCode, Option<Judgement>, Note)>, WebError> {
    // Check everything first: one bad field saves nothing.
    let mut changes = Vec::new();
    for item in framework.reflectable_items() {
        let slug = item.code.slug();
        let level = field(pairs, &format!("level:{slug}"));
        let comment = field(pairs, &format!("comment:{slug}"));
        if level.is_none() && comment.is_none() {
            continue;
        }
        let before = existing.iter().find(|v| v.item == item.code);
        // A field the post leaves out keeps what is stored (a comment saved
        // on its own keeps the level, and the other way round).
        let judgement = match level.map(str::trim) {
            None => before.and_then(|v| v.judgement.clone()),
            Some("") => None,
            Some(raw) => Some(
                Judgement::parse(raw)
                    .ok()
                    .filter(|j| match j {
                        Judgement::Level(level) => framework
                            .scale
                            .as_ref()
                            .is_some_and(|s| s.level(level).is_some()),
                        _ => true,
                    })
                    .ok_or_else(|| {
                        WebError::InvalidFields(vec![(
                            format!("level:{slug}"),
                            format!(
                                "Choose a level from the list for {}; nothing was saved.",
                                item.code
                            ),
                        )])
                    })?,
            ),
        };
        let comment = match comment {
            None => before.map(|v| v.comment.as_str()).unwrap_or(""),
            Some(comment) => comment,
        };
        let comment = Note::parse(comment).map_err(|error| {
            WebError::InvalidFields(vec![(
                format!("comment:{slug}"),
                format!("{}: {}", item.code, error.message),
            )])
        })?;
        let unchanged = match before {
            Some(view) => view.judgement == judgement && view.comment == comment,
            None => judgement.is_none() && comment.is_empty(),
        };
        if !unchanged {
            changes.push((item.code.clone(), judgement, comment));
        }
    }
    let unknown = pairs.iter().any(|(key, _)| {
        let slug = key
            .strip_prefix("level:")
            .or_else(|| key.strip_prefix("comment:"));
        slug.is_some_and(|slug| framework.find_by_slug(slug).is_none())
    });
    if unknown {
        return Err(WebError::BadRequest(
            "The form names a component the framework does not have; nothing was saved.".into(),
        ));
    }
    Ok(changes)
}

/// `POST /people/{person}/coaching/views`: the coach's agreed levels and comments,
/// one pair of fields per component (`level:CODE`, `comment:CODE`); only
/// components whose fields changed are saved.
pub async fn save_views(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, WebError> {
    let GrantedRecords { owner, cycle, .. } = coachee(&state, &me, &raw).await?;
    access::writable(&state, &owner, &cycle).await?;
    let stored = primary(&state)?;
    let framework = &stored.framework;
    let existing = state
        .store
        .coach_views(owner.id, cycle.id, stored.id)
        .await?;
    let changes = planned_views(framework, &existing, &pairs)?;
    let views: Vec<CoachView> = changes
        .into_iter()
        .map(|(item, judgement, comment)| CoachView {
            item,
            coach_name: me.person.name.as_str().to_owned(),
            judgement,
            comment,
        })
        .collect();
    state
        .store
        .save_coach_views(
            owner.id,
            cycle.id,
            stored.id,
            me.person.id,
            &views,
            state.clock.now(),
        )
        .await?;
    // Back to the subdomain the views came from, or on to the next one.
    let groups: Vec<_> = framework.leaf_groups().collect();
    let shown = crate::forms::text(&pairs, "group");
    let to = match groups.iter().position(|g| g.code.slug() == shown) {
        Some(at) => {
            let next = crate::forms::text(&pairs, "then") == "next";
            let at = if next && at + 1 < groups.len() {
                at + 1
            } else {
                at
            };
            match groups.get(at) {
                Some(group) => format!(
                    "{}?group={}",
                    urls::person_coaching(owner.id),
                    group.code.slug()
                ),
                None => urls::person_coaching(owner.id),
            }
        }
        None => urls::person_coaching(owner.id),
    };
    Ok(Redirect::to(&to).into_response())
}
