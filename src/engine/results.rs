//! Every result of one plan, computed once: the estimate and, when it succeeds, the uncertainty ranges, the seeded
//! Monte Carlo's P5/P50/P95 and the tornado. The app caches these per plan, the exports and the command line are
//! built from the same values, so nothing is estimated twice.

use super::compare::PlanResult;
use super::estimate::{Estimate, estimate};
use super::provenance::Provenance;
use super::uncertainty::{self, InputRange, Interval, Swing};
use crate::model::{Catalogue, TrainingPlan};

/// How sure the plan's total is.
#[derive(Clone, Debug, PartialEq)]
pub struct Uncertainty {
    /// The range of every uncertain input (the plan's own, else the documented defaults).
    pub ranges: Vec<InputRange>,
    /// P5/P50/P95 of total CO2e (seed [`uncertainty::DEFAULT_SEED`], [`uncertainty::SAMPLES`] draws).
    pub interval: Interval,
    /// Each input's swing, widest first.
    pub tornado: Vec<Swing>,
    /// Why the estimate lies outside its own P5-P95 band, when it does (in words).
    pub note: Option<String>,
}

/// One plan's results.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// The estimate, or why there is none.
    pub estimate: PlanResult,
    /// The uncertainty, when the plan could be estimated.
    pub uncertainty: Option<Uncertainty>,
    /// Where its PUE, intensity, power and MFU came from, when the plan could be estimated.
    pub provenance: Option<Provenance>,
}

impl Outcome {
    /// The estimate, if the plan could be estimated.
    pub fn ok(&self) -> Option<&Estimate> {
        self.estimate.as_ref().ok()
    }
}

/// The uncertainty of an estimated plan: its ranges, the seeded Monte Carlo and the tornado.
pub fn uncertainty(plan: &TrainingPlan, e: &Estimate) -> Uncertainty {
    let ranges = uncertainty::ranges(plan, e);
    Uncertainty {
        interval: uncertainty::monte_carlo(
            e,
            &ranges,
            uncertainty::DEFAULT_SEED,
            uncertainty::SAMPLES,
        ),
        tornado: uncertainty::tornado(e, &ranges),
        ranges,
        note: None,
    }
    .with_note(e.total_co2e_kg)
}

impl Uncertainty {
    fn with_note(mut self, total: f64) -> Self {
        self.note = uncertainty::band_note(total, &self.interval, &self.ranges);
        self
    }
}

/// Estimates `plan` and, if that succeeds, its uncertainty and the provenance of its inputs.
pub fn outcome(plan: &TrainingPlan, catalogue: &Catalogue) -> Outcome {
    let estimate = estimate(plan, catalogue);
    let uncertainty = estimate.as_ref().ok().map(|e| uncertainty(plan, e));
    let provenance = estimate
        .as_ref()
        .ok()
        .map(|e| Provenance::of(plan, catalogue, e));
    Outcome {
        estimate,
        uncertainty,
        provenance,
    }
}

/// The outcome of every plan, in order.
pub fn outcomes(plans: &[TrainingPlan], catalogue: &Catalogue) -> Vec<Outcome> {
    plans.iter().map(|p| outcome(p, catalogue)).collect()
}
