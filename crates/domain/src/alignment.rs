//! Alignments: how an item of one framework matches or relates to items of another
//! ("Toolkit 3b iv addresses NPQSL Eight, Learn that 5"). Curated sets ship as data;
//! suggestions for new ones come from text similarity elsewhere.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::framework::{Framework, FrameworkKey, Item, ItemCode};
use crate::reflection::{Judgement, Reflection};
use crate::scale::LevelCode;

/// How closely two items correspond.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlignmentKind {
    /// The two say the same thing.
    ExactMatch,
    /// The source item is one part of what the target asks for.
    PartOf,
    /// They concern the same practice or knowledge without being the same.
    Related,
}

impl Nature {
    pub fn label(self) -> &'static str {
        match self {
            Nature::Knowledge => "knowledge (Learn that…)",
            Nature::Practice => "practice (Learn how to…)",
        }
    }
}

impl AlignmentKind {
    pub fn label(self) -> &'static str {
        match self {
            AlignmentKind::ExactMatch => "exact match",
            AlignmentKind::PartOf => "part of",
            AlignmentKind::Related => "related",
        }
    }
}

/// Whether evidence against the target shows understanding or enacted practice
/// (the NPQSL's "Learn that…" statements against its "Learn how to…" practices).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Nature {
    Knowledge,
    Practice,
}

/// One end of an alignment.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ItemRef {
    pub framework: FrameworkKey,
    pub item: ItemCode,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alignment {
    pub from: ItemRef,
    pub to: ItemRef,
    pub kind: AlignmentKind,
    /// One line saying why, for the person reading it.
    pub reason: String,
    /// Whether the target is knowledge or practice, where its framework says
    /// (the NPQSL's "Learn that…" and "Learn how to…").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nature: Option<Nature>,
}

/// A set of alignments, looked up from either end.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlignmentSet {
    pub alignments: Vec<Alignment>,
}

impl AlignmentSet {
    /// Alignments that start at this item.
    pub fn from_item<'a>(&'a self, item: &'a ItemRef) -> impl Iterator<Item = &'a Alignment> {
        self.alignments.iter().filter(move |a| &a.from == item)
    }

    /// Alignments that end at this item ("addressed by").
    pub fn to_item<'a>(&'a self, item: &'a ItemRef) -> impl Iterator<Item = &'a Alignment> {
        self.alignments.iter().filter(move |a| &a.to == item)
    }

    /// Alignments from any item of `from` to any item of `to`.
    pub fn between<'a>(
        &'a self,
        from: &'a FrameworkKey,
        to: &'a FrameworkKey,
    ) -> impl Iterator<Item = &'a Alignment> {
        self.alignments
            .iter()
            .filter(move |a| &a.from.framework == from && &a.to.framework == to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(framework: &str, code: &str) -> ItemRef {
        ItemRef {
            framework: FrameworkKey::parse(framework).unwrap(),
            item: ItemCode::parse(code).unwrap(),
        }
    }

    #[test]
    fn an_alignment_is_found_from_both_ends() {
        let set = AlignmentSet {
            alignments: vec![Alignment {
                from: item("toolkit", "3b iv"),
                to: item("npqsl", "8 that 5"),
                kind: AlignmentKind::Related,
                reason: "Both are about sustaining implementation.".into(),
                nature: Some(Nature::Knowledge),
            }],
        };
        assert_eq!(set.from_item(&item("toolkit", "3b iv")).count(), 1);
        assert_eq!(set.to_item(&item("npqsl", "8 that 5")).count(), 1);
        assert_eq!(set.to_item(&item("toolkit", "3b iv")).count(), 0);
        let toolkit = FrameworkKey::parse("toolkit").unwrap();
        let npqsl = FrameworkKey::parse("npqsl").unwrap();
        assert_eq!(set.between(&toolkit, &npqsl).count(), 1);
        assert_eq!(set.between(&npqsl, &toolkit).count(), 0);
    }

    fn framework(json: serde_json::Value) -> Framework {
        serde_json::from_value(json).unwrap()
    }

    fn reflection(code: &str, judgement: Judgement) -> Reflection {
        Reflection {
            item: ItemCode::parse(code).unwrap(),
            judgement: Some(judgement),
            note: Default::default(),
            updated_at: time::OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_standing_is_derived_per_section_from_the_source_reflection() {
        let scale = serde_json::json!({"name": "P", "levels": [
            {"code": "some", "label": "Some"}, {"code": "high", "label": "High"},
            {"code": "highest", "label": "Highest"}]});
        let source = framework(serde_json::json!({"id": "toolkit", "version": "1",
            "title": "T", "scale": scale, "items": [{"code": "1", "kind": "domain", "title": "D",
            "children": [{"code": "1a", "kind": "subdomain", "title": "S", "children": [
                {"code": "1a i", "kind": "component", "title": "A"},
                {"code": "1a ii", "kind": "component", "title": "B"},
                {"code": "1a iii", "kind": "component", "title": "C"}]}]}]}));
        let target = framework(serde_json::json!({"id": "npqsl", "version": "1",
            "title": "N", "items": [
                {"code": "1", "kind": "section", "title": "One", "children": [
                    {"code": "1 that 1", "kind": "learn that", "title": "x"},
                    {"code": "1 that 2", "kind": "learn that", "title": "y"},
                    {"code": "1 that 3", "kind": "learn that", "title": "z"}]},
                {"code": "2", "kind": "section", "title": "Two", "children": [
                    {"code": "2 how 1", "kind": "learn how to", "title": "w"}]}]}));
        let link = |from: &str, to: &str, nature| Alignment {
            from: item("toolkit", from),
            to: item("npqsl", to),
            kind: AlignmentKind::Related,
            reason: "r".into(),
            nature: Some(nature),
        };
        let set = AlignmentSet {
            alignments: vec![
                link("1a i", "1 that 1", Nature::Knowledge),
                link("1a ii", "1 that 1", Nature::Knowledge),
                link("1a ii", "1 that 2", Nature::Knowledge),
                link("1a iii", "2 how 1", Nature::Practice),
            ],
        };
        let reflections = [
            reflection(
                "1a i",
                Judgement::Level(LevelCode::parse("highest").unwrap()),
            ),
            reflection("1a ii", Judgement::Level(LevelCode::parse("some").unwrap())),
            reflection("1a iii", Judgement::NotInRole),
        ];
        let standing = DerivedStanding::derive(&source, &reflections, &set, &target);
        let one = &standing.sections[0];
        assert_eq!(one.items, 3);
        assert_eq!(one.targets.len(), 2, "1 that 3 has no alignment");
        assert_eq!(one.targets[0].sources.len(), 2);
        let counts: Vec<usize> = one.per_level.iter().map(|(_, n)| *n).collect();
        assert_eq!(counts, [1, 0, 1], "1a ii counts once though aligned twice");
        assert_eq!(one.median.as_ref().map(LevelCode::as_str), Some("some"));
        assert_eq!((one.knowledge_targets, one.practice_targets), (2, 0));
        let two = &standing.sections[1];
        assert_eq!((two.not_in_role, two.median.clone()), (1, None));
        assert_eq!(two.practice_targets, 1);
    }

    #[test]
    fn kinds_read_as_snake_case() {
        let kind: AlignmentKind = serde_json::from_str("\"exact_match\"").unwrap();
        assert_eq!(kind, AlignmentKind::ExactMatch);
        assert_eq!(kind.label(), "exact match");
    }
}

/// A person's standing against another framework, derived from their reflection on
/// a source framework through an alignment set. It is never a reflection on the
/// target itself: every figure comes from judgements made on the source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DerivedStanding {
    pub sections: Vec<SectionStanding>,
}

/// One top-level item of the target (an NPQSL section, a Welsh key area).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionStanding {
    pub code: ItemCode,
    pub title: String,
    /// The section's items that some source item is aligned to.
    pub targets: Vec<TargetStanding>,
    /// How many items the section has in all, aligned or not.
    pub items: usize,
    /// The distinct source items aligned into the section, counted once each by
    /// the person's judgement: one count per level, lowest first.
    pub per_level: Vec<(LevelCode, usize)>,
    pub not_yet: usize,
    pub not_in_role: usize,
    pub unreflected: usize,
    /// The middle level of the judged source items (lower middle for an even
    /// count), when any was judged at a level.
    pub median: Option<LevelCode>,
    /// Aligned targets whose framework marks them as knowledge, and as practice.
    pub knowledge_targets: usize,
    pub practice_targets: usize,
}

/// One aligned target item and the source items that address it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TargetStanding {
    pub item: ItemCode,
    pub title: String,
    pub nature: Option<Nature>,
    pub sources: Vec<SourceJudgement>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceJudgement {
    pub item: ItemCode,
    pub title: String,
    pub kind: AlignmentKind,
    pub judgement: Option<Judgement>,
}

impl DerivedStanding {
    /// Derives where a person stands against `target`, section by section, from
    /// `reflections` made on `source` and the alignments from `source` to `target`.
    pub fn derive(
        source: &Framework,
        reflections: &[Reflection],
        alignments: &AlignmentSet,
        target: &Framework,
    ) -> Self {
        let levels: Vec<LevelCode> = source
            .scale
            .as_ref()
            .map(|scale| scale.levels.iter().map(|l| l.code.clone()).collect())
            .unwrap_or_default();
        let judgement_of = |code: &ItemCode| {
            reflections
                .iter()
                .find(|r| &r.item == code)
                .and_then(|r| r.judgement.clone())
        };
        let links: Vec<&Alignment> = alignments.between(&source.key, &target.key).collect();
        let sections = target
            .items
            .iter()
            .map(|section| {
                let mut targets = Vec::new();
                let mut items = 0;
                let mut sources: BTreeSet<&ItemCode> = BTreeSet::new();
                for item in section_leaves(section) {
                    items += 1;
                    let addressing: Vec<SourceJudgement> = links
                        .iter()
                        .filter(|a| a.to.item == item.code)
                        .filter_map(|a| {
                            let origin = source.find(&a.from.item)?;
                            sources.insert(&origin.code);
                            Some(SourceJudgement {
                                item: origin.code.clone(),
                                title: origin.title.clone(),
                                kind: a.kind,
                                judgement: judgement_of(&origin.code),
                            })
                        })
                        .collect();
                    if !addressing.is_empty() {
                        targets.push(TargetStanding {
                            item: item.code.clone(),
                            title: item.title.clone(),
                            nature: links
                                .iter()
                                .find(|a| a.to.item == item.code)
                                .and_then(|a| a.nature),
                            sources: addressing,
                        });
                    }
                }
                let mut per_level: Vec<(LevelCode, usize)> =
                    levels.iter().map(|l| (l.clone(), 0)).collect();
                let (mut not_yet, mut not_in_role, mut unreflected) = (0, 0, 0);
                let mut ranks = Vec::new();
                for code in &sources {
                    match judgement_of(code) {
                        None => unreflected += 1,
                        Some(Judgement::NotYet) => not_yet += 1,
                        Some(Judgement::NotInRole) => not_in_role += 1,
                        Some(Judgement::Level(level)) => {
                            if let Some(rank) = levels.iter().position(|l| *l == level) {
                                per_level[rank].1 += 1;
                                ranks.push(rank);
                            }
                        }
                    }
                }
                ranks.sort_unstable();
                let median = ranks
                    .get(ranks.len().saturating_sub(1) / 2)
                    .map(|&rank| levels[rank].clone());
                let count_nature = |nature: Nature| {
                    targets
                        .iter()
                        .filter(|t: &&TargetStanding| t.nature == Some(nature))
                        .count()
                };
                SectionStanding {
                    code: section.code.clone(),
                    title: section.title.clone(),
                    knowledge_targets: count_nature(Nature::Knowledge),
                    practice_targets: count_nature(Nature::Practice),
                    targets,
                    items,
                    per_level,
                    not_yet,
                    not_in_role,
                    unreflected,
                    median,
                }
            })
            .collect();
        Self { sections }
    }
}

/// The reflectable items under a top-level item, in tree order.
fn section_leaves(section: &Item) -> Vec<&Item> {
    let mut leaves = Vec::new();
    let mut stack = vec![section];
    while let Some(item) = stack.pop() {
        if item.is_reflectable() {
            leaves.push(item);
        } else {
            stack.extend(item.children.iter().rev());
        }
    }
    leaves
}
