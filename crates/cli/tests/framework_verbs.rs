//! `leadkit framework import | export | diff | list`, run as an administrator would.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

fn leadkit(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leadkit"))
        .args(args)
        .env("LEADKIT_DATA_DIR", data)
        .env("LEADKIT_LOG", "warn")
        .env_remove("LEADKIT_DATABASE_URL")
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn a_spreadsheet_edit_becomes_a_new_version_and_diff_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let export = leadkit(
        &data,
        &[
            "framework",
            "export",
            "leadership-toolkit",
            "--format",
            "csv",
        ],
    );
    assert!(export.status.success(), "{}", stderr(&export));
    let sheet = stdout(&export);
    assert_eq!(
        sheet.lines().next().unwrap(),
        "code,parent,kind,title,introduction,Some impact [some],High impact [high],Highest impact [highest]"
    );

    let edited = dir.path().join("leadership-toolkit.csv");
    std::fs::write(
        &edited,
        sheet.replace(
            "Understanding of statutory guidance and governance",
            "Statutory guidance and governance",
        ),
    )
    .unwrap();
    let import = leadkit(&data, &["framework", "import", edited.to_str().unwrap()]);
    assert!(import.status.success(), "{}", stderr(&import));
    assert!(
        stdout(&import).contains("imported leadership-toolkit version 2"),
        "{}",
        stdout(&import)
    );

    let diff = leadkit(
        &data,
        &[
            "framework",
            "diff",
            "leadership-toolkit@1",
            "leadership-toolkit@2",
        ],
    );
    assert_eq!(
        stdout(&diff).trim(),
        "~ 1a title: \"Understanding of statutory guidance and governance\" → \"Statutory guidance and governance\""
    );

    // The same file again changes nothing.
    let again = leadkit(&data, &["framework", "import", edited.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("the same as leadership-toolkit version 2"),
        "{}",
        stderr(&again)
    );
}

#[test]
fn a_broken_file_imports_nothing_and_names_each_problem() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let before = stdout(&leadkit(&data, &["framework", "list"]));

    let broken = dir.path().join("trust-standards.csv");
    std::fs::write(
        &broken,
        "code,parent,kind,title,introduction\nA,,area,Area,\nA.1,A,standard,First,\nA.1,A,standard,Twice,\nB.1,B,standard,Orphan,\nC,D,area,Loop,\nD,C,area,Loop,\n",
    )
    .unwrap();
    let import = leadkit(&data, &["framework", "import", broken.to_str().unwrap()]);
    assert!(!import.status.success());
    let message = stderr(&import);
    for expected in [
        "nothing was imported",
        "line 4: the code A.1 is already used on line 3",
        "line 5: the parent B is not the code of any row",
        "line 6: C is its own ancestor",
        "line 7: D is its own ancestor",
    ] {
        assert!(
            message.contains(expected),
            "missing {expected:?} in:\n{message}"
        );
    }

    let json = dir.path().join("bad.json");
    std::fs::write(&json, "{\"id\": \"x\", \"items\": [").unwrap();
    let import = leadkit(&data, &["framework", "import", json.to_str().unwrap()]);
    assert!(
        stderr(&import).contains("line 1, column 22"),
        "{}",
        stderr(&import)
    );

    let huge = dir.path().join("huge.csv");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(200 * 1024 * 1024)
        .unwrap();
    let import = leadkit(&data, &["framework", "import", huge.to_str().unwrap()]);
    assert!(stderr(&import).contains("200.0 MB"), "{}", stderr(&import));

    assert_eq!(
        stdout(&leadkit(&data, &["framework", "list"])),
        before,
        "nothing was stored"
    );
}

#[test]
fn a_new_framework_from_a_sheet_without_levels_uses_the_trust_scale() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let sheet = dir.path().join("Our Trust Standards.csv");
    std::fs::write(
        &sheet,
        "code,parent,kind,title,introduction\n1,,area,Teaching,\n1.1,1,standard,Plans lessons well,\n1.2,1,standard,Knows the pupils,\n",
    )
    .unwrap();
    let import = leadkit(
        &data,
        &[
            "framework",
            "import",
            sheet.to_str().unwrap(),
            "--title",
            "Our Trust Standards",
        ],
    );
    assert!(import.status.success(), "{}", stderr(&import));
    assert!(
        stdout(&import).contains("our-trust-standards declares no levels"),
        "{}",
        stdout(&import)
    );
    let list = stdout(&leadkit(&data, &["framework", "list"]));
    assert!(
        list.contains("our-trust-standards\tversion 1\tOur Trust Standards\t2 items to reflect on"),
        "{list}"
    );
    let json = stdout(&leadkit(
        &data,
        &["framework", "export", "our-trust-standards"],
    ));
    assert!(json.contains("\"Highest impact\""), "{json}");
}

fn opensalt(name: &str) -> std::path::PathBuf {
    std::env::var("LEADKIT_INTEROP")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/interop"))
        .join("case/opensalt")
        .join(name)
}

#[test]
fn a_case_package_from_another_publisher_imports_and_exports_as_case() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let package = opensalt("opensalt-framework-20c5134f-423d-4097-a971-3dd5152bf507.json");
    let import = leadkit(&data, &["framework", "import", package.to_str().unwrap()]);
    assert!(import.status.success(), "{}", stderr(&import));
    let said = stdout(&import);
    assert!(said.contains("16 items"), "{said}");
    let key = said
        .lines()
        .find_map(|line| line.strip_prefix("imported "))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap()
        .to_owned();

    let export = leadkit(
        &data,
        &[
            "framework",
            "export",
            &key,
            "--format",
            "case",
            "--public-url",
            "https://leadkit.example.org",
        ],
    );
    assert!(export.status.success(), "{}", stderr(&export));
    let exported: serde_json::Value = serde_json::from_str(&stdout(&export)).unwrap();
    assert_eq!(
        exported["CFDocument"]["identifier"],
        "20c5134f-423d-4097-a971-3dd5152bf507"
    );
    assert_eq!(exported["CFItems"].as_array().unwrap().len(), 16);

    // Importing the export again is recognised as the same framework.
    let again = dir.path().join("again.json");
    std::fs::write(&again, stdout(&export)).unwrap();
    let import = leadkit(
        &data,
        &[
            "framework",
            "import",
            again.to_str().unwrap(),
            "--key",
            &key,
        ],
    );
    assert!(!import.status.success());
    assert!(
        stderr(&import).contains("already stored") || stderr(&import).contains("the same as"),
        "{}",
        stderr(&import)
    );

    let strict = leadkit(
        &data,
        &[
            "framework",
            "import",
            "--strict",
            opensalt("SmartLevelFramework.json").to_str().unwrap(),
        ],
    );
    assert!(
        strict.status.success(),
        "UUID-shaped test identifiers pass strict mode: {}",
        stderr(&strict)
    );
}
