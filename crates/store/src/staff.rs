//! Staff lists: the trust as a staff import compares it, and applying a plan in
//! one transaction (all or nothing), and archiving.

use crate::BeginWrite;
use std::collections::BTreeSet;

use leadkit_domain::people::{Email, PersonId, Role, TrustId};
use leadkit_domain::staff::{CurrentPerson, CurrentStaff, StaffChange, StaffPlan};
use time::OffsetDateTime;

use crate::{Store, StoreError, on_pool, stored};

/// Archives the person with this id on an open transaction of either backend.
async fn archive_on<DB>(
    tx: &mut sqlx::Transaction<'_, DB>,
    id: i64,
    now: OffsetDateTime,
) -> Result<(), StoreError>
where
    DB: sqlx::Database,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: sqlx::IntoArguments<'q, DB>,
    for<'q> i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    sqlx::query("update person set archived_at = $1 where id = $2")
        .bind(now.unix_timestamp())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("delete from session where person_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    // No longer anyone's coach or line manager; their own links are history.
    people_lose_their_supporter(tx, id, now).await?;
    sqlx::query("delete from relationship where other_id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Before `id`'s links as someone's coach or line manager are deleted: what
/// those people shared with "my coach" or "my line manager" is withdrawn (it was
/// shared with `id`, and must not pass to whoever is given the role next), and
/// each is told.
pub(crate) async fn people_lose_their_supporter<DB>(
    tx: &mut sqlx::Transaction<'_, DB>,
    id: i64,
    now: OffsetDateTime,
) -> Result<(), StoreError>
where
    DB: sqlx::Database,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: sqlx::IntoArguments<'q, DB>,
    for<'q> i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    for kind in leadkit_domain::access::RelationshipKind::ALL {
        sqlx::query(
            "update share set shared = 0, changed_at = $1
             where audience = $2 and shared = 1
               and owner_id in (select person_id from relationship where other_id = $3 and kind = $2)",
        )
        .bind(now.unix_timestamp())
        .bind(kind.as_str())
        .bind(id)
        .execute(&mut **tx)
        .await?;
        sqlx::query(
            "insert into notice (person_id, body, created_at)
             select person_id, $1, $2 from relationship where other_id = $3 and kind = $4",
        )
        .bind(leadkit_domain::notice::relationship_changed(
            kind, None, false,
        ))
        .bind(now.unix_timestamp())
        .bind(id)
        .bind(kind.as_str())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Why a change that would leave a trust with no administrator is refused.
pub const LAST_ADMINISTRATOR: &str = "this would leave the trust with no administrator who can sign in: give someone else the administrator role first";

/// How many people of the trust hold the administrator role and are not
/// archived, on an open transaction of either backend.
pub(crate) async fn administrators_on<DB>(
    tx: &mut sqlx::Transaction<'_, DB>,
    trust: i64,
) -> Result<i64, StoreError>
where
    DB: sqlx::Database,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: sqlx::IntoArguments<'q, DB>,
    for<'q> i64: sqlx::Encode<'q, DB> + sqlx::Decode<'q, DB> + sqlx::Type<DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    Ok(sqlx::query_scalar::<_, i64>(
        "select count(distinct p.id) from person p join person_role r on r.person_id = p.id
         where p.trust_id = $1 and p.archived_at is null and r.role = 'administrator'",
    )
    .bind(trust)
    .fetch_one(&mut **tx)
    .await?)
}

/// Refuses, before the transaction commits, a change that took the trust from
/// some administrators to none (whatever the page or command that made it: an
/// import, an archive, an erasure, a change of roles).
pub(crate) async fn keep_an_administrator<DB>(
    tx: &mut sqlx::Transaction<'_, DB>,
    trust: i64,
    before: i64,
) -> Result<(), StoreError>
where
    DB: sqlx::Database,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: sqlx::IntoArguments<'q, DB>,
    for<'q> i64: sqlx::Encode<'q, DB> + sqlx::Decode<'q, DB> + sqlx::Type<DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    if before > 0 && administrators_on(tx, trust).await? == 0 {
        return Err(StoreError::Conflict(LAST_ADMINISTRATOR.to_owned()));
    }
    Ok(())
}

/// The id a query with two parameters (a number and a text) finds, if any,
/// on an open transaction of either backend.
async fn id_of<DB>(
    tx: &mut sqlx::Transaction<'_, DB>,
    sql: &str,
    first: i64,
    second: &str,
) -> Result<Option<i64>, StoreError>
where
    DB: sqlx::Database,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: sqlx::IntoArguments<'q, DB>,
    for<'q> i64: sqlx::Encode<'q, DB> + sqlx::Decode<'q, DB> + sqlx::Type<DB>,
    for<'q> &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    Ok(sqlx::query_scalar::<_, i64>(sql)
        .bind(first)
        .bind(second)
        .fetch_optional(&mut **tx)
        .await?)
}

/// A person as a staff import compares them, before their roles are added.
#[derive(sqlx::FromRow)]
struct StaffPersonRow {
    id: i64,
    email: String,
    full_name: String,
    school: Option<String>,
    team: Option<String>,
    manager: Option<String>,
}

/// Someone archived and not erased, as the administrator's list shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchivedPerson {
    pub id: PersonId,
    pub name: String,
    pub email: String,
    pub archived_at: OffsetDateTime,
}

/// What applying a plan did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StaffApplied {
    pub schools: usize,
    pub teams: usize,
    pub added: usize,
    pub updated: usize,
    pub archived: usize,
}

impl Store {
    /// The trust's people, schools and teams as a staff import compares them, and
    /// which of `emails` belong to other trusts or to archived people.
    pub async fn staff_snapshot(
        &self,
        trust: TrustId,
        emails: &[String],
    ) -> Result<CurrentStaff, StoreError> {
        on_pool!(self, pool => {
            let mut current = CurrentStaff::default();
            current.schools.extend(
                sqlx::query_scalar::<_, String>("select name from school where trust_id = $1")
                    .bind(trust.0)
                    .fetch_all(pool)
                    .await?,
            );
            current.teams.extend(
                sqlx::query_as::<_, (String, String)>(
                    "select s.name as school, t.name as team from team t join school s on s.id = t.school_id
                 where s.trust_id = $1",
                )
                .bind(trust.0)
                .fetch_all(pool)
                .await?,
            );
            let people = sqlx::query_as::<_, StaffPersonRow>(
                "select p.id, p.email, p.full_name, s.name as school, t.name as team, m.email as manager
                 from person p
                 left join school s on s.id = p.school_id
                 left join team t on t.id = p.team_id
                 left join relationship r on r.person_id = p.id and r.kind = 'line_manager'
                 left join person m on m.id = r.other_id
                 where p.trust_id = $1 and p.archived_at is null
                 order by p.id",
            )
            .bind(trust.0)
            .fetch_all(pool)
            .await?;
            let roles = sqlx::query_as::<_, (i64, String)>(
                "select r.person_id, r.role from person_role r join person p on p.id = r.person_id
                 where p.trust_id = $1",
            )
            .bind(trust.0)
            .fetch_all(pool)
            .await?;
            for row in people {
                let mut held = BTreeSet::new();
                for (_, role) in roles.iter().filter(|(person, _)| *person == row.id) {
                    held.insert(stored(Role::parse(role), "role")?);
                }
                current.people.push(CurrentPerson {
                    email: stored(Email::parse(&row.email), "email")?,
                    name: row.full_name,
                    school: row.school,
                    team: row.team,
                    roles: held,
                    line_manager: row.manager.map(|m| stored(Email::parse(&m), "email")).transpose()?,
                });
            }
            for email in emails {
                let row = sqlx::query_as::<_, (i64, Option<i64>)>("select trust_id, archived_at from person where email = $1")
                    .bind(email.trim().to_lowercase())
                    .fetch_optional(pool)
                    .await?;
                if let Some((their_trust, archived_at)) = row {
                    let key = email.trim().to_lowercase();
                    if their_trust != trust.0 {
                        current.emails_elsewhere.insert(key);
                    } else if archived_at.is_some() {
                        current.emails_archived.insert(key);
                    }
                }
            }
            Ok(current)
        })
    }

    /// Applies a plan that has no problems, all or nothing. New people have no
    /// password until they are invited.
    pub async fn apply_staff_plan(
        &self,
        trust: TrustId,
        plan: &StaffPlan,
        now: OffsetDateTime,
    ) -> Result<StaffApplied, StoreError> {
        if !plan.problems.is_empty() {
            return Err(StoreError::Conflict(format!(
                "the staff list has {} problems; nothing was changed",
                plan.problems.len()
            )));
        }
        let mut applied = StaffApplied::default();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let administrators = administrators_on(&mut tx, trust.0).await?;
            for change in &plan.changes {
                match change {
                    StaffChange::AddSchool { school } => {
                        sqlx::query("insert into school (trust_id, name) values ($1, $2)")
                            .bind(trust.0)
                            .bind(school)
                            .execute(&mut *tx)
                            .await?;
                        applied.schools += 1;
                    }
                    StaffChange::AddTeam { school, team } => {
                        let school_id = id_of(&mut tx, "select id from school where trust_id = $1 and name = $2", trust.0, school)
                            .await?
                            .ok_or(StoreError::NotFound)?;
                        sqlx::query("insert into team (school_id, name) values ($1, $2)")
                            .bind(school_id)
                            .bind(team)
                            .execute(&mut *tx)
                            .await?;
                        applied.teams += 1;
                    }
                    StaffChange::AddPerson { person } | StaffChange::UpdatePerson { person, .. } => {
                        let school_id = match &person.school {
                            Some(school) => id_of(&mut tx, "select id from school where trust_id = $1 and name = $2", trust.0, school).await?,
                            None => None,
                        };
                        let team_id = match (&person.team, school_id) {
                            (Some(team), Some(school)) => id_of(&mut tx, "select id from team where school_id = $1 and name = $2", school, team).await?,
                            _ => None,
                        };
                        let existing = id_of(
                            &mut tx,
                            "select id from person where trust_id = $1 and email = $2 and archived_at is null",
                            trust.0, person.email.as_str(),
                        )
                        .await?;
                        let id = match existing {
                            Some(id) => {
                                sqlx::query("update person set full_name = $1, school_id = $2, team_id = $3 where id = $4")
                                    .bind(person.name.as_str())
                                    .bind(school_id)
                                    .bind(team_id)
                                    .bind(id)
                                    .execute(&mut *tx)
                                    .await?;
                                sqlx::query("delete from person_role where person_id = $1")
                                    .bind(id)
                                    .execute(&mut *tx)
                                    .await?;
                                applied.updated += 1;
                                id
                            }
                            None => {
                                applied.added += 1;
                                sqlx::query_scalar::<_, i64>(
                                    "insert into person (trust_id, school_id, team_id, full_name, email, created_at)
                                     values ($1, $2, $3, $4, $5, $6) returning id",
                                )
                                .bind(trust.0)
                                .bind(school_id)
                                .bind(team_id)
                                .bind(person.name.as_str())
                                .bind(person.email.as_str())
                                .bind(now.unix_timestamp())
                                .fetch_one(&mut *tx)
                                .await
                                .map_err(|e| StoreError::from_write(e, "that email address is already in use"))?
                            }
                        };
                        for role in &person.roles {
                            // Trust-wide roles have no school; the others are
                            // held in the person's school.
                            let scope = match role {
                                Role::TrustLead | Role::Administrator => None,
                                _ => school_id,
                            };
                            sqlx::query("insert into person_role (person_id, role, school_id) values ($1, $2, $3)")
                                .bind(id)
                                .bind(role.as_str())
                                .bind(scope)
                                .execute(&mut *tx)
                                .await?;
                        }
                    }
                    StaffChange::Archive { email } => {
                        let id = id_of(
                            &mut tx,
                            "select id from person where trust_id = $1 and email = $2 and archived_at is null",
                            trust.0, email.as_str(),
                        )
                        .await?
                        .ok_or(StoreError::NotFound)?;
                        archive_on(&mut tx, id, now).await?;
                        applied.archived += 1;
                    }
                }
            }
            // Line managers last, once everyone in the file exists.
            for change in &plan.changes {
                let (StaffChange::AddPerson { person } | StaffChange::UpdatePerson { person, .. }) = change else {
                    continue;
                };
                let id = id_of(&mut tx, "select id from person where trust_id = $1 and email = $2 and archived_at is null", trust.0, person.email.as_str())
                    .await?
                    .ok_or(StoreError::NotFound)?;
                sqlx::query("delete from relationship where person_id = $1 and kind = 'line_manager'")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                if let Some(manager) = &person.line_manager {
                    let manager_id = id_of(&mut tx, "select id from person where trust_id = $1 and email = $2 and archived_at is null", trust.0, manager.as_str())
                        .await?
                        .ok_or(StoreError::NotFound)?;
                    sqlx::query("insert into relationship (person_id, kind, other_id) values ($1, 'line_manager', $2)")
                        .bind(id)
                        .bind(manager_id)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            keep_an_administrator(&mut tx, trust.0, administrators).await?;
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        self.changed(|cache| cache.forget_sessions()).await?;
        Ok(applied)
    }

    /// Archives a person: their history is kept, their access ends (sessions
    /// gone, sign-in refused, no longer anyone's coach or line manager).
    pub async fn archive_person(
        &self,
        trust: TrustId,
        person: PersonId,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let found = sqlx::query("select id from person where id = $1 and trust_id = $2 and archived_at is null")
                .bind(person.0)
                .bind(trust.0)
                .fetch_optional(&mut *tx)
                .await?;
            if found.is_none() {
                return Err(StoreError::NotFound);
            }
            let administrators = administrators_on(&mut tx, trust.0).await?;
            archive_on(&mut tx, person.0, now).await?;
            keep_an_administrator(&mut tx, trust.0, administrators).await?;
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        self.changed(|cache| cache.forget_sessions()).await?;
        Ok(())
    }
    /// The trust's archived people who have not been erased, most recently
    /// archived first: (id, name, email, archived at).
    pub async fn archived_people(&self, trust: TrustId) -> Result<Vec<ArchivedPerson>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query_as::<_, (i64, String, String, i64)>(
                "select id, full_name, email, archived_at from person
                 where trust_id = $1 and archived_at is not null and erased_at is null
                 order by archived_at desc, full_name, id",
            )
            .bind(trust.0)
            .fetch_all(pool)
            .await?;
            rows.into_iter()
                .map(|(id, name, email, archived_at)| {
                    Ok(ArchivedPerson {
                        id: PersonId(id),
                        name,
                        email,
                        archived_at: crate::timestamp(archived_at)?,
                    })
                })
                .collect()
        })
    }

    /// The archived (not erased) person with this address: (person, trust).
    pub async fn archived_person_by_email(
        &self,
        email: &Email,
    ) -> Result<Option<(PersonId, TrustId)>, StoreError> {
        on_pool!(self, pool => {
            let row = sqlx::query_as::<_, (i64, i64)>(
                "select id, trust_id from person
                 where email = $1 and archived_at is not null and erased_at is null",
            )
            .bind(email.as_str())
            .fetch_optional(pool)
            .await?;
            Ok(row.map(|(id, trust)| (PersonId(id), TrustId(trust))))
        })
    }

    /// Gives an archived person their access back: they can sign in again (with
    /// the password they had, or once invited) and hold the roles they had.
    /// Their coach and line manager links ended when they were archived and are
    /// set again by hand. `NotFound` for anyone not archived, or erased.
    pub async fn unarchive_person(
        &self,
        trust: TrustId,
        person: PersonId,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let done = sqlx::query(
                "update person set archived_at = null
                 where id = $1 and trust_id = $2 and archived_at is not null and erased_at is null",
            )
            .bind(person.0)
            .bind(trust.0)
            .execute(pool)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            Ok::<(), StoreError>(())
        })?;
        self.changed(|cache| cache.forget_sessions()).await?;
        Ok(())
    }
}
