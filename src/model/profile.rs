//! Hourly grid-intensity profiles as plain data: a grid's representative hour-of-day shape (with seasons), the
//! part of the year a schedule uses, and an hourly series with a label per hour.

use serde::Deserialize;

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

/// An hourly intensity series with a label per hour.
#[derive(Clone, Debug, Default, PartialEq)]
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
