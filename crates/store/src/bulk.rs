//! Loading many rows at once, for the data generator (`leadkit demo --people N`)
//! and its benchmark: many rows per statement and many statements per
//! transaction, which is what makes 100,000 leaders with five cycles of
//! reflections load in minutes rather than hours.

use leadkit_domain::cycle::CycleId;
use leadkit_domain::people::{PersonId, Role, SchoolId, TrustId};

use crate::frameworks::FrameworkVersionId;
use crate::{BeginWrite, Store, StoreError, on_pool};

/// A generated person: everything needed to group them and sign them in.
#[derive(Debug, Clone)]
pub struct BulkPerson {
    pub school: Option<SchoolId>,
    pub team: Option<i64>,
    pub name: String,
    pub email: String,
    pub job_title: String,
    pub roles: Vec<Role>,
}

/// One generated judgement: a person, an item (by its id) and a judgement as
/// stored (a level code, `not_yet` or `not_in_role`).
#[derive(Debug, Clone, Copy)]
pub struct BulkJudgement<'a> {
    pub person: PersonId,
    pub item: i64,
    pub judgement: &'a str,
}

/// Rows per statement: under both databases' limits on bound parameters.
const ROWS_PER_STATEMENT: usize = 1000;
/// Rows per transaction: large enough to be fast, small enough not to hold the
/// write lock for long.
const ROWS_PER_TRANSACTION: usize = 50_000;

fn placeholders(rows: usize, columns: usize) -> String {
    let mut sql = String::with_capacity(rows * columns * 6);
    for row in 0..rows {
        if row > 0 {
            sql.push(',');
        }
        sql.push('(');
        for column in 0..columns {
            if column > 0 {
                sql.push(',');
            }
            sql.push('$');
            sql.push_str(&(row * columns + column + 1).to_string());
        }
        sql.push(')');
    }
    sql
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Leader => "leader",
        Role::Coach => "coach",
        Role::SchoolLead => "school_lead",
        Role::TrustLead => "trust_lead",
        Role::Administrator => "administrator",
    }
}

impl Store {
    /// The ids of a framework version's items, by code.
    pub async fn item_ids(
        &self,
        framework: FrameworkVersionId,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        on_pool!(self, pool => {
            Ok(sqlx::query_as::<_, (String, i64)>(
                "select code, id from framework_item where framework_id = $1 order by position",
            )
            .bind(framework.0)
            .fetch_all(pool)
            .await?)
        })
    }

    /// Creates a team and returns its id.
    pub async fn insert_team(&self, school: SchoolId, name: &str) -> Result<i64, StoreError> {
        on_pool!(self, pool => {
            Ok(sqlx::query_scalar::<_, i64>("insert into team (school_id, name) values ($1, $2) returning id")
                .bind(school.0)
                .bind(name)
                .fetch_one(pool)
                .await?)
        })
    }

    /// Inserts people with their roles (each role held in their school, or
    /// trust-wide for trust leads and people without one), returning their ids
    /// in the same order.
    pub async fn insert_people(
        &self,
        trust: TrustId,
        people: &[BulkPerson],
        now: time::OffsetDateTime,
    ) -> Result<Vec<PersonId>, StoreError> {
        let mut ids = Vec::with_capacity(people.len());
        on_pool!(self, pool => {
            for batch in people.chunks(ROWS_PER_TRANSACTION) {
                let mut tx = pool.begin_write().await?;
                for chunk in batch.chunks(ROWS_PER_STATEMENT) {
                    let sql = format!(
                        "insert into person (trust_id, school_id, team_id, full_name, email, job_title, created_at) values {} returning id",
                        placeholders(chunk.len(), 7)
                    );
                    let mut query = sqlx::query_scalar::<_, i64>(&sql);
                    for person in chunk {
                        query = query
                            .bind(trust.0)
                            .bind(person.school.map(|s| s.0))
                            .bind(person.team)
                            .bind(&person.name)
                            .bind(person.email.to_lowercase())
                            .bind(&person.job_title)
                            .bind(now.unix_timestamp());
                    }
                    let first = ids.len();
                    ids.extend(query.fetch_all(&mut *tx).await?.into_iter().map(PersonId));
                    // Both databases return the ids in the order of the values.
                    let grants: Vec<(i64, &'static str, Option<i64>)> = chunk
                        .iter()
                        .zip(&ids[first..])
                        .flat_map(|(person, id)| {
                            person.roles.iter().map(move |role| {
                                let school = match role {
                                    Role::TrustLead | Role::Administrator => None,
                                    _ => person.school.map(|s| s.0),
                                };
                                (id.0, role_name(*role), school)
                            })
                        })
                        .collect();
                    for grants in grants.chunks(ROWS_PER_STATEMENT) {
                        let sql = format!(
                            "insert into person_role (person_id, role, school_id) values {}",
                            placeholders(grants.len(), 3)
                        );
                        let mut query = sqlx::query(&sql);
                        for (person, role, school) in grants {
                            query = query.bind(person).bind(*role).bind(*school);
                        }
                        query.execute(&mut *tx).await?;
                    }
                }
                tx.commit().await?;
            }
            Ok::<(), StoreError>(())
        })?;
        self.changed(|cache| cache.forget_sessions()).await?;
        Ok(ids)
    }

    /// Inserts judgements into one cycle (people who have none there yet).
    pub async fn insert_judgements(
        &self,
        cycle: CycleId,
        judgements: &[BulkJudgement<'_>],
        now: time::OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            for batch in judgements.chunks(ROWS_PER_TRANSACTION) {
                let mut tx = pool.begin_write().await?;
                for chunk in batch.chunks(ROWS_PER_STATEMENT) {
                    let sql = format!(
                        "insert into reflection (person_id, cycle_id, item_id, judgement, updated_at) values {}",
                        placeholders(chunk.len(), 5)
                    );
                    let mut query = sqlx::query(&sql);
                    for j in chunk {
                        query = query
                            .bind(j.person.0)
                            .bind(cycle.0)
                            .bind(j.item)
                            .bind(j.judgement)
                            .bind(now.unix_timestamp());
                    }
                    query.execute(&mut *tx).await?;
                }
                tx.commit().await?;
            }
            Ok::<(), StoreError>(())
        })?;
        self.changed(|cache| cache.forget_all_reflections()).await?;
        Ok(())
    }
}

impl Store {
    /// Refreshes the query planner's statistics after a bulk load, as
    /// PostgreSQL's autovacuum would in a while: until then it plans joins over
    /// millions of new rows as if the tables were empty (a growth view took
    /// minutes instead of a second).
    pub async fn analyze(&self) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("analyze").execute(pool).await?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_number_every_value_once() {
        assert_eq!(super::placeholders(2, 3), "($1,$2,$3),($4,$5,$6)");
    }
}
