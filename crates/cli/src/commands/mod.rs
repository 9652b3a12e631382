//! One module per verb.

pub mod audit;
pub mod backup;
pub mod demo;
pub mod framework;
pub mod generate;
pub mod migrate;
pub mod people;
pub mod serve;
pub mod tls;
