//! Where each input of an estimate came from — PUE, grid intensity, power and MFU: the value, its origin (the
//! plan, the region, a live reading, a default, the catalogue, the utilisation table measured or derived), the
//! source and its year — worked out once, here, with the estimate. The plan column, the formula view and the
//! exports display these records; none of them works it out again.

use super::defaults;
use super::error::EstimateError;
use super::estimate::{Estimate, ValueSource, estimate};
use crate::model::{Catalogue, Duration, Power, TrainingPlan, UtilizationEntry, UtilizationOrigin};
use crate::units::sig;

/// Which input a record is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    /// Power usage effectiveness.
    Pue,
    /// Grid carbon intensity.
    Intensity,
    /// Average power per accelerator.
    Power,
    /// Model FLOPs utilisation.
    Mfu,
}

impl InputKind {
    /// A label.
    pub fn label(self) -> &'static str {
        match self {
            InputKind::Pue => "PUE",
            InputKind::Intensity => "grid intensity",
            InputKind::Power => "power per accelerator",
            InputKind::Mfu => "MFU",
        }
    }
}

/// Where a value came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Set on the plan.
    Plan,
    /// The plan's region in the catalogue.
    Region,
    /// A live reading for the plan's region.
    Live,
    /// A documented default.
    Default,
    /// The accelerator's catalogue entry (its TDP) times the plan's utilisation of TDP.
    Catalogue,
    /// The utilisation table: measured, derived by its rule, or the workspace's own entry.
    Table(UtilizationOrigin),
    /// Implied by the plan's measured throughput.
    Implied,
}

impl Origin {
    /// A short label (`region`, `utilisation table (derived)`).
    pub fn label(self) -> &'static str {
        match self {
            Origin::Plan => "plan",
            Origin::Region => "region",
            Origin::Live => "live reading",
            Origin::Default => "default",
            Origin::Catalogue => "catalogue",
            Origin::Table(UtilizationOrigin::Measured) => "utilisation table (measured)",
            Origin::Table(UtilizationOrigin::Derived | UtilizationOrigin::Rule) => {
                "utilisation table (derived)"
            }
            Origin::Table(UtilizationOrigin::Edited) => "utilisation table (workspace entry)",
            Origin::Implied => "measured throughput",
        }
    }
}

impl From<ValueSource> for Origin {
    fn from(s: ValueSource) -> Self {
        match s {
            ValueSource::Plan => Origin::Plan,
            ValueSource::Region => Origin::Region,
            ValueSource::Default => Origin::Default,
            ValueSource::Live => Origin::Live,
            ValueSource::Table(o) => Origin::Table(o),
            ValueSource::Implied => Origin::Implied,
        }
    }
}

/// One input's provenance.
#[derive(Clone, Debug, PartialEq)]
pub struct Input {
    /// Which input.
    pub kind: InputKind,
    /// The value the estimate used (W, -, g/kWh, -).
    pub value: f64,
    /// Where it came from.
    pub origin: Origin,
    /// What the value belongs to: the region's or accelerator's name, the table cell, or the plan's name.
    pub about: String,
    /// The source as cited (empty for values the plan sets).
    pub source: String,
    /// Further detail: the intensity basis, the live reading's provider and time, the TDP and utilisation, the
    /// table entry's range, count and rule.
    pub detail: String,
    /// The year of the data.
    pub year: Option<u16>,
    /// True when the value stands in for missing data (shown flagged).
    pub flagged: bool,
    /// For MFU: the typical low..high range.
    pub range: Option<(f64, f64)>,
    /// For MFU from the table: how many measurements stand behind it.
    pub measurements: Option<u32>,
    /// For a live reading: its time.
    pub when: String,
    /// For a live reading: the annual value it replaces.
    pub replaces: Option<f64>,
}

/// The provenance of every input an estimate used.
#[derive(Clone, Debug, PartialEq)]
pub struct Provenance {
    /// PUE.
    pub pue: Input,
    /// Grid intensity.
    pub intensity: Input,
    /// Power per accelerator.
    pub power: Input,
    /// MFU, for compute-based plans and measured throughputs with FLOPs per item.
    pub mfu: Option<Input>,
}

impl Provenance {
    /// The records, in display order.
    pub fn inputs(&self) -> impl Iterator<Item = &Input> {
        [
            Some(&self.power),
            self.mfu.as_ref(),
            Some(&self.pue),
            Some(&self.intensity),
        ]
        .into_iter()
        .flatten()
    }

    /// Works out where each input of `e` (the estimate of `plan` against `catalogue`) came from.
    pub fn of(plan: &TrainingPlan, catalogue: &Catalogue, e: &Estimate) -> Provenance {
        let region = plan.region.as_deref().and_then(|r| catalogue.region(r));
        let acc = catalogue.accelerator(&plan.accelerator);
        let acc_name = acc
            .map(|a| a.name.clone())
            .unwrap_or_else(|| plan.accelerator.clone());
        let blank = |kind, value, origin| Input {
            kind,
            value,
            origin,
            about: String::new(),
            source: String::new(),
            detail: String::new(),
            year: None,
            flagged: false,
            range: None,
            measurements: None,
            when: String::new(),
            replaces: None,
        };

        let pue = match e.pue_source {
            ValueSource::Region => Input {
                about: region.map(|r| r.name.clone()).unwrap_or_default(),
                year: region.and_then(|r| r.pue_year),
                source: region.map(|r| r.source.clone()).unwrap_or_default(),
                ..blank(InputKind::Pue, e.pue, Origin::Region)
            },
            ValueSource::Default => Input {
                source: defaults::PUE.source.to_owned(),
                detail: defaults::PUE.what.to_owned(),
                year: Some(defaults::PUE.year),
                flagged: true,
                ..blank(InputKind::Pue, e.pue, Origin::Default)
            },
            s => Input {
                about: plan.name.clone(),
                ..blank(InputKind::Pue, e.pue, Origin::from(s))
            },
        };

        let intensity = match (e.intensity_source, region) {
            (ValueSource::Region, Some(r)) => Input {
                about: r.name.clone(),
                source: r.source.clone(),
                detail: r.intensity_basis.clone(),
                year: Some(r.intensity_year),
                ..blank(InputKind::Intensity, e.intensity_g_per_kwh, Origin::Region)
            },
            (ValueSource::Live, Some(r)) => Input {
                about: r.name.clone(),
                source: r
                    .live
                    .as_ref()
                    .map(|l| l.provider.label().to_owned())
                    .unwrap_or_default(),
                detail: r
                    .live
                    .as_ref()
                    .map(|l| format!("zone {}", l.zone))
                    .unwrap_or_default(),
                when: r
                    .live
                    .as_ref()
                    .map(|l| l.datetime.clone())
                    .unwrap_or_default(),
                replaces: Some(r.intensity_g_per_kwh),
                ..blank(InputKind::Intensity, e.intensity_g_per_kwh, Origin::Live)
            },
            _ => Input {
                about: plan.name.clone(),
                ..blank(InputKind::Intensity, e.intensity_g_per_kwh, Origin::Plan)
            },
        };

        let power = match plan.power {
            Power::Watts(_) => Input {
                about: plan.name.clone(),
                ..blank(InputKind::Power, e.power_w, Origin::Plan)
            },
            Power::Tdp { utilization } => Input {
                about: acc_name.clone(),
                source: acc.map(|a| a.source.clone()).unwrap_or_default(),
                detail: format!(
                    "TDP {} W x {}",
                    sig(e.power_w / utilization, 4),
                    sig(utilization, 3)
                ),
                year: acc.map(|a| a.data_year),
                ..blank(InputKind::Power, e.power_w, Origin::Catalogue)
            },
        };

        let mfu = match (e.mfu, e.mfu_source) {
            (Some(m), Some(source)) => Some(mfu_input(plan, catalogue, &acc_name, m, source, e)),
            _ => None,
        };
        Provenance {
            pue,
            intensity,
            power,
            mfu,
        }
    }
}

fn mfu_input(
    plan: &TrainingPlan,
    catalogue: &Catalogue,
    acc_name: &str,
    m: f64,
    source: ValueSource,
    e: &Estimate,
) -> Input {
    let mut input = Input {
        kind: InputKind::Mfu,
        value: m,
        origin: Origin::from(source),
        about: plan.name.clone(),
        source: String::new(),
        detail: String::new(),
        year: None,
        flagged: false,
        range: e.mfu_range,
        measurements: None,
        when: String::new(),
        replaces: None,
    };
    match (&plan.duration, catalogue.accelerator(&plan.accelerator)) {
        (
            Duration::Compute {
                precision,
                workload,
                ..
            },
            Some(acc),
        ) => {
            let about = format!("{acc_name} at {} for {}", precision.label(), workload);
            if let Some((entry, _)) = catalogue.utilization().entry(acc, *precision, *workload) {
                let UtilizationEntry {
                    n,
                    year,
                    sources,
                    derived,
                    ..
                } = entry;
                input.measurements = Some(n);
                if source != ValueSource::Plan {
                    input.about = about;
                    input.year = Some(year);
                    input.source = sources.join("; ");
                    input.detail = derived.unwrap_or_default();
                    input.flagged = true;
                }
            }
        }
        (
            Duration::Throughput {
                per_second, unit, ..
            },
            _,
        ) => {
            input.detail = format!(
                "{} {}/s per accelerator, measured",
                sig(*per_second, 6),
                unit.label()
            );
        }
        _ => {}
    }
    input
}

fn range_text(r: Option<(f64, f64)>) -> String {
    r.map(|(lo, hi)| format!("{}–{}", sig(lo, 3), sig(hi, 3)))
        .unwrap_or_default()
}

impl Input {
    /// One line for exports and footnotes: the value and, in brackets, where it came from.
    pub fn short(&self) -> String {
        let v = match self.kind {
            InputKind::Pue | InputKind::Mfu => sig(self.value, 4),
            InputKind::Intensity => sig(self.value, 5),
            InputKind::Power => sig(self.value, 4),
        };
        match (self.kind, self.origin) {
            (InputKind::Pue, Origin::Region) => format!(
                "{v} (provider PUE of {}, {})",
                if self.about.is_empty() {
                    "the region"
                } else {
                    &self.about
                },
                self.year.unwrap_or(0)
            ),
            (InputKind::Pue, Origin::Default) => {
                format!("{v} (default: {}, {})", self.source, self.year.unwrap_or(0))
            }
            (InputKind::Pue, _) => format!("{v} (given)"),
            (InputKind::Intensity, Origin::Region) => format!(
                "{} {v} g/kWh ({}, {})",
                self.about,
                self.detail,
                self.year.unwrap_or(0)
            ),
            (InputKind::Intensity, Origin::Live) => format!(
                "{} {v} g/kWh (live reading from {}, {})",
                self.about, self.source, self.when
            ),
            (InputKind::Intensity, _) => format!("{v} g/kWh (given for plan '{}')", self.about),
            (InputKind::Power, Origin::Catalogue) => format!(
                "{v} W = {} ({}, catalogue {}; source listed below)",
                self.detail,
                self.about,
                self.year.unwrap_or(0)
            ),
            (InputKind::Power, _) => format!("{v} W per accelerator (given average)"),
            (InputKind::Mfu, Origin::Table(o)) => format!(
                "{} ({}: {}, {}, {} measurement{}, range {}; {})",
                sig(self.value, 3),
                if o == UtilizationOrigin::Edited {
                    "workspace utilisation entry"
                } else {
                    "utilisation table"
                },
                self.about,
                if self.detail.is_empty() {
                    "measured"
                } else {
                    "derived by rule"
                },
                self.measurements.unwrap_or(0),
                if self.measurements == Some(1) {
                    ""
                } else {
                    "s"
                },
                range_text(self.range),
                self.year.unwrap_or(0)
            ),
            (InputKind::Mfu, Origin::Implied) => format!(
                "{} (implied by {})",
                sig(self.value, 3),
                self.detail.trim_end_matches(", measured")
            ),
            (InputKind::Mfu, _) => format!("{} (given)", sig(self.value, 3)),
        }
    }

    /// The source as the formula view shows it under a step.
    pub fn long(&self) -> String {
        match (self.kind, self.origin) {
            (InputKind::Pue, Origin::Region) => format!(
                "PUE: provider PUE of {} ({})",
                self.about,
                self.year.unwrap_or(0)
            ),
            (InputKind::Pue, Origin::Default) => format!(
                "default PUE: {} — {} ({}, {})",
                self.value,
                self.detail,
                self.source,
                self.year.unwrap_or(0)
            ),
            (InputKind::Pue, _) => "PUE: plan override".to_owned(),
            (InputKind::Intensity, Origin::Region) => format!(
                "intensity: {} — {} ({}); {}",
                self.about,
                self.detail,
                self.year.unwrap_or(0),
                self.source
            ),
            (InputKind::Intensity, Origin::Live) if !self.detail.is_empty() => format!(
                "intensity: live reading for {} from {} ({}, {}), replacing the annual {} g/kWh",
                self.about,
                self.source,
                self.detail,
                self.when,
                sig(self.replaces.unwrap_or(0.0), 6)
            ),
            (InputKind::Intensity, Origin::Live) => "intensity: live reading".to_owned(),
            (InputKind::Intensity, _) => "intensity: plan override".to_owned(),
            (InputKind::Power, Origin::Catalogue) => format!(
                "TDP of {}: catalogue ({}, {}); utilisation: plan",
                self.about,
                self.source,
                self.year.unwrap_or(0)
            ),
            (InputKind::Power, _) => "explicit average watts: plan".to_owned(),
            (InputKind::Mfu, Origin::Table(_)) => {
                let mut s = format!(
                    "MFU: {} for {}: {} (typical {}), {} measurement{}",
                    self.origin.label(),
                    self.about,
                    sig(self.value, 3),
                    range_text(self.range),
                    self.measurements.unwrap_or(0),
                    if self.measurements == Some(1) {
                        ""
                    } else {
                        "s"
                    },
                );
                if !self.detail.is_empty() {
                    s.push_str(&format!("; {}", self.detail));
                }
                if !self.source.is_empty() {
                    s.push_str(&format!(
                        "; sources: {} ({})",
                        self.source,
                        self.year.unwrap_or(0)
                    ));
                }
                s
            }
            (InputKind::Mfu, Origin::Implied) => format!("MFU implied by {}", self.detail),
            (InputKind::Mfu, _) => "MFU: plan".to_owned(),
        }
    }
}

/// Estimates a plan and works out where each input came from.
pub fn estimate_with_provenance(
    plan: &TrainingPlan,
    catalogue: &Catalogue,
) -> Result<(Estimate, Provenance), EstimateError> {
    let e = estimate(plan, catalogue)?;
    let p = Provenance::of(plan, catalogue, &e);
    Ok((e, p))
}
