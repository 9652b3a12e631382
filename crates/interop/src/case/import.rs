//! A CASE package (1.0 or 1.1) → a framework.
//!
//! The tree comes from the `isChildOf` associations (an item's first one is its
//! place in the tree, ordered by `sequenceNumber`); every other association is kept
//! as a typed link; rubric criteria become descriptors on a scale made from their
//! levels. Fields leadkit does not model are kept verbatim in `extra` so that the
//! framework exports as it came (see `export.rs`). Any problem — broken JSON, a
//! duplicate or missing identifier, a link to an unknown item, a cycle — is
//! reported by identifier, and nothing is returned.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use leadkit_domain::framework::{Association, Framework, FrameworkKey, Item, ItemCode, NodeRef};
use leadkit_domain::scale::{Level, LevelCode, Scale};

use super::export::keys;
use super::{CfAssociation, CfItem, CfPackage, LinkUri};
use crate::{ImportError, Problem, check_size};

#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Refuse identifiers that are not UUIDs, as CASE requires. Off, identifiers
    /// are accepted as any non-empty text (early OpenSALT exports use others).
    pub strict_identifiers: bool,
    /// The framework's key; by default made from the document's title.
    pub key: Option<FrameworkKey>,
}

/// The object's fields except those named, as JSON text for `extra`. Fields in
/// `absent` are recorded as null: "the source had none", so that the export does
/// not add its own.
fn kept_without<T: Serialize>(object: &T, modelled: &[&str], absent: &[&str]) -> Option<String> {
    let serde_json::Value::Object(mut map) = serde_json::to_value(object).ok()? else {
        return None;
    };
    for field in modelled {
        map.remove(*field);
    }
    map.retain(|_, value| !value.is_null());
    for field in absent {
        map.insert((*field).to_owned(), serde_json::Value::Null);
    }
    (!map.is_empty()).then(|| serde_json::Value::Object(map).to_string())
}

fn kept<T: Serialize>(object: &T, modelled: &[&str]) -> Option<String> {
    kept_without(object, modelled, &[])
}

fn node(link: &LinkUri) -> NodeRef {
    NodeRef {
        identifier: link.identifier.clone(),
        title: link.title.clone(),
        uri: link.uri.clone(),
    }
}

fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A key from a title: lowercase words joined by dashes, at most 64 characters.
fn key_from_title(title: &str) -> Option<FrameworkKey> {
    let slug: String = title
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let mut words: Vec<&str> = slug.split('-').filter(|w| !w.is_empty()).collect();
    while words.join("-").len() > 64 {
        words.pop();
    }
    FrameworkKey::parse(&words.join("-")).ok()
}

/// A level code from a level's name ("High impact" → "high-impact").
fn level_code(label: &str, position: usize) -> LevelCode {
    let slug = key_from_title(label)
        .map(|k| k.to_string())
        .unwrap_or_default();
    let slug: String = slug.chars().take(32).collect();
    LevelCode::parse(slug.trim_end_matches('-'))
        .or_else(|_| LevelCode::parse(&format!("level-{}", position + 1)))
        .unwrap_or_else(|_| unreachable_level())
}

#[allow(clippy::panic)] // "level-N" is always a valid code
fn unreachable_level() -> LevelCode {
    panic!("level-N is a valid level code")
}

/// The association fields an `Association` holds exactly.
fn association_modelled(association: &CfAssociation) -> Vec<&'static str> {
    let mut modelled = vec![
        "identifier",
        "originNodeURI",
        "destinationNodeURI",
        "associationType",
        "uri",
    ];
    if association
        .document_uri
        .as_ref()
        .is_some_and(serde_json::Value::is_object)
    {
        modelled.push("CFDocumentURI");
    }
    // A sequence number that orders siblings (a number, or a numeric string) is
    // modelled by the tree's order and written back as the position: keeping
    // some siblings' original numbers beside others' positions would reorder
    // them on the next import (found by `cargo fuzz`, fuzz/fuzz_targets).
    if association.sequence().is_some() {
        modelled.push("sequenceNumber");
    }
    modelled
}

pub fn import(bytes: &[u8], options: ImportOptions) -> Result<Framework, ImportError> {
    check_size(bytes.len() as u64)?;
    let text = std::str::from_utf8(bytes).map_err(|error| {
        let line = bytes[..error.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64
            + 1;
        ImportError::one(Some(line), "the file is not UTF-8 text")
    })?;
    let package: CfPackage = serde_json::from_str(text).map_err(|error| {
        ImportError::one(
            Some(error.line() as u64),
            format!("column {}: not a CASE package: {error}", error.column()),
        )
    })?;
    let mut problems = Vec::new();
    let mut problem = |message: String| {
        problems.push(Problem {
            line: None,
            message,
        })
    };

    // Identifiers: CASE 1.1 names them `identifier`; OpenCASE, `sourcedId`.
    let id_of = |identifier: &str, sourced: &Option<String>| {
        if identifier.is_empty() {
            sourced.clone().unwrap_or_default()
        } else {
            identifier.to_owned()
        }
    };
    let document_id = id_of(&package.document.identifier, &package.document.sourced_id);
    let mut seen: HashSet<String> = HashSet::new();
    let mut check_id = |what: &str, id: &str, problem: &mut dyn FnMut(String)| {
        if id.trim().is_empty() {
            problem(format!("a {what} has no identifier"));
        } else if options.strict_identifiers && !is_uuid(id) {
            problem(format!("{what} {id}: the identifier is not a UUID"));
        } else if !seen.insert(id.to_owned()) {
            problem(format!("{what} {id}: the identifier is used twice"));
        }
    };
    check_id("CFDocument", &document_id, &mut problem);
    if package.document.title.trim().is_empty() {
        problem("the CFDocument has no title".into());
    }
    let items: Vec<(String, &CfItem)> = package
        .items
        .iter()
        .map(|item| (id_of(&item.identifier, &item.sourced_id), item))
        .collect();
    for (id, item) in &items {
        check_id("CFItem", id, &mut problem);
        if item.full_statement.trim().is_empty() {
            problem(format!("CFItem {id} has no fullStatement"));
        }
    }
    let item_ids: HashMap<&str, usize> = items
        .iter()
        .enumerate()
        .map(|(index, (id, _))| (id.as_str(), index))
        .collect();

    // The tree: each item's first isChildOf link; others are kept as associations.
    let mut parent: HashMap<usize, (Option<usize>, &CfAssociation)> = HashMap::new();
    let mut links: Vec<&CfAssociation> = Vec::new();
    for association in &package.associations {
        let id = id_of(&association.identifier, &association.sourced_id);
        check_id("CFAssociation", &id, &mut problem);
        if association.association_type != "isChildOf" {
            links.push(association);
            continue;
        }
        let Some(&child) = item_ids.get(association.origin_node_uri.identifier.as_str()) else {
            problem(format!(
                "CFAssociation {id}: its origin {} is not an item of this package",
                association.origin_node_uri.identifier
            ));
            continue;
        };
        let destination = association.destination_node_uri.identifier.as_str();
        let to = if destination == document_id {
            None
        } else if let Some(&index) = item_ids.get(destination) {
            Some(index)
        } else {
            problem(format!(
                "CFAssociation {id}: its destination {destination} is neither this document nor one of its items"
            ));
            continue;
        };
        match parent.entry(child) {
            std::collections::hash_map::Entry::Occupied(_) => links.push(association),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert((to, association));
            }
        }
    }
    for &index in parent.keys() {
        let mut current = parent.get(&index).and_then(|(to, _)| *to);
        let mut steps = 0;
        while let Some(up) = current {
            if up == index || steps > items.len() {
                problem(format!(
                    "CFItem {}: it is its own ancestor (the isChildOf links form a cycle)",
                    items[index].0
                ));
                break;
            }
            current = parent.get(&up).and_then(|(to, _)| *to);
            steps += 1;
        }
    }
    if !problems.is_empty() {
        problems.sort_by(|a, b| a.message.cmp(&b.message));
        return Err(ImportError { problems });
    }

    // Siblings in sequenceNumber order (then file order).
    let mut children: HashMap<Option<usize>, Vec<(i64, usize)>> = HashMap::new();
    for index in 0..items.len() {
        let (to, sequence) = match parent.get(&index) {
            Some((to, association)) => (*to, association.sequence().unwrap_or(i64::MAX)),
            None => (None, i64::MAX),
        };
        children.entry(to).or_default().push((sequence, index));
    }
    for siblings in children.values_mut() {
        siblings.sort();
    }
    // Each item's place in the tree, read top to bottom: made-up codes follow it,
    // so that exporting (which writes items in tree order) and importing again
    // gives every item the same code (found by `cargo fuzz`, fuzz/fuzz_targets).
    let mut position: Vec<usize> = (0..items.len()).collect();
    {
        let mut next = 0;
        let mut stack: Vec<usize> = children
            .get(&None)
            .map(|roots| roots.iter().rev().map(|(_, i)| *i).collect())
            .unwrap_or_default();
        let mut seen = HashSet::new();
        while let Some(index) = stack.pop() {
            if !seen.insert(index) {
                continue;
            }
            position[index] = next;
            next += 1;
            if let Some(kids) = children.get(&Some(index)) {
                stack.extend(kids.iter().rev().map(|(_, i)| *i));
            }
        }
    }

    // Codes: the human coding scheme where it is usable and unique, else a made-up
    // one. Where two items share a code, the first in the tree keeps it: tree
    // order survives an export (file order does not), so the same item keeps the
    // code when the export is imported again (found by `cargo fuzz`).
    let mut used: HashSet<String> = HashSet::new();
    let mut in_tree_order: Vec<usize> = (0..items.len()).collect();
    in_tree_order.sort_by_key(|index| (position[*index], *index));
    let mut assigned: Vec<Option<ItemCode>> = vec![None; items.len()];
    for index in in_tree_order {
        let item = &items[index].1;
        let code = {
            let wanted = item
                .human_coding_scheme
                .as_deref()
                .map(str::trim)
                .and_then(|code| ItemCode::parse(code).ok())
                .filter(|code| !used.contains(code.as_str()));
            let code = wanted.unwrap_or_else(|| {
                let mut n = position[index] + 1;
                loop {
                    if let Ok(code) = ItemCode::parse(&format!("item {n}"))
                        && !used.contains(code.as_str())
                    {
                        break code;
                    }
                    n += items.len();
                }
            });
            used.insert(code.to_string());
            code
        };
        assigned[index] = Some(code);
    }
    let codes: Vec<ItemCode> = assigned.into_iter().flatten().collect();

    // Descriptors: rubric criteria, a scale from their levels' qualities by position.
    let mut levels: Vec<Level> = Vec::new();
    let mut descriptors: HashMap<usize, BTreeMap<LevelCode, Option<String>>> = HashMap::new();
    let mut criterion_extra: HashMap<usize, Vec<(String, String)>> = HashMap::new();
    for rubric in &package.rubrics {
        for criterion in &rubric.criteria {
            let Some(index) = criterion
                .item_uri
                .as_ref()
                .and_then(|link| item_ids.get(link.identifier.as_str()).copied())
            else {
                continue; // a criterion about something else: nothing to attach it to
            };
            let mut sorted: Vec<_> = criterion.levels.iter().collect();
            sorted.sort_by_key(|level| level.position.unwrap_or(i64::MAX));
            let entry = descriptors.entry(index).or_default();
            let extras = criterion_extra.entry(index).or_default();
            if let Some(kept) = kept(criterion, &["CFRubricCriterionLevels", "CFItemURI", "uri"]) {
                extras.push((keys::CRITERION.to_owned(), kept));
            }
            for (position, level) in sorted.into_iter().enumerate() {
                let label = level
                    .quality
                    .clone()
                    .unwrap_or_else(|| format!("Level {}", position + 1));
                let code = match levels.get(position) {
                    Some(known) => known.code.clone(),
                    None => {
                        let code = level_code(&label, position);
                        levels.push(Level {
                            code: code.clone(),
                            label: label.clone(),
                            summary: String::new(),
                            lead_in: String::new(),
                            points: Vec::new(),
                        });
                        code
                    }
                };
                entry.insert(code.clone(), level.description.clone());
                if let Some(kept) = kept(level, &["description", "uri"]) {
                    extras.push((keys::level(code.as_str()), kept));
                }
            }
        }
    }

    // Build the tree bottom-up (siblings as ordered above).
    let build = |index: usize, kids: Vec<Item>| -> Item {
        let (id, source) = &items[index];
        let mut extra = BTreeMap::new();
        // A field is left out of what is kept only when the item holds it exactly.
        let exact = |text: &Option<String>| {
            text.as_deref()
                .is_some_and(|t| !t.trim().is_empty() && t.trim() == t)
        };
        let mut modelled = vec!["identifier", "uri"];
        if source
            .document_uri
            .as_ref()
            .is_some_and(serde_json::Value::is_object)
        {
            modelled.push("CFDocumentURI");
        }
        if source.full_statement.trim() == source.full_statement {
            modelled.push("fullStatement");
        }
        if exact(&source.item_type) {
            modelled.push("CFItemType");
        }
        if source
            .notes
            .as_deref()
            .is_some_and(|n| !n.trim().is_empty())
        {
            modelled.push("notes");
        }
        if source.human_coding_scheme.as_deref() == Some(codes[index].as_str()) {
            modelled.push("humanCodingScheme");
        }
        let absent: &[&str] = if source.human_coding_scheme.is_none() {
            &["humanCodingScheme"]
        } else {
            &[]
        };
        let kept_item = kept_without(*source, &modelled, absent);
        if let Some(kept_item) = kept_item {
            extra.insert(keys::ITEM.to_owned(), kept_item);
        }
        if let Some((_, association)) = parent.get(&index)
            && let Some(kept) = kept(
                *association,
                if association
                    .document_uri
                    .as_ref()
                    .is_some_and(serde_json::Value::is_object)
                {
                    &[
                        "originNodeURI",
                        "destinationNodeURI",
                        "associationType",
                        "uri",
                        "CFDocumentURI",
                    ]
                } else {
                    &[
                        "originNodeURI",
                        "destinationNodeURI",
                        "associationType",
                        "uri",
                    ]
                },
            )
        {
            extra.insert(keys::CHILD_OF.to_owned(), kept);
        }
        for (key, value) in criterion_extra.get(&index).cloned().unwrap_or_default() {
            extra.insert(key, value);
        }
        Item {
            code: codes[index].clone(),
            kind: source
                .item_type
                .clone()
                .filter(|kind| !kind.trim().is_empty())
                .unwrap_or_else(|| "item".into()),
            title: source.full_statement.trim().to_owned(),
            introduction: source
                .notes
                .clone()
                .filter(|n| !n.trim().is_empty())
                .into_iter()
                .collect(),
            descriptors: descriptors.get(&index).cloned().unwrap_or_default(),
            children: kids,
            identifier: Some(id.clone()),
            extra,
        }
    };
    // Depth-first post-order without recursion: deep trees cannot overflow the stack.
    let mut built: HashMap<usize, Item> = HashMap::new();
    let mut stack: Vec<(usize, bool)> = children
        .get(&None)
        .map(|roots| roots.iter().rev().map(|(_, i)| (*i, false)).collect())
        .unwrap_or_default();
    while let Some((index, expanded)) = stack.pop() {
        let kids: Vec<usize> = children
            .get(&Some(index))
            .map(|k| k.iter().map(|(_, i)| *i).collect())
            .unwrap_or_default();
        if expanded {
            let kid_items = kids.iter().filter_map(|k| built.remove(k)).collect();
            built.insert(index, build(index, kid_items));
        } else {
            stack.push((index, true));
            stack.extend(kids.iter().rev().map(|k| (*k, false)));
        }
    }
    let roots: Vec<Item> = children
        .get(&None)
        .map(|roots| roots.iter().filter_map(|(_, i)| built.remove(i)).collect())
        .unwrap_or_default();

    let document = &package.document;
    let key = match options
        .key
        .clone()
        .or_else(|| key_from_title(&document.title))
    {
        Some(key) => key,
        None => {
            return Err(ImportError::one(
                None,
                format!(
                    "cannot make a key from the title \"{}\"; give one",
                    document.title
                ),
            ));
        }
    };
    let mut extra = BTreeMap::new();
    let absent: &[&str] = if document.publisher.is_none() {
        &["publisher"]
    } else {
        &[]
    };
    let mut modelled = vec!["identifier", "uri", "CFPackageURI"];
    if document.title.trim() == document.title {
        modelled.push("title");
    }
    if document
        .version
        .as_deref()
        .is_some_and(|v| !v.trim().is_empty())
    {
        modelled.push("version");
    }
    if document
        .description
        .as_deref()
        .is_some_and(|d| !d.trim().is_empty())
    {
        modelled.push("description");
    }
    if let Some(kept) = kept_without(document, &modelled, absent) {
        extra.insert(keys::DOCUMENT.to_owned(), kept);
    }
    if let Some(rubric) = package.rubrics.first()
        && let Some(kept) = kept(rubric, &["CFRubricCriteria", "uri"])
    {
        extra.insert(keys::RUBRIC.to_owned(), kept);
    }
    if !package.other.is_empty() {
        extra.insert(
            keys::PACKAGE.to_owned(),
            serde_json::Value::Object(package.other.clone().into_iter().collect()).to_string(),
        );
    }
    let framework = Framework {
        key,
        version: document
            .version
            .clone()
            .filter(|v| !v.trim().is_empty())
            .unwrap_or_else(|| "1".into()),
        title: document.title.trim().to_owned(),
        publisher: document
            .publisher
            .clone()
            .unwrap_or_else(|| document.creator.clone()),
        motto: String::new(),
        introduction: document
            .description
            .clone()
            .filter(|d| !d.trim().is_empty())
            .into_iter()
            .collect(),
        scale: (!levels.is_empty()).then(|| Scale {
            name: package
                .rubrics
                .first()
                .map(|r| r.title.clone())
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| "Levels".into()),
            levels,
        }),
        kind_labels: BTreeMap::new(),
        descriptor_lead_in: String::new(),
        items: roots,
        associations: links
            .into_iter()
            .map(|association| Association {
                identifier: Some(id_of(&association.identifier, &association.sourced_id)),
                kind: association.association_type.clone(),
                origin: node(&association.origin_node_uri),
                destination: node(&association.destination_node_uri),
                sequence: association.sequence(),
                extra: kept(association, &association_modelled(association))
                    .map(|kept| BTreeMap::from([(keys::ASSOCIATION.to_owned(), kept)]))
                    .unwrap_or_default(),
            })
            .collect(),
        identifier: Some(document_id),
        extra,
    };
    framework
        .validate()
        .map_err(|error| ImportError::one(None, error.to_string()))?;
    Ok(framework)
}
