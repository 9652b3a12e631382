//! A flood of wrong sign-ins against the real server: 300 attempts, 50 at a
//! time, from 20 loopback addresses (each under the per-address limit). Password
//! checks are bounded (at most one per core, then "busy" with Retry-After), so the
//! server's peak memory stays near where it started and a signed-in colleague's
//! pages keep coming. Prints the figures; fails if the peak grows by more than
//! 300 MB (unbounded, the same flood grew it by gigabytes).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

mod common;

use std::time::{Duration, Instant};

use common::{Browser, attribute_after, start};

/// A line of /proc/PID/status in kB.
fn status_kb(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap()
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

async fn page_times(colleague: &Browser, n: usize) -> Vec<Duration> {
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let started = Instant::now();
        let response = colleague
            .http
            .get(format!("{}/profile", colleague.base))
            .header("cookie", colleague.cookie_header())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        response.bytes().await.unwrap();
        times.push(started.elapsed());
    }
    times
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_wrong_sign_ins_leaves_memory_bounded_and_pages_served() {
    let data = tempfile::tempdir().unwrap();
    let server = start(data.path());
    let pid = server.child.id();
    let (email, _) = server.examples[0].clone();
    let mut colleague = Browser::new(&server.base);
    colleague.sign_in(&email, &server.password).await;
    let quiet = median(page_times(&colleague, 20).await);
    let before = status_kb(pid, "VmRSS:");

    // Each guess gets its form (and pre-session cookie) first.
    let mut guesses = Vec::new();
    for n in 0..300_u32 {
        let address = std::net::Ipv4Addr::new(127, 0, 1, 10 + u8::try_from(n % 20).unwrap());
        let mut browser = Browser::new(&server.base);
        browser.http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .local_address(std::net::IpAddr::V4(address))
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        let page = browser.get_text("/sign-in").await;
        let token = attribute_after(&page, "name=\"csrf\" value=\"");
        guesses.push((browser, token, format!("guess{n}%40example.org")));
    }
    let gate = std::sync::Arc::new(tokio::sync::Semaphore::new(50));
    let flood: Vec<_> = guesses
        .into_iter()
        .map(|(browser, token, email)| {
            let gate = gate.clone();
            tokio::spawn(async move {
                let _turn = gate.acquire().await.unwrap();
                browser
                    .http
                    .post(format!("{}/sign-in", browser.base))
                    .header("cookie", browser.cookie_header())
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(format!("csrf={token}&email={email}&password=wrong-guess"))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            })
        })
        .collect();
    let during = page_times(&colleague, 40).await;
    let mut statuses = std::collections::BTreeMap::new();
    for guess in flood {
        *statuses.entry(guess.await.unwrap()).or_insert(0) += 1;
    }
    let peak = status_kb(pid, "VmHWM:");
    let after = status_kb(pid, "VmRSS:");
    let worst = during.iter().max().copied().unwrap();
    println!(
        "flood of 300 wrong sign-ins, 50 at a time: answers {statuses:?}; \
         RSS {} MB before, peak {} MB, {} MB after; colleague's /profile median {:?} quiet, \
         {:?} during (worst {:?})",
        before / 1024,
        peak / 1024,
        after / 1024,
        quiet,
        median(during),
        worst
    );
    assert!(
        statuses.keys().all(|status| [401, 503].contains(status)),
        "only wrong-password and busy answers: {statuses:?}"
    );
    assert!(
        peak < before + 300 * 1024,
        "peak memory grew from {before} kB to {peak} kB"
    );
}
