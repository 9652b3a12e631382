//! The insight heatmap over HTTP on a small hand-checked trust: the numbers
//! shown, the groups withheld (small, or recoverable by subtraction), and who
//! may look at all.

use leadkit_domain::people::{Role, SchoolId};
use reqwest::StatusCode;

use crate::helpers::{TestApp, Visitor};

struct Trust {
    app: TestApp,
    /// Every leader, with their school, in the order they were made.
    leaders: Vec<(leadkit_domain::people::PersonId, SchoolId)>,
    ceo: Visitor,
    head_a: Visitor,
    leader: Visitor,
    a: SchoolId,
    c: SchoolId,
}

/// Ashgrove: six leaders (some, some, high, high, highest, not yet) and its
/// head; Birch: three (high); Cedar: five (high, high, high, highest, not in
/// role). Everyone judges 1a i.
async fn trust() -> Trust {
    let app = TestApp::start().await;
    let a = app
        .store
        .create_school(app.trust, "Ashgrove")
        .await
        .unwrap();
    let b = app.store.create_school(app.trust, "Birch").await.unwrap();
    let c = app.store.create_school(app.trust, "Cedar").await.unwrap();
    let mut n = 0;
    let mut leader = None;
    let mut leaders = Vec::new();
    for (school, levels) in [
        (
            a,
            vec!["some", "some", "high", "high", "highest", "not_yet"],
        ),
        (b, vec!["high", "high", "high"]),
        (c, vec!["high", "high", "high", "highest", "not_in_role"]),
    ] {
        for level in levels {
            n += 1;
            let email = format!("leader{n}@example.org");
            let id = app
                .person_in(
                    app.trust,
                    Some(school),
                    &format!("Leader {n}"),
                    &email,
                    &[Role::Leader],
                )
                .await;
            leaders.push((id, school));
            let mut visitor = app.signed_in(id, &email).await;
            let (status, _) = visitor.reflect("1a i", Some(level), "").await;
            assert_eq!(status, StatusCode::OK);
            leader.get_or_insert(visitor);
        }
    }
    let ceo_id = app
        .person(
            "Tomi Trust",
            "ceo@example.org",
            &[Role::Leader, Role::TrustLead],
        )
        .await;
    let ceo = app.signed_in(ceo_id, "ceo@example.org").await;
    let head_id = app
        .person_in(
            app.trust,
            Some(a),
            "Hana Head",
            "head@example.org",
            &[Role::SchoolLead],
        )
        .await;
    let head_a = app.signed_in(head_id, "head@example.org").await;
    Trust {
        app,
        leaders,
        ceo,
        head_a,
        leader: leader.unwrap(),
        a,
        c,
    }
}

fn cells(page: &crate::helpers::Page, code: &str) -> Vec<String> {
    page.select(&format!("[data-test-heat-row=\"{code}\"] td"))
        .iter()
        .map(|td| {
            if td.value().attr("data-test-cell") == Some("shown") {
                td.value().attr("data-counts").unwrap().to_owned()
            } else {
                "withheld".to_owned()
            }
        })
        .collect()
}

#[tokio::test]
async fn the_heatmap_shows_hand_checked_numbers_and_withholds_what_would_single_anyone_out() {
    let Trust {
        app,
        mut ceo,
        mut head_a,
        mut leader,
        a,
        c,
        ..
    } = trust().await;
    let page = ceo.get("/insight").await;
    assert_eq!(page.status, StatusCode::OK);
    let columns: Vec<String> = page
        .select("[data-test-heatmap]")
        .first()
        .unwrap()
        .select(&scraper::Selector::parse("thead th[data-test-column]").unwrap())
        .map(|th| th.text().collect::<String>())
        .collect();
    assert_eq!(columns, ["All", "Ashgrove", "Birch", "Cedar"]);
    // Counted (not in role left out): 13 people. All: not yet 1, some 2, high 8,
    // highest 2. Ashgrove (6) shows; Birch (3) is too small; Cedar (4 counted)
    // too; the trust minus Ashgrove is 7, fine.
    assert_eq!(
        cells(&page, "1a i"),
        ["1 · 2 · 8 · 2", "1 · 2 · 2 · 1", "withheld", "withheld"]
    );
    // Components nobody judged show nothing.
    assert!(cells(&page, "1a ii").iter().all(|c| c == "withheld"));

    // Ashgrove alone, by role: the six leaders and their head; the head made no
    // judgement, so "leaders" is the whole of Ashgrove and both show.
    let page = ceo
        .get(&format!("/insight?school={}&group=role", a.0))
        .await;
    assert_eq!(cells(&page, "1a i"), ["1 · 2 · 2 · 1", "1 · 2 · 2 · 1"]);
    // Cedar alone: four counted, fewer than five.
    let page = ceo.get(&format!("/insight?school={}", c.0)).await;
    assert!(cells(&page, "1a i").iter().all(|c| c == "withheld"));

    // The school lead sees their own school, and no other.
    let page = head_a.get("/insight").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(cells(&page, "1a i")[0], "1 · 2 · 2 · 1");
    assert_eq!(
        head_a.get(&format!("/insight?school={}", c.0)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        head_a.get("/insight?group=school").await.status,
        StatusCode::BAD_REQUEST
    );
    // A leader sees no insight at all.
    assert_eq!(leader.get("/insight").await.status, StatusCode::NOT_FOUND);
    // Bad filters are refused plainly.
    for bad in [
        "/insight?group=person",
        "/insight?school=x",
        "/insight?school=99999",
        "/insight?role=9",
        "/insight?cycle=0",
    ] {
        assert_eq!(ceo.get(bad).await.status, StatusCode::BAD_REQUEST, "{bad}");
    }
    // Only an administrator sets the threshold, never below 5; raising it to 7
    // withholds Ashgrove too (six people).
    let csrf = ceo.csrf().await;
    let refused = ceo
        .post_form(
            "/admin/insight-threshold",
            &[("csrf", &csrf), ("threshold", "7")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    let admin_id = app
        .person("Ada Admin", "ada@example.org", &[Role::Administrator])
        .await;
    let mut admin = app.signed_in(admin_id, "ada@example.org").await;
    let csrf = admin.csrf().await;
    for bad in ["4", "five", ""] {
        let response = admin
            .post_form(
                "/admin/insight-threshold",
                &[("csrf", &csrf), ("threshold", bad)],
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    assert_eq!(app.store.insight_threshold(app.trust).await.unwrap(), 5);
    let response = admin
        .post_form(
            "/admin/insight-threshold",
            &[("csrf", &csrf), ("threshold", "7")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = ceo.get("/insight").await;
    assert_eq!(
        cells(&page, "1a i"),
        ["1 · 2 · 8 · 2", "withheld", "withheld", "withheld"]
    );
    assert!(
        app.store.set_insight_threshold(app.trust, 3).await.is_err(),
        "never below 5"
    );
    app.finish().await;
}

#[tokio::test]
async fn growth_between_cycles_and_priorities_add_up_by_hand() {
    use leadkit_domain::reflection::{Judgement, Note, ReflectionChange};
    use leadkit_store::reflections::ReflectionScope;
    let Trust {
        app,
        leaders,
        mut ceo,
        a,
        ..
    } = trust().await;
    let now = leadkit_web::Clock::System.now();
    let first = app
        .store
        .current_cycle(app.trust, None, now.date())
        .await
        .unwrap()
        .unwrap();

    // Priorities in the first cycle: only 1a i has numbers to show; 13 counted,
    // 3 at "not yet" or Some impact; no goals.
    let page = ceo.get("/insight/priorities").await;
    assert_eq!(page.status, StatusCode::OK);
    let rows = page.select("[data-test-priority]");
    assert_eq!(rows.len(), 1);
    let cells: Vec<String> = rows[0]
        .select(&scraper::Selector::parse("td, th").unwrap())
        .map(|c| c.text().collect::<String>())
        .collect();
    assert_eq!(cells[0], "1");
    assert!(cells[1].starts_with("1a i "));
    assert_eq!(
        &cells[2..],
        ["13", "3", "fewer than 5", "fewer than 5", "0.23"]
    );
    let csv_url = page.attr("[data-test-priorities-csv]", "href").unwrap();
    let csv = ceo.get_raw(&csv_url).await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(
        csv.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let text = csv.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[1].starts_with("1,1a i,"), "{text}");
    assert!(
        lines[1].ends_with(",13,3,fewer than 5,fewer than 5,0.23"),
        "{text}"
    );

    // Growth needs an earlier cycle: until then the page says so, and what to do.
    let page = ceo.get("/insight/growth").await;
    assert_eq!(page.status, StatusCode::OK);
    let said = page.text("[data-test-nothing-to-compare]");
    assert!(said.contains("nothing to compare yet"), "{said}");
    assert!(said.contains("opens the next cycle"), "{said}");
    // A new cycle from the first one's levels; the first closes.
    let second = app
        .store
        .open_cycle(
            app.trust,
            &leadkit_store::cycles::NewCycle {
                school: None,
                name: "Next year",
                starts_on: first.ends_on + time::Duration::days(1),
                ends_on: first.ends_on + time::Duration::days(365),
                carry_from: Some(first.id),
            },
            now,
        )
        .await
        .unwrap();
    app.store
        .close_cycle(app.trust, first.id, now)
        .await
        .unwrap();
    // In Ashgrove, the first leader (Some impact) moves up to High, the second
    // (Some impact) down to "not yet"; everyone else stays.
    let version = app
        .store
        .frameworks()
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.framework.key.as_str() == "leadership-toolkit")
        .unwrap();
    for ((person, _), level) in leaders.iter().take(2).zip(["high", "not_yet"]) {
        let change = ReflectionChange::validate(
            &version.framework,
            leadkit_domain::framework::ItemCode::parse("1a i").unwrap(),
            Some(Judgement::parse(level).unwrap()),
            Note::default(),
        )
        .unwrap();
        app.store
            .save_reflection(
                ReflectionScope {
                    person: *person,
                    cycle: second,
                    framework: version.id,
                },
                &change,
                now,
            )
            .await
            .unwrap();
    }
    let growth_cells = |page: &crate::helpers::Page| -> Vec<String> {
        page.select("[data-test-growth-row=\"1a i\"] td")
            .iter()
            .map(|c| c.text().collect::<String>())
            .collect()
    };
    let page = ceo
        .get(&format!(
            "/insight/growth?from={}&cycle={}",
            first.id.0, second.0
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(growth_cells(&page), ["1", "11", "1", "13"]);
    // Ashgrove alone: 6 people, one up, one down.
    let page = ceo
        .get(&format!(
            "/insight/growth?from={}&cycle={}&school={}",
            first.id.0, second.0, a.0
        ))
        .await;
    assert_eq!(growth_cells(&page), ["1", "4", "1", "6"]);
    // A subdomain's total only when every row in it shows (1a ii to iv do not).
    assert!(page.select("[data-test-growth-total]").is_empty());
    // One component across cycles: the trust's numbers in each, oldest first,
    // reached from the heatmap.
    let heatmap = ceo.get("/insight").await;
    let link = heatmap
        .attr("[data-test-heat-row=\"1a i\"] th a", "href")
        .unwrap();
    let page = ceo.get(&link).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.select("[data-test-trend-chart]").is_empty());
    let counts: Vec<String> = page
        .select("[data-test-trend] [data-counts]")
        .iter()
        .map(|c| c.value().attr("data-counts").unwrap().to_owned())
        .collect();
    assert_eq!(counts, ["1 · 2 · 8 · 2", "2 · 0 · 9 · 2"]);
    assert_eq!(
        ceo.get("/insight/component?item=9z+ix").await.status,
        StatusCode::BAD_REQUEST
    );
    // The same cycle twice is refused.
    let same = ceo
        .get(&format!(
            "/insight/growth?from={}&cycle={}",
            second.0, second.0
        ))
        .await;
    assert_eq!(same.status, StatusCode::BAD_REQUEST);
    app.finish().await;
}

#[tokio::test]
async fn the_expertise_directory_lists_only_those_who_opted_in_where_their_coach_agrees() {
    use leadkit_domain::reflection::{Judgement, Note};
    let app = TestApp::start().await;
    let coach_id = app
        .person(
            "Cora Coach",
            "cora@example.org",
            &[Role::Leader, Role::Coach],
        )
        .await;
    let mut seeker = app.leader("Sol Seeker", "sol@example.org").await;
    let framework = app
        .store
        .frameworks()
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.framework.key.as_str() == "leadership-toolkit")
        .unwrap()
        .id;
    let cycle = app
        .store
        .current_cycle(app.trust, None, leadkit_web::Clock::System.now().date())
        .await
        .unwrap()
        .unwrap()
        .id;
    // (name, opts in, coach's view)
    let mut ids = Vec::new();
    for (name, email, opts_in, coach_says) in [
        ("Lee Listed", "lee@example.org", true, "highest"),
        ("Max Modest", "max@example.org", true, "high"),
        ("Nia Private", "nia@example.org", false, "highest"),
    ] {
        let mut visitor = app.leader(name, email).await;
        let id = visitor.person.unwrap();
        visitor.reflect("1a i", Some("highest"), "").await;
        if opts_in {
            let csrf = visitor.csrf().await;
            let response = visitor
                .post_form("/expertise", &[("csrf", &csrf), ("listed", "yes")])
                .await;
            assert_eq!(response.status(), StatusCode::SEE_OTHER);
        }
        app.store
            .save_coach_view(
                id,
                cycle,
                framework,
                &leadkit_domain::framework::ItemCode::parse("1a i").unwrap(),
                coach_id,
                "Cora Coach",
                Some(&Judgement::parse(coach_says).unwrap()),
                &Note::default(),
                leadkit_web::Clock::System.now(),
            )
            .await
            .unwrap();
        ids.push(visitor);
    }
    let names = |page: &crate::helpers::Page| page.text("[data-test-expertise=\"1a i\"]");
    let page = seeker.get("/expertise").await;
    assert_eq!(page.status, StatusCode::OK);
    let listed = names(&page);
    assert!(
        listed.contains("Lee Listed") && listed.contains("lee@example.org"),
        "{listed}"
    );
    assert!(!listed.contains("Max Modest"), "the coach does not agree");
    assert!(!listed.contains("Nia Private"), "not opted in");
    assert_eq!(
        page.select("[data-test-expertise]").len(),
        1,
        "only components with someone listed"
    );
    // By code, by a word of its title, and a word nowhere.
    assert!(names(&seeker.get("/expertise?q=1a+i").await).contains("Lee Listed"));
    assert!(names(&seeker.get("/expertise?q=Safeguarding").await).contains("Lee Listed"));
    assert!(
        !seeker
            .get("/expertise?q=zzzzqq")
            .await
            .select("[data-test-no-experts]")
            .is_empty()
    );
    let long = format!("/expertise?q={}", "a".repeat(201));
    assert_eq!(seeker.get(&long).await.status, StatusCode::BAD_REQUEST);

    // A goal that asks for a colleague links to the directory for its component.
    let csrf = seeker.csrf().await;
    let response = seeker
        .post_form(
            "/goals",
            &[
                ("csrf", &csrf),
                ("item", "leadership-toolkit|1|1a i"),
                ("title", "Learn from someone"),
                ("target_level", "some"),
                ("support", "colleague"),
            ],
        )
        .await;
    let goal = response.headers()["location"].to_str().unwrap().to_owned();
    let page = seeker.get(&goal).await;
    let link = page.attr("[data-test-find-expertise] a", "href").unwrap();
    assert!(names(&seeker.get(&link).await).contains("Lee Listed"));

    // Lee stops being listed.
    let lee = &mut ids[0];
    let csrf = lee.csrf().await;
    lee.post_form("/expertise", &[("csrf", &csrf), ("listed", "no")])
        .await;
    assert!(
        !seeker
            .get("/expertise")
            .await
            .text("main")
            .contains("Lee Listed")
    );
    let bad = lee
        .post_form("/expertise", &[("csrf", &csrf), ("listed", "maybe")])
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    app.finish().await;
}

/// The text of a PDF, extracted by pdftotext (Debian's poppler-utils). `None`
/// where it is not installed; CI installs it and must run these checks.
#[allow(clippy::print_stdout)] // the skip must show in the test output
pub fn pdf_text(bytes: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.pdf");
    std::fs::write(&file, bytes).unwrap();
    match std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(&file)
        .arg("-")
        .output()
    {
        Ok(out) => {
            assert!(out.status.success(), "pdftotext could not read the PDF");
            Some(String::from_utf8(out.stdout).unwrap())
        }
        Err(_) => {
            assert!(
                std::env::var("CI").is_err(),
                "CI must check the PDF's text: install poppler-utils"
            );
            println!("skipped the PDF text checks: no pdftotext");
            None
        }
    }
}

#[tokio::test]
async fn the_governors_report_has_the_pages_numbers_in_every_format() {
    let Trust {
        app: _app,
        mut ceo,
        mut leader,
        ..
    } = trust().await;
    let page = ceo.get("/insight/report").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text("h1")
            .contains("Leadership insight: the whole trust")
    );
    assert_eq!(page.select("[data-test-download]").len(), 3);
    assert!(
        page.select("figure.report-chart svg").len() >= 16,
        "a chart per subdomain"
    );

    // CSV: 1a i for the whole trust, as on the heatmap (13 counted: not yet 1,
    // some 2, high 8, highest 2); 1a ii nobody judged: withheld.
    let csv = ceo.get_raw("/insight/report.csv").await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(
        csv.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let csv = csv.text().await.unwrap();
    let line = csv.lines().find(|l| l.starts_with("1a i,")).unwrap();
    assert!(line.ends_with(",13,1,2,8,2"), "{line}");
    let line = csv.lines().find(|l| l.starts_with("1a ii,")).unwrap();
    assert!(
        line.ends_with(",withheld,withheld,withheld,withheld,withheld"),
        "{line}"
    );
    assert!(
        csv.contains("\nPriorities\nRank,Code,Component,People,Low,Goals,Coach low,Score\n1,1a i,")
    );

    // XLSX: a workbook with the two sheets.
    let xlsx = ceo.get_raw("/insight/report.xlsx").await;
    assert_eq!(
        xlsx.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = xlsx.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK"));
    let names = String::from_utf8_lossy(&bytes);
    assert!(
        names.contains("xl/worksheets/sheet1.xml") && names.contains("xl/worksheets/sheet2.xml")
    );

    // PDF: made by the server, its text extracted and checked.
    let pdf = ceo.get_raw("/insight/report.pdf").await;
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let bytes = pdf.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    if let Some(text) = pdf_text(&bytes) {
        assert!(text.contains("Leadership insight: the whole trust"));
        assert!(text.contains("Professional development priorities"));
        assert!(text.contains("1. 1a i"));
        assert!(text.contains("1a ii (withheld)"));
        assert!(text.contains("fewer than 5 people"));
    }
    // Small groups stay withheld in the report too: Cedar (four counted).
    let schools = ceo.get("/insight").await;
    let cedar = schools
        .select("select[name=school] option")
        .iter()
        .find(|o| o.text().collect::<String>() == "Cedar")
        .and_then(|o| o.value().attr("value").map(str::to_owned))
        .unwrap();
    let csv = ceo
        .get_raw(&format!("/insight/report.csv?school={cedar}"))
        .await
        .text()
        .await
        .unwrap();
    let line = csv.lines().find(|l| l.starts_with("1a i,")).unwrap();
    assert!(line.contains("withheld"), "{line}");
    // A leader has no report, and bad filters are refused plainly.
    assert_eq!(
        leader.get_raw("/insight/report.pdf").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        ceo.get_raw("/insight/report.csv?school=x").await.status(),
        StatusCode::BAD_REQUEST
    );
}
