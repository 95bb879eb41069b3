//! The `trainprint` command line: argument parsing (clap) and the subcommands, all on the same engine the app
//! uses. Errors come back as [`CliError`]; `main` prints them as one line and exits with code 2.

mod actual_cmd;
mod catalogue_cmd;
mod estimate_cmd;
mod export_cmd;
mod intensity_cmd;
mod plan_cmds;
pub mod suggest;
mod sweep_cmd;

use crate::engine::EstimateError;
use crate::persist::FileError;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

pub use actual_cmd::{ActualArgs, SourceArg};
pub use estimate_cmd::{EstimateArgs, plan_from_args};
pub use export_cmd::ExportArgs;
pub use intensity_cmd::{IntensityArgs, IntensityFormat};
pub use plan_cmds::{CompareArgs, ScheduleArgs, Season};
pub use sweep_cmd::{SweepArgs, over_from_args};

/// Estimate the energy and carbon footprint of training machine-learning models.
#[derive(Debug, Parser)]
#[command(
    name = "trainprint",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// What to do; without one, the app opens.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A workspace file (.ron) to open in the app.
    pub file: Option<PathBuf>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Estimate one plan given by flags, or every plan of a workspace file.
    Estimate(Box<EstimateArgs>),
    /// List or validate the catalogue.
    #[command(subcommand)]
    Catalogue(CatalogueCommand),
    /// Export a workspace's summaries, references, model card and charts into a directory.
    Export(ExportArgs),
    /// Fetch the live grid carbon intensity of a zone (online; the rest of Trainprint works offline).
    Intensity(IntensityArgs),
    /// Best start time for a plan over an hourly intensity profile (or the cleanest hours before a deadline).
    Schedule(Box<ScheduleArgs>),
    /// What explains each plan's CO2e difference from the baseline (factor contributions).
    Compare(CompareArgs),
    /// Read a measured run (CodeCarbon, nvidia-smi, Carbontracker) and compare it with a plan.
    Actual(Box<ActualArgs>),
    /// One plan of a workspace across every region, accelerator, count, precision, PUE or utilisation, ranked.
    Sweep(Box<SweepArgs>),
}

/// `trainprint catalogue …`
#[derive(Debug, Subcommand)]
pub enum CatalogueCommand {
    /// List the built-in accelerators or regions.
    List(ListArgs),
    /// Check a catalogue file: syntax (with line and column), unique ids, sources, numbers.
    Validate {
        /// The catalogue file (.ron).
        file: PathBuf,
    },
}

/// Arguments of `catalogue list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Which entries.
    #[arg(long, value_enum, default_value_t = Kind::Accelerators)]
    pub kind: Kind,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

/// Catalogue entry kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    /// Accelerators.
    Accelerators,
    /// Regions.
    Regions,
}

/// Formats of `catalogue list`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// Aligned text.
    Table,
    /// JSON, every field.
    Json,
}

/// Formats of `estimate`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Aligned text with readable units.
    #[default]
    Table,
    /// `{"plans": [ … ]}`.
    Json,
    /// One row per plan.
    Csv,
    /// A Markdown table.
    Md,
}

/// An error the command line reports: one line, exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Flags that do not make a plan.
    #[error("{0}")]
    Usage(String),
    /// A plan given by flags is invalid.
    #[error("{flag}: {message}")]
    Flag {
        /// The flag (`--mfu`).
        flag: String,
        /// What is wrong.
        message: String,
    },
    /// A file could not be loaded.
    #[error("{0}")]
    File(#[from] FileError),
    /// A plan in a workspace could not be estimated.
    #[error("{path}: {source}")]
    Plan {
        /// The workspace file.
        path: String,
        /// The plan and its error.
        source: crate::export::summary::PlanError,
    },
    /// The built-in presets failed to load (a build defect, reported rather than panicking).
    #[error("built-in presets: {0}")]
    Presets(FileError),
    /// Writing the output failed.
    #[error("cannot write output: {0}")]
    Output(#[from] std::io::Error),
    /// The app could not start.
    #[error("{0}")]
    App(String),
    /// An export failed.
    #[error("{0}")]
    Export(crate::export::ExportError),
    /// A measurement file could not be read.
    #[error("{0}")]
    Measured(#[from] crate::persist::measured::MeasuredError),
    /// A measured run could not be compared with the plan.
    #[error("{path}: {source}")]
    Actual {
        /// The measurement file.
        path: String,
        /// Why.
        source: crate::engine::actual::ActualError,
    },
}

impl CliError {
    /// An error for a CLI-built plan, naming the flag behind the field.
    pub fn from_estimate(e: EstimateError) -> Self {
        let message = match &e {
            EstimateError::Invalid { .. } => {
                let full = e.to_string();
                // "field rule (got v)" -> "rule (got v)": the flag names the field.
                full.split_once(' ')
                    .map(|(_, rest)| rest.to_owned())
                    .unwrap_or(full)
            }
            _ => e.to_string(),
        };
        let flag = if e.is_about_a_range() {
            "--range"
        } else {
            estimate_cmd::flag_for(e.field())
        };
        CliError::Flag {
            flag: flag.to_owned(),
            message,
        }
    }
}

/// Runs a parsed command line that has a subcommand, writing to `out`.
pub fn run(command: Command, out: &mut dyn Write) -> Result<(), CliError> {
    match command {
        Command::Estimate(args) => estimate_cmd::run(&args, out),
        Command::Catalogue(CatalogueCommand::List(args)) => catalogue_cmd::list(&args, out),
        Command::Catalogue(CatalogueCommand::Validate { file }) => {
            catalogue_cmd::validate(&file, out)
        }
        Command::Export(args) => export_cmd::run(&args, out),
        Command::Intensity(args) => intensity_cmd::run(&args, out),
        Command::Schedule(mut args) => plan_cmds::schedule(&mut args, out),
        Command::Compare(args) => plan_cmds::compare(&args, out),
        Command::Actual(args) => actual_cmd::run(&args, out),
        Command::Sweep(args) => sweep_cmd::run(&args, out),
    }
}

/// Parses `args` (including the program name); on a usage error returns the one-line message.
pub fn parse<I, T>(args: I) -> Result<Cli, ParseOutcome>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    Cli::try_parse_from(args).map_err(|e| match e.kind() {
        clap::error::ErrorKind::DisplayHelp
        | clap::error::ErrorKind::DisplayVersion
        | clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            ParseOutcome::Info(e.render().to_string())
        }
        _ => {
            let rendered = e.render().to_string();
            let first = rendered
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("invalid arguments")
                .trim()
                .to_owned();
            ParseOutcome::Error(first)
        }
    })
}

/// Why parsing stopped.
#[derive(Debug)]
pub enum ParseOutcome {
    /// Help or version text to print, then exit 0.
    Info(String),
    /// A one-line usage error, exit 2.
    Error(String),
}

/// The built-in catalogue, parsed once per process (the embedded text never changes).
pub(crate) fn presets() -> Result<crate::model::Catalogue, CliError> {
    static PARSED: std::sync::OnceLock<crate::model::Catalogue> = std::sync::OnceLock::new();
    if let Some(c) = PARSED.get() {
        return Ok(c.clone());
    }
    let c = crate::persist::presets::catalogue().map_err(CliError::Presets)?;
    Ok(PARSED.get_or_init(|| c).clone())
}
