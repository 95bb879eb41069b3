//! `trainprint-gui`: the same program as `trainprint`, built for the Windows GUI subsystem, so the Start-menu
//! shortcut opens the window with no console behind it. Elsewhere it is an ordinary twin of `trainprint`.
//!
//! A GUI-subsystem program has no console of its own; given a subcommand it writes to the console it was started
//! from (best effort: `cmd` does not wait for it, so scripts use `trainprint`, the console program).

#![cfg_attr(windows, windows_subsystem = "windows")]

#[path = "../main.rs"]
mod console;

/// When run from a console with a subcommand, write to that console.
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

fn main() -> std::process::ExitCode {
    #[cfg(windows)]
    if std::env::args_os().nth(1).is_some() {
        attach_parent_console();
    }
    console::main()
}
