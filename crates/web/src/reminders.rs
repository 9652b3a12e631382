//! Email reminders: once a day at most, a person with open actions, or a
//! checkpoint they have not recorded, falling due in the next week gets one
//! plain-text digest, with a link that stops them.
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
    let mut people = state.store.people_with_actions_due(today, until).await?;
    people.extend(
        state
            .store
            .people_with_checkpoints_due(today, until)
            .await?,
    );
    people.sort();
    people.dedup();
    for person in people {
        if !state.store.claim_reminder_day(person, today).await? {
            continue;
        }
        let owner = state.store.person(person).await?;
        let goals = state.store.all_goals_of(person).await?;
        let due = due_soon(&goals, today, DAYS_AHEAD);
        let checkpoints = checkpoints_due(state, &owner, today, until).await?;
        if due.is_empty() && checkpoints.is_empty() {
            continue;
        }
        // A fresh unsubscribe link with each digest; the latest one works.
        let token = random_token();
        state
            .store
            .set_unsubscribe_token(person, &hash_token(&token))
            .await?;
        let unsubscribe = format!("{}{}", state.config.public_url, urls::unsubscribe(&token));
        let mut body = format!("Hello {},\n\n", owner.name.as_str());
        if !checkpoints.is_empty() {
            body.push_str(&format!(
                "Checkpoints of your coaching year in the next {DAYS_AHEAD} days: meet your coach, then both record that you agreed.\n\n"
            ));
            for (name, due_on) in &checkpoints {
                body.push_str(&format!(
                    "- {}: {name}\n  {}{}\n",
                    crate::views::long_date(*due_on),
                    state.config.public_url,
                    urls::COACHING
                ));
            }
            body.push('\n');
        }
        if !due.is_empty() {
            body.push_str(&format!(
                "These actions towards your goals fall due in the next {DAYS_AHEAD} days:\n\n"
            ));
        }
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
            subject: match (due.len(), checkpoints.first()) {
                (0, Some((name, _))) => format!("{name}: a checkpoint is due soon"),
                (n, None) => format!("{n} action{} due soon", if n == 1 { "" } else { "s" }),
                (n, Some((name, _))) => format!(
                    "{name} and {n} action{} due soon",
                    if n == 1 { "" } else { "s" }
                ),
            },
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

/// The checkpoints of `owner`'s current cycle due by `until` that they have
/// not recorded: (name, due date).
async fn checkpoints_due(
    state: &AppState,
    owner: &leadkit_domain::people::Person,
    today: time::Date,
    until: time::Date,
) -> Result<Vec<(String, time::Date)>, WebError> {
    let Some(cycle) = state
        .store
        .current_cycle(owner.trust, owner.school, today)
        .await?
    else {
        return Ok(Vec::new());
    };
    let checkpoints = state.store.checkpoints(owner.trust, cycle.id).await?;
    let confirmations = state.store.confirmations(owner.id, cycle.id).await?;
    Ok(
        leadkit_domain::checkpoint::standings(&checkpoints, &confirmations)
            .into_iter()
            .filter(|s| {
                s.leader.is_none() && s.checkpoint.due_on >= today && s.checkpoint.due_on <= until
            })
            .map(|s| (s.checkpoint.name, s.checkpoint.due_on))
            .collect(),
    )
}
