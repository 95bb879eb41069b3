//! Live grid intensity as data: which provider and zone a region is fetched from, and a fetched reading (value,
//! time, forecast) kept on the region beside its catalogue value.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A live-intensity provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    /// Electricity Maps API v3 (needs a token).
    ElectricityMaps,
    /// The GB Carbon Intensity API of the National Energy System Operator (no key).
    Gb,
}

impl ProviderKind {
    /// Every provider.
    pub const ALL: [ProviderKind; 2] = [ProviderKind::ElectricityMaps, ProviderKind::Gb];

    /// The name used on the command line and in files (`electricitymaps`, `gb`).
    pub fn key(self) -> &'static str {
        match self {
            ProviderKind::ElectricityMaps => "electricitymaps",
            ProviderKind::Gb => "gb",
        }
    }

    /// A human name.
    pub fn label(self) -> &'static str {
        match self {
            ProviderKind::ElectricityMaps => "Electricity Maps",
            ProviderKind::Gb => "GB Carbon Intensity API",
        }
    }
}

impl fmt::Display for ProviderKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// A provider name that is not `electricitymaps` or `gb`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown provider '{0}' (expected electricitymaps or gb)")]
pub struct UnknownProvider(pub String);

impl FromStr for ProviderKind {
    type Err = UnknownProvider;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ProviderKind::ALL
            .into_iter()
            .find(|p| p.key().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownProvider(s.to_owned()))
    }
}

/// Where a region's live intensity is fetched from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiveZone {
    /// The provider.
    pub provider: ProviderKind,
    /// The provider's zone (`DE`, `US-MIDA-PJM`; for GB: `national` or a region number 1–17).
    pub zone: String,
}

/// One point of an intensity series.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntensityPoint {
    /// Start of the interval, ISO 8601 UTC as the provider gave it.
    pub datetime: String,
    /// Carbon intensity, gCO2e/kWh.
    pub intensity_g_per_kwh: f64,
}

/// A fetched reading kept on a region.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiveIntensity {
    /// The provider.
    pub provider: ProviderKind,
    /// The zone.
    pub zone: String,
    /// The intensity, gCO2e/kWh.
    pub intensity_g_per_kwh: f64,
    /// When the value applies (the provider's datetime).
    pub datetime: String,
    /// When it was fetched, seconds since 1970-01-01 UTC.
    pub fetched_at_unix: u64,
    /// The forecast, when one was fetched (kept for carbon-aware scheduling).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forecast: Vec<IntensityPoint>,
}
