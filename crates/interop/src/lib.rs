//! Frameworks to and from the formats other systems use.
//!
//! Everything here is pure: bytes in, [`Framework`]s out and back. Reading a file,
//! choosing a version and publishing are the caller's (the CLI's and the web
//! layer's) job. Every importer checks the whole input and reports every problem
//! it finds with its line, so that nothing is imported from a file that is wrong
//! anywhere (all or nothing).
//!
//! [`Framework`]: leadkit_domain::framework::Framework

pub mod case;
pub mod cells;
pub mod spreadsheet;
pub mod staff;

/// One thing wrong with an imported file, where it is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The 1-based line of the file, if the problem belongs to one.
    pub line: Option<u64>,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl Problem {
    /// The problem as a spreadsheet's reader says it: "row 4: …".
    pub fn in_rows(&self) -> String {
        match self.line {
            Some(row) => format!("row {row}: {}", self.message),
            None => self.message.clone(),
        }
    }
}

/// Why a file could not be imported: every problem found, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub problems: Vec<Problem>,
}

impl ImportError {
    pub fn one(line: Option<u64>, message: impl Into<String>) -> Self {
        ImportError {
            problems: vec![Problem {
                line,
                message: message.into(),
            }],
        }
    }
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let count = self.problems.len();
        writeln!(
            f,
            "nothing was imported: {count} problem{} found",
            if count == 1 { "" } else { "s" }
        )?;
        for problem in &self.problems {
            writeln!(f, "  {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ImportError {}

/// The largest file an importer reads. Frameworks are small (the Toolkit is about
/// 100 KB as JSON); anything this big is a mistake, refused before it is read.
pub const MAX_IMPORT_BYTES: u64 = 10 * 1024 * 1024;

/// Refuses a file by its size before anything reads it.
pub fn check_size(bytes: u64) -> Result<(), ImportError> {
    if bytes > MAX_IMPORT_BYTES {
        Err(ImportError::one(
            None,
            format!(
                "the file is {:.1} MB; an imported file may be at most {} MB",
                bytes as f64 / 1_048_576.0,
                MAX_IMPORT_BYTES / 1_048_576
            ),
        ))
    } else {
        Ok(())
    }
}
