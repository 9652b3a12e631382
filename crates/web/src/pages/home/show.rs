//! `GET /`: loads what each part of the home page needs (see [`super`]).

use axum::extract::State;
use axum::response::Html;
use leadkit_domain::access::{Action, RecordKind, RelationshipKind};
use leadkit_domain::goal::Goal;
use leadkit_domain::home::{self, NextStep};
use leadkit_domain::people::{PersonId, Role};
use leadkit_domain::reflection::Progress;
use leadkit_store::reflections::ReflectionScope;

use super::{
    HomePage, LeaderView, NoticeView, ProgressTable, SetupView, SupportedRow, due_view,
    goals_words, progress_rows, setup_view, step_view,
};
use crate::access::{self, current_scope};
use crate::auth::{MaybeSignedIn, SignedIn};
use crate::error::WebError;
use crate::pages::{Page, render};
use crate::state::AppState;
use crate::urls;
use crate::views::long_date;

/// `GET /`.
pub async fn show(
    State(state): State<AppState>,
    MaybeSignedIn(signed_in): MaybeSignedIn,
) -> Result<Html<String>, WebError> {
    let primary = state
        .catalog
        .latest(state.config.primary_framework.as_str())
        .ok_or(WebError::NotFound)?;
    let framework = &primary.framework;
    let mut page = HomePage {
        page: Page::new("Home", "home", signed_in.as_ref()),
        framework_title: framework.title.clone(),
        motto: framework.motto.clone(),
        introduction: framework.introduction.first().cloned().unwrap_or_default(),
        framework_url: urls::framework(&framework.key),
        notices: Vec::new(),
        setup: None,
        leader: None,
        supporting: Vec::new(),
        schools: None,
    };
    if let Some(me) = &signed_in {
        page.notices = notices(&state, me).await?;
        if me.person.has_role(Role::Administrator) {
            page.setup = Some(load_setup(&state, me).await?);
        }
        if me.person.has_role(Role::Leader) || !me.person.has_role(Role::Administrator) {
            page.leader = Some(load_leader(&state, me, primary).await?);
        }
        page.supporting = load_supporting(&state, me, primary).await?;
        page.schools = load_progress(&state, me, primary).await?;
    }
    render(&page)
}

async fn notices(state: &AppState, me: &SignedIn) -> Result<Vec<NoticeView>, WebError> {
    Ok(state
        .store
        .notices_for(me.person.id)
        .await?
        .into_iter()
        .map(|notice| NoticeView {
            on: long_date(notice.created_at.date()),
            dismiss_url: urls::notice_dismiss(notice.id),
            body: notice.body,
        })
        .collect())
}

async fn load_setup(state: &AppState, me: &SignedIn) -> Result<SetupView, WebError> {
    let today = state.clock.now().date();
    let schools = state.store.schools(me.person.trust).await?.len();
    let people = state
        .store
        .people_overview(me.person.trust, state.clock.now())
        .await?;
    let cycle = state
        .store
        .current_cycle(me.person.trust, None, today)
        .await?;
    Ok(setup_view(schools, &people, cycle.as_ref(), today))
}

async fn load_leader(
    state: &AppState,
    me: &SignedIn,
    primary: &leadkit_store::frameworks::StoredFramework,
) -> Result<LeaderView, WebError> {
    let today = state.clock.now().date();
    let Some((cycle, scope)) = current_scope(state, me, primary).await? else {
        return Ok(LeaderView {
            cycle_name: None,
            progress: None,
            step: step_view(&NextStep::NoCycle),
            due: Vec::new(),
            coach_note: None,
            agreed_views: 0,
            checkpoint: None,
        });
    };
    let reflections = state.store.reflections(scope).await?;
    let items = primary.framework.reflectable_items().map(|i| &i.code);
    let progress = Progress::of(items, &reflections);
    let goals = state.store.goals_of(me.person.id, cycle.id).await?;
    let step = home::next_step(Some(progress), &goals, today, Some(cycle.ends_on));
    let notes = state
        .store
        .conversation_notes(me.person.id, cycle.id)
        .await?;
    let coach_note = notes
        .iter()
        .filter(|n| n.author != Some(me.person.id))
        .max_by_key(|n| n.at)
        .map(|n| {
            let body = n.body.as_str();
            let excerpt: String = body.chars().take(200).collect();
            let excerpt = if excerpt.len() < body.len() {
                format!("{excerpt}…")
            } else {
                excerpt
            };
            (n.author_name.clone(), long_date(n.at.date()), excerpt)
        });
    let agreed_views = state
        .store
        .coach_views(me.person.id, cycle.id, primary.id)
        .await?
        .iter()
        .filter(|v| v.judgement.is_some())
        .count();
    let checkpoints = state.store.checkpoints(me.person.trust, cycle.id).await?;
    let confirmations = state.store.confirmations(me.person.id, cycle.id).await?;
    let standings = leadkit_domain::checkpoint::standings(&checkpoints, &confirmations);
    Ok(LeaderView {
        checkpoint: super::checkpoint_line(&standings, today),
        cycle_name: Some(cycle.name),
        progress: Some(progress),
        step: step_view(&step),
        due: due_view(&home::actions_due(&goals, today)),
        coach_note,
        agreed_views,
    })
}

async fn load_supporting(
    state: &AppState,
    me: &SignedIn,
    primary: &leadkit_store::frameworks::StoredFramework,
) -> Result<Vec<SupportedRow>, WebError> {
    let today = state.clock.now().date();
    let related = state.store.people_supported_by(me.person.id).await?;
    let mut rows = Vec::new();
    let mut seen: Vec<PersonId> = Vec::new();
    for person in &related {
        if seen.contains(&person.person) {
            continue;
        }
        seen.push(person.person);
        let kinds: Vec<RelationshipKind> = related
            .iter()
            .filter(|r| r.person == person.person)
            .map(|r| r.kind)
            .collect();
        let owner = match state.store.person(person.person).await {
            Ok(owner) => owner,
            Err(leadkit_store::StoreError::NotFound) => continue,
            Err(error) => return Err(error.into()),
        };
        let cycle = state
            .store
            .current_cycle(me.person.trust, owner.school, today)
            .await?;
        let (reflection, glance) = match &cycle {
            Some(cycle) => {
                let reflection = if access::may(
                    state,
                    me,
                    &owner,
                    cycle,
                    Action::ReadReflections,
                    RecordKind::Reflections,
                )
                .await?
                {
                    let scope = ReflectionScope {
                        person: owner.id,
                        cycle: cycle.id,
                        framework: primary.id,
                    };
                    let reflections = state.store.reflections(scope).await?;
                    let progress = Progress::of(
                        primary.framework.reflectable_items().map(|i| &i.code),
                        &reflections,
                    );
                    format!("{} of {} reflected", progress.reflected, progress.total)
                } else {
                    "Reflection not shared with you".to_owned()
                };
                let glance = if access::may(
                    state,
                    me,
                    &owner,
                    cycle,
                    Action::ReadGoals,
                    RecordKind::Goals,
                )
                .await?
                {
                    let goals: Vec<Goal> = state.store.goals_of(owner.id, cycle.id).await?;
                    Some(home::goals_at_a_glance(&goals, today))
                } else {
                    None
                };
                (reflection, glance)
            }
            None => ("No cycle open".to_owned(), None),
        };
        let (goals, mut attention) = goals_words(glance.as_ref());
        if let Some(cycle) = &cycle
            && kinds.contains(&RelationshipKind::Coach)
        {
            let checkpoints = state.store.checkpoints(owner.trust, cycle.id).await?;
            let confirmations = state.store.confirmations(owner.id, cycle.id).await?;
            for standing in leadkit_domain::checkpoint::standings(&checkpoints, &confirmations) {
                if standing.coach.is_none()
                    && (standing.overdue(today) || standing.coming_up(today))
                {
                    attention.push(format!(
                        "{} {} {}",
                        standing.checkpoint.name,
                        if standing.overdue(today) {
                            "overdue since"
                        } else {
                            "due"
                        },
                        long_date(standing.checkpoint.due_on)
                    ));
                }
            }
        }
        let coach = kinds.contains(&RelationshipKind::Coach);
        rows.push(SupportedRow {
            name: person.name.clone(),
            relationship: kinds
                .iter()
                .map(|k| k.label())
                .collect::<Vec<_>>()
                .join(" and "),
            reflection,
            goals,
            attention,
            goals_shared: glance.is_some(),
            url: Some(if coach {
                urls::person_coaching(owner.id)
            } else {
                urls::PEOPLE.to_owned()
            }),
        });
    }
    Ok(rows)
}

async fn load_progress(
    state: &AppState,
    me: &SignedIn,
    primary: &leadkit_store::frameworks::StoredFramework,
) -> Result<Option<ProgressTable>, WebError> {
    let trust_lead = me.person.has_role(Role::TrustLead);
    let school_of_lead = me
        .person
        .roles
        .iter()
        .find(|g| g.role == Role::SchoolLead)
        .and_then(|g| g.school.or(me.person.school));
    if !trust_lead && school_of_lead.is_none() {
        return Ok(None);
    }
    let today = state.clock.now().date();
    let school = if trust_lead { None } else { school_of_lead };
    let Some(cycle) = state
        .store
        .current_cycle(me.person.trust, school, today)
        .await?
    else {
        return Ok(None);
    };
    let total = primary.framework.reflectable_items().count() as i64;
    let mut groups = state
        .store
        .participation(me.person.trust, cycle.id, primary.id, total)
        .await?;
    if !trust_lead {
        groups.retain(|g| g.school.as_ref().map(|(id, _)| *id) == school_of_lead);
    }
    let threshold = state.store.insight_threshold(me.person.trust).await?;
    Ok(Some(ProgressTable {
        heading: if trust_lead {
            "Your trust’s progress".into()
        } else {
            "Your school’s progress".into()
        },
        cycle_name: cycle.name,
        threshold,
        rows: progress_rows(&groups, threshold),
        insight_url: urls::INSIGHT.into(),
    }))
}
