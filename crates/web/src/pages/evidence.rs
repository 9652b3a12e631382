//! The evidence portfolio: add a note, a link or a file in seconds, tagged to
//! framework items and goals; list it; download a file (only those allowed);
//! delete it.
//!
//! The upload form is multipart, so it is not behind the anti-forgery
//! middleware (which reads the whole body): [`add`] checks the form's `csrf`
//! field itself, before it reads any file, and streams the file to disk within
//! the size limit, deciding its type from its content.

use askama::Template;
use axum::body::Body;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use leadkit_domain::access::Action;
use leadkit_domain::access::RecordKind;
use leadkit_domain::evidence::{ACCEPTED, EvidenceId, Link, StoredFile, safe_file_name, sniff};
use leadkit_domain::goal::{GoalId, Line};
use leadkit_domain::people::PersonId;
use leadkit_domain::reflection::Note;
use leadkit_store::StoreError;
use leadkit_store::evidence::NewEvidence;
use leadkit_store::files::{FileError, PendingFile};
use leadkit_store::goals::ItemRef;
use serde::Deserialize;

use crate::access::{self, GrantedRecords};
use crate::auth::SignedIn;
use crate::auth::token::same_secret;
use crate::error::WebError;
use crate::forms::invalid;
use crate::forms::{item_ref, optional_date, resolve_item};
use crate::pages::{Page, render};
use crate::state::AppState;
use crate::urls;
use crate::views::{SharingPanel, sharing_panel};

/// The most text a field of the evidence form may carry (a note of 5,000
/// characters of up to 4 bytes, with room to spare).
const TEXT_FIELD_LIMIT: usize = 32 * 1024;

pub struct EvidenceView {
    pub id: i64,
    pub title: String,
    pub on: String,
    pub note: String,
    pub link: Option<String>,
    pub file: Option<(String, String)>,
    pub items: Vec<String>,
    pub goals: Vec<(String, String)>,
    pub delete_url: String,
}

pub struct ItemOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct GoalOption {
    pub id: i64,
    pub title: String,
}

#[derive(Template)]
#[template(path = "evidence/list.html")]
pub struct EvidencePage {
    pub page: Page,
    pub heading: String,
    pub own: bool,
    pub cycle_name: String,
    pub evidence: Vec<EvidenceView>,
    pub items: Vec<ItemOption>,
    pub goals: Vec<GoalOption>,
    pub today: String,
    pub limit_mb: u64,
    pub accepted: &'static str,
    pub sharing: Option<SharingPanel>,
}

#[derive(Deserialize)]
pub struct EvidenceQuery {
    #[serde(default)]
    item: String,
}

/// `GET /evidence`: my portfolio in the current cycle and the form to add to it.
pub async fn list(
    State(state): State<AppState>,
    me: SignedIn,
    Query(query): Query<EvidenceQuery>,
) -> Result<Html<String>, WebError> {
    let id = me.person.id;
    evidence_page(&state, me, id, &query.item).await
}

/// `GET /people/{person}/evidence`: someone's evidence, if they shared it with me.
pub async fn of_person(
    State(state): State<AppState>,
    me: SignedIn,
    Path(person): Path<String>,
) -> Result<Html<String>, WebError> {
    let person = access::person_id(&person)?;
    evidence_page(&state, me, person, "").await
}

async fn evidence_page(
    state: &AppState,
    me: SignedIn,
    person: PersonId,
    preselected: &str,
) -> Result<Html<String>, WebError> {
    let GrantedRecords { owner, cycle, own } = access::records_of(
        state,
        &me,
        person,
        None,
        Action::ReadEvidence,
        RecordKind::Evidence,
    )
    .await?;
    let evidence = state.store.evidence_of(owner.id, cycle.id).await?;
    let goals = state.store.goals_of(owner.id, cycle.id).await?;
    let mut items = Vec::new();
    if own {
        // A tag chosen in advance (from a component page or the profile), from any framework.
        if !preselected.is_empty() {
            if let Ok((stored, item)) = resolve_item(state, preselected) {
                items.push(ItemOption {
                    value: item_ref(&stored.framework, &item.code),
                    label: format!("{}: {} {}", stored.framework.title, item.code, item.title),
                    selected: true,
                });
            }
        }
        if let Some(primary) = state
            .catalog
            .latest(state.config.primary_framework.as_str())
        {
            for item in primary.framework.reflectable_items() {
                let value = item_ref(&primary.framework, &item.code);
                if !items.iter().any(|o| o.value == value) {
                    items.push(ItemOption {
                        value,
                        label: format!("{} {}", item.code, item.title),
                        selected: false,
                    });
                }
            }
        }
    }
    let views = evidence
        .iter()
        .map(|e| EvidenceView {
            id: e.id.0,
            title: e.title.as_str().to_owned(),
            on: e.on.to_string(),
            note: e.note.as_str().to_owned(),
            link: e.link.as_ref().map(|l| l.as_str().to_owned()),
            file: e.file.as_ref().map(|f| {
                (
                    urls::evidence_file(e.id),
                    format!("{} ({} KB)", f.name, f.size.div_ceil(1024)),
                )
            }),
            items: e
                .items
                .iter()
                .map(|i| format!("{} {}", i.code, i.title))
                .collect(),
            goals: e
                .goals
                .iter()
                .filter_map(|id| goals.iter().find(|g| g.id == *id))
                .map(|g| (urls::goal(g.id), g.title.as_str().to_owned()))
                .collect(),
            delete_url: urls::evidence_delete(e.id),
        })
        .collect();
    let sharing = if own {
        Some(sharing_panel(state, &me, &cycle, RecordKind::Evidence).await?)
    } else {
        None
    };
    let heading = if own {
        "My evidence".to_owned()
    } else {
        format!("{}’s evidence", owner.name.as_str())
    };
    render(&EvidencePage {
        page: Page::new(heading.clone(), "evidence", Some(&me)),
        heading,
        own,
        cycle_name: cycle.name,
        evidence: views,
        items,
        goals: goals
            .iter()
            .filter(|_| own)
            .map(|g| GoalOption {
                id: g.id.0,
                title: g.title.as_str().to_owned(),
            })
            .collect(),
        today: state.clock.now().date().to_string(),
        limit_mb: state.files.limit() / (1024 * 1024),
        accepted: ACCEPTED,
        sharing,
    })
}

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

fn file_error(error: FileError) -> WebError {
    WebError::Internal(error.to_string())
}

/// `POST /evidence` (multipart): adds a piece of evidence to my portfolio.
pub async fn add(
    State(state): State<AppState>,
    me: SignedIn,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let posted = read_form(&state, &me, multipart).await?;
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
    // Everything typed is checked before the file is kept.
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
        let (stored, item) = resolve_item(&state, raw)?;
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
    let file = match posted.file {
        None => None,
        Some((name, pending)) => {
            let kind = sniff(&pending.sniff_bytes()).map_err(invalid)?;
            let kept = pending.finish().await.map_err(file_error)?;
            Some(StoredFile {
                name: safe_file_name(&name),
                sha256: kept.sha256,
                size: kept.size,
                media_type: kind.media_type.to_owned(),
            })
        }
    };
    let evidence = NewEvidence {
        title,
        on,
        note,
        link,
        file: file.clone(),
    };
    let saved = state
        .store
        .add_evidence(
            owner.id,
            cycle.id,
            &evidence,
            &items,
            &goals,
            state.clock.now(),
        )
        .await;
    match saved {
        Ok(_) => Ok(Redirect::to(urls::EVIDENCE).into_response()),
        Err(error) => {
            // The row was not written: the file goes too, unless other evidence names it.
            if let Some(file) = &file {
                if !state
                    .store
                    .file_referenced(&file.sha256)
                    .await
                    .unwrap_or(true)
                {
                    let _ = state.files.remove(&file.sha256).await;
                }
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

fn evidence_id(raw: &str) -> Result<EvidenceId, WebError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(EvidenceId)
        .ok_or(WebError::NotFound)
}

/// `GET /evidence/{id}/file`: the file, as an attachment, for its owner or
/// someone they shared their evidence with.
pub async fn file(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    let evidence = match state.store.evidence(evidence_id(&raw)?).await {
        Ok(evidence) => evidence,
        Err(StoreError::NotFound) => return Err(WebError::NotFound),
        Err(error) => return Err(error.into()),
    };
    access::records_of(
        &state,
        &me,
        evidence.owner,
        Some(evidence.cycle),
        Action::ReadEvidence,
        RecordKind::Evidence,
    )
    .await?;
    let stored = evidence.file.ok_or(WebError::NotFound)?;
    let Some(mut opened) = state.files.open(&stored.sha256).await.map_err(file_error)? else {
        return Err(WebError::Internal(format!(
            "the evidence file {} is missing from the evidence folder",
            stored.sha256
        )));
    };
    let mut bytes = Vec::with_capacity(stored.size as usize);
    tokio::io::AsyncReadExt::read_to_end(&mut opened, &mut bytes)
        .await
        .map_err(|error| WebError::Internal(error.to_string()))?;
    let mut response = Response::new(Body::from(bytes));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&stored.media_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    let name = safe_file_name(&stored.name);
    // The plain name for old clients (non-ASCII replaced), and the exact one per RFC 6266.
    let ascii: String = name
        .chars()
        .map(|c| if c.is_ascii() && c != '\\' { c } else { '_' })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    if let Ok(value) = HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    )) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    Ok(response)
}

/// `POST /evidence/{id}/delete`: deletes my evidence, and its file when nothing
/// else names it.
pub async fn delete(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    let evidence = match state.store.evidence(evidence_id(&raw)?).await {
        Ok(evidence) => evidence,
        Err(StoreError::NotFound) => return Err(WebError::NotFound),
        Err(error) => return Err(error.into()),
    };
    let GrantedRecords { owner, cycle, .. } = access::records_of(
        &state,
        &me,
        evidence.owner,
        Some(evidence.cycle),
        Action::WriteGoalsAndEvidence,
        RecordKind::Evidence,
    )
    .await?;
    crate::access::writable(&state, &owner, &cycle).await?;
    if let Some(orphan) = state.store.delete_evidence(evidence.id).await? {
        state.files.remove(&orphan).await.map_err(file_error)?;
    }
    Ok(Redirect::to(urls::EVIDENCE).into_response())
}
