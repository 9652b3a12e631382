//! A person's private calendar as iCalendar (RFC 5545): their actions' due dates
//! and their check-ins, as all-day events.
//!
//! Written here rather than with a crate: the feed needs four properties of one
//! component, and a writer is a few lines, while the iCalendar crates bring a
//! second date library into the binary. Tests read the output back with the
//! `icalendar` crate's parser.

use time::{Date, OffsetDateTime};

/// One all-day event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEvent {
    /// Stable across fetches, so calendar apps update rather than duplicate.
    pub uid: String,
    pub date: Date,
    pub summary: String,
    pub description: String,
}

/// Escapes text for a TEXT value: backslash, semicolon, comma and newlines.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets (never inside a character), CRLF-ended.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

fn date_value(date: Date) -> String {
    format!(
        "{:04}{:02}{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// The whole calendar. `stamp` is when it was generated (DTSTAMP).
pub fn write(name: &str, events: &[CalendarEvent], stamp: OffsetDateTime) -> String {
    let stamp = stamp.to_offset(time::UtcOffset::UTC);
    let stamp = format!(
        "{}T{:02}{:02}{:02}Z",
        date_value(stamp.date()),
        stamp.hour(),
        stamp.minute(),
        stamp.second()
    );
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//leadkit//Growing Great People//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        fold(line, &mut out);
    }
    fold(&format!("X-WR-CALNAME:{}", escape(name)), &mut out);
    for event in events {
        fold("BEGIN:VEVENT", &mut out);
        fold(&format!("UID:{}", escape(&event.uid)), &mut out);
        fold(&format!("DTSTAMP:{stamp}"), &mut out);
        fold(
            &format!("DTSTART;VALUE=DATE:{}", date_value(event.date)),
            &mut out,
        );
        fold(
            &format!(
                "DTEND;VALUE=DATE:{}",
                date_value(event.date.next_day().unwrap_or(event.date))
            ),
            &mut out,
        );
        fold(&format!("SUMMARY:{}", escape(&event.summary)), &mut out);
        if !event.description.is_empty() {
            fold(
                &format!("DESCRIPTION:{}", escape(&event.description)),
                &mut out,
            );
        }
        fold("TRANSP:TRANSPARENT", &mut out);
        fold("END:VEVENT", &mut out);
    }
    fold("END:VCALENDAR", &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn text_is_escaped_and_long_lines_are_folded_without_splitting_characters() {
        let event = CalendarEvent {
            uid: "action-1@leadkit".into(),
            date: date!(2026 - 12 - 10),
            summary: "Visit; plan, agree\\ “now”".into(),
            description: format!("{}\nline two", "é".repeat(60)),
        };
        let text = write("My goals", &[event], datetime!(2026-11-23 10:00 UTC));
        assert!(text.contains("SUMMARY:Visit\\; plan\\, agree\\\\ “now”\r\n"));
        assert!(text.contains("DTSTART;VALUE=DATE:20261210\r\n"));
        assert!(text.contains("DTEND;VALUE=DATE:20261211\r\n"));
        assert!(text.contains("DTSTAMP:20261123T100000Z\r\n"));
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{line:?} is {} octets", line.len());
        }
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("DESCRIPTION:{}\\nline two", "é".repeat(60))));
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"));
    }
}
