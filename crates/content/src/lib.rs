//! The frameworks leadkit ships with, embedded in the binary as data.
//!
//! Each framework is a JSON file under `data/`, written word for word from the
//! source documents in `fixtures/seeds/`. Beside each file, a `*.judgements.md`
//! lists every decision its encoding needed (a missing cell, a misplaced heading).
//! This crate only parses and checks them; storing them is `leadkit-store`'s job.

use leadkit_domain::alignment::{Alignment, AlignmentKind, AlignmentSet, ItemRef, Nature};
use leadkit_domain::framework::{Framework, FrameworkKey, ItemCode};
use leadkit_domain::scale::{Level, Scale};

/// The Community Academies Trust Leadership Toolkit, as JSON.
pub const TOOLKIT_JSON: &str = include_str!("../data/toolkit.json");

/// The key of the primary framework.
pub const TOOLKIT_KEY: &str = "leadership-toolkit";

/// The National Standards for School Leadership, as JSON.
pub const NSSL_JSON: &str = include_str!("../data/nssl.json");

/// The NPQ Senior Leadership framework, as JSON.
pub const NPQSL_JSON: &str = include_str!("../data/npqsl.json");

/// The Draft Leadership Standards for Wales, as JSON.
pub const WALES_JSON: &str = include_str!("../data/wales.json");

/// The curated alignments between the shipped frameworks, as JSON.
pub const ALIGNMENTS_JSON: &str = include_str!("../data/alignments.json");

/// Why an embedded framework could not be used.
#[derive(Debug)]
pub struct ContentError {
    pub file: &'static str,
    pub message: String,
}

impl std::fmt::Display for ContentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "embedded framework {}: {}", self.file, self.message)
    }
}

impl std::error::Error for ContentError {}

fn parse(file: &'static str, json: &str) -> Result<Framework, ContentError> {
    let framework: Framework = serde_json::from_str(json).map_err(|error| ContentError {
        file,
        message: error.to_string(),
    })?;
    framework.validate().map_err(|error| ContentError {
        file,
        message: error.to_string(),
    })?;
    Ok(framework)
}

/// The Leadership Toolkit.
pub fn toolkit() -> Result<Framework, ContentError> {
    parse("toolkit.json", TOOLKIT_JSON)
}

/// The National Standards for School Leadership (England).
pub fn nssl() -> Result<Framework, ContentError> {
    with_default_scale(parse("nssl.json", NSSL_JSON)?)
}

/// The NPQ Senior Leadership framework.
pub fn npqsl() -> Result<Framework, ContentError> {
    with_default_scale(parse("npqsl.json", NPQSL_JSON)?)
}

/// The Draft Leadership Standards for Wales.
pub fn wales() -> Result<Framework, ContentError> {
    with_default_scale(parse("wales.json", WALES_JSON)?)
}

/// Every shipped framework, primary first.
pub fn shipped() -> Result<Vec<Framework>, ContentError> {
    Ok(vec![toolkit()?, nssl()?, npqsl()?, wales()?])
}

/// The scale a framework is reflected on when its source has no levels: the
/// Toolkit's three proficiency points, by label only, since their summaries are
/// the Toolkit's words and not the other framework's.
pub fn default_scale() -> Result<Scale, ContentError> {
    let scale = toolkit()?.scale.ok_or_else(|| ContentError {
        file: "toolkit.json",
        message: "the Toolkit declares no scale".to_owned(),
    })?;
    Ok(Scale {
        name: scale.name,
        levels: scale
            .levels
            .into_iter()
            .map(|level| Level {
                code: level.code,
                label: level.label,
                summary: String::new(),
                lead_in: String::new(),
                points: Vec::new(),
            })
            .collect(),
    })
}

fn with_default_scale(mut framework: Framework) -> Result<Framework, ContentError> {
    if framework.scale.is_none() {
        framework.scale = Some(default_scale()?);
    }
    Ok(framework)
}

/// The key of the framework people reflect on by default.
pub fn primary_key() -> Result<FrameworkKey, ContentError> {
    FrameworkKey::parse(TOOLKIT_KEY).map_err(|error| ContentError {
        file: "toolkit.json",
        message: error.to_string(),
    })
}

/// One curated set in `alignments.json`: links from one framework's items to
/// another's, written by reading both.
#[derive(serde::Deserialize)]
struct CuratedSet {
    from: FrameworkKey,
    to: FrameworkKey,
    links: Vec<CuratedLink>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct CuratedLink {
    from: ItemCode,
    to: ItemCode,
    kind: AlignmentKind,
    reason: String,
}

/// Whether an item of this kind is knowledge or practice, for the kinds the
/// shipped frameworks name so (the NPQSL's statements and practices).
pub fn nature_of_kind(kind: &str) -> Option<Nature> {
    match kind {
        "learn that" => Some(Nature::Knowledge),
        "learn how to" | "practice" => Some(Nature::Practice),
        _ => None,
    }
}

/// The curated alignments between the shipped frameworks, checked against them:
/// every link joins two items people reflect on, once, with a reason.
pub fn alignments() -> Result<AlignmentSet, ContentError> {
    let fail = |message: String| ContentError {
        file: "alignments.json",
        message,
    };
    let sets: Vec<CuratedSet> =
        serde_json::from_str(ALIGNMENTS_JSON).map_err(|error| fail(error.to_string()))?;
    let shipped = shipped()?;
    let find = |key: &FrameworkKey| {
        shipped
            .iter()
            .find(|f| &f.key == key)
            .ok_or_else(|| fail(format!("{key} is not a shipped framework")))
    };
    let mut alignments = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for set in sets {
        let (from, to) = (find(&set.from)?, find(&set.to)?);
        for link in set.links {
            let origin = from
                .find(&link.from)
                .filter(|item| item.is_reflectable())
                .ok_or_else(|| fail(format!("{} has no item {} to align", from.key, link.from)))?;
            let target = to
                .find(&link.to)
                .filter(|item| item.is_reflectable())
                .ok_or_else(|| fail(format!("{} has no item {} to align to", to.key, link.to)))?;
            if link.reason.trim().is_empty() {
                return Err(fail(format!("{} → {} has no reason", link.from, link.to)));
            }
            if !seen.insert((
                from.key.clone(),
                origin.code.clone(),
                to.key.clone(),
                target.code.clone(),
            )) {
                return Err(fail(format!("{} → {} appears twice", link.from, link.to)));
            }
            alignments.push(Alignment {
                from: ItemRef {
                    framework: from.key.clone(),
                    item: origin.code.clone(),
                },
                to: ItemRef {
                    framework: to.key.clone(),
                    item: target.code.clone(),
                },
                kind: link.kind,
                reason: link.reason,
                nature: nature_of_kind(&target.kind),
            });
        }
    }
    Ok(AlignmentSet { alignments })
}
