//! Precomputed insight: for each cycle and component, every population whose
//! numbers may be shown, with its distribution of levels (the `insight_cell`
//! table). Triggers mark a (cycle, component) pair stale whenever anything it
//! is counted from changes (migration 0011); [`Store::refresh_insight`] brings
//! stale pairs up to date and every insight read calls it first, so a view is
//! always exact while reading a few rows instead of every judgement.

use leadkit_domain::cycle::CycleId;
use leadkit_domain::framework::ItemCode;
use leadkit_domain::insight::{Attributes, Distribution, Population, Tally, Threshold};
use leadkit_domain::reflection::Judgement;
use leadkit_domain::scale::Scale;

use crate::frameworks::FrameworkVersionId;
use crate::{BeginWrite, Store, StoreError, on_pool, stored};

/// Each person's grouping attributes, from `person p`, as columns school, team,
/// role; the role is the most senior one held ([`leadkit_domain::people::Role::seniority`],
/// 0 for none), counted once per person rather than per row. The test below
/// holds the SQL to the domain's numbers.
pub(crate) const PERSON_ATTRIBUTES: &str = "left join (
        select person_id, max(case role when 'trust_lead' then 4 when 'school_lead' then 3
                                        when 'coach' then 2 when 'leader' then 1 else 0 end) as rank
        from person_role group by person_id) senior on senior.person_id = p.id";
pub(crate) const ATTRIBUTE_COLUMNS: &str = "coalesce(p.school_id, 0) as school,
    coalesce(p.team_id, 0) as team, cast(coalesce(senior.rank, 0) as bigint) as role";

/// The columns school, team, role of [`ATTRIBUTE_COLUMNS`] (or of the
/// insight module's equivalent), flattened into the row structs that have them.
#[derive(sqlx::FromRow)]
pub(crate) struct AttributesRow {
    school: i64,
    team: i64,
    role: i64,
}

impl From<AttributesRow> for Attributes {
    fn from(row: AttributesRow) -> Self {
        Attributes {
            school: row.school,
            team: row.team,
            role: row.role,
        }
    }
}

/// One stale component's tally: a judgement, with how many people of one
/// attribute combination made it.
#[derive(sqlx::FromRow)]
struct TallyRow {
    item_id: i64,
    #[sqlx(flatten)]
    who: AttributesRow,
    judgement: String,
    people: i64,
}

/// A stored `insight_cell` with its item's code.
#[derive(sqlx::FromRow)]
struct CellRow {
    code: String,
    school: i64,
    team: i64,
    role: i64,
    people: i64,
    not_yet: i64,
    levels: String,
}

impl CellRow {
    fn into_domain(self, cycle: CycleId) -> Result<StoredCell, StoreError> {
        let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
        let per_level = if self.levels.is_empty() {
            Vec::new()
        } else {
            self.levels
                .split(',')
                .map(|n| stored(n.parse::<u32>(), "insight cell"))
                .collect::<Result<Vec<_>, _>>()?
        };
        Ok(StoredCell {
            cycle,
            item: stored(ItemCode::parse(&self.code), "item code")?,
            population: Population {
                school: attribute(self.school),
                team: attribute(self.team),
                role: attribute(self.role),
            },
            distribution: Distribution {
                people: count(self.people),
                not_yet: count(self.not_yet),
                per_level,
            },
        })
    }
}

/// How "any" is stored in a population's columns.
const ANY: i64 = -1;

pub(crate) fn column(value: Option<i64>) -> i64 {
    value.unwrap_or(ANY)
}

fn attribute(value: i64) -> Option<i64> {
    (value != ANY).then_some(value)
}

/// Which stored populations a view wants: per attribute, exactly this value
/// (`Some(None)` meaning "any"), or every value (`None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellQuery {
    pub school: Option<Option<i64>>,
    pub team: Option<Option<i64>>,
    pub role: Option<Option<i64>>,
}

impl CellQuery {
    /// `filter` itself and `filter` narrowed by every value of one attribute
    /// (0 school, 1 team, 2 role): a heatmap's columns.
    pub fn grouped(filter: &Population, by: usize) -> Self {
        CellQuery {
            school: (by != 0).then_some(filter.school),
            team: (by != 1).then_some(filter.team),
            role: (by != 2).then_some(filter.role),
        }
    }

    /// `filter` alone.
    pub fn only(filter: &Population) -> Self {
        CellQuery {
            school: Some(filter.school),
            team: Some(filter.team),
            role: Some(filter.role),
        }
    }
}

/// A stored cell: one component, one population, its distribution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCell {
    pub cycle: CycleId,
    pub item: ItemCode,
    pub population: Population,
    pub distribution: Distribution,
}

/// What a refresh did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Refreshed {
    pub components: usize,
    pub cells: usize,
}

pub(crate) fn rank_of(scale: Option<&Scale>, judgement: &Judgement) -> Option<Option<usize>> {
    match judgement {
        Judgement::NotInRole => None,
        Judgement::NotYet => Some(None),
        Judgement::Level(level) => Some(scale.and_then(|s| s.rank(level))),
    }
}

impl Store {
    /// Brings the stale cells of `cycle` for one framework version up to date,
    /// one component per transaction (so writers wait at most one component).
    pub async fn refresh_insight(
        &self,
        cycle: CycleId,
        framework: FrameworkVersionId,
        scale: Option<&Scale>,
        threshold: Threshold,
    ) -> Result<Refreshed, StoreError> {
        let levels = scale.map_or(0, |s| s.levels.len());
        let mut done = Refreshed::default();
        on_pool!(self, pool => {
            let stale = sqlx::query_as::<_, (i64, i64)>(
                "select s.item_id, s.version from insight_stale s
                 join framework_item i on i.id = s.item_id
                 where s.cycle_id = $1 and i.framework_id = $2 order by s.item_id",
            )
            .bind(cycle.0)
            .bind(framework.0)
            .fetch_all(pool)
            .await?;
            if stale.is_empty() {
                return Ok(done);
            }
            // Every stale component's tallies in one query (a component marked
            // after the list above was read is counted next time).
            let rows = sqlx::query_as::<_, TallyRow>(&format!(
                "select r.item_id, {ATTRIBUTE_COLUMNS}, r.judgement, count(*) as people
                 from insight_stale s
                 join reflection r on r.cycle_id = s.cycle_id and r.item_id = s.item_id
                 join person p on p.id = r.person_id {PERSON_ATTRIBUTES}
                 where s.cycle_id = $1 and r.judgement is not null
                 group by r.item_id, 2, 3, 4, r.judgement"
            ))
            .bind(cycle.0)
            .fetch_all(pool)
            .await?;
            let mut tallies_of: std::collections::HashMap<i64, Vec<Tally>> = std::collections::HashMap::new();
            for row in rows {
                let judgement = stored(Judgement::parse(&row.judgement), "judgement")?;
                let Some(rank) = rank_of(scale, &judgement) else { continue };
                tallies_of.entry(row.item_id).or_default().push(Tally {
                    who: row.who.into(),
                    rank,
                    people: u32::try_from(row.people).unwrap_or(u32::MAX),
                });
            }
            for (item, version) in stale {
                let tallies = tallies_of.remove(&item).unwrap_or_default();
                let cells = leadkit_domain::insight::released_cells(&tallies, levels, threshold);
                let mut tx = pool.begin_write().await?;
                // A mark made while this component was counted has a newer
                // version and stays, so the next read counts it again. Clearing
                // the mark comes first: on PostgreSQL it locks the mark, so a
                // second refresh of the same component waits here and then
                // replaces these cells instead of colliding with them.
                sqlx::query("delete from insight_stale where cycle_id = $1 and item_id = $2 and version = $3")
                    .bind(cycle.0)
                    .bind(item)
                    .bind(version)
                    .execute(&mut *tx)
                    .await?;
                // Counted with the threshold the trust still has? (Raising it
                // marks every pair stale in the same transaction, so either this
                // sees the new threshold or the new mark outlives this refresh.)
                let current = sqlx::query_scalar::<_, i64>(
                    "select t.insight_threshold as k from cycle c join trust t on t.id = c.trust_id where c.id = $1",
                )
                .bind(cycle.0)
                .fetch_one(&mut *tx)
                .await?;
                if current != i64::from(threshold.get()) {
                    return Err(StoreError::Conflict(
                        "the insight threshold changed while counting; look again".into(),
                    ));
                }
                sqlx::query("delete from insight_cell where cycle_id = $1 and item_id = $2")
                    .bind(cycle.0)
                    .bind(item)
                    .execute(&mut *tx)
                    .await?;
                // Many rows per statement: at 100,000 people a component has
                // thousands of shown populations.
                for chunk in cells.chunks(500) {
                    let mut sql = String::from(
                        "insert into insight_cell (cycle_id, item_id, school, team, role, people, not_yet, levels) values ",
                    );
                    for i in 0..chunk.len() {
                        let b = i * 8;
                        if i > 0 {
                            sql.push(',');
                        }
                        sql.push_str(&format!(
                            "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                            b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7, b + 8
                        ));
                    }
                    let mut query = sqlx::query(&sql);
                    for (population, distribution) in chunk {
                        let levels: Vec<String> =
                            distribution.per_level.iter().map(u32::to_string).collect();
                        query = query
                            .bind(cycle.0)
                            .bind(item)
                            .bind(column(population.school))
                            .bind(column(population.team))
                            .bind(column(population.role))
                            .bind(i64::from(distribution.people))
                            .bind(i64::from(distribution.not_yet))
                            .bind(levels.join(","));
                    }
                    query.execute(&mut *tx).await?;
                }
                tx.commit().await?;
                done.components += 1;
                done.cells += cells.len();
            }
            Ok::<(), StoreError>(())
        })?;
        Ok(done)
    }

    /// The stored cells of `cycles` for one framework version that `query`
    /// asks for (call [`Store::refresh_insight`] for each cycle first).
    pub async fn insight_cells(
        &self,
        cycles: &[CycleId],
        framework: FrameworkVersionId,
        query: CellQuery,
    ) -> Result<Vec<StoredCell>, StoreError> {
        // Only the conditions the view has, so the (cycle, team, role, school)
        // index narrows the read to the cells asked for.
        let mut conditions = String::new();
        let mut values = Vec::new();
        for (column, wanted) in [
            ("team", query.team),
            ("role", query.role),
            ("school", query.school),
        ] {
            if let Some(value) = wanted {
                values.push(self::column(value));
                conditions.push_str(&format!(" and c.{column} = ${}", values.len() + 2));
            }
        }
        let sql = format!(
            "select i.code, c.school, c.team, c.role, c.people, c.not_yet, c.levels
             from insight_cell c join framework_item i on i.id = c.item_id
             where c.cycle_id = $1 and i.framework_id = $2{conditions}"
        );
        let mut cells = Vec::new();
        for cycle in cycles {
            on_pool!(self, pool => {
                let mut select = sqlx::query_as::<_, CellRow>(&sql).bind(cycle.0).bind(framework.0);
                for value in &values {
                    select = select.bind(*value);
                }
                let rows = select.fetch_all(pool).await?;
                for row in rows {
                    cells.push(row.into_domain(*cycle)?);
                }
                Ok::<(), StoreError>(())
            })?;
        }
        Ok(cells)
    }
}

impl Store {
    /// The distinct (school, team, role) combinations of the people who made a
    /// judgement in `cycle`: the groups a heatmap has columns for.
    pub async fn attribute_combinations(
        &self,
        trust: leadkit_domain::people::TrustId,
        cycle: CycleId,
    ) -> Result<Vec<Attributes>, StoreError> {
        on_pool!(self, pool => {
            Ok(sqlx::query_as::<_, AttributesRow>(&format!(
                "select distinct {ATTRIBUTE_COLUMNS} from person p {PERSON_ATTRIBUTES}
                 where p.trust_id = $1 and exists (
                     select 1 from reflection r
                     where r.person_id = p.id and r.cycle_id = $2 and r.judgement is not null)"
            ))
            .bind(trust.0)
            .bind(cycle.0)
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(Attributes::from)
            .collect())
        })
    }
}

#[cfg(test)]
mod seniority_tests {
    use leadkit_domain::people::Role;

    /// The `case role when 'x' then n` pairs of a statement.
    fn ranks(sql: &str) -> Vec<(String, i64)> {
        sql.split("when '")
            .skip(1)
            .map(|part| {
                let (role, rest) = part.split_once("' then ").unwrap_or_default();
                let rank = rest
                    .split(|c: char| !c.is_ascii_digit())
                    .next()
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(-1);
                (role.to_owned(), rank)
            })
            .collect()
    }

    #[test]
    fn the_sql_ranks_roles_as_the_domain_does() {
        for sql in [super::PERSON_ATTRIBUTES, crate::insight::ATTRIBUTES_SQL] {
            let found = ranks(sql);
            let expected: Vec<(String, i64)> =
                [Role::TrustLead, Role::SchoolLead, Role::Coach, Role::Leader]
                    .into_iter()
                    .map(|role| (role.as_str().to_owned(), role.seniority()))
                    .collect();
            assert_eq!(found, expected, "{sql}");
        }
        assert_eq!(Role::Administrator.seniority(), 0);
    }
}
