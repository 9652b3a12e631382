//! The home page: what leadkit is, or, signed in, what to do next for each part
//! the person plays: their own year as a leader, the people they support, their
//! school's or trust's progress in counts, and an administrator's set-up
//! checklist. Everything here is built from what the person can already open.
//! [`show`](show::show) loads; the `*_view` functions here shape, purely.

pub mod show;

use askama::Template;
use leadkit_domain::home::{self, DueAction, GoalsAtAGlance, NextStep};
use leadkit_domain::people::Role;
use leadkit_domain::reflection::Progress;
use leadkit_store::participation::Participation;
use leadkit_store::people::{Access, PersonOverview};
use time::Date;

use crate::pages::Page;
use crate::urls;
use crate::views::long_date;

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub page: Page,
    pub framework_title: String,
    pub motto: String,
    pub introduction: String,
    pub framework_url: String,
    pub notices: Vec<NoticeView>,
    pub setup: Option<SetupView>,
    pub leader: Option<LeaderView>,
    pub supporting: Vec<SupportedRow>,
    /// The school lead's school, or each school for a trust lead.
    pub schools: Option<ProgressTable>,
}

/// A notice as the home page shows it.
pub struct NoticeView {
    pub body: String,
    /// "2 December 2026"
    pub on: String,
    pub dismiss_url: String,
}

/// The next step, as a sentence and a button.
pub struct StepView {
    pub heading: String,
    pub text: String,
    pub url: String,
    pub button: String,
}

pub struct DueView {
    pub text: String,
    pub goal_title: String,
    pub url: String,
    /// "Due 2 December 2026" or "Overdue since …".
    pub when: String,
    pub overdue: bool,
}

/// The leader's own year.
pub struct LeaderView {
    pub cycle_name: Option<String>,
    pub progress: Option<Progress>,
    pub step: StepView,
    pub due: Vec<DueView>,
    /// The latest conversation note by someone else: who, when, the start of it.
    pub coach_note: Option<(String, String, String)>,
    /// How many components the coach has recorded an agreed view on.
    pub agreed_views: usize,
    pub checkpoint: Option<CheckpointLine>,
}

/// The next checkpoint not yet agreed by both, for a leader.
pub struct CheckpointLine {
    pub name: String,
    /// "due 28 February 2027" or "overdue since …".
    pub when: String,
    pub overdue: bool,
    /// What each side has recorded, in words.
    pub mine: String,
    pub coach: String,
}

/// The next checkpoint in words. Pure.
pub fn checkpoint_line(
    standings: &[leadkit_domain::checkpoint::Standing],
    today: Date,
) -> Option<CheckpointLine> {
    let next = leadkit_domain::checkpoint::next_open(standings)?;
    let said = |c: &Option<leadkit_domain::checkpoint::Confirmation>| {
        c.as_ref().map_or_else(
            || "not recorded yet".to_owned(),
            |c| format!("recorded on {}", long_date(c.on)),
        )
    };
    Some(CheckpointLine {
        name: next.checkpoint.name.clone(),
        when: if next.overdue(today) {
            format!("overdue since {}", long_date(next.checkpoint.due_on))
        } else {
            format!("due {}", long_date(next.checkpoint.due_on))
        },
        overdue: next.overdue(today),
        mine: said(&next.leader),
        coach: said(&next.coach),
    })
}

/// One person I coach or line-manage.
pub struct SupportedRow {
    pub name: String,
    pub relationship: String,
    /// "40 of 70 reflected", or that it is not shared with me.
    pub reflection: String,
    /// "2 goals · 1 check-in due", or that goals are not shared.
    pub goals: String,
    /// What needs the supporter now, in words; empty when nothing does.
    pub attention: Vec<String>,
    /// Whether their goals are shared with me (else "nothing you can see").
    pub goals_shared: bool,
    pub url: Option<String>,
}

/// Progress in counts, one row per school (or the one school).
pub struct ProgressTable {
    pub heading: String,
    pub cycle_name: String,
    pub threshold: u32,
    pub rows: Vec<ProgressRow>,
    pub insight_url: String,
}

pub struct ProgressRow {
    pub school: String,
    pub people: i64,
    /// `None`: fewer people than the threshold, not shown.
    pub counts: Option<[i64; 4]>,
}

/// The administrator's set-up checklist, then what needs attention.
pub struct SetupView {
    pub tasks: Vec<TaskView>,
    pub done: usize,
    pub attention: Vec<(String, String)>,
}

pub struct TaskView {
    pub label: &'static str,
    pub status: String,
    pub done: bool,
    pub url: String,
}

/// The leader's next step in words. Pure.
pub fn step_view(step: &NextStep) -> StepView {
    let view = |heading: &str, text: String, url: String, button: &str| StepView {
        heading: heading.to_owned(),
        text,
        url,
        button: button.to_owned(),
    };
    match step {
        NextStep::NoCycle => view(
            "Nothing to do yet",
            "Your administrator has not opened this year’s cycle. You can read the framework meanwhile.".into(),
            urls::FRAMEWORKS.into(),
            "Read the frameworks",
        ),
        NextStep::StartReflecting { total } => view(
            "Start your reflection",
            format!("Choose the level that fits your practice for each of the {total} components. Your reflections are private until you share them."),
            urls::REFLECT.into(),
            "Start reflecting",
        ),
        NextStep::ContinueReflecting { reflected, total } => view(
            "Continue your reflection",
            format!("Pick up where you left off: {} components to go.", total - reflected),
            urls::REFLECT.into(),
            "Continue reflecting",
        ),
        NextStep::SetGoal => view(
            "Set your first goal",
            "Your reflection is complete. Choose a component from your profile to grow in this year.".into(),
            urls::PROFILE.into(),
            "Choose a goal from my profile",
        ),
        NextStep::AddActions { goal, title } => view(
            "Plan your goal’s actions",
            format!("“{title}” has no actions yet: say what you will do, and by when."),
            urls::goal(*goal),
            "Add actions",
        ),
        NextStep::CheckIn { goal, title, last } => view(
            "A check-in is due",
            match last {
                Some(last) => format!("You last checked in on “{title}” on {}.", long_date(*last)),
                None => format!("You have not checked in on “{title}” yet."),
            },
            urls::goal(*goal),
            "Record a check-in",
        ),
        NextStep::Review { unreviewed, ends_on } => view(
            "Time to review your goals",
            format!(
                "The cycle ends on {}; {unreviewed} goal{} not reviewed yet.",
                long_date(*ends_on),
                if *unreviewed == 1 { " is" } else { "s are" }
            ),
            urls::GOALS.into(),
            "Review my goals",
        ),
        NextStep::UpToDate => view(
            "You are up to date",
            "Nothing is waiting: your reflection is complete and your goals are on track.".into(),
            urls::PROFILE.into(),
            "See my profile",
        ),
    }
}

/// Actions due soon, in words. Pure.
pub fn due_view(due: &[DueAction]) -> Vec<DueView> {
    due.iter()
        .map(|d| DueView {
            text: d.text.clone(),
            goal_title: d.goal_title.clone(),
            url: urls::goal(d.goal),
            when: if d.overdue {
                format!("Overdue since {}", long_date(d.due_on))
            } else {
                format!("Due {}", long_date(d.due_on))
            },
            overdue: d.overdue,
        })
        .collect()
}

/// What a supporter sees of one person's goals, and what needs them. Pure.
pub fn goals_words(glance: Option<&GoalsAtAGlance>) -> (String, Vec<String>) {
    let Some(glance) = glance else {
        return ("Goals not shared with you".into(), Vec::new());
    };
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut attention = Vec::new();
    if glance.goals == 0 {
        attention.push("No goal set yet".to_owned());
    }
    if glance.without_actions > 0 {
        attention.push(plural(
            glance.without_actions,
            "goal without actions",
            "goals without actions",
        ));
    }
    if glance.check_ins_due > 0 {
        attention.push(plural(
            glance.check_ins_due,
            "check-in due",
            "check-ins due",
        ));
    }
    let mut words = plural(glance.goals, "goal", "goals");
    if glance.reviewed > 0 {
        words.push_str(&format!(", {} reviewed", glance.reviewed));
    }
    (words, attention)
}

/// Counts per school, withheld where a school has fewer people than the
/// small-group threshold. Pure.
pub fn progress_rows(groups: &[Participation], threshold: u32) -> Vec<ProgressRow> {
    groups
        .iter()
        .map(|g| ProgressRow {
            school: g.school.as_ref().map_or_else(
                || "No school (central staff)".to_owned(),
                |(_, n)| n.clone(),
            ),
            people: g.people,
            counts: (g.people >= i64::from(threshold)).then_some([
                g.started,
                g.finished,
                g.with_goals,
                g.reviewed,
            ]),
        })
        .collect()
}

/// What the administrator's checklist says, from the trust as it is. Pure.
pub fn setup_view(
    schools: usize,
    people: &[PersonOverview],
    cycle: Option<&leadkit_domain::cycle::Cycle>,
    today: Date,
) -> SetupView {
    let leaders: Vec<&PersonOverview> = people
        .iter()
        .filter(|p| p.roles.contains(&Role::Leader))
        .collect();
    let not_invited = people
        .iter()
        .filter(|p| p.access == Access::NotInvited)
        .count();
    let waiting = people
        .iter()
        .filter(|p| matches!(p.access, Access::Invited { .. }))
        .count();
    let without_coach = leaders.iter().filter(|p| p.coach.is_none()).count();
    let task = |label, done: bool, status: String, url: String| TaskView {
        label,
        status,
        done,
        url,
    };
    let tasks = vec![
        task(
            "Add your schools",
            schools > 0,
            format!("{schools} school{}", if schools == 1 { "" } else { "s" }),
            urls::ADMIN_SCHOOLS.into(),
        ),
        task(
            "Import your staff",
            !leaders.is_empty(),
            format!(
                "{} leader{}",
                leaders.len(),
                if leaders.len() == 1 { "" } else { "s" }
            ),
            urls::ADMIN_IMPORT.into(),
        ),
        task(
            "Invite everyone",
            !leaders.is_empty() && not_invited == 0,
            if not_invited == 0 {
                "All invited".into()
            } else {
                format!("{not_invited} not invited yet")
            },
            urls::ADMIN_INVITE_ALL.into(),
        ),
        task(
            "Give each leader a coach",
            !leaders.is_empty() && without_coach == 0,
            if without_coach == 0 {
                "Every leader has a coach".into()
            } else {
                format!("{without_coach} without a coach")
            },
            format!("{}?role=leader&coach=none", urls::ADMIN_PEOPLE),
        ),
        task(
            "Open a cycle",
            cycle.is_some(),
            cycle.map_or_else(|| "None open".to_owned(), |c| format!("{} is open", c.name)),
            urls::ADMIN_CYCLES.into(),
        ),
    ];
    let done = tasks.iter().filter(|t| t.done).count();
    let mut attention = Vec::new();
    if waiting > 0 {
        attention.push((
            format!(
                "{waiting} invitation{} not accepted yet",
                if waiting == 1 { "" } else { "s" }
            ),
            format!("{}?access=invited", urls::ADMIN_PEOPLE),
        ));
    }
    if without_coach > 0 {
        attention.push((
            format!(
                "{without_coach} leader{} without a coach",
                if without_coach == 1 { "" } else { "s" }
            ),
            format!("{}?role=leader&coach=none", urls::ADMIN_PEOPLE),
        ));
    }
    if let Some(cycle) = cycle
        && cycle.ends_on >= today
        && cycle.ends_on - today <= home::ENDING_SOON
    {
        attention.push((
            format!("{} ends on {}", cycle.name, long_date(cycle.ends_on)),
            urls::ADMIN_CYCLES.into(),
        ));
    }
    SetupView {
        tasks,
        done,
        attention,
    }
}
