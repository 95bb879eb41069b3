//! Errors of loading and saving files: every one names the file, and parse errors the line and column.

use crate::model::CatalogueIssue;
use std::fmt;
use std::path::{Path, PathBuf};

/// What went wrong with a file.
#[derive(Debug, thiserror::Error)]
pub enum FileErrorKind {
    /// Reading or writing failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The text is not valid RON for this format, at a line and column (1-based).
    #[error("line {line}, column {column}: {message}")]
    Parse {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser expected or found.
        message: String,
    },
    /// The file is another kind of Trainprint file, or not one at all.
    #[error("this is not a {expected} file (its format field says '{found}')")]
    WrongFormat {
        /// The format expected.
        expected: &'static str,
        /// The format found.
        found: String,
    },
    /// Written by a newer Trainprint.
    #[error(
        "written by a newer Trainprint (format version {found}; this build reads versions up to {supported}): update Trainprint to open it"
    )]
    NewerVersion {
        /// Version in the file.
        found: u32,
        /// Newest version this build reads.
        supported: u32,
    },
    /// A version that never existed.
    #[error("unknown format version {0}")]
    UnknownVersion(u32),
    /// Larger than any real file of this kind.
    #[error("file is {size} bytes, over the {limit}-byte limit for this kind of file")]
    TooLarge {
        /// The file's size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The file parsed but holds invalid values.
    #[error("{}", issues_text(.0))]
    Invalid(Vec<CatalogueIssue>),
    /// The file parsed but a value is out of range.
    #[error("{0}")]
    InvalidValue(String),
}

fn issues_text(issues: &[CatalogueIssue]) -> String {
    let n = issues.len();
    let mut s = format!("{n} invalid value{}: ", if n == 1 { "" } else { "s" });
    for (i, issue) in issues.iter().take(5).enumerate() {
        if i > 0 {
            s.push_str("; ");
        }
        s.push_str(&issue.to_string());
    }
    if n > 5 {
        s.push_str(&format!("; and {} more", n - 5));
    }
    s
}

/// A file error: the file (or `<built-in ...>` for embedded presets) and what went wrong.
#[derive(Debug)]
pub struct FileError {
    /// The file.
    pub path: PathBuf,
    /// What went wrong.
    pub kind: FileErrorKind,
}

impl FileError {
    /// A new error for `path`.
    pub fn new(path: impl AsRef<Path>, kind: impl Into<FileErrorKind>) -> Self {
        FileError {
            path: path.as_ref().to_path_buf(),
            kind: kind.into(),
        }
    }

    /// The 1-based line and column of a parse error.
    pub fn position(&self) -> Option<(usize, usize)> {
        match self.kind {
            FileErrorKind::Parse { line, column, .. } => Some((line, column)),
            _ => None,
        }
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            FileErrorKind::Parse {
                line,
                column,
                message,
            } => write!(f, "{}:{line}:{column}: {message}", self.path.display()),
            kind => write!(f, "{}: {kind}", self.path.display()),
        }
    }
}

impl std::error::Error for FileError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.kind)
    }
}

impl From<ron::error::SpannedError> for FileErrorKind {
    fn from(e: ron::error::SpannedError) -> Self {
        FileErrorKind::Parse {
            line: e.span.start.line,
            column: e.span.start.col,
            message: e.code.to_string(),
        }
    }
}
