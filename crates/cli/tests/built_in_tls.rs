//! `leadkit serve --tls-cert --tls-key`: https directly, with HSTS and Secure
//! cookies, checked with curl against a certificate made by openssl for the test.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::zombie_processes
)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

fn have(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
        || Command::new(program)
            .arg("version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok()
}

#[test]
fn serves_https_with_hsts_and_secure_cookies_and_refuses_a_bad_certificate() {
    if !have("openssl") || !have("curl") {
        assert!(std::env::var("CI").is_err(), "CI needs openssl and curl");
        println!("skipped: no openssl or curl");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    let made = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        ])
        .args([
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(made.success());

    let mut child = Command::new(env!("CARGO_BIN_EXE_leadkit"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path().join("data"))
        .arg("--tls-cert")
        .arg(&cert)
        .arg("--tls-key")
        .arg(&key)
        .env_remove("LEADKIT_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (lines, received) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let base = loop {
        let line = received.recv_timeout(Duration::from_secs(60)).unwrap();
        if let Some(url) = line.strip_prefix("leadkit is listening on ") {
            break url.trim().to_owned();
        }
    };
    assert!(base.starts_with("https://"), "{base}");
    let head = Command::new("curl")
        .args([
            "-s",
            "-D",
            "-",
            "-o",
            "/dev/null",
            "--max-time",
            "10",
            "--cacert",
        ])
        .arg(&cert)
        .arg(format!("{base}/sign-in"))
        .output()
        .unwrap();
    let headers = String::from_utf8_lossy(&head.stdout).to_lowercase();
    let _ = child.kill();
    let _ = child.wait();
    assert!(headers.starts_with("http/1.1 200"), "{headers}");
    assert!(
        headers.contains("strict-transport-security: max-age="),
        "{headers}"
    );
    assert!(
        headers
            .lines()
            .any(|l| l.starts_with("set-cookie:") && l.contains("; secure")),
        "{headers}"
    );

    // A key that does not belong to the certificate stops the start with a message.
    let other_key = dir.path().join("other.pem");
    Command::new("openssl")
        .args(["genpkey", "-algorithm", "RSA", "-out"])
        .arg(&other_key)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    let refused = Command::new(env!("CARGO_BIN_EXE_leadkit"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path().join("data"))
        .arg("--tls-cert")
        .arg(&cert)
        .arg("--tls-key")
        .arg(&other_key)
        .env_remove("LEADKIT_DATABASE_URL")
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let error = String::from_utf8_lossy(&refused.stderr);
    assert!(error.contains("do not go together"), "{error}");
}
