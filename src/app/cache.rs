//! Per-plan cache of estimates and chart series. A plan is recomputed only when its inputs changed: the plan
//! itself, or the catalogue entries it uses.

use crate::engine::analysis::{self, Point};
use crate::engine::{self, PlanResult};
use crate::model::{Accelerator, Catalogue, Region, TrainingPlan};

/// Points per chart series.
pub const SERIES_POINTS: usize = 48;

/// The chart series of one estimated plan.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Series {
    /// Cumulative facility energy (kWh) over wall-clock hours, when the count is known.
    pub cumulative_energy: Vec<Point>,
    /// Cumulative total CO2e (kg) over wall-clock hours.
    pub cumulative_co2e: Vec<Point>,
    /// Total CO2e (kg) against grid intensity (g/kWh).
    pub vs_intensity: Vec<Point>,
    /// Total CO2e (kg) against PUE.
    pub vs_pue: Vec<Point>,
}

/// One cached plan.
#[derive(Clone, Debug)]
pub struct Entry {
    plan: TrainingPlan,
    accelerator: Option<Accelerator>,
    region: Option<Region>,
    /// The estimate, or why there is none.
    pub result: PlanResult,
    /// Chart series (empty on error).
    pub series: Series,
}

/// The cache, one entry per plan in plan order.
#[derive(Clone, Debug, Default)]
pub struct Cache {
    entries: Vec<Entry>,
    recomputed: usize,
}

fn inputs(plan: &TrainingPlan, catalogue: &Catalogue) -> (Option<Accelerator>, Option<Region>) {
    (
        catalogue.accelerator(&plan.accelerator).cloned(),
        plan.region
            .as_deref()
            .and_then(|r| catalogue.region(r))
            .cloned(),
    )
}

fn compute(plan: &TrainingPlan, catalogue: &Catalogue) -> Entry {
    let (accelerator, region) = inputs(plan, catalogue);
    let result = engine::estimate(plan, catalogue);
    let series = match &result {
        Ok(e) => {
            let (cumulative_energy, cumulative_co2e) =
                analysis::cumulative(e, SERIES_POINTS).unwrap_or_default();
            let (lo, hi) = analysis::intensity_range(e.intensity_g_per_kwh);
            let (plo, phi) = analysis::pue_range(e.pue);
            Series {
                cumulative_energy,
                cumulative_co2e,
                vs_intensity: analysis::sample(lo, hi, 2, |g| analysis::co2e_at_intensity(e, g)),
                vs_pue: analysis::sample(plo, phi, 2, |p| analysis::co2e_at_pue(e, p)),
            }
        }
        Err(_) => Series::default(),
    };
    Entry {
        plan: plan.clone(),
        accelerator,
        region,
        result,
        series,
    }
}

impl Cache {
    /// Brings the cache up to date with the plans; recomputes only plans whose inputs changed. Returns how many
    /// were recomputed.
    pub fn refresh(&mut self, plans: &[TrainingPlan], catalogue: &Catalogue) -> usize {
        let mut recomputed = 0;
        self.entries.truncate(plans.len());
        for (i, plan) in plans.iter().enumerate() {
            let fresh = match self.entries.get(i) {
                Some(e) => {
                    e.plan == *plan && {
                        let (a, r) = (
                            catalogue.accelerator(&plan.accelerator),
                            plan.region.as_deref().and_then(|r| catalogue.region(r)),
                        );
                        e.accelerator.as_ref() == a && e.region.as_ref() == r
                    }
                }
                None => false,
            };
            if !fresh {
                let entry = compute(plan, catalogue);
                if i < self.entries.len() {
                    self.entries[i] = entry;
                } else {
                    self.entries.push(entry);
                }
                recomputed += 1;
            }
        }
        self.recomputed += recomputed;
        recomputed
    }

    /// The cached entries.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The result of plan `i`.
    pub fn result(&self, i: usize) -> Option<&PlanResult> {
        self.entries.get(i).map(|e| &e.result)
    }

    /// How many plan estimates were computed since the cache was made (for tests of "only changed plans").
    pub fn recomputed_total(&self) -> usize {
        self.recomputed
    }

    /// Percentage change of plan `i`'s total CO2e against plan `baseline`.
    pub fn co2e_delta_pct(&self, i: usize, baseline: usize) -> Option<f64> {
        let e = self.result(i)?.as_ref().ok()?;
        let b = self.result(baseline)?.as_ref().ok()?;
        engine::delta_pct(e.total_co2e_kg, b.total_co2e_kg)
    }

    /// Percentage change of plan `i`'s facility energy against plan `baseline`.
    pub fn energy_delta_pct(&self, i: usize, baseline: usize) -> Option<f64> {
        let e = self.result(i)?.as_ref().ok()?;
        let b = self.result(baseline)?.as_ref().ok()?;
        engine::delta_pct(e.facility_energy_kwh, b.facility_energy_kwh)
    }
}
