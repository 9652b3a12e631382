//! The spreadsheet importer against arbitrary input: it never panics, and what it
//! accepts is a valid framework. (cargo-fuzz needs a nightly toolchain, which these
//! machines cannot fetch; proptest drives the same parser with generated input.)

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use leadkit_domain::framework::FrameworkKey;
use leadkit_interop::spreadsheet::{SheetIdentity, export, import};
use proptest::prelude::*;

fn identity() -> SheetIdentity {
    SheetIdentity {
        key: FrameworkKey::parse("fuzz").unwrap(),
        title: "Fuzz".into(),
        version: "1".into(),
        scale: None,
    }
}

const HEADER: &str = "code,parent,kind,title,introduction,Low [low],High [high]\n";

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_are_refused_or_accepted_but_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = import(&bytes, identity());
    }

    #[test]
    fn rows_of_arbitrary_cells_after_a_good_heading_never_panic(
        rows in proptest::collection::vec(
            proptest::collection::vec("[a-z0-9 .,\"\\n]{0,6}", 7), 0..12)
    ) {
        let mut text = HEADER.to_owned();
        for row in rows {
            let cells: Vec<String> = row.iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect();
            text.push_str(&cells.join(","));
            text.push('\n');
        }
        if let Ok(framework) = import(text.as_bytes(), identity()) {
            framework.validate().unwrap();
            // What was accepted exports and reads back to the same items.
            let again = import(export(&framework).unwrap().as_bytes(), identity()).unwrap();
            prop_assert_eq!(again.items, framework.items);
        }
    }

    #[test]
    fn trees_with_random_parents_are_built_or_refused_cleanly(parents in proptest::collection::vec(0usize..10, 1..10)) {
        let mut text = HEADER.to_owned();
        for (i, parent) in parents.iter().enumerate() {
            let parent = if *parent >= parents.len() || *parent == i { String::new() } else { format!("c{parent}") };
            text.push_str(&format!("c{i},{parent},item,Item {i},,,\n"));
        }
        match import(text.as_bytes(), identity()) {
            Ok(framework) => prop_assert_eq!(framework.walk().count(), parents.len()),
            Err(error) => prop_assert!(error.to_string().contains("cycle"), "{}", error),
        }
    }
}
