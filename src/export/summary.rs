//! The per-plan summary row shared by every text output (CLI JSON/CSV/Markdown/table and the export files), so
//! the keys and numbers are the engine's and the same everywhere.

use crate::engine::provenance::Provenance;
use crate::engine::results::{Outcome, Uncertainty, outcomes};
use crate::engine::{Estimate, EstimateError, delta_pct};
use crate::model::{Catalogue, TrainingPlan};
use crate::units;
use serde::Serialize;

/// One plan's results under the stable JSON keys. `name` … `total_co2e_kg` are a contract scripts rely on.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlanSummary {
    /// Plan name.
    pub name: String,
    /// Accelerator id.
    pub accelerator: String,
    /// Number of accelerators, if given.
    pub count: Option<u32>,
    /// Region id, if any.
    pub region: Option<String>,
    /// Accelerator-hours over all runs.
    pub accelerator_hours: f64,
    /// Wall-clock hours of one run (null without a count).
    pub wall_hours: Option<f64>,
    /// Average power per accelerator, W.
    pub power_w: f64,
    /// Host power per accelerator, W.
    pub host_w: f64,
    /// IT energy, kWh.
    pub it_energy_kwh: f64,
    /// PUE used.
    pub pue: f64,
    /// Facility energy, kWh.
    pub facility_energy_kwh: f64,
    /// Grid intensity used, gCO2e/kWh.
    pub intensity_g_per_kwh: f64,
    /// Operational location-based CO2e, kg.
    pub co2e_kg: f64,
    /// Market-based CO2e after the region's CFE share, kg.
    pub market_co2e_kg: Option<f64>,
    /// Embodied CO2e, kg.
    pub embodied_co2e_kg: f64,
    /// Operational + embodied, kg.
    pub total_co2e_kg: f64,
    /// On-site water, litres.
    pub water_l: Option<f64>,
    /// Cost, USD.
    pub cost_usd: Option<f64>,
    /// Runs multiplier.
    pub runs: f64,
    /// Change of total CO2e against the baseline plan, %.
    pub co2e_vs_baseline_pct: Option<f64>,
    /// The MFU a compute-based plan used (its own or the utilisation table's), or the one a measured throughput
    /// implies; null otherwise.
    pub mfu: Option<f64>,
    /// Where the MFU came from, in words (the table entry, its range, measurement count, sources and year).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mfu_source: Option<String>,
    /// Keys of the defaults and fallbacks used.
    pub assumptions: Vec<&'static str>,
    /// 5th percentile of total CO2e from the seeded Monte Carlo, kg (when asked for).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub co2e_kg_p5: Option<f64>,
    /// Median of total CO2e, kg.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub co2e_kg_p50: Option<f64>,
    /// 95th percentile of total CO2e, kg.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub co2e_kg_p95: Option<f64>,
    /// Why the estimate lies outside its own P5–P95 band, when it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uncertainty_note: Option<String>,
}

impl PlanSummary {
    /// The summary of one estimated plan.
    pub fn new(plan: &TrainingPlan, e: &Estimate, co2e_vs_baseline_pct: Option<f64>) -> Self {
        PlanSummary {
            name: plan.name.clone(),
            accelerator: plan.accelerator.clone(),
            count: plan.count,
            region: plan.region.clone(),
            accelerator_hours: e.accelerator_hours,
            wall_hours: e.wall_hours,
            power_w: e.power_w,
            host_w: e.host_w,
            it_energy_kwh: e.it_energy_kwh,
            pue: e.pue,
            facility_energy_kwh: e.facility_energy_kwh,
            intensity_g_per_kwh: e.intensity_g_per_kwh,
            co2e_kg: e.co2e_kg,
            market_co2e_kg: e.market_co2e_kg,
            embodied_co2e_kg: e.embodied_co2e_kg,
            total_co2e_kg: e.total_co2e_kg,
            water_l: e.water_l,
            cost_usd: e.cost_usd,
            runs: e.runs,
            co2e_vs_baseline_pct,
            mfu: e.mfu,
            mfu_source: None,
            assumptions: e.assumptions.iter().map(|a| a.key()).collect(),
            co2e_kg_p5: None,
            co2e_kg_p50: None,
            co2e_kg_p95: None,
            uncertainty_note: None,
        }
    }

    /// Adds where the MFU came from, in words.
    pub fn with_provenance(mut self, p: &Provenance) -> Self {
        self.mfu_source = p.mfu.as_ref().map(|m| m.short());
        self
    }

    /// Adds the P5/P50/P95 of total CO2e (from the seeded Monte Carlo the plan's results already hold) and, when
    /// the estimate lies outside that band, why.
    pub fn with_uncertainty(mut self, u: &Uncertainty) -> Self {
        let i = &u.interval;
        self.co2e_kg_p5 = Some(i.p5);
        self.co2e_kg_p50 = Some(i.p50);
        self.co2e_kg_p95 = Some(i.p95);
        self.uncertainty_note = u.note.clone();
        self
    }
}

/// A plan that could not be estimated, and why.
#[derive(Debug, thiserror::Error)]
#[error("plan '{name}': {error}")]
pub struct PlanError {
    /// The plan's name.
    pub name: String,
    /// Why.
    pub error: EstimateError,
}

/// The summaries of every plan, or the first plan that fails (estimates each plan once).
pub fn summaries(
    plans: &[TrainingPlan],
    baseline: usize,
    catalogue: &Catalogue,
) -> Result<Vec<PlanSummary>, PlanError> {
    let outcomes = outcomes(plans, catalogue);
    summaries_of(plans, baseline, &outcomes.iter().collect::<Vec<_>>())
}

/// The summaries of plans already estimated (`outcomes[i]` belongs to `plans[i]`), or the first plan that failed.
pub fn summaries_of(
    plans: &[TrainingPlan],
    baseline: usize,
    outcomes: &[&Outcome],
) -> Result<Vec<PlanSummary>, PlanError> {
    let base = outcomes
        .get(baseline.min(outcomes.len().saturating_sub(1)))
        .and_then(|o| o.ok())
        .map(|e| e.total_co2e_kg);
    plans
        .iter()
        .zip(outcomes)
        .map(|(plan, o)| match &o.estimate {
            Ok(e) => {
                let row = PlanSummary::new(
                    plan,
                    e,
                    match (plans.len() > 1, base) {
                        (true, Some(b)) => delta_pct(e.total_co2e_kg, b),
                        _ => None,
                    },
                );
                Ok(match &o.provenance {
                    Some(p) => row.with_provenance(p),
                    None => row,
                })
            }
            Err(error) => Err(PlanError {
                name: plan.name.clone(),
                error: error.clone(),
            }),
        })
        .collect()
}

#[derive(Serialize)]
struct PlansJson<'a> {
    plans: &'a [PlanSummary],
}

/// `{"plans": [ … ]}`, pretty-printed.
pub fn to_json(rows: &[PlanSummary]) -> String {
    serde_json::to_string_pretty(&PlansJson { plans: rows }).unwrap_or_else(|e| {
        // Serialising plain numbers and strings cannot fail; keep the output valid JSON regardless.
        format!("{{\"error\": \"{e}\"}}")
    })
}

/// CSV with one row per plan; headers are the JSON keys (units are in the names: `_kwh`, `_kg`, `_w`, …).
pub fn to_csv(rows: &[PlanSummary]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let headers = [
        "name",
        "accelerator",
        "count",
        "region",
        "accelerator_hours",
        "wall_hours",
        "power_w",
        "host_w",
        "it_energy_kwh",
        "pue",
        "facility_energy_kwh",
        "intensity_g_per_kwh",
        "co2e_kg",
        "market_co2e_kg",
        "embodied_co2e_kg",
        "total_co2e_kg",
        "water_l",
        "cost_usd",
        "runs",
        "co2e_vs_baseline_pct",
        "assumptions",
        "co2e_kg_p5",
        "co2e_kg_p50",
        "co2e_kg_p95",
    ];
    let opt = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    let mut out = w.write_record(headers).is_ok();
    for r in rows {
        let record = [
            r.name.clone(),
            r.accelerator.clone(),
            r.count.map(|c| c.to_string()).unwrap_or_default(),
            r.region.clone().unwrap_or_default(),
            r.accelerator_hours.to_string(),
            opt(r.wall_hours),
            r.power_w.to_string(),
            r.host_w.to_string(),
            r.it_energy_kwh.to_string(),
            r.pue.to_string(),
            r.facility_energy_kwh.to_string(),
            r.intensity_g_per_kwh.to_string(),
            r.co2e_kg.to_string(),
            opt(r.market_co2e_kg),
            r.embodied_co2e_kg.to_string(),
            r.total_co2e_kg.to_string(),
            opt(r.water_l),
            opt(r.cost_usd),
            r.runs.to_string(),
            opt(r.co2e_vs_baseline_pct),
            r.assumptions.join(";"),
            opt(r.co2e_kg_p5),
            opt(r.co2e_kg_p50),
            opt(r.co2e_kg_p95),
        ];
        out &= w.write_record(&record).is_ok();
    }
    match (out, w.into_inner()) {
        (true, Ok(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
        _ => String::new(),
    }
}

/// A Markdown table of the comparison with readable units.
pub fn to_markdown_table(rows: &[PlanSummary]) -> String {
    // The P5-P95 column appears when the rows carry the Monte Carlo.
    let ranged = rows.iter().any(|r| r.co2e_kg_p5.is_some());
    let mut s = String::from(
        "| Plan | Accelerator | Accelerator-hours | IT energy | PUE | Facility energy | Intensity (gCO2e/kWh) | Operational CO2e | Embodied CO2e | Total CO2e |",
    );
    s.push_str(if ranged {
        " Total P5–P95 | vs baseline |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    } else {
        " vs baseline |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    });
    for r in rows {
        let range = match (ranged, r.co2e_kg_p5, r.co2e_kg_p95) {
            (false, _, _) => String::new(),
            (true, Some(lo), Some(hi)) => format!(" {} – {} |", units::co2e(lo), units::co2e(hi)),
            (true, _, _) => " — |".to_owned(),
        };
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |{range} {} |\n",
            escape_md(&r.name),
            escape_md(&r.accelerator),
            units::sig(r.accelerator_hours, 6),
            units::energy(r.it_energy_kwh),
            units::sig(r.pue, 4),
            units::energy(r.facility_energy_kwh),
            units::sig(r.intensity_g_per_kwh, 4),
            units::co2e(r.co2e_kg),
            units::co2e(r.embodied_co2e_kg),
            units::co2e(r.total_co2e_kg),
            r.co2e_vs_baseline_pct
                .map(|p| format!("{p:+.1} %"))
                .unwrap_or_else(|| "—".into()),
        ));
    }
    s
}

/// Escapes the characters that would break a Markdown table cell.
pub fn escape_md(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('\n', " ")
}
