//! The profile summary: a person's reflections gathered per domain and level.

use serde::Serialize;

use crate::framework::{Framework, Item};
use crate::reflection::{Judgement, Reflection};
use crate::scale::LevelCode;

/// How many components of one top-level item (a domain) sit at each judgement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DomainCounts {
    pub code: String,
    pub title: String,
    /// One count per level of the scale, lowest level first.
    pub per_level: Vec<(LevelCode, usize)>,
    pub not_yet: usize,
    pub not_in_role: usize,
    pub unreflected: usize,
    pub total: usize,
}

/// Counts per level per domain, for one person in one cycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProfileSummary {
    pub domains: Vec<DomainCounts>,
}

impl ProfileSummary {
    pub fn build(framework: &Framework, reflections: &[Reflection]) -> Self {
        let levels: Vec<LevelCode> = framework
            .scale
            .as_ref()
            .map(|scale| scale.levels.iter().map(|l| l.code.clone()).collect())
            .unwrap_or_default();
        let domains = framework
            .items
            .iter()
            .map(|domain| count_domain(domain, &levels, reflections))
            .collect();
        Self { domains }
    }
}

fn count_domain(domain: &Item, levels: &[LevelCode], reflections: &[Reflection]) -> DomainCounts {
    let mut per_level: Vec<(LevelCode, usize)> = levels.iter().map(|l| (l.clone(), 0)).collect();
    let (mut not_yet, mut not_in_role, mut unreflected, mut total) = (0, 0, 0, 0);
    let mut stack = vec![domain];
    while let Some(item) = stack.pop() {
        if !item.is_reflectable() {
            stack.extend(item.children.iter());
            continue;
        }
        total += 1;
        let judgement = reflections
            .iter()
            .find(|r| r.item == item.code)
            .and_then(|r| r.judgement.as_ref());
        match judgement {
            None => unreflected += 1,
            Some(Judgement::NotYet) => not_yet += 1,
            Some(Judgement::NotInRole) => not_in_role += 1,
            Some(Judgement::Level(level)) => {
                match per_level.iter_mut().find(|(code, _)| code == level) {
                    Some((_, count)) => *count += 1,
                    // A level the scale no longer has: show it as not reflected
                    // rather than miscount it.
                    None => unreflected += 1,
                }
            }
        }
    }
    DomainCounts {
        code: domain.code.to_string(),
        title: domain.title.clone(),
        per_level,
        not_yet,
        not_in_role,
        unreflected,
        total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::{FrameworkKey, ItemCode};
    use crate::reflection::Note;
    use crate::scale::{Level, Scale};
    use std::collections::BTreeMap;

    fn leaf(code: &str) -> Item {
        Item {
            code: ItemCode::parse(code).unwrap(),
            kind: "component".into(),
            title: code.into(),
            introduction: vec![],
            descriptors: BTreeMap::new(),
            children: vec![],
            identifier: None,
            extra: BTreeMap::new(),
        }
    }

    fn framework() -> Framework {
        let level = |code: &str| Level {
            code: LevelCode::parse(code).unwrap(),
            label: code.into(),
            summary: String::new(),
            lead_in: String::new(),
            points: vec![],
        };
        let mut domain = leaf("1");
        domain.children = vec![leaf("1 a"), leaf("1 b"), leaf("1 c"), leaf("1 d")];
        Framework {
            key: FrameworkKey::parse("f").unwrap(),
            version: "1".into(),
            title: "F".into(),
            publisher: String::new(),
            motto: String::new(),
            introduction: vec![],
            scale: Some(Scale {
                name: "s".into(),
                levels: vec![level("low"), level("high")],
            }),
            kind_labels: BTreeMap::new(),
            descriptor_lead_in: String::new(),
            items: vec![domain],
            associations: Vec::new(),
            identifier: None,
            extra: BTreeMap::new(),
        }
    }

    fn reflection(code: &str, judgement: Option<&str>) -> Reflection {
        Reflection {
            item: ItemCode::parse(code).unwrap(),
            judgement: judgement.map(|j| Judgement::parse(j).unwrap()),
            note: Note::default(),
            updated_at: time::OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn counts_each_component_once_under_its_judgement() {
        let summary = ProfileSummary::build(
            &framework(),
            &[
                reflection("1 a", Some("high")),
                reflection("1 b", Some("not_in_role")),
                reflection("1 c", None),
            ],
        );
        let domain = &summary.domains[0];
        assert_eq!(domain.total, 4);
        assert_eq!(domain.per_level[0].1, 0);
        assert_eq!(domain.per_level[1].1, 1);
        assert_eq!(domain.not_in_role, 1);
        assert_eq!(domain.unreflected, 2);
    }
}
