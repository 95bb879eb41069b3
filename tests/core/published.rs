//! Every row of the published-footprints reference (tests/fixtures/published_cases.csv, a copy of
//! shared/reference/published_cases.csv) reproduced within its tolerance through the public API.

use super::support::{catalogue, rel};
use trainprint::engine::estimate;
use trainprint::model::{Duration, Power, TrainingPlan};

/// One row of the reference.
pub struct Case {
    pub id: String,
    pub accelerator_id: String,
    pub count: Option<u32>,
    pub hours: Option<f64>,
    pub accel_hours: Option<f64>,
    pub watts: f64,
    pub pue: f64,
    pub intensity: f64,
    pub expected_energy_mwh: f64,
    pub expected_tco2e: f64,
    pub tolerance_pct: f64,
}

fn opt<T: std::str::FromStr>(s: &str) -> Option<T> {
    if s.trim().is_empty() {
        None
    } else {
        s.trim().parse().ok()
    }
}

fn num(row: &csv::StringRecord, i: usize, name: &str) -> f64 {
    match row.get(i).and_then(|s| s.trim().parse().ok()) {
        Some(v) => v,
        None => panic!("row {:?}: column {name} is not a number", row.get(0)),
    }
}

pub fn cases() -> Vec<Case> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/published_cases.csv"
    );
    let mut r = match csv::Reader::from_path(path) {
        Ok(r) => r,
        Err(e) => panic!("{path}: {e}"),
    };
    let headers = r.headers().cloned().unwrap_or_default();
    let col = |name: &str| match headers.iter().position(|h| h == name) {
        Some(i) => i,
        None => panic!("no column {name}"),
    };
    let (id, acc, count, hours, ah, w, pue, ci, e, t, tol) = (
        col("id"),
        col("accelerator_id"),
        col("count"),
        col("hours"),
        col("accel_hours"),
        col("watts_per_accel"),
        col("pue"),
        col("intensity_g_per_kwh"),
        col("expected_energy_mwh"),
        col("expected_tco2e"),
        col("tolerance_pct"),
    );
    r.records()
        .map(|row| {
            let row = match row {
                Ok(row) => row,
                Err(err) => panic!("{path}: {err}"),
            };
            Case {
                id: row.get(id).unwrap_or_default().to_owned(),
                accelerator_id: row.get(acc).unwrap_or_default().to_owned(),
                count: opt(row.get(count).unwrap_or_default()),
                hours: opt(row.get(hours).unwrap_or_default()),
                accel_hours: opt(row.get(ah).unwrap_or_default()),
                watts: num(&row, w, "watts_per_accel"),
                pue: num(&row, pue, "pue"),
                intensity: num(&row, ci, "intensity_g_per_kwh"),
                expected_energy_mwh: num(&row, e, "expected_energy_mwh"),
                expected_tco2e: num(&row, t, "expected_tco2e"),
                tolerance_pct: num(&row, tol, "tolerance_pct"),
            }
        })
        .collect()
}

/// The plan a row stands for: the published accelerator-hours where given (what the source multiplied),
/// else count x wall hours; the source's own average watts, PUE and intensity.
pub fn plan(c: &Case) -> TrainingPlan {
    let duration = match (c.accel_hours, c.count, c.hours) {
        (Some(x), _, _) => Duration::AcceleratorHours(x),
        (None, Some(_), Some(h)) => Duration::WallHours(h),
        _ => panic!("{}: no duration", c.id),
    };
    TrainingPlan {
        id: trainprint::model::PlanId::UNSET,
        name: c.id.clone(),
        accelerator: c.accelerator_id.clone(),
        count: c.count,
        duration,
        power: Power::Watts(c.watts),
        host: None,
        region: None,
        pue: Some(c.pue),
        intensity_g_per_kwh: Some(c.intensity),
        runs: 1.0,
        embodied: None,
        price: Default::default(),
        ranges: Default::default(),
    }
}

#[test]
fn the_reference_has_every_expected_row() {
    let ids: Vec<String> = cases().into_iter().map(|c| c.id).collect();
    assert_eq!(ids.len(), 13, "{ids:?}");
    for id in [
        "blog_worked_example",
        "patterson_gpt3",
        "strubell_bert_base",
        "llama1_65b",
        "bloom_luccioni_dynamic",
    ] {
        assert!(ids.iter().any(|i| i == id), "missing {id}");
    }
}

#[test]
fn every_published_case_is_reproduced_within_its_tolerance() {
    let catalogue = catalogue();
    let mut failures = Vec::new();
    for c in cases() {
        let e = match estimate(&plan(&c), &catalogue) {
            Ok(e) => e,
            Err(err) => {
                failures.push(format!("{}: {err}", c.id));
                continue;
            }
        };
        let energy_mwh = e.facility_energy_kwh / 1000.0;
        let tco2e = e.co2e_kg / 1000.0;
        let tol = c.tolerance_pct / 100.0;
        if rel(energy_mwh, c.expected_energy_mwh) > tol {
            failures.push(format!(
                "{}: energy {energy_mwh} MWh vs published {} (tolerance {} %)",
                c.id, c.expected_energy_mwh, c.tolerance_pct
            ));
        }
        if rel(tco2e, c.expected_tco2e) > tol {
            failures.push(format!(
                "{}: {tco2e} tCO2e vs published {} (tolerance {} %)",
                c.id, c.expected_tco2e, c.tolerance_pct
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_worked_example_is_exact() {
    let e =
        estimate(&super::support::worked_example(), &catalogue()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(e.accelerator_hours, 960.0);
    assert!((e.it_energy_kwh - 384.0).abs() < 1e-9);
    assert!((e.facility_energy_kwh - 460.8).abs() < 1e-9);
    assert!((e.co2e_kg - 161.28).abs() < 1e-9);
    assert_eq!(e.total_co2e_kg, e.co2e_kg);
}
