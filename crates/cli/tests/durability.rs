//! What an acknowledged save survives: the real `leadkit` binary is killed with
//! SIGKILL in the middle of a stream of saves, restarted on the same data folder,
//! and every save it had acknowledged must still be there.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::time::Duration;

mod common;

use common::{Browser, start};

const ITEMS: [&str; 6] = ["1a-i", "1a-ii", "2a-iv", "3b-iv", "4c-i", "4e-ii"];
const PERSON: &str = "quinn.green@oakwood.example";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_saves_survive_a_kill() {
    let data = tempfile::tempdir().unwrap();
    let mut server = start(data.path());
    let mut browser = Browser::new(&server.base);
    let csrf = browser.sign_in(PERSON, &server.password).await;
    let cookie = browser.cookie_header();

    // Save continuously; the main task kills the server while saves are in flight.
    let http = browser.http.clone();
    let base = server.base.clone();
    let saver = tokio::spawn(async move {
        let mut acknowledged: HashMap<&str, u32> = HashMap::new();
        for n in 0..100_000u32 {
            let item = ITEMS[n as usize % ITEMS.len()];
            let result = http
                .put(format!(
                    "{base}/api/me/reflections/leadership-toolkit/{item}"
                ))
                .header("cookie", &cookie)
                .header("x-csrf-token", &csrf)
                .json(&serde_json::json!({ "judgement": "high", "note": format!("save {n}") }))
                .send()
                .await;
            match result {
                Ok(response) if response.status() == 200 => {
                    acknowledged.insert(item, n);
                }
                Ok(response) => panic!("save refused: {}", response.status()),
                Err(_) => break, // the server is gone
            }
        }
        acknowledged
    });
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.child.kill().unwrap(); // SIGKILL: no graceful shutdown, no checkpoint
    server.child.wait().unwrap();
    let acknowledged = saver.await.unwrap();
    assert!(
        acknowledged.len() == ITEMS.len(),
        "the server acknowledged saves for every item before the kill: {acknowledged:?}"
    );

    let mut server = start(data.path());
    let mut browser = Browser::new(&server.base);
    browser.sign_in(PERSON, &server.password).await;
    let body = browser
        .get_text("/api/me/reflections/leadership-toolkit")
        .await;
    let stored: serde_json::Value = serde_json::from_str(&body).unwrap();
    for (item, last_acknowledged) in &acknowledged {
        let code = item.replace('-', " ");
        let reflection = stored["reflections"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["item"] == code.as_str())
            .unwrap_or_else(|| panic!("{item} lost after the kill: {body}"));
        let note = reflection["note"].as_str().unwrap();
        let saved: u32 = note.trim_start_matches("save ").parse().unwrap();
        // A save in flight at the kill may or may not have landed; an acknowledged one must.
        assert!(
            saved >= *last_acknowledged,
            "{item}: save {last_acknowledged} was acknowledged but the database holds {note:?}"
        );
    }
    server.child.kill().unwrap();
    server.child.wait().unwrap();
}
