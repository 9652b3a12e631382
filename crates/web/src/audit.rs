//! Writing what a signed-in person did to the audit log, as every administration
//! page, the cycles and the insight settings do.

use leadkit_domain::audit::AuditAction;
use leadkit_domain::people::PersonId;
use leadkit_store::audit::AuditRecord;

use crate::auth::SignedIn;
use crate::error::WebError;
use crate::state::AppState;

/// Records `action` by the signed-in person, about `subject` if anyone, now.
pub async fn record(
    state: &AppState,
    me: &SignedIn,
    action: AuditAction,
    subject: Option<PersonId>,
    detail: &str,
) -> Result<(), WebError> {
    state
        .store
        .audit(
            AuditRecord {
                trust: me.person.trust,
                actor: me.person.id,
                action,
                subject,
                detail,
            },
            state.clock.now(),
        )
        .await?;
    Ok(())
}
