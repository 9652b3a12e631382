//! A new version of a framework: old reflections stay readable on the version
//! they were made against, matching ones carry forward, and the profile says
//! what changed.

use leadkit_domain::framework::ItemCode;
use reqwest::StatusCode;

use crate::helpers::TestApp;

#[tokio::test]
async fn after_a_new_version_the_profile_says_what_changed_and_nothing_is_lost() {
    let mut app = TestApp::start().await;
    let mut amara = app.leader("Amara Okafor", "amara@example.org").await;
    amara
        .reflect("1a i", Some("high"), "Ran the safeguarding audit")
        .await;
    amara
        .reflect("1a ii", Some("some"), "Site walk each term")
        .await;
    amara
        .reflect("1a iii", Some("highest"), "Set the budget")
        .await;

    // Version 2 rewords 1a i, renumbers 1a ii as 1a v, drops 1a iii, adds 1a vi.
    let mut v2 = leadkit_content::toolkit().unwrap();
    v2.version = "2".into();
    let subdomain = v2.items[0]
        .children
        .iter_mut()
        .find(|s| s.code.as_str() == "1a")
        .unwrap();
    subdomain.children[0].title = "Understand safeguarding and the duty of care to everyone".into();
    subdomain.children[1].code = ItemCode::parse("1a v").unwrap();
    subdomain.children[1]
        .extra
        .insert("replaces".into(), "1a ii".into());
    let mut added = subdomain.children[2].clone();
    added.code = ItemCode::parse("1a vi").unwrap();
    added.title = "Understand the trust's scheme of delegation".into();
    subdomain.children[2] = added;
    app.store
        .publish_framework(&v2, leadkit_web::Clock::System.now())
        .await
        .unwrap();
    app.restart().await;
    amara.base = app.address.clone();

    let profile = amara.get("/profile").await;
    assert_eq!(profile.status, StatusCode::OK);
    let notice = profile.text("[data-test-version-notice]");
    assert!(notice.contains("version 1 → 2"), "{notice}");
    assert!(
        notice.contains("2 of your reflections came with you"),
        "{notice}"
    );
    assert!(
        profile.text("[data-test-changed]").contains(
            "1a i Understand safeguarding and the duty of care to everyone: its title changed"
        ),
        "{notice}"
    );
    assert!(notice.contains("1a ii is now 1a v"), "{notice}");
    assert!(
        profile
            .text("[data-test-left-behind]")
            .starts_with("1a iii Understand the financial"),
        "{notice}"
    );
    assert!(
        profile.text("[data-test-added]").starts_with("1a vi"),
        "{notice}"
    );
    // The carried reflections are on the new version's profile.
    assert_eq!(
        profile.text("[data-test-row='1a v'] [data-test-note]"),
        "Site walk each term"
    );
    assert_eq!(
        profile.text("[data-test-row='1a i'] [data-test-level]"),
        "High impact"
    );
    // The old version's reflections, including the dropped item's, are still there.
    let version_1 = app
        .store
        .frameworks()
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.framework.version == "1")
        .unwrap();
    let cycle = app
        .store
        .current_cycle(app.trust, None, leadkit_web::Clock::System.now().date())
        .await
        .unwrap()
        .unwrap();
    let kept = app
        .store
        .reflections(leadkit_store::reflections::ReflectionScope {
            person: amara.person.unwrap(),
            cycle: cycle.id,
            framework: version_1.id,
        })
        .await
        .unwrap();
    assert_eq!(kept.len(), 3);
    assert_eq!(kept[2].note.as_str(), "Set the budget");
}
