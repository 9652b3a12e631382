//! Single sign-on against a real OpenID Connect provider on loopback
//! (oidc-provider from npm, started by this harness, driven like a browser):
//! a verified email signs in; a wrong state, a replayed code, another browser, an
//! unverified email and an unknown person are all refused with no session.

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use leadkit_store::sso::OidcSettings;
use reqwest::StatusCode;

use crate::helpers::{TestApp, Visitor};

struct Provider {
    child: Child,
    issuer: String,
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Provider {
    /// Starts oidc-provider for a client whose return address is `redirect`, or
    /// says the test is skipped when node or the package is missing
    /// (`npm ci` in e2e/; `.ci/run` does it and fails if these tests did not run).
    #[allow(clippy::print_stdout, clippy::zombie_processes)]
    async fn start(redirect: &str, secret: &str) -> Option<Provider> {
        let e2e = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../e2e");
        let installed = e2e.join("node_modules/oidc-provider").is_dir()
            && Command::new("node").arg("--version").output().is_ok();
        if !installed {
            assert!(
                std::env::var("CI").is_err(),
                "CI is set but oidc-provider is not installed (npm ci in e2e/)"
            );
            println!("skipped: no oidc-provider (run npm ci in e2e/)");
            return None;
        }
        let port = {
            let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            probe.local_addr().unwrap().port()
        };
        let child = Command::new("node")
            .arg(e2e.join("oidc-provider.mjs"))
            .args([&port.to_string(), "leadkit", secret, redirect])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let provider = Provider {
            child,
            issuer: format!("http://127.0.0.1:{port}"),
        };
        let discovery = format!("{}/.well-known/openid-configuration", provider.issuer);
        for _ in 0..100 {
            if reqwest::get(&discovery)
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                println!("signing on through oidc-provider at {}", provider.issuer);
                return Some(provider);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("oidc-provider did not start within 10 seconds");
    }
}

/// The person at the provider's pages: their own cookies there.
struct AtProvider {
    http: reqwest::Client,
    cookies: HashMap<String, String>,
}

impl AtProvider {
    fn new() -> AtProvider {
        AtProvider {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: HashMap::new(),
        }
    }

    async fn send(
        &mut self,
        request: reqwest::RequestBuilder,
    ) -> (StatusCode, Option<String>, String) {
        let cookie: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let response = request
            .header("cookie", cookie.join("; "))
            .send()
            .await
            .unwrap();
        for value in response.headers().get_all("set-cookie") {
            let pair = value.to_str().unwrap().split(';').next().unwrap();
            if let Some((name, value)) = pair.split_once('=') {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        let location = response
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_owned());
        (response.status(), location, response.text().await.unwrap())
    }
}

/// Signs in at the provider as `login` from `auth_url` and returns the address
/// the provider sends the browser back to (leadkit's callback, with code and state).
async fn through_provider(issuer: &str, auth_url: &str, login: &str) -> String {
    let mut person = AtProvider::new();
    let mut url = auth_url.to_owned();
    for _ in 0..20 {
        let request = person.http.get(&url);
        let (status, location, body) = person.send(request).await;
        if let Some(location) = location {
            let next = if location.starts_with('/') {
                format!("{issuer}{location}")
            } else {
                location
            };
            if !next.starts_with(issuer) {
                return next;
            }
            url = next;
            continue;
        }
        assert_eq!(status, StatusCode::OK, "{url}: {body}");
        let prompt = if body.contains("name=\"prompt\" value=\"login\"") {
            vec![("prompt", "login"), ("login", login), ("password", "any")]
        } else if body.contains("name=\"prompt\" value=\"consent\"") {
            vec![("prompt", "consent")]
        } else {
            panic!("an unexpected page at the provider: {body}");
        };
        let request = person.http.post(&url).form(&prompt);
        let (_, location, body) = person.send(request).await;
        let location = location.unwrap_or_else(|| panic!("no redirect after the form: {body}"));
        url = if location.starts_with('/') {
            format!("{issuer}{location}")
        } else {
            location
        };
        if !url.starts_with(issuer) {
            return url;
        }
    }
    panic!("the provider did not send the browser back within 20 steps");
}

/// Starts a sign-on at leadkit and returns the provider's authorization address.
async fn begin(app: &TestApp, visitor: &mut Visitor) -> String {
    let response = visitor
        .get_raw(&format!("/sso/{}/start", app.trust.0))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    response.headers()["location"].to_str().unwrap().to_owned()
}

async fn finish(visitor: &mut Visitor, callback: &str) -> (StatusCode, String) {
    let path = callback.trim_start_matches(&visitor.base).to_owned();
    let response = visitor.get_raw(&path).await;
    let status = response.status();
    (status, response.text().await.unwrap())
}

async fn signed_in(visitor: &mut Visitor) -> bool {
    visitor.get("/profile").await.status == StatusCode::OK
}

#[tokio::test]
async fn single_sign_on_signs_in_a_verified_email_and_refuses_everything_else() {
    let app = TestApp::start().await;
    let secret = "a-client-secret-for-tests-only";
    let Some(provider) = Provider::start(&format!("{}/sso/callback", app.address), secret).await
    else {
        return;
    };
    app.store
        .set_oidc_settings(
            app.trust,
            Some(&OidcSettings {
                issuer: provider.issuer.clone(),
                client_id: "leadkit".into(),
                client_secret: secret.into(),
            }),
        )
        .await
        .unwrap();
    app.person(
        "Amara Okafor",
        "amara@example.org",
        &[leadkit_domain::people::Role::Leader],
    )
    .await;

    // The sign-in page offers it.
    let page = app.visitor().get("/sign-in").await;
    assert!(page.text("[data-test-sso]").contains("Test Trust"));

    // A verified email of a person in the trust signs in.
    let mut browser = app.visitor();
    let auth = begin(&app, &mut browser).await;
    assert!(auth.contains("code_challenge=") && auth.contains("code_challenge_method=S256"));
    let callback = through_provider(&provider.issuer, &auth, "amara@example.org").await;
    let (status, body) = finish(&mut browser, &callback).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{callback}: {body}");
    assert!(signed_in(&mut browser).await);
    assert!(browser.get("/").await.text("h1").contains("Amara Okafor"));

    // The same callback again (a replayed state and code): refused.
    let mut replay = app.visitor();
    let (status, body) = finish(&mut replay, &callback).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("expired or was already used"), "{body}");
    assert!(!signed_in(&mut replay).await);

    // The old code under a fresh, valid state: the provider refuses the code.
    let mut again = app.visitor();
    let fresh = begin(&app, &mut again).await;
    let fresh_state = query_value(&fresh, "state");
    let old_code = query_value(&callback, "code");
    let forged = format!(
        "{}/sso/callback?code={old_code}&state={fresh_state}",
        app.address
    );
    let (status, body) = finish(&mut again, &forged).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("a code works once"), "{body}");
    assert!(!signed_in(&mut again).await);

    // A wrong state: refused.
    let mut wrong = app.visitor();
    let auth = begin(&app, &mut wrong).await;
    let callback = through_provider(&provider.issuer, &auth, "amara@example.org").await;
    let tampered = callback.replace(&query_value(&callback, "state"), "not-the-state");
    let (status, _) = finish(&mut wrong, &tampered).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(!signed_in(&mut wrong).await);

    // Finished in another browser (no binding cookie): refused.
    let mut starter = app.visitor();
    let auth = begin(&app, &mut starter).await;
    let callback = through_provider(&provider.issuer, &auth, "amara@example.org").await;
    let mut other = app.visitor();
    let (status, body) = finish(&mut other, &callback).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("another browser"), "{body}");
    assert!(!signed_in(&mut other).await);

    // An email the provider has not verified: refused.
    let mut unverified = app.visitor();
    let auth = begin(&app, &mut unverified).await;
    let callback = through_provider(&provider.issuer, &auth, "unverified:amara@example.org").await;
    let (status, body) = finish(&mut unverified, &callback).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("not verified your email address"), "{body}");
    assert!(!signed_in(&mut unverified).await);

    // A verified email that is nobody's in this trust: refused.
    let mut stranger = app.visitor();
    let auth = begin(&app, &mut stranger).await;
    let callback = through_provider(&provider.issuer, &auth, "stranger@example.org").await;
    let (status, body) = finish(&mut stranger, &callback).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("no one in your trust"), "{body}");
    assert!(!signed_in(&mut stranger).await);
}

fn query_value(url: &str, name: &str) -> String {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("{name} in {url}"))
        .to_owned()
}

#[tokio::test]
async fn an_administrator_configures_single_sign_on_and_bad_settings_change_nothing() {
    use leadkit_domain::people::Role;
    let app = TestApp::start().await;
    let admin_id = app
        .person("Ada Admin", "admin@example.org", &[Role::Administrator])
        .await;
    let mut admin = app.signed_in(admin_id, "admin@example.org").await;
    let page = admin.get("/admin/sign-on").await;
    assert_eq!(
        page.text("[data-test-redirect-uri]"),
        format!("{}/sso/callback", app.address)
    );
    for fields in [
        [
            ("issuer", "ftp://idp.example"),
            ("client_id", "x"),
            ("client_secret", "s"),
        ],
        [
            ("issuer", "https://idp.example"),
            ("client_id", ""),
            ("client_secret", "s"),
        ],
        [
            ("issuer", "https://idp.example"),
            ("client_id", "x"),
            ("client_secret", ""),
        ],
    ] {
        let csrf = admin.csrf().await;
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend(fields);
        let response = admin.post_form("/admin/sign-on", &all).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{fields:?}"
        );
    }
    assert!(app.store.oidc_settings(app.trust).await.unwrap().is_none());
    let csrf = admin.csrf().await;
    let saved = admin
        .post_form(
            "/admin/sign-on",
            &[
                ("csrf", &csrf),
                ("issuer", "https://127.0.0.1:9/tenant/v2.0/"),
                ("client_id", "leadkit"),
                ("client_secret", "s3cret"),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let settings = app.store.oidc_settings(app.trust).await.unwrap().unwrap();
    assert_eq!(settings.issuer, "https://127.0.0.1:9/tenant/v2.0");
    // The secret is never shown again, and an empty field keeps it.
    assert!(
        !admin
            .get("/admin/sign-on")
            .await
            .html
            .html()
            .contains("s3cret")
    );
    let csrf = admin.csrf().await;
    admin
        .post_form(
            "/admin/sign-on",
            &[
                ("csrf", &csrf),
                ("issuer", "https://127.0.0.1:9/tenant/v2.0"),
                ("client_id", "leadkit-2"),
                ("client_secret", ""),
            ],
        )
        .await;
    let settings = app.store.oidc_settings(app.trust).await.unwrap().unwrap();
    assert_eq!(
        (settings.client_id.as_str(), settings.client_secret.as_str()),
        ("leadkit-2", "s3cret")
    );
    let mut leader = app.leader("Lee Leader", "lee@example.org").await;
    assert_eq!(
        leader.get("/admin/sign-on").await.status,
        StatusCode::NOT_FOUND
    );
    // A provider that cannot be reached: a plain refusal, no session.
    let mut visitor = app.visitor();
    let response = visitor
        .get_raw(&format!("/sso/{}/start", app.trust.0))
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("could not be reached")
    );
}
