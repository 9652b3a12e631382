//! Frameworks: a versioned tree of items, with an optional scale and descriptors.
//!
//! The Leadership Toolkit's tree is domain → subdomain → component; other
//! frameworks have other depths and kinds, so kinds are names, not an enum.

pub mod diff;
pub mod tree;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ValidationError;
use crate::scale::{LevelCode, Scale};

/// The stable name of a framework across its versions, such as `leadership-toolkit`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct FrameworkKey(String);

impl FrameworkKey {
    /// Parses a key: 1–64 lowercase ASCII letters, digits and single `-`.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let valid = !raw.is_empty()
            && raw.len() <= 64
            && !raw.starts_with('-')
            && !raw.ends_with('-')
            && !raw.contains("--")
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if valid {
            Ok(Self(raw.to_owned()))
        } else {
            Err(ValidationError::new(
                "framework",
                format!("\"{raw}\" is not a framework name"),
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for FrameworkKey {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<FrameworkKey> for String {
    fn from(value: FrameworkKey) -> Self {
        value.0
    }
}

impl std::fmt::Display for FrameworkKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Identifies one published version of a framework.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FrameworkVersionId(pub i64);

/// The code of an item as the framework prints it: "1", "1a", "2c iii".
///
/// Codes may contain single spaces; [`ItemCode::slug`] gives the URL form ("2c-iii").
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ItemCode(String);

impl ItemCode {
    /// Parses a code: 1–64 characters of letters, digits, `.`, `-`, `_` and single spaces.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let valid = !raw.is_empty()
            && raw.len() <= 64
            && raw.trim() == raw
            && !raw.contains("  ")
            && raw
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' '));
        if valid {
            Ok(Self(raw.to_owned()))
        } else {
            Err(ValidationError::new(
                "item",
                format!("\"{raw}\" is not an item code"),
            ))
        }
    }

    /// Parses the URL form, in which spaces are written as `-`.
    ///
    /// Codes that contain `-` themselves are matched by [`tree`] lookups on the slug.
    pub fn from_slug(slug: &str) -> Result<Self, ValidationError> {
        Self::parse(&slug.replace('-', " "))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code as it appears in a URL: spaces become `-`.
    pub fn slug(&self) -> String {
        self.0.replace(' ', "-")
    }
}

impl TryFrom<String> for ItemCode {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<ItemCode> for String {
    fn from(value: ItemCode) -> Self {
        value.0
    }
}

impl std::fmt::Display for ItemCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One node of a framework's tree: a domain, subdomain, component, key area, standard…
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub code: ItemCode,
    /// What the framework calls this kind of item: "domain", "subdomain", "component".
    pub kind: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub introduction: Vec<String>,
    /// The item's text at each level of the scale. `None` marks a descriptor that is
    /// missing from the published source: it is shown as missing, never invented.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub descriptors: BTreeMap<LevelCode, Option<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Item>,
    /// The item's identifier in the system it was imported from (a CASE UUID),
    /// kept so that exporting it again gives the same identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    /// Other text the source gave the item, kept verbatim by field name
    /// (e.g. CASE's `abbreviatedStatement`), so that nothing is lost on the way
    /// back out.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, String>,
}

impl Item {
    /// The descriptor at a level: `Some(None)` when the level exists but its text is
    /// missing from the source, `None` when the item has no descriptors at that level.
    pub fn descriptor(&self, level: &LevelCode) -> Option<Option<&str>> {
        self.descriptors.get(level).map(|text| text.as_deref())
    }

    /// Whether a person reflects on this item: a leaf of the tree.
    pub fn is_reflectable(&self) -> bool {
        self.children.is_empty()
    }

    /// The children a person reflects on.
    pub fn reflectable_children(&self) -> impl Iterator<Item = &Item> {
        self.children.iter().filter(|child| child.is_reflectable())
    }

    /// Whether this item gathers reflectable items (the Toolkit's subdomains, an
    /// NPQSL "Learn how to…" heading): one page of the reflection form.
    pub fn is_leaf_group(&self) -> bool {
        self.children.iter().any(Item::is_reflectable)
    }
}

/// A whole framework at one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Framework {
    #[serde(rename = "id")]
    pub key: FrameworkKey,
    pub version: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub publisher: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub motto: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub introduction: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<Scale>,
    /// How an item of a kind is named before its code ("domain" → "Domain", so
    /// "Domain 1"); kinds without a label show their code alone.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub kind_labels: BTreeMap<String, String>,
    /// Words the source puts before every descriptor and that the data leaves out
    /// ("A leader will"); shown before each descriptor.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub descriptor_lead_in: String,
    pub items: Vec<Item>,
    /// Links from this framework's items to other items, here or in other
    /// frameworks, beyond the tree itself (CASE associations such as
    /// `isRelatedTo` or `exactMatchOf`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub associations: Vec<Association>,
    /// The framework's identifier in the system it was imported from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    /// Other text the source gave the framework, verbatim by field name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, String>,
}

/// One end of an association: an item or framework, here or elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeRef {
    pub identifier: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub uri: String,
}

/// A typed link between two nodes, as the source recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Association {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
    /// The source's word for the link (CASE: `isRelatedTo`, `exactMatchOf`, …).
    pub kind: String,
    pub origin: NodeRef,
    pub destination: NodeRef,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sequence: Option<i64>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, String>,
}

impl Framework {
    /// A level's label on this framework's scale ("High impact"), or its code when
    /// the scale has no such level.
    pub fn level_label(&self, level: &LevelCode) -> String {
        self.scale
            .as_ref()
            .and_then(|scale| scale.level(level))
            .map_or_else(|| level.to_string(), |level| level.label.clone())
    }

    /// A judgement as a person reads it: the level's label on this framework's
    /// scale, "Not yet" or "Not in my role".
    pub fn judgement_label(&self, judgement: &crate::reflection::Judgement) -> String {
        use crate::reflection::Judgement;
        match judgement {
            Judgement::Level(level) => self.level_label(level),
            Judgement::NotYet => Judgement::NOT_YET_LABEL.to_owned(),
            Judgement::NotInRole => Judgement::NOT_IN_ROLE_LABEL.to_owned(),
        }
    }

    /// An item's heading: its kind's label (if any), its code and its title.
    pub fn heading(&self, item: &Item) -> String {
        match self.kind_labels.get(&item.kind) {
            Some(label) => format!("{label} {} {}", item.code, item.title),
            None => format!("{} {}", item.code, item.title),
        }
    }

    /// Checks the rules every stored framework must keep: unique codes, descriptors
    /// only at levels of the scale, and non-empty titles.
    pub fn validate(&self) -> Result<(), crate::DomainError> {
        let mut seen = std::collections::HashSet::new();
        for item in self.walk() {
            if !seen.insert(item.code.as_str()) {
                return Err(crate::DomainError::Framework(format!(
                    "item code {} appears twice",
                    item.code
                )));
            }
            if item.title.trim().is_empty() {
                return Err(crate::DomainError::Framework(format!(
                    "item {} has no title",
                    item.code
                )));
            }
            for level in item.descriptors.keys() {
                let known = self
                    .scale
                    .as_ref()
                    .is_some_and(|scale| scale.level(level).is_some());
                if !known {
                    return Err(crate::DomainError::Framework(format!(
                        "item {} has a descriptor at {level}, which is not a level of the scale",
                        item.code
                    )));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_code_round_trips_through_its_url_slug() {
        let code = ItemCode::parse("2c iii").unwrap();
        assert_eq!(code.slug(), "2c-iii");
        assert_eq!(ItemCode::from_slug("2c-iii").unwrap(), code);
    }

    #[test]
    fn an_item_code_refuses_markup_and_padding() {
        for bad in ["", " 1a", "1a  i", "<script>", "1a/../2"] {
            assert!(ItemCode::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn a_framework_key_is_a_lowercase_slug() {
        assert!(FrameworkKey::parse("leadership-toolkit").is_ok());
        for bad in ["", "Leadership", "a--b", "-a", "a b"] {
            assert!(
                FrameworkKey::parse(bad).is_err(),
                "{bad:?} should be refused"
            );
        }
    }
}
