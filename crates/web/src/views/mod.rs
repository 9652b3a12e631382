//! View pieces several pages share: components their templates include (the
//! sharing panel) and wordings that must read the same everywhere. Pure, apart
//! from the sharing panel's loader.

pub mod sharing_panel;

pub use sharing_panel::{AudienceView, SharingPanel, sharing_panel};

/// Shown where a framework has no descriptor at a level (the published Toolkit
/// leaves some cells empty; see `toolkit.judgements.md`).
pub const MISSING_DESCRIPTOR: &str = "This descriptor is not in the published toolkit.";

/// A date as people write it: "2 December 2026".
pub fn long_date(date: time::Date) -> String {
    leadkit_domain::cycle::long_date(date)
}

/// A moment as people write it: "2 December 2026, 14:05 UTC".
pub fn moment(at: time::OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{}, {:02}:{:02} UTC",
        long_date(at.date()),
        at.hour(),
        at.minute()
    )
}

/// A reflection's version: when it was saved and what it says, so that two
/// saves within one second still differ.
pub fn reflection_version(reflection: &leadkit_domain::reflection::Reflection) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    hasher.update(
        reflection
            .judgement
            .as_ref()
            .map_or("", |j| j.as_str())
            .as_bytes(),
    );
    hasher.update([0]);
    hasher.update(reflection.note.as_str().as_bytes());
    let digest = hasher.finalize();
    let short: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    let at = reflection
        .updated_at
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    format!("{at}~{short}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_read_as_people_write_them() {
        assert_eq!(
            super::long_date(time::macros::date!(2026 - 12 - 02)),
            "2 December 2026"
        );
        assert_eq!(
            super::moment(time::macros::datetime!(2026-12-02 14:05:59 UTC)),
            "2 December 2026, 14:05 UTC"
        );
    }
}
