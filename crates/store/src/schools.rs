//! Schools and their teams.

use leadkit_domain::people::{SchoolId, TrustId};

use crate::{Store, StoreError, on_pool};

/// A school, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct School {
    pub id: SchoolId,
    pub name: String,
}

/// A school with its teams and how many people it has, as administration lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchoolOverview {
    pub id: SchoolId,
    pub name: String,
    pub teams: Vec<String>,
    pub people: i64,
}

/// A team, as a choice in a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamChoice {
    pub id: i64,
    pub school: SchoolId,
    pub name: String,
}

#[derive(sqlx::FromRow)]
struct SchoolCountRow {
    id: i64,
    name: String,
    people: i64,
}

impl Store {
    pub async fn create_school(&self, trust: TrustId, name: &str) -> Result<SchoolId, StoreError> {
        let done = on_pool!(self, pool => {
            let id = sqlx::query_scalar::<_, i64>("insert into school (trust_id, name) values ($1, $2) returning id")
                .bind(trust.0)
                .bind(name)
                .fetch_one(pool)
                .await
                .map_err(|error| StoreError::from_write(error, "a school of that name exists"))?;
            Ok::<_, StoreError>(SchoolId(id))
        })?;
        // Whatever this changes, a cached signed-in person must be read afresh.
        self.changed(|cache| cache.forget_sessions()).await?;
        Ok(done)
    }

    pub async fn schools(&self, trust: TrustId) -> Result<Vec<School>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query_as::<_, (i64, String)>("select id, name from school where trust_id = $1 order by name")
                .bind(trust.0)
                .fetch_all(pool)
                .await?;
            Ok(rows
                .into_iter()
                .map(|(id, name)| School { id: SchoolId(id), name })
                .collect())
        })
    }

    /// The trust's schools, each with its teams (by name) and its number of people.
    pub async fn school_overview(&self, trust: TrustId) -> Result<Vec<SchoolOverview>, StoreError> {
        on_pool!(self, pool => {
            // One count per school in a single pass over the trust's people (a
            // count per school against an unindexed school column grew with
            // schools times people: seconds at 500 schools).
            let schools = sqlx::query_as::<_, SchoolCountRow>(
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
            let teams = sqlx::query_as::<_, (i64, String)>(
                "select t.school_id, t.name from team t join school s on s.id = t.school_id
                 where s.trust_id = $1 order by t.name",
            )
            .bind(trust.0)
            .fetch_all(pool)
            .await?;
            let mut teams_of: std::collections::HashMap<i64, Vec<String>> =
                std::collections::HashMap::new();
            for (school, name) in teams {
                teams_of.entry(school).or_default().push(name);
            }
            Ok(schools
                .into_iter()
                .map(|row| SchoolOverview {
                    id: SchoolId(row.id),
                    name: row.name,
                    teams: teams_of.remove(&row.id).unwrap_or_default(),
                    people: row.people,
                })
                .collect())
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

    pub async fn teams_of_trust(&self, trust: TrustId) -> Result<Vec<TeamChoice>, StoreError> {
        on_pool!(self, pool => {
            Ok(sqlx::query_as::<_, (i64, i64, String)>(
                "select t.id, t.school_id, t.name from team t join school s on s.id = t.school_id
                 where s.trust_id = $1 order by s.name, t.name",
            )
            .bind(trust.0)
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|(id, school, name)| TeamChoice { id, school: SchoolId(school), name })
            .collect())
        })
    }
}
