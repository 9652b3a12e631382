//! `leadkit backup` while the real server runs, and `leadkit restore` into fresh
//! databases: every table comes back row for row (compared through the portable
//! export of both). Bad files and non-empty targets are refused with a message.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

mod common;

use std::path::Path;
use std::process::{Command, Output};

use leadkit_store::Store;

fn leadkit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leadkit"))
        .args(args)
        .env_remove("LEADKIT_DATABASE_URL")
        .env_remove("LEADKIT_DATA_DIR")
        .output()
        .unwrap()
}

fn ok(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn refused(output: &Output) -> String {
    assert!(!output.status.success(), "should have been refused");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Every table of the database, as the portable export writes it.
async fn tables(store: &Store) -> String {
    let mut out = Vec::new();
    store.export_portable(&mut out).await.unwrap();
    String::from_utf8(out).unwrap()
}

async fn sqlite_tables(data: &Path) -> String {
    let store = Store::open_sqlite(&data.join("leadkit.db")).await.unwrap();
    let dumped = tables(&store).await;
    store.close().await;
    dumped
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_serving_restores_exactly_on_sqlite_and_postgres() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let server = common::start(&data);
    let data_arg = data.to_str().unwrap();

    // An evidence file, kept outside the database, named by a piece of evidence.
    let evidence_bytes = b"%PDF-1.4\nthe evidence survives a restore\n%%EOF\n".to_vec();
    let sha256 = {
        let files = leadkit_store::files::FileStore::new(data.join("evidence"), 1 << 20);
        let mut pending = files.begin().await.unwrap();
        pending.write(&evidence_bytes).await.unwrap();
        let kept = pending.finish().await.unwrap();
        let store = Store::open_sqlite(&data.join("leadkit.db")).await.unwrap();
        let trust = store
            .trust_named("Demo Academies Trust")
            .await
            .unwrap()
            .unwrap();
        let email = leadkit_domain::people::Email::parse("dev.thomas@oakwood.example").unwrap();
        let person = store.person_by_email(trust, &email).await.unwrap().unwrap();
        let school = store.person(person).await.unwrap().school;
        let cycle = store
            .current_cycle(trust, school, leadkit_web::Clock::System.now().date())
            .await
            .unwrap()
            .unwrap();
        store
            .add_evidence(
                person,
                cycle.id,
                &leadkit_store::evidence::NewEvidence {
                    title: leadkit_domain::goal::Line::required("title", "Plan", "x").unwrap(),
                    on: cycle.starts_on,
                    note: Default::default(),
                    link: None,
                    file: Some(leadkit_domain::evidence::StoredFile {
                        name: "plan.pdf".into(),
                        sha256: kept.sha256.clone(),
                        size: kept.size,
                        media_type: "application/pdf".into(),
                    }),
                },
                &[],
                &[],
                leadkit_web::Clock::System.now(),
            )
            .await
            .unwrap();
        store.close().await;
        kept.sha256
    };

    // Online backups, while the server runs: SQLite's copy and the portable export.
    let copy = dir.path().join("leadkit-backup.db");
    let portable = dir.path().join("leadkit-backup.jsonl");
    ok(&leadkit(&[
        "backup",
        copy.to_str().unwrap(),
        "--data-dir",
        data_arg,
    ]));
    let said = ok(&leadkit(&[
        "backup",
        portable.to_str().unwrap(),
        "--portable",
        "--data-dir",
        data_arg,
    ]));
    assert!(said.contains("portable export"), "{said}");
    // Never over an existing file.
    let error = refused(&leadkit(&[
        "backup",
        copy.to_str().unwrap(),
        "--data-dir",
        data_arg,
    ]));
    assert!(error.contains("already exists"), "{error}");
    drop(server);
    let original = sqlite_tables(&data).await;
    assert!(original.contains("Demo Academies Trust"));

    // Into a fresh SQLite data folder, from each kind of backup.
    for (name, file) in [("from-copy", &copy), ("from-portable", &portable)] {
        let target = dir.path().join(name);
        let said = ok(&leadkit(&[
            "restore",
            file.to_str().unwrap(),
            "--data-dir",
            target.to_str().unwrap(),
        ]));
        assert!(said.starts_with("Restored "), "{said}");
        assert!(said.contains("Restored 1 evidence file"), "{said}");
        assert!(!said.contains("Warning"), "{said}");
        assert_eq!(sqlite_tables(&target).await, original, "{name}");
        assert_eq!(
            std::fs::read(target.join("evidence").join(&sha256[..2]).join(&sha256)).unwrap(),
            evidence_bytes,
            "{name}: the evidence file came back"
        );
        // A second restore into the same, now non-empty, database is refused.
        let error = refused(&leadkit(&[
            "restore",
            file.to_str().unwrap(),
            "--data-dir",
            target.to_str().unwrap(),
        ]));
        assert!(error.contains("not empty"), "{error}");
        assert_eq!(sqlite_tables(&target).await, original, "{name} unchanged");
    }

    // A tampered evidence file is refused, and the restore says the file is missing.
    let tampered = dir.path().join("tampered.jsonl");
    std::fs::copy(&portable, &tampered).unwrap();
    let tampered_evidence = dir
        .path()
        .join("tampered.jsonl.evidence")
        .join(&sha256[..2]);
    std::fs::create_dir_all(&tampered_evidence).unwrap();
    std::fs::write(tampered_evidence.join(&sha256), b"not the original").unwrap();
    let said = ok(&leadkit(&[
        "restore",
        tampered.to_str().unwrap(),
        "--data-dir",
        dir.path().join("from-tampered").to_str().unwrap(),
    ]));
    assert!(said.contains("did not match its name"), "{said}");
    assert!(
        said.contains("Warning: 1 evidence file named by the database is not in"),
        "{said}"
    );

    // A broken file is refused and leaves the fresh database empty.
    let broken = dir.path().join("broken.jsonl");
    let text = std::fs::read_to_string(&portable).unwrap();
    let cut: String = text.lines().take(40).collect::<Vec<_>>().join("\n") + "\n[1, 2";
    std::fs::write(&broken, cut).unwrap();
    let target = dir.path().join("from-broken");
    let error = refused(&leadkit(&[
        "restore",
        broken.to_str().unwrap(),
        "--data-dir",
        target.to_str().unwrap(),
    ]));
    assert!(error.contains("line 41"), "{error}");
    assert!(
        !sqlite_tables(&target)
            .await
            .contains("Demo Academies Trust")
    );

    // Into PostgreSQL, from the SQLite copy.
    let Some(pg) = leadkit_store::testing::postgres_url() else {
        assert!(
            std::env::var("CI").is_err(),
            "CI is set but LEADKIT_TEST_PG_URL is not"
        );
        println!("skipped on PostgreSQL: no PostgreSQL URL");
        return;
    };
    let url = leadkit_store::testing::create_postgres_database(&pg)
        .await
        .unwrap();
    ok(&leadkit(&[
        "restore",
        copy.to_str().unwrap(),
        "--database-url",
        &url,
    ]));
    let store = Store::connect(&url).await.unwrap();
    assert_eq!(tables(&store).await, original);
    // And a PostgreSQL backup restores back into SQLite.
    let from_pg = dir.path().join("from-postgres.jsonl");
    ok(&leadkit(&[
        "backup",
        from_pg.to_str().unwrap(),
        "--database-url",
        &url,
    ]));
    store.close().await;
    leadkit_store::testing::drop_postgres_database(&pg, &url)
        .await
        .unwrap();
    let target = dir.path().join("back-to-sqlite");
    ok(&leadkit(&[
        "restore",
        from_pg.to_str().unwrap(),
        "--data-dir",
        target.to_str().unwrap(),
    ]));
    assert_eq!(sqlite_tables(&target).await, original);
    println!("backup and restore ran on PostgreSQL");
}
