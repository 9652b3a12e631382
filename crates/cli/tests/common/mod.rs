//! Shared by the CLI's integration tests: the real `leadkit` binary, started on a
//! free loopback port, and a minimal cookie-keeping browser.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

pub struct Server {
    pub child: Child,
    pub base: String,
    pub password: String,
    /// The example people the demo prints: (email, what they are).
    pub examples: Vec<(String, String)>,
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
pub fn start(data: &std::path::Path) -> Server {
    start_on(data, None)
}

/// The same on a PostgreSQL database when `database_url` is given.
#[allow(
    clippy::zombie_processes,
    reason = "Server's Drop kills and waits for the child"
)]
pub fn start_on(data: &std::path::Path, database_url: Option<&str>) -> Server {
    let mut command = Command::new(env!("CARGO_BIN_EXE_leadkit"));
    command
        .args(["serve", "--demo", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data)
        .env_remove("LEADKIT_DATABASE_URL");
    if let Some(url) = database_url {
        command.args(["--database-url", url]);
    }
    let mut child = command
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
    let mut examples = Vec::new();
    loop {
        let line = received
            .recv_timeout(Duration::from_secs(60))
            .expect("the server prints its address within a minute");
        if let Some((_, rest)) = line.split_once("each with the password") {
            password = Some(rest.split_whitespace().next().unwrap().to_owned());
        }
        if let Some(example) = line.strip_prefix("    ")
            && let Some((email, who)) = example.split_once(' ')
            && email.contains('@')
        {
            examples.push((email.to_owned(), who.trim().to_owned()));
        }
        if let Some(url) = line.strip_prefix("leadkit is listening on ") {
            return Server {
                child,
                base: url.trim().to_owned(),
                password: password.expect("demo password printed before listening"),
                examples,
            };
        }
    }
}

pub struct Browser {
    pub http: reqwest::Client,
    pub base: String,
    pub cookies: HashMap<String, String>,
}

impl Browser {
    pub fn new(base: &str) -> Browser {
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

    pub fn cookie_header(&self) -> String {
        let pairs: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        pairs.join("; ")
    }

    pub fn keep(&mut self, response: &reqwest::Response) {
        for value in response.headers().get_all("set-cookie") {
            let pair = value.to_str().unwrap().split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            self.cookies.insert(name.to_owned(), value.to_owned());
        }
    }

    pub async fn get_text(&mut self, path: &str) -> String {
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
    pub async fn sign_in(&mut self, email: &str, password: &str) -> String {
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

pub fn attribute_after(html: &str, marker: &str) -> String {
    let start = html.find(marker).expect("token on the page") + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}
