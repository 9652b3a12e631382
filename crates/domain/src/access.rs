//! Who may do what. Every read and write of a person's records asks [`can`] first;
//! the web layer reaches storage for someone's records only after it allows.
//!
//! The privacy promise (BRIEF.md): a reflection, goal or evidence belongs to its
//! owner and is visible to nobody else until the owner shares it, with their
//! coach, their line manager or named colleagues. Leads and administrators see
//! aggregates, never individual records.

use crate::people::{PersonId, Role, RoleGrant, TrustId};

/// Which relationship one person has to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RelationshipKind {
    Coach,
    LineManager,
}

impl RelationshipKind {
    pub const ALL: [RelationshipKind; 2] = [RelationshipKind::Coach, RelationshipKind::LineManager];

    pub fn as_str(self) -> &'static str {
        match self {
            RelationshipKind::Coach => "coach",
            RelationshipKind::LineManager => "line_manager",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RelationshipKind::Coach => "coach",
            RelationshipKind::LineManager => "line manager",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == raw)
    }
}

/// Which kind of a person's records a share covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    Reflections,
    Goals,
    Evidence,
}

impl RecordKind {
    pub const ALL: [RecordKind; 3] = [
        RecordKind::Reflections,
        RecordKind::Goals,
        RecordKind::Evidence,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Reflections => "reflections",
            RecordKind::Goals => "goals",
            RecordKind::Evidence => "evidence",
        }
    }

    /// What a person calls these records: "my reflections".
    pub fn label(self) -> &'static str {
        match self {
            RecordKind::Reflections => "reflections",
            RecordKind::Goals => "goals and check-ins",
            RecordKind::Evidence => "evidence",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == raw)
    }
}

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
    /// Decide who a person's records are shared with.
    Share,
    /// Read a person's goals and their check-ins.
    ReadGoals,
    /// Read a person's evidence, and download its files.
    ReadEvidence,
    /// Create or change a person's goals and evidence.
    WriteGoalsAndEvidence,
    /// Act as the person's coach: record an agreed level and comment, write
    /// conversation notes, check in on shared goals, sign off a review.
    Coach,
    /// Set up the trust, its people and cycles; read the audit log.
    Administer,
}

/// Whose record is being touched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner {
    pub person: PersonId,
    pub trust: TrustId,
}

/// How the person asking stands to a record's owner, as the organisation
/// records it now (a coach who has stopped coaching someone no longer sees what
/// was shared with "my coach").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Relation {
    /// The asker is the owner's coach.
    pub coach: bool,
    /// The asker is the owner's line manager.
    pub line_manager: bool,
}

/// Whom an owner can share a kind of record with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Audience {
    /// Whoever is their coach.
    Coach,
    /// Whoever is their line manager.
    LineManager,
    /// One named colleague.
    Person(PersonId),
}

impl Audience {
    /// Whether someone standing to the owner as `relation` is in this audience.
    fn includes(self, actor: PersonId, relation: Relation) -> bool {
        match self {
            Audience::Coach => relation.coach,
            Audience::LineManager => relation.line_manager,
            Audience::Person(person) => person == actor,
        }
    }
}

/// With whom an owner has shared one kind of record in one cycle. Nothing is
/// shared unless the owner said so, except that a cycle may start with sharing
/// with the coach on (a trust setting); an owner's own choice always wins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sharing {
    /// The owner's choices, each audience at most once: `true` shared, `false` not.
    pub choices: Vec<(Audience, bool)>,
    /// The cycle began with sharing with the coach on.
    pub coach_by_default: bool,
}

impl Sharing {
    /// Nothing shared with anyone.
    pub fn private() -> Self {
        Self::default()
    }

    /// Whether the record is shared with `audience`.
    pub fn is_shared_with(&self, audience: Audience) -> bool {
        match self.choices.iter().find(|(a, _)| *a == audience) {
            Some(&(_, shared)) => shared,
            None => audience == Audience::Coach && self.coach_by_default,
        }
    }

    /// Every audience the record is shared with now.
    pub fn audiences(&self) -> Vec<Audience> {
        let mut audiences: Vec<Audience> = self
            .choices
            .iter()
            .filter(|(_, shared)| *shared)
            .map(|(audience, _)| *audience)
            .collect();
        if self.is_shared_with(Audience::Coach) && !audiences.contains(&Audience::Coach) {
            audiences.push(Audience::Coach);
        }
        audiences.sort();
        audiences
    }
}

/// A person's records as the decision needs them: whose, how the asker stands
/// to the owner, and what the owner has shared.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub owner: Owner,
    pub relation: Relation,
    pub sharing: &'a Sharing,
}

static PRIVATE: Sharing = Sharing {
    choices: Vec::new(),
    coach_by_default: false,
};

impl Target<'static> {
    /// Records of `owner` that are shared with nobody (or whose sharing does not
    /// matter, because the asker is the owner).
    pub fn private(owner: Owner) -> Self {
        Target {
            owner,
            relation: Relation::default(),
            sharing: &PRIVATE,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Allowed: the actor owns the record, or (for a trust-wide action) holds the role.
    Allow,
    /// Allowed because the owner shared the record with the actor. Such a read is
    /// an access by one person to another's record and goes in the audit log.
    AllowShared,
    Deny,
}

impl Decision {
    pub fn is_allowed(self) -> bool {
        self != Decision::Deny
    }
}

/// Decides whether `actor` may do `action` to the records in `target` (`None` for
/// trust-wide actions that touch nobody's records).
///
/// The rules: a person's records are theirs. Only the owner writes them or
/// decides who sees them. Someone the owner shared them with (their coach, their
/// line manager, a named colleague) may read them, within the same trust.
/// School leads, trust leads and administrators see no one's individual records:
/// they see aggregates, elsewhere. Administering is for administrators of the
/// same trust.
pub fn can(actor: &Actor, action: Action, target: Option<Target<'_>>) -> Decision {
    let same_trust = target.is_none_or(|t| t.owner.trust == actor.trust);
    if !same_trust {
        return Decision::Deny;
    }
    match (action, target) {
        (
            Action::ReadReflections
            | Action::WriteReflections
            | Action::Share
            | Action::ReadGoals
            | Action::ReadEvidence
            | Action::WriteGoalsAndEvidence,
            Some(t),
        ) if t.owner.person == actor.person => Decision::Allow,
        // Nobody coaches themselves; the owner's current coach does.
        (Action::Coach, Some(t)) if t.owner.person != actor.person && t.relation.coach => {
            Decision::Allow
        }
        (Action::ReadReflections | Action::ReadGoals | Action::ReadEvidence, Some(t)) => {
            let shared = t
                .sharing
                .audiences()
                .into_iter()
                .any(|audience| audience.includes(actor.person, t.relation));
            if shared {
                Decision::AllowShared
            } else {
                Decision::Deny
            }
        }
        (
            Action::ReadReflections
            | Action::WriteReflections
            | Action::Share
            | Action::ReadGoals
            | Action::ReadEvidence
            | Action::WriteGoalsAndEvidence
            | Action::Coach,
            _,
        ) => Decision::Deny,
        (Action::Administer, _) if actor.has_role(Role::Administrator) => Decision::Allow,
        (Action::Administer, _) => Decision::Deny,
    }
}

/// Whose numbers someone may see as group aggregates (never individuals').
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InsightScope {
    /// The whole trust: trust leads, administrators, trust-wide school leads.
    Trust,
    /// Only these schools: a school lead's own.
    Schools(Vec<crate::people::SchoolId>),
}

/// The insight an actor may see, if any: leaders and coaches see none.
pub fn insight_scope(actor: &Actor) -> Option<InsightScope> {
    if actor.has_role(Role::TrustLead) || actor.has_role(Role::Administrator) {
        return Some(InsightScope::Trust);
    }
    let leads: Vec<&RoleGrant> = actor
        .roles
        .iter()
        .filter(|grant| grant.role == Role::SchoolLead)
        .collect();
    if leads.iter().any(|grant| grant.school.is_none()) {
        return Some(InsightScope::Trust);
    }
    let mut schools: Vec<crate::people::SchoolId> =
        leads.iter().filter_map(|grant| grant.school).collect();
    schools.sort();
    schools.dedup();
    (!schools.is_empty()).then_some(InsightScope::Schools(schools))
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

    fn owner(person: i64, trust: i64) -> Owner {
        Owner {
            person: PersonId(person),
            trust: TrustId(trust),
        }
    }

    fn target(sharing: &Sharing, relation: Relation) -> Option<Target<'_>> {
        Some(Target {
            owner: owner(1, 1),
            relation,
            sharing,
        })
    }

    const COACH: Relation = Relation {
        coach: true,
        line_manager: false,
    };
    const LINE_MANAGER: Relation = Relation {
        coach: false,
        line_manager: true,
    };

    #[test]
    fn a_leader_reads_writes_and_shares_their_own_reflections() {
        let me = actor(1, 1, &[Role::Leader]);
        for action in [
            Action::ReadReflections,
            Action::WriteReflections,
            Action::Share,
        ] {
            assert_eq!(
                can(&me, action, Some(Target::private(owner(1, 1)))),
                Decision::Allow
            );
        }
    }

    #[test]
    fn only_leads_and_administrators_see_insight_and_a_school_lead_only_their_school() {
        use crate::people::SchoolId;
        assert_eq!(
            insight_scope(&actor(1, 1, &[Role::Leader, Role::Coach])),
            None
        );
        assert_eq!(
            insight_scope(&actor(1, 1, &[Role::TrustLead])),
            Some(InsightScope::Trust)
        );
        assert_eq!(
            insight_scope(&actor(1, 1, &[Role::Administrator])),
            Some(InsightScope::Trust)
        );
        let head = Actor {
            person: PersonId(2),
            trust: TrustId(1),
            roles: vec![
                RoleGrant {
                    role: Role::Leader,
                    school: Some(SchoolId(7)),
                },
                RoleGrant {
                    role: Role::SchoolLead,
                    school: Some(SchoolId(7)),
                },
            ],
        };
        assert_eq!(
            insight_scope(&head),
            Some(InsightScope::Schools(vec![SchoolId(7)]))
        );
    }

    #[test]
    fn goals_and_evidence_are_the_owners_and_only_the_coach_coaches() {
        let me = actor(1, 1, &[Role::Leader]);
        for action in [
            Action::ReadGoals,
            Action::ReadEvidence,
            Action::WriteGoalsAndEvidence,
        ] {
            assert_eq!(
                can(&me, action, Some(Target::private(owner(1, 1)))),
                Decision::Allow
            );
        }
        // Nobody coaches themselves.
        assert_eq!(
            can(&me, Action::Coach, Some(Target::private(owner(1, 1)))),
            Decision::Deny
        );
        let private = Sharing::private();
        let coach = actor(3, 1, &[Role::Coach]);
        assert_eq!(
            can(&coach, Action::Coach, target(&private, COACH)),
            Decision::Allow
        );
        // The coach reads goals and evidence only once they are shared, and never writes them.
        for action in [
            Action::ReadGoals,
            Action::ReadEvidence,
            Action::WriteGoalsAndEvidence,
        ] {
            assert_eq!(can(&coach, action, target(&private, COACH)), Decision::Deny);
        }
        let shared = Sharing {
            choices: vec![(Audience::Coach, true)],
            coach_by_default: false,
        };
        assert_eq!(
            can(&coach, Action::ReadGoals, target(&shared, COACH)),
            Decision::AllowShared
        );
        assert_eq!(
            can(
                &coach,
                Action::WriteGoalsAndEvidence,
                target(&shared, COACH)
            ),
            Decision::Deny
        );
        // A line manager, an administrator or someone in another trust is no coach.
        for (other, relation) in [
            (actor(4, 1, &[Role::Coach]), LINE_MANAGER),
            (actor(6, 1, &[Role::Administrator]), Relation::default()),
            (actor(3, 2, &[Role::Coach]), COACH),
        ] {
            assert_eq!(
                can(&other, Action::Coach, target(&shared, relation)),
                Decision::Deny
            );
        }
    }

    #[test]
    fn nobody_else_reads_an_unshared_reflection_not_even_an_administrator_or_coach() {
        let others = [
            (actor(2, 1, &[Role::Leader]), Relation::default()),
            (actor(3, 1, &[Role::Coach]), COACH),
            (actor(3, 1, &[Role::Coach]), LINE_MANAGER),
            (actor(4, 1, &[Role::SchoolLead]), Relation::default()),
            (actor(5, 1, &[Role::TrustLead]), Relation::default()),
            (actor(6, 1, &[Role::Administrator]), Relation::default()),
            (actor(1, 2, &[Role::Leader]), Relation::default()),
        ];
        let private = Sharing::private();
        for (other, relation) in &others {
            for action in [
                Action::ReadReflections,
                Action::WriteReflections,
                Action::Share,
            ] {
                assert_eq!(
                    can(other, action, target(&private, *relation)),
                    Decision::Deny,
                    "{other:?} {action:?}"
                );
            }
        }
    }

    #[test]
    fn sharing_with_the_coach_lets_the_coach_read_and_nobody_else_and_never_write() {
        let sharing = Sharing {
            choices: vec![(Audience::Coach, true)],
            coach_by_default: false,
        };
        let coach = actor(3, 1, &[Role::Coach]);
        assert_eq!(
            can(&coach, Action::ReadReflections, target(&sharing, COACH)),
            Decision::AllowShared
        );
        assert_eq!(
            can(&coach, Action::WriteReflections, target(&sharing, COACH)),
            Decision::Deny
        );
        assert_eq!(
            can(&coach, Action::Share, target(&sharing, COACH)),
            Decision::Deny
        );
        // The line manager is another audience.
        assert_eq!(
            can(
                &coach,
                Action::ReadReflections,
                target(&sharing, LINE_MANAGER)
            ),
            Decision::Deny
        );
        // A coach in another trust never reads, whatever the relation says.
        let elsewhere = actor(3, 2, &[Role::Coach]);
        assert_eq!(
            can(&elsewhere, Action::ReadReflections, target(&sharing, COACH)),
            Decision::Deny
        );
    }

    #[test]
    fn a_named_colleague_reads_only_while_named() {
        let colleague = actor(7, 1, &[Role::Leader]);
        let shared = Sharing {
            choices: vec![(Audience::Person(PersonId(7)), true)],
            coach_by_default: false,
        };
        let revoked = Sharing {
            choices: vec![(Audience::Person(PersonId(7)), false)],
            coach_by_default: false,
        };
        assert!(
            can(
                &colleague,
                Action::ReadReflections,
                target(&shared, Relation::default())
            )
            .is_allowed()
        );
        assert!(
            !can(
                &colleague,
                Action::ReadReflections,
                target(&revoked, Relation::default())
            )
            .is_allowed()
        );
    }

    #[test]
    fn a_trust_default_shares_with_the_coach_until_the_owner_says_no() {
        let by_default = Sharing {
            choices: Vec::new(),
            coach_by_default: true,
        };
        assert_eq!(by_default.audiences(), vec![Audience::Coach]);
        let declined = Sharing {
            choices: vec![(Audience::Coach, false)],
            coach_by_default: true,
        };
        assert!(declined.audiences().is_empty());
        let coach = actor(3, 1, &[Role::Coach]);
        assert!(can(&coach, Action::ReadReflections, target(&by_default, COACH)).is_allowed());
        assert!(!can(&coach, Action::ReadReflections, target(&declined, COACH)).is_allowed());
    }

    #[test]
    fn only_an_administrator_of_the_same_trust_administers() {
        let admin = actor(6, 1, &[Role::Administrator]);
        assert!(can(&admin, Action::Administer, None).is_allowed());
        assert!(
            !can(
                &admin,
                Action::Administer,
                Some(Target::private(owner(1, 2)))
            )
            .is_allowed()
        );
        assert!(!can(&actor(5, 1, &[Role::TrustLead]), Action::Administer, None).is_allowed());
    }
}
