//! Any bytes given to the spreadsheet importer are refused with a message naming
//! a line, or become a framework that keeps leadkit's rules and exports and
//! imports again unchanged.
#![no_main]

use leadkit_domain::framework::FrameworkKey;
use leadkit_interop::spreadsheet::{SheetIdentity, export, import};
use libfuzzer_sys::fuzz_target;

fn identity() -> SheetIdentity {
    SheetIdentity {
        key: FrameworkKey::parse("fuzz").expect("a valid key"),
        title: "Fuzz".into(),
        version: "1".into(),
        scale: None,
    }
}

fuzz_target!(|data: &[u8]| {
    match import(data, identity()) {
        Err(error) => assert!(!error.problems.is_empty(), "a refusal says why"),
        Ok(framework) => {
            assert!(framework.validate().is_ok(), "an accepted sheet must validate");
            let sheet = export(&framework).expect("an accepted sheet exports");
            let again = import(sheet.as_bytes(), identity()).expect("an export imports again");
            assert_eq!(again, framework, "a sheet survives a round trip");
        }
    }
});
