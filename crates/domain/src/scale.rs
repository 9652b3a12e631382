//! Scales of ordered levels, and the codes that name a level.

use serde::{Deserialize, Serialize};

use crate::ValidationError;

/// The short, stable name of one level of a scale, such as `some`, `high` or `highest`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LevelCode(String);

impl LevelCode {
    /// Parses a level code: 1–32 lowercase ASCII letters, digits or `-`.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let valid = !raw.is_empty()
            && raw.len() <= 32
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if valid {
            Ok(Self(raw.to_owned()))
        } else {
            Err(ValidationError::new(
                "level",
                format!("\"{raw}\" is not a level code"),
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for LevelCode {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<LevelCode> for String {
    fn from(value: LevelCode) -> Self {
        value.0
    }
}

impl std::fmt::Display for LevelCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One point on a scale, with the framework's own summary of what it looks like.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Level {
    pub code: LevelCode,
    /// What people read: "Some impact".
    pub label: String,
    /// The framework's one-sentence summary of this level, if it has one.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub summary: String,
    /// A lead-in to the points below, such as "A leader's impact will:".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub lead_in: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub points: Vec<String>,
}

/// An ordered list of levels, lowest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scale {
    pub name: String,
    pub levels: Vec<Level>,
}

impl Scale {
    pub fn level(&self, code: &LevelCode) -> Option<&Level> {
        self.levels.iter().find(|level| &level.code == code)
    }

    /// The position of a level, 0 for the lowest; used to compare and to order.
    pub fn rank(&self, code: &LevelCode) -> Option<usize> {
        self.levels.iter().position(|level| &level.code == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_level_code_accepts_lowercase_words() {
        assert_eq!(LevelCode::parse("highest").unwrap().as_str(), "highest");
    }

    #[test]
    fn a_level_code_rejects_markup_spaces_and_empty_text() {
        for bad in ["", "High", "not yet", "<b>", &"x".repeat(33)] {
            assert!(LevelCode::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }
}
