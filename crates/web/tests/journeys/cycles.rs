//! Cycles administered over HTTP: one for the whole trust or one school's own,
//! each person working in theirs; bad cycle forms change nothing.

use leadkit_domain::people::Role;
use reqwest::StatusCode;

use crate::helpers::TestApp;

#[tokio::test]
async fn a_schools_own_cycle_is_where_its_people_work_and_bad_forms_change_nothing() {
    let app = TestApp::start().await;
    let admin_id = app
        .person("Ada Admin", "ada@example.org", &[Role::Administrator])
        .await;
    let mut admin = app.signed_in(admin_id, "ada@example.org").await;
    let oakwood = app.store.create_school(app.trust, "Oakwood").await.unwrap();
    let olu_id = app
        .person_in(
            app.trust,
            Some(oakwood),
            "Olu Oak",
            "olu@example.org",
            &[Role::Leader],
        )
        .await;
    let mut olu = app.signed_in(olu_id, "olu@example.org").await;
    let mut other = app.leader("Eli Else", "eli@example.org").await;
    let year = olu.get("/goals").await.text("main");

    let csrf = admin.csrf().await;
    let before = admin
        .get("/admin/cycles")
        .await
        .select("[data-test-cycle]")
        .len();
    for (fields, message) in [
        (
            vec![
                ("name", ""),
                ("starts_on", "2026-11-01"),
                ("ends_on", "2027-03-31"),
            ],
            "name",
        ),
        (
            vec![
                ("name", "T"),
                ("starts_on", "2027-03-31"),
                ("ends_on", "2026-11-01"),
            ],
            "after the first day",
        ),
        (
            vec![
                ("name", "T"),
                ("starts_on", "someday"),
                ("ends_on", "2027-03-31"),
            ],
            "date such as",
        ),
        (
            vec![
                ("name", "T"),
                ("starts_on", "2026-11-01"),
                ("ends_on", "2027-03-31"),
                ("school", "99999"),
            ],
            "Choose a school",
        ),
        (
            vec![
                ("name", "T"),
                ("starts_on", "2026-11-01"),
                ("ends_on", "2027-03-31"),
                ("carry_from", "x"),
            ],
            "Choose a cycle",
        ),
    ] {
        let mut form = vec![("csrf", csrf.as_str())];
        form.extend(fields);
        let response = admin.post_form("/admin/cycles", &form).await;
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
    assert_eq!(
        admin
            .get("/admin/cycles")
            .await
            .select("[data-test-cycle]")
            .len(),
        before
    );
    // The same name twice is refused.
    let existing = admin
        .get("/admin/cycles")
        .await
        .attr("[data-test-cycle]", "data-test-cycle")
        .unwrap();
    let response = admin
        .post_form(
            "/admin/cycles",
            &[
                ("csrf", &csrf),
                ("name", &existing),
                ("starts_on", "2026-11-01"),
                ("ends_on", "2027-03-31"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let response = admin
        .post_form(
            "/admin/cycles",
            &[
                ("csrf", &csrf),
                ("name", "Oakwood spring term"),
                (
                    "starts_on",
                    &(leadkit_web::Clock::System.now().date() - time::Duration::days(1))
                        .to_string(),
                ),
                (
                    "ends_on",
                    &(leadkit_web::Clock::System.now().date() + time::Duration::days(90))
                        .to_string(),
                ),
                ("school", &oakwood.0.to_string()),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = admin.get("/admin/cycles").await;
    assert!(
        page.text("[data-test-cycle=\"Oakwood spring term\"]")
            .contains("Oakwood")
    );
    assert!(
        olu.get("/goals")
            .await
            .text("main")
            .contains("Oakwood spring term")
    );
    assert_eq!(
        other.get("/goals").await.text("main"),
        year,
        "others stay in the year"
    );
    assert!(
        !other
            .get("/goals")
            .await
            .text("main")
            .contains("Oakwood spring term")
    );
    // Nobody but an administrator opens or closes cycles.
    let olu_csrf = olu.csrf().await;
    let refused = olu
        .post_form(
            "/admin/cycles",
            &[
                ("csrf", &olu_csrf),
                ("name", "Mine"),
                ("starts_on", "2026-11-01"),
                ("ends_on", "2027-03-31"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    assert_eq!(olu.get("/admin/cycles").await.status, StatusCode::NOT_FOUND);
    app.finish().await;
}

/// Closing a cycle is confirmed first, on a page that says what will happen
/// and to whom, and can be undone from where it lands; both are audited.
#[tokio::test]
async fn closing_a_cycle_is_confirmed_then_can_be_undone() {
    let app = TestApp::start().await;
    let admin_id = app
        .person("Ada Admin", "ada@example.org", &[Role::Administrator])
        .await;
    let mut admin = app.signed_in(admin_id, "ada@example.org").await;
    let mut lee = app.leader("Lee Leader", "lee@example.org").await;
    let cycle = app.store.cycles(app.trust).await.unwrap()[0].clone();
    let close = format!("/admin/cycles/{}/close", cycle.id.0);

    // The list links to the confirmation; the confirmation alone changes nothing.
    let list = admin.get("/admin/cycles").await;
    assert_eq!(list.attr("[data-test-close]", "href").unwrap(), close);
    let confirm = admin.get(&close).await;
    assert_eq!(confirm.status, StatusCode::OK);
    let said = confirm.text("main");
    assert!(said.contains("everyone in the trust (2 people)"), "{said}");
    assert!(said.contains("You can reopen it"), "{said}");
    assert!(app.store.cycles(app.trust).await.unwrap()[0].open);
    assert_eq!(lee.get(&close).await.status, StatusCode::NOT_FOUND);

    let csrf = admin.csrf().await;
    let closed = admin.post_form(&close, &[("csrf", &csrf)]).await;
    assert_eq!(closed.status(), StatusCode::SEE_OTHER);
    let landing = closed.headers()["location"].to_str().unwrap().to_owned();
    assert!(!app.store.cycles(app.trust).await.unwrap()[0].open);
    let page = admin.get(&landing).await;
    assert_eq!(page.select("[data-test-undo]").len(), 1);
    assert!(page.text("[data-test-closed]").contains("is closed"));

    // Undo.
    let undo = page.attr("[data-test-closed] form", "action").unwrap();
    let csrf = admin.csrf().await;
    let reopened = admin.post_form(&undo, &[("csrf", &csrf)]).await;
    assert_eq!(reopened.status(), StatusCode::SEE_OTHER);
    assert!(app.store.cycles(app.trust).await.unwrap()[0].open);
    let csrf = lee.csrf().await;
    assert_eq!(
        lee.post_form(&undo, &[("csrf", &csrf)]).await.status(),
        StatusCode::NOT_FOUND,
        "only administrators reopen"
    );
    let details: Vec<String> = app
        .store
        .audit_log(app.trust, 2)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.detail)
        .collect();
    assert_eq!(
        details,
        [
            format!("reopened the cycle {}", cycle.name),
            format!("closed the cycle {}", cycle.name)
        ]
    );
}
