//! leadkit's domain core: the words of the product as types.
//!
//! Frameworks and their item trees, scales of levels and descriptors, people and
//! who may do what, cycles, reflections and the profile summary built from them.
//!
//! Nothing here does I/O: no database, no HTTP, no files, no clock. Time is
//! always passed in. The storage and web crates depend on this one, never the
//! other way round.

pub mod access;
pub mod alignment;
pub mod audit;
pub mod calendar;
pub mod checkpoint;
pub mod cycle;
pub mod error;
pub mod evidence;
pub mod framework;
pub mod goal;
pub mod home;
pub mod insight;
pub mod notice;
pub mod people;
pub mod profile;
pub mod record;
pub mod reflection;
pub mod scale;
pub mod staff;

pub use error::{DomainError, ValidationError};
