//! Sending an invitation: a one-time link to choose a first password, by email
//! when the server has it, otherwise handed to the administrator to pass on.
//! Shared by the single invitation and "invite everyone not yet invited".

use leadkit_domain::audit::AuditAction;
use leadkit_domain::people::Person;
use leadkit_store::links::LinkPurpose;
use time::Duration;

use crate::auth::SignedIn;
use crate::auth::token::{hash_token, random_token};
use crate::error::WebError;
use crate::mail::Mail;
use crate::state::AppState;
use crate::urls;

/// How long an invitation works.
pub const INVITATION_LIFETIME: Duration = Duration::days(7);

/// What became of one invitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    /// Emailed.
    Emailed,
    /// Email is not set up: the link, for the administrator to pass on.
    Link(String),
    /// The mail server refused it: why. The link was made but nobody has it.
    Failed(String),
}

/// Makes a new invitation for `person` (an earlier unused one stops working)
/// and sends it. Recorded in the audit log unless sending failed.
pub async fn send(state: &AppState, me: &SignedIn, person: &Person) -> Result<Sent, WebError> {
    let token = random_token();
    state
        .store
        .create_person_link(
            &hash_token(&token),
            LinkPurpose::Invitation,
            person.id,
            state.clock.now() + INVITATION_LIFETIME,
        )
        .await?;
    let link = format!("{}{}", state.config.public_url, urls::welcome(&token));
    let sent = if state.mailer.is_on() {
        let mail = Mail {
            to_name: person.name.as_str().to_owned(),
            to_email: person.email.as_str().to_owned(),
            subject: "You are invited to leadkit".into(),
            body: format!(
                "Hello {},\n\n{} has invited you to leadkit, where you reflect on your leadership and plan your growth. Your reflections are private to you until you choose to share them.\n\nChoose your password here (the link works once, for 7 days):\n\n{link}\n\nIf you did not expect this, you can ignore it.\n",
                person.name.as_str(),
                me.person.name.as_str()
            ),
            unsubscribe: None,
        };
        match state.mailer.send(&mail).await {
            Ok(()) => Sent::Emailed,
            Err(error) => Sent::Failed(error.to_string()),
        }
    } else {
        Sent::Link(link)
    };
    if !matches!(sent, Sent::Failed(_)) {
        let detail = format!("invited {}", person.email.as_str());
        crate::audit::record(state, me, AuditAction::Invited, Some(person.id), &detail).await?;
    }
    Ok(sent)
}
