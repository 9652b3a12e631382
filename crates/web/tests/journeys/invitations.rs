//! Invitations and password resets by email, sent through a real SMTP server on
//! loopback and read from its mailbox.

use leadkit_domain::people::{Email, PersonName, Role, RoleGrant};
use leadkit_store::people::NewPerson;
use reqwest::StatusCode;

use crate::helpers::{PASSWORD, TestApp, Visitor};
use crate::smtp::{SmtpSink, link_in};

async fn without_password(
    app: &TestApp,
    name: &str,
    email: &str,
) -> leadkit_domain::people::PersonId {
    app.store
        .create_person(
            &NewPerson {
                trust: app.trust,
                school: None,
                name: PersonName::parse(name).unwrap(),
                email: Email::parse(email).unwrap(),
                job_title: "Head of English".into(),
                roles: vec![RoleGrant {
                    role: Role::Leader,
                    school: None,
                }],
                password_hash: None,
            },
            leadkit_web::Clock::System.now(),
        )
        .await
        .unwrap()
}

/// Follows a one-time link and chooses `password` there.
async fn choose(visitor: &mut Visitor, link: &str, password: &str, again: &str) -> StatusCode {
    let path = link.trim_start_matches(&visitor.base).to_owned();
    let page = visitor.get(&path).await;
    assert_eq!(page.status, StatusCode::OK, "{path}");
    let token = page.attr("form input[name=csrf]", "value").unwrap();
    visitor
        .post_form(
            &path,
            &[
                ("csrf", &token),
                ("password", password),
                ("password_again", again),
            ],
        )
        .await
        .status()
}

#[tokio::test]
async fn an_invited_person_chooses_a_password_once_and_is_signed_in() {
    let Some(smtp) = SmtpSink::start().await else {
        return;
    };
    let mut app = TestApp::start().await;
    app.send_mail_to(&smtp.url).await;
    let admin_id = app
        .person("Ada Admin", "admin@example.org", &[Role::Administrator])
        .await;
    let mut admin = app.signed_in(admin_id, "admin@example.org").await;
    let ben = without_password(&app, "Ben Khan", "ben@example.org").await;

    let csrf = admin.csrf().await;
    let response = admin
        .post_form(
            &format!("/admin/people/{}/invite", ben.0),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("An invitation has gone to ben@example.org")
    );
    let messages = smtp.wait_for(1).await;
    assert!(
        messages[0].contains("To: \"Ben Khan\" <ben@example.org>"),
        "{}",
        messages[0]
    );
    assert!(messages[0].contains("Subject: You are invited to leadkit"));
    let link = link_in(&messages[0], &format!("{}/welcome/", app.address));

    let mut ben_browser = app.visitor();
    assert_eq!(
        choose(
            &mut ben_browser,
            &link,
            "a long enough password",
            "a different one!"
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        choose(
            &mut ben_browser,
            &link,
            "a long enough password",
            "a long enough password"
        )
        .await,
        StatusCode::SEE_OTHER
    );
    let home = ben_browser.get("/").await;
    assert!(home.text("h1").contains("Ben Khan"));
    // The link worked once.
    let path = link.trim_start_matches(&app.address).to_owned();
    let again = app.visitor().get(&path).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert!(
        again
            .text("main")
            .contains("expired or has already been used")
    );
    // And the new password signs in.
    assert_eq!(
        app.visitor()
            .sign_in("ben@example.org", "a long enough password")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let log = app.store.audit_log(app.trust, 5).await.unwrap();
    assert!(
        log.iter()
            .any(|e| e.action.as_str() == "invited" && e.subject == Some(ben))
    );
    // A made-up link is refused the same way.
    assert_eq!(
        app.visitor().get("/welcome/0123abcd").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn a_password_reset_says_the_same_for_anyone_and_mails_only_real_accounts() {
    let Some(smtp) = SmtpSink::start().await else {
        return;
    };
    let mut app = TestApp::start().await;
    app.send_mail_to(&smtp.url).await;
    let mut amara = app.leader("Amara Okafor", "amara@example.org").await;

    let asking = |email: &'static str| {
        let mut visitor = app.visitor();
        async move {
            let page = visitor.get("/password-reset").await;
            let token = page.attr("form input[name=csrf]", "value").unwrap();
            let response = visitor
                .post_form("/password-reset", &[("csrf", &token), ("email", email)])
                .await;
            let status = response.status();
            let page = scraper::Html::parse_document(&response.text().await.unwrap());
            let said: String = page
                .select(&scraper::Selector::parse("[data-test-reset-sent]").unwrap())
                .flat_map(|e| e.text())
                .collect();
            (status, said)
        }
    };
    let real = asking("amara@example.org").await;
    let made_up = asking("nobody@example.org").await;
    assert_eq!(real, made_up);
    assert_eq!(real.0, StatusCode::OK);
    let messages = smtp.wait_for(1).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(smtp.messages().len(), 1, "only the real account gets mail");
    assert!(messages[0].contains("amara@example.org"));
    let link = link_in(&messages[0], &format!("{}/password-reset/", app.address));

    let mut browser = app.visitor();
    assert_eq!(
        choose(
            &mut browser,
            &link,
            "my brand new password",
            "my brand new password"
        )
        .await,
        StatusCode::SEE_OTHER
    );
    // Every other session ended; the old password no longer works.
    assert_eq!(amara.get("/profile").await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.visitor()
            .sign_in("amara@example.org", PASSWORD)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.visitor()
            .sign_in("amara@example.org", "my brand new password")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn without_email_the_administrator_is_given_the_link_and_a_dead_server_is_reported() {
    let mut app = TestApp::start().await;
    let admin_id = app
        .person("Ada Admin", "admin@example.org", &[Role::Administrator])
        .await;
    let mut admin = app.signed_in(admin_id, "admin@example.org").await;
    let ben = without_password(&app, "Ben Khan", "ben@example.org").await;
    let csrf = admin.csrf().await;
    let response = admin
        .post_form(
            &format!("/admin/people/{}/invite", ben.0),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = scraper::Html::parse_document(&response.text().await.unwrap());
    let link: String = page
        .select(&scraper::Selector::parse("[data-test-link]").unwrap())
        .flat_map(|e| e.text())
        .collect();
    assert!(
        link.starts_with(&format!("{}/welcome/", app.address)),
        "{link}"
    );
    let mut ben_browser = app.visitor();
    assert_eq!(
        choose(
            &mut ben_browser,
            &link,
            "a long enough password",
            "a long enough password"
        )
        .await,
        StatusCode::SEE_OTHER
    );

    // An SMTP server that is not there: a clear message, no audit entry.
    let closed = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    app.send_mail_to(&format!("smtp://127.0.0.1:{closed}"))
        .await;
    let mut admin = app.signed_in(admin_id, "admin@example.org").await;
    let before = app.store.audit_log(app.trust, 50).await.unwrap().len();
    let csrf = admin.csrf().await;
    let response = admin
        .post_form(
            &format!("/admin/people/{}/invite", ben.0),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    assert!(response.text().await.unwrap().contains("could not be sent"));
    assert_eq!(
        app.store.audit_log(app.trust, 50).await.unwrap().len(),
        before
    );
}
