//! Reading forms posted as (name, value) pairs, as the pages with repeated
//! fields (checkboxes, one field per component) need them.

use crate::error::WebError;

/// A form as its (name, value) pairs, in order; repeated names survive.
pub type Pairs = Vec<(String, String)>;

/// The first value named `name`, if the form has one.
pub fn field<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// Every value named `name` (a group of checkboxes).
pub fn fields<'a>(pairs: &'a [(String, String)], name: &'a str) -> impl Iterator<Item = &'a str> {
    pairs
        .iter()
        .filter(move |(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// A field that failed validation, as the plain message the person reads.
pub fn invalid(error: leadkit_domain::ValidationError) -> WebError {
    WebError::BadRequest(error.message)
}
