//! The evidence portfolio: notes, files and links, dated, tagged to items of any
//! framework and optionally to goals.
//!
//! A file's type is decided by its content, never by its name: [`sniff`] reads
//! the first bytes and accepts only the kinds on the allow-list, so a program
//! renamed `report.pdf` is refused.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::ValidationError;
use crate::goal::{GoalId, GoalItem, Line};
use crate::people::PersonId;
use crate::reflection::Note;

/// Identifies a piece of evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EvidenceId(pub i64);

impl std::fmt::Display for EvidenceId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A file kept as evidence: stored once under the hex SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredFile {
    /// The name it was uploaded with, for the download (never used as a path).
    pub name: String,
    pub sha256: String,
    pub size: u64,
    pub media_type: String,
}

/// A piece of evidence as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub id: EvidenceId,
    pub owner: PersonId,
    pub cycle: crate::cycle::CycleId,
    pub title: Line,
    pub on: Date,
    pub note: Note,
    pub link: Option<Link>,
    pub file: Option<StoredFile>,
    pub items: Vec<GoalItem>,
    pub goals: Vec<GoalId>,
}

/// A web address given as evidence: http or https only, one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Link(String);

impl Link {
    pub const MAX_CHARS: usize = 2_000;

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let text = raw.trim();
        let bad = || {
            ValidationError::new(
                "link",
                "A link must be a web address starting with https:// or http://.",
            )
        };
        if text.chars().count() > Self::MAX_CHARS {
            return Err(ValidationError::new(
                "link",
                format!("A link can be at most {} characters.", Self::MAX_CHARS),
            ));
        }
        let rest = text
            .strip_prefix("https://")
            .or_else(|| text.strip_prefix("http://"))
            .ok_or_else(bad)?;
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if host.is_empty()
            || text
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>')
        {
            return Err(bad());
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Link {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Link> for String {
    fn from(value: Link) -> Self {
        value.0
    }
}

/// A kind of file the portfolio accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileKind {
    pub media_type: &'static str,
    /// What people call it, for messages: "a PDF document".
    pub description: &'static str,
}

const PDF: FileKind = FileKind {
    media_type: "application/pdf",
    description: "a PDF document",
};
const PNG: FileKind = FileKind {
    media_type: "image/png",
    description: "a PNG image",
};
const JPEG: FileKind = FileKind {
    media_type: "image/jpeg",
    description: "a JPEG photo",
};
const GIF: FileKind = FileKind {
    media_type: "image/gif",
    description: "a GIF image",
};
const WEBP: FileKind = FileKind {
    media_type: "image/webp",
    description: "a WebP image",
};
const DOCX: FileKind = FileKind {
    media_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    description: "a Word document",
};
const XLSX: FileKind = FileKind {
    media_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    description: "an Excel workbook",
};
const PPTX: FileKind = FileKind {
    media_type: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    description: "a PowerPoint presentation",
};
const ODF: FileKind = FileKind {
    media_type: "application/vnd.oasis.opendocument",
    description: "an OpenDocument file",
};
const TEXT: FileKind = FileKind {
    media_type: "text/plain; charset=utf-8",
    description: "a plain text file",
};

/// What the portfolio accepts, for the upload form.
pub const ACCEPTED: &str = "PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG, GIF, WebP or plain text (including CSV)";

/// Decides a file's kind from its bytes. Anything not on the allow-list is
/// refused with a message naming what it looks like when that is known (a
/// program, a web page, an archive).
pub fn sniff(bytes: &[u8]) -> Result<FileKind, ValidationError> {
    let refuse = |what: &str| {
        Err(ValidationError::new(
            "file",
            format!(
                "This file is {what}, whatever its name says, and cannot be kept as evidence. Accepted: {ACCEPTED}."
            ),
        ))
    };
    if bytes.is_empty() {
        return Err(ValidationError::new("file", "The file is empty."));
    }
    if bytes.starts_with(b"MZ") {
        return refuse("a Windows program");
    }
    if bytes.starts_with(b"\x7fELF") {
        return refuse("a Linux program");
    }
    if [
        &[0xfe, 0xed, 0xfa, 0xce][..],
        &[0xfe, 0xed, 0xfa, 0xcf],
        &[0xcf, 0xfa, 0xed, 0xfe],
        &[0xce, 0xfa, 0xed, 0xfe],
        &[0xca, 0xfe, 0xba, 0xbe],
    ]
    .iter()
    .any(|magic| bytes.starts_with(magic))
    {
        return refuse("a macOS or Java program");
    }
    if bytes.starts_with(b"#!") {
        return refuse("a script");
    }
    if bytes.starts_with(b"%PDF-") {
        return Ok(PDF);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(PNG);
    }
    if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        return Ok(JPEG);
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return Ok(GIF);
    }
    if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        return Ok(WEBP);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return sniff_zip(bytes).map_or_else(|| refuse("an archive or unknown package"), Ok);
    }
    // Plain text: valid UTF-8 (with or without a byte-order mark), no NULs, and not
    // markup a browser would run.
    let text = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(text) {
        Ok(text) if !text.contains('\0') => {
            let start: String = text
                .trim_start()
                .chars()
                .take(64)
                .collect::<String>()
                .to_ascii_lowercase();
            if [
                "<!doctype",
                "<html",
                "<script",
                "<svg",
                "<?xml",
                "<body",
                "<iframe",
            ]
            .iter()
            .any(|markup| start.starts_with(markup))
            {
                refuse("a web page or markup")
            } else {
                Ok(TEXT)
            }
        }
        _ => refuse("of a type that is not accepted"),
    }
}

/// Office Open XML and OpenDocument files are zip packages; which one is read
/// from the names of the parts inside.
fn sniff_zip(bytes: &[u8]) -> Option<FileKind> {
    // OpenDocument puts an uncompressed "mimetype" entry first.
    if bytes.get(30..38) == Some(b"mimetype")
        && bytes
            .get(38..38 + 35)
            .is_some_and(|rest| rest.starts_with(b"application/vnd.oasis.opendocument"))
    {
        return Some(ODF);
    }
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|window| window == needle);
    if !has(b"[Content_Types].xml") {
        return None;
    }
    if has(b"word/") {
        Some(DOCX)
    } else if has(b"xl/") {
        Some(XLSX)
    } else if has(b"ppt/") {
        Some(PPTX)
    } else {
        None
    }
}

/// A file name safe to put in a Content-Disposition header: the last path part,
/// without quotes, control characters or backslashes; "evidence" if nothing is left.
pub fn safe_file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"' && *c != ';')
        .take(120)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_owned();
    if cleaned.is_empty() {
        "evidence".to_owned()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_known_by_their_content() {
        assert_eq!(
            sniff(b"%PDF-1.7\n...").unwrap().media_type,
            "application/pdf"
        );
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n....").unwrap().media_type,
            "image/png"
        );
        assert_eq!(
            sniff(&[0xff, 0xd8, 0xff, 0xe0, 0]).unwrap().media_type,
            "image/jpeg"
        );
        assert_eq!(
            sniff(b"RIFF\0\0\0\0WEBPVP8 ").unwrap().media_type,
            "image/webp"
        );
        assert!(
            sniff(b"name,level\nAda,high\n")
                .unwrap()
                .media_type
                .starts_with("text/plain")
        );
        let mut docx = b"PK\x03\x04".to_vec();
        docx.extend_from_slice(&[0; 26]);
        docx.extend_from_slice(b"[Content_Types].xml....word/document.xml");
        assert_eq!(sniff(&docx).unwrap().description, "a Word document");
    }

    #[test]
    fn programs_markup_and_archives_are_refused_whatever_their_name() {
        for (bytes, what) in [
            (&b"MZ\x90\0\x03"[..], "Windows program"),
            (b"\x7fELF\x02\x01", "Linux program"),
            (b"#!/bin/sh\nrm -rf /", "script"),
            (b"<!DOCTYPE html><script>alert(1)</script>", "web page"),
            (b"  <svg onload=alert(1)>", "web page"),
            (b"PK\x03\x04\0\0\0\0payload.exe", "archive"),
            (b"\0\0\0\x18ftypmp42", "not accepted"),
        ] {
            let error = sniff(bytes).unwrap_err();
            assert_eq!(error.field, "file");
            assert!(error.message.contains(what), "{what}: {}", error.message);
        }
        assert!(sniff(b"").unwrap_err().message.contains("empty"));
    }

    #[test]
    fn links_are_web_addresses_only() {
        assert!(Link::parse(" https://example.org/a?b=c ").is_ok());
        for bad in [
            "javascript:alert(1)",
            "ftp://x",
            "https://",
            "https://a b",
            "example.org",
            "https://x/\"onmouseover",
        ] {
            assert!(Link::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn file_names_for_downloads_lose_paths_and_quotes() {
        assert_eq!(safe_file_name("C:\\Users\\ada\\plan.pdf"), "plan.pdf");
        assert_eq!(safe_file_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_file_name("a\"b;c\r\n.pdf"), "abc.pdf");
        assert_eq!(safe_file_name(".."), "evidence");
    }
}
