//! Never lose a word: every form's refusal shows its own page again with what
//! was typed, and a post made after the session ended, or from a page older
//! than the sign-in, comes back into its form after signing in again.

use leadkit_domain::goal::GoalId;
use reqwest::StatusCode;

use crate::helpers::{PASSWORD, Page, Part, TestApp, Visitor};

/// What a browser would send for the form `selector` as it stands: text
/// fields, textareas, chosen options, ticked boxes and radios.
fn form_fields(page: &Page, selector: &str) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    let inputs = page.select(&format!(
        "{selector} input[name], {selector} textarea[name], {selector} select[name]"
    ));
    for element in inputs {
        let value = element.value();
        let name = value.attr("name").unwrap().to_owned();
        match value.name() {
            "textarea" => fields.push((name, element.text().collect())),
            "select" => {
                let chosen = element
                    .select(&scraper::Selector::parse("option[selected]").unwrap())
                    .next()
                    .or_else(|| {
                        element
                            .select(&scraper::Selector::parse("option").unwrap())
                            .next()
                    });
                if let Some(option) = chosen {
                    fields.push((name, option.value().attr("value").unwrap_or("").to_owned()));
                }
            }
            _ => {
                let kind = value.attr("type").unwrap_or("text");
                if matches!(kind, "checkbox" | "radio") && value.attr("checked").is_none() {
                    continue;
                }
                if matches!(kind, "submit" | "button" | "file") {
                    continue;
                }
                fields.push((name, value.attr("value").unwrap_or("on").to_owned()));
            }
        }
    }
    fields
}

async fn post(visitor: &mut Visitor, path: &str, fields: &[(String, String)]) -> reqwest::Response {
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    visitor.post_form(path, &borrowed).await
}

async fn a_goal(visitor: &mut Visitor) -> GoalId {
    let csrf = visitor.csrf().await;
    let response = visitor
        .post_form(
            "/goals",
            &[
                ("csrf", &csrf),
                ("item", "leadership-toolkit|1|1a i"),
                ("title", "Lead safeguarding training"),
                ("target_level", "high"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    GoalId(
        location
            .trim_start_matches("/goals/")
            .split(['#', '?', '/'])
            .next()
            .unwrap()
            .parse()
            .unwrap(),
    )
}

#[tokio::test]
async fn a_refused_check_in_shows_the_goal_page_again_with_every_word() {
    let app = TestApp::start().await;
    let mut amara = app.leader("Amara Okafor", "amara@example.org").await;
    let goal = a_goal(&mut amara).await;
    let csrf = amara.csrf().await;
    let action = format!("/goals/{}/check-ins", goal.0);
    let response = amara
        .post_form(
            &action,
            &[
                ("csrf", &csrf),
                ("on", "2026-13-40"),
                ("progress", "   "),
                ("rag", "green"),
                ("next_steps", "Book the room with Sam & plan <the> agenda"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = Page::from_html(&response.text().await.unwrap());
    // Still signed in, on the goal page, with a summary linked to the field.
    assert_eq!(page.select("[data-test-sign-out]").len(), 1);
    assert!(page.text("title").starts_with("Error: "));
    assert_eq!(
        page.attr("[data-test-errors] a", "href").as_deref(),
        Some("#check-on")
    );
    assert!(
        page.text("[data-test-field-error=on]")
            .contains("date such as")
    );
    let form = format!("form[action='{action}']");
    assert_eq!(
        page.text(&format!("{form} textarea[name=next_steps]")),
        "Book the room with Sam & plan <the> agenda"
    );
    assert_eq!(
        page.select(&format!("{form} input[name=rag][value=green][checked]"))
            .len(),
        1
    );
    assert_eq!(
        page.attr(&format!("{form} input[name=on]"), "value")
            .as_deref(),
        Some("2026-13-40")
    );
    // The fresh token stays: the form as shown can be corrected and sent.
    let mut fields = form_fields(&page, &form);
    for (name, value) in &mut fields {
        match name.as_str() {
            "on" => *value = "2026-11-30".into(),
            "progress" => *value = "Two sessions run".into(),
            _ => {}
        }
    }
    let sent = post(&mut amara, &action, &fields).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let stored = app.store.goal(goal).await.unwrap();
    assert_eq!(stored.check_ins.len(), 1);
    assert_eq!(
        stored.check_ins[0].next_steps.as_str(),
        "Book the room with Sam & plan <the> agenda"
    );
    // A planned goal with a check-in is under way, and the page says so.
    assert_eq!(stored.status, leadkit_domain::goal::GoalStatus::InProgress);
    let page = amara.get(&format!("/goals/{}", goal.0)).await;
    assert_eq!(
        page.attr("#status option[selected]", "value").as_deref(),
        Some("in_progress")
    );
    let evidence = amara.get("/evidence").await;
    assert!(
        evidence
            .text("[data-test-sharing]")
            .contains("Your evidence is private to you until you share it.")
    );

    // A check-in with no progress: the message sits beside that field.
    let response = amara
        .post_form(
            &action,
            &[("csrf", &csrf), ("progress", ""), ("rag", "red")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = Page::from_html(&response.text().await.unwrap());
    assert!(
        page.text("[data-test-field-error=progress]")
            .contains("Write a sentence about progress")
    );
    assert_eq!(
        page.attr(&format!("{form} textarea[name=progress]"), "aria-invalid")
            .as_deref(),
        Some("true")
    );
    assert_eq!(app.store.goal(goal).await.unwrap().check_ins.len(), 1);
}

#[tokio::test]
async fn a_check_in_sent_after_signing_out_elsewhere_comes_back_after_sign_in() {
    let app = TestApp::start().await;
    let mut amara = app.leader("Amara Okafor", "amara@example.org").await;
    let goal = a_goal(&mut amara).await;
    let page_path = format!("/goals/{}", goal.0);
    let action = format!("/goals/{}/check-ins", goal.0);
    let page = amara.get(&page_path).await;
    let form = format!("form[action='{action}']");
    let mut fields = form_fields(&page, &form);
    for (name, value) in &mut fields {
        match name.as_str() {
            "progress" => *value = "A long paragraph about the term so far".into(),
            "next_steps" => *value = "Ask the governors".into(),
            _ => {}
        }
    }
    fields.push(("rag".into(), "amber".into()));

    // Another tab signs out: the session ends while the form is open.
    let mut other_tab = Visitor {
        cookies: amara.cookies.clone(),
        ..app.visitor()
    };
    let csrf = other_tab.csrf().await;
    let out = other_tab.post_form("/sign-out", &[("csrf", &csrf)]).await;
    assert_eq!(out.status(), StatusCode::SEE_OTHER);

    let response = post(&mut amara, &action, &fields).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let sign_in = Page::from_html(&response.text().await.unwrap());
    assert!(
        sign_in
            .text("[data-test-resume]")
            .contains("A long paragraph about the term so far")
    );
    assert!(app.store.goal(goal).await.unwrap().check_ins.is_empty());

    // Signing in again lands on the goal page with the text back in its form.
    let mut carried = form_fields(&sign_in, "form[data-test-sign-in-form]");
    for (name, value) in &mut carried {
        match name.as_str() {
            "email" => *value = "amara@example.org".into(),
            "password" => *value = PASSWORD.into(),
            _ => {}
        }
    }
    let signed_in = post(&mut amara, "/sign-in", &carried).await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    let mut back = signed_in.headers()["location"].to_str().unwrap().to_owned();
    // Without a Referer (this client sends none) the post's own path is kept,
    // and asking for it goes up to the page that holds the form.
    if back.starts_with(&format!("{action}?kept=")) {
        let up = amara.get_raw(&back).await;
        assert_eq!(up.status(), StatusCode::SEE_OTHER);
        back = up.headers()["location"].to_str().unwrap().to_owned();
    }
    assert!(back.starts_with(&format!("{page_path}?kept=")), "{back}");
    let kept_id: i64 = back.rsplit('=').next().unwrap().parse().unwrap();
    let person = amara.person.unwrap();
    assert!(
        app.store
            .kept_form(person, kept_id)
            .await
            .unwrap()
            .is_some()
    );
    let refilled = amara.get(&back).await;
    assert!(
        refilled
            .text("[data-test-kept]")
            .contains("nothing has been saved yet")
    );
    assert_eq!(
        refilled.text(&format!("{form} textarea[name=progress]")),
        "A long paragraph about the term so far"
    );
    assert_eq!(
        refilled
            .select(&format!("{form} input[name=rag][value=amber][checked]"))
            .len(),
        1
    );
    // Sending it saves it once, and the kept copy is forgotten.
    let again = form_fields(&refilled, &form);
    assert!(
        again
            .iter()
            .any(|(name, value)| name == "kept" && *value == kept_id.to_string())
    );
    let sent = post(&mut amara, &action, &again).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let stored = app.store.goal(goal).await.unwrap();
    assert_eq!(stored.check_ins.len(), 1);
    assert_eq!(
        stored.check_ins[0].progress.as_str(),
        "A long paragraph about the term so far"
    );
    assert!(
        app.store
            .kept_form(person, kept_id)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn a_kept_form_goes_back_only_to_the_person_who_typed_it() {
    let app = TestApp::start().await;
    let mut amara = app.leader("Amara Okafor", "amara@example.org").await;
    let mut ben = app.leader("Ben Khan", "ben@example.org").await;
    let amara_csrf = amara.csrf().await;
    // A sign-in form carrying a post whose session was Amara's (still open):
    // Ben signing in with it gets his own home page, and nothing is kept.
    let mut visitor = app.visitor();
    let page = visitor.get("/sign-in").await;
    let token = page
        .attr("form[data-test-sign-in-form] input[name=csrf]", "value")
        .unwrap();
    let response = visitor
        .post_form(
            "/sign-in",
            &[
                ("csrf", &token),
                ("email", "ben@example.org"),
                ("password", PASSWORD),
                ("next", "/"),
                ("resume_path", "/coaching/notes"),
                ("resume_page", "/profile"),
                ("resume_csrf", &amara_csrf),
                ("carry.body", "Amara's private words"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/");
    // And someone else's kept form is not theirs to see.
    let (amara_id, ben_id) = (amara.person.unwrap(), ben.person.unwrap());
    let kept = app
        .store
        .keep_form(
            amara_id,
            "/profile",
            "/coaching/notes",
            &[("body".into(), "Amara's private words".into())],
            leadkit_web::Clock::System.now(),
        )
        .await
        .unwrap();
    assert!(app.store.kept_form(ben_id, kept).await.unwrap().is_none());
    let page = ben.get(&format!("/profile?kept={kept}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.select("[data-test-kept]").is_empty());
    assert!(page.select("[data-test-typed]").is_empty());
}

#[tokio::test]
async fn evidence_sent_from_a_page_older_than_the_sign_in_comes_back_without_its_file() {
    let app = TestApp::start().await;
    let mut amara = app.leader("Amara Okafor", "amara@example.org").await;
    let response = amara
        .post_multipart(
            "/evidence/upload",
            &[
                Part::Text("csrf", &"0".repeat(64)),
                Part::Text("title", "Governors' visit notes"),
                Part::Text("note", "What the chair asked about attendance"),
                Part::Text("item", "leadership-toolkit|1|1a i"),
                Part::File("file", "notes.pdf", b"%PDF-1.4\n%%EOF\n"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let mut back = response.headers()["location"].to_str().unwrap().to_owned();
    if back.starts_with("/evidence/upload?kept=") {
        // No Referer from this client: up to the page that holds the form.
        back = amara.get_raw(&back).await.headers()["location"]
            .to_str()
            .unwrap()
            .to_owned();
    }
    assert!(back.starts_with("/evidence?kept="), "{back}");
    let page = amara.get(&back).await;
    assert!(
        page.text("[data-test-kept]")
            .contains("must be chosen again")
    );
    assert_eq!(
        page.attr("#ev-title", "value").as_deref(),
        Some("Governors' visit notes")
    );
    assert_eq!(
        page.text("#ev-note"),
        "What the chair asked about attendance"
    );
    assert_eq!(
        page.attr("#ev-item input[checked]", "value").as_deref(),
        Some("leadership-toolkit|1|1a i")
    );
    let page = amara.get("/evidence").await;
    assert!(
        page.select("[data-test-evidence]").is_empty(),
        "nothing was saved"
    );
}
