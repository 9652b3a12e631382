//! A time-bounded mutation fuzzer for the two importers, on the stable toolchain.
//!
//! `cargo fuzz` needs a nightly compiler (for libFuzzer's sanitizer coverage), and
//! these machines have exactly one stable toolchain and cannot fetch another. This
//! is the nearest real thing: it starts from real files (the CASE packages in
//! `fixtures/interop/case/` and CSV exports of the shipped frameworks), mutates them
//! the way libFuzzer's default mutators do (flip, insert, delete, duplicate and
//! splice bytes, swap in "interesting" tokens), and feeds every mutant to the
//! importer, for a fixed number of seconds. Any panic is a failure: the input is
//! written to `target/fuzz-crash-<target>.bin` and the run exits non-zero.
//!
//! `cargo run --release -p leadkit-interop --example fuzz -- case 60`
//! `cargo run --release -p leadkit-interop --example fuzz -- csv 60`
//!
//! (A developer tool, not product code: it may read the wall clock for its seed
//! and deadline, print, and panic on a missing corpus.)

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::type_complexity,
    clippy::disallowed_methods
)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use leadkit_domain::framework::FrameworkKey;
use leadkit_interop::case::{ImportOptions, import as import_case};
use leadkit_interop::spreadsheet::{SheetIdentity, export as export_csv, import as import_csv};

/// xorshift64*: reproducible from the seed printed at the start.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Tokens that steer the parsers into their less-travelled paths.
const TOKENS: &[&[u8]] = &[
    b"\"isChildOf\"",
    b"\"identifier\"",
    b"\"CFItems\"",
    b"\"CFAssociations\"",
    b"\"CFRubrics\"",
    b"null",
    b"[]",
    b"{}",
    b"\"\"",
    b"-1",
    b"1e309",
    b"\"\\u0000\"",
    b"\xff\xfe",
    b"\"",
    b",",
    b"\n",
    b"\r\n",
    b"[not in the published source]",
];

fn mutate(rng: &mut Rng, input: &mut Vec<u8>, corpus: &[Vec<u8>]) {
    for _ in 0..=rng.below(4) {
        let at = rng.below(input.len() + 1);
        match rng.below(7) {
            0 if !input.is_empty() => {
                let i = at.min(input.len() - 1);
                input[i] ^= 1 << rng.below(8);
            }
            1 => input.insert(at, rng.next() as u8),
            2 if !input.is_empty() => {
                let end = (at + rng.below(64)).min(input.len());
                input.drain(at.min(end)..end);
            }
            3 if !input.is_empty() => {
                let start = rng.below(input.len());
                let end = (start + rng.below(256)).min(input.len());
                let copy = input[start..end].to_vec();
                input.splice(at..at, copy);
            }
            4 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                input.splice(at..at, token.iter().copied());
            }
            5 => {
                // Splice in part of another corpus file.
                let other = &corpus[rng.below(corpus.len())];
                if !other.is_empty() {
                    let start = rng.below(other.len());
                    let end = (start + rng.below(512)).min(other.len());
                    input.splice(at..at, other[start..end].iter().copied());
                }
            }
            _ => {
                if !input.is_empty() {
                    let cut = rng.below(input.len());
                    input.truncate(cut.max(1));
                }
            }
        }
    }
    // Stay well under the 10 MB import limit so each run is quick.
    input.truncate(1 << 20);
}

fn interop_dir() -> PathBuf {
    std::env::var("LEADKIT_INTEROP")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/interop")
        })
}

fn case_corpus() -> Vec<Vec<u8>> {
    let dir = interop_dir().join("case/opensalt");
    let mut corpus: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("needs {} ({error}); set LEADKIT_INTEROP", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .filter(|path| !path.to_string_lossy().contains("schema"))
        .map(|path| std::fs::read(path).unwrap())
        .collect();
    corpus.sort();
    corpus
}

fn identity() -> SheetIdentity {
    SheetIdentity {
        key: FrameworkKey::parse("fuzz").unwrap(),
        title: "Fuzz".into(),
        version: "1".into(),
        scale: None,
    }
}

fn csv_corpus() -> Vec<Vec<u8>> {
    leadkit_content::shipped()
        .unwrap()
        .iter()
        .map(|framework| export_csv(framework).unwrap().into_bytes())
        .collect()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let target = args.next().unwrap_or_default();
    let seconds: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(30);
    let (corpus, run): (Vec<Vec<u8>>, fn(&[u8])) = match target.as_str() {
        "case" => (case_corpus(), |bytes| {
            let _ = import_case(bytes, ImportOptions::default());
        }),
        "csv" => (csv_corpus(), |bytes| {
            let _ = import_csv(bytes, identity());
        }),
        _ => {
            eprintln!("usage: fuzz case|csv [SECONDS]");
            std::process::exit(2);
        }
    };
    let seed = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64 | 1)
                .unwrap_or(1)
        });
    println!(
        "fuzzing the {target} importer for {seconds} s from {} seed files (FUZZ_SEED={seed})",
        corpus.len()
    );
    std::panic::set_hook(Box::new(|_| {}));
    let mut rng = Rng(seed);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut runs: u64 = 0;
    while Instant::now() < deadline {
        let mut input = corpus[rng.below(corpus.len())].clone();
        mutate(&mut rng, &mut input, &corpus);
        if std::panic::catch_unwind(|| run(&input)).is_err() {
            let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join(format!("../../target/fuzz-crash-{target}.bin"));
            std::fs::write(&path, &input).unwrap();
            println!(
                "PANIC after {runs} runs; input written to {}",
                path.display()
            );
            std::process::exit(1);
        }
        runs += 1;
    }
    println!("{runs} inputs, no panic");
}
