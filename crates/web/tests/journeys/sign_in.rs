use leadkit_domain::people::Role;
use reqwest::StatusCode;

use crate::helpers::{PASSWORD, TestApp};

#[tokio::test]
async fn a_leader_signs_in_and_sees_their_name_and_progress() {
    let app = TestApp::start().await;
    let mut amara = app.leader("Amara Okafor", "amara@example.org").await;
    let home = amara.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.text("h1").contains("Amara Okafor"));
    assert!(
        home.text("[data-test-progress]")
            .starts_with("0 of 70 components reflected in "),
        "{}",
        home.text("[data-test-progress]")
    );
}

#[tokio::test]
async fn a_wrong_password_gets_a_plain_message_and_no_session() {
    let app = TestApp::start().await;
    app.person("Amara Okafor", "amara@example.org", &[Role::Leader])
        .await;
    let mut visitor = app.visitor();
    let response = visitor
        .sign_in("amara@example.org", "not the password")
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let body = scraper::Html::parse_document(&response.text().await.unwrap());
    let message: String = body
        .select(&scraper::Selector::parse("[data-test-sign-in-error]").unwrap())
        .flat_map(|e| e.text())
        .collect();
    assert_eq!(
        message,
        "The email address or password is not right. Check them and try again."
    );
    assert!(!visitor.cookies.contains_key("lk_session"));
    assert_eq!(visitor.get("/profile").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn an_unknown_email_gets_exactly_the_same_message_as_a_wrong_password() {
    let app = TestApp::start().await;
    app.person("Amara Okafor", "amara@example.org", &[Role::Leader])
        .await;
    let mut visitor = app.visitor();
    let wrong_password = visitor
        .sign_in("amara@example.org", "nope nope nope")
        .await
        .text()
        .await
        .unwrap();
    let unknown = visitor
        .sign_in("nobody@example.org", PASSWORD)
        .await
        .text()
        .await
        .unwrap();
    let message = |html: &str| {
        let page = scraper::Html::parse_document(html);
        page.select(&scraper::Selector::parse("[data-test-sign-in-error]").unwrap())
            .flat_map(|e| e.text())
            .collect::<String>()
    };
    assert_eq!(message(&wrong_password), message(&unknown));
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_same_site() {
    let app = TestApp::start().await;
    app.person("Amara Okafor", "amara@example.org", &[Role::Leader])
        .await;
    let mut visitor = app.visitor();
    let response = visitor.sign_in("amara@example.org", PASSWORD).await;
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("lk_session="))
        .unwrap();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let app = TestApp::start().await;
    let mut amara = app.leader("Amara Okafor", "amara@example.org").await;
    let stolen_cookie = amara.cookies.get("lk_session").cloned().unwrap();
    let token = amara.csrf().await;
    let response = amara.post_form("/sign-out", &[("csrf", &token)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    // Even a copy of the old cookie no longer works.
    let mut thief = app.visitor();
    thief.cookies.insert("lk_session".into(), stolen_cookie);
    assert_eq!(thief.get("/profile").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn sign_in_never_redirects_to_another_site() {
    let app = TestApp::start().await;
    app.person("Amara Okafor", "amara@example.org", &[Role::Leader])
        .await;
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
                ("email", "amara@example.org"),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(response.headers()["location"], "/");
}

#[tokio::test]
async fn the_first_administrator_uses_the_one_time_link_once() {
    let app = TestApp::start().await;
    let now = leadkit_web::Clock::System.now();
    let token = leadkit_web::pages::setup::first_administrator_token(&app.store, now)
        .await
        .unwrap()
        .unwrap();
    let mut visitor = app.visitor();
    let form = visitor.get(&format!("/setup/{token}")).await;
    assert_eq!(form.status, StatusCode::OK);
    let csrf = form.attr("input[name=csrf]", "value").unwrap();
    // A mismatched password is refused, with the typed name kept.
    let response = visitor
        .post_form(
            &format!("/setup/{token}"),
            &[
                ("csrf", &csrf),
                ("trust_name", "Northern Trust"),
                ("name", "Ada Admin"),
                ("email", "ada@example.org"),
                ("password", "a long enough password"),
                ("password_again", "a different password"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("Ada Admin"));
    let response = visitor
        .post_form(
            &format!("/setup/{token}"),
            &[
                ("csrf", &csrf),
                ("trust_name", "Northern Trust"),
                ("name", "Ada Admin"),
                ("email", "ada@example.org"),
                ("password", "a long enough password"),
                ("password_again", "a long enough password"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(visitor.get("/").await.text("h1").contains("Ada Admin"));
    assert_eq!(
        app.visitor().get(&format!("/setup/{token}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        leadkit_web::pages::setup::first_administrator_token(&app.store, now)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::start().await;
    let mut visitor = app.visitor();
    for path in [
        "/",
        "/sign-in",
        "/frameworks/leadership-toolkit",
        "/no-such-page",
        "/api/frameworks",
    ] {
        let page = visitor.get(path).await;
        let csp = page.headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{path}"
        );
        assert_eq!(page.headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(page.headers["referrer-policy"], "same-origin", "{path}");
    }
}

/// The message and status of one sign-in attempt.
async fn attempt(
    visitor: &mut crate::helpers::Visitor,
    email: &str,
    password: &str,
) -> (StatusCode, String) {
    let response = visitor.sign_in(email, password).await;
    let status = response.status();
    let body = scraper::Html::parse_document(&response.text().await.unwrap());
    let message: String = body
        .select(&scraper::Selector::parse("[data-test-sign-in-error]").unwrap())
        .flat_map(|e| e.text())
        .collect();
    (status, message)
}

#[tokio::test]
async fn repeated_wrong_passwords_pause_sign_in_for_that_address_whether_or_not_it_exists() {
    let app = TestApp::start().await;
    app.person("Amara Okafor", "amara@example.org", &[Role::Leader])
        .await;
    let mut visitor = app.visitor();
    for email in ["amara@example.org", "nobody@example.org"] {
        for _ in 0..5 {
            let (status, _) = attempt(&mut visitor, email, "not the password").await;
            assert_eq!(status, StatusCode::UNAUTHORIZED);
        }
    }
    // Now even the right password is refused for the account from this
    // address, and the refusal for a real account and for a made-up one is the
    // same.
    let real = attempt(&mut visitor, "amara@example.org", PASSWORD).await;
    let made_up = attempt(&mut visitor, "nobody@example.org", PASSWORD).await;
    assert_eq!(real.0, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(real, made_up);
    assert!(real.1.starts_with("Too many attempts to sign in."));
    assert!(!visitor.cookies.contains_key("lk_session"));
    // Another account from the same address is not paused by these ten.
    app.person("Ben Hughes", "ben@example.org", &[Role::Leader])
        .await;
    assert_eq!(
        visitor.sign_in("ben@example.org", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn many_failures_from_one_address_pause_sign_in_from_it_for_every_account() {
    let app = TestApp::start().await;
    app.person("Amara Okafor", "amara@example.org", &[Role::Leader])
        .await;
    let mut visitor = app.visitor();
    for n in 0..leadkit_web::auth::throttle::PER_ADDRESS {
        let (status, _) = attempt(&mut visitor, &format!("guess{n}@example.org"), "x").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, _) = attempt(&mut visitor, "amara@example.org", PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session_of_mine_and_no_one_elses() {
    let app = TestApp::start().await;
    let mut laptop = app.leader("Amara Okafor", "amara@example.org").await;
    let mut phone = app.visitor();
    assert_eq!(
        phone.sign_in("amara@example.org", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    let mut ben = app.leader("Ben Hughes", "ben@example.org").await;
    let csrf = laptop.csrf().await;
    let response = laptop
        .post_form("/sign-out-everywhere", &[("csrf", &csrf)])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(laptop.get("/profile").await.status, StatusCode::SEE_OTHER);
    assert_eq!(phone.get("/profile").await.status, StatusCode::SEE_OTHER);
    assert_eq!(ben.get("/profile").await.status, StatusCode::OK);
    // Without the token it is refused.
    let mut again = app.visitor();
    again.sign_in("amara@example.org", PASSWORD).await;
    let forged = again.post_form("/sign-out-everywhere", &[]).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(again.get("/profile").await.status, StatusCode::OK);
}

/// Failures typed from one address cannot lock the person out from another:
/// the account only slows down there, and the right password signs in.
#[tokio::test]
async fn guesses_from_elsewhere_slow_an_account_down_but_never_lock_out_the_right_password() {
    let app = TestApp::start().await;
    app.person("Amara Okafor", "amara@example.org", &[Role::Leader])
        .await;
    let mut attacker = app.visitor_from(std::net::Ipv4Addr::new(127, 0, 0, 66));
    for _ in 0..leadkit_web::auth::throttle::PER_PAIR {
        let (status, _) = attempt(&mut attacker, "amara@example.org", "guess").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, _) = attempt(&mut attacker, "amara@example.org", PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "the pair is paused");
    // Amara, from her own machine, waits a moment and is in.
    let mut amara = app.visitor();
    let started = std::time::Instant::now();
    assert_eq!(
        amara.sign_in("amara@example.org", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(1),
        "five failures elsewhere slow the account by a second"
    );
    // Her success forgets the account's failures: the next sign-in is quick.
    let started = std::time::Instant::now();
    let mut again = app.visitor();
    assert_eq!(
        again.sign_in("amara@example.org", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
}

/// Attempts arriving together cannot pass the address limit: each is checked
/// and recorded in one step before its password is looked at.
#[tokio::test]
async fn concurrent_guesses_from_one_address_stop_exactly_at_its_limit() {
    let app = TestApp::start().await;
    let limit = leadkit_web::auth::throttle::PER_ADDRESS;
    let extra = 20;
    // Each guess gets its form first; then all are sent at once.
    let mut ready = Vec::new();
    for n in 0..limit + extra {
        let mut visitor = app.visitor_from(std::net::Ipv4Addr::new(127, 0, 0, 77));
        let page = visitor.get("/sign-in").await;
        let token = page
            .attr("form[data-test-sign-in-form] input[name=csrf]", "value")
            .unwrap();
        ready.push((visitor, token, format!("guess{n}@example.org")));
    }
    let tasks: Vec<_> = ready
        .into_iter()
        .map(|(mut visitor, token, email)| {
            tokio::spawn(async move {
                visitor
                    .post_form(
                        "/sign-in",
                        &[("csrf", &token), ("email", &email), ("password", "x")],
                    )
                    .await
                    .status()
            })
        })
        .collect();
    let mut refused = 0;
    let mut checked = 0;
    for task in tasks {
        match task.await.unwrap() {
            StatusCode::TOO_MANY_REQUESTS => refused += 1,
            // Wrong, or turned away while the password checks were full
            // (which counts as a failure too).
            StatusCode::UNAUTHORIZED | StatusCode::SERVICE_UNAVAILABLE => checked += 1,
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!((checked, refused), (limit, extra));
}

/// A database too busy to answer in time is a 503 with Retry-After and the
/// form again with the email as typed, never a 500.
#[tokio::test]
async fn a_locked_database_turns_sign_in_away_politely() {
    use sqlx::Connection;
    let app = TestApp::start().await;
    let Some(file) = app.sqlite_file() else {
        return; // PostgreSQL does not lock the whole database.
    };
    let mut holder = sqlx::SqliteConnection::connect(&format!("sqlite://{}", file.display()))
        .await
        .unwrap();
    sqlx::query("begin immediate")
        .execute(&mut holder)
        .await
        .unwrap();
    let mut visitor = app.visitor();
    let response = visitor.sign_in("amara@example.org", "whatever").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(response.headers().contains_key("retry-after"));
    let body = response.text().await.unwrap();
    assert!(body.contains("busy just now"), "{body}");
    assert!(body.contains("amara@example.org"), "the email stays");
    sqlx::query("rollback").execute(&mut holder).await.unwrap();
}

/// Sessions end after the trust's idle limit (an hour unless it chooses
/// otherwise); an administrator sets the limits, and a wrong number is shown
/// beside its field with nothing changed.
#[tokio::test]
async fn sessions_end_after_the_trusts_idle_limit_which_an_administrator_sets() {
    let app = TestApp::start().await;
    let admin_id = app
        .person("Ada Admin", "admin@example.org", &[Role::Administrator])
        .await;
    let mut admin = app.signed_in(admin_id, "admin@example.org").await;
    let page = admin.get("/admin/sessions").await;
    assert_eq!(page.attr("[data-test-idle]", "value").unwrap(), "60");
    assert_eq!(page.attr("[data-test-absolute]", "value").unwrap(), "12");

    // Idle for 61 minutes: signed out.
    let mut amara = app.leader("Amara Okafor", "amara@example.org").await;
    let idle_for =
        |minutes: i64| leadkit_web::Clock::System.now() - time::Duration::minutes(minutes);
    let hash = |visitor: &crate::helpers::Visitor| {
        leadkit_web::auth::token::hash_token(&visitor.cookies["lk_session"])
    };
    app.store
        .touch_session(&hash(&amara), idle_for(61))
        .await
        .unwrap();
    assert_eq!(amara.get("/profile").await.status, StatusCode::SEE_OTHER);

    // A wrong number changes nothing and says why, beside the field.
    let csrf = admin.csrf().await;
    let refused = admin
        .post_form(
            "/admin/sessions",
            &[
                ("csrf", &csrf),
                ("idle_minutes", "2"),
                ("absolute_hours", "12"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = refused.text().await.unwrap();
    assert!(
        body.contains("Give a number of minutes from 5 to 480"),
        "{body}"
    );
    assert!(body.contains("value=\"2\""), "what was typed stays");
    assert_eq!(
        app.store
            .session_limits(app.trust)
            .await
            .unwrap()
            .idle_minutes,
        60
    );

    // Two hours idle allowed: 61 minutes no longer signs anyone out.
    let csrf = admin.csrf().await;
    let saved = admin
        .post_form(
            "/admin/sessions",
            &[
                ("csrf", &csrf),
                ("idle_minutes", "120"),
                ("absolute_hours", "12"),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let mut ben = app.leader("Ben Hughes", "ben@example.org").await;
    app.store
        .touch_session(&hash(&ben), idle_for(61))
        .await
        .unwrap();
    assert_eq!(ben.get("/profile").await.status, StatusCode::OK);
    let log = app.store.audit_log(app.trust, 1).await.unwrap();
    assert!(log[0].detail.contains("120 minutes"), "{}", log[0].detail);
}
