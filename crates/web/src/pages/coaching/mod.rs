//! Coaching: the coach's page for one coachee (their reflection, where shared,
//! beside the coach's agreed level and comment per component), the leader's own
//! view of the same, conversation notes, and the coach's sign-off. One module
//! per page or form; what they share is here.

pub mod checkpoints;
pub mod notes;
pub mod show;
pub mod sign_off;
pub mod views;

use std::sync::Arc;

use leadkit_domain::access::{Action, RecordKind};
use leadkit_domain::people::PersonId;
use leadkit_store::frameworks::StoredFramework;

use leadkit_domain::checkpoint::Standing;
use time::Date;

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

/// One checkpoint on the coaching page, for the leader or their coach.
pub struct CheckpointView {
    pub id: i64,
    pub name: String,
    /// "Due 28 February 2027", "Overdue since …" or "Agreed".
    pub state: String,
    pub agreed: bool,
    pub overdue: bool,
    /// "Dev Thomas, 2 February 2027" or "Not yet".
    pub leader: String,
    pub coach: String,
    /// Whether the person looking has recorded it (then they may take it back).
    pub mine: bool,
}

/// The checkpoints as the page shows them to the leader (`as_coach` false)
/// or their coach. Pure.
pub fn checkpoint_views(
    standings: &[Standing],
    as_coach: bool,
    today: Date,
) -> Vec<CheckpointView> {
    let said = |c: &Option<leadkit_domain::checkpoint::Confirmation>| {
        c.as_ref().map_or_else(
            || "Not yet".to_owned(),
            |c| format!("{}, {}", c.by_name, crate::views::long_date(c.on)),
        )
    };
    standings
        .iter()
        .map(|s| CheckpointView {
            id: s.checkpoint.id.0,
            name: s.checkpoint.name.clone(),
            state: if s.agreed() {
                "Agreed".to_owned()
            } else if s.overdue(today) {
                format!(
                    "Overdue since {}",
                    crate::views::long_date(s.checkpoint.due_on)
                )
            } else {
                format!("Due {}", crate::views::long_date(s.checkpoint.due_on))
            },
            agreed: s.agreed(),
            overdue: s.overdue(today),
            leader: said(&s.leader),
            coach: said(&s.coach),
            mine: if as_coach {
                s.coach.is_some()
            } else {
                s.leader.is_some()
            },
        })
        .collect()
}
