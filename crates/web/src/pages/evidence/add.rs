//! `POST /evidence/upload` (multipart): adding a note, a link or a file. The file
//! streams to a temporary file, kept only when everything else is right. A
//! refusal shows the portfolio page again (422) with every field as the person
//! left it and each problem beside its field.

use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use leadkit_domain::ValidationError;
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
use crate::forms::resolve_item;
use crate::pages::{Page, render};
use crate::state::AppState;
use crate::urls;

use super::file_error;
use super::{FormState, load, view};

/// The most text a field of the evidence form may carry (a note of 5,000
/// characters of up to 4 bytes, with room to spare).
const TEXT_FIELD_LIMIT: usize = 32 * 1024;

/// What the evidence form said, as read from the multipart body.
#[derive(Default)]
struct Posted {
    csrf: Option<String>,
    /// Whether the token is this session's: when it is not (a page older than
    /// the sign-in, or no session at all), nothing is written and the text is
    /// kept for the person instead (see `crate::kept`).
    genuine: bool,
    title: String,
    on: String,
    note: String,
    link: String,
    items: Vec<String>,
    goals: Vec<String>,
    file: Option<(String, PendingFile)>,
    /// Why the file was refused while it was read (too large), if it was.
    file_refused: Option<String>,
}

impl Posted {
    /// The form as the person left it, with these problems.
    fn as_left(&self, errors: Vec<ValidationError>) -> FormState {
        FormState {
            title: self.title.clone(),
            on: self.on.clone(),
            note: self.note.clone(),
            link: self.link.clone(),
            items: self.items.clone(),
            goals: self.goals.clone(),
            errors: errors.into_iter().map(|e| (e.field, e.message)).collect(),
        }
    }
}

impl Posted {
    /// The text fields as posted, for keeping across a sign-in.
    fn typed(&self) -> Vec<(String, String)> {
        let mut fields = vec![
            ("title".to_owned(), self.title.clone()),
            ("on".to_owned(), self.on.clone()),
            ("note".to_owned(), self.note.clone()),
            ("link".to_owned(), self.link.clone()),
        ];
        fields.extend(self.items.iter().map(|i| ("item".to_owned(), i.clone())));
        fields.extend(self.goals.iter().map(|g| ("goal".to_owned(), g.clone())));
        fields
    }
}

fn multipart_error(error: axum::extract::multipart::MultipartError) -> WebError {
    WebError::BadRequest(format!(
        "The upload could not be read ({}). Nothing was saved.",
        error.body_text()
    ))
}

fn too_large(limit: u64) -> String {
    format!(
        "The file is larger than the limit of {} MB: choose a smaller one",
        limit / (1024 * 1024)
    )
}

/// Reads the form; the file streams to a temporary file, which is removed if
/// anything goes wrong before it is kept.
async fn read_form(
    state: &AppState,
    me: Option<&SignedIn>,
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
            if !posted.genuine {
                // Not this session's form: the file is not written anywhere.
                while field.chunk().await.map_err(multipart_error)?.is_some() {}
                continue;
            }
            if posted.file.is_some() {
                return Err(WebError::BadRequest("Send one file at a time.".into()));
            }
            let mut pending = state.files.begin().await.map_err(file_error)?;
            let mut refused = None;
            while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
                if refused.is_some() {
                    continue; // read past the rest of it, to keep the other fields
                }
                match pending.write(&chunk).await {
                    Ok(()) => {}
                    Err(FileError::TooLarge { limit }) => refused = Some(too_large(limit)),
                    Err(other) => return Err(file_error(other)),
                }
            }
            match refused {
                Some(message) => posted.file_refused = Some(message),
                None => posted.file = Some((file_name, pending)),
            }
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
                posted.genuine = me.is_some_and(|me| same_secret(&me.csrf_token, &text));
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

/// Checks everything typed (the file's content is checked when it is kept);
/// every problem is reported, by field.
fn check(state: &AppState, posted: &Posted) -> Result<Checked, Vec<ValidationError>> {
    let mut errors = Vec::new();
    let link = match posted.link.trim() {
        "" => None,
        raw => Link::parse(raw)
            .map_err(|e| errors.push(ValidationError::new("link", e.message)))
            .ok(),
    };
    let note = Note::parse(&posted.note)
        .map_err(|e| errors.push(ValidationError::new("note", e.message)))
        .unwrap_or_default();
    if let Some(message) = &posted.file_refused {
        errors.push(ValidationError::new("file", message.clone()));
    }
    // A file or a link names the evidence when no title is given.
    let title = match posted.title.trim() {
        "" => posted
            .file
            .as_ref()
            .map(|(name, _)| safe_file_name(name))
            .or_else(|| link.as_ref().map(|l| l.as_str().to_owned()))
            .unwrap_or_default(),
        typed => typed.to_owned(),
    };
    let title = Line::required("title", &title, "a title for the evidence")
        .map_err(|e| errors.push(ValidationError::new("title", e.message)))
        .ok();
    if posted.link.trim().is_empty()
        && posted.file.is_none()
        && posted.file_refused.is_none()
        && posted.note.trim().is_empty()
    {
        errors.push(ValidationError::new("note", "Add a note, a link or a file"));
    }
    let on = match crate::forms::optional_date(&posted.on, "The date") {
        Ok(on) => on.unwrap_or_else(|| state.clock.now().date()),
        Err(error) => {
            errors.push(ValidationError::new("on", error.public_message()));
            state.clock.now().date()
        }
    };
    let mut items = Vec::new();
    for raw in posted.items.iter().filter(|raw| !raw.trim().is_empty()) {
        match resolve_item(state, raw) {
            Ok((stored, item)) => items.push(ItemRef {
                framework: stored.id,
                code: item.code.clone(),
            }),
            Err(error) => errors.push(ValidationError::new("item", error.public_message())),
        }
    }
    let mut goals = Vec::new();
    for raw in posted.goals.iter().filter(|raw| !raw.trim().is_empty()) {
        match raw.trim().parse::<i64>() {
            Ok(id) => goals.push(GoalId(id)),
            Err(_) => errors.push(ValidationError::new("goal", "That goal is not known")),
        }
    }
    match (title, errors.is_empty()) {
        (Some(title), true) => Ok(Checked {
            evidence: NewEvidence {
                title,
                on,
                note,
                link,
                file: None,
            },
            items,
            goals,
        }),
        _ => Err(errors),
    }
}

/// Keeps the uploaded file if its content is of an accepted kind.
async fn keep_file(
    name: &str,
    pending: PendingFile,
) -> Result<Result<StoredFile, ValidationError>, WebError> {
    let kind = match sniff(&pending.sniff_bytes()) {
        Ok(kind) => kind,
        Err(error) => return Ok(Err(ValidationError::new("file", error.message))),
    };
    let kept = pending.finish().await.map_err(file_error)?;
    Ok(Ok(StoredFile {
        name: safe_file_name(name),
        sha256: kept.sha256,
        size: kept.size,
        media_type: kind.media_type.to_owned(),
    }))
}

/// The portfolio page again, 422, with the form as the person left it.
async fn refused(
    state: &AppState,
    me: &SignedIn,
    posted: &Posted,
    errors: Vec<ValidationError>,
) -> Result<Response, WebError> {
    let loaded = load(state, me, me.person.id, "").await?;
    let page = view(&loaded, posted.as_left(errors), |heading| {
        Page::new(heading.to_owned(), "evidence", Some(me))
    });
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
}

/// `POST /evidence` (multipart): adds a piece of evidence to my portfolio.
pub async fn add(
    State(state): State<AppState>,
    crate::auth::MaybeSignedIn(me): crate::auth::MaybeSignedIn,
    headers: axum::http::HeaderMap,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let mut posted = read_form(&state, me.as_ref(), multipart).await?;
    let me = match me {
        Some(me) if posted.genuine => me,
        me => {
            // Signed out, or a page from an earlier sign-in: nothing is kept
            // but the words, which come back into the form after signing in.
            let mut fields = posted.typed();
            fields.extend(posted.csrf.clone().map(|csrf| ("csrf".to_owned(), csrf)));
            return crate::auth::csrf::keep_what_was_typed(
                &state,
                &headers,
                urls::EVIDENCE_UPLOAD,
                me.map(|me| me.person.id),
                &fields,
            )
            .await;
        }
    };
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
    } = match check(&state, &posted) {
        Ok(checked) => checked,
        Err(errors) => return refused(&state, &me, &posted, errors).await,
    };
    if let Some((name, pending)) = posted.file.take() {
        match keep_file(&name, pending).await? {
            Ok(file) => evidence.file = Some(file),
            Err(error) => return refused(&state, &me, &posted, vec![error]).await,
        }
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
            match error {
                StoreError::NotFound => {
                    refused(
                        &state,
                        &me,
                        &posted,
                        vec![ValidationError::new(
                            "goal",
                            "A goal chosen is not yours or no longer exists",
                        )],
                    )
                    .await
                }
                other => Err(other.into()),
            }
        }
    }
}
