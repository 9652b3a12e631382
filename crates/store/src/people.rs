//! Trusts, schools, people, their roles and passwords, and one-time set-up links.

use crate::BeginWrite;
use leadkit_domain::people::{
    Email, Person, PersonId, PersonName, Role, RoleGrant, SchoolId, TrustId,
};
use sqlx::Row;
use time::{Date, OffsetDateTime};

use crate::{Store, StoreError, on_pool, stored};

/// Inserts a person and their roles on an open transaction; evaluates to the new id.
macro_rules! insert_person {
    ($tx:expr, $person:expr, $now:expr) => {{
        let person: &NewPerson = $person;
        let id: i64 = sqlx::query(
            "insert into person (trust_id, school_id, full_name, email, job_title, password_hash, created_at)
             values ($1, $2, $3, $4, $5, $6, $7) returning id",
        )
        .bind(person.trust.0)
        .bind(person.school.map(|school| school.0))
        .bind(person.name.as_str())
        .bind(person.email.as_str())
        .bind(&person.job_title)
        .bind(person.password_hash.as_deref())
        .bind($now.unix_timestamp())
        .fetch_one($tx)
        .await
        .map_err(|error| StoreError::from_write(error, "that email address is already in use"))?
        .try_get("id")?;
        for grant in &person.roles {
            sqlx::query("insert into person_role (person_id, role, school_id) values ($1, $2, $3)")
                .bind(id)
                .bind(grant.role.as_str())
                .bind(grant.school.map(|school| school.0))
                .execute($tx)
                .await?;
        }
        PersonId(id)
    }};
}

/// A person to be created.
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub trust: TrustId,
    pub school: Option<SchoolId>,
    pub name: PersonName,
    pub email: Email,
    pub job_title: String,
    pub roles: Vec<RoleGrant>,
    /// An argon2id PHC string, or `None` until they set a password.
    pub password_hash: Option<String>,
}

/// A school, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct School {
    pub id: SchoolId,
    pub name: String,
}

/// What sign-in needs to check a password: who, and their hash if they have one.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub person: PersonId,
    pub password_hash: Option<String>,
}

/// Everything the first administrator's set-up link creates, in one transaction.
#[derive(Debug, Clone)]
pub struct Founding {
    pub setup_token_hash: String,
    pub trust_name: String,
    pub administrator: NewPerson,
    /// The first cycle: name, first and last day.
    pub cycle: (String, Date, Date),
}

/// The purpose of the first administrator's set-up link.
pub const FIRST_ADMINISTRATOR: &str = "first_administrator";

impl Store {
    pub async fn create_trust(
        &self,
        name: &str,
        now: OffsetDateTime,
    ) -> Result<TrustId, StoreError> {
        // Whatever this changes, a cached signed-in person must be read afresh.
        self.changed(|cache| cache.forget_sessions());
        on_pool!(self, pool => {
            let row = sqlx::query("insert into trust (name, created_at) values ($1, $2) returning id")
                .bind(name)
                .bind(now.unix_timestamp())
                .fetch_one(pool)
                .await?;
            Ok(TrustId(row.try_get("id")?))
        })
    }

    /// The trust with exactly this name, if there is one.
    /// Every trust, by name: (id, name).
    pub async fn trusts(&self) -> Result<Vec<(TrustId, String)>, StoreError> {
        on_pool!(self, pool => {
            sqlx::query("select id, name from trust order by name, id")
                .fetch_all(pool)
                .await?
                .iter()
                .map(|row| Ok((TrustId(row.try_get("id")?), row.try_get("name")?)))
                .collect()
        })
    }

    pub async fn trust_named(&self, name: &str) -> Result<Option<TrustId>, StoreError> {
        on_pool!(self, pool => {
            let row = sqlx::query("select id from trust where name = $1 order by id limit 1")
                .bind(name)
                .fetch_optional(pool)
                .await?;
            row.map(|row| Ok(TrustId(row.try_get("id")?))).transpose()
        })
    }

    pub async fn create_school(&self, trust: TrustId, name: &str) -> Result<SchoolId, StoreError> {
        // Whatever this changes, a cached signed-in person must be read afresh.
        self.changed(|cache| cache.forget_sessions());
        on_pool!(self, pool => {
            let row = sqlx::query("insert into school (trust_id, name) values ($1, $2) returning id")
                .bind(trust.0)
                .bind(name)
                .fetch_one(pool)
                .await
                .map_err(|error| StoreError::from_write(error, "a school of that name exists"))?;
            Ok(SchoolId(row.try_get("id")?))
        })
    }

    pub async fn schools(&self, trust: TrustId) -> Result<Vec<School>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query("select id, name from school where trust_id = $1 order by name")
                .bind(trust.0)
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|row| Ok(School { id: SchoolId(row.try_get("id")?), name: row.try_get("name")? }))
                .collect()
        })
    }

    /// Creates a person with their roles. An email already in use is a [`StoreError::Conflict`].
    pub async fn create_person(
        &self,
        person: &NewPerson,
        now: OffsetDateTime,
    ) -> Result<PersonId, StoreError> {
        // Whatever this changes, a cached signed-in person must be read afresh.
        self.changed(|cache| cache.forget_sessions());
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id = insert_person!(&mut *tx, person, now);
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Creates the trust, its first administrator and its first cycle, and uses up the
    /// set-up link, all or nothing. Returns `NotFound` if the link is used or expired.
    pub async fn found_trust(
        &self,
        founding: &Founding,
        now: OffsetDateTime,
    ) -> Result<PersonId, StoreError> {
        // Whatever this changes, a cached signed-in person must be read afresh.
        self.changed(|cache| cache.forget_sessions());
        let (cycle_name, starts_on, ends_on) = &founding.cycle;
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let used = sqlx::query(
                "update setup_token set used_at = $1
                 where token_hash = $2 and purpose = $3 and used_at is null and expires_at > $1",
            )
            .bind(now.unix_timestamp())
            .bind(&founding.setup_token_hash)
            .bind(FIRST_ADMINISTRATOR)
            .execute(&mut *tx)
            .await?;
            if used.rows_affected() != 1 {
                return Err(StoreError::NotFound);
            }
            let trust: i64 = sqlx::query("insert into trust (name, created_at) values ($1, $2) returning id")
                .bind(&founding.trust_name)
                .bind(now.unix_timestamp())
                .fetch_one(&mut *tx)
                .await?
                .try_get("id")?;
            let mut administrator = founding.administrator.clone();
            administrator.trust = TrustId(trust);
            let person = insert_person!(&mut *tx, &administrator, now);
            sqlx::query("insert into cycle (trust_id, name, starts_on, ends_on) values ($1, $2, $3, $4)")
                .bind(trust)
                .bind(cycle_name)
                .bind(starts_on.to_string())
                .bind(ends_on.to_string())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(person)
        })
    }

    /// A person with their roles. Archived people are not found.
    pub async fn person(&self, id: PersonId) -> Result<Person, StoreError> {
        on_pool!(self, pool => {
            let row = sqlx::query(
                "select id, trust_id, school_id, full_name, email, job_title
                 from person where id = $1 and archived_at is null",
            )
            .bind(id.0)
            .fetch_optional(pool)
            .await?
            .ok_or(StoreError::NotFound)?;
            let role_rows = sqlx::query("select role, school_id from person_role where person_id = $1 order by role")
                .bind(id.0)
                .fetch_all(pool)
                .await?;
            let mut roles = Vec::with_capacity(role_rows.len());
            for role in &role_rows {
                let name: String = role.try_get("role")?;
                roles.push(RoleGrant {
                    role: stored(Role::parse(&name), "role")?,
                    school: role.try_get::<Option<i64>, _>("school_id")?.map(SchoolId),
                });
            }
            let name: String = row.try_get("full_name")?;
            let email: String = row.try_get("email")?;
            Ok(Person {
                id: PersonId(row.try_get("id")?),
                trust: TrustId(row.try_get("trust_id")?),
                school: row.try_get::<Option<i64>, _>("school_id")?.map(SchoolId),
                name: stored(PersonName::parse(&name), "name")?,
                email: stored(Email::parse(&email), "email")?,
                job_title: row.try_get("job_title")?,
                roles,
            })
        })
    }

    /// The person signing in with this email, if any (archived people cannot sign in).
    pub async fn credentials(&self, email: &Email) -> Result<Option<Credentials>, StoreError> {
        on_pool!(self, pool => {
            let row = sqlx::query(
                "select id, password_hash from person where email = $1 and archived_at is null",
            )
            .bind(email.as_str())
            .fetch_optional(pool)
            .await?;
            row.map(|row| {
                Ok(Credentials {
                    person: PersonId(row.try_get("id")?),
                    password_hash: row.try_get("password_hash")?,
                })
            })
            .transpose()
        })
    }

    pub async fn set_password_hash(&self, person: PersonId, hash: &str) -> Result<(), StoreError> {
        // Whatever this changes, a cached signed-in person must be read afresh.
        self.changed(|cache| cache.forget_sessions());
        on_pool!(self, pool => {
            let done = sqlx::query("update person set password_hash = $1 where id = $2")
                .bind(hash)
                .bind(person.0)
                .execute(pool)
                .await?;
            if done.rows_affected() == 0 { Err(StoreError::NotFound) } else { Ok(()) }
        })
    }

    /// Gives every person of a trust the same password hash: used only for the demo
    /// trust, whose password is made afresh at every start.
    pub async fn set_trust_password_hash(
        &self,
        trust: TrustId,
        hash: &str,
    ) -> Result<u64, StoreError> {
        // Whatever this changes, a cached signed-in person must be read afresh.
        self.changed(|cache| cache.forget_sessions());
        on_pool!(self, pool => {
            let done = sqlx::query("update person set password_hash = $1 where trust_id = $2")
                .bind(hash)
                .bind(trust.0)
                .execute(pool)
                .await?;
            Ok(done.rows_affected())
        })
    }

    /// How many administrators can sign in (have a password and are not archived).
    pub async fn administrators_with_password(&self) -> Result<i64, StoreError> {
        on_pool!(self, pool => {
            let row = sqlx::query(
                "select count(*) as n from person p join person_role r on r.person_id = p.id
                 where r.role = 'administrator' and p.password_hash is not null and p.archived_at is null",
            )
            .fetch_one(pool)
            .await?;
            Ok(row.try_get("n")?)
        })
    }

    /// Records a one-time link (by the hash of its token), replacing any unused link
    /// with the same purpose so that only the newest printed link works.
    pub async fn replace_setup_token(
        &self,
        token_hash: &str,
        purpose: &str,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        // Whatever this changes, a cached signed-in person must be read afresh.
        self.changed(|cache| cache.forget_sessions());
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("delete from setup_token where purpose = $1 and used_at is null")
                .bind(purpose)
                .execute(&mut *tx)
                .await?;
            sqlx::query("insert into setup_token (token_hash, purpose, expires_at) values ($1, $2, $3)")
                .bind(token_hash)
                .bind(purpose)
                .bind(expires_at.unix_timestamp())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Whether a one-time link is still usable.
    pub async fn setup_token_is_valid(
        &self,
        token_hash: &str,
        purpose: &str,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        on_pool!(self, pool => {
            let row = sqlx::query(
                "select count(*) as n from setup_token
                 where token_hash = $1 and purpose = $2 and used_at is null and expires_at > $3",
            )
            .bind(token_hash)
            .bind(purpose)
            .bind(now.unix_timestamp())
            .fetch_one(pool)
            .await?;
            Ok(row.try_get::<i64, _>("n")? > 0)
        })
    }
}

/// A person as an administrator's list shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonListing {
    pub id: PersonId,
    pub name: String,
    pub email: String,
    pub school: Option<String>,
    pub job_title: String,
}

impl Store {
    /// Everyone in a trust who is not archived, by name.
    pub async fn people_in_trust(&self, trust: TrustId) -> Result<Vec<PersonListing>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query(
                "select p.id, p.full_name, p.email, s.name as school, p.job_title
                 from person p left join school s on s.id = p.school_id
                 where p.trust_id = $1 and p.archived_at is null
                 order by p.full_name, p.id",
            )
            .bind(trust.0)
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|row| {
                    Ok(PersonListing {
                        id: PersonId(row.try_get("id")?),
                        name: row.try_get("full_name")?,
                        email: row.try_get("email")?,
                        school: row.try_get("school")?,
                        job_title: row.try_get("job_title")?,
                    })
                })
                .collect()
        })
    }

    /// The person with this email in this trust, if any (not archived).
    pub async fn person_by_email(
        &self,
        trust: TrustId,
        email: &Email,
    ) -> Result<Option<PersonId>, StoreError> {
        on_pool!(self, pool => {
            let row = sqlx::query(
                "select id from person where trust_id = $1 and email = $2 and archived_at is null",
            )
            .bind(trust.0)
            .bind(email.as_str())
            .fetch_optional(pool)
            .await?;
            row.map(|row| Ok(PersonId(row.try_get("id")?))).transpose()
        })
    }
}

/// A school with its teams and how many people it has, as administration lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchoolOverview {
    pub id: SchoolId,
    pub name: String,
    pub teams: Vec<String>,
    pub people: i64,
}

impl Store {
    /// The trust's schools, each with its teams (by name) and its number of people.
    pub async fn school_overview(&self, trust: TrustId) -> Result<Vec<SchoolOverview>, StoreError> {
        on_pool!(self, pool => {
            // One count per school in a single pass over the trust's people (a
            // count per school against an unindexed school column grew with
            // schools times people: seconds at 500 schools).
            let schools = sqlx::query(
                "select s.id, s.name, coalesce(c.people, 0) as people
                 from school s
                 left join (select school_id, count(*) as people from person
                            where trust_id = $1 and archived_at is null group by school_id) c
                   on c.school_id = s.id
                 where s.trust_id = $1 order by s.name",
            )
            .bind(trust.0)
            .fetch_all(pool)
            .await?;
            let teams = sqlx::query(
                "select t.school_id, t.name from team t join school s on s.id = t.school_id
                 where s.trust_id = $1 order by t.name",
            )
            .bind(trust.0)
            .fetch_all(pool)
            .await?;
            let mut teams_of: std::collections::HashMap<i64, Vec<String>> =
                std::collections::HashMap::new();
            for team in &teams {
                teams_of
                    .entry(team.try_get("school_id")?)
                    .or_default()
                    .push(team.try_get("name")?);
            }
            schools
                .iter()
                .map(|row| {
                    let id: i64 = row.try_get("id")?;
                    Ok(SchoolOverview {
                        id: SchoolId(id),
                        name: row.try_get("name")?,
                        teams: teams_of.remove(&id).unwrap_or_default(),
                        people: row.try_get("people")?,
                    })
                })
                .collect()
        })
    }

    /// Adds a team to a school of the trust. A name already used in that school
    /// is a [`StoreError::Conflict`]; a school of another trust is not found.
    pub async fn create_team(
        &self,
        trust: TrustId,
        school: SchoolId,
        name: &str,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let found = sqlx::query("select id from school where id = $1 and trust_id = $2")
                .bind(school.0)
                .bind(trust.0)
                .fetch_optional(pool)
                .await?;
            if found.is_none() {
                return Err(StoreError::NotFound);
            }
            sqlx::query("insert into team (school_id, name) values ($1, $2)")
                .bind(school.0)
                .bind(name)
                .execute(pool)
                .await
                .map_err(|error| StoreError::from_write(error, "that school already has a team with this name"))?;
            Ok(())
        })
    }
}

/// A team, as a choice in a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamChoice {
    pub id: i64,
    pub school: SchoolId,
    pub name: String,
}

/// A person's details as an administrator edits them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonDetails {
    pub school: Option<SchoolId>,
    pub team: Option<i64>,
    pub job_title: String,
    pub roles: Vec<RoleGrant>,
}

impl Store {
    pub async fn teams_of_trust(&self, trust: TrustId) -> Result<Vec<TeamChoice>, StoreError> {
        on_pool!(self, pool => {
            sqlx::query(
                "select t.id, t.school_id, t.name from team t join school s on s.id = t.school_id
                 where s.trust_id = $1 order by s.name, t.name",
            )
            .bind(trust.0)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|row| {
                Ok(TeamChoice {
                    id: row.try_get("id")?,
                    school: SchoolId(row.try_get("school_id")?),
                    name: row.try_get("name")?,
                })
            })
            .collect()
        })
    }

    /// A person's team id, if they have one.
    pub async fn team_of(&self, person: PersonId) -> Result<Option<i64>, StoreError> {
        on_pool!(self, pool => {
            let row = sqlx::query("select team_id from person where id = $1")
                .bind(person.0)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)?;
            Ok(row.try_get("team_id")?)
        })
    }

    /// Replaces a person's school, team, job title and roles, all or nothing. The
    /// school and team must be the trust's, and the team the school's.
    pub async fn update_person_details(
        &self,
        trust: TrustId,
        person: PersonId,
        details: &PersonDetails,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            if let Some(school) = details.school {
                let found = sqlx::query("select id from school where id = $1 and trust_id = $2")
                    .bind(school.0)
                    .bind(trust.0)
                    .fetch_optional(&mut *tx)
                    .await?;
                if found.is_none() {
                    return Err(StoreError::NotFound);
                }
            }
            if let Some(team) = details.team {
                let found = sqlx::query("select id from team where id = $1 and school_id = $2")
                    .bind(team)
                    .bind(details.school.map(|s| s.0))
                    .fetch_optional(&mut *tx)
                    .await?;
                if found.is_none() {
                    return Err(StoreError::Conflict("the team is not at that school".into()));
                }
            }
            let changed = sqlx::query(
                "update person set school_id = $1, team_id = $2, job_title = $3
                 where id = $4 and trust_id = $5 and archived_at is null",
            )
            .bind(details.school.map(|s| s.0))
            .bind(details.team)
            .bind(&details.job_title)
            .bind(person.0)
            .bind(trust.0)
            .execute(&mut *tx)
            .await?;
            if changed.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            sqlx::query("delete from person_role where person_id = $1")
                .bind(person.0)
                .execute(&mut *tx)
                .await?;
            for grant in &details.roles {
                sqlx::query("insert into person_role (person_id, role, school_id) values ($1, $2, $3)")
                    .bind(person.0)
                    .bind(grant.role.as_str())
                    .bind(grant.school.map(|s| s.0))
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        // Roles travel with a signed-in person's session.
        self.changed(|cache| cache.forget_sessions());
        Ok(())
    }
}
