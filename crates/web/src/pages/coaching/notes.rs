//! Conversation notes, by the leader or their coach; allowed after sign-off.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use leadkit_domain::access::{Action, RecordKind};
use leadkit_domain::cycle::Cycle;
use leadkit_domain::people::Person;
use leadkit_domain::reflection::Note;

use super::coachee;
use crate::access::{self, GrantedRecords};
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::extract::Form;
use crate::forms::{Pairs, field};
use crate::state::AppState;
use crate::urls;

/// `POST /coaching/notes` and `POST /people/{person}/coaching/notes`: a
/// conversation note, by the leader or their coach. Allowed after sign-off.
pub async fn add_my_note(
    State(state): State<AppState>,
    me: SignedIn,
    Form(pairs): Form<Pairs>,
) -> Result<Response, WebError> {
    let GrantedRecords { owner, cycle, .. } = access::records_of(
        &state,
        &me,
        me.person.id,
        None,
        Action::WriteReflections,
        RecordKind::Reflections,
    )
    .await?;
    add_note(&state, &me, &owner, &cycle, &pairs).await?;
    Ok(Redirect::to(&format!("{}#notes", urls::COACHING)).into_response())
}

pub async fn add_coachee_note(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, WebError> {
    let GrantedRecords { owner, cycle, .. } = coachee(&state, &me, &raw).await?;
    add_note(&state, &me, &owner, &cycle, &pairs).await?;
    Ok(Redirect::to(&format!("{}#notes", urls::person_coaching(owner.id))).into_response())
}

async fn add_note(
    state: &AppState,
    me: &SignedIn,
    owner: &Person,
    cycle: &Cycle,
    pairs: &Pairs,
) -> Result<(), WebError> {
    let body = Note::parse(field(pairs, "body").unwrap_or(""))
        .map_err(crate::forms::invalid_at("body"))?;
    if body.is_empty() {
        return Err(crate::forms::refuse_at(
            "body",
            "Write the note first; nothing was saved.",
        ));
    }
    state
        .store
        .add_conversation_note(
            owner.id,
            cycle.id,
            me.person.id,
            me.person.name.as_str(),
            &body,
            state.clock.now(),
        )
        .await?;
    Ok(())
}
