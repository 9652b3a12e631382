//! The audit log's vocabulary: what happened, in words that exports and
//! filters can rely on.

/// What happened, in a fixed vocabulary that exports and filters can rely on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    /// Someone read another person's reflections or profile (shared with them).
    ViewedRecords,
    /// An owner shared records.
    Shared,
    /// An owner stopped sharing records.
    Unshared,
    /// An administrator set or removed a coach or line manager.
    RelationshipChanged,
    /// An administrator changed a trust setting.
    SettingChanged,
    /// An administrator (or the trust's retention setting) erased a person.
    Erased,
    /// An administrator imported a staff list.
    StaffImported,
    /// An administrator invited someone.
    Invited,
    /// Someone who left was archived.
    Archived,
    /// An administrator added a person.
    PersonAdded,
    /// Someone archived was given their access back.
    Unarchived,
    /// A coach signed off a person's review of a cycle.
    SignedOff,
    /// A coach withdrew their sign-off while the cycle was open.
    SignOffWithdrawn,
}

impl AuditAction {
    pub const ALL: [AuditAction; 13] = [
        AuditAction::ViewedRecords,
        AuditAction::Shared,
        AuditAction::Unshared,
        AuditAction::RelationshipChanged,
        AuditAction::SettingChanged,
        AuditAction::Erased,
        AuditAction::StaffImported,
        AuditAction::Invited,
        AuditAction::Archived,
        AuditAction::PersonAdded,
        AuditAction::Unarchived,
        AuditAction::SignedOff,
        AuditAction::SignOffWithdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::ViewedRecords => "viewed_records",
            AuditAction::Shared => "shared",
            AuditAction::Unshared => "unshared",
            AuditAction::RelationshipChanged => "relationship_changed",
            AuditAction::SettingChanged => "setting_changed",
            AuditAction::Erased => "erased",
            AuditAction::StaffImported => "staff_imported",
            AuditAction::Invited => "invited",
            AuditAction::Archived => "archived",
            AuditAction::PersonAdded => "person_added",
            AuditAction::Unarchived => "unarchived",
            AuditAction::SignedOff => "signed_off",
            AuditAction::SignOffWithdrawn => "sign_off_withdrawn",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|action| action.as_str() == raw)
    }
}
