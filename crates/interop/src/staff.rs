//! Staff lists from a school's or trust's records, as CSV: one row per person with
//! the columns `name, email, school, role, line manager's email, team` (headings
//! in any order and case; `line_manager_email` also works). Reading only: what the
//! rows mean for the trust is [`leadkit_domain::staff::plan`].

use leadkit_domain::staff::StaffRow;

use crate::spreadsheet::csv_message;
use crate::{ImportError, Problem, check_size};

/// The columns, each with the headings accepted for it.
const COLUMNS: [(&str, &[&str]); 6] = [
    ("name", &["name", "full name"]),
    ("email", &["email", "email address"]),
    ("school", &["school"]),
    ("role", &["role", "roles"]),
    (
        "line manager's email",
        &[
            "line manager's email",
            "line manager’s email",
            "line_manager_email",
            "line manager email",
            "line manager",
        ],
    ),
    ("team", &["team"]),
];

fn folded(heading: &str) -> String {
    heading.trim().to_lowercase().replace('_', " ")
}

/// Reads the rows of a staff list. Every problem that stops a row being read is
/// reported with its line; if there is any, no rows are returned.
pub fn read(bytes: &[u8]) -> Result<Vec<StaffRow>, ImportError> {
    check_size(bytes.len() as u64)?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(bytes);
    let header = reader
        .headers()
        .map_err(|error| ImportError::one(Some(1), csv_message(&error)))?
        .clone();
    let mut positions = [0usize; 6];
    let mut missing = Vec::new();
    for (slot, (name, accepted)) in COLUMNS.iter().enumerate() {
        match header
            .iter()
            .position(|h| accepted.iter().any(|a| folded(a) == folded(h)))
        {
            Some(position) => positions[slot] = position,
            None if *name == "team" || *name == "line manager's email" => {
                positions[slot] = usize::MAX;
            }
            None => missing.push(*name),
        }
    }
    if !missing.is_empty() {
        return Err(ImportError::one(
            Some(1),
            format!(
                "the heading row needs the columns {} (found: {})",
                missing.join(", "),
                header.iter().collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                problems.push(Problem {
                    line: error.position().map(|p| p.line()),
                    message: csv_message(&error),
                });
                continue;
            }
        };
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let cell = |slot: usize| record.get(positions[slot]).unwrap_or("").to_owned();
        rows.push(StaffRow {
            line: record.position().map_or(0, |p| p.line()) as usize,
            name: cell(0),
            email: cell(1),
            school: cell(2),
            roles: cell(3),
            line_manager_email: cell(4),
            team: cell(5),
        });
    }
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(ImportError { problems })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    #[test]
    fn headings_in_any_order_and_case_and_blank_lines_are_skipped() {
        let sheet = "\u{feff}Email,Name,Role,School,Line_Manager_Email\n\
                     amara@oak.example,Amara Okafor,leader; school lead,Oakwood,\n\
                     ,,,,\n\
                     ben@oak.example,Ben Khan,leader,Oakwood,amara@oak.example\n";
        let rows = read(sheet.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].line, 4);
        assert_eq!(rows[1].name, "Ben Khan");
        assert_eq!(rows[1].line_manager_email, "amara@oak.example");
        assert_eq!(rows[1].team, "");
    }

    #[test]
    fn missing_columns_ragged_rows_and_bad_utf8_are_named() {
        let error = read(b"name,email\nA,a@b.example\n").unwrap_err();
        assert!(
            error.to_string().contains("needs the columns school, role"),
            "{error}"
        );
        let mut ragged =
            b"name,email,school,role\nA,a@b.example,Oak\nB,b@b.example,Oak,leader\n".to_vec();
        let error = read(&ragged).unwrap_err();
        assert_eq!(error.problems[0].line, Some(2));
        ragged.extend_from_slice(b"C,\xff@b.example,Oak,leader\n");
        let error = read(&ragged).unwrap_err();
        assert!(
            error.to_string().contains("line 4: the text is not UTF-8"),
            "{error}"
        );
    }

    #[test]
    fn a_huge_file_is_refused_before_it_is_read() {
        let huge = vec![b'a'; (crate::MAX_IMPORT_BYTES + 1) as usize];
        assert!(read(&huge).unwrap_err().to_string().contains("MB"));
    }
}
