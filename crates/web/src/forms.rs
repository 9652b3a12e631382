//! What several pages' forms share: reading (name, value) pairs, as the pages with
//! repeated fields (checkboxes, one field per component) need them; dates typed
//! into a form; and item references (`framework|version|code`) resolved against
//! the loaded frameworks.

use std::sync::Arc;

use leadkit_domain::framework::{Framework, Item, ItemCode};
use leadkit_store::frameworks::StoredFramework;
use time::Date;

use crate::error::WebError;
use crate::state::AppState;

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

/// A field that failed validation: its message, shown beside the field it names.
pub fn invalid(error: leadkit_domain::ValidationError) -> WebError {
    WebError::Invalid(vec![error])
}

/// A field that failed validation, placed beside the form field `name` (domain
/// parsers name their own fields, which a form may call something else).
pub fn invalid_at(name: &'static str) -> impl FnOnce(leadkit_domain::ValidationError) -> WebError {
    move |error| refuse_at(name, error.message)
}

/// A refusal of the form field `name`, with the sentence shown beside it.
pub fn refuse_at(name: &'static str, message: impl Into<String>) -> WebError {
    WebError::Invalid(vec![leadkit_domain::ValidationError::new(name, message)])
}

/// Parses an optional ISO date typed into the form field `name`.
pub fn optional_date_at(
    raw: &str,
    what: &str,
    name: &'static str,
) -> Result<Option<Date>, WebError> {
    optional_date(raw, what).map_err(|error| match error {
        WebError::BadRequest(message) => refuse_at(name, message),
        other => other,
    })
}

/// The first value named `name`, or empty when the form has none.
pub fn text<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    field(pairs, name).unwrap_or("")
}

/// Parses an optional ISO date typed into a form.
pub fn optional_date(raw: &str, what: &str) -> Result<Option<Date>, WebError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    Date::parse(
        raw,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map(Some)
    .map_err(|_| WebError::BadRequest(format!("{what} must be a date such as 2027-03-31.")))
}

/// An item reference as forms carry it: `framework-key|version|code`.
pub fn item_ref(framework: &Framework, code: &ItemCode) -> String {
    format!("{}|{}|{}", framework.key, framework.version, code)
}

/// Resolves an item reference against the loaded frameworks. An item of a
/// version that has been replaced, or of a version or framework that does not
/// exist, is refused with a message saying which.
pub fn resolve_item<'a>(
    state: &'a AppState,
    raw: &str,
) -> Result<(&'a Arc<StoredFramework>, &'a Item), WebError> {
    let mut parts = raw.trim().splitn(3, '|');
    let (Some(key), Some(version), Some(code)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(WebError::BadRequest(
            "Choose a framework item (framework|version|code).".into(),
        ));
    };
    let latest = state
        .catalog
        .latest(key)
        .ok_or_else(|| WebError::BadRequest(format!("There is no framework called “{key}”.")))?;
    if latest.framework.version != version {
        let exists = state
            .catalog
            .all()
            .any(|s| s.framework.key.as_str() == key && s.framework.version == version);
        return Err(WebError::BadRequest(if exists {
            format!(
                "That item is from version {version} of {}, which has been replaced by version {}. Choose the item in the current version; nothing was saved.",
                latest.framework.title, latest.framework.version
            )
        } else {
            format!(
                "{} has no version {version}; nothing was saved.",
                latest.framework.title
            )
        }));
    }
    let item = ItemCode::parse(code)
        .ok()
        .and_then(|code| latest.framework.find(&code))
        .filter(|item| item.is_reflectable())
        .ok_or_else(|| {
            WebError::BadRequest(format!(
                "{} has no component “{code}”; nothing was saved.",
                latest.framework.title
            ))
        })?;
    Ok((latest, item))
}

/// The value of the reflection form's "No choice yet" option: it clears a
/// choice made by mistake (the JSON API says the same with `null`).
pub const CLEAR_CHOICE: &str = "clear";
