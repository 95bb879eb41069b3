//! The JSON export: the same per-plan keys as `trainprint estimate --format json`, plus each plan's inputs, where
//! its PUE and intensity came from, and the defaults used, in words.

use super::report::{Report, intensity_text, pue_text, ranges_text, uncertainty_method};
use crate::engine::Assumption;
use serde_json::{Map, Value, json};

/// The JSON text, pretty-printed.
pub fn json(report: &Report<'_>) -> String {
    let plans: Vec<Value> = report
        .plans
        .iter()
        .map(|p| {
            let mut obj = match serde_json::to_value(&p.summary) {
                Ok(Value::Object(m)) => m,
                _ => Map::new(),
            };
            obj.insert(
                "inputs".into(),
                serde_json::to_value(p.plan).unwrap_or(Value::Null),
            );
            obj.insert(
                "pue_source".into(),
                Value::String(pue_text(report.catalogue, p)),
            );
            obj.insert(
                "intensity_source".into(),
                Value::String(intensity_text(report.catalogue, p)),
            );
            obj.insert("uncertainty_ranges".into(), json!(ranges_text(p)));
            Value::Object(obj)
        })
        .collect();
    let mut defaults = Map::new();
    for a in Assumption::ALL {
        if report
            .plans
            .iter()
            .any(|p| p.estimate.assumptions.contains(a))
        {
            defaults.insert(a.key().into(), Value::String(a.describe()));
        }
    }
    let doc = json!({
        "trainprint": { "version": report.version, "date": report.date.to_string() },
        "workspace": report.ws.name,
        "description": report.ws.description,
        "baseline": report.plans.get(report.baseline).map(|p| p.plan.name.clone()),
        "formula": "facility_energy_kwh = accelerator_hours x (power_w + host_w) / 1000 x PUE; co2e_kg = facility_energy_kwh x intensity_g_per_kwh / 1000; total_co2e_kg = co2e_kg + embodied_co2e_kg",
        "plans": plans,
        "assumptions": defaults,
        "uncertainty": uncertainty_method(),
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
