//! `trainprint estimate`: one plan from flags, or every plan of a workspace file, in table, JSON, CSV or
//! Markdown.

use super::{CliError, OutputFormat};
use crate::engine::provenance::Provenance;
use crate::engine::{self, Field, defaults};
use crate::export::summary::{self, PlanSummary};
use crate::model::{
    Catalogue, Duration, EmbodiedSpec, HostOverhead, ItemUnit, PlanRanges, Power, Precision, Price,
    Range, TrainingPlan, Work, Workload,
};
use crate::persist::workspace;
use crate::units;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `trainprint estimate`.
#[derive(Debug, Default, Args)]
pub struct EstimateArgs {
    /// A workspace file (.ron): estimate every plan in it instead of a plan given by flags.
    #[arg(value_name = "WORKSPACE.ron")]
    pub workspace: Option<PathBuf>,
    /// Name of the plan.
    #[arg(long)]
    pub name: Option<String>,
    /// Catalogue id of the accelerator (see `trainprint catalogue list`).
    #[arg(long, value_name = "ID")]
    pub accelerator: Option<String>,
    /// Number of accelerators.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub count: Option<u32>,
    /// Wall-clock hours of the run (needs --count).
    #[arg(long, value_name = "H", allow_negative_numbers = true, conflicts_with_all = ["accelerator_hours", "flops", "params"])]
    pub hours: Option<f64>,
    /// Accelerator-hours (GPU-hours) of the run.
    #[arg(long, value_name = "X", allow_negative_numbers = true, conflicts_with_all = ["flops", "params"])]
    pub accelerator_hours: Option<f64>,
    /// Training FLOPs (compute-based; needs --precision; --mfu optional).
    #[arg(
        long,
        value_name = "F",
        allow_negative_numbers = true,
        conflicts_with = "params"
    )]
    pub flops: Option<f64>,
    /// Model parameters N (compute-based: FLOPs = 6·N·D; needs --tokens and --precision; --mfu optional). With
    /// --tokens-per-second it gives the MFU the throughput implies.
    #[arg(
        long,
        value_name = "N",
        allow_negative_numbers = true,
        requires = "tokens"
    )]
    pub params: Option<f64>,
    /// Training tokens D (with --params, or with --tokens-per-second).
    #[arg(long, value_name = "D", allow_negative_numbers = true)]
    pub tokens: Option<f64>,
    /// Measured throughput, tokens per second per accelerator (from a benchmark run): accelerator-hours =
    /// tokens / T / 3600.
    #[arg(
        long,
        value_name = "T",
        allow_negative_numbers = true,
        requires = "tokens"
    )]
    pub tokens_per_second: Option<f64>,
    /// Precision whose dense peak FLOP/s the run uses: fp32, tf32, bf16, fp16, fp8.
    #[arg(long, value_name = "P")]
    pub precision: Option<Precision>,
    /// Workload class, which picks the default MFU: llm (decoder LMs), encoder (BERT/ViT-style), cnn
    /// (convolutional vision models, U-Nets). Default llm.
    #[arg(long, value_name = "W")]
    pub workload: Option<Workload>,
    /// Model FLOPs utilisation, in (0, 1]; without it the utilisation table's typical value for the accelerator,
    /// precision and workload is used (flagged).
    #[arg(long, value_name = "U", allow_negative_numbers = true)]
    pub mfu: Option<f64>,
    /// Average power per accelerator in watts (measured or assumed); the TDP is then not needed.
    #[arg(
        long,
        value_name = "W",
        allow_negative_numbers = true,
        conflicts_with = "utilization"
    )]
    pub watts: Option<f64>,
    /// Average power as a fraction of TDP, in (0, 1] (default 1: power at TDP).
    #[arg(long, value_name = "U", allow_negative_numbers = true)]
    pub utilization: Option<f64>,
    /// PUE (default: the region's provider PUE, else the industry average, flagged).
    #[arg(long, value_name = "P", allow_negative_numbers = true)]
    pub pue: Option<f64>,
    /// Catalogue id of the region (grid intensity, PUE, water, price).
    #[arg(long, value_name = "ID", conflicts_with = "intensity")]
    pub region: Option<String>,
    /// Grid carbon intensity, gCO2e/kWh.
    #[arg(long, value_name = "G", allow_negative_numbers = true)]
    pub intensity: Option<f64>,
    /// Runs multiplier (tuning sweeps, restarts).
    #[arg(long, value_name = "K", allow_negative_numbers = true)]
    pub runs: Option<f64>,
    /// Include embodied carbon (catalogue figure, or the flagged generic fallback).
    #[arg(long)]
    pub embodied: bool,
    /// Embodied kgCO2e per device (implies --embodied).
    #[arg(long, value_name = "KG", allow_negative_numbers = true)]
    pub embodied_kg: Option<f64>,
    /// Device lifetime in years for amortising embodied carbon (implies --embodied).
    #[arg(long, value_name = "Y", allow_negative_numbers = true)]
    pub lifetime_years: Option<f64>,
    /// Host CPU watts (per host).
    #[arg(long, value_name = "W", allow_negative_numbers = true)]
    pub host_cpu_watts: Option<f64>,
    /// Host memory in GB (per host).
    #[arg(long, value_name = "GB", allow_negative_numbers = true)]
    pub host_memory_gb: Option<f64>,
    /// Host memory power per GB, W/GB (default 0.3725, Green Algorithms).
    #[arg(long, value_name = "W", allow_negative_numbers = true)]
    pub host_memory_w_per_gb: Option<f64>,
    /// Accelerators sharing one host (default 1: host figures are per accelerator).
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub accelerators_per_host: Option<u32>,
    /// Electricity price, USD per kWh of facility energy.
    #[arg(
        long,
        value_name = "USD",
        allow_negative_numbers = true,
        conflicts_with = "price_per_hour"
    )]
    pub price_per_kwh: Option<f64>,
    /// Rental price, USD per accelerator-hour.
    #[arg(long, value_name = "USD", allow_negative_numbers = true)]
    pub price_per_hour: Option<f64>,
    /// An uncertainty range, FIELD=LOW..HIGH (repeatable): watts, utilization, pue, intensity, mfu, embodied_kg.
    /// Adds co2e_kg_p5, co2e_kg_p50 and co2e_kg_p95 (seeded Monte Carlo) to each plan.
    #[arg(
        long = "range",
        value_name = "FIELD=LOW..HIGH",
        allow_hyphen_values = true
    )]
    pub range: Vec<String>,
    /// Add the P5/P50/P95 range with the default spreads, even without --range.
    #[arg(long)]
    pub uncertainty: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
}

/// Parses `FIELD=LOW..HIGH` ranges into a plan's ranges.
pub fn parse_ranges(specs: &[String]) -> Result<PlanRanges, CliError> {
    let mut r = PlanRanges::default();
    for spec in specs {
        let bad = |m: &str| CliError::Flag {
            flag: "--range".into(),
            message: format!("'{spec}': {m}"),
        };
        let (field, span) = spec
            .split_once('=')
            .ok_or_else(|| bad("expected FIELD=LOW..HIGH"))?;
        let (lo, hi) = span
            .split_once("..")
            .ok_or_else(|| bad("expected LOW..HIGH"))?;
        let num = |s: &str| -> Result<f64, CliError> {
            let v: f64 = s
                .trim()
                .parse()
                .map_err(|_| bad("LOW and HIGH must be numbers"))?;
            if !v.is_finite() || v < 0.0 {
                return Err(bad("LOW and HIGH must be finite numbers >= 0"));
            }
            Ok(v)
        };
        let range = Range {
            low: num(lo)?,
            high: num(hi)?,
        };
        if range.low > range.high {
            return Err(bad("LOW must not exceed HIGH"));
        }
        let slot = match field.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "watts" | "power" => &mut r.watts,
            "utilization" | "utilisation" => &mut r.utilization,
            "pue" => &mut r.pue,
            "intensity" => &mut r.intensity,
            "mfu" => &mut r.mfu,
            "embodied" | "embodied_kg" => &mut r.embodied_kg,
            _ => {
                return Err(bad(
                    "unknown field (expected watts, utilization, pue, intensity, mfu or embodied_kg)",
                ));
            }
        };
        *slot = Some(range);
    }
    Ok(r)
}

impl EstimateArgs {
    fn has_plan_flags(&self) -> bool {
        self.name.is_some()
            || self.accelerator.is_some()
            || self.count.is_some()
            || self.hours.is_some()
            || self.accelerator_hours.is_some()
            || self.flops.is_some()
            || self.params.is_some()
            || self.tokens.is_some()
            || self.tokens_per_second.is_some()
            || self.precision.is_some()
            || self.workload.is_some()
            || self.mfu.is_some()
            || self.watts.is_some()
            || self.utilization.is_some()
            || self.pue.is_some()
            || self.region.is_some()
            || self.intensity.is_some()
            || self.runs.is_some()
            || self.embodied
            || self.embodied_kg.is_some()
            || self.lifetime_years.is_some()
            || self.host_cpu_watts.is_some()
            || self.host_memory_gb.is_some()
            || self.host_memory_w_per_gb.is_some()
            || self.accelerators_per_host.is_some()
            || self.price_per_kwh.is_some()
            || self.price_per_hour.is_some()
            || !self.range.is_empty()
    }
}

/// The command-line flag behind a plan field, for error messages.
pub fn flag_for(field: Field) -> &'static str {
    match field {
        Field::Count => "--count",
        Field::Hours => "--hours",
        Field::AcceleratorHours => "--accelerator-hours",
        Field::Flops => "--flops",
        Field::Params => "--params",
        Field::Tokens => "--tokens",
        Field::Precision | Field::PeakTflops => "--precision",
        Field::Mfu => "--mfu",
        Field::Items => "--tokens",
        Field::ItemsPerSecond => "--tokens-per-second",
        Field::FlopsPerItem => "--params",
        Field::Watts => "--watts",
        Field::Utilization => "--utilization",
        Field::HostCpuWatts => "--host-cpu-watts",
        Field::HostMemoryGb => "--host-memory-gb",
        Field::HostMemoryWPerGb => "--host-memory-w-per-gb",
        Field::AcceleratorsPerHost => "--accelerators-per-host",
        Field::Pue => "--pue",
        Field::Intensity => "--intensity",
        Field::Runs => "--runs",
        Field::EmbodiedKg => "--embodied-kg",
        Field::LifetimeYears => "--lifetime-years",
        Field::Price => "--price-per-kwh",
        Field::Accelerator | Field::TdpWatts => "--accelerator",
        Field::Region | Field::CfeShare | Field::Wue => "--region",
    }
}

fn usage(msg: impl Into<String>) -> CliError {
    CliError::Usage(msg.into())
}

/// Builds the plan the flags describe (checking which flags go together; numbers are checked by the engine).
pub fn plan_from_args(a: &EstimateArgs) -> Result<TrainingPlan, CliError> {
    let accelerator = a
        .accelerator
        .clone()
        .ok_or_else(|| usage("--accelerator is required (or give a WORKSPACE.ron file)"))?;
    let compute = |work: Work| -> Result<Duration, CliError> {
        let precision = a
            .precision
            .ok_or_else(|| usage("--precision is required with --flops or --params/--tokens"))?;
        Ok(Duration::Compute {
            work,
            precision,
            workload: a.workload.unwrap_or_default(),
            mfu: a.mfu,
        })
    };
    let duration = match (a.hours, a.accelerator_hours, a.flops, a.params, a.tokens) {
        _ if a.tokens_per_second.is_some() => {
            if a.hours.is_some() || a.accelerator_hours.is_some() || a.flops.is_some() {
                return Err(usage(
                    "give only one duration: --tokens with --tokens-per-second is the measured-throughput duration",
                ));
            }
            if a.mfu.is_some() {
                return Err(usage(
                    "--mfu does not apply with --tokens-per-second: the measured throughput implies it \
                     (give --params and --precision to see it)",
                ));
            }
            Duration::Throughput {
                items: a.tokens.unwrap_or(0.0),
                unit: ItemUnit::Tokens,
                per_second: a.tokens_per_second.unwrap_or(0.0),
                flops_per_item: a.params.map(|n| 6.0 * n),
                precision: a.precision,
            }
        }
        (None, None, None, None, Some(_)) => {
            return Err(usage(
                "--tokens needs --params (compute-based, 6·N·D) or --tokens-per-second (measured throughput)",
            ));
        }
        (Some(h), None, None, None, None) => {
            if a.count.is_none() {
                return Err(usage(
                    "--count is required with --hours (accelerator-hours = count x hours)",
                ));
            }
            Duration::WallHours(h)
        }
        (None, Some(x), None, None, None) => Duration::AcceleratorHours(x),
        (None, None, Some(f), None, None) => compute(Work::Flops(f))?,
        (None, None, None, Some(params), Some(tokens)) => {
            compute(Work::ParamsTokens { params, tokens })?
        }
        (None, None, None, None, None) => {
            return Err(usage(
                "give the duration: --hours, --accelerator-hours, --flops, or --params with --tokens",
            ));
        }
        _ => {
            return Err(usage(
                "give only one duration: --hours, --accelerator-hours, --flops, or --params with --tokens",
            ));
        }
    };
    let measured = matches!(duration, Duration::Throughput { .. });
    if !matches!(duration, Duration::Compute { .. })
        && (a.mfu.is_some() || a.workload.is_some() || (a.precision.is_some() && !measured))
    {
        return Err(usage(
            "--precision, --workload and --mfu only apply with --flops or --params/--tokens",
        ));
    }
    if a.region.is_none() && a.intensity.is_none() {
        return Err(usage(
            "give the grid: --region ID (see `trainprint catalogue list --kind regions`) or --intensity G",
        ));
    }
    let power = match (a.watts, a.utilization) {
        (Some(w), _) => Power::Watts(w),
        (None, Some(u)) => Power::Tdp { utilization: u },
        (None, None) => Power::Tdp { utilization: 1.0 },
    };
    let host = match (
        a.host_cpu_watts,
        a.host_memory_gb,
        a.host_memory_w_per_gb,
        a.accelerators_per_host,
    ) {
        (None, None, None, None) => None,
        (cpu, mem, w_per_gb, per_host) => Some(HostOverhead {
            cpu_watts: cpu.unwrap_or(0.0),
            memory_gb: mem.unwrap_or(0.0),
            memory_w_per_gb: w_per_gb.unwrap_or(defaults::MEMORY_W_PER_GB.value),
            accelerators_per_host: per_host.unwrap_or(1),
        }),
    };
    let embodied = (a.embodied || a.embodied_kg.is_some() || a.lifetime_years.is_some()).then_some(
        EmbodiedSpec {
            kgco2e_per_device: a.embodied_kg,
            lifetime_years: a.lifetime_years,
        },
    );
    let price = match (a.price_per_kwh, a.price_per_hour) {
        (Some(p), _) => Price::UsdPerKwh(p),
        (None, Some(p)) => Price::UsdPerAcceleratorHour(p),
        (None, None) => Price::None,
    };
    Ok(TrainingPlan {
        id: crate::model::PlanId::UNSET,
        name: a.name.clone().unwrap_or_else(|| accelerator.clone()),
        accelerator,
        count: a.count,
        duration,
        power,
        host,
        region: a.region.clone(),
        pue: a.pue,
        intensity_g_per_kwh: a.intensity,
        runs: a.runs.unwrap_or(1.0),
        embodied,
        price,
        ranges: parse_ranges(&a.range)?,
    })
}

pub(super) fn run(a: &EstimateArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let presets = super::presets()?;
    match &a.workspace {
        Some(path) => {
            if a.has_plan_flags() {
                return Err(usage(
                    "a WORKSPACE.ron file cannot be combined with plan flags (--accelerator, --hours, …)",
                ));
            }
            let ws = workspace::load(path)?;
            let catalogue = workspace::effective_catalogue(&presets, &ws);
            // Every plan estimated once; its P5-P95 comes from the same results.
            let outcomes = engine::results::outcomes(&ws.plans, &catalogue);
            let refs: Vec<_> = outcomes.iter().collect();
            let mut rows =
                summary::summaries_of(&ws.plans, ws.baseline_index(), &refs).map_err(|source| {
                    CliError::Plan {
                        path: path.display().to_string(),
                        source,
                    }
                })?;
            for ((row, plan), o) in rows.iter_mut().zip(&ws.plans).zip(&outcomes) {
                if (a.uncertainty || !plan.ranges.is_empty())
                    && let Some(u) = &o.uncertainty
                {
                    *row = row.clone().with_uncertainty(u);
                }
            }
            write_output(a.format, &ws.plans, &rows, &catalogue, Some(&ws.name), out)
        }
        None => {
            let plan = super::suggest::resolve_plan_ids(plan_from_args(a)?, &presets)?;
            // A plan from flags: errors name the flag behind the field.
            let e = engine::estimate(&plan, &presets).map_err(CliError::from_estimate)?;
            let mut row = PlanSummary::new(&plan, &e, None)
                .with_provenance(&Provenance::of(&plan, &presets, &e));
            if a.uncertainty || !a.range.is_empty() {
                row = row.with_uncertainty(&engine::results::uncertainty(&plan, &e));
            }
            let rows = [row];
            write_output(
                a.format,
                std::slice::from_ref(&plan),
                &rows,
                &presets,
                None,
                out,
            )
        }
    }
}

fn write_output(
    format: OutputFormat,
    plans: &[TrainingPlan],
    rows: &[PlanSummary],
    catalogue: &Catalogue,
    title: Option<&str>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    match format {
        OutputFormat::Json => writeln!(out, "{}", summary::to_json(rows))?,
        OutputFormat::Csv => write!(out, "{}", summary::to_csv(rows))?,
        OutputFormat::Md => {
            if let Some(t) = title {
                writeln!(out, "## {}\n", summary::escape_md(t))?;
            }
            write!(out, "{}", summary::to_markdown_table(rows))?
        }
        OutputFormat::Table => write_table(plans, rows, catalogue, title, out)?,
    }
    Ok(())
}

fn write_table(
    plans: &[TrainingPlan],
    rows: &[PlanSummary],
    catalogue: &Catalogue,
    title: Option<&str>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    if let Some(t) = title {
        writeln!(out, "{t}\n")?;
    }
    for (plan, r) in plans.iter().zip(rows) {
        let acc_name = catalogue
            .accelerator(&r.accelerator)
            .map(|a| a.name.as_str())
            .unwrap_or("");
        writeln!(out, "{}", r.name)?;
        let line = |out: &mut dyn Write, k: &str, v: String| writeln!(out, "  {k:<22} {v}");
        line(
            out,
            "accelerator",
            format!("{} ({acc_name})", r.accelerator),
        )?;
        line(out, "duration", plan.duration.mode_label().to_owned())?;
        line(
            out,
            "accelerator-hours",
            format!("{} h", units::sig(r.accelerator_hours, 6)),
        )?;
        if let Some(w) = r.wall_hours {
            line(out, "wall-clock", units::hours(w))?;
        }
        if let Some(m) = r.mfu {
            // The source text starts with the value.
            let text = r.mfu_source.clone().unwrap_or_else(|| units::sig(m, 3));
            line(out, "MFU", text)?;
        }
        line(
            out,
            "power / accelerator",
            format!("{} W", units::sig(r.power_w, 4)),
        )?;
        if r.host_w > 0.0 {
            line(
                out,
                "host / accelerator",
                format!("{} W", units::sig(r.host_w, 4)),
            )?;
        }
        line(out, "IT energy", units::energy(r.it_energy_kwh))?;
        line(out, "PUE", units::sig(r.pue, 4))?;
        line(out, "facility energy", units::energy(r.facility_energy_kwh))?;
        line(
            out,
            "grid intensity",
            format!("{} gCO2e/kWh", units::sig(r.intensity_g_per_kwh, 4)),
        )?;
        line(out, "operational CO2e", units::co2e(r.co2e_kg))?;
        if let Some(m) = r.market_co2e_kg {
            line(out, "market-based CO2e", units::co2e(m))?;
        }
        if r.embodied_co2e_kg > 0.0 {
            line(out, "embodied CO2e", units::co2e(r.embodied_co2e_kg))?;
        }
        line(out, "total CO2e", units::co2e(r.total_co2e_kg))?;
        if let (Some(p5), Some(p95)) = (r.co2e_kg_p5, r.co2e_kg_p95) {
            line(
                out,
                "range (P5–P95)",
                format!("{} – {}", units::co2e(p5), units::co2e(p95)),
            )?;
        }
        if let Some(n) = &r.uncertainty_note {
            line(out, "note on the range", n.clone())?;
        }
        if let Some(w) = r.water_l {
            line(out, "water (on-site)", units::water(w))?;
        }
        if let Some(c) = r.cost_usd {
            line(out, "cost", units::usd(c))?;
        }
        if let Some(d) = r.co2e_vs_baseline_pct {
            line(out, "vs baseline", format!("{d:+.1} %"))?;
        }
        for key in &r.assumptions {
            if let Some(a) = engine::Assumption::ALL.iter().find(|a| a.key() == *key) {
                line(out, "note", a.describe())?;
            }
        }
        writeln!(out)?;
    }
    Ok(())
}
