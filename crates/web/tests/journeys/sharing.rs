//! Administrators record coaches; leaders share with them and stop; coaches read
//! what was shared; everything lands in the audit log.

use leadkit_domain::people::Role;
use reqwest::StatusCode;

use crate::helpers::TestApp;

#[tokio::test]
async fn an_administrator_records_a_coach_who_then_reads_only_what_is_shared() {
    let app = TestApp::start().await;
    let admin_id = app
        .person("Ada Admin", "admin@example.org", &[Role::Administrator])
        .await;
    let mut admin = app.signed_in(admin_id, "admin@example.org").await;
    let mut owner = app.leader("Olu Owner", "owner@example.org").await;
    let coach_id = app
        .person(
            "Cora Coach",
            "coach@example.org",
            &[Role::Leader, Role::Coach],
        )
        .await;
    let mut coach = app.signed_in(coach_id, "coach@example.org").await;
    let owner_id = owner.person.unwrap();
    owner
        .reflect("1a i", Some("high"), "a shared thought")
        .await;

    // Administration is for administrators; anyone else finds nothing there.
    for path in ["/admin/people", "/admin/audit", "/admin/audit.csv"] {
        assert_eq!(
            owner.get(path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let csrf = owner.csrf().await;
    let refused = owner
        .post_form(
            &format!("/admin/people/{}/relationships", owner_id.0),
            &[("csrf", &csrf), ("coach", &owner_id.0.to_string())],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);

    // Before a coach is recorded, sharing with "my coach" is refused plainly.
    let csrf = owner.csrf().await;
    let response = owner
        .post_form(
            "/profile/sharing",
            &[("csrf", &csrf), ("audience", "coach"), ("share", "yes")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("You have no coach recorded yet")
    );

    // The administrator records the coach.
    let page = admin.get("/admin/people").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text("[data-test-person='owner@example.org']")
            .contains("Olu Owner")
    );
    let form = admin
        .get(&format!("/admin/people/{}/relationships", owner_id.0))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    let csrf = admin.csrf().await;
    let saved = admin
        .post_form(
            &format!("/admin/people/{}/relationships", owner_id.0),
            &[
                ("csrf", &csrf),
                ("coach", &coach_id.0.to_string()),
                ("line_manager", ""),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let page = admin.get("/admin/people").await;
    assert_eq!(
        page.text("[data-test-person='owner@example.org'] [data-test-coach]"),
        "Cora Coach"
    );

    // The coach sees who they coach, but not their reflections yet.
    let people = coach.get("/people").await;
    assert_eq!(
        people.text("[data-test-supported='Olu Owner'] [data-test-private]"),
        "Not shared with you"
    );
    let profile = format!("/people/{}/profile", owner_id.0);
    assert_eq!(coach.get(&profile).await.status, StatusCode::NOT_FOUND);

    // One click shares; the coach reads, read-only.
    let csrf = owner.csrf().await;
    let shared = owner
        .post_form(
            "/profile/sharing",
            &[("csrf", &csrf), ("audience", "coach"), ("share", "yes")],
        )
        .await;
    assert_eq!(shared.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        owner
            .get("/profile")
            .await
            .text("[data-test-audience=coach] [data-test-shared]"),
        "shared"
    );
    let people = coach.get("/people").await;
    let link = people
        .attr(
            "[data-test-supported='Olu Owner'] a[data-test-open]",
            "href",
        )
        .unwrap();
    assert_eq!(link, profile);
    let page = coach.get(&link).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text("[data-test-note]").contains("a shared thought"));
    assert_eq!(page.select("[data-test-shared-view]").len(), 1);
    assert!(page.select("[data-test-sharing]").is_empty());
    assert!(!page.text("main").contains("Continue reflecting"));

    // One click stops it.
    let csrf = owner.csrf().await;
    owner
        .post_form(
            "/profile/sharing",
            &[("csrf", &csrf), ("audience", "coach"), ("share", "no")],
        )
        .await;
    assert_eq!(coach.get(&profile).await.status, StatusCode::NOT_FOUND);

    // The audit log says who did what, as a page and as CSV.
    let audit = admin.get("/admin/audit").await;
    for action in [
        "relationship_changed",
        "shared",
        "unshared",
        "viewed_records",
    ] {
        assert!(
            !audit
                .select(&format!("[data-test-audit={action}]"))
                .is_empty(),
            "{action} missing from the audit page"
        );
    }
    let csv = admin.get_raw("/admin/audit.csv").await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let body = csv.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(rows.iter().any(|row| &row[4] == "viewed_records"
        && &row[3] == "Cora Coach"
        && &row[6] == "Olu Owner"));
    assert!(
        rows.iter()
            .any(|row| &row[4] == "relationship_changed" && &row[3] == "Ada Admin")
    );
}

/// Names a spreadsheet would run as formulas reach the audit CSV as text.
#[tokio::test]
async fn the_audit_csv_writes_formulas_as_text() {
    let app = TestApp::start().await;
    let admin_id = app
        .person(
            "=HYPERLINK(\"https://evil.example\",\"x\")",
            "admin@example.org",
            &[Role::Administrator],
        )
        .await;
    let mut admin = app.signed_in(admin_id, "admin@example.org").await;
    let csrf = admin.csrf().await;
    let saved = admin
        .post_form(
            "/admin/settings",
            &[("csrf", &csrf), ("share_with_coach_by_default", "yes")],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let body = admin
        .get_raw("/admin/audit.csv")
        .await
        .text()
        .await
        .unwrap();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let actors: Vec<String> = reader
        .records()
        .map(|row| row.unwrap()[3].to_owned())
        .collect();
    assert!(!actors.is_empty());
    assert!(
        actors.iter().all(|actor| actor.starts_with("'=HYPERLINK")),
        "{actors:?}"
    );
}

#[tokio::test]
async fn bad_sharing_and_administration_requests_change_nothing() {
    let app = TestApp::start().await;
    let admin_id = app
        .person("Ada Admin", "admin@example.org", &[Role::Administrator])
        .await;
    let mut admin = app.signed_in(admin_id, "admin@example.org").await;
    let mut owner = app.leader("Olu Owner", "owner@example.org").await;
    let owner_id = owner.person.unwrap();
    let before = owner
        .get("/profile")
        .await
        .text("[data-test-sharing] [data-test-audience]");

    for (fields, message) in [
        (
            vec![
                ("audience", "person"),
                ("email", "nobody@example.org"),
                ("share", "yes"),
            ],
            "No one in your trust has the email address nobody@example.org",
        ),
        (
            vec![
                ("audience", "person"),
                ("email", "owner@example.org"),
                ("share", "yes"),
            ],
            "You always see your own reflections",
        ),
        (
            vec![("audience", "everyone"), ("share", "yes")],
            "Choose whom to share with",
        ),
        (
            vec![("audience", "coach"), ("share", "perhaps")],
            "Choose to share or to stop sharing",
        ),
    ] {
        let csrf = owner.csrf().await;
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend(fields);
        let response = owner.post_form("/profile/sharing", &all).await;
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
    // A share without the anti-forgery token is refused.
    let forged = owner
        .post_form(
            "/profile/sharing",
            &[
                ("audience", "person"),
                ("email", "admin@example.org"),
                ("share", "yes"),
            ],
        )
        .await;
    // Nothing is shared; the post is kept and the person is taken back to it.
    assert_eq!(forged.status(), StatusCode::SEE_OTHER);
    assert!(
        forged.headers()["location"]
            .to_str()
            .unwrap()
            .contains("kept=")
    );
    assert_eq!(
        owner
            .get("/profile")
            .await
            .text("[data-test-sharing] [data-test-audience]"),
        before
    );

    // A coach from another trust, a made-up id or the person themselves: refused.
    let elsewhere = app
        .store
        .create_trust("Elsewhere", leadkit_web::Clock::System.now())
        .await
        .unwrap();
    let outsider = app
        .person_in(
            elsewhere,
            None,
            "Otto Outside",
            "otto@elsewhere.example",
            &[Role::Coach],
        )
        .await;
    for coach in [
        outsider.0.to_string(),
        "99999".to_owned(),
        owner_id.0.to_string(),
        "x".to_owned(),
    ] {
        let csrf = admin.csrf().await;
        let response = admin
            .post_form(
                &format!("/admin/people/{}/relationships", owner_id.0),
                &[("csrf", &csrf), ("coach", &coach), ("line_manager", "")],
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "coach {coach}"
        );
    }
    assert!(
        app.store
            .relationships_of(owner_id)
            .await
            .unwrap()
            .is_empty()
    );
    // Someone in another trust cannot be administered from this one.
    let csrf = admin.csrf().await;
    let response = admin
        .post_form(
            &format!("/admin/people/{}/relationships", outsider.0),
            &[("csrf", &csrf), ("coach", &admin_id.0.to_string())],
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    // The trust's sharing default: a clear refusal for nonsense, saved otherwise.
    let csrf = admin.csrf().await;
    let response = admin
        .post_form(
            "/admin/settings",
            &[("csrf", &csrf), ("share_with_coach_by_default", "maybe")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        !app.store
            .share_with_coach_by_default(app.trust)
            .await
            .unwrap()
    );
    let csrf = admin.csrf().await;
    let response = admin
        .post_form(
            "/admin/settings",
            &[("csrf", &csrf), ("share_with_coach_by_default", "yes")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        app.store
            .share_with_coach_by_default(app.trust)
            .await
            .unwrap()
    );
    let page = admin.get("/admin/people").await;
    assert!(
        page.attr("[data-test-default-share]", "checked").is_some(),
        "the setting shows as saved"
    );
}

/// An administrator cannot make themselves someone's coach or line manager, and
/// so cannot read what that person shared "with my coach".
#[tokio::test]
async fn an_administrator_cannot_make_themselves_someones_coach() {
    let app = TestApp::start().await;
    let admin_id = app
        .person(
            "Ada Admin",
            "admin@example.org",
            &[Role::Administrator, Role::Leader],
        )
        .await;
    let mut admin = app.signed_in(admin_id, "admin@example.org").await;
    let mut owner = app.leader("Olu Owner", "owner@example.org").await;
    let owner_id = owner.person.unwrap();
    let csrf = owner.csrf().await;
    owner
        .post_form(
            "/profile/sharing",
            &[("csrf", &csrf), ("audience", "coach"), ("share", "yes")],
        )
        .await;
    let csrf = admin.csrf().await;
    let me = admin_id.0.to_string();
    for field in ["coach", "line_manager"] {
        let refused = admin
            .post_form(
                &format!("/admin/people/{}/relationships", owner_id.0),
                &[("csrf", &csrf), (field, &me)],
            )
            .await;
        assert_eq!(
            refused.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}"
        );
        let text = refused.text().await.unwrap();
        assert!(text.contains("You cannot make yourself"), "{text}");
    }
    assert!(
        app.store
            .relationships_of(owner_id)
            .await
            .unwrap()
            .is_empty()
    );
    let profile = format!("/people/{}/profile", owner_id.0);
    assert_eq!(admin.get(&profile).await.status, StatusCode::NOT_FOUND);
}

/// What a person shared "with my coach" went to the coach they chose it for: a
/// new coach (given by an administrator, or after the old one is archived)
/// sees it only once the person shares again, and the person is told.
#[tokio::test]
async fn a_new_coach_sees_nothing_until_the_person_shares_again_and_the_person_is_told() {
    let app = TestApp::start().await;
    let admin_id = app
        .person("Ada Admin", "admin@example.org", &[Role::Administrator])
        .await;
    let mut admin = app.signed_in(admin_id, "admin@example.org").await;
    let mut owner = app.leader("Olu Owner", "owner@example.org").await;
    let owner_id = owner.person.unwrap();
    let mut coaches = Vec::new();
    for (name, email) in [
        ("Cora Coach", "cora@example.org"),
        ("Nia New", "nia@example.org"),
        ("Tom Third", "tom@example.org"),
    ] {
        let id = app.person(name, email, &[Role::Leader, Role::Coach]).await;
        coaches.push((id, app.signed_in(id, email).await));
    }
    owner.reflect("1a i", Some("high"), "for Cora").await;
    let set_coach = |coach: leadkit_domain::people::PersonId| {
        [
            ("coach", coach.0.to_string()),
            ("line_manager", String::new()),
        ]
    };
    let relationships = format!("/admin/people/{}/relationships", owner_id.0);
    let csrf = admin.csrf().await;
    let mut form = vec![("csrf".to_owned(), csrf)];
    form.extend(set_coach(coaches[0].0).map(|(k, v)| (k.to_owned(), v)));
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(
        admin.post_form(&relationships, &pairs).await.status(),
        StatusCode::SEE_OTHER
    );
    let csrf = owner.csrf().await;
    owner
        .post_form(
            "/profile/sharing",
            &[("csrf", &csrf), ("audience", "coach"), ("share", "yes")],
        )
        .await;
    let profile = format!("/people/{}/profile", owner_id.0);
    assert_eq!(coaches[0].1.get(&profile).await.status, StatusCode::OK);

    // The administrator gives Olu a new coach: Nia sees nothing, nor does Cora.
    let csrf = admin.csrf().await;
    let mut form = vec![("csrf".to_owned(), csrf)];
    form.extend(set_coach(coaches[1].0).map(|(k, v)| (k.to_owned(), v)));
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    admin.post_form(&relationships, &pairs).await;
    assert_eq!(
        coaches[1].1.get(&profile).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        coaches[0].1.get(&profile).await.status,
        StatusCode::NOT_FOUND
    );

    // Olu is told, on the home page, and can put the notice away.
    let home = owner.get("/").await;
    let told = home.text("[data-test-home-notice]");
    assert!(told.contains("Your coach is now Nia New."), "{told}");
    assert!(
        told.contains("not shared with Nia New until you choose"),
        "{told}"
    );
    let dismiss = home.attr("[data-test-home-notice] form", "action").unwrap();
    let csrf = owner.csrf().await;
    let dismissed = owner.post_form(&dismiss, &[("csrf", &csrf)]).await;
    assert_eq!(dismissed.status(), StatusCode::SEE_OTHER);
    let home = owner.get("/").await;
    assert!(!home.text("main").contains("Nia New"));
    // What Olu was told is in their data, dismissed or not.
    let (status, data) = owner
        .api(reqwest::Method::GET, "/profile/my-data.json", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{data}");
    let notices = data["notices"].as_array().unwrap();
    assert!(
        notices.iter().any(|n| {
            n["text"]
                .as_str()
                .unwrap()
                .starts_with("Your coach is now Nia New.")
                && !n["dismissed_at"].is_null()
        }),
        "{notices:?}"
    );
    // Someone else's notice cannot be dismissed: not found.
    let csrf = admin.csrf().await;
    assert_eq!(
        admin.post_form(&dismiss, &[("csrf", &csrf)]).await.status(),
        StatusCode::NOT_FOUND
    );

    // Olu shares again: now Nia reads.
    let csrf = owner.csrf().await;
    owner
        .post_form(
            "/profile/sharing",
            &[("csrf", &csrf), ("audience", "coach"), ("share", "yes")],
        )
        .await;
    assert_eq!(coaches[1].1.get(&profile).await.status, StatusCode::OK);

    // Nia is archived; Tom, given the role next, sees nothing either.
    let csrf = admin.csrf().await;
    let archived = admin
        .post_form(
            &format!("/admin/people/{}/archive", coaches[1].0.0),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(archived.status(), StatusCode::SEE_OTHER);
    assert!(
        owner
            .get("/")
            .await
            .text("[data-test-home-notice]")
            .contains("You no longer have a coach.")
    );
    let csrf = admin.csrf().await;
    let mut form = vec![("csrf".to_owned(), csrf)];
    form.extend(set_coach(coaches[2].0).map(|(k, v)| (k.to_owned(), v)));
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    admin.post_form(&relationships, &pairs).await;
    assert_eq!(
        coaches[2].1.get(&profile).await.status,
        StatusCode::NOT_FOUND
    );
}
