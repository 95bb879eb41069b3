//! The data every export is made from: the workspace's plans, each with its estimate and summary row, the
//! effective catalogue, the date and version, and where each plan's PUE, intensity and power came from.

use super::date::Date;
use super::summary::{PlanError, PlanSummary};
use crate::engine::results::{Outcome, Uncertainty, outcomes};
use crate::engine::{Assumption, Estimate, ValueSource};
use crate::model::{Catalogue, Duration, Power, TrainingPlan, Workspace};
use crate::units;

/// One plan ready to export.
#[derive(Clone, Debug)]
pub struct PlanReport<'a> {
    /// The plan.
    pub plan: &'a TrainingPlan,
    /// Its estimate.
    pub estimate: Estimate,
    /// Its summary row (the JSON contract keys).
    pub summary: PlanSummary,
    /// Its uncertainty ranges, P5-P95 and tornado.
    pub uncertainty: Uncertainty,
}

/// A workspace ready to export: every plan estimated (or the first failure named).
#[derive(Clone, Debug)]
pub struct Report<'a> {
    /// The workspace.
    pub ws: &'a Workspace,
    /// The effective catalogue.
    pub catalogue: &'a Catalogue,
    /// The plans, in order.
    pub plans: Vec<PlanReport<'a>>,
    /// Index of the baseline plan.
    pub baseline: usize,
    /// The date printed in footnotes.
    pub date: Date,
    /// Trainprint's version.
    pub version: &'static str,
    /// The plans' stable ids (series and colours follow them), in plan order.
    pub keys: Vec<u64>,
    /// The plan the per-plan charts (When to run, the tornado, Why different) and the model card describe.
    pub focus: usize,
    /// The focus plan's schedule, for the When to run chart.
    pub schedule: Option<crate::engine::plan_schedule::PlanSchedule>,
}

impl<'a> Report<'a> {
    /// Estimates every plan of `ws` against `catalogue` (once each) and builds the report.
    pub fn new(ws: &'a Workspace, catalogue: &'a Catalogue, date: Date) -> Result<Self, PlanError> {
        Self::from_outcomes(ws, catalogue, &outcomes(&ws.plans, catalogue), date)
    }

    /// The report of results already computed (`outcomes[i]` belongs to plan `i`: the app passes its cache), or
    /// the first plan that could not be estimated.
    pub fn from_outcomes(
        ws: &'a Workspace,
        catalogue: &'a Catalogue,
        outcomes: &[Outcome],
        date: Date,
    ) -> Result<Self, PlanError> {
        let baseline = ws.baseline_index();
        let results: Vec<_> = outcomes.iter().map(|o| &o.estimate).collect();
        let rows = super::summary::summaries_of(&ws.plans, baseline, &results)?;
        let mut plans = Vec::with_capacity(ws.plans.len());
        for ((plan, summary), o) in ws.plans.iter().zip(rows).zip(outcomes) {
            let (Ok(estimate), Some(uncertainty)) = (&o.estimate, &o.uncertainty) else {
                continue;
            };
            plans.push(PlanReport {
                plan,
                estimate: *estimate,
                // Every export carries the P5-P95 range of the plan's total (its own ranges, else the defaults).
                summary: summary.with_interval(&uncertainty.interval),
                uncertainty: uncertainty.clone(),
            });
        }
        let mut report = Report {
            ws,
            catalogue,
            plans,
            baseline,
            date,
            version: env!("CARGO_PKG_VERSION"),
            keys: (0..ws.plans.len() as u64).collect(),
            focus: baseline,
            schedule: None,
        };
        report.focus_on(baseline);
        Ok(report)
    }

    /// Makes plan `i` the one the per-plan charts and the model card describe, with its schedule set up as the app
    /// sets it up by default (the same function, the default settings, the built-in profiles).
    pub fn focus_on(&mut self, i: usize) {
        self.focus = i.min(self.plans.len().saturating_sub(1));
        // The embedded profiles are checked by the tests; without them every region gets the flat profile, which
        // says so.
        let profiles = crate::persist::profiles::profiles().unwrap_or_default();
        self.schedule = self.plans.get(self.focus).and_then(|p| {
            crate::engine::plan_schedule::plan_schedule(
                &p.estimate,
                p.plan
                    .region
                    .as_deref()
                    .and_then(|r| self.catalogue.region(r)),
                &profiles,
                &crate::engine::plan_schedule::Settings::default(),
                None,
            )
        });
    }

    /// The footnote under charts and tables: [`footnote_lines`], then the version and date.
    pub fn footnote(&self) -> Vec<String> {
        let mut lines = self.footnote_lines();
        lines.push(self.stamp());
        lines
    }

    /// The footnote without the version and date (what charts carry).
    pub fn footnote_lines(&self) -> Vec<String> {
        footnote_lines(
            self.catalogue,
            self.plans.iter().map(|p| (p.plan, &p.estimate)),
        )
    }

    /// "Trainprint VERSION · DATE · ...": the last footnote line of every export.
    pub fn stamp(&self) -> String {
        format!(
            "Trainprint {} · {} · peak FLOP/s dense; sources per value in the catalogue.",
            self.version, self.date
        )
    }
}

/// The footnote of a comparison: the formula, then each grid intensity and PUE used with its source (each once).
/// Charts carry these lines in the app and in exports alike.
pub fn footnote_lines<'p>(
    catalogue: &Catalogue,
    plans: impl Iterator<Item = (&'p TrainingPlan, &'p Estimate)> + Clone,
) -> Vec<String> {
    let unique = |texts: Vec<String>| {
        let mut out: Vec<String> = Vec::new();
        for t in texts {
            if !out.contains(&t) {
                out.push(t);
            }
        }
        out.join("; ")
    };
    vec![
        "Facility energy = accelerator-hours x average power x PUE; CO2e = facility energy x grid intensity (+ embodied)."
            .to_owned(),
        format!(
            "Grid intensity: {}.",
            unique(plans.clone().map(|(p, e)| intensity_of(catalogue, p, e)).collect())
        ),
        format!(
            "PUE: {}.",
            unique(plans.map(|(p, e)| pue_of(catalogue, p, e)).collect())
        ),
    ]
}

/// How the P5-P95 ranges are made, in one sentence (exports print it beside them).
pub fn uncertainty_method() -> String {
    use crate::engine::uncertainty::{DEFAULT_SEED, SAMPLES};
    format!(
        "P5–P95 of total CO2e from a Monte Carlo of {SAMPLES} draws (seed {DEFAULT_SEED}, SplitMix64), each uncertain \
         input triangular between its low and high with the plan's value as the mode; ranges are the plan's own, \
         else Trainprint's documented defaults"
    )
}

/// The ranges a plan's Monte Carlo used, as `input low..high (own|default)`.
pub fn ranges_text(p: &PlanReport<'_>) -> Vec<String> {
    p.uncertainty
        .ranges
        .iter()
        .map(|r| {
            format!(
                "{} {}..{} ({})",
                r.input.label(),
                units::sig(r.low, 4),
                units::sig(r.high, 4),
                if r.from_plan { "own" } else { "default" }
            )
        })
        .collect()
}

/// Where a plan's grid intensity came from, in words.
pub fn intensity_text(catalogue: &Catalogue, p: &PlanReport<'_>) -> String {
    intensity_of(catalogue, p.plan, &p.estimate)
}

fn intensity_of(catalogue: &Catalogue, plan: &TrainingPlan, e: &Estimate) -> String {
    match (
        e.intensity_source,
        plan.region.as_deref().and_then(|r| catalogue.region(r)),
    ) {
        (ValueSource::Region, Some(r)) => format!(
            "{} {} g/kWh ({}, {})",
            r.name,
            units::sig(r.intensity_g_per_kwh, 5),
            r.intensity_basis,
            r.intensity_year
        ),
        (ValueSource::Live, Some(r)) => format!(
            "{} {} g/kWh (live reading from {}, {})",
            r.name,
            units::sig(e.intensity_g_per_kwh, 5),
            r.live.as_ref().map(|l| l.provider.label()).unwrap_or(""),
            r.live.as_ref().map(|l| l.datetime.as_str()).unwrap_or("")
        ),
        _ => format!(
            "{} g/kWh (given for plan '{}')",
            units::sig(e.intensity_g_per_kwh, 5),
            plan.name
        ),
    }
}

/// Where a plan's PUE came from, in words.
pub fn pue_text(catalogue: &Catalogue, p: &PlanReport<'_>) -> String {
    pue_of(catalogue, p.plan, &p.estimate)
}

fn pue_of(catalogue: &Catalogue, plan: &TrainingPlan, e: &Estimate) -> String {
    match e.pue_source {
        ValueSource::Plan | ValueSource::Live => format!("{} (given)", units::sig(e.pue, 4)),
        ValueSource::Region => {
            let r = plan.region.as_deref().and_then(|r| catalogue.region(r));
            format!(
                "{} (provider PUE of {}, {})",
                units::sig(e.pue, 4),
                r.map(|r| r.name.as_str()).unwrap_or("the region"),
                r.and_then(|r| r.pue_year).unwrap_or(0)
            )
        }
        ValueSource::Default => format!(
            "{} (default: {}, {})",
            units::sig(e.pue, 4),
            crate::engine::defaults::PUE.source,
            crate::engine::defaults::PUE.year
        ),
    }
}

/// Where a plan's power came from, in words.
pub fn power_text(catalogue: &Catalogue, p: &PlanReport<'_>) -> String {
    let e = &p.estimate;
    let acc = catalogue.accelerator(&p.plan.accelerator);
    match p.plan.power {
        Power::Watts(w) => format!("{} W per accelerator (given average)", units::sig(w, 4)),
        Power::Tdp { utilization } => format!(
            "{} W = TDP {} W x {} ({}, catalogue {}; source listed below)",
            units::sig(e.power_w, 4),
            units::sig(e.power_w / utilization, 4),
            units::sig(utilization, 3),
            acc.map(|a| a.name.as_str()).unwrap_or(&p.plan.accelerator),
            acc.map(|a| a.data_year).unwrap_or(0)
        ),
    }
}

/// The duration inputs in words.
pub fn duration_text(p: &PlanReport<'_>) -> String {
    match &p.plan.duration {
        Duration::WallHours(h) => format!(
            "{} accelerators x {} h",
            p.plan.count.unwrap_or(0),
            units::sig(*h, 6)
        ),
        Duration::AcceleratorHours(x) => format!("{} accelerator-hours", units::sig(*x, 7)),
        Duration::Compute { precision, mfu, .. } => format!(
            "{:.3e} FLOPs at {} peak x MFU {}",
            p.estimate.training_flops.unwrap_or(0.0),
            precision.label(),
            units::sig(*mfu, 3)
        ),
    }
}

/// True if any plan used `a`.
pub fn any_assumption(report: &Report<'_>, a: Assumption) -> bool {
    report
        .plans
        .iter()
        .any(|p| p.estimate.assumptions.contains(a))
}
