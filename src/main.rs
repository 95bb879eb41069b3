//! The `trainprint` binary: parse the command line, run a subcommand or open the app, print errors once.
//!
//! It is a console program everywhere, so on Windows `cmd` and scripts wait for it and get its exit code. The
//! Start-menu shortcut runs its GUI-subsystem twin, `trainprint-gui` (src/bin/trainprint-gui.rs), which calls
//! this same `main` without a console window behind the app.

use std::process::ExitCode;

/// Runs the command line, or opens the window when no subcommand is given; the exit code is 0, or 2 on any error.
pub fn main() -> ExitCode {
    let started = std::time::Instant::now();
    let cli = match trainprint::cli::parse(std::env::args_os()) {
        Ok(cli) => cli,
        Err(trainprint::cli::ParseOutcome::Info(text)) => {
            print!("{text}");
            return ExitCode::SUCCESS;
        }
        Err(trainprint::cli::ParseOutcome::Error(line)) => {
            eprintln!("{line}");
            return ExitCode::from(2);
        }
    };
    let result = match cli.command {
        Some(command) => trainprint::cli::run(command, &mut std::io::stdout().lock()),
        None => open_app(cli.file, started),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

#[cfg(feature = "gui")]
fn open_app(
    file: Option<std::path::PathBuf>,
    started: std::time::Instant,
) -> Result<(), trainprint::cli::CliError> {
    trainprint::app::run(file, started).map_err(trainprint::cli::CliError::App)
}

#[cfg(not(feature = "gui"))]
fn open_app(
    _file: Option<std::path::PathBuf>,
    _started: std::time::Instant,
) -> Result<(), trainprint::cli::CliError> {
    Err(trainprint::cli::CliError::Usage(
        "this build has no app (built without the `gui` feature): use a subcommand, see --help"
            .into(),
    ))
}
