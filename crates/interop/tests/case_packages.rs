//! Real CASE packages from other publishers (`fixtures/interop/case/opensalt/`):
//! each imports, and exports again with no loss of items, associations or text.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use leadkit_interop::case::{ImportOptions, export, import};
use serde_json::Value;
use time::macros::datetime;

fn packages() -> Vec<(String, Vec<u8>)> {
    let dir = std::env::var("LEADKIT_INTEROP")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/interop")
        })
        .join("case/opensalt");
    let mut found: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("needs {} ({error}); set LEADKIT_INTEROP", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .filter(|path| {
            !path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .contains("schema")
        })
        .map(|path| {
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&path).unwrap(),
            )
        })
        .collect();
    found.sort();
    assert!(found.len() >= 9, "the OpenSALT packages are there");
    found
}

fn by_identifier(list: &Value) -> BTreeMap<String, Value> {
    list.as_array()
        .map(|objects| {
            objects
                .iter()
                .map(|o| {
                    let id = o.get("identifier").or_else(|| o.get("sourcedId")).unwrap();
                    (id.as_str().unwrap().to_owned(), o.clone())
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Every field of `original` is in `exported` with the same value, except the
/// addresses of the publisher's own server (re-exported copies live at ours).
fn same_fields(what: &str, original: &Value, exported: &Value, losses: &mut Vec<String>) {
    for (field, value) in original.as_object().unwrap() {
        let found = &exported[field];
        let same = match field.as_str() {
            "uri" | "CFPackageURI" => true,
            "CFDocumentURI" | "CFItemURI" if value.is_object() => {
                found["identifier"] == value["identifier"]
            }
            "originNodeURI" | "destinationNodeURI" => found["identifier"] == value["identifier"],
            _ => found == value,
        };
        if !same {
            losses.push(format!("{what}.{field}: {value} became {found}"));
        }
    }
}

#[test]
fn every_opensalt_package_imports_and_exports_without_loss() {
    let mut report = Vec::new();
    for (name, bytes) in packages() {
        let framework = import(&bytes, ImportOptions::default())
            .unwrap_or_else(|error| panic!("{name}: {error}"));
        let original: Value = serde_json::from_slice(&bytes).unwrap();
        let exported = serde_json::to_value(export(
            &framework,
            "https://leadkit.example.org",
            datetime!(2026-11-23 09:00 UTC),
        ))
        .unwrap();
        let mut losses = Vec::new();
        same_fields(
            "CFDocument",
            &original["CFDocument"],
            &exported["CFDocument"],
            &mut losses,
        );
        for list in ["CFItems", "CFAssociations"] {
            let before = by_identifier(&original[list]);
            let after = by_identifier(&exported[list]);
            for (id, object) in &before {
                match after.get(id) {
                    Some(again) => same_fields(&format!("{list} {id}"), object, again, &mut losses),
                    None => losses.push(format!("{list} {id} is missing")),
                }
            }
            assert_eq!(before.len(), after.len(), "{name}: {list} count");
        }
        assert!(losses.is_empty(), "{name} lost:\n{}", losses.join("\n"));
        // A second trip changes nothing at all.
        let again = import(
            serde_json::to_string(&exported).unwrap().as_bytes(),
            ImportOptions::default(),
        )
        .unwrap();
        let exported_again = serde_json::to_value(export(
            &again,
            "https://leadkit.example.org",
            datetime!(2026-11-23 09:00 UTC),
        ))
        .unwrap();
        assert_eq!(
            exported_again, exported,
            "{name}: a second trip changes nothing"
        );
        report.push(format!(
            "{name}: {} items, {} associations kept",
            framework.walk().count(),
            exported["CFAssociations"].as_array().map_or(0, Vec::len)
        ));
    }
    println!("{}", report.join("\n"));
}

#[test]
fn strict_import_refuses_identifiers_that_are_not_uuids_and_lenient_keeps_them() {
    let (_, bytes) = packages()
        .into_iter()
        .find(|(name, _)| name == "SmartLevelFramework.json")
        .unwrap();
    let lenient = import(&bytes, ImportOptions::default()).unwrap();
    assert_eq!(
        lenient.identifier.as_deref(),
        Some("d0000000-0000-0000-0000-000000000000")
    );
    // That one is UUID-shaped; an OpenSALT test id that is not:
    let text = String::from_utf8(bytes)
        .unwrap()
        .replace("d0000000-0000-0000-0000-000000000000", "framework-one");
    assert!(import(text.as_bytes(), ImportOptions::default()).is_ok());
    let strict = import(
        text.as_bytes(),
        ImportOptions {
            strict_identifiers: true,
            ..ImportOptions::default()
        },
    )
    .unwrap_err();
    assert!(
        strict
            .to_string()
            .contains("CFDocument framework-one: the identifier is not a UUID"),
        "{strict}"
    );
}

#[test]
fn hostile_packages_are_refused_by_identifier_and_import_nothing() {
    let item =
        |id: &str| serde_json::json!({ "identifier": id, "fullStatement": format!("Item {id}") });
    let child = |id: &str, from: &str, to: &str| {
        serde_json::json!({
        "identifier": id, "associationType": "isChildOf",
        "originNodeURI": { "title": "", "identifier": from, "uri": "" },
        "destinationNodeURI": { "title": "", "identifier": to, "uri": "" } })
    };
    let package = |items: Vec<Value>, associations: Vec<Value>| {
        serde_json::json!({ "CFDocument": { "identifier": "doc", "title": "Hostile" },
            "CFItems": items, "CFAssociations": associations })
        .to_string()
    };
    let cases = [
        (
            package(vec![item("a"), item("a")], vec![]),
            "CFItem a: the identifier is used twice",
        ),
        (
            package(
                vec![item("a"), item("b")],
                vec![child("x", "a", "b"), child("y", "b", "a")],
            ),
            "the isChildOf links form a cycle",
        ),
        (
            package(vec![item("a")], vec![child("x", "a", "nowhere")]),
            "CFAssociation x: its destination nowhere is neither",
        ),
        (
            package(vec![item("a")], vec![child("x", "ghost", "doc")]),
            "CFAssociation x: its origin ghost is not an item",
        ),
        ("{\"CFDocument\": [".to_owned(), "line 1: column"),
        ("{\"CFItems\": []}".to_owned(), "missing field `CFDocument`"),
    ];
    for (text, expected) in cases {
        let error = import(text.as_bytes(), ImportOptions::default()).unwrap_err();
        assert!(
            error.to_string().contains(expected),
            "expected {expected:?} in {error}"
        );
    }
    let error = import(b"{\"CFDocument\": \"\xff\"}", ImportOptions::default()).unwrap_err();
    assert!(error.to_string().contains("not UTF-8"), "{error}");
}

#[test]
fn siblings_follow_sequence_numbers_not_file_order() {
    let (_, bytes) = packages()
        .into_iter()
        .find(|(name, _)| name == "SequenceNumberFramework.json")
        .unwrap();
    let framework = import(&bytes, ImportOptions::default()).unwrap();
    let titles: Vec<&str> = framework.items.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(
        titles,
        ["Second added item, but should be first", "First Added Item"]
    );
}

/// Found by `cargo fuzz`: made-up codes followed file order, and an export writes
/// items in tree order, so a second import renamed them. Every package now keeps
/// its codes and tree through a round trip.
#[test]
fn codes_and_tree_survive_a_round_trip() {
    for (name, bytes) in packages() {
        let first = import(&bytes, ImportOptions::default()).unwrap();
        let exported = export(
            &first,
            "https://leadkit.example.org",
            datetime!(2026-11-23 09:00 UTC),
        );
        let second = import(
            serde_json::to_string(&exported).unwrap().as_bytes(),
            ImportOptions::default(),
        )
        .unwrap();
        let shape = |f: &leadkit_domain::framework::Framework| {
            f.walk()
                .map(|i| (i.code.to_string(), i.title.clone(), i.children.len()))
                .collect::<Vec<_>>()
        };
        assert_eq!(shape(&second), shape(&first), "{name}");
    }
}

/// Found by `cargo fuzz` in CI: two items with the same human code, listed in
/// the file in the opposite order to their sequence numbers. The code went to
/// the first in the file, which an export (writing tree order) turned into the
/// second; now the first in the tree keeps it, and a round trip keeps every code.
#[test]
fn a_shared_code_goes_to_the_first_item_in_the_tree_and_survives_a_round_trip() {
    let (_, bytes) = packages()
        .into_iter()
        .find(|(name, _)| name == "SequenceNumberFramework.json")
        .unwrap();
    let mut package: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    for item in package["CFItems"].as_array_mut().unwrap() {
        item["humanCodingScheme"] = "SNT.2".into();
    }
    let first = import(
        serde_json::to_string(&package).unwrap().as_bytes(),
        ImportOptions::default(),
    )
    .unwrap();
    let codes = |f: &leadkit_domain::framework::Framework| {
        f.walk()
            .map(|i| (i.code.to_string(), i.title.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(codes(&first)[0].0, "SNT.2", "{:?}", codes(&first));
    assert_eq!(codes(&first)[0].1, "Second added item, but should be first");
    let exported = export(
        &first,
        "https://leadkit.example.org",
        datetime!(2026-11-23 09:00 UTC),
    );
    let second = import(
        serde_json::to_string(&exported).unwrap().as_bytes(),
        ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(codes(&second), codes(&first));
}
