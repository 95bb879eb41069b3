//! Readers of measurement files — CodeCarbon's `emissions.csv`, `nvidia-smi` power logs and Carbontracker's log
//! pair — into [`MeasuredRun`]s. Each reader takes the file's text and returns runs or one typed error naming the
//! file and the line; [`load`] reads the file (size-limited) and picks the reader from the content.
//!
//! The tool versions each reader was checked against are stated in its module.

pub mod carbontracker;
pub mod codecarbon;
mod error;
pub mod nvidia_smi;

pub use error::{MeasuredError, MeasuredErrorKind};

use super::ron_file;
use crate::model::{MeasuredRun, MeasuredSource};
use error::{first_line, shorten};
use std::path::Path;

/// The largest measurement file read: 256 MiB, about 7 million `nvidia-smi` rows (8 GPUs sampled every second
/// for 10 days; sample every 5 s or more for longer runs).
pub const MAX_MEASURED_BYTES: u64 = 256 * 1024 * 1024;

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
        Some(MeasuredSource::Carbontracker) => Err(MeasuredError::whole(
            path,
            MeasuredErrorKind::CarbontrackerText,
        )),
        None => Err(MeasuredError::at(
            path,
            line,
            MeasuredErrorKind::UnknownFormat(shorten(first)),
        )),
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
            Err(MeasuredError::whole(
                path,
                MeasuredErrorKind::MissingCompanion {
                    which,
                    expected: p.display().to_string(),
                },
            ))
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
