//! Typed errors for invalid plan inputs: each names the field and what is wrong with it.

use crate::model::validate::Invalid;
pub use crate::model::validate::{Field, Rule};
use crate::model::{Precision, Workload};

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
    /// A compute-based plan without an MFU whose accelerator has no utilisation default.
    #[error(
        "no typical MFU for '{accelerator}' at {precision} for {workload} in the utilisation table: give the plan an MFU"
    )]
    MissingUtilization {
        /// The accelerator id.
        accelerator: String,
        /// The precision.
        precision: Precision,
        /// The workload class.
        workload: Workload,
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
            EstimateError::MissingUtilization { .. } => Field::Mfu,
            EstimateError::MissingTdp(_) => Field::Watts,
            EstimateError::MissingCount => Field::Count,
            EstimateError::MissingIntensity => Field::Intensity,
            EstimateError::MissingRegionPrice(_) => Field::Price,
            EstimateError::RangeExcludesValue { field, .. }
            | EstimateError::RangeUnused(field, _) => *field,
        }
    }
}

impl From<Invalid> for EstimateError {
    fn from(i: Invalid) -> Self {
        EstimateError::Invalid {
            field: i.field,
            rule: i.rule,
            value: i.value,
        }
    }
}
