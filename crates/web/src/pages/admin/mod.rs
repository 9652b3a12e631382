//! Administration: one module per page (people, archiving and giving access back, a person's relationships and
//! details, settings, the audit log, staff import, adding a person, single
//! sign-on, session limits, schools and teams, cycles). What several of them share is here.

pub mod archive;
pub mod audit;
pub mod checkpoints;
pub mod cycles;
pub mod import;
pub mod invite_all;
pub mod new_person;
pub mod people;
pub mod relationships;
pub mod schools;
pub mod sessions;
pub mod settings;
pub mod sign_on;

use leadkit_domain::people::{Person, Role};

use crate::access;
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::state::AppState;

/// The person an administrator is changing, if they are in the administrator's trust.
pub(super) async fn in_my_trust(
    state: &AppState,
    me: &SignedIn,
    raw: &str,
) -> Result<Person, WebError> {
    let id = access::person_id(raw)?;
    match state.store.person(id).await {
        Ok(person) if person.trust == me.person.trust => Ok(person),
        Ok(_) | Err(leadkit_store::StoreError::NotFound) => Err(WebError::NotFound),
        Err(error) => Err(error.into()),
    }
}

/// One role's checkbox on a form.
pub struct RoleChoice {
    pub value: &'static str,
    pub label: &'static str,
    pub checked: bool,
}

impl RoleChoice {
    /// Every role, ticked where `checked` says.
    pub fn all(checked: impl Fn(Role) -> bool) -> Vec<Self> {
        Role::ALL
            .into_iter()
            .map(|role| Self {
                value: role.as_str(),
                label: role.label(),
                checked: checked(role),
            })
            .collect()
    }
}
