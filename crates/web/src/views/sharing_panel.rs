//! The sharing panel that the profile, goals and evidence pages each show: who
//! sees this kind of my records in a cycle, with a one-click switch per audience.

use leadkit_domain::access::Audience;
use leadkit_domain::access::{RecordKind, RelationshipKind};
use leadkit_domain::cycle::Cycle;

use crate::auth::SignedIn;
use crate::error::WebError;
use crate::state::AppState;
use crate::urls;

/// One audience on my profile's sharing panel.
#[derive(Clone)]
pub struct AudienceView {
    /// "coach", "line_manager" or "person".
    pub audience: &'static str,
    /// The person's id for a named colleague, else 0.
    pub person: i64,
    /// "My coach, Ada Lovelace".
    pub label: String,
    pub shared: bool,
}

#[derive(Clone)]
pub struct SharingPanel {
    pub cycle_name: String,
    /// Which records: "reflections", "goals" or "evidence".
    pub record: &'static str,
    /// "reflections", "goals and check-ins", "evidence".
    pub record_label: &'static str,
    pub action: String,
    pub audiences: Vec<AudienceView>,
    /// Why nobody is listed for coach or line manager, if so.
    pub unrecorded: Vec<String>,
    pub coach_by_default: bool,
}

/// What my profile shows about who sees my reflections in `cycle`.
pub async fn sharing_panel(
    state: &AppState,
    me: &SignedIn,
    cycle: &Cycle,
    kind: RecordKind,
) -> Result<SharingPanel, WebError> {
    let sharing = state.store.sharing(me.person.id, cycle.id, kind).await?;
    let related = state.store.relationships_of(me.person.id).await?;
    let mut audiences = Vec::new();
    let mut unrecorded = Vec::new();
    for kind in RelationshipKind::ALL {
        let (audience, name) = match kind {
            RelationshipKind::Coach => (Audience::Coach, "coach"),
            RelationshipKind::LineManager => (Audience::LineManager, "line_manager"),
        };
        match related.iter().find(|r| r.kind == kind) {
            Some(person) => audiences.push(AudienceView {
                audience: name,
                person: 0,
                label: format!("My {}, {}", kind.label(), person.name),
                shared: sharing.is_shared_with(audience),
            }),
            None => unrecorded.push(format!(
                "You have no {} recorded yet; your administrator records one.",
                kind.label()
            )),
        }
    }
    for (audience, shared) in &sharing.choices {
        if let (Audience::Person(person), true) = (audience, shared) {
            let name = match state.store.person(*person).await {
                Ok(colleague) => {
                    format!("{} ({})", colleague.name.as_str(), colleague.email.as_str())
                }
                Err(leadkit_store::StoreError::NotFound) => continue,
                Err(error) => return Err(error.into()),
            };
            audiences.push(AudienceView {
                audience: "person",
                person: person.0,
                label: name,
                shared: true,
            });
        }
    }
    Ok(SharingPanel {
        cycle_name: cycle.name.clone(),
        record: kind.as_str(),
        record_label: kind.label(),
        action: urls::PROFILE_SHARING.to_owned(),
        audiences,
        unrecorded,
        coach_by_default: sharing.coach_by_default,
    })
}
