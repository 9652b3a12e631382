//! The coaching year: an administrator gives a cycle its checkpoints; each is on
//! the leader's and coach's homes, in the calendar feed and in reminders; at
//! each, the leader and the coach both record that they met and agreed.

use leadkit_domain::access::RelationshipKind;
use leadkit_domain::people::Role;
use reqwest::StatusCode;

use crate::helpers::{Page, TestApp, Visitor, app_state};
use crate::smtp::SmtpSink;

fn today() -> time::Date {
    leadkit_web::Clock::System.now().date()
}

async fn cycle_url(app: &TestApp) -> String {
    let cycle = app
        .store
        .current_cycle(app.trust, None, today())
        .await
        .unwrap()
        .unwrap();
    format!("/admin/cycles/{}/checkpoints", cycle.id.0)
}

async fn add(admin: &mut Visitor, url: &str, name: &str, due_on: &str) -> (StatusCode, Page) {
    let csrf = admin.csrf().await;
    let response = admin
        .post_form(url, &[("csrf", &csrf), ("name", name), ("due_on", due_on)])
        .await;
    let status = response.status();
    let page = if status.is_redirection() {
        let next = response.headers()["location"].to_str().unwrap().to_owned();
        admin.get(&next).await
    } else {
        Page::from_html(&response.text().await.unwrap())
    };
    (status, page)
}

struct Year {
    app: TestApp,
    admin: Visitor,
    leader: Visitor,
    coach: Visitor,
    leader_id: leadkit_domain::people::PersonId,
    url: String,
}

async fn year() -> Year {
    let app = TestApp::start().await;
    let admin_id = app
        .person("Ada Admin", "admin@example.org", &[Role::Administrator])
        .await;
    let admin = app.signed_in(admin_id, "admin@example.org").await;
    let leader = app.leader("Lee Leader", "lee@example.org").await;
    let leader_id = leader.person.unwrap();
    let coach_id = app
        .person(
            "Cora Coach",
            "cora@example.org",
            &[Role::Leader, Role::Coach],
        )
        .await;
    let coach = app.signed_in(coach_id, "cora@example.org").await;
    app.store
        .set_relationship(
            leader_id,
            RelationshipKind::Coach,
            Some(coach_id),
            leadkit_web::Clock::System.now(),
        )
        .await
        .unwrap();
    let url = cycle_url(&app).await;
    Year {
        app,
        admin,
        leader,
        coach,
        leader_id,
        url,
    }
}

#[tokio::test]
async fn an_administrator_adds_checkpoints_and_a_wrong_one_keeps_what_was_typed() {
    let Year {
        app,
        mut admin,
        mut leader,
        url,
        ..
    } = year().await;
    let page = admin.get(&url).await;
    assert!(!page.select("[data-test-no-checkpoints]").is_empty());
    assert_eq!(leader.get(&url).await.status, StatusCode::NOT_FOUND);

    let (status, page) = add(&mut admin, &url, "", "28/02/2027").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(page.select("[data-test-errors] li").len(), 2);
    assert_eq!(
        page.attr("#checkpoint-due_on", "value").as_deref(),
        Some("28/02/2027")
    );
    let (status, page) = add(&mut admin, &url, "Far too late", "2031-01-01").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.text("#checkpoint-due_on-error")
            .contains("Choose a date within")
    );
    assert_eq!(
        page.attr("#checkpoint-name", "value").as_deref(),
        Some("Far too late")
    );

    let soon = (today() + time::Duration::days(5)).to_string();
    let (status, page) = add(&mut admin, &url, "Mid-year review", &soon).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(page.text("[data-test-added]").contains("Mid-year review"));
    let (status, _) = add(&mut admin, &url, "mid-year review", &soon).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a cycle's names are its own"
    );

    // Removing one nobody has recorded, then undoing it.
    let page = admin.get(&url).await;
    let remove = page
        .attr("[data-test-checkpoint='Mid-year review'] form", "action")
        .unwrap();
    let csrf = admin.csrf().await;
    let response = admin.post_form(&remove, &[("csrf", &csrf)]).await;
    let page = admin
        .get(response.headers()["location"].to_str().unwrap())
        .await;
    assert!(page.select("[data-test-checkpoint]").is_empty());
    let undo = page.select("[data-test-removed] form input[name=due_on]");
    assert_eq!(undo[0].value().attr("value"), Some(soon.as_str()));
    let csrf = admin.csrf().await;
    let response = admin
        .post_form(
            &url,
            &[
                ("csrf", &csrf),
                ("name", "Mid-year review"),
                ("due_on", &soon),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        admin.get(&url).await.select("[data-test-checkpoint]").len(),
        1
    );
    // The leader's home now says what is coming.
    let home = leader.get("/").await;
    assert!(
        home.text("[data-test-home-checkpoint]")
            .contains("Mid-year review is due"),
        "{}",
        home.text("[data-test-home-checkpoint]")
    );
    app.finish().await;
}

#[tokio::test]
async fn the_leader_and_the_coach_both_record_a_checkpoint_and_the_record_says_who_and_when() {
    let Year {
        app,
        mut admin,
        mut leader,
        mut coach,
        leader_id,
        url,
    } = year().await;
    let soon = (today() + time::Duration::days(5)).to_string();
    add(&mut admin, &url, "Mid-year review", &soon).await;
    // The coach's home shows it as needing them.
    let home = coach.get("/").await;
    assert!(
        home.text("[data-test-supported='Lee Leader'] [data-test-supported-attention]")
            .contains("Mid-year review due"),
        "{}",
        home.text("[data-test-supported='Lee Leader']")
    );

    let page = leader.get("/coaching").await;
    let form = page
        .attr("[data-test-checkpoint='Mid-year review'] form", "action")
        .unwrap();
    let csrf = leader.csrf().await;
    let response = leader.post_form(&form, &[("csrf", &csrf)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = leader.get("/coaching").await;
    let today_words = leadkit_web::views::long_date(today());
    assert_eq!(
        page.text("[data-test-checkpoint='Mid-year review'] [data-test-leader-record]"),
        format!("Lee Leader, {today_words}")
    );
    assert_eq!(
        page.text("[data-test-checkpoint='Mid-year review'] [data-test-coach-record]"),
        "Not yet"
    );
    // The undo: the leader takes their record back, and records it again.
    assert!(!page.select("[data-test-withdraw-record]").is_empty());
    let csrf = leader.csrf().await;
    leader
        .post_form(&form, &[("csrf", &csrf), ("do", "withdraw")])
        .await;
    let page = leader.get("/coaching").await;
    assert_eq!(
        page.text("[data-test-checkpoint='Mid-year review'] [data-test-leader-record]"),
        "Not yet"
    );
    let csrf = leader.csrf().await;
    leader.post_form(&form, &[("csrf", &csrf)]).await;

    // Someone who is not the coach cannot record the coach's side.
    let coach_form = format!(
        "/people/{}/coaching/checkpoints/{}",
        leader_id.0,
        form.rsplit('/').next().unwrap()
    );
    let mut other = app.leader("Oli Other", "oli@example.org").await;
    let csrf = other.csrf().await;
    assert_eq!(
        other
            .post_form(&coach_form, &[("csrf", &csrf)])
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    // A checkpoint that does not exist is not found.
    let csrf = leader.csrf().await;
    assert_eq!(
        leader
            .post_form("/coaching/checkpoints/999999", &[("csrf", &csrf)])
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    let csrf = coach.csrf().await;
    let response = coach.post_form(&coach_form, &[("csrf", &csrf)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = coach
        .get(&format!("/people/{}/coaching", leader_id.0))
        .await;
    let row = "[data-test-checkpoint='Mid-year review']";
    assert!(!page.select(&format!("{row}[data-test-agreed]")).is_empty());
    assert_eq!(
        page.text(&format!("{row} [data-test-coach-record]")),
        format!("Cora Coach, {today_words}")
    );
    assert!(page.text(row).contains("Agreed"));
    // Agreed: no longer on either home as something to do.
    assert!(
        leader
            .get("/")
            .await
            .select("[data-test-home-checkpoint]")
            .is_empty()
    );
    let home = coach.get("/").await;
    assert!(
        !home
            .text("[data-test-supported='Lee Leader']")
            .contains("Mid-year review")
    );
    // A checkpoint someone has recorded is kept: it cannot be removed.
    let remove = admin
        .get(&url)
        .await
        .attr("[data-test-checkpoint] form", "action")
        .unwrap();
    let csrf = admin.csrf().await;
    let response = admin.post_form(&remove, &[("csrf", &csrf)]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        admin.get(&url).await.select("[data-test-checkpoint]").len(),
        1
    );
    app.finish().await;
}

#[tokio::test]
async fn checkpoints_are_in_the_calendar_feed_and_in_the_reminder_digest() {
    let Some(smtp) = SmtpSink::start().await else {
        return;
    };
    let Year {
        app,
        mut admin,
        mut leader,
        url,
        ..
    } = year().await;
    let soon = today() + time::Duration::days(3);
    add(&mut admin, &url, "Goals agreed", &soon.to_string()).await;
    add(&mut admin, &url, "End-of-year review", "2027-07-15").await;

    let csrf = leader.csrf().await;
    let response = leader
        .post_form(
            "/profile/calendar",
            &[("csrf", &csrf), ("action", "new-feed")],
        )
        .await;
    let page = Page::from_html(&response.text().await.unwrap());
    let feed = page.text("[data-test-feed-url]");
    let ics = app
        .visitor()
        .get_raw(feed.trim_start_matches(&app.address))
        .await
        .text()
        .await
        .unwrap();
    assert!(ics.contains("SUMMARY:Checkpoint: Goals agreed"), "{ics}");
    assert!(
        ics.contains("SUMMARY:Checkpoint: End-of-year review"),
        "{ics}"
    );
    assert!(
        ics.contains(&format!(
            "DTSTART;VALUE=DATE:{}",
            soon.to_string().replace('-', "")
        )),
        "{ics}"
    );

    let state = app_state(&app.store, Some(&smtp.url), &app.files, &app.address).await;
    let sent = leadkit_web::reminders::send_due(&state).await.unwrap();
    // Lee and Cora are both leaders in the trust's cycle.
    assert_eq!(sent.sent, 2);
    let messages = smtp.wait_for(2).await;
    let lee = messages
        .iter()
        .find(|m| m.contains("lee@example.org"))
        .unwrap();
    assert!(
        lee.contains("Goals agreed: a checkpoint is due soon"),
        "{lee}"
    );
    assert!(lee.contains(&leadkit_web::views::long_date(soon)), "{lee}");
    assert!(!lee.contains("End-of-year review"), "not within a week");
    app.finish().await;
}
