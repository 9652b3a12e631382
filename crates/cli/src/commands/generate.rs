//! `leadkit demo --people N --cycles C`: a generated trust of N leaders with C
//! yearly cycles of reflections, for trying insight at scale and for the
//! benchmark (`bench/insight.sh`).
//!
//! Schools of about 200 leaders in teams of 10; every leader a leader, one in
//! ten also a coach, one per school its school lead, three trust leads. Each
//! cycle every leader judges most components, and levels drift upwards from
//! cycle to cycle so the growth view has something to show. Deterministic, so
//! two runs with the same N and C make the same data.

use std::time::Instant;

use anyhow::Context;
use leadkit_domain::cycle::school_year_containing;
use leadkit_domain::people::Role;
use leadkit_store::Store;
use leadkit_store::bulk::{BulkJudgement, BulkPerson};
use leadkit_web::Clock;

use super::demo::Dice;

const PER_SCHOOL: usize = 200;
const PER_TEAM: usize = 10;

pub fn trust_name(people: usize) -> String {
    format!("Generated Trust ({people} leaders)")
}

/// The address of generated person `i`.
pub fn email(i: usize) -> String {
    format!("leader{i}@generated.example")
}

pub async fn generate(
    store: &Store,
    clock: Clock,
    people: usize,
    cycles: usize,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let name = trust_name(people);
    if store.trust_named(&name).await?.is_some() {
        anyhow::bail!("{name} is already here; generate into a fresh data folder or database");
    }
    let now = clock.now();
    let trust = store.create_trust(&name, now).await?;
    let framework = store
        .latest_framework(&leadkit_content::primary_key()?)
        .await
        .context("the Leadership Toolkit is not loaded")?;
    let scale = framework
        .framework
        .scale
        .as_ref()
        .context("the Leadership Toolkit has no scale")?;
    let level_codes: Vec<&str> = scale.levels.iter().map(|l| l.code.as_str()).collect();
    let reflectable: std::collections::HashSet<String> = framework
        .framework
        .reflectable_items()
        .map(|i| i.code.to_string())
        .collect();
    let items: Vec<i64> = store
        .item_ids(framework.id)
        .await?
        .into_iter()
        .filter(|(code, _)| reflectable.contains(code))
        .map(|(_, id)| id)
        .collect();

    // Schools and teams.
    let school_count = people.div_ceil(PER_SCHOOL).max(1);
    let mut schools = Vec::with_capacity(school_count);
    let mut teams = Vec::new();
    for s in 0..school_count {
        let school = store
            .create_school(trust, &format!("Generated School {}", s + 1))
            .await?;
        for t in 0..PER_SCHOOL.div_ceil(PER_TEAM) {
            teams.push(
                store
                    .insert_team(school, &format!("Team {}", t + 1))
                    .await?,
            );
        }
        schools.push(school);
    }
    let teams_per_school = PER_SCHOOL.div_ceil(PER_TEAM);
    let generated: Vec<BulkPerson> = (0..people)
        .map(|i| {
            let s = i / PER_SCHOOL;
            let t = (i % PER_SCHOOL) / PER_TEAM;
            let mut roles = vec![Role::Leader];
            if i % PER_TEAM == 0 {
                roles.push(Role::Coach);
            }
            if i % PER_SCHOOL == 0 {
                roles.push(Role::SchoolLead);
            }
            if i < 3 {
                roles.push(Role::TrustLead);
            }
            BulkPerson {
                school: Some(schools[s]),
                team: Some(teams[s * teams_per_school + t]),
                name: format!("Leader {}", i + 1),
                email: email(i),
                job_title: "Generated leader".into(),
                roles,
            }
        })
        .collect();
    let ids = store.insert_people(trust, &generated, now).await?;
    println!(
        "{people} people in {school_count} schools ({:.1} s)",
        started.elapsed().as_secs_f64()
    );

    // Cycles: the school years up to the one containing today.
    let (_, this_start, _) = school_year_containing(now.date());
    let mut dice = Dice(0x5eed_0001);
    for c in 0..cycles {
        let years_back = i32::try_from(cycles - 1 - c).unwrap_or(0);
        let day = this_start
            .replace_year(this_start.year() - years_back)
            .context("a date out of range")?;
        let (cycle_name, starts_on, ends_on) = school_year_containing(day);
        let cycle = store
            .open_cycle(
                trust,
                &leadkit_store::cycles::NewCycle {
                    school: None,
                    name: &cycle_name,
                    starts_on,
                    ends_on,
                    carry_from: None,
                },
                now,
            )
            .await?;
        let mut judgements = Vec::with_capacity(ids.len() * items.len());
        for (p, person) in ids.iter().enumerate() {
            // Each person has a leaning, so levels are not uniform noise.
            let leaning = (p % 7) as u64 * 3;
            for item in &items {
                let roll = dice.below(100);
                let judgement = if roll < 3 {
                    "not_in_role"
                } else if roll < 6 {
                    continue; // not reflected on
                } else {
                    // Upwards with each cycle and with the person's leaning.
                    let level = dice.below(100) + c as u64 * 7 + leaning;
                    match level {
                        0..=11 => "not_yet",
                        12..=54 => level_codes[0],
                        55..=94 => level_codes[1.min(level_codes.len() - 1)],
                        _ => level_codes[level_codes.len() - 1],
                    }
                };
                judgements.push(BulkJudgement {
                    person: *person,
                    item: *item,
                    judgement,
                });
            }
        }
        store.insert_judgements(cycle, &judgements, now).await?;
        println!(
            "cycle {cycle_name}: {} judgements ({:.1} s)",
            judgements.len(),
            started.elapsed().as_secs_f64()
        );
    }
    store.analyze().await?;
    // Count the insight cells now, so the first insight page is not the one
    // that waits for them.
    let threshold = leadkit_domain::insight::Threshold::new(store.insight_threshold(trust).await?)
        .unwrap_or_default();
    let mut cells = 0;
    let mut growth = 0;
    for cycle in store.cycles(trust).await? {
        cells += store
            .refresh_insight(cycle.id, framework.id, Some(scale), threshold)
            .await?
            .cells;
        // And the growth from each cycle's predecessor, the pair the growth
        // view shows first.
        if let Some(previous) = store.previous_cycle(trust, None, &cycle).await? {
            growth += store
                .refresh_growth(
                    (previous.id, cycle.id),
                    framework.id,
                    Some(scale),
                    threshold,
                )
                .await?
                .cells;
        }
    }
    println!(
        "insight: {cells} cells and {growth} growth cells counted ({:.1} s in all)",
        started.elapsed().as_secs_f64()
    );
    let password = format!("demo-{}", &leadkit_web::auth::token::random_token()[..12]);
    let hash = leadkit_web::auth::password::hash(password.clone())
        .await
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    store.set_trust_password_hash(trust, &hash).await?;
    println!(
        "{name}: sign in as {} (a trust lead), each with the password  {password}",
        email(0)
    );
    Ok(())
}
