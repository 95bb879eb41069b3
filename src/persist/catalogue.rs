//! The catalogue file format (`format: "trainprint-catalogue"`), versioned and strict: load, validate, save.

use super::error::{FileError, FileErrorKind};
use super::ron_file;
use crate::model::{Accelerator, Catalogue, Region};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The `format` field of catalogue files.
pub const FORMAT: &str = "trainprint-catalogue";
/// The newest catalogue format version this build reads and writes.
pub const VERSION: u32 = 3;

/// The catalogue file. Versions 1 to 3 share this layout, each adding only optional fields, so every older file
/// reads as it is: version 2 added the live-intensity fields of regions (`live_zone`, `live`); version 3 added the
/// years of a region's WUE, carbon-free-energy share and electricity price (`wue_year`, `cfe_year`, `price_year`,
/// required with their values from version 3 on) and an accelerator's `checked_year`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueFileLayout {
    /// Always [`FORMAT`].
    pub format: String,
    /// 1, 2 or 3.
    pub version: u32,
    /// The one grid-intensity basis every region's intensity uses.
    pub intensity_basis: String,
    /// Accelerators.
    pub accelerators: Vec<Accelerator>,
    /// Regions.
    pub regions: Vec<Region>,
}

/// A loaded catalogue file.
#[derive(Clone, Debug, PartialEq)]
pub struct CatalogueFile {
    /// The intensity basis the file declares.
    pub intensity_basis: String,
    /// The catalogue.
    pub catalogue: Catalogue,
}

/// Parses catalogue text (`path` names it in errors) and validates every entry: duplicate ids, empty sources and
/// numbers that are not finite and positive are errors.
pub fn parse(text: &str, path: &Path) -> Result<CatalogueFile, FileError> {
    let version = ron_file::header(text, path, FORMAT, VERSION)?;
    let file: CatalogueFileLayout = match version {
        1..=3 => ron_file::parse(text, path)?,
        v => return Err(FileError::new(path, FileErrorKind::UnknownVersion(v))),
    };
    // Validate the entries as written (before duplicates collapse into one).
    let mut issues = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for a in &file.accelerators {
        if !seen.insert(a.id.as_str()) {
            issues.push(duplicate("accelerator", &a.id));
        }
        crate::model::catalogue::accelerator_issues(a, &mut issues);
    }
    seen.clear();
    for r in &file.regions {
        if !seen.insert(r.id.as_str()) {
            issues.push(duplicate("region", &r.id));
        }
        crate::model::catalogue::region_issues(r, &mut issues);
        if version >= 3 {
            crate::model::catalogue::region_year_issues(r, &mut issues);
        }
    }
    if version < 3 {
        let with_v3_fields =
            |r: &Region| r.wue_year.is_some() || r.cfe_year.is_some() || r.price_year.is_some();
        if let Some(r) = file.regions.iter().find(|r| with_v3_fields(r)) {
            return Err(FileError::new(
                path,
                FileErrorKind::InvalidValue(format!(
                    "region '{}' has years of its WUE, CFE share or price, which need catalogue version 3 (this file says {version})",
                    r.id
                )),
            ));
        }
        if let Some(a) = file.accelerators.iter().find(|a| a.checked_year.is_some()) {
            return Err(FileError::new(
                path,
                FileErrorKind::InvalidValue(format!(
                    "accelerator '{}' has a checked_year, which needs catalogue version 3 (this file says {version})",
                    a.id
                )),
            ));
        }
    }
    let catalogue = Catalogue::new(file.accelerators, file.regions);
    if file.intensity_basis.trim().is_empty() {
        return Err(FileError::new(
            path,
            FileErrorKind::InvalidValue("intensity_basis must not be empty".into()),
        ));
    }
    if !issues.is_empty() {
        return Err(FileError::new(path, FileErrorKind::Invalid(issues)));
    }
    Ok(CatalogueFile {
        intensity_basis: file.intensity_basis,
        catalogue,
    })
}

fn duplicate(kind: &'static str, id: &str) -> crate::model::CatalogueIssue {
    crate::model::CatalogueIssue {
        kind,
        id: id.to_owned(),
        field: "id".into(),
        problem: "appears more than once".into(),
    }
}

/// Loads and validates a catalogue file.
pub fn load(path: &Path) -> Result<CatalogueFile, FileError> {
    let text = ron_file::read_limited(path, ron_file::MAX_FILE_BYTES)?;
    parse(&text, path)
}

/// The RON text of a catalogue in the current format.
pub fn to_text(intensity_basis: &str, catalogue: &Catalogue) -> Result<String, ron::Error> {
    ron_file::to_text(&CatalogueFileLayout {
        format: FORMAT.into(),
        version: VERSION,
        intensity_basis: intensity_basis.into(),
        accelerators: catalogue.accelerators().to_vec(),
        regions: catalogue.regions().to_vec(),
    })
}

/// Saves a catalogue atomically.
pub fn save(path: &Path, intensity_basis: &str, catalogue: &Catalogue) -> Result<(), FileError> {
    let text = to_text(intensity_basis, catalogue)
        .map_err(|e| FileError::new(path, FileErrorKind::InvalidValue(e.to_string())))?;
    super::atomic::write(path, text.as_bytes(), false).map_err(|e| FileError::new(path, e))
}
