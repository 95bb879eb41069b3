//! The data every export is made from: the workspace's plans, each with its estimate and summary row, the
//! effective catalogue, the date and version, and where each plan's PUE, intensity and power came from.

use super::date::Date;
use super::summary::{PlanError, PlanSummary};
use crate::engine::{Assumption, Estimate, ValueSource, estimate};
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
            plans.push(PlanReport {
                plan,
                estimate,
                summary,
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
pub fn intensity_text(catalogue: &Catalogue, p: &PlanReport<'_>) -> String {
    let e = &p.estimate;
    match (
        e.intensity_source,
        p.plan.region.as_deref().and_then(|r| catalogue.region(r)),
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
            p.plan.name
        ),
    }
}

/// Where a plan's PUE came from, in words.
pub fn pue_text(catalogue: &Catalogue, p: &PlanReport<'_>) -> String {
    let e = &p.estimate;
    match e.pue_source {
        ValueSource::Plan | ValueSource::Live => format!("{} (given)", units::sig(e.pue, 4)),
        ValueSource::Region => {
            let r = p.plan.region.as_deref().and_then(|r| catalogue.region(r));
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
