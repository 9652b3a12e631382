//! The four shipped frameworks side by side: browsing and reflecting on any of
//! them, curated alignments shown both ways, my Toolkit reflection read through
//! another framework (derived, and marked so), and suggestions for administrators.

use leadkit_domain::alignment::{AlignmentKind, Nature};
use leadkit_domain::people::Role;
use reqwest::StatusCode;

use crate::helpers::{PASSWORD, TestApp};

async fn shipped_app() -> TestApp {
    let shipped = leadkit_content::shipped().unwrap();
    TestApp::start_with(&shipped[1..]).await
}

#[tokio::test]
async fn every_shipped_framework_can_be_browsed_item_by_item() {
    let app = shipped_app().await;
    let mut visitor = app.visitor();
    let list = visitor.get("/frameworks").await;
    for title in [
        "Leadership Toolkit",
        "National Standards for School Leadership",
        "NPQ Senior Leadership",
        "Draft Leadership Standards for Wales",
    ] {
        assert!(list.text("main").contains(title), "{title} is listed");
    }
    for framework in leadkit_content::shipped().unwrap() {
        let card = visitor.get(&format!("/frameworks/{}", framework.key)).await;
        assert_eq!(card.status, StatusCode::OK, "{}", framework.key);
        assert_eq!(
            card.select("[data-test-component]").len(),
            framework.reflectable_items().count(),
            "{}: every item on the overview",
            framework.key
        );
        for item in framework.walk().step_by(7) {
            let page = visitor
                .get(&format!(
                    "/frameworks/{}/{}",
                    framework.key,
                    item.code.slug()
                ))
                .await;
            assert_eq!(
                page.status,
                StatusCode::OK,
                "{} {}",
                framework.key,
                item.code
            );
            assert!(page.text("h1").contains(&item.title), "{}", item.code);
        }
    }
    let wales = visitor
        .get("/frameworks/leadership-standards-wales/2")
        .await;
    assert!(wales.text("main").contains(
        "Securing effective learning and teaching is at the heart of the school’s purpose."
    ));
}

#[tokio::test]
async fn a_leader_reflects_on_the_national_standards_and_sees_that_profile() {
    let app = shipped_app().await;
    let mut amara = app.leader("Amara Okafor", "amara@example.org").await;
    let form = amara
        .get("/reflect/national-standards-school-leadership/1.K")
        .await;
    assert_eq!(form.status, StatusCode::OK);
    let csrf = form.attr("input[name=csrf]", "value").unwrap();
    let saved = amara
        .post_form(
            "/reflect/national-standards-school-leadership/1.K",
            &[
                ("csrf", csrf.as_str()),
                ("j.1.K.4", "high"),
                ("n.1.K.4", "Wrote the three-year plan with governors"),
            ],
        )
        .await;
    assert!(saved.status().is_redirection() || saved.status().is_success());
    let profile = amara
        .get("/profile/national-standards-school-leadership")
        .await;
    assert_eq!(profile.status, StatusCode::OK);
    assert_eq!(
        profile.text("[data-test-row='1.K.4'] [data-test-level]"),
        "High impact"
    );
    assert_eq!(
        profile.text("[data-test-row='1.K.4'] [data-test-note]"),
        "Wrote the three-year plan with governors"
    );
    // The Toolkit reflection is a different one: untouched.
    assert_eq!(
        amara.my_reflections().await["reflections"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[tokio::test]
async fn aligned_items_show_on_both_ends_with_kind_reason_and_knowledge_or_practice() {
    let app = shipped_app().await;
    let curated = leadkit_content::alignments().unwrap();
    let npqsl = leadkit_content::npqsl().unwrap();
    let toolkit = leadkit_content::toolkit().unwrap();
    let mut visitor = app.visitor();
    let knowledge = curated
        .alignments
        .iter()
        .find(|a| a.nature == Some(Nature::Knowledge))
        .expect("some Toolkit component addresses a Learn that… statement");

    // On the Toolkit component's page: it addresses the NPQSL statement.
    let component = toolkit.find(&knowledge.from.item).unwrap();
    let page = visitor
        .get(&format!(
            "/frameworks/leadership-toolkit/{}",
            component.code.slug()
        ))
        .await;
    let entry = format!(
        "[data-test-aligned='{}'] [data-test-alignment='{}']",
        component.code, knowledge.to.item
    );
    let text = page.text(&entry);
    assert!(text.contains("Addresses"), "{text}");
    assert!(text.contains("NPQ Senior Leadership"), "{text}");
    assert!(text.contains(knowledge.kind.label()), "{text}");
    assert!(text.contains("knowledge (Learn that…)"), "{text}");
    assert!(text.contains(&knowledge.reason), "{text}");

    // On the NPQSL statement's page: it is addressed by the component.
    let statement = npqsl.find(&knowledge.to.item).unwrap();
    let page = visitor
        .get(&format!(
            "/frameworks/npq-senior-leadership/{}",
            statement.code.slug()
        ))
        .await;
    let entry = format!(
        "[data-test-aligned='{}'] [data-test-alignment='{}']",
        statement.code, component.code
    );
    let text = page.text(&entry);
    assert!(text.contains("Addressed by"), "{text}");
    assert!(text.contains("Leadership Toolkit"), "{text}");
    assert!(text.contains(&component.title), "{text}");

    // Every kind is used somewhere, and practice targets are marked as such.
    for kind in [AlignmentKind::Related, AlignmentKind::PartOf] {
        assert!(
            curated.alignments.iter().any(|a| a.kind == kind),
            "{kind:?}"
        );
    }
    assert!(
        curated
            .alignments
            .iter()
            .any(|a| a.nature == Some(Nature::Practice))
    );
}

#[tokio::test]
async fn my_toolkit_reflection_through_the_npqsl_is_derived_and_says_so() {
    let app = shipped_app().await;
    let mut amara = app.leader("Amara Okafor", "amara@example.org").await;
    let curated = leadkit_content::alignments().unwrap();
    let npqsl = leadkit_content::npqsl().unwrap();
    // Reflect on every component aligned with the first NPQSL section that has any.
    let section = npqsl
        .items
        .iter()
        .find(|section| {
            curated.alignments.iter().any(|a| {
                a.to.framework == npqsl.key
                    && npqsl.path_to(&a.to.item).unwrap()[0].code == section.code
            })
        })
        .unwrap();
    let mut components: Vec<_> = curated
        .alignments
        .iter()
        .filter(|a| {
            a.to.framework == npqsl.key
                && npqsl.path_to(&a.to.item).unwrap()[0].code == section.code
        })
        .map(|a| a.from.item.clone())
        .collect();
    components.sort();
    components.dedup();
    for component in &components {
        let (status, _) = amara.reflect(component.as_str(), Some("highest"), "").await;
        assert_eq!(status, StatusCode::OK);
    }

    let profile = amara.get("/profile/leadership-toolkit").await;
    assert!(
        profile
            .select("[data-test-through]")
            .iter()
            .any(|a| a.text().collect::<String>() == "NPQ Senior Leadership")
    );
    let page = amara
        .get("/profile/leadership-toolkit/through/npq-senior-leadership")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text("[data-test-derived]")
            .contains("Derived, not a reflection on this framework.")
    );
    let shown = page.text(&format!(
        "[data-test-section='{}'] [data-test-standing]",
        section.code
    ));
    assert!(shown.starts_with("Typically Highest impact"), "{shown}");
    assert!(
        shown.contains(&format!(
            "aligned with {} of your components",
            components.len()
        )),
        "{shown}"
    );
    // A section none of whose components were reflected says so plainly.
    let others: Vec<String> = page
        .select("[data-test-standing]")
        .iter()
        .map(|e| e.text().collect())
        .collect();
    assert!(
        others
            .iter()
            .any(|t| t.contains("None of the aligned components has a level yet"))
    );
    // Nobody else's reflection: another leader sees nothing judged.
    let mut ben = app.leader("Ben Hughes", "ben@example.org").await;
    let theirs = ben
        .get("/profile/leadership-toolkit/through/npq-senior-leadership")
        .await;
    assert!(!theirs.text("main").contains("Typically"));
}

#[tokio::test]
async fn administrators_see_ranked_suggestions_and_others_do_not() {
    let app = shipped_app().await;
    app.person("Ada Admin", "ada@example.org", &[Role::Administrator])
        .await;
    let mut ada = app.visitor();
    ada.sign_in("ada@example.org", PASSWORD).await;
    let card = ada.get("/frameworks/leadership-standards-wales").await;
    assert!(card.attr("[data-test-suggestions]", "href").is_some());
    let page = ada
        .get("/frameworks/leadership-standards-wales/suggestions?target=leadership-toolkit")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let wales = leadkit_content::wales().unwrap();
    assert_eq!(
        page.select("[data-test-item]").len(),
        wales.reflectable_items().count()
    );
    assert!(page.select("[data-test-suggestion]").len() > wales.reflectable_items().count());
    // Suggestions for the Toolkit's own components mark the curated ones.
    let page = ada
        .get("/frameworks/leadership-toolkit/suggestions?target=national-standards-school-leadership")
        .await;
    assert!(!page.select("[data-test-curated]").is_empty());
    let bad = ada
        .get("/frameworks/leadership-toolkit/suggestions?target=nope")
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    let mut amara = app.leader("Amara Okafor", "amara@example.org").await;
    let refused = amara
        .get("/frameworks/leadership-toolkit/suggestions")
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    let card = amara.get("/frameworks/leadership-toolkit").await;
    assert!(card.attr("[data-test-suggestions]", "href").is_none());
}

#[tokio::test]
async fn the_toolkit_case_package_carries_its_alignments_to_the_other_documents() {
    let app = shipped_app().await;
    let mut visitor = app.visitor();
    let documents: serde_json::Value = visitor
        .get_raw("/ims/case/v1p1/CFDocuments")
        .await
        .json()
        .await
        .unwrap();
    let id_of = |title: &str| {
        documents["CFDocuments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["title"] == title)
            .unwrap()["identifier"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let toolkit = id_of("Leadership Toolkit");
    let npqsl = id_of("NPQ Senior Leadership");
    let package: serde_json::Value = visitor
        .get_raw(&format!("/ims/case/v1p1/CFPackages/{toolkit}"))
        .await
        .json()
        .await
        .unwrap();
    let curated = leadkit_content::alignments().unwrap();
    let from_toolkit = curated
        .alignments
        .iter()
        .filter(|a| a.from.framework.as_str() == "leadership-toolkit")
        .count();
    let associations = package["CFAssociations"].as_array().unwrap();
    let aligned: Vec<_> = associations
        .iter()
        .filter(|a| a["associationType"] != "isChildOf")
        .collect();
    assert_eq!(aligned.len(), from_toolkit);
    // Each points at a real CFItem of another document, which the service serves.
    let to_npqsl = aligned
        .iter()
        .find(|a| a["extensions"]["leadkit"]["targetNature"].is_string())
        .expect("an alignment to an NPQSL statement or practice");
    let target = to_npqsl["destinationNodeURI"]["identifier"]
        .as_str()
        .unwrap();
    let item: serde_json::Value = visitor
        .get_raw(&format!("/ims/case/v1p1/CFItems/{target}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(item["CFDocumentURI"]["identifier"], npqsl);
    assert!(to_npqsl["extensions"]["leadkit"]["reason"].is_string());
    // The NPQSL's own package lists the same association, with the same identifier.
    let theirs: serde_json::Value = visitor
        .get_raw(&format!("/ims/case/v1p1/CFPackages/{npqsl}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        theirs["CFAssociations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["identifier"] == to_npqsl["identifier"])
    );
}
