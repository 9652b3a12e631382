//! The storage suite: every behaviour is one `async fn(&Store)`, run on SQLite
//! always and on PostgreSQL when `LEADKIT_TEST_PG_URL` is set.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use leadkit_domain::framework::{FrameworkKey, ItemCode};
use leadkit_domain::people::{Email, PersonName, Role, RoleGrant};
use leadkit_domain::reflection::{Judgement, Note, ReflectionChange};
use leadkit_store::people::{FIRST_ADMINISTRATOR, Founding, NewPerson};
use leadkit_store::reflections::ReflectionScope;
use leadkit_store::sessions::NewSession;
use leadkit_store::{Store, StoreError};
use time::OffsetDateTime;
use time::macros::{date, datetime};

// The throw-away database helpers, compiled into this test from the library's
// own file: the library only has them with its `testing` feature, which a
// crate cannot turn on for its own integration tests. (`crate::StoreError`
// there is the import above.)
#[path = "../../src/testing.rs"]
mod testing;

const NOW: OffsetDateTime = datetime!(2026-11-22 10:00 UTC);

async fn sqlite() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite(&dir.path().join("leadkit.db"))
        .await
        .unwrap();
    store.migrate(NOW).await.unwrap();
    (store, dir)
}

/// Runs one behaviour on every backend available.
macro_rules! on_every_backend {
    ($($name:ident),* $(,)?) => {
        mod sqlite_backend {
            $(
                #[tokio::test]
                async fn $name() {
                    let (store, _dir) = super::sqlite().await;
                    super::$name(&store).await;
                }
            )*
        }
        mod postgres_backend {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some(server) = crate::testing::postgres_url() else {
                        // CI must exercise PostgreSQL; a developer's laptop may not have it.
                        assert!(std::env::var("CI").is_err(), "CI is set but LEADKIT_TEST_PG_URL is not");
                        println!("skipped: no PostgreSQL URL");
                        return;
                    };
                    let url = crate::testing::create_postgres_database(&server).await.unwrap();
                    let store = leadkit_store::Store::connect(&url).await.unwrap();
                    store.migrate(super::NOW).await.unwrap();
                    super::$name(&store).await;
                    store.close().await;
                    crate::testing::drop_postgres_database(&server, &url).await.unwrap();
                    println!("ran on PostgreSQL");
                }
            )*
        }
    };
}

on_every_backend!(
    migrating_twice_applies_nothing_the_second_time,
    publishing_the_toolkit_stores_it_whole_and_only_once,
    a_founding_creates_trust_administrator_and_cycle_and_uses_up_the_link,
    an_email_can_belong_to_only_one_person,
    a_session_is_found_by_its_hash_until_it_expires_or_is_deleted,
    a_reflection_is_saved_replaced_and_read_back_in_framework_order,
    a_reflection_on_an_unknown_item_changes_nothing,
    reflections_are_kept_per_person_and_cycle,
    a_new_version_keeps_old_reflections_and_carries_matching_ones_forward,
    a_cached_store_sees_every_write_it_makes,
    a_cached_store_sees_archives_and_erasures_made_by_another_process,
    a_person_has_one_coach_and_one_line_manager_from_their_own_trust,
    sharing_choices_stand_per_cycle_and_a_new_cycle_takes_the_trust_default,
    the_audit_log_keeps_entries_newest_first_with_names,
    a_portable_backup_restores_every_table_exactly_and_refuses_bad_files,
    erasing_a_person_keeps_their_judgements_and_nothing_that_names_them,
    a_staff_list_applies_all_or_nothing_and_twice_changes_nothing,
    archived_people_are_erased_only_after_the_trusts_retention,
    a_sign_on_in_progress_is_taken_once_and_only_before_it_expires,
    a_goal_keeps_its_items_actions_check_ins_and_review_and_carries_forward_once,
    evidence_is_tagged_and_its_file_is_orphaned_only_when_nothing_names_it,
    a_coachs_view_sits_beside_the_reflection_and_a_sign_off_is_kept_once,
    a_new_cycle_can_start_from_last_cycles_levels_and_a_closed_cycle_is_not_current,
    a_reminder_day_is_claimed_once_and_only_open_actions_of_people_who_want_them_count,
    a_schools_own_cycle_comes_first_for_its_people_and_starts_from_their_levels_only,
    precomputed_insight_stays_exact_as_judgements_people_and_the_threshold_change,
    precomputed_growth_stays_exact_as_either_cycle_people_and_the_threshold_change,
    the_people_overview_and_participation_count_what_each_person_has_done,
);

/// Brings the cycle's cells up to date and checks them against the numbers
/// counted from scratch from every judgement.
async fn cells_are_exact(
    store: &Store,
    trust: leadkit_domain::people::TrustId,
    cycle: leadkit_domain::cycle::CycleId,
    framework: leadkit_domain::framework::FrameworkVersionId,
    k: u32,
) -> usize {
    use leadkit_domain::insight::{Cell, Counted, Threshold, cells, release};
    let toolkit = toolkit();
    let scale = toolkit.scale.as_ref().unwrap();
    let threshold = Threshold::new(k).unwrap();
    store
        .refresh_insight(cycle, framework, Some(scale), threshold)
        .await
        .unwrap();
    let again = store
        .refresh_insight(cycle, framework, Some(scale), threshold)
        .await
        .unwrap();
    assert_eq!(again.components, 0, "nothing is left stale after a refresh");
    let every = leadkit_store::insight_cells::CellQuery {
        school: None,
        team: None,
        role: None,
    };
    let mut stored: Vec<(
        String,
        leadkit_domain::insight::Population,
        leadkit_domain::insight::Distribution,
    )> = store
        .insight_cells(&[cycle], framework, every)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.item.to_string(), c.population, c.distribution))
        .collect();
    stored.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    let judgements = store
        .grouped_judgements(trust, cycle, framework)
        .await
        .unwrap();
    let mut expected = Vec::new();
    let items: std::collections::BTreeSet<String> =
        judgements.iter().map(|j| j.item.to_string()).collect();
    for item in items {
        let counted: Vec<Counted> = judgements
            .iter()
            .filter(|j| j.item.to_string() == item)
            .filter_map(|j| match &j.judgement {
                Judgement::NotInRole => None,
                Judgement::NotYet => Some(Counted {
                    who: j.who,
                    rank: None,
                }),
                Judgement::Level(level) => Some(Counted {
                    who: j.who,
                    rank: scale.rank(level),
                }),
            })
            .collect();
        let who: Vec<_> = counted.iter().map(|c| c.who).collect();
        let released: Vec<_> = release(&who, threshold).into_iter().collect();
        for (population, cell) in released
            .iter()
            .zip(cells(&counted, 3, &released, threshold))
        {
            let Cell::Shown(distribution) = cell else {
                panic!("a released cell is shown")
            };
            expected.push((item.clone(), *population, distribution));
        }
    }
    expected.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    assert_eq!(stored, expected);
    stored.len()
}

async fn precomputed_insight_stays_exact_as_judgements_people_and_the_threshold_change(
    store: &Store,
) {
    let framework = store.publish_framework(&toolkit(), NOW).await.unwrap();
    let (_, trust) = founded(store).await;
    let ash = store.create_school(trust, "Ash").await.unwrap();
    let birch = store.create_school(trust, "Birch").await.unwrap();
    store.create_team(trust, ash, "Maths").await.unwrap();
    let maths = store.teams_of_trust(trust).await.unwrap()[0].id;
    let cycle = store
        .current_cycle(trust, None, date!(2026 - 11 - 22))
        .await
        .unwrap()
        .unwrap()
        .id;
    let levels = [
        Some("not_yet"),
        Some("some"),
        Some("high"),
        Some("highest"),
        Some("not_in_role"),
        None,
    ];
    let mut people = Vec::new();
    for i in 0..16 {
        let school = if i < 10 { ash } else { birch };
        let person = store
            .create_person(
                &NewPerson {
                    trust,
                    school: Some(school),
                    name: PersonName::parse("Pat Person").unwrap(),
                    email: Email::parse(&format!("p{i}@example.org")).unwrap(),
                    job_title: String::new(),
                    roles: vec![RoleGrant {
                        role: Role::Leader,
                        school: Some(school),
                    }],
                    password_hash: None,
                },
                NOW,
            )
            .await
            .unwrap();
        let scope = ReflectionScope {
            person,
            cycle,
            framework,
        };
        let changes = [
            change("1a i", levels[i % 4], ""),
            change("1a ii", levels[(i * 3) % 6], "a note"),
        ];
        store.save_reflections(scope, &changes, NOW).await.unwrap();
        people.push((person, school));
    }
    assert!(cells_are_exact(store, trust, cycle, framework, 5).await > 0);

    // A judgement changes, and a note alone (the cells stay exact either way).
    let scope = |person| ReflectionScope {
        person,
        cycle,
        framework,
    };
    store
        .save_reflection(
            scope(people[0].0),
            &change("1a i", Some("highest"), ""),
            NOW,
        )
        .await
        .unwrap();
    store
        .save_reflection(
            scope(people[1].0),
            &change("1a ii", levels[3], "only the note"),
            NOW,
        )
        .await
        .unwrap();
    cells_are_exact(store, trust, cycle, framework, 5).await;
    // People move team and school and gain a role.
    for (i, (person, _)) in people.iter().enumerate().take(6) {
        let details = leadkit_store::people::PersonDetails {
            school: Some(if i < 5 { ash } else { birch }),
            team: (i < 5).then_some(maths),
            job_title: String::new(),
            roles: vec![
                RoleGrant {
                    role: Role::Leader,
                    school: None,
                },
                RoleGrant {
                    role: Role::Coach,
                    school: None,
                },
            ]
            .into_iter()
            .take(if i % 2 == 0 { 2 } else { 1 })
            .collect(),
        };
        store
            .update_person_details(trust, *person, &details)
            .await
            .unwrap();
    }
    cells_are_exact(store, trust, cycle, framework, 5).await;
    // Someone is erased; a new person reflects.
    store.erase_person(trust, people[12].0, NOW).await.unwrap();
    cells_are_exact(store, trust, cycle, framework, 5).await;
    // The threshold is raised: every cell is counted again under it.
    store.set_insight_threshold(trust, 7).await.unwrap();
    let stale = store
        .refresh_insight(
            cycle,
            framework,
            toolkit().scale.as_ref(),
            leadkit_domain::insight::Threshold::new(5).unwrap(),
        )
        .await;
    assert!(
        matches!(stale, Err(StoreError::Conflict(_))),
        "cells are never counted with a threshold the trust no longer has"
    );
    cells_are_exact(store, trust, cycle, framework, 7).await;
    // A new cycle starting from this one's levels has its own exact cells.
    let next = store
        .open_cycle(
            trust,
            &leadkit_store::cycles::NewCycle {
                school: None,
                name: "Next year",
                starts_on: date!(2027 - 09 - 01),
                ends_on: date!(2028 - 08 - 31),
                carry_from: Some(cycle),
            },
            NOW,
        )
        .await
        .unwrap();
    assert!(cells_are_exact(store, trust, next, framework, 7).await > 0);
}

/// Brings the growth cells between two cycles up to date and checks, for every
/// school and role anyone is in (growth is never asked per team), that what is stored is what [`growth`] counts from
/// scratch from each person's two judgements: the same numbers where shown, and
/// nothing where withheld.
async fn growth_is_exact(
    store: &Store,
    people: &[leadkit_domain::people::PersonId],
    pair: (
        leadkit_domain::cycle::CycleId,
        leadkit_domain::cycle::CycleId,
    ),
    framework: leadkit_domain::framework::FrameworkVersionId,
    k: u32,
) -> usize {
    use leadkit_domain::insight::{Attributes, Move, Population, Threshold, growth};
    use std::collections::{BTreeMap, BTreeSet};
    let toolkit = toolkit();
    let scale = toolkit.scale.as_ref().unwrap();
    let threshold = Threshold::new(k).unwrap();
    store
        .refresh_growth(pair, framework, Some(scale), threshold)
        .await
        .unwrap();
    let again = store
        .refresh_growth(pair, framework, Some(scale), threshold)
        .await
        .unwrap();
    assert_eq!(again.components, 0, "nothing is left stale after a refresh");
    let rank = |j: &Option<Judgement>| match j {
        None | Some(Judgement::NotInRole) => None,
        Some(Judgement::NotYet) => Some(None),
        Some(Judgement::Level(level)) => Some(scale.rank(level)),
    };
    let mut moves: BTreeMap<String, Vec<Move>> = BTreeMap::new();
    let mut populations: BTreeSet<Population> = BTreeSet::from([Population::ALL]);
    for person in people {
        let details = store.person(*person).await.unwrap();
        let who = Attributes {
            school: details.school.map_or(0, |s| s.0),
            team: store.team_of(*person).await.unwrap().unwrap_or(0),
            role: details
                .roles
                .iter()
                .map(|g| match g.role {
                    Role::TrustLead => 4,
                    Role::SchoolLead => 3,
                    Role::Coach => 2,
                    Role::Leader => 1,
                    _ => 0,
                })
                .max()
                .unwrap_or(0),
        };
        for school in [None, Some(who.school)] {
            for role in [None, Some(who.role)] {
                populations.insert(Population {
                    school,
                    team: None,
                    role,
                });
            }
        }
        let scope = |cycle| ReflectionScope {
            person: *person,
            cycle,
            framework,
        };
        let before = store.reflections(scope(pair.0)).await.unwrap();
        let after = store.reflections(scope(pair.1)).await.unwrap();
        for a in &before {
            let Some(b) = after.iter().find(|b| b.item == a.item) else {
                continue;
            };
            if let (Some(from), Some(to)) = (rank(&a.judgement), rank(&b.judgement)) {
                moves.entry(a.item.to_string()).or_default().push(Move {
                    who,
                    from,
                    to,
                    people: 1,
                });
            }
        }
    }
    let mut shown = 0;
    for population in &populations {
        let stored: BTreeMap<String, leadkit_domain::insight::Growth> = store
            .growth_cells(pair, framework, (population.school, population.role))
            .await
            .unwrap()
            .into_iter()
            .map(|(item, g)| (item.to_string(), g))
            .collect();
        let expected: BTreeMap<String, leadkit_domain::insight::Growth> = moves
            .iter()
            .filter_map(|(item, m)| Some((item.clone(), growth(m, population, threshold)?)))
            .collect();
        assert_eq!(stored, expected, "{population:?}");
        shown += stored.len();
    }
    shown
}

async fn precomputed_growth_stays_exact_as_either_cycle_people_and_the_threshold_change(
    store: &Store,
) {
    let framework = store.publish_framework(&toolkit(), NOW).await.unwrap();
    let (_, trust) = founded(store).await;
    let ash = store.create_school(trust, "Ash").await.unwrap();
    let birch = store.create_school(trust, "Birch").await.unwrap();
    store.create_team(trust, ash, "Maths").await.unwrap();
    let maths = store.teams_of_trust(trust).await.unwrap()[0].id;
    let first = store
        .current_cycle(trust, None, date!(2026 - 11 - 22))
        .await
        .unwrap()
        .unwrap()
        .id;
    let levels = [
        Some("not_yet"),
        Some("some"),
        Some("high"),
        Some("highest"),
        Some("not_in_role"),
        None,
    ];
    let mut people = Vec::new();
    for i in 0..16 {
        let school = if i < 10 { ash } else { birch };
        let person = store
            .create_person(
                &NewPerson {
                    trust,
                    school: Some(school),
                    name: PersonName::parse("Pat Person").unwrap(),
                    email: Email::parse(&format!("g{i}@example.org")).unwrap(),
                    job_title: String::new(),
                    roles: vec![RoleGrant {
                        role: Role::Leader,
                        school: Some(school),
                    }],
                    password_hash: None,
                },
                NOW,
            )
            .await
            .unwrap();
        let scope = ReflectionScope {
            person,
            cycle: first,
            framework,
        };
        let changes = [
            change("1a i", levels[i % 4], ""),
            change("1a ii", levels[(i * 3) % 6], "a note"),
        ];
        store.save_reflections(scope, &changes, NOW).await.unwrap();
        people.push(person);
    }
    // The next cycle starts from these levels; most people then move on 1a i.
    let second = store
        .open_cycle(
            trust,
            &leadkit_store::cycles::NewCycle {
                school: None,
                name: "Next year",
                starts_on: date!(2027 - 09 - 01),
                ends_on: date!(2028 - 08 - 31),
                carry_from: Some(first),
            },
            NOW,
        )
        .await
        .unwrap();
    let pair = (first, second);
    let scope = |person, cycle| ReflectionScope {
        person,
        cycle,
        framework,
    };
    for (i, person) in people.iter().enumerate().take(12) {
        store
            .save_reflection(
                scope(*person, second),
                &change("1a i", levels[(i + 1 + i % 3) % 4], ""),
                NOW,
            )
            .await
            .unwrap();
    }
    assert!(growth_is_exact(store, &people, pair, framework, 5).await > 0);
    // A judgement changes in the later cycle, one in the earlier, and a note
    // alone.
    store
        .save_reflection(
            scope(people[0], second),
            &change("1a i", levels[0], ""),
            NOW,
        )
        .await
        .unwrap();
    store
        .save_reflection(
            scope(people[3], first),
            &change("1a ii", levels[2], ""),
            NOW,
        )
        .await
        .unwrap();
    store
        .save_reflection(
            scope(people[5], second),
            &change("1a ii", levels[(5 * 3) % 6], "only the note"),
            NOW,
        )
        .await
        .unwrap();
    growth_is_exact(store, &people, pair, framework, 5).await;
    // People move team and school and gain a role.
    for (i, person) in people.iter().enumerate().take(6) {
        let details = leadkit_store::people::PersonDetails {
            school: Some(if i < 5 { ash } else { birch }),
            team: (i < 5).then_some(maths),
            job_title: String::new(),
            roles: vec![
                RoleGrant {
                    role: Role::Leader,
                    school: None,
                },
                RoleGrant {
                    role: Role::Coach,
                    school: None,
                },
            ]
            .into_iter()
            .take(if i % 2 == 0 { 2 } else { 1 })
            .collect(),
        };
        store
            .update_person_details(trust, *person, &details)
            .await
            .unwrap();
    }
    growth_is_exact(store, &people, pair, framework, 5).await;
    // The threshold is raised: every cell is counted again under it.
    store.set_insight_threshold(trust, 7).await.unwrap();
    let stale = store
        .refresh_growth(
            pair,
            framework,
            toolkit().scale.as_ref(),
            leadkit_domain::insight::Threshold::new(5).unwrap(),
        )
        .await;
    assert!(
        matches!(stale, Err(StoreError::Conflict(_))),
        "growth is never counted with a threshold the trust no longer has"
    );
    growth_is_exact(store, &people, pair, framework, 7).await;
    // The other way round is a pair of its own.
    growth_is_exact(store, &people, (second, first), framework, 7).await;
}

async fn a_schools_own_cycle_comes_first_for_its_people_and_starts_from_their_levels_only(
    store: &Store,
) {
    let framework = store.publish_framework(&toolkit(), NOW).await.unwrap();
    let (_, trust) = founded(store).await;
    let oakwood = store.create_school(trust, "Oakwood").await.unwrap();
    let elsewhere = store.create_school(trust, "Elm").await.unwrap();
    let mut in_oakwood = NewPerson {
        trust,
        school: Some(oakwood),
        name: PersonName::parse("Olu Oak").unwrap(),
        email: Email::parse("olu@example.org").unwrap(),
        job_title: "Head of Year".into(),
        roles: vec![RoleGrant {
            role: Role::Leader,
            school: Some(oakwood),
        }],
        password_hash: None,
    };
    let olu = store.create_person(&in_oakwood, NOW).await.unwrap();
    in_oakwood.school = Some(elsewhere);
    in_oakwood.email = Email::parse("eli@example.org").unwrap();
    in_oakwood.roles[0].school = Some(elsewhere);
    let eli = store.create_person(&in_oakwood, NOW).await.unwrap();
    let today = date!(2026 - 11 - 22);
    let trust_year = store
        .current_cycle(trust, None, today)
        .await
        .unwrap()
        .unwrap();
    for person in [olu, eli] {
        store
            .save_reflection(
                ReflectionScope {
                    person,
                    cycle: trust_year.id,
                    framework,
                },
                &change("1a i", Some("high"), "year"),
                NOW,
            )
            .await
            .unwrap();
    }
    let term = store
        .open_cycle(
            trust,
            &leadkit_store::cycles::NewCycle {
                school: Some(oakwood),
                name: "Oakwood spring term",
                starts_on: date!(2026 - 11 - 01),
                ends_on: date!(2027 - 03 - 31),
                carry_from: Some(trust_year.id),
            },
            NOW,
        )
        .await
        .unwrap();
    // Oakwood's people are in their school's term; everyone else stays in the year.
    let for_oakwood = store
        .current_cycle(trust, Some(oakwood), today)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(for_oakwood.id, term);
    assert_eq!(for_oakwood.school, Some(oakwood));
    assert_eq!(
        store
            .current_cycle(trust, Some(elsewhere), today)
            .await
            .unwrap()
            .unwrap()
            .id,
        trust_year.id
    );
    assert_eq!(
        store
            .current_cycle(trust, None, today)
            .await
            .unwrap()
            .unwrap()
            .id,
        trust_year.id
    );
    // Only Oakwood's levels came along.
    let scope = |person| ReflectionScope {
        person,
        cycle: term,
        framework,
    };
    assert_eq!(store.reflections(scope(olu)).await.unwrap().len(), 1);
    assert!(store.reflections(scope(eli)).await.unwrap().is_empty());
    let term_cycle = store.cycle(trust, term).await.unwrap();
    assert_eq!(
        store
            .previous_cycle(trust, Some(oakwood), &term_cycle)
            .await
            .unwrap()
            .unwrap()
            .id,
        trust_year.id
    );
    // Another trust's school cannot have a cycle here.
    assert!(matches!(
        store
            .open_cycle(
                trust,
                &leadkit_store::cycles::NewCycle {
                    school: Some(leadkit_domain::people::SchoolId(oakwood.0 + 999)),
                    name: "x",
                    starts_on: today,
                    ends_on: today,
                    carry_from: None
                },
                NOW
            )
            .await,
        Err(leadkit_store::StoreError::NotFound)
    ));
    // After the term, Oakwood is back in the year.
    store.close_cycle(trust, term, NOW).await.unwrap();
    assert_eq!(
        store
            .current_cycle(trust, Some(oakwood), today)
            .await
            .unwrap()
            .unwrap()
            .id,
        trust_year.id
    );
}

async fn a_reminder_day_is_claimed_once_and_only_open_actions_of_people_who_want_them_count(
    store: &Store,
) {
    use leadkit_domain::goal::Line;
    use leadkit_store::goals::{ItemRef, NewAction};
    let framework = store.publish_framework(&toolkit(), NOW).await.unwrap();
    let (_, trust) = founded(store).await;
    let lee = leader(store, trust, "lee@example.org").await;
    let cycle = store
        .current_cycle(trust, None, date!(2026 - 11 - 22))
        .await
        .unwrap()
        .unwrap();
    let item = ItemRef {
        framework,
        code: ItemCode::parse("1a i").unwrap(),
    };
    let goal = store
        .create_goal(
            lee,
            cycle.id,
            &goal_draft("g", None, "some"),
            &[item],
            None,
            NOW,
        )
        .await
        .unwrap();
    let action = store
        .add_action(
            goal,
            &NewAction {
                text: Line::required("t", "Do it", "x").unwrap(),
                owner: Line::default(),
                due_on: Some(date!(2026 - 11 - 25)),
            },
        )
        .await
        .unwrap();
    let (from, until) = (date!(2026 - 11 - 22), date!(2026 - 11 - 29));
    assert_eq!(
        store.people_with_actions_due(from, until).await.unwrap(),
        vec![lee]
    );
    assert!(
        store
            .people_with_actions_due(from, date!(2026 - 11 - 24))
            .await
            .unwrap()
            .is_empty()
    );
    store.set_action_done(goal, action, true).await.unwrap();
    assert!(
        store
            .people_with_actions_due(from, until)
            .await
            .unwrap()
            .is_empty()
    );
    store.set_action_done(goal, action, false).await.unwrap();
    store.set_email_reminders(lee, false).await.unwrap();
    assert!(
        store
            .people_with_actions_due(from, until)
            .await
            .unwrap()
            .is_empty()
    );
    store.set_email_reminders(lee, true).await.unwrap();
    assert_eq!(
        store.people_with_actions_due(from, until).await.unwrap(),
        vec![lee]
    );

    assert!(store.claim_reminder_day(lee, from).await.unwrap());
    assert!(
        !store.claim_reminder_day(lee, from).await.unwrap(),
        "once a day"
    );
    store.release_reminder_day(lee, from).await.unwrap();
    assert!(
        store.claim_reminder_day(lee, from).await.unwrap(),
        "released to retry"
    );
    assert!(
        store
            .claim_reminder_day(lee, date!(2026 - 11 - 23))
            .await
            .unwrap()
    );

    store.set_unsubscribe_token(lee, "hash-a").await.unwrap();
    assert_eq!(store.unsubscribe("hash-b").await.unwrap(), None);
    assert_eq!(store.unsubscribe("hash-a").await.unwrap(), Some(lee));
    assert!(!store.email_reminders(lee).await.unwrap());

    store.set_calendar_token(lee, "feed-1", NOW).await.unwrap();
    assert_eq!(
        store.person_by_calendar_token("feed-1").await.unwrap(),
        Some(lee)
    );
    store.set_calendar_token(lee, "feed-2", NOW).await.unwrap();
    assert_eq!(
        store.person_by_calendar_token("feed-1").await.unwrap(),
        None
    );
    store.revoke_calendar_token(lee).await.unwrap();
    assert_eq!(
        store.person_by_calendar_token("feed-2").await.unwrap(),
        None
    );
}

/// An evidence folder nobody writes to.
fn no_files() -> leadkit_store::files::FileStore {
    leadkit_store::files::FileStore::new(std::env::temp_dir().join("leadkit-no-files"), 0)
}

fn goal_draft(title: &str, current: Option<&str>, target: &str) -> leadkit_domain::goal::GoalDraft {
    use leadkit_domain::goal::{GoalDraft, GoalStatus, Line, Support};
    GoalDraft {
        title: Line::required("title", title, "a title").unwrap(),
        current_level: current.map(|c| leadkit_domain::scale::LevelCode::parse(c).unwrap()),
        target_level: Some(leadkit_domain::scale::LevelCode::parse(target).unwrap()),
        why: Note::parse("Because our pupils need it").unwrap(),
        success_criteria: Note::parse("Colleagues plan together").unwrap(),
        support: vec![Support::Coaching, Support::Colleague],
        support_detail: Note::default(),
        status: GoalStatus::Planned,
    }
}

async fn a_goal_keeps_its_items_actions_check_ins_and_review_and_carries_forward_once(
    store: &Store,
) {
    use leadkit_domain::goal::{Line, Outcome, Rag, Review};
    use leadkit_store::goals::{ItemRef, NewAction, NewCheckIn};
    let framework = store.publish_framework(&toolkit(), NOW).await.unwrap();
    let (admin, trust) = founded(store).await;
    let lee = leader(store, trust, "lee@example.org").await;
    let cycle = store
        .current_cycle(trust, None, date!(2026 - 11 - 22))
        .await
        .unwrap()
        .unwrap();
    let item = |code: &str| ItemRef {
        framework,
        code: ItemCode::parse(code).unwrap(),
    };
    // An item the version does not have changes nothing.
    let missing = store
        .create_goal(
            lee,
            cycle.id,
            &goal_draft("x", None, "some"),
            &[item("9z ix")],
            None,
            NOW,
        )
        .await;
    assert!(matches!(missing, Err(leadkit_store::StoreError::NotFound)));
    assert!(store.goals_of(lee, cycle.id).await.unwrap().is_empty());

    let id = store
        .create_goal(
            lee,
            cycle.id,
            &goal_draft("Lead curriculum thinking", Some("some"), "high"),
            &[item("1a i"), item("1a ii"), item("1a i")],
            None,
            NOW,
        )
        .await
        .unwrap();
    let first = store
        .add_action(
            id,
            &NewAction {
                text: Line::required("text", "Visit a partner school", "x").unwrap(),
                owner: Line::parse_field("owner", "me").unwrap(),
                due_on: Some(date!(2026 - 12 - 01)),
            },
        )
        .await
        .unwrap();
    store
        .add_action(
            id,
            &NewAction {
                text: Line::required("text", "Lead a department meeting", "x").unwrap(),
                owner: Line::default(),
                due_on: None,
            },
        )
        .await
        .unwrap();
    store.set_action_done(id, first, true).await.unwrap();
    assert!(matches!(
        store
            .set_action_done(leadkit_domain::goal::GoalId(id.0 + 1000), first, true)
            .await,
        Err(leadkit_store::StoreError::NotFound)
    ));
    for (author, name, rag) in [
        (lee, "Lee Leader", Rag::Amber),
        (admin, "Ada Admin", Rag::Green),
    ] {
        store
            .add_check_in(
                id,
                &NewCheckIn {
                    author,
                    author_name: name.into(),
                    on: date!(2027 - 01 - 15),
                    progress: Note::parse("Two visits done").unwrap(),
                    rag,
                    next_steps: Note::default(),
                },
                NOW,
            )
            .await
            .unwrap();
    }
    store
        .review_goal(
            id,
            &Review {
                outcome: Outcome::CarriedForward,
                note: Note::parse("Half way").unwrap(),
                on: date!(2027 - 07 - 10),
            },
        )
        .await
        .unwrap();
    let goal = store.goal(id).await.unwrap();
    assert_eq!(goal.items.len(), 2, "an item named twice is linked once");
    assert_eq!(goal.items[0].code.as_str(), "1a i");
    assert_eq!(goal.items[0].framework.as_str(), "leadership-toolkit");
    assert_eq!(goal.current_level.as_ref().unwrap().as_str(), "some");
    assert_eq!(goal.support.len(), 2);
    assert_eq!(goal.actions.len(), 2);
    assert!(goal.actions[0].done && !goal.actions[1].done);
    assert_eq!(goal.check_ins.len(), 2);
    assert_eq!(goal.check_ins[1].author_name, "Ada Admin");
    assert_eq!(
        goal.review.as_ref().unwrap().outcome,
        Outcome::CarriedForward
    );

    let next = store
        .open_cycle(
            trust,
            &leadkit_store::cycles::NewCycle {
                school: None,
                name: "2027–28",
                starts_on: date!(2027 - 09 - 01),
                ends_on: date!(2028 - 08 - 31),
                carry_from: None,
            },
            NOW,
        )
        .await
        .unwrap();
    let carried = store.carry_goal_forward(id, next, NOW).await.unwrap();
    assert_eq!(
        store.carry_goal_forward(id, next, NOW).await.unwrap(),
        carried,
        "once"
    );
    let carried = store.goal(carried).await.unwrap();
    assert_eq!(carried.carried_from, Some(id));
    assert_eq!(carried.cycle, next);
    assert_eq!(carried.items, goal.items);
    assert_eq!(carried.actions.len(), 1, "only the open action comes along");
    assert!(carried.check_ins.is_empty() && carried.review.is_none());
    assert_eq!(store.goals_of(lee, next).await.unwrap().len(), 1);
    assert_eq!(store.all_goals_of(lee).await.unwrap().len(), 2);
}

async fn evidence_is_tagged_and_its_file_is_orphaned_only_when_nothing_names_it(store: &Store) {
    use leadkit_domain::evidence::{Link, StoredFile};
    use leadkit_domain::goal::Line;
    use leadkit_store::evidence::NewEvidence;
    use leadkit_store::goals::ItemRef;
    let framework = store.publish_framework(&toolkit(), NOW).await.unwrap();
    let (_, trust) = founded(store).await;
    let lee = leader(store, trust, "lee@example.org").await;
    let other = leader(store, trust, "other@example.org").await;
    let cycle = store
        .current_cycle(trust, None, date!(2026 - 11 - 22))
        .await
        .unwrap()
        .unwrap();
    let item = ItemRef {
        framework,
        code: ItemCode::parse("2a i").unwrap(),
    };
    let goal = store
        .create_goal(
            lee,
            cycle.id,
            &goal_draft("g", None, "some"),
            std::slice::from_ref(&item),
            None,
            NOW,
        )
        .await
        .unwrap();
    let others_goal = store
        .create_goal(
            other,
            cycle.id,
            &goal_draft("g", None, "some"),
            std::slice::from_ref(&item),
            None,
            NOW,
        )
        .await
        .unwrap();
    let file = StoredFile {
        name: "plan.pdf".into(),
        sha256: "a".repeat(64),
        size: 1234,
        media_type: "application/pdf".into(),
    };
    let with_file = |title: &str| NewEvidence {
        title: Line::required("title", title, "x").unwrap(),
        on: date!(2026 - 11 - 20),
        note: Note::default(),
        link: None,
        file: Some(file.clone()),
    };
    // Tagging another person's goal is refused and writes nothing.
    let refused = store
        .add_evidence(lee, cycle.id, &with_file("x"), &[], &[others_goal], NOW)
        .await;
    assert!(matches!(refused, Err(leadkit_store::StoreError::NotFound)));
    assert!(store.evidence_of(lee, cycle.id).await.unwrap().is_empty());

    let one = store
        .add_evidence(
            lee,
            cycle.id,
            &with_file("Plan"),
            std::slice::from_ref(&item),
            &[goal],
            NOW,
        )
        .await
        .unwrap();
    let two = store
        .add_evidence(lee, cycle.id, &with_file("Same plan again"), &[], &[], NOW)
        .await
        .unwrap();
    let link = store
        .add_evidence(
            lee,
            cycle.id,
            &NewEvidence {
                title: Line::required("title", "Blog", "x").unwrap(),
                on: date!(2026 - 11 - 21),
                note: Note::parse("What I wrote").unwrap(),
                link: Some(Link::parse("https://example.org/post").unwrap()),
                file: None,
            },
            &[],
            &[],
            NOW,
        )
        .await
        .unwrap();
    let all = store.evidence_of(lee, cycle.id).await.unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(all[0].id, link, "newest first");
    let plan = store.evidence(one).await.unwrap();
    assert_eq!(plan.items[0].code.as_str(), "2a i");
    assert_eq!(plan.goals, vec![goal]);
    assert_eq!(plan.file.as_ref().unwrap(), &file);
    assert!(store.file_referenced(&file.sha256).await.unwrap());
    assert_eq!(
        store.delete_evidence(one).await.unwrap(),
        None,
        "still named by the other"
    );
    assert_eq!(
        store.delete_evidence(two).await.unwrap(),
        Some(file.sha256.clone())
    );
    assert!(!store.file_referenced(&file.sha256).await.unwrap());
    assert!(matches!(
        store.delete_evidence(two).await,
        Err(leadkit_store::StoreError::NotFound)
    ));
}

async fn a_coachs_view_sits_beside_the_reflection_and_a_sign_off_is_kept_once(store: &Store) {
    let framework = store.publish_framework(&toolkit(), NOW).await.unwrap();
    let (admin, trust) = founded(store).await;
    let lee = leader(store, trust, "lee@example.org").await;
    let cycle = store
        .current_cycle(trust, None, date!(2026 - 11 - 22))
        .await
        .unwrap()
        .unwrap();
    let scope = ReflectionScope {
        person: lee,
        cycle: cycle.id,
        framework,
    };
    store
        .save_reflection(scope, &change("1a i", Some("high"), "mine"), NOW)
        .await
        .unwrap();
    let code = ItemCode::parse("1a i").unwrap();
    store
        .save_coach_view(
            lee,
            cycle.id,
            framework,
            &code,
            admin,
            "Ada Admin",
            Some(&Judgement::parse("some").unwrap()),
            &Note::parse("I see it at some impact so far").unwrap(),
            NOW,
        )
        .await
        .unwrap();
    let views = store.coach_views(lee, cycle.id, framework).await.unwrap();
    assert_eq!(views.len(), 1);
    assert_eq!(views[0].judgement.as_ref().unwrap().as_str(), "some");
    let mine = store.reflections(scope).await.unwrap();
    assert_eq!(
        mine[0].judgement.as_ref().unwrap().as_str(),
        "high",
        "neither overwrites the other"
    );
    assert!(matches!(
        store
            .save_coach_view(
                lee,
                cycle.id,
                framework,
                &ItemCode::parse("9z ix").unwrap(),
                admin,
                "A",
                None,
                &Note::default(),
                NOW
            )
            .await,
        Err(leadkit_store::StoreError::NotFound)
    ));
    store
        .add_conversation_note(
            lee,
            cycle.id,
            admin,
            "Ada Admin",
            &Note::parse("We met").unwrap(),
            NOW,
        )
        .await
        .unwrap();
    store
        .add_conversation_note(
            lee,
            cycle.id,
            lee,
            "Lee Leader",
            &Note::parse("Thanks").unwrap(),
            NOW + time::Duration::minutes(1),
        )
        .await
        .unwrap();
    let notes = store.conversation_notes(lee, cycle.id).await.unwrap();
    assert_eq!(
        notes
            .iter()
            .map(|n| n.author_name.as_str())
            .collect::<Vec<_>>(),
        ["Ada Admin", "Lee Leader"]
    );
    assert!(store.signed_off(lee, cycle.id).await.unwrap().is_none());
    store
        .sign_off(lee, cycle.id, admin, "Ada Admin", NOW)
        .await
        .unwrap();
    store
        .sign_off(
            lee,
            cycle.id,
            admin,
            "Someone Else",
            NOW + time::Duration::days(1),
        )
        .await
        .unwrap();
    let signed = store.signed_off(lee, cycle.id).await.unwrap().unwrap();
    assert_eq!(signed.coach_name, "Ada Admin");
    assert_eq!(signed.at, NOW);
}

async fn a_new_cycle_can_start_from_last_cycles_levels_and_a_closed_cycle_is_not_current(
    store: &Store,
) {
    let framework = store.publish_framework(&toolkit(), NOW).await.unwrap();
    let (_, trust) = founded(store).await;
    let lee = leader(store, trust, "lee@example.org").await;
    let first = store
        .current_cycle(trust, None, date!(2026 - 11 - 22))
        .await
        .unwrap()
        .unwrap();
    let scope = ReflectionScope {
        person: lee,
        cycle: first.id,
        framework,
    };
    store
        .save_reflection(scope, &change("1a i", Some("high"), "last year"), NOW)
        .await
        .unwrap();
    // A name already used is refused and nothing changes.
    assert!(matches!(
        store
            .open_cycle(
                trust,
                &leadkit_store::cycles::NewCycle {
                    school: None,
                    name: &first.name,
                    starts_on: date!(2027 - 09 - 01),
                    ends_on: date!(2028 - 08 - 31),
                    carry_from: None
                },
                NOW
            )
            .await,
        Err(leadkit_store::StoreError::Conflict(_))
    ));
    let next = store
        .open_cycle(
            trust,
            &leadkit_store::cycles::NewCycle {
                school: None,
                name: "2027–28",
                starts_on: date!(2027 - 09 - 01),
                ends_on: date!(2028 - 08 - 31),
                carry_from: Some(first.id),
            },
            NOW,
        )
        .await
        .unwrap();
    let carried = store
        .reflections(ReflectionScope {
            cycle: next,
            ..scope
        })
        .await
        .unwrap();
    assert_eq!(carried.len(), 1);
    assert_eq!(carried[0].judgement.as_ref().unwrap().as_str(), "high");
    assert_eq!(carried[0].note.as_str(), "last year");
    // Changing the new cycle leaves the old one as it was.
    store
        .save_reflection(
            ReflectionScope {
                cycle: next,
                ..scope
            },
            &change("1a i", Some("highest"), "now"),
            NOW,
        )
        .await
        .unwrap();
    assert_eq!(
        store.reflections(scope).await.unwrap()[0].note.as_str(),
        "last year"
    );
    assert_eq!(store.cycles(trust).await.unwrap().len(), 2);
    let previous = store
        .previous_cycle(trust, None, &store.cycle(trust, next).await.unwrap())
        .await
        .unwrap();
    assert_eq!(previous.unwrap().id, first.id);
    // In the new school year the new cycle is current; closing it leaves the old open one.
    assert_eq!(
        store
            .current_cycle(trust, None, date!(2027 - 10 - 01))
            .await
            .unwrap()
            .unwrap()
            .id,
        next
    );
    store.close_cycle(trust, next, NOW).await.unwrap();
    assert_eq!(
        store
            .current_cycle(trust, None, date!(2027 - 10 - 01))
            .await
            .unwrap()
            .unwrap()
            .id,
        first.id
    );
    assert!(!store.cycle(trust, next).await.unwrap().open);
    assert!(matches!(
        store
            .close_cycle(leadkit_domain::people::TrustId(trust.0 + 99), first.id, NOW)
            .await,
        Err(leadkit_store::StoreError::NotFound)
    ));
}

fn toolkit() -> leadkit_domain::framework::Framework {
    leadkit_content::toolkit().unwrap()
}

async fn founded(
    store: &Store,
) -> (
    leadkit_domain::people::PersonId,
    leadkit_domain::people::TrustId,
) {
    store
        .replace_setup_token(
            "hash-1",
            FIRST_ADMINISTRATOR,
            NOW + time::Duration::hours(1),
        )
        .await
        .unwrap();
    let founding = Founding {
        setup_token_hash: "hash-1".into(),
        trust_name: "Test Trust".into(),
        administrator: NewPerson {
            trust: leadkit_domain::people::TrustId(0),
            school: None,
            name: PersonName::parse("Ada Admin").unwrap(),
            email: Email::parse("ada@example.org").unwrap(),
            job_title: "Director of Education".into(),
            roles: vec![RoleGrant {
                role: Role::Administrator,
                school: None,
            }],
            password_hash: Some("$argon2id$fake".into()),
        },
        cycle: (
            "2026–27".into(),
            date!(2026 - 09 - 01),
            date!(2027 - 08 - 31),
        ),
    };
    let person = store.found_trust(&founding, NOW).await.unwrap();
    let trust = store.person(person).await.unwrap().trust;
    (person, trust)
}

async fn leader(
    store: &Store,
    trust: leadkit_domain::people::TrustId,
    email: &str,
) -> leadkit_domain::people::PersonId {
    let person = NewPerson {
        trust,
        school: None,
        name: PersonName::parse("Lee Leader").unwrap(),
        email: Email::parse(email).unwrap(),
        job_title: "Head of Year".into(),
        roles: vec![RoleGrant {
            role: Role::Leader,
            school: None,
        }],
        password_hash: None,
    };
    store.create_person(&person, NOW).await.unwrap()
}

async fn migrating_twice_applies_nothing_the_second_time(store: &Store) {
    assert_eq!(store.migrate(NOW).await.unwrap(), 0);
}

async fn publishing_the_toolkit_stores_it_whole_and_only_once(store: &Store) {
    let framework = toolkit();
    let first = store.publish_framework(&framework, NOW).await.unwrap();
    let again = store.publish_framework(&framework, NOW).await.unwrap();
    assert_eq!(first, again);
    let stored = store.frameworks().await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(
        stored[0].framework, framework,
        "the stored document differs from the shipped one"
    );
    let latest = store
        .latest_framework(&FrameworkKey::parse("leadership-toolkit").unwrap())
        .await
        .unwrap();
    assert_eq!(latest.id, first);
}

async fn a_founding_creates_trust_administrator_and_cycle_and_uses_up_the_link(store: &Store) {
    assert_eq!(store.administrators_with_password().await.unwrap(), 0);
    assert!(
        !store
            .setup_token_is_valid("hash-1", FIRST_ADMINISTRATOR, NOW)
            .await
            .unwrap()
    );
    let (person, trust) = founded(store).await;
    let admin = store.person(person).await.unwrap();
    assert!(admin.has_role(Role::Administrator));
    assert_eq!(store.administrators_with_password().await.unwrap(), 1);
    let cycle = store
        .current_cycle(trust, None, date!(2026 - 11 - 22))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(cycle.name, "2026–27");
    assert!(cycle.open);
    assert!(
        !store
            .setup_token_is_valid("hash-1", FIRST_ADMINISTRATOR, NOW)
            .await
            .unwrap()
    );
}

async fn an_email_can_belong_to_only_one_person(store: &Store) {
    let (_, trust) = founded(store).await;
    leader(store, trust, "lee@example.org").await;
    let again = NewPerson {
        trust,
        school: None,
        name: PersonName::parse("Other Lee").unwrap(),
        email: Email::parse("LEE@example.org").unwrap(),
        job_title: String::new(),
        roles: vec![],
        password_hash: None,
    };
    assert!(matches!(
        store.create_person(&again, NOW).await,
        Err(StoreError::Conflict(_))
    ));
}

async fn a_session_is_found_by_its_hash_until_it_expires_or_is_deleted(store: &Store) {
    let (person, _) = founded(store).await;
    let session = NewSession {
        token_hash: "session-hash",
        person,
        csrf_token: "csrf",
        expires_at: NOW + time::Duration::hours(8),
    };
    store.create_session(&session, NOW).await.unwrap();
    let found = store.session("session-hash", NOW).await.unwrap().unwrap();
    assert_eq!(found.person, person);
    assert_eq!(found.csrf_token, "csrf");
    assert!(store.session("other-hash", NOW).await.unwrap().is_none());
    let (with_person, someone) = store
        .signed_in_session("session-hash", NOW)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(with_person.csrf_token, "csrf");
    assert_eq!(someone, store.person(person).await.unwrap());
    assert!(
        !someone.roles.is_empty(),
        "the founding administrator's roles come along"
    );
    assert!(
        store
            .signed_in_session("session-hash", NOW + time::Duration::hours(9))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .session("session-hash", NOW + time::Duration::hours(9))
            .await
            .unwrap()
            .is_none()
    );
    store.delete_session("session-hash").await.unwrap();
    assert!(store.session("session-hash", NOW).await.unwrap().is_none());
}

async fn scope(store: &Store) -> ReflectionScope {
    let framework = store.publish_framework(&toolkit(), NOW).await.unwrap();
    let (_, trust) = founded(store).await;
    let person = leader(store, trust, "lee@example.org").await;
    let cycle = store
        .current_cycle(trust, None, date!(2026 - 11 - 22))
        .await
        .unwrap()
        .unwrap();
    ReflectionScope {
        person,
        cycle: cycle.id,
        framework,
    }
}

fn change(code: &str, judgement: Option<&str>, note: &str) -> ReflectionChange {
    ReflectionChange::validate(
        &toolkit(),
        ItemCode::parse(code).unwrap(),
        judgement.map(|j| Judgement::parse(j).unwrap()),
        Note::parse(note).unwrap(),
    )
    .unwrap()
}

async fn a_reflection_is_saved_replaced_and_read_back_in_framework_order(store: &Store) {
    let scope = scope(store).await;
    store
        .save_reflection(scope, &change("2a i", Some("high"), ""), NOW)
        .await
        .unwrap();
    store
        .save_reflection(scope, &change("1a ii", Some("some"), "A first note"), NOW)
        .await
        .unwrap();
    let later = NOW + time::Duration::minutes(5);
    store
        .save_reflection(
            scope,
            &change(
                "1a ii",
                Some("not_in_role"),
                "Changed my mind — it’s the business manager’s",
            ),
            later,
        )
        .await
        .unwrap();
    let saved = store.reflections(scope).await.unwrap();
    let codes: Vec<_> = saved.iter().map(|r| r.item.as_str()).collect();
    assert_eq!(codes, ["1a ii", "2a i"]);
    assert_eq!(saved[0].judgement, Some(Judgement::NotInRole));
    assert_eq!(
        saved[0].note.as_str(),
        "Changed my mind — it’s the business manager’s"
    );
    assert_eq!(saved[0].updated_at, later);
}

async fn a_reflection_on_an_unknown_item_changes_nothing(store: &Store) {
    let scope = scope(store).await;
    let mut bogus = change("1a i", Some("high"), "");
    bogus.item = ItemCode::parse("9z ix").unwrap();
    assert!(matches!(
        store.save_reflection(scope, &bogus, NOW).await,
        Err(StoreError::NotFound)
    ));
    assert!(store.reflections(scope).await.unwrap().is_empty());
}

async fn reflections_are_kept_per_person_and_cycle(store: &Store) {
    let mine = scope(store).await;
    let trust = store.person(mine.person).await.unwrap().trust;
    let someone_else = leader(store, trust, "sam@example.org").await;
    let theirs = ReflectionScope {
        person: someone_else,
        ..mine
    };
    store
        .save_reflection(mine, &change("1a i", Some("highest"), "mine"), NOW)
        .await
        .unwrap();
    assert!(store.reflections(theirs).await.unwrap().is_empty());
    let next_year = store
        .ensure_cycle(
            trust,
            "2027–28",
            date!(2027 - 09 - 01),
            date!(2028 - 08 - 31),
        )
        .await
        .unwrap();
    let next = ReflectionScope {
        cycle: next_year,
        ..mine
    };
    assert!(store.reflections(next).await.unwrap().is_empty());
    assert_eq!(store.reflections(mine).await.unwrap().len(), 1);
}

async fn a_new_version_keeps_old_reflections_and_carries_matching_ones_forward(store: &Store) {
    let first = scope(store).await;
    for (code, level, note) in [
        ("1a i", "high", "Kept as it was"),
        ("1a ii", "some", "On an item renumbered in version 2"),
        ("1a iii", "highest", "On an item version 2 removes"),
    ] {
        store
            .save_reflection(first, &change(code, Some(level), note), NOW)
            .await
            .unwrap();
    }
    // Version 2: 1a i reworded, 1a ii renumbered as 1a v (mapped), 1a iii gone.
    let mut v2 = toolkit();
    v2.version = "2".into();
    let subdomain = v2.items[0]
        .children
        .iter_mut()
        .find(|s| s.code.as_str() == "1a")
        .unwrap();
    subdomain.children[0].title = "Understand safeguarding, reworded".into();
    subdomain.children[1].code = ItemCode::parse("1a v").unwrap();
    subdomain.children[1].extra.insert(
        leadkit_domain::framework::diff::REPLACES.into(),
        "1a ii".into(),
    );
    subdomain.children.remove(2);
    let later = NOW + time::Duration::days(1);
    let second = ReflectionScope {
        framework: store.publish_framework(&v2, later).await.unwrap(),
        ..first
    };
    let before = store.reflections(first).await.unwrap();
    assert_eq!(before.len(), 3, "version 1 keeps every reflection");
    let after = store.reflections(second).await.unwrap();
    let carried: Vec<_> = after
        .iter()
        .map(|r| (r.item.as_str(), r.note.as_str(), r.updated_at))
        .collect();
    assert_eq!(
        carried,
        [
            ("1a i", "Kept as it was", NOW),
            ("1a v", "On an item renumbered in version 2", NOW),
        ]
    );
    // Publishing the same version again carries nothing twice.
    store.publish_framework(&v2, later).await.unwrap();
    assert_eq!(store.reflections(second).await.unwrap().len(), 2);
}

async fn a_cached_store_sees_every_write_it_makes(store: &Store) {
    let store = store.clone().with_read_cache();
    let scope = scope(&store).await;
    assert!(store.reflections(scope).await.unwrap().is_empty());
    store
        .save_reflection(scope, &change("1a i", Some("some"), "first"), NOW)
        .await
        .unwrap();
    assert_eq!(
        store.reflections(scope).await.unwrap()[0].note.as_str(),
        "first"
    );
    store
        .save_reflections(scope, &[change("1a i", Some("high"), "second")], NOW)
        .await
        .unwrap();
    let read = store.reflections(scope).await.unwrap();
    assert_eq!((read.len(), read[0].note.as_str()), (1, "second"));

    // A session read through the cache ends when it is deleted or expires.
    let hash = "c".repeat(64);
    store
        .create_session(
            &leadkit_store::sessions::NewSession {
                token_hash: &hash,
                person: scope.person,
                csrf_token: "t",
                expires_at: NOW + time::Duration::hours(1),
            },
            NOW,
        )
        .await
        .unwrap();
    assert!(store.signed_in_session(&hash, NOW).await.unwrap().is_some());
    assert!(store.signed_in_session(&hash, NOW).await.unwrap().is_some());
    let later = NOW + time::Duration::hours(2);
    assert!(
        store
            .signed_in_session(&hash, later)
            .await
            .unwrap()
            .is_none()
    );
    store.delete_session(&hash).await.unwrap();
    assert!(store.signed_in_session(&hash, NOW).await.unwrap().is_none());
}

/// The command line beside a running server is another process with its own
/// store and no cache: what it archives or erases must end the person's
/// sessions in the server at its next request, not at its next restart.
async fn a_cached_store_sees_archives_and_erasures_made_by_another_process(store: &Store) {
    let server = store.clone().with_read_cache();
    let command_line = store.clone();
    let (_, trust) = founded(store).await;
    let archived = leader(store, trust, "archived@example.org").await;
    let erased = leader(store, trust, "erased@example.org").await;
    let stays = leader(store, trust, "stays@example.org").await;
    for (person, hash) in [(archived, "a"), (erased, "e"), (stays, "s")] {
        store
            .create_session(
                &leadkit_store::sessions::NewSession {
                    token_hash: &hash.repeat(64),
                    person,
                    csrf_token: "t",
                    expires_at: NOW + time::Duration::hours(1),
                },
                NOW,
            )
            .await
            .unwrap();
        // Read twice, so that the second answer comes from the cache.
        for _ in 0..2 {
            assert!(
                server
                    .signed_in_session(&hash.repeat(64), NOW)
                    .await
                    .unwrap()
                    .is_some()
            );
        }
    }
    command_line
        .archive_person(trust, archived, NOW)
        .await
        .unwrap();
    assert!(
        server
            .signed_in_session(&"a".repeat(64), NOW)
            .await
            .unwrap()
            .is_none(),
        "an archive by another process ends the session"
    );
    command_line.erase_person(trust, erased, NOW).await.unwrap();
    assert!(
        server
            .signed_in_session(&"e".repeat(64), NOW)
            .await
            .unwrap()
            .is_none(),
        "an erasure by another process ends the session"
    );
    let (_, person) = server
        .signed_in_session(&"s".repeat(64), NOW)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(person.id, stays, "everyone else stays signed in");
}

async fn a_person_has_one_coach_and_one_line_manager_from_their_own_trust(store: &Store) {
    use leadkit_store::sharing::RelationshipKind::{Coach, LineManager};
    let (admin, trust) = founded(store).await;
    let owner = leader(store, trust, "owner@example.org").await;
    let coach = leader(store, trust, "coach@example.org").await;
    let other_coach = leader(store, trust, "other@example.org").await;
    store
        .set_relationship(owner, Coach, Some(coach), NOW)
        .await
        .unwrap();
    store
        .set_relationship(owner, LineManager, Some(admin), NOW)
        .await
        .unwrap();
    assert!(store.relation(coach, owner).await.unwrap().coach);
    assert!(!store.relation(coach, owner).await.unwrap().line_manager);
    assert!(store.relation(admin, owner).await.unwrap().line_manager);
    // Replacing the coach ends the old coach's relation.
    store
        .set_relationship(owner, Coach, Some(other_coach), NOW)
        .await
        .unwrap();
    assert!(!store.relation(coach, owner).await.unwrap().coach);
    assert!(store.relation(other_coach, owner).await.unwrap().coach);
    let supported = store.people_supported_by(other_coach).await.unwrap();
    assert_eq!(supported.len(), 1);
    assert_eq!(supported[0].person, owner);
    assert_eq!(store.relationships_of(owner).await.unwrap().len(), 2);
    // Nobody coaches themselves, and nobody from another trust.
    assert!(matches!(
        store.set_relationship(owner, Coach, Some(owner), NOW).await,
        Err(StoreError::Conflict(_))
    ));
    let elsewhere = store.create_trust("Elsewhere", NOW).await.unwrap();
    let outsider = leader(store, elsewhere, "outsider@example.org").await;
    assert!(matches!(
        store
            .set_relationship(owner, Coach, Some(outsider), NOW)
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(
        store.relation(other_coach, owner).await.unwrap().coach,
        "unchanged"
    );
    // Removing it.
    store
        .set_relationship(owner, Coach, None, NOW)
        .await
        .unwrap();
    assert!(!store.relation(other_coach, owner).await.unwrap().coach);
}

async fn sharing_choices_stand_per_cycle_and_a_new_cycle_takes_the_trust_default(store: &Store) {
    use leadkit_domain::access::Audience;
    use leadkit_store::sharing::RecordKind::Reflections;
    let (_, trust) = founded(store).await;
    let owner = leader(store, trust, "owner@example.org").await;
    let colleague = leader(store, trust, "colleague@example.org").await;
    let first = store
        .current_cycle(trust, None, date!(2026 - 11 - 22))
        .await
        .unwrap()
        .unwrap();
    let sharing = store.sharing(owner, first.id, Reflections).await.unwrap();
    assert!(sharing.audiences().is_empty(), "private until shared");
    store
        .set_share(owner, first.id, Reflections, Audience::Coach, true, NOW)
        .await
        .unwrap();
    store
        .set_share(
            owner,
            first.id,
            Reflections,
            Audience::Person(colleague),
            true,
            NOW,
        )
        .await
        .unwrap();
    store
        .set_share(owner, first.id, Reflections, Audience::Coach, false, NOW)
        .await
        .unwrap();
    let sharing = store.sharing(owner, first.id, Reflections).await.unwrap();
    assert_eq!(sharing.audiences(), vec![Audience::Person(colleague)]);
    // A named colleague must be someone else in the same trust.
    assert!(
        store
            .set_share(
                owner,
                first.id,
                Reflections,
                Audience::Person(owner),
                true,
                NOW
            )
            .await
            .is_err()
    );
    let elsewhere = store.create_trust("Elsewhere", NOW).await.unwrap();
    let outsider = leader(store, elsewhere, "outsider@example.org").await;
    assert!(matches!(
        store
            .set_share(
                owner,
                first.id,
                Reflections,
                Audience::Person(outsider),
                true,
                NOW
            )
            .await,
        Err(StoreError::NotFound)
    ));
    // The trust default applies to cycles opened after it is set, not before.
    store
        .set_share_with_coach_by_default(trust, true)
        .await
        .unwrap();
    assert!(store.share_with_coach_by_default(trust).await.unwrap());
    let next = store
        .ensure_cycle(
            trust,
            "2027–28",
            date!(2027 - 09 - 01),
            date!(2028 - 08 - 31),
        )
        .await
        .unwrap();
    let in_next = store.sharing(owner, next, Reflections).await.unwrap();
    assert_eq!(in_next.audiences(), vec![Audience::Coach]);
    let in_first = store.sharing(owner, first.id, Reflections).await.unwrap();
    assert!(!in_first.is_shared_with(Audience::Coach));
    // The owner can still decline the default.
    store
        .set_share(owner, next, Reflections, Audience::Coach, false, NOW)
        .await
        .unwrap();
    assert!(
        store
            .sharing(owner, next, Reflections)
            .await
            .unwrap()
            .audiences()
            .is_empty()
    );
}

async fn the_audit_log_keeps_entries_newest_first_with_names(store: &Store) {
    use leadkit_store::audit::{AuditAction, AuditRecord};
    let (admin, trust) = founded(store).await;
    let owner = leader(store, trust, "owner@example.org").await;
    for (minutes, action, detail) in [
        (1, AuditAction::RelationshipChanged, "set coach"),
        (2, AuditAction::ViewedRecords, "read their reflections"),
    ] {
        store
            .audit(
                AuditRecord {
                    trust,
                    actor: admin,
                    action,
                    subject: Some(owner),
                    detail,
                },
                NOW + time::Duration::minutes(minutes),
            )
            .await
            .unwrap();
    }
    let elsewhere = store.create_trust("Elsewhere", NOW).await.unwrap();
    assert!(store.audit_log(elsewhere, 10).await.unwrap().is_empty());
    let log = store.audit_log(trust, 10).await.unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].action, AuditAction::ViewedRecords);
    assert_eq!(log[0].actor_name, "Ada Admin");
    assert_eq!(log[0].subject_name, "Lee Leader");
    assert_eq!(log[0].at, NOW + time::Duration::minutes(2));
    assert_eq!(log[1].detail, "set coach");
    assert_eq!(store.audit_log(trust, 1).await.unwrap().len(), 1);
}

/// A fresh, migrated database of the same kind as `store`, and how to drop it.
async fn fresh_like(store: &Store) -> (Store, Option<(String, String)>, Option<tempfile::TempDir>) {
    match store.backend() {
        leadkit_store::Backend::Sqlite => {
            let (fresh, dir) = sqlite().await;
            (fresh, None, Some(dir))
        }
        leadkit_store::Backend::Postgres => {
            let server = crate::testing::postgres_url().unwrap();
            let url = crate::testing::create_postgres_database(&server)
                .await
                .unwrap();
            let fresh = Store::connect(&url).await.unwrap();
            fresh.migrate(NOW).await.unwrap();
            (fresh, Some((server, url)), None)
        }
    }
}

async fn a_portable_backup_restores_every_table_exactly_and_refuses_bad_files(store: &Store) {
    use leadkit_domain::access::Audience;
    use leadkit_store::audit::{AuditAction, AuditRecord};
    use leadkit_store::sharing::{RecordKind, RelationshipKind};
    // Something in every table.
    let framework = store.publish_framework(&toolkit(), NOW).await.unwrap();
    let (admin, trust) = founded(store).await;
    let leader = leader(store, trust, "lee@example.org").await;
    let cycle = store
        .current_cycle(trust, None, date!(2026 - 11 - 22))
        .await
        .unwrap()
        .unwrap();
    let scope = ReflectionScope {
        person: leader,
        cycle: cycle.id,
        framework,
    };
    let change = ReflectionChange::validate(
        &toolkit(),
        ItemCode::parse("1a i").unwrap(),
        Some(Judgement::parse("high").unwrap()),
        Note::parse("kept across a restore — with “quotes”, newlines\nand emoji 🌱").unwrap(),
    )
    .unwrap();
    store.save_reflection(scope, &change, NOW).await.unwrap();
    store
        .set_relationship(leader, RelationshipKind::Coach, Some(admin), NOW)
        .await
        .unwrap();
    store
        .set_share(
            leader,
            scope.cycle,
            RecordKind::Reflections,
            Audience::Coach,
            true,
            NOW,
        )
        .await
        .unwrap();
    store
        .audit(
            AuditRecord {
                trust,
                actor: admin,
                action: AuditAction::RelationshipChanged,
                subject: Some(leader),
                detail: "set coach",
            },
            NOW,
        )
        .await
        .unwrap();
    store
        .create_session(
            &NewSession {
                token_hash: "t",
                person: admin,
                csrf_token: "c",
                expires_at: NOW + time::Duration::days(1),
            },
            NOW,
        )
        .await
        .unwrap();
    store
        .begin_sign_in_attempt(
            &leadkit_store::throttle::AttemptKeys {
                pair: "pair:x@example.org|::1".into(),
                account: "email:x@example.org".into(),
                address: "ip:::1".into(),
            },
            "attempt-token",
            NOW,
            leadkit_store::throttle::AttemptLimits {
                window_start: NOW - time::Duration::hours(1),
                per_pair: 5,
                per_address: 50,
            },
        )
        .await
        .unwrap();

    {
        use leadkit_domain::goal::{Line, Outcome, Rag, Review};
        use leadkit_store::evidence::NewEvidence;
        use leadkit_store::goals::{ItemRef, NewAction, NewCheckIn};
        let item = ItemRef {
            framework,
            code: ItemCode::parse("1a i").unwrap(),
        };
        let goal = store
            .create_goal(
                leader,
                cycle.id,
                &goal_draft("Goal", Some("some"), "high"),
                std::slice::from_ref(&item),
                None,
                NOW,
            )
            .await
            .unwrap();
        store
            .add_action(
                goal,
                &NewAction {
                    text: Line::required("t", "Act", "x").unwrap(),
                    owner: Line::default(),
                    due_on: Some(date!(2027 - 01 - 01)),
                },
            )
            .await
            .unwrap();
        store
            .add_check_in(
                goal,
                &NewCheckIn {
                    author: admin,
                    author_name: "Ada".into(),
                    on: date!(2027 - 01 - 02),
                    progress: Note::parse("ok").unwrap(),
                    rag: Rag::Green,
                    next_steps: Note::default(),
                },
                NOW,
            )
            .await
            .unwrap();
        store
            .review_goal(
                goal,
                &Review {
                    outcome: Outcome::Partly,
                    note: Note::default(),
                    on: date!(2027 - 07 - 01),
                },
            )
            .await
            .unwrap();
        store
            .add_evidence(
                leader,
                cycle.id,
                &NewEvidence {
                    title: Line::required("t", "Ev", "x").unwrap(),
                    on: date!(2026 - 11 - 01),
                    note: Note::parse("n").unwrap(),
                    link: None,
                    file: None,
                },
                std::slice::from_ref(&item),
                &[goal],
                NOW,
            )
            .await
            .unwrap();
        store
            .save_coach_view(
                leader,
                cycle.id,
                framework,
                &item.code,
                admin,
                "Ada",
                None,
                &Note::parse("c").unwrap(),
                NOW,
            )
            .await
            .unwrap();
        store
            .add_conversation_note(
                leader,
                cycle.id,
                admin,
                "Ada",
                &Note::parse("met").unwrap(),
                NOW,
            )
            .await
            .unwrap();
        store
            .sign_off(leader, cycle.id, admin, "Ada", NOW)
            .await
            .unwrap();
    }

    let mut backup = Vec::new();
    let rows = store.export_portable(&mut backup).await.unwrap();
    assert!(rows > 100, "{rows} rows");

    let (fresh, postgres, _dir) = fresh_like(store).await;
    let mut empty = Vec::new();
    fresh.export_portable(&mut empty).await.unwrap();

    // Bad files are refused with the line, and leave the database empty.
    let text = String::from_utf8(backup.clone()).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let broken_row = lines.iter().position(|l| l.starts_with('[')).unwrap() + 5;
    lines[broken_row] = "[1, \"not closed\"";
    for (bad, expected) in [
        (String::new(), "empty".to_owned()),
        ("{\"hello\":1}\n".to_owned(), "line 1".to_owned()),
        (lines.join("\n"), format!("line {}", broken_row + 1)),
        (
            text.replacen("\"schema_version\":", "\"schema_version\":9", 1),
            "schema version".to_owned(),
        ),
    ] {
        let error = fresh
            .import_portable(bad.as_bytes())
            .await
            .unwrap_err()
            .to_string();
        assert!(
            error.contains(&expected),
            "{error} should mention {expected}"
        );
        let mut after = Vec::new();
        fresh.export_portable(&mut after).await.unwrap();
        assert_eq!(after, empty, "a refused restore changes nothing");
    }

    let restored = fresh.import_portable(backup.as_slice()).await.unwrap();
    assert_eq!(restored.rows, rows);
    let mut again = Vec::new();
    fresh.export_portable(&mut again).await.unwrap();
    assert_eq!(
        String::from_utf8(again).unwrap(),
        text,
        "every table, row for row"
    );
    // New rows continue after the restored ids.
    let next = leader_named(&fresh, trust, "after@example.org").await;
    assert!(next.0 > leader.0);
    // A second restore into a database with data is refused.
    let error = fresh
        .import_portable(backup.as_slice())
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("not empty"), "{error}");

    fresh.close().await;
    if let Some((server, url)) = postgres {
        crate::testing::drop_postgres_database(&server, &url)
            .await
            .unwrap();
    }
}

async fn leader_named(
    store: &Store,
    trust: leadkit_domain::people::TrustId,
    email: &str,
) -> leadkit_domain::people::PersonId {
    leader(store, trust, email).await
}

async fn erasing_a_person_keeps_their_judgements_and_nothing_that_names_them(store: &Store) {
    use leadkit_store::audit::{AuditAction, AuditRecord};
    let scope = scope(store).await;
    let person = scope.person;
    let trust = store.person(person).await.unwrap().trust;
    let change = ReflectionChange::validate(
        &toolkit(),
        ItemCode::parse("1a i").unwrap(),
        Some(Judgement::parse("highest").unwrap()),
        Note::parse("words only I should see").unwrap(),
    )
    .unwrap();
    store.save_reflection(scope, &change, NOW).await.unwrap();
    store
        .audit(
            AuditRecord {
                trust,
                actor: person,
                action: AuditAction::Shared,
                subject: Some(person),
                detail: "shared",
            },
            NOW,
        )
        .await
        .unwrap();
    // Another trust's administrator cannot erase them.
    let elsewhere = store.create_trust("Elsewhere", NOW).await.unwrap();
    assert!(matches!(
        store.erase_person(elsewhere, person, NOW).await,
        Err(StoreError::NotFound)
    ));
    store.erase_person(trust, person, NOW).await.unwrap();
    let kept = store.reflections(scope).await.unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(
        kept[0].judgement,
        Some(Judgement::parse("highest").unwrap())
    );
    assert_eq!(kept[0].note.as_str(), "");
    assert!(matches!(
        store.person(person).await,
        Err(StoreError::NotFound)
    ));
    assert!(
        store
            .credentials(&Email::parse("lee@example.org").unwrap())
            .await
            .unwrap()
            .is_none()
    );
    let log = store.audit_log(trust, 10).await.unwrap();
    assert_eq!(log[0].actor_name, leadkit_store::personal_data::ERASED_NAME);
    let mut dump = Vec::new();
    store.export_portable(&mut dump).await.unwrap();
    let dump = String::from_utf8(dump).unwrap();
    assert!(!dump.contains("Lee Leader") && !dump.contains("lee@example.org"));
    assert!(!dump.contains("words only I should see"));
}

fn staff_rows(sheet: &[[&str; 6]]) -> Vec<leadkit_domain::staff::StaffRow> {
    sheet
        .iter()
        .enumerate()
        .map(
            |(i, [name, email, school, roles, manager, team])| leadkit_domain::staff::StaffRow {
                line: i + 2,
                name: (*name).into(),
                email: (*email).into(),
                school: (*school).into(),
                roles: (*roles).into(),
                line_manager_email: (*manager).into(),
                team: (*team).into(),
            },
        )
        .collect()
}

async fn a_staff_list_applies_all_or_nothing_and_twice_changes_nothing(store: &Store) {
    use leadkit_domain::staff::plan;
    let (admin, trust) = founded(store).await;
    let sheet = staff_rows(&[
        [
            "Amara Okafor",
            "amara@oak.example",
            "Oakwood",
            "leader; school lead; coach",
            "",
            "Senior team",
        ],
        [
            "Ben Khan",
            "ben@oak.example",
            "Oakwood",
            "leader",
            "amara@oak.example",
            "Senior team",
        ],
        [
            "Chloe Patel",
            "chloe@river.example",
            "Riverside",
            "leader",
            "ben@oak.example",
            "",
        ],
        ["Ada Admin", "ada@example.org", "", "administrator", "", ""],
    ]);
    let emails: Vec<String> = sheet.iter().map(|r| r.email.clone()).collect();
    let first = plan(
        &sheet,
        &store.staff_snapshot(trust, &emails).await.unwrap(),
        false,
    );
    assert!(first.problems.is_empty(), "{:?}", first.problems);
    let applied = store.apply_staff_plan(trust, &first, NOW).await.unwrap();
    assert_eq!(
        (
            applied.schools,
            applied.teams,
            applied.added,
            applied.updated
        ),
        (2, 1, 3, 0)
    );
    let ben = store
        .credentials(&Email::parse("ben@oak.example").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(
        ben.password_hash.is_none(),
        "new people wait for an invitation"
    );
    let related = store.relationships_of(ben.person).await.unwrap();
    assert_eq!(related[0].name, "Amara Okafor");
    // The same file again plans nothing.
    let again = plan(
        &sheet,
        &store.staff_snapshot(trust, &emails).await.unwrap(),
        false,
    );
    assert!(again.is_empty(), "{:?}", again.changes);

    // A file with a problem changes nothing, even where other rows are fine.
    let broken = staff_rows(&[
        [
            "Ben Khan",
            "ben@oak.example",
            "Oakwood",
            "leader; coach",
            "",
            "Senior team",
        ],
        ["Dev Thomas", "not-an-email", "Oakwood", "leader", "", ""],
    ]);
    let refused = plan(
        &broken,
        &store.staff_snapshot(trust, &emails).await.unwrap(),
        false,
    );
    assert_eq!(refused.problems.len(), 1);
    assert!(store.apply_staff_plan(trust, &refused, NOW).await.is_err());
    let unchanged = plan(
        &sheet,
        &store.staff_snapshot(trust, &emails).await.unwrap(),
        false,
    );
    assert!(unchanged.is_empty());

    // Chloe left: archived, her history kept, her access ended.
    let without_chloe: Vec<_> = sheet
        .iter()
        .filter(|r| !r.email.starts_with("chloe"))
        .cloned()
        .collect();
    let leaving = plan(
        &without_chloe,
        &store.staff_snapshot(trust, &emails).await.unwrap(),
        true,
    );
    assert_eq!(leaving.changes.len(), 1, "{:?}", leaving.changes);
    assert_eq!(
        store
            .apply_staff_plan(trust, &leaving, NOW)
            .await
            .unwrap()
            .archived,
        1
    );
    assert!(
        store
            .credentials(&Email::parse("chloe@river.example").unwrap())
            .await
            .unwrap()
            .is_none()
    );
    // Her address cannot be reused by accident.
    let back = plan(
        &sheet,
        &store.staff_snapshot(trust, &emails).await.unwrap(),
        false,
    );
    assert!(
        back.problems[0].message.contains("archived"),
        "{:?}",
        back.problems
    );
    let _ = admin;
}

async fn archived_people_are_erased_only_after_the_trusts_retention(store: &Store) {
    let (_, trust) = founded(store).await;
    let early = leader(store, trust, "early@example.org").await;
    let late = leader(store, trust, "late@example.org").await;
    let staying = leader(store, trust, "staying@example.org").await;
    store
        .archive_person(trust, early, NOW - time::Duration::days(100))
        .await
        .unwrap();
    store
        .archive_person(trust, late, NOW - time::Duration::days(10))
        .await
        .unwrap();
    // No retention set: nobody is erased.
    assert!(
        store
            .erase_expired_archives(&no_files(), NOW)
            .await
            .unwrap()
            .is_empty()
    );
    store
        .set_archived_retention_days(trust, Some(30))
        .await
        .unwrap();
    assert_eq!(
        store.archived_retention_days(trust).await.unwrap(),
        Some(30)
    );
    let erased = store
        .erase_expired_archives(&no_files(), NOW)
        .await
        .unwrap();
    assert_eq!(erased, vec![(trust, early)]);
    // Once erased, never again; the others are untouched.
    assert!(
        store
            .erase_expired_archives(&no_files(), NOW)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(store.person(staying).await.is_ok());
    let mut dump = Vec::new();
    store.export_portable(&mut dump).await.unwrap();
    let dump = String::from_utf8(dump).unwrap();
    assert!(!dump.contains("early@example.org"));
    assert!(dump.contains("late@example.org"));
    let log = store.audit_log(trust, 5).await.unwrap();
    assert_eq!(log[0].actor_name, "leadkit");
    assert_eq!(log[0].action.as_str(), "erased");
}

async fn a_sign_on_in_progress_is_taken_once_and_only_before_it_expires(store: &Store) {
    use leadkit_store::sso::{OidcSettings, PendingLogin};
    let (_, trust) = founded(store).await;
    let settings = OidcSettings {
        issuer: "https://idp.example".into(),
        client_id: "leadkit".into(),
        client_secret: "secret".into(),
    };
    store
        .set_oidc_settings(trust, Some(&settings))
        .await
        .unwrap();
    assert_eq!(store.oidc_settings(trust).await.unwrap(), Some(settings));
    assert_eq!(store.trusts_with_sso().await.unwrap().len(), 1);
    let pending = PendingLogin {
        trust,
        browser_hash: "b".into(),
        nonce: "n".into(),
        pkce_verifier: "v".into(),
        next_path: "/".into(),
    };
    let later = NOW + time::Duration::minutes(10);
    store
        .begin_oidc_login("s1", &pending, later, NOW)
        .await
        .unwrap();
    store
        .begin_oidc_login("s2", &pending, later, NOW)
        .await
        .unwrap();
    assert_eq!(
        store.take_oidc_login("s1", NOW).await.unwrap(),
        Some(pending.clone())
    );
    assert_eq!(
        store.take_oidc_login("s1", NOW).await.unwrap(),
        None,
        "once"
    );
    assert_eq!(store.take_oidc_login("nope", NOW).await.unwrap(), None);
    let too_late = later + time::Duration::seconds(1);
    assert_eq!(
        store.take_oidc_login("s2", too_late).await.unwrap(),
        None,
        "expired"
    );
    store.set_oidc_settings(trust, None).await.unwrap();
    assert!(store.trusts_with_sso().await.unwrap().is_empty());
}

async fn the_people_overview_and_participation_count_what_each_person_has_done(store: &Store) {
    use leadkit_domain::access::RelationshipKind;
    use leadkit_domain::goal::{Outcome, Review};
    use leadkit_store::goals::ItemRef;
    use leadkit_store::links::LinkPurpose;
    use leadkit_store::people::Access;
    let framework = store.publish_framework(&toolkit(), NOW).await.unwrap();
    let (admin, trust) = founded(store).await;
    let oak = store.create_school(trust, "Oakwood").await.unwrap();
    let mut people = Vec::new();
    for (n, email) in ["amy@example.org", "bo@example.org", "cy@example.org"]
        .iter()
        .enumerate()
    {
        let id = leader(store, trust, email).await;
        store
            .update_person_details(
                trust,
                id,
                &leadkit_store::people::PersonDetails {
                    school: Some(oak),
                    team: None,
                    job_title: format!("Leader {n}"),
                    roles: vec![RoleGrant {
                        role: Role::Leader,
                        school: Some(oak),
                    }],
                },
            )
            .await
            .unwrap();
        people.push(id);
    }
    let cycle = store
        .current_cycle(trust, None, date!(2026 - 11 - 22))
        .await
        .unwrap()
        .unwrap();
    // Amy finishes the whole framework; Bo reflects once; Cy does nothing.
    let all: Vec<ReflectionChange> = toolkit()
        .reflectable_items()
        .map(|item| change(item.code.as_str(), Some("high"), ""))
        .collect();
    let total = all.len() as i64;
    let scope = |person| ReflectionScope {
        person,
        cycle: cycle.id,
        framework,
    };
    store
        .save_reflections(scope(people[0]), &all, NOW)
        .await
        .unwrap();
    store
        .save_reflection(scope(people[1]), &change("1a i", Some("some"), ""), NOW)
        .await
        .unwrap();
    // A note with no level is not a start.
    store
        .save_reflection(scope(people[2]), &change("1a i", None, "thinking"), NOW)
        .await
        .unwrap();
    let item = ItemRef {
        framework,
        code: ItemCode::parse("1a i").unwrap(),
    };
    let goal = store
        .create_goal(
            people[0],
            cycle.id,
            &goal_draft("Grow", Some("some"), "high"),
            std::slice::from_ref(&item),
            None,
            NOW,
        )
        .await
        .unwrap();
    store
        .review_goal(
            goal,
            &Review {
                outcome: Outcome::Achieved,
                note: Note::default(),
                on: date!(2027 - 07 - 01),
            },
        )
        .await
        .unwrap();
    store
        .create_goal(
            people[1],
            cycle.id,
            &goal_draft("Grow too", None, "some"),
            &[item],
            None,
            NOW,
        )
        .await
        .unwrap();
    let counted = store
        .participation(trust, cycle.id, framework, total)
        .await
        .unwrap();
    assert_eq!(
        counted.len(),
        1,
        "only leaders count: the administrator is not one"
    );
    let oakwood = &counted[0];
    assert_eq!(
        oakwood.school.as_ref().map(|(_, n)| n.as_str()),
        Some("Oakwood")
    );
    assert_eq!(
        (
            oakwood.people,
            oakwood.started,
            oakwood.finished,
            oakwood.with_goals,
            oakwood.reviewed
        ),
        (3, 2, 1, 2, 1)
    );

    // The overview: roles, coach, and whether each can sign in.
    store
        .set_relationship(people[1], RelationshipKind::Coach, Some(people[0]), NOW)
        .await
        .unwrap();
    store
        .create_person_link(
            "invite-bo",
            LinkPurpose::Invitation,
            people[1],
            NOW + time::Duration::days(7),
        )
        .await
        .unwrap();
    store
        .create_person_link(
            "invite-cy",
            LinkPurpose::Invitation,
            people[2],
            NOW - time::Duration::days(1),
        )
        .await
        .unwrap();
    let overview = store.people_overview(trust, NOW).await.unwrap();
    let find = |id| overview.iter().find(|p| p.id == id).unwrap();
    assert_eq!(find(admin).access, Access::CanSignIn);
    assert_eq!(find(admin).roles, [Role::Administrator]);
    assert_eq!(find(people[0]).access, Access::NotInvited);
    assert_eq!(find(people[1]).access, Access::Invited { expired: false });
    assert_eq!(find(people[2]).access, Access::Invited { expired: true });
    assert_eq!(
        find(people[1]).coach.as_ref().map(|(id, _)| *id),
        Some(people[0])
    );
    assert_eq!(
        find(people[1]).school.as_ref().map(|(id, _)| *id),
        Some(oak)
    );
    assert_eq!(find(people[1]).job_title, "Leader 1");
}
