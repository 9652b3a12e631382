//! What changed between two versions of a framework, item by item.

use std::collections::HashMap;

use super::{Framework, Item, ItemCode};
use crate::scale::LevelCode;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemChange {
    Added {
        code: ItemCode,
        title: String,
    },
    Removed {
        code: ItemCode,
        title: String,
    },
    Retitled {
        code: ItemCode,
        from: String,
        to: String,
    },
    Moved {
        code: ItemCode,
        from: Option<ItemCode>,
        to: Option<ItemCode>,
    },
    DescriptorChanged {
        code: ItemCode,
        level: LevelCode,
        from: Option<String>,
        to: Option<String>,
    },
    IntroductionChanged {
        code: ItemCode,
    },
}

impl std::fmt::Display for ItemChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown = |text: &Option<String>| match text {
            Some(text) => format!("\"{text}\""),
            None => "(none)".to_owned(),
        };
        let place = |parent: &Option<ItemCode>| match parent {
            Some(code) => format!("under {code}"),
            None => "at the top".to_owned(),
        };
        match self {
            ItemChange::Added { code, title } => write!(f, "+ {code} {title}"),
            ItemChange::Removed { code, title } => write!(f, "- {code} {title}"),
            ItemChange::Retitled { code, from, to } => {
                write!(f, "~ {code} title: \"{from}\" → \"{to}\"")
            }
            ItemChange::Moved { code, from, to } => {
                write!(f, "~ {code} moved from {} to {}", place(from), place(to))
            }
            ItemChange::DescriptorChanged {
                code,
                level,
                from,
                to,
            } => write!(
                f,
                "~ {code} descriptor at {level}: {} → {}",
                shown(from),
                shown(to)
            ),
            ItemChange::IntroductionChanged { code } => write!(f, "~ {code} introduction changed"),
        }
    }
}

/// The key in an item's `extra` naming the code it replaces in the previous
/// version, for an item renumbered or reworded under a new code.
pub const REPLACES: &str = "replaces";

/// Which reflectable item of `old` each reflectable item of `new` continues, so
/// that a person's reflection can carry forward: an explicit `replaces` mapping
/// first, then the same imported identifier, then the same code.
pub fn carry_forward(old: &Framework, new: &Framework) -> Vec<(ItemCode, ItemCode)> {
    let reflectable_old = |code: &ItemCode| old.find(code).filter(|item| item.is_reflectable());
    new.reflectable_items()
        .filter_map(|item| {
            let mapped = item
                .extra
                .get(REPLACES)
                .and_then(|raw| ItemCode::parse(raw).ok())
                .and_then(|code| reflectable_old(&code));
            let by_identifier = || {
                let id = item.identifier.as_ref()?;
                old.reflectable_items()
                    .find(|candidate| candidate.identifier.as_ref() == Some(id))
            };
            let found = mapped
                .or_else(by_identifier)
                .or_else(|| reflectable_old(&item.code))?;
            Some((found.code.clone(), item.code.clone()))
        })
        .collect()
}

fn parents(framework: &Framework) -> HashMap<&ItemCode, (Option<&ItemCode>, &Item)> {
    let mut out = HashMap::new();
    let mut stack: Vec<(Option<&ItemCode>, &Item)> =
        framework.items.iter().map(|item| (None, item)).collect();
    while let Some((parent, item)) = stack.pop() {
        out.insert(&item.code, (parent, item));
        stack.extend(item.children.iter().map(|child| (Some(&item.code), child)));
    }
    out
}

/// Every difference from `old` to `new`, in `old`'s order then `new`'s additions.
pub fn diff(old: &Framework, new: &Framework) -> Vec<ItemChange> {
    let before = parents(old);
    let after = parents(new);
    let mut changes = Vec::new();
    for item in old.walk() {
        let Some((new_parent, new_item)) = after.get(&item.code) else {
            changes.push(ItemChange::Removed {
                code: item.code.clone(),
                title: item.title.clone(),
            });
            continue;
        };
        let old_parent = before.get(&item.code).and_then(|(parent, _)| *parent);
        if old_parent != *new_parent {
            changes.push(ItemChange::Moved {
                code: item.code.clone(),
                from: old_parent.cloned(),
                to: new_parent.cloned(),
            });
        }
        if item.title != new_item.title {
            changes.push(ItemChange::Retitled {
                code: item.code.clone(),
                from: item.title.clone(),
                to: new_item.title.clone(),
            });
        }
        if item.introduction != new_item.introduction {
            changes.push(ItemChange::IntroductionChanged {
                code: item.code.clone(),
            });
        }
        let mut levels: Vec<&LevelCode> = item
            .descriptors
            .keys()
            .chain(new_item.descriptors.keys())
            .collect();
        levels.sort();
        levels.dedup();
        for level in levels {
            let from = item.descriptor(level).flatten();
            let to = new_item.descriptor(level).flatten();
            if from != to {
                changes.push(ItemChange::DescriptorChanged {
                    code: item.code.clone(),
                    level: level.clone(),
                    from: from.map(str::to_owned),
                    to: to.map(str::to_owned),
                });
            }
        }
    }
    for item in new.walk() {
        if !before.contains_key(&item.code) {
            changes.push(ItemChange::Added {
                code: item.code.clone(),
                title: item.title.clone(),
            });
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn item(code: &str, title: &str, children: Vec<Item>) -> Item {
        Item {
            code: ItemCode::parse(code).unwrap(),
            kind: "item".into(),
            title: title.into(),
            introduction: vec![],
            descriptors: BTreeMap::new(),
            children,
            identifier: None,
            extra: BTreeMap::new(),
        }
    }

    fn framework(items: Vec<Item>) -> Framework {
        Framework {
            key: crate::framework::FrameworkKey::parse("f").unwrap(),
            version: "1".into(),
            title: "F".into(),
            publisher: String::new(),
            motto: String::new(),
            introduction: vec![],
            scale: None,
            kind_labels: BTreeMap::new(),
            descriptor_lead_in: String::new(),
            items,
            associations: Vec::new(),
            identifier: None,
            extra: BTreeMap::new(),
        }
    }

    #[test]
    fn reflections_carry_forward_by_mapping_then_identifier_then_code() {
        let old = framework(vec![item(
            "1",
            "One",
            vec![
                item("1.1", "Kept", vec![]),
                item("1.2", "Renumbered", vec![]),
                item("1.3", "Gone", vec![]),
                {
                    let mut imported = item("1.4", "Imported", vec![]);
                    imported.identifier = Some("uuid-4".into());
                    imported
                },
            ],
        )]);
        let mut renumbered = item("1.5", "Renumbered", vec![]);
        renumbered.extra.insert(REPLACES.into(), "1.2".into());
        let mut recoded = item("1.9", "Imported, recoded", vec![]);
        recoded.identifier = Some("uuid-4".into());
        let new = framework(vec![item(
            "1",
            "One",
            vec![
                item("1.1", "Kept, reworded", vec![]),
                renumbered,
                recoded,
                item("1.6", "New", vec![]),
            ],
        )]);
        let code = |c: &str| ItemCode::parse(c).unwrap();
        assert_eq!(
            carry_forward(&old, &new),
            [
                (code("1.1"), code("1.1")),
                (code("1.2"), code("1.5")),
                (code("1.4"), code("1.9")),
            ]
        );
    }

    #[test]
    fn the_same_framework_has_no_changes() {
        let f = framework(vec![item("1", "One", vec![item("1.1", "Leaf", vec![])])]);
        assert!(diff(&f, &f).is_empty());
    }

    #[test]
    fn additions_removals_retitles_moves_and_descriptors_are_listed() {
        let old = framework(vec![
            item(
                "1",
                "One",
                vec![item("1.1", "Leaf", vec![]), item("1.2", "Gone", vec![])],
            ),
            item("2", "Two", vec![]),
        ]);
        let mut leaf = item("1.1", "Leaf, renamed", vec![]);
        leaf.descriptors
            .insert(LevelCode::parse("high").unwrap(), Some("does it".into()));
        let new = framework(vec![
            item("1", "One", vec![]),
            item("2", "Two", vec![leaf, item("2.1", "New", vec![])]),
        ]);
        let shown: Vec<String> = diff(&old, &new).iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "~ 1.1 moved from under 1 to under 2",
                "~ 1.1 title: \"Leaf\" → \"Leaf, renamed\"",
                "~ 1.1 descriptor at high: (none) → \"does it\"",
                "- 1.2 Gone",
                "+ 2.1 New",
            ]
        );
    }
}
