//! Electricity Maps API v3 (docs: <https://portal.electricitymaps.com/developer-hub/api/reference>):
//! `GET /v3/carbon-intensity/latest?zone=Z`, `/history?zone=Z` and `/forecast?zone=Z`, authenticated by the
//! `auth-token` header. Latest: `{"zone", "carbonIntensity", "datetime", "updatedAt", "emissionFactorType", …}`;
//! history: `{"zone", "history": [{"carbonIntensity", "datetime", …}]}`; forecast: `{"zone", "forecast":
//! [{"carbonIntensity", "datetime"}], "updatedAt"}`. Intensities are gCO2eq/kWh, lifecycle by default.

use super::http::{Client, number, text};
use super::{NetError, Provider};
use crate::model::{IntensityPoint, ProviderKind};

/// The public API's base URL.
pub const BASE_URL: &str = "https://api.electricitymaps.com/v3/";

const NAME: &str = "Electricity Maps";

/// The Electricity Maps provider.
pub struct ElectricityMaps {
    client: Client,
    token: String,
}

impl ElectricityMaps {
    /// A provider at `base` (the public API, or a test server on loopback) with `token`.
    pub fn new(base: &str, token: String) -> Result<Self, NetError> {
        if token.trim().is_empty() {
            return Err(NetError::NoToken);
        }
        Ok(ElectricityMaps {
            client: Client::new(base, NAME)?,
            token,
        })
    }

    fn get(&self, path: &str, zone: &str) -> Result<serde_json::Value, NetError> {
        if zone.is_empty()
            || zone.len() > 40
            || !zone
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(NetError::BadZone(zone.to_owned()));
        }
        let url = self.client.url(path, &[("zone", zone)])?;
        self.client
            .get_json(url, &[("auth-token", self.token.as_str())], zone)
    }
}

fn malformed(message: &str) -> NetError {
    NetError::Malformed {
        provider: NAME,
        message: message.to_owned(),
    }
}

fn points(v: &serde_json::Value, key: &str) -> Result<Vec<IntensityPoint>, NetError> {
    let list = v
        .get(key)
        .and_then(serde_json::Value::as_array)
        .ok_or_else(|| malformed(&format!("no '{key}' list")))?;
    list.iter()
        .map(|p| {
            Ok(IntensityPoint {
                intensity_g_per_kwh: number(p, "carbonIntensity")
                    .ok_or_else(|| malformed("a point has no carbonIntensity"))?,
                datetime: text(p, "datetime")
                    .ok_or_else(|| malformed("a point has no datetime"))?,
            })
        })
        .collect()
}

impl Provider for ElectricityMaps {
    fn kind(&self) -> ProviderKind {
        ProviderKind::ElectricityMaps
    }

    fn latest(&self, zone: &str) -> Result<(f64, String), NetError> {
        let v = self.get("carbon-intensity/latest", zone)?;
        let ci = number(&v, "carbonIntensity").ok_or_else(|| malformed("no carbonIntensity"))?;
        let dt = text(&v, "datetime").ok_or_else(|| malformed("no datetime"))?;
        Ok((ci, dt))
    }

    fn forecast(&self, zone: &str) -> Result<Vec<IntensityPoint>, NetError> {
        points(&self.get("carbon-intensity/forecast", zone)?, "forecast")
    }

    fn history(&self, zone: &str) -> Result<Vec<IntensityPoint>, NetError> {
        points(&self.get("carbon-intensity/history", zone)?, "history")
    }
}
