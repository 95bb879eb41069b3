//! Training plans: which accelerator, how many, for how long (or how much compute), at what power, where, and
//! which optional terms (host overhead, embodied carbon, price) to include.

use super::accelerator::Precision;
use super::utilization::Workload;
use serde::{Deserialize, Serialize};

/// How long the training runs, in one of four forms.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Duration {
    /// Wall-clock hours of one run; accelerator-hours = count x hours (needs a count).
    WallHours(f64),
    /// Accelerator-hours of one run (GPU-hours, TPU-chip-hours); wall hours need a count.
    AcceleratorHours(f64),
    /// Compute-based: training FLOPs over (peak FLOP/s at `precision` x MFU).
    Compute {
        /// The training work.
        work: Work,
        /// The precision whose dense peak the run is measured against.
        precision: Precision,
        /// The kind of model, which picks the default MFU from the utilisation table.
        #[serde(default)]
        workload: Workload,
        /// Model FLOPs utilisation, achieved / peak in (0, 1]; `None` uses the utilisation table's typical value
        /// for the accelerator, precision and workload (flagged, with its source).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mfu: Option<f64>,
    },
    /// Measured throughput: `items` tokens (or samples) at `per_second` per accelerator, from a benchmark run;
    /// accelerator-hours = items / per_second / 3600.
    Throughput {
        /// Tokens or samples processed in one run.
        items: f64,
        /// What an item is.
        #[serde(default)]
        unit: ItemUnit,
        /// Measured throughput, items per second per accelerator.
        per_second: f64,
        /// Training FLOPs per item (6 x N per token for an N-parameter transformer), to show the MFU the
        /// throughput implies.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        flops_per_item: Option<f64>,
        /// The precision whose dense peak the implied MFU is measured against.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        precision: Option<Precision>,
    },
}

/// What a measured throughput counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemUnit {
    /// Tokens (language models).
    #[default]
    Tokens,
    /// Samples (images, sequences).
    Samples,
}

impl ItemUnit {
    /// The plural noun (`tokens`).
    pub fn label(self) -> &'static str {
        match self {
            ItemUnit::Tokens => "tokens",
            ItemUnit::Samples => "samples",
        }
    }
}

impl Duration {
    /// A short name of the mode, for labels.
    pub fn mode_label(&self) -> &'static str {
        match self {
            Duration::WallHours(_) => "wall hours",
            Duration::AcceleratorHours(_) => "accelerator-hours",
            Duration::Compute {
                work: Work::Flops(_),
                ..
            } => "compute (FLOPs)",
            Duration::Compute {
                work: Work::ParamsTokens { .. },
                ..
            } => "compute (6·N·D)",
            Duration::Throughput { .. } => "measured throughput",
        }
    }

    /// The plan's own MFU, when it is compute-based and sets one.
    pub fn own_mfu(&self) -> Option<f64> {
        match self {
            Duration::Compute { mfu, .. } => *mfu,
            _ => None,
        }
    }
}

/// The training work of a compute-based plan.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Work {
    /// Total training FLOPs.
    Flops(f64),
    /// Dense-transformer estimate: FLOPs = 6 x parameters x tokens (Kaplan et al. 2020).
    ParamsTokens {
        /// Number of model parameters N.
        params: f64,
        /// Number of training tokens D.
        tokens: f64,
    },
}

impl Work {
    /// The training FLOPs this work stands for (6·N·D for parameters and tokens).
    ///
    /// ```
    /// use trainprint::model::Work;
    /// assert_eq!(Work::ParamsTokens { params: 7e9, tokens: 1e12 }.flops(), 4.2e22);
    /// assert_eq!(Work::Flops(3.14e23).flops(), 3.14e23);
    /// ```
    pub fn flops(&self) -> f64 {
        match *self {
            Work::Flops(f) => f,
            Work::ParamsTokens { params, tokens } => 6.0 * params * tokens,
        }
    }
}

/// Average electrical power drawn by each accelerator.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Power {
    /// A measured or assumed average in watts per accelerator (use exactly this figure).
    Watts(f64),
    /// The catalogue TDP times a power-utilisation factor in (0, 1].
    Tdp {
        /// Average power as a fraction of TDP.
        utilization: f64,
    },
}

/// Host (CPU and memory) power shared by a group of accelerators.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostOverhead {
    /// Average CPU power of one host, watts.
    pub cpu_watts: f64,
    /// Host memory, GB.
    pub memory_gb: f64,
    /// Memory power per GB, W/GB (Green Algorithms uses 0.3725).
    pub memory_w_per_gb: f64,
    /// How many accelerators share one host (1 = the figures are per accelerator).
    pub accelerators_per_host: u32,
}

/// Embodied (manufacturing) carbon amortised over the device lifetime; present means included.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EmbodiedSpec {
    /// kgCO2e per device; `None` uses the catalogue's figure (or the generic fallback, flagged).
    pub kgco2e_per_device: Option<f64>,
    /// Lifetime in years; `None` uses the catalogue's figure (or the default, flagged).
    pub lifetime_years: Option<f64>,
}

/// How the plan is priced.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum Price {
    /// No cost shown.
    #[default]
    None,
    /// Facility energy times the region's electricity price.
    RegionElectricity,
    /// Facility energy times this price, USD per kWh.
    UsdPerKwh(f64),
    /// Accelerator-hours times this rental price, USD per accelerator-hour.
    UsdPerAcceleratorHour(f64),
}

/// A low..high range of an uncertain input, in the input's own unit.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Range {
    /// Low end.
    pub low: f64,
    /// High end.
    pub high: f64,
}

/// The plan's own uncertainty ranges; inputs without one use the documented defaults
/// (see `engine::uncertainty`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlanRanges {
    /// Average watts per accelerator (when power is given in watts).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub watts: Option<Range>,
    /// Utilisation of TDP (when power is TDP x utilisation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub utilization: Option<Range>,
    /// PUE.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pue: Option<Range>,
    /// Grid intensity, gCO2e/kWh.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intensity: Option<Range>,
    /// Model FLOPs utilisation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mfu: Option<Range>,
    /// Embodied kgCO2e per device.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embodied_kg: Option<Range>,
}

impl PlanRanges {
    /// True when the plan sets no range.
    pub fn is_empty(&self) -> bool {
        *self == PlanRanges::default()
    }
}

fn one() -> f64 {
    1.0
}

fn is_one(x: &f64) -> bool {
    *x == 1.0
}

/// A plan's identity within its workspace: its colour and chart series follow it when the plan moves. Given when
/// the plan joins a workspace ([`crate::model::Workspace::number_plans`]) and saved with it since workspace
/// version 4.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PlanId(pub u32);

impl PlanId {
    /// Not numbered yet (a plan built in code or read from a file older than version 4).
    pub const UNSET: PlanId = PlanId(u32::MAX);

    /// True when the plan has no id yet.
    pub fn is_unset(&self) -> bool {
        *self == PlanId::UNSET
    }

    /// As a number for series ids; a plan not numbered yet counts by its position `index`.
    pub fn key_or(self, index: usize) -> u64 {
        if self.is_unset() {
            index as u64
        } else {
            u64::from(self.0)
        }
    }
}

impl Default for PlanId {
    fn default() -> Self {
        PlanId::UNSET
    }
}

/// One training plan: a column in the side-by-side comparison.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainingPlan {
    /// Its identity in the workspace.
    #[serde(default, skip_serializing_if = "PlanId::is_unset")]
    pub id: PlanId,
    /// The plan's name.
    pub name: String,
    /// Catalogue id of the accelerator.
    pub accelerator: String,
    /// Number of accelerators (needed for wall hours; optional with accelerator-hours).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// Duration or compute.
    pub duration: Duration,
    /// Average power per accelerator.
    pub power: Power,
    /// Optional host overhead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<HostOverhead>,
    /// Catalogue id of the region (grid intensity, PUE, water, price).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// PUE override; `None` uses the region's provider PUE or the default (flagged).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pue: Option<f64>,
    /// Grid intensity override, gCO2e/kWh; `None` uses the region's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intensity_g_per_kwh: Option<f64>,
    /// Repeats (tuning sweeps, restarts): scales energy, carbon, water and cost.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub runs: f64,
    /// Include embodied carbon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embodied: Option<EmbodiedSpec>,
    /// Cost model.
    #[serde(default)]
    pub price: Price,
    /// Uncertainty ranges set on this plan.
    #[serde(default, skip_serializing_if = "PlanRanges::is_empty")]
    pub ranges: PlanRanges,
}

impl TrainingPlan {
    /// A plan of `count` accelerators for `hours` wall hours at TDP, in `region`; the other terms off.
    pub fn new(
        name: impl Into<String>,
        accelerator: impl Into<String>,
        count: u32,
        hours: f64,
        region: impl Into<String>,
    ) -> Self {
        TrainingPlan {
            id: PlanId::UNSET,
            name: name.into(),
            accelerator: accelerator.into(),
            count: Some(count),
            duration: Duration::WallHours(hours),
            power: Power::Tdp { utilization: 1.0 },
            host: None,
            region: Some(region.into()),
            pue: None,
            intensity_g_per_kwh: None,
            runs: 1.0,
            embodied: None,
            price: Price::None,
            ranges: PlanRanges::default(),
        }
    }
}
