//! The app's session between runs: the autosaved workspace and the UI preferences, in the per-user config
//! directory. A damaged autosave never stops the app: it is moved aside, the backup is tried, and the caller is
//! told what happened.

use super::error::{FileError, FileErrorKind};
use super::{atomic, ron_file, workspace};
use crate::model::Workspace;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Light, dark, or the system's choice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThemeChoice {
    /// Follow the operating system.
    #[default]
    System,
    /// Light.
    Light,
    /// Dark.
    Dark,
}

fn default_scale() -> f32 {
    1.0
}

fn yes() -> bool {
    true
}

/// UI preferences kept between runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Prefs {
    /// Theme.
    pub theme: ThemeChoice,
    /// UI scale (zoom), 0.5 to 3.
    #[serde(default = "default_scale")]
    pub ui_scale: f32,
    /// Show the catalogue panel.
    #[serde(default = "yes")]
    pub show_catalogue: bool,
    /// Show the charts.
    #[serde(default = "yes")]
    pub show_charts: bool,
    /// Show the formula view.
    #[serde(default = "yes")]
    pub show_formula: bool,
    /// The workspace file the session was last saved to or opened from.
    pub file: Option<PathBuf>,
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs {
            theme: ThemeChoice::System,
            ui_scale: 1.0,
            show_catalogue: true,
            show_charts: true,
            show_formula: true,
            file: None,
        }
    }
}

/// The `format` field of the preferences file.
pub const PREFS_FORMAT: &str = "trainprint-prefs";
/// The newest preferences format version.
pub const PREFS_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PrefsFileV1 {
    format: String,
    version: u32,
    prefs: Prefs,
}

/// What restoring the session found.
#[derive(Debug)]
pub enum Restored {
    /// No autosave yet (first start).
    Nothing,
    /// The autosave loaded.
    Workspace(Box<Workspace>),
    /// The autosave was damaged: moved aside; the backup loaded instead.
    FromBackup {
        /// The workspace from the backup.
        workspace: Box<Workspace>,
        /// Where the damaged file went.
        moved_to: PathBuf,
        /// What was wrong with it.
        error: FileError,
    },
    /// The autosave (and any backup) was damaged: moved aside; start from the presets.
    Damaged {
        /// Where the damaged file went.
        moved_to: PathBuf,
        /// What was wrong with it.
        error: FileError,
    },
}

/// The per-user directory the session lives in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionDir {
    dir: PathBuf,
}

impl SessionDir {
    /// The platform's config directory for Trainprint (`~/.config/trainprint` on Linux,
    /// `%APPDATA%\Trainprint\Trainprint\config` on Windows), if the platform has one.
    pub fn user() -> Option<Self> {
        directories::ProjectDirs::from("org", "Trainprint", "Trainprint").map(|d| SessionDir {
            dir: d.config_dir().to_path_buf(),
        })
    }

    /// A session in an explicit directory (tests, portable use).
    pub fn at(dir: impl Into<PathBuf>) -> Self {
        SessionDir { dir: dir.into() }
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The autosaved workspace.
    pub fn autosave_path(&self) -> PathBuf {
        self.dir.join("autosave.ron")
    }

    /// The preferences file.
    pub fn prefs_path(&self) -> PathBuf {
        self.dir.join("prefs.ron")
    }

    /// Loads the autosave; a damaged file is moved aside (never deleted) and the backup tried.
    pub fn restore(&self) -> Restored {
        let path = self.autosave_path();
        if !path.exists() {
            return Restored::Nothing;
        }
        match workspace::load(&path) {
            Ok(ws) => Restored::Workspace(Box::new(ws)),
            Err(error) => {
                let moved_to = aside_path(&path);
                if std::fs::rename(&path, &moved_to).is_err() {
                    // Could not move it: leave it, but do not load it either.
                    return Restored::Damaged {
                        moved_to: path,
                        error,
                    };
                }
                match workspace::load(&atomic::backup_path(&path)) {
                    Ok(ws) => Restored::FromBackup {
                        workspace: Box::new(ws),
                        moved_to,
                        error,
                    },
                    Err(_) => Restored::Damaged { moved_to, error },
                }
            }
        }
    }

    /// Saves the workspace as the autosave, atomically, keeping the previous autosave as backup.
    pub fn autosave(&self, ws: &Workspace) -> Result<(), FileError> {
        workspace::save(&self.autosave_path(), ws, true)
    }

    /// Loads the preferences; missing or unreadable preferences give the defaults (and the reason).
    pub fn load_prefs(&self) -> (Prefs, Option<FileError>) {
        let path = self.prefs_path();
        if !path.exists() {
            return (Prefs::default(), None);
        }
        match ron_file::read_limited(&path, MAX_PREFS_BYTES) {
            Ok(text) => prefs_from_text(&text, &path),
            Err(e) => (Prefs::default(), Some(e)),
        }
    }

    /// Saves the preferences atomically.
    pub fn save_prefs(&self, prefs: &Prefs) -> Result<(), FileError> {
        let path = self.prefs_path();
        let text = prefs_text(prefs, &path)?;
        atomic::write(&path, text.as_bytes(), false).map_err(|e| FileError::new(&path, e))
    }
}

/// The largest preferences file read.
const MAX_PREFS_BYTES: u64 = 1024 * 1024;

/// Preferences from their RON text (`path` names it in errors), through the same strict loader as the file;
/// damaged text gives the defaults and the reason.
pub fn prefs_from_text(text: &str, path: &Path) -> (Prefs, Option<FileError>) {
    if text.len() as u64 > MAX_PREFS_BYTES {
        let size = text.len() as u64;
        let limit = MAX_PREFS_BYTES;
        return (
            Prefs::default(),
            Some(FileError::new(
                path,
                FileErrorKind::TooLarge { size, limit },
            )),
        );
    }
    let loaded = ron_file::header(text, path, PREFS_FORMAT, PREFS_VERSION)
        .and_then(|_| ron_file::parse::<PrefsFileV1>(text, path));
    match loaded {
        Ok(f) => {
            let mut p = f.prefs;
            if !(p.ui_scale.is_finite() && (0.5..=3.0).contains(&p.ui_scale)) {
                p.ui_scale = 1.0;
            }
            (p, None)
        }
        Err(e) => (Prefs::default(), Some(e)),
    }
}

/// The RON text of the preferences (`path` names them in errors).
pub fn prefs_text(prefs: &Prefs, path: &Path) -> Result<String, FileError> {
    ron_file::to_text(&PrefsFileV1 {
        format: PREFS_FORMAT.into(),
        version: PREFS_VERSION,
        prefs: prefs.clone(),
    })
    .map_err(|e| FileError::new(path, FileErrorKind::InvalidValue(e.to_string())))
}

/// Restores a session kept as text rather than in a file (the browser's storage), through the same strict loader
/// as the autosave file. `name` names it in errors; damaged text is reported as kept at `kept_as` (the caller keeps
/// it there, never deletes it), and the session starts from the built-in example.
pub fn restore_text(text: Option<&str>, name: &Path, kept_as: &str) -> Restored {
    let Some(text) = text else {
        return Restored::Nothing;
    };
    let parsed = if text.len() as u64 > ron_file::MAX_FILE_BYTES {
        let (size, limit) = (text.len() as u64, ron_file::MAX_FILE_BYTES);
        Err(FileError::new(
            name,
            FileErrorKind::TooLarge { size, limit },
        ))
    } else {
        workspace::parse(text, name)
    };
    match parsed {
        Ok(ws) => Restored::Workspace(Box::new(ws)),
        Err(error) => Restored::Damaged {
            moved_to: PathBuf::from(kept_as),
            error,
        },
    }
}

/// `NAME.damaged-2026-12-02T13-05-09Z` (the UTC time now) beside the file, or with a counter if that exists.
fn aside_path(path: &Path) -> PathBuf {
    let stamp = utc_stamp(crate::clock::unix_now());
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    (0..)
        .map(|k| {
            let suffix = if k == 0 {
                format!("{name}.damaged-{stamp}")
            } else {
                format!("{name}.damaged-{stamp}-{k}")
            };
            path.with_file_name(suffix)
        })
        .find(|p| !p.exists())
        .unwrap_or_else(|| path.with_extension("damaged"))
}

/// A UTC date and time for file names: readable, sorting as it reads, and without the colons Windows refuses
/// (`2026-12-02T13-05-09Z`).
///
/// ```
/// use trainprint::persist::session::utc_stamp;
/// assert_eq!(utc_stamp(0), "1970-01-01T00-00-00Z");
/// assert_eq!(utc_stamp(1_796_209_845), "2026-12-02T11-10-45Z");
/// ```
pub fn utc_stamp(secs_since_1970: u64) -> String {
    let days = (secs_since_1970 / 86_400) as i64;
    let rest = secs_since_1970 % 86_400;
    let (y, m, d) = crate::units::civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}-{:02}-{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}
