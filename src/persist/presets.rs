//! The built-in presets, embedded in the binary: the catalogue of accelerators and regions, the utilisation
//! table, and the example workspaces.

use super::error::FileError;
use super::{catalogue, utilization, workspace};
use crate::model::{Catalogue, UtilizationTable, Workspace};
use std::path::Path;

/// The embedded catalogue file.
pub const CATALOGUE_RON: &str = include_str!("../../presets/catalogue.ron");

/// The embedded utilisation table (written by `tools/utilization/fit.py`).
pub const UTILIZATION_RON: &str = include_str!("../../presets/utilization.ron");

/// An embedded example workspace.
#[derive(Clone, Copy, Debug)]
pub struct Example {
    /// Short stable key (`a100-vs-h100`).
    pub key: &'static str,
    /// Menu title.
    pub title: &'static str,
    /// The RON text.
    pub text: &'static str,
}

/// An example workspace embedded from `presets/examples/KEY.ron` (the file is named by its key).
macro_rules! example {
    ($key:literal, $title:literal) => {
        Example {
            key: $key,
            title: $title,
            text: include_str!(concat!("../../presets/examples/", $key, ".ron")),
        }
    };
}

/// The example workspaces, in menu order. The first is what a new user sees.
pub const EXAMPLES: [Example; 4] = [
    example!("a100-vs-h100", "A100 vs H100"),
    example!("virginia-vs-quebec", "Virginia vs Quebec"),
    example!("fp32-vs-mixed-precision", "FP32 vs mixed precision"),
    example!("llama-65b", "LLaMA-65B as published"),
];

/// The built-in catalogue file, parsed and validated.
pub fn catalogue_file() -> Result<catalogue::CatalogueFile, FileError> {
    catalogue::parse(CATALOGUE_RON, Path::new("<built-in presets/catalogue.ron>"))
}

/// The built-in utilisation table, parsed and validated.
pub fn utilization() -> Result<UtilizationTable, FileError> {
    utilization::parse(
        UTILIZATION_RON,
        Path::new("<built-in presets/utilization.ron>"),
    )
}

/// The built-in catalogue, with the built-in utilisation table.
pub fn catalogue() -> Result<Catalogue, FileError> {
    let table = utilization()?;
    catalogue_file().map(|f| f.catalogue.with_utilization(table))
}

/// An example workspace by key.
pub fn example(key: &str) -> Option<Result<Workspace, FileError>> {
    EXAMPLES
        .iter()
        .find(|e| e.key == key)
        .map(example_workspace)
}

/// Parses one embedded example.
pub fn example_workspace(e: &Example) -> Result<Workspace, FileError> {
    let name = format!("<built-in presets/examples/{}.ron>", e.key);
    workspace::parse(e.text, Path::new(&name))
}
