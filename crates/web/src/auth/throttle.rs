//! Sign-in throttling, counted in the database so that every server process
//! sees the same numbers, and built so that nobody can lock a person out:
//!
//! - failures for one account from one address (the pair): after
//!   [`PER_PAIR`], that address may not try that account for the window;
//! - failures from one address, for any account: after [`PER_ADDRESS`], that
//!   address may not sign in for the window (a school's staff may share one
//!   address, so this is higher);
//! - failures for one account from any address: never a refusal, which anyone
//!   could cause by typing someone's email from elsewhere, but a growing pause
//!   ([`delay_for`]) before each check, so the right password still signs in.
//!
//! Each attempt is checked and recorded in one write before its password is
//! verified; a right password takes the record back. The account key is the
//! address as typed, whether or not anyone has it, and every refusal reads the
//! same: throttling reveals nothing about which accounts exist.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::http::{Extensions, HeaderMap};
use leadkit_store::throttle::{AttemptKeys, AttemptLimits, AttemptVerdict};
use time::Duration;

use crate::error::WebError;
use crate::state::AppState;

/// The window failures are counted over.
pub const WINDOW: Duration = Duration::minutes(15);
/// Failures for one account from one address before that pair pauses.
pub const PER_PAIR: i64 = 5;
/// Failures from one address before sign-in from it pauses.
pub const PER_ADDRESS: i64 = 50;
/// Failures for one account, from any address, before each attempt waits.
pub const SLOW_AFTER: i64 = 5;
/// The longest wait before an attempt on a much-guessed account.
pub const LONGEST_DELAY: std::time::Duration = std::time::Duration::from_secs(10);

pub const MESSAGE: &str = "Too many attempts to sign in. Wait 15 minutes and try again, or ask your administrator to reset your password.";

pub fn keys(typed_email: &str, client: &str) -> AttemptKeys {
    let account = typed_email.trim().to_lowercase();
    AttemptKeys {
        pair: format!("pair:{account}|{client}"),
        account: format!("email:{account}"),
        address: format!("ip:{client}"),
    }
}

/// How long an attempt waits when the account has had `failures` failures
/// from any address in the window: nothing up to [`SLOW_AFTER`], then a second
/// more for each, up to [`LONGEST_DELAY`].
pub fn delay_for(failures: i64) -> std::time::Duration {
    let beyond = failures.saturating_sub(SLOW_AFTER - 1).max(0);
    std::time::Duration::from_secs(u64::try_from(beyond).unwrap_or(0)).min(LONGEST_DELAY)
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

/// One attempt under way: its keys and the token its record carries.
pub struct Attempt {
    keys: AttemptKeys,
    token: String,
}

/// Checks and records an attempt before its password is verified. `None`: it
/// is refused ([`MESSAGE`]). Otherwise it has waited as long as the account's
/// failures ask and may go on.
pub async fn begin(state: &AppState, keys: AttemptKeys) -> Result<Option<Attempt>, WebError> {
    let now = state.clock.now();
    let token = crate::auth::token::random_token();
    let verdict = state
        .store
        .begin_sign_in_attempt(
            &keys,
            &token,
            now,
            AttemptLimits {
                window_start: now - WINDOW,
                per_pair: PER_PAIR,
                per_address: PER_ADDRESS,
            },
        )
        .await?;
    match verdict {
        AttemptVerdict::Refused => Ok(None),
        AttemptVerdict::Allowed { account_failures } => {
            let delay = delay_for(account_failures);
            if !delay.is_zero() {
                tokio::time::sleep(delay).await;
            }
            Ok(Some(Attempt { keys, token }))
        }
    }
}

/// The password was right: the attempt's record is taken back and the
/// account's failures forgotten. (A wrong one needs nothing: it is recorded.)
pub async fn succeeded(state: &AppState, attempt: &Attempt) -> Result<(), WebError> {
    state
        .store
        .sign_in_succeeded(&attempt.keys, &attempt.token)
        .await?;
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
        let typed = keys(" Ada@Example.org ", "::1");
        assert_eq!(typed.account, "email:ada@example.org");
        assert_eq!(typed.pair, "pair:ada@example.org|::1");
        assert_eq!(keys("", "::1").address, "ip:::1");
    }

    #[test]
    fn a_much_guessed_account_waits_longer_up_to_a_limit_and_never_refuses() {
        let seconds: Vec<u64> = [0, 4, 5, 6, 9, 14, 15, 1000]
            .into_iter()
            .map(|failures| delay_for(failures).as_secs())
            .collect();
        assert_eq!(seconds, [0, 0, 1, 2, 5, 10, 10, 10]);
    }
}
