//! The typed error of the measurement readers (file, line, what is wrong) and the small helpers every reader
//! uses to build one.

use crate::model::MeasuredSource;
use crate::persist::error::{FileError, FileErrorKind};
use std::fmt;
use std::path::{Path, PathBuf};

/// What is wrong with a measurement file.
#[derive(Debug, thiserror::Error)]
pub enum MeasuredErrorKind {
    /// The file could not be read, or is over the size limit.
    #[error("{0}")]
    Read(FileErrorKind),
    /// Nothing in it.
    #[error("the file is empty")]
    Empty,
    /// Not a file of any tool Trainprint reads.
    #[error(
        "not a measurement file Trainprint reads (a CodeCarbon emissions.csv, an nvidia-smi power log or a Carbontracker log): the line reads '{0}'"
    )]
    UnknownFormat(String),
    /// Not a file of the tool asked for.
    #[error("not {article} {tool} file: {why}", article = article(*.expected), tool = .expected.label())]
    NotThisFormat {
        /// The tool the file was read as.
        expected: MeasuredSource,
        /// What gives it away.
        why: String,
    },
    /// A column the reader needs is missing from the header.
    #[error("the header has no '{0}' column")]
    MissingColumn(&'static str),
    /// The file ends mid-row or mid-record.
    #[error("truncated: {0}")]
    Truncated(String),
    /// A value that is not a usable number (or date).
    #[error("{column} '{value}' {why}")]
    BadValue {
        /// The column or field.
        column: String,
        /// The text found.
        value: String,
        /// Why it cannot be used.
        why: String,
    },
    /// A unit the reader does not know.
    #[error("unknown unit '{unit}' in {column} (expected {expected})")]
    UnknownUnit {
        /// The column.
        column: String,
        /// The unit found.
        unit: String,
        /// The unit(s) expected.
        expected: &'static str,
    },
    /// Timestamps that do not increase.
    #[error(
        "timestamp {found} of GPU {device} is not after its previous sample ({previous}, line {previous_line})"
    )]
    NonMonotonic {
        /// The device.
        device: String,
        /// The previous timestamp.
        previous: String,
        /// Its line.
        previous_line: usize,
        /// The timestamp found.
        found: String,
    },
    /// A gap in a power log: never interpolated across.
    #[error(
        "a gap of {gap_s} s in GPU {device}'s samples after {after} (the log samples every {interval_s} s){more}: Trainprint does not interpolate across gaps; split the log at the gap or measure again",
        more = if *.others == 0 { String::new() } else { format!(", and {} more gap{}", .others, if *.others == 1 { "" } else { "s" }) }
    )]
    Gap {
        /// The device.
        device: String,
        /// The gap, seconds.
        gap_s: f64,
        /// The timestamp before it.
        after: String,
        /// The log's median sampling interval, seconds.
        interval_s: f64,
        /// How many other gaps the log has.
        others: usize,
    },
    /// A GPU with fewer than two samples: nothing to integrate.
    #[error("GPU {0} has a single power sample; energy needs at least two per GPU")]
    SingleSample(String),
    /// The file holds no run.
    #[error("no run: {0}")]
    NoRuns(String),
    /// Carbontracker's logs come in pairs, so they are read from their files.
    #[error("a Carbontracker log: read it from its file, so that its companion log is found")]
    CarbontrackerText,
    /// Carbontracker's second log is not next to the one given.
    #[error(
        "Carbontracker writes two logs and its {which} log is not next to this one (looked for {expected})"
    )]
    MissingCompanion {
        /// `standard` or `output`.
        which: &'static str,
        /// The file looked for.
        expected: String,
    },
}

fn article(s: MeasuredSource) -> &'static str {
    match s {
        MeasuredSource::NvidiaSmi => "an",
        MeasuredSource::CodeCarbon | MeasuredSource::Carbontracker => "a",
    }
}

/// A measurement file that cannot be read: the file, the 1-based line where known, and what is wrong.
#[derive(Debug)]
pub struct MeasuredError {
    /// The file.
    pub path: PathBuf,
    /// The 1-based line, where the problem has one.
    pub line: Option<usize>,
    /// What is wrong (boxed: the kind holds several strings, and an error is the rare path, so the `Result`s
    /// that carry it stay small on every target).
    pub kind: Box<MeasuredErrorKind>,
}

impl MeasuredError {
    /// An error at `line` of `path`.
    pub fn at(path: &Path, line: usize, kind: MeasuredErrorKind) -> Self {
        MeasuredError {
            path: path.to_path_buf(),
            line: Some(line),
            kind: Box::new(kind),
        }
    }

    /// An error about `path` as a whole (no one line is at fault).
    pub fn whole(path: &Path, kind: MeasuredErrorKind) -> Self {
        MeasuredError {
            path: path.to_path_buf(),
            line: None,
            kind: Box::new(kind),
        }
    }
}

impl fmt::Display for MeasuredError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path.display(), self.kind),
            None => write!(f, "{}: {}", self.path.display(), self.kind),
        }
    }
}

impl std::error::Error for MeasuredError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.kind)
    }
}

impl From<FileError> for MeasuredError {
    fn from(e: FileError) -> Self {
        MeasuredError {
            path: e.path,
            line: None,
            kind: Box::new(MeasuredErrorKind::Read(e.kind)),
        }
    }
}

/// The first line that is not blank, with its 1-based number.
pub(crate) fn first_line(text: &str) -> Option<(usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .find(|(_, l)| !l.trim().is_empty())
}

/// At most 80 characters of a line, for messages.
pub(crate) fn shorten(line: &str) -> String {
    let line = line.trim();
    if line.chars().count() > 80 {
        let cut: String = line.chars().take(77).collect();
        format!("{cut}...")
    } else {
        line.to_owned()
    }
}

/// A [`MeasuredErrorKind::BadValue`] at `line` of `path`.
pub(crate) fn bad_value(
    path: &Path,
    line: usize,
    column: &str,
    value: &str,
    why: impl Into<String>,
) -> MeasuredError {
    MeasuredError::at(
        path,
        line,
        MeasuredErrorKind::BadValue {
            column: column.to_owned(),
            value: shorten(value),
            why: why.into(),
        },
    )
}

/// A finite number >= 0 from a field, or the error naming the column.
pub(crate) fn non_negative(
    path: &Path,
    line: usize,
    column: &str,
    value: &str,
) -> Result<f64, MeasuredError> {
    let bad = |why: &str| bad_value(path, line, column, value, why);
    let v: f64 = value.trim().parse().map_err(|_| bad("is not a number"))?;
    if !v.is_finite() || v < 0.0 {
        return Err(bad("must be a finite number >= 0"));
    }
    Ok(v)
}
