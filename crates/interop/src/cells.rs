//! Cells that people open in a spreadsheet. A value that begins with `=`, `+`,
//! `-`, `@`, a tab or a carriage return would be read by Excel, LibreOffice or
//! Google Sheets as a formula (a formula can fetch a page or run a command), so
//! every CSV file the app writes for people to open passes each cell through
//! [`spreadsheet_safe`], which puts an apostrophe before such a value: the
//! spreadsheet shows the text as typed and runs nothing.
//!
//! The framework sheets (`spreadsheet::export`) are not passed through it: they
//! are made to be imported again, word for word.

use std::borrow::Cow;

/// The text a spreadsheet shows as it is, never as a formula.
pub fn spreadsheet_safe(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Writes one record with every cell made [`spreadsheet_safe`].
pub fn write_safe_record<W: std::io::Write, I, S>(
    writer: &mut csv::Writer<W>,
    record: I,
) -> Result<(), csv::Error>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    writer.write_record(
        record
            .into_iter()
            .map(|cell| spreadsheet_safe(cell.as_ref()).into_owned()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_and_their_disguises_become_text() {
        for formula in [
            "=HYPERLINK(\"https://evil.example\",\"click\")",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
        ] {
            assert_eq!(spreadsheet_safe(formula), format!("'{formula}"));
        }
        for plain in ["Ada Lovelace", "2026-12-02", "12", "a=b", ""] {
            assert_eq!(spreadsheet_safe(plain), plain);
        }
    }

    #[test]
    fn a_written_record_has_every_cell_made_safe() {
        let mut writer = csv::Writer::from_writer(Vec::new());
        write_safe_record(&mut writer, ["=1+1", "fine", "@x"]).unwrap();
        let text = String::from_utf8(writer.into_inner().unwrap()).unwrap();
        assert_eq!(text, "'=1+1,fine,'@x\n");
    }
}
