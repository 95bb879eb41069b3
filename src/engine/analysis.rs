//! Series derived from an estimate, for charts: cumulative energy and CO2e over training time, and the
//! sensitivity of total CO2e to grid intensity and to PUE.

use super::estimate::Estimate;
use super::formula;

/// A point of a series: x, y.
pub type Point = [f64; 2];

/// Cumulative facility energy (kWh) and total CO2e (kg) against wall-clock hours, `n` evenly spaced points from
/// 0 to the end of training (all runs back to back). Power is constant over a run, so both rise linearly; the
/// embodied share is amortised over the same hours. `None` without wall-clock hours (no count).
pub fn cumulative(e: &Estimate, n: usize) -> Option<(Vec<Point>, Vec<Point>)> {
    let hours = e.wall_hours? * e.runs;
    let n = n.max(2);
    let mut energy = Vec::with_capacity(n);
    let mut co2e = Vec::with_capacity(n);
    for i in 0..n {
        let f = i as f64 / (n - 1) as f64;
        energy.push([hours * f, e.facility_energy_kwh * f]);
        co2e.push([hours * f, e.total_co2e_kg * f]);
    }
    Some((energy, co2e))
}

/// Total CO2e (kg) at grid intensity `g` (gCO2e/kWh), everything else as estimated.
///
/// ```
/// # use trainprint::engine::analysis::co2e_at_intensity;
/// # let mut e = trainprint::engine::estimate(&{
/// #   let mut p = trainprint::model::TrainingPlan::new("x", "nvidia-t4", 1, 1000.0, "fr");
/// #   p.power = trainprint::model::Power::Watts(100.0); p.pue = Some(1.0); p }, &trainprint::persist::presets::catalogue()?)?;
/// // 100 kWh facility energy at 500 g/kWh is 50 kg.
/// assert!((co2e_at_intensity(&e, 500.0) - 50.0).abs() < 1e-9);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn co2e_at_intensity(e: &Estimate, g_per_kwh: f64) -> f64 {
    formula::operational_co2e_kg(e.facility_energy_kwh, g_per_kwh) + e.embodied_co2e_kg
}

/// Total CO2e (kg) at PUE `pue`, everything else as estimated.
pub fn co2e_at_pue(e: &Estimate, pue: f64) -> f64 {
    formula::operational_co2e_kg(
        formula::facility_energy_kwh(e.it_energy_kwh, pue),
        e.intensity_g_per_kwh,
    ) + e.embodied_co2e_kg
}

/// The x range a sensitivity chart over grid intensity spans: 0 to at least 800 g/kWh (the dirtiest grids in the
/// catalogue) and past the plan's own value.
pub fn intensity_range(current: f64) -> (f64, f64) {
    (0.0, (current * 1.25).max(800.0))
}

/// The x range of a sensitivity chart over PUE: 1 to at least 2 and past the plan's own value.
pub fn pue_range(current: f64) -> (f64, f64) {
    (1.0, (current + 0.25).max(2.0))
}

/// `n` points of `f` over `[lo, hi]`.
pub fn sample(lo: f64, hi: f64, n: usize, f: impl Fn(f64) -> f64) -> Vec<Point> {
    let n = n.max(2);
    (0..n)
        .map(|i| {
            let x = lo + (hi - lo) * i as f64 / (n - 1) as f64;
            [x, f(x)]
        })
        .collect()
}
