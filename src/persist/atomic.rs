//! Atomic saves: write a temporary file beside the target, flush it to disk, then rename it over the target, so
//! a crash leaves either the old file or the new one, never half of either. The previous file can be kept as a
//! backup.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The backup path of a file: `name.ext.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    path.with_file_name(name)
}

/// Writes `bytes` to `path` atomically. With `keep_backup`, the file that was there is first copied to
/// [`backup_path`].
pub fn write(path: &Path, bytes: &[u8], keep_backup: bool) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&dir)?;
    let file_name = path
        .file_name()
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "no file name"))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(file_name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = dir.join(tmp_name);

    let result = (|| {
        {
            // Closed at the end of this block, before the rename (Windows cannot rename an open file).
            let mut f = fs::File::create(&tmp)?;
            f.write_all(bytes)?;
            f.sync_all()?;
        }
        if keep_backup && path.exists() {
            // The backup is written atomically too, so it is always a whole earlier version.
            let bak = backup_path(path);
            let mut bak_tmp = bak.clone().into_os_string();
            bak_tmp.push(".tmp");
            fs::copy(path, &bak_tmp)?;
            fs::rename(&bak_tmp, &bak)?;
        }
        fs::rename(&tmp, path)?;
        // Make the rename itself durable where the platform allows syncing a directory.
        if let Ok(d) = fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}
