//! My calendar and reminders: a private iCalendar feed (a secret URL, shown
//! once, revocable) of my actions' due dates, my check-ins and my cycle's
//! checkpoints, email reminders
//! on or off, and the unsubscribe link reminders carry.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use leadkit_domain::calendar::{CalendarEvent, write};
use serde::Deserialize;

use crate::auth::SignedIn;
use crate::auth::token::{hash_token, random_token};
use crate::error::WebError;
use crate::extract::Form;
use crate::pages::{Page, render};
use crate::state::AppState;
use crate::urls;

#[derive(Template)]
#[template(path = "profile/calendar.html")]
pub struct CalendarPage {
    pub page: Page,
    /// The feed's address, shown once, just after it was made.
    pub new_feed: Option<String>,
    /// When the current feed was made, if there is one.
    pub feed_since: Option<String>,
    pub email_reminders: bool,
    pub mail_on: bool,
}

async fn calendar_page(
    state: &AppState,
    me: &SignedIn,
    new_feed: Option<String>,
) -> Result<Html<String>, WebError> {
    render(&CalendarPage {
        page: Page::new("Calendar and reminders", "profile", Some(me)),
        new_feed,
        feed_since: state
            .store
            .calendar_feed_since(me.person.id)
            .await?
            .map(|at| crate::views::long_date(at.date())),
        email_reminders: state.store.email_reminders(me.person.id).await?,
        mail_on: state.mailer.is_on(),
    })
}

/// `GET /profile/calendar`.
pub async fn show(State(state): State<AppState>, me: SignedIn) -> Result<Html<String>, WebError> {
    calendar_page(&state, &me, None).await
}

#[derive(Deserialize)]
pub struct CalendarForm {
    /// new-feed, revoke-feed, reminders-on or reminders-off.
    action: String,
}

/// `POST /profile/calendar`.
pub async fn save(
    State(state): State<AppState>,
    me: SignedIn,
    Form(form): Form<CalendarForm>,
) -> Result<Response, WebError> {
    let mut new_feed = None;
    match form.action.as_str() {
        "new-feed" => {
            let token = random_token();
            state
                .store
                .set_calendar_token(me.person.id, &hash_token(&token), state.clock.now())
                .await?;
            new_feed = Some(format!(
                "{}{}",
                state.config.public_url,
                urls::calendar_feed(&token)
            ));
        }
        "revoke-feed" => state.store.revoke_calendar_token(me.person.id).await?,
        "reminders-on" => state.store.set_email_reminders(me.person.id, true).await?,
        "reminders-off" => state.store.set_email_reminders(me.person.id, false).await?,
        _ => return Err(WebError::BadRequest("Choose what to change.".into())),
    }
    Ok(calendar_page(&state, &me, new_feed).await?.into_response())
}

/// `GET /calendar/{token}.ics`: the feed, for whoever holds the secret address.
/// An unknown or revoked token is "not found".
pub async fn feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, WebError> {
    let token = file.strip_suffix(".ics").ok_or(WebError::NotFound)?;
    let person = state
        .store
        .person_by_calendar_token(&hash_token(token))
        .await?
        .ok_or(WebError::NotFound)?;
    let goals = state.store.all_goals_of(person).await?;
    let mut events = Vec::new();
    for goal in &goals {
        for action in &goal.actions {
            let Some(date) = action.due_on else { continue };
            events.push(CalendarEvent {
                uid: format!("action-{}@leadkit", action.id),
                date,
                summary: format!(
                    "{}{}",
                    if action.done { "Done: " } else { "Due: " },
                    action.text.as_str()
                ),
                description: format!(
                    "Goal: {}\n{}{}",
                    goal.title.as_str(),
                    state.config.public_url,
                    urls::goal(goal.id)
                ),
            });
        }
        for check in &goal.check_ins {
            events.push(CalendarEvent {
                uid: format!("check-in-{}@leadkit", check.id),
                date: check.on,
                summary: format!("Check-in: {}", goal.title.as_str()),
                description: format!("{} ({})", check.progress.as_str(), check.rag.label()),
            });
        }
    }
    // The checkpoints of the person's current cycle, with where they stand.
    if let Ok(owner) = state.store.person(person).await
        && let Some(cycle) = state
            .store
            .current_cycle(owner.trust, owner.school, state.clock.now().date())
            .await?
    {
        let checkpoints = state.store.checkpoints(owner.trust, cycle.id).await?;
        let confirmations = state.store.confirmations(person, cycle.id).await?;
        for standing in leadkit_domain::checkpoint::standings(&checkpoints, &confirmations) {
            events.push(CalendarEvent {
                uid: format!(
                    "checkpoint-{}-{}@leadkit",
                    standing.checkpoint.id.0, person.0
                ),
                date: standing.checkpoint.due_on,
                summary: format!(
                    "{}Checkpoint: {}",
                    if standing.agreed() { "Agreed: " } else { "" },
                    standing.checkpoint.name
                ),
                description: format!(
                    "Meet your coach and both record that you agreed ({}).\n{}{}",
                    cycle.name,
                    state.config.public_url,
                    urls::COACHING
                ),
            });
        }
    }
    events.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.uid.cmp(&b.uid)));
    let body = write("leadkit: my goals", &events, state.clock.now());
    let mut response = body.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    Ok(response)
}

#[derive(Template)]
#[template(path = "profile/unsubscribed.html")]
pub struct UnsubscribedPage {
    pub page: Page,
    pub done: bool,
}

/// `GET /reminders/unsubscribe/{token}`: stops email reminders, no sign-in needed.
pub async fn unsubscribe(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let done = state
        .store
        .unsubscribe(&hash_token(&token))
        .await?
        .is_some();
    let page = render(&UnsubscribedPage {
        page: Page::anonymous("Reminders"),
        done,
    })?;
    Ok(if done {
        page.into_response()
    } else {
        (axum::http::StatusCode::NOT_FOUND, page).into_response()
    })
}
