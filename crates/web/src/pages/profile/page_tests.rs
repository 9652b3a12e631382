//! Unit tests of the view, without HTTP.

use super::*;
use crate::fixtures;

fn loaded(framework: &Framework, own: bool) -> Loaded<'_> {
    let high = Judgement::Level(fixtures::level("high"));
    let some = Judgement::Level(fixtures::level("some"));
    Loaded {
        framework,
        owner: fixtures::leader(1, "Amara Okafor"),
        cycle: fixtures::cycle(true),
        own,
        no_evidence_filter: false,
        frameworks: vec![framework],
        through: Vec::new(),
        sharing: None,
        reflections: vec![
            fixtures::reflection("1a i", high, "Led the INSET day."),
            fixtures::reflection("1a ii", Judgement::NotInRole, ""),
        ],
        version_notice: None,
        previous_cycle: Some(fixtures::cycle(false)),
        previous_reflections: vec![fixtures::reflection("1a i", some, "")],
        goals: Vec::new(),
        evidence_visible: true,
        evidence: Vec::new(),
        record: None,
    }
}

fn row<'a>(page: &'a ProfilePage, code: &str) -> &'a ComponentRow {
    page.domains
        .iter()
        .flat_map(|d| d.groups.iter())
        .flat_map(|g| g.rows.iter())
        .find(|r| r.code == code)
        .unwrap()
}

#[test]
fn my_profile_shows_each_choice_in_the_frameworks_words_with_last_cycles_level() {
    let framework = fixtures::toolkit();
    let page = view(&loaded(&framework, true), Page::anonymous);
    assert_eq!(page.heading, "My profile");
    assert_eq!((page.reflected, page.total), (2, 70));
    let first = row(&page, "1a i");
    assert_eq!(first.judgement, "High impact");
    assert_eq!(first.class, "level-high");
    assert_eq!(first.previous, "Some impact");
    assert_eq!(first.note, "Led the INSET day.");
    assert_eq!(row(&page, "1a ii").judgement, "Not in my role");
    assert_eq!(row(&page, "1b i").judgement, "Not reflected yet");
    // Domain 1 grew on the one component judged in both cycles.
    assert_eq!(page.domains[0].growth, Some((1, 0, 0)));
    assert_eq!(page.domains[1].growth, Some((0, 0, 0)));
    assert_eq!(page.previous_cycle.as_deref(), Some("2026–27"));
    // The bars of a domain cover every component in it.
    let domain = &page.domains[0];
    assert_eq!(
        domain.counts.iter().map(|c| c.count).sum::<usize>(),
        domain.total
    );
}

#[test]
fn someone_elses_profile_is_theirs_and_the_filter_keeps_components_with_no_evidence() {
    let framework = fixtures::toolkit();
    let mut shared = loaded(&framework, false);
    shared.no_evidence_filter = true;
    shared.evidence = vec![leadkit_domain::evidence::Evidence {
        id: leadkit_domain::evidence::EvidenceId(1),
        owner: shared.owner.id,
        cycle: shared.cycle.id,
        title: leadkit_domain::goal::Line::required("title", "INSET slides", "a title").unwrap(),
        on: time::macros::date!(2026 - 11 - 02),
        note: Default::default(),
        link: None,
        file: None,
        items: vec![leadkit_domain::goal::GoalItem {
            framework: framework.key.clone(),
            version: framework.version.clone(),
            code: fixtures::code("1a i"),
            title: String::new(),
        }],
        goals: Vec::new(),
    }];
    let page = view(&shared, Page::anonymous);
    assert_eq!(page.heading, "Amara Okafor’s profile");
    assert!(page.unfiltered_url.starts_with("/people/1/profile/"));
    let codes: Vec<&str> = page
        .domains
        .iter()
        .flat_map(|d| d.groups.iter())
        .flat_map(|g| g.rows.iter())
        .map(|r| r.code.as_str())
        .collect();
    assert!(!codes.contains(&"1a i"), "{codes:?}");
    assert!(codes.contains(&"1a ii"));
    assert_eq!(codes.len(), 69);
}
