//! Plan against actual: a measured run set beside a plan, the gap explained by the same factor decomposition as
//! Why different ([`super::decompose`]), and the measurement carried back into the plan.
//!
//! A measured run is put in the plan's terms, `C = A x R x P x U x I`:
//! - A, accelerator-hours: the run's accelerators x its duration (the plan's count when the file has none,
//!   flagged); R = 1 (one run measured);
//! - P, power per accelerator: the hardware's energy (the file's energy without the PUE the tool applied) per
//!   accelerator-hour — host CPU and memory included where the tool measured them (CodeCarbon, Carbontracker),
//!   the GPU boards alone for `nvidia-smi`;
//! - U, PUE: the one the tool applied; 1 when the tool reports CO2e without one (old CodeCarbon); for a file with
//!   no CO2e (`nvidia-smi`) the given region's PUE, else the plan's (flagged);
//! - I, intensity: the file's CO2e / (IT energy x PUE), so that the product is exactly the file's CO2e; for a file
//!   with no CO2e the region or intensity the user gives.
//!
//! Embodied carbon is not measured: a plan's embodied CO2e is its own contribution to the gap.

use super::decompose::{Factor, Factors, decompose_factors};
use super::error::EstimateError;
use super::estimate::{Estimate, validate_plan};
use crate::model::{
    Accelerator, Duration, ItemUnit, MeasuredInvalid, MeasuredRun, Power, Region, TrainingPlan,
    Work,
};

/// What the user gives for a run whose file has no grid intensity: a region, or an intensity.
#[derive(Clone, Copy, Debug, Default)]
pub struct GridGiven<'a> {
    /// A catalogue region: its intensity (live reading if fetched) and its PUE.
    pub region: Option<&'a Region>,
    /// An intensity, gCO2e/kWh.
    pub intensity_g_per_kwh: Option<f64>,
}

/// Where a value of the measured side came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BasisSource {
    /// The measurement file.
    File,
    /// The region the user gave.
    Region,
    /// The intensity the user gave.
    Given,
    /// The plan it is compared with (the file does not say).
    Plan,
    /// Nothing applied: the tool reports CO2e without a PUE, so it is 1.
    NotApplied,
}

impl BasisSource {
    /// The stable machine name for JSON.
    pub fn key(self) -> &'static str {
        match self {
            BasisSource::File => "file",
            BasisSource::Region => "region",
            BasisSource::Given => "given",
            BasisSource::Plan => "plan",
            BasisSource::NotApplied => "not_applied",
        }
    }
}

/// Something to know when reading a comparison; shown beside it, never silent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActualNote {
    /// The file gives no accelerator count (a CPU-only run), so the plan's count spreads the measured energy.
    AcceleratorsFromPlan,
    /// The file measures the accelerator boards only: no host CPU or memory.
    BoardsOnly,
    /// The tool reports CO2e with no PUE applied, so the measured side has a PUE of 1.
    NoPueInFile,
    /// The file has no PUE or CO2e: the measured side takes the plan's PUE.
    PueFromPlan,
    /// The plan counts embodied carbon, which no tracker measures.
    EmbodiedNotMeasured,
}

impl ActualNote {
    /// The stable machine name for JSON.
    pub fn key(self) -> &'static str {
        match self {
            ActualNote::AcceleratorsFromPlan => "accelerators_from_plan",
            ActualNote::BoardsOnly => "boards_only",
            ActualNote::NoPueInFile => "no_pue_in_file",
            ActualNote::PueFromPlan => "pue_from_plan",
            ActualNote::EmbodiedNotMeasured => "embodied_not_measured",
        }
    }

    /// One line for people.
    pub fn describe(self) -> &'static str {
        match self {
            ActualNote::AcceleratorsFromPlan => {
                "the file gives no accelerator count: the plan's count spreads the measured energy"
            }
            ActualNote::BoardsOnly => {
                "nvidia-smi measures the GPU boards only: no host CPU or memory in the measured power"
            }
            ActualNote::NoPueInFile => {
                "the tool applied no PUE to its CO2e, so the measured side has a PUE of 1"
            }
            ActualNote::PueFromPlan => "the file has no PUE: the measured side takes the plan's",
            ActualNote::EmbodiedNotMeasured => {
                "the plan counts embodied carbon, which no tracker measures: it is its own contribution"
            }
        }
    }
}

/// Why a measured run cannot be compared or carried back.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ActualError {
    /// A value of the run is unusable.
    #[error("measured run: {0}")]
    InvalidRun(#[from] MeasuredInvalid),
    /// The run lasted no time.
    #[error("the measured run lasted 0 h: nothing to compare")]
    ZeroDuration,
    /// Neither the file nor the plan gives an accelerator count.
    #[error(
        "the file gives no accelerator count and the plan has none (it is given in accelerator-hours): give the plan a count"
    )]
    NoAcceleratorCount,
    /// The file has no grid intensity and none was given.
    #[error(
        "{0} files have no grid intensity: give a region (--region ID) or an intensity (--intensity G)"
    )]
    MissingIntensity(&'static str),
    /// A region or intensity was given for a file that has its own.
    #[error(
        "the file reports its own CO2e (at {0:.1} gCO2e/kWh): a region or intensity applies only to files without one, such as nvidia-smi logs"
    )]
    IntensityInFile(f64),
    /// The given intensity is not a usable number.
    #[error("the given intensity must be a finite number >= 0 (got {0})")]
    BadIntensity(f64),
    /// The throughput implies an MFU outside (0, 1].
    #[error(
        "the measured throughput means an MFU of {0:.3} on the plan's accelerator and precision, outside (0, 1]: check the token count and the accelerator"
    )]
    MfuOutOfRange(f64),
    /// The edited plan is invalid.
    #[error("{0}")]
    Plan(#[from] EstimateError),
}

/// A measured run in the plan's terms.
#[derive(Clone, Debug, PartialEq)]
pub struct MeasuredBasis {
    /// Accelerators the measured energy is spread over.
    pub accelerators: u32,
    /// Where the count came from ([`BasisSource::File`] or [`BasisSource::Plan`]).
    pub accelerators_source: BasisSource,
    /// Accelerator-hours of the run.
    pub accelerator_hours: f64,
    /// Energy the hardware drew (without PUE), kWh.
    pub it_energy_kwh: f64,
    /// IT energy per accelerator-hour, W (host share included where the tool measured it).
    pub power_w: f64,
    /// The PUE.
    pub pue: f64,
    /// Where it came from.
    pub pue_source: BasisSource,
    /// IT energy x PUE, kWh.
    pub facility_energy_kwh: f64,
    /// Grid intensity, gCO2e/kWh.
    pub intensity_g_per_kwh: f64,
    /// Where it came from.
    pub intensity_source: BasisSource,
    /// Measured CO2e: the file's, or facility energy x the given intensity, kg.
    pub co2e_kg: f64,
    /// Things to know.
    pub notes: Vec<ActualNote>,
}

impl MeasuredBasis {
    /// The decomposition factors of the measured side (one run, nothing embodied).
    pub fn factors(&self) -> Factors {
        Factors {
            power_kw: self.power_w / 1000.0,
            run_accelerator_hours: self.accelerator_hours,
            pue: self.pue,
            intensity_kg_per_kwh: self.intensity_g_per_kwh / 1000.0,
            runs: 1.0,
            embodied_kg: 0.0,
        }
    }
}

/// Puts a measured run in the terms of `plan` (estimated as `planned`), with the grid the user gives for files
/// that have none.
pub fn basis(
    run: &MeasuredRun,
    plan: &TrainingPlan,
    planned: &Estimate,
    given: GridGiven<'_>,
) -> Result<MeasuredBasis, ActualError> {
    run.validate()?;
    if run.duration_h <= 0.0 {
        return Err(ActualError::ZeroDuration);
    }
    let mut notes = Vec::new();
    let (accelerators, accelerators_source) = if run.accelerators > 0 {
        (run.accelerators, BasisSource::File)
    } else {
        let n = plan.count.ok_or(ActualError::NoAcceleratorCount)?;
        notes.push(ActualNote::AcceleratorsFromPlan);
        (n, BasisSource::Plan)
    };
    if run.source.accelerators_only() {
        notes.push(ActualNote::BoardsOnly);
    }
    let accelerator_hours = f64::from(accelerators) * run.duration_h;
    let it_energy_kwh = run.it_energy_kwh();
    let power_w = it_energy_kwh * 1000.0 / accelerator_hours;

    if let Some(g) = given.intensity_g_per_kwh
        && !(g.is_finite() && g >= 0.0)
    {
        return Err(ActualError::BadIntensity(g));
    }
    let gave_grid = given.region.is_some() || given.intensity_g_per_kwh.is_some();
    let (pue, pue_source) = match (run.pue, run.co2e_kg, given.region.and_then(|r| r.pue)) {
        (Some(p), _, _) => (p, BasisSource::File),
        (None, Some(_), _) => {
            notes.push(ActualNote::NoPueInFile);
            (1.0, BasisSource::NotApplied)
        }
        (None, None, Some(p)) => (p, BasisSource::Region),
        (None, None, None) => {
            notes.push(ActualNote::PueFromPlan);
            (planned.pue, BasisSource::Plan)
        }
    };
    let facility_energy_kwh = it_energy_kwh * pue;
    let (intensity_g_per_kwh, intensity_source, co2e_kg) = match run.co2e_kg {
        Some(kg) => {
            if gave_grid {
                let stated = run
                    .intensity_g_per_kwh
                    .unwrap_or(if facility_energy_kwh > 0.0 {
                        kg * 1000.0 / facility_energy_kwh
                    } else {
                        0.0
                    });
                return Err(ActualError::IntensityInFile(stated));
            }
            let g = if facility_energy_kwh > 0.0 {
                kg * 1000.0 / facility_energy_kwh
            } else {
                run.intensity_g_per_kwh.unwrap_or(0.0)
            };
            (g, BasisSource::File, kg)
        }
        None => {
            let (g, source) = match (given.intensity_g_per_kwh, given.region) {
                (Some(g), _) => (g, BasisSource::Given),
                (None, Some(r)) => (
                    r.live
                        .as_ref()
                        .map_or(r.intensity_g_per_kwh, |l| l.intensity_g_per_kwh),
                    BasisSource::Region,
                ),
                (None, None) => return Err(ActualError::MissingIntensity(run.source.label())),
            };
            (g, source, facility_energy_kwh * g / 1000.0)
        }
    };
    if planned.embodied_co2e_kg > 0.0 {
        notes.push(ActualNote::EmbodiedNotMeasured);
    }
    Ok(MeasuredBasis {
        accelerators,
        accelerators_source,
        accelerator_hours,
        it_energy_kwh,
        power_w,
        pue,
        pue_source,
        facility_energy_kwh,
        intensity_g_per_kwh,
        intensity_source,
        co2e_kg,
        notes,
    })
}

/// A measured run against a plan: the gap and what explains it.
#[derive(Clone, Debug, PartialEq)]
pub struct ActualComparison {
    /// The run in the plan's terms.
    pub basis: MeasuredBasis,
    /// The plan's total CO2e (operational + embodied), kg.
    pub planned_co2e_kg: f64,
    /// The measured CO2e, kg.
    pub measured_co2e_kg: f64,
    /// Measured minus planned, kg.
    pub delta_co2e_kg: f64,
    /// Factor to kg, in [`Factor::ALL`] order; they add up to `delta_co2e_kg`.
    pub contributions: Vec<(Factor, f64)>,
}

/// Compares a measured run with `plan` (estimated as `planned`): the same LMDI decomposition as Why different,
/// from the plan to the measurement.
///
/// ```
/// use trainprint::engine::actual::{compare_actual, GridGiven};
/// use trainprint::engine::decompose::Factor;
/// use trainprint::model::{MeasuredRun, MeasuredSource, Power, TrainingPlan};
/// # let c = trainprint::persist::presets::catalogue()?;
/// let mut plan = TrainingPlan::new("plan", "nvidia-a100-sxm4-40gb", 8, 10.0, "fr");
/// plan.power = Power::Watts(400.0);
/// plan.pue = Some(1.2);
/// plan.intensity_g_per_kwh = Some(50.0);
/// let planned = trainprint::engine::estimate(&plan, &c)?; // 8 x 10 h x 0.4 kW x 1.2 x 0.05 = 1.92 kg
/// // nvidia-smi saw the 8 GPUs draw 300 W each for 10 h: 24 kWh.
/// let mut run = MeasuredRun::new(MeasuredSource::NvidiaSmi, "log", 10.0, 24.0);
/// run.accelerators = 8;
/// let cmp = compare_actual(&run, &plan, &planned, GridGiven { intensity_g_per_kwh: Some(50.0), region: None })?;
/// // 24 kWh x PUE 1.2 (the plan's) x 0.05 kg/kWh = 1.44 kg: 0.48 kg less, all of it power.
/// assert!((cmp.delta_co2e_kg + 0.48).abs() < 1e-12);
/// assert_eq!(cmp.contributions[0].0, Factor::Power);
/// assert!((cmp.contributions[0].1 + 0.48).abs() < 1e-12);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn compare_actual(
    run: &MeasuredRun,
    plan: &TrainingPlan,
    planned: &Estimate,
    given: GridGiven<'_>,
) -> Result<ActualComparison, ActualError> {
    let basis = basis(run, plan, planned, given)?;
    let contributions = decompose_factors(&Factors::of(planned), &basis.factors());
    Ok(ActualComparison {
        planned_co2e_kg: planned.total_co2e_kg,
        measured_co2e_kg: basis.co2e_kg,
        delta_co2e_kg: basis.co2e_kg - planned.total_co2e_kg,
        contributions,
        basis,
    })
}

/// One field a carry-back changes.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanChange {
    /// The field (`power`, `mfu`).
    pub field: &'static str,
    /// Its value before, for people.
    pub before: String,
    /// Its value after.
    pub after: String,
}

/// The measurement carried back into a plan: the edited plan (for an undoable `Action::EditPlan`), what changed,
/// and what was achieved.
#[derive(Clone, Debug, PartialEq)]
pub struct CarryBack {
    /// The plan after the edit (validated).
    pub plan: TrainingPlan,
    /// What changed; empty when the run has nothing to carry back.
    pub changes: Vec<PlanChange>,
    /// Measured average power per accelerator, W.
    pub avg_power_w: Option<f64>,
    /// Achieved tokens per second (whole run), when the run's tokens are given.
    pub tokens_per_second: Option<f64>,
    /// Achieved samples per second (whole run), when the run's samples are given.
    pub samples_per_second: Option<f64>,
    /// Achieved model FLOPs utilisation, for a plan given by parameters and tokens.
    pub mfu: Option<f64>,
    /// What could not be carried back, and why.
    pub skipped: Vec<String>,
}

fn watts_text(p: &Power) -> String {
    match p {
        Power::Watts(w) => format!("{} W", crate::units::sig(*w, 4)),
        Power::Tdp { utilization } => format!("TDP x {}", crate::units::sig(*utilization, 3)),
    }
}

/// Carries a measured run back into `plan` (whose accelerator is `accelerator`): the measured average power per
/// accelerator becomes `Power::Watts`; given the tokens the run processed, the achieved throughput becomes the
/// MFU of a plan given by parameters and tokens (`6 N x tokens/s / (accelerators x peak FLOP/s)` at the plan's
/// precision), and the rate per accelerator of a plan given as a measured throughput (tokens or samples per second).
///
/// ```
/// use trainprint::engine::actual::carry_back;
/// use trainprint::model::{
///     Duration, MeasuredRun, MeasuredSource, Power, Precision, TrainingPlan, Work, Workload,
/// };
/// # let c = trainprint::persist::presets::catalogue()?;
/// let mut plan = TrainingPlan::new("7B", "nvidia-h100-sxm", 8, 1.0, "fr");
/// plan.duration = Duration::Compute {
///     work: Work::ParamsTokens { params: 7e9, tokens: 1e12 },
///     precision: Precision::Bf16,
///     workload: Workload::Llm,
///     mfu: Some(0.4),
/// };
/// let mut run = MeasuredRun::new(MeasuredSource::NvidiaSmi, "log", 10.0, 48.0);
/// run.accelerators = 8;
/// run.avg_power_w = Some(600.0);
/// run.tokens = Some(1.8e9);
/// let h100 = c.accelerator("nvidia-h100-sxm").unwrap();
/// let back = carry_back(&run, &plan, h100)?;
/// assert_eq!(back.plan.power, Power::Watts(600.0));
/// // 1.8e9 tokens in 36,000 s = 50,000 tokens/s; 6 x 7e9 x 5e4 = 2.1e15 FLOP/s over 8 x 989.4 TFLOP/s (BF16).
/// assert!((back.tokens_per_second.unwrap() - 50_000.0).abs() < 1e-9);
/// assert!((back.mfu.unwrap() - 2.1e15 / (8.0 * 989.4e12)).abs() < 1e-12);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn carry_back(
    run: &MeasuredRun,
    plan: &TrainingPlan,
    accelerator: &Accelerator,
) -> Result<CarryBack, ActualError> {
    run.validate()?;
    if run.duration_h <= 0.0 {
        return Err(ActualError::ZeroDuration);
    }
    let mut edited = plan.clone();
    let mut changes = Vec::new();
    let mut skipped = Vec::new();
    match run.avg_power_w {
        Some(w) => {
            let after = Power::Watts(w);
            if after != plan.power {
                changes.push(PlanChange {
                    field: "power",
                    before: watts_text(&plan.power),
                    after: watts_text(&after),
                });
                edited.power = after;
            }
        }
        None => skipped.push(format!(
            "power: the {} file has no power per accelerator (no GPU measured)",
            run.source.label()
        )),
    }
    let seconds = run.duration_h * 3600.0;
    let tokens_per_second = run.tokens.map(|t| t / seconds);
    let samples_per_second = run.samples.map(|s| s / seconds);
    let mut mfu = None;
    match &mut edited.duration {
        // A plan given as a measured throughput takes the run's rate per accelerator.
        Duration::Throughput {
            unit, per_second, ..
        } => {
            let rate = match unit {
                ItemUnit::Tokens => tokens_per_second,
                ItemUnit::Samples => samples_per_second,
            };
            match rate {
                Some(r) if run.accelerators > 0 => {
                    let after = r / f64::from(run.accelerators);
                    changes.push(PlanChange {
                        field: "throughput",
                        before: format!("{} {}/s", crate::units::sig(*per_second, 4), unit.label()),
                        after: format!("{} {}/s", crate::units::sig(after, 4), unit.label()),
                    });
                    *per_second = after;
                }
                Some(_) => skipped.push(
                    "throughput: the file gives no accelerator count to share the rate".into(),
                ),
                None => skipped.push(format!(
                    "throughput: the run reports no {} processed (give --{})",
                    unit.label(),
                    unit.label()
                )),
            }
        }
        // A compute plan given by parameters and tokens takes the MFU the run achieved.
        Duration::Compute {
            work: Work::ParamsTokens { params, .. },
            precision,
            mfu: plan_mfu,
            ..
        } => match (tokens_per_second, accelerator.peak_flops(*precision)) {
            (None, _) => {}
            (Some(tps), Some(peak)) if peak > 0.0 && run.accelerators > 0 => {
                let achieved = 6.0 * *params * tps / (f64::from(run.accelerators) * peak);
                if !(achieved > 0.0 && achieved <= 1.0) {
                    return Err(ActualError::MfuOutOfRange(achieved));
                }
                changes.push(PlanChange {
                    field: "mfu",
                    before: plan_mfu.map_or_else(
                        || "the utilisation table's".to_owned(),
                        |m| crate::units::sig(m, 3),
                    ),
                    after: crate::units::sig(achieved, 3),
                });
                *plan_mfu = Some(achieved);
                mfu = Some(achieved);
            }
            (Some(_), Some(_)) => skipped.push(
                "mfu: the file gives no accelerator count to share the throughput".into(),
            ),
            (Some(_), None) => skipped.push(format!(
                "mfu: the catalogue has no {} peak for {}",
                precision.as_str(),
                accelerator.id
            )),
        },
        _ if tokens_per_second.is_some() || samples_per_second.is_some() => skipped.push(
            "mfu: only a compute plan given by parameters and tokens turns the run's rate into an MFU (a \
             measured-throughput plan takes the rate itself)"
                .into(),
        ),
        _ => {}
    }
    validate_plan(&edited)?;
    Ok(CarryBack {
        plan: edited,
        changes,
        avg_power_w: run.avg_power_w,
        tokens_per_second,
        samples_per_second,
        mfu,
        skipped,
    })
}
