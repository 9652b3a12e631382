//! The test harness: a real server on a loopback port with a fresh database, and
//! people who use it through HTTP like a browser would (cookies, forms, tokens).

use std::collections::HashMap;
use std::sync::Arc;

use leadkit_domain::cycle::school_year_containing;
use leadkit_domain::people::{Email, PersonId, PersonName, Role, RoleGrant, TrustId};
use leadkit_store::Store;
use leadkit_store::people::NewPerson;
use leadkit_web::{AppState, Catalog, Clock, WebConfig};
use reqwest::StatusCode;
use scraper::{Html, Selector};
use time::OffsetDateTime;

pub const PASSWORD: &str = "correct horse battery staple";

pub struct TestApp {
    pub address: String,
    pub store: Store,
    pub trust: TrustId,
    /// The evidence folder.
    pub files: leadkit_store::files::FileStore,
    dir: tempfile::TempDir,
    /// The server and database URLs of a throw-away PostgreSQL database.
    postgres: Option<(String, String)>,
    /// The SMTP server the app sends through, once [`TestApp::send_mail_to`] set one.
    smtp: Option<String>,
}

/// One part of a multipart form.
pub enum Part<'a> {
    Text(&'a str, &'a str),
    /// Field name, file name, bytes.
    File(&'a str, &'a str, &'a [u8]),
}

/// A person at a browser: their cookies and the last anti-forgery token seen.
pub struct Visitor {
    pub base: String,
    pub http: reqwest::Client,
    pub cookies: HashMap<String, String>,
    pub person: Option<PersonId>,
}

pub struct Page {
    pub status: StatusCode,
    pub html: Html,
    pub headers: reqwest::header::HeaderMap,
}

impl Page {
    /// A page from a body already read (say, a form's response).
    pub fn from_html(body: &str) -> Page {
        Page {
            status: StatusCode::OK,
            html: Html::parse_document(body),
            headers: Default::default(),
        }
    }

    pub fn select(&self, selector: &str) -> Vec<scraper::ElementRef<'_>> {
        let selector = Selector::parse(selector).unwrap();
        self.html.select(&selector).collect()
    }

    pub fn text(&self, selector: &str) -> String {
        self.select(selector)
            .iter()
            .map(|e| e.text().collect::<String>())
            .collect::<Vec<_>>()
            .join(" ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn attr(&self, selector: &str, name: &str) -> Option<String> {
        self.select(selector)
            .first()
            .and_then(|e| e.value().attr(name))
            .map(str::to_owned)
    }
}

/// The evidence upload limit in journeys: 1 MB.
pub const UPLOAD_LIMIT: u64 = 1024 * 1024;

fn now() -> OffsetDateTime {
    Clock::System.now()
}

impl TestApp {
    /// A server with the Toolkit loaded, one trust with an open cycle, and nobody in it.
    ///
    /// On SQLite, or on PostgreSQL when `LEADKIT_JOURNEYS_ON_POSTGRES=1` and
    /// `LEADKIT_TEST_PG_URL` are set (`.ci/run` runs every journey both ways).
    pub async fn start() -> TestApp {
        TestApp::start_with(&[]).await
    }

    /// A server with the Toolkit and these frameworks published.
    pub async fn start_with(frameworks: &[leadkit_domain::framework::Framework]) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let on_postgres = std::env::var("LEADKIT_JOURNEYS_ON_POSTGRES").is_ok_and(|v| v == "1");
        let (store, postgres) = match leadkit_store::testing::postgres_url() {
            Some(server) if on_postgres => {
                let url = leadkit_store::testing::create_postgres_database(&server)
                    .await
                    .unwrap();
                (Store::connect(&url).await.unwrap(), Some((server, url)))
            }
            _ => {
                assert!(
                    !on_postgres,
                    "LEADKIT_JOURNEYS_ON_POSTGRES needs LEADKIT_TEST_PG_URL"
                );
                let store = Store::open_sqlite(&dir.path().join("test.db"))
                    .await
                    .unwrap();
                (store, None)
            }
        };
        store.migrate(now()).await.unwrap();
        for framework in frameworks {
            store.publish_framework(framework, now()).await.unwrap();
        }
        let mut app = TestApp::start_on(store, dir).await;
        app.postgres = postgres;
        app
    }

    pub async fn start_on(store: Store, dir: tempfile::TempDir) -> TestApp {
        // Warnings and errors (such as the cause of a 500) go to the failing
        // test's output, so a failure in CI says why.
        let _ = tracing_subscriber::fmt()
            .with_env_filter("warn")
            .with_test_writer()
            .try_init();
        // As `leadkit serve` runs it: every journey also checks the read cache.
        let store = store.with_read_cache();
        store.migrate(now()).await.unwrap();
        store
            .publish_framework(&leadkit_content::toolkit().unwrap(), now())
            .await
            .unwrap();
        let trust = store.create_trust("Test Trust", now()).await.unwrap();
        let (name, start, end) = school_year_containing(now().date());
        store.ensure_cycle(trust, &name, start, end).await.unwrap();
        // A small upload limit, so that the limit is easy to test.
        let files = leadkit_store::files::FileStore::new(dir.path().join("evidence"), UPLOAD_LIMIT);
        let address = serve(&store, None, &files).await;
        TestApp {
            address,
            store,
            trust,
            files,
            dir,
            postgres: None,
            smtp: None,
        }
    }

    /// The same on a fresh PostgreSQL database, when `LEADKIT_TEST_PG_URL` names a
    /// server; `None` (after saying so) when it does not.
    #[allow(clippy::print_stdout)] // the skip must show in the test output
    pub async fn start_postgres() -> Option<TestApp> {
        let Some(server) = leadkit_store::testing::postgres_url() else {
            println!("skipped: no PostgreSQL URL");
            return None;
        };
        let url = leadkit_store::testing::create_postgres_database(&server)
            .await
            .unwrap();
        let store = Store::connect(&url).await.unwrap();
        let mut app = TestApp::start_on(store, tempfile::tempdir().unwrap()).await;
        app.postgres = Some((server, url));
        Some(app)
    }

    /// Drops a PostgreSQL test database now (dropping the app does it too).
    pub async fn finish(mut self) {
        if let Some((server, url)) = self.postgres.take() {
            self.store.close().await;
            leadkit_store::testing::drop_postgres_database(&server, &url)
                .await
                .unwrap();
        }
    }

    /// Serves the same database again, now sending mail through `smtp_url`.
    pub async fn send_mail_to(&mut self, smtp_url: &str) {
        self.smtp = Some(smtp_url.to_owned());
        self.address = serve(&self.store, self.smtp.as_deref(), &self.files).await;
    }

    /// Serves the same database again, as after a restart, so that frameworks
    /// published since are loaded; visitors keep their sessions.
    pub async fn restart(&mut self) {
        self.address = serve(&self.store, self.smtp.as_deref(), &self.files).await;
    }
}

/// The state a server at `address` runs with, as `leadkit serve` builds it.
pub async fn app_state(
    store: &Store,
    smtp: Option<&str>,
    files: &leadkit_store::files::FileStore,
    address: &str,
) -> AppState {
    let mailer = match smtp {
        Some(url) => leadkit_web::mail::Mailer::smtp(url, "leadkit <leadkit@example.org>").unwrap(),
        None => leadkit_web::mail::Mailer::Off,
    };
    AppState {
        store: store.clone(),
        catalog: Arc::new(Catalog::new(
            store.frameworks().await.unwrap(),
            leadkit_content::alignments().unwrap(),
        )),
        clock: Clock::System,
        config: Arc::new(WebConfig {
            secure_cookies: false,
            primary_framework: leadkit_content::primary_key().unwrap(),
            public_url: address.to_owned(),
            client_ip_header: None,
            presession_key: store
                .server_secret("presession", &leadkit_web::auth::token::random_token())
                .await
                .unwrap(),
        }),
        pages: Default::default(),
        mailer: std::sync::Arc::new(mailer),
        files: files.clone(),
    }
}

/// Starts a server on `store` and returns its address.
async fn serve(
    store: &Store,
    smtp: Option<&str>,
    files: &leadkit_store::files::FileStore,
) -> String {
    {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        let state = app_state(store, smtp, files, &address).await;
        tokio::spawn(async move {
            axum::serve(
                listener,
                leadkit_web::app(state)
                    .into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .await
            .unwrap();
        });
        address
    }
}

impl Drop for TestApp {
    /// A PostgreSQL test database goes with its app (`with (force)` ends the
    /// server task's connections); on its own thread, as drop cannot await.
    fn drop(&mut self) {
        if let Some((server, url)) = self.postgres.take() {
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                let _ = runtime.block_on(leadkit_store::testing::drop_postgres_database(
                    &server, &url,
                ));
            })
            .join();
        }
    }
}

impl TestApp {
    /// A person with a password and these roles, in this trust's first school or none.
    pub async fn person(&self, name: &str, email: &str, roles: &[Role]) -> PersonId {
        self.person_in(self.trust, None, name, email, roles).await
    }

    /// A person with a password and these roles, in any trust and school.
    pub async fn person_in(
        &self,
        trust: TrustId,
        school: Option<leadkit_domain::people::SchoolId>,
        name: &str,
        email: &str,
        roles: &[Role],
    ) -> PersonId {
        static HASH: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
        let hash = HASH
            .get_or_init(|| async {
                leadkit_web::auth::password::hash(PASSWORD.into())
                    .await
                    .unwrap()
            })
            .await;
        let person = NewPerson {
            trust,
            school,
            name: PersonName::parse(name).unwrap(),
            email: Email::parse(email).unwrap(),
            job_title: "Deputy Headteacher".into(),
            roles: roles
                .iter()
                .map(|&role| RoleGrant {
                    role,
                    school: match role {
                        Role::Leader | Role::Coach | Role::SchoolLead => school,
                        Role::TrustLead | Role::Administrator => None,
                    },
                })
                .collect(),
            password_hash: Some(hash.clone()),
        };
        self.store.create_person(&person, now()).await.unwrap()
    }

    pub fn visitor(&self) -> Visitor {
        self.visitor_from(std::net::Ipv4Addr::LOCALHOST)
    }

    /// Someone signed out, connecting from another loopback address (any of
    /// 127.0.0.0/8), as a second machine would.
    pub fn visitor_from(&self, address: std::net::Ipv4Addr) -> Visitor {
        Visitor {
            base: self.address.clone(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .local_address(std::net::IpAddr::V4(address))
                .build()
                .unwrap(),
            cookies: HashMap::new(),
            person: None,
        }
    }

    /// The SQLite database file, when the journey runs on SQLite.
    pub fn sqlite_file(&self) -> Option<std::path::PathBuf> {
        self.postgres
            .is_none()
            .then(|| self.dir.path().join("test.db"))
    }

    /// Someone already signed in.
    pub async fn signed_in(&self, id: PersonId, email: &str) -> Visitor {
        let mut visitor = self.visitor();
        let response = visitor.sign_in(email, PASSWORD).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "sign-in failed");
        visitor.person = Some(id);
        visitor
    }

    /// A leader, already signed in.
    pub async fn leader(&self, name: &str, email: &str) -> Visitor {
        let id = self.person(name, email, &[Role::Leader]).await;
        let mut visitor = self.visitor();
        let response = visitor.sign_in(email, PASSWORD).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "sign-in failed");
        visitor.person = Some(id);
        visitor
    }

    /// A trust with two leaders, both signed in.
    pub async fn with_two_leaders() -> (TestApp, Visitor, Visitor) {
        let app = TestApp::start().await;
        let amara = app.leader("Amara Okafor", "amara@example.org").await;
        let ben = app.leader("Ben Hughes", "ben@example.org").await;
        (app, amara, ben)
    }
}

impl Visitor {
    pub fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep_cookies(&mut self, response: &reqwest::Response) {
        for value in response.headers().get_all(reqwest::header::SET_COOKIE) {
            let text = value.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() || text.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
    }

    pub async fn get_raw(&mut self, path: &str) -> reqwest::Response {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .send()
            .await
            .unwrap();
        self.keep_cookies(&response);
        response
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let response = self.get_raw(path).await;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.text().await.unwrap();
        Page {
            status,
            html: Html::parse_document(&body),
            headers,
        }
    }

    /// Posts a URL-encoded form as a browser would.
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        self.keep_cookies(&response);
        response
    }

    /// Posts a multipart form as a browser would: text fields and files, in order.
    pub async fn post_multipart(&mut self, path: &str, parts: &[Part<'_>]) -> reqwest::Response {
        let boundary = "leadkit-test-boundary-7c1f";
        let mut body: Vec<u8> = Vec::new();
        for part in parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            match part {
                Part::Text(name, value) => {
                    body.extend_from_slice(
                        format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n")
                            .as_bytes(),
                    );
                    body.extend_from_slice(value.as_bytes());
                }
                Part::File(name, file_name, bytes) => {
                    body.extend_from_slice(
                        format!(
                            "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                        )
                        .as_bytes(),
                    );
                    body.extend_from_slice(bytes);
                }
            }
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .await
            .unwrap();
        self.keep_cookies(&response);
        response
    }

    pub async fn sign_in(&mut self, email: &str, password: &str) -> reqwest::Response {
        let page = self.get("/sign-in").await;
        let token = page
            .attr("form[data-test-sign-in-form] input[name=csrf]", "value")
            .unwrap();
        self.post_form(
            "/sign-in",
            &[
                ("csrf", &token),
                ("email", email),
                ("password", password),
                ("next", "/"),
            ],
        )
        .await
    }

    /// The anti-forgery token of the current session, as pages publish it.
    pub async fn csrf(&mut self) -> String {
        let page = self.get("/frameworks").await;
        page.attr("meta[name=csrf-token]", "content")
            .expect("signed in pages carry a token")
    }

    /// Sends a JSON request with the session's anti-forgery token.
    pub async fn api(
        &mut self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (StatusCode, serde_json::Value) {
        let token = self.csrf().await;
        self.api_with_token(method, path, body, Some(&token)).await
    }

    pub async fn api_with_token(
        &mut self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
        token: Option<&str>,
    ) -> (StatusCode, serde_json::Value) {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("cookie", self.cookie_header());
        if let Some(token) = token {
            request = request.header("x-csrf-token", token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        self.keep_cookies(&response);
        let status = response.status();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
        )
    }

    /// Saves one reflection through the API, as the page's script does.
    pub async fn reflect(
        &mut self,
        item: &str,
        judgement: Option<&str>,
        note: &str,
    ) -> (StatusCode, serde_json::Value) {
        let path = format!(
            "/api/me/reflections/leadership-toolkit/{}",
            item.replace(' ', "-")
        );
        self.api(
            reqwest::Method::PUT,
            &path,
            Some(serde_json::json!({ "judgement": judgement, "note": note })),
        )
        .await
    }

    pub async fn my_reflections(&mut self) -> serde_json::Value {
        let (status, body) = self
            .api(
                reqwest::Method::GET,
                "/api/me/reflections/leadership-toolkit",
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }
}
