//! The sweep chart: one horizontal bar per value, ranked (lowest total CO2e at the top), total CO2e with P5-P95
//! whiskers beside facility energy, the plan's own value marked in the baseline colour. Built from a
//! [`SweepResult`] once; drawn by egui_plot in the app and by plotters in the exports.

use super::scale::{self, Scale};
use super::{
    Anchor, Arrangement, Axis, Bar, Chart, ChartKind, Label, LegendEntry, LegendMark, Panel,
    Series, Shape, Whisker,
};
use crate::engine::sweep::{SweepResult, Variant};
use crate::palette;
use crate::units::{self, sig};

/// A sweep of the workspace, run, with its chart: what the app's Sweep tab shows.
#[derive(Clone, Debug)]
pub struct SweepView {
    /// Which of the workspace's sweeps.
    pub index: usize,
    /// Its result, or why it cannot run (the plan was removed or cannot be estimated).
    pub result: Result<SweepResult, String>,
    /// Its chart, when it ran.
    pub chart: Option<Chart>,
}

/// The category position of the variant ranked `rank` among `n` (rank 0, the lowest, is at the top).
pub fn position(rank: usize, n: usize) -> f64 {
    n.saturating_sub(1 + rank) as f64
}

/// The rank of the bar at category position `pos` among `n`, if it names one.
pub fn rank_at(pos: f64, n: usize) -> Option<usize> {
    let p = pos.round();
    if !(0.0..n as f64).contains(&p) || (pos - p).abs() > 0.4 {
        return None;
    }
    Some(n - 1 - p as usize)
}

/// The name of a variant on the category axis (the plan's own value says so).
pub fn category_name(v: &Variant) -> String {
    if v.own {
        format!("{} (plan)", v.label)
    } else {
        v.label.clone()
    }
}

fn hover(v: &Variant, energy: Scale, co2e: Scale) -> String {
    let Some(e) = v.outcome.ok() else {
        return v.label.clone();
    };
    let mut s = format!(
        "{}: {} {} CO2e",
        category_name(v),
        sig(co2e.of(e.total_co2e_kg), 4),
        co2e.name.trim_end_matches("CO2e")
    );
    if let Some(u) = &v.outcome.uncertainty {
        s.push_str(&format!(
            " (P5–P95 {}–{})",
            sig(co2e.of(u.interval.p5), 3),
            sig(co2e.of(u.interval.p95), 3)
        ));
    }
    s.push_str(&format!(
        "; {} {}",
        sig(energy.of(e.facility_energy_kwh), 4),
        energy.name
    ));
    if let Some(w) = e.wall_hours {
        s.push_str(&format!("; {}", units::hours(w)));
    }
    if let Some(c) = e.cost_usd {
        s.push_str(&format!("; {}", units::usd(c)));
    }
    s
}

/// Builds the sweep chart.
pub fn build(result: &SweepResult, footnote: Vec<String>) -> Chart {
    let kind = ChartKind::Sweep;
    let n = result.variants.len();
    let title = format!(
        "{} — '{}' across {} {}",
        kind.title(),
        result.plan_name,
        n,
        match result.kind {
            crate::model::SweepKind::Region => "regions",
            crate::model::SweepKind::Accelerator => "accelerators",
            crate::model::SweepKind::Count => "counts",
            crate::model::SweepKind::Precision => "precisions",
            crate::model::SweepKind::Pue => "PUE values",
            crate::model::SweepKind::Utilization => "utilisation values",
        }
    );
    let ests: Vec<_> = result
        .variants
        .iter()
        .filter_map(|v| v.outcome.ok())
        .collect();
    let max_co2e = result
        .variants
        .iter()
        .filter_map(|v| {
            let e = v.outcome.ok()?;
            Some(
                v.outcome
                    .uncertainty
                    .as_ref()
                    .map_or(e.total_co2e_kg, |u| u.interval.p95.max(e.total_co2e_kg)),
            )
        })
        .fold(0.0, f64::max);
    let max_energy = ests
        .iter()
        .map(|e| e.facility_energy_kwh)
        .fold(0.0, f64::max);
    let (co2e_sc, energy_sc) = (scale::co2e(max_co2e), scale::energy(max_energy));
    let mut names = vec![String::new(); n];
    for (rank, v) in result.variants.iter().enumerate() {
        if let Some(slot) = names.get_mut(position(rank, n) as usize) {
            *slot = category_name(v);
        }
    }
    let panel = |co2e: bool| {
        let sc = if co2e { co2e_sc } else { energy_sc };
        let mut own_bars = Vec::new();
        let mut bars = Vec::new();
        let mut whiskers = Vec::new();
        let mut labels = Vec::new();
        for (rank, v) in result.variants.iter().enumerate() {
            let Some(e) = v.outcome.ok() else { continue };
            let pos = position(rank, n);
            let x = sc.of(if co2e {
                e.total_co2e_kg
            } else {
                e.facility_energy_kwh
            });
            let bar = Bar {
                pos,
                base: 0.0,
                value: x,
                hover: hover(v, energy_sc, co2e_sc),
            };
            if v.own { &mut own_bars } else { &mut bars }.push(bar);
            let mut end = x;
            if co2e && let Some(u) = &v.outcome.uncertainty {
                let (lo, hi) = (sc.of(u.interval.p5), sc.of(u.interval.p95));
                whiskers.push(Whisker {
                    pos,
                    low: lo,
                    high: hi,
                });
                end = end.max(hi);
            }
            let text = match (co2e, result.vs_own_pct(v)) {
                (true, Some(d)) if !v.own => format!("{} ({d:+.0} %)", sig(x, 3)),
                _ => sig(x, 3),
            };
            labels.push(Label {
                at: [end, pos],
                text,
                anchor: Anchor::Right,
                color: Some(if v.own {
                    palette::BASELINE
                } else {
                    palette::INK
                }),
                priority: v.own || rank == 0,
            });
        }
        let mut series = vec![
            Series {
                id: format!("sweep-{}-values", tag(co2e)),
                name: "values".into(),
                color: palette::MANY,
                shape: Shape::Bars {
                    bars,
                    horizontal: true,
                },
            },
            Series {
                id: format!("sweep-{}-own", tag(co2e)),
                name: "the plan's own value".into(),
                color: palette::BASELINE,
                shape: Shape::Bars {
                    bars: own_bars,
                    horizontal: true,
                },
            },
        ];
        if !whiskers.is_empty() {
            series.push(Series {
                id: "sweep-p5-p95".into(),
                name: "P5–P95".into(),
                color: palette::INK,
                shape: Shape::Whiskers {
                    items: whiskers,
                    horizontal: true,
                },
            });
        }
        let caption = if co2e {
            format!("Total CO2e ({}), whiskers P5–P95", sc.name)
        } else {
            format!("Facility energy ({})", sc.name)
        };
        let top = sc.of(if co2e { max_co2e } else { max_energy });
        Panel {
            id: if co2e { "sweep-co2e" } else { "sweep-energy" },
            caption: caption.clone(),
            x: Axis::numeric(caption, 0.0, top * if co2e { 1.3 } else { 1.18 }),
            y: Axis::categories(result.kind.label(), names.clone()),
            series,
            labels,
            link_x: None,
            interactive: false,
        }
    };
    let mut notes = Vec::new();
    let sentence = result.methods_sentence();
    if !sentence.is_empty() {
        notes.push(sentence);
    }
    if !result.skipped.is_empty() {
        notes.push(format!(
            "Skipped: {}",
            result
                .skipped
                .iter()
                .map(|s| format!("{} ({})", s.value, s.reason))
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    Chart {
        kind,
        title,
        panels: if n == 0 {
            Vec::new()
        } else {
            vec![panel(true), panel(false)]
        },
        arrangement: Arrangement::Columns,
        legend: vec![
            LegendEntry {
                name: "the plan's own value".into(),
                color: palette::BASELINE,
                mark: LegendMark::Box,
            },
            LegendEntry {
                name: "other values".into(),
                color: palette::MANY,
                mark: LegendMark::Box,
            },
        ],
        notes,
        footnote,
    }
}

fn tag(co2e: bool) -> &'static str {
    if co2e { "co2e" } else { "energy" }
}
