//! Staff lists from a school's or trust's records, as CSV or as an Excel
//! workbook (XLSX, its first sheet): one row per person with the columns
//! `name, email, school, role, line manager's email, team` (headings in any
//! order and case; `line_manager_email` also works). Reading only: what the
//! rows mean for the trust is [`leadkit_domain::staff::plan`].
//!
//! Every row keeps the number a spreadsheet program shows beside it (the
//! heading is row 1; blank rows count; a cell with line breaks is still one
//! row), so a problem "in row 4" is found in row 4 of the sheet.

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

/// How many rows with something in them may come before the heading row.
const HEADING_WITHIN: usize = 5;

/// Where each column is in a heading row (`usize::MAX`: an optional column
/// left out), or the names of the required columns it lacks.
fn columns(header: &csv::StringRecord) -> Result<[usize; 6], Vec<&'static str>> {
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
    if missing.is_empty() {
        Ok(positions)
    } else {
        Err(missing)
    }
}

fn folded(heading: &str) -> String {
    heading.trim().to_lowercase().replace('_', " ")
}

/// The first bytes of every XLSX file (a zip archive).
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// Whether these bytes are a workbook rather than text.
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(ZIP_MAGIC)
}

/// Reads a staff list as CSV or XLSX, whichever the bytes are.
pub fn read_any(bytes: &[u8]) -> Result<Vec<StaffRow>, ImportError> {
    if is_workbook(bytes) {
        read(xlsx_as_csv(bytes)?.as_bytes())
    } else {
        read(bytes)
    }
}

/// The first sheet of an XLSX workbook as CSV text, one line per row of the
/// sheet from row 1 (so reading it numbers rows as the sheet does). Numbers are
/// written as the sheet shows them without formatting (`12`, not `12.0`).
pub fn xlsx_as_csv(bytes: &[u8]) -> Result<String, ImportError> {
    use calamine::{Data, Reader, Xlsx};
    check_size(bytes.len() as u64)?;
    let unreadable = |why: &dyn std::fmt::Display| {
        ImportError::one(
            None,
            format!("the workbook could not be read ({why}); save it again as .xlsx or .csv"),
        )
    };
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let Some(first) = workbook.sheet_names().first().cloned() else {
        return Err(ImportError::one(None, "the workbook has no sheets"));
    };
    let range = workbook
        .worksheet_range(&first)
        .map_err(|e| unreadable(&e))?;
    let mut out = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    let write_error = |e: csv::Error| unreadable(&e);
    if let Some((top, left)) = range.start() {
        // Rows above the used range are blank rows of the sheet.
        for _ in 0..top {
            out.write_record([""]).map_err(write_error)?;
        }
        for row in range.rows() {
            let mut cells: Vec<String> = (0..left).map(|_| String::new()).collect();
            cells.extend(row.iter().map(|cell| match cell {
                Data::Empty => String::new(),
                Data::String(text) => text.clone(),
                Data::Float(number) if number.fract() == 0.0 && number.abs() < 1e15 => {
                    format!("{number:.0}")
                }
                other => other.to_string(),
            }));
            if cells.iter().all(String::is_empty) {
                cells = vec![String::new()];
            }
            out.write_record(&cells).map_err(write_error)?;
        }
    }
    let bytes = out.into_inner().map_err(|e| unreadable(&e.error()))?;
    String::from_utf8(bytes).map_err(|_| ImportError::one(None, "the workbook's text is not UTF-8"))
}

/// Reads the rows of a staff list. Every problem that stops a row being read is
/// reported with its row; if there is any, no rows are returned.
pub fn read(bytes: &[u8]) -> Result<Vec<StaffRow>, ImportError> {
    check_size(bytes.len() as u64)?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    // The csv reader skips blank lines without counting them, so rows are
    // counted from the byte where each record starts: one more than the line
    // breaks before it, less the breaks inside earlier cells.
    let breaks: Vec<usize> = bytes
        .iter()
        .enumerate()
        .filter_map(|(at, byte)| (*byte == b'\n').then_some(at))
        .collect();
    let mut breaks_in_cells = 0u64;
    let mut row_of = |position: Option<&csv::Position>, record: Option<&csv::StringRecord>| {
        let line = position.map_or(0, |p| {
            // A record's position is where reading it began: after the
            // previous record's end, before any blank lines skipped.
            let mut start = usize::try_from(p.byte()).unwrap_or(usize::MAX);
            while bytes.get(start).is_some_and(|b| *b == b'\n' || *b == b'\r') {
                start += 1;
            }
            breaks.partition_point(|at| *at < start) as u64 + 1
        });
        let row = line.saturating_sub(breaks_in_cells);
        if let Some(record) = record {
            breaks_in_cells += record
                .iter()
                .map(|cell| cell.matches('\n').count() as u64)
                .sum::<u64>();
        }
        row
    };
    let mut records = reader.records();
    // The heading row is the first row with the headings; a few rows above it
    // (a title, a date, blank rows) are passed over.
    let mut first_problem: Option<ImportError> = None;
    let mut rows_above = 0;
    let (header, positions) = loop {
        match records.next() {
            None => {
                return Err(first_problem.unwrap_or_else(|| {
                    ImportError::one(
                        Some(1),
                        "the file is empty: it needs a heading row (name, email, school, role) and a row per person",
                    )
                }));
            }
            Some(Err(error)) => {
                let row = row_of(error.position(), None);
                return Err(ImportError::one(Some(row), csv_message(&error)));
            }
            Some(Ok(record)) => {
                let row = row_of(record.position(), Some(&record));
                if record.iter().all(|cell| cell.trim().is_empty()) {
                    continue;
                }
                match columns(&record) {
                    Ok(positions) => break (record, positions),
                    Err(missing) => {
                        first_problem.get_or_insert_with(|| {
                            ImportError::one(
                                Some(row),
                                format!(
                                    "the heading row needs the columns {} (found: {})",
                                    missing.join(", "),
                                    record.iter().collect::<Vec<_>>().join(", ")
                                ),
                            )
                        });
                        rows_above += 1;
                        if rows_above >= HEADING_WITHIN {
                            return Err(first_problem
                                .unwrap_or_else(|| ImportError::one(Some(row), "no heading row")));
                        }
                    }
                }
            }
        }
    };
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let width = header.len();
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                problems.push(Problem {
                    line: Some(row_of(error.position(), None)),
                    message: csv_message(&error),
                });
                continue;
            }
        };
        let row = row_of(record.position(), Some(&record));
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let beyond = record.iter().skip(width).any(|c| !c.trim().is_empty());
        if record.len() < width || beyond {
            problems.push(Problem {
                line: Some(row),
                message: format!(
                    "this row has {} cells but the heading row has {width}{}",
                    record.len(),
                    if beyond {
                        ": check for a comma in a cell, or a cell beyond the last heading"
                    } else {
                        ""
                    }
                ),
            });
            continue;
        }
        let cell = |slot: usize| record.get(positions[slot]).unwrap_or("").to_owned();
        rows.push(StaffRow {
            line: row as usize,
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
    fn rows_are_numbered_as_a_spreadsheet_numbers_them_even_after_a_cell_with_line_breaks() {
        let sheet = "name,email,school,role\n\
                     \"Amara\nOkafor\",amara@oak.example,Oakwood,leader\n\
                     \n\
                     Ben Khan,ben@oak.example,Oakwood\n\
                     Chloe Davies,chloe@oak.example,Oakwood,leader\n";
        let error = read(sheet.as_bytes()).unwrap_err();
        // Row 1 headings, row 2 Amara (two lines of text), row 3 blank, row 4 Ben.
        assert_eq!(error.problems.len(), 1, "{error}");
        assert_eq!(error.problems[0].line, Some(4), "{error}");
        let fixed = sheet.replace("Oakwood\nChloe", "Oakwood,leader\nChloe");
        let rows = read(fixed.as_bytes()).unwrap();
        assert_eq!(
            rows.iter().map(|r| r.line).collect::<Vec<_>>(),
            vec![2, 4, 5]
        );
    }

    /// A workbook as rust_xlsxwriter writes it, the headings starting at `top`
    /// (0-based) so that rows above are blank.
    fn workbook(top: u32, rows: &[[&str; 4]]) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("Staff").unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if !cell.is_empty() {
                    sheet.write_string(top + r as u32, c as u16, *cell).unwrap();
                }
            }
        }
        sheet.write_number(top + 1, 5, 12.0).unwrap();
        book.save_to_buffer().unwrap()
    }

    #[test]
    fn an_xlsx_workbook_is_read_from_its_first_sheet_with_the_sheets_row_numbers() {
        let bytes = workbook(
            1,
            &[
                ["Name", "Email", "School", "Role"],
                [
                    "Amara Okafor",
                    "amara@oak.example",
                    "Oakwood",
                    "leader; school lead",
                ],
                ["", "", "", ""],
                ["Ben Khan", "ben@oak.example", "Oakwood", "leader"],
            ],
        );
        assert!(is_workbook(&bytes));
        let rows = read_any(&bytes).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].line, rows[1].line), (3, 5));
        assert_eq!(rows[0].roles, "leader; school lead");
        assert_eq!(rows[1].email, "ben@oak.example");

        let broken = workbook(
            0,
            &[
                ["Name", "Email", "School", "Role"],
                ["Amara Okafor", "amara@oak.example", "Oakwood", "leader"],
                ["Ben Khan", "ben@oak.example", "Oakwood", "leader"],
                ["Chloe Davies", "chloe@oak.example", "", ""],
            ],
        );
        let rows = read_any(&broken).unwrap();
        assert_eq!(rows[2].line, 4, "the third person is on row 4 of the sheet");
    }

    #[test]
    fn a_file_that_only_looks_like_a_workbook_gets_a_clear_message() {
        let error = read_any(b"PK\x03\x04 not really a zip").unwrap_err();
        assert!(
            error.to_string().contains("the workbook could not be read"),
            "{error}"
        );
    }

    #[test]
    fn a_huge_file_is_refused_before_it_is_read() {
        let huge = vec![b'a'; (crate::MAX_IMPORT_BYTES + 1) as usize];
        assert!(read(&huge).unwrap_err().to_string().contains("MB"));
    }
}
