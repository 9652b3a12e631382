//! What a person's home page puts first: the next step of their year and what
//! is due soon, worked out from what they can already see. Pure: goals,
//! progress and dates in, plain steps out; the wording is the page's.

use time::{Date, Duration};

use crate::goal::{Goal, GoalId, GoalStatus};
use crate::reflection::Progress;

/// A goal that is moving is checked in on at least this often.
pub const CHECK_IN_EVERY: Duration = Duration::weeks(6);
/// Actions due within this are "due soon".
pub const DUE_SOON: Duration = Duration::weeks(2);
/// A cycle ending within this is "ending soon": time for reviews.
pub const ENDING_SOON: Duration = Duration::days(30);

/// The one thing a leader should do next, in the order a year goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextStep {
    /// No cycle is open: nothing to do until the administrator opens one.
    NoCycle,
    StartReflecting {
        total: usize,
    },
    ContinueReflecting {
        reflected: usize,
        total: usize,
    },
    /// Reflection done; no goal yet this cycle.
    SetGoal,
    /// A goal has no actions: say what will be done.
    AddActions {
        goal: GoalId,
        title: String,
    },
    /// A goal has not been checked in on for [`CHECK_IN_EVERY`] (or ever).
    CheckIn {
        goal: GoalId,
        title: String,
        last: Option<Date>,
    },
    /// The cycle ends soon and goals are not reviewed.
    Review {
        unreviewed: usize,
        ends_on: Date,
    },
    /// Nothing is waiting.
    UpToDate,
}

/// Whether a goal is still being worked on (not reviewed, not paused).
fn active(goal: &Goal) -> bool {
    goal.review.is_none() && goal.status != GoalStatus::Paused
}

/// When `goal` was last checked in on, if ever.
pub fn last_check_in(goal: &Goal) -> Option<Date> {
    goal.check_ins.iter().map(|c| c.on).max()
}

/// Whether an active goal with actions is due a check-in on `today`.
pub fn check_in_due(goal: &Goal, today: Date) -> bool {
    active(goal)
        && goal.status == GoalStatus::InProgress
        && last_check_in(goal).is_none_or(|last| today - last >= CHECK_IN_EVERY)
}

/// The leader's next step. `progress` is `None` when no cycle is open;
/// `cycle_ends` is the current cycle's last day.
pub fn next_step(
    progress: Option<Progress>,
    goals: &[Goal],
    today: Date,
    cycle_ends: Option<Date>,
) -> NextStep {
    let Some(progress) = progress else {
        return NextStep::NoCycle;
    };
    if let Some(ends_on) = cycle_ends {
        let unreviewed = goals.iter().filter(|g| g.review.is_none()).count();
        if unreviewed > 0 && ends_on >= today && ends_on - today <= ENDING_SOON {
            return NextStep::Review {
                unreviewed,
                ends_on,
            };
        }
    }
    if progress.reflected == 0 && progress.total > 0 {
        return NextStep::StartReflecting {
            total: progress.total,
        };
    }
    if goals.is_empty() {
        if progress.reflected < progress.total {
            return NextStep::ContinueReflecting {
                reflected: progress.reflected,
                total: progress.total,
            };
        }
        return NextStep::SetGoal;
    }
    if let Some(goal) = goals.iter().find(|g| active(g) && g.actions.is_empty()) {
        return NextStep::AddActions {
            goal: goal.id,
            title: goal.title.as_str().to_owned(),
        };
    }
    if let Some(goal) = goals.iter().find(|g| check_in_due(g, today)) {
        return NextStep::CheckIn {
            goal: goal.id,
            title: goal.title.as_str().to_owned(),
            last: last_check_in(goal),
        };
    }
    if progress.reflected < progress.total {
        return NextStep::ContinueReflecting {
            reflected: progress.reflected,
            total: progress.total,
        };
    }
    NextStep::UpToDate
}

/// An action not done, due by `today + DUE_SOON` (or overdue).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueAction {
    pub goal: GoalId,
    pub goal_title: String,
    pub text: String,
    pub due_on: Date,
    pub overdue: bool,
}

/// Every open action of active goals due within [`DUE_SOON`], soonest first.
pub fn actions_due(goals: &[Goal], today: Date) -> Vec<DueAction> {
    let mut due: Vec<DueAction> = goals
        .iter()
        .filter(|g| active(g))
        .flat_map(|goal| {
            goal.actions.iter().filter_map(move |action| {
                let due_on = action.due_on?;
                (!action.done && due_on - today <= DUE_SOON).then(|| DueAction {
                    goal: goal.id,
                    goal_title: goal.title.as_str().to_owned(),
                    text: action.text.as_str().to_owned(),
                    due_on,
                    overdue: due_on < today,
                })
            })
        })
        .collect();
    due.sort_by_key(|d| d.due_on);
    due
}

/// What a coach or line manager sees of one person's goals (only when the
/// person has shared their goals with them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoalsAtAGlance {
    pub goals: usize,
    pub without_actions: usize,
    pub check_ins_due: usize,
    pub reviewed: usize,
}

pub fn goals_at_a_glance(goals: &[Goal], today: Date) -> GoalsAtAGlance {
    GoalsAtAGlance {
        goals: goals.len(),
        without_actions: goals
            .iter()
            .filter(|g| active(g) && g.actions.is_empty())
            .count(),
        check_ins_due: goals.iter().filter(|g| check_in_due(g, today)).count(),
        reviewed: goals.iter().filter(|g| g.review.is_some()).count(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use time::macros::date;

    use super::*;
    use crate::goal::{CheckIn, GoalAction, Line, Rag};
    use crate::people::PersonId;
    use crate::reflection::Note;

    fn goal(id: i64, status: GoalStatus, actions: Vec<GoalAction>, check_ins: Vec<Date>) -> Goal {
        Goal {
            id: GoalId(id),
            owner: PersonId(1),
            cycle: crate::cycle::CycleId(1),
            title: Line::required("title", &format!("Goal {id}"), "a title").unwrap(),
            items: Vec::new(),
            current_level: None,
            target_level: None,
            why: Note::default(),
            success_criteria: Note::default(),
            support: Vec::new(),
            support_detail: Note::default(),
            status,
            actions,
            check_ins: check_ins
                .into_iter()
                .enumerate()
                .map(|(n, on)| CheckIn {
                    id: n as i64,
                    author: None,
                    author_name: String::new(),
                    on,
                    progress: Note::default(),
                    rag: Rag::Green,
                    next_steps: Note::default(),
                })
                .collect(),
            review: None,
            carried_from: None,
        }
    }

    fn action(id: i64, due_on: Option<Date>, done: bool) -> GoalAction {
        GoalAction {
            id,
            text: Line::required("text", &format!("Action {id}"), "an action").unwrap(),
            owner: Line::default(),
            due_on,
            done,
        }
    }

    const TODAY: Date = date!(2026 - 12 - 02);
    const ENDS: Date = date!(2027 - 07 - 31);

    fn progress(reflected: usize) -> Option<Progress> {
        Some(Progress {
            reflected,
            total: 70,
        })
    }

    #[test]
    fn the_year_goes_reflect_then_goal_then_actions_then_check_ins() {
        assert_eq!(next_step(None, &[], TODAY, None), NextStep::NoCycle);
        assert_eq!(
            next_step(progress(0), &[], TODAY, Some(ENDS)),
            NextStep::StartReflecting { total: 70 }
        );
        assert_eq!(
            next_step(progress(12), &[], TODAY, Some(ENDS)),
            NextStep::ContinueReflecting {
                reflected: 12,
                total: 70
            }
        );
        assert_eq!(
            next_step(progress(70), &[], TODAY, Some(ENDS)),
            NextStep::SetGoal
        );
        let planned = goal(1, GoalStatus::Planned, Vec::new(), Vec::new());
        assert!(matches!(
            next_step(progress(70), &[planned], TODAY, Some(ENDS)),
            NextStep::AddActions { .. }
        ));
        let moving = goal(
            2,
            GoalStatus::InProgress,
            vec![action(1, None, false)],
            vec![date!(2026 - 10 - 01)],
        );
        assert_eq!(
            next_step(
                progress(70),
                std::slice::from_ref(&moving),
                TODAY,
                Some(ENDS)
            ),
            NextStep::CheckIn {
                goal: GoalId(2),
                title: "Goal 2".into(),
                last: Some(date!(2026 - 10 - 01))
            }
        );
        // A goal may be set before the reflection is finished; its steps come first.
        let recent = goal(
            3,
            GoalStatus::InProgress,
            vec![action(1, None, false)],
            vec![date!(2026 - 11 - 20)],
        );
        assert_eq!(
            next_step(
                progress(40),
                std::slice::from_ref(&recent),
                TODAY,
                Some(ENDS)
            ),
            NextStep::ContinueReflecting {
                reflected: 40,
                total: 70
            }
        );
        assert_eq!(
            next_step(
                progress(70),
                std::slice::from_ref(&recent),
                TODAY,
                Some(ENDS)
            ),
            NextStep::UpToDate
        );
        // A paused goal asks for nothing.
        let paused = goal(4, GoalStatus::Paused, Vec::new(), Vec::new());
        assert_eq!(
            next_step(progress(70), &[paused], TODAY, Some(ENDS)),
            NextStep::UpToDate
        );
        // Near the cycle's end, unreviewed goals come before everything.
        assert_eq!(
            next_step(progress(10), &[recent], TODAY, Some(date!(2026 - 12 - 20))),
            NextStep::Review {
                unreviewed: 1,
                ends_on: date!(2026 - 12 - 20)
            }
        );
    }

    #[test]
    fn due_actions_include_the_overdue_and_the_next_fortnight_soonest_first() {
        let g = goal(
            1,
            GoalStatus::InProgress,
            vec![
                action(1, Some(date!(2026 - 12 - 10)), false),
                action(2, Some(date!(2026 - 11 - 28)), false),
                action(3, Some(date!(2026 - 12 - 03)), true),
                action(4, Some(date!(2026 - 12 - 17)), false),
                action(5, None, false),
            ],
            Vec::new(),
        );
        let due = actions_due(&[g], TODAY);
        let listed: Vec<(String, bool)> = due.iter().map(|d| (d.text.clone(), d.overdue)).collect();
        assert_eq!(
            listed,
            [
                ("Action 2".to_owned(), true),
                ("Action 1".to_owned(), false)
            ]
        );
    }

    #[test]
    fn a_supporter_sees_goals_without_actions_and_check_ins_due() {
        let goals = [
            goal(1, GoalStatus::Planned, Vec::new(), Vec::new()),
            goal(
                2,
                GoalStatus::InProgress,
                vec![action(1, None, false)],
                Vec::new(),
            ),
            goal(
                3,
                GoalStatus::InProgress,
                vec![action(2, None, false)],
                vec![date!(2026 - 11 - 30)],
            ),
        ];
        assert_eq!(
            goals_at_a_glance(&goals, TODAY),
            GoalsAtAGlance {
                goals: 3,
                without_actions: 1,
                check_ins_due: 1,
                reviewed: 0
            }
        );
    }
}
