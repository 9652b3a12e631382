//! Who is asking: passwords, sessions, and the anti-forgery check on every
//! state-changing request.

pub mod csrf;
pub mod password;
pub mod session;
pub mod sign_in_form;
pub mod sso;
pub mod throttle;
pub mod token;

pub use session::{ApiUser, MaybeSignedIn, SignedIn};
