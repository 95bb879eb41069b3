//! Accelerators (GPUs, TPUs, other training chips): board power, memory, dense peak FLOP/s per precision,
//! embodied carbon, and where every number came from.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A numeric precision a training run can use; it picks the accelerator's peak FLOP/s.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// IEEE single precision on the vector (non-tensor) units.
    Fp32,
    /// NVIDIA TensorFloat-32 on tensor cores (or the vendor's equivalent matrix FP32 path).
    Tf32,
    /// bfloat16 matrix math (FP32 accumulate).
    Bf16,
    /// FP16 matrix math with FP32 accumulate (the rate mixed-precision training uses).
    Fp16,
    /// 8-bit floating point matrix math.
    Fp8,
}

impl Precision {
    /// Every precision, in the order the catalogue lists them.
    pub const ALL: [Precision; 5] = [
        Precision::Fp32,
        Precision::Tf32,
        Precision::Bf16,
        Precision::Fp16,
        Precision::Fp8,
    ];

    /// The lowercase name used in files and on the command line (`fp32`, `bf16`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Fp32 => "fp32",
            Precision::Tf32 => "tf32",
            Precision::Bf16 => "bf16",
            Precision::Fp16 => "fp16",
            Precision::Fp8 => "fp8",
        }
    }

    /// A human label (`FP32`, `BF16`, …).
    pub fn label(self) -> &'static str {
        match self {
            Precision::Fp32 => "FP32",
            Precision::Tf32 => "TF32",
            Precision::Bf16 => "BF16",
            Precision::Fp16 => "FP16",
            Precision::Fp8 => "FP8",
        }
    }
}

impl fmt::Display for Precision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error for a precision name that is not one of `fp32, tf32, bf16, fp16, fp8`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown precision '{0}' (expected one of fp32, tf32, bf16, fp16, fp8)")]
pub struct UnknownPrecision(pub String);

impl FromStr for Precision {
    type Err = UnknownPrecision;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Precision::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownPrecision(s.to_owned()))
    }
}

/// Peak **dense** throughput in TFLOP/s (10^12 FLOP/s) per precision; `None` where the chip has no such path
/// or no figure was published. Never the 2:4-sparsity figure.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PeakTflops {
    /// FP32 (vector) TFLOP/s.
    pub fp32: Option<f64>,
    /// TF32 tensor TFLOP/s.
    pub tf32: Option<f64>,
    /// BF16 tensor TFLOP/s.
    pub bf16: Option<f64>,
    /// FP16 tensor TFLOP/s (FP32 accumulate).
    pub fp16: Option<f64>,
    /// FP8 tensor TFLOP/s.
    pub fp8: Option<f64>,
}

impl PeakTflops {
    /// The peak for one precision.
    pub fn get(&self, precision: Precision) -> Option<f64> {
        match precision {
            Precision::Fp32 => self.fp32,
            Precision::Tf32 => self.tf32,
            Precision::Bf16 => self.bf16,
            Precision::Fp16 => self.fp16,
            Precision::Fp8 => self.fp8,
        }
    }

    /// A mutable slot for one precision (for editors).
    pub fn slot_mut(&mut self, precision: Precision) -> &mut Option<f64> {
        match precision {
            Precision::Fp32 => &mut self.fp32,
            Precision::Tf32 => &mut self.tf32,
            Precision::Bf16 => &mut self.bf16,
            Precision::Fp16 => &mut self.fp16,
            Precision::Fp8 => &mut self.fp8,
        }
    }

    /// The precisions this accelerator has a peak for.
    pub fn available(&self) -> impl Iterator<Item = Precision> + '_ {
        Precision::ALL
            .into_iter()
            .filter(|p| self.get(*p).is_some())
    }
}

/// One accelerator in the catalogue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accelerator {
    /// Stable id, lowercase with dashes (`nvidia-a100-sxm4-40gb`).
    pub id: String,
    /// Display name (`A100 SXM4 40GB`).
    pub name: String,
    /// Vendor (`NVIDIA`).
    pub vendor: String,
    /// Release year of the product.
    pub year: u16,
    /// Board power / TDP in watts. `None` where the vendor publishes none (plans must then give watts).
    #[serde(default)]
    pub tdp_watts: Option<f64>,
    /// Accelerator memory in GB.
    pub memory_gb: f64,
    /// Peak dense TFLOP/s per precision.
    #[serde(default)]
    pub peak_tflops: PeakTflops,
    /// Embodied (manufacturing) carbon per device in kgCO2e, where a figure exists.
    #[serde(default)]
    pub embodied_kgco2e: Option<f64>,
    /// What the embodied figure covers (die only, card, server share, …).
    #[serde(default)]
    pub embodied_scope: String,
    /// Service lifetime in years used to amortise embodied carbon; `None` uses the documented default.
    #[serde(default)]
    pub lifetime_years: Option<f64>,
    /// Where the numbers come from.
    pub source: String,
    /// The year of the cited source (the datasheet or table the figures come from), not when it was checked.
    pub data_year: u16,
    /// The year the entry was last checked against its sources, where recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked_year: Option<u16>,
    /// Free-form notes (conflicts between sources, variants, caveats).
    #[serde(default)]
    pub notes: String,
}

impl Accelerator {
    /// Peak dense FLOP/s (not TFLOP/s) at a precision, if the catalogue has one.
    pub fn peak_flops(&self, precision: Precision) -> Option<f64> {
        self.peak_tflops.get(precision).map(|t| t * 1e12)
    }
}
