//! The derivation of one plan, step by step with its own numbers (like the worked example: 8 x 0.4 kW x 120 h =
//! 384 kWh; x 1.2 = 460.8 kWh; x 0.350 kg/kWh = 161.28 kgCO2e), each input naming where its value came from.
//! The app's formula view and the exports show these steps.

use super::error::EstimateError;
use super::estimate::{Assumption, Estimate, ValueSource, estimate};
use super::provenance::Provenance;
use crate::model::{Catalogue, Duration, Price, TrainingPlan, Work};
use crate::units::sig;

/// Which optional terms the derivation includes (so a student can see each term's effect).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Terms {
    /// Apply the PUE (off: PUE 1, facility = IT).
    pub pue: bool,
    /// Include the plan's host overhead.
    pub host: bool,
    /// Include the plan's embodied carbon.
    pub embodied: bool,
}

impl Default for Terms {
    fn default() -> Self {
        Terms {
            pue: true,
            host: true,
            embodied: true,
        }
    }
}

/// One line of the derivation.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// What is computed (`IT energy`).
    pub quantity: &'static str,
    /// The equation with the plan's numbers and the result (`960 h x 0.4 kW = 384 kWh`).
    pub equation: String,
    /// Where the inputs came from.
    pub source: String,
    /// True when an input is a default or fallback (shown flagged).
    pub flagged: bool,
}

/// The plan with the terms left out that `terms` turns off.
pub fn with_terms(plan: &TrainingPlan, terms: Terms) -> TrainingPlan {
    let mut p = plan.clone();
    if !terms.pue {
        p.pue = Some(1.0);
    }
    if !terms.host {
        p.host = None;
    }
    if !terms.embodied {
        p.embodied = None;
    }
    p
}

fn n(x: f64) -> String {
    sig(x, 6)
}

/// Scientific notation without trailing zeros: `7e9`, `4.2e22`.
fn sci(x: f64) -> String {
    let s = format!("{x:.4e}");
    match s.split_once('e') {
        Some((m, e)) => {
            let m = if m.contains('.') {
                m.trim_end_matches('0').trim_end_matches('.')
            } else {
                m
            };
            format!("{m}e{e}")
        }
        None => s,
    }
}

/// Estimates the plan with `terms` and lays out every step.
pub fn derive(
    plan: &TrainingPlan,
    catalogue: &Catalogue,
    terms: Terms,
) -> Result<(Estimate, Vec<Step>), EstimateError> {
    let p = with_terms(plan, terms);
    let e = estimate(&p, catalogue)?;
    let prov = Provenance::of(&p, catalogue, &e);
    let acc = catalogue.accelerator(&p.accelerator);
    let region = p.region.as_deref().and_then(|r| catalogue.region(r));
    let acc_name = acc
        .map(|a| a.name.as_str())
        .unwrap_or(p.accelerator.as_str());
    let mut steps = Vec::new();
    let mut push = |quantity, equation: String, source: String, flagged| {
        steps.push(Step {
            quantity,
            equation,
            source,
            flagged,
        })
    };

    // Duration.
    let run_hours = e.accelerator_hours / e.runs;
    match p.duration {
        Duration::WallHours(h) => push(
            "Accelerator-hours",
            format!(
                "{} accelerators x {} h = {} h",
                p.count.unwrap_or(0),
                n(h),
                n(run_hours)
            ),
            "count and wall hours: plan".into(),
            false,
        ),
        Duration::AcceleratorHours(x) => push(
            "Accelerator-hours",
            format!("{} h (given)", n(x)),
            "accelerator-hours: plan".into(),
            false,
        ),
        Duration::Compute {
            work, precision, ..
        } => {
            let flops = e.training_flops.unwrap_or(0.0);
            let mfu = e.mfu.unwrap_or(0.0);
            if let Work::ParamsTokens { params, tokens } = work {
                push(
                    "Training FLOPs",
                    format!(
                        "6 x {} parameters x {} tokens = {} FLOP",
                        sci(params),
                        sci(tokens),
                        sci(flops)
                    ),
                    "6·N·D for dense transformers (Kaplan et al. 2020)".into(),
                    false,
                );
            }
            let peak = e.peak_flops_per_s.unwrap_or(0.0);
            push(
                "Accelerator-hours",
                format!(
                    "{} FLOP / ({} TFLOP/s x MFU {}) / 3600 s/h = {} h",
                    sci(flops),
                    n(peak / 1e12),
                    n(mfu),
                    n(run_hours)
                ),
                format!(
                    "{} dense peak of {acc_name}: catalogue ({}); {}",
                    precision.label(),
                    acc.map(|a| a.source.as_str()).unwrap_or(""),
                    prov.mfu.as_ref().map(|m| m.long()).unwrap_or_default()
                ),
                prov.mfu.as_ref().is_some_and(|m| m.flagged),
            );
        }
        Duration::Throughput {
            items,
            unit,
            per_second,
            ..
        } => {
            push(
                "Accelerator-hours",
                format!(
                    "{} {} / {} {}/s / 3600 s/h = {} h",
                    sci(items),
                    unit.label(),
                    n(per_second),
                    unit.label(),
                    n(run_hours)
                ),
                "measured throughput per accelerator: plan".into(),
                false,
            );
            if let (Some(m), Some(flops), Some(peak)) =
                (e.mfu, e.training_flops, e.peak_flops_per_s)
            {
                push(
                    "Implied MFU",
                    format!(
                        "{} FLOP / {} {} x {} {}/s / {} TFLOP/s = {}",
                        sci(flops),
                        sci(items),
                        unit.label(),
                        n(per_second),
                        unit.label(),
                        n(peak / 1e12),
                        n(m)
                    ),
                    "FLOPs per item and precision: plan; peak: catalogue".into(),
                    m > 1.0,
                );
            }
        }
    }
    if let (Some(w), false) = (e.wall_hours, matches!(p.duration, Duration::WallHours(_))) {
        push(
            "Wall-clock hours",
            format!(
                "{} h / {} accelerators = {} h",
                n(run_hours),
                p.count.unwrap_or(0),
                n(w)
            ),
            "count: plan".into(),
            false,
        );
    }
    if e.runs != 1.0 {
        push(
            "All runs",
            format!(
                "{} h x {} runs = {} accelerator-hours",
                n(run_hours),
                n(e.runs),
                n(e.accelerator_hours)
            ),
            "runs: plan".into(),
            false,
        );
    }

    // Power.
    match p.power {
        crate::model::Power::Watts(w) => push(
            "Power per accelerator",
            format!("{} W", n(w)),
            prov.power.long(),
            false,
        ),
        crate::model::Power::Tdp { utilization } => push(
            "Power per accelerator",
            format!(
                "TDP {} W x {} = {} W",
                n(e.power_w / utilization),
                n(utilization),
                n(e.power_w)
            ),
            prov.power.long(),
            false,
        ),
    }
    if let Some(h) = &p.host {
        push(
            "Host per accelerator",
            format!(
                "({} W CPU + {} GB x {} W/GB) / {} = {} W",
                n(h.cpu_watts),
                n(h.memory_gb),
                n(h.memory_w_per_gb),
                h.accelerators_per_host,
                n(e.host_w)
            ),
            "host overhead: plan".into(),
            false,
        );
    }

    // Energy.
    let kw = (e.power_w + e.host_w) / 1000.0;
    push(
        "IT energy",
        format!(
            "{} h x {} kW = {} kWh",
            n(e.accelerator_hours),
            n(kw),
            n(e.it_energy_kwh)
        ),
        if e.host_w > 0.0 {
            "accelerators + host".into()
        } else {
            "accelerators only (no host term)".into()
        },
        false,
    );
    let (pue_source, pue_flag) = match e.pue_source {
        ValueSource::Plan if !terms.pue => ("PUE left out (1)".to_owned(), false),
        _ => (prov.pue.long(), prov.pue.flagged),
    };
    push(
        "Facility energy",
        format!(
            "{} kWh x PUE {} = {} kWh",
            n(e.it_energy_kwh),
            n(e.pue),
            n(e.facility_energy_kwh)
        ),
        pue_source,
        pue_flag,
    );

    // Carbon.
    let intensity_source = prov.intensity.long();
    push(
        "Operational CO2e",
        format!(
            "{} kWh x {} kg/kWh = {} kgCO2e",
            n(e.facility_energy_kwh),
            n(e.intensity_g_per_kwh / 1000.0),
            n(e.co2e_kg)
        ),
        intensity_source,
        false,
    );
    if let (Some(m), Some(c)) = (e.market_co2e_kg, e.cfe_share) {
        push(
            "Market-based CO2e",
            format!("{} kg x (1 - CFE {}) = {} kgCO2e", n(e.co2e_kg), n(c), n(m)),
            "carbon-free-energy share: region (shown beside, never instead of, location-based)"
                .into(),
            false,
        );
    }
    if let (Some(kg), Some(life)) = (e.embodied_kg_per_device, e.lifetime_years) {
        let flagged = e.assumptions.contains(Assumption::GenericEmbodied)
            || e.assumptions.contains(Assumption::DefaultLifetime);
        let mut source = Vec::new();
        if e.assumptions.contains(Assumption::GenericEmbodied) {
            source.push(Assumption::GenericEmbodied.describe());
        } else {
            source.push(format!(
                "embodied per device: {}",
                acc.map(|a| a.embodied_scope.as_str())
                    .filter(|s| !s.is_empty())
                    .unwrap_or("plan")
            ));
        }
        if e.assumptions.contains(Assumption::DefaultLifetime) {
            source.push(Assumption::DefaultLifetime.describe());
        }
        push(
            "Embodied CO2e",
            format!(
                "{} kg x {} h / ({} y x 8760 h) = {} kgCO2e",
                n(kg),
                n(e.accelerator_hours),
                n(life),
                n(e.embodied_co2e_kg)
            ),
            source.join("; "),
            flagged,
        );
        push(
            "Total CO2e",
            format!(
                "{} + {} = {} kgCO2e",
                n(e.co2e_kg),
                n(e.embodied_co2e_kg),
                n(e.total_co2e_kg)
            ),
            "operational + embodied".into(),
            false,
        );
    }
    if let (Some(w), Some(wue)) = (e.water_l, e.wue_l_per_kwh) {
        push(
            "Water (on-site)",
            format!("{} kWh x {} L/kWh = {} L", n(e.it_energy_kwh), n(wue), n(w)),
            format!(
                "WUE of {}",
                region.map(|r| r.name.as_str()).unwrap_or("the region")
            ),
            false,
        );
    }
    if let Some(c) = e.cost_usd {
        let equation = match p.price {
            Price::UsdPerAcceleratorHour(r) => {
                format!("{} h x ${}/h = ${}", n(e.accelerator_hours), n(r), n(c))
            }
            _ => format!(
                "{} kWh x ${}/kWh = ${}",
                n(e.facility_energy_kwh),
                n(c / e.facility_energy_kwh.max(f64::MIN_POSITIVE)),
                n(c)
            ),
        };
        push(
            "Cost",
            equation,
            match p.price {
                Price::RegionElectricity => "electricity price: region".into(),
                _ => "price: plan".into(),
            },
            false,
        );
    }
    Ok((e, steps))
}

/// A plan's derivation with some terms left out, as the formula view shows it (cached by the app).
#[derive(Clone, Debug, PartialEq)]
pub struct Derivation {
    /// The plan's index.
    pub plan: usize,
    /// The terms it includes.
    pub terms: Terms,
    /// The estimate with those terms and its steps, or why there is none.
    pub result: Result<(Estimate, Vec<Step>), EstimateError>,
}
