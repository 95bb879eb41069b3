//! `trainprint actual FILE`: the runs a measurement file records (CodeCarbon, `nvidia-smi`, Carbontracker), and
//! with `--against WORKSPACE.ron --plan NAME|N` each one against a plan: the gap and the factors that explain it,
//! and what would be carried back into the plan.

use super::{CliError, OutputFormat};
use crate::engine::actual::{self, ActualComparison, CarryBack, GridGiven};
use crate::engine::{self};
use crate::model::{Catalogue, MeasuredRun, MeasuredSource, TrainingPlan, Workspace};
use crate::persist::{measured, workspace};
use crate::units;
use clap::{Args, ValueEnum};
use serde_json::{Value, json};
use std::io::Write;
use std::path::PathBuf;

/// The tool that wrote a measurement file, as a flag value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SourceArg {
    /// CodeCarbon's emissions.csv.
    Codecarbon,
    /// An nvidia-smi power log.
    NvidiaSmi,
    /// Carbontracker's log pair.
    Carbontracker,
}

impl From<SourceArg> for MeasuredSource {
    fn from(s: SourceArg) -> Self {
        match s {
            SourceArg::Codecarbon => MeasuredSource::CodeCarbon,
            SourceArg::NvidiaSmi => MeasuredSource::NvidiaSmi,
            SourceArg::Carbontracker => MeasuredSource::Carbontracker,
        }
    }
}

/// Arguments of `trainprint actual`.
#[derive(Debug, Args)]
pub struct ActualArgs {
    /// The measurement file: a CodeCarbon emissions.csv, an nvidia-smi power log (CSV), or either log of a
    /// Carbontracker run.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The tool that wrote it (default: recognised from the content).
    #[arg(long, value_enum)]
    pub source: Option<SourceArg>,
    /// Compare each run with a plan of this workspace.
    #[arg(long, value_name = "WORKSPACE.ron")]
    pub against: Option<PathBuf>,
    /// The plan: its name or its number (1-based); default the baseline.
    #[arg(long, value_name = "NAME|N", requires = "against")]
    pub plan: Option<String>,
    /// For a file without grid intensity (nvidia-smi): the catalogue region the run ran in.
    #[arg(
        long,
        value_name = "ID",
        requires = "against",
        conflicts_with = "intensity"
    )]
    pub region: Option<String>,
    /// For a file without grid intensity (nvidia-smi): the intensity, gCO2e/kWh.
    #[arg(long, value_name = "G", requires = "against")]
    pub intensity: Option<f64>,
    /// Tokens the run processed: gives the achieved throughput (and MFU) to carry back.
    #[arg(long, value_name = "N")]
    pub tokens: Option<f64>,
    /// Samples the run processed: gives the achieved sample rate.
    #[arg(long, value_name = "N")]
    pub samples: Option<f64>,
    /// Output format: table or json.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
}

fn flag(flag: &str, message: impl Into<String>) -> CliError {
    CliError::Flag {
        flag: flag.into(),
        message: message.into(),
    }
}

/// The plan a `--plan NAME|N` names (the baseline without one).
pub(super) fn pick_plan(ws: &Workspace, wanted: Option<&str>) -> Result<usize, CliError> {
    match wanted {
        None if ws.plans.is_empty() => Err(CliError::Usage("the workspace has no plans".into())),
        None => Ok(ws.baseline_index()),
        Some(p) => ws
            .plans
            .iter()
            .position(|x| x.name == p)
            .or_else(|| {
                p.parse::<usize>()
                    .ok()
                    .filter(|n| (1..=ws.plans.len()).contains(n))
                    .map(|n| n - 1)
            })
            .ok_or_else(|| {
                flag(
                    "--plan",
                    format!("no plan named '{p}' and no plan number {p}"),
                )
            }),
    }
}

struct Against {
    path: PathBuf,
    plan: TrainingPlan,
    planned: engine::Estimate,
    catalogue: Catalogue,
}

pub(super) fn run(a: &ActualArgs, out: &mut dyn Write) -> Result<(), CliError> {
    if !matches!(a.format, OutputFormat::Table | OutputFormat::Json) {
        return Err(flag("--format", "actual prints table or json"));
    }
    for (name, v) in [("--tokens", a.tokens), ("--samples", a.samples)] {
        if let Some(v) = v
            && !(v.is_finite() && v > 0.0)
        {
            return Err(flag(name, format!("must be a finite number > 0, got {v}")));
        }
    }
    if let Some(g) = a.intensity
        && !(g.is_finite() && g >= 0.0)
    {
        return Err(flag(
            "--intensity",
            format!("must be a finite number >= 0, got {g}"),
        ));
    }
    let mut runs = measured::load(&a.file, a.source.map(MeasuredSource::from))?;
    if (a.tokens.is_some() || a.samples.is_some()) && runs.len() > 1 {
        return Err(CliError::Usage(format!(
            "--tokens and --samples describe one run, and {} has {}",
            a.file.display(),
            runs.len()
        )));
    }
    for r in &mut runs {
        r.tokens = a.tokens;
        r.samples = a.samples;
    }

    let against = match &a.against {
        None => None,
        Some(path) => {
            let presets = super::presets()?;
            let ws = workspace::load(path)?;
            let catalogue = workspace::effective_catalogue(&presets, &ws);
            let i = pick_plan(&ws, a.plan.as_deref())?;
            let plan = ws.plans[i].clone();
            let planned = engine::estimate(&plan, &catalogue).map_err(|error| CliError::Plan {
                path: path.display().to_string(),
                source: crate::export::summary::PlanError {
                    name: plan.name.clone(),
                    error,
                },
            })?;
            Some(Against {
                path: path.clone(),
                plan,
                planned,
                catalogue,
            })
        }
    };
    let region = match (&a.region, &against) {
        (Some(id), Some(ag)) => Some(
            ag.catalogue
                .region(id)
                .ok_or_else(|| flag("--region", format!("unknown region '{id}'")))?,
        ),
        _ => None,
    };
    let given = GridGiven {
        region,
        intensity_g_per_kwh: a.intensity,
    };

    let mut docs = Vec::new();
    let mut compared = Vec::new();
    for r in &runs {
        let mut doc = run_json(r);
        if let Some(ag) = &against {
            let actual_error = |source| CliError::Actual {
                path: a.file.display().to_string(),
                source,
            };
            let cmp =
                actual::compare_actual(r, &ag.plan, &ag.planned, given).map_err(actual_error)?;
            let back = match ag.catalogue.accelerator(&ag.plan.accelerator) {
                Some(acc) => Some(actual::carry_back(r, &ag.plan, acc).map_err(actual_error)?),
                None => None,
            };
            add_comparison(&mut doc, &ag.plan, &cmp, back.as_ref());
            compared.push(Some((ag.plan.name.clone(), cmp, back)));
        } else {
            compared.push(None);
        }
        docs.push(doc);
    }
    match a.format {
        OutputFormat::Json => {
            let mut top = json!({
                "file": a.file.display().to_string(),
                "runs": docs,
            });
            if let Some(ag) = &against {
                top["workspace"] = json!(ag.path.display().to_string());
                top["method"] = json!(
                    "additive log-mean Divisia index (LMDI-I) from the plan to the measured run over power, duration, PUE, intensity and runs; embodied as its own term"
                );
            }
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&top).unwrap_or_default()
            )?;
        }
        _ => {
            for (r, c) in runs.iter().zip(&compared) {
                write_table(out, r, c.as_ref())?;
            }
        }
    }
    Ok(())
}

fn opt(v: Option<f64>) -> Value {
    v.map_or(Value::Null, |x| json!(x))
}

/// The JSON of one run: the stable keys, then what the file adds.
fn run_json(r: &MeasuredRun) -> Value {
    json!({
        "source": r.source.key(),
        "run_id": r.run_id,
        "duration_h": r.duration_h,
        "energy_kwh": r.energy_kwh,
        "co2e_kg": opt(r.co2e_kg),
        "avg_power_w": opt(r.avg_power_w),
        "accelerators": r.accelerators,
        "accelerator_model": r.accelerator_model,
        "tool_version": r.tool_version,
        "started": r.started,
        "pue": opt(r.pue),
        "intensity_g_per_kwh": opt(r.intensity_g_per_kwh),
        "country": r.country,
        "region": r.region,
        "cloud_provider": r.cloud_provider,
        "cloud_region": r.cloud_region,
        "devices": r.devices.iter().map(|d| json!({
            "device": d.device,
            "energy_kwh": d.energy_kwh,
            "avg_power_w": d.avg_power_w,
            "samples": d.samples,
        })).collect::<Vec<_>>(),
        "tokens": opt(r.tokens),
        "samples": opt(r.samples),
    })
}

fn add_comparison(
    doc: &mut Value,
    plan: &TrainingPlan,
    c: &ActualComparison,
    back: Option<&CarryBack>,
) {
    let b = &c.basis;
    let contributions: serde_json::Map<String, Value> = c
        .contributions
        .iter()
        .map(|(f, kg)| (f.key().to_owned(), json!(kg)))
        .collect();
    doc["plan"] = json!(plan.name);
    doc["planned_co2e_kg"] = json!(c.planned_co2e_kg);
    doc["measured_co2e_kg"] = json!(c.measured_co2e_kg);
    doc["delta_co2e_kg"] = json!(c.delta_co2e_kg);
    doc["contributions"] = Value::Object(contributions);
    doc["measured_basis"] = json!({
        "accelerators": b.accelerators,
        "accelerators_source": b.accelerators_source.key(),
        "accelerator_hours": b.accelerator_hours,
        "it_energy_kwh": b.it_energy_kwh,
        "power_w": b.power_w,
        "pue": b.pue,
        "pue_source": b.pue_source.key(),
        "facility_energy_kwh": b.facility_energy_kwh,
        "intensity_g_per_kwh": b.intensity_g_per_kwh,
        "intensity_source": b.intensity_source.key(),
    });
    doc["notes"] = json!(b.notes.iter().map(|n| n.key()).collect::<Vec<_>>());
    if let Some(back) = back {
        doc["carry_back"] = json!({
            "avg_power_w": opt(back.avg_power_w),
            "tokens_per_second": opt(back.tokens_per_second),
            "samples_per_second": opt(back.samples_per_second),
            "mfu": opt(back.mfu),
            "changes": back.changes.iter().map(|ch| json!({
                "field": ch.field, "before": ch.before, "after": ch.after,
            })).collect::<Vec<_>>(),
            "skipped": back.skipped,
        });
    }
}

/// A signed mass of CO2e in readable units: `+1.2 kgCO2e`, `-30 gCO2e`.
fn signed_co2e(kg: f64) -> String {
    let sign = if kg < 0.0 { '-' } else { '+' };
    format!("{sign}{}", units::co2e(kg.abs()))
}

/// A duration in readable units: seconds, minutes or hours.
fn duration_text(h: f64) -> String {
    if h < 1.0 / 60.0 {
        format!("{} s", units::sig(h * 3600.0, 4))
    } else if h < 1.0 {
        format!("{} min", units::sig(h * 60.0, 4))
    } else {
        units::hours(h)
    }
}

type Compared = (String, ActualComparison, Option<CarryBack>);

fn write_table(
    out: &mut dyn Write,
    r: &MeasuredRun,
    compared: Option<&Compared>,
) -> Result<(), CliError> {
    let version = r
        .tool_version
        .as_deref()
        .map(|v| format!(" {v}"))
        .unwrap_or_default();
    writeln!(out, "{}{version} run {}", r.source.label(), r.run_id)?;
    let row = |out: &mut dyn Write, k: &str, v: String| writeln!(out, "  {k:<14} {v}");
    row(out, "duration", duration_text(r.duration_h))?;
    let pue_note = r
        .pue
        .map(|p| format!(" (PUE {} included)", units::sig(p, 3)))
        .unwrap_or_default();
    row(
        out,
        "energy",
        format!("{}{pue_note}", units::energy(r.energy_kwh)),
    )?;
    row(
        out,
        "CO2e",
        r.co2e_kg
            .map_or_else(|| "none in the file".to_owned(), units::co2e),
    )?;
    let model = r
        .accelerator_model
        .as_deref()
        .map(|m| format!(" ({m})"))
        .unwrap_or_default();
    row(out, "accelerators", format!("{}{model}", r.accelerators))?;
    if let Some(w) = r.avg_power_w {
        row(
            out,
            "avg power",
            format!("{} W per accelerator", units::sig(w, 4)),
        )?;
    }
    for d in &r.devices {
        row(
            out,
            &format!("  {}", d.device),
            format!(
                "{} W, {} ({} samples)",
                units::sig(d.avg_power_w, 4),
                units::energy(d.energy_kwh),
                d.samples
            ),
        )?;
    }
    if let Some(g) = r.intensity_g_per_kwh {
        row(out, "intensity", format!("{} g/kWh", units::sig(g, 4)))?;
    }
    let place: Vec<&str> = [&r.country, &r.region, &r.cloud_provider, &r.cloud_region]
        .into_iter()
        .filter_map(|x| x.as_deref())
        .collect();
    if !place.is_empty() {
        row(out, "where", place.join(", "))?;
    }
    if let Some((plan, c, back)) = compared {
        writeln!(
            out,
            "  against '{plan}': planned {}, measured {} ({})",
            units::co2e(c.planned_co2e_kg),
            units::co2e(c.measured_co2e_kg),
            signed_co2e(c.delta_co2e_kg)
        )?;
        for (factor, kg) in &c.contributions {
            writeln!(out, "    {:<22} {}", factor.label(), signed_co2e(*kg))?;
        }
        for n in &c.basis.notes {
            writeln!(out, "    note: {}", n.describe())?;
        }
        for ch in back.iter().flat_map(|b| &b.changes) {
            writeln!(
                out,
                "  carry back: {} {} -> {}",
                ch.field, ch.before, ch.after
            )?;
        }
    }
    Ok(())
}
