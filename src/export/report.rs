//! The data every export is made from: the workspace's plans, each with its estimate and summary row, the
//! effective catalogue, the date and version, and where each plan's PUE, intensity and power came from.

use super::date::Date;
use super::summary::{PlanError, PlanSummary};
use crate::engine::provenance::Provenance;
use crate::engine::{Assumption, Estimate, estimate};
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
}

impl<'a> Report<'a> {
    /// Estimates every plan of `ws` against `catalogue`.
    pub fn new(ws: &'a Workspace, catalogue: &'a Catalogue, date: Date) -> Result<Self, PlanError> {
        let baseline = ws.baseline_index();
        let rows = super::summary::summaries(&ws.plans, baseline, catalogue)?;
        let mut plans = Vec::with_capacity(ws.plans.len());
        for (plan, summary) in ws.plans.iter().zip(rows) {
            let estimate = estimate(plan, catalogue).map_err(|error| PlanError {
                name: plan.name.clone(),
                error,
            })?;
            // Every export carries the P5-P95 range of the plan's total (its own ranges, else the defaults).
            let summary = summary.with_uncertainty(plan, &estimate);
            let provenance = Provenance::of(plan, catalogue, &estimate);
            plans.push(PlanReport {
                plan,
                estimate,
                summary,
                provenance,
            });
        }
        Ok(Report {
            ws,
            catalogue,
            plans,
            baseline,
            date,
            version: env!("CARGO_PKG_VERSION"),
        })
    }

    /// The footnote line under charts and tables: the key assumptions, sources, version and date.
    pub fn footnote(&self) -> Vec<String> {
        let mut lines = vec![
            "Facility energy = accelerator-hours x average power x PUE; CO2e = facility energy x grid intensity (+ embodied)."
                .to_owned(),
        ];
        let mut grids: Vec<String> = Vec::new();
        for p in &self.plans {
            let g = intensity_text(self.catalogue, p);
            if !grids.contains(&g) {
                grids.push(g);
            }
        }
        lines.push(format!("Grid intensity: {}.", grids.join("; ")));
        let mut pues: Vec<String> = Vec::new();
        for p in &self.plans {
            let t = pue_text(self.catalogue, p);
            if !pues.contains(&t) {
                pues.push(t);
            }
        }
        lines.push(format!("PUE: {}.", pues.join("; ")));
        lines.push(format!(
            "Trainprint {} · {} · peak FLOP/s dense; sources per value in the catalogue.",
            self.version, self.date
        ));
        lines
    }
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
    crate::engine::uncertainty::ranges(p.plan, &p.estimate)
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
