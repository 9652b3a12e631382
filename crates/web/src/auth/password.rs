//! Password hashing with argon2id (the argon2 crate's defaults: 19 MiB, 2 passes,
//! which is OWASP's recommendation), run off the async threads.
//!
//! Each hash takes 19 MiB and a core for a moment, so at most one runs per core
//! at a time ([`limited`]): a flood of sign-ins, right or wrong, waits its turn
//! for a short while and is then told to try again (503 with `Retry-After`),
//! instead of running hundreds of hashes at once and taking the server's memory.

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, SaltString};

use std::sync::LazyLock;
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::error::WebError;

/// One hash at a time per core.
static HASHING: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(1, |n| n.get())));

/// How long a sign-in waits for a turn before it is told to try again.
const WAIT_FOR_A_TURN: Duration = Duration::from_secs(3);

/// Runs `work` on a blocking thread once `permits` gives it a turn, waiting at
/// most `wait`; `WebError::Busy` if no turn came.
async fn limited_on<T: Send + 'static>(
    permits: &Semaphore,
    wait: Duration,
    work: impl FnOnce() -> Result<T, WebError> + Send + 'static,
) -> Result<T, WebError> {
    let _turn = tokio::time::timeout(wait, permits.acquire())
        .await
        .map_err(|_| WebError::Busy)?
        .map_err(|_| WebError::Busy)?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| WebError::Internal(format!("hashing task: {error}")))?
}

/// Runs password work within the process's hashing limit.
async fn limited<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, WebError> + Send + 'static,
) -> Result<T, WebError> {
    limited_on(&HASHING, WAIT_FOR_A_TURN, work).await
}

/// Hashes a password into a PHC string (`$argon2id$…`).
pub async fn hash(password: String) -> Result<String, WebError> {
    limited(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|error| WebError::Internal(format!("hashing a password: {error}")))
    })
    .await
}

/// Checks a password against a stored hash. With no stored hash (an unknown email,
/// or an account with no password yet) it still does the same work against a
/// throw-away hash, so that response time does not reveal which emails exist.
pub async fn verify(stored: Option<String>, password: String) -> Result<bool, WebError> {
    limited(move || {
        let decoy = decoy_hash();
        let (hash, real) = match stored.as_deref() {
            Some(hash) => (hash, true),
            None => (decoy.as_str(), false),
        };
        let matches = verify_reusing_memory(hash, password.as_bytes())?;
        Ok(real && matches)
    })
    .await
}

/// Working memory for argon2, kept between checks: a check borrows a buffer and
/// gives it back, so a flood of sign-ins reuses the same few 19 MiB buffers (one
/// per concurrent check) instead of allocating, and the allocator keeping, a new
/// one each time.
static MEMORY: std::sync::Mutex<Vec<Vec<argon2::Block>>> = std::sync::Mutex::new(Vec::new());

/// Checks `password` against a PHC string, in reused memory.
fn verify_reusing_memory(stored: &str, password: &[u8]) -> Result<bool, WebError> {
    let invalid = |error: String| WebError::Internal(format!("stored password hash: {error}"));
    let parsed = PasswordHash::new(stored).map_err(|e| invalid(e.to_string()))?;
    let algorithm =
        argon2::Algorithm::try_from(parsed.algorithm).map_err(|e| invalid(e.to_string()))?;
    let version = parsed
        .version
        .map_or(Ok(argon2::Version::default()), argon2::Version::try_from)
        .map_err(|e| invalid(e.to_string()))?;
    let params = argon2::Params::try_from(&parsed).map_err(|e| invalid(e.to_string()))?;
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return Err(invalid("no salt or hash".into()));
    };
    let mut salt_bytes = [0u8; 64];
    let salt = salt
        .decode_b64(&mut salt_bytes)
        .map_err(|e| invalid(e.to_string()))?;
    let blocks = params.block_count();
    let mut memory = MEMORY
        .lock()
        .ok()
        .and_then(|mut pool| pool.pop())
        .filter(|buffer| buffer.len() >= blocks)
        .unwrap_or_else(|| vec![argon2::Block::default(); blocks]);
    let mut out = vec![0u8; expected.len()];
    let computed = Argon2::new(algorithm, version, params).hash_password_into_with_memory(
        password,
        salt,
        &mut out,
        &mut memory[..blocks],
    );
    if let Ok(mut pool) = MEMORY.lock() {
        pool.push(memory);
    }
    Ok(match computed {
        // Output compares in constant time.
        Ok(()) => argon2::password_hash::Output::new(&out).is_ok_and(|out| out == expected),
        // A password over argon2's length limit, say: not a match.
        Err(_) => false,
    })
}

/// A valid argon2id hash of a random password, made once per process.
fn decoy_hash() -> String {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY
        .get_or_init(|| {
            let salt = SaltString::generate(&mut OsRng);
            Argon2::default()
                .hash_password(super::token::random_token().as_bytes(), &salt)
                .map(|hash| hash.to_string())
                .unwrap_or_default()
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_own_password_only() {
        let stored = hash("correct horse battery".into()).await.unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(
            verify(Some(stored.clone()), "correct horse battery".into())
                .await
                .unwrap()
        );
        assert!(
            !verify(Some(stored), "Correct horse battery".into())
                .await
                .unwrap()
        );
    }

    #[tokio::test]
    async fn work_beyond_the_limit_waits_its_turn_then_is_told_to_try_again() {
        let permits = Semaphore::new(1);
        let held = permits.acquire().await.unwrap();
        let refused = limited_on(&permits, Duration::from_millis(50), || Ok(1)).await;
        assert!(matches!(refused, Err(WebError::Busy)), "{refused:?}");
        drop(held);
        let done = limited_on(&permits, Duration::from_millis(50), || Ok(2)).await;
        assert_eq!(done.unwrap(), 2);
    }

    #[test]
    fn hashes_of_other_parameters_and_variants_verify_in_reused_memory() {
        for (algorithm, memory) in [
            (argon2::Algorithm::Argon2i, 64),
            (argon2::Algorithm::Argon2id, 8 * 1024),
            (argon2::Algorithm::Argon2d, 32),
        ] {
            let params = argon2::Params::new(memory, 1, 1, None).unwrap();
            let hasher = Argon2::new(algorithm, argon2::Version::V0x13, params);
            let salt = SaltString::generate(&mut OsRng);
            let stored = hasher
                .hash_password(b"correct horse battery", &salt)
                .unwrap()
                .to_string();
            // Twice each, so the second borrows the first's memory.
            for _ in 0..2 {
                assert!(verify_reusing_memory(&stored, b"correct horse battery").unwrap());
                assert!(!verify_reusing_memory(&stored, b"correct horse batter").unwrap());
            }
        }
        assert!(verify_reusing_memory("not a hash", b"x").is_err());
    }

    #[tokio::test]
    async fn no_stored_hash_never_verifies() {
        assert!(!verify(None, "anything at all".into()).await.unwrap());
    }
}
