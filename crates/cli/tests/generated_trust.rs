//! `leadkit demo --people N --cycles C`: a generated trust, loaded in bulk, with
//! its insight counted; bad arguments and a second run are refused plainly.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::{Command, Output};

fn leadkit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leadkit"))
        .args(args)
        .env_remove("LEADKIT_DATABASE_URL")
        .env_remove("LEADKIT_DATA_DIR")
        .output()
        .unwrap()
}

#[test]
fn a_generated_trust_has_its_people_cycles_and_insight_and_is_made_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let out = leadkit(&[
        "demo",
        "--people",
        "450",
        "--cycles",
        "2",
        "--data-dir",
        data,
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("450 people in 3 schools"), "{stdout}");
    assert_eq!(stdout.matches(" judgements (").count(), 2, "{stdout}");
    let cells: usize = stdout
        .lines()
        .find_map(|l| l.strip_prefix("insight: "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(cells > 1000, "{stdout}");
    assert!(stdout.contains("sign in as leader0@generated.example (a trust lead)"));

    let again = leadkit(&[
        "demo",
        "--people",
        "450",
        "--cycles",
        "2",
        "--data-dir",
        data,
    ]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("is already here"));

    for bad in [
        vec!["demo", "--people", "0"],
        vec!["demo", "--people", "many"],
        vec!["demo", "--cycles", "3"],
        vec!["demo", "--people", "10", "--cycles", "0"],
    ] {
        let mut args = bad.clone();
        args.extend(["--data-dir", data]);
        let out = leadkit(&args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{bad:?} is refused by the argument parser"
        );
        assert!(!String::from_utf8_lossy(&out.stderr).is_empty());
    }
}
