//! Email reminders: once a day at most, a person with open actions falling due
//! in the next week gets one plain-text digest, with a link that stops them.
//! `leadkit serve` runs [`send_due`] every hour; a day's digest is claimed in the
//! database before it is sent, so two servers never both send it, and a digest
//! that could not be sent is released to be tried again.

use leadkit_domain::goal::due_soon;

use crate::auth::token::{hash_token, random_token};
use crate::error::WebError;
use crate::mail::Mail;
use crate::state::AppState;
use crate::urls;

/// How many days ahead a reminder looks.
pub const DAYS_AHEAD: i64 = 7;

/// What one run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Sent {
    pub sent: usize,
    pub failed: usize,
}

/// Sends today's digests that are due and not yet sent.
pub async fn send_due(state: &AppState) -> Result<Sent, WebError> {
    let mut outcome = Sent::default();
    if !state.mailer.is_on() {
        return Ok(outcome);
    }
    let today = state.clock.now().date();
    let until = today + time::Duration::days(DAYS_AHEAD);
    for person in state.store.people_with_actions_due(today, until).await? {
        if !state.store.claim_reminder_day(person, today).await? {
            continue;
        }
        let owner = state.store.person(person).await?;
        let goals = state.store.all_goals_of(person).await?;
        let due = due_soon(&goals, today, DAYS_AHEAD);
        if due.is_empty() {
            continue;
        }
        // A fresh unsubscribe link with each digest; the latest one works.
        let token = random_token();
        state
            .store
            .set_unsubscribe_token(person, &hash_token(&token))
            .await?;
        let unsubscribe = format!("{}{}", state.config.public_url, urls::unsubscribe(&token));
        let mut body = format!(
            "Hello {},\n\nThese actions towards your goals fall due in the next {DAYS_AHEAD} days:\n\n",
            owner.name.as_str()
        );
        for (goal, action) in &due {
            let due_on = action.due_on.map(|d| d.to_string()).unwrap_or_default();
            body.push_str(&format!(
                "- {due_on}: {} (goal: {})\n  {}{}\n",
                action.text.as_str(),
                goal.title.as_str(),
                state.config.public_url,
                urls::goal(goal.id)
            ));
        }
        body.push_str(&format!(
            "\nYou get at most one of these a day. To stop them, open:\n{unsubscribe}\n"
        ));
        let mail = Mail {
            to_name: owner.name.as_str().to_owned(),
            to_email: owner.email.as_str().to_owned(),
            subject: format!(
                "{} action{} due soon",
                due.len(),
                if due.len() == 1 { "" } else { "s" }
            ),
            body,
            unsubscribe: Some(unsubscribe),
        };
        match state.mailer.send(&mail).await {
            Ok(()) => outcome.sent += 1,
            Err(error) => {
                tracing::warn!(%error, person = person.0, "a reminder could not be sent; it is tried again within the hour");
                state.store.release_reminder_day(person, today).await?;
                outcome.failed += 1;
            }
        }
    }
    Ok(outcome)
}
