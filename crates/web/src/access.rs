//! The one way a handler reaches a person's records: it names whose and what it
//! wants to do, and gets the owner and the scope back only if
//! [`leadkit_domain::access::can`] allows. A refusal is "not found", the same as
//! for someone who does not exist, so nothing is revealed about people the asker
//! may not see, in this school, another school or another trust. A read allowed
//! because the owner shared it goes in the audit log.

use leadkit_domain::access::RecordKind;
use leadkit_domain::access::{Action, Actor, Decision, Owner, Target, can};
use leadkit_domain::audit::AuditAction;
use leadkit_domain::cycle::{Cycle, Lock};
use leadkit_domain::people::{Person, PersonId};
use leadkit_store::StoreError;
use leadkit_store::audit::AuditRecord;
use leadkit_store::frameworks::StoredFramework;
use leadkit_store::reflections::ReflectionScope;

use crate::auth::SignedIn;
use crate::error::WebError;
use crate::state::AppState;

/// A person's reflections in the current cycle, which the asker may act on.
#[derive(Debug)]
pub struct Granted {
    pub owner: Person,
    pub cycle: Cycle,
    pub scope: ReflectionScope,
    /// Whether the asker is the owner (else the owner shared with them).
    pub own: bool,
}

/// Parses a person id from a URL; anything else is "not found".
pub fn person_id(raw: &str) -> Result<PersonId, WebError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(PersonId)
        .ok_or(WebError::NotFound)
}

/// Asks for `action` on `person`'s reflections against `stored` in their trust's
/// current cycle.
pub async fn reflections_of(
    state: &AppState,
    me: &SignedIn,
    person: PersonId,
    action: Action,
    stored: &StoredFramework,
) -> Result<Granted, WebError> {
    reflections_for(state, &me.person, &me.actor, person, action, stored).await
}

/// The same for a person who has just signed in (no session extractor yet).
pub async fn my_reflections(
    state: &AppState,
    me: &Person,
    action: Action,
    stored: &StoredFramework,
) -> Result<Granted, WebError> {
    let actor = Actor {
        person: me.id,
        trust: me.trust,
        roles: me.roles.clone(),
    };
    reflections_for(state, me, &actor, me.id, action, stored).await
}

async fn reflections_for(
    state: &AppState,
    me: &Person,
    actor: &Actor,
    person: PersonId,
    action: Action,
    stored: &StoredFramework,
) -> Result<Granted, WebError> {
    let owner = if person == me.id {
        me.clone()
    } else {
        match state.store.person(person).await {
            Ok(owner) => owner,
            Err(StoreError::NotFound) => return Err(WebError::NotFound),
            Err(error) => return Err(error.into()),
        }
    };
    // Someone in another trust is "not found" before anything else of theirs is read.
    if owner.trust != me.trust {
        return Err(WebError::NotFound);
    }
    let today = state.clock.now().date();
    let Some(cycle) = state
        .store
        .current_cycle(owner.trust, owner.school, today)
        .await?
    else {
        return Err(if owner.id == me.id {
            WebError::BadRequest(
                "No reflection cycle is open for your trust yet. Ask your administrator to open one."
                    .into(),
            )
        } else {
            WebError::NotFound
        });
    };
    let own = owner.id == me.id;
    let (relation, sharing) = if own {
        Default::default()
    } else {
        (
            state.store.relation(me.id, owner.id).await?,
            state
                .store
                .sharing(owner.id, cycle.id, RecordKind::Reflections)
                .await?,
        )
    };
    let target = Target {
        owner: Owner {
            person: owner.id,
            trust: owner.trust,
        },
        relation,
        sharing: &sharing,
    };
    match can(actor, action, Some(target)) {
        Decision::Deny => return Err(WebError::NotFound),
        Decision::AllowShared => {
            let detail = format!(
                "read their reflections on {} in {}",
                stored.framework.title, cycle.name
            );
            state
                .store
                .audit(
                    AuditRecord {
                        trust: owner.trust,
                        actor: me.id,
                        action: AuditAction::ViewedRecords,
                        subject: Some(owner.id),
                        detail: &detail,
                    },
                    state.clock.now(),
                )
                .await?;
        }
        Decision::Allow => {}
    }
    let scope = ReflectionScope {
        person: owner.id,
        cycle: cycle.id,
        framework: stored.id,
    };
    Ok(Granted {
        owner,
        cycle,
        scope,
        own,
    })
}

/// Asks for a trust-wide administrative action.
pub fn administer(me: &SignedIn) -> Result<(), WebError> {
    if can(&me.actor, Action::Administer, None).is_allowed() {
        Ok(())
    } else {
        Err(WebError::NotFound)
    }
}

/// A person's records of one kind in one cycle, which the asker may act on.
#[derive(Debug)]
pub struct GrantedRecords {
    pub owner: Person,
    pub cycle: Cycle,
    /// Whether the asker is the owner.
    pub own: bool,
}

/// Asks for `action` on `person`'s records of `kind` in `cycle` (the trust's
/// current cycle when `None`). A refusal is "not found"; a read allowed because
/// the owner shared it goes in the audit log.
pub async fn records_of(
    state: &AppState,
    me: &SignedIn,
    person: PersonId,
    cycle: Option<leadkit_domain::cycle::CycleId>,
    action: Action,
    kind: RecordKind,
) -> Result<GrantedRecords, WebError> {
    let owner = if person == me.person.id {
        me.person.clone()
    } else {
        match state.store.person(person).await {
            Ok(owner) => owner,
            Err(StoreError::NotFound) => return Err(WebError::NotFound),
            Err(error) => return Err(error.into()),
        }
    };
    if owner.trust != me.person.trust {
        return Err(WebError::NotFound);
    }
    let own = owner.id == me.person.id;
    let cycle = match cycle {
        Some(id) => match state.store.cycle(owner.trust, id).await {
            Ok(cycle) => cycle,
            Err(StoreError::NotFound) => return Err(WebError::NotFound),
            Err(error) => return Err(error.into()),
        },
        None => {
            let today = state.clock.now().date();
            match state
                .store
                .current_cycle(owner.trust, owner.school, today)
                .await?
            {
                Some(cycle) => cycle,
                None if own => {
                    return Err(WebError::BadRequest(
                        "No cycle is open for your trust yet. Ask your administrator to open one."
                            .into(),
                    ));
                }
                None => return Err(WebError::NotFound),
            }
        }
    };
    let (relation, sharing) = if own {
        Default::default()
    } else {
        (
            state.store.relation(me.person.id, owner.id).await?,
            state.store.sharing(owner.id, cycle.id, kind).await?,
        )
    };
    let target = Target {
        owner: Owner {
            person: owner.id,
            trust: owner.trust,
        },
        relation,
        sharing: &sharing,
    };
    match can(&me.actor, action, Some(target)) {
        Decision::Deny => return Err(WebError::NotFound),
        Decision::AllowShared => {
            let detail = format!("read their {} in {}", kind.label(), cycle.name);
            state
                .store
                .audit(
                    AuditRecord {
                        trust: owner.trust,
                        actor: me.person.id,
                        action: AuditAction::ViewedRecords,
                        subject: Some(owner.id),
                        detail: &detail,
                    },
                    state.clock.now(),
                )
                .await?;
        }
        Decision::Allow => {}
    }
    Ok(GrantedRecords { owner, cycle, own })
}

/// Whether `me` may do `action` to `owner`'s records of `kind` in `cycle`,
/// without auditing (for deciding what a page offers).
pub async fn may(
    state: &AppState,
    me: &SignedIn,
    owner: &Person,
    cycle: &Cycle,
    action: Action,
    kind: RecordKind,
) -> Result<bool, WebError> {
    if owner.trust != me.person.trust {
        return Ok(false);
    }
    let (relation, sharing) = if owner.id == me.person.id {
        Default::default()
    } else {
        (
            state.store.relation(me.person.id, owner.id).await?,
            state.store.sharing(owner.id, cycle.id, kind).await?,
        )
    };
    let target = Target {
        owner: Owner {
            person: owner.id,
            trust: owner.trust,
        },
        relation,
        sharing: &sharing,
    };
    Ok(can(&me.actor, action, Some(target)).is_allowed())
}

/// The cycle I reflect in now, and the scope of my reflections in it. `None`
/// when my trust has no open cycle.
pub async fn current_scope(
    state: &AppState,
    me: &SignedIn,
    stored: &StoredFramework,
) -> Result<Option<(Cycle, ReflectionScope)>, WebError> {
    match reflections_of(state, me, me.person.id, Action::WriteReflections, stored).await {
        Ok(granted) => Ok(Some((granted.cycle, granted.scope))),
        Err(WebError::BadRequest(_)) => Ok(None),
        Err(error) => Err(error),
    }
}

/// Why `owner`'s goals, evidence and coaching views in `cycle` can no longer
/// change, if they cannot (the cycle is closed, or their coach signed it off).
pub async fn lock(
    state: &AppState,
    owner: &Person,
    cycle: &Cycle,
) -> Result<Option<Lock>, WebError> {
    if !cycle.open {
        return Ok(Lock::of(cycle, None));
    }
    let signed = state.store.signed_off(owner.id, cycle.id).await?;
    Ok(Lock::of(
        cycle,
        signed.as_ref().map(|s| s.coach_name.as_str()),
    ))
}

/// Refuses a change to records that the cycle's lock keeps as they are.
pub async fn writable(state: &AppState, owner: &Person, cycle: &Cycle) -> Result<(), WebError> {
    match lock(state, owner, cycle).await? {
        Some(lock) => Err(WebError::Conflict(lock.refusal())),
        None => Ok(()),
    }
}

/// How the asker stands to one owner in one cycle, loaded once (the relation
/// and what the owner shared, of every kind) so that a page can then ask about
/// several actions and kinds of record as pure calls.
#[derive(Debug, Clone)]
pub struct Standing {
    actor: Actor,
    owner: Owner,
    same_trust: bool,
    relation: leadkit_domain::access::Relation,
    sharing: Vec<(RecordKind, leadkit_domain::access::Sharing)>,
}

impl Standing {
    /// Whether the asker may do `action` to the owner's records of `kind`
    /// (without auditing: for deciding what a page offers).
    pub fn may(&self, action: Action, kind: RecordKind) -> bool {
        if !self.same_trust {
            return false;
        }
        let private = leadkit_domain::access::Sharing::default();
        let sharing = self
            .sharing
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(&private, |(_, s)| s);
        let target = Target {
            owner: self.owner,
            relation: self.relation,
            sharing,
        };
        can(&self.actor, action, Some(target)).is_allowed()
    }
}

/// Loads how `me` stands to `owner` in `cycle`, for the `kinds` of record a
/// page asks about (other kinds then count as not shared).
pub async fn standing(
    state: &AppState,
    me: &SignedIn,
    owner: &Person,
    cycle: &Cycle,
    kinds: &[RecordKind],
) -> Result<Standing, WebError> {
    let same_trust = owner.trust == me.person.trust;
    let (relation, sharing) = if owner.id == me.person.id || !same_trust {
        Default::default()
    } else {
        let relation = state.store.relation(me.person.id, owner.id).await?;
        let mut sharing = Vec::with_capacity(kinds.len());
        for &kind in kinds {
            sharing.push((kind, state.store.sharing(owner.id, cycle.id, kind).await?));
        }
        (relation, sharing)
    };
    Ok(Standing {
        actor: me.actor.clone(),
        owner: Owner {
            person: owner.id,
            trust: owner.trust,
        },
        same_trust,
        relation,
        sharing,
    })
}
