//! `trainprint intensity --provider {electricitymaps,gb} --zone Z [--forecast] [--base-url URL] [--format json|table]`:
//! the live grid intensity of a zone. The token comes from `TRAINPRINT_EM_TOKEN` or the settings file and is
//! never printed.

use super::CliError;
use crate::model::ProviderKind;
use crate::net::{self, NetConfig, cache::Cache, token};
use crate::units;
use clap::{Args, ValueEnum};
use std::io::Write;

/// Output formats of `intensity`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum IntensityFormat {
    /// Aligned text.
    #[default]
    Table,
    /// `{"provider", "zone", "intensity_g_per_kwh", "datetime", "forecast": [...]}`.
    Json,
}

/// Arguments of `trainprint intensity`.
#[derive(Debug, Args)]
pub struct IntensityArgs {
    /// The provider: electricitymaps (needs a token) or gb (no key).
    #[arg(long, value_name = "P")]
    pub provider: ProviderKind,
    /// The zone: an Electricity Maps zone (`DE`, `US-MIDA-PJM`) or, for gb, `national` or a region number 1–17.
    #[arg(long, value_name = "Z")]
    pub zone: String,
    /// Also fetch the forecast.
    #[arg(long)]
    pub forecast: bool,
    /// Use another server (HTTPS, or HTTP on localhost for tests).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = IntensityFormat::Table)]
    pub format: IntensityFormat,
}

pub(super) fn run(a: &IntensityArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let mut config = NetConfig {
        token: token::load(token::user_path().as_deref()),
        ..NetConfig::default()
    };
    if let Some(base) = &a.base_url {
        match a.provider {
            ProviderKind::ElectricityMaps => config.electricitymaps_base = base.clone(),
            ProviderKind::Gb => config.gb_base = base.clone(),
        }
    }
    let cache = Cache::user();
    let result = net::provider(a.provider, &config)
        .and_then(|p| net::fetch(p.as_ref(), &a.zone, a.forecast));
    let reading = match result {
        Ok(r) => {
            if let Some(c) = &cache {
                // Caching is best effort: a read-only cache directory must not fail the command.
                let _ = c.store(&r);
            }
            r
        }
        Err(e) => {
            let cached = cache
                .as_ref()
                .and_then(|c| c.load(a.provider, &a.zone))
                .filter(|_| e.is_offline());
            let message = match cached {
                Some(c) => format!(
                    "{e} (the last cached reading, {} ago, was {} gCO2e/kWh at {})",
                    net::age_text(c.fetched_at_unix, net::now_unix()),
                    units::sig(c.intensity_g_per_kwh, 4),
                    c.datetime
                ),
                None => e.to_string(),
            };
            return Err(CliError::Usage(message));
        }
    };
    match a.format {
        IntensityFormat::Json => {
            let v = serde_json::json!({
                "provider": reading.provider.key(),
                "zone": reading.zone,
                "intensity_g_per_kwh": reading.intensity_g_per_kwh,
                "datetime": reading.datetime,
                "forecast": reading.forecast,
            });
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&v).unwrap_or_default()
            )?;
        }
        IntensityFormat::Table => {
            writeln!(
                out,
                "{} {}: {} gCO2e/kWh at {}",
                reading.provider.label(),
                reading.zone,
                units::sig(reading.intensity_g_per_kwh, 4),
                reading.datetime
            )?;
            for p in &reading.forecast {
                writeln!(
                    out,
                    "  {}  {:>7} gCO2e/kWh",
                    p.datetime,
                    units::sig(p.intensity_g_per_kwh, 4)
                )?;
            }
        }
    }
    Ok(())
}
