//! Precomputed growth: for each pair of cycles a view has asked for and each
//! component, every population whose growth may be shown, with how many moved
//! up, stayed and moved down (the `growth_cell` table, migration 0013).
//!
//! A pair's cells record the change counts of its two cycles they were computed
//! from (`growth_counted`); the counts grow with every mark the insight triggers
//! make (`insight_version`). [`Store::refresh_growth`] computes again only the
//! components whose counts moved on, so after one leader changes one judgement
//! the growth view counts one component, not every person's two judgements of
//! every component. Growth is shown per school and role, never per team, so
//! the groups kept are those that leave the team open.

use leadkit_domain::cycle::CycleId;
use leadkit_domain::framework::ItemCode;
use leadkit_domain::insight::{Growth, Move, Population, Threshold};
use leadkit_domain::reflection::Judgement;
use leadkit_domain::scale::Scale;

use crate::frameworks::FrameworkVersionId;
use crate::insight_cells::{
    ATTRIBUTE_COLUMNS, AttributesRow, PERSON_ATTRIBUTES, Refreshed, column, rank_of,
};
use crate::{BeginWrite, Store, StoreError, on_pool, stored};

/// One component's state for a pair of cycles.
struct ItemState {
    item: i64,
    /// The change counts of the two cycles now.
    versions: (i64, i64),
    /// The counts its cells were computed from, if ever.
    counted: Option<(i64, i64)>,
}

/// A component's change counts and what its cells were counted from, as read.
#[derive(sqlx::FromRow)]
struct ItemStateRow {
    id: i64,
    from_version: i64,
    to_version: i64,
    counted_from: Option<i64>,
    counted_to: Option<i64>,
}

impl From<ItemStateRow> for ItemState {
    fn from(row: ItemStateRow) -> Self {
        ItemState {
            item: row.id,
            versions: (row.from_version, row.to_version),
            counted: row.counted_from.zip(row.counted_to),
        }
    }
}

/// How many people of one attribute combination made one pair of judgements.
#[derive(sqlx::FromRow)]
struct MoveRow {
    item_id: i64,
    #[sqlx(flatten)]
    who: AttributesRow,
    before: String,
    after: String,
    people: i64,
}

/// A stored `growth_cell` with its item's code.
#[derive(sqlx::FromRow)]
struct GrowthRow {
    code: String,
    up: i64,
    same: i64,
    down: i64,
}

impl Store {
    /// Brings the growth cells between `from` and `to` for one framework
    /// version up to date: the components either cycle has changed in since
    /// they were counted (every component, the first time a pair is asked for).
    pub async fn refresh_growth(
        &self,
        (from, to): (CycleId, CycleId),
        framework: FrameworkVersionId,
        scale: Option<&Scale>,
        threshold: Threshold,
    ) -> Result<Refreshed, StoreError> {
        let mut done = Refreshed::default();
        on_pool!(self, pool => {
            let states: Vec<ItemState> = sqlx::query_as::<_, ItemStateRow>(
                "select i.id, coalesce(vf.version, 0) as from_version, coalesce(vt.version, 0) as to_version,
                        g.from_version as counted_from, g.to_version as counted_to
                 from framework_item i
                 left join insight_version vf on vf.cycle_id = $1 and vf.item_id = i.id
                 left join insight_version vt on vt.cycle_id = $2 and vt.item_id = i.id
                 left join growth_counted g on g.from_cycle = $1 and g.to_cycle = $2 and g.item_id = i.id
                 where i.framework_id = $3
                 order by i.id",
            )
            .bind(from.0)
            .bind(to.0)
            .bind(framework.0)
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(ItemState::from)
            .collect();
            let stale: Vec<&ItemState> = states
                .iter()
                .filter(|s| s.counted != Some(s.versions))
                .collect();
            if stale.is_empty() {
                return Ok(done);
            }
            // A component nobody has judged in one of the cycles has no growth:
            // only the rest are counted. The first time, that is all of them,
            // and the query reads everything without a list of components.
            let to_count: Vec<i64> = stale
                .iter()
                .filter(|s| s.versions.0 > 0 && s.versions.1 > 0)
                .map(|s| s.item)
                .collect();
            let every_judged = states.iter().filter(|s| s.versions.0 > 0 && s.versions.1 > 0).count();
            let only = if to_count.len() == every_judged {
                String::new()
            } else {
                // Ids read from the database just above: integers, safe to inline.
                let ids: Vec<String> = to_count.iter().map(i64::to_string).collect();
                format!("and a.item_id in ({})", ids.join(","))
            };
            let mut moves_of: std::collections::HashMap<i64, Vec<Move>> = std::collections::HashMap::new();
            if !to_count.is_empty() {
                // Each person's two judgements of a component, counted per
                // attribute combination and move. It starts from the people and
                // takes their judgements by the (person, cycle, item) key, in the
                // order they lie on disk (`cross join` keeps that order on
                // SQLite; PostgreSQL plans it as any inner join).
                let rows = sqlx::query_as::<_, MoveRow>(&format!(
                    "select a.item_id, {ATTRIBUTE_COLUMNS}, a.judgement as before, b.judgement as after,
                            count(*) as people
                     from person p
                     cross join reflection a
                     cross join reflection b
                     {PERSON_ATTRIBUTES}
                     where a.person_id = p.id and a.cycle_id = $1
                       and b.person_id = a.person_id and b.item_id = a.item_id and b.cycle_id = $2
                       and a.judgement is not null and b.judgement is not null
                       and a.judgement <> 'not_in_role' and b.judgement <> 'not_in_role' {only}
                     group by 1, 2, 3, 4, 5, 6"
                ))
                .bind(from.0)
                .bind(to.0)
                .fetch_all(pool)
                .await?;
                for row in rows {
                    let before = stored(Judgement::parse(&row.before), "judgement")?;
                    let after = stored(Judgement::parse(&row.after), "judgement")?;
                    let (Some(from_rank), Some(to_rank)) = (rank_of(scale, &before), rank_of(scale, &after)) else {
                        continue;
                    };
                    moves_of.entry(row.item_id).or_default().push(Move {
                        who: row.who.into(),
                        from: from_rank,
                        to: to_rank,
                        people: u32::try_from(row.people).unwrap_or(u32::MAX),
                    });
                }
            }
            for state in stale {
                let moves = moves_of.remove(&state.item).unwrap_or_default();
                // Whether a group may be shown is decided over every group,
                // teams included; but growth is only ever asked for a school and
                // a role (see [`Store::growth_cells`]), so only those are kept:
                // a tenth of the rows at 100,000 leaders.
                let cells: Vec<(Population, Growth)> =
                    leadkit_domain::insight::released_growth(&moves, threshold)
                        .into_iter()
                        .filter(|(population, _)| population.team.is_none())
                        .collect();
                let mut tx = pool.begin_write().await?;
                // Recording what is counted comes first: on PostgreSQL it locks
                // the row, so a second refresh of the same component waits here
                // and then replaces these cells instead of colliding with them.
                sqlx::query(
                    "insert into growth_counted (from_cycle, to_cycle, item_id, from_version, to_version)
                     values ($1, $2, $3, $4, $5)
                     on conflict (from_cycle, to_cycle, item_id)
                     do update set from_version = excluded.from_version, to_version = excluded.to_version",
                )
                .bind(from.0)
                .bind(to.0)
                .bind(state.item)
                .bind(state.versions.0)
                .bind(state.versions.1)
                .execute(&mut *tx)
                .await?;
                // Counted with the threshold the trust still has? (Raising it
                // marks every component, so either this sees the new threshold
                // or the counts recorded above are already out of date.)
                let current = sqlx::query_scalar::<_, i64>(
                    "select t.insight_threshold as k from cycle c join trust t on t.id = c.trust_id where c.id = $1",
                )
                .bind(to.0)
                .fetch_one(&mut *tx)
                .await?;
                if current != i64::from(threshold.get()) {
                    return Err(StoreError::Conflict(
                        "the insight threshold changed while counting; look again".into(),
                    ));
                }
                sqlx::query("delete from growth_cell where from_cycle = $1 and to_cycle = $2 and item_id = $3")
                    .bind(from.0)
                    .bind(to.0)
                    .bind(state.item)
                    .execute(&mut *tx)
                    .await?;
                for chunk in cells.chunks(500) {
                    let mut sql = String::from(
                        "insert into growth_cell (from_cycle, to_cycle, item_id, school, team, role, up, same, down) values ",
                    );
                    for i in 0..chunk.len() {
                        let b = i * 9;
                        if i > 0 {
                            sql.push(',');
                        }
                        sql.push('(');
                        for n in 1..=9 {
                            if n > 1 {
                                sql.push(',');
                            }
                            sql.push_str(&format!("${}", b + n));
                        }
                        sql.push(')');
                    }
                    let mut query = sqlx::query(&sql);
                    for (population, growth) in chunk {
                        query = query
                            .bind(from.0)
                            .bind(to.0)
                            .bind(state.item)
                            .bind(column(population.school))
                            .bind(column(population.team))
                            .bind(column(population.role))
                            .bind(i64::from(growth.up))
                            .bind(i64::from(growth.same))
                            .bind(i64::from(growth.down));
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

    /// The growth between `from` and `to` of the people of `school` with
    /// `role` (each `None` for any, whatever their team), per component whose
    /// growth may be shown (call [`Store::refresh_growth`] first). A component
    /// left out is withheld.
    pub async fn growth_cells(
        &self,
        (from, to): (CycleId, CycleId),
        framework: FrameworkVersionId,
        (school, role): (Option<i64>, Option<i64>),
    ) -> Result<Vec<(ItemCode, Growth)>, StoreError> {
        let population = Population {
            school,
            team: None,
            role,
        };
        on_pool!(self, pool => {
            sqlx::query_as::<_, GrowthRow>(
                "select i.code, c.up, c.same, c.down
                 from growth_cell c join framework_item i on i.id = c.item_id
                 where c.from_cycle = $1 and c.to_cycle = $2
                   and c.team = $3 and c.role = $4 and c.school = $5 and i.framework_id = $6",
            )
            .bind(from.0)
            .bind(to.0)
            .bind(column(population.team))
            .bind(column(population.role))
            .bind(column(population.school))
            .bind(framework.0)
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|row| {
                let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
                Ok((
                    stored(ItemCode::parse(&row.code), "item code")?,
                    Growth {
                        up: count(row.up),
                        same: count(row.same),
                        down: count(row.down),
                    },
                ))
            })
            .collect()
        })
    }
}
