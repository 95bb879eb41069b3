//! File dialogs: the platform's (rfd, the XDG desktop portal on Linux), or scripted answers in tests.

use std::path::PathBuf;

/// Native file dialogs, or scripted answers in tests.
pub trait FileDialogs {
    /// Choose a workspace to open.
    fn open(&mut self) -> Option<PathBuf>;
    /// Choose where to save a workspace.
    fn save(&mut self, suggested_name: &str) -> Option<PathBuf>;
    /// Choose a folder (exports).
    fn folder(&mut self) -> Option<PathBuf>;
    /// Choose an hourly intensity profile (CSV) to import; none by default.
    fn open_profile(&mut self) -> Option<PathBuf> {
        None
    }
    /// Choose a measurement file (CodeCarbon, nvidia-smi, Carbontracker) to import; none by default.
    fn open_measured(&mut self) -> Option<PathBuf> {
        None
    }
}

/// No dialogs: every question is answered "cancelled" (the browser, whose file picker answers later and is run
/// by the app itself, see `jobs::pick_file`).
pub struct NoDialogs;

impl FileDialogs for NoDialogs {
    fn open(&mut self) -> Option<PathBuf> {
        None
    }
    fn save(&mut self, _suggested_name: &str) -> Option<PathBuf> {
        None
    }
    fn folder(&mut self) -> Option<PathBuf> {
        None
    }
}

/// The platform's dialogs, through `rfd`.
#[cfg(not(target_arch = "wasm32"))]
pub struct NativeDialogs;

#[cfg(not(target_arch = "wasm32"))]
impl FileDialogs for NativeDialogs {
    fn open(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter("Trainprint workspace", &["ron"])
            .set_title("Open workspace")
            .pick_file()
    }
    fn save(&mut self, suggested_name: &str) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter("Trainprint workspace", &["ron"])
            .set_title("Save workspace")
            .set_file_name(suggested_name)
            .save_file()
    }
    fn folder(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Export to folder")
            .pick_folder()
    }
    fn open_profile(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter("Hourly intensity (datetime,intensity_g_per_kwh)", &["csv"])
            .set_title("Import an hourly intensity profile")
            .pick_file()
    }
    fn open_measured(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter(
                "Measurement (CodeCarbon emissions.csv, nvidia-smi CSV, Carbontracker log)",
                &["csv", "log", "txt"],
            )
            .add_filter("Any file", &["*"])
            .set_title("Import measured run")
            .pick_file()
    }
}
