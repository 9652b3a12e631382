//! Administration that guides: staff lists uploaded as CSV or XLSX with the
//! spreadsheet's own row numbers, the people list searched and filtered, and
//! everyone not yet invited invited in one step, after seeing who.

use leadkit_domain::people::Role;
use reqwest::StatusCode;

use crate::helpers::{Page, Part, TestApp, Visitor};

/// A staff list as a workbook written by rust_xlsxwriter, with a title row
/// above the headings and a blank row between the people.
fn workbook(rows: &[&[&str]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet
        .write_string(0, 0, "Oakwood staff, autumn 2026")
        .unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string(2 + r as u32, c as u16, *cell).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

async fn upload(admin: &mut Visitor, file_name: &str, bytes: &[u8]) -> (StatusCode, Page) {
    let csrf = admin.csrf().await;
    let response = admin
        .post_multipart(
            "/admin/people/import/upload",
            &[
                Part::Text("csrf", &csrf),
                Part::File("file", file_name, bytes),
            ],
        )
        .await;
    let status = response.status();
    (status, Page::from_html(&response.text().await.unwrap()))
}

fn texts(page: &Page, selector: &str) -> Vec<String> {
    page.select(selector)
        .iter()
        .map(|e| e.text().collect::<String>())
        .collect()
}

async fn admin_of(app: &TestApp) -> Visitor {
    let id = app
        .person("Ada Admin", "admin@example.org", &[Role::Administrator])
        .await;
    app.signed_in(id, "admin@example.org").await
}

#[tokio::test]
async fn an_xlsx_staff_list_is_checked_by_its_sheet_rows_then_applied_from_the_form() {
    let app = TestApp::start().await;
    let mut admin = admin_of(&app).await;
    let bytes = workbook(&[
        &["Name", "Email", "School", "Role"],
        &[
            "Amara Okafor",
            "amara@oak.example",
            "Oakwood",
            "leader; school lead",
        ],
        &[],
        &["Ben Khan", "not-an-email", "Oakwood", "leader"],
    ]);
    // Row 1 title, row 3 headings, row 4 Amara, row 5 blank, row 6 Ben.
    let (status, page) = upload(&mut admin, "staff.xlsx", &bytes).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let problems = texts(&page, "[data-test-problem]");
    assert_eq!(
        problems,
        ["row 6: \"not-an-email\" is not an email address"]
    );
    assert!(
        page.text("[data-test-import-problems] h2")
            .contains("in staff.xlsx")
    );
    // The list as read is in the form, to correct there or in the sheet.
    assert!(
        page.text("textarea#csv")
            .contains("Amara Okafor,amara@oak.example")
    );
    assert!(app.store.people_in_trust(app.trust).await.unwrap().len() == 1);

    let fixed = workbook(&[
        &["Name", "Email", "School", "Role"],
        &[
            "Amara Okafor",
            "amara@oak.example",
            "Oakwood",
            "leader; school lead",
        ],
        &[],
        &["Ben Khan", "ben@oak.example", "Oakwood", "leader"],
    ]);
    let (status, page) = upload(&mut admin, "staff.xlsx", &fixed).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        texts(&page, "[data-test-change]"),
        [
            "Add school Oakwood",
            "Row 4: add Amara Okafor (amara@oak.example)",
            "Row 6: add Ben Khan (ben@oak.example)"
        ]
    );
    // Uploading only checks; applying posts the list the page shows.
    assert_eq!(app.store.people_in_trust(app.trust).await.unwrap().len(), 1);
    let csv: String = page.select("textarea#csv")[0].text().collect();
    let csrf = admin.csrf().await;
    let response = admin
        .post_form(
            "/admin/people/import",
            &[("csrf", &csrf), ("csv", &csv), ("step", "apply")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let done = Page::from_html(&response.text().await.unwrap());
    assert!(
        done.text("[data-test-import-done]")
            .contains("2 people added")
    );
    assert_eq!(
        done.attr("[data-test-next-invite]", "href").as_deref(),
        Some("/admin/people/invite-all"),
        "the next step is to invite them"
    );
    assert_eq!(app.store.people_in_trust(app.trust).await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_workbook_saved_by_libreoffice_and_csv_files_are_read_with_the_rows_a_spreadsheet_shows()
{
    let app = TestApp::start().await;
    let mut admin = admin_of(&app).await;
    // Written by LibreOffice Calc (tests/fixtures/make_staff_xlsx.sh): row 2
    // Amara with a two-line note, row 3 blank, row 4 Ben, row 5 Chloe, "wizard".
    let libreoffice = include_bytes!("../fixtures/staff_libreoffice.xlsx");
    let (status, page) = upload(&mut admin, "staff_libreoffice.xlsx", libreoffice).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let problems = texts(&page, "[data-test-problem]");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("row 5: \"wizard\" is not a role"),
        "{problems:?}"
    );

    // The same list as a CSV file with a byte-order mark and Windows line ends.
    let csv = "\u{feff}Name,Email,School,Role,Notes\r\n\
               Amara Okafor,amara@oak.example,Oakwood,leader,\"Head since 2019\r\nNPQH\"\r\n\
               \r\n\
               Ben Khan,ben@oak.example,Oakwood,leader,\r\n\
               Chloe Davies,chloe@oak.example,Oakwood,wizard,\r\n";
    let (status, page) = upload(&mut admin, "staff.csv", csv.as_bytes()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let problems = texts(&page, "[data-test-problem]");
    assert!(problems[0].starts_with("row 5: \"wizard\""), "{problems:?}");

    // Neither a workbook nor text: a clear message, and nothing else.
    let (status, page) = upload(&mut admin, "photo.jpg", b"\xff\xd8\xff\xe0 not a list").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        texts(&page, "[data-test-problem]")[0].contains("neither an Excel workbook"),
        "{:?}",
        texts(&page, "[data-test-problem]")
    );
    // No file chosen.
    let csrf = admin.csrf().await;
    let response = admin
        .post_multipart("/admin/people/import/upload", &[Part::Text("csrf", &csrf)])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Another session's form is refused before the file is read.
    let response = admin
        .post_multipart(
            "/admin/people/import/upload",
            &[
                Part::Text("csrf", "forged"),
                Part::File("file", "staff.csv", csv.as_bytes()),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // A leader cannot upload at all.
    let mut leader = app.leader("Lee Leader", "lee@example.org").await;
    let csrf = leader.csrf().await;
    let response = leader
        .post_multipart(
            "/admin/people/import/upload",
            &[
                Part::Text("csrf", &csrf),
                Part::File("file", "staff.csv", csv.as_bytes()),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.store.people_in_trust(app.trust).await.unwrap().len(), 2);
}

async fn import(admin: &mut Visitor, list: &str) {
    let csrf = admin.csrf().await;
    let response = admin
        .post_form(
            "/admin/people/import",
            &[("csrf", &csrf), ("csv", list), ("step", "apply")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

const TRUST: &str = "name,email,school,role,line manager's email\n\
Amara Okafor,amara@oak.example,Oakwood,leader; school lead; coach,\n\
Ben Khan,ben@oak.example,Oakwood,leader,amara@oak.example\n\
Chloe Davies,chloe@river.example,Riverside,leader,\n\
Dev Thomas,dev@river.example,Riverside,leader; coach,\n";

#[tokio::test]
async fn the_people_list_is_searched_and_filtered_by_name_school_role_and_signing_in() {
    let app = TestApp::start().await;
    let mut admin = admin_of(&app).await;
    import(&mut admin, TRUST).await;
    let people = |page: &Page| {
        page.select("[data-test-person]")
            .iter()
            .map(|e| e.value().attr("data-test-person").unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    let page = admin.get("/admin/people").await;
    assert_eq!(people(&page).len(), 5);
    assert_eq!(
        page.text("[data-test-invite-all-link]"),
        "Invite everyone not yet invited (4)"
    );
    assert!(
        page.text("[data-test-person='ben@oak.example'] [data-test-access]")
            .contains("Not invited yet")
    );

    let page = admin.get("/admin/people?q=KHAN").await;
    assert_eq!(people(&page), ["ben@oak.example"]);
    assert_eq!(page.text("[data-test-people-count]"), "Showing 1 of 5.");
    assert_eq!(
        page.attr("[data-test-people-q]", "value").as_deref(),
        Some("KHAN")
    );
    let page = admin.get("/admin/people?q=river.example").await;
    assert_eq!(people(&page), ["chloe@river.example", "dev@river.example"]);

    let schools = app.store.schools(app.trust).await.unwrap();
    let riverside = schools.iter().find(|s| s.name == "Riverside").unwrap().id.0;
    let page = admin
        .get(&format!("/admin/people?school={riverside}&role=coach"))
        .await;
    assert_eq!(people(&page), ["dev@river.example"]);
    let page = admin.get("/admin/people?school=none").await;
    assert_eq!(people(&page), ["admin@example.org"]);
    let page = admin.get("/admin/people?access=can-sign-in").await;
    assert_eq!(people(&page), ["admin@example.org"]);
    let page = admin.get("/admin/people?coach=none&q=oak").await;
    assert_eq!(people(&page), ["amara@oak.example", "ben@oak.example"]);
    // Nonsense in the query is ignored rather than refused.
    let page = admin
        .get("/admin/people?school=abc&role=wizard&access=%00")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(people(&page).len(), 5);
    let page = admin.get("/admin/people?q=nobody-by-this-name").await;
    assert!(
        page.text("[data-test-people-none]")
            .contains("No one matches")
    );
}

#[tokio::test]
async fn everyone_not_yet_invited_is_invited_in_one_step_after_a_preview_of_who() {
    let app = TestApp::start().await;
    let mut admin = admin_of(&app).await;
    import(&mut admin, TRUST).await;
    let page = admin.get("/admin/people/invite-all").await;
    let invitees: Vec<String> = page
        .select("[data-test-invitee]")
        .iter()
        .map(|e| e.value().attr("data-test-invitee").unwrap().to_owned())
        .collect();
    assert_eq!(
        invitees,
        [
            "amara@oak.example",
            "ben@oak.example",
            "chloe@river.example",
            "dev@river.example"
        ]
    );
    // Someone added after the preview is not invited by it.
    import(
        &mut admin,
        &format!("{TRUST}Eve Evans,eve@river.example,Riverside,leader,\n"),
    )
    .await;
    let csrf = admin.csrf().await;
    let ids: Vec<String> = page
        .select("[data-test-invitee] input[name=person]")
        .iter()
        .map(|e| e.value().attr("value").unwrap().to_owned())
        .collect();
    let mut fields = vec![("csrf", csrf.as_str())];
    fields.extend(ids.iter().map(|id| ("person", id.as_str())));
    let response = admin.post_form("/admin/people/invite-all", &fields).await;
    assert_eq!(response.status(), StatusCode::OK);
    let sent = Page::from_html(&response.text().await.unwrap());
    let invited: Vec<String> = sent
        .select("[data-test-invited]")
        .iter()
        .map(|e| e.value().attr("data-test-invited").unwrap().to_owned())
        .collect();
    assert_eq!(invited.len(), 4);
    assert!(!invited.contains(&"eve@river.example".to_owned()));
    // Without email on this server, each person's own link is shown to pass on.
    assert!(
        sent.text("[data-test-invited-summary]")
            .contains("Email is not set up")
    );
    assert!(
        sent.text("[data-test-invited='ben@oak.example']")
            .contains("/welcome/")
    );
    let page = admin.get("/admin/people?access=invited").await;
    assert_eq!(page.select("[data-test-person]").len(), 4);
    assert!(
        page.text("[data-test-person='ben@oak.example'] [data-test-access]")
            .contains("Invited, not yet accepted")
    );
    // Eve, added after the first preview, is the only one left to invite.
    let page = admin.get("/admin/people/invite-all").await;
    assert_eq!(page.select("[data-test-invitee]").len(), 1);
    // A repeated post of the old preview invites nobody twice.
    let response = admin.post_form("/admin/people/invite-all", &fields).await;
    let again = Page::from_html(&response.text().await.unwrap());
    assert!(
        again
            .text("[data-test-invited-none]")
            .contains("Nobody was invited")
    );
    let invitations = app
        .store
        .audit_log(app.trust, 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.detail.starts_with("invited "))
        .count();
    assert_eq!(invitations, 4, "each invitation is in the audit log once");
}

#[tokio::test]
async fn coach_and_line_manager_pickers_are_grouped_by_school_with_the_persons_own_school_first() {
    let app = TestApp::start().await;
    let mut admin = admin_of(&app).await;
    import(&mut admin, TRUST).await;
    let people = app.store.people_in_trust(app.trust).await.unwrap();
    let chloe = people
        .iter()
        .find(|p| p.email == "chloe@river.example")
        .unwrap();
    let page = admin
        .get(&format!("/admin/people/{}/relationships", chloe.id.0))
        .await;
    let groups: Vec<String> = page
        .select("[data-test-coach-picker] optgroup")
        .iter()
        .map(|g| g.value().attr("label").unwrap().to_owned())
        .collect();
    assert_eq!(
        groups,
        ["Riverside", "Oakwood"],
        "Chloe's school first; the administrator is not offered"
    );
    let riverside: Vec<String> = page
        .select("[data-test-coach-picker] optgroup[label=Riverside] option")
        .iter()
        .map(|o| o.text().collect())
        .collect();
    assert_eq!(
        riverside,
        ["Dev Thomas · coach"],
        "nobody is their own coach"
    );
    assert_eq!(
        page.select("[data-test-line-manager-picker] optgroup[label=Oakwood] option")
            .len(),
        2
    );
    assert!(
        page.select("[data-picker-find=coach] input[type=search]")
            .len()
            == 1
    );
}
