//! The data every export is made from: the workspace's plans, each with its estimate and summary row, the
//! effective catalogue, the date and version, and where each plan's PUE, intensity and power came from.

use super::date::Date;
use super::summary::{PlanError, PlanSummary};
use crate::engine::provenance::Provenance;
use crate::engine::results::{Outcome, Uncertainty, outcomes};
use crate::engine::{Assumption, Estimate};
use crate::model::{Catalogue, Duration, TrainingPlan, Workspace};
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
    /// Where its PUE, intensity, power and MFU came from.
    pub provenance: Provenance,
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
        let rows = super::summary::summaries_of(
            &ws.plans,
            baseline,
            &outcomes.iter().collect::<Vec<_>>(),
        )?;
        let mut plans = Vec::with_capacity(ws.plans.len());
        for ((plan, summary), o) in ws.plans.iter().zip(rows).zip(outcomes) {
            let (Ok(estimate), Some(uncertainty), Some(provenance)) =
                (&o.estimate, &o.uncertainty, &o.provenance)
            else {
                continue;
            };
            plans.push(PlanReport {
                plan,
                estimate: *estimate,
                // Every export carries the P5-P95 range of the plan's total (its own ranges, else the defaults).
                summary: summary.with_uncertainty(uncertainty),
                uncertainty: uncertainty.clone(),
                provenance: provenance.clone(),
            });
        }
        let mut report = Report {
            ws,
            catalogue,
            plans,
            baseline,
            date,
            version: env!("CARGO_PKG_VERSION"),
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
        footnote_lines(self.plans.iter().map(|p| &p.provenance))
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
pub fn footnote_lines<'p>(plans: impl Iterator<Item = &'p Provenance> + Clone) -> Vec<String> {
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
            unique(plans.clone().map(|p| p.intensity.short()).collect())
        ),
        format!("PUE: {}.", unique(plans.map(|p| p.pue.short()).collect())),
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
pub fn intensity_text(_catalogue: &Catalogue, p: &PlanReport<'_>) -> String {
    p.provenance.intensity.short()
}

/// Where a plan's PUE came from, in words.
pub fn pue_text(_catalogue: &Catalogue, p: &PlanReport<'_>) -> String {
    p.provenance.pue.short()
}

/// Where a plan's power came from, in words.
pub fn power_text(_catalogue: &Catalogue, p: &PlanReport<'_>) -> String {
    p.provenance.power.short()
}

/// Where a plan's MFU came from, in words (compute-based plans and measured throughputs with FLOPs per item).
pub fn mfu_text(p: &PlanReport<'_>) -> Option<String> {
    p.provenance.mfu.as_ref().map(|m| m.short())
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
        Duration::Compute {
            precision,
            workload,
            ..
        } => format!(
            "{:.3e} FLOPs at {} peak x MFU {} ({workload})",
            p.estimate.training_flops.unwrap_or(0.0),
            precision.label(),
            units::sig(p.estimate.mfu.unwrap_or(0.0), 3)
        ),
        Duration::Throughput {
            items,
            unit,
            per_second,
            ..
        } => format!(
            "{:.3e} {} at {} {}/s per accelerator (measured)",
            items,
            unit.label(),
            units::sig(*per_second, 6),
            unit.label()
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
