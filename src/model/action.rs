//! Every change a user can make to a workspace, as data, and the one `apply` that makes it. Panels emit
//! [`Action`]s; the app applies them (with undo); tests apply them without a window.

use super::catalogue::utilization_issues;
use super::catalogue::{Catalogue, CatalogueIssue, accelerator_issues, id_problem, region_issues};
use super::measured::{MAX_MEASURED, MeasuredEntry, MeasuredInvalid};
use super::plan::{PlanId, TrainingPlan};
use super::sweep::{Sweep, SweepInvalid, validate as validate_sweep};
use super::utilization::{UtilizationEntry, Workload};
use super::validate::{Invalid, validate_plan};
use super::workspace::Workspace;
use super::{Accelerator, LiveIntensity, Precision, Region};

/// The most plans a workspace holds.
pub const MAX_PLANS: usize = 64;

/// One change to the workspace.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Replace plan `index` with an edited copy (every plan-field edit).
    EditPlan {
        /// Which plan.
        index: usize,
        /// The plan after the edit.
        plan: Box<TrainingPlan>,
    },
    /// Append a plan.
    AddPlan(Box<TrainingPlan>),
    /// Insert a copy of plan `index` right after it.
    DuplicatePlan(usize),
    /// Remove plan `index`.
    RemovePlan(usize),
    /// Move plan `from` to position `to`.
    MovePlan {
        /// Current position.
        from: usize,
        /// New position.
        to: usize,
    },
    /// Make plan `index` the baseline.
    SetBaseline(usize),
    /// Rename the workspace.
    SetTitle(String),
    /// Add an accelerator, or replace the one with id `replaces` (which may differ when the id was edited: plans
    /// using the old id follow the new one).
    UpsertAccelerator {
        /// The id being replaced, if any.
        replaces: Option<String>,
        /// The entry.
        accelerator: Box<Accelerator>,
    },
    /// Delete an accelerator from the catalogue.
    RemoveAccelerator(String),
    /// Add a region, or replace the one with id `replaces`.
    UpsertRegion {
        /// The id being replaced, if any.
        replaces: Option<String>,
        /// The entry.
        region: Box<Region>,
    },
    /// Delete a region from the catalogue.
    RemoveRegion(String),
    /// Set a region's live intensity reading, or with `None` restore its catalogue value.
    SetLive {
        /// The region id.
        region: String,
        /// The reading.
        live: Option<Box<LiveIntensity>>,
    },
    /// Set the workspace's own utilisation entry for an accelerator, precision and workload (an entry equal to
    /// the built-in one drops the override).
    SetUtilization(Box<UtilizationEntry>),
    /// Drop the workspace's own utilisation entry for a cell: back to the built-in value (or the rule's).
    ResetUtilization {
        /// Accelerator id.
        accelerator: String,
        /// Precision.
        precision: Precision,
        /// Workload class.
        workload: Workload,
    },
    /// Drop every catalogue edit: back to the built-in presets.
    ResetCatalogue,
    /// Replace the whole workspace (New, Open, an example).
    Replace(Box<Workspace>),
    /// Keep a sweep in the workspace: it replaces the sweep of the same plan over the same input, else it is
    /// added.
    SetSweep(Box<Sweep>),
    /// Remove sweep `index`.
    RemoveSweep(usize),
    /// Add measured runs (every run of one imported file, as one step).
    AddMeasured(Vec<MeasuredEntry>),
    /// Replace measured run `index` with an edited copy (the plan it is compared with, the grid given, the
    /// tokens or samples processed).
    EditMeasured {
        /// Which measured run.
        index: usize,
        /// The entry after the edit.
        entry: Box<MeasuredEntry>,
    },
    /// Remove measured run `index`.
    RemoveMeasured(usize),
    /// Carry a measured run back into plan `index`: the plan as `engine::actual::carry_back` edited it (its own
    /// undo step, never merged with typing in the plan).
    CarryBack {
        /// Which plan.
        index: usize,
        /// The plan after the carry-back.
        plan: Box<TrainingPlan>,
    },
}

/// Why an action was refused; the workspace is then unchanged.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ActionError {
    /// The edited plan is invalid.
    #[error("plan '{name}': {error}")]
    InvalidPlan {
        /// The plan's name.
        name: String,
        /// What is wrong.
        error: Invalid,
    },
    /// A catalogue entry is invalid.
    #[error("{}", .0.first().map(|i| i.to_string()).unwrap_or_default())]
    InvalidEntry(Vec<CatalogueIssue>),
    /// An id is already taken.
    #[error("id '{0}' is already in the catalogue")]
    DuplicateId(String),
    /// An index names no plan.
    #[error("there is no plan {0}")]
    NoSuchPlan(usize),
    /// An id names no entry.
    #[error("'{0}' is not in the catalogue")]
    NoSuchEntry(String),
    /// The last plan cannot be removed.
    #[error("a workspace keeps at least one plan")]
    LastPlan,
    /// Too many plans.
    #[error("a workspace holds at most {MAX_PLANS} plans")]
    TooManyPlans,
    /// A sweep is invalid.
    #[error("sweep: {0}")]
    InvalidSweep(#[from] SweepInvalid),
    /// An index names no sweep.
    #[error("there is no sweep {0}")]
    NoSuchSweep(usize),
    /// A measured run is unusable.
    #[error("measured run: {0}")]
    InvalidMeasured(#[from] MeasuredInvalid),
    /// An index names no measured run.
    #[error("there is no measured run {0}")]
    NoSuchMeasured(usize),
    /// Too many measured runs.
    #[error("a workspace holds at most {MAX_MEASURED} measured runs")]
    TooManyMeasured,
}

impl Action {
    /// Actions with the same key, one right after another, merge into one undo step (typing in one field).
    pub fn coalesce_key(&self) -> Option<String> {
        match self {
            Action::EditPlan { index, .. } => Some(format!("plan:{index}")),
            Action::SetTitle(_) => Some("title".into()),
            Action::EditMeasured { index, .. } => Some(format!("measured:{index}")),
            Action::UpsertAccelerator {
                replaces: Some(id), ..
            } => Some(format!("acc:{id}")),
            Action::UpsertRegion {
                replaces: Some(id), ..
            } => Some(format!("reg:{id}")),
            Action::SetUtilization(e) => Some(format!(
                "mfu:{}:{}:{}",
                e.accelerator, e.precision, e.workload
            )),
            _ => None,
        }
    }

    /// A short description for the Undo/Redo menu items.
    pub fn label(&self) -> String {
        match self {
            Action::EditPlan { plan, .. } => format!("edit plan '{}'", plan.name),
            Action::AddPlan(_) => "add plan".into(),
            Action::DuplicatePlan(_) => "duplicate plan".into(),
            Action::RemovePlan(_) => "remove plan".into(),
            Action::MovePlan { .. } => "move plan".into(),
            Action::SetBaseline(_) => "set baseline".into(),
            Action::SetTitle(_) => "rename workspace".into(),
            Action::UpsertAccelerator { accelerator, .. } => {
                format!("edit accelerator '{}'", accelerator.id)
            }
            Action::RemoveAccelerator(id) => format!("delete accelerator '{id}'"),
            Action::UpsertRegion { region, .. } => format!("edit region '{}'", region.id),
            Action::RemoveRegion(id) => format!("delete region '{id}'"),
            Action::SetLive {
                region,
                live: Some(_),
            } => format!("live intensity for '{region}'"),
            Action::SetLive { region, live: None } => {
                format!("restore catalogue intensity for '{region}'")
            }
            Action::SetUtilization(e) => format!(
                "edit utilisation of '{}' at {} for {}",
                e.accelerator,
                e.precision.label(),
                e.workload
            ),
            Action::ResetUtilization {
                accelerator,
                precision,
                workload,
            } => format!(
                "reset utilisation of '{accelerator}' at {} for {workload}",
                precision.label()
            ),
            Action::ResetCatalogue => "reset catalogue".into(),
            Action::Replace(ws) => format!("open '{}'", ws.name),
            Action::SetSweep(s) => format!("sweep over {}", s.over.kind()),
            Action::RemoveSweep(_) => "remove sweep".into(),
            Action::AddMeasured(runs) if runs.len() == 1 => "import measured run".into(),
            Action::AddMeasured(runs) => format!("import {} measured runs", runs.len()),
            Action::EditMeasured { .. } => "edit measured run".into(),
            Action::RemoveMeasured(_) => "remove measured run".into(),
            Action::CarryBack { plan, .. } => {
                format!("carry measured run into plan '{}'", plan.name)
            }
        }
    }
}

/// Applies one action. On error the workspace is unchanged. `presets` is the built-in catalogue the
/// workspace's edits apply to.
pub fn apply(ws: &mut Workspace, presets: &Catalogue, action: Action) -> Result<(), ActionError> {
    let n = ws.plans.len();
    let check = |i: usize| {
        if i < n {
            Ok(())
        } else {
            Err(ActionError::NoSuchPlan(i))
        }
    };
    match action {
        Action::EditPlan { index, plan } | Action::CarryBack { index, plan } => {
            check(index)?;
            validate_plan(&plan).map_err(|error| ActionError::InvalidPlan {
                name: plan.name.clone(),
                error,
            })?;
            let mut plan = *plan;
            // An edit never changes which plan it is.
            plan.id = ws.plans[index].id;
            ws.plans[index] = plan;
        }
        Action::AddPlan(plan) => {
            if n >= MAX_PLANS {
                return Err(ActionError::TooManyPlans);
            }
            validate_plan(&plan).map_err(|error| ActionError::InvalidPlan {
                name: plan.name.clone(),
                error,
            })?;
            let mut plan = *plan;
            plan.id = PlanId::UNSET;
            ws.plans.push(plan);
            ws.number_plans();
        }
        Action::DuplicatePlan(i) => {
            check(i)?;
            if n >= MAX_PLANS {
                return Err(ActionError::TooManyPlans);
            }
            let mut copy = ws.plans[i].clone();
            copy.name = unique_name(&ws.plans, &copy.name);
            copy.id = PlanId::UNSET;
            ws.plans.insert(i + 1, copy);
            ws.number_plans();
            if ws.baseline > i {
                ws.baseline += 1;
            }
        }
        Action::RemovePlan(i) => {
            check(i)?;
            if n == 1 {
                return Err(ActionError::LastPlan);
            }
            let gone = ws.plans.remove(i).id;
            // A sweep of the removed plan goes with it.
            ws.sweeps.retain(|s| s.plan != gone);
            // A measured run compared with the removed plan is compared with nothing (a later plan may reuse the id).
            for m in &mut ws.measured {
                if m.against == Some(gone) {
                    m.against = None;
                }
            }
            if ws.baseline > i || ws.baseline >= ws.plans.len() {
                ws.baseline = ws.baseline.saturating_sub(1);
            }
        }
        Action::MovePlan { from, to } => {
            check(from)?;
            check(to)?;
            let plan = ws.plans.remove(from);
            ws.plans.insert(to, plan);
            // The baseline follows its plan.
            ws.baseline = if ws.baseline == from {
                to
            } else if from < ws.baseline && ws.baseline <= to {
                ws.baseline - 1
            } else if to <= ws.baseline && ws.baseline < from {
                ws.baseline + 1
            } else {
                ws.baseline
            };
        }
        Action::SetBaseline(i) => {
            check(i)?;
            ws.baseline = i;
        }
        Action::SetTitle(t) => ws.name = t,
        Action::UpsertAccelerator {
            replaces,
            accelerator,
        } => {
            let mut issues = Vec::new();
            accelerator_issues(&accelerator, &mut issues);
            if !issues.is_empty() {
                return Err(ActionError::InvalidEntry(issues));
            }
            let mut cat = presets.with_edits(&ws.catalogue);
            let new_id = accelerator.id.clone();
            match &replaces {
                Some(old) if cat.accelerator(old).is_none() => {
                    return Err(ActionError::NoSuchEntry(old.clone()));
                }
                Some(old) if *old != new_id => {
                    if cat.accelerator(&new_id).is_some() {
                        return Err(ActionError::DuplicateId(new_id));
                    }
                    cat.remove_accelerator(old);
                    cat.utilization_mut().rename_accelerator(old, &new_id);
                    for p in &mut ws.plans {
                        if p.accelerator == *old {
                            p.accelerator = new_id.clone();
                        }
                    }
                }
                None if cat.accelerator(&new_id).is_some() => {
                    return Err(ActionError::DuplicateId(new_id));
                }
                _ => {}
            }
            cat.upsert_accelerator(*accelerator);
            ws.catalogue = cat.edits_from(presets);
        }
        Action::RemoveAccelerator(id) => {
            let mut cat = presets.with_edits(&ws.catalogue);
            cat.remove_accelerator(&id)
                .ok_or_else(|| ActionError::NoSuchEntry(id.clone()))?;
            cat.utilization_mut().remove_accelerator(&id);
            ws.catalogue = cat.edits_from(presets);
        }
        Action::UpsertRegion { replaces, region } => {
            let mut issues = Vec::new();
            region_issues(&region, &mut issues);
            if !issues.is_empty() {
                return Err(ActionError::InvalidEntry(issues));
            }
            let mut cat = presets.with_edits(&ws.catalogue);
            let new_id = region.id.clone();
            match &replaces {
                Some(old) if cat.region(old).is_none() => {
                    return Err(ActionError::NoSuchEntry(old.clone()));
                }
                Some(old) if *old != new_id => {
                    if cat.region(&new_id).is_some() {
                        return Err(ActionError::DuplicateId(new_id));
                    }
                    cat.remove_region(old);
                    for p in &mut ws.plans {
                        if p.region.as_deref() == Some(old.as_str()) {
                            p.region = Some(new_id.clone());
                        }
                    }
                }
                None if cat.region(&new_id).is_some() => {
                    return Err(ActionError::DuplicateId(new_id));
                }
                _ => {}
            }
            cat.upsert_region(*region);
            ws.catalogue = cat.edits_from(presets);
        }
        Action::RemoveRegion(id) => {
            let mut cat = presets.with_edits(&ws.catalogue);
            cat.remove_region(&id)
                .ok_or_else(|| ActionError::NoSuchEntry(id.clone()))?;
            ws.catalogue = cat.edits_from(presets);
        }
        Action::SetLive { region, live } => {
            let mut cat = presets.with_edits(&ws.catalogue);
            let mut r = cat
                .region(&region)
                .cloned()
                .ok_or_else(|| ActionError::NoSuchEntry(region.clone()))?;
            r.live = live.map(|l| *l);
            let mut issues = Vec::new();
            region_issues(&r, &mut issues);
            if !issues.is_empty() {
                return Err(ActionError::InvalidEntry(issues));
            }
            cat.upsert_region(r);
            ws.catalogue = cat.edits_from(presets);
        }
        Action::SetUtilization(entry) => {
            let mut issues = Vec::new();
            utilization_issues(&entry, &mut issues);
            if !issues.is_empty() {
                return Err(ActionError::InvalidEntry(issues));
            }
            let mut cat = presets.with_edits(&ws.catalogue);
            if cat.accelerator(&entry.accelerator).is_none() {
                return Err(ActionError::NoSuchEntry(entry.accelerator.clone()));
            }
            cat.utilization_mut().upsert_override(*entry);
            ws.catalogue = cat.edits_from(presets);
        }
        Action::ResetUtilization {
            accelerator,
            precision,
            workload,
        } => {
            let mut cat = presets.with_edits(&ws.catalogue);
            cat.utilization_mut()
                .remove_override(&accelerator, precision, workload);
            ws.catalogue = cat.edits_from(presets);
        }
        Action::ResetCatalogue => ws.catalogue = Default::default(),
        Action::Replace(new) => {
            *ws = *new;
            ws.number_plans();
        }
        Action::SetSweep(sweep) => {
            validate_sweep(&sweep.over)?;
            if !ws.plans.iter().any(|p| p.id == sweep.plan) {
                return Err(ActionError::NoSuchPlan(sweep.plan.0 as usize));
            }
            let kind = sweep.over.kind();
            match ws
                .sweeps
                .iter_mut()
                .find(|s| s.plan == sweep.plan && s.over.kind() == kind)
            {
                Some(old) => *old = *sweep,
                None => ws.sweeps.push(*sweep),
            }
        }
        Action::RemoveSweep(i) => {
            if i >= ws.sweeps.len() {
                return Err(ActionError::NoSuchSweep(i));
            }
            ws.sweeps.remove(i);
        }
        Action::AddMeasured(entries) => {
            if ws.measured.len() + entries.len() > MAX_MEASURED {
                return Err(ActionError::TooManyMeasured);
            }
            for e in &entries {
                e.validate()?;
            }
            ws.measured.extend(entries);
        }
        Action::EditMeasured { index, entry } => {
            if index >= ws.measured.len() {
                return Err(ActionError::NoSuchMeasured(index));
            }
            entry.validate()?;
            ws.measured[index] = *entry;
        }
        Action::RemoveMeasured(index) => {
            if index >= ws.measured.len() {
                return Err(ActionError::NoSuchMeasured(index));
            }
            ws.measured.remove(index);
        }
    }
    Ok(())
}

/// `name`, or `name (2)`, `name (3)`, … whichever no plan has yet.
pub fn unique_name(plans: &[TrainingPlan], name: &str) -> String {
    let base = match name.rsplit_once(" (") {
        Some((b, rest)) if rest.ends_with(')') && rest[..rest.len() - 1].parse::<u32>().is_ok() => {
            b
        }
        _ => name,
    };
    (1..)
        .map(|k| {
            if k == 1 {
                base.to_owned()
            } else {
                format!("{base} ({k})")
            }
        })
        .find(|candidate| plans.iter().all(|p| p.name != *candidate))
        .unwrap_or_else(|| format!("{base} (copy)"))
}

/// A fresh id for a user-added entry: `base`, `base-2`, … whichever is free (and valid).
pub fn fresh_id(base: &str, taken: impl Fn(&str) -> bool) -> String {
    let base = if id_problem(base).is_some() {
        "user-entry"
    } else {
        base
    };
    (1..)
        .map(|k| {
            if k == 1 {
                base.to_owned()
            } else {
                format!("{base}-{k}")
            }
        })
        .find(|c| !taken(c))
        .unwrap_or_else(|| format!("{base}-new"))
}
