//! The private calendar feed (read back with the `icalendar` crate's parser) and
//! email reminders through a real SMTP server: one digest a day, not two, and an
//! unsubscribe link that works.

use icalendar::{Component, DatePerhapsTime};
use reqwest::StatusCode;

use crate::helpers::{TestApp, app_state};
use crate::smtp::{SmtpSink, link_in};

fn day(offset: i64) -> time::Date {
    leadkit_web::Clock::System.now().date() + time::Duration::days(offset)
}

async fn goal_with_actions(leader: &mut crate::helpers::Visitor) -> String {
    let csrf = leader.csrf().await;
    let response = leader
        .post_form(
            "/goals",
            &[
                ("csrf", &csrf),
                ("item", "leadership-toolkit|1|2a i"),
                ("title", "Raise expectations, together"),
                ("target_level", "some"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let goal = response.headers()["location"].to_str().unwrap().to_owned();
    for (text, due) in [
        ("Observe three lessons", day(1).to_string()),
        ("Write the department plan", day(30).to_string()),
        ("Already finished, due tomorrow", day(1).to_string()),
        ("Read the research summary", String::new()),
    ] {
        let response = leader
            .post_form(
                &format!("{goal}/actions"),
                &[("csrf", &csrf), ("text", text), ("due_on", &due)],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
    let page = leader.get(&goal).await;
    let done = page
        .select("[data-test-action]")
        .into_iter()
        .find(|a| a.text().collect::<String>().contains("Already finished"))
        .and_then(|a| a.value().attr("data-test-action"))
        .unwrap()
        .to_owned();
    leader
        .post_form(
            &format!("{goal}/actions"),
            &[("csrf", &csrf), ("action", &done), ("done", "yes")],
        )
        .await;
    leader
        .post_form(
            &format!("{goal}/check-ins"),
            &[
                ("csrf", &csrf),
                ("on", &day(-2).to_string()),
                ("progress", "Started; colleagues keen"),
                ("rag", "green"),
            ],
        )
        .await;
    goal
}

#[tokio::test]
async fn the_calendar_feed_is_private_parses_and_can_be_revoked() {
    let app = TestApp::start().await;
    let mut leader = app.leader("Lee Leader", "lee@example.org").await;
    goal_with_actions(&mut leader).await;
    let csrf = leader.csrf().await;
    assert!(
        !leader
            .get("/profile/calendar")
            .await
            .select("[data-test-no-feed]")
            .is_empty()
    );
    let response = leader
        .post_form(
            "/profile/calendar",
            &[("csrf", &csrf), ("action", "new-feed")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = crate::helpers::Page::from_html(&response.text().await.unwrap());
    let url = page.text("[data-test-feed-url]");
    assert!(
        url.starts_with(&app.address) && url.ends_with(".ics"),
        "{url}"
    );
    let path = url.trim_start_matches(&app.address).to_owned();

    // Anyone with the address reads it, without signing in.
    let mut stranger = app.visitor();
    let response = stranger.get_raw(&path).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let text = response.text().await.unwrap();
    let calendar: icalendar::Calendar = text.parse().expect("the feed is valid iCalendar");
    let events = calendar.events().collect::<Vec<_>>();
    // Three actions have due dates (one done) and one check-in.
    assert_eq!(events.len(), 4, "{text}");
    let observe = events
        .iter()
        .find(|e| e.get_summary() == Some("Due: Observe three lessons"))
        .expect("the action is an event");
    match observe.get_start() {
        Some(DatePerhapsTime::Date(date)) => assert_eq!(date.to_string(), day(1).to_string()),
        other => panic!("an all-day event, got {other:?}"),
    }
    assert!(
        events
            .iter()
            .any(|e| e.get_summary() == Some("Done: Already finished, due tomorrow"))
    );
    assert!(
        events
            .iter()
            .any(|e| e.get_summary() == Some("Check-in: Raise expectations, together"))
    );
    let uids: std::collections::BTreeSet<_> = events.iter().filter_map(|e| e.get_uid()).collect();
    assert_eq!(uids.len(), 4, "each event has its own stable UID");

    // A wrong token, and the same token after revoking, find nothing.
    assert_eq!(
        stranger.get_raw("/calendar/guess.ics").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        stranger.get_raw(&path.replace(".ics", "")).await.status(),
        StatusCode::NOT_FOUND
    );
    leader
        .post_form(
            "/profile/calendar",
            &[("csrf", &csrf), ("action", "revoke-feed")],
        )
        .await;
    assert_eq!(
        stranger.get_raw(&path).await.status(),
        StatusCode::NOT_FOUND
    );
    // A new address works and the revoked one stays dead.
    let response = leader
        .post_form(
            "/profile/calendar",
            &[("csrf", &csrf), ("action", "new-feed")],
        )
        .await;
    let page = crate::helpers::Page::from_html(&response.text().await.unwrap());
    let fresh = page
        .text("[data-test-feed-url]")
        .trim_start_matches(&app.address)
        .to_owned();
    assert_ne!(fresh, path);
    assert_eq!(stranger.get_raw(&fresh).await.status(), StatusCode::OK);
    assert_eq!(
        stranger.get_raw(&path).await.status(),
        StatusCode::NOT_FOUND
    );
    let bad = leader
        .post_form(
            "/profile/calendar",
            &[("csrf", &csrf), ("action", "explode")],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    app.finish().await;
}

#[tokio::test]
async fn a_reminder_arrives_once_a_day_and_its_unsubscribe_link_works() {
    let Some(smtp) = SmtpSink::start().await else {
        return;
    };
    let app = TestApp::start().await;
    let mut leader = app.leader("Lee Leader", "lee@example.org").await;
    let leader_id = leader.person.unwrap();
    let goal = goal_with_actions(&mut leader).await;
    // Someone with nothing due gets nothing.
    app.leader("Nia Nothing", "nia@example.org").await;

    let state = app_state(&app.store, Some(&smtp.url), &app.files, &app.address).await;
    let first = leadkit_web::reminders::send_due(&state).await.unwrap();
    assert_eq!(first.sent, 1);
    let again = leadkit_web::reminders::send_due(&state).await.unwrap();
    assert_eq!(again.sent, 0, "at most one digest a day");
    let messages = smtp.wait_for(1).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(smtp.messages().len(), 1, "once and not twice");
    let message = &messages[0];
    assert!(message.contains("lee@example.org"));
    assert!(message.contains("Observe three lessons"), "{message}");
    assert!(message.contains(&goal), "links to the goal");
    assert!(
        !message.contains("Write the department plan"),
        "not due within a week"
    );
    assert!(
        !message.contains("Already finished"),
        "done actions are left out"
    );
    assert!(message.contains("List-Unsubscribe:"), "{message}");
    // The link in the body (the header carries it too, in angle brackets).
    let body = &message[message.find("To stop them").unwrap()..];
    let link = link_in(body, &format!("{}/reminders/unsubscribe/", app.address));
    assert!(message.contains(&format!("List-Unsubscribe: <{link}>")));

    // The link works without signing in, and reminders stop.
    let mut stranger = app.visitor();
    let page = stranger.get(link.trim_start_matches(&app.address)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.select("[data-test-unsubscribed]").is_empty());
    assert!(!app.store.email_reminders(leader_id).await.unwrap());
    let due = app
        .store
        .people_with_actions_due(day(0), day(7))
        .await
        .unwrap();
    assert!(!due.contains(&leader_id));
    assert_eq!(
        leader
            .get("/profile/calendar")
            .await
            .attr("[data-test-reminders]", "data-test-reminders")
            .as_deref(),
        Some("off")
    );
    let unknown = stranger.get("/reminders/unsubscribe/not-a-token").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(!unknown.select("[data-test-unknown-link]").is_empty());
    app.finish().await;
}
