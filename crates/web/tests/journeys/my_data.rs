//! A person downloads all their data; an administrator erases a person, leaving
//! the numbers for groups as they were.

use leadkit_domain::people::Role;
use reqwest::StatusCode;

use crate::helpers::TestApp;

#[tokio::test]
async fn a_person_downloads_everything_about_them_as_json_and_as_a_page() {
    let app = TestApp::start().await;
    let mut amara = app.leader("Amara Okafor", "amara@example.org").await;
    let coach = app
        .person("Cora Coach", "coach@example.org", &[Role::Coach])
        .await;
    let amara_id = amara.person.unwrap();
    app.store
        .set_relationship(
            amara_id,
            leadkit_store::sharing::RelationshipKind::Coach,
            Some(coach),
            leadkit_web::Clock::System.now(),
        )
        .await
        .unwrap();
    amara.reflect("1a i", Some("high"), "my own words").await;
    amara.reflect("2b iii", Some("not_yet"), "").await;
    let csrf = amara.csrf().await;
    amara
        .post_form(
            "/profile/sharing",
            &[("csrf", &csrf), ("audience", "coach"), ("share", "yes")],
        )
        .await;

    let response = amara.get_raw("/profile/my-data.json").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let data: serde_json::Value = response.json().await.unwrap();
    assert_eq!(data["person"]["email"], "amara@example.org");
    assert_eq!(data["coach"], "Cora Coach");
    let reflections = data["reflections"].as_array().unwrap();
    assert_eq!(reflections.len(), 2);
    assert_eq!(reflections[0]["item"], "1a i");
    assert_eq!(reflections[0]["note"], "my own words");
    assert_eq!(reflections[0]["framework"], "leadership-toolkit");
    assert_eq!(data["sharing"][0]["audience"], "coach");
    assert_eq!(data["sharing"][0]["shared"], true);
    assert!(
        data["audit"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "shared")
    );

    let page = amara.get("/profile/my-data").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.text("[data-test-my-name]"), "Amara Okafor");
    assert_eq!(page.select("[data-test-my-reflection]").len(), 2);
    // Only ever my own: another person's download is theirs.
    let mut ben = app.leader("Ben Hughes", "ben@example.org").await;
    let theirs: serde_json::Value = ben
        .get_raw("/profile/my-data.json")
        .await
        .json()
        .await
        .unwrap();
    assert!(theirs["reflections"].as_array().unwrap().is_empty());
    assert!(!theirs.to_string().contains("my own words"));
    // Signed out: sign in first.
    assert_eq!(
        app.visitor().get("/profile/my-data.json").await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn an_administrator_erases_a_person_after_confirming_and_group_numbers_stay() {
    let app = TestApp::start().await;
    let admin_id = app
        .person("Ada Admin", "admin@example.org", &[Role::Administrator])
        .await;
    let mut admin = app.signed_in(admin_id, "admin@example.org").await;
    let mut amara = app.leader("Amara Okafor", "amara@example.org").await;
    let amara_id = amara.person.unwrap();
    amara.reflect("1a i", Some("high"), "private words").await;
    let cycle = app
        .store
        .current_cycle(app.trust, None, leadkit_web::Clock::System.now().date())
        .await
        .unwrap()
        .unwrap();
    let levels_before = judgements_in(&app, cycle.id).await;

    // Not an administrator: not found. A wrong confirmation: nothing erased.
    let mut ben = app.leader("Ben Hughes", "ben@example.org").await;
    let path = format!("/admin/people/{}/erase", amara_id.0);
    assert_eq!(ben.get(&path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(admin.get(&path).await.status, StatusCode::OK);
    let csrf = admin.csrf().await;
    let wrong = admin
        .post_form(
            &path,
            &[("csrf", &csrf), ("confirm_email", "someone@example.org")],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(amara.get("/profile").await.status == StatusCode::OK);
    // An administrator cannot erase themselves.
    let csrf = admin.csrf().await;
    let own = admin
        .post_form(
            &format!("/admin/people/{}/erase", admin_id.0),
            &[("csrf", &csrf), ("confirm_email", "admin@example.org")],
        )
        .await;
    assert_eq!(own.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let csrf = admin.csrf().await;
    let done = admin
        .post_form(
            &path,
            &[("csrf", &csrf), ("confirm_email", "Amara@Example.org")],
        )
        .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    // Signed out everywhere, cannot sign in, name and notes gone, levels kept.
    assert_eq!(amara.get("/profile").await.status, StatusCode::SEE_OTHER);
    let people = admin.get("/admin/people").await;
    assert!(
        people
            .select("[data-test-person='amara@example.org']")
            .is_empty()
    );
    assert_eq!(judgements_in(&app, cycle.id).await, levels_before);
    let mut dump = Vec::new();
    app.store.export_portable(&mut dump).await.unwrap();
    let dump = String::from_utf8(dump).unwrap();
    assert!(!dump.contains("private words"));
    assert!(!dump.contains("Amara Okafor"));
    assert!(!dump.contains("amara@example.org"));
    assert_eq!(
        app.visitor()
            .sign_in("amara@example.org", crate::helpers::PASSWORD)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let log = app.store.audit_log(app.trust, 10).await.unwrap();
    assert_eq!(log[0].action.as_str(), "erased");
    // Erasing again finds no one.
    let csrf = admin.csrf().await;
    let again = admin
        .post_form(
            &path,
            &[("csrf", &csrf), ("confirm_email", "amara@example.org")],
        )
        .await;
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
}

/// Every judgement saved in the cycle, whoever made it, sorted.
async fn judgements_in(app: &TestApp, cycle: leadkit_domain::cycle::CycleId) -> Vec<String> {
    let mut dump = Vec::new();
    app.store.export_portable(&mut dump).await.unwrap();
    let text = String::from_utf8(dump).unwrap();
    let mut in_reflections = false;
    let mut judgements = Vec::new();
    for line in text.lines() {
        if line.starts_with('{') {
            in_reflections = line.contains("\"table\":\"reflection\"");
            continue;
        }
        if in_reflections {
            let row: Vec<serde_json::Value> = serde_json::from_str(line).unwrap();
            // id, person_id, cycle_id, item_id, judgement, …
            if row[2] == cycle.0 {
                judgements.push(format!("{}:{}", row[3], row[4]));
            }
        }
    }
    judgements.sort();
    judgements
}

#[tokio::test]
async fn an_administrator_sets_how_long_archived_people_are_kept() {
    let app = TestApp::start().await;
    let admin_id = app
        .person("Ada Admin", "admin@example.org", &[Role::Administrator])
        .await;
    let mut admin = app.signed_in(admin_id, "admin@example.org").await;
    for bad in ["7", "ten", "-40", "99999"] {
        let csrf = admin.csrf().await;
        let response = admin
            .post_form("/admin/retention", &[("csrf", &csrf), ("days", bad)])
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    assert_eq!(
        app.store.archived_retention_days(app.trust).await.unwrap(),
        None
    );
    let csrf = admin.csrf().await;
    let response = admin
        .post_form("/admin/retention", &[("csrf", &csrf), ("days", "365")])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.store.archived_retention_days(app.trust).await.unwrap(),
        Some(365)
    );
    assert_eq!(
        admin
            .get("/admin/people")
            .await
            .attr("[data-test-retention]", "value")
            .as_deref(),
        Some("365")
    );
    let mut leader = app.leader("Lee Leader", "lee@example.org").await;
    let csrf = leader.csrf().await;
    let refused = leader
        .post_form("/admin/retention", &[("csrf", &csrf), ("days", "30")])
        .await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
}
