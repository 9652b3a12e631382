//! `leadkit people import` and `leadkit people archive` on a real data folder.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::{Command, Output};

fn leadkit(data: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leadkit"))
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .env_remove("LEADKIT_DATABASE_URL")
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_staff_list_is_checked_applied_once_and_people_who_left_are_archived() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    stdout(&leadkit(&data, &["demo"]));
    let list = dir.path().join("staff.csv");
    std::fs::write(
        &list,
        "Name,Email,School,Role,Line manager's email,Team\n\
         Wren Lee,wren@meadow.example,Meadow School,leader; school lead,,\n\
         Ash Kim,ash@meadow.example,Meadow School,leader,wren@meadow.example,Year 6\n",
    )
    .unwrap();
    let file = list.to_str().unwrap();
    let dry = stdout(&leadkit(&data, &["people", "import", file]));
    assert!(
        dry.contains("Row 3: add Ash Kim (ash@meadow.example)"),
        "{dry}"
    );
    assert!(dry.contains("Dry run: 4 changes, nothing changed"), "{dry}");
    let again = stdout(&leadkit(&data, &["people", "import", file]));
    assert!(
        again.contains("Dry run: 4 changes"),
        "a dry run changed something: {again}"
    );
    let applied = stdout(&leadkit(&data, &["people", "import", file, "--apply"]));
    assert!(applied.contains("2 people added"), "{applied}");
    let twice = stdout(&leadkit(&data, &["people", "import", file, "--apply"]));
    assert!(twice.contains("Nothing to change"), "{twice}");

    std::fs::write(&list, "name,email,school,role\nX,bad,Oak,wizard\n").unwrap();
    let refused = leadkit(&data, &["people", "import", file, "--apply"]);
    assert!(!refused.status.success());
    let error = String::from_utf8_lossy(&refused.stderr);
    assert!(
        error.contains("row 2: \"bad\" is not an email address"),
        "{error}"
    );

    let related = stdout(&leadkit(
        &data,
        &[
            "people",
            "relate",
            "ash@meadow.example",
            "--coach",
            "ben.khan@oakwood.example",
        ],
    ));
    assert!(related.contains("coach set"), "{related}");
    let unknown = leadkit(
        &data,
        &[
            "people",
            "relate",
            "ash@meadow.example",
            "--line-manager",
            "nobody@x.example",
        ],
    );
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no one (not archived) has"));

    let archived = stdout(&leadkit(
        &data,
        &["people", "archive", "ash@meadow.example"],
    ));
    assert!(archived.contains("can no longer sign in"), "{archived}");
    let gone = leadkit(&data, &["people", "archive", "ash@meadow.example"]);
    assert!(!gone.status.success());

    // A person's data, as JSON; then erasing them, confirmed.
    let exported = stdout(&leadkit(
        &data,
        &["people", "export", "dev.thomas@oakwood.example"],
    ));
    let json: serde_json::Value = serde_json::from_str(&exported).unwrap();
    assert_eq!(json["person"]["name"], "Dev Thomas");
    assert!(!json["reflections"].as_array().unwrap().is_empty());
    let unconfirmed = leadkit(
        &data,
        &[
            "people",
            "erase",
            "dev.thomas@oakwood.example",
            "--confirm",
            "someone@else.example",
        ],
    );
    assert!(!unconfirmed.status.success());
    let erased = stdout(&leadkit(
        &data,
        &[
            "people",
            "erase",
            "dev.thomas@oakwood.example",
            "--confirm",
            "DEV.THOMAS@oakwood.example",
        ],
    ));
    assert!(erased.contains("Erased"), "{erased}");
    assert!(
        !leadkit(&data, &["people", "export", "dev.thomas@oakwood.example"])
            .status
            .success()
    );
    let audit = stdout(&leadkit(&data, &["audit-export"]));
    assert!(audit.starts_with("id,at,actor_id,actor,action,subject_id,subject,detail"));
    assert!(audit.contains(",erased,"), "{audit}");

    // Each change from the command line is in the audit log.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let actions: Vec<String> = runtime.block_on(async {
        let store = leadkit_store::Store::open_sqlite(&data.join("leadkit.db"))
            .await
            .unwrap();
        let trust = store.trusts().await.unwrap()[0].0;
        let log = store.audit_log(trust, 50).await.unwrap();
        store.close().await;
        log.iter()
            .filter(|e| e.detail.contains("from the command line"))
            .map(|e| e.action.as_str().to_owned())
            .collect()
    });
    assert_eq!(
        actions,
        [
            "erased",
            "archived",
            "relationship_changed",
            "staff_imported"
        ]
    );
}

/// A name that a spreadsheet would run as a formula reaches the audit CSV as text.
#[test]
fn the_audit_export_writes_formulas_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    stdout(&leadkit(&data, &["demo"]));
    let list = dir.path().join("staff.csv");
    std::fs::write(
        &list,
        "name,email,school,role\n\"=HYPERLINK(\"\"https://evil.example\"\",\"\"x\"\")\",formula@meadow.example,Meadow School,leader\n\"@SUM(1)\",at@meadow.example,Meadow School,leader\n",
    )
    .unwrap();
    stdout(&leadkit(
        &data,
        &["people", "import", list.to_str().unwrap(), "--apply"],
    ));
    // Something the two of them did, as the web records it (the command line's
    // own entries name no person).
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = leadkit_store::Store::open_sqlite(&data.join("leadkit.db"))
            .await
            .unwrap();
        let trust = store.trusts().await.unwrap()[0].0;
        for email in ["formula@meadow.example", "at@meadow.example"] {
            let email = leadkit_domain::people::Email::parse(email).unwrap();
            let person = store.credentials(&email).await.unwrap().unwrap().person;
            let record = leadkit_store::audit::AuditRecord {
                trust,
                actor: person,
                action: leadkit_domain::audit::AuditAction::Shared,
                subject: Some(person),
                detail: "shared their reflections",
            };
            store
                .audit(record, time::macros::datetime!(2026-12-02 10:00 UTC))
                .await
                .unwrap();
        }
        store.close().await;
    });
    let audit = stdout(&leadkit(&data, &["audit-export"]));
    let mut reader = csv::Reader::from_reader(audit.as_bytes());
    let subjects: Vec<String> = reader
        .records()
        .map(|row| row.unwrap()[6].to_owned())
        .filter(|subject| subject.contains("SUM") || subject.contains("HYPERLINK"))
        .collect();
    assert_eq!(subjects.len(), 2, "{audit}");
    for subject in subjects {
        assert!(
            subject.starts_with("'=") || subject.starts_with("'@"),
            "{subject}"
        );
    }
}

/// No command can leave the trust without an administrator, and someone
/// archived by mistake can be given their access back (not someone erased).
#[test]
fn the_last_administrator_stays_and_an_archived_person_can_come_back() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    stdout(&leadkit(&data, &["demo"]));
    const ADMIN: &str = "admin@demo-trust.example";

    // An import that makes the only administrator a leader changes nothing.
    let list = dir.path().join("staff.csv");
    std::fs::write(
        &list,
        format!("name,email,school,role\nMorgan Ellis,{ADMIN},,leader\n"),
    )
    .unwrap();
    let file = list.to_str().unwrap();
    let demoted = leadkit(&data, &["people", "import", file, "--apply"]);
    assert!(!demoted.status.success());
    let error = String::from_utf8_lossy(&demoted.stderr);
    assert!(
        error.contains("the trust would have no administrator"),
        "{error}"
    );
    // Nor does one that would archive everyone else, the administrator included.
    std::fs::write(
        &list,
        "name,email,school,role\nOnly One,only@meadow.example,Meadow School,leader\n",
    )
    .unwrap();
    let emptied = leadkit(
        &data,
        &["people", "import", file, "--apply", "--archive-missing"],
    );
    assert!(!emptied.status.success());
    let error = String::from_utf8_lossy(&emptied.stderr);
    assert!(
        error.contains("the trust would have no administrator"),
        "{error}"
    );
    // Archiving the administrator directly is refused too.
    let archived = leadkit(&data, &["people", "archive", ADMIN]);
    assert!(!archived.status.success());
    let error = String::from_utf8_lossy(&archived.stderr);
    assert!(error.contains("no administrator"), "{error}");
    assert!(stdout(&leadkit(&data, &["people", "export", ADMIN])).contains("Morgan Ellis"));

    // Someone archived comes back, once; the audit log says so.
    const LEADER: &str = "ben.khan@oakwood.example";
    stdout(&leadkit(&data, &["people", "archive", LEADER]));
    assert!(
        !leadkit(&data, &["people", "export", LEADER])
            .status
            .success()
    );
    let back = stdout(&leadkit(&data, &["people", "unarchive", LEADER]));
    assert!(back.contains("can sign in again"), "{back}");
    assert!(stdout(&leadkit(&data, &["people", "export", LEADER])).contains("Ben Khan"));
    let again = leadkit(&data, &["people", "unarchive", LEADER]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("is not archived"));
    let unknown = leadkit(&data, &["people", "unarchive", "nobody@x.example"]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no one archived has"));
    let audit = stdout(&leadkit(&data, &["audit-export"]));
    assert!(audit.contains(",unarchived,"), "{audit}");
}
