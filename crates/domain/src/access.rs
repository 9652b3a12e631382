//! Who may do what. Every read and write of a person's records asks [`can`] first.
//!
//! The rule of this slice is the privacy promise at its simplest: a reflection
//! belongs to its owner and nobody else may read or change it. Sharing with a
//! coach arrives with people and roles; it will widen `can`, never bypass it.

use crate::people::{PersonId, Role, RoleGrant, TrustId};

/// The person asking, as established by sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub person: PersonId,
    pub trust: TrustId,
    pub roles: Vec<RoleGrant>,
}

impl Actor {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.iter().any(|grant| grant.role == role)
    }
}

/// Something an actor wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read a person's reflections, notes or profile.
    ReadReflections,
    /// Save or change a person's reflections or notes.
    WriteReflections,
    /// Set up the trust, its people and cycles.
    Administer,
}

/// Whose record is being touched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner {
    pub person: PersonId,
    pub trust: TrustId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Deny,
}

impl Decision {
    pub fn is_allowed(self) -> bool {
        self == Decision::Allow
    }
}

/// Decides whether `actor` may do `action` to records owned by `owner`
/// (`None` for trust-wide actions that touch nobody's records).
pub fn can(actor: &Actor, action: Action, owner: Option<Owner>) -> Decision {
    let allowed = match (action, owner) {
        (Action::ReadReflections | Action::WriteReflections, Some(owner)) => {
            owner.person == actor.person && owner.trust == actor.trust
        }
        (Action::ReadReflections | Action::WriteReflections, None) => false,
        (Action::Administer, owner) => {
            actor.has_role(Role::Administrator)
                && owner.is_none_or(|owner| owner.trust == actor.trust)
        }
    };
    if allowed {
        Decision::Allow
    } else {
        Decision::Deny
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(person: i64, trust: i64, roles: &[Role]) -> Actor {
        Actor {
            person: PersonId(person),
            trust: TrustId(trust),
            roles: roles
                .iter()
                .map(|&role| RoleGrant { role, school: None })
                .collect(),
        }
    }

    fn owner(person: i64, trust: i64) -> Option<Owner> {
        Some(Owner {
            person: PersonId(person),
            trust: TrustId(trust),
        })
    }

    #[test]
    fn a_leader_reads_and_writes_their_own_reflections() {
        let me = actor(1, 1, &[Role::Leader]);
        assert!(can(&me, Action::ReadReflections, owner(1, 1)).is_allowed());
        assert!(can(&me, Action::WriteReflections, owner(1, 1)).is_allowed());
    }

    #[test]
    fn nobody_else_reads_a_reflection_not_even_an_administrator_or_trust_lead() {
        let others = [
            actor(2, 1, &[Role::Leader]),
            actor(3, 1, &[Role::Coach]),
            actor(4, 1, &[Role::SchoolLead]),
            actor(5, 1, &[Role::TrustLead]),
            actor(6, 1, &[Role::Administrator]),
            actor(1, 2, &[Role::Leader]),
        ];
        for other in &others {
            for action in [Action::ReadReflections, Action::WriteReflections] {
                assert_eq!(
                    can(other, action, owner(1, 1)),
                    Decision::Deny,
                    "{other:?} {action:?}"
                );
            }
        }
    }

    #[test]
    fn only_an_administrator_of_the_same_trust_administers() {
        assert!(
            can(
                &actor(6, 1, &[Role::Administrator]),
                Action::Administer,
                None
            )
            .is_allowed()
        );
        assert!(
            !can(
                &actor(6, 1, &[Role::Administrator]),
                Action::Administer,
                owner(1, 2)
            )
            .is_allowed()
        );
        assert!(!can(&actor(5, 1, &[Role::TrustLead]), Action::Administer, None).is_allowed());
    }
}
