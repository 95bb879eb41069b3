//! The CSV summary: one row per plan with every input and every result, units in the headers.

use super::report::Report;
use crate::engine::ValueSource;
use crate::model::{Duration, Power, Price, Work};

fn opt(x: Option<f64>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

fn source(s: ValueSource) -> &'static str {
    match s {
        ValueSource::Plan => "plan",
        ValueSource::Region => "region",
        ValueSource::Default => "default",
        ValueSource::Live => "live",
        ValueSource::Table(_) => "utilisation table",
        ValueSource::Implied => "measured throughput",
    }
}

/// The plan's own ranges as `field=low..high` separated by `;` (empty when it uses the defaults).
fn own_ranges(plan: &crate::model::TrainingPlan) -> String {
    let r = &plan.ranges;
    [
        ("watts", r.watts),
        ("utilization", r.utilization),
        ("pue", r.pue),
        ("intensity", r.intensity),
        ("mfu", r.mfu),
        ("embodied_kg", r.embodied_kg),
    ]
    .iter()
    .filter_map(|(k, r)| r.map(|r| format!("{k}={}..{}", r.low, r.high)))
    .collect::<Vec<_>>()
    .join(";")
}

/// The CSV text.
pub fn csv(report: &Report<'_>) -> String {
    let headers = [
        "Plan",
        "Baseline",
        "Accelerator id",
        "Accelerator",
        "Count",
        "Duration mode",
        "Wall-clock hours input (h)",
        "Accelerator-hours input (h)",
        "Training FLOPs input (FLOP)",
        "Parameters",
        "Tokens",
        "Precision",
        "MFU",
        "Power mode",
        "Average power input (W)",
        "Utilisation of TDP",
        "Host CPU (W per host)",
        "Host memory (GB per host)",
        "Host memory power (W/GB)",
        "Accelerators per host",
        "Region id",
        "Region",
        "PUE override",
        "Intensity override (gCO2e/kWh)",
        "Runs",
        "Embodied included",
        "Embodied per device (kgCO2e)",
        "Lifetime (years)",
        "Price mode",
        "Price (USD per unit)",
        "Accelerator-hours (h)",
        "Wall-clock hours (h)",
        "Training FLOPs (FLOP)",
        "Power per accelerator (W)",
        "Host per accelerator (W)",
        "Accelerator energy (kWh)",
        "Host energy (kWh)",
        "IT energy (kWh)",
        "PUE",
        "PUE source",
        "Facility energy (kWh)",
        "Grid intensity (gCO2e/kWh)",
        "Intensity source",
        "Operational CO2e (kg)",
        "Carbon-free energy share",
        "Market-based CO2e (kg)",
        "Embodied CO2e (kg)",
        "Total CO2e (kg)",
        "Water (L)",
        "Cost (USD)",
        "Total CO2e vs baseline (%)",
        "Defaults used",
        "Total CO2e P5 (kg)",
        "Total CO2e P50 (kg)",
        "Total CO2e P95 (kg)",
        "Own uncertainty ranges",
    ];
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut ok = w.write_record(headers).is_ok();
    for (i, p) in report.plans.iter().enumerate() {
        let plan = p.plan;
        let e = &p.estimate;
        let acc = report.catalogue.accelerator(&plan.accelerator);
        let region = plan
            .region
            .as_deref()
            .and_then(|r| report.catalogue.region(r));
        let (hours_in, ah_in, flops_in, params, tokens, precision, mfu) = match &plan.duration {
            Duration::WallHours(h) => (Some(*h), None, None, None, None, String::new(), None),
            Duration::AcceleratorHours(x) => {
                (None, Some(*x), None, None, None, String::new(), None)
            }
            Duration::Throughput { .. } => (None, None, None, None, None, String::new(), e.mfu),
            Duration::Compute {
                work, precision, ..
            } => match work {
                Work::Flops(f) => (
                    None,
                    None,
                    Some(*f),
                    None,
                    None,
                    precision.as_str().to_owned(),
                    e.mfu,
                ),
                Work::ParamsTokens { params, tokens } => (
                    None,
                    None,
                    None,
                    Some(*params),
                    Some(*tokens),
                    precision.as_str().to_owned(),
                    e.mfu,
                ),
            },
        };
        let (power_mode, watts_in, util) = match plan.power {
            Power::Watts(w) => ("average watts", Some(w), None),
            Power::Tdp { utilization } => ("TDP x utilisation", None, Some(utilization)),
        };
        let (price_mode, price) = match plan.price {
            Price::None => ("none", None),
            Price::RegionElectricity => (
                "region electricity (USD/kWh)",
                region.and_then(|r| r.electricity_usd_per_kwh),
            ),
            Price::UsdPerKwh(x) => ("USD/kWh", Some(x)),
            Price::UsdPerAcceleratorHour(x) => ("USD/accelerator-hour", Some(x)),
        };
        let host = plan.host.as_ref();
        let record = [
            plan.name.clone(),
            (i == report.baseline).to_string(),
            plan.accelerator.clone(),
            acc.map(|a| a.name.clone()).unwrap_or_default(),
            plan.count.map(|c| c.to_string()).unwrap_or_default(),
            plan.duration.mode_label().to_owned(),
            opt(hours_in),
            opt(ah_in),
            opt(flops_in),
            opt(params),
            opt(tokens),
            precision,
            opt(mfu),
            power_mode.to_owned(),
            opt(watts_in),
            opt(util),
            opt(host.map(|h| h.cpu_watts)),
            opt(host.map(|h| h.memory_gb)),
            opt(host.map(|h| h.memory_w_per_gb)),
            host.map(|h| h.accelerators_per_host.to_string())
                .unwrap_or_default(),
            plan.region.clone().unwrap_or_default(),
            region.map(|r| r.name.clone()).unwrap_or_default(),
            opt(plan.pue),
            opt(plan.intensity_g_per_kwh),
            plan.runs.to_string(),
            plan.embodied.is_some().to_string(),
            opt(e.embodied_kg_per_device),
            opt(e.lifetime_years),
            price_mode.to_owned(),
            opt(price),
            e.accelerator_hours.to_string(),
            opt(e.wall_hours),
            opt(e.training_flops),
            e.power_w.to_string(),
            e.host_w.to_string(),
            e.accelerator_energy_kwh.to_string(),
            e.host_energy_kwh.to_string(),
            e.it_energy_kwh.to_string(),
            e.pue.to_string(),
            source(e.pue_source).to_owned(),
            e.facility_energy_kwh.to_string(),
            e.intensity_g_per_kwh.to_string(),
            source(e.intensity_source).to_owned(),
            e.co2e_kg.to_string(),
            opt(e.cfe_share),
            opt(e.market_co2e_kg),
            e.embodied_co2e_kg.to_string(),
            e.total_co2e_kg.to_string(),
            opt(e.water_l),
            opt(e.cost_usd),
            opt(p.summary.co2e_vs_baseline_pct),
            p.summary.assumptions.join(";"),
            opt(p.summary.co2e_kg_p5),
            opt(p.summary.co2e_kg_p50),
            opt(p.summary.co2e_kg_p95),
            own_ranges(plan),
        ];
        ok &= w.write_record(&record).is_ok();
    }
    match (ok, w.into_inner()) {
        (true, Ok(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
        _ => String::new(),
    }
}
