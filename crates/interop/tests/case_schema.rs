//! The CASE export checked against 1EdTech's OpenCASE JSON Schemas for CASE 1.1
//! (`fixtures/interop/case/opencase/`, or the folder named by `LEADKIT_INTEROP`).
//!
//! The check is a small validator for the parts of JSON Schema those files use:
//! `$ref` into `definitions`, `type`, `required`, `properties`, `items`, `oneOf`,
//! and the UUID `pattern`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use serde_json::Value;
use time::macros::datetime;

fn interop() -> PathBuf {
    std::env::var("LEADKIT_INTEROP")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/interop")
        })
}

fn schema(name: &str) -> Value {
    let path = interop().join("case/opencase").join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("needs {} ({error}); set LEADKIT_INTEROP", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups.iter().all(|g| {
            g.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        })
}

fn check(root: &Value, schema: &Value, value: &Value, at: &str, problems: &mut Vec<String>) {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.trim_start_matches("#/definitions/");
        return check(root, &root["definitions"][name], value, at, problems);
    }
    if let Some(options) = schema.get("oneOf").and_then(Value::as_array) {
        let fits = options.iter().any(|option| {
            let mut found = Vec::new();
            check(root, option, value, at, &mut found);
            found.is_empty()
        });
        if !fits {
            problems.push(format!("{at}: matches none of oneOf"));
        }
        return;
    }
    let kind_ok = match schema.get("type").and_then(Value::as_str) {
        Some("string") => value.is_string(),
        Some("object") => value.is_object(),
        Some("array") => value.is_array(),
        Some("integer") => value.is_i64() || value.is_u64(),
        Some("number") => value.is_number(),
        Some("boolean") => value.is_boolean(),
        _ => true,
    };
    if !kind_ok {
        problems.push(format!("{at}: expected {}", schema["type"]));
        return;
    }
    if schema.get("pattern").is_some() && !value.as_str().is_some_and(is_uuid) {
        problems.push(format!("{at}: {value} is not a UUID"));
    }
    if let Some(required) = schema.get("required").and_then(Value::as_array) {
        for key in required.iter().filter_map(Value::as_str) {
            if value.get(key).is_none() {
                problems.push(format!("{at}: missing required {key}"));
            }
        }
    }
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (key, property) in properties {
            if let Some(inner) = value.get(key) {
                check(root, property, inner, &format!("{at}.{key}"), problems);
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (i, inner) in array.iter().enumerate() {
            check(root, items, inner, &format!("{at}[{i}]"), problems);
        }
    }
}

fn validate(schema_file: &str, values: &[Value], name: &str) {
    let root = schema(schema_file);
    let mut problems = Vec::new();
    for (i, value) in values.iter().enumerate() {
        check(&root, &root, value, &format!("{name}[{i}]"), &mut problems);
    }
    assert!(
        problems.is_empty(),
        "{schema_file}:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_shipped_framework_exports_a_package_the_case_1_1_schemas_accept() {
    for framework in leadkit_content::shipped().unwrap() {
        let package = leadkit_interop::case::export(
            &framework,
            "https://leadkit.example.org",
            datetime!(2026-11-23 09:00 UTC),
        );
        let json = serde_json::to_value(&package).unwrap();
        validate(
            "case-v1p1-cfdocument.json",
            &[json["CFDocument"].clone()],
            "CFDocument",
        );
        validate(
            "case-v1p1-cfitem.json",
            json["CFItems"].as_array().unwrap(),
            "CFItems",
        );
        validate(
            "case-v1p1-cfassociation.json",
            json["CFAssociations"].as_array().unwrap(),
            "CFAssociations",
        );
    }
}

#[test]
fn the_validator_catches_a_broken_object() {
    let root = schema("case-v1p1-cfitem.json");
    let mut problems = Vec::new();
    let broken = serde_json::json!({ "sourcedId": "not-a-uuid", "fullStatement": 3 });
    check(&root, &root, &broken, "item", &mut problems);
    assert!(
        problems.iter().any(|p| p.contains("not a UUID")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("missing required uri")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("fullStatement: expected")),
        "{problems:?}"
    );
}
