//! The `trainprint` binary: parse the command line, run a subcommand or open the app, print errors once.

// On Windows a release build is a GUI program (no console window behind the app); subcommands re-attach to the
// console they were started from, see `attach_parent_console`.
#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

use std::process::ExitCode;

/// A GUI-subsystem program has no console; when run from one with a subcommand, write to that console.
#[cfg(windows)]
fn attach_parent_console() {
    // SAFETY: AttachConsole takes a process id (here the documented ATTACH_PARENT_PROCESS constant) and has no
    // pointer arguments; failing (no parent console) is harmless and leaves the process as it was.
    #[allow(unsafe_code)] // The one FFI call of the program, justified above.
    unsafe {
        windows_sys::Win32::System::Console::AttachConsole(
            windows_sys::Win32::System::Console::ATTACH_PARENT_PROCESS,
        );
    }
}

#[cfg(not(windows))]
fn attach_parent_console() {}

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    if std::env::args_os().nth(1).is_some() {
        attach_parent_console();
    }
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
