//! `trainprint sweep`: one plan of a workspace across every region (or a provider's, or a list), accelerator,
//! count, precision, PUE or utilisation, ranked by total CO2e, in table, JSON, CSV or Markdown; optionally the
//! chart as PNG or SVG.

use super::{CliError, OutputFormat};
use crate::engine::sweep::{self, SweepResult};
use crate::export::sweep as export;
use crate::model::sweep::{ParseError, Provider, SweepKind, SweepOver, parse_over};
use crate::persist::workspace;
use crate::units;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `trainprint sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The workspace file (.ron).
    #[arg(value_name = "WORKSPACE.ron")]
    pub workspace: PathBuf,
    /// The plan: its name or its number (1-based); default the baseline.
    #[arg(long, value_name = "NAME|N")]
    pub plan: Option<String>,
    /// The input to vary: region, accelerator, count, precision, pue or utilization.
    #[arg(long, value_name = "INPUT")]
    pub over: SweepKind,
    /// The values, comma-separated (region or accelerator ids, counts, PUEs, utilisations). Counts also take a
    /// range LOW..HIGH (doubling: 8..512), PUE and utilisation LOW..HIGH/N (N evenly spaced values). Default:
    /// every region, every accelerator with the plan's precision, every precision, counts 8..512, PUE
    /// 1.1..1.6/6, utilisation 0.5..1/6.
    #[arg(long, value_name = "A,B,C", allow_hyphen_values = true)]
    pub values: Option<String>,
    /// With --over region: only this cloud provider's regions (aws, gcp or azure).
    #[arg(long, value_name = "aws|gcp|azure", conflicts_with = "values")]
    pub provider: Option<Provider>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Also draw the chart into this file (.png or .svg).
    #[arg(long, value_name = "FILE")]
    pub chart: Option<PathBuf>,
}

fn flag(f: &str, message: impl Into<String>) -> CliError {
    CliError::Flag {
        flag: f.into(),
        message: message.into(),
    }
}

/// The sweep the flags describe.
pub fn over_from_args(a: &SweepArgs) -> Result<SweepOver, CliError> {
    parse_over(a.over, a.provider, a.values.as_deref()).map_err(|e| match e {
        ParseError::ProviderNotRegion => flag("--provider", "only applies with --over region"),
        e => flag("--values", e.to_string()),
    })
}

pub(super) fn run(a: &SweepArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let presets = super::presets()?;
    let ws = workspace::load(&a.workspace)?;
    let catalogue = workspace::effective_catalogue(&presets, &ws);
    let i = super::actual_cmd::pick_plan(&ws, a.plan.as_deref())?;
    let over = over_from_args(a)?;
    let plan = ws
        .plans
        .get(i)
        .ok_or_else(|| CliError::Usage("the workspace has no plans".into()))?;
    let result = sweep::run(plan, &over, &catalogue).map_err(|e| flag("--over", e.to_string()))?;
    match a.format {
        OutputFormat::Json => writeln!(out, "{}", export::to_json(&result))?,
        OutputFormat::Csv => write!(out, "{}", export::to_csv(&result))?,
        OutputFormat::Md => write!(out, "{}", export::to_markdown(&result))?,
        OutputFormat::Table => write_table(&result, out)?,
    }
    if let Some(path) = &a.chart {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let bytes = match ext.as_deref() {
            Some("svg") => export::svg(&result, 1200).map(String::into_bytes),
            Some("png") => export::png(&result, 1200),
            _ => return Err(flag("--chart", "the file must end in .png or .svg")),
        }
        .map_err(|e| CliError::Export(crate::export::ExportError::from(e)))?;
        crate::persist::atomic::write(path, &bytes, false).map_err(|source| {
            CliError::Export(crate::export::ExportError::Write {
                path: path.clone(),
                source,
            })
        })?;
    }
    Ok(())
}

fn write_table(r: &SweepResult, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "Sweep of '{}' over {} ({} values, lowest total CO2e first)\n",
        r.plan_name,
        r.kind,
        r.variants.len()
    )?;
    let width = r
        .variants
        .iter()
        .map(|v| v.value.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    writeln!(
        out,
        "{:>3}  {:<width$}  {:>12}  {:>13}  {:>25}  {:>12}  {:>10}  {:>8}",
        "#", "value", "energy", "total CO2e", "P5–P95", "wall-clock", "cost", "vs plan"
    )?;
    for (k, v) in r.variants.iter().enumerate() {
        let Some(e) = v.outcome.ok() else { continue };
        let range = v.co2e_range();
        let vs = if v.own {
            "(plan)".to_owned()
        } else {
            r.vs_own_pct(v)
                .map_or_else(String::new, |p| format!("{p:+.1} %"))
        };
        writeln!(
            out,
            "{:>3}  {:<width$}  {:>12}  {:>13}  {:>25}  {:>12}  {:>10}  {:>8}",
            k + 1,
            v.value,
            units::energy(e.facility_energy_kwh),
            units::co2e(e.total_co2e_kg),
            range,
            e.wall_hours.map_or_else(|| "—".into(), units::hours),
            e.cost_usd.map_or_else(|| "—".into(), units::usd),
            vs
        )?;
    }
    if !r.skipped.is_empty() {
        writeln!(out, "\nSkipped:")?;
        for s in &r.skipped {
            writeln!(out, "  {}: {}", s.value, s.reason)?;
        }
    }
    let m = r.methods_sentence();
    if !m.is_empty() {
        writeln!(out, "\n{m}")?;
    }
    Ok(())
}
