//! Staff lists: the trust as a staff import compares it, and applying a plan in
//! one transaction (all or nothing), and archiving.

use crate::BeginWrite;
use std::collections::BTreeSet;

use leadkit_domain::people::{Email, PersonId, Role, TrustId};
use leadkit_domain::staff::{CurrentPerson, CurrentStaff, StaffChange, StaffPlan};
use sqlx::Row;
use time::OffsetDateTime;

use crate::{Store, StoreError, on_pool, stored};

/// Archives the person with this id on an open transaction.
macro_rules! archive_on {
    ($tx:ident, $id:expr, $now:expr) => {{
        sqlx::query("update person set archived_at = $1 where id = $2")
            .bind($now.unix_timestamp())
            .bind($id)
            .execute(&mut *$tx)
            .await?;
        sqlx::query("delete from session where person_id = $1")
            .bind($id)
            .execute(&mut *$tx)
            .await?;
        // No longer anyone's coach or line manager; their own links are history.
        sqlx::query("delete from relationship where other_id = $1")
            .bind($id)
            .execute(&mut *$tx)
            .await?;
    }};
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
            for row in sqlx::query("select name from school where trust_id = $1")
                .bind(trust.0)
                .fetch_all(pool)
                .await?
            {
                current.schools.insert(row.try_get("name")?);
            }
            for row in sqlx::query(
                "select s.name as school, t.name as team from team t join school s on s.id = t.school_id
                 where s.trust_id = $1",
            )
            .bind(trust.0)
            .fetch_all(pool)
            .await?
            {
                current.teams.insert((row.try_get("school")?, row.try_get("team")?));
            }
            let people = sqlx::query(
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
            let roles = sqlx::query(
                "select r.person_id, r.role from person_role r join person p on p.id = r.person_id
                 where p.trust_id = $1",
            )
            .bind(trust.0)
            .fetch_all(pool)
            .await?;
            for row in &people {
                let id: i64 = row.try_get("id")?;
                let mut held = BTreeSet::new();
                for role in roles.iter().filter(|r| r.try_get::<i64, _>("person_id").ok() == Some(id)) {
                    held.insert(stored(Role::parse(&role.try_get::<String, _>("role")?), "role")?);
                }
                let email: String = row.try_get("email")?;
                let manager: Option<String> = row.try_get("manager")?;
                current.people.push(CurrentPerson {
                    email: stored(Email::parse(&email), "email")?,
                    name: row.try_get("full_name")?,
                    school: row.try_get("school")?,
                    team: row.try_get("team")?,
                    roles: held,
                    line_manager: manager.map(|m| stored(Email::parse(&m), "email")).transpose()?,
                });
            }
            for email in emails {
                let row = sqlx::query("select trust_id, archived_at from person where email = $1")
                    .bind(email.trim().to_lowercase())
                    .fetch_optional(pool)
                    .await?;
                if let Some(row) = row {
                    let key = email.trim().to_lowercase();
                    if row.try_get::<i64, _>("trust_id")? != trust.0 {
                        current.emails_elsewhere.insert(key);
                    } else if row.try_get::<Option<i64>, _>("archived_at")?.is_some() {
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
            macro_rules! id_of {
                ($sql:expr, $($bind:expr),*) => {{
                    let row = sqlx::query($sql)$(.bind($bind))*.fetch_optional(&mut *tx).await?;
                    match row {
                        Some(row) => Some(row.try_get::<i64, _>("id")?),
                        None => None,
                    }
                }};
            }
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
                        let school_id = id_of!("select id from school where trust_id = $1 and name = $2", trust.0, school)
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
                            Some(school) => id_of!("select id from school where trust_id = $1 and name = $2", trust.0, school),
                            None => None,
                        };
                        let team_id = match (&person.team, school_id) {
                            (Some(team), Some(school)) => id_of!("select id from team where school_id = $1 and name = $2", school, team),
                            _ => None,
                        };
                        let existing = id_of!(
                            "select id from person where trust_id = $1 and email = $2 and archived_at is null",
                            trust.0, person.email.as_str()
                        );
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
                                sqlx::query(
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
                                .try_get::<i64, _>("id")?
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
                        let id = id_of!(
                            "select id from person where trust_id = $1 and email = $2 and archived_at is null",
                            trust.0, email.as_str()
                        )
                        .ok_or(StoreError::NotFound)?;
                        archive_on!(tx, id, now);
                        applied.archived += 1;
                    }
                }
            }
            // Line managers last, once everyone in the file exists.
            for change in &plan.changes {
                let (StaffChange::AddPerson { person } | StaffChange::UpdatePerson { person, .. }) = change else {
                    continue;
                };
                let id = id_of!("select id from person where trust_id = $1 and email = $2 and archived_at is null", trust.0, person.email.as_str())
                    .ok_or(StoreError::NotFound)?;
                sqlx::query("delete from relationship where person_id = $1 and kind = 'line_manager'")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                if let Some(manager) = &person.line_manager {
                    let manager_id = id_of!("select id from person where trust_id = $1 and email = $2 and archived_at is null", trust.0, manager.as_str())
                        .ok_or(StoreError::NotFound)?;
                    sqlx::query("insert into relationship (person_id, kind, other_id) values ($1, 'line_manager', $2)")
                        .bind(id)
                        .bind(manager_id)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        self.changed(|cache| cache.forget_sessions());
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
            archive_on!(tx, person.0, now);
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        self.changed(|cache| cache.forget_sessions());
        Ok(())
    }
}
