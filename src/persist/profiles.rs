//! Hourly intensity series for carbon-aware scheduling: the embedded representative hour-of-day profiles (one per
//! grid zone, scaled to a region's own annual intensity; a flat profile, said so, where no hourly data exist), a
//! region's fetched forecast, or a CSV the user imports (`datetime,intensity_g_per_kwh`, one row per hour).

use super::error::{FileError, FileErrorKind};
use super::ron_file;
use crate::model::Region;
use serde::Deserialize;
use std::path::Path;

/// The embedded profiles file.
pub const PROFILES_RON: &str = include_str!("../../presets/profiles.ron");

/// A season of a profile.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Season {
    /// `Apr–Jun`, `Dec–Jan`.
    pub name: String,
    /// Hour-of-day means, g/kWh, hours 0..23.
    pub hours: Vec<f64>,
}

/// A representative hour-of-day profile of one grid.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Stable key.
    pub key: String,
    /// Display name.
    pub name: String,
    /// The Electricity Maps zone it describes.
    pub zone: String,
    /// Its year.
    pub year: u16,
    /// Annual mean of the series, g/kWh.
    pub annual_mean_g_per_kwh: f64,
    /// Hour-of-day means over the year, g/kWh, hours 0..23.
    pub hours: Vec<f64>,
    /// Seasonal hour-of-day means, where computed.
    #[serde(default)]
    pub seasons: Vec<Season>,
    /// Where it comes from.
    pub source: String,
    /// How many of the year's hours the data provider flags as estimated rather than measured.
    #[serde(default)]
    pub estimated_hours: u32,
    /// True when every hour is the provider's model output (a modelled series, not measurement).
    #[serde(default)]
    pub modelled: bool,
    /// Notes.
    #[serde(default)]
    pub notes: String,
}

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

/// An hourly intensity series with a label per hour.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// g/kWh per hour.
    pub values: Vec<f64>,
    /// A label per hour (a datetime, or `day 1 14:00`).
    pub labels: Vec<String>,
    /// What the series is and where it comes from.
    pub source: String,
    /// True when there is no hourly data and the series is flat.
    pub flat: bool,
}

/// Which part of the year a representative profile describes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Part {
    /// The yearly hour-of-day means.
    #[default]
    Year,
    /// April to June.
    AprJun,
    /// December and January.
    DecJan,
}

impl Part {
    /// All parts.
    pub const ALL: [Part; 3] = [Part::Year, Part::AprJun, Part::DecJan];

    /// A label.
    pub fn label(self) -> &'static str {
        match self {
            Part::Year => "whole year",
            Part::AprJun => "Apr–Jun",
            Part::DecJan => "Dec–Jan",
        }
    }
}

/// The profile for a region, matched by its grid zone.
pub fn profile_for<'a>(region: &Region, profiles: &'a [Profile]) -> Option<&'a Profile> {
    let zone = region.grid_zone.as_deref()?;
    profiles.iter().find(|p| p.zone.eq_ignore_ascii_case(zone))
}

/// `hours` hours of the region's representative profile, starting at local clock hour `start_hour`, scaled so
/// the day's mean equals the region's annual intensity; flat at that intensity where no profile exists.
pub fn representative(
    region: &Region,
    profiles: &[Profile],
    part: Part,
    start_hour: usize,
    hours: usize,
) -> Series {
    let annual = region.intensity_g_per_kwh;
    let labels = (0..hours)
        .map(|t| {
            let h = start_hour + t;
            format!("day {} {:02}:00", h / 24 + 1, h % 24)
        })
        .collect();
    match profile_for(region, profiles) {
        Some(p) => {
            let (shape, part_name) = match part {
                Part::Year => (&p.hours, "year"),
                Part::AprJun | Part::DecJan => {
                    match p.seasons.iter().find(|s| s.name == part.label()) {
                        Some(s) => (&s.hours, part.label()),
                        None => (&p.hours, "year (no seasonal data)"),
                    }
                }
            };
            let mean = shape.iter().sum::<f64>() / 24.0;
            let values = (0..hours)
                .map(|t| {
                    let h = (start_hour + t) % 24;
                    if mean > 0.0 {
                        annual * shape[h] / mean
                    } else {
                        annual
                    }
                })
                .collect();
            let caveat = if p.modelled {
                "; modelled by the data provider for every hour, not measured".to_owned()
            } else {
                String::new()
            };
            Series {
                values,
                labels,
                source: format!(
                    "hour-of-day shape of {} ({part_name}{caveat}), scaled to {}'s {} g/kWh; {}",
                    p.name,
                    region.name,
                    crate::units::sig(annual, 4),
                    p.source
                ),
                flat: false,
            }
        }
        None => Series {
            values: vec![annual; hours],
            labels,
            source: format!(
                "no hourly data for {}{}: a flat profile at its annual {} g/kWh",
                region.name,
                region
                    .grid_zone
                    .as_deref()
                    .map(|z| format!(" (grid zone {z})"))
                    .unwrap_or_default(),
                crate::units::sig(annual, 4)
            ),
            flat: true,
        },
    }
}

/// Minutes since 1970 of `YYYY-MM-DDTHH:MM…` (UTC; seconds and the zone suffix ignored).
pub fn parse_minutes(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 16
        || b[4] != b'-'
        || b[7] != b'-'
        || !(b[10] == b'T' || b[10] == b' ')
        || b[13] != b':'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, m, d, hh, mm) = (
        num(0..4)?,
        num(5..7)?,
        num(8..10)?,
        num(11..13)?,
        num(14..16)?,
    );
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 {
        return None;
    }
    // Days from civil (Howard Hinnant).
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 1440 + hh * 60 + mm)
}

/// A fetched forecast as an hourly series (half-hourly points are averaged in pairs).
pub fn from_forecast(points: &[crate::model::IntensityPoint], source: &str) -> Series {
    let step = match (points.first(), points.get(1)) {
        (Some(a), Some(b)) => match (parse_minutes(&a.datetime), parse_minutes(&b.datetime)) {
            (Some(x), Some(y)) => y - x,
            _ => 60,
        },
        _ => 60,
    };
    let (values, labels) = if step == 30 {
        points
            .chunks(2)
            .map(|c| {
                (
                    c.iter().map(|p| p.intensity_g_per_kwh).sum::<f64>() / c.len() as f64,
                    c[0].datetime.clone(),
                )
            })
            .unzip()
    } else {
        points
            .iter()
            .map(|p| (p.intensity_g_per_kwh, p.datetime.clone()))
            .unzip()
    };
    Series {
        values,
        labels,
        source: source.to_owned(),
        flat: false,
    }
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
        let minutes = parse_minutes(&dt).ok_or_else(|| {
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
