//! The shape of the web layer, checked: pages live in area folders that mirror
//! `templates/`, a page module never imports another page module (what pages
//! share lives in their area's `mod.rs` or above `pages/`), no file under
//! `pages/` grows past 500 lines, and no handler past about 80.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

fn pages_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/pages")
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The module a file is, as a path under `pages` ("goals/show", "goals").
fn module_of(file: &Path) -> String {
    let relative = file.strip_prefix(pages_dir()).unwrap();
    let text = relative
        .with_extension("")
        .to_string_lossy()
        .replace('\\', "/");
    text.strip_suffix("/mod")
        .map(str::to_owned)
        .unwrap_or(if text == "mod" { String::new() } else { text })
}

/// Whether `module` (under `pages`) is a file of its own rather than an area's
/// shared `mod.rs` or `pages/mod.rs`.
fn is_page_module(module: &str) -> bool {
    let dir = pages_dir();
    !module.is_empty() && dir.join(format!("{module}.rs")).is_file()
}

/// Every module path a file names through `super::` or `crate::pages::`, as a
/// module under `pages`, with the line it is on.
fn named_modules(file: &Path, source: &str) -> Vec<(String, usize)> {
    let here = module_of(file);
    let is_area_root = file.file_name().is_some_and(|n| n == "mod.rs");
    // `super` of a page file is its area; of an area's mod.rs, `pages`.
    let parent = match (is_area_root, here.rsplit_once('/')) {
        (true, _) => String::new(),
        (false, Some((area, _))) => area.to_owned(),
        (false, None) => String::new(),
    };
    let mut named = Vec::new();
    for (number, line) in source.lines().enumerate() {
        let code = line.split("//").next().unwrap_or_default();
        for (prefix, base) in [
            ("crate::pages::", String::new()),
            ("super::", parent.clone()),
        ] {
            let mut rest = code;
            while let Some(at) = rest.find(prefix) {
                rest = &rest[at + prefix.len()..];
                let names: Vec<String> = if let Some(group) = rest.strip_prefix('{') {
                    let group = group.split('}').next().unwrap_or_default();
                    group
                        .split(',')
                        .map(|n| n.trim().split("::").next().unwrap_or_default().to_owned())
                        .collect()
                } else {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    vec![name]
                };
                for name in names.into_iter().filter(|n| !n.is_empty()) {
                    let module = if base.is_empty() {
                        name
                    } else {
                        format!("{base}/{name}")
                    };
                    named.push((module, number + 1));
                }
            }
        }
    }
    named
}

#[test]
fn no_page_module_imports_another_page_module() {
    let mut found = Vec::new();
    for file in rust_files(&pages_dir()) {
        let source = std::fs::read_to_string(&file).unwrap();
        let here = module_of(&file);
        for (module, line) in named_modules(&file, &source) {
            if module != here && is_page_module(&module) {
                found.push(format!("pages/{here}: line {line} uses pages/{module}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "pages importing pages:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_checker_sees_an_import_of_another_page() {
    // The rule above must be able to fail: a page naming a sibling is caught.
    let file = pages_dir().join("goals/show.rs");
    let named = named_modules(
        &file,
        "use super::list::GoalLine;\nuse crate::pages::reflect::x;",
    );
    assert!(
        named
            .iter()
            .any(|(m, _)| m == "goals/list" && is_page_module(m))
    );
    assert!(
        named
            .iter()
            .any(|(m, _)| m == "reflect" && is_page_module(m))
    );
    let named = named_modules(&file, "use super::{GoalAccess, goal_for};");
    assert!(named.iter().all(|(m, _)| !is_page_module(m)), "{named:?}");
    // And the handler measure sees a long handler.
    let body = "    let x = 1;\n".repeat(90);
    let source = format!(
        "pub async fn long(\n    State(state): State<AppState>,\n) -> Response {{\n{body}}}\n"
    );
    assert_eq!(handler_lengths(&source), vec![("long".to_owned(), 94)]);
}

#[test]
fn pages_mirror_the_templates_and_stay_small() {
    let mut too_long = Vec::new();
    for file in rust_files(&pages_dir()) {
        let lines = std::fs::read_to_string(&file).unwrap().lines().count();
        if lines > 500 {
            too_long.push(format!("{} has {lines} lines", file.display()));
        }
    }
    assert!(too_long.is_empty(), "{}", too_long.join("\n"));
    // Every template folder has its page area (a folder, or one module).
    let templates = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    for entry in std::fs::read_dir(&templates).unwrap() {
        let path = entry.unwrap().path();
        if !path.is_dir() {
            continue;
        }
        let area = path.file_name().unwrap().to_string_lossy().into_owned();
        // Templates of signing in live with the sign-in pages; people with sharing.
        let expected = match area.as_str() {
            "auth" => vec!["sign_in.rs", "setup.rs", "links.rs"],
            "people" => vec!["sharing.rs"],
            "reports" => vec!["profile/report.rs", "insight/report.rs"],
            "expertise" => vec!["expertise.rs"],
            "reflect" => vec!["reflect.rs"],
            other => vec![Box::leak(format!("{other}/mod.rs").into_boxed_str()) as &str],
        };
        for module in expected {
            assert!(
                pages_dir().join(module).is_file(),
                "templates/{area} has no pages/{module}"
            );
        }
    }
}

/// The length of every function that takes axum's `State` (a handler), by name.
fn handler_lengths(source: &str) -> Vec<(String, usize)> {
    let lines: Vec<&str> = source.lines().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim_start();
        if let Some(rest) = line.strip_prefix("pub async fn ") {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let start = i;
            let mut signature = String::new();
            while i < lines.len() && !lines[i].contains('{') {
                signature.push_str(lines[i]);
                i += 1;
            }
            signature.push_str(lines.get(i).copied().unwrap_or_default());
            let end = (i..lines.len())
                .find(|&j| lines[j] == "}")
                .unwrap_or(lines.len() - 1);
            if signature.contains("State(") {
                found.push((name, end - start + 1));
            }
            i = end;
        }
        i += 1;
    }
    found
}

#[test]
fn no_handler_is_longer_than_about_80_lines() {
    let mut long = Vec::new();
    for file in rust_files(&pages_dir()) {
        let source = std::fs::read_to_string(&file).unwrap();
        for (name, length) in handler_lengths(&source) {
            if length > 85 {
                long.push(format!(
                    "pages/{}::{name}: {length} lines",
                    module_of(&file)
                ));
            }
        }
    }
    assert!(long.is_empty(), "{}", long.join("\n"));
}
