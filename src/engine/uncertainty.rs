//! Uncertainty: each uncertain input (average power, PUE, grid intensity, MFU, embodied carbon) carries a
//! low..high range — the plan's own, or a default from the spread the catalogue's sources show — and a seeded Monte
//! Carlo (triangular distributions with the plan's value as the mode) gives P5, P50 and P95 of total CO2e. The same
//! inputs and seed always give the same numbers. A tornado ranks the inputs by how far each alone moves the total.
//!
//! Total CO2e is a product of factors plus an embodied term, so a sample is evaluated on the central estimate:
//! `C = A x (mfu0 / mfu) x (P + host) / 1000 x PUE x I / 1000 + Emb x (mfu0 / mfu) x e`, with A the
//! accelerator-hours, P the power per accelerator (W), I the intensity (g/kWh) and e the embodied factor.

use super::estimate::{Estimate, ValueSource};
use crate::model::{Duration, Power, Range, TrainingPlan};

/// A documented default spread.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    /// Low as a fraction of the central value (or an absolute value, see the field docs).
    pub low: f64,
    /// High, likewise.
    pub high: f64,
    /// Where it comes from.
    pub source: &'static str,
}

/// Power from TDP: average draw between 74 % and 100 % of TDP (A100 at 50 % load 301 W vs 407 W at 100 %, Cloud
/// Carbon Footprint methodology appendix III, Teads ratios).
pub const POWER_FROM_TDP: Spread = Spread {
    low: 0.74,
    high: 1.0,
    source: "A100 draw at 50 % vs 100 % load, 301 W / 407 W (Cloud Carbon Footprint methodology, appendix III)",
};

/// A provider-published PUE: ± 0.03, its year-to-year spread in the providers' reports 2022–2024 (e.g. AWS
/// eu-central-1 1.32–1.35).
pub const PROVIDER_PUE: Spread = Spread {
    low: -0.03,
    high: 0.03,
    source: "year-to-year spread of provider PUEs 2022–2024 (Green Software Foundation real-time-cloud dataset)",
};

/// The default PUE: between the public-cloud and on-premises averages, 1.25 and 1.63 (absolute).
pub const DEFAULT_PUE: Spread = Spread {
    low: 1.25,
    high: 1.63,
    source: "IDC US51911924 averages: public cloud 1.25, on-premises 1.63 (via aws.amazon.com/sustainability)",
};

/// A region's annual intensity: ± 8 %, the median change of the catalogue grids' Electricity Maps annual values
/// from 2022 to 2023 (computed over 30 grids).
pub const ANNUAL_INTENSITY: Spread = Spread {
    low: 0.92,
    high: 1.08,
    source: "median |2023 - 2022| change of Electricity Maps annual values over the catalogue's 30 grids (8 %)",
};

/// MFU of large training runs: 0.197–0.39 (absolute; widened to include the plan's own value). Used only when the
/// utilisation table has no entry for the plan (a catalogue without the table); otherwise the MFU range is the
/// plan's table entry's ([`MFU_FROM_TABLE`]).
pub const MFU: Spread = Spread {
    low: 0.197,
    high: 0.39,
    source: "hardware efficiency of GPT-3, T5, GShard, Switch and XLM runs (LLMCarbon database.csv)",
};

/// Where a compute-based plan's default MFU range comes from.
pub const MFU_FROM_TABLE: &str = "the plan's utilisation-table entry: the low..high of its measurements, or the \
     spread of models around the rule (scaled to the plan's own MFU when it sets one)";

/// Embodied carbon: ± 60 % (EcoDiag's stated uncertainty).
pub const EMBODIED: Spread = Spread {
    low: 0.4,
    high: 1.6,
    source: "EcoDiag generic GPU figure, ±60 % (ecoinfo.cnrs.fr)",
};

/// An uncertain input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Input {
    /// Average power per accelerator.
    Power,
    /// PUE.
    Pue,
    /// Grid intensity.
    Intensity,
    /// Model FLOPs utilisation (compute-based plans).
    Mfu,
    /// Embodied carbon per device.
    Embodied,
}

impl Input {
    /// All inputs.
    pub const ALL: [Input; 5] = [
        Input::Power,
        Input::Pue,
        Input::Intensity,
        Input::Mfu,
        Input::Embodied,
    ];

    /// A label.
    pub fn label(self) -> &'static str {
        match self {
            Input::Power => "power per accelerator",
            Input::Pue => "PUE",
            Input::Intensity => "grid intensity",
            Input::Mfu => "MFU",
            Input::Embodied => "embodied carbon",
        }
    }
}

/// The range of one input in its own unit (W, -, g/kWh, -, kg per device), and where it came from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InputRange {
    /// Which input.
    pub input: Input,
    /// Low end.
    pub low: f64,
    /// The plan's own value (the mode).
    pub central: f64,
    /// High end.
    pub high: f64,
    /// True when the plan set the range itself.
    pub from_plan: bool,
}

/// The ranges of a plan's uncertain inputs: the plan's own, else the documented defaults where they apply.
pub fn ranges(plan: &TrainingPlan, e: &Estimate) -> Vec<InputRange> {
    let r = &plan.ranges;
    let mut out = Vec::new();
    let mut push = |input, own: Option<Range>, central: f64, default: Option<(f64, f64)>| {
        let (low, high, from_plan) = match (own, default) {
            (Some(r), _) => (r.low, r.high, true),
            (None, Some((l, h))) => (l, h, false),
            (None, None) => return,
        };
        if low.is_finite() && high.is_finite() && low <= high && high > 0.0 {
            out.push(InputRange {
                input,
                low: low.max(0.0),
                central: central.clamp(low.max(0.0), high),
                high,
                from_plan,
            });
        }
    };
    // Power: a range on watts (explicit) or on utilisation (converted to watts).
    let power_default = match plan.power {
        Power::Tdp { .. } => Some((
            e.power_w * POWER_FROM_TDP.low,
            e.power_w * POWER_FROM_TDP.high,
        )),
        Power::Watts(_) => None,
    };
    let own_power = match plan.power {
        Power::Watts(_) => r.watts,
        Power::Tdp { utilization } => r.utilization.map(|u| {
            let tdp = e.power_w / utilization;
            Range {
                low: u.low * tdp,
                high: u.high * tdp,
            }
        }),
    };
    push(Input::Power, own_power, e.power_w, power_default);
    let pue_default = match e.pue_source {
        ValueSource::Region => Some((e.pue + PROVIDER_PUE.low, e.pue + PROVIDER_PUE.high)),
        ValueSource::Default => Some((DEFAULT_PUE.low, DEFAULT_PUE.high)),
        _ => None,
    };
    push(
        Input::Pue,
        r.pue,
        e.pue,
        pue_default.map(|(l, h)| (l.max(1.0), h)),
    );
    let intensity_default = match e.intensity_source {
        ValueSource::Region => Some((
            e.intensity_g_per_kwh * ANNUAL_INTENSITY.low,
            e.intensity_g_per_kwh * ANNUAL_INTENSITY.high,
        )),
        _ => None,
    };
    push(
        Input::Intensity,
        r.intensity,
        e.intensity_g_per_kwh,
        intensity_default,
    );
    if let (Duration::Compute { .. }, Some(mfu)) = (&plan.duration, e.mfu) {
        let default = e
            .mfu_range
            .unwrap_or((MFU.low.min(mfu), MFU.high.max(mfu).min(1.0)));
        push(Input::Mfu, r.mfu, mfu, Some(default));
    }
    if let Some(kg) = e.embodied_kg_per_device {
        push(
            Input::Embodied,
            r.embodied_kg,
            kg,
            Some((kg * EMBODIED.low, kg * EMBODIED.high)),
        );
    }
    out
}

/// The values of the inputs for one evaluation.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Values {
    power_w: f64,
    pue: f64,
    intensity: f64,
    mfu_factor: f64,
    embodied_factor: f64,
}

fn total(e: &Estimate, v: &Values) -> f64 {
    let accel_h = e.accelerator_hours * v.mfu_factor;
    let operational = accel_h * (v.power_w + e.host_w) / 1000.0 * v.pue * v.intensity / 1000.0;
    operational + e.embodied_co2e_kg * v.mfu_factor * v.embodied_factor
}

fn central(e: &Estimate) -> Values {
    Values {
        power_w: e.power_w,
        pue: e.pue,
        intensity: e.intensity_g_per_kwh,
        mfu_factor: 1.0,
        embodied_factor: 1.0,
    }
}

fn set(v: &mut Values, r: &InputRange, x: f64) {
    match r.input {
        Input::Power => v.power_w = x,
        Input::Pue => v.pue = x,
        Input::Intensity => v.intensity = x,
        Input::Mfu => v.mfu_factor = if x > 0.0 { r.central / x } else { 1.0 },
        Input::Embodied => v.embodied_factor = if r.central > 0.0 { x / r.central } else { 1.0 },
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): a small, well-tested generator; the same seed gives the same stream.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A uniform number in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A draw from the triangular distribution on [low, high] with mode `mode`, by inverting its CDF.
///
/// ```
/// use trainprint::engine::uncertainty::triangular;
/// assert_eq!(triangular(0.0, 5.0, 10.0, 0.5), 5.0);
/// assert_eq!(triangular(0.0, 0.0, 10.0, 1.0), 10.0);
/// ```
pub fn triangular(low: f64, mode: f64, high: f64, u: f64) -> f64 {
    if high <= low {
        return mode;
    }
    let f = (mode - low) / (high - low);
    if u < f {
        low + (u * (high - low) * (mode - low)).sqrt()
    } else {
        high - ((1.0 - u) * (high - low) * (high - mode)).sqrt()
    }
}

/// Percentiles of total CO2e from the Monte Carlo.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// 5th percentile, kg.
    pub p5: f64,
    /// Median, kg.
    pub p50: f64,
    /// 95th percentile, kg.
    pub p95: f64,
}

/// The seed the app and the command line use unless told otherwise.
pub const DEFAULT_SEED: u64 = 20_231_115;
/// Samples per plan.
pub const SAMPLES: usize = 4000;

/// P5, P50 and P95 of total CO2e over `samples` seeded draws.
pub fn monte_carlo(e: &Estimate, ranges: &[InputRange], seed: u64, samples: usize) -> Interval {
    let mut rng = SplitMix64::new(seed);
    let mut totals = Vec::with_capacity(samples.max(1));
    for _ in 0..samples.max(1) {
        let mut v = central(e);
        for r in ranges {
            let x = triangular(r.low, r.central, r.high, rng.next_f64());
            set(&mut v, r, x);
        }
        totals.push(total(e, &v));
    }
    totals.sort_by(f64::total_cmp);
    let q = |p: f64| {
        let i = ((totals.len() - 1) as f64 * p).round() as usize;
        totals[i.min(totals.len() - 1)]
    };
    Interval {
        p5: q(0.05),
        p50: q(0.5),
        p95: q(0.95),
    }
}

/// One bar of the tornado: the total with the input at its low and at its high end, the others central.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Swing {
    /// The input and its range.
    pub range: InputRange,
    /// Total CO2e with the input at its low end, kg.
    pub at_low: f64,
    /// Total CO2e with the input at its high end, kg.
    pub at_high: f64,
}

impl Swing {
    /// How far the input moves the total, kg.
    pub fn width(&self) -> f64 {
        (self.at_high - self.at_low).abs()
    }
}

/// The tornado: every input's swing, widest first.
pub fn tornado(e: &Estimate, ranges: &[InputRange]) -> Vec<Swing> {
    let mut out: Vec<Swing> = ranges
        .iter()
        .map(|r| {
            let at = |x: f64| {
                let mut v = central(e);
                set(&mut v, r, x);
                total(e, &v)
            };
            Swing {
                range: *r,
                at_low: at(r.low),
                at_high: at(r.high),
            }
        })
        .collect();
    out.sort_by(|a, b| b.width().total_cmp(&a.width()));
    out
}

/// Why the headline total lies outside its own P5–P95 band, in words; `None` when it lies inside.
///
/// The headline is the estimate at each input's own value (the mode of its distribution). When an input sits at
/// the end of its range that gives the highest (or lowest) total — power at TDP x 1.0 is the usual one: average
/// draw is below TDP — the draws can only move the total one way, and the headline can fall outside the band.
/// Trainprint keeps the headline (it is the figure published methods reproduce) and says so.
pub fn band_note(total: f64, band: &Interval, ranges: &[InputRange]) -> Option<String> {
    let above = total > band.p95;
    if !above && total >= band.p5 {
        return None;
    }
    let edge = |r: &InputRange| {
        let up = if r.input == Input::Mfu { r.low } else { r.high };
        let down = if r.input == Input::Mfu { r.high } else { r.low };
        let at = if above { up } else { down };
        r.high > r.low && (r.central - at).abs() <= 1e-9 * at.abs().max(1.0)
    };
    let why: Vec<String> = ranges
        .iter()
        .filter(|r| edge(r))
        .map(|r| {
            let hint = match (r.input, above) {
                (Input::Power, true) => {
                    ": power at TDP is an upper bound, average draw is usually below it"
                }
                (Input::Mfu, true) => ": the MFU is the lowest of its typical range",
                (Input::Mfu, false) => ": the MFU is the highest of its typical range",
                _ => "",
            };
            format!(
                "{} is at the {} end of its range ({}–{}){hint}",
                r.input.label(),
                if (r.input == Input::Mfu) == above {
                    "low"
                } else {
                    "high"
                },
                crate::units::sig(r.low, 3),
                crate::units::sig(r.high, 3)
            )
        })
        .collect();
    let side = if above {
        "above its P95"
    } else {
        "below its P5"
    };
    Some(if why.is_empty() {
        format!(
            "The estimate ({}) is {side} ({}): its inputs' ranges are lopsided around the plan's values.",
            crate::units::co2e(total),
            crate::units::co2e(if above { band.p95 } else { band.p5 })
        )
    } else {
        format!(
            "The estimate ({}) is {side} ({}) because {}. The estimate keeps the plan's own values; the band \
             shows where the total lands when they vary.",
            crate::units::co2e(total),
            crate::units::co2e(if above { band.p95 } else { band.p5 }),
            why.join("; ")
        )
    })
}
