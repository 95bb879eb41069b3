//! What explains the difference between two plans: the change of total CO2e split into the contributions of each
//! factor, adding up exactly to the difference.
//!
//! Operational CO2e is a product of factors, `C = A x R x P x U x I` — accelerator-hours per run (duration or
//! throughput), runs, average power per accelerator including the host share (kW), PUE and grid intensity
//! (kg/kWh) — and embodied CO2e is added to it. The product is split with the additive log-mean Divisia index
//! (LMDI-I; Ang 2004, "Decomposition analysis for policymaking in energy", Energy Policy 32): the contribution of
//! factor x is `L(C1, C0) x ln(x1 / x0)` with the logarithmic mean `L(a, b) = (a - b) / (ln a - ln b)` (and
//! `L(a, a) = a`); these add up exactly to `C1 - C0`. When a factor is zero in one plan the logarithm is undefined,
//! and the product is split by the Shapley value instead (the average over every order of changing the factors
//! one at a time), which also adds up exactly. The embodied difference is its own contribution.

use super::estimate::Estimate;

/// A factor of the decomposition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Factor {
    /// Accelerator-hours per run: how long (or, for compute-based plans, how fast) the job runs.
    Duration,
    /// The runs multiplier.
    Runs,
    /// Average power per accelerator, host share included.
    Power,
    /// PUE.
    Pue,
    /// Grid intensity.
    Intensity,
    /// Embodied carbon.
    Embodied,
}

impl Factor {
    /// All factors, in waterfall order.
    pub const ALL: [Factor; 6] = [
        Factor::Power,
        Factor::Duration,
        Factor::Pue,
        Factor::Intensity,
        Factor::Runs,
        Factor::Embodied,
    ];

    /// The JSON key.
    pub fn key(self) -> &'static str {
        match self {
            Factor::Duration => "duration",
            Factor::Runs => "runs",
            Factor::Power => "power",
            Factor::Pue => "pue",
            Factor::Intensity => "intensity",
            Factor::Embodied => "embodied",
        }
    }

    /// A label.
    pub fn label(self) -> &'static str {
        match self {
            Factor::Duration => "Duration / throughput",
            Factor::Runs => "Runs",
            Factor::Power => "Power",
            Factor::Pue => "PUE",
            Factor::Intensity => "Grid intensity",
            Factor::Embodied => "Embodied",
        }
    }
}

/// The factors of one side of a decomposition: operational CO2e is their product, embodied is added.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Factors {
    /// Average power per accelerator, host share included, kW.
    pub power_kw: f64,
    /// Accelerator-hours of one run.
    pub run_accelerator_hours: f64,
    /// PUE.
    pub pue: f64,
    /// Grid intensity, kg CO2e per kWh.
    pub intensity_kg_per_kwh: f64,
    /// The runs multiplier.
    pub runs: f64,
    /// Embodied CO2e, kg.
    pub embodied_kg: f64,
}

impl Factors {
    /// The factors of an estimate.
    pub fn of(e: &Estimate) -> Self {
        Factors {
            power_kw: (e.power_w + e.host_w) / 1000.0,
            run_accelerator_hours: e.accelerator_hours / e.runs,
            pue: e.pue,
            intensity_kg_per_kwh: e.intensity_g_per_kwh / 1000.0,
            runs: e.runs,
            embodied_kg: e.embodied_co2e_kg,
        }
    }

    /// The multiplicative factors, in [`Factor::ALL`] order minus embodied.
    fn array(&self) -> [f64; 5] {
        [
            self.power_kw,
            self.run_accelerator_hours,
            self.pue,
            self.intensity_kg_per_kwh,
            self.runs,
        ]
    }

    /// Operational CO2e (the product of the factors) plus embodied, kg.
    pub fn total_kg(&self) -> f64 {
        self.array().iter().product::<f64>() + self.embodied_kg
    }
}

fn log_mean(a: f64, b: f64) -> f64 {
    if (a - b).abs() <= 1e-12 * a.abs().max(b.abs()) {
        a
    } else {
        (a - b) / (a.ln() - b.ln())
    }
}

/// The decomposition of `plan - base` into (factor, kg) contributions, in [`Factor::ALL`] order.
///
/// ```
/// use trainprint::engine::decompose::{decompose, Factor};
/// # use trainprint::{engine::estimate, model::{Power, TrainingPlan}, persist::presets};
/// # let c = presets::catalogue()?;
/// # let mut a = TrainingPlan::new("a", "nvidia-a100-sxm4-40gb", 8, 120.0, "fr");
/// # a.power = Power::Watts(400.0); a.pue = Some(1.2); a.intensity_g_per_kwh = Some(350.0);
/// # let mut b = a.clone(); b.intensity_g_per_kwh = Some(175.0);
/// let (ea, eb) = (estimate(&a, &c)?, estimate(&b, &c)?);
/// let parts = decompose(&ea, &eb);
/// let sum: f64 = parts.iter().map(|(_, kg)| kg).sum();
/// assert!((sum - (eb.total_co2e_kg - ea.total_co2e_kg)).abs() < 1e-9);
/// // Only the intensity changed, so it explains all of it.
/// assert!((parts[3].1 - (eb.total_co2e_kg - ea.total_co2e_kg)).abs() < 1e-9);
/// assert_eq!(parts[3].0, Factor::Intensity);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn decompose(base: &Estimate, plan: &Estimate) -> Vec<(Factor, f64)> {
    decompose_factors(&Factors::of(base), &Factors::of(plan))
}

/// The decomposition of `plan - base` given as [`Factors`] (a measured run's, or a plan's), in [`Factor::ALL`]
/// order; the contributions add up to `plan.total_kg() - base.total_kg()`.
pub fn decompose_factors(base: &Factors, plan: &Factors) -> Vec<(Factor, f64)> {
    let x0 = base.array();
    let x1 = plan.array();
    let c0: f64 = x0.iter().product();
    let c1: f64 = x1.iter().product();
    let all_positive = x0
        .iter()
        .chain(x1.iter())
        .all(|x| *x > 0.0 && x.is_finite());
    let parts: [f64; 5] = if all_positive {
        let l = log_mean(c1, c0);
        std::array::from_fn(|k| l * (x1[k] / x0[k]).ln())
    } else {
        shapley(&x0, &x1)
    };
    let mut out: Vec<(Factor, f64)> = Factor::ALL[..5].iter().copied().zip(parts).collect();
    out.push((Factor::Embodied, plan.embodied_kg - base.embodied_kg));
    out
}

/// The Shapley split of `prod(x1) - prod(x0)` over the factors: for each factor, the weighted average over every
/// subset S of the others of `prod(S from x1, rest from x0, with k from x1) - (… with k from x0)`.
fn shapley(x0: &[f64; 5], x1: &[f64; 5]) -> [f64; 5] {
    const N: usize = 5;
    let fact = |n: usize| (1..=n).product::<usize>() as f64;
    let mut out = [0.0; N];
    for (k, slot) in out.iter_mut().enumerate() {
        let mut sum = 0.0;
        for mask in 0u32..(1 << N) {
            if mask & (1 << k) != 0 {
                continue;
            }
            let s = mask.count_ones() as usize;
            let weight = fact(s) * fact(N - s - 1) / fact(N);
            let prod = |with_k: f64| {
                (0..N)
                    .map(|j| {
                        if j == k {
                            with_k
                        } else if mask & (1 << j) != 0 {
                            x1[j]
                        } else {
                            x0[j]
                        }
                    })
                    .product::<f64>()
            };
            sum += weight * (prod(x1[k]) - prod(x0[k]));
        }
        *slot = sum;
    }
    out
}
