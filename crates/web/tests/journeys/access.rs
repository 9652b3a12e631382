use reqwest::{Method, StatusCode};

use crate::helpers::TestApp;

#[tokio::test]
async fn a_leader_cannot_read_another_leaders_reflections_and_cannot_tell_they_exist() {
    let (app, mut amara, mut ben) = TestApp::with_two_leaders().await;
    amara
        .reflect("1a i", Some("high"), "private thoughts")
        .await;
    let amara_id = amara.person.unwrap().0;
    let (status, body) = ben
        .api(
            Method::GET,
            &format!("/api/people/{amara_id}/reflections/leadership-toolkit"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!body.to_string().contains("private thoughts"));
    // The same answer as for a person who does not exist at all.
    let (missing, missing_body) = ben
        .api(
            Method::GET,
            "/api/people/999999/reflections/leadership-toolkit",
            None,
        )
        .await;
    assert_eq!((missing, missing_body), (status, body));
    // The owner may.
    let (own, own_body) = amara
        .api(
            Method::GET,
            &format!("/api/people/{amara_id}/reflections/leadership-toolkit"),
            None,
        )
        .await;
    assert_eq!(own, StatusCode::OK);
    assert_eq!(own_body["reflections"][0]["note"], "private thoughts");
    drop(app);
}

#[tokio::test]
async fn a_leader_only_ever_writes_their_own_reflections() {
    let (_app, mut amara, mut ben) = TestApp::with_two_leaders().await;
    ben.reflect("1a i", Some("highest"), "ben's own").await;
    assert!(
        amara.my_reflections().await["reflections"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        ben.my_reflections().await["reflections"][0]["note"],
        "ben's own"
    );
}

#[tokio::test]
async fn signed_out_visitors_are_sent_to_sign_in_and_the_api_answers_401() {
    let (app, amara, _) = TestApp::with_two_leaders().await;
    let mut stranger = app.visitor();
    for path in ["/reflect", "/reflect/leadership-toolkit/1a", "/profile"] {
        let response = stranger.get_raw(path).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
        assert!(
            response.headers()["location"]
                .to_str()
                .unwrap()
                .starts_with("/sign-in"),
            "{path}"
        );
    }
    let amara_id = amara.person.unwrap().0;
    for path in [
        "/api/me/reflections/leadership-toolkit".to_owned(),
        "/api/me/profile/leadership-toolkit".to_owned(),
        format!("/api/people/{amara_id}/reflections/leadership-toolkit"),
    ] {
        let (status, body) = stranger
            .api_with_token(Method::GET, &path, None, None)
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(body["error"], "Please sign in to continue.");
    }
    // A signed-out write answers 401 too, as the document says, and saves nothing.
    let (status, body) = stranger
        .api_with_token(
            Method::PUT,
            "/api/me/reflections/leadership-toolkit/1a-i",
            Some(serde_json::json!({"judgement": "high", "note": ""})),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "Please sign in to continue.");
}

#[tokio::test]
async fn a_form_post_without_the_anti_forgery_token_is_refused_and_changes_nothing() {
    let app = TestApp::start().await;
    let mut amara = app.leader("Amara Okafor", "amara@example.org").await;
    // A bare button without its token: refused, nothing to keep.
    let response = amara.post_form("/notices/1/dismiss", &[]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    for csrf in [None, Some("0".repeat(64))] {
        let mut fields = vec![("j.1a-i", "highest"), ("n.1a-i", "Typed in an old tab")];
        if let Some(csrf) = &csrf {
            fields.push(("csrf", csrf.as_str()));
        }
        // Typed words without the right token: nothing is done, the post is
        // kept, and the person is taken back to its form with it filled in.
        let response = amara
            .post_form("/reflect/leadership-toolkit/1a", &fields)
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let back = response.headers()["location"].to_str().unwrap().to_owned();
        assert!(
            back.starts_with("/reflect/leadership-toolkit/1a?kept="),
            "{back}"
        );
        let page = amara.get(&back).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.text("[data-test-kept]")
                .contains("You were signed out before this was sent")
        );
        assert_eq!(page.text("textarea[name='n.1a-i']"), "Typed in an old tab");
        assert_eq!(
            page.select("input[name='j.1a-i'][value='highest'][checked]")
                .len(),
            1
        );
    }
    assert!(
        amara.my_reflections().await["reflections"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn an_api_write_without_the_anti_forgery_header_is_refused_and_changes_nothing() {
    let app = TestApp::start().await;
    let mut amara = app.leader("Amara Okafor", "amara@example.org").await;
    let (status, body) = amara
        .api_with_token(
            Method::PUT,
            "/api/me/reflections/leadership-toolkit/1a-i",
            Some(serde_json::json!({"judgement": "high", "note": ""})),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("did not come from leadkit")
    );
    assert!(
        amara.my_reflections().await["reflections"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn the_sign_in_form_needs_its_own_token_too() {
    let app = TestApp::start().await;
    app.person(
        "Amara Okafor",
        "amara@example.org",
        &[leadkit_domain::people::Role::Leader],
    )
    .await;
    let mut visitor = app.visitor();
    let response = visitor
        .post_form(
            "/sign-in",
            &[
                ("email", "amara@example.org"),
                ("password", crate::helpers::PASSWORD),
            ],
        )
        .await;
    // The sign-in form again, the email as typed, with a fresh token; no session.
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!visitor.cookies.contains_key("lk_session"));
    let body = response.text().await.unwrap();
    assert!(body.contains("open a long time, so nothing was sent"));
    assert!(body.contains(r#"value="amara@example.org""#));
}

/// A pre-session cookie planted by someone else (as a sibling subdomain could)
/// is no use: the form's token is the cookie's keyed hash, which only the
/// server can make.
#[tokio::test]
async fn a_planted_presession_cookie_does_not_pass_the_sign_in_check() {
    let app = TestApp::start().await;
    app.person(
        "Amara Okafor",
        "amara@example.org",
        &[leadkit_domain::people::Role::Leader],
    )
    .await;
    let mut visitor = app.visitor();
    let planted = "ab".repeat(32);
    visitor
        .cookies
        .insert("lk_presession".into(), planted.clone());
    let response = visitor
        .post_form(
            "/sign-in",
            &[
                ("csrf", &planted),
                ("email", "amara@example.org"),
                ("password", crate::helpers::PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!visitor.cookies.contains_key("lk_session"));
    // The form the server gives for that cookie carries another token, which works.
    let page = visitor.get("/sign-in").await;
    let token = page
        .attr("form[data-test-sign-in-form] input[name=csrf]", "value")
        .unwrap();
    assert_ne!(token, planted);
    let response = visitor
        .post_form(
            "/sign-in",
            &[
                ("csrf", &token),
                ("email", "amara@example.org"),
                ("password", crate::helpers::PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}
