//! The rows school and trust insight is counted from: every judgement in a
//! cycle with the grouping attributes of the person who made it. Names never
//! leave this query.

use leadkit_domain::cycle::CycleId;
use leadkit_domain::framework::ItemCode;
use leadkit_domain::insight::Attributes;
use leadkit_domain::people::TrustId;
use leadkit_domain::reflection::Judgement;

use crate::frameworks::FrameworkVersionId;
use crate::insight_cells::{ATTRIBUTE_COLUMNS, AttributesRow, PERSON_ATTRIBUTES};
use crate::{BeginWrite, Store, StoreError, on_pool, stored};

/// One judgement with the attributes it is grouped by. `role` is the
/// [`leadkit_domain::people::Role::seniority`] of the person's most senior role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupedJudgement {
    pub who: Attributes,
    pub item: ItemCode,
    pub judgement: Judgement,
}

/// The grouping attributes of person `p`, as columns school, team, role.
#[cfg(test)]
pub(crate) const ATTRIBUTES_SQL: &str = ATTRIBUTES;
const ATTRIBUTES: &str = "coalesce(p.school_id, 0) as school, coalesce(p.team_id, 0) as team,
    cast((select coalesce(max(case pr.role when 'trust_lead' then 4 when 'school_lead' then 3
             when 'coach' then 2 when 'leader' then 1 else 0 end), 0)
     from person_role pr where pr.person_id = p.id) as bigint) as role";

/// A [`GroupedJudgement`] as read: the attribute columns, code, judgement.
#[derive(sqlx::FromRow)]
struct GroupedJudgementRow {
    #[sqlx(flatten)]
    who: AttributesRow,
    code: String,
    judgement: String,
}

impl GroupedJudgementRow {
    fn into_domain(self) -> Result<GroupedJudgement, StoreError> {
        Ok(GroupedJudgement {
            who: self.who.into(),
            item: stored(ItemCode::parse(&self.code), "item code")?,
            judgement: stored(Judgement::parse(&self.judgement), "judgement")?,
        })
    }
}

/// A [`GroupedGoal`] as read: the attribute columns and the item's code.
#[derive(sqlx::FromRow)]
struct GroupedGoalRow {
    #[sqlx(flatten)]
    who: AttributesRow,
    code: String,
}

/// An [`Expert`] as read.
#[derive(sqlx::FromRow)]
struct ExpertRow {
    id: i64,
    full_name: String,
    email: String,
    job_title: String,
    school: Option<String>,
    code: String,
}

/// Someone with a goal on a component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupedGoal {
    pub who: Attributes,
    pub item: ItemCode,
}

impl Store {
    /// Every judgement made in `cycle` against `framework` by people of `trust`.
    pub async fn grouped_judgements(
        &self,
        trust: TrustId,
        cycle: CycleId,
        framework: FrameworkVersionId,
    ) -> Result<Vec<GroupedJudgement>, StoreError> {
        on_pool!(self, pool => {
            sqlx::query_as::<_, GroupedJudgementRow>(&format!(
                "select {ATTRIBUTE_COLUMNS}, i.code, r.judgement
                 from reflection r
                 join person p on p.id = r.person_id {PERSON_ATTRIBUTES}
                 join framework_item i on i.id = r.item_id
                 where p.trust_id = $1 and r.cycle_id = $2 and i.framework_id = $3 and r.judgement is not null"
            ))
            .bind(trust.0)
            .bind(cycle.0)
            .bind(framework.0)
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(GroupedJudgementRow::into_domain)
            .collect()
        })
    }
}

impl Store {
    /// The trust's insight threshold (at least 5).
    pub async fn insight_threshold(&self, trust: TrustId) -> Result<u32, StoreError> {
        on_pool!(self, pool => {
            let k = sqlx::query_scalar::<_, i64>("select insight_threshold as k from trust where id = $1")
                .bind(trust.0)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)?;
            Ok(u32::try_from(k).unwrap_or(u32::MAX))
        })
    }

    /// Sets the trust's insight threshold; the database refuses anything below 5.
    pub async fn set_insight_threshold(
        &self,
        trust: TrustId,
        threshold: u32,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("update trust set insight_threshold = $1 where id = $2")
                .bind(i64::from(threshold))
                .bind(trust.0)
                .execute(&mut *tx)
                .await?;
            // Every precomputed cell of the trust was released under the old
            // threshold: count them all again.
            sqlx::query(
                "insert into insight_stale (cycle_id, item_id, version)
                 select distinct r.cycle_id, r.item_id, 1 from reflection r
                 join cycle c on c.id = r.cycle_id where c.trust_id = $1
                 order by r.cycle_id, r.item_id
                 on conflict (cycle_id, item_id) do update set version = insight_stale.version + 1",
            )
            .bind(trust.0)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Each person with a goal in `cycle` on a component of the framework version.
    pub async fn grouped_goals(
        &self,
        trust: TrustId,
        cycle: CycleId,
        framework: FrameworkVersionId,
    ) -> Result<Vec<GroupedGoal>, StoreError> {
        on_pool!(self, pool => {
            sqlx::query_as::<_, GroupedGoalRow>(&format!(
                "select distinct g.owner_id, {ATTRIBUTES}, i.code
                 from goal g
                 join goal_item gi on gi.goal_id = g.id
                 join framework_item i on i.id = gi.item_id
                 join person p on p.id = g.owner_id
                 where p.trust_id = $1 and g.cycle_id = $2 and i.framework_id = $3"
            ))
            .bind(trust.0)
            .bind(cycle.0)
            .bind(framework.0)
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|row| {
                Ok(GroupedGoal {
                    who: row.who.into(),
                    item: stored(ItemCode::parse(&row.code), "item code")?,
                })
            })
            .collect()
        })
    }

    /// Every coach-agreed judgement in `cycle`, with the coachee's attributes.
    pub async fn grouped_coach_judgements(
        &self,
        trust: TrustId,
        cycle: CycleId,
        framework: FrameworkVersionId,
    ) -> Result<Vec<GroupedJudgement>, StoreError> {
        on_pool!(self, pool => {
            sqlx::query_as::<_, GroupedJudgementRow>(&format!(
                "select {ATTRIBUTES}, i.code, v.judgement
                 from coach_view v
                 join person p on p.id = v.person_id
                 join framework_item i on i.id = v.item_id
                 where p.trust_id = $1 and v.cycle_id = $2 and i.framework_id = $3 and v.judgement is not null"
            ))
            .bind(trust.0)
            .bind(cycle.0)
            .bind(framework.0)
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(GroupedJudgementRow::into_domain)
            .collect()
        })
    }
}

/// Someone listed in the expertise directory for a component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expert {
    pub person: leadkit_domain::people::PersonId,
    pub name: String,
    pub email: String,
    pub job_title: String,
    pub school: Option<String>,
    pub item: ItemCode,
}

impl Store {
    pub async fn set_expertise_opt_in(
        &self,
        person: leadkit_domain::people::PersonId,
        listed: bool,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("update person set expertise_opt_in = $1 where id = $2")
                .bind(i64::from(listed))
                .bind(person.0)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    pub async fn expertise_opt_in(
        &self,
        person: leadkit_domain::people::PersonId,
    ) -> Result<bool, StoreError> {
        on_pool!(self, pool => {
            let opted_in = sqlx::query_scalar::<_, i64>("select expertise_opt_in as o from person where id = $1")
                .bind(person.0)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)?;
            Ok(opted_in == 1)
        })
    }

    /// People of the trust who opted in, against each component of the framework
    /// version where, in an open cycle, they judged themselves at `top` and their
    /// coach agreed.
    pub async fn experts(
        &self,
        trust: TrustId,
        framework: FrameworkVersionId,
        top: &str,
    ) -> Result<Vec<Expert>, StoreError> {
        on_pool!(self, pool => {
            sqlx::query_as::<_, ExpertRow>(
                "select distinct p.id, p.full_name, p.email, p.job_title, s.name as school, i.code, i.position
                 from reflection r
                 join coach_view v on v.person_id = r.person_id and v.cycle_id = r.cycle_id and v.item_id = r.item_id
                 join cycle c on c.id = r.cycle_id
                 join person p on p.id = r.person_id
                 left join school s on s.id = p.school_id
                 join framework_item i on i.id = r.item_id
                 where p.trust_id = $1 and i.framework_id = $2 and r.judgement = $3 and v.judgement = $3
                   and p.expertise_opt_in = 1 and p.archived_at is null and c.closed_at is null
                 order by i.position, p.full_name",
            )
            .bind(trust.0)
            .bind(framework.0)
            .bind(top)
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|row| {
                Ok(Expert {
                    person: leadkit_domain::people::PersonId(row.id),
                    name: row.full_name,
                    email: row.email,
                    job_title: row.job_title,
                    school: row.school,
                    item: stored(ItemCode::parse(&row.code), "item code")?,
                })
            })
            .collect()
        })
    }
}
