//! A framework → a CASE package.
//!
//! A framework that came from CASE carries, in its `extra` fields, every field of
//! the original objects that leadkit does not model (see `import.rs`); they are laid
//! back over the objects built here, so a package goes out as it came in.

use std::collections::BTreeMap;

use serde::Serialize;
use serde::de::DeserializeOwned;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use leadkit_domain::framework::{Framework, Item, NodeRef};

use super::{
    CASE_PATH, CfAssociation, CfDocument, CfItem, CfPackage, CfRubric, CfRubricCriterion,
    CfRubricCriterionLevel, Identifiers, LinkUri,
};

/// Keys under which imported CASE fields are kept in `extra`.
pub(crate) mod keys {
    pub const DOCUMENT: &str = "case";
    pub const PACKAGE: &str = "case.package";
    pub const RUBRIC: &str = "case.rubric";
    pub const ITEM: &str = "case";
    pub const CHILD_OF: &str = "case.isChildOf";
    pub const CRITERION: &str = "case.criterion";
    pub const ASSOCIATION: &str = "case";

    pub fn level(code: &str) -> String {
        format!("case.level.{code}")
    }
}

/// Lays the fields kept in `extra[key]` (a JSON object) over `built`.
fn overlay<T: Serialize + DeserializeOwned>(
    built: T,
    extra: &BTreeMap<String, String>,
    key: &str,
) -> T {
    let Some(kept) = extra.get(key).and_then(|text| {
        serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text).ok()
    }) else {
        return built;
    };
    let Ok(serde_json::Value::Object(mut object)) = serde_json::to_value(&built) else {
        return built;
    };
    for (field, value) in kept {
        if value.is_null() {
            object.remove(&field);
        } else {
            object.insert(field, value);
        }
    }
    serde_json::from_value(serde_json::Value::Object(object)).unwrap_or(built)
}

/// The identifier an imported object had, kept in `extra[key]`.
fn kept_id(extra: &BTreeMap<String, String>, key: &str) -> Option<String> {
    let kept: serde_json::Value = serde_json::from_str(extra.get(key)?).ok()?;
    kept.get("identifier")
        .or_else(|| kept.get("sourcedId"))
        .and_then(|id| id.as_str())
        .map(str::to_owned)
}

fn link(node: &NodeRef) -> LinkUri {
    LinkUri {
        title: node.title.clone(),
        identifier: node.identifier.clone(),
        uri: node.uri.clone(),
    }
}

/// Builds the CASE package of a framework. `base_url` is where the CASE service is
/// reached (e.g. `https://leadkit.example.org`); `published` is when this version
/// was published, used as every new object's `lastChangeDateTime`.
pub fn export(framework: &Framework, base_url: &str, published: OffsetDateTime) -> CfPackage {
    let ids = Identifiers::of(framework);
    let base = base_url.trim_end_matches('/');
    let changed = published
        .format(&Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".into());
    let uri = |kind: &str, id: &str| format!("{base}{CASE_PATH}/{kind}/{id}");
    let document_id = ids.document();
    let document_link = LinkUri {
        title: framework.title.clone(),
        identifier: document_id.clone(),
        uri: uri("CFDocuments", &document_id),
    };
    let item_link = |item: &Item| {
        let id = ids.item(item);
        LinkUri {
            title: item.title.clone(),
            uri: uri("CFItems", &id),
            identifier: id,
        }
    };
    let paragraphs = |text: &[String]| (!text.is_empty()).then(|| text.join("\n\n"));

    let mut items = Vec::new();
    let mut associations = Vec::new();
    let mut criteria = Vec::new();
    // (parent link, position among siblings, item): depth first, in the framework's order.
    let mut order: Vec<(LinkUri, usize, &Item)> = framework
        .items
        .iter()
        .enumerate()
        .rev()
        .map(|(index, item)| (document_link.clone(), index, item))
        .collect();
    while let Some((parent, index, item)) = order.pop() {
        let link = item_link(item);
        items.push(overlay(
            CfItem {
                identifier: link.identifier.clone(),
                sourced_id: Some(link.identifier.clone()),
                uri: link.uri.clone(),
                full_statement: item.title.clone(),
                human_coding_scheme: Some(item.code.to_string()),
                item_type: Some(item.kind.clone()),
                abbreviated_statement: None,
                notes: paragraphs(&item.introduction),
                list_enumeration: Some((index + 1).to_string()),
                language: Some("en".into()),
                document_uri: serde_json::to_value(&document_link).ok(),
                last_change_date_time: changed.clone(),
                other: BTreeMap::new(),
            },
            &item.extra,
            keys::ITEM,
        ));
        let association_id =
            kept_id(&item.extra, keys::CHILD_OF).unwrap_or_else(|| ids.child_link(item));
        associations.push(overlay(
            CfAssociation {
                identifier: association_id.clone(),
                sourced_id: Some(association_id.clone()),
                uri: uri("CFAssociations", &association_id),
                association_type: "isChildOf".into(),
                origin_node_uri: link.clone(),
                destination_node_uri: parent,
                sequence_number: Some((index as i64 + 1).into()),
                document_uri: serde_json::to_value(&document_link).ok(),
                last_change_date_time: changed.clone(),
                other: BTreeMap::new(),
            },
            &item.extra,
            keys::CHILD_OF,
        ));
        if let Some(criterion) = criterion(framework, &ids, item, &link, &changed, &uri) {
            criteria.push(criterion);
        }
        for (child_index, child) in item.children.iter().enumerate().rev() {
            order.push((link.clone(), child_index, child));
        }
    }
    for association in &framework.associations {
        let id = association
            .identifier
            .clone()
            .unwrap_or_else(|| ids.association(association));
        associations.push(overlay(
            CfAssociation {
                identifier: id.clone(),
                sourced_id: Some(id.clone()),
                uri: uri("CFAssociations", &id),
                association_type: association.kind.clone(),
                origin_node_uri: link(&association.origin),
                destination_node_uri: link(&association.destination),
                sequence_number: association.sequence.map(Into::into),
                document_uri: serde_json::to_value(&document_link).ok(),
                last_change_date_time: changed.clone(),
                other: BTreeMap::new(),
            },
            &association.extra,
            keys::ASSOCIATION,
        ));
    }
    let rubrics = if criteria.is_empty() {
        Vec::new()
    } else {
        let id = kept_id(&framework.extra, keys::RUBRIC).unwrap_or_else(|| ids.rubric());
        for criterion in &mut criteria {
            criterion.rubric_id.get_or_insert_with(|| id.clone());
        }
        vec![overlay(
            CfRubric {
                sourced_id: Some(id.clone()),
                uri: uri("CFRubrics", &id),
                title: match &framework.scale {
                    Some(scale) => format!("{}: {}", framework.title, scale.name),
                    None => framework.title.clone(),
                },
                description: (!framework.descriptor_lead_in.is_empty()).then(|| {
                    format!(
                        "Each descriptor completes \"{}\".",
                        framework.descriptor_lead_in
                    )
                }),
                identifier: id,
                last_change_date_time: changed.clone(),
                criteria,
                other: BTreeMap::new(),
            },
            &framework.extra,
            keys::RUBRIC,
        )]
    };
    let document = overlay(
        CfDocument {
            identifier: document_id.clone(),
            sourced_id: Some(document_id.clone()),
            uri: document_link.uri.clone(),
            creator: if framework.publisher.is_empty() {
                "leadkit".into()
            } else {
                framework.publisher.clone()
            },
            title: framework.title.clone(),
            last_change_date_time: changed.clone(),
            version: Some(framework.version.clone()),
            description: paragraphs(&framework.introduction),
            publisher: (!framework.publisher.is_empty()).then(|| framework.publisher.clone()),
            language: Some("en".into()),
            case_version: Some("1.1".into()),
            framework_type: Some("Leadership framework".into()),
            adoption_status: Some("Adopted".into()),
            package_uri: serde_json::to_value(LinkUri {
                title: framework.title.clone(),
                identifier: document_id.clone(),
                uri: uri("CFPackages", &document_id),
            })
            .ok(),
            other: BTreeMap::new(),
        },
        &framework.extra,
        keys::DOCUMENT,
    );
    overlay(
        CfPackage {
            document,
            items,
            associations,
            rubrics,
            other: BTreeMap::new(),
        },
        &framework.extra,
        keys::PACKAGE,
    )
}

/// One rubric criterion per item that has descriptors, a level per scale level.
fn criterion(
    framework: &Framework,
    ids: &Identifiers<'_>,
    item: &Item,
    link: &LinkUri,
    changed: &str,
    uri: &dyn Fn(&str, &str) -> String,
) -> Option<CfRubricCriterion> {
    let scale = framework.scale.as_ref()?;
    if item.descriptors.is_empty() {
        return None;
    }
    let id = kept_id(&item.extra, keys::CRITERION).unwrap_or_else(|| ids.criterion(item));
    let levels = scale
        .levels
        .iter()
        .enumerate()
        .filter_map(|(position, level)| {
            let text = item.descriptor(&level.code)?;
            let level_id = kept_id(&item.extra, &keys::level(level.code.as_str()))
                .unwrap_or_else(|| ids.level(item, level.code.as_str()));
            Some(overlay(
                CfRubricCriterionLevel {
                    sourced_id: Some(level_id.clone()),
                    uri: uri("CFRubricCriterionLevels", &level_id),
                    identifier: level_id,
                    description: text.map(str::to_owned),
                    quality: Some(level.label.clone()),
                    score: Some(position as f64 + 1.0),
                    position: Some(position as i64 + 1),
                    rubric_criterion_id: Some(id.clone()),
                    last_change_date_time: changed.to_owned(),
                    other: BTreeMap::new(),
                },
                &item.extra,
                &keys::level(level.code.as_str()),
            ))
        })
        .collect();
    Some(overlay(
        CfRubricCriterion {
            sourced_id: Some(id.clone()),
            uri: uri("CFRubricCriteria", &id),
            identifier: id,
            description: Some(item.title.clone()),
            item_uri: Some(link.clone()),
            position: None,
            rubric_id: None,
            last_change_date_time: changed.to_owned(),
            levels,
            other: BTreeMap::new(),
        },
        &item.extra,
        keys::CRITERION,
    ))
}
