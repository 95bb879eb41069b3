//! Readers of measurement files — CodeCarbon's `emissions.csv`, `nvidia-smi` power logs and Carbontracker's log
//! pair — into [`MeasuredRun`]s. Each reader takes the file's text and returns runs or one typed error naming the
//! file and the line; [`load`] reads the file (size-limited) and picks the reader from the content.
//!
//! The tool versions each reader was checked against are stated in its module.

pub mod carbontracker;
pub mod codecarbon;
pub mod nvidia_smi;

use super::error::{FileError, FileErrorKind};
use super::ron_file;
use crate::model::{MeasuredRun, MeasuredSource};
use std::fmt;
use std::path::{Path, PathBuf};

/// The largest measurement file read: 256 MiB, about 7 million `nvidia-smi` rows (8 GPUs sampled every second
/// for 10 days; sample every 5 s or more for longer runs).
pub const MAX_MEASURED_BYTES: u64 = 256 * 1024 * 1024;

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
    /// What is wrong.
    pub kind: MeasuredErrorKind,
}

impl MeasuredError {
    /// An error at `line` of `path`.
    pub fn at(path: &Path, line: usize, kind: MeasuredErrorKind) -> Self {
        MeasuredError {
            path: path.to_path_buf(),
            line: Some(line),
            kind,
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
        Some(&self.kind)
    }
}

impl From<FileError> for MeasuredError {
    fn from(e: FileError) -> Self {
        MeasuredError {
            path: e.path,
            line: None,
            kind: MeasuredErrorKind::Read(e.kind),
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

/// Which tool wrote `text`, from its content: a CodeCarbon header, an `nvidia-smi` header or sample row, or
/// Carbontracker's log lines. `None` for anything else.
///
/// ```
/// use trainprint::model::MeasuredSource;
/// use trainprint::persist::measured::detect;
/// assert_eq!(detect("timestamp, index, power.draw [W]\n"), Some(MeasuredSource::NvidiaSmi));
/// assert_eq!(detect("2024/01/15 10:00:00.000, 0, 65.4 W\n"), Some(MeasuredSource::NvidiaSmi));
/// assert_eq!(detect("timestamp,project_name,run_id,duration,emissions,energy_consumed\n"), Some(MeasuredSource::CodeCarbon));
/// assert_eq!(detect("datetime,intensity_g_per_kwh\n"), None);
/// ```
pub fn detect(text: &str) -> Option<MeasuredSource> {
    let (_, line) = first_line(text)?;
    if codecarbon::is_header(line) {
        Some(MeasuredSource::CodeCarbon)
    } else if nvidia_smi::is_header(line) || nvidia_smi::looks_like_row(line) {
        Some(MeasuredSource::NvidiaSmi)
    } else if carbontracker::looks_like_log(text) {
        Some(MeasuredSource::Carbontracker)
    } else {
        None
    }
}

/// Parses a CodeCarbon or `nvidia-smi` file's text (`source` forces the reader; `None` detects it). Carbontracker
/// needs its two logs: use [`carbontracker::parse`] or [`load`].
pub fn parse(
    text: &str,
    path: &Path,
    source: Option<MeasuredSource>,
) -> Result<Vec<MeasuredRun>, MeasuredError> {
    let Some((line, first)) = first_line(text) else {
        return Err(MeasuredError::at(path, 1, MeasuredErrorKind::Empty));
    };
    match source.or_else(|| detect(text)) {
        Some(MeasuredSource::CodeCarbon) => codecarbon::parse(text, path),
        Some(MeasuredSource::NvidiaSmi) => nvidia_smi::parse(text, path).map(|r| vec![r]),
        Some(MeasuredSource::Carbontracker) => Err(MeasuredError {
            path: path.to_path_buf(),
            line: None,
            kind: MeasuredErrorKind::CarbontrackerText,
        }),
        None => Err(MeasuredError::at(
            path,
            line,
            MeasuredErrorKind::UnknownFormat(shorten(first)),
        )),
    }
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

/// Reads a measurement file (at most [`MAX_MEASURED_BYTES`]) and every run in it; `source` forces the reader,
/// `None` detects it from the content. A Carbontracker log is read with its companion (the `_carbontracker.log`
/// beside a `_carbontracker_output.log`, or the other way round).
pub fn load(
    path: &Path,
    source: Option<MeasuredSource>,
) -> Result<Vec<MeasuredRun>, MeasuredError> {
    let text = ron_file::read_limited(path, MAX_MEASURED_BYTES)?;
    // A byte-order mark (a CSV saved by a Windows editor) is not part of the first field.
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    };
    if first_line(&text).is_none() {
        return Err(MeasuredError::at(path, 1, MeasuredErrorKind::Empty));
    }
    let carbontracker = match source {
        Some(s) => s == MeasuredSource::Carbontracker,
        None => detect(&text) == Some(MeasuredSource::Carbontracker),
    };
    if !carbontracker {
        return parse(&text, path, source);
    }
    let (output_path, standard_path) = carbontracker::companions(path, &text)?;
    let read = |p: &Path, which: &'static str| {
        if p.is_file() {
            ron_file::read_limited(p, MAX_MEASURED_BYTES).map_err(MeasuredError::from)
        } else {
            Err(MeasuredError {
                path: path.to_path_buf(),
                line: None,
                kind: MeasuredErrorKind::MissingCompanion {
                    which,
                    expected: p.display().to_string(),
                },
            })
        }
    };
    let output = if output_path == path {
        text.clone()
    } else {
        read(&output_path, "output")?
    };
    let standard = if standard_path == path {
        text
    } else {
        read(&standard_path, "standard")?
    };
    carbontracker::parse(&output, &output_path, &standard, &standard_path).map(|r| vec![r])
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
