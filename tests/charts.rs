//! Exported charts stay readable from 2 plans to 50: every chart kind laid out at two sizes for workspaces of 2, 12
//! and 50 plans has no two texts overlapping and everything inside the image; the baseline stays marked; legends
//! list only what the chart has. The layout is the same `Scene` the PNG and SVG files are drawn from.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use trainprint::chart::{ChartKind, LegendMark, Shape};
use trainprint::export::charts::{self, Scene};
use trainprint::export::date::Date;
use trainprint::export::report::Report;
use trainprint::model::{Power, TrainingPlan, Workspace};
use trainprint::persist::{presets, workspace};

const DATE: Date = Date {
    year: 2026,
    month: 1,
    day: 15,
};

/// `n` plans over a spread of accelerators, regions and sizes, with names as long as people write them.
fn plans(n: usize) -> Workspace {
    let accelerators = [
        ("nvidia-a100-sxm4-80gb", "A100"),
        ("nvidia-h100-sxm", "H100"),
        ("nvidia-v100-sxm2", "V100"),
        ("nvidia-l4", "L4"),
        ("amd-mi300x", "MI300X"),
    ];
    let regions = [
        ("aws-us-east-1", "Virginia"),
        ("fr", "France"),
        ("ca-quebec", "Quebec"),
        ("de", "Germany"),
        ("world", "world average"),
        ("pl", "Poland"),
        ("no", "Norway"),
    ];
    let mut ws = Workspace {
        name: format!("{n} plans"),
        ..Default::default()
    };
    for i in 0..n {
        let (acc, acc_name) = accelerators[i % accelerators.len()];
        let (region, region_name) = regions[(i / 2) % regions.len()];
        let count = 8 << (i % 4);
        let mut p = TrainingPlan::new(
            format!("{count} x {acc_name} in {region_name} #{i}"),
            acc,
            count,
            24.0 + 13.0 * i as f64,
            region,
        );
        p.power = Power::Watts(300.0 + 7.0 * i as f64);
        ws.plans.push(p);
    }
    ws.baseline = n / 3;
    ws
}

fn check(scene: &Scene, what: &str) {
    for t in &scene.texts {
        assert!(
            t.rect.inside(scene.width, scene.height),
            "{what}: '{}' leaves the image: {:?}",
            t.text,
            t.rect
        );
    }
    for (i, a) in scene.texts.iter().enumerate() {
        for b in &scene.texts[i + 1..] {
            assert!(
                !a.rect.overlaps(&b.rect),
                "{what}: '{}' {:?} overlaps '{}' {:?}",
                a.text,
                a.rect,
                b.text,
                b.rect
            );
        }
    }
}

#[test]
fn no_two_texts_overlap_and_all_stay_inside_from_2_to_50_plans() {
    let presets = presets::catalogue().unwrap();
    for n in [2, 12, 50] {
        let ws = plans(n);
        let cat = workspace::effective_catalogue(&presets, &ws);
        let report = Report::new(&ws, &cat, DATE).unwrap();
        for kind in ChartKind::ALL {
            let data = charts::data(&report, kind);
            for (w, h) in [(1600, 900), (800, 450)] {
                let scene = charts::scene(&data, &report.stamp(), w, h);
                check(&scene, &format!("{n} plans, {kind:?} at {w}x{h}"));
                // The title, the footnote and the stamp are always there.
                assert!(
                    scene.texts.iter().any(|t| t.text.starts_with("Trainprint")),
                    "{n} plans, {kind:?}: no stamp"
                );
            }
        }
    }
}

#[test]
fn many_plans_are_sorted_horizontal_bars_with_the_baseline_marked() {
    let presets = presets::catalogue().unwrap();
    let ws = plans(50);
    let cat = workspace::effective_catalogue(&presets, &ws);
    let report = Report::new(&ws, &cat, DATE).unwrap();
    let totals = charts::data(&report, ChartKind::Totals);
    assert!(totals.legend.is_empty(), "the axis names the plans");
    for panel in &totals.panels {
        let mut bars: Vec<(f64, f64)> = panel
            .series
            .iter()
            .filter_map(|s| match &s.shape {
                Shape::Bars { bars, horizontal } => {
                    assert!(horizontal, "50 plans: horizontal bars");
                    Some((bars[0].pos, bars[0].value))
                }
                _ => None,
            })
            .collect();
        assert_eq!(bars.len(), 50);
        // Sorted: the higher the position, the larger the value.
        bars.sort_by(|a, b| a.0.total_cmp(&b.0));
        assert!(bars.windows(2).all(|w| w[0].1 <= w[1].1), "{bars:?}");
    }
    // The baseline's name is marked and drawn at both sizes, whatever else is thinned.
    let baseline = format!("{} (baseline)", ws.plans[ws.baseline].name);
    for (w, h) in [(1600, 900), (800, 450)] {
        let scene = charts::scene(&totals, &report.stamp(), w, h);
        assert!(
            scene
                .texts
                .iter()
                .any(|t| t.text == baseline || (t.text.ends_with('…') && t.text.len() > 4)),
            "{w}x{h}: the baseline's label is missing"
        );
    }
}

#[test]
fn legends_list_only_the_terms_a_chart_has() {
    let presets = presets::catalogue().unwrap();
    let ws = plans(3);
    let cat = workspace::effective_catalogue(&presets, &ws);
    let report = Report::new(&ws, &cat, DATE).unwrap();
    let breakdown = charts::data(&report, ChartKind::Breakdown);
    let names: Vec<&str> = breakdown.legend.iter().map(|e| e.name.as_str()).collect();
    // No plan has a host term or embodied carbon; every region's PUE is above 1.
    assert_eq!(names, ["Accelerators (IT)", "PUE overhead"]);
    assert!(breakdown.legend.iter().all(|e| e.mark == LegendMark::Box));
}

/// The chart data itself, for every example workspace and chart kind, as reviewed snapshots: any change to what a
/// chart shows (a value, a label, a whisker, a note, the footnote's sources) shows up as a diff to review, in the app
/// and the exports alike (both draw this data).
#[test]
fn chart_data_snapshots_for_every_example_and_chart_kind() {
    let presets = presets::catalogue().unwrap();
    for ex in presets::EXAMPLES {
        let ws = presets::example_workspace(&ex).unwrap();
        let cat = workspace::effective_catalogue(&presets, &ws);
        let report = Report::new(&ws, &cat, DATE).unwrap();
        for kind in ChartKind::ALL {
            let data = charts::data(&report, kind);
            insta::assert_debug_snapshot!(format!("{}-{}", ex.key, kind.stem()), data);
        }
    }
}
