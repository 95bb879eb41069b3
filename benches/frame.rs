//! CPU time per frame of the whole app (every panel, 12 plans) in a headless egui_kittest harness, for each
//! chart tab: still frames, and frames with an edit of one plan applied before each (what typing costs). Run with
//! `cargo bench --bench frame`. Targets: a still frame's median at most 4 ms, an edit frame's at most 1.3 times
//! the still frame's in the same run.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark may fail loudly

use eframe::egui;
use egui_kittest::Harness;
use std::time::Instant;
use trainprint::app::{App, FileDialogs};
use trainprint::model::{Action, Duration, EmbodiedSpec, HostOverhead, Power};
use trainprint::ui::ChartTab;

struct NoDialogs;
impl FileDialogs for NoDialogs {
    fn open(&mut self) -> Option<std::path::PathBuf> {
        None
    }
    fn save(&mut self, _: &str) -> Option<std::path::PathBuf> {
        None
    }
    fn folder(&mut self) -> Option<std::path::PathBuf> {
        None
    }
}

fn twelve_plans() -> App {
    let mut app = App::new(None, None, Box::new(NoDialogs)).unwrap();
    let accelerators = [
        "nvidia-a100-sxm4-80gb",
        "nvidia-h100-sxm",
        "nvidia-v100-sxm2",
        "amd-mi300x",
    ];
    let regions = ["aws-us-east-1", "ca-quebec", "gcp-us-central1"];
    while app.doc.ws.plans.len() < 12 {
        let i = app.doc.ws.plans.len();
        let mut p = app.doc.ws.plans[0].clone();
        p.name = format!("Plan {}", i + 1);
        p.accelerator = accelerators[i % accelerators.len()].into();
        p.region = Some(regions[i % regions.len()].into());
        if i.is_multiple_of(3) {
            p.duration = Duration::WallHours(100.0 + i as f64);
            p.power = Power::Watts(350.0);
        }
        if i.is_multiple_of(2) {
            p.embodied = Some(EmbodiedSpec::default());
            p.host = Some(HostOverhead {
                cpu_watts: 280.0,
                memory_gb: 1024.0,
                memory_w_per_gb: 0.3725,
                accelerators_per_host: 8,
            });
        }
        app.apply(Action::AddPlan(Box::new(p)));
    }
    app
}

/// Median and 95th percentile of `n` timed steps, each after `before` ran on the app.
fn time_steps(
    h: &mut Harness<'_, App>,
    n: usize,
    mut before: impl FnMut(&mut App, usize),
) -> (f64, f64) {
    let mut times: Vec<f64> = (0..n)
        .map(|k| {
            before(h.state_mut(), k);
            let t = Instant::now();
            h.step();
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], times[times.len() * 95 / 100])
}

fn main() {
    let mut worst = 0.0f64;
    let mut worst_ratio = 0.0f64;
    for tab in ChartTab::ALL {
        let mut app = twelve_plans();
        app.ui.chart_tab = tab;
        let mut h = Harness::builder()
            .with_size(egui::vec2(1600.0, 1000.0))
            .with_accessibility_check(false)
            .build_ui_state(|ui, app: &mut App| app.frame(ui), app);
        for _ in 0..20 {
            h.step();
        }
        let (still, still_p95) = time_steps(&mut h, 200, |_, _| {});
        // An edit of plan 2's count before each frame, as typing into its Count field does.
        let (edit, edit_p95) = time_steps(&mut h, 200, |app, k| {
            let mut plan = app.doc.ws.plans[2].clone();
            plan.count = Some(if k % 2 == 0 { 48 } else { 64 });
            app.apply(Action::EditPlan {
                index: 2,
                plan: Box::new(plan),
            });
        });
        worst = worst.max(still).max(edit);
        worst_ratio = worst_ratio.max(edit / still);
        println!(
            "frame, 12 plans, {:<13} still median {still:6.2} ms  p95 {still_p95:6.2} ms",
            tab.label()
        );
        println!(
            "frame, 12 plans, {:<13} edit  median {edit:6.2} ms  p95 {edit_p95:6.2} ms  ({:.2}x the still frame)",
            tab.label(),
            edit / still
        );
    }
    println!(
        "worst median over chart tabs: {worst:.2} ms (target: at most 4 ms); worst edit/still ratio {worst_ratio:.2} (target: at most 1.3)"
    );
}
