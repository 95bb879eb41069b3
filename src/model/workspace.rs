//! A workspace: the user's plans side by side, the baseline they are compared against, and the user's edits to
//! the catalogue.

use super::catalogue::CatalogueEdits;
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
}

impl Workspace {
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

    /// The baseline plan's index, clamped into range (0 when there are no plans).
    pub fn baseline_index(&self) -> usize {
        self.baseline.min(self.plans.len().saturating_sub(1))
    }
}
