//! Sweeps: one plan varied over one input (its region, accelerator, count, precision, PUE or power utilisation),
//! as plain data kept in the workspace, with the rules that make a sweep valid. The engine runs it
//! (`engine::sweep`).

use super::plan::PlanId;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The most values one sweep may hold (every region of the catalogue is about 60).
pub const MAX_VALUES: usize = 256;

/// Which regions a region sweep covers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum RegionSet {
    /// Every region in the catalogue.
    #[default]
    All,
    /// The regions of one cloud provider.
    Provider(Provider),
    /// These region ids.
    List(Vec<String>),
}

/// A cloud provider whose regions a sweep can cover.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// Amazon Web Services.
    Aws,
    /// Google Cloud.
    Gcp,
    /// Microsoft Azure.
    Azure,
}

impl Provider {
    /// Every provider.
    pub const ALL: [Provider; 3] = [Provider::Aws, Provider::Gcp, Provider::Azure];

    /// The short name (`aws`).
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Aws => "aws",
            Provider::Gcp => "gcp",
            Provider::Azure => "azure",
        }
    }

    /// The name the catalogue's cloud regions carry (`Amazon Web Services`).
    pub fn catalogue_name(self) -> &'static str {
        match self {
            Provider::Aws => "Amazon Web Services",
            Provider::Gcp => "Google Cloud",
            Provider::Azure => "Microsoft Azure",
        }
    }
}

/// The error for a provider name other than `aws`, `gcp` or `azure`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown provider '{0}' (expected aws, gcp or azure)")]
pub struct UnknownProvider(pub String);

impl FromStr for Provider {
    type Err = UnknownProvider;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Provider::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownProvider(s.to_owned()))
    }
}

/// The input a sweep varies, and its values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum SweepOver {
    /// The region (grid intensity, provider PUE, water, price); the plan's own intensity override is dropped.
    Region(RegionSet),
    /// The accelerator: these ids, or with an empty list every accelerator that has the plan's precision. A plan
    /// given in watts runs each other accelerator at the same fraction of its TDP.
    Accelerator(Vec<String>),
    /// The number of accelerators.
    Count(Vec<u32>),
    /// The precision of a compute-based plan: every precision the accelerator has a peak for.
    Precision,
    /// The PUE.
    Pue(Vec<f64>),
    /// Average power as a fraction of TDP.
    Utilization(Vec<f64>),
}

/// What a sweep varies, without its values (the command line's `--over`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SweepKind {
    /// [`SweepOver::Region`].
    Region,
    /// [`SweepOver::Accelerator`].
    Accelerator,
    /// [`SweepOver::Count`].
    Count,
    /// [`SweepOver::Precision`].
    Precision,
    /// [`SweepOver::Pue`].
    Pue,
    /// [`SweepOver::Utilization`].
    Utilization,
}

impl SweepKind {
    /// Every kind, in menu order.
    pub const ALL: [SweepKind; 6] = [
        SweepKind::Region,
        SweepKind::Accelerator,
        SweepKind::Count,
        SweepKind::Precision,
        SweepKind::Pue,
        SweepKind::Utilization,
    ];

    /// The lowercase name (`region`), as on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            SweepKind::Region => "region",
            SweepKind::Accelerator => "accelerator",
            SweepKind::Count => "count",
            SweepKind::Precision => "precision",
            SweepKind::Pue => "pue",
            SweepKind::Utilization => "utilization",
        }
    }

    /// A label for the app (`Region`).
    pub fn label(self) -> &'static str {
        match self {
            SweepKind::Region => "Region",
            SweepKind::Accelerator => "Accelerator",
            SweepKind::Count => "Count",
            SweepKind::Precision => "Precision",
            SweepKind::Pue => "PUE",
            SweepKind::Utilization => "Utilisation of TDP",
        }
    }

    /// The default sweep of this kind: every region, every accelerator with the plan's precision, every
    /// precision, counts 8 to 512 doubling, PUE 1.1 to 1.6 and utilisation 0.5 to 1.0.
    pub fn default_over(self) -> SweepOver {
        match self {
            SweepKind::Region => SweepOver::Region(RegionSet::All),
            SweepKind::Accelerator => SweepOver::Accelerator(Vec::new()),
            SweepKind::Count => SweepOver::Count(doubling(8, 512)),
            SweepKind::Precision => SweepOver::Precision,
            SweepKind::Pue => SweepOver::Pue(steps(1.1, 1.6, 6)),
            SweepKind::Utilization => SweepOver::Utilization(steps(0.5, 1.0, 6)),
        }
    }
}

impl fmt::Display for SweepKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error for a sweep kind name that is not one of the six.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown sweep input '{0}' (expected region, accelerator, count, precision, pue or utilization)"
)]
pub struct UnknownSweepKind(pub String);

impl FromStr for SweepKind {
    type Err = UnknownSweepKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_ascii_lowercase();
        if s == "utilisation" {
            return Ok(SweepKind::Utilization);
        }
        SweepKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or(UnknownSweepKind(s))
    }
}

impl SweepOver {
    /// What this sweep varies.
    pub fn kind(&self) -> SweepKind {
        match self {
            SweepOver::Region(_) => SweepKind::Region,
            SweepOver::Accelerator(_) => SweepKind::Accelerator,
            SweepOver::Count(_) => SweepKind::Count,
            SweepOver::Precision => SweepKind::Precision,
            SweepOver::Pue(_) => SweepKind::Pue,
            SweepOver::Utilization(_) => SweepKind::Utilization,
        }
    }
}

/// A sweep kept in the workspace: which plan, and over what.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sweep {
    /// The plan varied (by its stable id, so the sweep follows the plan when it moves).
    pub plan: PlanId,
    /// The input varied, and its values.
    pub over: SweepOver,
}

/// Why a sweep is invalid.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SweepInvalid {
    /// No values.
    #[error("the sweep has no values")]
    Empty,
    /// Too many values.
    #[error("the sweep has {0} values; at most {MAX_VALUES}")]
    TooMany(usize),
    /// A count of zero.
    #[error("a count must be at least 1")]
    ZeroCount,
    /// A PUE below 1, or not finite.
    #[error("a PUE must be a finite number >= 1 (got {0})")]
    Pue(f64),
    /// A utilisation outside (0, 1].
    #[error("a utilisation of TDP must lie in (0, 1] (got {0})")]
    Utilization(f64),
    /// An empty region id.
    #[error("a region id is empty")]
    EmptyId,
}

/// Checks a sweep's own values (ids are checked against the catalogue when it runs, and listed as skipped there).
pub fn validate(over: &SweepOver) -> Result<(), SweepInvalid> {
    let n = match over {
        SweepOver::Region(RegionSet::List(ids)) | SweepOver::Accelerator(ids) => {
            if ids.iter().any(|i| i.trim().is_empty()) {
                return Err(SweepInvalid::EmptyId);
            }
            // An empty accelerator list means "every accelerator".
            if matches!(over, SweepOver::Accelerator(_)) {
                1.max(ids.len())
            } else {
                ids.len()
            }
        }
        SweepOver::Region(_) | SweepOver::Precision => 1,
        SweepOver::Count(c) => {
            if c.contains(&0) {
                return Err(SweepInvalid::ZeroCount);
            }
            c.len()
        }
        SweepOver::Pue(v) => {
            if let Some(&x) = v.iter().find(|x| !x.is_finite() || **x < 1.0) {
                return Err(SweepInvalid::Pue(x));
            }
            v.len()
        }
        SweepOver::Utilization(v) => {
            if let Some(&x) = v.iter().find(|x| !x.is_finite() || **x <= 0.0 || **x > 1.0) {
                return Err(SweepInvalid::Utilization(x));
            }
            v.len()
        }
    };
    match n {
        0 => Err(SweepInvalid::Empty),
        n if n > MAX_VALUES => Err(SweepInvalid::TooMany(n)),
        _ => Ok(()),
    }
}

/// Counts from `low` to `high`, doubling (`8, 16, ..., 512`); `high` is included even off the doubling.
pub fn doubling(low: u32, high: u32) -> Vec<u32> {
    let mut out = Vec::new();
    let mut c = low.max(1);
    while c < high && out.len() < MAX_VALUES {
        out.push(c);
        c = c.saturating_mul(2);
    }
    if out.len() < MAX_VALUES && high >= low.max(1) {
        out.push(high);
    }
    out
}

/// `n` evenly spaced values from `low` to `high` (both included), rounded to 4 decimals.
pub fn steps(low: f64, high: f64, n: usize) -> Vec<f64> {
    let n = n.clamp(1, MAX_VALUES);
    if n == 1 {
        return vec![low];
    }
    (0..n)
        .map(|i| {
            let v = low + (high - low) * i as f64 / (n - 1) as f64;
            (v * 1e4).round() / 1e4
        })
        .collect()
}

/// Why a sweep given as text (command line, the app's field) does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// A provider with an input other than the region.
    #[error("a provider only applies to a region sweep")]
    ProviderNotRegion,
    /// Values a precision sweep does not take.
    #[error("a precision sweep covers every precision the accelerator has; it takes no values")]
    PrecisionValues,
    /// Values that do not parse.
    #[error("{0}")]
    Values(String),
}

/// The sweep of `kind` that a provider and a values text describe: without values, the kind's default (a region
/// sweep over the provider's regions with one). Values are comma-separated ids or numbers; counts also take
/// `LOW..HIGH` (doubling), PUE and utilisation `LOW..HIGH/N` (N evenly spaced values, 6 without `/N`).
pub fn parse_over(
    kind: SweepKind,
    provider: Option<Provider>,
    values: Option<&str>,
) -> Result<SweepOver, ParseError> {
    if provider.is_some() && kind != SweepKind::Region {
        return Err(ParseError::ProviderNotRegion);
    }
    let values = values.map(str::trim).filter(|v| !v.is_empty());
    let Some(v) = values else {
        return Ok(match (kind, provider) {
            (SweepKind::Region, Some(p)) => SweepOver::Region(RegionSet::Provider(p)),
            (k, _) => k.default_over(),
        });
    };
    let ids = || -> Vec<String> {
        v.split(',')
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect()
    };
    Ok(match kind {
        SweepKind::Region => SweepOver::Region(RegionSet::List(ids())),
        SweepKind::Accelerator => SweepOver::Accelerator(ids()),
        SweepKind::Count => SweepOver::Count(parse_counts(v)?),
        SweepKind::Precision => return Err(ParseError::PrecisionValues),
        SweepKind::Pue => SweepOver::Pue(parse_numbers(v)?),
        SweepKind::Utilization => SweepOver::Utilization(parse_numbers(v)?),
    })
}

fn parse_numbers(spec: &str) -> Result<Vec<f64>, ParseError> {
    let num = |s: &str| {
        s.trim()
            .parse::<f64>()
            .map_err(|_| ParseError::Values(format!("'{}' is not a number", s.trim())))
    };
    if let Some((lo, rest)) = spec.split_once("..") {
        let (hi, n) = rest.split_once('/').unwrap_or((rest, "6"));
        let n: usize = n.trim().parse().map_err(|_| {
            ParseError::Values(format!("'{spec}': N in LOW..HIGH/N must be a whole number"))
        })?;
        return Ok(steps(num(lo)?, num(hi)?, n));
    }
    spec.split(',').map(num).collect()
}

fn parse_counts(spec: &str) -> Result<Vec<u32>, ParseError> {
    let num = |s: &str| {
        s.trim()
            .parse::<u32>()
            .map_err(|_| ParseError::Values(format!("'{}' is not a count", s.trim())))
    };
    if let Some((lo, hi)) = spec.split_once("..") {
        let (lo, hi) = (num(lo)?, num(hi)?);
        if lo == 0 || lo > hi {
            return Err(ParseError::Values(format!(
                "'{spec}': expected 1 <= LOW <= HIGH"
            )));
        }
        return Ok(doubling(lo, hi));
    }
    spec.split(',').map(num).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_rules() {
        assert_eq!(doubling(8, 512), vec![8, 16, 32, 64, 128, 256, 512]);
        assert_eq!(doubling(8, 100), vec![8, 16, 32, 64, 100]);
        assert_eq!(steps(1.1, 1.6, 6), vec![1.1, 1.2, 1.3, 1.4, 1.5, 1.6]);
        assert_eq!(
            validate(&SweepOver::Pue(vec![1.2, 0.9])),
            Err(SweepInvalid::Pue(0.9))
        );
        assert_eq!(
            validate(&SweepOver::Utilization(vec![1.5])),
            Err(SweepInvalid::Utilization(1.5))
        );
        assert_eq!(
            validate(&SweepOver::Count(vec![8, 0])),
            Err(SweepInvalid::ZeroCount)
        );
        assert_eq!(
            validate(&SweepOver::Count(vec![])),
            Err(SweepInvalid::Empty)
        );
        assert_eq!(validate(&SweepOver::Accelerator(vec![])), Ok(()));
        assert_eq!("Utilisation".parse(), Ok(SweepKind::Utilization));
        assert_eq!("GCP".parse(), Ok(Provider::Gcp));
        assert_eq!(
            parse_over(SweepKind::Count, None, Some("8..64")),
            Ok(SweepOver::Count(vec![8, 16, 32, 64]))
        );
        assert_eq!(
            parse_over(SweepKind::Pue, None, Some("1.0..1.5/3")),
            Ok(SweepOver::Pue(vec![1.0, 1.25, 1.5]))
        );
        assert_eq!(
            parse_over(SweepKind::Region, Some(Provider::Aws), None),
            Ok(SweepOver::Region(RegionSet::Provider(Provider::Aws)))
        );
        assert_eq!(
            parse_over(SweepKind::Count, Some(Provider::Aws), None),
            Err(ParseError::ProviderNotRegion)
        );
    }
}
