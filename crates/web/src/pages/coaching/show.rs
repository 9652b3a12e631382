//! `GET /people/{person}/coaching` (the coach's page) and `GET /coaching` (the
//! leader's own): the leader's judgements beside the coach's, and the notes.
//! [`load`] reads; [`view`] compares and shapes, purely.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use leadkit_domain::access::{Action, RecordKind};
use leadkit_domain::cycle::Cycle;
use leadkit_domain::framework::{Framework, Item};
use leadkit_domain::people::Person;
use leadkit_domain::reflection::{Judgement, Reflection};
use leadkit_store::coaching::{CoachView, ConversationNote, SignOff};
use leadkit_store::reflections::ReflectionScope;

use super::{coachee, primary};
use crate::access::{self, GrantedRecords};
use crate::auth::SignedIn;
use crate::error::WebError;
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
    /// What each level means for this component, to read before choosing.
    pub descriptors: Vec<(String, String)>,
}

/// One subdomain in the page's list of them.
pub struct NavGroup {
    pub code: String,
    pub title: String,
    pub url: String,
    pub current: bool,
    /// Components the coach has a view of, of all in the subdomain.
    pub viewed: usize,
    pub total: usize,
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
    /// The subdomain shown (one at a time, as on the reflection page).
    pub groups: Vec<GroupView>,
    pub nav: Vec<NavGroup>,
    pub previous_url: Option<String>,
    pub next_url: Option<String>,
    /// The framework's words before each descriptor ("A leader will").
    pub lead_in: String,
    pub agreed: usize,
    pub differ: usize,
    pub notes: Vec<NoteView>,
    pub action: String,
    pub signed_off: Option<String>,
    pub editable: bool,
    pub goals_url: Option<String>,
    pub evidence_url: Option<String>,
    pub checkpoints: Vec<super::CheckpointView>,
    /// The coach's overall comment on the one-page record (as saved or typed).
    pub record_comment: String,
    pub record_comment_error: Option<String>,
}

/// What the coaching page shows, as loaded for the person asking.
pub struct Loaded<'a> {
    pub framework: &'a Framework,
    pub owner: Person,
    pub cycle: Cycle,
    /// The coach's page (else the leader's own).
    pub as_coach: bool,
    /// Whether the leader's own judgements are shown (always to the leader).
    pub reflections_shared: bool,
    pub reflections: Vec<Reflection>,
    pub views: Vec<CoachView>,
    pub notes: Vec<ConversationNote>,
    pub signed: Option<SignOff>,
    pub goals_shared: bool,
    pub evidence_shared: bool,
    pub checkpoints: Vec<leadkit_domain::checkpoint::Standing>,
    pub today: time::Date,
    pub record_comment: String,
}

pub async fn load<'a>(
    state: &'a AppState,
    me: &SignedIn,
    owner: Person,
    cycle: Cycle,
    as_coach: bool,
) -> Result<Loaded<'a>, WebError> {
    let stored = primary(state)?;
    let scope = ReflectionScope {
        person: owner.id,
        cycle: cycle.id,
        framework: stored.id,
    };
    let kinds = [
        RecordKind::Reflections,
        RecordKind::Goals,
        RecordKind::Evidence,
    ];
    let standing = access::standing(state, me, &owner, &cycle, &kinds).await?;
    // The coach sees the leader's own judgements only where they are shared.
    let reflections_shared =
        !as_coach || standing.may(Action::ReadReflections, RecordKind::Reflections);
    let reflections = match reflections_shared {
        true => state.store.reflections(scope).await?,
        false => Vec::new(),
    };
    let checkpoints = state.store.checkpoints(owner.trust, cycle.id).await?;
    let confirmations = state.store.confirmations(owner.id, cycle.id).await?;
    let record_comment = state
        .store
        .record_summary(owner.id, cycle.id)
        .await?
        .map(|r| r.coach_comment)
        .unwrap_or_default();
    Ok(Loaded {
        record_comment,
        checkpoints: leadkit_domain::checkpoint::standings(&checkpoints, &confirmations),
        today: state.clock.now().date(),
        framework: &stored.framework,
        views: state
            .store
            .coach_views(owner.id, cycle.id, stored.id)
            .await?,
        notes: state.store.conversation_notes(owner.id, cycle.id).await?,
        signed: state.store.signed_off(owner.id, cycle.id).await?,
        goals_shared: as_coach && standing.may(Action::ReadGoals, RecordKind::Goals),
        evidence_shared: as_coach && standing.may(Action::ReadEvidence, RecordKind::Evidence),
        owner,
        cycle,
        as_coach,
        reflections_shared,
        reflections,
    })
}

fn judgement_label(framework: &Framework, judgement: Option<&Judgement>) -> String {
    judgement.map_or_else(String::new, |j| framework.judgement_label(j))
}

/// The coach's choices for one component: no view yet, each level, not yet,
/// not in role.
fn choices(framework: &Framework, selected: Option<&Judgement>) -> Vec<ChoiceView> {
    let mut options = vec![ChoiceView {
        code: String::new(),
        label: "No view yet".into(),
        selected: selected.is_none(),
    }];
    let levels = framework.scale.iter().flat_map(|s| s.levels.iter());
    let judgements = levels
        .map(|level| Judgement::Level(level.code.clone()))
        .chain([Judgement::NotYet, Judgement::NotInRole]);
    for judgement in judgements {
        options.push(ChoiceView {
            code: judgement.as_str().to_owned(),
            label: framework.judgement_label(&judgement),
            selected: selected == Some(&judgement),
        });
    }
    options
}

fn compared_row(loaded: &Loaded, item: &Item) -> ComparedRow {
    let framework = loaded.framework;
    let mine = loaded.reflections.iter().find(|r| r.item == item.code);
    let view = loaded.views.iter().find(|v| v.item == item.code);
    let my_judgement = mine.and_then(|r| r.judgement.as_ref());
    let coach_judgement = view.and_then(|v| v.judgement.as_ref());
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
        agreement: match (my_judgement, coach_judgement) {
            (Some(a), Some(b)) if a == b => "agree",
            (Some(_), Some(_)) => "differ",
            _ => "",
        },
        choices: choices(framework, coach_judgement),
        descriptors: framework
            .scale
            .iter()
            .flat_map(|scale| scale.levels.iter())
            .filter_map(|level| {
                let text = item.descriptor(&level.code).flatten()?;
                Some((level.label.clone(), text.to_owned()))
            })
            .collect(),
    }
}

/// Shapes the coaching page from what was loaded, showing the subdomain named
/// `shown` (the first when none or an unknown one is named). Pure.
pub fn view(loaded: &Loaded, shown: Option<&str>, page: impl FnOnce(&str) -> Page) -> CoachingPage {
    let framework = loaded.framework;
    let owner = &loaded.owner;
    let action = match loaded.as_coach {
        true => urls::person_coaching(owner.id),
        false => urls::COACHING.to_owned(),
    };
    let all: Vec<GroupView> = framework
        .leaf_groups()
        .map(|group| GroupView {
            code: group.code.to_string(),
            slug: group.code.slug(),
            title: group.title.clone(),
            rows: group
                .reflectable_children()
                .map(|item| compared_row(loaded, item))
                .collect(),
        })
        .collect();
    let rows = || all.iter().flat_map(|g| g.rows.iter());
    let agreed = rows().filter(|r| r.agreement == "agree").count();
    let differ = rows().filter(|r| r.agreement == "differ").count();
    let position = shown
        .and_then(|slug| all.iter().position(|g| g.slug == slug))
        .unwrap_or(0);
    let group_url = |group: &GroupView| format!("{action}?group={}", group.slug);
    let nav: Vec<NavGroup> = all
        .iter()
        .enumerate()
        .map(|(index, group)| NavGroup {
            code: group.code.clone(),
            title: group.title.clone(),
            url: group_url(group),
            current: index == position,
            viewed: group.rows.iter().filter(|r| !r.coach.is_empty()).count(),
            total: group.rows.len(),
        })
        .collect();
    let previous_url = position
        .checked_sub(1)
        .and_then(|i| all.get(i))
        .map(group_url);
    let next_url = all.get(position + 1).map(group_url);
    let groups: Vec<GroupView> = all.into_iter().skip(position).take(1).collect();
    let heading = match loaded.as_coach {
        true => format!("Coaching {}", owner.name.as_str()),
        false => "My coaching".to_owned(),
    };
    CoachingPage {
        page: page(&heading),
        heading,
        as_coach: loaded.as_coach,
        person_name: owner.name.as_str().to_owned(),
        cycle_name: loaded.cycle.name.clone(),
        reflections_shared: loaded.reflections_shared,
        agreed,
        differ,
        groups,
        nav,
        previous_url,
        next_url,
        lead_in: framework.descriptor_lead_in.clone(),
        notes: loaded
            .notes
            .iter()
            .map(|note| NoteView {
                author: note.author_name.clone(),
                at: format!(
                    "{}, {}",
                    crate::views::long_date(note.at.date()),
                    note.at
                        .format(time::macros::format_description!("[hour]:[minute]"))
                        .unwrap_or_default()
                ),
                body: note.body.as_str().to_owned(),
            })
            .collect(),
        action,
        signed_off: loaded.signed.as_ref().map(|s| {
            format!(
                "{} signed off this cycle’s review on {}.",
                s.coach_name,
                crate::views::long_date(s.at.date())
            )
        }),
        editable: loaded.cycle.open,
        goals_url: loaded.goals_shared.then(|| urls::person_goals(owner.id)),
        evidence_url: loaded
            .evidence_shared
            .then(|| urls::person_evidence(owner.id)),
        checkpoints: super::checkpoint_views(&loaded.checkpoints, loaded.as_coach, loaded.today),
        record_comment: loaded.record_comment.clone(),
        record_comment_error: None,
    }
}

/// `?group=1a`: which subdomain to show.
#[derive(serde::Deserialize, Default)]
pub struct GroupQuery {
    #[serde(default)]
    group: Option<String>,
}

async fn page(
    state: &AppState,
    me: &SignedIn,
    owner: Person,
    cycle: Cycle,
    as_coach: bool,
    shown: Option<&str>,
) -> Result<Html<String>, WebError> {
    let loaded = load(state, me, owner, cycle, as_coach).await?;
    render(&view(&loaded, shown, |heading| {
        Page::new(heading.to_owned(), "people", Some(me))
    }))
}

/// `GET /people/{person}/coaching`: the coach's page for a coachee.
pub async fn show_coachee(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
    Query(query): Query<GroupQuery>,
) -> Result<Html<String>, WebError> {
    let GrantedRecords { owner, cycle, .. } = coachee(&state, &me, &raw).await?;
    page(&state, &me, owner, cycle, true, query.group.as_deref()).await
}

/// `GET /coaching`: my reflection beside my coach's view, and our notes.
pub async fn show_mine(
    State(state): State<AppState>,
    me: SignedIn,
    Query(query): Query<GroupQuery>,
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
    page(&state, &me, owner, cycle, false, query.group.as_deref()).await
}

#[derive(serde::Deserialize)]
pub struct RecordCommentForm {
    #[serde(default)]
    comment: String,
}

/// `POST /people/{person}/coaching/record`: the coach's overall comment on the
/// coachee's one-page record. A refusal shows the page again with the words.
pub async fn save_record_comment(
    State(state): State<AppState>,
    me: SignedIn,
    Path(raw): Path<String>,
    crate::extract::Form(form): crate::extract::Form<RecordCommentForm>,
) -> Result<axum::response::Response, WebError> {
    use axum::response::IntoResponse;
    let GrantedRecords { owner, cycle, .. } = coachee(&state, &me, &raw).await?;
    match leadkit_domain::reflection::Note::parse(&form.comment) {
        Ok(comment) => {
            state
                .store
                .save_coach_comment(
                    owner.id,
                    cycle.id,
                    me.person.id,
                    me.person.name.as_str(),
                    comment.as_str(),
                    state.clock.now(),
                )
                .await?;
            Ok(axum::response::Redirect::to(&format!(
                "{}#record-comment",
                urls::person_coaching(owner.id)
            ))
            .into_response())
        }
        Err(error) => {
            let loaded = load(&state, &me, owner, cycle, true).await?;
            let mut view = view(&loaded, None, |heading| {
                Page::new(heading.to_owned(), "people", Some(&me))
            });
            view.record_comment = form.comment;
            view.record_comment_error = Some(error.message);
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&view)?).into_response())
        }
    }
}
