//! The CASE 1.1 read endpoints, as another system would call them.

use reqwest::StatusCode;

use crate::helpers::TestApp;

async fn get_json(app: &TestApp, path: &str) -> (StatusCode, serde_json::Value) {
    let response = reqwest::get(format!("{}{path}", app.address))
        .await
        .unwrap();
    let status = response.status();
    assert_eq!(
        response.headers()["content-type"],
        "application/json",
        "{path} answers JSON"
    );
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn another_system_finds_the_toolkit_and_fetches_its_package_items_and_rubric() {
    let app = TestApp::start().await;
    let (status, documents) = get_json(&app, "/ims/case/v1p1/CFDocuments").await;
    assert_eq!(status, StatusCode::OK);
    let toolkit = documents["CFDocuments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["title"] == "Leadership Toolkit")
        .expect("the Toolkit is listed");
    let id = toolkit["identifier"].as_str().unwrap();
    assert_eq!(
        toolkit["uri"],
        format!("{}/ims/case/v1p1/CFDocuments/{id}", app.address)
    );

    let (status, package) = get_json(&app, &format!("/ims/case/v1p1/CFPackages/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(package["CFItems"].as_array().unwrap().len(), 90);
    assert_eq!(package["CFAssociations"].as_array().unwrap().len(), 90);
    let component = package["CFItems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["humanCodingScheme"] == "2b iv")
        .unwrap()
        .clone();

    // Exporting again gives the same identifiers.
    let (_, again) = get_json(&app, &format!("/ims/case/v1p1/CFPackages/{id}")).await;
    assert_eq!(again, package);

    let item_id = component["identifier"].as_str().unwrap();
    let (status, item) = get_json(&app, &format!("/ims/case/v1p1/CFItems/{item_id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(item, component);

    let (_, links) = get_json(
        &app,
        &format!("/ims/case/v1p1/CFItemAssociations/{item_id}"),
    )
    .await;
    let parent = &links["CFAssociations"][0];
    assert_eq!(parent["associationType"], "isChildOf");
    assert_eq!(
        parent["destinationNodeURI"]["title"],
        "Drive to unify and influence"
    );

    let rubric_id = package["CFRubrics"][0]["identifier"].as_str().unwrap();
    let (status, rubric) = get_json(&app, &format!("/ims/case/v1p1/CFRubrics/{rubric_id}")).await;
    assert_eq!(status, StatusCode::OK);
    let criterion = rubric["CFRubricCriteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["CFItemURI"]["identifier"] == item_id)
        .unwrap();
    let qualities: Vec<&str> = criterion["CFRubricCriterionLevels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["quality"].as_str().unwrap())
        .collect();
    assert_eq!(qualities, ["Some impact", "High impact", "Highest impact"]);
}

#[tokio::test]
async fn an_unknown_identifier_gets_a_case_status_and_404() {
    let app = TestApp::start().await;
    for path in [
        "/ims/case/v1p1/CFPackages/00000000-0000-0000-0000-000000000000",
        "/ims/case/v1p1/CFItems/nonsense",
        "/ims/case/v1p1/CFRubrics/%3Cscript%3E",
    ] {
        let (status, body) = get_json(&app, path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(body["imsx_codeMajor"], "failure", "{path}");
    }
}

/// A package from another publisher, imported, is browsed and reflected on like any other.
#[tokio::test]
async fn an_imported_case_framework_shows_in_the_browser_and_can_be_reflected_on() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/interop/case/opensalt/SmartLevelFramework.json");
    let path = std::env::var("LEADKIT_INTEROP")
        .map(|dir| std::path::PathBuf::from(dir).join("case/opensalt/SmartLevelFramework.json"))
        .unwrap_or(path);
    let mut framework = leadkit_interop::case::import(
        &std::fs::read(path).unwrap(),
        leadkit_interop::case::ImportOptions::default(),
    )
    .unwrap();
    framework.scale = leadkit_content::toolkit().unwrap().scale;
    let app = TestApp::start_with(std::slice::from_ref(&framework)).await;
    let mut leader = app.leader("Amara Okafor", "amara@example.org").await;

    let index = leader.get("/frameworks").await;
    assert!(
        index.text("main").contains("SmartLevel Test"),
        "{}",
        index.text("main")
    );
    let card = leader.get(&format!("/frameworks/{}", framework.key)).await;
    assert_eq!(card.status, StatusCode::OK);
    let first_leaf = framework.reflectable_items().next().unwrap();
    assert!(card.text("main").contains(&first_leaf.title));

    let group = framework.leaf_groups().next().unwrap();
    let page = leader
        .get(&format!("/reflect/{}/{}", framework.key, group.code.slug()))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    // Without descriptors, each level is offered with its summary.
    assert!(
        page.text("main").contains("Some impact"),
        "{}",
        page.text("main")
    );
    let (status, body) = leader
        .api(
            reqwest::Method::PUT,
            &format!(
                "/api/me/reflections/{}/{}",
                framework.key,
                group.children[0].code.slug()
            ),
            Some(serde_json::json!({ "judgement": "high", "note": "" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let profile = leader.get(&format!("/profile/{}", framework.key)).await;
    assert!(
        profile.text("main").contains("High impact"),
        "{}",
        profile.text("main")
    );
}
