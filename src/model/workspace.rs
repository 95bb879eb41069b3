//! A workspace: the user's plans side by side, the baseline they are compared against, and the user's edits to
//! the catalogue.

use super::catalogue::CatalogueEdits;
use super::measured::MeasuredEntry;
use super::plan::TrainingPlan;

/// The document a user edits, saves and opens. The file format lives in [`crate::persist::workspace`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Workspace {
    /// Title of the comparison.
    pub name: String,
    /// What the comparison is about.
    pub description: String,
    /// The plans, in column order.
    pub plans: Vec<TrainingPlan>,
    /// Index of the baseline plan that the others are compared against.
    pub baseline: usize,
    /// The user's changes to the built-in catalogue.
    pub catalogue: CatalogueEdits,
    /// The sweeps kept with the workspace (each one plan over one input), newest last.
    pub sweeps: Vec<super::sweep::Sweep>,
    /// Measured runs shown beside the plans, each compared with a plan.
    pub measured: Vec<MeasuredEntry>,
}

impl Workspace {
    /// Gives every plan without an id (or with one another plan already has) the smallest id no plan uses, in
    /// column order; ids already unique stay. A workspace whose plans have no ids numbers them 0, 1, 2, ...
    pub fn number_plans(&mut self) {
        let mut used = std::collections::BTreeSet::new();
        let mut fresh = Vec::new();
        for (i, p) in self.plans.iter().enumerate() {
            if p.id.is_unset() || !used.insert(p.id) {
                fresh.push(i);
            }
        }
        let mut next = 0u32;
        for i in fresh {
            while used.contains(&super::plan::PlanId(next)) {
                next += 1;
            }
            let id = super::plan::PlanId(next);
            used.insert(id);
            self.plans[i].id = id;
        }
    }

    /// Renames region ids that have changed since an earlier release (see
    /// [`super::catalogue::REGION_RENAMES`]) in the plans and in the catalogue edits, so an old workspace keeps
    /// pointing at the same regions. Returns how many ids it renamed.
    pub fn rename_old_region_ids(&mut self) -> usize {
        let mut n = 0;
        let mut rename = |id: &mut String| {
            if let Some(new) = super::catalogue::renamed_region(id) {
                *id = new.to_owned();
                n += 1;
            }
        };
        for p in &mut self.plans {
            if let Some(r) = &mut p.region {
                rename(r);
            }
        }
        for r in &mut self.catalogue.regions {
            rename(&mut r.id);
        }
        for id in &mut self.catalogue.removed_regions {
            rename(id);
        }
        n
    }

    /// The index of the plan with id `id`, if any.
    pub fn plan_index(&self, id: super::plan::PlanId) -> Option<usize> {
        self.plans.iter().position(|p| p.id == id)
    }

    /// The baseline plan's index, clamped into range (0 when there are no plans).
    pub fn baseline_index(&self) -> usize {
        self.baseline.min(self.plans.len().saturating_sub(1))
    }
}
