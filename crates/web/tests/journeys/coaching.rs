//! Coaching over HTTP: the coach records their own view beside the leader's
//! reflection (neither overwrites the other), both write conversation notes,
//! the coach signs off; and the profile shows goals, evidence, last cycle and the
//! "no evidence yet" filter.

use leadkit_domain::people::Role;
use leadkit_store::sharing::RelationshipKind;
use reqwest::StatusCode;

use crate::helpers::{Part, TestApp};

const PDF: &[u8] = b"%PDF-1.4\n%%EOF\n";

#[tokio::test]
async fn a_coach_agrees_or_differs_beside_the_leaders_own_judgement() {
    let app = TestApp::start().await;
    let mut leader = app.leader("Lee Leader", "lee@example.org").await;
    let leader_id = leader.person.unwrap();
    let coach_id = app
        .person(
            "Cora Coach",
            "cora@example.org",
            &[Role::Leader, Role::Coach],
        )
        .await;
    let mut coach = app.signed_in(coach_id, "cora@example.org").await;
    let manager_id = app
        .person("Max Manager", "max@example.org", &[Role::Leader])
        .await;
    let mut manager = app.signed_in(manager_id, "max@example.org").await;
    app.store
        .set_relationship(
            leader_id,
            RelationshipKind::Coach,
            Some(coach_id),
            leadkit_web::Clock::System.now(),
        )
        .await
        .unwrap();
    app.store
        .set_relationship(
            leader_id,
            RelationshipKind::LineManager,
            Some(manager_id),
            leadkit_web::Clock::System.now(),
        )
        .await
        .unwrap();
    leader
        .reflect("1a i", Some("some"), "my view of 1a i")
        .await;
    leader.reflect("1a ii", Some("high"), "").await;
    let coaching = format!("/people/{}/coaching", leader_id.0);

    // Only the coach has a coaching page for the leader; the line manager and the
    // leader themselves do not.
    assert_eq!(manager.get(&coaching).await.status, StatusCode::NOT_FOUND);
    assert_eq!(leader.get(&coaching).await.status, StatusCode::NOT_FOUND);
    let page = coach.get(&coaching).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.select("[data-test-not-shared]").is_empty());
    assert!(page.text("[data-test-component=\"1a i\"]").contains("1a i"));
    assert!(
        !page
            .text("[data-test-component=\"1a i\"]")
            .contains("my view of 1a i")
    );
    assert!(
        !coach
            .get("/people")
            .await
            .select("[data-test-coaching]")
            .is_empty()
    );

    // Once shared, the coach sees the leader's judgement and note.
    let csrf = leader.csrf().await;
    leader
        .post_form(
            "/profile/sharing",
            &[("csrf", &csrf), ("audience", "coach"), ("share", "yes")],
        )
        .await;
    let page = coach.get(&coaching).await;
    assert!(page.select("[data-test-not-shared]").is_empty());
    assert!(
        page.text("[data-test-component=\"1a i\"]")
            .contains("my view of 1a i")
    );

    // Bad views save nothing.
    let coach_csrf = coach.csrf().await;
    for (fields, message) in [
        (vec![("level:1a-i", "legendary")], "Choose a level"),
        (vec![("level:9z-ix", "high")], "does not have"),
        (
            vec![("comment:1a-i", "bad\u{0007}bell")],
            "control characters",
        ),
    ] {
        let mut form = vec![("csrf", coach_csrf.as_str())];
        form.extend(fields);
        let response = coach.post_form(&format!("{coaching}/views"), &form).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{message}"
        );
        assert!(
            response.text().await.unwrap().contains(message),
            "{message}"
        );
    }
    assert!(
        app.store
            .coach_views(
                leader_id,
                current_cycle(&app).await,
                framework_id(&app).await
            )
            .await
            .unwrap()
            .is_empty()
    );

    let response = coach
        .post_form(
            &format!("{coaching}/views"),
            &[
                ("csrf", &coach_csrf),
                ("level:1a-i", "high"),
                (
                    "comment:1a-i",
                    "I have seen more than you credit yourself with",
                ),
                ("level:1a-ii", "high"),
                ("comment:1a-ii", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    // The leader sees where the coach agrees and where they differ; their own
    // reflection is unchanged.
    let mine = leader.get("/coaching").await;
    assert_eq!(mine.status, StatusCode::OK);
    assert_eq!(
        mine.attr("[data-test-component=\"1a i\"]", "data-agreement")
            .as_deref(),
        Some("differ")
    );
    assert_eq!(
        mine.attr("[data-test-component=\"1a ii\"]", "data-agreement")
            .as_deref(),
        Some("agree")
    );
    assert!(
        mine.text("[data-test-agreement]")
            .contains("Agree on 1 component; differ on 1")
    );
    assert!(
        mine.text("[data-test-component=\"1a i\"]")
            .contains("I have seen more")
    );
    let reflections = leader.my_reflections().await.to_string();
    assert!(reflections.contains("\"some\""), "{reflections}");

    // Conversation notes, by both, seen by both.
    for (visitor, path, token, body) in [
        (
            &mut coach,
            format!("{coaching}/notes"),
            coach_csrf.clone(),
            "Good first meeting",
        ),
        (
            &mut leader,
            "/coaching/notes".to_owned(),
            csrf.clone(),
            "Thank you; next on 2a",
        ),
    ] {
        let response = visitor
            .post_form(&path, &[("csrf", &token), ("body", body)])
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{body}");
    }
    assert_eq!(
        coach.get(&coaching).await.select("[data-test-note]").len(),
        2
    );
    assert_eq!(
        leader
            .get("/coaching")
            .await
            .select("[data-test-note]")
            .len(),
        2
    );
    let page = leader.get("/profile/my-data").await;
    let coaching_data = page.text("[data-test-my-coaching]");
    assert!(
        coaching_data.contains("Good first meeting") && coaching_data.contains("I have seen more")
    );
    let empty = leader
        .post_form("/coaching/notes", &[("csrf", &csrf), ("body", "  ")])
        .await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // A goal and evidence on the profile; the "no evidence yet" filter.
    let response = leader
        .post_form(
            "/goals",
            &[
                ("csrf", &csrf),
                ("item", "leadership-toolkit|1|1a i"),
                ("title", "Grow on 1a i"),
                ("current_level", "some"),
                ("target_level", "high"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let goal_url = response.headers()["location"].to_str().unwrap().to_owned();
    let response = leader
        .post_multipart(
            "/evidence/upload",
            &[
                Part::Text("csrf", &csrf),
                Part::Text("title", "Minutes"),
                Part::Text("item", "leadership-toolkit|1|1a i"),
                Part::File("file", "minutes.pdf", PDF),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let profile = leader.get("/profile").await;
    let row = profile.text("[data-test-row=\"1a i\"]");
    assert!(
        row.contains("Goal: Grow on 1a i") && row.contains("Minutes"),
        "{row}"
    );
    assert!(
        profile
            .select("[data-test-row=\"1a ii\"] [data-test-row-evidence]")
            .is_empty()
    );
    let filtered = leader.get("/profile?filter=no-evidence").await;
    assert_eq!(filtered.status, StatusCode::OK);
    assert!(filtered.select("[data-test-row=\"1a i\"]").is_empty());
    assert!(!filtered.select("[data-test-row=\"1a ii\"]").is_empty());
    assert_eq!(
        leader.get("/profile?filter=everything").await.status,
        StatusCode::BAD_REQUEST
    );
    // The coach reading the shared profile sees no evidence until evidence is shared.
    let shared = coach.get(&format!("/people/{}/profile", leader_id.0)).await;
    assert!(shared.select("[data-test-row-evidence]").is_empty());

    // Sign-off is confirmed first: the coaching page links to a page that says
    // what it locks, and that page alone changes nothing.
    let page = coach.get(&coaching).await;
    let confirm = page.attr("a[data-test-sign-off]", "href").unwrap();
    assert_eq!(confirm, format!("{coaching}/sign-off"));
    let confirmation = coach.get(&confirm).await;
    assert!(
        confirmation
            .text("main")
            .contains("You can withdraw the sign-off")
    );
    assert!(
        leader
            .get("/coaching")
            .await
            .select("[data-test-signed-off]")
            .is_empty()
    );
    assert_eq!(leader.get(&confirm).await.status, StatusCode::NOT_FOUND);

    // Sign-off: the review is read-only, notes can still be added.
    let response = coach
        .post_form(&format!("{coaching}/sign-off"), &[("csrf", &coach_csrf)])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        leader
            .get("/coaching")
            .await
            .text("[data-test-signed-off]")
            .contains("Cora Coach")
    );
    let refused = leader
        .post_form(
            &format!("{goal_url}/actions"),
            &[("csrf", &csrf), ("text", "after sign-off")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("signed off"));
    let refused = coach
        .post_form(
            &format!("{coaching}/views"),
            &[("csrf", &coach_csrf), ("level:1a-i", "some")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        leader
            .get(&goal_url)
            .await
            .select("[data-test-add-action]")
            .is_empty()
    );
    let response = leader
        .post_form(
            "/coaching/notes",
            &[("csrf", &csrf), ("body", "A comment after sign-off")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    // The coach withdraws the sign-off: the review is editable again, and the
    // log says who did what.
    let page = coach.get(&coaching).await;
    let withdraw = page
        .attr("form[data-test-withdraw-sign-off]", "action")
        .unwrap();
    let refused = leader.post_form(&withdraw, &[("csrf", &csrf)]).await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND, "only the coach");
    let response = coach.post_form(&withdraw, &[("csrf", &coach_csrf)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        leader
            .get("/coaching")
            .await
            .select("[data-test-signed-off]")
            .is_empty()
    );
    let response = leader
        .post_form(
            &format!("{goal_url}/actions"),
            &[
                ("csrf", &csrf),
                ("text", "after the sign-off was withdrawn"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let actions: Vec<String> = app
        .store
        .audit_log(app.trust, 10)
        .await
        .unwrap()
        .iter()
        .map(|e| e.action.as_str().to_owned())
        .filter(|a| a.contains("sign"))
        .collect();
    assert_eq!(actions, ["sign_off_withdrawn", "signed_off"]);
    app.finish().await;
}

async fn current_cycle(app: &TestApp) -> leadkit_domain::cycle::CycleId {
    app.store
        .current_cycle(app.trust, None, leadkit_web::Clock::System.now().date())
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn framework_id(app: &TestApp) -> leadkit_domain::framework::FrameworkVersionId {
    app.store
        .frameworks()
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.framework.key.as_str() == "leadership-toolkit")
        .unwrap()
        .id
}

/// The coach's page works like the reflection page: one subdomain at a time,
/// each component with its descriptors to hand and the leader's own choice
/// beside the coach's; saving returns to that subdomain, or goes on to the next.
#[tokio::test]
async fn the_coachs_page_goes_subdomain_by_subdomain_with_the_descriptors_to_hand() {
    let app = TestApp::start().await;
    let mut leader = app.leader("Lee Leader", "lee@example.org").await;
    let leader_id = leader.person.unwrap();
    let coach_id = app
        .person(
            "Cora Coach",
            "cora@example.org",
            &[Role::Leader, Role::Coach],
        )
        .await;
    let mut coach = app.signed_in(coach_id, "cora@example.org").await;
    app.store
        .set_relationship(
            leader_id,
            RelationshipKind::Coach,
            Some(coach_id),
            leadkit_web::Clock::System.now(),
        )
        .await
        .unwrap();
    leader.reflect("1b i", Some("high"), "").await;
    let csrf = leader.csrf().await;
    leader
        .post_form(
            "/profile/sharing",
            &[("csrf", &csrf), ("audience", "coach"), ("share", "yes")],
        )
        .await;
    let coaching = format!("/people/{}/coaching", leader_id.0);

    // The first subdomain by default; only its components; a list of all.
    let page = coach.get(&coaching).await;
    assert!(!page.select("[data-test-component='1a i']").is_empty());
    assert!(page.select("[data-test-component='1b i']").is_empty());
    assert!(page.select("nav.subdomains a").len() >= 10);
    assert_eq!(page.select("nav.subdomains a[aria-current=page]").len(), 1);
    assert!(
        page.text("[data-test-component='1a i'] details.descriptors")
            .contains("High impact"),
        "the three descriptors sit with the component"
    );
    assert_eq!(
        page.select("[data-test-component='1a i'] details.descriptors[open]")
            .len(),
        0,
        "collapsed by default"
    );

    // Another subdomain by its code, with the leader's own choice shown.
    let page = coach.get(&format!("{coaching}?group=1b")).await;
    assert!(
        page.text("[data-test-component='1b i'] [data-test-their-choice]")
            .contains("High impact")
    );
    assert_eq!(
        page.attr("[data-coach-form] input[name=group]", "value")
            .as_deref(),
        Some("1b")
    );

    // "Save and go to the next subdomain" saves and moves on; "Save" stays.
    let coach_csrf = coach.csrf().await;
    let response = coach
        .post_form(
            &format!("{coaching}/views"),
            &[
                ("csrf", &coach_csrf),
                ("group", "1b"),
                ("level:1b-i", "high"),
                ("then", "next"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()["location"],
        format!("{coaching}?group=1c").as_str()
    );
    let response = coach
        .post_form(
            &format!("{coaching}/views"),
            &[
                ("csrf", &coach_csrf),
                ("group", "1b"),
                ("comment:1b-i", "Seen in assembly"),
            ],
        )
        .await;
    assert_eq!(
        response.headers()["location"],
        format!("{coaching}?group=1b").as_str()
    );
    let page = coach.get(&format!("{coaching}?group=1b")).await;
    assert_eq!(
        page.attr("[data-test-component='1b i']", "data-agreement")
            .as_deref(),
        Some("agree")
    );
    assert_eq!(
        page.select("[data-test-component='1b i'] input[value=high][checked]")
            .len(),
        1
    );
    assert_eq!(page.text("#comment-1b-i"), "Seen in assembly");
}
