//! The one-page record: proposed from the levels, rewritten by the leader,
//! commented on by the coach, at the top of the profile and first in the PDF.

use leadkit_domain::access::RelationshipKind;
use leadkit_domain::people::Role;
use reqwest::StatusCode;

use crate::helpers::{Page, TestApp};
use crate::insight::pdf_text;

#[tokio::test]
async fn a_leader_and_coach_write_the_one_page_record_and_it_opens_the_profile_and_its_pdf() {
    let app = TestApp::start().await;
    let mut leader = app.leader("Lee Leader", "lee@example.org").await;
    let leader_id = leader.person.unwrap();
    let coach_id = app
        .person(
            "Cora Coach",
            "cora@example.org",
            &[Role::Leader, Role::Coach],
        )
        .await;
    let mut coach = app.signed_in(coach_id, "cora@example.org").await;
    app.store
        .set_relationship(
            leader_id,
            RelationshipKind::Coach,
            Some(coach_id),
            leadkit_web::Clock::System.now(),
        )
        .await
        .unwrap();
    leader.reflect("1a i", Some("highest"), "").await;
    leader.reflect("1b i", Some("not_yet"), "").await;
    leader.reflect("1c i", Some("high"), "").await;

    // Proposed from the levels until the leader writes their own.
    let profile = leader.get("/profile").await;
    assert!(!profile.select("[data-test-record-proposed]").is_empty());
    assert!(
        profile.text("[data-test-strengths]").starts_with("1a i "),
        "{}",
        profile.text("[data-test-record]")
    );
    assert!(profile.text("[data-test-development]").starts_with("1b i "));
    assert!(!profile.text("[data-test-strengths]").contains("1c i"));

    // A refused save keeps every word.
    let page = leader.get("/profile/record").await;
    let strengths: String = page.select("#record-strengths")[0].text().collect();
    assert!(
        strengths.starts_with("1a i "),
        "the form starts from the proposal: {strengths}"
    );
    let too_long = "x".repeat(5_001);
    let csrf = leader.csrf().await;
    let response = leader
        .post_form(
            "/profile/record",
            &[
                ("csrf", &csrf),
                ("strengths", "Curriculum thinking"),
                ("development", "Line management"),
                ("comment", &too_long),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = Page::from_html(&response.text().await.unwrap());
    assert!(!refused.select("#record-comment-error").is_empty());
    let kept: String = refused.select("#record-strengths")[0].text().collect();
    assert_eq!(kept, "Curriculum thinking");
    let kept: String = refused.select("#record-comment")[0].text().collect();
    assert_eq!(kept.len(), 5_001);

    let csrf = leader.csrf().await;
    let response = leader
        .post_form(
            "/profile/record",
            &[
                ("csrf", &csrf),
                (
                    "strengths",
                    "Curriculum thinking\n• Safeguarding culture\n\n",
                ),
                ("development", "Line management"),
                ("comment", "A strong first term."),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let profile = leader.get("/profile").await;
    assert!(profile.select("[data-test-record-proposed]").is_empty());
    let strengths: Vec<String> = profile
        .select("[data-test-strengths] li")
        .iter()
        .map(|l| l.text().collect())
        .collect();
    assert_eq!(strengths, ["Curriculum thinking", "Safeguarding culture"]);

    // The coach's comment, from the coaching page; a refused one keeps its words.
    let coaching = format!("/people/{}/coaching", leader_id.0);
    let csrf = coach.csrf().await;
    let response = coach
        .post_form(
            &format!("{coaching}/record"),
            &[("csrf", &csrf), ("comment", &too_long)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = Page::from_html(&response.text().await.unwrap());
    let kept: String = refused.select("#record-comment-text")[0].text().collect();
    assert_eq!(kept.len(), 5_001);
    let csrf = coach.csrf().await;
    let response = coach
        .post_form(
            &format!("{coaching}/record"),
            &[
                ("csrf", &csrf),
                ("comment", "Ready to lead the curriculum review."),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    // Someone who is not the coach cannot write it.
    let mut other = app.leader("Oli Other", "oli@example.org").await;
    let csrf = other.csrf().await;
    let response = other
        .post_form(
            &format!("{coaching}/record"),
            &[("csrf", &csrf), ("comment", "Nope")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    let profile = leader.get("/profile").await;
    assert_eq!(
        profile.text("[data-test-coach-comment]"),
        "Ready to lead the curriculum review."
    );
    assert!(profile.text("[data-test-record]").contains("Cora Coach"));

    let response = leader.get_raw("/profile/report.pdf").await;
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.unwrap();
    if let Some(text) = pdf_text(&bytes) {
        let record = text
            .find("One-page record")
            .expect("the record is in the PDF");
        let levels = text.find("Levels by domain").expect("the levels follow");
        assert!(record < levels, "the record comes first");
        for words in [
            "Curriculum thinking",
            "Line management",
            "A strong first term.",
            "Ready to lead the curriculum review.",
        ] {
            assert!(text.contains(words), "{words} in:\n{text}");
        }
    }
    app.finish().await;
}
