//! Exports of a sweep: one row per value in rank order under the keys of `estimate --format json` plus `value`
//! (JSON, CSV, a Markdown table), the skipped values with their reasons, the methods sentence ("training in X
//! instead of Y would have emitted Z % less"), and the chart as PNG or SVG.

use super::charts::{self, ChartError};
use super::summary::{PlanSummary, escape_md};
use crate::chart;
use crate::engine::sweep::{Skipped, SweepResult};
use crate::units;
use serde::Serialize;

/// One row of a sweep: the value, whether it is the plan's own, then the keys of `estimate --format json`
/// (with `co2e_vs_baseline_pct` measured against the plan's own value, and the P5/P50/P95 always present).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SweepRow {
    /// The value (`aws-us-east-1`, `64`, `bf16`, `1.2`).
    pub value: String,
    /// 1 for the lowest total CO2e.
    pub rank: usize,
    /// True for the plan's own value.
    pub own: bool,
    /// The estimate's keys.
    #[serde(flatten)]
    pub summary: PlanSummary,
}

/// The rows of a sweep, in rank order.
pub fn rows(result: &SweepResult) -> Vec<SweepRow> {
    result
        .variants
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            let e = v.outcome.ok()?;
            let mut s = PlanSummary::new(&v.plan, e, result.vs_own_pct(v));
            if let Some(p) = &v.outcome.provenance {
                s = s.with_provenance(p);
            }
            if let Some(u) = &v.outcome.uncertainty {
                s = s.with_uncertainty(u);
            }
            Some(SweepRow {
                value: v.value.clone(),
                rank: i + 1,
                own: v.own,
                summary: s,
            })
        })
        .collect()
}

#[derive(Serialize)]
struct SweepJson<'a> {
    plan: &'a str,
    over: &'a str,
    own_value: Option<&'a str>,
    methods: String,
    rows: Vec<SweepRow>,
    skipped: &'a [Skipped],
}

/// `{"plan", "over", "own_value", "methods", "rows": [...], "skipped": [{"value", "reason"}]}`, pretty-printed.
pub fn to_json(result: &SweepResult) -> String {
    let doc = SweepJson {
        plan: &result.plan_name,
        over: result.kind.as_str(),
        own_value: result.own().map(|v| v.value.as_str()),
        methods: result.methods_sentence(),
        rows: rows(result),
        skipped: &result.skipped,
    };
    serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// CSV: `value,rank,own,` then the columns of `estimate --format csv`, then `skipped_reason`; the skipped values
/// follow the ranked rows with only `value` and `skipped_reason` filled.
pub fn to_csv(result: &SweepResult) -> String {
    let rows = rows(result);
    let summaries: Vec<PlanSummary> = rows.iter().map(|r| r.summary.clone()).collect();
    let inner = super::summary::to_csv(&summaries);
    let mut lines = inner.lines();
    let header = lines.next().unwrap_or_default();
    let cols = header.split(',').count();
    let mut out = format!("value,rank,own,{header},skipped_reason\n");
    for (r, line) in rows.iter().zip(lines) {
        out.push_str(&format!(
            "{},{},{},{line},\n",
            csv_field(&r.value),
            r.rank,
            r.own
        ));
    }
    for s in &result.skipped {
        out.push_str(&format!(
            "{},,,{}{}\n",
            csv_field(&s.value),
            ",".repeat(cols),
            csv_field(&s.reason)
        ));
    }
    out
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// A Markdown table in rank order (energy, CO2e with P5–P95, time, cost, change against the plan's own value),
/// the skipped values, and the methods sentence.
pub fn to_markdown(result: &SweepResult) -> String {
    let mut s = format!(
        "## Sweep of '{}' over {}\n\n| # | {} | Facility energy | Total CO2e | P5–P95 | Wall-clock | Cost | vs plan |\n\
         |---:|---|---:|---:|---:|---:|---:|---:|\n",
        escape_md(&result.plan_name),
        result.kind.as_str(),
        result.kind.label()
    );
    for (r, v) in rows(result).iter().zip(&result.variants) {
        let m = &r.summary;
        let name = if r.own {
            format!("**{} (plan)**", escape_md(&v.label))
        } else {
            escape_md(&v.label)
        };
        let range = match (m.co2e_kg_p5, m.co2e_kg_p95) {
            (Some(lo), Some(hi)) => format!("{} – {}", units::co2e(lo), units::co2e(hi)),
            _ => "—".into(),
        };
        s.push_str(&format!(
            "| {} | {name} | {} | {} | {range} | {} | {} | {} |\n",
            r.rank,
            units::energy(m.facility_energy_kwh),
            units::co2e(m.total_co2e_kg),
            m.wall_hours.map_or_else(|| "—".into(), units::hours),
            m.cost_usd.map_or_else(|| "—".into(), units::usd),
            match (r.own, m.co2e_vs_baseline_pct) {
                (true, _) => "—".to_owned(),
                (false, Some(p)) => format!("{p:+.1} %"),
                (false, None) => "—".to_owned(),
            }
        ));
    }
    if !result.skipped.is_empty() {
        s.push_str("\nSkipped:\n\n");
        for k in &result.skipped {
            s.push_str(&format!("- {}: {}\n", escape_md(&k.value), k.reason));
        }
    }
    let m = result.methods_sentence();
    if !m.is_empty() {
        s.push_str(&format!("\n{m}\n"));
    }
    s
}

/// The footnote of a sweep chart.
pub fn footnote(result: &SweepResult) -> Vec<String> {
    let mut lines = vec![
        "Facility energy = accelerator-hours x average power x PUE; CO2e = facility energy x grid intensity (+ embodied)."
            .to_owned(),
    ];
    if let Some(own) = result.own()
        && let Some(p) = &own.outcome.provenance
    {
        lines.push(format!(
            "The plan's own value: grid intensity {}; PUE {}.",
            p.intensity.short(),
            p.pue.short()
        ));
    }
    lines.push(format!(
        "Each value's figures and sources are in the catalogue. {}",
        super::report::uncertainty_method()
    ));
    lines
}

/// The sweep's chart data (the same the app draws).
pub fn chart(result: &SweepResult) -> chart::Chart {
    chart::sweep::build(result, footnote(result))
}

/// The chart's height in pixels for `n` values: room for every bar's name.
pub fn chart_height(n: usize) -> u32 {
    (260 + 17 * n as u32).clamp(480, 2400)
}

fn stamp() -> String {
    format!(
        "Trainprint {} · peak FLOP/s dense; sources per value in the catalogue.",
        env!("CARGO_PKG_VERSION")
    )
}

/// The sweep chart as SVG, `width` wide and tall enough for every value.
pub fn svg(result: &SweepResult, width: u32) -> Result<String, ChartError> {
    charts::svg_of(
        &chart(result),
        &stamp(),
        width,
        chart_height(result.variants.len()),
    )
}

/// The sweep chart as PNG bytes, `width` wide and tall enough for every value.
pub fn png(result: &SweepResult, width: u32) -> Result<Vec<u8>, ChartError> {
    charts::png_bytes_of(
        &chart(result),
        &stamp(),
        width,
        chart_height(result.variants.len()),
    )
}
