//! What an acknowledged save survives: the real `leadkit` binary is killed with
//! SIGKILL in the middle of a stream of saves, restarted on the same data folder,
//! and every save it had acknowledged must still be there.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

struct Server {
    child: Child,
    base: String,
    password: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `leadkit serve --demo` on a free loopback port and reads what it prints.
#[allow(
    clippy::zombie_processes,
    reason = "Server's Drop kills and waits for the child"
)]
fn start(data: &std::path::Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_leadkit"))
        .args(["serve", "--demo", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data)
        .env_remove("LEADKIT_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (lines, received) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let mut password = None;
    loop {
        let line = received
            .recv_timeout(Duration::from_secs(60))
            .expect("the server prints its address within a minute");
        if let Some((_, rest)) = line.split_once("each with the password") {
            password = Some(rest.split_whitespace().next().unwrap().to_owned());
        }
        if let Some(url) = line.strip_prefix("leadkit is listening on ") {
            return Server {
                child,
                base: url.trim().to_owned(),
                password: password.expect("demo password printed before listening"),
            };
        }
    }
}

struct Browser {
    http: reqwest::Client,
    base: String,
    cookies: HashMap<String, String>,
}

impl Browser {
    fn new(base: &str) -> Browser {
        Browser {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(10))
                .build()
                .unwrap(),
            base: base.to_owned(),
            cookies: HashMap::new(),
        }
    }

    fn cookie_header(&self) -> String {
        let pairs: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        pairs.join("; ")
    }

    fn keep(&mut self, response: &reqwest::Response) {
        for value in response.headers().get_all("set-cookie") {
            let pair = value.to_str().unwrap().split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            self.cookies.insert(name.to_owned(), value.to_owned());
        }
    }

    async fn get_text(&mut self, path: &str) -> String {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .send()
            .await
            .unwrap();
        self.keep(&response);
        response.text().await.unwrap()
    }

    /// Signs in through the form and returns the session's anti-forgery token.
    async fn sign_in(&mut self, email: &str, password: &str) -> String {
        let page = self.get_text("/sign-in").await;
        let token = attribute_after(&page, "name=\"csrf\" value=\"");
        let form = format!(
            "csrf={token}&email={}&password={password}&next=%2F",
            email.replace('@', "%40")
        );
        let response = self
            .http
            .post(format!("{}/sign-in", self.base))
            .header("cookie", self.cookie_header())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303, "demo sign-in works");
        self.keep(&response);
        let page = self.get_text("/frameworks").await;
        attribute_after(&page, "name=\"csrf-token\" content=\"")
    }
}

fn attribute_after(html: &str, marker: &str) -> String {
    let start = html.find(marker).expect("token on the page") + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

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
