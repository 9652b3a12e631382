//! Alignments: how an item of one framework matches or relates to items of another
//! ("Toolkit 3b iv addresses NPQSL Eight, Learn that 5"). Curated sets ship as data;
//! suggestions for new ones come from text similarity elsewhere.

use serde::{Deserialize, Serialize};

use crate::framework::{FrameworkKey, ItemCode};

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

    #[test]
    fn kinds_read_as_snake_case() {
        let kind: AlignmentKind = serde_json::from_str("\"exact_match\"").unwrap();
        assert_eq!(kind, AlignmentKind::ExactMatch);
        assert_eq!(kind.label(), "exact match");
    }
}
