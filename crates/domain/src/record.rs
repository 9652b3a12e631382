//! The one-page record a leader and coach take into a meeting: strengths and
//! areas for development, proposed from the leader's levels and the coach's
//! agreed views (the leader may rewrite them), beside an overall comment from
//! each. Pure: the proposal only.

use crate::framework::{Framework, ItemCode};
use crate::reflection::Judgement;

/// At most this many components are proposed on each side, so the record
/// stays one page.
pub const MOST: usize = 5;

/// One component's levels, as the proposal reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judged {
    pub code: ItemCode,
    pub mine: Option<Judgement>,
    /// The coach's agreed view, where they recorded one.
    pub coach: Option<Judgement>,
}

/// Strengths and areas for development, as lines "1a i Title", proposed from
/// the levels. A strength is a component where the leader, and the coach if
/// they gave a view, put it at the top of the scale (or the coach did, where
/// the leader has not reflected); an area for development is one at "not yet"
/// or the lowest level by either. Framework order; at most [`MOST`] each.
pub fn propose(framework: &Framework, judged: &[Judged]) -> (Vec<String>, Vec<String>) {
    let Some(scale) = &framework.scale else {
        return (Vec::new(), Vec::new());
    };
    let top = scale.levels.len().saturating_sub(1);
    let rank = |j: &Option<Judgement>| match j {
        Some(Judgement::Level(code)) => scale.rank(code).map(|r| r as i64),
        Some(Judgement::NotYet) => Some(-1),
        _ => None,
    };
    let mut strengths = Vec::new();
    let mut development = Vec::new();
    for item in framework.reflectable_items() {
        let Some(j) = judged.iter().find(|j| j.code == item.code) else {
            continue;
        };
        let (mine, coach) = (rank(&j.mine), rank(&j.coach));
        let line = format!("{} {}", item.code.as_str(), item.title);
        let strong = match (mine, coach) {
            (Some(m), Some(c)) => {
                (m == top as i64 && c >= top as i64 - 1) || (c == top as i64 && m >= top as i64 - 1)
            }
            (Some(m), None) => m == top as i64,
            (None, Some(c)) => c == top as i64,
            (None, None) => false,
        };
        let weak = [mine, coach].iter().flatten().any(|r| *r <= 0);
        if strong && !weak && strengths.len() < MOST {
            strengths.push(line);
        } else if weak && !strong && development.len() < MOST {
            development.push(line);
        }
    }
    (strengths, development)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::collections::BTreeMap;

    use super::*;
    use crate::framework::Item;
    use crate::scale::{Level, LevelCode, Scale};

    fn item(code: &str, kind: &str, children: Vec<Item>) -> Item {
        Item {
            code: ItemCode::parse(code).unwrap(),
            kind: kind.into(),
            title: format!("Title {code}"),
            introduction: vec![],
            descriptors: BTreeMap::new(),
            children,
            identifier: None,
            extra: BTreeMap::new(),
        }
    }

    fn toolkit_like() -> Framework {
        let level = |code: &str| Level {
            code: LevelCode::parse(code).unwrap(),
            label: code.into(),
            summary: String::new(),
            lead_in: String::new(),
            points: Vec::new(),
        };
        Framework {
            key: crate::framework::FrameworkKey::parse("sample").unwrap(),
            version: "1".into(),
            title: "Sample".into(),
            publisher: String::new(),
            motto: String::new(),
            introduction: vec![],
            scale: Some(Scale {
                name: "Impact".into(),
                levels: vec![level("some"), level("high"), level("highest")],
            }),
            kind_labels: BTreeMap::new(),
            descriptor_lead_in: String::new(),
            associations: Vec::new(),
            identifier: None,
            extra: BTreeMap::new(),
            items: vec![item(
                "1",
                "domain",
                vec![item(
                    "1a",
                    "subdomain",
                    ["1a i", "1a ii", "1a iii", "1a iv", "1a v", "1a vi"]
                        .iter()
                        .map(|c| item(c, "component", vec![]))
                        .collect(),
                )],
            )],
        }
    }

    fn level(code: &str) -> Option<Judgement> {
        Some(Judgement::Level(LevelCode::parse(code).unwrap()))
    }

    #[test]
    fn the_top_of_the_scale_is_a_strength_and_not_yet_or_the_lowest_is_to_develop() {
        let toolkit = toolkit_like();
        let codes: Vec<ItemCode> = toolkit
            .reflectable_items()
            .map(|i| i.code.clone())
            .collect();
        let judged = vec![
            Judged {
                code: codes[0].clone(),
                mine: level("highest"),
                coach: None,
            },
            Judged {
                code: codes[1].clone(),
                mine: level("highest"),
                coach: level("some"),
            },
            Judged {
                code: codes[2].clone(),
                mine: Some(Judgement::NotYet),
                coach: None,
            },
            Judged {
                code: codes[3].clone(),
                mine: level("high"),
                coach: level("highest"),
            },
            Judged {
                code: codes[4].clone(),
                mine: Some(Judgement::NotInRole),
                coach: None,
            },
            Judged {
                code: codes[5].clone(),
                mine: None,
                coach: level("some"),
            },
        ];
        let (strengths, development) = propose(&toolkit, &judged);
        let code_of = |line: &String| line.split(' ').take(2).collect::<Vec<_>>().join(" ");
        assert_eq!(
            strengths.iter().map(code_of).collect::<Vec<_>>(),
            [codes[0].as_str(), codes[3].as_str()]
        );
        // 1: the coach put it at the lowest level; 2: not yet; 5: the coach's lowest.
        assert_eq!(
            development.iter().map(code_of).collect::<Vec<_>>(),
            [codes[1].as_str(), codes[2].as_str(), codes[5].as_str()]
        );
    }
}
