//! Planning an import of a staff list: what would change, and every problem by
//! line, before anything is applied. Pure: it compares the rows read from a file
//! with the trust as it is now. Importing the same file twice plans nothing the
//! second time.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::people::{Email, PersonName, Role};

/// One row of a staff list, as read from the file (line numbers count the header
/// as row 1, as a spreadsheet numbers rows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRow {
    pub line: usize,
    pub name: String,
    pub email: String,
    pub school: String,
    /// One or more roles, separated by `;` (for example `leader; coach`).
    pub roles: String,
    pub line_manager_email: String,
    pub team: String,
}

/// A person in the trust as they are now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrentPerson {
    pub email: Email,
    pub name: String,
    pub school: Option<String>,
    pub team: Option<String>,
    pub roles: BTreeSet<Role>,
    pub line_manager: Option<Email>,
}

/// The trust as it is now.
#[derive(Debug, Clone, Default)]
pub struct CurrentStaff {
    pub people: Vec<CurrentPerson>,
    pub schools: BTreeSet<String>,
    /// (school, team)
    pub teams: BTreeSet<(String, String)>,
    /// Addresses from the file that belong to people in other trusts.
    pub emails_elsewhere: BTreeSet<String>,
    /// Addresses from the file that belong to archived people of this trust.
    pub emails_archived: BTreeSet<String>,
    /// The administrator applying the list, if it is applied by a person (the
    /// command line has none): a list may not archive them or take away their
    /// administrator role.
    pub acting: Option<Email>,
}

/// A person as the file says they should be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WantedPerson {
    pub line: usize,
    pub email: Email,
    pub name: PersonName,
    pub school: Option<String>,
    pub team: Option<String>,
    pub roles: BTreeSet<Role>,
    pub line_manager: Option<Email>,
}

/// One change the import would make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum StaffChange {
    AddSchool {
        school: String,
    },
    AddTeam {
        school: String,
        team: String,
    },
    AddPerson {
        person: WantedPerson,
    },
    UpdatePerson {
        person: WantedPerson,
        what: Vec<String>,
    },
    Archive {
        email: Email,
    },
}

impl StaffChange {
    /// The change in a sentence, as a dry run lists it.
    pub fn describe(&self) -> String {
        match self {
            StaffChange::AddSchool { school } => format!("Add school {school}"),
            StaffChange::AddTeam { school, team } => format!("Add team {team} at {school}"),
            StaffChange::AddPerson { person } => format!(
                "Row {}: add {} ({})",
                person.line,
                person.name.as_str(),
                person.email.as_str()
            ),
            StaffChange::UpdatePerson { person, what } => format!(
                "Row {}: change {}: {}",
                person.line,
                person.email.as_str(),
                what.join("; ")
            ),
            StaffChange::Archive { email } => format!("Archive {}", email.as_str()),
        }
    }
}

/// A problem with one line of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaffProblem {
    pub line: usize,
    pub message: String,
}

/// The line of a problem with the list as a whole rather than one of its lines.
pub const WHOLE_LIST: usize = 0;

impl std::fmt::Display for StaffProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == WHOLE_LIST {
            write!(f, "{}", self.message)
        } else {
            write!(f, "row {}: {}", self.line, self.message)
        }
    }
}

/// What an import would do. It may be applied only when `problems` is empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StaffPlan {
    pub changes: Vec<StaffChange>,
    pub problems: Vec<StaffProblem>,
    /// People in the trust the file does not list (archived only if asked).
    pub not_in_file: Vec<Email>,
}

impl StaffPlan {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// Reads a role as a staff list writes it.
pub fn parse_role(raw: &str) -> Option<Role> {
    let folded: String = raw
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c == '_' || c == '-' { ' ' } else { c })
        .collect();
    match folded
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .as_str()
    {
        "leader" => Some(Role::Leader),
        "coach" | "line manager" | "coach or line manager" => Some(Role::Coach),
        "school lead" => Some(Role::SchoolLead),
        "trust lead" => Some(Role::TrustLead),
        "administrator" | "admin" => Some(Role::Administrator),
        _ => None,
    }
}

fn blank_to_none(text: &str) -> Option<String> {
    let trimmed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!trimmed.is_empty()).then_some(trimmed)
}

/// Compares the file with the trust and plans the changes.
pub fn plan(rows: &[StaffRow], current: &CurrentStaff, archive_missing: bool) -> StaffPlan {
    let mut problems = Vec::new();
    let mut wanted: Vec<WantedPerson> = Vec::new();
    let mut first_line_of: BTreeMap<String, usize> = BTreeMap::new();
    for row in rows {
        let mut problem = |message: String| {
            problems.push(StaffProblem {
                line: row.line,
                message,
            });
        };
        let name = match PersonName::parse(&row.name) {
            Ok(name) => Some(name),
            Err(error) => {
                problem(format!("name: {}", error.message));
                None
            }
        };
        let email = match Email::parse(&row.email) {
            Ok(email) => Some(email),
            Err(_) => {
                problem(format!("\"{}\" is not an email address", row.email.trim()));
                None
            }
        };
        if let Some(email) = &email {
            if let Some(first) = first_line_of.get(email.as_str()) {
                problem(format!(
                    "{} is already on row {first}; list each person once",
                    email.as_str()
                ));
                continue;
            }
            first_line_of.insert(email.as_str().to_owned(), row.line);
            if current.emails_elsewhere.contains(email.as_str()) {
                problem(format!(
                    "{} belongs to someone in another trust",
                    email.as_str()
                ));
            }
            if current.emails_archived.contains(email.as_str()) {
                problem(format!(
                    "{} belongs to someone who was archived; their history is kept, and a returning colleague needs a new address or an administrator",
                    email.as_str()
                ));
            }
        }
        let mut roles = BTreeSet::new();
        for part in row.roles.split([';', ',']).filter(|p| !p.trim().is_empty()) {
            match parse_role(part) {
                Some(role) => {
                    roles.insert(role);
                }
                None => problem(format!(
                    "\"{}\" is not a role (leader, coach, line manager, school lead, trust lead, administrator)",
                    part.trim()
                )),
            }
        }
        if roles.is_empty() && !row.roles.split([';', ',']).any(|p| !p.trim().is_empty()) {
            problem("give at least one role".into());
        }
        let school = blank_to_none(&row.school);
        let needs_school = roles.contains(&Role::SchoolLead);
        if school.is_none() && needs_school {
            problem("a school lead needs a school".into());
        }
        let team = blank_to_none(&row.team);
        if team.is_some() && school.is_none() {
            problem("a team belongs to a school: give the school too".into());
        }
        let line_manager = match blank_to_none(&row.line_manager_email) {
            None => None,
            Some(raw) => match Email::parse(&raw) {
                Ok(manager) if Some(&manager) == email.as_ref() => {
                    problem("a person cannot be their own line manager".into());
                    None
                }
                Ok(manager) => Some(manager),
                Err(_) => {
                    problem(format!("line manager: \"{raw}\" is not an email address"));
                    None
                }
            },
        };
        if let (Some(name), Some(email)) = (name, email) {
            wanted.push(WantedPerson {
                line: row.line,
                email,
                name,
                school,
                team,
                roles,
                line_manager,
            });
        }
    }
    // Line managers must be in the file or already in the trust.
    let known: BTreeSet<&str> = wanted
        .iter()
        .map(|w| w.email.as_str())
        .chain(current.people.iter().map(|p| p.email.as_str()))
        .collect();
    for person in &wanted {
        if let Some(manager) = &person.line_manager
            && !known.contains(manager.as_str())
        {
            problems.push(StaffProblem {
                line: person.line,
                message: format!(
                    "line manager {} is not in this file or in the trust",
                    manager.as_str()
                ),
            });
        }
    }
    problems.sort_by_key(|p| p.line);

    let mut changes = Vec::new();
    let schools: BTreeSet<&String> = wanted.iter().filter_map(|w| w.school.as_ref()).collect();
    for school in schools {
        if !current.schools.contains(school) {
            changes.push(StaffChange::AddSchool {
                school: school.clone(),
            });
        }
    }
    let teams: BTreeSet<(String, String)> = wanted
        .iter()
        .filter_map(|w| Some((w.school.clone()?, w.team.clone()?)))
        .collect();
    for team in teams {
        if !current.teams.contains(&team) {
            changes.push(StaffChange::AddTeam {
                school: team.0,
                team: team.1,
            });
        }
    }
    for person in &wanted {
        match current.people.iter().find(|p| p.email == person.email) {
            None => changes.push(StaffChange::AddPerson {
                person: person.clone(),
            }),
            Some(now) => {
                let mut what = Vec::new();
                if now.name != person.name.as_str() {
                    what.push(format!("name {} → {}", now.name, person.name.as_str()));
                }
                if now.school != person.school {
                    what.push(format!(
                        "school {} → {}",
                        now.school.as_deref().unwrap_or("none"),
                        person.school.as_deref().unwrap_or("none")
                    ));
                }
                if now.team != person.team {
                    what.push(format!(
                        "team {} → {}",
                        now.team.as_deref().unwrap_or("none"),
                        person.team.as_deref().unwrap_or("none")
                    ));
                }
                if now.roles != person.roles {
                    let names = |roles: &BTreeSet<Role>| {
                        roles
                            .iter()
                            .map(|r| r.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    };
                    what.push(format!(
                        "roles {} → {}",
                        names(&now.roles),
                        names(&person.roles)
                    ));
                }
                if now.line_manager != person.line_manager {
                    what.push(format!(
                        "line manager {} → {}",
                        now.line_manager.as_ref().map_or("none", Email::as_str),
                        person.line_manager.as_ref().map_or("none", Email::as_str)
                    ));
                }
                if !what.is_empty() {
                    changes.push(StaffChange::UpdatePerson {
                        person: person.clone(),
                        what,
                    });
                }
            }
        }
    }
    let listed: BTreeSet<&str> = wanted.iter().map(|w| w.email.as_str()).collect();
    let not_in_file: Vec<Email> = current
        .people
        .iter()
        .filter(|p| !listed.contains(p.email.as_str()))
        .map(|p| p.email.clone())
        .collect();
    if archive_missing {
        for email in &not_in_file {
            changes.push(StaffChange::Archive {
                email: email.clone(),
            });
        }
    }
    problems.extend(administration_kept(
        &wanted,
        current,
        &not_in_file,
        archive_missing,
    ));
    problems.sort_by_key(|p| p.line);
    StaffPlan {
        changes,
        problems,
        not_in_file,
    }
}

/// The problems that keep a list from removing the trust's administrators: the
/// person applying it may not archive themselves or drop their own
/// administrator role, and at least one administrator must remain.
fn administration_kept(
    wanted: &[WantedPerson],
    current: &CurrentStaff,
    not_in_file: &[Email],
    archive_missing: bool,
) -> Vec<StaffProblem> {
    let mut problems = Vec::new();
    let archived = |email: &Email| archive_missing && not_in_file.contains(email);
    if let Some(me) = &current.acting {
        if archived(me) {
            problems.push(StaffProblem {
                line: WHOLE_LIST,
                message: format!(
                    "you ({}) are not in this list, and \"archive people not in the list\" would archive you: add yourself to the list or leave that choice unticked",
                    me.as_str()
                ),
            });
        }
        let was_administrator = current
            .people
            .iter()
            .any(|p| &p.email == me && p.roles.contains(&Role::Administrator));
        if let Some(row) = wanted.iter().find(|w| &w.email == me)
            && was_administrator
            && !row.roles.contains(&Role::Administrator)
        {
            problems.push(StaffProblem {
                line: row.line,
                message: "this would take away your own administrator role: keep \"administrator\" in your roles (another administrator can change it)".into(),
            });
        }
    }
    let had_administrators = current
        .people
        .iter()
        .any(|p| p.roles.contains(&Role::Administrator));
    let after: usize = current
        .people
        .iter()
        .filter(|p| !archived(&p.email))
        .filter(|p| match wanted.iter().find(|w| w.email == p.email) {
            Some(row) => row.roles.contains(&Role::Administrator),
            None => p.roles.contains(&Role::Administrator),
        })
        .count()
        + wanted
            .iter()
            .filter(|w| w.roles.contains(&Role::Administrator))
            .filter(|w| !current.people.iter().any(|p| p.email == w.email))
            .count();
    if had_administrators && after == 0 {
        problems.push(StaffProblem {
            line: WHOLE_LIST,
            message: "after this list the trust would have no administrator: give at least one person the role \"administrator\"".into(),
        });
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(
        line: usize,
        name: &str,
        email: &str,
        school: &str,
        roles: &str,
        manager: &str,
        team: &str,
    ) -> StaffRow {
        StaffRow {
            line,
            name: name.into(),
            email: email.into(),
            school: school.into(),
            roles: roles.into(),
            line_manager_email: manager.into(),
            team: team.into(),
        }
    }

    fn sheet() -> Vec<StaffRow> {
        vec![
            row(
                2,
                "Amara Okafor",
                "amara@oak.example",
                "Oakwood",
                "leader; school lead; coach",
                "",
                "Senior team",
            ),
            row(
                3,
                "Ben Khan",
                "ben@oak.example",
                "Oakwood",
                "leader, line manager",
                "amara@oak.example",
                "Senior team",
            ),
            row(
                4,
                "Chloe Patel",
                "chloe@oak.example",
                "Oakwood",
                "leader",
                "ben@oak.example",
                "English",
            ),
        ]
    }

    /// The trust after the plan for `rows` was applied.
    fn applied(rows: &[StaffRow]) -> CurrentStaff {
        let plan = plan(rows, &CurrentStaff::default(), false);
        assert!(plan.problems.is_empty(), "{:?}", plan.problems);
        let mut current = CurrentStaff::default();
        for change in plan.changes {
            match change {
                StaffChange::AddSchool { school } => {
                    current.schools.insert(school);
                }
                StaffChange::AddTeam { school, team } => {
                    current.teams.insert((school, team));
                }
                StaffChange::AddPerson { person } => current.people.push(CurrentPerson {
                    email: person.email,
                    name: person.name.as_str().to_owned(),
                    school: person.school,
                    team: person.team,
                    roles: person.roles,
                    line_manager: person.line_manager,
                }),
                other => panic!("unexpected {other:?}"),
            }
        }
        current
    }

    #[test]
    fn a_new_sheet_adds_schools_teams_and_people_and_the_same_sheet_again_adds_nothing() {
        let first = plan(&sheet(), &CurrentStaff::default(), false);
        assert!(first.problems.is_empty(), "{:?}", first.problems);
        let kinds: Vec<&str> = first
            .changes
            .iter()
            .map(|c| match c {
                StaffChange::AddSchool { .. } => "school",
                StaffChange::AddTeam { .. } => "team",
                StaffChange::AddPerson { .. } => "person",
                StaffChange::UpdatePerson { .. } => "update",
                StaffChange::Archive { .. } => "archive",
            })
            .collect();
        assert_eq!(
            kinds,
            ["school", "team", "team", "person", "person", "person"]
        );
        let again = plan(&sheet(), &applied(&sheet()), false);
        assert!(again.is_empty(), "{:?}", again.changes);
        assert!(again.problems.is_empty());
    }

    #[test]
    fn a_changed_row_is_an_update_that_says_what_changes() {
        let current = applied(&sheet());
        let mut changed = sheet();
        changed[2].team = "Mathematics".into();
        changed[2].roles = "leader; coach".into();
        let plan = plan(&changed, &current, false);
        assert_eq!(plan.changes.len(), 2, "{:?}", plan.changes);
        let StaffChange::UpdatePerson { what, .. } = &plan.changes[1] else {
            panic!("{:?}", plan.changes)
        };
        assert_eq!(
            what,
            &["team English → Mathematics", "roles leader → leader, coach"]
        );
    }

    #[test]
    fn every_problem_is_reported_with_its_line() {
        let rows = vec![
            row(2, "", "nobody", "Oakwood", "leader", "", ""),
            row(
                3,
                "Ben Khan",
                "ben@oak.example",
                "Oakwood",
                "headmaster",
                "ben@oak.example",
                "",
            ),
            row(
                4,
                "Ben Again",
                "BEN@oak.example",
                "Oakwood",
                "leader",
                "",
                "",
            ),
            row(
                5,
                "Chloe Patel",
                "chloe@oak.example",
                "",
                "school lead",
                "ghost@oak.example",
                "English",
            ),
            row(6, "Dev", "dev@elsewhere.example", "Oakwood", "", "", ""),
        ];
        let mut current = CurrentStaff::default();
        current
            .emails_elsewhere
            .insert("dev@elsewhere.example".into());
        let plan = plan(&rows, &current, false);
        let lines: Vec<String> = plan.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "row 2: name: Enter your name",
                "row 2: \"nobody\" is not an email address",
                "row 3: \"headmaster\" is not a role (leader, coach, line manager, school lead, trust lead, administrator)",
                "row 3: a person cannot be their own line manager",
                "row 4: ben@oak.example is already on row 3; list each person once",
                "row 5: a school lead needs a school",
                "row 5: a team belongs to a school: give the school too",
                "row 5: line manager ghost@oak.example is not in this file or in the trust",
                "row 6: dev@elsewhere.example belongs to someone in another trust",
                "row 6: give at least one role",
            ]
        );
    }

    #[test]
    fn people_missing_from_the_file_are_listed_and_archived_only_when_asked() {
        let current = applied(&sheet());
        let fewer = &sheet()[..2];
        let listed = plan(fewer, &current, false);
        assert_eq!(listed.not_in_file.len(), 1);
        assert!(listed.changes.is_empty());
        let archived = plan(fewer, &current, true);
        assert_eq!(
            archived.changes,
            [StaffChange::Archive {
                email: Email::parse("chloe@oak.example").unwrap()
            }]
        );
    }

    /// The sheet's trust with Amara as its administrator (and the one applying).
    fn administered() -> (Vec<StaffRow>, CurrentStaff) {
        let mut rows = sheet();
        rows[0].roles = "leader; school lead; coach; administrator".into();
        let mut current = applied(&rows);
        current.acting = Some(Email::parse("amara@oak.example").unwrap());
        (rows, current)
    }

    #[test]
    fn a_list_cannot_take_away_the_appliers_administrator_role() {
        let (mut rows, current) = administered();
        rows[0].roles = "leader".into();
        let refused = plan(&rows, &current, false);
        let lines: Vec<String> = refused.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "after this list the trust would have no administrator: give at least one person the role \"administrator\"",
                "row 2: this would take away your own administrator role: keep \"administrator\" in your roles (another administrator can change it)",
            ]
        );
        // Handing the role to someone else still may not demote oneself...
        rows[1].roles = "leader; administrator".into();
        let handed = plan(&rows, &current, false);
        assert_eq!(handed.problems.len(), 1, "{:?}", handed.problems);
        // ...but from the command line (nobody acting) it may.
        let command_line = CurrentStaff {
            acting: None,
            ..current
        };
        assert!(plan(&rows, &command_line, false).problems.is_empty());
    }

    #[test]
    fn archiving_people_not_in_the_list_cannot_archive_the_applier_or_the_last_administrator() {
        let (rows, current) = administered();
        let one_row = &rows[1..2];
        let refused = plan(one_row, &current, true);
        let lines: Vec<String> = refused.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "you (amara@oak.example) are not in this list, and \"archive people not in the list\" would archive you: add yourself to the list or leave that choice unticked",
                "after this list the trust would have no administrator: give at least one person the role \"administrator\"",
            ]
        );
        // Without archiving, the same list is fine; so is one that keeps Amara.
        assert!(plan(one_row, &current, false).problems.is_empty());
        assert!(plan(&rows[..2], &current, true).problems.is_empty());
        // From the command line, the last administrator is still kept.
        let command_line = CurrentStaff {
            acting: None,
            ..current
        };
        assert_eq!(plan(one_row, &command_line, true).problems.len(), 1);
    }

    #[test]
    fn roles_are_read_as_people_write_them() {
        assert_eq!(parse_role(" Line Manager "), Some(Role::Coach));
        assert_eq!(parse_role("school_lead"), Some(Role::SchoolLead));
        assert_eq!(parse_role("Trust-Lead"), Some(Role::TrustLead));
        assert_eq!(parse_role("governor"), None);
    }
}
