//! A framework as a spreadsheet (CSV), for trusts that keep theirs in one.
//!
//! One row per item, in the framework's order:
//!
//! ```text
//! code,parent,kind,title,introduction,Some impact [some],High impact [high],Highest impact [highest]
//! 1,,domain,Professional Knowledge and Understanding,School leaders at all levels…,,,
//! 1a,1,subdomain,Statutory guidance and governance,,,,
//! 1a i,1a,component,Understand statutory guidance…,,demonstrate…,ensure…,drive…
//! ```
//!
//! `parent` is empty for a top-level item. Each level column is headed by the
//! level's label and, in brackets, its code; an empty cell means the item has no
//! descriptor at that level, and [`MISSING_CELL`] marks one that the published
//! source lost. An introduction of several paragraphs separates them with a blank
//! line. The framework's own key, title and version are not in the sheet: the
//! caller supplies them (a sheet is a framework's items, the way a trust edits them).

use std::collections::{BTreeMap, HashMap};

use leadkit_domain::framework::{Framework, FrameworkKey, Item, ItemCode};
use leadkit_domain::scale::{Level, LevelCode, Scale};

use crate::{ImportError, Problem, check_size};

/// Written in a level's cell when the published source lost that descriptor.
pub const MISSING_CELL: &str = "[not in the published source]";

const FIXED: [&str; 5] = ["code", "parent", "kind", "title", "introduction"];

/// An optional column after the fixed ones: the code an item had in the previous
/// version, so that reflections on it carry forward to its new code.
const REPLACES: &str = leadkit_domain::framework::diff::REPLACES;

/// Writes a framework as CSV.
pub fn export(framework: &Framework) -> Result<String, csv::Error> {
    let levels: Vec<&Level> = framework
        .scale
        .iter()
        .flat_map(|scale| scale.levels.iter())
        .collect();
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = FIXED.iter().map(|s| (*s).to_owned()).collect();
    let with_replaces = framework
        .walk()
        .any(|item| item.extra.contains_key(REPLACES));
    if with_replaces {
        header.push(REPLACES.to_owned());
    }
    header.extend(
        levels
            .iter()
            .map(|level| format!("{} [{}]", level.label, level.code)),
    );
    writer.write_record(&header)?;
    let mut stack: Vec<(Option<&ItemCode>, &Item)> = framework
        .items
        .iter()
        .rev()
        .map(|item| (None, item))
        .collect();
    while let Some((parent, item)) = stack.pop() {
        let mut row = vec![
            item.code.to_string(),
            parent.map(ToString::to_string).unwrap_or_default(),
            item.kind.clone(),
            item.title.clone(),
            item.introduction.join("\n\n"),
        ];
        if with_replaces {
            row.push(item.extra.get(REPLACES).cloned().unwrap_or_default());
        }
        for level in &levels {
            row.push(match item.descriptor(&level.code) {
                None => String::new(),
                Some(None) => MISSING_CELL.to_owned(),
                Some(Some(text)) => text.to_owned(),
            });
        }
        writer.write_record(&row)?;
        stack.extend(
            item.children
                .iter()
                .rev()
                .map(|child| (Some(&item.code), child)),
        );
    }
    let bytes = writer.into_inner().map_err(|error| error.into_error())?;
    // Every field written was a Rust string, so the output is UTF-8.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// What the sheet itself does not say.
#[derive(Debug, Clone)]
pub struct SheetIdentity {
    pub key: FrameworkKey,
    pub title: String,
    pub version: String,
    /// The scale to use when the sheet's level columns match it (a new version of
    /// a framework keeps its levels' summaries); otherwise one is made from the
    /// column headings.
    pub scale: Option<Scale>,
}

struct Row {
    line: u64,
    code: ItemCode,
    parent: Option<ItemCode>,
    item: Item,
}

/// Reads a framework from CSV. Every problem in the file is reported with its line;
/// if there is any, nothing is returned.
pub fn import(bytes: &[u8], identity: SheetIdentity) -> Result<Framework, ImportError> {
    check_size(bytes.len() as u64)?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes); // Excel's BOM
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(bytes);
    let header = reader
        .headers()
        .map_err(|error| ImportError::one(Some(1), csv_message(&error)))?
        .clone();
    let with_replaces = header
        .get(FIXED.len())
        .is_some_and(|h| h.trim().eq_ignore_ascii_case(REPLACES));
    let first_level = FIXED.len() + usize::from(with_replaces);
    let levels = level_columns(&header, first_level)?;
    let mut problems = Vec::new();
    let mut rows: Vec<Row> = Vec::new();
    let mut first_line: HashMap<ItemCode, u64> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map(|p| p.line());
                problems.push(Problem {
                    line,
                    message: csv_message(&error),
                });
                // A broken record (bad UTF-8, a wrong number of cells) may hide others
                // behind it; report it and keep reading the rest.
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let field = |i: usize| record.get(i).unwrap_or("").trim();
        let mut row_problems = Vec::new();
        let code = match ItemCode::parse(field(0)) {
            Ok(code) => Some(code),
            Err(error) => {
                row_problems.push(error.message);
                None
            }
        };
        let parent = match field(1) {
            "" => None,
            raw => match ItemCode::parse(raw) {
                Ok(code) => Some(code),
                Err(error) => {
                    row_problems.push(format!("parent: {}", error.message));
                    None
                }
            },
        };
        let kind = field(2);
        if kind.is_empty() {
            row_problems.push("the kind is empty".into());
        }
        let title = field(3);
        if title.is_empty() {
            row_problems.push("the title is empty".into());
        }
        let introduction: Vec<String> = field(4)
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect();
        let mut descriptors = BTreeMap::new();
        for (offset, level) in levels.iter().enumerate() {
            match field(first_level + offset) {
                "" => {}
                MISSING_CELL => {
                    descriptors.insert(level.code.clone(), None);
                }
                text => {
                    descriptors.insert(level.code.clone(), Some(text.to_owned()));
                }
            }
        }
        let mut extra = BTreeMap::new();
        if with_replaces && !field(FIXED.len()).is_empty() {
            match ItemCode::parse(field(FIXED.len())) {
                Ok(old) => {
                    extra.insert(REPLACES.to_owned(), old.to_string());
                }
                Err(error) => row_problems.push(format!("replaces: {}", error.message)),
            }
        }
        if let Some(code) = &code {
            if let Some(earlier) = first_line.get(code) {
                row_problems.push(format!("the code {code} is already used on line {earlier}"));
            } else {
                first_line.insert(code.clone(), line);
            }
        }
        if row_problems.is_empty()
            && let Some(code) = code
        {
            rows.push(Row {
                line,
                parent,
                item: Item {
                    code: code.clone(),
                    kind: kind.to_owned(),
                    title: title.to_owned(),
                    introduction,
                    descriptors,
                    children: Vec::new(),
                    identifier: None,
                    extra,
                },
                code,
            });
        } else {
            problems.extend(row_problems.into_iter().map(|message| Problem {
                line: Some(line),
                message,
            }));
        }
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push(Problem {
            line: None,
            message: "the file has a heading row but no items".into(),
        });
    }
    problems.extend(tree_problems(&rows, &first_line));
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.line);
        return Err(ImportError { problems });
    }
    let scale = match (&identity.scale, levels.is_empty()) {
        (_, true) => identity.scale.clone(),
        (Some(known), false)
            if known
                .levels
                .iter()
                .map(|l| &l.code)
                .eq(levels.iter().map(|l| &l.code)) =>
        {
            Some(known.clone())
        }
        (_, false) => Some(Scale {
            name: "Levels".into(),
            levels,
        }),
    };
    let framework = Framework {
        key: identity.key,
        version: identity.version,
        title: identity.title,
        publisher: String::new(),
        motto: String::new(),
        introduction: Vec::new(),
        scale,
        kind_labels: BTreeMap::new(),
        descriptor_lead_in: String::new(),
        items: assemble(rows),
        associations: Vec::new(),
        identifier: None,
        extra: BTreeMap::new(),
    };
    framework
        .validate()
        .map_err(|error| ImportError::one(None, error.to_string()))?;
    Ok(framework)
}

/// The level columns after the fixed ones: "Label [code]".
fn level_columns(header: &csv::StringRecord, first: usize) -> Result<Vec<Level>, ImportError> {
    let mut problems = Vec::new();
    for (i, expected) in FIXED.iter().enumerate() {
        let found = header.get(i).unwrap_or("").trim();
        if !found.eq_ignore_ascii_case(expected) {
            problems.push(Problem {
                line: Some(1),
                message: format!(
                    "column {} should be headed \"{expected}\" but is \"{found}\" (the columns are: {}, optionally replaces, then one per level)",
                    i + 1,
                    FIXED.join(", ")
                ),
            });
        }
    }
    let mut levels: Vec<Level> = Vec::new();
    for heading in header.iter().skip(first) {
        let parsed = heading
            .trim()
            .strip_suffix(']')
            .and_then(|rest| rest.rsplit_once(" ["))
            .and_then(|(label, code)| {
                LevelCode::parse(code)
                    .ok()
                    .map(|code| (label.trim().to_owned(), code))
            });
        match parsed {
            Some((label, code)) if !label.is_empty() => {
                if levels.iter().any(|l| l.code == code) {
                    problems.push(Problem {
                        line: Some(1),
                        message: format!("the level [{code}] has two columns"),
                    });
                }
                levels.push(Level {
                    code,
                    label,
                    summary: String::new(),
                    lead_in: String::new(),
                    points: Vec::new(),
                });
            }
            _ => problems.push(Problem {
                line: Some(1),
                message: format!(
                    "the column \"{heading}\" should name a level as \"Label [code]\", e.g. \"High impact [high]\""
                ),
            }),
        }
    }
    if problems.is_empty() {
        Ok(levels)
    } else {
        Err(ImportError { problems })
    }
}

/// Unknown parents and cycles.
fn tree_problems(rows: &[Row], lines: &HashMap<ItemCode, u64>) -> Vec<Problem> {
    let parents: HashMap<&ItemCode, Option<&ItemCode>> = rows
        .iter()
        .map(|row| (&row.code, row.parent.as_ref()))
        .collect();
    let mut problems = Vec::new();
    for row in rows {
        if let Some(parent) = &row.parent
            && !lines.contains_key(parent)
        {
            problems.push(Problem {
                line: Some(row.line),
                message: format!("the parent {parent} is not the code of any row"),
            });
            continue;
        }
        // Walk up at most as many steps as there are rows: a longer walk is a cycle.
        let mut current = row.parent.as_ref();
        let mut steps = 0;
        while let Some(code) = current {
            if code == &row.code || steps > rows.len() {
                problems.push(Problem {
                    line: Some(row.line),
                    message: format!(
                        "{} is its own ancestor (the parents form a cycle)",
                        row.code
                    ),
                });
                break;
            }
            current = parents.get(code).copied().flatten();
            steps += 1;
        }
    }
    problems
}

/// Builds the tree, keeping the rows' order among siblings.
fn assemble(rows: Vec<Row>) -> Vec<Item> {
    let mut children: HashMap<ItemCode, Vec<Item>> = HashMap::new();
    let mut order: Vec<(Option<ItemCode>, ItemCode)> = Vec::new();
    let mut items: HashMap<ItemCode, Item> = HashMap::new();
    for row in rows {
        order.push((row.parent, row.code.clone()));
        items.insert(row.code, row.item);
    }
    // Attach children bottom-up: walk the rows in reverse so that every item's
    // children are complete before it is attached to its own parent.
    let depth = |code: &ItemCode, order: &[(Option<ItemCode>, ItemCode)]| {
        let parent_of: HashMap<&ItemCode, Option<&ItemCode>> =
            order.iter().map(|(p, c)| (c, p.as_ref())).collect();
        let mut depth = 0;
        let mut current = parent_of.get(code).copied().flatten();
        while let Some(code) = current {
            depth += 1;
            current = parent_of.get(code).copied().flatten();
        }
        depth
    };
    let mut by_depth: Vec<(usize, usize)> = order
        .iter()
        .enumerate()
        .map(|(i, (_, code))| (depth(code, &order), i))
        .collect();
    by_depth.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut roots: Vec<(usize, Item)> = Vec::new();
    for (_, index) in by_depth {
        let (parent, code) = &order[index];
        let Some(mut item) = items.remove(code) else {
            continue;
        };
        item.children = children.remove(code).unwrap_or_default();
        match parent {
            Some(parent) => children.entry(parent.clone()).or_default().push(item),
            None => roots.push((index, item)),
        }
    }
    roots.sort_by_key(|(index, _)| *index);
    roots.into_iter().map(|(_, item)| item).collect()
}

pub(crate) fn csv_message(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::Utf8 { err, .. } => format!(
            "the text is not UTF-8 (field {}); save the spreadsheet as \"CSV UTF-8\"",
            err.field() + 1
        ),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("this row has {len} cells but the heading row has {expected_len}"),
        _ => format!("the file cannot be read as CSV: {error}"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    fn identity() -> SheetIdentity {
        SheetIdentity {
            key: FrameworkKey::parse("sheet").unwrap(),
            title: "Sheet".into(),
            version: "1".into(),
            scale: None,
        }
    }

    fn problems(csv: &str) -> Vec<String> {
        import(csv.as_bytes(), identity())
            .expect_err("the sheet should be refused")
            .problems
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    const HEADER: &str = "code,parent,kind,title,introduction,Low [low],High [high]\n";

    #[test]
    fn a_small_sheet_becomes_a_tree_in_row_order() {
        let csv = format!(
            "{HEADER}1,,area,First,,,\n1.1,1,item,One one,,starts,leads\n2,,area,Second,,,\n1.2,1,item,One two,,,\n"
        );
        let framework = import(csv.as_bytes(), identity()).unwrap();
        let codes: Vec<_> = framework.walk().map(|i| i.code.to_string()).collect();
        assert_eq!(codes, ["1", "1.1", "1.2", "2"]);
        let scale = framework.scale.unwrap();
        assert_eq!(scale.levels[1].label, "High");
        let item = &framework.items[0].children[0];
        assert_eq!(
            item.descriptor(&LevelCode::parse("high").unwrap()),
            Some(Some("leads"))
        );
    }

    #[test]
    fn a_replaces_column_maps_new_codes_to_old_and_survives_export() {
        let csv = "code,parent,kind,title,introduction,replaces,Low [low]\n\
                   1,,area,First,,,\n1.5,1,item,Renumbered,,1.2,starts\n1.6,1,item,New,,,\n";
        let framework = import(csv.as_bytes(), identity()).unwrap();
        let renumbered = &framework.items[0].children[0];
        assert_eq!(
            renumbered.extra.get(REPLACES).map(String::as_str),
            Some("1.2")
        );
        assert!(framework.items[0].children[1].extra.is_empty());
        assert_eq!(framework.scale.as_ref().unwrap().levels.len(), 1);
        let again = import(export(&framework).unwrap().as_bytes(), identity()).unwrap();
        assert_eq!(again, framework);
        let bad =
            "code,parent,kind,title,introduction,replaces,Low [low]\n1,,area,First,,not/a code,\n";
        assert_eq!(
            problems(bad),
            ["line 2: replaces: \"not/a code\" is not an item code"]
        );
    }

    #[test]
    fn every_problem_is_reported_with_its_line() {
        let csv = format!(
            "{HEADER}1,,area,First,,,\n1,,area,Again,,,\n2,9,item,Orphan,,,\n3,,item,,,,\n"
        );
        assert_eq!(
            problems(&csv),
            [
                "line 3: the code 1 is already used on line 2",
                "line 4: the parent 9 is not the code of any row",
                "line 5: the title is empty",
            ]
        );
    }

    #[test]
    fn a_cycle_in_the_parents_is_refused() {
        let csv = format!("{HEADER}a,b,item,A,,,\nb,a,item,B,,,\n");
        let found = problems(&csv);
        assert!(
            found[0].contains("line 2: a is its own ancestor"),
            "{found:?}"
        );
        assert!(
            found[1].contains("line 3: b is its own ancestor"),
            "{found:?}"
        );
    }

    #[test]
    fn wrong_headings_bad_utf8_and_ragged_rows_are_named() {
        assert!(
            problems("id,parent,kind,title,introduction\n1,,a,b,\n")[0]
                .contains("column 1 should be headed \"code\"")
        );
        assert!(problems(&format!("{HEADER}1,,a,b,,\n"))[0].contains("has 6 cells"));
        let mut bytes = HEADER.as_bytes().to_vec();
        bytes.extend_from_slice(b"1,,area,Caf\xE9,,,\n");
        let error = import(&bytes, identity()).unwrap_err();
        assert!(error.to_string().contains("not UTF-8"), "{error}");
        assert!(
            problems("code,parent,kind,title,introduction,High\n1,,a,b,,\n")[0]
                .contains("\"Label [code]\"")
        );
    }

    #[test]
    fn a_huge_file_is_refused_before_it_is_read() {
        let error = crate::check_size(200 * 1024 * 1024).unwrap_err();
        assert!(error.to_string().contains("200.0 MB"), "{error}");
    }

    #[test]
    fn the_toolkit_round_trips_through_a_sheet() {
        let toolkit = leadkit_content::toolkit().unwrap();
        let sheet = export(&toolkit).unwrap();
        let back = import(
            sheet.as_bytes(),
            SheetIdentity {
                key: toolkit.key.clone(),
                title: toolkit.title.clone(),
                version: toolkit.version.clone(),
                scale: toolkit.scale.clone(),
            },
        )
        .unwrap();
        assert_eq!(back.items, toolkit.items, "every item, text and descriptor");
        assert_eq!(back.scale, toolkit.scale);
    }
}
