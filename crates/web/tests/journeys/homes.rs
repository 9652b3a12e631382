//! Every role's home says what to do next, built only from what the person can
//! already open: a leader's next step and due actions, a coach's people with
//! what needs them, a school or trust lead's progress in counts under the
//! small-group rule, and an administrator's set-up checklist.

use leadkit_domain::access::RelationshipKind;
use leadkit_domain::people::Role;
use reqwest::StatusCode;

use crate::helpers::{Page, TestApp, Visitor};

/// The cells of a progress row: school, leaders, started, finished, goals, reviewed.
fn cells(page: &Page, school: &str) -> Vec<String> {
    page.select(&format!(
        "[data-test-progress-row='{school}'] th, [data-test-progress-row='{school}'] td"
    ))
    .iter()
    .map(|c| c.text().collect::<String>())
    .collect()
}

fn now() -> time::OffsetDateTime {
    leadkit_web::Clock::System.now()
}

/// Every link in the page's main area opens for the person looking (nothing
/// on a home leads somewhere they may not go).
async fn every_link_opens(visitor: &mut Visitor, page: &Page) {
    let links: Vec<String> = page
        .select("main a[href^='/']")
        .iter()
        .filter_map(|a| a.value().attr("href").map(str::to_owned))
        .collect();
    assert!(!links.is_empty());
    for link in links {
        let mut opened = visitor.get_raw(&link).await;
        if opened.status().is_redirection() {
            let next = opened.headers()["location"].to_str().unwrap().to_owned();
            opened = visitor.get_raw(&next).await;
        }
        assert_eq!(opened.status(), StatusCode::OK, "{link}");
    }
}

#[tokio::test]
async fn a_leaders_home_goes_from_reflecting_to_a_goal_and_its_actions_due() {
    let app = TestApp::start().await;
    let mut leader = app.leader("Lee Leader", "lee@example.org").await;
    let home = leader.get("/").await;
    assert_eq!(
        home.text("[data-test-next-step] h2"),
        "Start your reflection"
    );
    assert_eq!(
        home.attr("[data-test-next-button]", "href").as_deref(),
        Some("/reflect")
    );
    every_link_opens(&mut leader, &home).await;

    leader.reflect("1a i", Some("some"), "").await;
    let home = leader.get("/").await;
    assert_eq!(
        home.text("[data-test-next-step] h2"),
        "Continue your reflection"
    );
    assert!(home.text("[data-test-next-step]").contains("1 of 70"));

    // A goal without actions: plan them.
    let csrf = leader.csrf().await;
    let response = leader
        .post_form(
            "/goals",
            &[
                ("csrf", &csrf),
                ("item", "leadership-toolkit|1|1a i"),
                ("title", "Lead curriculum thinking"),
                ("current_level", "some"),
                ("target_level", "high"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let goal_url = response.headers()["location"].to_str().unwrap().to_owned();
    let home = leader.get("/").await;
    assert_eq!(
        home.text("[data-test-next-step] h2"),
        "Plan your goal’s actions"
    );
    assert_eq!(
        home.attr("[data-test-next-button]", "href").as_deref(),
        Some(goal_url.as_str())
    );

    // An action due within the fortnight is listed with its date as people write it.
    let due = now().date() + time::Duration::days(5);
    let csrf = leader.csrf().await;
    let response = leader
        .post_form(
            &format!("{goal_url}/actions"),
            &[
                ("csrf", &csrf),
                ("text", "Meet the heads of department"),
                ("owner", "me"),
                ("due_on", &due.to_string()),
            ],
        )
        .await;
    assert!(response.status().is_redirection(), "{}", response.status());
    let home = leader.get("/").await;
    let listed = home.text("[data-test-due-action]");
    assert!(listed.contains("Meet the heads of department"), "{listed}");
    assert!(
        listed.contains(&leadkit_web::views::long_date(due)),
        "{listed}"
    );
    every_link_opens(&mut leader, &home).await;
    // Nothing of a coaching relationship shows when there is none.
    assert!(home.select("[data-test-home-supporting]").is_empty());
    assert!(home.select("[data-test-home-progress]").is_empty());
    assert!(home.select("[data-test-setup]").is_empty());
}

#[tokio::test]
async fn a_coachs_home_lists_each_person_with_only_what_they_have_shared() {
    let app = TestApp::start().await;
    let mut shared = app.leader("Sam Shared", "sam@example.org").await;
    let mut private = app.leader("Pat Private", "pat@example.org").await;
    let coach_id = app
        .person(
            "Cora Coach",
            "cora@example.org",
            &[Role::Leader, Role::Coach],
        )
        .await;
    let mut coach = app.signed_in(coach_id, "cora@example.org").await;
    for person in [shared.person.unwrap(), private.person.unwrap()] {
        app.store
            .set_relationship(person, RelationshipKind::Coach, Some(coach_id), now())
            .await
            .unwrap();
    }
    shared.reflect("1a i", Some("high"), "").await;
    shared.reflect("1a ii", Some("some"), "").await;
    private.reflect("1a i", Some("some"), "").await;
    for audience in ["coach"] {
        let csrf = shared.csrf().await;
        shared
            .post_form(
                "/profile/sharing",
                &[("csrf", &csrf), ("audience", audience), ("share", "yes")],
            )
            .await;
    }
    let home = coach.get("/").await;
    assert_eq!(
        home.text("[data-test-supported='Sam Shared'] [data-test-supported-reflection]"),
        "2 of 70 reflected"
    );
    assert_eq!(
        home.text("[data-test-supported='Pat Private'] [data-test-supported-reflection]"),
        "Reflection not shared with you"
    );
    assert_eq!(
        home.text("[data-test-supported='Pat Private'] [data-test-supported-goals]"),
        "Goals not shared with you"
    );
    // Pat's count (1) is nowhere on the page.
    assert!(
        !home
            .text("[data-test-supported='Pat Private']")
            .contains('1')
    );
    // The coach is also a leader: their own next step is there too.
    assert_eq!(
        home.text("[data-test-next-step] h2"),
        "Start your reflection"
    );
    every_link_opens(&mut coach, &home).await;
    // A leader with no one to support sees no such section.
    let home = private.get("/").await;
    assert!(home.select("[data-test-home-supporting]").is_empty());
}

#[tokio::test]
async fn school_and_trust_leads_see_progress_in_counts_with_small_schools_withheld() {
    let app = TestApp::start().await;
    let big = app.store.create_school(app.trust, "Oakwood").await.unwrap();
    let small = app.store.create_school(app.trust, "Hilltop").await.unwrap();
    let mut oakwood = Vec::new();
    for n in 0..6 {
        let id = app
            .person_in(
                app.trust,
                Some(big),
                &format!("Oak Leader {n}"),
                &format!("oak{n}@example.org"),
                &[Role::Leader],
            )
            .await;
        oakwood.push(app.signed_in(id, &format!("oak{n}@example.org")).await);
    }
    for visitor in oakwood.iter_mut().take(3) {
        visitor.reflect("1a i", Some("high"), "").await;
    }
    for n in 0..2 {
        let id = app
            .person_in(
                app.trust,
                Some(small),
                &format!("Hill Leader {n}"),
                &format!("hill{n}@example.org"),
                &[Role::Leader],
            )
            .await;
        app.signed_in(id, &format!("hill{n}@example.org"))
            .await
            .reflect("1a i", Some("some"), "")
            .await;
    }
    let head_id = app
        .person_in(
            app.trust,
            Some(big),
            "Hana Head",
            "head@example.org",
            &[Role::SchoolLead],
        )
        .await;
    let mut head = app.signed_in(head_id, "head@example.org").await;
    let ceo_id = app
        .person("Tom Trust", "ceo@example.org", &[Role::TrustLead])
        .await;
    let mut ceo = app.signed_in(ceo_id, "ceo@example.org").await;

    let home = head.get("/").await;
    let rows = home.select("[data-test-progress-row]");
    assert_eq!(rows.len(), 1, "a school lead sees their own school only");
    assert_eq!(
        cells(&home, "Oakwood"),
        ["Oakwood", "6", "3", "0", "0", "0"]
    );
    // A school lead who is not a leader has no reflection of their own to do.
    assert!(
        home.select("[data-test-next-step]").is_empty()
            || home.text("[data-test-next-step] h2").contains("reflection")
    );
    every_link_opens(&mut head, &home).await;

    let home = ceo.get("/").await;
    assert_eq!(
        cells(&home, "Oakwood"),
        ["Oakwood", "6", "3", "0", "0", "0"]
    );
    assert!(
        home.text("[data-test-progress-row='Hilltop'] [data-test-withheld]")
            .starts_with("Fewer than"),
        "two people are under the threshold: {}",
        home.text("[data-test-progress-row='Hilltop']")
    );
    every_link_opens(&mut ceo, &home).await;
}

#[tokio::test]
async fn a_new_administrators_home_is_a_checklist_until_the_trust_is_set_up() {
    let app = TestApp::start().await;
    let admin_id = app
        .person("Ada Admin", "admin@example.org", &[Role::Administrator])
        .await;
    let mut admin = app.signed_in(admin_id, "admin@example.org").await;
    let home = admin.get("/").await;
    let tasks: Vec<(String, bool)> = home
        .select("[data-test-task]")
        .iter()
        .map(|t| {
            (
                t.value().attr("data-test-task").unwrap().to_owned(),
                t.value().attr("data-test-done").is_some(),
            )
        })
        .collect();
    assert_eq!(
        tasks,
        [
            ("Add your schools".to_owned(), false),
            ("Import your staff".to_owned(), false),
            ("Invite everyone".to_owned(), false),
            ("Give each leader a coach".to_owned(), false),
            ("Open a cycle".to_owned(), true),
        ]
    );
    assert!(
        home.select("[data-test-next-step]").is_empty(),
        "an administrator only is not asked to reflect"
    );
    every_link_opens(&mut admin, &home).await;

    let csrf = admin.csrf().await;
    let list = "name,email,school,role,line manager's email\n\
                Amara Okafor,amara@oak.example,Oakwood,leader; coach,\n\
                Ben Khan,ben@oak.example,Oakwood,leader,\n";
    admin
        .post_form(
            "/admin/people/import",
            &[("csrf", &csrf), ("csv", list), ("step", "apply")],
        )
        .await;
    let home = admin.get("/").await;
    assert!(
        home.select("[data-test-task='Add your schools'][data-test-done]")
            .len()
            == 1
    );
    assert!(
        home.select("[data-test-task='Import your staff'][data-test-done]")
            .len()
            == 1
    );
    assert!(
        home.text("[data-test-task='Invite everyone']")
            .contains("2 not invited yet")
    );

    let page = admin.get("/admin/people/invite-all").await;
    let mut fields = vec![("csrf".to_owned(), admin.csrf().await)];
    for input in page.select("input[name=person]") {
        fields.push((
            "person".into(),
            input.value().attr("value").unwrap().to_owned(),
        ));
    }
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    admin.post_form("/admin/people/invite-all", &fields).await;
    let people = app.store.people_in_trust(app.trust).await.unwrap();
    let id = |email: &str| people.iter().find(|p| p.email == email).unwrap().id;
    app.store
        .set_relationship(
            id("ben@oak.example"),
            RelationshipKind::Coach,
            Some(id("amara@oak.example")),
            now(),
        )
        .await
        .unwrap();
    let home = admin.get("/").await;
    assert!(
        home.select("[data-test-task='Give each leader a coach'][data-test-done]")
            .is_empty()
    );
    assert!(
        home.text("[data-test-task='Give each leader a coach']")
            .contains("1 without a coach")
    );
    app.store
        .set_relationship(
            id("amara@oak.example"),
            RelationshipKind::Coach,
            Some(id("ben@oak.example")),
            now(),
        )
        .await
        .unwrap();
    // Set up: the checklist gives way to what needs attention.
    let home = admin.get("/").await;
    assert!(home.select("[data-test-setup]").is_empty());
    assert!(
        home.text("[data-test-attention]")
            .contains("2 invitations not accepted yet"),
        "{}",
        home.text("[data-test-attention]")
    );
    every_link_opens(&mut admin, &home).await;
}
