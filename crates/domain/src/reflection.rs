//! Reflections: a person's judgement on one item in one cycle, with a note.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::ValidationError;
use crate::framework::{Framework, ItemCode};
use crate::scale::LevelCode;

/// What a person decided about one item.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Judgement {
    /// The descriptor at this level fits their current impact best.
    Level(LevelCode),
    /// None of the descriptors fits yet.
    NotYet,
    /// The item is not part of their role: left out of gaps and counts.
    NotInRole,
}

impl Judgement {
    pub const NOT_YET: &'static str = "not_yet";
    pub const NOT_IN_ROLE: &'static str = "not_in_role";
    /// How "not yet" and "not in my role" read on every page.
    pub const NOT_YET_LABEL: &'static str = "Not yet";
    pub const NOT_IN_ROLE_LABEL: &'static str = "Not in my role";

    /// Parses the stored or posted form: a level code, `not_yet` or `not_in_role`.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        match raw {
            Self::NOT_YET => Ok(Judgement::NotYet),
            Self::NOT_IN_ROLE => Ok(Judgement::NotInRole),
            other => LevelCode::parse(other).map(Judgement::Level).map_err(|_| {
                ValidationError::new(
                    "judgement",
                    format!("\"{other}\" is not a level you can choose"),
                )
            }),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Judgement::Level(level) => level.as_str(),
            Judgement::NotYet => Self::NOT_YET,
            Judgement::NotInRole => Self::NOT_IN_ROLE,
        }
    }

    /// Whether this judgement counts in gaps and aggregates.
    pub fn counts(&self) -> bool {
        !matches!(self, Judgement::NotInRole)
    }
}

impl Serialize for Judgement {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Judgement {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Judgement::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// A person's free-text note on an item. May be empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Note(String);

impl Note {
    pub const MAX_CHARS: usize = 5_000;

    /// Accepts up to [`Note::MAX_CHARS`] characters; line endings become `\n` and
    /// control characters other than newlines and tabs are refused.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let text = raw.replace("\r\n", "\n").replace('\r', "\n");
        if text.chars().count() > Self::MAX_CHARS {
            return Err(ValidationError::new(
                "note",
                format!(
                    "A note can be at most {} characters; this one has {}",
                    Self::MAX_CHARS,
                    text.chars().count()
                ),
            ));
        }
        if text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err(ValidationError::new(
                "note",
                "A note cannot contain control characters",
            ));
        }
        let trimmed_end = text.trim_end().len();
        let mut text = text;
        text.truncate(trimmed_end);
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl TryFrom<String> for Note {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Note> for String {
    fn from(value: Note) -> Self {
        value.0
    }
}

/// A saved reflection on one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reflection {
    pub item: ItemCode,
    /// `None` while only a note has been written.
    pub judgement: Option<Judgement>,
    pub note: Note,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// A change a person asks for, checked against the framework before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReflectionChange {
    pub item: ItemCode,
    pub judgement: Option<Judgement>,
    pub note: Note,
}

impl ReflectionChange {
    /// Checks that the item is one a person reflects on in `framework` and that a
    /// chosen level belongs to its scale.
    pub fn validate(
        framework: &Framework,
        item: ItemCode,
        judgement: Option<Judgement>,
        note: Note,
    ) -> Result<Self, ValidationError> {
        let found = framework.find(&item).ok_or_else(|| {
            ValidationError::new("item", format!("{} has no item {item}", framework.title))
        })?;
        if !found.is_reflectable() {
            return Err(ValidationError::new(
                "item",
                format!("{item} is a group of components; reflect on its components instead"),
            ));
        }
        if let Some(Judgement::Level(level)) = &judgement {
            let known = framework
                .scale
                .as_ref()
                .is_some_and(|scale| scale.level(level).is_some());
            if !known {
                return Err(ValidationError::new(
                    "judgement",
                    format!("\"{level}\" is not a level of {}", framework.title),
                ));
            }
        }
        Ok(Self {
            item,
            judgement,
            note,
        })
    }
}

/// How far a person has got: items with a judgement out of all reflectable items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub reflected: usize,
    pub total: usize,
}

impl Progress {
    /// Counts the reflections among `items` that carry a judgement.
    pub fn of<'a>(
        items: impl IntoIterator<Item = &'a ItemCode>,
        reflections: &[Reflection],
    ) -> Self {
        let mut total = 0;
        let mut reflected = 0;
        for code in items {
            total += 1;
            if reflections
                .iter()
                .any(|r| &r.item == code && r.judgement.is_some())
            {
                reflected += 1;
            }
        }
        Self { reflected, total }
    }

    pub fn is_complete(&self) -> bool {
        self.total > 0 && self.reflected == self.total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judgements_round_trip_through_their_stored_form() {
        for raw in ["some", "highest", "not_yet", "not_in_role"] {
            assert_eq!(Judgement::parse(raw).unwrap().as_str(), raw);
        }
        assert!(Judgement::parse("Not Yet").is_err());
        assert!(!Judgement::NotInRole.counts());
        assert!(Judgement::NotYet.counts());
    }

    #[test]
    fn a_note_keeps_its_text_but_not_trailing_space_or_windows_line_endings() {
        let note = Note::parse("Line one\r\nLine two  \n\n").unwrap();
        assert_eq!(note.as_str(), "Line one\nLine two");
    }

    #[test]
    fn a_note_over_the_limit_says_how_long_it_is() {
        let error = Note::parse(&"é".repeat(5_001)).unwrap_err();
        assert_eq!(error.field, "note");
        assert!(error.message.contains("5001"), "{}", error.message);
        assert!(Note::parse(&"é".repeat(5_000)).is_ok());
    }

    #[test]
    fn a_note_with_control_characters_is_refused() {
        assert!(Note::parse("bell\u{7}").is_err());
        assert!(Note::parse("tab\tand\nnewline").is_ok());
    }
}
