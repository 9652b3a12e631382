//! 1EdTech CASE (Competencies and Academic Standards Exchange) 1.1 packages.
//!
//! A framework becomes a `CFPackage`: one `CFDocument`, a `CFItem` per item, an
//! `isChildOf` `CFAssociation` per parent link (ordered by `sequenceNumber`), and a
//! `CFRubric` whose criteria carry each item's descriptors as levels.
//!
//! Identifiers are UUIDs derived (version 5) from the framework's key, version and
//! item code, so exporting the same framework twice gives the same identifiers.
//! Objects carry both `identifier` (the CASE specification's name) and `sourcedId`
//! (the name 1EdTech's OpenCASE schemas require).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use leadkit_domain::framework::{Framework, Item};

mod alignments;
mod export;
mod import;

pub use alignments::{alignment_associations, association_type};
pub use export::export;
pub use import::{ImportOptions, import};

/// leadkit's namespace for version-5 identifiers. Fixed forever: changing it would
/// change every exported identifier.
const NAMESPACE: Uuid = Uuid::from_u128(0x6c65_616b_6b69_7400_8a1e_5c0d_e5c4_5e11);

/// The CASE service's path prefix.
pub const CASE_PATH: &str = "/ims/case/v1p1";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkUri {
    pub title: String,
    pub identifier: String,
    pub uri: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CfDocument {
    #[serde(default)]
    pub identifier: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sourced_id: Option<String>,
    #[serde(default)]
    pub uri: String,
    #[serde(default)]
    pub creator: String,
    pub title: String,
    #[serde(default)]
    pub last_change_date_time: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adoption_status: Option<String>,
    /// An object in CASE; some early exports wrote a plain string, so any JSON is kept.
    #[serde(
        rename = "CFPackageURI",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub package_uri: Option<serde_json::Value>,
    /// Every other field, kept as it came.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CfItem {
    #[serde(default)]
    pub identifier: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sourced_id: Option<String>,
    #[serde(default)]
    pub uri: String,
    #[serde(default)]
    pub full_statement: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub human_coding_scheme: Option<String>,
    #[serde(
        rename = "CFItemType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub item_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abbreviated_statement: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_enumeration: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(
        rename = "CFDocumentURI",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    /// A link object in CASE; early exports wrote a plain string, so any JSON is kept.
    pub document_uri: Option<serde_json::Value>,
    #[serde(default)]
    pub last_change_date_time: String,
    /// Every other field, kept as it came.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CfAssociation {
    #[serde(default)]
    pub identifier: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sourced_id: Option<String>,
    #[serde(default)]
    pub uri: String,
    pub association_type: String,
    #[serde(rename = "originNodeURI")]
    pub origin_node_uri: LinkUri,
    #[serde(rename = "destinationNodeURI")]
    pub destination_node_uri: LinkUri,
    /// A number in CASE; some exports wrote it as a string, so any JSON is kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence_number: Option<serde_json::Value>,
    #[serde(
        rename = "CFDocumentURI",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    /// A link object in CASE; early exports wrote a plain string, so any JSON is kept.
    pub document_uri: Option<serde_json::Value>,
    #[serde(default)]
    pub last_change_date_time: String,
    /// Every other field, kept as it came.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CfRubric {
    #[serde(default)]
    pub identifier: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sourced_id: Option<String>,
    #[serde(default)]
    pub uri: String,
    #[serde(default)]
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default)]
    pub last_change_date_time: String,
    #[serde(rename = "CFRubricCriteria", default)]
    pub criteria: Vec<CfRubricCriterion>,
    /// Every other field, kept as it came.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CfRubricCriterion {
    #[serde(default)]
    pub identifier: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sourced_id: Option<String>,
    #[serde(default)]
    pub uri: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(rename = "CFItemURI", default, skip_serializing_if = "Option::is_none")]
    pub item_uri: Option<LinkUri>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rubric_id: Option<String>,
    #[serde(default)]
    pub last_change_date_time: String,
    #[serde(rename = "CFRubricCriterionLevels", default)]
    pub levels: Vec<CfRubricCriterionLevel>,
    /// Every other field, kept as it came.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CfRubricCriterionLevel {
    #[serde(default)]
    pub identifier: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sourced_id: Option<String>,
    #[serde(default)]
    pub uri: String,
    /// The descriptor; absent where the published source lost it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rubric_criterion_id: Option<String>,
    #[serde(default)]
    pub last_change_date_time: String,
    /// Every other field, kept as it came.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CfPackage {
    #[serde(rename = "CFDocument")]
    pub document: CfDocument,
    #[serde(rename = "CFItems", default)]
    pub items: Vec<CfItem>,
    #[serde(rename = "CFAssociations", default)]
    pub associations: Vec<CfAssociation>,
    #[serde(rename = "CFRubrics", default, skip_serializing_if = "Vec::is_empty")]
    pub rubrics: Vec<CfRubric>,
    /// Every other field, kept as it came.
    #[serde(flatten)]
    pub other: BTreeMap<String, serde_json::Value>,
}

impl CfAssociation {
    /// The sibling order, whether written as a number or as a numeric string.
    pub fn sequence(&self) -> Option<i64> {
        match self.sequence_number.as_ref()? {
            serde_json::Value::Number(n) => n.as_i64(),
            serde_json::Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
}

/// The stable identifiers of one framework version's CASE objects.
pub struct Identifiers<'a> {
    framework: &'a Framework,
}

impl<'a> Identifiers<'a> {
    pub fn of(framework: &'a Framework) -> Self {
        Identifiers { framework }
    }

    fn derive(&self, what: &str) -> String {
        if what == "document"
            && let Some(id) = &self.framework.identifier
        {
            return id.clone();
        }
        let name = format!(
            "leadkit:{}@{}:{what}",
            self.framework.key, self.framework.version
        );
        Uuid::new_v5(&NAMESPACE, name.as_bytes()).to_string()
    }

    pub fn document(&self) -> String {
        self.derive("document")
    }

    pub fn item(&self, item: &Item) -> String {
        match &item.identifier {
            Some(id) => id.clone(),
            None => self.derive(&format!("item:{}", item.code)),
        }
    }

    pub(crate) fn child_link(&self, item: &Item) -> String {
        self.derive(&format!("isChildOf:{}", item.code))
    }

    pub(crate) fn association(
        &self,
        association: &leadkit_domain::framework::Association,
    ) -> String {
        self.derive(&format!(
            "{}:{}:{}",
            association.kind, association.origin.identifier, association.destination.identifier
        ))
    }

    pub(crate) fn rubric(&self) -> String {
        self.derive("rubric")
    }

    pub(crate) fn criterion(&self, item: &Item) -> String {
        self.derive(&format!("criterion:{}", item.code))
    }

    pub(crate) fn level(&self, item: &Item, level: &str) -> String {
        self.derive(&format!("criterion:{}:{level}", item.code))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use time::macros::datetime;

    fn toolkit_package() -> CfPackage {
        export(
            &leadkit_content::toolkit().unwrap(),
            "https://leadkit.example.org/",
            datetime!(2026-11-23 09:00 UTC),
        )
    }

    #[test]
    fn every_item_has_one_parent_link_and_descriptors_become_rubric_levels() {
        let toolkit = leadkit_content::toolkit().unwrap();
        let package = toolkit_package();
        assert_eq!(package.items.len(), toolkit.walk().count());
        assert_eq!(package.associations.len(), package.items.len());
        assert!(
            package
                .associations
                .iter()
                .all(|a| a.association_type == "isChildOf")
        );
        let criteria = &package.rubrics[0].criteria;
        assert_eq!(criteria.len(), 70);
        let levels: usize = criteria.iter().map(|c| c.levels.len()).sum();
        assert_eq!(
            levels, 210,
            "three levels per component, missing ones included"
        );
        let missing = criteria
            .iter()
            .flat_map(|c| &c.levels)
            .filter(|l| l.description.is_none())
            .count();
        assert_eq!(missing, 6, "1d i–vi High: not in the published toolkit");
        assert_eq!(package.document.case_version.as_deref(), Some("1.1"));
        assert!(
            package
                .document
                .uri
                .starts_with("https://leadkit.example.org/ims/case/v1p1/CFDocuments/")
        );
    }

    #[test]
    fn identifiers_are_stable_unique_uuids() {
        let a = toolkit_package();
        let b = toolkit_package();
        assert_eq!(a, b, "the same framework exports identically");
        let mut ids: Vec<&str> = a
            .items
            .iter()
            .map(|i| i.identifier.as_str())
            .chain(a.associations.iter().map(|x| x.identifier.as_str()))
            .chain(std::iter::once(a.document.identifier.as_str()))
            .collect();
        let total = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), total, "no identifier is used twice");
        for id in ids {
            let parsed = Uuid::parse_str(id).unwrap();
            assert_eq!(parsed.get_version_num(), 5);
            assert_eq!(id, id.to_lowercase());
        }
    }
}
