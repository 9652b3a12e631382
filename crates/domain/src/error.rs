//! Errors the domain can report: a value that does not parse, or a rule broken.

use std::fmt;

/// One field of user input that failed validation, with a message meant for the person
/// who typed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// The name of the field as the user sees it in the form or JSON body.
    pub field: &'static str,
    /// A plain sentence saying what is wrong and how to fix it.
    pub message: String,
}

impl ValidationError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for ValidationError {}

/// A broken domain rule.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DomainError {
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error("{0} does not exist")]
    UnknownItem(String),
    #[error("the framework data is inconsistent: {0}")]
    Framework(String),
}
