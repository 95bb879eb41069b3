//! The Markdown summary: the comparison table, the assumptions behind each plan (PUE, intensity, power, with
//! sources and years), the formula with the baseline's own numbers, the methods paragraph and the references.

use super::report::{
    Report, duration_text, intensity_text, mfu_text, power_text, pue_text, ranges_text,
    uncertainty_method,
};
use super::summary::{escape_md, to_markdown_table};
use crate::engine::Assumption;
use crate::engine::derivation::{Terms, derive};

/// The Markdown text.
pub fn markdown(report: &Report<'_>) -> String {
    let mut s = format!("# {}\n\n", escape_md(&report.ws.name));
    if !report.ws.description.trim().is_empty() {
        s.push_str(&format!("{}\n\n", report.ws.description.trim()));
    }
    s.push_str("## Comparison\n\n");
    let rows: Vec<_> = report.plans.iter().map(|p| p.summary.clone()).collect();
    s.push_str(&to_markdown_table(&rows));
    if let Some(b) = report.plans.get(report.baseline) {
        s.push_str(&format!(
            "\nBaseline: {}. Totals include embodied carbon where a plan includes it.\n",
            escape_md(&b.plan.name)
        ));
    }
    s.push_str("\n## Assumptions\n\n| Plan | Duration | Power | PUE | Grid intensity |\n|---|---|---|---|---|\n");
    for p in &report.plans {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            escape_md(&p.plan.name),
            escape_md(&duration_text(p)),
            escape_md(&power_text(report.catalogue, p)),
            escape_md(&pue_text(report.catalogue, p)),
            escape_md(&intensity_text(report.catalogue, p)),
        ));
    }
    let mut notes = Vec::new();
    for a in Assumption::ALL {
        let plans: Vec<&str> = report
            .plans
            .iter()
            .filter(|p| p.estimate.assumptions.contains(a))
            .map(|p| p.plan.name.as_str())
            .collect();
        if !plans.is_empty() && a != Assumption::NoWaterData {
            notes.push(format!("- {} (plans: {})", a.describe(), plans.join(", ")));
        }
    }
    for p in &report.plans {
        if let Some(m) = mfu_text(p) {
            notes.push(format!("- MFU of {}: {m}", p.plan.name));
        }
    }
    if !notes.is_empty() {
        s.push_str("\nDefaults and notes:\n\n");
        for n in notes {
            s.push_str(&escape_md(&n));
            s.push('\n');
        }
    }
    s.push_str(&format!(
        "\n## Uncertainty\n\n{}.\n\n",
        uncertainty_method()
    ));
    for p in &report.plans {
        let r = ranges_text(p);
        s.push_str(&format!(
            "- {}: {}\n",
            escape_md(&p.plan.name),
            if r.is_empty() {
                "no uncertain input (every value given as exact)".to_owned()
            } else {
                escape_md(&r.join("; "))
            }
        ));
        if let Some(note) = &p.summary.uncertainty_note {
            s.push_str(&format!("  {}\n", escape_md(note)));
        }
    }
    s.push_str(
        "\n## Formula\n\nfacility energy (kWh) = accelerator-hours × average power (kW) × PUE; \
         CO2e (kg) = facility energy × grid intensity (kg/kWh) (+ embodied share)\n",
    );
    if let Some(b) = report.plans.get(report.baseline)
        && let Ok((_, steps)) = derive(b.plan, report.catalogue, Terms::default())
    {
        s.push_str(&format!(
            "\nWorked through for the baseline, {}:\n\n",
            escape_md(&b.plan.name)
        ));
        for st in steps {
            s.push_str(&format!("- {}: {}\n", st.quantity, st.equation));
        }
    }
    s.push_str("\n## Methods paragraph\n\n");
    s.push_str(&super::methods::paragraph(report));
    s.push_str("\n\nBibTeX entries for the citations are in `references.bib`.\n");
    s.push_str("\n## Sources\n\n");
    let mut seen: Vec<String> = Vec::new();
    let mut source = |id: &str, name: &str, year: u16, from: &str| {
        if !seen.iter().any(|known| known == id) {
            s.push_str(&format!(
                "- {} ({year}): {}\n",
                escape_md(name),
                escape_md(from)
            ));
            seen.push(id.to_owned());
        }
    };
    for p in &report.plans {
        if let Some(a) = report.catalogue.accelerator(&p.plan.accelerator) {
            source(&a.id, &a.name, a.data_year, &a.source);
        }
        if let Some(r) = p
            .plan
            .region
            .as_deref()
            .and_then(|r| report.catalogue.region(r))
        {
            source(&r.id, &r.name, r.intensity_year, &r.source);
        }
    }
    s.push_str(&format!(
        "\n---\n_Exported by Trainprint {} on {}. Peak FLOP/s are dense (no sparsity)._\n",
        report.version, report.date
    ));
    s
}
