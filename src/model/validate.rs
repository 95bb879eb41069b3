//! The rules every number a plan carries must follow, written once: the reducer, the file loaders, the engine and
//! the app's input fields all check values with [`Field::check`] (or a [`Check`] directly) and report a [`Rule`].

use super::plan::{Duration, Power, Price, TrainingPlan, Work};
use std::fmt;

/// A plan or catalogue input.
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
    /// Tokens or samples processed (measured-throughput duration).
    Items,
    /// Measured throughput, tokens or samples per second per accelerator.
    ItemsPerSecond,
    /// Training FLOPs per token or sample (for the MFU a measured throughput implies).
    FlopsPerItem,
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
            Field::Items => "items",
            Field::ItemsPerSecond => "per_second",
            Field::FlopsPerItem => "flops_per_item",
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

    /// What the field accepts.
    #[inline]
    pub fn accepts(self) -> Check {
        match self {
            Field::Count | Field::AcceleratorsPerHost => Check::Count,
            Field::Mfu | Field::Utilization => Check::Fraction,
            Field::Runs
            | Field::LifetimeYears
            | Field::TdpWatts
            | Field::PeakTflops
            | Field::ItemsPerSecond
            | Field::FlopsPerItem => Check::Positive,
            Field::Pue => Check::AtLeastOne,
            Field::CfeShare => Check::Share,
            Field::Hours
            | Field::AcceleratorHours
            | Field::Flops
            | Field::Params
            | Field::Tokens
            | Field::Items
            | Field::Precision
            | Field::Watts
            | Field::HostCpuWatts
            | Field::HostMemoryGb
            | Field::HostMemoryWPerGb
            | Field::Intensity
            | Field::EmbodiedKg
            | Field::Price
            | Field::Accelerator
            | Field::Region
            | Field::Wue => Check::NonNegative,
        }
    }

    /// Checks a value for this field: the value back, or the rule it breaks.
    ///
    /// ```
    /// use trainprint::model::validate::{Field, Rule};
    /// assert_eq!(Field::Mfu.check(0.4), Ok(0.4));
    /// assert_eq!(Field::Mfu.check(1.5), Err(Rule::UnitInterval));
    /// assert_eq!(Field::Pue.check(0.9), Err(Rule::PueBelowOne));
    /// ```
    #[inline]
    pub fn check(self, value: f64) -> Result<f64, Rule> {
        self.accepts().apply(value)
    }

    /// Checks a value for this field, naming the field in the error.
    #[inline]
    pub fn validate(self, value: f64) -> Result<f64, Invalid> {
        self.check(value).map_err(|rule| Invalid {
            field: self,
            rule,
            value,
        })
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a numeric input accepts (a plan field, a catalogue value, a year in an editor).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// Any finite number >= 0.
    NonNegative,
    /// Any finite number > 0.
    Positive,
    /// A whole number >= 1.
    Count,
    /// In (0, 1].
    Fraction,
    /// In [0, 1].
    Share,
    /// At least 1 (PUE).
    AtLeastOne,
    /// A year 1990..=2100.
    Year,
}

impl Check {
    /// The value back, or the rule it breaks.
    ///
    /// ```
    /// use trainprint::model::validate::{Check, Rule};
    /// assert_eq!(Check::Count.apply(8.0), Ok(8.0));
    /// assert_eq!(Check::Count.apply(2.5), Err(Rule::WholeNumber));
    /// assert_eq!(Check::NonNegative.apply(f64::NAN), Err(Rule::NotFinite));
    /// ```
    #[inline]
    pub fn apply(self, v: f64) -> Result<f64, Rule> {
        if !v.is_finite() {
            return Err(Rule::NotFinite);
        }
        if v < 0.0 && !matches!(self, Check::Year | Check::Count) {
            return Err(Rule::Negative);
        }
        let broken = match self {
            Check::NonNegative => None,
            Check::Positive => (v == 0.0).then_some(Rule::Positive),
            Check::Count => (v < 1.0 || v.fract() != 0.0 || v > f64::from(u32::MAX))
                .then_some(Rule::WholeNumber),
            Check::Fraction => (v == 0.0 || v > 1.0).then_some(Rule::UnitInterval),
            Check::Share => (v > 1.0).then_some(Rule::Share),
            Check::AtLeastOne => (v < 1.0).then_some(Rule::PueBelowOne),
            Check::Year => {
                (!(1990.0..=2100.0).contains(&v) || v.fract() != 0.0).then_some(Rule::Year)
            }
        };
        match broken {
            Some(rule) => Err(rule),
            None => Ok(v),
        }
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
    /// Must be a whole number of at least 1.
    WholeNumber,
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
    /// Not a year between 1990 and 2100.
    Year,
}

impl Rule {
    /// The rule in words (`must not be negative`).
    pub fn text(self) -> &'static str {
        match self {
            Rule::NotFinite => "must be a finite number",
            Rule::Negative => "must not be negative",
            Rule::AtLeastOne => "must be at least 1",
            Rule::WholeNumber => "must be a whole number of at least 1",
            Rule::UnitInterval => "must be greater than 0 and at most 1",
            Rule::Share => "must be between 0 and 1",
            Rule::Positive => "must be greater than 0",
            Rule::PueBelowOne => "must be at least 1 (PUE is facility energy over IT energy)",
            Rule::RangeOrder => "range must have its low end at most its high end",
            Rule::Year => "must be a year between 1990 and 2100",
        }
    }
}

/// A value that breaks its field's rule.
#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
#[error("{field} {} (got {value})", rule.text())]
pub struct Invalid {
    /// The field.
    pub field: Field,
    /// The rule it broke.
    pub rule: Rule,
    /// The value given.
    pub value: f64,
}

impl Invalid {
    /// True when the error is about an uncertainty range rather than the input's value.
    pub fn is_about_a_range(&self) -> bool {
        self.rule == Rule::RangeOrder
    }
}

fn count(field: Field, c: Option<u32>) -> Result<(), Invalid> {
    match c {
        Some(0) => Err(Invalid {
            field,
            rule: Rule::AtLeastOne,
            value: 0.0,
        }),
        _ => Ok(()),
    }
}

/// Checks every number a plan carries itself (not the catalogue's); used when loading files, applying edits and
/// estimating, so an invalid plan is refused with the field named.
///
/// ```
/// use trainprint::model::{TrainingPlan, validate::{validate_plan, Field}};
/// let mut p = TrainingPlan::new("p", "nvidia-h100-sxm", 8, 10.0, "fr");
/// assert!(validate_plan(&p).is_ok());
/// p.runs = 0.0;
/// assert_eq!(validate_plan(&p).unwrap_err().field, Field::Runs);
/// ```
pub fn validate_plan(plan: &TrainingPlan) -> Result<(), Invalid> {
    count(Field::Count, plan.count)?;
    Field::Runs.validate(plan.runs)?;
    match plan.duration {
        Duration::WallHours(h) => {
            Field::Hours.validate(h)?;
        }
        Duration::AcceleratorHours(x) => {
            Field::AcceleratorHours.validate(x)?;
        }
        Duration::Compute { work, mfu, .. } => {
            work_flops(work)?;
            if let Some(m) = mfu {
                Field::Mfu.validate(m)?;
            }
        }
        Duration::Throughput {
            items,
            per_second,
            flops_per_item,
            ..
        } => {
            Field::Items.validate(items)?;
            Field::ItemsPerSecond.validate(per_second)?;
            if let Some(f) = flops_per_item {
                Field::FlopsPerItem.validate(f)?;
            }
        }
    }
    match plan.power {
        Power::Watts(w) => {
            Field::Watts.validate(w)?;
        }
        Power::Tdp { utilization } => {
            Field::Utilization.validate(utilization)?;
        }
    }
    if let Some(h) = &plan.host {
        Field::HostCpuWatts.validate(h.cpu_watts)?;
        Field::HostMemoryGb.validate(h.memory_gb)?;
        Field::HostMemoryWPerGb.validate(h.memory_w_per_gb)?;
        count(Field::AcceleratorsPerHost, Some(h.accelerators_per_host))?;
    }
    if let Some(p) = plan.pue {
        Field::Pue.validate(p)?;
    }
    if let Some(i) = plan.intensity_g_per_kwh {
        Field::Intensity.validate(i)?;
    }
    if let Some(e) = &plan.embodied {
        if let Some(k) = e.kgco2e_per_device {
            Field::EmbodiedKg.validate(k)?;
        }
        if let Some(l) = e.lifetime_years {
            Field::LifetimeYears.validate(l)?;
        }
    }
    match plan.price {
        Price::UsdPerKwh(p) | Price::UsdPerAcceleratorHour(p) => {
            Field::Price.validate(p)?;
        }
        Price::None | Price::RegionElectricity => {}
    }
    let r = &plan.ranges;
    for (field, range) in [
        (Field::Watts, r.watts),
        (Field::Utilization, r.utilization),
        (Field::Pue, r.pue),
        (Field::Intensity, r.intensity),
        (Field::Mfu, r.mfu),
        (Field::EmbodiedKg, r.embodied_kg),
    ] {
        if let Some(range) = range {
            Check::NonNegative
                .apply(range.low)
                .and_then(|_| Check::NonNegative.apply(range.high))
                .map_err(|rule| Invalid {
                    field,
                    rule,
                    value: if range.low.is_finite() && range.low >= 0.0 {
                        range.high
                    } else {
                        range.low
                    },
                })?;
            if range.low > range.high {
                return Err(Invalid {
                    field,
                    rule: Rule::RangeOrder,
                    value: range.low,
                });
            }
        }
    }
    Ok(())
}

/// The training FLOPs of a compute-based plan's work, checked (6·N·D must itself be finite).
#[inline]
pub fn work_flops(work: Work) -> Result<f64, Invalid> {
    match work {
        Work::Flops(f) => Field::Flops.validate(f),
        Work::ParamsTokens { params, tokens } => {
            let n = Field::Params.validate(params)?;
            let d = Field::Tokens.validate(tokens)?;
            Field::Flops.validate(6.0 * n * d)
        }
    }
}
