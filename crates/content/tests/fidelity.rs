//! Fidelity: the embedded Toolkit says what the published Toolkit says.
//!
//! Reads the seed file itself (from `fixtures/seeds/` in the repository, or the
//! folder named by `LEADKIT_SEEDS`) and checks every text in the data against it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet, HashSet};

use leadkit_domain::framework::{Framework, Item};

const TOOLKIT_SEED: &str = "001_0c401075107889d9.txt";

/// Descriptors that the seed breaks across a page or column, so that their text is two
/// runs of the seed joined by one space (see toolkit.judgements.md).
const REJOINED: &[(&str, &str)] = &[
    ("2a iv", "highest"),
    ("2b iv", "some"),
    ("2b iv", "high"),
    ("2b iv", "highest"),
];

/// Descriptors recorded as missing in toolkit.judgements.md.
const MISSING: &[(&str, &str)] = &[
    ("1d i", "high"),
    ("1d ii", "high"),
    ("1d iii", "high"),
    ("1d iv", "high"),
    ("1d v", "high"),
    ("1d vi", "high"),
];

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

/// Strips markup, bullet glyphs and emphasis asterisks, and folds whitespace.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if in_tag => {}
            '•' | '*' => {}
            c => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn toolkit() -> Framework {
    leadkit_content::toolkit().expect("the embedded toolkit parses and validates")
}

fn of_kind<'a>(framework: &'a Framework, kind: &str) -> Vec<&'a Item> {
    framework.walk().filter(|item| item.kind == kind).collect()
}

/// The Smart Card's own counts, read from the seed: each subdomain line ends in `**`
/// and is followed by its component lines.
fn smart_card_counts(seed: &str) -> BTreeMap<String, usize> {
    let start = seed
        .find("Toolkit Smart Card")
        .expect("the seed has a Smart Card");
    let card = &seed[start..];
    let end = card
        .find("\nDomain 1 Professional Knowledge and Understanding\n\nSchool leaders")
        .unwrap_or(card.len());
    let mut counts = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in card[..end].lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("- ") {
            if rest.ends_with("**") {
                let code = rest.split_whitespace().next().unwrap().to_owned();
                counts.insert(code.clone(), 0);
                current = Some(code);
                continue;
            }
            if let Some(code) = &current {
                *counts.get_mut(code).unwrap() += 1;
            }
        }
    }
    counts
}

#[test]
fn the_toolkit_has_the_smart_cards_domains_subdomains_and_components() {
    let framework = toolkit();
    let card = smart_card_counts(&seed(TOOLKIT_SEED));
    let domains = of_kind(&framework, "domain");
    let subdomains = of_kind(&framework, "subdomain");
    let components = of_kind(&framework, "component");
    assert_eq!(domains.len(), 4);
    assert_eq!(subdomains.len(), card.len(), "subdomains: {card:?}");
    assert_eq!(components.len(), card.values().sum::<usize>());
    for subdomain in &subdomains {
        assert_eq!(
            subdomain.children.len(),
            card[subdomain.code.as_str()],
            "components in {}",
            subdomain.code
        );
    }
    let domain_codes: Vec<_> = domains.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(
        domain_codes,
        ["1", "2", "3", "4"],
        "domains follow the tables' order, not the card's"
    );
    println!(
        "{} domains, {} subdomains, {} components",
        domains.len(),
        subdomains.len(),
        components.len()
    );
}

#[test]
fn every_component_has_three_distinct_descriptors_except_the_recorded_missing_cells() {
    let framework = toolkit();
    let missing: BTreeSet<(String, String)> = MISSING
        .iter()
        .map(|(c, l)| (c.to_string(), l.to_string()))
        .collect();
    let mut found_missing = BTreeSet::new();
    for component in of_kind(&framework, "component") {
        assert_eq!(
            component.descriptors.len(),
            3,
            "{} has {} levels",
            component.code,
            component.descriptors.len()
        );
        let mut texts = HashSet::new();
        for (level, text) in &component.descriptors {
            match text {
                None => {
                    found_missing.insert((component.code.to_string(), level.to_string()));
                }
                Some(text) => {
                    assert!(
                        !text.trim().is_empty(),
                        "{} {level} is empty",
                        component.code
                    );
                    assert!(
                        texts.insert(text.as_str()),
                        "{} repeats a descriptor",
                        component.code
                    );
                }
            }
        }
    }
    assert_eq!(
        found_missing, missing,
        "missing descriptors differ from toolkit.judgements.md"
    );
    let judgements = include_str!("../data/toolkit.judgements.md");
    for (code, level) in MISSING {
        assert!(
            judgements.contains(&format!("{code}, level {level}")),
            "{code} {level} is missing but not explained in toolkit.judgements.md"
        );
    }
}

#[test]
fn every_text_in_the_toolkit_occurs_in_the_seed() {
    let framework = toolkit();
    let source = normalise(&seed(TOOLKIT_SEED));
    let occurs = |text: &str| source.contains(&normalise(text));
    let mut texts: Vec<(String, String)> = Vec::new();
    texts.push(("motto".into(), framework.motto.clone()));
    for (i, paragraph) in framework.introduction.iter().enumerate() {
        texts.push((format!("introduction ¶{}", i + 1), paragraph.clone()));
    }
    for level in &framework.scale.as_ref().unwrap().levels {
        texts.push((format!("{} label", level.code), level.label.clone()));
        texts.push((format!("{} summary", level.code), level.summary.clone()));
        for point in &level.points {
            texts.push((format!("{} point", level.code), point.clone()));
        }
    }
    for item in framework.walk() {
        texts.push((format!("{} title", item.code), item.title.clone()));
        for (i, paragraph) in item.introduction.iter().enumerate() {
            texts.push((
                format!("{} introduction ¶{}", item.code, i + 1),
                paragraph.clone(),
            ));
        }
    }
    let mut not_found: Vec<String> = texts
        .iter()
        .filter(|(_, text)| !occurs(text))
        .map(|(what, text)| format!("{what}: {text}"))
        .collect();

    let mut rejoined = BTreeSet::new();
    let mut descriptors = 0;
    for item in framework.walk() {
        for (level, text) in &item.descriptors {
            let Some(text) = text else { continue };
            descriptors += 1;
            if occurs(text) {
                continue;
            }
            // A descriptor the seed breaks in two: both halves, split at a space, occur.
            let split_in_two = text
                .match_indices(' ')
                .any(|(at, _)| occurs(&text[..at]) && occurs(&text[at + 1..]));
            if split_in_two {
                rejoined.insert((item.code.to_string(), level.to_string()));
            } else {
                not_found.push(format!("{} {level}: {text}", item.code));
            }
        }
    }
    let expected: BTreeSet<(String, String)> = REJOINED
        .iter()
        .map(|(c, l)| (c.to_string(), l.to_string()))
        .collect();
    println!(
        "{descriptors} descriptors checked; rejoined across a break in the seed: {rejoined:?}"
    );
    assert!(
        not_found.is_empty(),
        "not in the seed:\n{}",
        not_found.join("\n")
    );
    assert_eq!(
        rejoined, expected,
        "descriptors rejoined across a seed break"
    );
}

#[test]
fn the_three_proficiency_points_are_some_high_and_highest_impact() {
    let framework = toolkit();
    let labels: Vec<_> = framework
        .scale
        .unwrap()
        .levels
        .iter()
        .map(|l| l.label.clone())
        .collect();
    assert_eq!(labels, ["Some impact", "High impact", "Highest impact"]);
}

#[test]
fn no_descriptor_keeps_the_a_leader_will_lead_in_or_markup() {
    for item in toolkit().walk() {
        for text in item.descriptors.values().flatten() {
            assert!(!text.starts_with("A leader will"), "{}: {text}", item.code);
            assert!(
                !text.contains('<') && !text.contains('•'),
                "{}: {text}",
                item.code
            );
        }
    }
}
