//! Recent readings cached on disk with the time they were fetched, so with no network the app and the command
//! line still have a value and can say how old it is. One file per provider and zone in the user cache directory.

use super::Reading;
use crate::model::ProviderKind;
use std::path::{Path, PathBuf};

/// A cache directory of readings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// The platform cache directory for Trainprint (`~/.cache/trainprint/live` on Linux), if there is one.
    pub fn user() -> Option<Self> {
        directories::ProjectDirs::from("org", "Trainprint", "Trainprint").map(|d| Cache {
            dir: d.cache_dir().join("live"),
        })
    }

    /// A cache in an explicit directory.
    pub fn at(dir: impl Into<PathBuf>) -> Self {
        Cache { dir: dir.into() }
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, provider: ProviderKind, zone: &str) -> PathBuf {
        let safe: String = zone
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        self.dir.join(format!("{}-{safe}.json", provider.key()))
    }

    /// Stores a reading (atomically; a failure to cache is not an error for the caller to act on).
    pub fn store(&self, reading: &Reading) -> std::io::Result<()> {
        let text = serde_json::to_string_pretty(reading).map_err(std::io::Error::other)?;
        crate::persist::atomic::write(
            &self.path(reading.provider, &reading.zone),
            text.as_bytes(),
            false,
        )
    }

    /// The cached reading of a zone, if any (an unreadable cache file counts as none).
    pub fn load(&self, provider: ProviderKind, zone: &str) -> Option<Reading> {
        let path = self.path(provider, zone);
        let text = crate::persist::ron_file::read_limited(&path, super::http::MAX_BODY).ok()?;
        serde_json::from_str(&text).ok()
    }
}
