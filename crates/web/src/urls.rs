//! Every URL the app links to, built in one place so that links and routes agree.

use leadkit_domain::framework::{FrameworkKey, ItemCode};
use leadkit_domain::people::PersonId;

pub const HOME: &str = "/";
pub const SIGN_IN: &str = "/sign-in";
pub const SIGN_OUT: &str = "/sign-out";
pub const FRAMEWORKS: &str = "/frameworks";
pub const REFLECT: &str = "/reflect";
pub const PROFILE: &str = "/profile";
pub const PROFILE_REPORT: &str = "/profile/report";
pub const PROFILE_REPORT_PDF: &str = "/profile/report.pdf";
pub const INSIGHT_REPORT: &str = "/insight/report";
pub const PROFILE_SHARING: &str = "/profile/sharing";
pub const PEOPLE: &str = "/people";
pub const SSO_CALLBACK: &str = "/sso/callback";
pub const MY_DATA: &str = "/profile/my-data";
pub const MY_DATA_JSON: &str = "/profile/my-data.json";
pub const ADMIN_PEOPLE: &str = "/admin/people";
pub const ADMIN_AUDIT: &str = "/admin/audit";
pub const ADMIN_AUDIT_CSV: &str = "/admin/audit.csv";
pub const OPENAPI: &str = "/api/openapi.json";
pub const GOALS: &str = "/goals";
pub const NEW_GOAL: &str = "/goals/new";
pub const EVIDENCE: &str = "/evidence";
pub const EVIDENCE_UPLOAD: &str = "/evidence/upload";
pub const COACHING: &str = "/coaching";
pub const INSIGHT: &str = "/insight";
pub const EXPERTISE: &str = "/expertise";
pub const ADMIN_CYCLES: &str = "/admin/cycles";
pub const CALENDAR_SETTINGS: &str = "/profile/calendar";

/// Encodes a string for a URL query value.
fn query_value(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for byte in raw.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// The sign-in page, coming back to `next` afterwards.
pub fn sign_in_then(next: &str) -> String {
    if next == HOME || !is_local_path(next) {
        SIGN_IN.to_owned()
    } else {
        format!("{SIGN_IN}?next={}", query_value(next))
    }
}

/// Whether `path` is safe to redirect to after sign-in: a path on this site, never
/// another origin (`//evil.example`, `/\evil`, `https://…`).
pub fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && !path.chars().any(|c| c.is_control() || c == '\\')
}

pub fn setup(token: &str) -> String {
    format!("/setup/{token}")
}

pub fn framework(key: &FrameworkKey) -> String {
    format!("{FRAMEWORKS}/{key}")
}

pub fn framework_item(key: &FrameworkKey, code: &ItemCode) -> String {
    format!("{FRAMEWORKS}/{key}/{}", code.slug())
}

/// My profile against one framework.
pub fn profile_of(key: &FrameworkKey) -> String {
    format!("{PROFILE}/{key}")
}

/// My profile against `key`, read through `other` by alignment.
pub fn profile_through(key: &FrameworkKey, other: &FrameworkKey) -> String {
    format!("{PROFILE}/{key}/through/{other}")
}

/// Ranked alignment suggestions from `key` to `other`, for administrators.
pub fn suggestions(key: &FrameworkKey, other: &FrameworkKey) -> String {
    format!("{FRAMEWORKS}/{key}/suggestions?target={other}")
}

pub fn reflect_group(key: &FrameworkKey, group: &ItemCode) -> String {
    format!("{REFLECT}/{key}/{}", group.slug())
}

pub fn api_reflection(key: &FrameworkKey, item: &ItemCode) -> String {
    format!("/api/me/reflections/{key}/{}", item.slug())
}

/// Someone's profile (readable by those they shared it with).
pub fn person_profile(person: PersonId) -> String {
    format!("/people/{}/profile", person.0)
}

/// Someone's profile against a framework.
pub fn person_profile_of(person: PersonId, key: &FrameworkKey) -> String {
    format!("/people/{}/profile/{key}", person.0)
}

/// Where single sign-on with a trust's provider starts.
pub fn sso_start(trust: leadkit_domain::people::TrustId) -> String {
    format!("/sso/{}/start", trust.0)
}

/// An invitation's one-time link.
pub fn welcome(token: &str) -> String {
    format!("/welcome/{token}")
}

/// A password reset's one-time link.
pub fn password_reset(token: &str) -> String {
    format!("/password-reset/{token}")
}

/// Where an administrator sends someone an invitation.
pub fn admin_invite(person: PersonId) -> String {
    format!("/admin/people/{}/invite", person.0)
}

/// Where an administrator erases someone.
pub fn admin_erase(person: PersonId) -> String {
    format!("/admin/people/{}/erase", person.0)
}

/// Where an administrator sets someone's coach and line manager.
pub fn admin_relationships(person: PersonId) -> String {
    format!("/admin/people/{}/relationships", person.0)
}

pub fn goal(goal: leadkit_domain::goal::GoalId) -> String {
    format!("/goals/{goal}")
}

/// The form for a new goal on an item (`framework|version|code`).
pub fn new_goal(item_ref: &str) -> String {
    format!("{NEW_GOAL}?item={}", query_value(item_ref))
}

pub fn person_goals(person: PersonId) -> String {
    format!("/people/{}/goals", person.0)
}

pub fn person_evidence(person: PersonId) -> String {
    format!("/people/{}/evidence", person.0)
}

pub fn person_coaching(person: PersonId) -> String {
    format!("/people/{}/coaching", person.0)
}

pub fn evidence_file(evidence: leadkit_domain::evidence::EvidenceId) -> String {
    format!("/evidence/{evidence}/file")
}

pub fn evidence_delete(evidence: leadkit_domain::evidence::EvidenceId) -> String {
    format!("/evidence/{evidence}/delete")
}

/// The evidence form, tagged in advance to an item (`framework|version|code`).
pub fn new_evidence_for(item_ref: &str) -> String {
    format!("{EVIDENCE}?item={}#add", query_value(item_ref))
}

pub fn admin_close_cycle(cycle: leadkit_domain::cycle::CycleId) -> String {
    format!("/admin/cycles/{cycle}/close")
}

pub fn calendar_feed(token: &str) -> String {
    format!("/calendar/{token}.ics")
}

pub fn unsubscribe(token: &str) -> String {
    format!("/reminders/unsubscribe/{token}")
}

/// The expertise directory, searched for a component.
pub fn expertise_for(code: &ItemCode) -> String {
    format!("{EXPERTISE}?q={}", query_value(code.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert!(is_local_path("/reflect/leadership-toolkit/1a"));
        for bad in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "evil",
            "/a\nb",
        ] {
            assert!(!is_local_path(bad), "{bad:?}");
        }
        assert_eq!(sign_in_then("//evil.example"), "/sign-in");
        assert_eq!(
            sign_in_then("/reflect/x/1a?y=1 2"),
            "/sign-in?next=/reflect/x/1a%3Fy%3D1%202"
        );
    }
}
