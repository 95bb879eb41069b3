//! `trainprint export WORKSPACE.ron --out DIR`: write the summaries, references, model card and charts into a
//! directory with stable file names, printing each path.

use super::CliError;
use crate::export::{self, Options, report::Report};
use crate::persist::workspace;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

/// Arguments of `trainprint export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The workspace file (.ron).
    #[arg(value_name = "WORKSPACE.ron")]
    pub workspace: PathBuf,
    /// The directory to write into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Comma-separated formats: csv, md, json, bib, yaml, png, svg (default: all).
    #[arg(
        long,
        value_name = "LIST",
        default_value = "csv,md,json,bib,yaml,png,svg"
    )]
    pub formats: String,
    /// Chart width in pixels.
    #[arg(long, value_name = "W", default_value_t = 1600)]
    pub width: u32,
    /// Chart height in pixels.
    #[arg(long, value_name = "H", default_value_t = 900)]
    pub height: u32,
    /// The plan the model card describes: its name or its number (1-based); default the baseline.
    #[arg(long, value_name = "NAME|N")]
    pub plan: Option<String>,
    /// Training type written in the model card.
    #[arg(long, value_name = "TYPE", default_value = "pre-training")]
    pub training_type: String,
}

pub(super) fn run(a: &ExportArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let formats = export::parse_formats(&a.formats).map_err(|e| CliError::Flag {
        flag: "--formats".into(),
        message: e.to_string(),
    })?;
    let presets = super::presets()?;
    let ws = workspace::load(&a.workspace)?;
    let catalogue = workspace::effective_catalogue(&presets, &ws);
    let card_plan = match &a.plan {
        None => None,
        Some(p) => Some(
            ws.plans
                .iter()
                .position(|x| x.name == *p)
                .or_else(|| {
                    p.parse::<usize>()
                        .ok()
                        .filter(|n| (1..=ws.plans.len()).contains(n))
                        .map(|n| n - 1)
                })
                .ok_or_else(|| CliError::Flag {
                    flag: "--plan".into(),
                    message: format!("no plan named '{p}' and no plan number {p}"),
                })?,
        ),
    };
    let mut report =
        Report::new(&ws, &catalogue, export::today()).map_err(|source| CliError::Plan {
            path: a.workspace.display().to_string(),
            source,
        })?;
    // The chosen plan is also the one the per-plan charts show.
    report.focus_on(card_plan.unwrap_or(report.baseline));
    let opts = Options {
        formats,
        width: a.width,
        height: a.height,
        card_plan,
        training_type: a.training_type.clone(),
    };
    let written = export::export(&report, &opts, &a.out, |_| {}).map_err(CliError::Export)?;
    for p in written {
        writeln!(out, "{}", p.display())?;
    }
    Ok(())
}
