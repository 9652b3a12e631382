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

/// Why a cycle's goals, evidence and coaching views can no longer change: the
/// cycle is closed, or the coach signed off its review. One rule, one wording,
/// wherever a page shows it or a change is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lock {
    Closed { cycle: String },
    SignedOff { coach: String },
}

impl Lock {
    /// The lock on `cycle` for one person, given who (if anyone) signed off its
    /// review; `None` while it is open and not signed off.
    pub fn of(cycle: &Cycle, signed_off_by: Option<&str>) -> Option<Self> {
        if !cycle.open {
            Some(Self::Closed {
                cycle: cycle.name.clone(),
            })
        } else {
            signed_off_by.map(|coach| Self::SignedOff {
                coach: coach.to_owned(),
            })
        }
    }

    /// Why, in a sentence a page shows beside read-only records.
    pub fn reason(&self) -> String {
        match self {
            Self::Closed { cycle } => format!("{cycle} is closed."),
            Self::SignedOff { coach } => format!("{coach} signed off this cycle’s review."),
        }
    }

    /// The message for a change refused by the lock.
    pub fn refusal(&self) -> String {
        match self {
            Self::Closed { cycle } => format!(
                "{cycle} is closed, so its goals, evidence and coaching views can no longer change. Nothing was saved."
            ),
            Self::SignedOff { coach } => format!(
                "{coach} signed off this cycle’s review, so it is read-only; add a conversation note instead. Nothing was saved."
            ),
        }
    }
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

/// A date as people write it: "2 December 2026".
pub fn long_date(date: Date) -> String {
    format!("{} {} {}", date.day(), date.month(), date.year())
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

    #[test]
    fn a_closed_cycle_locks_before_a_sign_off_and_an_open_one_only_when_signed_off() {
        let mut cycle = Cycle {
            id: CycleId(1),
            name: "2026–27".into(),
            starts_on: date!(2026 - 09 - 01),
            ends_on: date!(2027 - 08 - 31),
            open: true,
            school: None,
        };
        assert_eq!(Lock::of(&cycle, None), None);
        let signed = Lock::of(&cycle, Some("Ben Khan")).unwrap();
        assert_eq!(signed.reason(), "Ben Khan signed off this cycle’s review.");
        assert!(signed.refusal().ends_with("Nothing was saved."));
        cycle.open = false;
        let closed = Lock::of(&cycle, Some("Ben Khan")).unwrap();
        assert_eq!(closed.reason(), "2026–27 is closed.");
        assert!(closed.refusal().starts_with("2026–27 is closed"));
    }
}
