//! Single sign-on with OpenID Connect (openidconnect crate): the authorization
//! code flow with PKCE, configured per trust, people matched by a verified email.
//!
//! `GET /sso/{trust}/start` sends the browser to the trust's provider, keeping
//! (hashed) the state, with the nonce and PKCE verifier, bound to this browser by a
//! cookie. `GET /sso/callback` takes that record once, exchanges the code, checks
//! the ID token's signature, issuer, audience and nonce, and signs in the person of
//! that trust whose email the provider says it has verified. Anything else is
//! refused with a plain message and no session.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use leadkit_domain::people::{Email, TrustId};
use leadkit_store::sso::{OidcSettings, PendingLogin};
use openidconnect::core::{CoreClient, CoreProviderMetadata, CoreResponseType};
use openidconnect::{
    AuthenticationFlow, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use serde::Deserialize;
use time::Duration;

use super::session::{self, cookie};
use super::token::{hash_token, random_token};
use crate::error::WebError;
use crate::state::AppState;
use crate::urls;

/// The cookie that binds a sign-in in progress to the browser that started it.
const SSO_COOKIE: &str = "lk_sso";
/// How long a person has at their provider before the sign-in must start again.
const PENDING_LIFETIME: Duration = Duration::minutes(10);

fn refused(reason: &str) -> WebError {
    WebError::BadRequest(format!("Single sign-on did not work: {reason}."))
}

fn http_client() -> Result<openidconnect::reqwest::Client, WebError> {
    openidconnect::reqwest::ClientBuilder::new()
        // Never follow a redirect from the provider's endpoints (SSRF).
        .redirect(openidconnect::reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .map_err(|error| WebError::Internal(format!("an HTTP client for sign-on: {error}")))
}

/// Discovers the provider and builds the client; each sign-in reads the
/// provider's current keys and endpoints.
async fn client_for(
    state: &AppState,
    settings: &OidcSettings,
    http: &openidconnect::reqwest::Client,
) -> Result<
    CoreClient<
        openidconnect::EndpointSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointMaybeSet,
        openidconnect::EndpointMaybeSet,
    >,
    WebError,
> {
    let issuer = IssuerUrl::new(settings.issuer.clone()).map_err(|_| {
        refused("the trust's sign-on issuer is not a valid URL; tell your administrator")
    })?;
    let metadata = CoreProviderMetadata::discover_async(issuer, http)
        .await
        .map_err(|error| {
            tracing::warn!(%error, issuer = %settings.issuer, "OpenID Connect discovery failed");
            refused("your trust's sign-on service could not be reached; try again, or sign in with your password")
        })?;
    let redirect =
        RedirectUrl::new(format!("{}{}", state.config.public_url, urls::SSO_CALLBACK))
            .map_err(|error| WebError::Internal(format!("the sign-on return address: {error}")))?;
    Ok(CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(settings.client_id.clone()),
        Some(ClientSecret::new(settings.client_secret.clone())),
    )
    .set_redirect_uri(redirect))
}

#[derive(Deserialize)]
pub struct StartQuery {
    next: Option<String>,
}

/// `GET /sso/{trust}/start`.
pub async fn start(
    State(state): State<AppState>,
    Path(trust): Path<String>,
    Query(query): Query<StartQuery>,
) -> Result<Response, WebError> {
    let trust = trust
        .parse::<i64>()
        .map(TrustId)
        .map_err(|_| WebError::NotFound)?;
    let settings = state
        .store
        .oidc_settings(trust)
        .await?
        .ok_or(WebError::NotFound)?;
    let http = http_client()?;
    let client = client_for(&state, &settings, &http).await?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf_state, nonce) = client
        .authorize_url(
            AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .set_pkce_challenge(challenge)
        .url();
    let browser = random_token();
    let now = state.clock.now();
    let next = query
        .next
        .filter(|next| urls::is_local_path(next))
        .unwrap_or_else(|| urls::HOME.to_owned());
    state
        .store
        .begin_oidc_login(
            &hash_token(csrf_state.secret()),
            &PendingLogin {
                trust,
                browser_hash: hash_token(&browser),
                nonce: nonce.secret().clone(),
                pkce_verifier: verifier.secret().clone(),
                next_path: next,
            },
            now + PENDING_LIFETIME,
            now,
        )
        .await?;
    let mut response = Redirect::to(url.as_str()).into_response();
    // Lax, so that it comes back with the provider's top-level redirect.
    response.headers_mut().append(
        header::SET_COOKIE,
        session::set_cookie(
            SSO_COOKIE,
            &browser,
            Some(PENDING_LIFETIME),
            state.config.secure_cookies,
            false,
        ),
    );
    Ok(response)
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// `GET /sso/callback`.
pub async fn callback(
    State(state): State<AppState>,
    Query(query): Query<CallbackQuery>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    if let Some(error) = query.error {
        tracing::info!(%error, "the provider refused a sign-in");
        return Err(refused("your trust's sign-on service did not sign you in"));
    }
    let (Some(code), Some(csrf_state)) = (query.code, query.state) else {
        return Err(refused("this sign-in link is incomplete; start again"));
    };
    let pending = state
        .store
        .take_oidc_login(&hash_token(&csrf_state), state.clock.now())
        .await?
        .ok_or_else(|| refused("this sign-in has expired or was already used; start again"))?;
    let same_browser = cookie(&headers, SSO_COOKIE).is_some_and(|browser| {
        super::token::same_secret(&hash_token(browser), &pending.browser_hash)
    });
    if !same_browser {
        return Err(refused(
            "this sign-in was started in another browser; start again here",
        ));
    }
    let settings = state
        .store
        .oidc_settings(pending.trust)
        .await?
        .ok_or_else(|| refused("your trust no longer signs in this way"))?;
    let http = http_client()?;
    let client = client_for(&state, &settings, &http).await?;
    let tokens = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|_| refused("your trust's sign-on service has no token endpoint"))?
        .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
        .request_async(&http)
        .await
        .map_err(|error| {
            tracing::info!(%error, "a sign-on code was refused");
            refused("your trust's sign-on service refused this sign-in (a code works once); start again")
        })?;
    let id_token = tokens
        .id_token()
        .ok_or_else(|| refused("your trust's sign-on service sent no identity"))?;
    let claims = id_token
        .claims(
            &client.id_token_verifier(),
            &Nonce::new(pending.nonce.clone()),
        )
        .map_err(|error| {
            tracing::warn!(%error, "an ID token did not verify");
            refused("the identity from your trust's sign-on service could not be verified")
        })?;
    let email = claims
        .email()
        .map(|email| email.as_str().to_owned())
        .ok_or_else(|| refused("your trust's sign-on service did not share your email address"))?;
    if claims.email_verified() != Some(true) {
        return Err(refused(
            "your trust's sign-on service has not verified your email address, so leadkit cannot match it to an account",
        ));
    }
    let email = Email::parse(&email)
        .map_err(|_| refused("the email address from your trust's sign-on service is not valid"))?;
    let person = state
        .store
        .person_by_email(pending.trust, &email)
        .await?
        .ok_or_else(|| {
            refused("no one in your trust has a leadkit account with this email address; ask your administrator")
        })?;
    let session_cookie = session::start(&state, person).await?;
    let mut response = Redirect::to(&pending.next_path).into_response();
    let headers = response.headers_mut();
    headers.append(header::SET_COOKIE, session_cookie);
    headers.append(
        header::SET_COOKIE,
        session::set_cookie(
            SSO_COOKIE,
            "",
            Some(Duration::ZERO),
            state.config.secure_cookies,
            false,
        ),
    );
    Ok(response)
}

/// What the sign-in page offers: one button per trust that signs in this way.
pub async fn offers(state: &AppState) -> Result<Vec<(String, String)>, WebError> {
    Ok(state
        .store
        .trusts_with_sso()
        .await?
        .into_iter()
        .map(|(trust, name)| {
            (
                format!("Sign in with your {name} account"),
                urls::sso_start(trust),
            )
        })
        .collect())
}
