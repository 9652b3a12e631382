//! A school or trust report's numbers as a table: one row per component, the
//! same numbers as the page and the PDF, written as CSV (the `csv` crate) and
//! as an XLSX workbook (the `rust_xlsxwriter` crate).

/// A table: column headings and rows of cells, each a number or text (a
/// withheld number is the text "withheld", never a blank that reads as 0).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: String,
    pub headings: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Number(u32),
    Text(String),
}

impl Value {
    fn text(&self) -> String {
        match self {
            Value::Number(n) => n.to_string(),
            Value::Text(t) => t.clone(),
        }
    }
}

/// The tables as one CSV file: each table's name on a line of its own, then its
/// headings and rows, then a blank line.
pub fn to_csv(tables: &[Table]) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    for table in tables {
        writer.write_record([&table.name])?;
        writer.write_record(&table.headings)?;
        for row in &table.rows {
            writer.write_record(row.iter().map(|v| csv_safe(&v.text())))?;
        }
        writer.write_record([""])?;
    }
    writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))
}

/// A cell a spreadsheet would run as a formula gets a leading apostrophe.
fn csv_safe(text: &str) -> String {
    leadkit_interop::cells::spreadsheet_safe(text).into_owned()
}

/// The tables as an XLSX workbook, one worksheet each, numbers as numbers.
pub fn to_xlsx(tables: &[Table]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    for table in tables {
        let sheet = workbook.add_worksheet();
        // Sheet names: at most 31 characters, none of []:*?/\.
        let name: String = table
            .name
            .chars()
            .filter(|c| !"[]:*?/\\".contains(*c))
            .take(31)
            .collect();
        sheet.set_name(name)?;
        for (col, heading) in table.headings.iter().enumerate() {
            sheet.write_string_with_format(0, col as u16, heading, &bold)?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (col, value) in row.iter().enumerate() {
                match value {
                    Value::Number(n) => sheet.write_number(r, col as u16, f64::from(*n))?,
                    Value::Text(t) => sheet.write_string(r, col as u16, t)?,
                };
            }
        }
        sheet.set_column_width(1, 48)?;
    }
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            name: "Levels".into(),
            headings: vec!["Code".into(), "Component".into(), "People".into()],
            rows: vec![
                vec![
                    Value::Text("1a i".into()),
                    Value::Text("=HYPERLINK(\"x\")".into()),
                    Value::Number(12),
                ],
                vec![
                    Value::Text("1a ii".into()),
                    Value::Text("Vision, with a comma".into()),
                    Value::Text("withheld".into()),
                ],
            ],
        }
    }

    #[test]
    fn csv_quotes_commas_and_defuses_formulas() {
        let csv = String::from_utf8(to_csv(&[table()]).unwrap()).unwrap();
        assert!(csv.starts_with("Levels\nCode,Component,People\n"));
        assert!(csv.contains("\"'=HYPERLINK(\"\"x\"\")\",12"));
        assert!(csv.contains("\"Vision, with a comma\",withheld"));
    }

    #[test]
    fn xlsx_is_a_zip_workbook() {
        let bytes = to_xlsx(&[table()]).unwrap();
        assert!(bytes.starts_with(b"PK"));
    }
}
