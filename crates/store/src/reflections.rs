//! Reflections: saving one judgement and note, reading a person's reflections.

use crate::BeginWrite;
use leadkit_domain::cycle::CycleId;
use leadkit_domain::framework::ItemCode;
use leadkit_domain::people::PersonId;
use leadkit_domain::reflection::{Judgement, Note, Reflection, ReflectionChange};
use time::OffsetDateTime;

use crate::frameworks::FrameworkVersionId;
use crate::{Store, StoreError, on_pool, stored, timestamp};

/// Whose reflections, in which cycle, against which framework version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReflectionScope {
    pub person: PersonId,
    pub cycle: CycleId,
    pub framework: FrameworkVersionId,
}

/// Inserts or replaces one reflection, finding the item by its code in the version.
/// (The select's `where` also keeps SQLite from reading `on conflict` as a join.)
const UPSERT: &str = "insert into reflection (person_id, cycle_id, item_id, judgement, note, updated_at)
     select $1, $2, id, $3, $4, $5 from framework_item where framework_id = $6 and code = $7
     on conflict (person_id, cycle_id, item_id)
     do update set judgement = excluded.judgement, note = excluded.note, updated_at = excluded.updated_at";

impl Store {
    /// Saves one reflection (insert or replace) and returns it as stored. The change
    /// must already be validated against the framework; an item code the stored
    /// version does not have is `NotFound` and changes nothing.
    pub async fn save_reflection(
        &self,
        scope: ReflectionScope,
        change: &ReflectionChange,
        now: OffsetDateTime,
    ) -> Result<Reflection, StoreError> {
        on_pool!(self, pool => {
            let done = sqlx::query(UPSERT)
            .bind(scope.person.0)
            .bind(scope.cycle.0)
            .bind(change.judgement.as_ref().map(Judgement::as_str))
            .bind(change.note.as_str())
            .bind(now.unix_timestamp())
            .bind(scope.framework.0)
            .bind(change.item.as_str())
            .execute(pool)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            self.changed_here(|cache| cache.forget_reflections(&scope));
            Ok(Reflection {
                item: change.item.clone(),
                judgement: change.judgement.clone(),
                note: change.note.clone(),
                updated_at: timestamp(now.unix_timestamp())?,
            })
        })
    }

    /// Saves several reflections in one transaction: all of them or none.
    pub async fn save_reflections(
        &self,
        scope: ReflectionScope,
        changes: &[ReflectionChange],
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            // In one order for everyone: each save marks its components' insight
            // stale (migration 0011), and on PostgreSQL two saves that locked
            // the same marks in opposite orders would deadlock.
            let mut ordered: Vec<&ReflectionChange> = changes.iter().collect();
            ordered.sort_by(|a, b| a.item.as_str().cmp(b.item.as_str()));
            let mut tx = pool.begin_write().await?;
            for change in ordered {
                let done = sqlx::query(UPSERT)
                    .bind(scope.person.0)
                    .bind(scope.cycle.0)
                    .bind(change.judgement.as_ref().map(Judgement::as_str))
                    .bind(change.note.as_str())
                    .bind(now.unix_timestamp())
                    .bind(scope.framework.0)
                    .bind(change.item.as_str())
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound);
                }
            }
            tx.commit().await?;
            self.changed_here(|cache| cache.forget_reflections(&scope));
            Ok(())
        })
    }

    /// A person's reflections in one cycle against one framework version, in the
    /// framework's order.
    pub async fn reflections(&self, scope: ReflectionScope) -> Result<Vec<Reflection>, StoreError> {
        Ok(self.shared_reflections(scope).await?.as_ref().clone())
    }

    /// The same, shared rather than copied. With the read cache on, two calls
    /// return the same allocation until a write changes this scope, so a caller
    /// may keep the `Arc` and compare it ([`Arc::ptr_eq`]) to know that nothing
    /// changed (the web layer's page cache does).
    pub async fn shared_reflections(
        &self,
        scope: ReflectionScope,
    ) -> Result<std::sync::Arc<Vec<Reflection>>, StoreError> {
        let seen = match self.cache.as_ref().map(|cache| cache.reflections(&scope)) {
            Some(crate::cache::Lookup::Hit(hit)) => return Ok(hit),
            Some(crate::cache::Lookup::Miss(seen)) => Some(seen),
            None => None,
        };
        let loaded = std::sync::Arc::new(self.load_reflections(scope).await?);
        if let (Some(cache), Some(seen)) = (&self.cache, seen) {
            cache.put_reflections(seen, &scope, loaded.clone());
        }
        Ok(loaded)
    }

    async fn load_reflections(
        &self,
        scope: ReflectionScope,
    ) -> Result<Vec<Reflection>, StoreError> {
        // One row holding a JSON array rather than a row per reflection: this runs on
        // every reflection page, and sqlx's SQLite driver hands each row from its
        // worker thread to the runtime separately, which cost half the page's time
        // (see bench/run.sh). Both dialects build the same array.
        let sql = match self.db {
            crate::Db::Sqlite(_) => {
                "select coalesce(json_group_array(json_array(i.code, r.judgement, r.note, r.updated_at)
                                 order by i.position), '[]') as reflections
                 from reflection r join framework_item i on i.id = r.item_id
                 where r.person_id = $1 and r.cycle_id = $2 and i.framework_id = $3"
            }
            crate::Db::Postgres(_) => {
                "select coalesce(json_agg(json_build_array(i.code, r.judgement, r.note, r.updated_at)
                                 order by i.position)::text, '[]') as reflections
                 from reflection r join framework_item i on i.id = r.item_id
                 where r.person_id = $1 and r.cycle_id = $2 and i.framework_id = $3"
            }
        };
        let text: String = on_pool!(self, pool => {
            sqlx::query_scalar::<_, String>(sql)
                .bind(scope.person.0)
                .bind(scope.cycle.0)
                .bind(scope.framework.0)
                .fetch_one(pool)
                .await?
        });
        let rows: Vec<(String, Option<String>, String, i64)> =
            stored(serde_json::from_str(&text), "reflections")?;
        rows.into_iter()
            .map(|(code, judgement, note, updated_at)| {
                Ok(Reflection {
                    item: stored(ItemCode::parse(&code), "item code")?,
                    judgement: judgement
                        .map(|raw| stored(Judgement::parse(&raw), "judgement"))
                        .transpose()?,
                    note: stored(Note::parse(&note), "note")?,
                    updated_at: timestamp(updated_at)?,
                })
            })
            .collect()
    }
}
