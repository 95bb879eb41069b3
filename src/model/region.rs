//! Regions (grids and cloud regions): grid carbon intensity with its basis and year, provider PUE, water use,
//! carbon-free-energy share and electricity price, each with its source.

use super::live::{LiveIntensity, LiveZone, ProviderKind};
use serde::{Deserialize, Serialize};

/// A cloud provider's region that sits on a grid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloudRegion {
    /// Provider name (`Amazon Web Services`, `Google Cloud`, `Microsoft Azure`).
    pub provider: String,
    /// The provider's own region code (`us-east-1`).
    pub region: String,
}

/// One region in the catalogue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    /// Stable id (`us-virginia`, `fr`, `aws-us-east-1`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// ISO 3166 country code (alpha-2 or alpha-3), or `WORLD`.
    pub country: String,
    /// The cloud region, for provider regions.
    #[serde(default)]
    pub cloud: Option<CloudRegion>,
    /// The grid zone used by live-intensity providers (Electricity Maps zone key), where known.
    #[serde(default)]
    pub grid_zone: Option<String>,
    /// Annual average grid carbon intensity, gCO2e per kWh.
    pub intensity_g_per_kwh: f64,
    /// What the intensity measures (the catalogue uses one basis; see [`crate::persist::presets`]).
    pub intensity_basis: String,
    /// The year the intensity describes.
    pub intensity_year: u16,
    /// Provider-published power usage effectiveness, where published.
    #[serde(default)]
    pub pue: Option<f64>,
    /// The year of the PUE figure.
    #[serde(default)]
    pub pue_year: Option<u16>,
    /// On-site water usage effectiveness, litres per kWh of IT energy, where published.
    #[serde(default)]
    pub wue_l_per_kwh: Option<f64>,
    /// The year of the WUE figure (catalogue version 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wue_year: Option<u16>,
    /// Share of the provider's electricity matched by carbon-free energy (0..=1), where published.
    #[serde(default)]
    pub cfe_share: Option<f64>,
    /// The year of the carbon-free-energy share (catalogue version 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cfe_year: Option<u16>,
    /// Average electricity price in US dollars per kWh, where known.
    #[serde(default)]
    pub electricity_usd_per_kwh: Option<f64>,
    /// The year of the electricity price (catalogue version 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_year: Option<u16>,
    /// Where the numbers come from.
    pub source: String,
    /// Free-form notes.
    #[serde(default)]
    pub notes: String,
    /// Where live intensity is fetched from; `None` falls back to Electricity Maps with `grid_zone`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live_zone: Option<LiveZone>,
    /// A fetched live reading; while present it replaces the annual intensity (the catalogue value is kept in
    /// `intensity_g_per_kwh` and comes back when the reading is cleared).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live: Option<LiveIntensity>,
}

impl Region {
    /// The provider and zone live intensity is fetched from, if any.
    pub fn effective_live_zone(&self) -> Option<LiveZone> {
        self.live_zone.clone().or_else(|| {
            self.grid_zone.as_ref().map(|z| LiveZone {
                provider: ProviderKind::ElectricityMaps,
                zone: z.clone(),
            })
        })
    }
}
