//! Journeys through the running app over HTTP: one test binary, one module per theme.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod access;
mod admin_guidance;
mod alignments;
mod bad_input;

mod browse;
mod case;
mod checkpoints;
mod coaching;
mod cycles;
mod goals;
mod helpers;
mod homes;
mod insight;
mod invitations;
mod my_data;
mod never_lose;
mod oidc;
mod privacy_matrix;
mod record;
mod reflect;
mod reminders;
mod sharing;
mod sign_in;
mod smtp;
mod staff_import;
mod versions;
