//! How long the insight release rule takes for one component, by trust size:
//! `cargo run --release -p leadkit-domain --example release_speed`.
//! People are spread over schools of about 200 (40 teams of 5) and 4 roles,
//! with a fixed pseudo-random generator, so runs compare.

#![allow(clippy::print_stdout, clippy::unwrap_used)]

use leadkit_domain::insight::{Attributes, Threshold, release};

fn main() {
    let mut seed: u64 = 0x5eed;
    let mut next = move |below: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % below
    };
    println!("people  populations shown  median of 5 (ms)");
    for people in [1_000, 10_000, 100_000] {
        let schools = (people / 200).max(1) as u64;
        let counted: Vec<Attributes> = (0..people)
            .map(|_| {
                let school = next(schools) as i64 + 1;
                Attributes {
                    school,
                    team: school * 100 + next(40) as i64,
                    role: next(4) as i64 + 1,
                }
            })
            .collect();
        let mut times = Vec::new();
        let mut shown = 0;
        for _ in 0..5 {
            let start = std::time::Instant::now();
            shown = release(&counted, Threshold::default()).len();
            times.push(start.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(|a, b| a.partial_cmp(b).unwrap());
        println!("{people:>7}  {shown:>17}  {:>16.1}", times[2]);
    }
}
