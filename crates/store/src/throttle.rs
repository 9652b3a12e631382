//! Sign-in attempts, counted per key over a window, shared by every server
//! process that uses the database. An attempt is checked and recorded in one
//! write transaction before its password is verified, so that attempts arriving
//! together cannot all pass a limit; a successful attempt takes its record back.

use crate::BeginWrite;
use time::OffsetDateTime;

use crate::{Db, Store, StoreError, on_pool};

/// The keys one attempt counts under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptKeys {
    /// The account as typed together with the client's address.
    pub pair: String,
    /// The account as typed, from any address.
    pub account: String,
    /// The client's address, for any account.
    pub address: String,
}

/// When an attempt is refused outright (before its password is checked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttemptLimits {
    /// Failures before this are forgotten.
    pub window_start: OffsetDateTime,
    pub per_pair: i64,
    pub per_address: i64,
}

/// What the store decided about an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptVerdict {
    /// Too many failures for this account from this address, or from this
    /// address: nothing was recorded.
    Refused,
    /// Recorded as a failure until [`Store::sign_in_succeeded`] takes it back;
    /// `account_failures` is how many failures the account had from any
    /// address before this one (the caller slows down, never refuses, on it).
    Allowed { account_failures: i64 },
}

impl Store {
    /// Checks an attempt against the limits and, if allowed, records it as a
    /// failure under each key with the random `attempt` token, in one write
    /// transaction (on PostgreSQL, with advisory locks on the pair and address
    /// keys, so concurrent attempts from several servers queue too).
    pub async fn begin_sign_in_attempt(
        &self,
        keys: &AttemptKeys,
        attempt: &str,
        now: OffsetDateTime,
        limits: AttemptLimits,
    ) -> Result<AttemptVerdict, StoreError> {
        let postgres = matches!(self.db, Db::Postgres(_));
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            if postgres {
                let mut locked = [keys.pair.as_str(), keys.address.as_str()];
                locked.sort_unstable();
                for key in locked {
                    sqlx::query("select pg_advisory_xact_lock(hashtext($1))")
                        .bind(key)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            sqlx::query("delete from failed_sign_in where at < $1")
                .bind(limits.window_start.unix_timestamp())
                .execute(&mut *tx)
                .await?;
            let mut counts = [0_i64; 3];
            for (count, key) in counts.iter_mut().zip([&keys.pair, &keys.address, &keys.account]) {
                *count = sqlx::query_scalar::<_, i64>(
                    "select count(*) as n from failed_sign_in where key = $1",
                )
                .bind(key)
                .fetch_one(&mut *tx)
                .await?;
            }
            let [pair, address, account] = counts;
            if pair >= limits.per_pair || address >= limits.per_address {
                tx.commit().await?;
                return Ok(AttemptVerdict::Refused);
            }
            for key in [&keys.pair, &keys.account, &keys.address] {
                sqlx::query("insert into failed_sign_in (key, at, attempt) values ($1, $2, $3)")
                    .bind(key)
                    .bind(now.unix_timestamp())
                    .bind(attempt)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(AttemptVerdict::Allowed { account_failures: account })
        })
    }

    /// The attempt's password was right: its record is taken back, and the
    /// account's failures (from every address) are forgotten. The address keeps
    /// its other failures.
    pub async fn sign_in_succeeded(
        &self,
        keys: &AttemptKeys,
        attempt: &str,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("delete from failed_sign_in where attempt = $1 and key = $2")
                .bind(attempt)
                .bind(&keys.address)
                .execute(&mut *tx)
                .await?;
            sqlx::query("delete from failed_sign_in where key = $1")
                .bind(&keys.account)
                .execute(&mut *tx)
                .await?;
            // And this address's failures for this account.
            sqlx::query("delete from failed_sign_in where key = $1")
                .bind(&keys.pair)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        })
    }
}
