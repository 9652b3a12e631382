//! Curated alignments as CASE associations between documents.
//!
//! An alignment from an item of one framework to an item of another becomes a
//! CFAssociation whose origin and destination are the two CFItems, in whichever
//! package holds either end; its reason and, for the NPQSL, whether the target is
//! knowledge or practice travel in the association's `extensions`.

use std::collections::BTreeMap;

use leadkit_domain::alignment::{AlignmentKind, AlignmentSet, Nature};
use leadkit_domain::framework::{Association, Framework, NodeRef};

use uuid::Uuid;

use super::{CASE_PATH, Identifiers, NAMESPACE};

/// CASE's word for an alignment kind.
pub fn association_type(kind: AlignmentKind) -> &'static str {
    match kind {
        AlignmentKind::ExactMatch => "exactMatchOf",
        AlignmentKind::PartOf => "isPartOf",
        AlignmentKind::Related => "isRelatedTo",
    }
}

/// The associations for every curated alignment with an end in `framework`;
/// `frameworks` must hold the frameworks at the other ends (others are skipped).
pub fn alignment_associations(
    framework: &Framework,
    frameworks: &[&Framework],
    alignments: &AlignmentSet,
    base_url: &str,
) -> Vec<Association> {
    let base = base_url.trim_end_matches('/');
    let node = |key: &leadkit_domain::framework::FrameworkKey, code| {
        let owner = frameworks.iter().find(|f| &f.key == key)?;
        let item = owner.find(code)?;
        let identifier = Identifiers::of(owner).item(item);
        Some(NodeRef {
            uri: format!("{base}{CASE_PATH}/CFItems/{identifier}"),
            identifier,
            title: format!("{} {}", item.code, item.title),
        })
    };
    alignments
        .alignments
        .iter()
        .filter(|a| a.from.framework == framework.key || a.to.framework == framework.key)
        .filter_map(|alignment| {
            let origin = node(&alignment.from.framework, &alignment.from.item)?;
            let destination = node(&alignment.to.framework, &alignment.to.item)?;
            let mut extensions = serde_json::Map::new();
            extensions.insert("reason".into(), alignment.reason.clone().into());
            if let Some(nature) = alignment.nature {
                let word = match nature {
                    Nature::Knowledge => "knowledge",
                    Nature::Practice => "practice",
                };
                extensions.insert("targetNature".into(), word.into());
            }
            let kept = serde_json::json!({ "extensions": { "leadkit": extensions } });
            // The same identifier from either end's package.
            let name = format!(
                "leadkit:alignment:{}:{}:{}",
                origin.identifier,
                destination.identifier,
                association_type(alignment.kind)
            );
            Some(Association {
                identifier: Some(Uuid::new_v5(&NAMESPACE, name.as_bytes()).to_string()),
                kind: association_type(alignment.kind).to_owned(),
                origin,
                destination,
                sequence: None,
                extra: BTreeMap::from([(
                    super::export::keys::ASSOCIATION.to_owned(),
                    kept.to_string(),
                )]),
            })
        })
        .collect()
}
