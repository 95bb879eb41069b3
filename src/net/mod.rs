//! Live grid carbon intensity over the network, offline-first. A small [`Provider`] trait with two providers —
//! Electricity Maps API v3 and the GB Carbon Intensity API — a hardened HTTP client (HTTPS only except loopback,
//! connect 5 s / total 15 s timeouts, 2 MiB body cap, no retry loops), a timestamped on-disk cache, and the
//! Electricity Maps token kept in its own owner-only file. Nothing here is needed for the app to work.

pub mod cache;
pub mod electricitymaps;
pub mod gb;
pub mod http;
pub mod token;
#[cfg(target_arch = "wasm32")]
pub mod web;

use crate::model::{IntensityPoint, LiveIntensity, ProviderKind};

/// Why a fetch failed. Messages never contain the token.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum NetError {
    /// Only `https://` is allowed (plain `http://` only to a loopback address, for tests).
    #[error("refusing {0}: only https:// addresses are allowed (plain http only to localhost)")]
    Insecure(String),
    /// Not a usable URL.
    #[error("not a valid address: {0}")]
    BadUrl(String),
    /// The request took too long.
    #[error("the request timed out (connect 5 s, whole request 15 s)")]
    Timeout,
    /// No connection could be made.
    #[error("no network connection to {host}: {message}")]
    Offline {
        /// The host.
        host: String,
        /// What the system said.
        message: String,
    },
    /// The body was larger than allowed.
    #[error("the response was larger than {limit} bytes; refused")]
    TooLarge {
        /// The limit.
        limit: u64,
    },
    /// HTTP 401 or 403.
    #[error(
        "the Electricity Maps token was refused (HTTP {status}): check it in Settings or TRAINPRINT_EM_TOKEN"
    )]
    Unauthorized {
        /// 401 or 403.
        status: u16,
    },
    /// HTTP 404.
    #[error("{provider} does not know zone '{zone}' (HTTP 404)")]
    UnknownZone {
        /// The provider.
        provider: &'static str,
        /// The zone.
        zone: String,
    },
    /// HTTP 429.
    #[error("rate limited by {provider} (HTTP 429); {}", retry_text(.retry_after))]
    RateLimited {
        /// The provider.
        provider: &'static str,
        /// The Retry-After header, as sent.
        retry_after: Option<String>,
    },
    /// HTTP 5xx.
    #[error("{provider} had a server error (HTTP {status}); try again later")]
    Server {
        /// The provider.
        provider: &'static str,
        /// The status.
        status: u16,
    },
    /// Another unexpected status.
    #[error("{provider} answered HTTP {status}")]
    Status {
        /// The provider.
        provider: &'static str,
        /// The status.
        status: u16,
    },
    /// The body was not what the provider documents.
    #[error("{provider} sent an unexpected response: {message}")]
    Malformed {
        /// The provider.
        provider: &'static str,
        /// What was wrong.
        message: String,
    },
    /// Electricity Maps needs a token and none is set.
    #[error("no Electricity Maps token: set one in Settings or in TRAINPRINT_EM_TOKEN")]
    NoToken,
    /// The zone is not one the provider accepts.
    #[error("zone '{0}' is not valid for this provider")]
    BadZone(String),
    /// The user cancelled.
    #[error("cancelled")]
    Cancelled,
    /// In a browser: the request failed while the browser says it is online, which is what a provider that does
    /// not allow requests from other web pages (CORS) looks like to a page (a page is told no more than that).
    #[error(
        "the browser could not read {host} from this page: the provider does not allow requests from web pages \
         (CORS), or it cannot be reached. Use the desktop app or `trainprint intensity` for this provider"
    )]
    Blocked {
        /// The host.
        host: String,
    },
    /// In a browser: the provider asked for a response the page has not fetched yet (internal; the page fetches
    /// it and asks again).
    #[cfg(target_arch = "wasm32")]
    #[error("waiting for {}", .0.url.host_str().unwrap_or(""))]
    Pending(http::Request),
}

fn retry_text(r: &Option<String>) -> String {
    match r {
        Some(v) => format!("it may be retried after {v} (Retry-After)"),
        None => "try again later".into(),
    }
}

impl NetError {
    /// True when the network could not be reached (a cached reading may stand in).
    pub fn is_offline(&self) -> bool {
        matches!(self, NetError::Offline { .. } | NetError::Timeout)
    }
}

/// A reading from a provider.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Reading {
    /// The provider.
    pub provider: ProviderKind,
    /// The zone.
    pub zone: String,
    /// The latest intensity, gCO2e/kWh.
    pub intensity_g_per_kwh: f64,
    /// When it applies (ISO 8601, as the provider gave it).
    pub datetime: String,
    /// The forecast (empty unless asked for).
    pub forecast: Vec<IntensityPoint>,
    /// When it was fetched, seconds since 1970 UTC.
    pub fetched_at_unix: u64,
}

impl Reading {
    /// The reading as kept on a region.
    pub fn to_live(&self) -> LiveIntensity {
        LiveIntensity {
            provider: self.provider,
            zone: self.zone.clone(),
            intensity_g_per_kwh: self.intensity_g_per_kwh,
            datetime: self.datetime.clone(),
            fetched_at_unix: self.fetched_at_unix,
            forecast: self.forecast.clone(),
        }
    }
}

/// A source of live carbon intensity.
pub trait Provider: Send + Sync {
    /// Which provider this is.
    fn kind(&self) -> ProviderKind;
    /// The latest intensity of a zone.
    fn latest(&self, zone: &str) -> Result<(f64, String), NetError>;
    /// The forecast of a zone, in time order.
    fn forecast(&self, zone: &str) -> Result<Vec<IntensityPoint>, NetError>;
    /// The recent past of a zone (about the last 24 hours), in time order.
    fn history(&self, zone: &str) -> Result<Vec<IntensityPoint>, NetError>;
}

/// Where providers live and how to authenticate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetConfig {
    /// Electricity Maps base URL.
    pub electricitymaps_base: String,
    /// GB Carbon Intensity API base URL.
    pub gb_base: String,
    /// The Electricity Maps token, if any (never logged or shown).
    pub token: Option<String>,
}

impl Default for NetConfig {
    fn default() -> Self {
        NetConfig {
            electricitymaps_base: electricitymaps::BASE_URL.into(),
            gb_base: gb::BASE_URL.into(),
            token: None,
        }
    }
}

/// The provider for `kind` under `config`.
pub fn provider(kind: ProviderKind, config: &NetConfig) -> Result<Box<dyn Provider>, NetError> {
    Ok(match kind {
        ProviderKind::ElectricityMaps => Box::new(electricitymaps::ElectricityMaps::new(
            &config.electricitymaps_base,
            config.token.clone().ok_or(NetError::NoToken)?,
        )?),
        ProviderKind::Gb => Box::new(gb::Gb::new(&config.gb_base)?),
    })
}

/// Fetches the latest reading (and the forecast when asked) of a zone.
pub fn fetch(
    provider: &dyn Provider,
    zone: &str,
    with_forecast: bool,
) -> Result<Reading, NetError> {
    let (intensity, datetime) = provider.latest(zone)?;
    let forecast = if with_forecast {
        provider.forecast(zone)?
    } else {
        Vec::new()
    };
    Ok(Reading {
        provider: provider.kind(),
        zone: zone.to_owned(),
        intensity_g_per_kwh: intensity,
        datetime,
        forecast,
        fetched_at_unix: now_unix(),
    })
}

/// Seconds since 1970-01-01 UTC (0 if the clock is before it).
pub fn now_unix() -> u64 {
    crate::clock::unix_now()
}

/// `YYYY-MM-DDTHH:MMZ` for a Unix time (the GB API's time format).
///
/// ```
/// assert_eq!(trainprint::net::iso_minute(0), "1970-01-01T00:00Z");
/// assert_eq!(trainprint::net::iso_minute(1_763_900_000), "2025-11-23T12:13Z");
/// ```
pub fn iso_minute(unix: u64) -> String {
    let d = crate::export::date::Date::from_days_since_epoch((unix / 86_400) as i64);
    let s = unix % 86_400;
    format!("{d}T{:02}:{:02}Z", s / 3600, (s % 3600) / 60)
}

/// How long ago `then` was, in words (`5 min`, `3 h`, `2 days`).
pub fn age_text(then_unix: u64, now_unix: u64) -> String {
    let s = now_unix.saturating_sub(then_unix);
    if s < 120 {
        format!("{s} s")
    } else if s < 2 * 3600 {
        format!("{} min", s / 60)
    } else if s < 2 * 86_400 {
        format!("{} h", s / 3600)
    } else {
        format!("{} days", s / 86_400)
    }
}
