//! Sign-in throttling, per account and per client address, counted in the
//! database so that every server process sees the same numbers.
//!
//! The account key is the address as typed, whether or not anyone has it, and the
//! refusal is the same message either way: throttling reveals nothing about which
//! accounts exist.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::http::{Extensions, HeaderMap};
use time::Duration;

use crate::error::WebError;
use crate::state::AppState;

/// The window failures are counted over.
pub const WINDOW: Duration = Duration::minutes(15);
/// Failures for one account (email as typed) before sign-in to it pauses.
pub const PER_ACCOUNT: i64 = 5;
/// Failures from one address before sign-in from it pauses (a school's staff may
/// share one address, so this is higher).
pub const PER_ADDRESS: i64 = 50;

pub const MESSAGE: &str = "Too many attempts to sign in. Wait 15 minutes and try again, or ask your administrator to reset your password.";

/// The keys an attempt counts under: the account, then the address.
pub struct Keys {
    account: String,
    address: String,
}

pub fn keys(typed_email: &str, client: &str) -> Keys {
    Keys {
        account: format!("email:{}", typed_email.trim().to_lowercase()),
        address: format!("ip:{client}"),
    }
}

/// The client's address: from the configured proxy header when there is one
/// (the rightmost `X-Forwarded-For` entry is the one our proxy added), else the
/// connection's peer.
pub fn client_address(
    headers: &HeaderMap,
    extensions: &Extensions,
    proxy_header: Option<&str>,
) -> String {
    if let Some(name) = proxy_header
        && let Some(value) = headers.get(name).and_then(|v| v.to_str().ok())
        && let Some(last) = value.rsplit(',').next().map(str::trim)
        && !last.is_empty()
    {
        return last.to_owned();
    }
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |info| info.0.ip().to_string())
}

pub async fn is_throttled(state: &AppState, keys: &Keys) -> Result<bool, WebError> {
    let since = state.clock.now() - WINDOW;
    let account = state
        .store
        .failed_sign_ins_since(&keys.account, since)
        .await?;
    if account >= PER_ACCOUNT {
        return Ok(true);
    }
    let address = state
        .store
        .failed_sign_ins_since(&keys.address, since)
        .await?;
    Ok(address >= PER_ADDRESS)
}

pub async fn failed(state: &AppState, keys: &Keys) -> Result<(), WebError> {
    let now = state.clock.now();
    state
        .store
        .record_failed_sign_in(
            &[keys.account.clone(), keys.address.clone()],
            now,
            now - WINDOW,
        )
        .await?;
    Ok(())
}

/// A correct password clears the account's count (not the address's).
pub async fn succeeded(state: &AppState, keys: &Keys) -> Result<(), WebError> {
    state.store.clear_failed_sign_ins(&keys.account).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_proxy_header_is_used_only_when_configured_and_its_last_entry_wins() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "203.0.113.9, 198.51.100.7".parse().unwrap(),
        );
        let mut extensions = Extensions::new();
        extensions.insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 4000))));
        assert_eq!(client_address(&headers, &extensions, None), "127.0.0.1");
        assert_eq!(
            client_address(&headers, &extensions, Some("x-forwarded-for")),
            "198.51.100.7"
        );
        assert_eq!(
            client_address(&HeaderMap::new(), &extensions, Some("x-forwarded-for")),
            "127.0.0.1"
        );
        assert_eq!(
            client_address(&HeaderMap::new(), &Extensions::new(), None),
            "unknown"
        );
    }

    #[test]
    fn the_account_key_is_the_address_as_typed_whoever_has_it() {
        assert_eq!(
            keys(" Ada@Example.org ", "::1").account,
            "email:ada@example.org"
        );
        assert_eq!(keys("", "::1").address, "ip:::1");
    }
}
