//! What a person is told when someone else changes who supports them. Pure:
//! the wording only.

use crate::access::RelationshipKind;

/// The notice for a person whose coach or line manager an administrator (or
/// an import) changed. `withdrawn`: what they had shared with the previous one
/// was withdrawn, and passes to the new one only when they share it again.
pub fn relationship_changed(kind: RelationshipKind, new: Option<&str>, withdrawn: bool) -> String {
    let label = kind.label();
    let mut text = match new {
        Some(name) => format!("Your {label} is now {name}."),
        None => format!("You no longer have a {label}."),
    };
    if withdrawn {
        match new {
            Some(name) => text.push_str(&format!(
                " What you had shared with your previous {label} is not shared with {name} until you choose to share it again, from Sharing on your profile."
            )),
            None => text.push_str(&format!(
                " What you had shared with your previous {label} is no longer shared."
            )),
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_coach_is_named_and_withdrawn_sharing_is_explained() {
        assert_eq!(
            relationship_changed(RelationshipKind::Coach, Some("Ben Khan"), true),
            "Your coach is now Ben Khan. What you had shared with your previous coach is not shared with Ben Khan until you choose to share it again, from Sharing on your profile."
        );
        assert_eq!(
            relationship_changed(RelationshipKind::LineManager, None, false),
            "You no longer have a line manager."
        );
    }
}
