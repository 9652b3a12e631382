//! Values the view functions' unit tests are built from: the Toolkit as shipped,
//! a leader, a cycle, and a goal on one of the Toolkit's components.

use leadkit_domain::cycle::{Cycle, CycleId};
use leadkit_domain::framework::{Framework, ItemCode};
use leadkit_domain::goal::{CheckIn, Goal, GoalId, GoalItem, GoalStatus, Line, Rag, Support};
use leadkit_domain::people::{Email, Person, PersonId, PersonName, Role, RoleGrant, TrustId};
use leadkit_domain::reflection::{Judgement, Note, Reflection};
use leadkit_domain::scale::LevelCode;
use time::macros::{date, datetime};

pub fn toolkit() -> Framework {
    leadkit_content::toolkit().expect("the shipped Toolkit loads")
}

pub fn code(raw: &str) -> ItemCode {
    ItemCode::parse(raw).expect("an item code")
}

pub fn level(raw: &str) -> LevelCode {
    LevelCode::parse(raw).expect("a level code")
}

pub fn leader(id: i64, name: &str) -> Person {
    Person {
        id: PersonId(id),
        trust: TrustId(1),
        school: None,
        name: PersonName::parse(name).expect("a name"),
        email: Email::parse(&format!("person{id}@example.org")).expect("an email"),
        job_title: "Deputy Headteacher".into(),
        roles: vec![RoleGrant {
            role: Role::Leader,
            school: None,
        }],
    }
}

pub fn cycle(open: bool) -> Cycle {
    Cycle {
        id: CycleId(1),
        name: "2026–27".into(),
        starts_on: date!(2026 - 09 - 01),
        ends_on: date!(2027 - 08 - 31),
        open,
        school: None,
    }
}

pub fn reflection(item: &str, judgement: Judgement, note: &str) -> Reflection {
    Reflection {
        item: code(item),
        judgement: Some(judgement),
        note: Note::parse(note).expect("a note"),
        updated_at: datetime!(2026-11-02 10:00 UTC),
    }
}

/// A goal on `item` of the Toolkit, from Some impact towards High impact, asking
/// for a colleague with expertise, with one check-in.
pub fn goal(framework: &Framework, item: &str) -> Goal {
    let found = framework.find(&code(item)).expect("the item");
    Goal {
        id: GoalId(7),
        owner: PersonId(1),
        cycle: CycleId(1),
        title: Line::required("title", "Lead safeguarding training", "a title").expect("a title"),
        items: vec![GoalItem {
            framework: framework.key.clone(),
            version: framework.version.clone(),
            code: found.code.clone(),
            title: found.title.clone(),
        }],
        current_level: Some(level("some")),
        target_level: Some(level("high")),
        why: Note::parse("New staff need it by January.").expect("a note"),
        success_criteria: Note::default(),
        support: vec![Support::Colleague],
        support_detail: Note::default(),
        status: GoalStatus::Planned,
        actions: Vec::new(),
        check_ins: vec![CheckIn {
            id: 1,
            author: Some(PersonId(1)),
            author_name: "Amara Okafor".into(),
            on: date!(2026 - 11 - 20),
            progress: Note::parse("Planned the sessions.").expect("a note"),
            rag: Rag::Green,
            next_steps: Note::default(),
        }],
        review: None,
        carried_from: None,
    }
}
