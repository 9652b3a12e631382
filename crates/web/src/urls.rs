//! Every URL the app links to, built in one place so that links and routes agree.

use leadkit_domain::framework::{FrameworkKey, ItemCode};
use leadkit_domain::people::PersonId;

// Every address the app answers, written once: the router registers these
// patterns (`{name}` marks a segment) and the builders below fill them, so that
// a link and its route cannot disagree. `ALL` lists them for the tests.

pub const HOME: &str = "/";
pub const HEALTHZ: &str = "/healthz";
pub const ASSETS: &str = "/assets/{file}";
/// The service worker, at the top so that its scope is the whole app.
pub const SERVICE_WORKER: &str = "/sw.js";
pub const MANIFEST: &str = "/manifest.webmanifest";
/// What a page not kept on the device shows with no connection.
pub const OFFLINE: &str = "/offline";
pub const OPENAPI: &str = "/api/openapi.json";

pub const SIGN_IN: &str = "/sign-in";
pub const SIGN_OUT: &str = "/sign-out";
pub const SIGN_OUT_EVERYWHERE: &str = "/sign-out-everywhere";
pub const SSO_START: &str = "/sso/{trust}/start";
pub const SSO_CALLBACK: &str = "/sso/callback";
pub const SETUP: &str = "/setup/{token}";
pub const WELCOME: &str = "/welcome/{token}";
pub const PASSWORD_RESET: &str = "/password-reset";
pub const PASSWORD_RESET_LINK: &str = "/password-reset/{token}";

pub const FRAMEWORKS: &str = "/frameworks";
pub const FRAMEWORK: &str = "/frameworks/{key}";
pub const FRAMEWORK_ITEM: &str = "/frameworks/{key}/{item}";
pub const FRAMEWORK_SUGGESTIONS: &str = "/frameworks/{key}/suggestions";

pub const REFLECT: &str = "/reflect";
pub const REFLECT_GROUP: &str = "/reflect/{key}/{group}";

pub const PROFILE: &str = "/profile";
pub const PROFILE_OF: &str = "/profile/{key}";
pub const PROFILE_THROUGH: &str = "/profile/{key}/through/{other}";
pub const PROFILE_REPORT: &str = "/profile/report";
pub const PROFILE_RECORD: &str = "/profile/record";
pub const PROFILE_REPORT_PDF: &str = "/profile/report.pdf";
pub const PROFILE_SHARING: &str = "/profile/sharing";
pub const ADMIN_SESSIONS: &str = "/admin/sessions";
pub const NOTICE_DISMISS: &str = "/notices/{notice}/dismiss";
pub const MY_DATA: &str = "/profile/my-data";
pub const MY_DATA_JSON: &str = "/profile/my-data.json";
pub const CALENDAR_SETTINGS: &str = "/profile/calendar";
pub const CALENDAR_FEED: &str = "/calendar/{file}";
pub const UNSUBSCRIBE: &str = "/reminders/unsubscribe/{token}";

pub const GOALS: &str = "/goals";
pub const NEW_GOAL: &str = "/goals/new";
pub const GOAL: &str = "/goals/{goal}";
pub const GOAL_ACTIONS: &str = "/goals/{goal}/actions";
pub const GOAL_CHECK_INS: &str = "/goals/{goal}/check-ins";
pub const GOAL_REVIEW: &str = "/goals/{goal}/review";
pub const GOAL_CARRY_FORWARD: &str = "/goals/{goal}/carry-forward";

pub const EVIDENCE: &str = "/evidence";
pub const EVIDENCE_UPLOAD: &str = "/evidence/upload";
pub const EVIDENCE_FILE: &str = "/evidence/{id}/file";
pub const EVIDENCE_DELETE: &str = "/evidence/{id}/delete";

pub const COACHING: &str = "/coaching";
pub const COACHING_NOTES: &str = "/coaching/notes";
pub const EXPERTISE: &str = "/expertise";

pub const PEOPLE: &str = "/people";
pub const PERSON_PROFILE: &str = "/people/{person}/profile";
pub const PERSON_PROFILE_OF: &str = "/people/{person}/profile/{key}";
pub const PERSON_GOALS: &str = "/people/{person}/goals";
pub const PERSON_EVIDENCE: &str = "/people/{person}/evidence";
pub const PERSON_COACHING: &str = "/people/{person}/coaching";
pub const PERSON_COACHING_VIEWS: &str = "/people/{person}/coaching/views";
pub const PERSON_COACHING_NOTES: &str = "/people/{person}/coaching/notes";
pub const PERSON_COACHING_SIGN_OFF: &str = "/people/{person}/coaching/sign-off";
pub const PERSON_COACHING_SIGN_OFF_WITHDRAW: &str = "/people/{person}/coaching/sign-off/withdraw";

pub const INSIGHT: &str = "/insight";
pub const INSIGHT_GROWTH: &str = "/insight/growth";
pub const INSIGHT_COMPONENT: &str = "/insight/component";
pub const INSIGHT_PRIORITIES: &str = "/insight/priorities";
pub const INSIGHT_PRIORITIES_CSV: &str = "/insight/priorities.csv";
pub const INSIGHT_REPORT: &str = "/insight/report";
pub const INSIGHT_REPORT_PDF: &str = "/insight/report.pdf";
pub const INSIGHT_REPORT_CSV: &str = "/insight/report.csv";
pub const INSIGHT_REPORT_XLSX: &str = "/insight/report.xlsx";

pub const ADMIN_PEOPLE: &str = "/admin/people";
pub const ADMIN_NEW_PERSON: &str = "/admin/people/new";
pub const ADMIN_IMPORT: &str = "/admin/people/import";
pub const ADMIN_IMPORT_UPLOAD: &str = "/admin/people/import/upload";
pub const ADMIN_INVITE_ALL: &str = "/admin/people/invite-all";
pub const ADMIN_RELATIONSHIPS: &str = "/admin/people/{person}/relationships";
pub const ADMIN_INVITE: &str = "/admin/people/{person}/invite";
pub const ADMIN_ERASE: &str = "/admin/people/{person}/erase";
pub const ADMIN_ARCHIVE: &str = "/admin/people/{person}/archive";
pub const ADMIN_UNARCHIVE: &str = "/admin/people/{person}/unarchive";
pub const ADMIN_SETTINGS: &str = "/admin/settings";
pub const ADMIN_RETENTION: &str = "/admin/retention";
pub const ADMIN_SCHOOLS: &str = "/admin/schools";
pub const ADMIN_SIGN_ON: &str = "/admin/sign-on";
pub const ADMIN_AUDIT: &str = "/admin/audit";
pub const ADMIN_AUDIT_CSV: &str = "/admin/audit.csv";
pub const ADMIN_CYCLES: &str = "/admin/cycles";
pub const ADMIN_CLOSE_CYCLE: &str = "/admin/cycles/{cycle}/close";
pub const ADMIN_CHECKPOINTS: &str = "/admin/cycles/{cycle}/checkpoints";
pub const ADMIN_REMOVE_CHECKPOINT: &str = "/admin/cycles/{cycle}/checkpoints/{checkpoint}/remove";
pub const MY_CHECKPOINT: &str = "/coaching/checkpoints/{checkpoint}";
pub const PERSON_COACHING_RECORD: &str = "/people/{person}/coaching/record";
pub const PERSON_CHECKPOINT: &str = "/people/{person}/coaching/checkpoints/{checkpoint}";
pub const ADMIN_REOPEN_CYCLE: &str = "/admin/cycles/{cycle}/reopen";
pub const ADMIN_INSIGHT_THRESHOLD: &str = "/admin/insight-threshold";

pub const CASE_DOCUMENTS: &str = "/ims/case/v1p1/CFDocuments";
pub const CASE_DOCUMENT: &str = "/ims/case/v1p1/CFDocuments/{id}";
pub const CASE_PACKAGE: &str = "/ims/case/v1p1/CFPackages/{id}";
pub const CASE_ITEM: &str = "/ims/case/v1p1/CFItems/{id}";
pub const CASE_ASSOCIATION: &str = "/ims/case/v1p1/CFAssociations/{id}";
pub const CASE_ITEM_ASSOCIATIONS: &str = "/ims/case/v1p1/CFItemAssociations/{id}";
pub const CASE_RUBRIC: &str = "/ims/case/v1p1/CFRubrics/{id}";

/// Every pattern above (the JSON API's own paths are in its OpenAPI document).
pub const ALL: &[&str] = &[
    HOME,
    HEALTHZ,
    ASSETS,
    SERVICE_WORKER,
    MANIFEST,
    OFFLINE,
    OPENAPI,
    SIGN_IN,
    SIGN_OUT,
    SIGN_OUT_EVERYWHERE,
    SSO_START,
    SSO_CALLBACK,
    SETUP,
    WELCOME,
    PASSWORD_RESET,
    PASSWORD_RESET_LINK,
    FRAMEWORKS,
    FRAMEWORK,
    FRAMEWORK_ITEM,
    FRAMEWORK_SUGGESTIONS,
    REFLECT,
    REFLECT_GROUP,
    PROFILE,
    PROFILE_OF,
    PROFILE_THROUGH,
    PROFILE_REPORT,
    PROFILE_RECORD,
    PROFILE_REPORT_PDF,
    PROFILE_SHARING,
    MY_DATA,
    MY_DATA_JSON,
    CALENDAR_SETTINGS,
    CALENDAR_FEED,
    UNSUBSCRIBE,
    GOALS,
    NEW_GOAL,
    GOAL,
    GOAL_ACTIONS,
    GOAL_CHECK_INS,
    GOAL_REVIEW,
    GOAL_CARRY_FORWARD,
    EVIDENCE,
    EVIDENCE_UPLOAD,
    EVIDENCE_FILE,
    EVIDENCE_DELETE,
    COACHING,
    COACHING_NOTES,
    EXPERTISE,
    PEOPLE,
    PERSON_PROFILE,
    PERSON_PROFILE_OF,
    PERSON_GOALS,
    PERSON_EVIDENCE,
    PERSON_COACHING,
    PERSON_COACHING_VIEWS,
    PERSON_COACHING_NOTES,
    PERSON_COACHING_SIGN_OFF,
    PERSON_COACHING_SIGN_OFF_WITHDRAW,
    INSIGHT,
    INSIGHT_GROWTH,
    INSIGHT_COMPONENT,
    INSIGHT_PRIORITIES,
    INSIGHT_PRIORITIES_CSV,
    INSIGHT_REPORT,
    INSIGHT_REPORT_PDF,
    INSIGHT_REPORT_CSV,
    INSIGHT_REPORT_XLSX,
    ADMIN_PEOPLE,
    ADMIN_NEW_PERSON,
    ADMIN_IMPORT,
    ADMIN_INVITE_ALL,
    ADMIN_IMPORT_UPLOAD,
    ADMIN_RELATIONSHIPS,
    ADMIN_INVITE,
    ADMIN_ERASE,
    NOTICE_DISMISS,
    ADMIN_SESSIONS,
    ADMIN_ARCHIVE,
    ADMIN_UNARCHIVE,
    ADMIN_SETTINGS,
    ADMIN_RETENTION,
    ADMIN_SCHOOLS,
    ADMIN_SIGN_ON,
    ADMIN_AUDIT,
    ADMIN_AUDIT_CSV,
    ADMIN_CYCLES,
    ADMIN_CLOSE_CYCLE,
    ADMIN_REOPEN_CYCLE,
    ADMIN_CHECKPOINTS,
    ADMIN_REMOVE_CHECKPOINT,
    MY_CHECKPOINT,
    PERSON_CHECKPOINT,
    PERSON_COACHING_RECORD,
    ADMIN_INSIGHT_THRESHOLD,
    CASE_DOCUMENTS,
    CASE_DOCUMENT,
    CASE_PACKAGE,
    CASE_ITEM,
    CASE_ASSOCIATION,
    CASE_ITEM_ASSOCIATIONS,
    CASE_RUBRIC,
];

/// Fills a pattern's `{…}` segments with `values`, in order.
pub fn fill(pattern: &str, values: &[&dyn std::fmt::Display]) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut values = values.iter();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..]
            .find('}')
            .map_or(rest.len(), |at| open + at + 1);
        if let Some(value) = values.next() {
            out.push_str(&value.to_string());
        }
        rest = &rest[close.min(rest.len())..];
    }
    out.push_str(rest);
    out
}

/// Whether `path` (without its query) is an address of `pattern`: the same
/// fixed segments, and a non-empty value for each `{…}` one.
pub fn matches(pattern: &str, path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let (mut a, mut b) = (pattern.split('/'), path.split('/'));
    loop {
        match (a.next(), b.next()) {
            (None, None) => return true,
            (Some(p), Some(s)) if p.starts_with('{') && p.ends_with('}') => {
                if s.is_empty() {
                    return false;
                }
            }
            (Some(p), Some(s)) if p == s => {}
            _ => return false,
        }
    }
}

/// The pattern an address belongs to, if any. As the router does, a fixed
/// segment wins over a `{…}` one ("/goals/new" is not a goal called "new").
pub fn pattern_of(path: &str) -> Option<&'static str> {
    ALL.iter()
        .copied()
        .filter(|pattern| matches(pattern, path))
        .min_by_key(|pattern| pattern.matches('{').count())
}

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
    fill(SETUP, &[&token])
}

pub fn framework(key: &FrameworkKey) -> String {
    fill(FRAMEWORK, &[key])
}

pub fn framework_item(key: &FrameworkKey, code: &ItemCode) -> String {
    fill(FRAMEWORK_ITEM, &[key, &code.slug()])
}

/// My profile against one framework.
pub fn profile_of(key: &FrameworkKey) -> String {
    fill(PROFILE_OF, &[key])
}

/// My profile against `key`, read through `other` by alignment.
pub fn profile_through(key: &FrameworkKey, other: &FrameworkKey) -> String {
    fill(PROFILE_THROUGH, &[key, other])
}

/// Ranked alignment suggestions from `key` to `other`, for administrators.
pub fn suggestions(key: &FrameworkKey, other: &FrameworkKey) -> String {
    format!("{}?target={other}", fill(FRAMEWORK_SUGGESTIONS, &[key]))
}

pub fn reflect_group(key: &FrameworkKey, group: &ItemCode) -> String {
    fill(REFLECT_GROUP, &[key, &group.slug()])
}

pub fn api_reflection(key: &FrameworkKey, item: &ItemCode) -> String {
    format!("/api/me/reflections/{key}/{}", item.slug())
}

/// Someone's profile (readable by those they shared it with).
pub fn person_profile(person: PersonId) -> String {
    fill(PERSON_PROFILE, &[&person.0])
}

/// Someone's profile against a framework.
pub fn person_profile_of(person: PersonId, key: &FrameworkKey) -> String {
    fill(PERSON_PROFILE_OF, &[&person.0, key])
}

/// Where single sign-on with a trust's provider starts.
pub fn sso_start(trust: leadkit_domain::people::TrustId) -> String {
    fill(SSO_START, &[&trust.0])
}

/// An invitation's one-time link.
pub fn welcome(token: &str) -> String {
    fill(WELCOME, &[&token])
}

/// A password reset's one-time link.
pub fn password_reset(token: &str) -> String {
    fill(PASSWORD_RESET_LINK, &[&token])
}

/// Where an administrator sends someone an invitation.
pub fn admin_invite(person: PersonId) -> String {
    fill(ADMIN_INVITE, &[&person.0])
}

/// Where an administrator erases someone.
pub fn admin_erase(person: PersonId) -> String {
    fill(ADMIN_ERASE, &[&person.0])
}

pub fn notice_dismiss(notice: i64) -> String {
    fill(NOTICE_DISMISS, &[&notice])
}

pub fn admin_archive(person: PersonId) -> String {
    fill(ADMIN_ARCHIVE, &[&person.0])
}

pub fn admin_unarchive(person: PersonId) -> String {
    fill(ADMIN_UNARCHIVE, &[&person.0])
}

/// Where an administrator sets someone's coach and line manager.
pub fn admin_relationships(person: PersonId) -> String {
    fill(ADMIN_RELATIONSHIPS, &[&person.0])
}

pub fn goal(goal: leadkit_domain::goal::GoalId) -> String {
    fill(GOAL, &[&goal])
}

/// The form for a new goal on an item (`framework|version|code`).
pub fn new_goal(item_ref: &str) -> String {
    format!("{NEW_GOAL}?item={}", query_value(item_ref))
}

pub fn person_goals(person: PersonId) -> String {
    fill(PERSON_GOALS, &[&person.0])
}

pub fn person_evidence(person: PersonId) -> String {
    fill(PERSON_EVIDENCE, &[&person.0])
}

pub fn person_coaching(person: PersonId) -> String {
    fill(PERSON_COACHING, &[&person.0])
}

pub fn evidence_file(evidence: leadkit_domain::evidence::EvidenceId) -> String {
    fill(EVIDENCE_FILE, &[&evidence])
}

pub fn evidence_delete(evidence: leadkit_domain::evidence::EvidenceId) -> String {
    fill(EVIDENCE_DELETE, &[&evidence])
}

/// The evidence form, tagged in advance to an item (`framework|version|code`).
pub fn new_evidence_for(item_ref: &str) -> String {
    format!("{EVIDENCE}?item={}#add", query_value(item_ref))
}

pub fn admin_reopen_cycle(cycle: leadkit_domain::cycle::CycleId) -> String {
    fill(ADMIN_REOPEN_CYCLE, &[&cycle])
}

/// A cycle's checkpoints, for an administrator.
pub fn admin_checkpoints(cycle: leadkit_domain::cycle::CycleId) -> String {
    fill(ADMIN_CHECKPOINTS, &[&cycle])
}

pub fn admin_remove_checkpoint(
    cycle: leadkit_domain::cycle::CycleId,
    checkpoint: leadkit_domain::checkpoint::CheckpointId,
) -> String {
    fill(ADMIN_REMOVE_CHECKPOINT, &[&cycle, &checkpoint])
}

/// Where a leader records that they met their coach at a checkpoint.
pub fn my_checkpoint(checkpoint: leadkit_domain::checkpoint::CheckpointId) -> String {
    fill(MY_CHECKPOINT, &[&checkpoint])
}

/// Where a coach records that they met a coachee at a checkpoint.
pub fn person_checkpoint(
    person: PersonId,
    checkpoint: leadkit_domain::checkpoint::CheckpointId,
) -> String {
    fill(PERSON_CHECKPOINT, &[&person.0, &checkpoint])
}

pub fn admin_close_cycle(cycle: leadkit_domain::cycle::CycleId) -> String {
    fill(ADMIN_CLOSE_CYCLE, &[&cycle])
}

pub fn calendar_feed(token: &str) -> String {
    fill(CALENDAR_FEED, &[&format!("{token}.ics")])
}

pub fn unsubscribe(token: &str) -> String {
    fill(UNSUBSCRIBE, &[&token])
}

/// The expertise directory, searched for a component.
pub fn expertise_for(code: &ItemCode) -> String {
    format!("{EXPERTISE}?q={}", query_value(code.as_str()))
}

pub fn goal_actions(goal: leadkit_domain::goal::GoalId) -> String {
    fill(GOAL_ACTIONS, &[&goal])
}

pub fn goal_check_ins(goal: leadkit_domain::goal::GoalId) -> String {
    fill(GOAL_CHECK_INS, &[&goal])
}

pub fn goal_review(goal: leadkit_domain::goal::GoalId) -> String {
    fill(GOAL_REVIEW, &[&goal])
}

pub fn goal_carry_forward(goal: leadkit_domain::goal::GoalId) -> String {
    fill(GOAL_CARRY_FORWARD, &[&goal])
}

pub fn person_coaching_views(person: PersonId) -> String {
    fill(PERSON_COACHING_VIEWS, &[&person.0])
}

pub fn person_coaching_notes(person: PersonId) -> String {
    fill(PERSON_COACHING_NOTES, &[&person.0])
}

pub fn person_coaching_sign_off(person: PersonId) -> String {
    fill(PERSON_COACHING_SIGN_OFF, &[&person.0])
}

/// One component's trend in insight, with the heatmap's filters.
pub fn insight_component(code: &str, school: &str, role: &str) -> String {
    format!(
        "{INSIGHT_COMPONENT}?item={}&school={}&role={}",
        query_value(code),
        query_value(school),
        query_value(role)
    )
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

    #[test]
    fn builders_fill_their_patterns() {
        let person = PersonId(12);
        let key = FrameworkKey::parse("leadership-toolkit").unwrap();
        let code = ItemCode::parse("1a i").unwrap();
        let goal = leadkit_domain::goal::GoalId(3);
        for (pattern, built) in [
            (FRAMEWORK_ITEM, framework_item(&key, &code)),
            (REFLECT_GROUP, reflect_group(&key, &code)),
            (PERSON_PROFILE_OF, person_profile_of(person, &key)),
            (PROFILE_THROUGH, profile_through(&key, &key)),
            (GOAL, goal_url(goal)),
            (GOAL_CHECK_INS, goal_check_ins(goal)),
            (PERSON_COACHING_SIGN_OFF, person_coaching_sign_off(person)),
            (CALENDAR_FEED, calendar_feed("abc")),
            (FRAMEWORK_SUGGESTIONS, suggestions(&key, &key)),
        ] {
            assert!(matches(pattern, &built), "{built} is not {pattern}");
            assert_eq!(pattern_of(&built), Some(pattern), "{built}");
        }
        assert_eq!(fill(GOAL, &[&goal]), "/goals/3");
        assert_eq!(pattern_of("/goals/new"), Some(NEW_GOAL));
        assert_eq!(pattern_of("/goals/"), None);
        assert_eq!(pattern_of("/nowhere"), None);
        assert!(!matches(GOAL, "/goals/3/actions"));
    }

    fn goal_url(goal: leadkit_domain::goal::GoalId) -> String {
        super::goal(goal)
    }
}
