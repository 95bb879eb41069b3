//! The Hugging Face model-card `co2_eq_emissions` metadata block for one plan
//! (huggingface.co/docs/hub/model-cards-co2: `emissions` in grams of CO2e, `source`, `training_type`,
//! `geographical_location`, `hardware_used`).

use super::report::Report;

/// Quotes a YAML string (double-quoted style, escaping backslashes and quotes).
fn quote(s: &str) -> String {
    let escaped: String = s
        .chars()
        .flat_map(|c| match c {
            '\\' => vec!['\\', '\\'],
            '"' => vec!['\\', '"'],
            '\n' => vec!['\\', 'n'],
            c => vec![c],
        })
        .collect();
    format!("\"{escaped}\"")
}

/// The YAML front-matter block for plan `index` (the baseline when out of range).
pub fn yaml(report: &Report<'_>, index: usize, training_type: &str) -> String {
    let i = if index < report.plans.len() {
        index
    } else {
        report.baseline
    };
    let Some(p) = report.plans.get(i) else {
        return String::new();
    };
    let acc = report
        .catalogue
        .accelerator(&p.plan.accelerator)
        .map(|a| a.name.clone())
        .unwrap_or_else(|| p.plan.accelerator.clone());
    let hardware = match p.plan.count {
        Some(c) => format!("{c} x {acc}"),
        None => format!(
            "{acc} ({} accelerator-hours)",
            crate::units::sig(p.estimate.accelerator_hours, 6)
        ),
    };
    let location = p
        .plan
        .region
        .as_deref()
        .and_then(|r| report.catalogue.region(r))
        .map(|r| r.name.clone())
        .unwrap_or_else(|| "not specified (grid intensity given directly)".into());
    let grams = (p.estimate.total_co2e_kg * 1000.0).round();
    format!(
        "---\nco2_eq_emissions:\n  emissions: {grams}\n  source: {}\n  training_type: {}\n  geographical_location: {}\n  hardware_used: {}\n---\n",
        quote(&format!(
            "Trainprint {} estimate, {}: {} facility energy x {} gCO2e/kWh{}",
            report.version,
            report.date,
            crate::units::energy(p.estimate.facility_energy_kwh),
            crate::units::sig(p.estimate.intensity_g_per_kwh, 5),
            if p.estimate.embodied_co2e_kg > 0.0 {
                " + embodied"
            } else {
                ""
            }
        )),
        quote(training_type),
        quote(&location),
        quote(&hardware),
    )
}
