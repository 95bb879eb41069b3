//! `trainprint schedule` (carbon-aware start times over an hourly intensity profile) and `trainprint compare`
//! (what explains each plan's difference from the baseline).

use super::estimate_cmd::{EstimateArgs, plan_from_args};
use super::{CliError, OutputFormat};
use crate::engine::decompose::decompose;
use crate::engine::plan_schedule::{Settings, plan_schedule};
use crate::engine::{self};
use crate::persist::profiles::{self, Part};
use crate::persist::workspace;
use crate::units;
use clap::{Args, ValueEnum};
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;

/// Which part of the year a representative profile shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Season {
    /// Yearly hour-of-day means.
    #[default]
    Year,
    /// April to June.
    AprJun,
    /// December and January.
    DecJan,
}

/// Arguments of `trainprint schedule`.
#[derive(Debug, Args)]
pub struct ScheduleArgs {
    /// The plan (the same flags as `estimate`; its --region also picks the representative profile).
    #[command(flatten)]
    pub plan: EstimateArgs,
    /// An hourly profile CSV (`datetime,intensity_g_per_kwh`): the grid of the schedule, instead of the region's
    /// representative profile (with it, --region and --intensity are not needed).
    #[arg(long, value_name = "FILE.csv")]
    pub profile: Option<PathBuf>,
    /// The start times to consider: every hour from now to now + W.
    #[arg(long, value_name = "W", default_value_t = 24)]
    pub window_hours: usize,
    /// With --pausable: the job must finish within D hours.
    #[arg(long, value_name = "D", requires = "pausable")]
    pub deadline_hours: Option<usize>,
    /// Run only in the cleanest hours before the deadline (pause and resume).
    #[arg(long, requires = "deadline_hours")]
    pub pausable: bool,
    /// Part of the year of the representative profile.
    #[arg(long, value_enum, default_value_t = Season::Year)]
    pub season: Season,
    /// Local clock hour "now" falls on in the representative profile (0–23).
    #[arg(long, value_name = "H", default_value_t = 0)]
    pub start_hour: usize,
}

/// Arguments of `trainprint compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The workspace file (.ron).
    #[arg(value_name = "WORKSPACE.ron")]
    pub workspace: PathBuf,
    /// Output format: table or json.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
}

fn usage(m: impl Into<String>) -> CliError {
    CliError::Usage(m.into())
}

/// `trainprint schedule`. With `--profile` the profile is the grid: no `--region` or `--intensity` is needed (the
/// plan's own estimate then uses the profile's mean, which the schedule does not depend on; a region still gives
/// its PUE).
pub(super) fn schedule(a: &mut ScheduleArgs, out: &mut dyn Write) -> Result<(), CliError> {
    if a.plan.workspace.is_some() {
        return Err(usage(
            "schedule takes plan flags (as estimate), not a workspace file",
        ));
    }
    if !matches!(a.plan.format, OutputFormat::Table | OutputFormat::Json) {
        return Err(CliError::Flag {
            flag: "--format".into(),
            message: "schedule prints table or json".into(),
        });
    }
    if a.start_hour > 23 {
        return Err(CliError::Flag {
            flag: "--start-hour".into(),
            message: format!("must be a clock hour 0–23, got {}", a.start_hour),
        });
    }
    let presets = super::presets()?;
    let imported = a.profile.as_deref().map(profiles::load_csv).transpose()?;
    if let Some(s) = &imported
        && a.plan.region.is_none()
        && a.plan.intensity.is_none()
    {
        a.plan.intensity = Some(s.values.iter().sum::<f64>() / s.values.len().max(1) as f64);
    }
    let plan = super::suggest::resolve_plan_ids(plan_from_args(&a.plan)?, &presets)?;
    let e = engine::estimate(&plan, &presets).map_err(CliError::from_estimate)?;
    let all = profiles::profiles().map_err(CliError::Presets)?;
    let settings = Settings {
        window_hours: a.window_hours,
        part: match a.season {
            Season::Year => Part::Year,
            Season::AprJun => Part::AprJun,
            Season::DecJan => Part::DecJan,
        },
        start_hour: a.start_hour,
        use_forecast: true,
        pausable: a.pausable,
        deadline_hours: a.deadline_hours.unwrap_or(0),
    };
    // The same set-up as the app's When to run: the profile, else the region's forecast or representative day,
    // else a flat profile at the plan's intensity (which says so).
    let region = plan.region.as_deref().and_then(|r| presets.region(r));
    let ps = plan_schedule(&e, region, &all, &settings, imported.as_ref()).ok_or_else(|| {
        usage("schedule needs the job's wall-clock hours: give --count (and a duration)")
    })?;
    let series = &ps.series;
    let label = |i: usize| {
        series
            .labels
            .get(i)
            .cloned()
            .unwrap_or_else(|| format!("hour {i}"))
    };
    let doc = match &ps.paused {
        Some(p) => {
            let p = p.as_ref().map_err(|e| usage(e.clone()))?;
            json!({
                "start_now_co2e_kg": p.start_now_co2e_kg,
                "best_start": p.hours_used.first().map(|&i| label(i)),
                "best_co2e_kg": p.co2e_kg,
                "savings_pct": p.savings_pct,
                "hours_used": p.hours_used.iter().map(|&i| label(i)).collect::<Vec<_>>(),
                "last_hour_fraction": p.last_fraction,
                "job_hours": ps.job_hours,
                "profile": series.source,
            })
        }
        None => {
            let s = ps.result.as_ref().map_err(|e| usage(e.clone()))?;
            json!({
                "start_now_co2e_kg": s.start_now_co2e_kg,
                "best_start": label(s.best_start),
                "best_co2e_kg": s.best_co2e_kg,
                "savings_pct": s.savings_pct,
                "best_start_offset_hours": s.best_start,
                "window_hours": s.co2e_by_start.len() - 1,
                "job_hours": ps.job_hours,
                "profile": series.source,
            })
        }
    };
    match a.plan.format {
        OutputFormat::Json => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&doc).unwrap_or_default()
        )?,
        _ => {
            let f = |k: &str| doc[k].as_f64().unwrap_or(0.0);
            writeln!(out, "profile: {}", series.source)?;
            writeln!(out, "start now:  {}", units::co2e(f("start_now_co2e_kg")))?;
            writeln!(
                out,
                "best start: {} → {} ({:.1} % less)",
                doc["best_start"].as_str().unwrap_or(""),
                units::co2e(f("best_co2e_kg")),
                f("savings_pct")
            )?;
            if let Some(hours) = doc["hours_used"].as_array() {
                let list: Vec<&str> = hours.iter().filter_map(|h| h.as_str()).collect();
                writeln!(out, "hours used: {}", list.join(", "))?;
            }
        }
    }
    Ok(())
}

pub(super) fn compare(a: &CompareArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let presets = super::presets()?;
    let ws = workspace::load(&a.workspace)?;
    let catalogue = workspace::effective_catalogue(&presets, &ws);
    let base_i = ws.baseline_index();
    let estimates: Vec<_> = ws
        .plans
        .iter()
        .map(|p| {
            engine::estimate(p, &catalogue).map_err(|error| CliError::Plan {
                path: a.workspace.display().to_string(),
                source: crate::export::summary::PlanError {
                    name: p.name.clone(),
                    error,
                },
            })
        })
        .collect::<Result<_, _>>()?;
    let Some(base) = estimates.get(base_i) else {
        return Err(usage("the workspace has no plans"));
    };
    let plans: Vec<_> = ws
        .plans
        .iter()
        .zip(&estimates)
        .map(|(p, e)| {
            let parts = decompose(base, e);
            let contributions: serde_json::Map<String, serde_json::Value> = parts
                .iter()
                .map(|(f, kg)| (f.key().to_owned(), json!(kg)))
                .collect();
            json!({
                "name": p.name,
                "total_co2e_kg": e.total_co2e_kg,
                "delta_co2e_kg": e.total_co2e_kg - base.total_co2e_kg,
                "contributions": contributions,
            })
        })
        .collect();
    match a.format {
        OutputFormat::Json => {
            let doc = json!({
                "baseline": ws.plans.get(base_i).map(|p| p.name.clone()),
                "method": "additive log-mean Divisia index (LMDI-I) over power, duration, PUE, intensity and runs; embodied as its own term",
                "plans": plans,
            });
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&doc).unwrap_or_default()
            )?;
        }
        _ => {
            for p in &plans {
                writeln!(
                    out,
                    "{}: {} ({:+.3} kg vs baseline)",
                    p["name"].as_str().unwrap_or(""),
                    units::co2e(p["total_co2e_kg"].as_f64().unwrap_or(0.0)),
                    p["delta_co2e_kg"].as_f64().unwrap_or(0.0)
                )?;
                if let Some(c) = p["contributions"].as_object() {
                    for (k, v) in c {
                        writeln!(out, "  {k:<10} {:+.3} kg", v.as_f64().unwrap_or(0.0))?;
                    }
                }
            }
        }
    }
    Ok(())
}
