//! Coaching: the coach's page for one coachee (their reflection, where shared,
//! beside the coach's own agreed level and comment per component; conversation
//! notes; sign-off of the cycle's review) and the leader's page showing where
//! their coach agrees and where they differ. Both judgements are kept; neither
//! overwrites the other.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use leadkit_domain::access::Action;
use leadkit_domain::access::RecordKind;
use leadkit_domain::cycle::Cycle;
use leadkit_domain::framework::Framework;
use leadkit_domain::people::{Person, PersonId};
use leadkit_domain::reflection::{Judgement, Note};
use leadkit_store::coaching::CoachView;
use leadkit_store::frameworks::StoredFramework;
use leadkit_store::reflections::ReflectionScope;

use crate::access::{self, GrantedRecords};
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::extract::Form;
use crate::forms::{Pairs, field};
use crate::pages::{Page, render};
use crate::state::AppState;
use crate::urls;

pub struct ChoiceView {
    pub code: String,
    pub label: String,
    pub selected: bool,
}

/// One component: the leader's judgement beside the coach's.
pub struct ComparedRow {
    pub code: String,
    pub slug: String,
    pub title: String,
    /// The leader's level and note, or empty when not shared with the coach.
    pub mine: String,
    pub my_note: String,
    pub coach: String,
    pub coach_comment: String,
    /// "agree", "differ" or "" (one side missing).
    pub agreement: &'static str,
    pub choices: Vec<ChoiceView>,
}

pub struct GroupView {
    pub code: String,
    pub slug: String,
    pub title: String,
    pub rows: Vec<ComparedRow>,
}

pub struct NoteView {
    pub author: String,
    pub at: String,
    pub body: String,
}

#[derive(Template)]
#[template(path = "coaching/show.html")]
pub struct CoachingPage {
    pub page: Page,
    pub heading: String,
    /// The coach's page (else the leader's own).
    pub as_coach: bool,
    pub person_name: String,
    pub cycle_name: String,
    pub reflections_shared: bool,
    pub groups: Vec<GroupView>,
    pub agreed: usize,
    pub differ: usize,
    pub notes: Vec<NoteView>,
    pub action: String,
    pub signed_off: Option<String>,
    pub editable: bool,
    pub goals_url: Option<String>,
    pub evidence_url: Option<String>,
}

fn judgement_label(framework: &Framework, judgement: Option<&Judgement>) -> String {
    match judgement {
        None => String::new(),
        Some(Judgement::NotYet) => "Not yet".into(),
        Some(Judgement::NotInRole) => "Not in role".into(),
        Some(Judgement::Level(level)) => framework
            .scale
            .as_ref()
            .and_then(|s| s.level(level))
            .map_or_else(|| level.to_string(), |l| l.label.clone()),
    }
}

fn choices(framework: &Framework, selected: Option<&Judgement>) -> Vec<ChoiceView> {
    let mut options = vec![ChoiceView {
        code: String::new(),
        label: "No view yet".into(),
        selected: selected.is_none(),
    }];
    for level in framework.scale.iter().flat_map(|s| s.levels.iter()) {
        let judgement = Judgement::Level(level.code.clone());
        options.push(ChoiceView {
            code: judgement.as_str().to_owned(),
            label: level.label.clone(),
            selected: selected == Some(&judgement),
        });
    }
    for (judgement, label) in [
        (Judgement::NotYet, "Not yet"),
        (Judgement::NotInRole, "Not in role"),
    ] {
        options.push(ChoiceView {
            code: judgement.as_str().to_owned(),
            label: label.into(),
            selected: selected == Some(&judgement),
        });
    }
    options
}

fn primary(state: &AppState) -> Result<&std::sync::Arc<StoredFramework>, WebError> {
    state
        .catalog
        .latest(state.config.primary_framework.as_str())
        .ok_or(WebError::NotFound)
}

async fn page(
    state: &AppState,
    me: &SignedIn,
    owner: &Person,
    cycle: &Cycle,
    as_coach: bool,
) -> Result<Html<String>, WebError> {
    let stored = primary(state)?;
    let framework = &stored.framework;
    let scope = ReflectionScope {
        person: owner.id,
        cycle: cycle.id,
        framework: stored.id,
    };
    // The coach sees the leader's own judgements only where they are shared.
    let reflections_shared = !as_coach
        || access::may(
            state,
            me,
            owner,
            cycle,
            Action::ReadReflections,
            RecordKind::Reflections,
        )
        .await?;
    let reflections = if reflections_shared {
        state.store.reflections(scope).await?
    } else {
        Vec::new()
    };
    let views = state
        .store
        .coach_views(owner.id, cycle.id, stored.id)
        .await?;
    let signed = state.store.signed_off(owner.id, cycle.id).await?;
    let (mut agreed, mut differ) = (0, 0);
    let groups = framework
        .leaf_groups()
        .map(|group| GroupView {
            code: group.code.to_string(),
            slug: group.code.slug(),
            title: group.title.clone(),
            rows: group
                .reflectable_children()
                .map(|item| {
                    let mine = reflections.iter().find(|r| r.item == item.code);
                    let view = views.iter().find(|v| v.item == item.code);
                    let my_judgement = mine.and_then(|r| r.judgement.as_ref());
                    let coach_judgement = view.and_then(|v| v.judgement.as_ref());
                    let agreement = match (my_judgement, coach_judgement) {
                        (Some(a), Some(b)) if a == b => {
                            agreed += 1;
                            "agree"
                        }
                        (Some(_), Some(_)) => {
                            differ += 1;
                            "differ"
                        }
                        _ => "",
                    };
                    ComparedRow {
                        code: item.code.to_string(),
                        slug: item.code.slug(),
                        title: item.title.clone(),
                        mine: judgement_label(framework, my_judgement),
                        my_note: mine.map(|r| r.note.as_str().to_owned()).unwrap_or_default(),
                        coach: judgement_label(framework, coach_judgement),
                        coach_comment: view
                            .map(|v| v.comment.as_str().to_owned())
                            .unwrap_or_default(),
                        agreement,
                        choices: choices(framework, coach_judgement),
                    }
                })
                .collect(),
        })
        .collect();
    let notes = state
        .store
        .conversation_notes(owner.id, cycle.id)
        .await?
        .into_iter()
        .map(|note| NoteView {
            author: note.author_name,
            at: note
                .at
                .format(time::macros::format_description!(
                    "[year]-[month]-[day] [hour]:[minute]"
                ))
                .unwrap_or_default(),
            body: note.body.as_str().to_owned(),
        })
        .collect();
    let heading = if as_coach {
        format!("Coaching {}", owner.name.as_str())
    } else {
        "My coaching".to_owned()
    };
    let goals_shared = as_coach
        && access::may(
            state,
            me,
            owner,
            cycle,
            Action::ReadGoals,
            RecordKind::Goals,
        )
        .await?;
    let evidence_shared = as_coach
        && access::may(
            state,
            me,
            owner,
            cycle,
            Action::ReadEvidence,
            RecordKind::Evidence,
        )
        .await?;
    render(&CoachingPage {
        page: Page::new(heading.clone(), "people", Some(me)),
        heading,
        as_coach,
        person_name: owner.name.as_str().to_owned(),
        cycle_name: cycle.name.clone(),
        reflections_shared,
        groups,
        agreed,
        differ,
        notes,
        action: if as_coach {
            urls::person_coaching(owner.id)
        } else {
            urls::COACHING.to_owned()
        },
        signed_off: signed.map(|s| {
            format!(
                "{} signed off this cycle’s review on {}.",
                s.coach_name,
                s.at.date()
            )
        }),
        editable: cycle.open,
        goals_url: goals_shared.then(|| urls::person_goals(owner.id)),
        evidence_url: evidence_shared.then(|| urls::person_evidence(owner.id)),
    })
}

async fn coachee(state: &AppState, me: &SignedIn, raw: &str) -> Result<GrantedRecords, WebError> {
    let person: PersonId = access::person_id(raw)?;
    // Coaching is the coach's own record about a coachee: allowed by the
    // relationship, not by sharing (which decides what of the leader's they see).
    access::records_of(
        state,
        me,
        person,
        None,
        Action::Coach,
        RecordKind::Reflections,
    )
    .await
}

/// `GET /people/{person}/coaching`: the coach's page for a coachee.
pub async fn show_coachee(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
) -> Result<Html<String>, WebError> {
    let GrantedRecords { owner, cycle, .. } = coachee(&state, &me, &raw).await?;
    page(&state, &me, &owner, &cycle, true).await
}

/// `GET /coaching`: my reflection beside my coach's view, and our notes.
pub async fn show_mine(
    State(state): State<AppState>,
    me: SignedIn,
) -> Result<Html<String>, WebError> {
    let GrantedRecords { owner, cycle, .. } = access::records_of(
        &state,
        &me,
        me.person.id,
        None,
        Action::ReadReflections,
        RecordKind::Reflections,
    )
    .await?;
    page(&state, &me, &owner, &cycle, false).await
}

/// `POST /people/{person}/coaching/views`: the coach's agreed levels and comments,
/// one pair of fields per component (`level:CODE`, `comment:CODE`); only
/// components whose fields changed are saved.
pub async fn save_views(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, WebError> {
    let GrantedRecords { owner, cycle, .. } = coachee(&state, &me, &raw).await?;
    access::writable(&state, &owner, &cycle).await?;
    let stored = primary(&state)?;
    let framework = &stored.framework;
    let existing = state
        .store
        .coach_views(owner.id, cycle.id, stored.id)
        .await?;
    // Check everything first: one bad field saves nothing.
    let mut changes = Vec::new();
    for item in framework.reflectable_items() {
        let slug = item.code.slug();
        let level = field(&pairs, &format!("level:{slug}"));
        let comment = field(&pairs, &format!("comment:{slug}"));
        if level.is_none() && comment.is_none() {
            continue;
        }
        let judgement = match level.unwrap_or("").trim() {
            "" => None,
            raw => Some(
                Judgement::parse(raw)
                    .ok()
                    .filter(|j| match j {
                        Judgement::Level(level) => framework
                            .scale
                            .as_ref()
                            .is_some_and(|s| s.level(level).is_some()),
                        _ => true,
                    })
                    .ok_or_else(|| {
                        WebError::BadRequest(format!(
                            "Choose a level from the list for {}; nothing was saved.",
                            item.code
                        ))
                    })?,
            ),
        };
        let comment = Note::parse(comment.unwrap_or(""))
            .map_err(|error| WebError::BadRequest(format!("{}: {}", item.code, error.message)))?;
        let before = existing.iter().find(|v| v.item == item.code);
        let unchanged = match before {
            Some(view) => view.judgement == judgement && view.comment == comment,
            None => judgement.is_none() && comment.is_empty(),
        };
        if !unchanged {
            changes.push((item.code.clone(), judgement, comment));
        }
    }
    let unknown = pairs.iter().any(|(key, _)| {
        let slug = key
            .strip_prefix("level:")
            .or_else(|| key.strip_prefix("comment:"));
        slug.is_some_and(|slug| framework.find_by_slug(slug).is_none())
    });
    if unknown {
        return Err(WebError::BadRequest(
            "The form names a component the framework does not have; nothing was saved.".into(),
        ));
    }
    let views: Vec<CoachView> = changes
        .into_iter()
        .map(|(item, judgement, comment)| CoachView {
            item,
            coach_name: me.person.name.as_str().to_owned(),
            judgement,
            comment,
        })
        .collect();
    state
        .store
        .save_coach_views(
            owner.id,
            cycle.id,
            stored.id,
            me.person.id,
            &views,
            state.clock.now(),
        )
        .await?;
    Ok(Redirect::to(&urls::person_coaching(owner.id)).into_response())
}

/// `POST /coaching/notes` and `POST /people/{person}/coaching/notes`: a
/// conversation note, by the leader or their coach. Allowed after sign-off.
pub async fn add_my_note(
    State(state): State<AppState>,
    me: SignedIn,
    Form(pairs): Form<Pairs>,
) -> Result<Response, WebError> {
    let GrantedRecords { owner, cycle, .. } = access::records_of(
        &state,
        &me,
        me.person.id,
        None,
        Action::WriteReflections,
        RecordKind::Reflections,
    )
    .await?;
    add_note(&state, &me, &owner, &cycle, &pairs).await?;
    Ok(Redirect::to(&format!("{}#notes", urls::COACHING)).into_response())
}

pub async fn add_coachee_note(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, WebError> {
    let GrantedRecords { owner, cycle, .. } = coachee(&state, &me, &raw).await?;
    add_note(&state, &me, &owner, &cycle, &pairs).await?;
    Ok(Redirect::to(&format!("{}#notes", urls::person_coaching(owner.id))).into_response())
}

async fn add_note(
    state: &AppState,
    me: &SignedIn,
    owner: &Person,
    cycle: &Cycle,
    pairs: &Pairs,
) -> Result<(), WebError> {
    let body = Note::parse(field(pairs, "body").unwrap_or(""))
        .map_err(|error| WebError::BadRequest(error.message))?;
    if body.is_empty() {
        return Err(WebError::BadRequest(
            "Write the note first; nothing was saved.".into(),
        ));
    }
    state
        .store
        .add_conversation_note(
            owner.id,
            cycle.id,
            me.person.id,
            me.person.name.as_str(),
            &body,
            state.clock.now(),
        )
        .await?;
    Ok(())
}

/// `POST /people/{person}/coaching/sign-off`: the coach signs off the cycle's review.
pub async fn sign_off(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    let GrantedRecords { owner, cycle, .. } = coachee(&state, &me, &raw).await?;
    state
        .store
        .sign_off(
            owner.id,
            cycle.id,
            me.person.id,
            me.person.name.as_str(),
            state.clock.now(),
        )
        .await?;
    Ok(Redirect::to(&urls::person_coaching(owner.id)).into_response())
}
