//! Reflections over JSON: read mine, save one, and (refused unless it is mine)
//! read another person's.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use leadkit_domain::access::Action;
use leadkit_domain::framework::ItemCode;
use leadkit_domain::people::PersonId;
use leadkit_domain::profile::ProfileSummary;
use leadkit_domain::reflection::{Judgement, Note, Progress, Reflection, ReflectionChange};
use leadkit_store::frameworks::StoredFramework;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::access;
use crate::access::current_scope;
use crate::auth::ApiUser;
use crate::auth::SignedIn;
use crate::error::{ApiError, ErrorBody, WebError};
use crate::extract::Json;
use crate::state::AppState;
use crate::views;

#[derive(Serialize, ToSchema)]
pub struct ReflectionView {
    /// The item's code, e.g. "1a i".
    pub item: String,
    /// A level code of the framework's scale, "not_yet", "not_in_role", or null.
    pub judgement: Option<String>,
    pub note: String,
    /// RFC 3339.
    pub updated_at: String,
    /// This state of the reflection, for `based_on` when changing it: its time
    /// and a fingerprint of its level and note (times are kept to the second).
    pub version: String,
}

#[derive(Serialize, ToSchema)]
pub struct ProgressView {
    pub reflected: usize,
    pub total: usize,
}

#[derive(Serialize, ToSchema)]
pub struct CycleView {
    pub id: i64,
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
}

#[derive(Serialize, ToSchema)]
pub struct Reflections {
    pub framework: String,
    pub version: String,
    pub cycle: CycleView,
    pub progress: ProgressView,
    pub reflections: Vec<ReflectionView>,
}

/// What to save for one item. Both fields are the whole new state.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReflectionInput {
    /// A level code ("some", "high", "highest"), "not_yet", "not_in_role", or null.
    pub judgement: Option<String>,
    /// At most 5,000 characters.
    #[serde(default)]
    pub note: String,
    /// The `version` of the reflection this change was made from ("" if there
    /// was none yet), for a change made offline or on a page open a while. If the
    /// stored reflection has changed since (on another device, say) and differs
    /// from this one, nothing is saved: the answer is 409 with the stored one, so
    /// that the person can choose. Without it the save always applies.
    #[serde(default)]
    pub based_on: Option<String>,
}

/// The answer when a change was made from an older reflection than the stored one.
#[derive(Serialize, ToSchema)]
pub struct ChangedElsewhere {
    pub error: String,
    /// The reflection as it is stored now.
    pub reflection: ReflectionView,
}

#[derive(Serialize, ToSchema)]
pub struct SavedReflection {
    pub reflection: ReflectionView,
    /// Progress through the whole framework after this save.
    pub progress: ProgressView,
}

fn view(reflection: &Reflection) -> ReflectionView {
    ReflectionView {
        version: views::reflection_version(reflection),
        item: reflection.item.to_string(),
        judgement: reflection.judgement.as_ref().map(|j| j.as_str().to_owned()),
        note: reflection.note.as_str().to_owned(),
        updated_at: reflection
            .updated_at
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
    }
}

fn progress(stored: &StoredFramework, reflections: &[Reflection]) -> ProgressView {
    let progress = Progress::of(
        stored.framework.reflectable_items().map(|i| &i.code),
        reflections,
    );
    ProgressView {
        reflected: progress.reflected,
        total: progress.total,
    }
}

fn no_cycle() -> WebError {
    WebError::BadRequest("No reflection cycle is open for your trust yet.".into())
}

async fn reflections_of(
    state: &AppState,
    me: &SignedIn,
    person: PersonId,
    key: &str,
) -> Result<Reflections, ApiError> {
    let stored = state.catalog.latest(key).ok_or(WebError::NotFound)?;
    let access::Granted { cycle, scope, .. } =
        access::reflections_of(state, me, person, Action::ReadReflections, stored).await?;
    let reflections = state.store.reflections(scope).await?;
    Ok(Reflections {
        framework: stored.framework.key.to_string(),
        version: stored.framework.version.clone(),
        cycle: CycleView {
            id: cycle.id.0,
            name: cycle.name,
            starts_on: cycle.starts_on.to_string(),
            ends_on: cycle.ends_on.to_string(),
        },
        progress: progress(stored, &reflections),
        reflections: reflections.iter().map(view).collect(),
    })
}

/// My reflections against a framework in the current cycle.
#[utoipa::path(get, path = "/api/me/reflections/{key}", tag = "reflections",
    params(("key" = String, Path, description = "The framework's key")),
    security(("session" = [])),
    responses(
        (status = 200, description = "My reflections", body = Reflections),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such framework", body = ErrorBody),
    ))]
pub async fn mine(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    Path(key): Path<String>,
) -> Result<axum::Json<Reflections>, ApiError> {
    Ok(axum::Json(
        reflections_of(&state, &me, me.person.id, &key).await?,
    ))
}

/// Saves my reflection on one item in the current cycle.
#[utoipa::path(put, path = "/api/me/reflections/{key}/{item}", tag = "reflections",
    params(
        ("key" = String, Path, description = "The framework's key"),
        ("item" = String, Path, description = "The item's code with spaces as dashes, e.g. 1a-i"),
    ),
    request_body = ReflectionInput,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "Saved", body = SavedReflection),
        (status = 400, description = "The body could not be read", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Missing or wrong X-CSRF-Token", body = ErrorBody),
        (status = 404, description = "No such framework or item", body = ErrorBody),
        (status = 409, description = "Changed elsewhere since `based_on`: nothing saved", body = ChangedElsewhere),
        (status = 413, description = "Too large", body = ErrorBody),
        (status = 422, description = "Invalid judgement or note", body = ErrorBody),
    ))]
pub async fn save(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    Path((key, item)): Path<(String, String)>,
    Json(input): Json<ReflectionInput>,
) -> Result<axum::response::Response, ApiError> {
    let stored = state.catalog.latest(&key).ok_or(WebError::NotFound)?;
    let item = stored
        .framework
        .find_by_slug(&item)
        .ok_or(WebError::NotFound)?;
    let code: ItemCode = item.code.clone();
    let judgement = input
        .judgement
        .as_deref()
        .map(Judgement::parse)
        .transpose()?;
    let note = Note::parse(&input.note)?;
    let change = ReflectionChange::validate(&stored.framework, code, judgement, note)?;
    let (_, scope) = current_scope(&state, &me, stored)
        .await?
        .ok_or_else(no_cycle)?;
    if let Some(based_on) = &input.based_on {
        let now = state.store.reflections(scope).await?;
        let current = now.iter().find(|r| r.item == change.item);
        if let Some(current) = changed_since(current, based_on, &change) {
            let answer = ChangedElsewhere {
                error: "This was changed elsewhere since: choose which to keep.".into(),
                reflection: view(current),
            };
            return Ok((StatusCode::CONFLICT, axum::Json(answer)).into_response());
        }
    }
    let saved = state
        .store
        .save_reflection(scope, &change, state.clock.now())
        .await?;
    let all = state.store.reflections(scope).await?;
    Ok(axum::Json(SavedReflection {
        reflection: view(&saved),
        progress: progress(stored, &all),
    })
    .into_response())
}

/// The stored reflection, if it changed after `based_on` and says something else
/// than `change` (the same words saved twice are no conflict).
fn changed_since<'a>(
    current: Option<&'a Reflection>,
    based_on: &str,
    change: &ReflectionChange,
) -> Option<&'a Reflection> {
    let current = current?;
    let same = current.judgement == change.judgement && current.note == change.note;
    let seen = views::reflection_version(current) == based_on;
    (!same && !seen).then_some(current)
}

/// A person's reflections. Refused (as "not found", so that nothing is revealed)
/// unless the asker is the owner or the owner shared them with the asker.
#[utoipa::path(get, path = "/api/people/{person}/reflections/{key}", tag = "reflections",
    params(
        ("person" = i64, Path, description = "The person's id"),
        ("key" = String, Path, description = "The framework's key"),
    ),
    security(("session" = [])),
    responses(
        (status = 200, description = "Their reflections", body = Reflections),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such person, or not yours to read", body = ErrorBody),
    ))]
pub async fn of_person(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    Path((person, key)): Path<(String, String)>,
) -> Result<axum::Json<Reflections>, ApiError> {
    let person = access::person_id(&person)?;
    Ok(axum::Json(reflections_of(&state, &me, person, &key).await?))
}

/// Counts per level per domain of my reflections in the current cycle.
#[utoipa::path(get, path = "/api/me/profile/{key}", tag = "reflections",
    params(("key" = String, Path, description = "The framework's key")),
    security(("session" = [])),
    responses(
        (status = 200, description = "Counts per level per domain", body = Object),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such framework", body = ErrorBody),
    ))]
pub async fn my_profile(
    State(state): State<AppState>,
    ApiUser(me): ApiUser,
    Path(key): Path<String>,
) -> Result<axum::Json<ProfileSummary>, ApiError> {
    let stored = state.catalog.latest(&key).ok_or(WebError::NotFound)?;
    let (_, scope) = current_scope(&state, &me, stored)
        .await?
        .ok_or_else(no_cycle)?;
    let reflections = state.store.reflections(scope).await?;
    Ok(axum::Json(ProfileSummary::build(
        &stored.framework,
        &reflections,
    )))
}
