//! Every address the demo trust's pages link to or post to is one the app
//! answers: each person below is signed in and every page they can reach from
//! their home page is fetched, following same-site links; every link must be a
//! pattern of the address table (`leadkit_web::urls`) and load (not "not found",
//! never a server error), and every form's action must be a pattern the router
//! knows. Then every pattern of the table is shown to be registered.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeSet, VecDeque};

use common::Browser;
use leadkit_web::urls;
use scraper::{Html, Selector};

/// The most pages fetched per person.
const MOST_PAGES: usize = 600;

/// How many addresses of one pattern are followed per person: every kind of
/// page is fetched, not each of the hundreds of framework items.
const PER_PATTERN: usize = 3;

/// A person of the demo trust in each role.
const PEOPLE: [(&str, &str); 5] = [
    ("administrator", "admin@demo-trust.example"),
    ("trust lead", "ceo@demo-trust.example"),
    (
        "trust lead and coach",
        "director.education@demo-trust.example",
    ),
    ("headteacher, school lead and coach", "HEADTEACHER"),
    ("leader", "LEADER"),
];

/// Same-site addresses in a page: links (and stylesheets, scripts) and form actions.
fn addresses(html: &str) -> (Vec<String>, Vec<String>) {
    let document = Html::parse_document(html);
    let mut links = Vec::new();
    for (selector, attribute) in [
        ("a[href]", "href"),
        ("link[href]", "href"),
        ("script[src]", "src"),
    ] {
        let selector = Selector::parse(selector).unwrap();
        for element in document.select(&selector) {
            links.push(element.value().attr(attribute).unwrap().to_owned());
        }
    }
    let forms = Selector::parse("form").unwrap();
    let actions = document
        .select(&forms)
        .map(|form| form.value().attr("action").unwrap_or("").to_owned())
        .collect();
    let local = |list: Vec<String>| -> Vec<String> {
        list.into_iter()
            .filter(|a| a.starts_with('/') && !a.starts_with("//"))
            .map(|a| a.split('#').next().unwrap().to_owned())
            .collect()
    };
    (local(links), local(actions))
}

/// The example emails the demo prints, by what it says they are.
fn demo_email(server: &common::Server, who: &str) -> String {
    let wanted = match who {
        "HEADTEACHER" => "headteacher",
        "LEADER" => "head of English",
        email => return email.to_owned(),
    };
    server
        .examples
        .iter()
        .find(|(_, described)| described == wanted)
        .map(|(email, _)| email.clone())
        .unwrap_or_else(|| panic!("the demo names no {wanted}"))
}

async fn status_of(
    browser: &Browser,
    method: reqwest::Method,
    path: &str,
) -> (u16, String, String) {
    let response = browser
        .http
        .request(method, format!("{}{path}", browser.base))
        .header("cookie", browser.cookie_header())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let body = if kind.starts_with("text/html") {
        response.text().await.unwrap_or_default()
    } else {
        String::new()
    };
    (status, kind, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_link_and_form_of_the_demo_trust_is_an_address_the_app_answers() {
    let dir = tempfile::tempdir().unwrap();
    let server = common::start(&dir.path().join("data"));
    let mut problems = Vec::new();
    let mut actions_seen = BTreeSet::new();
    for (role, who) in PEOPLE {
        let email = demo_email(&server, who);
        let mut browser = Browser::new(&server.base);
        browser.sign_in(&email, &server.password).await;
        let mut seen = BTreeSet::from([urls::HOME.to_owned()]);
        let mut per_pattern = std::collections::HashMap::<&str, usize>::new();
        let mut queue = VecDeque::from([urls::HOME.to_owned()]);
        let mut fetched = 0;
        while let Some(path) = queue.pop_front() {
            fetched += 1;
            assert!(
                fetched <= MOST_PAGES,
                "{role}: more than {MOST_PAGES} pages"
            );
            let (status, kind, body) = status_of(&browser, reqwest::Method::GET, &path).await;
            if !(200..400).contains(&status) {
                problems.push(format!("{role}: GET {path} answered {status}"));
                continue;
            }
            if !kind.starts_with("text/html") {
                continue;
            }
            let (links, actions) = addresses(&body);
            for link in links {
                let bare = link.split('?').next().unwrap_or_default();
                let Some(pattern) = urls::pattern_of(bare) else {
                    problems.push(format!(
                        "{role}: {path} links to {link}, not in the address table"
                    ));
                    continue;
                };
                // Signing out ends the crawl's session; it is a form, checked below.
                if link == urls::SIGN_OUT || !seen.insert(link.clone()) {
                    continue;
                }
                let count = per_pattern.entry(pattern).or_default();
                if *count < PER_PATTERN {
                    *count += 1;
                    queue.push_back(link);
                }
            }
            for action in actions {
                let bare = action.split('?').next().unwrap_or_default().to_owned();
                match urls::pattern_of(&bare) {
                    Some(_) => {
                        actions_seen.insert(bare);
                    }
                    None => problems.push(format!(
                        "{role}: {path} posts to {action}, not in the address table"
                    )),
                }
            }
        }
        println!(
            "{role}: {fetched} pages and files fetched, of {} kinds",
            per_pattern.len()
        );
    }
    // Every form action is routed: a PATCH (which no page uses) reaches the route
    // and is refused there, where an unknown address falls through to "not found".
    let browser = Browser::new(&server.base);
    for action in &actions_seen {
        let (status, _, _) = status_of(&browser, reqwest::Method::PATCH, action).await;
        if status == 404 {
            problems.push(format!("the router does not know the form action {action}"));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    println!("{} distinct form actions, all routed", actions_seen.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_pattern_of_the_address_table_is_routed() {
    let dir = tempfile::tempdir().unwrap();
    let server = common::start(&dir.path().join("data"));
    let browser = Browser::new(&server.base);
    let (status, _, _) = status_of(&browser, reqwest::Method::PATCH, "/no/such/address").await;
    assert_eq!(status, 404, "an unknown address is not found");
    let mut unrouted = Vec::new();
    for pattern in urls::ALL {
        let path = urls::fill(pattern, &[&"1", &"1", &"1"]);
        let (status, _, _) = status_of(&browser, reqwest::Method::PATCH, &path).await;
        if status == 404 {
            unrouted.push(format!("{pattern} ({path})"));
        }
    }
    assert!(unrouted.is_empty(), "not routed: {unrouted:?}");
}
