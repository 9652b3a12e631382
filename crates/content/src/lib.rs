//! The frameworks leadkit ships with, embedded in the binary as data.
//!
//! Each framework is a JSON file under `data/`, written word for word from the
//! source documents in `shared/seeds/`. Beside each file, a `*.judgements.md`
//! lists every decision its encoding needed (a missing cell, a misplaced heading).
//! This crate only parses and checks them; storing them is `leadkit-store`'s job.

use leadkit_domain::framework::{Framework, FrameworkKey};

/// The Community Academies Trust Leadership Toolkit, as JSON.
pub const TOOLKIT_JSON: &str = include_str!("../data/toolkit.json");

/// The key of the primary framework.
pub const TOOLKIT_KEY: &str = "leadership-toolkit";

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

/// Every shipped framework, primary first.
pub fn shipped() -> Result<Vec<Framework>, ContentError> {
    Ok(vec![toolkit()?])
}

/// The key of the framework people reflect on by default.
pub fn primary_key() -> Result<FrameworkKey, ContentError> {
    FrameworkKey::parse(TOOLKIT_KEY).map_err(|error| ContentError {
        file: "toolkit.json",
        message: error.to_string(),
    })
}
