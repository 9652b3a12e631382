//! Fidelity of the National Standards for School Leadership, the NPQ Senior
//! Leadership framework and the Draft Leadership Standards for Wales: counts per
//! kind of item, the source's numbering, and every text found in its seed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use leadkit_domain::framework::{Framework, Item};

const NSSL_SEED: &str = "002_77943bd64af2bbca.txt";
const NPQSL_SEED: &str = "003_779e234f0cfc309a.txt";
const WALES_SEED: &str = "004_a06f7be65c1e9234.txt";

fn seed(name: &str) -> String {
    let dir = std::env::var("LEADKIT_SEEDS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/seeds")
        });
    let path = dir.join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|error| {
        panic!(
            "the fidelity test needs the seed {} ({error}); set LEADKIT_SEEDS to the seeds folder",
            path.display()
        )
    })
}

/// Drops bullet glyphs and folds whitespace, as the encodings do.
fn normalise(text: &str) -> String {
    text.replace(['•', '●', '·'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Splits `text` into the fewest runs that each occur in `source`, taking the
/// longest run first. `None` when some word is not in the source at all.
fn runs_in(source: &str, text: &str) -> Option<Vec<String>> {
    let text = normalise(text);
    let words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
    let mut runs = Vec::new();
    let mut start = 0;
    while start < words.len() {
        let end = (start + 1..=words.len())
            .rev()
            .find(|&end| source.contains(&words[start..end].join(" ")))?;
        runs.push(words[start..end].join(" "));
        start = end;
    }
    Some(runs)
}

fn count_kinds(framework: &Framework) -> BTreeMap<&str, usize> {
    let mut counts = BTreeMap::new();
    for item in framework.walk() {
        *counts.entry(item.kind.as_str()).or_default() += 1;
    }
    counts
}

/// Every title and introduction paragraph of the framework, with where it is.
fn texts(framework: &Framework) -> Vec<(String, String)> {
    let mut texts = Vec::new();
    for (i, paragraph) in framework.introduction.iter().enumerate() {
        texts.push((format!("introduction ¶{}", i + 1), paragraph.clone()));
    }
    for item in framework.walk() {
        texts.push((format!("{} title", item.code), item.title.clone()));
        for (i, paragraph) in item.introduction.iter().enumerate() {
            texts.push((format!("{} ¶{}", item.code, i + 1), paragraph.clone()));
        }
    }
    texts
}

/// Asserts that every text occurs in the seed as one run, except titles ours by
/// design (`ours`), which the judgements file explains.
fn assert_every_text_is_one_run(framework: &Framework, seed_name: &str, ours: &[&str]) {
    let source = normalise(&seed(seed_name));
    let not_found: Vec<String> = texts(framework)
        .into_iter()
        .filter(|(_, text)| !ours.contains(&text.as_str()))
        .filter(|(_, text)| !source.contains(&normalise(text)))
        .map(|(what, text)| format!("{what}: {text}"))
        .collect();
    assert!(
        not_found.is_empty(),
        "not in {seed_name}:\n{}",
        not_found.join("\n")
    );
}

fn children_codes(item: &Item) -> Vec<&str> {
    item.children.iter().map(|c| c.code.as_str()).collect()
}

#[test]
fn every_shipped_framework_validates_and_can_be_reflected_on() {
    let shipped = leadkit_content::shipped().unwrap();
    let keys: Vec<_> = shipped.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "leadership-toolkit",
            "national-standards-school-leadership",
            "npq-senior-leadership",
            "leadership-standards-wales"
        ]
    );
    for framework in &shipped {
        let scale = framework
            .scale
            .as_ref()
            .expect("every shipped framework has a scale");
        assert_eq!(scale.levels.len(), 3, "{}", framework.key);
        assert!(
            framework.reflectable_items().count() > 40,
            "{}",
            framework.key
        );
    }
}

#[test]
fn the_national_standards_have_their_attributes_and_five_key_areas() {
    let nssl = leadkit_content::nssl().unwrap();
    let counts = count_kinds(&nssl);
    println!("NSSL: {counts:?}");
    assert_eq!(counts["professional attributes"], 1);
    assert_eq!(counts["attribute"], 10);
    assert_eq!(counts["key area"], 5);
    assert_eq!(counts["knowledge group"], 5);
    assert_eq!(counts["skills group"], 5);
    assert_eq!(counts["knowledge"], 38);
    assert_eq!(counts["skill"], 51);
    let areas: Vec<_> = nssl
        .items
        .iter()
        .filter(|i| i.kind == "key area")
        .map(|i| i.title.as_str())
        .collect();
    assert_eq!(
        areas,
        [
            "Leading Strategically",
            "Leading Teaching and Learning",
            "Leading the Organisation",
            "Leading People",
            "Leading in the Community"
        ]
    );
    // Knowledge and skills per key area, counted by hand from the seed's lists.
    let per_area: Vec<(usize, usize)> = nssl
        .items
        .iter()
        .filter(|i| i.kind == "key area")
        .map(|area| {
            (
                area.children[0].children.len(),
                area.children[1].children.len(),
            )
        })
        .collect();
    assert_eq!(per_area, [(7, 11), (9, 12), (9, 9), (6, 10), (7, 9)]);
    for area in nssl.items.iter().filter(|i| i.kind == "key area") {
        assert_eq!(area.introduction.len(), 1, "{}", area.code);
    }
}

#[test]
fn every_text_of_the_national_standards_is_in_its_seed() {
    let nssl = leadkit_content::nssl().unwrap();
    // The group titles drop the seed's trailing colon, which `contains` allows.
    assert_every_text_is_one_run(&nssl, NSSL_SEED, &[]);
    let seed = seed(NSSL_SEED);
    assert!(!nssl.introduction.iter().any(|p| p.contains("bookmark")));
    assert!(
        seed.contains("[bookmark: _GoBack]"),
        "the judgement it explains"
    );
}

#[test]
fn the_welsh_standards_have_six_key_areas_their_three_groups_and_actions() {
    let wales = leadkit_content::wales().unwrap();
    let counts = count_kinds(&wales);
    println!("Wales: {counts:?}");
    assert_eq!(counts["key area"], 6);
    assert_eq!(counts["standards group"], 18);
    assert_eq!(counts["actions group"], 6);
    assert_eq!(counts["standard"], 111);
    assert_eq!(counts["action"], 61);
    let seed = seed(WALES_SEED);
    for area in &wales.items {
        let groups: Vec<_> = area.children.iter().map(|g| g.title.as_str()).collect();
        assert_eq!(
            groups,
            [
                "Knowledge and Skills",
                "Personal Qualities and Values",
                "Professional Characteristics",
                "Actions"
            ],
            "key area {}",
            area.code
        );
        // The source's numbering: standards n.1, n.2 … and actions n.1a, n.2a …,
        // each code a line of the seed on its own.
        for group in &area.children {
            for code in children_codes(group) {
                assert!(
                    code.starts_with(&format!("{}.", area.code)),
                    "{code} in key area {}",
                    area.code
                );
                assert_eq!(code.ends_with('a'), group.kind == "actions group", "{code}");
                assert!(
                    seed.lines().any(|line| line.trim() == code),
                    "{code} is not a number in the seed"
                );
            }
        }
    }
    // Every number the seed gives a standard or an action is encoded.
    let numbered = seed
        .lines()
        .map(str::trim)
        .filter(|line| {
            let body = line.strip_suffix('a').unwrap_or(line);
            body.split_once('.').is_some_and(|(a, b)| {
                a.len() == 1
                    && a.bytes().all(|c| c.is_ascii_digit())
                    && !b.is_empty()
                    && b.bytes().all(|c| c.is_ascii_digit())
            })
        })
        .count();
    assert_eq!(numbered, 111 + 61);
}

#[test]
fn every_text_of_the_welsh_standards_is_in_its_seed() {
    let wales = leadkit_content::wales().unwrap();
    assert_every_text_is_one_run(
        &wales,
        WALES_SEED,
        &["Draft Leadership Standards for Wales"],
    );
    let judgements = include_str!("../data/wales.judgements.md");
    assert!(judgements.contains("for Wales"));
    assert!(judgements.contains("no standard 2.12"));
}

/// The NPQSL seed interleaves the PDF's two columns, so a statement or bullet may
/// be two or more runs of the seed joined by a space. Every rejoined text must
/// be named in npqsl.judgements.md, and every run but the last must be at least
/// three words, so that no text is stitched together from stray words.
#[test]
fn every_text_of_the_npqsl_is_made_of_runs_of_its_seed() {
    let npqsl = leadkit_content::npqsl().unwrap();
    let source = normalise(&seed(NPQSL_SEED));
    let judgements = include_str!("../data/npqsl.judgements.md");
    let ours = ["Learn that…", "Learn how to…"];
    let mut rejoined = Vec::new();
    let mut problems = Vec::new();
    for (what, text) in texts(&npqsl) {
        if ours.contains(&text.as_str()) {
            continue;
        }
        let Some(runs) = runs_in(&source, &text) else {
            problems.push(format!("{what}: a word is not in the seed: {text}"));
            continue;
        };
        if runs.len() == 1 {
            continue;
        }
        let code = what.rsplit_once(' ').map(|(code, _)| code).unwrap_or(&what);
        if runs[..runs.len() - 1]
            .iter()
            .any(|run| run.split(' ').count() < 3)
        {
            problems.push(format!("{what}: stitched from short runs {runs:?}"));
        }
        if !judgements.contains(&format!("`{code}`")) {
            problems.push(format!(
                "{what}: rejoined from {} runs but not named in npqsl.judgements.md",
                runs.len()
            ));
        }
        rejoined.push(code.to_owned());
    }
    println!(
        "NPQSL: {} texts, {} rejoined across the seed's columns or pages",
        texts(&npqsl).len(),
        rejoined.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_npqsl_has_ten_sections_with_the_seeds_numbered_statements() {
    let npqsl = leadkit_content::npqsl().unwrap();
    let counts = count_kinds(&npqsl);
    println!("NPQSL: {counts:?}");
    assert_eq!(counts["section"], 10);
    let seed = seed(NPQSL_SEED);
    let titles = [
        "One – School Culture",
        "Two – Teaching",
        "Three – Curriculum and Assessment",
        "Four – Behaviour",
        "Five – Additional and Special Educational Needs and Disabilities",
        "Six – Professional Development",
        "Seven – Organisational Management",
        "Eight – Implementation",
        "Nine – Working in Partnership",
        "Ten – Governance and Accountability",
    ];
    // Each section's part of the seed, from its heading to the next one.
    let starts: Vec<usize> = titles
        .iter()
        .map(|t| seed.find(&format!("{t}\n")).expect(t))
        .collect();
    for (n, section) in npqsl.items.iter().enumerate() {
        assert_eq!(section.kind, "section");
        assert_eq!(
            Some(section.title.as_str()),
            titles[n].split_once(" – ").map(|(_, title)| title)
        );
        let part = &seed[starts[n]..starts.get(n + 1).copied().unwrap_or(seed.len())];
        // The highest "N." that starts a line is the section's last statement.
        let highest = part
            .lines()
            .filter_map(|line| {
                let (number, _) = line.trim().split_once('.')?;
                number.parse::<usize>().ok()
            })
            .max()
            .unwrap_or(0);
        let evidence = &section.children[0];
        let practice = &section.children[1];
        assert_eq!(evidence.title, "Learn that…");
        assert_eq!(practice.title, "Learn how to…");
        let numbers: Vec<usize> = evidence
            .children
            .iter()
            .map(|s| {
                let code = s.code.as_str();
                code.rsplit(' ').next().unwrap().parse().unwrap()
            })
            .collect();
        assert_eq!(
            numbers,
            (1..=highest).collect::<Vec<_>>(),
            "section {} statements",
            section.code
        );
        assert!(!practice.children.is_empty(), "section {}", section.code);
        for heading in &practice.children {
            assert!(heading.title.ends_with("by:"), "{}", heading.code);
        }
    }
}
