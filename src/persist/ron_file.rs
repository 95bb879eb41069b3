//! Shared pieces of the versioned RON formats: size-limited reading, the `format`/`version` header, strict
//! parsing with line and column, and pretty writing.

use super::error::{FileError, FileErrorKind};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::io::Read;
use std::path::Path;

/// The largest workspace or catalogue file Trainprint reads (real files are a few hundred kB at most).
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Reads a UTF-8 file, refusing files over `limit` bytes before reading them whole.
pub fn read_limited(path: &Path, limit: u64) -> Result<String, FileError> {
    let file = std::fs::File::open(path).map_err(|e| FileError::new(path, e))?;
    let size = file.metadata().map_err(|e| FileError::new(path, e))?.len();
    if size > limit {
        return Err(FileError::new(
            path,
            FileErrorKind::TooLarge { size, limit },
        ));
    }
    let mut text = String::new();
    // `take` guards against a file that grows while it is read.
    file.take(limit + 1)
        .read_to_string(&mut text)
        .map_err(|e| FileError::new(path, e))?;
    if text.len() as u64 > limit {
        return Err(FileError::new(
            path,
            FileErrorKind::TooLarge {
                size: text.len() as u64,
                limit,
            },
        ));
    }
    Ok(text)
}

/// The RON options of every Trainprint file: `Some(x)` may be written as plain `x`.
fn options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

#[derive(serde::Deserialize)]
struct Header {
    format: String,
    version: u32,
}

/// Reads the `format` and `version` fields of a file and checks the format; returns the version.
pub fn header(
    text: &str,
    path: &Path,
    expected: &'static str,
    newest: u32,
) -> Result<u32, FileError> {
    let h: Header = options()
        .from_str(text)
        .map_err(|e| FileError::new(path, FileErrorKind::from(e)))?;
    if h.format != expected {
        return Err(FileError::new(
            path,
            FileErrorKind::WrongFormat {
                expected,
                found: h.format,
            },
        ));
    }
    if h.version > newest {
        return Err(FileError::new(
            path,
            FileErrorKind::NewerVersion {
                found: h.version,
                supported: newest,
            },
        ));
    }
    if h.version == 0 {
        return Err(FileError::new(path, FileErrorKind::UnknownVersion(0)));
    }
    Ok(h.version)
}

/// Parses a whole file strictly (unknown fields are errors) into `T`.
pub fn parse<T: DeserializeOwned>(text: &str, path: &Path) -> Result<T, FileError> {
    options()
        .from_str(text)
        .map_err(|e| FileError::new(path, FileErrorKind::from(e)))
}

/// Pretty RON text of a value, ending in a newline.
pub fn to_text<T: Serialize>(value: &T) -> Result<String, ron::Error> {
    let config = ron::ser::PrettyConfig::new()
        .depth_limit(6)
        .indentor("  ".to_owned())
        .struct_names(false)
        .separate_tuple_members(false)
        .extensions(ron::extensions::Extensions::IMPLICIT_SOME);
    let mut s = ron::ser::to_string_pretty(value, config)?;
    s.push('\n');
    Ok(s)
}
