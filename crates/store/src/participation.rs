//! Participation: how many leaders of each school have started and finished
//! reflecting in a cycle, set goals and had them reviewed. Counts only; the
//! small-group rule that decides what may be shown is the caller's
//! ([`leadkit_domain::insight`]'s threshold).

use leadkit_domain::cycle::CycleId;
use leadkit_domain::framework::FrameworkVersionId;
use leadkit_domain::people::{SchoolId, TrustId};

use crate::{Store, StoreError, on_pool};

/// One school's counts (or the trust's central staff's, `school: None`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Participation {
    pub school: Option<(SchoolId, String)>,
    /// Leaders (people with the leader role), not archived.
    pub people: i64,
    /// With at least one level chosen in the cycle.
    pub started: i64,
    /// With a level chosen for every one of the framework's `total` items.
    pub finished: i64,
    /// With at least one goal in the cycle.
    pub with_goals: i64,
    /// With at least one goal reviewed.
    pub reviewed: i64,
}

#[derive(sqlx::FromRow)]
struct ParticipationRow {
    school_id: Option<i64>,
    school: Option<String>,
    people: i64,
    started: i64,
    finished: i64,
    with_goals: i64,
    reviewed: i64,
}

impl Store {
    /// Every school's participation in `cycle` on one framework version whose
    /// reflectable items number `total`, by school name (central staff last).
    /// One query for the whole trust.
    pub async fn participation(
        &self,
        trust: TrustId,
        cycle: CycleId,
        framework: FrameworkVersionId,
        total: i64,
    ) -> Result<Vec<Participation>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query_as::<_, ParticipationRow>(
                "select p.school_id, s.name as school, count(*) as people,
                        sum(case when coalesce(rc.n, 0) > 0 then 1 else 0 end) as started,
                        sum(case when coalesce(rc.n, 0) >= $4 then 1 else 0 end) as finished,
                        sum(case when coalesce(g.n, 0) > 0 then 1 else 0 end) as with_goals,
                        sum(case when coalesce(g.reviewed, 0) > 0 then 1 else 0 end) as reviewed
                 from person p
                 left join school s on s.id = p.school_id
                 left join (select r.person_id, count(*) as n from reflection r
                            join framework_item fi on fi.id = r.item_id
                            where r.cycle_id = $2 and fi.framework_id = $3 and r.judgement is not null
                            group by r.person_id) rc on rc.person_id = p.id
                 left join (select owner_id, count(*) as n,
                                   sum(case when review_outcome is null then 0 else 1 end) as reviewed
                            from goal where cycle_id = $2 group by owner_id) g on g.owner_id = p.id
                 where p.trust_id = $1 and p.archived_at is null
                   and exists (select 1 from person_role pr where pr.person_id = p.id and pr.role = 'leader')
                 group by p.school_id, s.name
                 order by case when s.name is null then 1 else 0 end, s.name",
            )
            .bind(trust.0)
            .bind(cycle.0)
            .bind(framework.0)
            .bind(total)
            .fetch_all(pool)
            .await?;
            Ok(rows
                .into_iter()
                .map(|row| Participation {
                    school: row.school_id.zip(row.school).map(|(id, name)| (SchoolId(id), name)),
                    people: row.people,
                    started: row.started,
                    finished: row.finished,
                    with_goals: row.with_goals,
                    reviewed: row.reviewed,
                })
                .collect())
        })
    }
}
