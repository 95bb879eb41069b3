//! A workspace's measured run against the plan it is compared with: the plan found by its id, the region the user
//! gave found in the catalogue, then [`compare_actual`] and [`carry_back`] — what the app's measured column shows.

use super::actual::{
    ActualComparison, ActualError, CarryBack, GridGiven, carry_back, compare_actual,
};
use super::estimate::Estimate;
use crate::model::{Catalogue, MeasuredEntry, Workspace};

/// Why a measured run shows no comparison.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum EntryError {
    /// No plan picked (or the one picked was removed).
    #[error("pick a plan to compare with")]
    NoPlan,
    /// The plan picked has no estimate.
    #[error("plan '{0}' has no estimate (see its column)")]
    PlanNotEstimated(String),
    /// The region given is not in the catalogue.
    #[error("region '{0}' is not in the catalogue")]
    UnknownRegion(String),
    /// The comparison itself failed.
    #[error(transparent)]
    Actual(#[from] ActualError),
}

/// A measured run set against its plan.
#[derive(Clone, Debug, PartialEq)]
pub struct EntryOutcome {
    /// The index of the plan it is compared with.
    pub plan: Option<usize>,
    /// The comparison, or why there is none.
    pub comparison: Result<ActualComparison, EntryError>,
    /// The carry-back into that plan (`None` without a plan or when the plan's accelerator is not in the
    /// catalogue).
    pub carry: Option<Result<CarryBack, ActualError>>,
}

/// Compares `entry` with its plan in `ws`; `estimate` gives plan `i`'s estimate.
///
/// ```
/// use trainprint::engine::actual_entry::{EntryError, entry_outcome};
/// use trainprint::model::{MeasuredEntry, MeasuredRun, MeasuredSource};
/// # let c = trainprint::persist::presets::catalogue()?;
/// let ws = trainprint::persist::presets::example("a100-vs-h100").unwrap()?;
/// let e = trainprint::engine::estimate(&ws.plans[0], &c)?;
/// let mut run = MeasuredRun::new(MeasuredSource::NvidiaSmi, "log", 10.0, 24.0);
/// run.accelerators = 8;
/// let mut entry = MeasuredEntry::new(run, "gpu.csv");
/// let est = |i: usize| (i == 0).then_some(&e);
/// assert_eq!(entry_outcome(&entry, &ws, &c, est).comparison, Err(EntryError::NoPlan));
/// entry.against = Some(ws.plans[0].id);
/// entry.intensity_g_per_kwh = Some(100.0);
/// let out = entry_outcome(&entry, &ws, &c, est);
/// assert_eq!(out.plan, Some(0));
/// // 24 kWh x the plan's PUE x 0.1 kg/kWh.
/// assert!((out.comparison?.measured_co2e_kg - 24.0 * e.pue * 0.1).abs() < 1e-9);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn entry_outcome<'e>(
    entry: &MeasuredEntry,
    ws: &Workspace,
    catalogue: &Catalogue,
    estimate: impl Fn(usize) -> Option<&'e Estimate>,
) -> EntryOutcome {
    let Some(i) = entry.against.and_then(|id| ws.plan_index(id)) else {
        return EntryOutcome {
            plan: None,
            comparison: Err(EntryError::NoPlan),
            carry: None,
        };
    };
    let plan = &ws.plans[i];
    let carry = catalogue
        .accelerator(&plan.accelerator)
        .map(|acc| carry_back(&entry.run, plan, acc));
    let comparison = (|| {
        let planned = estimate(i).ok_or_else(|| EntryError::PlanNotEstimated(plan.name.clone()))?;
        let region = match &entry.region {
            Some(id) => Some(
                catalogue
                    .region(id)
                    .ok_or_else(|| EntryError::UnknownRegion(id.clone()))?,
            ),
            None => None,
        };
        let given = GridGiven {
            region: if entry.intensity_g_per_kwh.is_some() {
                None
            } else {
                region
            },
            intensity_g_per_kwh: entry.intensity_g_per_kwh,
        };
        Ok(compare_actual(&entry.run, plan, planned, given)?)
    })();
    EntryOutcome {
        plan: Some(i),
        comparison,
        carry,
    }
}
