//! Typed errors for invalid plan inputs: each names the field and what is wrong with it.

use crate::model::Precision;
use std::fmt;

/// A plan or catalogue input the engine reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// Number of accelerators.
    Count,
    /// Wall-clock hours.
    Hours,
    /// Accelerator-hours.
    AcceleratorHours,
    /// Training FLOPs.
    Flops,
    /// Model parameters.
    Params,
    /// Training tokens.
    Tokens,
    /// The compute precision.
    Precision,
    /// Model FLOPs utilisation.
    Mfu,
    /// Explicit average watts per accelerator.
    Watts,
    /// Power as a fraction of TDP.
    Utilization,
    /// Host CPU watts.
    HostCpuWatts,
    /// Host memory GB.
    HostMemoryGb,
    /// Host memory W/GB.
    HostMemoryWPerGb,
    /// Accelerators per host.
    AcceleratorsPerHost,
    /// Power usage effectiveness.
    Pue,
    /// Grid carbon intensity.
    Intensity,
    /// Runs multiplier.
    Runs,
    /// Embodied kgCO2e per device.
    EmbodiedKg,
    /// Device lifetime in years.
    LifetimeYears,
    /// Price.
    Price,
    /// The accelerator id.
    Accelerator,
    /// The region id.
    Region,
    /// The accelerator's TDP in the catalogue.
    TdpWatts,
    /// The accelerator's peak FLOP/s in the catalogue.
    PeakTflops,
    /// The region's carbon-free-energy share.
    CfeShare,
    /// The region's water usage effectiveness.
    Wue,
}

impl Field {
    /// The field's name as in workspace files.
    pub fn name(self) -> &'static str {
        match self {
            Field::Count => "count",
            Field::Hours => "hours",
            Field::AcceleratorHours => "accelerator_hours",
            Field::Flops => "flops",
            Field::Params => "params",
            Field::Tokens => "tokens",
            Field::Precision => "precision",
            Field::Mfu => "mfu",
            Field::Watts => "watts",
            Field::Utilization => "utilization",
            Field::HostCpuWatts => "host.cpu_watts",
            Field::HostMemoryGb => "host.memory_gb",
            Field::HostMemoryWPerGb => "host.memory_w_per_gb",
            Field::AcceleratorsPerHost => "host.accelerators_per_host",
            Field::Pue => "pue",
            Field::Intensity => "intensity_g_per_kwh",
            Field::Runs => "runs",
            Field::EmbodiedKg => "embodied.kgco2e_per_device",
            Field::LifetimeYears => "embodied.lifetime_years",
            Field::Price => "price",
            Field::Accelerator => "accelerator",
            Field::Region => "region",
            Field::TdpWatts => "tdp_watts",
            Field::PeakTflops => "peak_tflops",
            Field::CfeShare => "cfe_share",
            Field::Wue => "wue_l_per_kwh",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The rule a value broke.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// NaN or infinite.
    NotFinite,
    /// Below zero.
    Negative,
    /// Must be at least 1 (counts, accelerators per host).
    AtLeastOne,
    /// Must be in (0, 1].
    UnitInterval,
    /// Must be in [0, 1].
    Share,
    /// Must be above zero.
    Positive,
    /// PUE below 1 is impossible.
    PueBelowOne,
    /// A range whose low end exceeds its high end.
    RangeOrder,
}

impl Rule {
    fn text(self) -> &'static str {
        match self {
            Rule::NotFinite => "must be a finite number",
            Rule::Negative => "must not be negative",
            Rule::AtLeastOne => "must be at least 1",
            Rule::UnitInterval => "must be greater than 0 and at most 1",
            Rule::Share => "must be between 0 and 1",
            Rule::Positive => "must be greater than 0",
            Rule::PueBelowOne => "must be at least 1 (PUE is facility energy over IT energy)",
            Rule::RangeOrder => "range must have its low end at most its high end",
        }
    }
}

/// Why a plan cannot be estimated.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum EstimateError {
    /// A number breaks its rule.
    #[error("{field} {} (got {value})", rule.text())]
    Invalid {
        /// The field.
        field: Field,
        /// The rule it broke.
        rule: Rule,
        /// The value given.
        value: f64,
    },
    /// The accelerator id is not in the catalogue.
    #[error("accelerator '{0}' is not in the catalogue")]
    UnknownAccelerator(String),
    /// The region id is not in the catalogue.
    #[error("region '{0}' is not in the catalogue")]
    UnknownRegion(String),
    /// Compute-based duration at a precision the accelerator has no peak for.
    #[error("accelerator '{accelerator}' has no peak FLOP/s for {precision} (it has: {available})")]
    MissingPeak {
        /// The accelerator id.
        accelerator: String,
        /// The precision asked for.
        precision: Precision,
        /// The precisions it has, comma-separated.
        available: String,
    },
    /// Power from TDP for an accelerator without a published TDP.
    #[error(
        "accelerator '{0}' has no published TDP: give the average power in watts instead of a TDP fraction"
    )]
    MissingTdp(String),
    /// Wall hours given without a count.
    #[error("count is needed with wall hours (accelerator-hours = count x hours)")]
    MissingCount,
    /// Neither a region nor an explicit intensity.
    #[error("no grid intensity: choose a region or give intensity_g_per_kwh")]
    MissingIntensity,
    /// The plan prices energy by the region, which has no price.
    #[error("region '{0}' has no electricity price: give a price per kWh")]
    MissingRegionPrice(String),
    /// An uncertainty range that does not contain the value the estimate uses.
    #[error(
        "{field} range {low}..{high} does not contain the value the estimate uses ({value}): widen the range or set the value inside it"
    )]
    RangeExcludesValue {
        /// The input.
        field: Field,
        /// Low end of the range.
        low: f64,
        /// High end of the range.
        high: f64,
        /// The value the estimate uses.
        value: f64,
    },
    /// An uncertainty range on an input the plan does not use (watts with power from TDP, say).
    #[error("{0} has a range but the plan does not use it: {1}")]
    RangeUnused(Field, &'static str),
}

impl EstimateError {
    /// True when the error is about an uncertainty range rather than the input's value.
    pub fn is_about_a_range(&self) -> bool {
        matches!(
            self,
            EstimateError::RangeExcludesValue { .. }
                | EstimateError::RangeUnused(..)
                | EstimateError::Invalid {
                    rule: Rule::RangeOrder,
                    ..
                }
        )
    }

    /// The field the error is about.
    pub fn field(&self) -> Field {
        match self {
            EstimateError::Invalid { field, .. } => *field,
            EstimateError::UnknownAccelerator(_) => Field::Accelerator,
            EstimateError::UnknownRegion(_) => Field::Region,
            EstimateError::MissingPeak { .. } => Field::Precision,
            EstimateError::MissingTdp(_) => Field::Watts,
            EstimateError::MissingCount => Field::Count,
            EstimateError::MissingIntensity => Field::Intensity,
            EstimateError::MissingRegionPrice(_) => Field::Price,
            EstimateError::RangeExcludesValue { field, .. }
            | EstimateError::RangeUnused(field, _) => *field,
        }
    }
}
