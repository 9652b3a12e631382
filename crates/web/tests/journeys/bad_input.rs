use reqwest::StatusCode;

use crate::helpers::TestApp;

const ITEM: &str = "/api/me/reflections/leadership-toolkit/1a-i";

async fn leader_with_one_reflection() -> (TestApp, crate::helpers::Visitor) {
    let app = TestApp::start().await;
    let mut amara = app.leader("Amara Okafor", "amara@example.org").await;
    let (status, _) = amara.reflect("1a i", Some("some"), "kept").await;
    assert_eq!(status, StatusCode::OK);
    (app, amara)
}

async fn unchanged(amara: &mut crate::helpers::Visitor) {
    let mine = amara.my_reflections().await;
    let reflections = mine["reflections"].as_array().unwrap();
    assert_eq!(reflections.len(), 1);
    assert_eq!(reflections[0]["judgement"], "some");
    assert_eq!(reflections[0]["note"], "kept");
}

#[tokio::test]
async fn a_note_over_five_thousand_characters_is_refused_with_its_length() {
    let (_app, mut amara) = leader_with_one_reflection().await;
    let (status, body) = amara
        .reflect("1a i", Some("high"), &"x".repeat(5_001))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["fields"][0]["field"], "note");
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("at most 5000 characters"),
        "{body}"
    );
    unchanged(&mut amara).await;
}

#[tokio::test]
async fn a_level_the_framework_does_not_have_is_refused() {
    let (_app, mut amara) = leader_with_one_reflection().await;
    for judgement in ["superb", "Not Yet", "<script>"] {
        let (status, body) = amara.reflect("1a i", Some(judgement), "").await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{judgement}: {body}"
        );
    }
    unchanged(&mut amara).await;
}

#[tokio::test]
async fn an_unknown_item_or_a_whole_subdomain_is_refused() {
    let (_app, mut amara) = leader_with_one_reflection().await;
    let (status, _) = amara.reflect("9z ix", Some("high"), "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = amara.reflect("1a", Some("high"), "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("group of components")
    );
    unchanged(&mut amara).await;
}

#[tokio::test]
async fn malformed_json_and_unknown_fields_get_a_clear_400() {
    let (_app, mut amara) = leader_with_one_reflection().await;
    let token = amara.csrf().await;
    for body in [
        "{not json",
        "[]",
        r#"{"judgement": "high", "note": "x", "owner": 2}"#,
        r#"{"judgement": 3}"#,
    ] {
        let response = amara
            .http
            .put(format!("{}{ITEM}", amara.base))
            .header(
                "cookie",
                format!("lk_session={}", amara.cookies["lk_session"]),
            )
            .header("x-csrf-token", &token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
        let json: serde_json::Value = response.json().await.unwrap();
        assert!(
            json["error"]
                .as_str()
                .unwrap()
                .starts_with("The JSON body could not be read"),
            "{json}"
        );
    }
    unchanged(&mut amara).await;
}

#[tokio::test]
async fn an_oversized_body_gets_a_413_and_changes_nothing() {
    let (_app, mut amara) = leader_with_one_reflection().await;
    let huge = "y".repeat(300 * 1024);
    let (status, body) = amara.reflect("1a i", Some("high"), &huge).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("more than leadkit accepts")
    );
    let token = amara.csrf().await;
    let response = amara
        .post_form(
            "/reflect/leadership-toolkit/1a",
            &[("csrf", &token), ("n.1a-i", &huge)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    unchanged(&mut amara).await;
}

#[tokio::test]
async fn an_invalid_no_javascript_post_re_shows_the_form_with_the_typed_text_and_saves_nothing() {
    let (_app, mut amara) = leader_with_one_reflection().await;
    let token = amara.csrf().await;
    let long = "z".repeat(5_001);
    let response = amara
        .post_form(
            "/reflect/leadership-toolkit/1a",
            &[
                ("csrf", &token),
                ("j.1a-i", "highest"),
                ("j.1a-ii", "high"),
                ("n.1a-ii", "my typed words"),
                ("n.1a-iii", &long),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = scraper::Html::parse_document(&response.text().await.unwrap());
    let text = |selector: &str| -> String {
        page.select(&scraper::Selector::parse(selector).unwrap())
            .flat_map(|e| e.text())
            .collect()
    };
    assert!(text("[data-test-errors]").contains("1a iii"));
    assert_eq!(text("textarea[name='n.1a-ii']"), "my typed words");
    assert!(
        text("[data-test-component='1a iii'] [data-test-field-error]").contains("at most 5000")
    );
    unchanged(&mut amara).await;
}

#[tokio::test]
async fn a_form_that_is_not_url_encoded_or_has_a_forged_level_changes_nothing() {
    let (_app, mut amara) = leader_with_one_reflection().await;
    let token = amara.csrf().await;
    let response = amara
        .post_form(
            "/reflect/leadership-toolkit/1a",
            &[("csrf", &token), ("j.1a-i", "godlike")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let response = amara
        .http
        .post(format!("{}/reflect/leadership-toolkit/1a", amara.base))
        .header(
            "cookie",
            format!("lk_session={}", amara.cookies["lk_session"]),
        )
        .header("x-csrf-token", &token)
        .header("content-type", "text/plain")
        .body("j.1a-i=high")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    unchanged(&mut amara).await;
}
