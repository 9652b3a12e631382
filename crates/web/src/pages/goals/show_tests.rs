//! Unit tests of the view, without HTTP.

use super::*;
use crate::fixtures;

fn loaded<'a>(framework: &'a Framework, own: bool, lock: Option<Lock>) -> Loaded<'a> {
    let goal = fixtures::goal(framework, "1a i");
    let item = framework.find(&goal.items[0].code).unwrap();
    Loaded {
        goal,
        owner: fixtures::leader(1, "Amara Okafor"),
        cycle: fixtures::cycle(true),
        own,
        item: Some((framework, item)),
        lock,
        coaches: !own,
        evidence: Vec::new(),
        previous: None,
        today: time::macros::date!(2026 - 12 - 02),
    }
}

#[test]
fn the_owner_sees_where_they_are_and_where_they_aim_with_both_descriptors() {
    let framework = fixtures::toolkit();
    let page = view(&loaded(&framework, true, None), Page::anonymous("goal"));
    assert!(page.own && page.may_check_in && page.locked.is_none());
    assert_eq!(page.current_label, "Some impact");
    assert_eq!(page.target_label, "High impact");
    assert!(!page.current_descriptor.is_empty());
    assert_ne!(page.current_descriptor, page.target_descriptor);
    let marked: Vec<(&str, bool, bool)> = page
        .levels
        .iter()
        .map(|l| (l.code.as_str(), l.current, l.target))
        .collect();
    assert_eq!(
        marked,
        [
            ("some", true, false),
            ("high", false, true),
            ("highest", false, false)
        ]
    );
    assert_eq!(page.goals_url, urls::GOALS);
    assert_eq!(page.action, "/goals/7");
    // Asking for a colleague with expertise points to the directory for the item.
    assert_eq!(page.expertise_url.as_deref(), Some("/expertise?q=1a%20i"));
    assert_eq!(page.check_ins.len(), 1);
    assert_eq!(page.check_ins[0].rag, "green");
}

#[test]
fn a_signed_off_goal_is_read_only_with_the_reason_and_the_coach_goes_back_to_their_list() {
    let framework = fixtures::toolkit();
    let lock = Lock::SignedOff {
        coach: "Ben Khan".into(),
    };
    let page = view(
        &loaded(&framework, false, Some(lock)),
        Page::anonymous("goal"),
    );
    assert_eq!(
        page.locked.as_deref(),
        Some("Ben Khan signed off this cycle’s review.")
    );
    assert!(!page.may_check_in);
    assert_eq!(page.goals_url, "/people/1/goals");
}

#[test]
fn only_evidence_tagged_to_this_goal_is_listed() {
    use leadkit_domain::evidence::{Evidence, EvidenceId};
    let framework = fixtures::toolkit();
    let mut loaded = loaded(&framework, true, None);
    let evidence = |id: i64, goal: i64| Evidence {
        id: EvidenceId(id),
        owner: loaded.owner.id,
        cycle: loaded.cycle.id,
        title: leadkit_domain::goal::Line::required("title", &format!("Note {id}"), "a title")
            .unwrap(),
        on: loaded.today,
        note: Default::default(),
        link: None,
        file: None,
        items: Vec::new(),
        goals: vec![leadkit_domain::goal::GoalId(goal)],
    };
    loaded.evidence = vec![evidence(1, 7), evidence(2, 8)];
    let page = view(&loaded, Page::anonymous("goal"));
    let titles: Vec<&str> = page.evidence.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(titles, ["Note 1"]);
}
