//! Sign-in sessions, stored by the hash of their token.

use leadkit_domain::people::{
    Email, Person, PersonId, PersonName, Role, RoleGrant, SchoolId, SessionLimits, TrustId,
};
use time::OffsetDateTime;

use crate::cache::{CachedSession, Lookup};
use crate::{Store, StoreError, on_pool, stored, timestamp};

/// A live session as found by its token.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub person: PersonId,
    pub csrf_token: String,
    pub created_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
    /// The person's trust's limits, which the caller applies.
    pub limits: SessionLimits,
}

/// A session to create.
#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub person: PersonId,
    pub csrf_token: &'a str,
    /// When the session ends however active it is (the absolute timeout).
    pub expires_at: OffsetDateTime,
}

/// One row of a session with its person and one of their roles (`role` is
/// `None` for a person without any).
#[derive(sqlx::FromRow)]
struct SignedInRow {
    person_id: i64,
    csrf_token: String,
    created_at: i64,
    last_seen_at: i64,
    expires_at: i64,
    session_idle_minutes: i64,
    session_absolute_hours: i64,
    trust_id: i64,
    school_id: Option<i64>,
    full_name: String,
    email: String,
    job_title: String,
    role: Option<String>,
    role_school_id: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    person_id: i64,
    csrf_token: String,
    created_at: i64,
    last_seen_at: i64,
    session_idle_minutes: i64,
    session_absolute_hours: i64,
}

impl SessionRow {
    fn into_domain(self) -> Result<SessionRecord, StoreError> {
        Ok(SessionRecord {
            person: PersonId(self.person_id),
            csrf_token: self.csrf_token,
            created_at: timestamp(self.created_at)?,
            last_seen_at: timestamp(self.last_seen_at)?,
            limits: SessionLimits {
                idle_minutes: self.session_idle_minutes,
                absolute_hours: self.session_absolute_hours,
            },
        })
    }
}

impl Store {
    /// The live session with this token hash together with its person and their
    /// roles, in one query: this runs on every signed-in request. With a read
    /// cache it first looks whether another process has changed people, roles,
    /// sessions or cycles since the last request (one small read), so that an
    /// archive, erase or import from the command line ends sessions at once.
    pub async fn signed_in_session(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<(SessionRecord, Person)>, StoreError> {
        self.notice_other_writers().await?;
        let found = match self.cache.as_ref().map(|cache| cache.session(token_hash)) {
            Some(Lookup::Hit(hit)) => Some(hit),
            seen => {
                let loaded = self.load_session(token_hash).await?;
                if let (Some(cache), Some(Lookup::Miss(seen)), Some(entry)) =
                    (&self.cache, seen, &loaded)
                {
                    cache.put_session(seen, token_hash, entry.clone());
                }
                loaded
            }
        };
        Ok(found
            .filter(|entry| entry.expires_at > now.unix_timestamp())
            .map(|entry| (entry.record, entry.person)))
    }

    async fn load_session(&self, token_hash: &str) -> Result<Option<CachedSession>, StoreError> {
        on_pool!(self, pool => {
            let mut rows = sqlx::query_as::<_, SignedInRow>(
                "select s.person_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at,
                        t.session_idle_minutes, t.session_absolute_hours,
                        p.trust_id, p.school_id, p.full_name, p.email, p.job_title,
                        r.role, r.school_id as role_school_id
                 from session s
                 join person p on p.id = s.person_id
                 join trust t on t.id = p.trust_id
                 left join person_role r on r.person_id = p.id
                 where s.token_hash = $1 and p.archived_at is null
                 order by r.role",
            )
            .bind(token_hash)
            .fetch_all(pool)
            .await?;
            let mut roles = Vec::with_capacity(rows.len());
            for row in &mut rows {
                if let Some(name) = row.role.take() {
                    roles.push(RoleGrant {
                        role: stored(Role::parse(&name), "role")?,
                        school: row.role_school_id.map(SchoolId),
                    });
                }
            }
            let Some(first) = rows.into_iter().next() else {
                return Ok(None);
            };
            let person = Person {
                id: PersonId(first.person_id),
                trust: TrustId(first.trust_id),
                school: first.school_id.map(SchoolId),
                name: stored(PersonName::parse(&first.full_name), "name")?,
                email: stored(Email::parse(&first.email), "email")?,
                job_title: first.job_title,
                roles,
            };
            let session = SessionRecord {
                person: person.id,
                csrf_token: first.csrf_token,
                created_at: timestamp(first.created_at)?,
                last_seen_at: timestamp(first.last_seen_at)?,
                limits: SessionLimits {
                    idle_minutes: first.session_idle_minutes,
                    absolute_hours: first.session_absolute_hours,
                },
            };
            Ok(Some(CachedSession {
                record: session,
                person,
                expires_at: first.expires_at,
            }))
        })
    }

    pub async fn create_session(
        &self,
        session: &NewSession<'_>,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query(
                "insert into session (token_hash, person_id, csrf_token, created_at, last_seen_at, expires_at)
                 values ($1, $2, $3, $4, $4, $5)",
            )
            .bind(session.token_hash)
            .bind(session.person.0)
            .bind(session.csrf_token)
            .bind(now.unix_timestamp())
            .bind(session.expires_at.unix_timestamp())
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    /// The session with this token hash if it has not reached its absolute expiry and
    /// its person is not archived. Idle expiry is the caller's rule, from `last_seen_at`.
    pub async fn session(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<SessionRecord>, StoreError> {
        on_pool!(self, pool => {
            let row = sqlx::query_as::<_, SessionRow>(
                "select s.person_id, s.csrf_token, s.created_at, s.last_seen_at,
                        t.session_idle_minutes, t.session_absolute_hours
                 from session s join person p on p.id = s.person_id join trust t on t.id = p.trust_id
                 where s.token_hash = $1 and s.expires_at > $2 and p.archived_at is null",
            )
            .bind(token_hash)
            .bind(now.unix_timestamp())
            .fetch_optional(pool)
            .await?;
            row.map(SessionRow::into_domain).transpose()
        })
    }

    /// Records activity on a session (for the idle timeout).
    pub async fn touch_session(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("update session set last_seen_at = $1 where token_hash = $2")
                .bind(now.unix_timestamp())
                .bind(token_hash)
                .execute(pool)
                .await?;
            if let Some(cache) = &self.cache {
                cache.touch_session(token_hash, now);
            }
            Ok(())
        })
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("delete from session where token_hash = $1")
                .bind(token_hash)
                .execute(pool)
                .await?;
            if let Some(cache) = &self.cache {
                cache.forget_session(token_hash);
            }
            Ok(())
        })
    }

    /// Ends every session of a person ("sign out everywhere"); returns how many.
    pub async fn delete_sessions_of(&self, person: PersonId) -> Result<u64, StoreError> {
        on_pool!(self, pool => {
            let done = sqlx::query("delete from session where person_id = $1")
                .bind(person.0)
                .execute(pool)
                .await?;
            self.changed(|cache| cache.forget_sessions()).await?;
            Ok(done.rows_affected())
        })
    }

    /// Removes sessions past their absolute expiry or idle longer than `idle_since`.
    pub async fn delete_stale_sessions(
        &self,
        now: OffsetDateTime,
        idle_since: OffsetDateTime,
    ) -> Result<u64, StoreError> {
        on_pool!(self, pool => {
            let done = sqlx::query("delete from session where expires_at <= $1 or last_seen_at < $2")
                .bind(now.unix_timestamp())
                .bind(idle_since.unix_timestamp())
                .execute(pool)
                .await?;
            self.changed(|cache| cache.forget_sessions()).await?;
            Ok(done.rows_affected())
        })
    }
}

impl Store {
    /// The deployment's secret called `name`: the one already stored, or else
    /// `candidate` (fresh random bytes from the caller), stored now. Every
    /// server process sharing the database gets the same one.
    pub async fn server_secret(&self, name: &str, candidate: &str) -> Result<String, StoreError> {
        on_pool!(self, pool => {
            sqlx::query("insert into server_secret (name, value) values ($1, $2) on conflict (name) do nothing")
                .bind(name)
                .bind(candidate)
                .execute(pool)
                .await?;
            Ok(sqlx::query_scalar::<_, String>("select value from server_secret where name = $1")
                .bind(name)
                .fetch_one(pool)
                .await?)
        })
    }

    /// How long the trust's sessions last.
    pub async fn session_limits(&self, trust: TrustId) -> Result<SessionLimits, StoreError> {
        on_pool!(self, pool => {
            let (idle_minutes, absolute_hours) = sqlx::query_as::<_, (i64, i64)>(
                "select session_idle_minutes, session_absolute_hours from trust where id = $1",
            )
            .bind(trust.0)
            .fetch_optional(pool)
            .await?
            .ok_or(StoreError::NotFound)?;
            Ok(SessionLimits { idle_minutes, absolute_hours })
        })
    }

    /// Changes how long the trust's sessions last; open sessions follow the new
    /// limits from their next request.
    pub async fn set_session_limits(
        &self,
        trust: TrustId,
        limits: SessionLimits,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("update trust set session_idle_minutes = $1, session_absolute_hours = $2 where id = $3")
                .bind(limits.idle_minutes)
                .bind(limits.absolute_hours)
                .bind(trust.0)
                .execute(pool)
                .await?;
            Ok::<(), StoreError>(())
        })?;
        self.changed(|cache| cache.forget_sessions()).await
    }

    /// The person whose session (live or expired, but not signed out) issued this
    /// anti-forgery token. Lets a form posted after a session expired be saved once
    /// the same person signs in again, and only then.
    pub async fn session_owner_by_csrf(
        &self,
        csrf_token: &str,
    ) -> Result<Option<PersonId>, StoreError> {
        on_pool!(self, pool => {
            let person = sqlx::query_scalar::<_, i64>("select person_id from session where csrf_token = $1")
                .bind(csrf_token)
                .fetch_optional(pool)
                .await?;
            Ok(person.map(PersonId))
        })
    }
}
