//! The privacy matrix: every role against every route that reads or writes a
//! person's reflections, profile or notes, before and after the owner shares,
//! with the expected answer written down as a table. Runs on SQLite and on
//! PostgreSQL, and prints the table it checked.
//!
//! A denial must look exactly like "not found": the same status and the same body
//! as asking for a person who does not exist.

#![allow(clippy::print_stdout)]

use leadkit_domain::people::{PersonId, Role};
use reqwest::{Method, StatusCode};

use crate::helpers::{TestApp, Visitor};

/// Who is asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Owner,
    Coach,
    LineManager,
    SameSchoolLeader,
    SchoolLead,
    TrustLead,
    Administrator,
    OtherTrust,
    SignedOut,
}

const EVERYONE: [Who; 9] = [
    Who::Owner,
    Who::Coach,
    Who::LineManager,
    Who::SameSchoolLeader,
    Who::SchoolLead,
    Who::TrustLead,
    Who::Administrator,
    Who::OtherTrust,
    Who::SignedOut,
];

impl Who {
    fn label(self) -> &'static str {
        match self {
            Who::Owner => "owner",
            Who::Coach => "coach of the owner",
            Who::LineManager => "line manager of the owner",
            Who::SameSchoolLeader => "leader, same school",
            Who::SchoolLead => "school lead",
            Who::TrustLead => "trust lead",
            Who::Administrator => "administrator",
            Who::OtherTrust => "administrator, other trust",
            Who::SignedOut => "signed out",
        }
    }
}

/// What the owner has shared when the row is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Private,
    SharedWithCoach,
    SharedWithLineManager,
    SharedWithColleague,
    Revoked,
}

const STAGES: [Stage; 5] = [
    Stage::Private,
    Stage::SharedWithCoach,
    Stage::SharedWithLineManager,
    Stage::SharedWithColleague,
    Stage::Revoked,
];

impl Stage {
    fn label(self) -> &'static str {
        match self {
            Stage::Private => "private",
            Stage::SharedWithCoach => "+ coach",
            Stage::SharedWithLineManager => "+ line mgr",
            Stage::SharedWithColleague => "+ colleague",
            Stage::Revoked => "all revoked",
        }
    }
}

/// The routes that touch the owner's records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    /// `GET /people/{owner}/profile`
    ProfilePage,
    /// `GET /people/{owner}/profile/leadership-toolkit`
    ProfileOfFramework,
    /// `GET /api/people/{owner}/reflections/leadership-toolkit`
    ApiReflections,
    /// `PUT /api/me/reflections/…`: the only write; does it reach the owner's record?
    ApiWrite,
    /// `POST /profile/sharing`: does it change who sees the owner's records?
    Share,
}

const ROUTES: [Route; 5] = [
    Route::ProfilePage,
    Route::ProfileOfFramework,
    Route::ApiReflections,
    Route::ApiWrite,
    Route::Share,
];

impl Route {
    fn label(self) -> &'static str {
        match self {
            Route::ProfilePage => "GET profile",
            Route::ProfileOfFramework => "GET profile/fw",
            Route::ApiReflections => "GET api",
            Route::ApiWrite => "PUT api",
            Route::Share => "POST share",
        }
    }
}

/// The expected answers. `Y` allowed, `-` refused as "not found" (or, signed out,
/// sent to sign in), for [profile page, profile of framework, API read, write, share].
fn expected(who: Who, stage: Stage) -> [char; 5] {
    const ALL: [char; 5] = ['Y', 'Y', 'Y', 'Y', 'Y'];
    const READ: [char; 5] = ['Y', 'Y', 'Y', '-', '-'];
    const NONE: [char; 5] = ['-', '-', '-', '-', '-'];
    use Stage::*;
    use Who::*;
    match (who, stage) {
        (Owner, _) => ALL,
        (Coach, SharedWithCoach | SharedWithLineManager | SharedWithColleague) => READ,
        (LineManager, SharedWithLineManager | SharedWithColleague) => READ,
        (SameSchoolLeader, SharedWithColleague) => READ,
        // Leads and administrators see aggregates only, never a person's records;
        // nobody outside the trust sees anything; signing in comes first.
        _ => NONE,
    }
}

struct Cast {
    owner: PersonId,
    visitors: Vec<(Who, Visitor)>,
}

async fn cast(app: &TestApp) -> Cast {
    let oakwood = app
        .store
        .create_school(app.trust, "Oakwood Primary")
        .await
        .unwrap();
    let riverside = app
        .store
        .create_school(app.trust, "Riverside Academy")
        .await
        .unwrap();
    let elsewhere = app
        .store
        .create_trust("Another Trust", leadkit_web::Clock::System.now())
        .await
        .unwrap();
    let people = [
        (
            Who::Owner,
            app.trust,
            Some(oakwood),
            "Olu Owner",
            "owner@example.org",
            vec![Role::Leader],
        ),
        (
            Who::Coach,
            app.trust,
            Some(riverside),
            "Cora Coach",
            "coach@example.org",
            vec![Role::Leader, Role::Coach],
        ),
        (
            Who::LineManager,
            app.trust,
            Some(oakwood),
            "Lee Manager",
            "manager@example.org",
            vec![Role::Leader, Role::Coach],
        ),
        (
            Who::SameSchoolLeader,
            app.trust,
            Some(oakwood),
            "Sam Colleague",
            "colleague@example.org",
            vec![Role::Leader],
        ),
        (
            Who::SchoolLead,
            app.trust,
            Some(oakwood),
            "Shola Head",
            "head@example.org",
            vec![Role::Leader, Role::SchoolLead],
        ),
        (
            Who::TrustLead,
            app.trust,
            None,
            "Tomi Trust",
            "ceo@example.org",
            vec![Role::Leader, Role::TrustLead],
        ),
        (
            Who::Administrator,
            app.trust,
            None,
            "Ada Admin",
            "admin@example.org",
            vec![Role::Administrator],
        ),
        (
            Who::OtherTrust,
            elsewhere,
            None,
            "Otto Outside",
            "outside@elsewhere.example",
            vec![Role::Leader, Role::Administrator, Role::TrustLead],
        ),
    ];
    let mut ids = Vec::new();
    for (who, trust, school, name, email, roles) in &people {
        let id = app.person_in(*trust, *school, name, email, roles).await;
        ids.push((*who, id, *email));
    }
    let id_of = |who: Who| ids.iter().find(|(w, _, _)| *w == who).unwrap().1;
    let owner = id_of(Who::Owner);
    use leadkit_store::sharing::RelationshipKind;
    app.store
        .set_relationship(
            owner,
            RelationshipKind::Coach,
            Some(id_of(Who::Coach)),
            leadkit_web::Clock::System.now(),
        )
        .await
        .unwrap();
    app.store
        .set_relationship(
            owner,
            RelationshipKind::LineManager,
            Some(id_of(Who::LineManager)),
            leadkit_web::Clock::System.now(),
        )
        .await
        .unwrap();
    let mut visitors = Vec::new();
    for (who, id, email) in ids {
        visitors.push((who, app.signed_in(id, email).await));
    }
    visitors.push((Who::SignedOut, app.visitor()));
    Cast { owner, visitors }
}

fn visitor(cast: &mut Cast, who: Who) -> &mut Visitor {
    &mut cast.visitors.iter_mut().find(|(w, _)| *w == who).unwrap().1
}

/// The owner's note on 1a i, read as the owner.
async fn owners_note(cast: &mut Cast) -> String {
    let mine = visitor(cast, Who::Owner).my_reflections().await;
    mine["reflections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["item"] == "1a i")
        .map(|r| r["note"].as_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// Who the owner shares with, as their profile says.
async fn owners_audiences(cast: &mut Cast) -> String {
    visitor(cast, Who::Owner)
        .get("/profile")
        .await
        .text("[data-test-sharing] [data-test-audience]")
}

/// A GET as `who`: allowed, or refused exactly like a person who does not exist.
async fn read(who: Who, visitor: &mut Visitor, path: &str, owner: PersonId) -> char {
    let nobody = path.replace(&format!("/{}/", owner.0), "/987654321/");
    read_or_not_found(who, visitor, path, &nobody).await
}

/// The same, comparing a refusal with the answer for `nobody`, a path to
/// something that does not exist.
async fn read_or_not_found(who: Who, visitor: &mut Visitor, path: &str, nobody: &str) -> char {
    let response = visitor.get_raw(path).await;
    let status = response.status();
    let body = response.text().await.unwrap();
    if status == StatusCode::OK {
        assert!(
            body.contains("matrix secret"),
            "{path} as {who:?}: allowed but the note is missing"
        );
        return 'Y';
    }
    assert!(
        !body.contains("matrix secret") && !body.contains("Olu Owner"),
        "{path} as {who:?}: a refusal leaked the record"
    );
    if who == Who::SignedOut {
        assert!(
            status == StatusCode::SEE_OTHER || status == StatusCode::UNAUTHORIZED,
            "{path} signed out: {status}"
        );
        return '-';
    }
    assert_eq!(status, StatusCode::NOT_FOUND, "{path} as {who:?}");
    let missing = visitor.get_raw(nobody).await;
    assert_eq!(missing.status(), status, "{path} as {who:?}");
    assert_eq!(
        missing.text().await.unwrap(),
        body,
        "{path} as {who:?}: a refusal differs from \"not found\""
    );
    '-'
}

async fn try_route(cast: &mut Cast, who: Who, route: Route, round: usize) -> char {
    let owner = cast.owner;
    match route {
        Route::ProfilePage => {
            let path = format!("/people/{}/profile", owner.0);
            read(who, visitor(cast, who), &path, owner).await
        }
        Route::ProfileOfFramework => {
            let path = format!("/people/{}/profile/leadership-toolkit", owner.0);
            read(who, visitor(cast, who), &path, owner).await
        }
        Route::ApiReflections => {
            let path = format!("/api/people/{}/reflections/leadership-toolkit", owner.0);
            read(who, visitor(cast, who), &path, owner).await
        }
        Route::ApiWrite => {
            // Every write names no owner: it is the asker's own. It reaches the
            // owner's record only when the asker is the owner.
            let before = owners_note(cast).await;
            let note = format!("matrix secret, written by {who:?} in round {round}");
            let v = visitor(cast, who);
            let (status, _) = if who == Who::SignedOut {
                v.api_with_token(
                    Method::PUT,
                    "/api/me/reflections/leadership-toolkit/1a-i",
                    Some(serde_json::json!({ "judgement": "high", "note": note })),
                    None,
                )
                .await
            } else {
                v.reflect("1a i", Some("high"), &note).await
            };
            let after = owners_note(cast).await;
            if who == Who::SignedOut {
                assert!(
                    status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN,
                    "{status}"
                );
            }
            if after == note {
                'Y'
            } else {
                assert_eq!(after, before, "{who:?} changed the owner's record");
                '-'
            }
        }
        Route::Share => {
            // Share with a colleague who is nobody's coach or manager, then stop.
            let before = owners_audiences(cast).await;
            let v = visitor(cast, who);
            let status = if who == Who::SignedOut {
                v.post_form(
                    "/profile/sharing",
                    &[
                        ("audience", "person"),
                        ("email", "head@example.org"),
                        ("share", "yes"),
                    ],
                )
                .await
                .status()
            } else {
                let csrf = v.csrf().await;
                v.post_form(
                    "/profile/sharing",
                    &[
                        ("csrf", &csrf),
                        ("audience", "person"),
                        ("email", "head@example.org"),
                        ("share", "yes"),
                    ],
                )
                .await
                .status()
            };
            let during = owners_audiences(cast).await;
            if during != before {
                // It was the owner: undo, so the stage stays as it was.
                let owner = visitor(cast, Who::Owner);
                let csrf = owner.csrf().await;
                let undone = owner
                    .post_form(
                        "/profile/sharing",
                        &[
                            ("csrf", &csrf),
                            ("audience", "person"),
                            ("email", "head@example.org"),
                            ("share", "no"),
                        ],
                    )
                    .await;
                assert_eq!(undone.status(), StatusCode::SEE_OTHER);
                assert_eq!(owners_audiences(cast).await, before);
                'Y'
            } else {
                assert!(
                    // their own sharing changed, another trust's address was
                    // refused, or (signed out) the form was refused
                    status == StatusCode::SEE_OTHER
                        || status == StatusCode::UNPROCESSABLE_ENTITY
                        || status == StatusCode::FORBIDDEN
                        || status == StatusCode::UNAUTHORIZED,
                    "{who:?}: {status}"
                );
                '-'
            }
        }
    }
}

/// The owner's own click on their profile's sharing panel.
async fn owner_shares(cast: &mut Cast, fields: &[(&str, &str)]) {
    let owner = visitor(cast, Who::Owner);
    let csrf = owner.csrf().await;
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    let response = owner.post_form("/profile/sharing", &all).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

async fn enter(cast: &mut Cast, stage: Stage) {
    match stage {
        Stage::Private => {}
        Stage::SharedWithCoach => {
            owner_shares(cast, &[("audience", "coach"), ("share", "yes")]).await;
        }
        Stage::SharedWithLineManager => {
            owner_shares(cast, &[("audience", "line_manager"), ("share", "yes")]).await;
        }
        Stage::SharedWithColleague => {
            owner_shares(
                cast,
                &[
                    ("audience", "person"),
                    ("email", "colleague@example.org"),
                    ("share", "yes"),
                ],
            )
            .await;
        }
        Stage::Revoked => {
            owner_shares(cast, &[("audience", "coach"), ("share", "no")]).await;
            owner_shares(cast, &[("audience", "line_manager"), ("share", "no")]).await;
            let page = visitor(cast, Who::Owner).get("/profile").await;
            let colleague = page
                .attr("[data-test-audience=person] input[name=person]", "value")
                .unwrap();
            owner_shares(
                cast,
                &[
                    ("audience", "person"),
                    ("person", &colleague),
                    ("share", "no"),
                ],
            )
            .await;
        }
    }
}

async fn matrix(app: TestApp, backend: &str) {
    let mut cast = cast(&app).await;
    let (status, _) = visitor(&mut cast, Who::Owner)
        .reflect("1a i", Some("high"), "matrix secret")
        .await;
    assert_eq!(status, StatusCode::OK);

    let mut table = String::new();
    table.push_str(&format!(
        "\nprivacy matrix on {backend} (Y allowed, - refused as not found; routes: {})\n",
        ROUTES.map(Route::label).join(", ")
    ));
    table.push_str(&format!("{:<28}", "who \\ owner has shared"));
    for stage in STAGES {
        table.push_str(&format!("| {:<13}", stage.label()));
    }
    table.push('\n');
    let mut rows: Vec<String> = EVERYONE
        .iter()
        .map(|who| format!("{:<28}", who.label()))
        .collect();
    let mut failures = Vec::new();
    for (round, stage) in STAGES.into_iter().enumerate() {
        enter(&mut cast, stage).await;
        for (row, who) in EVERYONE.into_iter().enumerate() {
            let mut got = [' '; 5];
            for (i, route) in ROUTES.into_iter().enumerate() {
                got[i] = try_route(&mut cast, who, route, round).await;
            }
            let want = expected(who, stage);
            let cell: String = got.iter().collect();
            if got != want {
                failures.push(format!(
                    "{} at {}: expected {}, got {cell}",
                    who.label(),
                    stage.label(),
                    want.iter().collect::<String>()
                ));
            }
            rows[row].push_str(&format!("| {cell:<13}"));
        }
    }
    for row in rows {
        table.push_str(&row);
        table.push('\n');
    }
    println!("{table}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // Every read by someone else, and every share and unshare, is in the audit log.
    let log = app.store.audit_log(app.trust, 1000).await.unwrap();
    let count = |action: &str, actor: &str| {
        log.iter()
            .filter(|e| e.action.as_str() == action && e.actor_name == actor)
            .count()
    };
    assert!(count("viewed_records", "Cora Coach") >= 3 * 3, "{log:#?}");
    assert!(count("viewed_records", "Sam Colleague") >= 3);
    assert_eq!(count("viewed_records", "Shola Head"), 0);
    assert!(count("shared", "Olu Owner") >= 3);
    assert!(count("unshared", "Olu Owner") >= 3);
    println!("privacy matrix ran on {backend}");
    app.finish().await;
}

#[tokio::test]
async fn privacy_matrix_on_sqlite() {
    matrix(TestApp::start().await, "SQLite").await;
}

#[tokio::test]
async fn privacy_matrix_on_postgres() {
    if let Some(app) = TestApp::start_postgres().await {
        matrix(app, "PostgreSQL").await;
    }
}

/// Goals (with check-ins) and evidence, shared separately from reflections: the
/// same people and stages, sharing both kinds at each stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RecordRoute {
    /// `GET /goals/{goal}`
    Goal,
    /// `GET /people/{owner}/goals`
    GoalList,
    /// `GET /people/{owner}/evidence`
    EvidenceList,
    /// `GET /evidence/{id}/file`
    File,
    /// `POST /goals/{goal}/check-ins`: the owner, and their coach once goals are shared.
    CheckIn,
    /// `POST /goals/{goal}/actions`: the owner only.
    Action,
}

const RECORD_ROUTES: [RecordRoute; 6] = [
    RecordRoute::Goal,
    RecordRoute::GoalList,
    RecordRoute::EvidenceList,
    RecordRoute::File,
    RecordRoute::CheckIn,
    RecordRoute::Action,
];

fn expected_records(who: Who, stage: Stage) -> [char; 6] {
    const ALL: [char; 6] = ['Y'; 6];
    const READ: [char; 6] = ['Y', 'Y', 'Y', 'Y', '-', '-'];
    const COACH: [char; 6] = ['Y', 'Y', 'Y', 'Y', 'Y', '-'];
    const NONE: [char; 6] = ['-'; 6];
    use Stage::*;
    use Who::*;
    match (who, stage) {
        (Owner, _) => ALL,
        (Coach, SharedWithCoach | SharedWithLineManager | SharedWithColleague) => COACH,
        (LineManager, SharedWithLineManager | SharedWithColleague) => READ,
        (SameSchoolLeader, SharedWithColleague) => READ,
        _ => NONE,
    }
}

struct Records {
    goal: String,
    file: String,
}

/// How many check-ins and actions the owner's goal has, read from the store.
async fn goal_counts(app: &TestApp, goal: &str) -> (usize, usize) {
    let id = goal.trim_start_matches("/goals/").parse::<i64>().unwrap();
    let goal = app
        .store
        .goal(leadkit_domain::goal::GoalId(id))
        .await
        .unwrap();
    (goal.check_ins.len(), goal.actions.len())
}

async fn try_record_route(
    app: &TestApp,
    cast: &mut Cast,
    records: &Records,
    who: Who,
    route: RecordRoute,
) -> char {
    let owner = cast.owner;
    match route {
        RecordRoute::Goal => {
            read_or_not_found(who, visitor(cast, who), &records.goal, "/goals/987654321").await
        }
        RecordRoute::GoalList => {
            let path = format!("/people/{}/goals", owner.0);
            read(who, visitor(cast, who), &path, owner).await
        }
        RecordRoute::EvidenceList => {
            let path = format!("/people/{}/evidence", owner.0);
            read(who, visitor(cast, who), &path, owner).await
        }
        RecordRoute::File => {
            read_or_not_found(
                who,
                visitor(cast, who),
                &records.file,
                "/evidence/987654321/file",
            )
            .await
        }
        RecordRoute::CheckIn | RecordRoute::Action => {
            let before = goal_counts(app, &records.goal).await;
            let (path, fields) = if route == RecordRoute::CheckIn {
                (
                    format!("{}/check-ins", records.goal),
                    vec![("progress", "a check-in"), ("rag", "green")],
                )
            } else {
                (
                    format!("{}/actions", records.goal),
                    vec![("text", "an action")],
                )
            };
            let v = visitor(cast, who);
            let mut form = Vec::new();
            let csrf;
            if who != Who::SignedOut {
                csrf = v.csrf().await;
                form.push(("csrf", csrf.as_str()));
            }
            form.extend(fields);
            let status = v.post_form(&path, &form).await.status();
            let after = goal_counts(app, &records.goal).await;
            if after != before {
                assert_eq!(status, StatusCode::SEE_OTHER, "{who:?} {route:?}");
                'Y'
            } else {
                assert!(
                    status == StatusCode::NOT_FOUND
                        || status == StatusCode::FORBIDDEN
                        // Signed out: the sign-in form, carrying what was typed.
                        || (status == StatusCode::SEE_OTHER || status == StatusCode::UNAUTHORIZED)
                            && who == Who::SignedOut,
                    "{who:?} {route:?}: {status}"
                );
                '-'
            }
        }
    }
}

async fn owner_shares_records(cast: &mut Cast, fields: &[(&str, &str)]) {
    for record in ["goals", "evidence"] {
        let mut all = vec![("record", record)];
        all.extend_from_slice(fields);
        owner_shares(cast, &all).await;
    }
}

async fn enter_records(cast: &mut Cast, stage: Stage) {
    match stage {
        Stage::Private => {}
        Stage::SharedWithCoach => {
            owner_shares_records(cast, &[("audience", "coach"), ("share", "yes")]).await;
        }
        Stage::SharedWithLineManager => {
            owner_shares_records(cast, &[("audience", "line_manager"), ("share", "yes")]).await;
        }
        Stage::SharedWithColleague => {
            owner_shares_records(
                cast,
                &[
                    ("audience", "person"),
                    ("email", "colleague@example.org"),
                    ("share", "yes"),
                ],
            )
            .await;
        }
        Stage::Revoked => {
            owner_shares_records(cast, &[("audience", "coach"), ("share", "no")]).await;
            owner_shares_records(cast, &[("audience", "line_manager"), ("share", "no")]).await;
            let page = visitor(cast, Who::Owner).get("/goals").await;
            let colleague = page
                .attr("[data-test-audience=person] input[name=person]", "value")
                .unwrap();
            owner_shares_records(
                cast,
                &[
                    ("audience", "person"),
                    ("person", &colleague),
                    ("share", "no"),
                ],
            )
            .await;
        }
    }
}

async fn records_matrix(app: TestApp, backend: &str) {
    let mut cast = cast(&app).await;
    // Reflections stay shared with everyone throughout: goals and evidence are
    // shared on their own.
    for fields in [
        vec![("audience", "coach"), ("share", "yes")],
        vec![("audience", "line_manager"), ("share", "yes")],
    ] {
        owner_shares(&mut cast, &fields).await;
    }
    let owner = visitor(&mut cast, Who::Owner);
    let csrf = owner.csrf().await;
    let response = owner
        .post_form(
            "/goals",
            &[
                ("csrf", &csrf),
                ("item", "leadership-toolkit|1|1a i"),
                ("title", "matrix secret goal"),
                ("target_level", "high"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let goal = response.headers()["location"].to_str().unwrap().to_owned();
    let response = owner
        .post_multipart(
            "/evidence/upload",
            &[
                crate::helpers::Part::Text("csrf", &csrf),
                crate::helpers::Part::Text("title", "matrix secret evidence"),
                crate::helpers::Part::File("file", "secret.txt", b"matrix secret in a file"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let file = owner
        .get("/evidence")
        .await
        .attr("[data-test-file]", "href")
        .unwrap();
    let records = Records { goal, file };

    let mut table = format!(
        "\ngoals and evidence matrix on {backend} (Y allowed, - refused as not found; routes: GET goal, GET goals, GET evidence, GET file, POST check-in, POST action)\n{:<28}",
        "who \\ owner has shared"
    );
    for stage in STAGES {
        table.push_str(&format!("| {:<13}", stage.label()));
    }
    table.push('\n');
    let mut rows: Vec<String> = EVERYONE
        .iter()
        .map(|who| format!("{:<28}", who.label()))
        .collect();
    let mut failures = Vec::new();
    for stage in STAGES {
        enter_records(&mut cast, stage).await;
        for (row, who) in EVERYONE.into_iter().enumerate() {
            let mut got = [' '; 6];
            for (i, route) in RECORD_ROUTES.into_iter().enumerate() {
                got[i] = try_record_route(&app, &mut cast, &records, who, route).await;
            }
            let want = expected_records(who, stage);
            let cell: String = got.iter().collect();
            if got != want {
                failures.push(format!(
                    "{} at {}: expected {}, got {cell}",
                    who.label(),
                    stage.label(),
                    want.iter().collect::<String>()
                ));
            }
            rows[row].push_str(&format!("| {cell:<13}"));
        }
    }
    for row in rows {
        table.push_str(&row);
        table.push('\n');
    }
    println!("{table}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    println!("goals and evidence matrix ran on {backend}");
    app.finish().await;
}

#[tokio::test]
async fn goals_and_evidence_matrix_on_sqlite() {
    records_matrix(TestApp::start().await, "SQLite").await;
}

#[tokio::test]
async fn goals_and_evidence_matrix_on_postgres() {
    if let Some(app) = TestApp::start_postgres().await {
        records_matrix(app, "PostgreSQL").await;
    }
}
