//! Cycles: the periods (usually a school year) in which people reflect and set goals.

use serde::{Deserialize, Serialize};
use time::{Date, Month};

/// Identifies a cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CycleId(pub i64);

impl std::fmt::Display for CycleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A period of reflection and goals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cycle {
    pub id: CycleId,
    pub name: String,
    pub starts_on: Date,
    pub ends_on: Date,
    /// Whether people can still change their reflections in it.
    pub open: bool,
    /// The school whose cycle it is; `None` for the whole trust.
    #[serde(default)]
    pub school: Option<crate::people::SchoolId>,
}

/// The English school year (1 September to 31 August) that contains `today`,
/// as a name ("2026–27") and its first and last days.
pub fn school_year_containing(today: Date) -> (String, Date, Date) {
    let start_year = if today.month() >= Month::September {
        today.year()
    } else {
        today.year() - 1
    };
    // 1 September and 31 August exist in every year, so these never fail;
    // fall back to `today` rather than panic if the calendar crate ever disagrees.
    let starts_on = Date::from_calendar_date(start_year, Month::September, 1).unwrap_or(today);
    let ends_on = Date::from_calendar_date(start_year + 1, Month::August, 31).unwrap_or(today);
    let name = format!("{}–{:02}", start_year, (start_year + 1).rem_euclid(100));
    (name, starts_on, ends_on)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn november_belongs_to_the_school_year_that_began_in_september() {
        let (name, start, end) = school_year_containing(date!(2026 - 11 - 22));
        assert_eq!(name, "2026–27");
        assert_eq!(start, date!(2026 - 09 - 01));
        assert_eq!(end, date!(2027 - 08 - 31));
    }

    #[test]
    fn july_belongs_to_the_school_year_that_began_the_previous_september() {
        let (name, _, _) = school_year_containing(date!(2027 - 07 - 15));
        assert_eq!(name, "2026–27");
        let (name, _, _) = school_year_containing(date!(2099 - 12 - 01));
        assert_eq!(name, "2099–00");
    }
}
