//! Side-by-side comparison: every plan of a workspace estimated, and each one's change against the baseline.

use super::error::EstimateError;
use super::estimate::{Estimate, estimate};
use crate::model::{Catalogue, TrainingPlan};

/// One plan's outcome: its estimate, or why it could not be estimated.
pub type PlanResult = Result<Estimate, EstimateError>;

/// The estimates of a list of plans and which one is the baseline.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// One result per plan, in plan order.
    pub results: Vec<PlanResult>,
    /// Index of the baseline plan.
    pub baseline: usize,
}

impl Comparison {
    /// The baseline's estimate, if it could be estimated.
    pub fn baseline_estimate(&self) -> Option<&Estimate> {
        self.results
            .get(self.baseline)
            .and_then(|r| r.as_ref().ok())
    }

    /// Percentage change of plan `i`'s total CO2e against the baseline's.
    pub fn co2e_delta_pct(&self, i: usize) -> Option<f64> {
        let base = self.baseline_estimate()?;
        let e = self.results.get(i)?.as_ref().ok()?;
        delta_pct(e.total_co2e_kg, base.total_co2e_kg)
    }

    /// Percentage change of plan `i`'s facility energy against the baseline's.
    pub fn energy_delta_pct(&self, i: usize) -> Option<f64> {
        let base = self.baseline_estimate()?;
        let e = self.results.get(i)?.as_ref().ok()?;
        delta_pct(e.facility_energy_kwh, base.facility_energy_kwh)
    }
}

/// Estimates every plan; `baseline` is clamped into range.
pub fn compare(plans: &[TrainingPlan], baseline: usize, catalogue: &Catalogue) -> Comparison {
    Comparison {
        results: plans.iter().map(|p| estimate(p, catalogue)).collect(),
        baseline: baseline.min(plans.len().saturating_sub(1)),
    }
}

/// `(value - base) / base x 100`; `None` when the base is zero (no meaningful percentage).
///
/// ```
/// assert_eq!(trainprint::engine::delta_pct(75.0, 100.0), Some(-25.0));
/// assert_eq!(trainprint::engine::delta_pct(1.0, 0.0), None);
/// ```
pub fn delta_pct(value: f64, base: f64) -> Option<f64> {
    if base == 0.0 || !base.is_finite() || !value.is_finite() {
        None
    } else {
        Some((value - base) / base * 100.0)
    }
}
