//! Frameworks: publishing a version (document and item rows) and reading them back.

use crate::BeginWrite;
pub use leadkit_domain::framework::FrameworkVersionId;
use leadkit_domain::framework::{Framework, FrameworkKey};
use time::OffsetDateTime;

use crate::{Store, StoreError, on_pool, stored, timestamp};

/// A framework version as stored, with its database identity.
#[derive(Debug, Clone)]
pub struct StoredFramework {
    pub id: FrameworkVersionId,
    pub framework: Framework,
    /// When this version was published (it never changes afterwards).
    pub published_at: OffsetDateTime,
}

/// Copies every reflection on one item of the previous version ($3, $4) to one
/// item of the new version ($1, $2), unless the person already has one there.
const CARRY_FORWARD: &str =
    "insert into reflection (person_id, cycle_id, item_id, judgement, note, updated_at)
     select r.person_id, r.cycle_id, ni.id, r.judgement, r.note, r.updated_at
     from reflection r
     join framework_item oi on oi.id = r.item_id
     join framework_item ni on ni.framework_id = $1 and ni.code = $2
     where oi.framework_id = $3 and oi.code = $4
     on conflict (person_id, cycle_id, item_id) do nothing";

/// A `framework` row: its id, document and publication time.
#[derive(sqlx::FromRow)]
struct FrameworkRow {
    id: i64,
    document: String,
    published_at: i64,
}

impl FrameworkRow {
    fn into_domain(self) -> Result<StoredFramework, StoreError> {
        Ok(StoredFramework {
            id: FrameworkVersionId(self.id),
            framework: stored(serde_json::from_str(&self.document), "framework document")?,
            published_at: timestamp(self.published_at)?,
        })
    }
}

impl Store {
    /// Stores `framework` unless that key and version are already stored, and
    /// returns its id either way. Items are written in the same transaction.
    pub async fn publish_framework(
        &self,
        framework: &Framework,
        now: OffsetDateTime,
    ) -> Result<FrameworkVersionId, StoreError> {
        framework
            .validate()
            .map_err(|error| StoreError::Corrupt(error.to_string()))?;
        let document = serde_json::to_string(framework)
            .map_err(|error| StoreError::Corrupt(error.to_string()))?;
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let existing = sqlx::query_scalar::<_, i64>("select id from framework where key = $1 and version = $2")
                .bind(framework.key.as_str())
                .bind(&framework.version)
                .fetch_optional(&mut *tx)
                .await?;
            if let Some(id) = existing {
                return Ok(FrameworkVersionId(id));
            }
            let id = sqlx::query_scalar::<_, i64>(
                "insert into framework (key, version, title, document, published_at)
                 values ($1, $2, $3, $4, $5) returning id",
            )
            .bind(framework.key.as_str())
            .bind(&framework.version)
            .bind(&framework.title)
            .bind(&document)
            .bind(now.unix_timestamp())
            .fetch_one(&mut *tx)
            .await
            .map_err(|error| StoreError::from_write(error, "that framework version exists"))?;
            let mut position: i64 = 0;
            let mut stack: Vec<(Option<&str>, &leadkit_domain::framework::Item)> =
                framework.items.iter().rev().map(|item| (None, item)).collect();
            while let Some((parent, item)) = stack.pop() {
                sqlx::query(
                    "insert into framework_item (framework_id, code, parent_code, kind, position, title)
                     values ($1, $2, $3, $4, $5, $6)",
                )
                .bind(id)
                .bind(item.code.as_str())
                .bind(parent)
                .bind(&item.kind)
                .bind(position)
                .bind(&item.title)
                .execute(&mut *tx)
                .await?;
                position += 1;
                stack.extend(item.children.iter().rev().map(|child| (Some(item.code.as_str()), child)));
            }
            // Reflections on the previous version stay with it; a copy of each
            // carries forward to the item that continues it in this version.
            let previous = sqlx::query_as::<_, (i64, String)>(
                "select id, document from framework where key = $1 and id < $2 order by id desc limit 1",
            )
            .bind(framework.key.as_str())
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some((previous_id, document)) = previous {
                let old: Framework = stored(serde_json::from_str(&document), "framework document")?;
                for (from, to) in leadkit_domain::framework::diff::carry_forward(&old, framework) {
                    sqlx::query(CARRY_FORWARD)
                        .bind(id)
                        .bind(to.as_str())
                        .bind(previous_id)
                        .bind(from.as_str())
                        .execute(&mut *tx)
                        .await?;
                }
            }
            tx.commit().await?;
            self.changed(|cache| cache.forget_all_reflections()).await?;
            Ok(FrameworkVersionId(id))
        })
    }

    /// Every stored framework version, in order of key and publication.
    pub async fn frameworks(&self) -> Result<Vec<StoredFramework>, StoreError> {
        on_pool!(self, pool => {
            let rows = sqlx::query_as::<_, FrameworkRow>(
                "select id, document, published_at from framework order by key, id",
            )
            .fetch_all(pool)
            .await?;
            rows.into_iter().map(FrameworkRow::into_domain).collect()
        })
    }

    /// The newest stored version of the framework with this key.
    pub async fn latest_framework(
        &self,
        key: &FrameworkKey,
    ) -> Result<StoredFramework, StoreError> {
        on_pool!(self, pool => {
            sqlx::query_as::<_, FrameworkRow>(
                "select id, document, published_at from framework where key = $1 order by id desc limit 1",
            )
            .bind(key.as_str())
            .fetch_optional(pool)
            .await?
            .ok_or(StoreError::NotFound)?
            .into_domain()
        })
    }
}
