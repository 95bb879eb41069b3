//! The Electricity Maps token: read from `TRAINPRINT_EM_TOKEN`, else from its own file in the user config
//! directory, written with owner-only permissions (0600 on Unix). It is never put in a workspace, an export, a log
//! line or an error message.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The environment variable that, when set, supplies the token.
pub const ENV: &str = "TRAINPRINT_EM_TOKEN";

/// The token file in a config directory.
pub fn path_in(config_dir: &Path) -> PathBuf {
    config_dir.join("electricitymaps-token")
}

/// The token file in the user config directory, if the platform has one.
pub fn user_path() -> Option<PathBuf> {
    crate::persist::session::SessionDir::user().map(|s| path_in(s.dir()))
}

/// The token: the environment variable if set and not empty, else the file's first line.
pub fn load(file: Option<&Path>) -> Option<String> {
    if let Ok(v) = std::env::var(ENV) {
        let v = v.trim().to_owned();
        if !v.is_empty() {
            return Some(v);
        }
    }
    let text = std::fs::read_to_string(file?).ok()?;
    let t = text.lines().next().unwrap_or("").trim().to_owned();
    (!t.is_empty()).then_some(t)
}

/// Writes the token to `file` with owner-only permissions, replacing it atomically.
pub fn save(file: &Path, token: &str) -> std::io::Result<()> {
    let dir = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".electricitymaps-token.{}.tmp", std::process::id()));
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let result = (|| {
        let mut f = opts.open(&tmp)?;
        f.write_all(token.trim().as_bytes())?;
        f.write_all(b"\n")?;
        f.sync_all()?;
        std::fs::rename(&tmp, file)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Deletes the token file (no error if there is none).
pub fn delete(file: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(file) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}
