//! The workspace file format (`format: "trainprint-workspace"`), versioned and strict: load, validate, save.

use super::error::{FileError, FileErrorKind};
use super::ron_file;
use crate::model::validate::validate_plan;
use crate::model::{
    Catalogue, CatalogueEdits, Duration, MAX_MEASURED, MeasuredEntry, Sweep, TrainingPlan,
    Workspace,
};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The `format` field of workspace files.
pub const FORMAT: &str = "trainprint-workspace";
/// The newest workspace format version this build reads and writes.
pub const VERSION: u32 = 5;

/// The workspace file. Versions 1 to 5 share this layout, each adding only optional fields, so every older file
/// reads as it is: version 2 added the live-intensity fields of regions in the catalogue edits (`live_zone`,
/// `live`); version 3 added the uncertainty `ranges` of plans; version 4 made a compute-based plan's `mfu`
/// optional (none: the utilisation table's value) and added its `workload`, the measured-throughput duration
/// (`Throughput`) and the workspace's own utilisation entries (`catalogue.utilization`); version 5 added the
/// measured runs (`measured`), each with the plan and grid it is compared with, and the kept `sweeps`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkspaceFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// 1 to 5.
    pub version: u32,
    /// Title of the comparison.
    pub name: String,
    /// What it is about.
    #[serde(default)]
    pub description: String,
    /// Index of the baseline plan.
    #[serde(default)]
    pub baseline: usize,
    /// The plans.
    pub plans: Vec<TrainingPlan>,
    /// Edits to the built-in catalogue.
    #[serde(default)]
    pub catalogue: CatalogueEdits,
    /// Sweeps kept with the workspace (version 5).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sweeps: Vec<Sweep>,
    /// Measured runs beside the plans (version 5).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub measured: Vec<MeasuredEntry>,
}

/// Parses workspace text (`path` names it in errors) and validates it: the baseline must name a plan, every plan's
/// own numbers must be valid, and catalogue edits must be valid entries. Ids a plan refers to are checked later,
/// against the catalogue, and shown on the plan.
pub fn parse(text: &str, path: &Path) -> Result<Workspace, FileError> {
    let version = ron_file::header(text, path, FORMAT, VERSION)?;
    let file: WorkspaceFile = match version {
        1..=5 => ron_file::parse(text, path)?,
        v => return Err(FileError::new(path, FileErrorKind::UnknownVersion(v))),
    };
    let invalid = |msg: String| FileError::new(path, FileErrorKind::InvalidValue(msg));
    if version < 3
        && let Some(plan) = file.plans.iter().find(|p| !p.ranges.is_empty())
    {
        return Err(invalid(format!(
            "plan '{}' has uncertainty ranges, which need workspace version 3 (this file says {version})",
            plan.name
        )));
    }
    if version < 4 {
        if let Some(plan) = file.plans.iter().find(|p| uses_version_4(p)) {
            return Err(invalid(format!(
                "plan '{}' uses an id, a workload, a default MFU or a measured throughput, which need workspace version 4 \
                 (this file says {version})",
                plan.name
            )));
        }
        if !file.catalogue.utilization.is_empty() {
            return Err(invalid(format!(
                "the catalogue edits hold utilisation entries, which need workspace version 4 (this file says {version})"
            )));
        }
    }
    if version < 5 && !file.sweeps.is_empty() {
        return Err(invalid(format!(
            "the workspace holds sweeps, which need workspace version 5 (this file says {version})"
        )));
    }
    for (k, s) in file.sweeps.iter().enumerate() {
        crate::model::sweep::validate(&s.over)
            .map_err(|e| invalid(format!("sweep {}: {e}", k + 1)))?;
    }
    if version < 5 && !file.measured.is_empty() {
        return Err(invalid(format!(
            "the workspace holds measured runs, which need workspace version 5 (this file says {version})"
        )));
    }
    if file.measured.len() > MAX_MEASURED {
        return Err(invalid(format!(
            "the workspace holds {} measured runs; at most {MAX_MEASURED} are read",
            file.measured.len()
        )));
    }
    for (i, m) in file.measured.iter().enumerate() {
        m.validate()
            .map_err(|e| invalid(format!("measured run {} ('{}'): {e}", i + 1, m.run.run_id)))?;
    }
    if !file.plans.is_empty() && file.baseline >= file.plans.len() {
        return Err(invalid(format!(
            "baseline {} names no plan (there are {} plans, numbered from 0)",
            file.baseline,
            file.plans.len()
        )));
    }
    for (i, plan) in file.plans.iter().enumerate() {
        validate_plan(plan)
            .map_err(|e| invalid(format!("plan {} ('{}'): {e}", i + 1, plan.name)))?;
    }
    let mut issues = Vec::new();
    for a in &file.catalogue.accelerators {
        crate::model::catalogue::accelerator_issues(a, &mut issues);
    }
    for r in &file.catalogue.regions {
        crate::model::catalogue::region_issues(r, &mut issues);
    }
    for u in &file.catalogue.utilization {
        crate::model::catalogue::utilization_issues(u, &mut issues);
    }
    if !issues.is_empty() {
        return Err(FileError::new(path, FileErrorKind::Invalid(issues)));
    }
    let mut ws = Workspace {
        name: file.name,
        description: file.description,
        plans: file.plans,
        baseline: file.baseline,
        catalogue: file.catalogue,
        sweeps: file.sweeps,
        measured: file.measured,
    };
    ws.rename_old_region_ids();
    ws.number_plans();
    Ok(ws)
}

/// True for a plan that needs version 4: a compute-based plan without an MFU or with a workload other than the
/// default, or a measured-throughput duration. (A version-1 to -3 `Compute` always had an MFU and no workload.)
fn uses_version_4(p: &TrainingPlan) -> bool {
    if !p.id.is_unset() {
        return true;
    }
    match p.duration {
        Duration::Compute { mfu, workload, .. } => {
            mfu.is_none() || workload != crate::model::Workload::default()
        }
        Duration::Throughput { .. } => true,
        Duration::WallHours(_) | Duration::AcceleratorHours(_) => false,
    }
}

/// Loads and validates a workspace file.
pub fn load(path: &Path) -> Result<Workspace, FileError> {
    let text = ron_file::read_limited(path, ron_file::MAX_FILE_BYTES)?;
    parse(&text, path)
}

/// The RON text of a workspace in the current format.
pub fn to_text(ws: &Workspace) -> Result<String, ron::Error> {
    ron_file::to_text(&WorkspaceFile {
        format: FORMAT.into(),
        version: VERSION,
        name: ws.name.clone(),
        description: ws.description.clone(),
        baseline: ws.baseline_index(),
        plans: ws.plans.clone(),
        catalogue: ws.catalogue.clone(),
        sweeps: ws.sweeps.clone(),
        measured: ws.measured.clone(),
    })
}

/// Saves a workspace atomically; with `keep_backup` the previous file is kept as `NAME.bak`.
pub fn save(path: &Path, ws: &Workspace, keep_backup: bool) -> Result<(), FileError> {
    let text = to_text(ws)
        .map_err(|e| FileError::new(path, FileErrorKind::InvalidValue(e.to_string())))?;
    super::atomic::write(path, text.as_bytes(), keep_backup).map_err(|e| FileError::new(path, e))
}

/// The effective catalogue of a workspace: the built-in presets with the workspace's edits applied.
pub fn effective_catalogue(presets: &Catalogue, ws: &Workspace) -> Catalogue {
    presets.with_edits(&ws.catalogue)
}
