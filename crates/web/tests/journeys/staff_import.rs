//! An administrator imports a staff list: a dry run first, then all or nothing;
//! the same list twice changes nothing.

use leadkit_domain::people::{Email, Role};
use reqwest::StatusCode;

use crate::helpers::TestApp;

const LIST: &str = "name,email,school,role,line manager's email,team\n\
Amara Okafor,amara@oak.example,Oakwood,leader; school lead; coach,,Senior team\n\
Ben Khan,ben@oak.example,Oakwood,leader,amara@oak.example,Senior team\n";

#[tokio::test]
async fn an_administrator_checks_then_applies_a_staff_list_once() {
    let app = TestApp::start().await;
    let admin_id = app
        .person("Ada Admin", "admin@example.org", &[Role::Administrator])
        .await;
    let mut admin = app.signed_in(admin_id, "admin@example.org").await;
    let mut leader = app.leader("Lee Leader", "lee@example.org").await;
    assert_eq!(
        leader.get("/admin/people/import").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        admin.get("/admin/people/import").await.status,
        StatusCode::OK
    );

    // A dry run lists the changes and changes nothing.
    let csrf = admin.csrf().await;
    let response = admin
        .post_form(
            "/admin/people/import",
            &[("csrf", &csrf), ("csv", LIST), ("step", "check")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = scraper::Html::parse_document(&response.text().await.unwrap());
    let changes: Vec<String> = page
        .select(&scraper::Selector::parse("[data-test-change]").unwrap())
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(
        changes,
        [
            "Add school Oakwood",
            "Add team Senior team at Oakwood",
            "Row 2: add Amara Okafor (amara@oak.example)",
            "Row 3: add Ben Khan (ben@oak.example)"
        ]
    );
    let ben = Email::parse("ben@oak.example").unwrap();
    assert!(app.store.credentials(&ben).await.unwrap().is_none());

    // Applying makes them, and says so in the audit log.
    let csrf = admin.csrf().await;
    let response = admin
        .post_form(
            "/admin/people/import",
            &[("csrf", &csrf), ("csv", LIST), ("step", "apply")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().contains("2 people added"));
    let ben_id = app.store.credentials(&ben).await.unwrap().unwrap().person;
    let related = app.store.relationships_of(ben_id).await.unwrap();
    assert_eq!(related[0].name, "Amara Okafor");
    let log = app.store.audit_log(app.trust, 5).await.unwrap();
    assert_eq!(log[0].action.as_str(), "staff_imported");

    // The same list again: nothing to change.
    let csrf = admin.csrf().await;
    let response = admin
        .post_form(
            "/admin/people/import",
            &[("csrf", &csrf), ("csv", LIST), ("step", "apply")],
        )
        .await;
    let text = response.text().await.unwrap();
    assert!(text.contains("Nothing to change"), "{text}");
    assert_eq!(
        app.store.audit_log(app.trust, 5).await.unwrap().len(),
        log.len()
    );
}

#[tokio::test]
async fn a_list_with_problems_changes_nothing_and_names_each_line() {
    let app = TestApp::start().await;
    let admin_id = app
        .person("Ada Admin", "admin@example.org", &[Role::Administrator])
        .await;
    let mut admin = app.signed_in(admin_id, "admin@example.org").await;
    let broken = format!("{LIST}Chloe,not-an-email,Oakwood,wizard,,\n");
    for step in ["check", "apply"] {
        let csrf = admin.csrf().await;
        let response = admin
            .post_form(
                "/admin/people/import",
                &[("csrf", &csrf), ("csv", &broken), ("step", step)],
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let page = scraper::Html::parse_document(&response.text().await.unwrap());
        let problems: Vec<String> = page
            .select(&scraper::Selector::parse("[data-test-problem]").unwrap())
            .map(|e| e.text().collect())
            .collect();
        assert_eq!(
            problems[0],
            "row 4: \"not-an-email\" is not an email address"
        );
        assert!(
            problems[1].starts_with("row 4: \"wizard\" is not a role"),
            "{problems:?}"
        );
    }
    assert!(
        app.store
            .credentials(&Email::parse("ben@oak.example").unwrap())
            .await
            .unwrap()
            .is_none()
    );
    // Not CSV at all.
    let csrf = admin.csrf().await;
    let response = admin
        .post_form(
            "/admin/people/import",
            &[
                ("csrf", &csrf),
                ("csv", "just some words"),
                ("step", "check"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("needs the columns"));
}

#[tokio::test]
async fn an_administrator_adds_one_person_and_bad_forms_change_nothing() {
    let app = TestApp::start().await;
    let admin_id = app
        .person("Ada Admin", "admin@example.org", &[Role::Administrator])
        .await;
    let mut admin = app.signed_in(admin_id, "admin@example.org").await;
    assert_eq!(admin.get("/admin/people/new").await.status, StatusCode::OK);
    for (fields, message) in [
        (
            vec![
                ("name", ""),
                ("email", "x@example.org"),
                ("roles", "leader"),
            ],
            "Enter your name",
        ),
        (
            vec![("name", "X"), ("email", "nope"), ("roles", "leader")],
            "Enter an email address",
        ),
        (
            vec![("name", "X"), ("email", "x@example.org")],
            "Choose at least one role",
        ),
        (
            vec![
                ("name", "X"),
                ("email", "x@example.org"),
                ("roles", "wizard"),
            ],
            "is not a role",
        ),
        (
            vec![
                ("name", "X"),
                ("email", "admin@example.org"),
                ("roles", "leader"),
            ],
            "already in use",
        ),
        (
            vec![
                ("name", "X"),
                ("email", "x@example.org"),
                ("roles", "school_lead"),
            ],
            "A school lead needs a school",
        ),
        (
            vec![
                ("name", "X"),
                ("email", "x@example.org"),
                ("roles", "leader"),
                ("school", "99999"),
            ],
            "Choose a school from the list",
        ),
    ] {
        let csrf = admin.csrf().await;
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend(fields);
        let response = admin.post_form("/admin/people/new", &all).await;
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
            .credentials(&Email::parse("x@example.org").unwrap())
            .await
            .unwrap()
            .is_none()
    );

    let csrf = admin.csrf().await;
    let response = admin
        .post_form(
            "/admin/people/new",
            &[
                ("csrf", &csrf),
                ("name", "Xena Head"),
                ("email", "xena@example.org"),
                ("job_title", "Headteacher"),
                ("new_school", "Hilltop"),
                ("roles", "leader"),
                ("roles", "school_lead"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let xena = app
        .store
        .credentials(&Email::parse("xena@example.org").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(xena.password_hash.is_none());
    let person = app.store.person(xena.person).await.unwrap();
    assert!(person.has_role(Role::SchoolLead) && person.school.is_some());
    let log = app.store.audit_log(app.trust, 5).await.unwrap();
    assert_eq!(log[0].action.as_str(), "person_added");
    let mut leader = app.leader("Lee Leader", "lee@example.org").await;
    assert_eq!(
        leader.get("/admin/people/new").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn an_administrator_adds_schools_and_teams() {
    let app = TestApp::start().await;
    let admin_id = app
        .person("Ada Admin", "admin@example.org", &[Role::Administrator])
        .await;
    let mut admin = app.signed_in(admin_id, "admin@example.org").await;
    let csrf = admin.csrf().await;
    let added = admin
        .post_form(
            "/admin/schools",
            &[("csrf", &csrf), ("name", "  Oakwood   Primary ")],
        )
        .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let page = admin.get("/admin/schools").await;
    assert_eq!(page.select("[data-test-school='Oakwood Primary']").len(), 1);
    let school = app.store.schools(app.trust).await.unwrap()[0].id;
    for (fields, status) in [
        (
            vec![("name", "Oakwood Primary")],
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (vec![("name", "")], StatusCode::UNPROCESSABLE_ENTITY),
        (
            vec![("name", "Year 6"), ("school", "999999")],
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            vec![("name", "Year 6"), ("school", &school.0.to_string())],
            StatusCode::SEE_OTHER,
        ),
        (
            vec![("name", "Year 6"), ("school", &school.0.to_string())],
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let csrf = admin.csrf().await;
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend(fields.iter().map(|(k, v)| (*k, *v)));
        let response = admin.post_form("/admin/schools", &all).await;
        assert_eq!(response.status(), status, "{fields:?}");
    }
    let page = admin.get("/admin/schools").await;
    assert_eq!(page.text("[data-test-team]"), "Year 6");
    let mut leader = app.leader("Lee Leader", "lee@example.org").await;
    assert_eq!(
        leader.get("/admin/schools").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn an_administrator_edits_a_persons_school_team_and_roles() {
    let app = TestApp::start().await;
    let admin_id = app
        .person("Ada Admin", "admin@example.org", &[Role::Administrator])
        .await;
    let mut admin = app.signed_in(admin_id, "admin@example.org").await;
    let mut lee = app.leader("Lee Leader", "lee@example.org").await;
    let lee_id = lee.person.unwrap();
    let oak = app.store.create_school(app.trust, "Oakwood").await.unwrap();
    let river = app
        .store
        .create_school(app.trust, "Riverside")
        .await
        .unwrap();
    app.store
        .create_team(app.trust, river, "Maths")
        .await
        .unwrap();
    let maths = app.store.teams_of_trust(app.trust).await.unwrap()[0]
        .id
        .to_string();
    let path = format!("/admin/people/{}/relationships", lee_id.0);
    assert_eq!(admin.get(&path).await.status, StatusCode::OK);
    let (oak, river) = (oak.0.to_string(), river.0.to_string());
    let save = |school: &str, team: &str, roles: &[&str]| {
        let mut fields: Vec<(String, String)> = vec![
            ("details".into(), "yes".into()),
            ("school".into(), school.into()),
            ("team".into(), team.into()),
            ("job_title".into(), "Head of Maths".into()),
            ("coach".into(), String::new()),
            ("line_manager".into(), String::new()),
        ];
        fields.extend(roles.iter().map(|r| ("roles".to_owned(), (*r).to_owned())));
        fields
    };
    // A team at another school, no roles, a made-up school: refused, nothing changed.
    for fields in [
        save(&oak, &maths, &["leader"]),
        save(&river, &maths, &[]),
        save("987654", "", &["leader"]),
    ] {
        let csrf = admin.csrf().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf", &csrf)];
        all.extend(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let response = admin.post_form(&path, &all).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{fields:?}"
        );
    }
    assert_eq!(app.store.person(lee_id).await.unwrap().school, None);
    // A good change takes effect at once, even for a signed-in person.
    assert_eq!(lee.get("/admin/people").await.status, StatusCode::NOT_FOUND);
    let fields = save(&river, &maths, &["leader", "administrator"]);
    let csrf = admin.csrf().await;
    let mut all: Vec<(&str, &str)> = vec![("csrf", &csrf)];
    all.extend(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    assert_eq!(
        admin.post_form(&path, &all).await.status(),
        StatusCode::SEE_OTHER
    );
    let person = app.store.person(lee_id).await.unwrap();
    assert_eq!(person.job_title, "Head of Maths");
    assert!(person.has_role(Role::Administrator));
    assert_eq!(lee.get("/admin/people").await.status, StatusCode::OK);
    // No administrator can take away their own administrator role.
    let own = format!("/admin/people/{}/relationships", admin_id.0);
    let fields = save("", "", &["leader"]);
    let csrf = admin.csrf().await;
    let mut all: Vec<(&str, &str)> = vec![("csrf", &csrf)];
    all.extend(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    assert_eq!(
        admin.post_form(&own, &all).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

/// A list may not archive or demote the administrator applying it, nor leave
/// the trust with no administrator; the refusal keeps the list on the page.
#[tokio::test]
async fn an_import_cannot_remove_the_administrator_applying_it() {
    let app = TestApp::start().await;
    let admin_id = app
        .person("Ada Admin", "admin@example.org", &[Role::Administrator])
        .await;
    let mut admin = app.signed_in(admin_id, "admin@example.org").await;
    let lee = app.leader("Lee Leader", "lee@example.org").await;

    let demote = "name,email,school,role\nAda Admin,admin@example.org,,leader\n";
    let csrf = admin.csrf().await;
    let response = admin
        .post_form(
            "/admin/people/import",
            &[("csrf", &csrf), ("csv", demote), ("step", "apply")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = response.text().await.unwrap();
    assert!(
        text.contains("take away your own administrator role"),
        "{text}"
    );
    assert!(
        text.contains("Ada Admin,admin@example.org"),
        "the list stays"
    );

    let one_row = "name,email,school,role\nNew Person,new@example.org,Oakwood,leader\n";
    let csrf = admin.csrf().await;
    let response = admin
        .post_form(
            "/admin/people/import",
            &[
                ("csrf", &csrf),
                ("csv", one_row),
                ("archive_missing", "yes"),
                ("step", "apply"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = response.text().await.unwrap();
    assert!(text.contains("would archive you"), "{text}");
    // Nothing changed: both still sign in, the administrator still administers.
    for email in ["admin@example.org", "lee@example.org"] {
        let email = Email::parse(email).unwrap();
        assert!(app.store.credentials(&email).await.unwrap().is_some());
    }
    assert_eq!(admin.get("/admin/people").await.status, StatusCode::OK);
    assert!(lee.person.is_some());
}

/// Archiving is confirmed first, then can be undone from the page it lands on;
/// someone archived earlier is listed with a way back.
#[tokio::test]
async fn an_administrator_archives_after_confirming_and_can_undo_it() {
    let app = TestApp::start().await;
    let admin_id = app
        .person("Ada Admin", "admin@example.org", &[Role::Administrator])
        .await;
    let mut admin = app.signed_in(admin_id, "admin@example.org").await;
    let mut amara = app.leader("Amara Okafor", "amara@example.org").await;
    let amara_id = amara.person.unwrap();
    let path = format!("/admin/people/{}/archive", amara_id.0);

    // Leaders cannot; the confirmation changes nothing by itself.
    assert_eq!(amara.get(&path).await.status, StatusCode::NOT_FOUND);
    let confirm = admin.get(&path).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert_eq!(confirm.select("[data-test-archive]").len(), 1);
    assert_eq!(amara.get("/profile").await.status, StatusCode::OK);

    // Not oneself.
    let own = format!("/admin/people/{}/archive", admin_id.0);
    assert_eq!(
        admin
            .get(&own)
            .await
            .select("[data-test-archive-refused]")
            .len(),
        1
    );
    let csrf = admin.csrf().await;
    let refused = admin.post_form(&own, &[("csrf", &csrf)]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let csrf = admin.csrf().await;
    let done = admin.post_form(&path, &[("csrf", &csrf)]).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let back_to = done.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(back_to, format!("/admin/people?archived={}", amara_id.0));
    assert_eq!(amara.get("/profile").await.status, StatusCode::SEE_OTHER);
    let amara_email = Email::parse("amara@example.org").unwrap();
    assert!(app.store.credentials(&amara_email).await.unwrap().is_none());

    let people = admin.get(&back_to).await;
    assert_eq!(people.select("[data-test-undo]").len(), 1);
    assert_eq!(
        people
            .select("[data-test-archived='amara@example.org']")
            .len(),
        1
    );
    assert!(
        people
            .select("[data-test-person='amara@example.org']")
            .is_empty()
    );

    // Undo.
    let csrf = admin.csrf().await;
    let undone = admin
        .post_form(
            &format!("/admin/people/{}/unarchive", amara_id.0),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(undone.status(), StatusCode::SEE_OTHER);
    let people = admin
        .get(&format!("/admin/people?unarchived={}", amara_id.0))
        .await;
    assert_eq!(
        people
            .select("[data-test-person='amara@example.org']")
            .len(),
        1
    );
    assert_eq!(people.select("[data-test-done]").len(), 1);
    assert!(app.store.credentials(&amara_email).await.unwrap().is_some());
    // Twice is harmless; someone in no archive of ours is not found.
    let csrf = admin.csrf().await;
    let twice = admin
        .post_form(
            &format!("/admin/people/{}/unarchive", amara_id.0),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(twice.status(), StatusCode::SEE_OTHER);
    let csrf = admin.csrf().await;
    let nobody = admin
        .post_form("/admin/people/999999/unarchive", &[("csrf", &csrf)])
        .await;
    assert_eq!(nobody.status(), StatusCode::NOT_FOUND);

    let actions: Vec<String> = app
        .store
        .audit_log(app.trust, 5)
        .await
        .unwrap()
        .iter()
        .map(|e| e.action.as_str().to_owned())
        .collect();
    assert_eq!(actions[..2], ["unarchived", "archived"]);
}
