//! Unit tests of the view, without HTTP.

use std::sync::Arc;

use leadkit_domain::cycle::CycleId;
use leadkit_domain::insight::Threshold;
use leadkit_domain::people::{SchoolId, TrustId};
use leadkit_store::frameworks::{FrameworkVersionId, StoredFramework};
use leadkit_store::people::SchoolOverview;

use super::*;
use crate::fixtures;

fn resolved() -> Resolved {
    let school = |id: i64, name: &str| SchoolOverview {
        id: SchoolId(id),
        name: name.into(),
        teams: Vec::new(),
        people: 20,
    };
    Resolved {
        trust: TrustId(1),
        stored: Arc::new(StoredFramework {
            id: FrameworkVersionId(1),
            framework: fixtures::toolkit(),
            published_at: time::macros::datetime!(2026-09-01 0:00 UTC),
        }),
        cycles: vec![fixtures::cycle(true)],
        cycle: fixtures::cycle(true),
        schools: vec![school(1, "Oak Primary"), school(2, "Elm Academy")],
        teams: Vec::new(),
        allowed_schools: None,
        school: None,
        role: None,
        threshold: Threshold::new(5).unwrap(),
    }
}

fn cell(item: &str, school: Option<i64>, people: u32) -> StoredCell {
    StoredCell {
        cycle: CycleId(1),
        item: fixtures::code(item),
        population: Population {
            school,
            team: None,
            role: None,
        },
        distribution: Distribution {
            people,
            not_yet: 1,
            per_level: vec![people - 3, 1, 1],
        },
    }
}

#[test]
fn the_trust_sees_a_column_per_school_and_withheld_cells_say_so() {
    let who = |school: i64| Attributes {
        school,
        team: 0,
        role: 1,
    };
    let loaded = Loaded {
        resolved: resolved(),
        group: GroupBy::School,
        cells: vec![cell("1a i", None, 12), cell("1a i", Some(1), 8)],
        combinations: vec![who(1), who(2)],
    };
    let page = view(&loaded, Page::anonymous("heatmap"));
    assert_eq!(page.columns, ["All", "Oak Primary", "Elm Academy"]);
    let row = &page.groups[0].rows[0];
    assert_eq!(row.code, "1a i");
    assert_eq!(
        row.component_url,
        "/insight/component?item=1a%20i&school=&role="
    );
    let texts: Vec<&str> = row.cells.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "12 people: not yet 1, Some impact 9, High impact 1, Highest impact 1",
            "8 people: not yet 1, Some impact 5, High impact 1, Highest impact 1",
            "Fewer than 5 people: not shown",
        ]
    );
    // Bars are whole percentages of the cell's people, laid end to end.
    let widths: Vec<u32> = row.cells[0].segments.iter().map(|s| s.width).collect();
    assert_eq!(widths, [8, 75, 8, 8]);
    assert_eq!(page.groups.len(), 16);
    assert_eq!(page.legend.len(), 4);
    assert!(
        page.group_choices
            .iter()
            .any(|c| c.value == "school" && c.selected)
    );
    assert!(page.trust_wide);
}

#[test]
fn a_school_lead_groups_their_school_by_team_not_by_school() {
    let mut resolved = resolved();
    resolved.allowed_schools = Some(vec![1]);
    resolved.school = Some(1);
    assert_eq!(GroupBy::parse("", &resolved).unwrap(), GroupBy::Team);
    assert!(GroupBy::parse("school", &resolved).is_err());
    assert!(GroupBy::parse("wizard", &resolved).is_err());
}
