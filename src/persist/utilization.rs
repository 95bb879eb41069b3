//! The utilisation table format (`format: "trainprint-utilization"`), versioned and strict: the rule's fitted
//! parameters and the table's entries, each with its sources. The built-in file is `presets/utilization.ron`.

use super::error::{FileError, FileErrorKind};
use super::ron_file;
use crate::model::catalogue::utilization_issues;
use crate::model::utilization::{Caps, Factor, Generation, Level};
use crate::model::{UtilizationEntry, UtilizationRule, UtilizationTable};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::Path;

/// The `format` field of utilisation files.
pub const FORMAT: &str = "trainprint-utilization";
/// The newest utilisation format version this build reads.
pub const VERSION: u32 = 1;

/// The utilisation file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UtilizationFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// 1.
    pub version: u32,
    /// The method in words.
    pub method: String,
    /// Ceilings of the rule.
    pub caps: Caps,
    /// Per-workload levels.
    pub levels: Vec<Level>,
    /// Per-workload factors.
    pub factors: Vec<Factor>,
    /// Architecture generations.
    pub generations: Vec<Generation>,
    /// The entries.
    pub entries: Vec<UtilizationEntry>,
}

fn invalid(path: &Path, msg: String) -> FileError {
    FileError::new(path, FileErrorKind::InvalidValue(msg))
}

/// Parses utilisation text (`path` names it in errors) and validates it: every entry and every parameter of the
/// rule in range, no entry twice, every `Like` naming a generation.
pub fn parse(text: &str, path: &Path) -> Result<UtilizationTable, FileError> {
    let version = ron_file::header(text, path, FORMAT, VERSION)?;
    let file: UtilizationFile = match version {
        1 => ron_file::parse(text, path)?,
        v => return Err(FileError::new(path, FileErrorKind::UnknownVersion(v))),
    };
    let mut issues = Vec::new();
    let mut seen = HashSet::new();
    for e in &file.entries {
        utilization_issues(e, &mut issues);
        if !seen.insert((e.accelerator.as_str(), e.precision, e.workload)) {
            return Err(invalid(
                path,
                format!(
                    "utilization entry '{} {} {}' appears more than once",
                    e.accelerator, e.precision, e.workload
                ),
            ));
        }
    }
    if !issues.is_empty() {
        return Err(FileError::new(path, FileErrorKind::Invalid(issues)));
    }
    let positive = |what: String, v: f64| {
        if v.is_finite() && v > 0.0 {
            Ok(())
        } else {
            Err(invalid(
                path,
                format!("{what} must be a positive number, got {v}"),
            ))
        }
    };
    positive("caps.tensor".into(), file.caps.tensor)?;
    positive("caps.vector".into(), file.caps.vector)?;
    for l in &file.levels {
        positive(format!("level {} value", l.workload), l.value)?;
        positive(format!("level {} low", l.workload), l.low)?;
        positive(format!("level {} high", l.workload), l.high)?;
    }
    for f in &file.factors {
        positive(
            format!("factor {} for {}", f.factor.as_str(), f.workload),
            f.value,
        )?;
    }
    for g in &file.generations {
        match &g.factor {
            crate::model::utilization::GenerationFactor::Like(id)
                if !file.generations.iter().any(|o| o.id == *id) =>
            {
                return Err(invalid(
                    path,
                    format!(
                        "generation '{}' is like '{id}', which is not a generation",
                        g.id
                    ),
                ));
            }
            crate::model::utilization::GenerationFactor::Constant(x) => {
                positive(format!("generation {} factor", g.id), *x)?
            }
            _ => {}
        }
    }
    let rule = UtilizationRule {
        method: file.method,
        caps: file.caps,
        levels: file.levels,
        factors: file.factors,
        generations: file.generations,
    };
    Ok(UtilizationTable::new(rule, file.entries))
}
