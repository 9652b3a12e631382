//! Password hashing with argon2id (the argon2 crate's defaults: 19 MiB, 2 passes,
//! which is OWASP's recommendation), run off the async threads.

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use crate::error::WebError;

/// Hashes a password into a PHC string (`$argon2id$…`).
pub async fn hash(password: String) -> Result<String, WebError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|error| WebError::Internal(format!("hashing a password: {error}")))
    })
    .await
    .map_err(|error| WebError::Internal(format!("hashing task: {error}")))?
}

/// Checks a password against a stored hash. With no stored hash (an unknown email,
/// or an account with no password yet) it still does the same work against a
/// throw-away hash, so that response time does not reveal which emails exist.
pub async fn verify(stored: Option<String>, password: String) -> Result<bool, WebError> {
    tokio::task::spawn_blocking(move || {
        let decoy = decoy_hash();
        let (hash, real) = match stored.as_deref() {
            Some(hash) => (hash, true),
            None => (decoy.as_str(), false),
        };
        let parsed = PasswordHash::new(hash)
            .map_err(|error| WebError::Internal(format!("stored password hash: {error}")))?;
        let matches = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(real && matches)
    })
    .await
    .map_err(|error| WebError::Internal(format!("verifying task: {error}")))?
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
    async fn no_stored_hash_never_verifies() {
        assert!(!verify(None, "anything at all".into()).await.unwrap());
    }
}
