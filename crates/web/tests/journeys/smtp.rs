//! A real SMTP server on loopback for the tests that send mail: aiosmtpd (from
//! PyPI) writing every message it receives into a maildir that tests read.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct SmtpSink {
    child: Child,
    pub url: String,
    dir: tempfile::TempDir,
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl SmtpSink {
    /// Starts aiosmtpd on a free port, or says the test is skipped when it is not
    /// installed (`python3 -m pip install aiosmtpd`; `.ci/run` installs it and
    /// fails if these tests did not run).
    #[allow(clippy::print_stdout, clippy::zombie_processes)]
    pub async fn start() -> Option<SmtpSink> {
        let present = Command::new("python3")
            .args(["-c", "import aiosmtpd"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if !present {
            assert!(
                std::env::var("CI").is_err(),
                "CI is set but aiosmtpd is not installed"
            );
            println!("skipped: no aiosmtpd (python3 -m pip install aiosmtpd)");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let port = {
            let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            probe.local_addr().unwrap().port()
        };
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir.path().join("maildir"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let sink = SmtpSink {
            child,
            url: format!("smtp://127.0.0.1:{port}"),
            dir,
        };
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                println!("sending through aiosmtpd on 127.0.0.1:{port}");
                return Some(sink);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("aiosmtpd did not start within 10 seconds");
    }

    /// Every message received so far, raw, with quoted-printable soft line breaks
    /// joined so that links read whole.
    pub fn messages(&self) -> Vec<String> {
        let new = self.dir.path().join("maildir").join("new");
        let mut files: Vec<_> = std::fs::read_dir(&new)
            .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        files
            .iter()
            .map(|path| {
                std::fs::read_to_string(path)
                    .unwrap()
                    .replace("=\r\n", "")
                    .replace("=\n", "")
                    .replace("=3D", "=")
            })
            .collect()
    }

    /// Waits (at most 10 seconds) until `count` messages have arrived.
    pub async fn wait_for(&self, count: usize) -> Vec<String> {
        for _ in 0..100 {
            let messages = self.messages();
            if messages.len() >= count {
                return messages;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("expected {count} messages, got {}", self.messages().len());
    }
}

/// The first link in a message that starts with `prefix`.
pub fn link_in(message: &str, prefix: &str) -> String {
    let start = message.find(prefix).expect("the message has the link");
    message[start..]
        .split(|c: char| c.is_whitespace())
        .next()
        .unwrap()
        .to_owned()
}
