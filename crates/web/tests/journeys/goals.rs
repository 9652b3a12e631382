//! The Growing Great People loop over HTTP: reflect → goal with actions →
//! evidence with a file → check-ins by leader and coach → review → the next
//! cycle carries levels and the goal forward. And the bad input around it.

use leadkit_domain::people::{PersonId, Role};
use leadkit_store::sharing::RelationshipKind;
use reqwest::StatusCode;

use crate::helpers::{Part, TestApp, UPLOAD_LIMIT, Visitor};

const ITEM: &str = "leadership-toolkit|1|1a i";

/// A small but real PDF's first bytes: enough for the type to be known by content.
const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

struct Cast {
    app: TestApp,
    leader: Visitor,
    leader_id: PersonId,
    coach: Visitor,
    admin: Visitor,
    other: Visitor,
}

async fn cast() -> Cast {
    // With the national standards too, so a goal can link an aligned standard.
    let app = TestApp::start_with(&[leadkit_content::nssl().unwrap()]).await;
    let mut leader = app.leader("Lee Leader", "lee@example.org").await;
    let leader_id = leader.person.unwrap();
    let coach_id = app
        .person(
            "Cora Coach",
            "cora@example.org",
            &[Role::Leader, Role::Coach],
        )
        .await;
    let coach = app.signed_in(coach_id, "cora@example.org").await;
    let admin_id = app
        .person("Ada Admin", "ada@example.org", &[Role::Administrator])
        .await;
    let admin = app.signed_in(admin_id, "ada@example.org").await;
    let other = app.leader("Oli Other", "oli@example.org").await;
    app.store
        .set_relationship(
            leader_id,
            RelationshipKind::Coach,
            Some(coach_id),
            leadkit_web::Clock::System.now(),
        )
        .await
        .unwrap();
    let (status, _) = leader
        .reflect("1a i", Some("some"), "I plan my own curriculum")
        .await;
    assert_eq!(status, StatusCode::OK);
    Cast {
        app,
        leader,
        leader_id,
        coach,
        admin,
        other,
    }
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

async fn start_goal(visitor: &mut Visitor) -> String {
    let csrf = visitor.csrf().await;
    let response = visitor
        .post_form(
            "/goals",
            &[
                ("csrf", &csrf),
                ("item", ITEM),
                ("title", "Lead curriculum thinking across the school"),
                ("current_level", "some"),
                ("target_level", "high"),
                ("why", "Our pupils deserve a coherent curriculum"),
                ("success_criteria", "Departments plan sequences together"),
                ("support", "coaching"),
                ("support", "colleague"),
                ("also", "national-standards-school-leadership|1|3.K.1"),
            ],
        )
        .await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "{}",
        response.text().await.unwrap()
    );
    let url = location(&response);
    assert!(url.starts_with("/goals/"), "{url}");
    url
}

async fn upload(visitor: &mut Visitor, parts: &[Part<'_>]) -> reqwest::Response {
    visitor.post_multipart("/evidence/upload", parts).await
}

#[tokio::test]
async fn the_whole_loop_from_reflection_to_the_next_cycle() {
    let Cast {
        app,
        mut leader,
        leader_id,
        mut coach,
        mut admin,
        ..
    } = cast().await;

    // The form prefills my level and aims one higher, with the framework's words.
    let form = leader
        .get(&format!("/goals/new?item={}", ITEM.replace(' ', "%20")))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text("h1").contains("Start a goal"));
    assert_eq!(
        form.attr("#target_level option[selected]", "value")
            .as_deref(),
        Some("high")
    );
    assert_eq!(
        form.attr("#current_level option[selected]", "value")
            .as_deref(),
        Some("some")
    );
    let prompts = form.text("[data-test-prompts]");
    assert!(prompts.contains("At High impact"), "{prompts}");
    // An aligned item of another framework is offered to link too.
    assert!(!form.select("input[name=also]").is_empty());

    let goal_url = start_goal(&mut leader).await;
    let goal = leader.get(&goal_url).await;
    assert_eq!(goal.status, StatusCode::OK);
    assert_eq!(
        goal.text("[data-test-goal-title]"),
        "Lead curriculum thinking across the school"
    );
    // The descriptor aimed for is the Toolkit's own text for 1a i at High impact.
    let toolkit = leadkit_content::toolkit().unwrap();
    let high = toolkit
        .find(&leadkit_domain::framework::ItemCode::parse("1a i").unwrap())
        .unwrap()
        .descriptor(&leadkit_domain::scale::LevelCode::parse("high").unwrap())
        .unwrap()
        .unwrap()
        .to_owned();
    assert!(goal.text("[data-test-target-descriptor]").contains(&high));
    assert!(
        goal.text("main").contains("3.K.1"),
        "the aligned standard is linked"
    );

    // Actions: add two, mark one done.
    let csrf = leader.csrf().await;
    for (text, due) in [
        ("Visit a partner school", "2026-12-10"),
        ("Run a planning session", ""),
    ] {
        let response = leader
            .post_form(
                &format!("{goal_url}/actions"),
                &[
                    ("csrf", &csrf),
                    ("text", text),
                    ("owner", "me"),
                    ("due_on", due),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
    let page = leader.get(&goal_url).await;
    let first = page.attr("[data-test-action]", "data-test-action").unwrap();
    let response = leader
        .post_form(
            &format!("{goal_url}/actions"),
            &[("csrf", &csrf), ("action", &first), ("done", "yes")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = leader.get(&goal_url).await;
    assert_eq!(
        page.attr(&format!("[data-test-action=\"{first}\"]"), "data-done")
            .as_deref(),
        Some("yes")
    );

    // Evidence with a file, tagged to the component and the goal.
    let goal_id = goal_url.trim_start_matches("/goals/").to_owned();
    let response = upload(
        &mut leader,
        &[
            Part::Text("csrf", &csrf),
            Part::Text("title", "Curriculum map"),
            Part::Text("on", "2026-11-20"),
            Part::Text("note", "The map we agreed"),
            Part::Text("item", ITEM),
            Part::Text("goal", &goal_id),
            Part::File("file", "curriculum map.pdf", PDF),
        ],
    )
    .await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "{}",
        response.text().await.unwrap()
    );
    assert_eq!(
        app.files.kept().len(),
        1,
        "the file is kept once, by its hash"
    );
    assert!(app.files.leftovers().is_empty());
    let evidence = leader.get("/evidence").await;
    assert!(
        evidence
            .text("[data-test-evidence=\"Curriculum map\"]")
            .contains("1a i")
    );
    let file_url = evidence.attr("[data-test-file]", "href").unwrap();
    let download = leader.get_raw(&file_url).await;
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.headers()["content-type"], "application/pdf");
    assert_eq!(download.headers()["x-content-type-options"], "nosniff");
    let disposition = download.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(disposition.contains("curriculum map.pdf"), "{disposition}");
    assert_eq!(download.bytes().await.unwrap().as_ref(), PDF);
    let goal = leader.get(&goal_url).await;
    assert!(
        goal.text("[data-test-goal-evidence]")
            .contains("Curriculum map")
    );

    // The coach sees nothing until the leader shares goals; then reads and checks in.
    assert_eq!(coach.get(&goal_url).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        coach.get_raw(&file_url).await.status(),
        StatusCode::NOT_FOUND
    );
    let coach_csrf = coach.csrf().await;
    let refused = coach
        .post_form(
            &format!("{goal_url}/check-ins"),
            &[("csrf", &coach_csrf), ("progress", "x"), ("rag", "green")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    for record in ["goals", "evidence"] {
        let response = leader
            .post_form(
                "/profile/sharing",
                &[
                    ("csrf", &csrf),
                    ("record", record),
                    ("audience", "coach"),
                    ("share", "yes"),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{record}");
    }
    let seen = coach.get(&goal_url).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(
        seen.select("[data-test-edit-goal]").is_empty(),
        "the coach cannot edit"
    );
    assert_eq!(coach.get_raw(&file_url).await.status(), StatusCode::OK);
    assert_eq!(
        coach
            .get(&format!("/people/{}/goals", leader_id.0))
            .await
            .status,
        StatusCode::OK
    );
    // The coach may check in but never change the goal itself.
    let edit = coach
        .post_form(&goal_url, &[("csrf", &coach_csrf), ("title", "Hijacked")])
        .await;
    assert_eq!(edit.status(), StatusCode::NOT_FOUND);
    for (who, visitor, token, rag) in [
        ("Lee Leader", &mut leader, csrf.clone(), "amber"),
        ("Cora Coach", &mut coach, coach_csrf.clone(), "green"),
    ] {
        let response = visitor
            .post_form(
                &format!("{goal_url}/check-ins"),
                &[
                    ("csrf", &token),
                    ("on", "2027-01-15"),
                    ("progress", "Two departments have started"),
                    ("rag", rag),
                    ("next_steps", "Bring science in"),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{who}");
    }
    let page = leader.get(&goal_url).await;
    assert_eq!(page.select("[data-test-check-in]").len(), 2);
    assert!(
        !page
            .select("[data-test-check-in=\"Cora Coach\"]")
            .is_empty()
    );

    // The review, then a new cycle that starts from this cycle's levels.
    let response = leader
        .post_form(
            &format!("{goal_url}/review"),
            &[
                ("csrf", &csrf),
                ("outcome", "carried_forward"),
                ("note", "Half the departments"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        leader
            .get(&goal_url)
            .await
            .text("[data-test-review]")
            .contains("Carried forward")
    );
    // The goals list says where it stands: reviewed, not "Planned".
    assert!(
        leader
            .get("/goals")
            .await
            .text("[data-test-goal]")
            .contains("Reviewed: carried forward to the next cycle")
    );

    let cycles = admin.get("/admin/cycles").await;
    assert_eq!(cycles.status, StatusCode::OK);
    let first_cycle = cycles
        .attr("#cycle-from option[selected]", "value")
        .unwrap();
    let admin_csrf = admin.csrf().await;
    let response = admin
        .post_form(
            "/admin/cycles",
            &[
                ("csrf", &admin_csrf),
                ("name", "2027–28"),
                ("starts_on", "2027-09-01"),
                ("ends_on", "2028-08-31"),
                ("carry_from", &first_cycle),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    // Closing this year's cycle makes the new one current (as at the end of the year).
    let response = admin
        .post_form(
            &format!("/admin/cycles/{first_cycle}/close"),
            &[("csrf", &admin_csrf)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    // The closed cycle's goal is read-only now.
    let late = leader
        .post_form(
            &format!("{goal_url}/check-ins"),
            &[("csrf", &csrf), ("progress", "late"), ("rag", "green")],
        )
        .await;
    assert_eq!(late.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // My levels came with me, and my profile compares the two cycles.
    let profile = leader.get("/profile").await;
    let growth = profile.text("[data-test-my-growth]");
    assert!(growth.contains("0 up, 1 the same, 0 down"), "{growth}");
    assert_eq!(
        profile.text("[data-test-row=\"1a i\"] [data-test-previous]"),
        "Some impact"
    );
    let mine = leader.my_reflections().await;
    let text = mine.to_string();
    assert!(text.contains("I plan my own curriculum"), "{text}");
    // The goal is offered for carrying forward, and carried once with its history.
    let goals = leader.get("/goals").await;
    assert!(
        goals
            .text("[data-test-to-carry]")
            .contains("Lead curriculum thinking")
    );
    let response = leader
        .post_form(&format!("{goal_url}/carry-forward"), &[("csrf", &csrf)])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let carried_url = location(&response);
    assert_ne!(carried_url, goal_url);
    let carried = leader.get(&carried_url).await;
    assert!(
        carried
            .text("main")
            .contains("carried forward from last cycle")
    );
    assert!(
        carried
            .text("#check-ins")
            .contains("Check-ins from last cycle")
    );
    assert_eq!(
        carried.select("[data-test-action]").len(),
        1,
        "the open action only"
    );
    let goals = leader.get("/goals").await;
    assert!(goals.select("[data-test-to-carry]").is_empty());
    assert_eq!(goals.select("[data-test-goal]").len(), 1);

    // My download has both goals, the evidence and the coach's check-in.
    let (status, data) = leader
        .api(reqwest::Method::GET, "/profile/my-data.json", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(data["goals"].as_array().unwrap().len(), 2);
    assert_eq!(data["evidence"].as_array().unwrap().len(), 1);
    assert_eq!(data["evidence"][0]["file"]["name"], "curriculum map.pdf");
    assert!(data["goals"].to_string().contains("Cora Coach"));

    // Erasing the leader removes their goals, evidence and its file.
    let erase = admin
        .post_form(
            &format!("/admin/people/{}/erase", leader_id.0),
            &[("csrf", &admin_csrf), ("confirm_email", "lee@example.org")],
        )
        .await;
    assert_eq!(erase.status(), StatusCode::SEE_OTHER);
    assert!(
        app.files.kept().is_empty(),
        "the file went with its evidence"
    );
    assert!(app.store.all_goals_of(leader_id).await.unwrap().is_empty());
    assert!(
        app.store
            .all_evidence_of(leader_id)
            .await
            .unwrap()
            .is_empty()
    );
    app.finish().await;
}

#[tokio::test]
async fn bad_uploads_are_refused_and_leave_nothing_behind() {
    let Cast {
        app, mut leader, ..
    } = cast().await;
    let csrf = leader.csrf().await;
    let big = vec![b'a'; UPLOAD_LIMIT as usize + 1];
    let mut disguised = b"MZ\x90\x00\x03\x00\x00\x00".to_vec();
    disguised.extend_from_slice(&[0u8; 200]);
    let cases: Vec<(Vec<Part<'_>>, StatusCode, &str)> = vec![
        (
            vec![
                Part::Text("csrf", &csrf),
                Part::File("file", "notes.txt", &big),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
            "limit of 1 MB",
        ),
        (
            vec![
                Part::Text("csrf", &csrf),
                Part::File("file", "report.pdf", &disguised),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
            "Windows program",
        ),
        (
            vec![
                Part::Text("csrf", &csrf),
                Part::File(
                    "file",
                    "page.html",
                    b"<!doctype html><script>alert(1)</script>",
                ),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
            "web page",
        ),
        (
            // Without the anti-forgery token first, nothing is read.
            vec![Part::File("file", "a.pdf", PDF), Part::Text("csrf", &csrf)],
            StatusCode::FORBIDDEN,
            "",
        ),
        (
            vec![
                Part::Text("csrf", "forged"),
                Part::File("file", "a.pdf", PDF),
            ],
            StatusCode::FORBIDDEN,
            "",
        ),
        (
            vec![
                Part::Text("csrf", &csrf),
                Part::Text("link", "javascript:alert(1)"),
                Part::File("file", "a.pdf", PDF),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
            "web address",
        ),
        (
            vec![Part::Text("csrf", &csrf), Part::Text("title", "Nothing")],
            StatusCode::UNPROCESSABLE_ENTITY,
            "Add a note, a link or a file",
        ),
        (
            // Someone else's goal (or one that does not exist) cannot be tagged.
            vec![
                Part::Text("csrf", &csrf),
                Part::Text("goal", "999999"),
                Part::File("file", "a.pdf", PDF),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
            "not yours",
        ),
        (
            vec![
                Part::Text("csrf", &csrf),
                Part::Text("item", "leadership-toolkit|0|1a i"),
                Part::File("file", "a.pdf", PDF),
            ],
            StatusCode::UNPROCESSABLE_ENTITY,
            "no version 0",
        ),
    ];
    for (parts, status, message) in cases {
        let response = upload(&mut leader, &parts).await;
        assert_eq!(response.status(), status, "{message}");
        let body = response.text().await.unwrap();
        assert!(body.contains(message), "{message}: {body}");
        assert!(app.files.kept().is_empty(), "{message}: no file kept");
        assert!(
            app.files.leftovers().is_empty(),
            "{message}: no partial file"
        );
    }
    assert!(
        leader
            .get("/evidence")
            .await
            .select("[data-test-evidence]")
            .is_empty()
    );
    // A refused file keeps every other field, the person still signed in.
    let response = upload(
        &mut leader,
        &[
            Part::Text("csrf", &csrf),
            Part::Text("title", "Assembly slides"),
            Part::Text("note", "Presented to Year 9 about online safety"),
            Part::Text("item", "leadership-toolkit|1|1a i"),
            Part::File("file", "page.html", b"<!doctype html><p>hi</p>"),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = scraper::Html::parse_document(&response.text().await.unwrap());
    let one = |css: &str| {
        page.select(&scraper::Selector::parse(css).unwrap())
            .next()
            .map(|e| {
                (
                    e.value().attr("value").map(str::to_owned),
                    e.text().collect::<String>(),
                )
            })
    };
    assert_eq!(
        one("#ev-title").unwrap().0.as_deref(),
        Some("Assembly slides")
    );
    assert_eq!(
        one("#ev-note").unwrap().1,
        "Presented to Year 9 about online safety"
    );
    assert!(
        one("#ev-item label:has(input[checked])")
            .unwrap()
            .1
            .contains("1a i")
    );
    assert!(one("#ev-file-error").unwrap().1.contains("Accepted: PDF"));
    assert!(one("[data-test-errors] a[href='#ev-file']").is_some());
    assert!(one("[data-test-sign-out]").is_some(), "still signed in");
    // The same file twice is kept once; deleting one keeps it for the other.
    for title in ["One", "Two"] {
        let response = upload(
            &mut leader,
            &[
                Part::Text("csrf", &csrf),
                Part::Text("title", title),
                Part::File("file", "a.pdf", PDF),
            ],
        )
        .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
    assert_eq!(app.files.kept().len(), 1);
    let page = leader.get("/evidence").await;
    let forms: Vec<String> = page
        .select("[data-test-evidence] form")
        .iter()
        .map(|f| f.value().attr("action").unwrap().to_owned())
        .collect();
    assert_eq!(forms.len(), 2);
    let response = leader.post_form(&forms[0], &[("csrf", &csrf)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.files.kept().len(), 1, "still named by the other");
    let response = leader.post_form(&forms[1], &[("csrf", &csrf)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        app.files.kept().is_empty(),
        "deleted with the last evidence naming it"
    );
    app.finish().await;
}

#[tokio::test]
async fn goals_refuse_bad_items_levels_and_other_peoples_goals() {
    let Cast {
        app,
        mut leader,
        leader_id,
        mut other,
        mut coach,
        ..
    } = cast().await;
    let goal_url = start_goal(&mut leader).await;
    let before = leader.get(&goal_url).await.text("main");
    // A check-in, an action or an edit on someone else's goal: not found, nothing changes.
    let other_csrf = other.csrf().await;
    for (path, fields) in [
        (
            format!("{goal_url}/check-ins"),
            vec![("progress", "mine now"), ("rag", "red")],
        ),
        (format!("{goal_url}/actions"), vec![("text", "sneaky")]),
        (format!("{goal_url}/review"), vec![("outcome", "achieved")]),
        (goal_url.clone(), vec![("title", "Hijacked")]),
    ] {
        let mut form = vec![("csrf", other_csrf.as_str())];
        form.extend(fields);
        let response = other.post_form(&path, &form).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(other.get(&goal_url).await.status, StatusCode::NOT_FOUND);
    // The coach, without goals shared, is refused the same way.
    let coach_csrf = coach.csrf().await;
    let response = coach
        .post_form(
            &format!("{goal_url}/check-ins"),
            &[("csrf", &coach_csrf), ("progress", "x"), ("rag", "red")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(leader.get(&goal_url).await.text("main"), before);

    // Bad goals: each refused with a message, and no goal is added.
    let mut v2 = leadkit_content::toolkit().unwrap();
    v2.version = "2".into();
    app.store
        .publish_framework(&v2, leadkit_web::Clock::System.now())
        .await
        .unwrap();
    let mut app = app;
    app.restart().await;
    // The restarted server has the new version loaded.
    let mut leader = app.signed_in(leader_id, "lee@example.org").await;
    let csrf = leader.csrf().await;
    for (item, current, target, message) in [
        (ITEM, "some", "high", "replaced by version 2"),
        ("leadership-toolkit|7|1a i", "some", "high", "no version 7"),
        ("leadership-toolkit|2|9z ix", "some", "high", "no component"),
        ("no-such-framework|1|1a i", "some", "high", "no framework"),
        (
            "leadership-toolkit|2|1a i",
            "high",
            "some",
            "above where you are now",
        ),
        (
            "leadership-toolkit|2|1a i",
            "some",
            "legendary",
            "target level",
        ),
    ] {
        let response = leader
            .post_form(
                "/goals",
                &[
                    ("csrf", &csrf),
                    ("item", item),
                    ("title", "A goal"),
                    ("current_level", current),
                    ("target_level", target),
                ],
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{message}"
        );
        let body = response.text().await.unwrap();
        assert!(body.contains(message), "{message}: {body}");
    }
    let response = leader
        .post_form(
            "/goals",
            &[
                ("csrf", &csrf),
                ("item", "leadership-toolkit|2|1a i"),
                ("title", ""),
                ("target_level", "high"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        leader.get("/goals").await.select("[data-test-goal]").len(),
        1
    );
    app.finish().await;
}

#[tokio::test]
async fn a_goal_and_evidence_start_from_any_frameworks_component_page() {
    let Cast {
        app, mut leader, ..
    } = cast().await;
    let code = leadkit_domain::framework::ItemCode::parse("3.K.1").unwrap();
    let page = leader
        .get(&format!(
            "/frameworks/national-standards-school-leadership/{}",
            code.slug()
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let links = page.select("[data-test-component-actions] a");
    let goal_link = links[0].value().attr("href").unwrap().to_owned();
    let evidence_link = links[1].value().attr("href").unwrap().to_owned();
    // Signed out, the page offers neither.
    let mut stranger = app.visitor();
    let public = stranger
        .get(&format!(
            "/frameworks/national-standards-school-leadership/{}",
            code.slug()
        ))
        .await;
    assert!(public.select("[data-test-component-actions]").is_empty());

    // The standards are reflected on the Toolkit's three points; with no
    // descriptors of their own, the standard's words prompt the goal.
    let form = leader.get(&goal_link).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text("[data-test-prompts]").contains("3.K.1"));
    let item = form.attr("input[name=item]", "value").unwrap();
    let csrf = leader.csrf().await;
    let response = leader
        .post_form(
            "/goals",
            &[
                ("csrf", &csrf),
                ("item", &item),
                ("title", "Know the statutory frameworks"),
                ("target_level", "high"),
            ],
        )
        .await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "{}",
        response.text().await.unwrap()
    );
    let goal = leader.get(&location(&response)).await;
    assert!(goal.text("main").contains("3.K.1"));
    // A level that is not on the scale is refused.
    let response = leader
        .post_form(
            "/goals",
            &[
                ("csrf", &csrf),
                ("item", &item),
                ("title", "x"),
                ("target_level", "expert"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Evidence tagged to the standard from its page.
    let evidence_form = leader.get(&evidence_link.replace("#add", "")).await;
    assert_eq!(
        evidence_form
            .attr("#ev-item input[checked]", "value")
            .as_deref(),
        Some(item.as_str())
    );
    // The standard's framework is open; the checklist holds every framework.
    assert_eq!(
        evidence_form
            .select("[data-test-tag-framework='national-standards-school-leadership'][open]")
            .len(),
        1
    );
    assert!(evidence_form.select("[data-test-tag-framework]").len() >= 2);
    assert_eq!(
        evidence_form
            .select("[data-test-tag-framework='leadership-toolkit'] input[name=item]")
            .len(),
        70
    );
    let response = upload(
        &mut leader,
        &[
            Part::Text("csrf", &csrf),
            Part::Text("title", "Safeguarding audit"),
            Part::Text("note", "Completed with the governor"),
            Part::Text("item", &item),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let evidence = leader.get("/evidence").await;
    assert!(
        evidence
            .text("[data-test-evidence=\"Safeguarding audit\"]")
            .contains("3.K.1")
    );
    app.finish().await;
}

#[tokio::test]
async fn an_upload_cut_off_half_way_leaves_nothing_behind() {
    use tokio::io::AsyncWriteExt;
    let Cast {
        app, mut leader, ..
    } = cast().await;
    let csrf = leader.csrf().await;
    let host = app.address.trim_start_matches("http://").to_owned();
    let boundary = "cut-off-boundary";
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\n\r\n%PDF-1.4\n"
    );
    let mut stream = tokio::net::TcpStream::connect(&host).await.unwrap();
    stream
        .write_all(
            format!(
                "POST /evidence/upload HTTP/1.1\r\nHost: {host}\r\nCookie: {}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: 900000\r\n\r\n{head}",
                leader.cookie_header()
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    stream.write_all(&vec![b'x'; 200_000]).await.unwrap();
    stream.flush().await.unwrap();
    // The upload is under way: its partial file exists.
    let mut seen_partial = false;
    for _ in 0..50 {
        if !app.files.leftovers().is_empty() {
            seen_partial = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(seen_partial, "the upload was being written");
    // The connection drops before the rest arrives.
    drop(stream);
    let mut cleaned = false;
    for _ in 0..50 {
        if app.files.leftovers().is_empty() {
            cleaned = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(cleaned, "the partial file is removed");
    assert!(app.files.kept().is_empty());
    assert!(
        leader
            .get("/evidence")
            .await
            .select("[data-test-evidence]")
            .is_empty()
    );
    app.finish().await;
}

#[tokio::test]
async fn my_profile_report_is_a_page_and_a_pdf_with_my_notes_only_if_i_choose() {
    let Cast {
        app: _app,
        mut leader,
        mut other,
        ..
    } = cast().await;
    start_goal(&mut leader).await;
    let page = leader.get("/profile/report").await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text("[data-test-report]");
    assert!(text.contains("Leadership profile: Lee Leader"));
    assert!(
        text.contains("Lead curriculum thinking across the school"),
        "goals listed"
    );
    assert!(
        !text.contains("I plan my own curriculum"),
        "notes left out unless chosen"
    );
    assert_eq!(
        page.select("figure.report-chart svg").len(),
        1,
        "levels by domain"
    );
    let with_notes = leader.get("/profile/report?notes=yes").await;
    assert!(
        with_notes
            .text("[data-test-report]")
            .contains("Note: I plan my own curriculum")
    );
    assert_eq!(
        leader.get("/profile/report?notes=perhaps").await.status,
        StatusCode::BAD_REQUEST
    );

    for (query, notes) in [("", false), ("?notes=yes", true)] {
        let response = leader.get_raw(&format!("/profile/report.pdf{query}")).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["content-type"], "application/pdf");
        assert!(
            response.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment")
        );
        let bytes = response.bytes().await.unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        if let Some(text) = crate::insight::pdf_text(&bytes) {
            assert!(text.contains("Leadership profile: Lee Leader"), "{text}");
            assert!(text.contains("Levels by domain"));
            assert!(
                text.contains("Some impact"),
                "my level, in the framework's words"
            );
            assert!(text.contains("Lead curriculum thinking across the school"));
            assert_eq!(text.contains("I plan my own curriculum"), notes);
        }
    }
    // Someone else's report is their own: mine is never theirs.
    let theirs = other.get_raw("/profile/report.pdf?notes=yes").await;
    let bytes = theirs.bytes().await.unwrap();
    if let Some(text) = crate::insight::pdf_text(&bytes) {
        assert!(text.contains("Leadership profile: Oli Other"));
        assert!(!text.contains("I plan my own curriculum"));
    }
}
