//! Coaching: the coach's page for one coachee (their reflection, where shared,
//! beside the coach's agreed level and comment per component), the leader's own
//! view of the same, conversation notes, and the coach's sign-off. One module
//! per page or form; what they share is here.

pub mod notes;
pub mod show;
pub mod sign_off;
pub mod views;

use std::sync::Arc;

use leadkit_domain::access::{Action, RecordKind};
use leadkit_domain::people::PersonId;
use leadkit_store::frameworks::StoredFramework;

use crate::access::{self, GrantedRecords};
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::state::AppState;

/// The framework coaching is about: the trust's primary one.
pub(super) fn primary(state: &AppState) -> Result<&Arc<StoredFramework>, WebError> {
    state
        .catalog
        .latest(state.config.primary_framework.as_str())
        .ok_or(WebError::NotFound)
}

/// The coachee named in the address, if I coach them.
pub(super) async fn coachee(
    state: &AppState,
    me: &SignedIn,
    raw: &str,
) -> Result<GrantedRecords, WebError> {
    let person: PersonId = access::person_id(raw)?;
    // Coaching is the coach's own record about a coachee: allowed by the
    // relationship, not by sharing (which decides what of the leader's they see).
    access::records_of(
        state,
        me,
        person,
        None,
        Action::Coach,
        RecordKind::Reflections,
    )
    .await
}
