//! The points of a coaching year. An administrator gives a cycle its
//! checkpoints (goals agreed by October, mid-year review by February, …); at
//! each, a leader and their coach both record that they met and agreed. Pure:
//! validation of a new checkpoint and where each one stands for one leader.

use serde::Serialize;
use time::{Date, Duration};

use crate::ValidationError;
use crate::cycle::Cycle;

/// A checkpoint is "coming up" this long before it is due.
pub const COMING_UP: Duration = Duration::weeks(3);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct CheckpointId(pub i64);

impl std::fmt::Display for CheckpointId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Checkpoint {
    pub id: CheckpointId,
    pub name: String,
    pub due_on: Date,
}

/// Who records a meeting at a checkpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Side {
    /// The leader whose year it is.
    Leader,
    /// Their coach.
    Coach,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Leader => "leader",
            Side::Coach => "coach",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "leader" => Some(Side::Leader),
            "coach" => Some(Side::Coach),
            _ => None,
        }
    }
}

/// One side's record that they met and agreed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Confirmation {
    pub checkpoint: CheckpointId,
    pub side: Side,
    pub by_name: String,
    pub on: Date,
}

/// A checkpoint a new form asks for, checked against its cycle.
pub fn validate(
    cycle: &Cycle,
    existing: &[Checkpoint],
    name: &str,
    due_on: &str,
) -> Result<(String, Date), Vec<ValidationError>> {
    let mut errors = Vec::new();
    let name = name.trim();
    if name.is_empty() {
        errors.push(ValidationError::new(
            "name",
            "Name the checkpoint, for example “Mid-year review”.",
        ));
    } else if name.chars().count() > 100 {
        errors.push(ValidationError::new(
            "name",
            "The name can be at most 100 characters.",
        ));
    } else if name.chars().any(char::is_control) {
        errors.push(ValidationError::new(
            "name",
            "The name must be one line of text.",
        ));
    } else if existing.iter().any(|c| c.name.eq_ignore_ascii_case(name)) {
        errors.push(ValidationError::new(
            "name",
            format!("{} already has a checkpoint called “{name}”.", cycle.name),
        ));
    }
    let date = match Date::parse(
        due_on.trim(),
        &time::macros::format_description!("[year]-[month]-[day]"),
    ) {
        Ok(date) if date < cycle.starts_on || date > cycle.ends_on => {
            errors.push(ValidationError::new(
                "due_on",
                format!(
                    "Choose a date within {}: {} to {}.",
                    cycle.name,
                    crate::cycle::long_date(cycle.starts_on),
                    crate::cycle::long_date(cycle.ends_on)
                ),
            ));
            None
        }
        Ok(date) => Some(date),
        Err(_) => {
            errors.push(ValidationError::new(
                "due_on",
                "Enter the date it is due, for example 2027-02-28.",
            ));
            None
        }
    };
    match date {
        Some(date) if errors.is_empty() => Ok((name.to_owned(), date)),
        _ => Err(errors),
    }
}

/// Where one checkpoint stands for one leader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub checkpoint: Checkpoint,
    pub leader: Option<Confirmation>,
    pub coach: Option<Confirmation>,
}

impl Standing {
    pub fn agreed(&self) -> bool {
        self.leader.is_some() && self.coach.is_some()
    }

    /// Not yet agreed by both and due before `today`.
    pub fn overdue(&self, today: Date) -> bool {
        !self.agreed() && self.checkpoint.due_on < today
    }

    /// Not yet agreed by both and due within [`COMING_UP`] of `today`.
    pub fn coming_up(&self, today: Date) -> bool {
        !self.agreed()
            && self.checkpoint.due_on >= today
            && self.checkpoint.due_on - today <= COMING_UP
    }
}

/// Every checkpoint, by date, with what each side has recorded.
pub fn standings(checkpoints: &[Checkpoint], confirmations: &[Confirmation]) -> Vec<Standing> {
    let mut standings: Vec<Standing> = checkpoints
        .iter()
        .map(|checkpoint| {
            let of = |side| {
                confirmations
                    .iter()
                    .find(|c| c.checkpoint == checkpoint.id && c.side == side)
                    .cloned()
            };
            Standing {
                leader: of(Side::Leader),
                coach: of(Side::Coach),
                checkpoint: checkpoint.clone(),
            }
        })
        .collect();
    standings.sort_by_key(|s| (s.checkpoint.due_on, s.checkpoint.id));
    standings
}

/// The first checkpoint not yet agreed by both, if any.
pub fn next_open(standings: &[Standing]) -> Option<&Standing> {
    standings.iter().find(|s| !s.agreed())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use time::macros::date;

    use super::*;
    use crate::cycle::CycleId;

    fn cycle() -> Cycle {
        Cycle {
            id: CycleId(1),
            name: "2026–27".into(),
            starts_on: date!(2026 - 09 - 01),
            ends_on: date!(2027 - 08 - 31),
            open: true,
            school: None,
        }
    }

    #[test]
    fn a_checkpoint_needs_a_name_and_a_date_within_its_cycle() {
        assert_eq!(
            validate(&cycle(), &[], "  Mid-year review ", "2027-02-28").unwrap(),
            ("Mid-year review".to_owned(), date!(2027 - 02 - 28))
        );
        let fields = |result: Result<(String, Date), Vec<ValidationError>>| {
            result
                .unwrap_err()
                .into_iter()
                .map(|e| e.field)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            fields(validate(&cycle(), &[], "", "28/02/2027")),
            ["name", "due_on"]
        );
        assert_eq!(
            fields(validate(&cycle(), &[], "Late", "2027-09-30")),
            ["due_on"]
        );
        let existing = [Checkpoint {
            id: CheckpointId(1),
            name: "Mid-year review".into(),
            due_on: date!(2027 - 02 - 28),
        }];
        assert_eq!(
            fields(validate(
                &cycle(),
                &existing,
                "mid-year REVIEW",
                "2027-03-01"
            )),
            ["name"]
        );
    }

    #[test]
    fn a_checkpoint_is_agreed_when_both_sides_have_recorded_it() {
        let checkpoints = [
            Checkpoint {
                id: CheckpointId(2),
                name: "Mid-year".into(),
                due_on: date!(2027 - 02 - 28),
            },
            Checkpoint {
                id: CheckpointId(1),
                name: "Goals agreed".into(),
                due_on: date!(2026 - 10 - 31),
            },
        ];
        let confirm = |id, side| Confirmation {
            checkpoint: CheckpointId(id),
            side,
            by_name: "x".into(),
            on: date!(2026 - 10 - 20),
        };
        let all = standings(
            &checkpoints,
            &[
                confirm(1, Side::Leader),
                confirm(1, Side::Coach),
                confirm(2, Side::Coach),
            ],
        );
        assert_eq!(all[0].checkpoint.name, "Goals agreed");
        assert!(all[0].agreed());
        assert!(!all[1].agreed());
        assert_eq!(next_open(&all).unwrap().checkpoint.name, "Mid-year");
        assert!(all[1].coming_up(date!(2027 - 02 - 10)));
        assert!(all[1].overdue(date!(2027 - 03 - 01)));
        assert!(!all[0].overdue(date!(2027 - 03 - 01)));
    }
}
