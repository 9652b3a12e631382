//! People: creating them with their roles, reading and listing them, and an
//! administrator's changes to their details.
//!
//! Trusts are in [`crate::trusts`], schools and teams in [`crate::schools`],
//! passwords and set-up links in [`crate::credentials`]. Their public items
//! are re-exported here too, so `leadkit_store::people::…` paths keep working.

use crate::BeginWrite;
use leadkit_domain::people::{
    Email, Person, PersonId, PersonName, Role, RoleGrant, SchoolId, TrustId,
};
use time::OffsetDateTime;

use crate::{Store, StoreError, on_pool, stored};

pub use crate::credentials::{Credentials, FIRST_ADMINISTRATOR};
pub use crate::schools::{School, SchoolOverview, TeamChoice};
pub use crate::trusts::Founding;

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

/// A person as an administrator's list shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonListing {
    pub id: PersonId,
    pub name: String,
    pub email: String,
    pub school: Option<String>,
    pub job_title: String,
}

/// A person's details as an administrator edits them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonDetails {
    pub school: Option<SchoolId>,
    pub team: Option<i64>,
    pub job_title: String,
    pub roles: Vec<RoleGrant>,
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: i64,
    trust_id: i64,
    school_id: Option<i64>,
    full_name: String,
    email: String,
    job_title: String,
}

impl PersonRow {
    fn into_domain(self, roles: Vec<RoleGrant>) -> Result<Person, StoreError> {
        Ok(Person {
            id: PersonId(self.id),
            trust: TrustId(self.trust_id),
            school: self.school_id.map(SchoolId),
            name: stored(PersonName::parse(&self.full_name), "name")?,
            email: stored(Email::parse(&self.email), "email")?,
            job_title: self.job_title,
            roles,
        })
    }
}

#[derive(sqlx::FromRow)]
struct PersonListingRow {
    id: i64,
    full_name: String,
    email: String,
    school: Option<String>,
    job_title: String,
}

impl From<PersonListingRow> for PersonListing {
    fn from(row: PersonListingRow) -> Self {
        PersonListing {
            id: PersonId(row.id),
            name: row.full_name,
            email: row.email,
            school: row.school,
            job_title: row.job_title,
        }
    }
}

/// Inserts a person and their roles on an open transaction of either backend.
pub(crate) async fn insert_person<DB>(
    tx: &mut sqlx::Transaction<'_, DB>,
    person: &NewPerson,
    now: OffsetDateTime,
) -> Result<PersonId, StoreError>
where
    DB: sqlx::Database,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: sqlx::IntoArguments<'q, DB>,
    for<'q> i64: sqlx::Encode<'q, DB> + sqlx::Decode<'q, DB> + sqlx::Type<DB>,
    for<'q> Option<i64>: sqlx::Encode<'q, DB>,
    for<'q> &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> Option<&'q str>: sqlx::Encode<'q, DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    let id = sqlx::query_scalar::<_, i64>(
        "insert into person (trust_id, school_id, full_name, email, job_title, password_hash, created_at)
             values ($1, $2, $3, $4, $5, $6, $7) returning id",
    )
    .bind(person.trust.0)
    .bind(person.school.map(|school| school.0))
    .bind(person.name.as_str())
    .bind(person.email.as_str())
    .bind(person.job_title.as_str())
    .bind(person.password_hash.as_deref())
    .bind(now.unix_timestamp())
    .fetch_one(&mut **tx)
    .await
    .map_err(|error| StoreError::from_write(error, "that email address is already in use"))?;
    for grant in &person.roles {
        sqlx::query("insert into person_role (person_id, role, school_id) values ($1, $2, $3)")
            .bind(id)
            .bind(grant.role.as_str())
            .bind(grant.school.map(|school| school.0))
            .execute(&mut **tx)
            .await?;
    }
    Ok(PersonId(id))
}

impl Store {
    /// Creates a person with their roles. An email already in use is a [`StoreError::Conflict`].
    pub async fn create_person(
        &self,
        person: &NewPerson,
        now: OffsetDateTime,
    ) -> Result<PersonId, StoreError> {
        let done = on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id = insert_person(&mut tx, person, now).await?;
            tx.commit().await?;
            Ok::<_, StoreError>(id)
        })?;
        // Whatever this changes, a cached signed-in person must be read afresh.
        self.changed(|cache| cache.forget_sessions()).await?;
        Ok(done)
    }

    /// A person with their roles. Archived people are not found.
    pub async fn person(&self, id: PersonId) -> Result<Person, StoreError> {
        on_pool!(self, pool => {
            let row = sqlx::query_as::<_, PersonRow>(
                "select id, trust_id, school_id, full_name, email, job_title
                 from person where id = $1 and archived_at is null",
            )
            .bind(id.0)
            .fetch_optional(pool)
            .await?
            .ok_or(StoreError::NotFound)?;
            let role_rows = sqlx::query_as::<_, (String, Option<i64>)>(
                "select role, school_id from person_role where person_id = $1 order by role",
            )
            .bind(id.0)
            .fetch_all(pool)
            .await?;
            let roles = role_rows
                .into_iter()
                .map(|(name, school)| {
                    Ok(RoleGrant {
                        role: stored(Role::parse(&name), "role")?,
                        school: school.map(SchoolId),
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            row.into_domain(roles)
        })
    }
}

impl Store {
    /// Everyone in a trust who is not archived, by name.
    pub async fn people_in_trust(&self, trust: TrustId) -> Result<Vec<PersonListing>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query_as::<_, PersonListingRow>(
                "select p.id, p.full_name, p.email, s.name as school, p.job_title
                 from person p left join school s on s.id = p.school_id
                 where p.trust_id = $1 and p.archived_at is null
                 order by p.full_name, p.id",
            )
            .bind(trust.0)
            .fetch_all(pool)
            .await?;
            Ok(rows.into_iter().map(PersonListing::from).collect())
        })
    }

    /// The person with this email in this trust, if any (not archived).
    pub async fn person_by_email(
        &self,
        trust: TrustId,
        email: &Email,
    ) -> Result<Option<PersonId>, StoreError> {
        on_pool!(self, pool => {
            let id = sqlx::query_scalar::<_, i64>(
                "select id from person where trust_id = $1 and email = $2 and archived_at is null",
            )
            .bind(trust.0)
            .bind(email.as_str())
            .fetch_optional(pool)
            .await?;
            Ok(id.map(PersonId))
        })
    }
}

impl Store {
    /// A person's team id, if they have one.
    pub async fn team_of(&self, person: PersonId) -> Result<Option<i64>, StoreError> {
        on_pool!(self, pool => {
            sqlx::query_scalar::<_, Option<i64>>("select team_id from person where id = $1")
                .bind(person.0)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)
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
            let administrators = crate::staff::administrators_on(&mut tx, trust.0).await?;
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
            crate::staff::keep_an_administrator(&mut tx, trust.0, administrators).await?;
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        // Roles travel with a signed-in person's session.
        self.changed(|cache| cache.forget_sessions()).await?;
        Ok(())
    }
}

/// Whether a person can sign in yet, as the administrator's list shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// They have a password (or have used an invitation).
    CanSignIn,
    /// An invitation is waiting, unused; `expired` when its link no longer works.
    Invited { expired: bool },
    /// Nobody has invited them yet.
    NotInvited,
}

/// A person with everything the administrator's list filters on: roles, coach,
/// line manager and whether they can sign in, read in three queries for the
/// whole trust (not one per person).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonOverview {
    pub id: PersonId,
    pub name: String,
    pub email: String,
    pub school: Option<(SchoolId, String)>,
    pub job_title: String,
    pub roles: Vec<Role>,
    pub coach: Option<(PersonId, String)>,
    pub line_manager: Option<(PersonId, String)>,
    pub access: Access,
}

#[derive(sqlx::FromRow)]
struct OverviewRow {
    id: i64,
    full_name: String,
    email: String,
    school_id: Option<i64>,
    school: Option<String>,
    job_title: String,
    has_password: i64,
    invitation_expires: Option<i64>,
}

impl Store {
    /// Everyone in a trust who is not archived, by name, with their roles,
    /// relationships and access (see [`PersonOverview`]).
    pub async fn people_overview(
        &self,
        trust: TrustId,
        now: OffsetDateTime,
    ) -> Result<Vec<PersonOverview>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query_as::<_, OverviewRow>(
                "select p.id, p.full_name, p.email, p.school_id, s.name as school, p.job_title,
                        cast(case when p.password_hash is null then 0 else 1 end as bigint) as has_password,
                        (select max(t.expires_at) from setup_token t
                          where t.person_id = p.id and t.purpose = 'invitation' and t.used_at is null) as invitation_expires
                 from person p left join school s on s.id = p.school_id
                 where p.trust_id = $1 and p.archived_at is null
                 order by p.full_name, p.id",
            )
            .bind(trust.0)
            .fetch_all(pool)
            .await?;
            let roles = sqlx::query_as::<_, (i64, String)>(
                "select r.person_id, r.role from person_role r join person p on p.id = r.person_id
                 where p.trust_id = $1 and p.archived_at is null order by r.person_id, r.role",
            )
            .bind(trust.0)
            .fetch_all(pool)
            .await?;
            let related = sqlx::query_as::<_, (i64, String, i64, String)>(
                "select r.person_id, r.kind, o.id, o.full_name from relationship r
                 join person p on p.id = r.person_id join person o on o.id = r.other_id
                 where p.trust_id = $1 and p.archived_at is null and o.archived_at is null",
            )
            .bind(trust.0)
            .fetch_all(pool)
            .await?;
            let mut roles_of: std::collections::HashMap<i64, Vec<Role>> = std::collections::HashMap::new();
            for (person, role) in roles {
                let role = stored(Role::parse(&role), "role")?;
                let held = roles_of.entry(person).or_default();
                if !held.contains(&role) {
                    held.push(role);
                }
            }
            let mut coach_of = std::collections::HashMap::new();
            let mut manager_of = std::collections::HashMap::new();
            for (person, kind, other, name) in related {
                let into = if kind == "coach" { &mut coach_of } else { &mut manager_of };
                into.insert(person, (PersonId(other), name));
            }
            Ok(rows
                .into_iter()
                .map(|row| PersonOverview {
                    access: if row.has_password != 0 {
                        Access::CanSignIn
                    } else if let Some(expires) = row.invitation_expires {
                        Access::Invited { expired: expires <= now.unix_timestamp() }
                    } else {
                        Access::NotInvited
                    },
                    id: PersonId(row.id),
                    roles: roles_of.remove(&row.id).unwrap_or_default(),
                    coach: coach_of.remove(&row.id),
                    line_manager: manager_of.remove(&row.id),
                    name: row.full_name,
                    email: row.email,
                    school: row.school_id.zip(row.school).map(|(id, name)| (SchoolId(id), name)),
                    job_title: row.job_title,
                })
                .collect())
        })
    }
}
