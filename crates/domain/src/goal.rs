//! Growing Great People goals: what a leader aims for on one or more framework
//! items, how they will get there, check-ins on the way and the review at the
//! end of the cycle.
//!
//! The framework's words drive the plan: [`prompts`] turns the difference
//! between the descriptor of the current level and that of the target level into
//! questions for success criteria and for the first coaching conversation.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::ValidationError;
use crate::framework::{FrameworkKey, Item, ItemCode};
use crate::people::PersonId;
use crate::reflection::Note;
use crate::scale::{LevelCode, Scale};

/// Identifies a goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct GoalId(pub i64);

impl std::fmt::Display for GoalId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Where a goal stands during the cycle (its outcome is the [`Review`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GoalStatus {
    Planned,
    InProgress,
    Paused,
}

impl GoalStatus {
    pub const ALL: [GoalStatus; 3] = [
        GoalStatus::Planned,
        GoalStatus::InProgress,
        GoalStatus::Paused,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            GoalStatus::Planned => "planned",
            GoalStatus::InProgress => "in_progress",
            GoalStatus::Paused => "paused",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            GoalStatus::Planned => "Planned",
            GoalStatus::InProgress => "In progress",
            GoalStatus::Paused => "Paused",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == raw)
            .ok_or_else(|| ValidationError::new("status", "Choose planned, in progress or paused."))
    }
}

/// The kinds of support a leader can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Support {
    Coaching,
    Course,
    Colleague,
}

impl Support {
    pub const ALL: [Support; 3] = [Support::Coaching, Support::Course, Support::Colleague];

    pub fn as_str(self) -> &'static str {
        match self {
            Support::Coaching => "coaching",
            Support::Course => "course",
            Support::Colleague => "colleague",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Support::Coaching => "Coaching",
            Support::Course => "A course or professional development",
            Support::Colleague => "A colleague with expertise",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|support| support.as_str() == raw)
            .ok_or_else(|| {
                ValidationError::new("support", "Choose coaching, a course or a colleague.")
            })
    }
}

/// A check-in's red/amber/green judgement of progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rag {
    Red,
    Amber,
    Green,
}

impl Rag {
    pub const ALL: [Rag; 3] = [Rag::Red, Rag::Amber, Rag::Green];

    pub fn as_str(self) -> &'static str {
        match self {
            Rag::Red => "red",
            Rag::Amber => "amber",
            Rag::Green => "green",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Rag::Red => "Red: off track",
            Rag::Amber => "Amber: some concerns",
            Rag::Green => "Green: on track",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|rag| rag.as_str() == raw)
            .ok_or_else(|| ValidationError::new("rag", "Choose red, amber or green."))
    }
}

/// The end-of-cycle judgement on a goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Achieved,
    Partly,
    NotYet,
    /// The goal continues in the next cycle, as a new goal that keeps this one's history.
    CarriedForward,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [
        Outcome::Achieved,
        Outcome::Partly,
        Outcome::NotYet,
        Outcome::CarriedForward,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Achieved => "achieved",
            Outcome::Partly => "partly",
            Outcome::NotYet => "not_yet",
            Outcome::CarriedForward => "carried_forward",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Outcome::Achieved => "Achieved",
            Outcome::Partly => "Partly achieved",
            Outcome::NotYet => "Not yet achieved",
            Outcome::CarriedForward => "Carried forward to the next cycle",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|outcome| outcome.as_str() == raw)
            .ok_or_else(|| {
                ValidationError::new(
                    "outcome",
                    "Choose achieved, partly, not yet or carried forward.",
                )
            })
    }
}

/// Short text typed into a goal: a title, an action, an owner's name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Line(String);

impl Line {
    pub const MAX_CHARS: usize = 300;

    /// One line of at most [`Line::MAX_CHARS`] characters, trimmed; `field` names
    /// the form field in the message. Empty is allowed (callers that need text check).
    pub fn parse_field(field: &'static str, raw: &str) -> Result<Self, ValidationError> {
        let text = raw.trim();
        if text.chars().count() > Self::MAX_CHARS {
            return Err(ValidationError::new(
                field,
                format!("This can be at most {} characters.", Self::MAX_CHARS),
            ));
        }
        if text.chars().any(char::is_control) {
            return Err(ValidationError::new(
                field,
                "This must be a single line without control characters.",
            ));
        }
        Ok(Self(text.to_owned()))
    }

    /// The same, refusing empty text.
    pub fn required(field: &'static str, raw: &str, what: &str) -> Result<Self, ValidationError> {
        let line = Self::parse_field(field, raw)?;
        if line.0.is_empty() {
            return Err(ValidationError::new(field, format!("Write {what}.")));
        }
        Ok(line)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Line {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse_field("text", &value)
    }
}

impl From<Line> for String {
    fn from(value: Line) -> Self {
        value.0
    }
}

/// A framework item a goal is about, in the version it was set against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalItem {
    pub framework: FrameworkKey,
    pub version: String,
    pub code: ItemCode,
    /// The item's title in that version, for display.
    pub title: String,
}

/// One step towards a goal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalAction {
    pub id: i64,
    pub text: Line,
    /// Who does it: "me", or a colleague's name.
    pub owner: Line,
    pub due_on: Option<Date>,
    pub done: bool,
}

/// A check-in during the cycle, by the goal's owner or their coach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckIn {
    pub id: i64,
    pub author: Option<PersonId>,
    pub author_name: String,
    pub on: Date,
    pub progress: Note,
    pub rag: Rag,
    pub next_steps: Note,
}

/// The end-of-cycle review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub outcome: Outcome,
    pub note: Note,
    pub on: Date,
}

/// A goal as stored, with everything that hangs off it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goal {
    pub id: GoalId,
    pub owner: PersonId,
    pub cycle: crate::cycle::CycleId,
    pub title: Line,
    pub items: Vec<GoalItem>,
    /// Levels on the first item's framework scale; `None` for "not yet", and
    /// both `None` on a framework without levels.
    pub current_level: Option<LevelCode>,
    pub target_level: Option<LevelCode>,
    pub why: Note,
    pub success_criteria: Note,
    pub support: Vec<Support>,
    pub support_detail: Note,
    pub status: GoalStatus,
    pub actions: Vec<GoalAction>,
    pub check_ins: Vec<CheckIn>,
    pub review: Option<Review>,
    /// The goal in the previous cycle this one carries forward, if any.
    pub carried_from: Option<GoalId>,
}

impl Goal {
    /// Where the goal stands, as a person reads it: its review's outcome once
    /// it is reviewed, else its status.
    pub fn standing(&self) -> String {
        match &self.review {
            Some(review) => format!("Reviewed: {}", review.outcome.label().to_lowercase()),
            None => self.status.label().to_owned(),
        }
    }
}

/// What a new goal or an edit of one says, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalDraft {
    pub title: Line,
    pub current_level: Option<LevelCode>,
    pub target_level: Option<LevelCode>,
    pub why: Note,
    pub success_criteria: Note,
    pub support: Vec<Support>,
    pub support_detail: Note,
    pub status: GoalStatus,
}

impl GoalDraft {
    /// Checks the levels against the framework's scale: both must be on it, and
    /// the target must be above where the leader is now (or, at the top of the
    /// scale, the same: sustaining it). A framework without
    /// levels takes no levels.
    pub fn check_levels(&self, scale: Option<&Scale>) -> Result<(), ValidationError> {
        let Some(scale) = scale else {
            if self.current_level.is_some() || self.target_level.is_some() {
                return Err(ValidationError::new(
                    "target_level",
                    "This framework has no levels, so a goal on it has none either.",
                ));
            }
            return Ok(());
        };
        let target = self
            .target_level
            .as_ref()
            .and_then(|level| scale.rank(level))
            .ok_or_else(|| {
                ValidationError::new("target_level", "Choose a target level from the scale.")
            })?;
        let current = match &self.current_level {
            None => None,
            Some(level) => Some(scale.rank(level).ok_or_else(|| {
                ValidationError::new(
                    "current_level",
                    "Choose your current level from the scale, or not yet.",
                )
            })?),
        };
        // At the top of the scale the aim is to sustain and share it: the target
        // may be the same level. Anywhere else it must be higher.
        let top = scale.levels.len().saturating_sub(1);
        let sustaining = current == Some(top) && target == top;
        if !sustaining && current.is_some_and(|current| current >= target) {
            return Err(ValidationError::new(
                "target_level",
                "The level you aim for must be above where you are now.",
            ));
        }
        Ok(())
    }
}

/// Questions drawn from the framework's words for a goal on one item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Prompts {
    /// Prompts for writing success criteria.
    pub success_criteria: Vec<String>,
    /// Questions for the first coaching conversation.
    pub conversation: Vec<String>,
}

/// Turns the difference between the descriptor at the current level and the one
/// at the target level into prompts. With no current descriptor (not yet, or a
/// descriptor missing from the published framework) the target's words alone
/// drive them. `lead_in` is the framework's "A leader will".
pub fn prompts(
    item: &Item,
    scale: &Scale,
    current: Option<&LevelCode>,
    target: &LevelCode,
    lead_in: &str,
) -> Prompts {
    let label = |code: &LevelCode| {
        scale
            .level(code)
            .map_or_else(|| code.to_string(), |level| level.label.clone())
    };
    let Some(described) = item.descriptor(target) else {
        // The framework describes the item but not its levels (a standard, say):
        // its own words lead.
        let label = label(target);
        return Prompts {
            success_criteria: vec![format!(
                "{} {}: what would you see, hear or be able to show that says you meet this at {label}?",
                item.code, item.title
            )],
            conversation: vec![
                format!("Where in your work does “{}” show today?", item.title),
                "What support would make the biggest difference, and by when?".to_owned(),
            ],
        };
    };
    let Some(target_text) = described else {
        return Prompts {
            success_criteria: vec![format!(
                "The {} descriptor of {} is not in the published framework: agree with your coach what it would look like in your setting.",
                label(target),
                item.code
            )],
            conversation: Vec::new(),
        };
    };
    let current_text = current.and_then(|code| item.descriptor(code).flatten());
    // Mid-sentence, "A leader will" reads "a leader will".
    let lead = match lead_in.trim().chars().next() {
        None => String::new(),
        Some(first) => format!(
            "{}{} ",
            first.to_lowercase(),
            &lead_in.trim()[first.len_utf8()..]
        ),
    };
    let target_label = label(target);
    let mut success_criteria = vec![format!(
        "At {target_label}, {lead}{}. What would you see, hear or be able to show that says this is true of you?",
        target_text.trim_end_matches('.')
    )];
    if let (Some(current), Some(_)) = (current, current_text) {
        success_criteria.push(format!(
            "Read the two descriptors side by side: what does {target_label} ask of you that {} does not, and what evidence would show each of those?",
            label(current)
        ));
    }
    let mut conversation = Vec::new();
    match (current, current_text) {
        (Some(current), Some(current_text)) => {
            let current_label = label(current);
            conversation.push(format!(
                "Today you see yourself at {current_label}: “{}”. Where in your work does that show?",
                current_text.trim_end_matches('.')
            ));
            conversation.push(format!(
                "What stands between that and {target_label} (“{}”)?",
                target_text.trim_end_matches('.')
            ));
        }
        _ => conversation.push(format!(
            "What would a first step towards {target_label} (“{}”) look like in your role?",
            target_text.trim_end_matches('.')
        )),
    }
    conversation.push(format!(
        "Who do you know whose practice is already at {target_label}, and what could you learn from them?"
    ));
    conversation.push("What support would make the biggest difference, and by when?".to_owned());
    Prompts {
        success_criteria,
        conversation,
    }
}

/// Which action due dates and check-ins fall due within `days` after `today`
/// (inclusive), for a reminder digest; actions done are left out.
pub fn due_soon(goals: &[Goal], today: Date, days: i64) -> Vec<(&Goal, &GoalAction)> {
    let until = today + time::Duration::days(days);
    let mut due: Vec<(&Goal, &GoalAction)> = goals
        .iter()
        .filter(|goal| goal.review.is_none())
        .flat_map(|goal| goal.actions.iter().map(move |action| (goal, action)))
        .filter(|(_, action)| !action.done)
        .filter(|(_, action)| {
            action
                .due_on
                .is_some_and(|due| due >= today && due <= until)
        })
        .collect();
    due.sort_by_key(|(_, action)| action.due_on);
    due
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use time::macros::date;

    fn level(code: &str) -> LevelCode {
        LevelCode::parse(code).unwrap()
    }

    fn scale() -> Scale {
        Scale {
            name: "impact".into(),
            levels: ["some", "high", "highest"]
                .into_iter()
                .map(|code| crate::scale::Level {
                    code: level(code),
                    label: format!("{code} impact"),
                    summary: String::new(),
                    lead_in: String::new(),
                    points: Vec::new(),
                })
                .collect(),
        }
    }

    fn item(descriptors: &[(&str, Option<&str>)]) -> Item {
        Item {
            code: ItemCode::parse("1a.i").unwrap(),
            kind: "component".into(),
            title: "Curriculum".into(),
            introduction: Vec::new(),
            descriptors: descriptors
                .iter()
                .map(|(code, text)| (level(code), text.map(str::to_owned)))
                .collect::<BTreeMap<_, _>>(),
            children: Vec::new(),
            identifier: None,
            extra: BTreeMap::new(),
        }
    }

    fn draft(current: Option<&str>, target: &str) -> GoalDraft {
        GoalDraft {
            title: Line::required("title", "Lead curriculum", "a title").unwrap(),
            current_level: current.map(level),
            target_level: Some(level(target)),
            why: Note::default(),
            success_criteria: Note::default(),
            support: Vec::new(),
            support_detail: Note::default(),
            status: GoalStatus::Planned,
        }
    }

    #[test]
    fn the_target_must_be_above_the_current_level() {
        assert!(
            draft(Some("some"), "high")
                .check_levels(Some(&scale()))
                .is_ok()
        );
        assert!(draft(None, "some").check_levels(Some(&scale())).is_ok());
        let same = draft(Some("high"), "high").check_levels(Some(&scale()));
        assert_eq!(same.unwrap_err().field, "target_level");
        assert!(
            draft(Some("highest"), "high")
                .check_levels(Some(&scale()))
                .is_err()
        );
        assert!(
            draft(Some("high"), "legendary")
                .check_levels(Some(&scale()))
                .is_err()
        );
        assert!(draft(None, "some").check_levels(None).is_err());
        let mut no_levels = draft(None, "some");
        no_levels.target_level = None;
        assert!(no_levels.check_levels(None).is_ok());
        assert!(no_levels.check_levels(Some(&scale())).is_err());
        assert_eq!(
            draft(Some("expert"), "highest")
                .check_levels(Some(&scale()))
                .unwrap_err()
                .field,
            "current_level"
        );
    }

    #[test]
    fn prompts_name_what_is_new_at_the_target_level() {
        let item = item(&[
            ("some", Some("plan lessons in the subject.")),
            (
                "high",
                Some("plan lessons in the subject and coach colleagues across the school."),
            ),
        ]);
        let prompts = prompts(
            &item,
            &scale(),
            Some(&level("some")),
            &level("high"),
            "A leader will",
        );
        assert!(prompts.success_criteria[0].contains(
            "At high impact, a leader will plan lessons in the subject and coach colleagues across the school"
        ));
        // No list of loose words: the two descriptors, read side by side.
        assert!(
            prompts.success_criteria[1]
                .contains("what does high impact ask of you that some impact does not")
        );
        assert!(prompts.conversation[0].contains("“plan lessons in the subject”"));
        assert!(
            prompts
                .conversation
                .iter()
                .any(|q| q.contains("already at high impact"))
        );
    }

    #[test]
    fn a_missing_target_descriptor_is_said_plainly_not_invented() {
        let item = item(&[("some", Some("plan.")), ("high", None)]);
        let prompts = prompts(&item, &scale(), Some(&level("some")), &level("high"), "");
        assert_eq!(prompts.success_criteria.len(), 1);
        assert!(prompts.success_criteria[0].contains("not in the published framework"));
    }

    #[test]
    fn an_item_without_level_descriptors_is_prompted_in_its_own_words() {
        let mut item = item(&[]);
        item.title = "Know the statutory frameworks".into();
        let prompts = prompts(&item, &scale(), None, &level("high"), "");
        assert!(prompts.success_criteria[0].contains("1a.i Know the statutory frameworks"));
        assert!(prompts.success_criteria[0].contains("at high impact"));
        assert!(!prompts.success_criteria[0].contains("not in the published"));
    }

    #[test]
    fn without_a_current_level_the_target_words_lead() {
        let item = item(&[("some", Some("listen to staff."))]);
        let prompts = prompts(&item, &scale(), None, &level("some"), "");
        assert_eq!(prompts.success_criteria.len(), 1);
        assert!(prompts.conversation[0].contains("first step"));
    }

    #[test]
    fn due_soon_lists_open_actions_within_the_window_in_date_order() {
        let action = |id, due: Option<Date>, done| GoalAction {
            id,
            text: Line::required("text", "Do it", "an action").unwrap(),
            owner: Line::default(),
            due_on: due,
            done,
        };
        let goal = Goal {
            id: GoalId(1),
            owner: PersonId(1),
            cycle: crate::cycle::CycleId(1),
            title: Line::required("title", "Goal", "a title").unwrap(),
            items: Vec::new(),
            current_level: None,
            target_level: Some(level("some")),
            why: Note::default(),
            success_criteria: Note::default(),
            support: Vec::new(),
            support_detail: Note::default(),
            status: GoalStatus::InProgress,
            actions: vec![
                action(1, Some(date!(2026 - 11 - 30)), false),
                action(2, Some(date!(2026 - 11 - 24)), false),
                action(3, Some(date!(2026 - 11 - 25)), true),
                action(4, Some(date!(2026 - 12 - 30)), false),
                action(5, None, false),
                action(6, Some(date!(2026 - 11 - 20)), false),
            ],
            check_ins: Vec::new(),
            review: None,
            carried_from: None,
        };
        let goals = [goal];
        let due: Vec<i64> = due_soon(&goals, date!(2026 - 11 - 23), 7)
            .into_iter()
            .map(|(_, action)| action.id)
            .collect();
        assert_eq!(due, [2, 1]);
    }

    #[test]
    fn codes_round_trip() {
        for status in GoalStatus::ALL {
            assert_eq!(GoalStatus::parse(status.as_str()).unwrap(), status);
        }
        for outcome in Outcome::ALL {
            assert_eq!(Outcome::parse(outcome.as_str()).unwrap(), outcome);
        }
        for rag in Rag::ALL {
            assert_eq!(Rag::parse(rag.as_str()).unwrap(), rag);
        }
        for support in Support::ALL {
            assert_eq!(Support::parse(support.as_str()).unwrap(), support);
        }
        assert!(Rag::parse("purple").is_err());
        assert!(Line::parse_field("title", &"x".repeat(301)).is_err());
        assert!(Line::parse_field("title", "two\nlines").is_err());
    }
}
