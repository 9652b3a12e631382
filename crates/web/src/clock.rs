//! The one place that reads the time. Everything else is given it.

use time::OffsetDateTime;

/// Where "now" comes from: the system clock, or a fixed instant in tests.
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    System,
    Fixed(OffsetDateTime),
}

impl Clock {
    #[allow(clippy::disallowed_methods)] // the Clock is the sanctioned reader of time
    pub fn now(&self) -> OffsetDateTime {
        match self {
            Clock::System => OffsetDateTime::now_utc(),
            Clock::Fixed(instant) => *instant,
        }
    }
}
