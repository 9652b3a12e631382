//! Sessions live in the database: two real `leadkit serve` processes on one
//! PostgreSQL database, as behind a load balancer. Sign in through one, act
//! through the other; sign out through either ends it for both; "sign out
//! everywhere" ends every session of the person in every process.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

mod common;

use common::{Browser, start_on};

const PERSON: &str = "ben.khan@oakwood.example";

async fn profile_status(browser: &mut Browser, base: &str) -> u16 {
    let saved = std::mem::replace(&mut browser.base, base.to_owned());
    let response = browser
        .http
        .get(format!("{base}/profile"))
        .header("cookie", browser.cookie_header())
        .send()
        .await
        .unwrap();
    browser.base = saved;
    response.status().as_u16()
}

async fn post(browser: &Browser, base: &str, path: &str, csrf: &str) -> u16 {
    browser
        .http
        .post(format!("{base}{path}"))
        .header("cookie", browser.cookie_header())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf={csrf}"))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_made_by_one_process_works_in_another() {
    let Some(server) = leadkit_store::testing::postgres_url() else {
        assert!(
            std::env::var("CI").is_err(),
            "CI is set but LEADKIT_TEST_PG_URL is not"
        );
        println!("skipped: no PostgreSQL URL");
        return;
    };
    let url = leadkit_store::testing::create_postgres_database(&server)
        .await
        .unwrap();
    let data = tempfile::tempdir().unwrap();
    let first = start_on(&data.path().join("a"), Some(&url));
    // Each start gives the demo people a new password: use the newest.
    let second = start_on(&data.path().join("b"), Some(&url));
    let (a, b) = (first.base.clone(), second.base.clone());

    let mut browser = Browser::new(&a);
    let csrf = browser.sign_in(PERSON, &second.password).await;
    assert_eq!(profile_status(&mut browser, &a).await, 200);
    assert_eq!(
        profile_status(&mut browser, &b).await,
        200,
        "the other process knows the session"
    );

    // Signing out through B ends the session made through A.
    assert_eq!(post(&browser, &b, "/sign-out", &csrf).await, 303);
    assert_eq!(profile_status(&mut browser, &a).await, 303);

    // Two sessions, one through each process; "sign out everywhere" through A ends both.
    let mut laptop = Browser::new(&a);
    let laptop_csrf = laptop.sign_in(PERSON, &second.password).await;
    let mut phone = Browser::new(&b);
    phone.sign_in(PERSON, &second.password).await;
    assert_eq!(profile_status(&mut phone, &a).await, 200);
    assert_eq!(
        post(&laptop, &a, "/sign-out-everywhere", &laptop_csrf).await,
        303
    );
    for base in [&a, &b] {
        assert_eq!(profile_status(&mut laptop, base).await, 303);
        assert_eq!(profile_status(&mut phone, base).await, 303);
    }

    drop(first);
    drop(second);
    leadkit_store::testing::drop_postgres_database(&server, &url)
        .await
        .unwrap();
    println!("shared sessions ran on PostgreSQL");
}
