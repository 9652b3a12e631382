//! The demo trust: three schools, about 60 people with plausible roles, and
//! reflections at varied levels, so a newcomer can click around at once.
//!
//! Everything is generated from fixed lists with a small deterministic generator,
//! so every demo looks the same, except the password, which is new at every start
//! and printed (there is no default password anywhere).

use anyhow::Context;
use leadkit_domain::cycle::school_year_containing;
use leadkit_domain::framework::Framework;
use leadkit_domain::people::{Email, PersonId, PersonName, Role, RoleGrant, SchoolId, TrustId};
use leadkit_domain::reflection::{Judgement, Note, ReflectionChange};
use leadkit_store::Store;
use leadkit_store::people::NewPerson;
use leadkit_store::reflections::ReflectionScope;
use leadkit_web::Clock;

use crate::config::StoreArgs;

pub const DEMO_TRUST: &str = "Demo Academies Trust";

const SCHOOLS: [(&str, &str); 3] = [
    ("Oakwood Primary Academy", "oakwood.example"),
    ("Riverside Academy", "riverside.example"),
    ("Hilltop Secondary School", "hilltop.example"),
];

/// Job titles in each school, with the roles they carry.
const POSTS: [(&str, &[Role]); 19] = [
    (
        "Headteacher",
        &[Role::Leader, Role::SchoolLead, Role::Coach],
    ),
    ("Deputy Headteacher", &[Role::Leader, Role::Coach]),
    (
        "Assistant Headteacher (Teaching and Learning)",
        &[Role::Leader, Role::Coach],
    ),
    ("Assistant Headteacher (Inclusion)", &[Role::Leader]),
    ("SENDCo", &[Role::Leader]),
    ("CPD Lead", &[Role::Leader, Role::Coach]),
    ("School Business Manager", &[Role::Leader]),
    ("Designated Safeguarding Lead", &[Role::Leader]),
    ("Head of English", &[Role::Leader]),
    ("Head of Mathematics", &[Role::Leader]),
    ("Head of Science", &[Role::Leader]),
    ("Early Years Lead", &[Role::Leader]),
    ("Key Stage 1 Phase Leader", &[Role::Leader]),
    ("Key Stage 2 Phase Leader", &[Role::Leader]),
    ("Reading Lead", &[Role::Leader]),
    ("Attendance Lead", &[Role::Leader]),
    ("Lead Teaching Assistant", &[Role::Leader]),
    ("Pastoral Lead", &[Role::Leader]),
    ("Curriculum Lead", &[Role::Leader]),
];

/// The post whose holder in each school joined this term and has not reflected yet.
const NEW_TO_POST: usize = 16;

const FIRST: [&str; 30] = [
    "Amara", "Ben", "Chloe", "Dev", "Ella", "Femi", "Grace", "Harry", "Isla", "Jamal", "Kate",
    "Leo", "Maya", "Noah", "Olivia", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Victor",
    "Wen", "Yusuf", "Zara", "Aled", "Bethan", "Ciaran", "Dara", "Eleri",
];
const LAST: [&str; 30] = [
    "Okafor", "Hughes", "Patel", "Williams", "Nowak", "Adeyemi", "Evans", "Khan", "Murphy",
    "Roberts", "Singh", "Taylor", "Jones", "Ahmed", "Brown", "Davies", "Clarke", "Lewis",
    "Hussain", "Walker", "Wright", "Thomas", "Green", "Hall", "Wood", "Price", "Morgan", "Bennett",
    "Shaw", "Kaur",
];

/// A tiny deterministic generator (SplitMix64): the same demo every time.
pub(crate) struct Dice(pub(crate) u64);

impl Dice {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// `leadkit demo`: the demo trust, or with `--people N` a generated one.
#[derive(clap::Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Instead of the small demo trust, generate a trust of this many leaders
    /// (for trying insight at scale; see bench/insight.sh).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub people: Option<u32>,
    /// With --people: how many yearly cycles of reflections, up to this year's.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=20), requires = "people")]
    pub cycles: u32,
}

pub async fn run(args: DemoArgs) -> anyhow::Result<()> {
    let store = args.store.open(Clock::System).await?;
    match args.people {
        Some(people) => {
            super::generate::generate(&store, Clock::System, people as usize, args.cycles as usize)
                .await?
        }
        None => ensure(&store, Clock::System).await?,
    }
    store.close().await;
    Ok(())
}

/// Creates the demo trust if it is not there, gives its people a fresh password, and
/// prints how to sign in.
pub async fn ensure(store: &Store, clock: Clock) -> anyhow::Result<()> {
    let trust = match store.trust_named(DEMO_TRUST).await? {
        Some(trust) => trust,
        None => create(store, clock)
            .await
            .context("creating the demo trust")?,
    };
    let password = format!("demo-{}", &leadkit_web::auth::token::random_token()[..12]);
    let hash = leadkit_web::auth::password::hash(password.clone())
        .await
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    let people = store.set_trust_password_hash(trust, &hash).await?;
    println!();
    println!("Demo trust \"{DEMO_TRUST}\": {people} people, each with the password  {password}");
    println!("(a new password is made at every start). For example:");
    for (who, email) in [
        ("administrator", "admin@demo-trust.example"),
        ("headteacher", &email_for(0, 0)),
        ("deputy headteacher, a coach", &email_for(0, 1)),
        ("head of English", &email_for(2, 8)),
        (
            "new to post: nothing reflected yet",
            &email_for(0, NEW_TO_POST),
        ),
    ] {
        println!("    {email:<34} {who}");
    }
    Ok(())
}

fn name_for(school: usize, post: usize) -> (&'static str, &'static str) {
    let index = school * POSTS.len() + post;
    (
        FIRST[index % FIRST.len()],
        LAST[(index * 7 + school) % LAST.len()],
    )
}

fn email_for(school: usize, post: usize) -> String {
    let (first, last) = name_for(school, post);
    format!(
        "{}.{}@{}",
        first.to_lowercase(),
        last.to_lowercase(),
        SCHOOLS[school].1
    )
}

async fn create(store: &Store, clock: Clock) -> anyhow::Result<TrustId> {
    let now = clock.now();
    let trust = store.create_trust(DEMO_TRUST, now).await?;
    let (cycle_name, starts_on, ends_on) = school_year_containing(now.date());
    let cycle = store
        .ensure_cycle(trust, &cycle_name, starts_on, ends_on)
        .await?;
    let framework = store
        .latest_framework(&leadkit_content::primary_key()?)
        .await
        .context("the Leadership Toolkit is not loaded")?;
    let mut people: Vec<(PersonId, usize)> = Vec::new();
    let trust_people: [(&str, &str, &str, &[Role]); 3] = [
        (
            "Morgan Ellis",
            "admin@demo-trust.example",
            "Trust Data and Systems Manager",
            &[Role::Administrator],
        ),
        (
            "Helen Achebe",
            "ceo@demo-trust.example",
            "Chief Executive Officer",
            &[Role::Leader, Role::TrustLead],
        ),
        (
            "Rhys Carter",
            "director.education@demo-trust.example",
            "Director of Education",
            &[Role::Leader, Role::TrustLead, Role::Coach],
        ),
    ];
    let mut trust_ids = Vec::new();
    for (name, email, job, roles) in trust_people {
        let id = store
            .create_person(&new_person(trust, None, name, email, job, roles)?, now)
            .await?;
        trust_ids.push(id);
        if roles.contains(&Role::Leader) {
            people.push((id, 0));
        }
    }
    let (ceo, director) = (trust_ids[1], trust_ids[2]);
    for (school_index, (school_name, _)) in SCHOOLS.iter().enumerate() {
        let school = store.create_school(trust, school_name).await?;
        let mut staff = Vec::with_capacity(POSTS.len());
        for (post, (job, roles)) in POSTS.iter().enumerate() {
            let (first, last) = name_for(school_index, post);
            let person = new_person(
                trust,
                Some(school),
                &format!("{first} {last}"),
                &email_for(school_index, post),
                job,
                roles,
            )?;
            let id = store.create_person(&person, now).await?;
            staff.push(id);
            people.push((id, post));
        }
        relate_and_share(store, cycle, &staff, ceo, director, now).await?;
    }
    let mut dice = Dice(0x01ea_dc17);
    for (person, post) in people {
        let changes = reflections_for(&framework.framework, post, &mut dice);
        let scope = ReflectionScope {
            person,
            cycle,
            framework: framework.id,
        };
        store.save_reflections(scope, &changes, now).await?;
        if post % 3 == 1 {
            demo_goal(store, scope, &changes, now).await?;
        }
    }
    Ok(trust)
}

/// A Growing Great People goal on the first component a leader put at Some
/// impact, aiming one level higher, with two actions, a check-in and a note of
/// evidence, so the goals, evidence and calendar pages have something to show.
async fn demo_goal(
    store: &Store,
    scope: ReflectionScope,
    changes: &[ReflectionChange],
    now: time::OffsetDateTime,
) -> anyhow::Result<()> {
    use leadkit_domain::goal::{GoalDraft, GoalStatus, Line, Rag, Support};
    use leadkit_domain::scale::LevelCode;
    use leadkit_store::evidence::NewEvidence;
    use leadkit_store::goals::{ItemRef, NewAction, NewCheckIn};
    let Some(change) = changes
        .iter()
        .find(|c| c.judgement.as_ref().is_some_and(|j| j.as_str() == "some"))
    else {
        return Ok(());
    };
    let line = |text: &str| Line::parse_field("text", text).map_err(|e| anyhow::anyhow!("{e}"));
    let note = |text: &str| Note::parse(text).map_err(|e| anyhow::anyhow!("{e}"));
    let draft = GoalDraft {
        title: line(&format!("Grow my impact on {}", change.item))?,
        current_level: Some(LevelCode::parse("some").map_err(|e| anyhow::anyhow!("{e}"))?),
        target_level: Some(LevelCode::parse("high").map_err(|e| anyhow::anyhow!("{e}"))?),
        why: note("It is where my reflection showed the most room to grow.")?,
        success_criteria: note("Colleagues beyond my own team use what we have built.")?,
        support: vec![Support::Coaching, Support::Colleague],
        support_detail: note("Time with someone in the trust who does this well.")?,
        status: GoalStatus::InProgress,
    };
    let item = ItemRef {
        framework: scope.framework,
        code: change.item.clone(),
    };
    let goal = store
        .create_goal(
            scope.person,
            scope.cycle,
            &draft,
            std::slice::from_ref(&item),
            None,
            now,
        )
        .await?;
    for (text, days) in [
        ("Visit a colleague who does this well", 10),
        ("Share what I learnt with my team", 40),
    ] {
        store
            .add_action(
                goal,
                &NewAction {
                    text: line(text)?,
                    owner: line("me")?,
                    due_on: Some(now.date() + time::Duration::days(days)),
                },
            )
            .await?;
    }
    let owner = store.person(scope.person).await?;
    store
        .add_check_in(
            goal,
            &NewCheckIn {
                author: scope.person,
                author_name: owner.name.as_str().to_owned(),
                on: now.date() - time::Duration::days(7),
                progress: note("Talked it through with my coach; the visit is booked.")?,
                rag: Rag::Green,
                next_steps: note("Go on the visit and write up three things to try.")?,
            },
            now,
        )
        .await?;
    store
        .add_evidence(
            scope.person,
            scope.cycle,
            &NewEvidence {
                title: line("Notes from the planning meeting")?,
                on: now.date() - time::Duration::days(14),
                note: note("Agreed the first steps with the team; minutes on the shared drive.")?,
                link: None,
                file: None,
            },
            &[item],
            &[goal],
            now,
        )
        .await?;
    Ok(())
}

/// Coaches and line managers in one school: the headteacher line-manages everyone
/// and is line-managed by the chief executive and coached by the director of
/// education; the deputy, the assistant head for teaching and learning and the CPD
/// lead coach the rest in turn. Three in four have shared this cycle's reflections
/// with their coach, so a coach signing in sees both shared and private colleagues.
async fn relate_and_share(
    store: &Store,
    cycle: leadkit_domain::cycle::CycleId,
    staff: &[PersonId],
    ceo: PersonId,
    director: PersonId,
    now: time::OffsetDateTime,
) -> anyhow::Result<()> {
    use leadkit_domain::access::Audience;
    use leadkit_domain::access::{RecordKind, RelationshipKind};
    const COACHES: [usize; 3] = [1, 2, 5];
    let head = staff[0];
    store
        .set_relationship(head, RelationshipKind::LineManager, Some(ceo), now)
        .await?;
    store
        .set_relationship(head, RelationshipKind::Coach, Some(director), now)
        .await?;
    for (post, &person) in staff.iter().enumerate().skip(1) {
        store
            .set_relationship(person, RelationshipKind::LineManager, Some(head), now)
            .await?;
        let coach = if COACHES.contains(&post) {
            head
        } else {
            staff[COACHES[post % COACHES.len()]]
        };
        store
            .set_relationship(person, RelationshipKind::Coach, Some(coach), now)
            .await?;
        if post % 4 != 0 {
            store
                .set_share(
                    person,
                    cycle,
                    RecordKind::Reflections,
                    Audience::Coach,
                    true,
                    now,
                )
                .await?;
        }
    }
    Ok(())
}

fn new_person(
    trust: TrustId,
    school: Option<SchoolId>,
    name: &str,
    email: &str,
    job: &str,
    roles: &[Role],
) -> anyhow::Result<NewPerson> {
    Ok(NewPerson {
        trust,
        school,
        name: PersonName::parse(name).map_err(|e| anyhow::anyhow!("{e}"))?,
        email: Email::parse(email).map_err(|e| anyhow::anyhow!("{e}"))?,
        job_title: job.to_owned(),
        roles: roles
            .iter()
            .map(|&role| RoleGrant { role, school })
            .collect(),
        password_hash: None,
    })
}

const NOTES: [&str; 6] = [
    "Led the autumn review of this with the senior team; next step is sharing it with governors.",
    "Strong in my own area, but I have not yet influenced practice beyond my team.",
    "Worked on this with my coach last term.",
    "Evidence: staff survey results and the spring learning walk notes.",
    "Would like to learn from a colleague who does this well across the trust.",
    "Not part of my current role, but I want to develop it before applying for a senior post.",
];

/// A plausible partial reflection: more senior posts (lower index) sit higher.
fn reflections_for(framework: &Framework, post: usize, dice: &mut Dice) -> Vec<ReflectionChange> {
    if post == NEW_TO_POST {
        return Vec::new();
    }
    let seniority = (POSTS.len().saturating_sub(post)) as u64; // 1..=19
    let levels = ["some", "high", "highest"];
    let answered = 40 + dice.below(61); // reflect on 40–100 % of components
    framework
        .reflectable_items()
        .filter_map(|item| {
            if dice.below(100) >= answered {
                return None;
            }
            let roll = dice.below(100);
            let judgement = if roll < 4 {
                Judgement::NotInRole
            } else if roll < 12 {
                Judgement::NotYet
            } else {
                let lift = dice.below(20 + seniority * 3);
                let index = match lift {
                    0..=14 => 0,
                    15..=44 => 1,
                    _ => 2,
                };
                Judgement::parse(levels[index]).ok()?
            };
            let note = if dice.below(100) < 15 {
                NOTES[dice.below(NOTES.len() as u64) as usize]
            } else {
                ""
            };
            ReflectionChange::validate(
                framework,
                item.code.clone(),
                Some(judgement),
                Note::parse(note).ok()?,
            )
            .ok()
        })
        .collect()
}
