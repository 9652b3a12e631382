//! `/admin/people/invite-all`: everyone who cannot sign in yet and has no
//! working invitation, listed first, then invited in one step. Only the people
//! the administrator saw on the list are invited, even if others were added since.

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use leadkit_store::people::{Access, PersonOverview};

use crate::access;
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::invitations::Sent;
use crate::pages::{Page, render};
use crate::state::AppState;

/// Someone the step would invite.
pub struct Invitee {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub school: String,
    /// "Not invited yet" or "Invitation expired".
    pub why: &'static str,
}

/// What became of each invitation.
pub struct Outcome {
    pub name: String,
    pub email: String,
    /// The link to pass on, when email is not set up.
    pub link: Option<String>,
    /// Why it could not be sent.
    pub failed: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/invite_all.html")]
pub struct InviteAllPage {
    pub page: Page,
    pub invitees: Vec<Invitee>,
    /// After sending: one line per person.
    pub outcomes: Option<Vec<Outcome>>,
    pub emailed: usize,
    pub mail_is_on: bool,
}

/// Whether the step invites `person`: they cannot sign in and have no
/// invitation that still works.
pub fn to_invite(person: &PersonOverview) -> bool {
    matches!(
        person.access,
        Access::NotInvited | Access::Invited { expired: true }
    )
}

fn invitees(people: &[PersonOverview]) -> Vec<Invitee> {
    people
        .iter()
        .filter(|p| to_invite(p))
        .map(|p| Invitee {
            id: p.id.0,
            name: p.name.clone(),
            email: p.email.clone(),
            school: p
                .school
                .as_ref()
                .map_or_else(|| "No school".to_owned(), |(_, name)| name.clone()),
            why: if p.access == Access::NotInvited {
                "Not invited yet"
            } else {
                "Invitation expired"
            },
        })
        .collect()
}

/// `GET /admin/people/invite-all`: who would be invited, and the button.
pub async fn preview(
    State(state): State<AppState>,
    me: SignedIn,
) -> Result<Html<String>, WebError> {
    access::administer(&me)?;
    let people = state
        .store
        .people_overview(me.person.trust, state.clock.now())
        .await?;
    render(&InviteAllPage {
        page: Page::new("Invite everyone not yet invited", "admin", Some(&me)),
        invitees: invitees(&people),
        outcomes: None,
        emailed: 0,
        mail_is_on: state.mailer.is_on(),
    })
}

/// `POST /admin/people/invite-all`: invites each person listed on the preview
/// (`person` fields) who still has no working invitation.
pub async fn send(
    State(state): State<AppState>,
    me: SignedIn,
    crate::extract::Form(pairs): crate::extract::Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    access::administer(&me)?;
    let seen: std::collections::HashSet<i64> = pairs
        .iter()
        .filter(|(name, _)| name == "person")
        .filter_map(|(_, value)| value.trim().parse().ok())
        .collect();
    let people = state
        .store
        .people_overview(me.person.trust, state.clock.now())
        .await?;
    let mut outcomes = Vec::new();
    let mut emailed = 0;
    for listed in people
        .iter()
        .filter(|p| to_invite(p) && seen.contains(&p.id.0))
    {
        let person = match state.store.person(listed.id).await {
            Ok(person) => person,
            // Archived since the list was read: nobody to invite.
            Err(leadkit_store::StoreError::NotFound) => continue,
            Err(error) => return Err(error.into()),
        };
        let sent = crate::invitations::send(&state, &me, &person).await?;
        let (link, failed) = match sent {
            Sent::Emailed => {
                emailed += 1;
                (None, None)
            }
            Sent::Link(link) => (Some(link), None),
            Sent::Failed(why) => (None, Some(why)),
        };
        outcomes.push(Outcome {
            name: listed.name.clone(),
            email: listed.email.clone(),
            link,
            failed,
        });
    }
    let people = state
        .store
        .people_overview(me.person.trust, state.clock.now())
        .await?;
    Ok(render(&InviteAllPage {
        page: Page::new("Invitations sent", "admin", Some(&me)),
        invitees: invitees(&people),
        outcomes: Some(outcomes),
        emailed,
        mail_is_on: state.mailer.is_on(),
    })?
    .into_response())
}
