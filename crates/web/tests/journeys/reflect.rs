use reqwest::StatusCode;

use crate::helpers::TestApp;

#[tokio::test]
async fn a_reflection_saved_on_a_component_is_there_after_reloading_the_page() {
    let app = TestApp::start().await;
    let mut amara = app.leader("Amara Okafor", "amara@example.org").await;
    let (status, body) = amara
        .reflect("1a ii", Some("high"), "Led the site safety audit")
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["progress"]["reflected"], 1);
    let page = amara.get("/reflect/leadership-toolkit/1a").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.attr("input[name='j.1a-ii'][checked]", "value")
            .as_deref(),
        Some("high")
    );
    assert_eq!(
        page.text("textarea[name='n.1a-ii']"),
        "Led the site safety audit"
    );
    assert!(
        page.text("[data-test-progress]")
            .starts_with("1 of 70 components reflected")
    );
}

#[tokio::test]
async fn changing_a_reflection_replaces_the_level_and_keeps_one_row() {
    let app = TestApp::start().await;
    let mut amara = app.leader("Amara Okafor", "amara@example.org").await;
    amara.reflect("2a i", Some("some"), "").await;
    amara
        .reflect("2a i", Some("highest"), "After a year of coaching")
        .await;
    let mine = amara.my_reflections().await;
    let reflections = mine["reflections"].as_array().unwrap();
    assert_eq!(reflections.len(), 1);
    assert_eq!(reflections[0]["judgement"], "highest");
    assert_eq!(reflections[0]["note"], "After a year of coaching");
}

#[tokio::test]
async fn not_yet_and_not_in_my_role_are_choices_and_not_in_role_is_left_out_of_counts() {
    let app = TestApp::start().await;
    let mut amara = app.leader("Amara Okafor", "amara@example.org").await;
    amara.reflect("1a i", Some("not_yet"), "").await;
    amara
        .reflect(
            "1a iii",
            Some("not_in_role"),
            "The business manager leads this",
        )
        .await;
    amara.reflect("1a iv", Some("some"), "").await;
    let (_, profile) = amara
        .api(
            reqwest::Method::GET,
            "/api/me/profile/leadership-toolkit",
            None,
        )
        .await;
    let domain = &profile["domains"][0];
    assert_eq!(domain["not_yet"], 1);
    assert_eq!(domain["not_in_role"], 1);
    assert_eq!(domain["per_level"][0], serde_json::json!(["some", 1]));
    let page = amara.get("/profile").await;
    assert_eq!(
        page.text("[data-test-row='1a iii'] [data-test-level]"),
        "Not in my role"
    );
    assert_eq!(
        page.text("[data-test-row='1a iii'] [data-test-note]"),
        "The business manager leads this"
    );
}

#[tokio::test]
async fn without_javascript_the_form_post_saves_the_whole_subdomain() {
    let app = TestApp::start().await;
    let mut amara = app.leader("Amara Okafor", "amara@example.org").await;
    let token = amara.csrf().await;
    let response = amara
        .post_form(
            "/reflect/leadership-toolkit/1b",
            &[
                ("csrf", &token),
                ("j.1b-i", "high"),
                ("n.1b-i", "Whole-school culture work"),
                ("j.1b-ii", "some"),
                ("n.1b-ii", ""),
                ("n.1b-iii", ""),
                ("then", "stay"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()["location"],
        "/reflect/leadership-toolkit/1b?saved=1"
    );
    let page = amara.get("/reflect/leadership-toolkit/1b?saved=1").await;
    assert_eq!(page.text("[data-test-notice]"), "Saved.");
    assert_eq!(
        page.attr("input[name='j.1b-i'][checked]", "value")
            .as_deref(),
        Some("high")
    );
    assert_eq!(
        page.attr("input[name='j.1b-ii'][checked]", "value")
            .as_deref(),
        Some("some")
    );
    // Untouched: "No choice yet" stays chosen.
    assert_eq!(
        page.attr("input[name='j.1b-iii'][checked]", "value")
            .as_deref(),
        Some("clear")
    );
    assert_eq!(
        amara.my_reflections().await["reflections"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn save_and_next_goes_to_the_next_subdomain() {
    let app = TestApp::start().await;
    let mut amara = app.leader("Amara Okafor", "amara@example.org").await;
    let token = amara.csrf().await;
    let response = amara
        .post_form(
            "/reflect/leadership-toolkit/1e",
            &[("csrf", &token), ("j.1e-i", "some"), ("then", "next")],
        )
        .await;
    assert_eq!(
        response.headers()["location"],
        "/reflect/leadership-toolkit/2a"
    );
}

#[tokio::test]
async fn reflect_starts_at_the_first_subdomain_not_yet_complete() {
    let app = TestApp::start().await;
    let mut amara = app.leader("Amara Okafor", "amara@example.org").await;
    for item in ["1a i", "1a ii", "1a iii", "1a iv"] {
        amara.reflect(item, Some("high"), "").await;
    }
    let response = amara.get_raw("/reflect").await;
    assert_eq!(
        response.headers()["location"],
        "/reflect/leadership-toolkit/1b"
    );
}

#[tokio::test]
async fn text_typed_after_the_session_ended_is_saved_once_the_same_person_signs_in_again() {
    let app = TestApp::start().await;
    let mut amara = app.leader("Amara Okafor", "amara@example.org").await;
    let token = amara.csrf().await;
    // The session ends (expired, or the cookie was lost) while the page is open.
    amara.cookies.remove("lk_session");
    let response = amara
        .post_form(
            "/reflect/leadership-toolkit/1c",
            &[
                ("csrf", &token),
                ("j.1c-ii", "highest"),
                ("n.1c-ii", "Typed during a long lesson"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let sign_in = scraper::Html::parse_document(&response.text().await.unwrap());
    let summary: String = sign_in
        .select(&scraper::Selector::parse("[data-test-resume]").unwrap())
        .flat_map(|e| e.text())
        .collect();
    assert!(summary.contains("Typed during a long lesson"), "{summary}");
    let hidden: Vec<(String, String)> = sign_in
        .select(
            &scraper::Selector::parse("form[data-test-sign-in-form] input[type=hidden]").unwrap(),
        )
        .map(|e| {
            (
                e.value().attr("name").unwrap().to_owned(),
                e.value().attr("value").unwrap_or("").to_owned(),
            )
        })
        .collect();
    let mut fields: Vec<(&str, &str)> = hidden
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    fields.push(("email", "amara@example.org"));
    fields.push(("password", crate::helpers::PASSWORD));
    let response = amara.post_form("/sign-in", &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()["location"],
        "/reflect/leadership-toolkit/1c?resumed=1"
    );
    let mine = amara.my_reflections().await;
    assert_eq!(mine["reflections"][0]["item"], "1c ii");
    assert_eq!(mine["reflections"][0]["judgement"], "highest");
    assert_eq!(mine["reflections"][0]["note"], "Typed during a long lesson");
}

#[tokio::test]
async fn carried_changes_are_not_saved_for_someone_else_who_signs_in() {
    let (app, mut amara, _ben) = TestApp::with_two_leaders().await;
    let token = amara.csrf().await;
    amara.cookies.remove("lk_session");
    let response = amara
        .post_form(
            "/reflect/leadership-toolkit/1c",
            &[("csrf", &token), ("j.1c-ii", "highest")],
        )
        .await;
    let sign_in = scraper::Html::parse_document(&response.text().await.unwrap());
    let hidden: Vec<(String, String)> = sign_in
        .select(
            &scraper::Selector::parse("form[data-test-sign-in-form] input[type=hidden]").unwrap(),
        )
        .map(|e| {
            (
                e.value().attr("name").unwrap().to_owned(),
                e.value().attr("value").unwrap_or("").to_owned(),
            )
        })
        .collect();
    let mut ben = app.visitor();
    ben.cookies = amara.cookies.clone();
    let mut fields: Vec<(&str, &str)> = hidden
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    fields.push(("email", "ben@example.org"));
    fields.push(("password", crate::helpers::PASSWORD));
    let response = ben.post_form("/sign-in", &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    // Ben is signed in and taken to the page, but nothing is saved for him.
    assert_eq!(
        response.headers()["location"],
        "/reflect/leadership-toolkit/1c"
    );
    assert!(
        ben.my_reflections().await["reflections"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn the_profile_shows_every_component_with_counts_per_level_per_domain() {
    let app = TestApp::start().await;
    let mut amara = app.leader("Amara Okafor", "amara@example.org").await;
    amara
        .reflect("4a i", Some("highest"), "Known for listening")
        .await;
    amara.reflect("4a ii", Some("highest"), "").await;
    amara.reflect("4b i", Some("high"), "").await;
    let page = amara.get("/profile").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.select("[data-test-row]").len(), 70);
    let highest = page.text("[data-test-counts='4'] tr[data-level='level-highest'] td.num");
    assert_eq!(highest, "2");
    assert_eq!(
        page.text("[data-test-counts='4'] tr[data-level='level-high'] td.num"),
        "1"
    );
    assert_eq!(
        page.text("[data-test-counts='4'] tr[data-level='none'] td.num"),
        "15"
    );
    assert_eq!(
        page.text("[data-test-row='4a i'] [data-test-note]"),
        "Known for listening"
    );
    assert!(page.select("link[rel=stylesheet][media=print]").len() == 1);
}

/// A choice made by mistake can be cleared: "No choice yet" on the form (no
/// JavaScript needed), or null through the API; the note stays.
#[tokio::test]
async fn a_choice_can_be_cleared_and_the_note_stays() {
    let app = TestApp::start().await;
    let mut amara = app.leader("Amara Okafor", "amara@example.org").await;
    amara
        .reflect("1a ii", Some("high"), "Led the site safety audit")
        .await;
    let page = amara.get("/reflect/leadership-toolkit/1a").await;
    // Untouched components show "No choice yet" chosen; this one shows its level.
    assert_eq!(
        page.attr("input[name='j.1a-i'][checked]", "value")
            .as_deref(),
        Some("clear")
    );
    let csrf = amara.csrf().await;
    let response = amara
        .post_form(
            "/reflect/leadership-toolkit/1a",
            &[
                ("csrf", &csrf),
                ("j.1a-ii", "clear"),
                ("n.1a-ii", "Led the site safety audit"),
                ("then", "stay"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = amara.get("/reflect/leadership-toolkit/1a").await;
    assert_eq!(
        page.attr("input[name='j.1a-ii'][checked]", "value")
            .as_deref(),
        Some("clear")
    );
    assert_eq!(
        page.text("textarea[name='n.1a-ii']"),
        "Led the site safety audit"
    );
    assert!(
        page.text("[data-test-progress]")
            .starts_with("0 of 70 components reflected")
    );
    // Through the API, null does the same.
    amara.reflect("1a iii", Some("some"), "").await;
    let (status, body) = amara.reflect("1a iii", None, "").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["progress"]["reflected"], 0);
}

/// A change made offline (or on a page open a while) says what it was based on;
/// if the stored reflection changed since and differs, nothing is overwritten.
#[tokio::test]
async fn a_change_based_on_an_older_reflection_is_refused_with_the_stored_one_until_chosen() {
    let app = TestApp::start().await;
    let mut amara = app.leader("Amara Okafor", "amara@example.org").await;
    let path = "/api/me/reflections/leadership-toolkit/1a-ii";
    // Made from nothing while the server has nothing: saved.
    let (status, first) = amara
        .api(
            reqwest::Method::PUT,
            path,
            Some(serde_json::json!({"judgement": "some", "note": "", "based_on": ""})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let seen = first["reflection"]["version"].as_str().unwrap().to_owned();
    // Another device saves from what it saw, within the same second: saved.
    let (status, laptop) = amara
        .api(
            reqwest::Method::PUT,
            path,
            Some(serde_json::json!({"judgement": "high", "note": "From the laptop", "based_on": seen})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{laptop}");
    // The phone, still on the first version, is refused and told what is stored.
    for based_on in [seen.as_str(), ""] {
        let (status, refused) = amara
            .api(
                reqwest::Method::PUT,
                path,
                Some(serde_json::json!({"judgement": "highest", "note": "From the phone", "based_on": based_on})),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{refused}");
        assert_eq!(refused["reflection"]["judgement"], "high");
        assert_eq!(refused["reflection"]["note"], "From the laptop");
        assert!(
            refused["error"]
                .as_str()
                .unwrap()
                .contains("changed elsewhere")
        );
    }
    let stored = &amara.my_reflections().await["reflections"][0];
    assert_eq!(stored["judgement"], "high", "nothing was overwritten");
    // The same words as stored are no conflict; choosing "keep mine" bases the
    // change on what is stored now, and it is saved.
    let (status, same) = amara
        .api(
            reqwest::Method::PUT,
            path,
            Some(serde_json::json!({"judgement": "high", "note": "From the laptop", "based_on": seen})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{same}");
    let now = same["reflection"]["version"].as_str().unwrap();
    let (status, mine) = amara
        .api(
            reqwest::Method::PUT,
            path,
            Some(serde_json::json!({"judgement": "highest", "note": "From the phone", "based_on": now})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    assert_eq!(mine["reflection"]["judgement"], "highest");
    // Without based_on (the API as before), a save always applies.
    let (status, _) = amara.reflect("1a ii", Some("some"), "").await;
    assert_eq!(status, StatusCode::OK);
}
