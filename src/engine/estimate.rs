//! `estimate()`: one plan plus the catalogue in, every result and the defaults it used out. Pure, allocation-free
//! on success, and it rejects every invalid input with a typed error naming the field.

use super::defaults;
use super::error::{EstimateError, Field, Rule};
use super::formula;
use crate::model::validate::{validate_plan as validate_plan_numbers, work_flops};
use crate::model::{
    Accelerator, Catalogue, Duration, Power, Precision, Price, Region, TrainingPlan,
    UtilizationOrigin, UtilizationTable,
};

/// Where a value used by the estimate came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueSource {
    /// Set on the plan.
    Plan,
    /// From the plan's region in the catalogue.
    Region,
    /// A documented default (see [`defaults`]).
    Default,
    /// A live reading fetched for the plan's region (replacing the annual average).
    Live,
    /// The utilisation table's typical value (measured, derived by its rule, or the workspace's own entry).
    Table(UtilizationOrigin),
    /// Implied by a measured throughput.
    Implied,
}

impl ValueSource {
    /// A short label.
    pub fn label(self) -> &'static str {
        match self {
            ValueSource::Plan => "plan override",
            ValueSource::Region => "region",
            ValueSource::Default => "default",
            ValueSource::Live => "live value",
            ValueSource::Table(UtilizationOrigin::Measured) => "utilisation table (measured)",
            ValueSource::Table(UtilizationOrigin::Derived | UtilizationOrigin::Rule) => {
                "utilisation table (derived by rule)"
            }
            ValueSource::Table(UtilizationOrigin::Edited) => "utilisation table (workspace entry)",
            ValueSource::Implied => "implied by the measured throughput",
        }
    }
}

/// A default or fallback an estimate relied on. Shown beside the result, never silent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Assumption {
    /// PUE fell back to the industry average: neither the plan nor its region gives one.
    DefaultPue = 0,
    /// Embodied carbon used the generic per-GPU figure: the catalogue has none for this accelerator.
    GenericEmbodied = 1,
    /// Embodied carbon used the default device lifetime.
    DefaultLifetime = 2,
    /// Power is TDP x utilisation, not a measured average.
    PowerFromTdp = 3,
    /// No count was given, so wall-clock hours are unknown.
    NoWallHours = 4,
    /// The region has no water figure, so water is not estimated.
    NoWaterData = 5,
    /// The grid intensity is a live reading, not the catalogue's annual average.
    LiveIntensity = 6,
    /// The MFU is the utilisation table's typical value for the accelerator, precision and workload.
    DefaultMfu = 7,
    /// FP32 on an accelerator with TF32 tensor cores: the framework may run FP32 matrix multiplies as TF32.
    Fp32MayRunAsTf32 = 8,
}

impl Assumption {
    /// Every assumption, in display order.
    pub const ALL: [Assumption; 9] = [
        Assumption::DefaultPue,
        Assumption::DefaultMfu,
        Assumption::GenericEmbodied,
        Assumption::DefaultLifetime,
        Assumption::PowerFromTdp,
        Assumption::Fp32MayRunAsTf32,
        Assumption::LiveIntensity,
        Assumption::NoWallHours,
        Assumption::NoWaterData,
    ];

    /// True for fallbacks that stand in for missing data (the app flags these); false for notes.
    pub fn is_fallback(self) -> bool {
        matches!(
            self,
            Assumption::DefaultPue
                | Assumption::DefaultMfu
                | Assumption::GenericEmbodied
                | Assumption::DefaultLifetime
        )
    }

    /// A one-line description, with the value and its source where it is a default.
    pub fn describe(self) -> String {
        match self {
            Assumption::DefaultPue => default_text("PUE", &defaults::PUE),
            Assumption::GenericEmbodied => default_text("embodied carbon", &defaults::EMBODIED_KGCO2E),
            Assumption::DefaultLifetime => default_text("device lifetime", &defaults::LIFETIME_YEARS),
            Assumption::PowerFromTdp => {
                "power = TDP x utilisation (an upper-bound style assumption, not a measured average)".into()
            }
            Assumption::NoWallHours => "no accelerator count: wall-clock hours unknown".into(),
            Assumption::NoWaterData => "the region publishes no WUE: water not estimated".into(),
            Assumption::LiveIntensity => {
                "grid intensity is a live reading for the region, not its annual average".into()
            }
            Assumption::DefaultMfu => "default MFU: the utilisation table's typical value for the accelerator, \
                                       precision and workload (value, range and sources in the plan's mfu source)"
                .into(),
            Assumption::Fp32MayRunAsTf32 => FP32_AS_TF32.into(),
        }
    }

    /// A stable machine name (`default_pue`, …) for JSON.
    pub fn key(self) -> &'static str {
        match self {
            Assumption::DefaultPue => "default_pue",
            Assumption::GenericEmbodied => "generic_embodied",
            Assumption::DefaultLifetime => "default_lifetime",
            Assumption::PowerFromTdp => "power_from_tdp",
            Assumption::NoWallHours => "no_wall_hours",
            Assumption::NoWaterData => "no_water_data",
            Assumption::LiveIntensity => "live_intensity",
            Assumption::DefaultMfu => "default_mfu",
            Assumption::Fp32MayRunAsTf32 => "fp32_may_run_as_tf32",
        }
    }
}

/// What the app and the exports say when FP32 is chosen on an accelerator with TF32 tensor cores.
pub const FP32_AS_TF32: &str = "FP32 on an accelerator with TF32 tensor cores (NVIDIA Ampere and later): whether FP32 \
     matrix multiplies run as TF32 depends on the framework and its settings (PyTorch: \
     torch.backends.cuda.matmul.allow_tf32, off by default since 1.12, while cuDNN convolutions use TF32 by default, \
     per PyTorch's CUDA-semantics notes; TensorFlow 2.4+: TF32 on by default, per \
     tf.config.experimental.enable_tensor_float_32_execution). This plan uses the vector FP32 peak; choose TF32 if \
     your run allows it.";

fn default_text(what: &str, d: &defaults::Default) -> String {
    let unit = if d.unit.is_empty() {
        String::new()
    } else {
        format!(" {}", d.unit)
    };
    format!(
        "default {what}: {}{unit} — {} ({}, {})",
        d.value, d.what, d.source, d.year
    )
}

/// A set of [`Assumption`]s as bits: copying it never allocates.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Assumptions(u16);

impl Assumptions {
    /// Adds one.
    #[inline]
    pub fn insert(&mut self, a: Assumption) {
        self.0 |= 1 << (a as u8);
    }

    /// True if the estimate used it.
    #[inline]
    pub fn contains(self, a: Assumption) -> bool {
        self.0 & (1 << (a as u8)) != 0
    }

    /// True when nothing was assumed.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The assumptions in display order.
    pub fn iter(self) -> impl Iterator<Item = Assumption> {
        Assumption::ALL
            .into_iter()
            .filter(move |a| self.contains(*a))
    }
}

/// Every result of one plan, with the inputs the engine actually used (for the formula view).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// Accelerator-hours over all runs.
    pub accelerator_hours: f64,
    /// Wall-clock hours of one run, where a count is known.
    pub wall_hours: Option<f64>,
    /// Training FLOPs of one run (compute-based plans).
    pub training_flops: Option<f64>,
    /// Peak FLOP/s per accelerator used by a compute-based plan (or the one a measured throughput's implied MFU
    /// is measured against).
    pub peak_flops_per_s: Option<f64>,
    /// The MFU used by a compute-based plan, or implied by a measured throughput (when its FLOPs per item and
    /// precision are given).
    pub mfu: Option<f64>,
    /// Where the MFU came from.
    pub mfu_source: Option<ValueSource>,
    /// The typical low..high MFU range for the plan (the utilisation table entry's, scaled to a value the plan
    /// sets itself).
    pub mfu_range: Option<(f64, f64)>,
    /// Average power per accelerator, W.
    pub power_w: f64,
    /// Host power per accelerator, W (0 without a host term).
    pub host_w: f64,
    /// Accelerator energy, kWh (all runs).
    pub accelerator_energy_kwh: f64,
    /// Host energy, kWh (all runs).
    pub host_energy_kwh: f64,
    /// IT energy = accelerators + host, kWh.
    pub it_energy_kwh: f64,
    /// The PUE used.
    pub pue: f64,
    /// Facility energy = IT x PUE, kWh.
    pub facility_energy_kwh: f64,
    /// The grid intensity used, gCO2e/kWh.
    pub intensity_g_per_kwh: f64,
    /// Operational, location-based CO2e, kg.
    pub co2e_kg: f64,
    /// The region's carbon-free-energy share, where known.
    pub cfe_share: Option<f64>,
    /// Market-based CO2e after the CFE share, kg (shown beside, never instead of, `co2e_kg`).
    pub market_co2e_kg: Option<f64>,
    /// Embodied kgCO2e per device used (when embodied is included).
    pub embodied_kg_per_device: Option<f64>,
    /// Lifetime in years used (when embodied is included).
    pub lifetime_years: Option<f64>,
    /// Embodied CO2e, kg (0 when not included).
    pub embodied_co2e_kg: f64,
    /// Operational + embodied, kg.
    pub total_co2e_kg: f64,
    /// The WUE used, L/kWh.
    pub wue_l_per_kwh: Option<f64>,
    /// On-site water, litres.
    pub water_l: Option<f64>,
    /// Cost in US dollars, when the plan is priced.
    pub cost_usd: Option<f64>,
    /// The runs multiplier.
    pub runs: f64,
    /// Where the PUE came from.
    pub pue_source: ValueSource,
    /// Where the intensity came from.
    pub intensity_source: ValueSource,
    /// Defaults and fallbacks used.
    pub assumptions: Assumptions,
}

/// One term of the breakdown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Term {
    /// Accelerator energy.
    Accelerators,
    /// Host CPU and memory energy.
    Host,
    /// Cooling and power-delivery overhead: IT x (PUE - 1).
    PueOverhead,
    /// Embodied carbon.
    Embodied,
}

impl Term {
    /// All terms, in stacking order.
    pub const ALL: [Term; 4] = [
        Term::Accelerators,
        Term::Host,
        Term::PueOverhead,
        Term::Embodied,
    ];

    /// A label for legends and tables.
    pub fn label(self) -> &'static str {
        match self {
            Term::Accelerators => "Accelerators (IT)",
            Term::Host => "Host (IT)",
            Term::PueOverhead => "PUE overhead",
            Term::Embodied => "Embodied",
        }
    }
}

/// One row of the breakdown: energy (kWh) and CO2e (kg) of a term.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TermShare {
    /// The term.
    pub term: Term,
    /// Its energy in kWh (0 for embodied).
    pub energy_kwh: f64,
    /// Its CO2e in kg.
    pub co2e_kg: f64,
}

impl Estimate {
    /// The breakdown by term; the CO2e shares add up to `total_co2e_kg`, the energies to the facility energy.
    pub fn breakdown(&self) -> [TermShare; 4] {
        let kg = |kwh: f64| formula::operational_co2e_kg(kwh, self.intensity_g_per_kwh);
        let overhead = self.facility_energy_kwh - self.it_energy_kwh;
        [
            TermShare {
                term: Term::Accelerators,
                energy_kwh: self.accelerator_energy_kwh,
                co2e_kg: kg(self.accelerator_energy_kwh),
            },
            TermShare {
                term: Term::Host,
                energy_kwh: self.host_energy_kwh,
                co2e_kg: kg(self.host_energy_kwh),
            },
            TermShare {
                term: Term::PueOverhead,
                energy_kwh: overhead,
                co2e_kg: kg(overhead),
            },
            TermShare {
                term: Term::Embodied,
                energy_kwh: 0.0,
                co2e_kg: self.embodied_co2e_kg,
            },
        ]
    }
}

#[inline]
fn checked(field: Field, value: f64) -> Result<f64, EstimateError> {
    field
        .check(value)
        .map_err(|rule| EstimateError::Invalid { field, rule, value })
}

/// Estimates one plan against the catalogue: looks up its accelerator and region, then calls
/// [`estimate_with`].
///
/// ```
/// use trainprint::model::{Catalogue, Power, TrainingPlan};
/// use trainprint::persist::presets;
/// let catalogue = presets::catalogue()?;
/// let mut plan = TrainingPlan::new("worked example", "nvidia-a100-sxm4-40gb", 8, 120.0, "us-virginia");
/// plan.power = Power::Watts(400.0);
/// plan.pue = Some(1.2);
/// plan.intensity_g_per_kwh = Some(350.0);
/// let e = trainprint::engine::estimate(&plan, &catalogue)?;
/// assert!((e.facility_energy_kwh - 460.8).abs() < 1e-9);
/// assert!((e.co2e_kg - 161.28).abs() < 1e-9);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn estimate(plan: &TrainingPlan, catalogue: &Catalogue) -> Result<Estimate, EstimateError> {
    let accelerator = catalogue
        .accelerator(&plan.accelerator)
        .ok_or_else(|| EstimateError::UnknownAccelerator(plan.accelerator.clone()))?;
    let region = match &plan.region {
        Some(id) => Some(
            catalogue
                .region(id)
                .ok_or_else(|| EstimateError::UnknownRegion(id.clone()))?,
        ),
        None => None,
    };
    estimate_with(plan, accelerator, region, catalogue.utilization())
}

fn missing_peak(accelerator: &Accelerator, precision: Precision) -> EstimateError {
    let names: Vec<&str> = accelerator
        .peak_tflops
        .available()
        .map(|p| p.as_str())
        .collect();
    EstimateError::MissingPeak {
        accelerator: accelerator.id.clone(),
        precision,
        available: if names.is_empty() {
            "none".to_owned()
        } else {
            names.join(", ")
        },
    }
}

/// Estimates one plan with its accelerator, region and the utilisation table already resolved (the plan's ids
/// are not looked at).
pub fn estimate_with(
    plan: &TrainingPlan,
    accelerator: &Accelerator,
    region: Option<&Region>,
    utilization: &UtilizationTable,
) -> Result<Estimate, EstimateError> {
    let mut assumptions = Assumptions::default();

    let count = match plan.count {
        Some(0) => {
            return Err(EstimateError::Invalid {
                field: Field::Count,
                rule: Rule::AtLeastOne,
                value: 0.0,
            });
        }
        c => c,
    };
    let runs = checked(Field::Runs, plan.runs)?;

    // Duration: accelerator-hours of one run.
    let mut training_flops = None;
    let mut peak_flops_per_s = None;
    let mut mfu_used = None;
    let mut mfu_source = None;
    let mut mfu_range = None;
    let run_accelerator_hours = match plan.duration {
        Duration::WallHours(h) => {
            let h = checked(Field::Hours, h)?;
            let c = count.ok_or(EstimateError::MissingCount)?;
            formula::accelerator_hours(c, h)
        }
        Duration::AcceleratorHours(x) => checked(Field::AcceleratorHours, x)?,
        Duration::Compute {
            work,
            precision,
            workload,
            mfu,
        } => {
            let flops = work_flops(work)?;
            let peak = match accelerator.peak_flops(precision) {
                Some(p) => checked(Field::PeakTflops, p)?,
                None => return Err(missing_peak(accelerator, precision)),
            };
            let typical = utilization.lookup(accelerator, precision, workload);
            let (m, source) = match mfu {
                Some(m) => (checked(Field::Mfu, m)?, ValueSource::Plan),
                None => {
                    let u = typical.ok_or_else(|| EstimateError::MissingUtilization {
                        accelerator: accelerator.id.clone(),
                        precision,
                        workload,
                    })?;
                    assumptions.insert(Assumption::DefaultMfu);
                    (
                        checked(Field::Mfu, u.mfu())?,
                        ValueSource::Table(u.origin()),
                    )
                }
            };
            // The typical range: the entry's own, or its relative spread around a value the plan sets.
            mfu_range = typical.map(|u| {
                let (lo, hi) = u.range();
                let t = u.mfu();
                if mfu.is_some() && t > 0.0 {
                    (m * lo / t, (m * hi / t).min(1.0).max(m))
                } else {
                    (lo.min(m), hi.max(m))
                }
            });
            if precision == Precision::Fp32 && accelerator.peak_tflops.tf32.is_some() {
                assumptions.insert(Assumption::Fp32MayRunAsTf32);
            }
            training_flops = Some(flops);
            peak_flops_per_s = Some(peak);
            mfu_used = Some(m);
            mfu_source = Some(source);
            formula::compute_accelerator_hours(flops, peak, m)
        }
        Duration::Throughput {
            items,
            per_second,
            flops_per_item,
            precision,
            ..
        } => {
            let items = checked(Field::Items, items)?;
            let rate = checked(Field::ItemsPerSecond, per_second)?;
            if let Some(f) = flops_per_item {
                let f = checked(Field::FlopsPerItem, f)?;
                training_flops = Some(f * items);
                if let Some(p) = precision.and_then(|p| accelerator.peak_flops(p)) {
                    let peak = checked(Field::PeakTflops, p)?;
                    peak_flops_per_s = Some(peak);
                    mfu_used = Some(formula::implied_mfu(f, rate, peak));
                    mfu_source = Some(ValueSource::Implied);
                }
            }
            formula::throughput_accelerator_hours(items, rate)
        }
    };
    let wall_hours = match plan.duration {
        Duration::WallHours(h) => Some(h),
        _ => count.map(|c| run_accelerator_hours / f64::from(c)),
    };
    if wall_hours.is_none() {
        assumptions.insert(Assumption::NoWallHours);
    }
    let accelerator_hours = run_accelerator_hours * runs;

    // Power per accelerator.
    let power_w = match plan.power {
        Power::Watts(w) => checked(Field::Watts, w)?,
        Power::Tdp {
            utilization: power_utilization,
        } => {
            let u = checked(Field::Utilization, power_utilization)?;
            let tdp = accelerator
                .tdp_watts
                .ok_or_else(|| EstimateError::MissingTdp(accelerator.id.clone()))?;
            assumptions.insert(Assumption::PowerFromTdp);
            checked(Field::TdpWatts, tdp)? * u
        }
    };
    let host_w = match &plan.host {
        None => 0.0,
        Some(h) => {
            let cpu = checked(Field::HostCpuWatts, h.cpu_watts)?;
            let gb = checked(Field::HostMemoryGb, h.memory_gb)?;
            let w_per_gb = checked(Field::HostMemoryWPerGb, h.memory_w_per_gb)?;
            if h.accelerators_per_host == 0 {
                return Err(EstimateError::Invalid {
                    field: Field::AcceleratorsPerHost,
                    rule: Rule::AtLeastOne,
                    value: 0.0,
                });
            }
            (cpu + gb * w_per_gb) / f64::from(h.accelerators_per_host)
        }
    };

    let accelerator_energy_kwh = formula::energy_kwh(accelerator_hours, power_w);
    let host_energy_kwh = formula::energy_kwh(accelerator_hours, host_w);
    let it_energy_kwh = accelerator_energy_kwh + host_energy_kwh;

    // PUE: plan override, else the region's provider PUE, else the flagged default.
    let (pue, pue_source) = match (plan.pue, region.and_then(|r| r.pue)) {
        (Some(p), _) => (checked(Field::Pue, p)?, ValueSource::Plan),
        (None, Some(p)) => (checked(Field::Pue, p)?, ValueSource::Region),
        (None, None) => {
            assumptions.insert(Assumption::DefaultPue);
            (defaults::PUE.value, ValueSource::Default)
        }
    };
    let facility_energy_kwh = formula::facility_energy_kwh(it_energy_kwh, pue);

    // Intensity: plan override, else the region's live reading, else its annual average. Never a default.
    let (intensity, intensity_source) = match (plan.intensity_g_per_kwh, region) {
        (Some(i), _) => (checked(Field::Intensity, i)?, ValueSource::Plan),
        (None, Some(r)) => match &r.live {
            Some(live) => {
                assumptions.insert(Assumption::LiveIntensity);
                (
                    checked(Field::Intensity, live.intensity_g_per_kwh)?,
                    ValueSource::Live,
                )
            }
            None => (
                checked(Field::Intensity, r.intensity_g_per_kwh)?,
                ValueSource::Region,
            ),
        },
        (None, None) => return Err(EstimateError::MissingIntensity),
    };
    let co2e_kg = formula::operational_co2e_kg(facility_energy_kwh, intensity);

    // Market-based: only when the intensity is the region's and the region publishes a CFE share.
    let cfe_share = match (intensity_source, region.and_then(|r| r.cfe_share)) {
        (ValueSource::Region, Some(c)) => Some(checked(Field::CfeShare, c)?),
        _ => None,
    };
    let market_co2e_kg = cfe_share.map(|c| formula::market_co2e_kg(co2e_kg, c));

    // Embodied.
    let (embodied_kg_per_device, lifetime_years, embodied_co2e_kg) = match &plan.embodied {
        None => (None, None, 0.0),
        Some(spec) => {
            let kg = match (spec.kgco2e_per_device, accelerator.embodied_kgco2e) {
                (Some(k), _) | (None, Some(k)) => checked(Field::EmbodiedKg, k)?,
                (None, None) => {
                    assumptions.insert(Assumption::GenericEmbodied);
                    defaults::EMBODIED_KGCO2E.value
                }
            };
            let life = match (spec.lifetime_years, accelerator.lifetime_years) {
                (Some(l), _) | (None, Some(l)) => checked(Field::LifetimeYears, l)?,
                (None, None) => {
                    assumptions.insert(Assumption::DefaultLifetime);
                    defaults::LIFETIME_YEARS.value
                }
            };
            (
                Some(kg),
                Some(life),
                formula::embodied_co2e_kg(kg, accelerator_hours, life),
            )
        }
    };

    // Water.
    let wue = match region.and_then(|r| r.wue_l_per_kwh) {
        Some(w) => Some(checked(Field::Wue, w)?),
        None => {
            assumptions.insert(Assumption::NoWaterData);
            None
        }
    };
    let water_l = wue.map(|w| formula::water_l(it_energy_kwh, w));

    // Cost.
    let cost_usd = match plan.price {
        Price::None => None,
        Price::UsdPerKwh(p) => Some(facility_energy_kwh * checked(Field::Price, p)?),
        Price::UsdPerAcceleratorHour(p) => Some(accelerator_hours * checked(Field::Price, p)?),
        Price::RegionElectricity => {
            let p = region
                .and_then(|r| r.electricity_usd_per_kwh)
                .ok_or_else(|| {
                    EstimateError::MissingRegionPrice(
                        region.map(|r| r.id.clone()).unwrap_or_default(),
                    )
                })?;
            Some(facility_energy_kwh * checked(Field::Price, p)?)
        }
    };

    check_ranges(plan, pue, intensity, mfu_used, embodied_kg_per_device)?;

    Ok(Estimate {
        accelerator_hours,
        wall_hours,
        training_flops,
        peak_flops_per_s,
        mfu: mfu_used,
        mfu_source,
        mfu_range,
        power_w,
        host_w,
        accelerator_energy_kwh,
        host_energy_kwh,
        it_energy_kwh,
        pue,
        facility_energy_kwh,
        intensity_g_per_kwh: intensity,
        co2e_kg,
        cfe_share,
        market_co2e_kg,
        embodied_kg_per_device,
        lifetime_years,
        embodied_co2e_kg,
        total_co2e_kg: co2e_kg + embodied_co2e_kg,
        wue_l_per_kwh: wue,
        water_l,
        cost_usd,
        runs,
        pue_source,
        intensity_source,
        assumptions,
    })
}

/// Each range the plan sets must apply to an input it uses and contain the value the estimate uses, so the central
/// estimate lies inside its own uncertainty range.
fn check_ranges(
    plan: &TrainingPlan,
    pue: f64,
    intensity: f64,
    mfu_used: Option<f64>,
    embodied_kg: Option<f64>,
) -> Result<(), EstimateError> {
    let r = &plan.ranges;
    let (watts, utilization) = match plan.power {
        Power::Watts(w) => {
            if r.utilization.is_some() {
                return Err(EstimateError::RangeUnused(
                    Field::Utilization,
                    "power is given in watts, so give a watts range",
                ));
            }
            (Some(w), None)
        }
        Power::Tdp { utilization } => {
            if r.watts.is_some() {
                return Err(EstimateError::RangeUnused(
                    Field::Watts,
                    "power is a fraction of TDP, so give a utilization range",
                ));
            }
            (None, Some(utilization))
        }
    };
    let mfu = match plan.duration {
        Duration::Compute { .. } => mfu_used,
        _ => {
            if r.mfu.is_some() {
                return Err(EstimateError::RangeUnused(
                    Field::Mfu,
                    "only a compute-based duration has an MFU",
                ));
            }
            None
        }
    };
    if r.embodied_kg.is_some() && embodied_kg.is_none() {
        return Err(EstimateError::RangeUnused(
            Field::EmbodiedKg,
            "the plan has no embodied carbon per device",
        ));
    }
    for (field, range, value) in [
        (Field::Watts, r.watts, watts),
        (Field::Utilization, r.utilization, utilization),
        (Field::Pue, r.pue, Some(pue)),
        (Field::Intensity, r.intensity, Some(intensity)),
        (Field::Mfu, r.mfu, mfu),
        (Field::EmbodiedKg, r.embodied_kg, embodied_kg),
    ] {
        if let (Some(range), Some(value)) = (range, value)
            && !(range.low <= value && value <= range.high)
        {
            return Err(EstimateError::RangeExcludesValue {
                field,
                low: range.low,
                high: range.high,
                value,
            });
        }
    }
    Ok(())
}

/// Checks every number a plan carries itself (not the catalogue's), with the same rules as [`estimate`]; used
/// when loading files and applying edits, so an invalid plan is refused with the field named. The rules live in
/// [`crate::model::validate`].
pub fn validate_plan(plan: &TrainingPlan) -> Result<(), EstimateError> {
    validate_plan_numbers(plan).map_err(EstimateError::from)
}
