//! The GB Carbon Intensity API of the National Energy System Operator (no key; CC BY 4.0; docs:
//! <https://carbon-intensity.github.io/api-definitions>). National: `GET /intensity` →
//! `{"data": [{"from", "to", "intensity": {"forecast", "actual", "index"}}]}`, forecast `GET /intensity/{from}/fw48h`
//! (same shape, up to 48 h), past `GET /intensity/{from}/pt24h`. Regional (zone = region id 1–17):
//! `GET /regional/regionid/{id}` → `{"data": [{"regionid", "shortname", "data": [{"from", "to", "intensity":
//! {"forecast", "index"}}]}]}` and `GET /regional/intensity/{from}/fw48h/regionid/{id}` (where `data` is one object).
//! Intensities are gCO2/kWh.

use super::http::{Client, number, text};
use super::{NetError, Provider, iso_minute, now_unix};
use crate::model::{IntensityPoint, ProviderKind};
use serde_json::Value;

/// The public API's base URL.
pub const BASE_URL: &str = "https://api.carbonintensity.org.uk/";

const NAME: &str = "GB Carbon Intensity API";

/// The GB provider.
pub struct Gb {
    client: Client,
}

/// National, or one of the 17 regions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Zone {
    National,
    Region(u8),
}

fn parse_zone(zone: &str) -> Result<Zone, NetError> {
    let z = zone.trim();
    if z.eq_ignore_ascii_case("national") || z.eq_ignore_ascii_case("gb") {
        return Ok(Zone::National);
    }
    match z.parse::<u8>() {
        Ok(n) if (1..=17).contains(&n) => Ok(Zone::Region(n)),
        _ => Err(NetError::BadZone(zone.to_owned())),
    }
}

fn malformed(message: &str) -> NetError {
    NetError::Malformed {
        provider: NAME,
        message: message.to_owned(),
    }
}

/// The intensity of one period: the actual value where published, else the forecast.
fn period_value(p: &Value) -> Option<f64> {
    let i = p.get("intensity")?;
    number(i, "actual").or_else(|| number(i, "forecast"))
}

fn period_points(list: &[Value]) -> Result<Vec<IntensityPoint>, NetError> {
    list.iter()
        .map(|p| {
            Ok(IntensityPoint {
                intensity_g_per_kwh: period_value(p)
                    .ok_or_else(|| malformed("a period has no intensity"))?,
                datetime: text(p, "from").ok_or_else(|| malformed("a period has no 'from'"))?,
            })
        })
        .collect()
}

/// The periods of a national response (`data` is a list of periods).
fn national_periods(v: &Value) -> Result<&Vec<Value>, NetError> {
    v.get("data")
        .and_then(Value::as_array)
        .ok_or_else(|| malformed("no 'data' list"))
}

/// The periods of a regional response (`data` is a region, or a list with one region, holding `data`).
fn regional_periods(v: &Value) -> Result<&Vec<Value>, NetError> {
    let region = match v.get("data") {
        Some(Value::Array(list)) => list.first(),
        Some(obj @ Value::Object(_)) => Some(obj),
        _ => None,
    }
    .ok_or_else(|| malformed("no region in 'data'"))?;
    region
        .get("data")
        .and_then(Value::as_array)
        .ok_or_else(|| malformed("no periods in the region"))
}

impl Gb {
    /// A provider at `base` (the public API, or a test server on loopback).
    pub fn new(base: &str) -> Result<Self, NetError> {
        Ok(Gb {
            client: Client::new(base, NAME)?,
        })
    }

    fn get(&self, path: &str, zone: &str) -> Result<Value, NetError> {
        let url = self.client.url(path, &[])?;
        self.client.get_json(url, &[], zone)
    }
}

impl Provider for Gb {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Gb
    }

    fn latest(&self, zone: &str) -> Result<(f64, String), NetError> {
        let (periods, v);
        match parse_zone(zone)? {
            Zone::National => {
                v = self.get("intensity", zone)?;
                periods = national_periods(&v)?;
            }
            Zone::Region(n) => {
                v = self.get(&format!("regional/regionid/{n}"), zone)?;
                periods = regional_periods(&v)?;
            }
        }
        let first = periods.first().ok_or_else(|| malformed("no period"))?;
        let value = period_value(first).ok_or_else(|| malformed("no intensity"))?;
        let from = text(first, "from").ok_or_else(|| malformed("no 'from'"))?;
        Ok((value, from))
    }

    fn forecast(&self, zone: &str) -> Result<Vec<IntensityPoint>, NetError> {
        let from = iso_minute(now_unix());
        match parse_zone(zone)? {
            Zone::National => period_points(national_periods(
                &self.get(&format!("intensity/{from}/fw48h"), zone)?,
            )?),
            Zone::Region(n) => period_points(regional_periods(&self.get(
                &format!("regional/intensity/{from}/fw48h/regionid/{n}"),
                zone,
            )?)?),
        }
    }

    fn history(&self, zone: &str) -> Result<Vec<IntensityPoint>, NetError> {
        let from = iso_minute(now_unix());
        match parse_zone(zone)? {
            Zone::National => period_points(national_periods(
                &self.get(&format!("intensity/{from}/pt24h"), zone)?,
            )?),
            Zone::Region(n) => period_points(regional_periods(&self.get(
                &format!("regional/intensity/{from}/pt24h/regionid/{n}"),
                zone,
            )?)?),
        }
    }
}
