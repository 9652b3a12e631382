use reqwest::StatusCode;

use crate::helpers::TestApp;

#[tokio::test]
async fn the_smart_card_lists_four_domains_sixteen_subdomains_and_seventy_components() {
    let app = TestApp::start().await;
    let page = app.visitor().get("/frameworks/leadership-toolkit").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.select("[data-test-domain]").len(), 4);
    assert_eq!(page.select("[data-test-subdomain]").len(), 16);
    assert_eq!(page.select("[data-test-component]").len(), 70);
    let levels: Vec<String> = page
        .select("[data-test-level] h3")
        .iter()
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(levels, ["Some impact", "High impact", "Highest impact"]);
    assert!(
        page.text("[data-test-level]")
            .contains("positively influence their immediate team or area of responsibility.")
    );
}

#[tokio::test]
async fn a_subdomain_page_shows_the_domain_introduction_and_three_descriptors_side_by_side() {
    let app = TestApp::start().await;
    let page = app.visitor().get("/frameworks/leadership-toolkit/1a").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text("details.introduction")
            .contains("School leaders at all levels require a broad and in-depth knowledge")
    );
    assert_eq!(page.select("[data-test-component]").len(), 4);
    let first = &page.select("[data-test-component='1a i'] .descriptor h3");
    assert_eq!(first.len(), 3);
    assert!(
        page.text("[data-test-component='1a i']")
            .contains("ensure the safety and well-being of pupils and colleagues")
    );
}

#[tokio::test]
async fn a_missing_descriptor_is_said_to_be_missing_never_invented() {
    let app = TestApp::start().await;
    let page = app.visitor().get("/frameworks/leadership-toolkit/1d").await;
    assert_eq!(page.select("[data-test-missing]").len(), 6);
    assert_eq!(
        page.text("[data-test-component='1d i'] [data-test-missing]"),
        "This descriptor is not in the published toolkit."
    );
}

#[tokio::test]
async fn an_unknown_framework_or_item_is_a_friendly_404() {
    let app = TestApp::start().await;
    let mut visitor = app.visitor();
    for path in [
        "/frameworks/nope",
        "/frameworks/leadership-toolkit/9z",
        "/frameworks/leadership-toolkit/%3Cscript%3E",
    ] {
        let page = visitor.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(
            page.text("[data-test-error]"),
            "We could not find that page."
        );
    }
}

#[tokio::test]
async fn the_openapi_document_describes_exactly_the_api_the_server_answers() {
    let (app, mut amara, _) = TestApp::with_two_leaders().await;
    let (status, doc) = amara
        .api(reqwest::Method::GET, "/api/openapi.json", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let paths = doc["paths"].as_object().unwrap();
    let documented: Vec<&String> = paths.keys().collect();
    assert_eq!(
        documented,
        [
            "/api/frameworks",
            "/api/frameworks/{key}",
            "/api/me/profile/{key}",
            "/api/me/reflections/{key}",
            "/api/me/reflections/{key}/{item}",
            "/api/people/{person}/reflections/{key}",
        ]
    );
    let me = amara.person.unwrap().0.to_string();
    for (path, operations) in paths {
        let concrete = path
            .replace("{key}", "leadership-toolkit")
            .replace("{item}", "1a-i")
            .replace("{person}", &me);
        for method in operations.as_object().unwrap().keys() {
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let body = (method == reqwest::Method::PUT)
                .then(|| serde_json::json!({"judgement": "high", "note": ""}));
            let (status, _) = amara.api(method.clone(), &concrete, body).await;
            assert_eq!(
                status,
                StatusCode::OK,
                "{method} {concrete} is documented but not served"
            );
        }
    }
    // Every framework document has the fields the schema requires, and only
    // fields it describes.
    let schema = &doc["components"]["schemas"]["FrameworkDocument"];
    let required: Vec<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let described = schema["properties"].as_object().unwrap();
    let (_, listing) = amara
        .api(reqwest::Method::GET, "/api/frameworks", None)
        .await;
    for framework in listing.as_array().unwrap() {
        let key = framework["key"].as_str().unwrap();
        let (_, document) = amara
            .api(
                reqwest::Method::GET,
                &format!("/api/frameworks/{key}"),
                None,
            )
            .await;
        let fields = document.as_object().unwrap();
        for field in &required {
            assert!(fields.contains_key(*field), "{key} has no {field}");
        }
        for field in fields.keys() {
            assert!(
                described.contains_key(field),
                "{key}: {field} is not described"
            );
        }
    }
    drop(app);
}
