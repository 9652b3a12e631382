//! View pieces several pages share: components their templates include (the
//! sharing panel) and wordings that must read the same everywhere. Pure, apart
//! from the sharing panel's loader.

pub mod sharing_panel;

pub use sharing_panel::{AudienceView, SharingPanel, sharing_panel};

/// Shown where a framework has no descriptor at a level (the published Toolkit
/// leaves some cells empty; see `toolkit.judgements.md`).
pub const MISSING_DESCRIPTOR: &str = "This descriptor is not in the published toolkit.";
