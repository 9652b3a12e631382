//! Single sign-on settings per trust, and sign-ins in progress.

use crate::BeginWrite;
use leadkit_domain::people::TrustId;
use time::OffsetDateTime;

use crate::{Store, StoreError, on_pool};

/// A trust's OpenID Connect provider.
#[derive(Clone, PartialEq, Eq)]
pub struct OidcSettings {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
}

impl std::fmt::Debug for OidcSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcSettings")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &"…")
            .finish()
    }
}

/// A sign-in that has gone to the provider and not come back yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingLogin {
    pub trust: TrustId,
    pub browser_hash: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub next_path: String,
}

#[derive(sqlx::FromRow)]
struct OidcSettingsRow {
    issuer: String,
    client_id: String,
    client_secret: String,
}

#[derive(sqlx::FromRow)]
struct PendingLoginRow {
    trust_id: i64,
    browser_hash: String,
    nonce: String,
    pkce_verifier: String,
    next_path: String,
    expires_at: i64,
}

impl Store {
    pub async fn set_oidc_settings(
        &self,
        trust: TrustId,
        settings: Option<&OidcSettings>,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("delete from oidc_provider where trust_id = $1")
                .bind(trust.0)
                .execute(&mut *tx)
                .await?;
            if let Some(settings) = settings {
                sqlx::query("insert into oidc_provider (trust_id, issuer, client_id, client_secret) values ($1, $2, $3, $4)")
                    .bind(trust.0)
                    .bind(&settings.issuer)
                    .bind(&settings.client_id)
                    .bind(&settings.client_secret)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn oidc_settings(&self, trust: TrustId) -> Result<Option<OidcSettings>, StoreError> {
        on_pool!(self, pool => {
            let row = sqlx::query_as::<_, OidcSettingsRow>(
                "select issuer, client_id, client_secret from oidc_provider where trust_id = $1",
            )
            .bind(trust.0)
            .fetch_optional(pool)
            .await?;
            Ok(row.map(|row| OidcSettings {
                issuer: row.issuer,
                client_id: row.client_id,
                client_secret: row.client_secret,
            }))
        })
    }

    /// The trusts that sign in with OpenID Connect: (trust, its name).
    pub async fn trusts_with_sso(&self) -> Result<Vec<(TrustId, String)>, StoreError> {
        on_pool!(self, pool => {
            Ok(sqlx::query_as::<_, (i64, String)>(
                "select t.id, t.name from oidc_provider o join trust t on t.id = o.trust_id order by t.name",
            )
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|(id, name)| (TrustId(id), name))
            .collect())
        })
    }

    pub async fn begin_oidc_login(
        &self,
        state_hash: &str,
        login: &PendingLogin,
        expires_at: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("delete from oidc_login where expires_at < $1")
                .bind(now.unix_timestamp())
                .execute(pool)
                .await?;
            sqlx::query(
                "insert into oidc_login (state_hash, trust_id, browser_hash, nonce, pkce_verifier, next_path, expires_at)
                 values ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(state_hash)
            .bind(login.trust.0)
            .bind(&login.browser_hash)
            .bind(&login.nonce)
            .bind(&login.pkce_verifier)
            .bind(&login.next_path)
            .bind(expires_at.unix_timestamp())
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    /// Takes a sign-in in progress by its state, once: a second call, or one after
    /// it expired, finds nothing.
    pub async fn take_oidc_login(
        &self,
        state_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<PendingLogin>, StoreError> {
        on_pool!(self, pool => {
            let row = sqlx::query_as::<_, PendingLoginRow>(
                "delete from oidc_login where state_hash = $1
                 returning trust_id, browser_hash, nonce, pkce_verifier, next_path, expires_at",
            )
            .bind(state_hash)
            .fetch_optional(pool)
            .await?;
            let Some(row) = row else { return Ok(None) };
            if row.expires_at < now.unix_timestamp() {
                return Ok(None);
            }
            Ok(Some(PendingLogin {
                trust: TrustId(row.trust_id),
                browser_hash: row.browser_hash,
                nonce: row.nonce,
                pkce_verifier: row.pkce_verifier,
                next_path: row.next_path,
            }))
        })
    }
}
