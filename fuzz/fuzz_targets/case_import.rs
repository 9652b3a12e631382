//! Any bytes given to the CASE importer are refused with a message or become a
//! framework that keeps leadkit's rules, and that framework exports and imports
//! again as the same tree.
#![no_main]

use leadkit_interop::case::{ImportOptions, export, import};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(framework) = import(data, ImportOptions::default()) else {
        return;
    };
    assert!(framework.validate().is_ok(), "an accepted package must validate");
    let package = export(&framework, "https://leadkit.example", time::OffsetDateTime::UNIX_EPOCH);
    let bytes = serde_json::to_vec(&package).expect("a package serialises");
    let again = import(&bytes, ImportOptions::default()).expect("an export imports again");
    let codes = |f: &leadkit_domain::framework::Framework| {
        f.walk().map(|item| item.code.to_string()).collect::<Vec<_>>()
    };
    assert_eq!(codes(&again), codes(&framework), "the tree survives a round trip");
});
