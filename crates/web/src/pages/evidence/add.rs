//! `POST /evidence/upload` (multipart): adding a note, a link or a file. The file
//! streams to a temporary file, kept only when everything else is right.

use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use leadkit_domain::access::Action;
use leadkit_domain::access::RecordKind;
use leadkit_domain::evidence::{Link, StoredFile, safe_file_name, sniff};
use leadkit_domain::goal::{GoalId, Line};
use leadkit_domain::reflection::Note;
use leadkit_store::StoreError;
use leadkit_store::evidence::NewEvidence;
use leadkit_store::files::{FileError, PendingFile};
use leadkit_store::goals::ItemRef;

use crate::access::{self, GrantedRecords};
use crate::auth::SignedIn;
use crate::auth::token::same_secret;
use crate::error::WebError;
use crate::forms::invalid;
use crate::forms::{optional_date, resolve_item};
use crate::state::AppState;
use crate::urls;

use super::file_error;

/// The most text a field of the evidence form may carry (a note of 5,000
/// characters of up to 4 bytes, with room to spare).
const TEXT_FIELD_LIMIT: usize = 32 * 1024;

/// What the evidence form said, as read from the multipart body.
#[derive(Default)]
struct Posted {
    csrf: Option<String>,
    title: String,
    on: String,
    note: String,
    link: String,
    items: Vec<String>,
    goals: Vec<String>,
    file: Option<(String, PendingFile)>,
}

fn multipart_error(error: axum::extract::multipart::MultipartError) -> WebError {
    WebError::BadRequest(format!(
        "The upload could not be read ({}). Nothing was saved.",
        error.body_text()
    ))
}

fn too_large(limit: u64) -> WebError {
    WebError::TooLarge(format!(
        "The file is larger than the limit of {} MB. Nothing was saved.",
        limit / (1024 * 1024)
    ))
}

/// Reads the form; the file streams to a temporary file, which is removed if
/// anything goes wrong before it is kept.
async fn read_form(
    state: &AppState,
    me: &SignedIn,
    mut multipart: Multipart,
) -> Result<Posted, WebError> {
    let mut posted = Posted::default();
    while let Some(mut field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name != "csrf" && posted.csrf.is_none() {
            // The token comes first in the form; nothing is read or written without it.
            return Err(WebError::Forgery);
        }
        if name == "file" {
            let file_name = field.file_name().unwrap_or_default().to_owned();
            if file_name.is_empty() {
                // No file chosen: browsers send an empty part.
                while field.chunk().await.map_err(multipart_error)?.is_some() {}
                continue;
            }
            if posted.file.is_some() {
                return Err(WebError::BadRequest("Send one file at a time.".into()));
            }
            let mut pending = state.files.begin().await.map_err(file_error)?;
            while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
                pending.write(&chunk).await.map_err(|error| match error {
                    FileError::TooLarge { limit } => too_large(limit),
                    other => file_error(other),
                })?;
            }
            posted.file = Some((file_name, pending));
            continue;
        }
        let mut text = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
            text.extend_from_slice(&chunk);
            if text.len() > TEXT_FIELD_LIMIT {
                return Err(WebError::TooLarge(
                    "A field of the form is too long. Nothing was saved.".into(),
                ));
            }
        }
        let text = String::from_utf8(text)
            .map_err(|_| WebError::BadRequest("The form is not valid text.".into()))?;
        match name.as_str() {
            "csrf" => {
                if !same_secret(&me.csrf_token, &text) {
                    return Err(WebError::Forgery);
                }
                posted.csrf = Some(text);
            }
            "title" => posted.title = text,
            "on" => posted.on = text,
            "note" => posted.note = text,
            "link" => posted.link = text,
            "item" => posted.items.push(text),
            "goal" => posted.goals.push(text),
            _ => {}
        }
    }
    if posted.csrf.is_none() {
        return Err(WebError::Forgery);
    }
    Ok(posted)
}

/// What the form asks for, checked, before the file is kept.
struct Checked {
    evidence: NewEvidence,
    items: Vec<ItemRef>,
    goals: Vec<GoalId>,
}

/// Checks everything typed (the file's content is checked when it is kept).
fn check(state: &AppState, posted: &Posted) -> Result<Checked, WebError> {
    let link = match posted.link.trim() {
        "" => None,
        raw => Some(Link::parse(raw).map_err(invalid)?),
    };
    let note = Note::parse(&posted.note).map_err(invalid)?;
    let title = match posted.title.trim() {
        "" => posted
            .file
            .as_ref()
            .map(|(name, _)| safe_file_name(name))
            .or_else(|| link.as_ref().map(|l| l.as_str().to_owned()))
            .unwrap_or_default(),
        typed => typed.to_owned(),
    };
    let title = Line::required("title", &title, "a title for the evidence").map_err(invalid)?;
    if link.is_none() && posted.file.is_none() && note.is_empty() {
        return Err(WebError::BadRequest(
            "Add a note, a link or a file; nothing was saved.".into(),
        ));
    }
    let on = optional_date(&posted.on, "The date")?.unwrap_or_else(|| state.clock.now().date());
    let mut items = Vec::new();
    for raw in posted.items.iter().filter(|raw| !raw.trim().is_empty()) {
        let (stored, item) = resolve_item(state, raw)?;
        items.push(ItemRef {
            framework: stored.id,
            code: item.code.clone(),
        });
    }
    let goals = posted
        .goals
        .iter()
        .filter(|raw| !raw.trim().is_empty())
        .map(|raw| {
            raw.trim()
                .parse::<i64>()
                .map(GoalId)
                .map_err(|_| WebError::BadRequest("That goal is not known.".into()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Checked {
        evidence: NewEvidence {
            title,
            on,
            note,
            link,
            file: None,
        },
        items,
        goals,
    })
}

/// Keeps the uploaded file if its content is of an accepted kind.
async fn keep_file(name: &str, pending: PendingFile) -> Result<StoredFile, WebError> {
    let kind = sniff(&pending.sniff_bytes()).map_err(invalid)?;
    let kept = pending.finish().await.map_err(file_error)?;
    Ok(StoredFile {
        name: safe_file_name(name),
        sha256: kept.sha256,
        size: kept.size,
        media_type: kind.media_type.to_owned(),
    })
}

/// `POST /evidence` (multipart): adds a piece of evidence to my portfolio.
pub async fn add(
    State(state): State<AppState>,
    me: SignedIn,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let mut posted = read_form(&state, &me, multipart).await?;
    let GrantedRecords { owner, cycle, .. } = access::records_of(
        &state,
        &me,
        me.person.id,
        None,
        Action::WriteGoalsAndEvidence,
        RecordKind::Evidence,
    )
    .await?;
    crate::access::writable(&state, &owner, &cycle).await?;
    let Checked {
        mut evidence,
        items,
        goals,
    } = check(&state, &posted)?;
    if let Some((name, pending)) = posted.file.take() {
        evidence.file = Some(keep_file(&name, pending).await?);
    }
    let now = state.clock.now();
    let saved = state
        .store
        .add_evidence(owner.id, cycle.id, &evidence, &items, &goals, now)
        .await;
    match saved {
        Ok(_) => Ok(Redirect::to(urls::EVIDENCE).into_response()),
        Err(error) => {
            // The row was not written: the file goes too, unless other evidence names it.
            if let Some(file) = &evidence.file
                && !state
                    .store
                    .file_referenced(&file.sha256)
                    .await
                    .unwrap_or(true)
            {
                let _ = state.files.remove(&file.sha256).await;
            }
            Err(match error {
                StoreError::NotFound => WebError::BadRequest(
                    "A goal or item chosen is not yours or no longer exists; nothing was saved."
                        .into(),
                ),
                other => other.into(),
            })
        }
    }
}
