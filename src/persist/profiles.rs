//! Hourly intensity series for carbon-aware scheduling: the embedded representative hour-of-day profiles (one per
//! grid zone, scaled to a region's own annual intensity; a flat profile, said so, where no hourly data exist), a
//! region's fetched forecast, or a CSV the user imports (`datetime,intensity_g_per_kwh`, one row per hour).

use super::error::{FileError, FileErrorKind};
use super::ron_file;
use serde::Deserialize;
use std::path::Path;

pub use crate::model::profile::{Part, Profile, Season, Series};

/// The embedded profiles file.
pub const PROFILES_RON: &str = include_str!("../../presets/profiles.ron");

/// The embedded profiles with the attribution and licence their data carry.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileSet {
    /// Always `trainprint-profiles`.
    pub format: String,
    /// The layout version (2 added `attribution`, `licence`, `estimated_hours` and `modelled`).
    pub version: u32,
    /// Whose data the profiles are derived from.
    pub attribution: String,
    /// The licence of the data and of the derived profiles.
    pub licence: String,
    /// One profile per grid zone.
    pub profiles: Vec<Profile>,
}

/// The embedded profiles, checked: 24 finite non-negative hours each.
pub fn profiles() -> Result<Vec<Profile>, FileError> {
    profile_set().map(|s| s.profiles)
}

/// The embedded profiles with their attribution and licence, checked as [`profiles`] says.
pub fn profile_set() -> Result<ProfileSet, FileError> {
    let path = Path::new("<built-in presets/profiles.ron>");
    ron_file::header(PROFILES_RON, path, "trainprint-profiles", 2)?;
    let f: ProfileSet = ron_file::parse(PROFILES_RON, path)?;
    for p in &f.profiles {
        let ok = |h: &[f64]| h.len() == 24 && h.iter().all(|x| x.is_finite() && *x >= 0.0);
        if !ok(&p.hours)
            || !p.seasons.iter().all(|s| ok(&s.hours))
            || p.annual_mean_g_per_kwh <= 0.0
        {
            return Err(FileError::new(
                path,
                FileErrorKind::InvalidValue(format!(
                    "profile '{}' must have 24 hours of values >= 0",
                    p.key
                )),
            ));
        }
    }
    Ok(f)
}

/// Parses an hourly profile CSV: a header, then `datetime,intensity_g_per_kwh` rows; errors name the line.
pub fn parse_csv(text: &str, path: &Path) -> Result<Series, FileError> {
    let bad = |line: usize, message: String| {
        FileError::new(
            path,
            FileErrorKind::Parse {
                line,
                column: 1,
                message,
            },
        )
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| bad(1, e.to_string()))?.clone();
    if headers.len() < 2 {
        return Err(bad(
            1,
            "expected the header datetime,intensity_g_per_kwh".into(),
        ));
    }
    let mut values = Vec::new();
    let mut labels = Vec::new();
    let mut previous: Option<i64> = None;
    for (i, rec) in reader.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| bad(line, e.to_string()))?;
        let dt = rec.get(0).unwrap_or("").to_owned();
        let minutes = crate::units::parse_minutes(&dt).ok_or_else(|| {
            bad(
                line,
                format!("datetime '{dt}' is not of the form YYYY-MM-DDTHH:MM (UTC)"),
            )
        })?;
        if let Some(prev) = previous
            && minutes - prev != 60
        {
            return Err(bad(
                line,
                format!(
                    "rows must be one hour apart, but '{dt}' is {} minutes after the row before",
                    minutes - prev
                ),
            ));
        }
        previous = Some(minutes);
        let v: f64 = rec.get(1).unwrap_or("").parse().map_err(|_| {
            bad(
                line,
                format!("intensity '{}' is not a number", rec.get(1).unwrap_or("")),
            )
        })?;
        if !v.is_finite() || v < 0.0 {
            return Err(bad(
                line,
                format!("intensity {v} must be a finite number >= 0"),
            ));
        }
        labels.push(dt);
        values.push(v);
    }
    if values.is_empty() {
        return Err(bad(2, "no rows".into()));
    }
    Ok(Series {
        values,
        labels,
        source: format!("imported from {}", path.display()),
        flat: false,
    })
}

/// Loads a profile CSV (size-limited).
pub fn load_csv(path: &Path) -> Result<Series, FileError> {
    let text = ron_file::read_limited(path, ron_file::MAX_FILE_BYTES)?;
    parse_csv(&text, path)
}
