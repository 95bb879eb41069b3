//! CPU time per frame of the whole app (every panel, 12 plans, 1600x1000) for each chart tab: still frames, and
//! frames with an edit of one plan applied before each (what typing costs). A frame is what the window does on the
//! CPU: egui's pass over every panel and the tessellation of what it drew into triangles (only the upload to the
//! GPU and the painting are left out). AccessKit is off, as in the window when no screen reader is listening;
//! with `FRAME_BENCH_ACCESSKIT=1` a second set of lines has it on (the tree a screen reader gets is built every
//! frame). Run with `cargo bench --bench frame`. Targets: a still frame's median at most 4 ms, an edit frame's at
//! most 1.3 times the still frame's in the same run.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark may fail loudly

use eframe::egui;
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

/// A headless window: one egui context at 1600x1000 points, driven a frame at a time.
struct Window {
    ctx: egui::Context,
    app: App,
    time: f64,
}

impl Window {
    fn new(app: App, accesskit: bool) -> Self {
        let ctx = egui::Context::default();
        if accesskit {
            ctx.enable_accesskit();
        }
        let mut w = Window {
            ctx,
            app,
            time: 0.0,
        };
        for _ in 0..20 {
            w.frame();
        }
        w
    }

    /// One frame: the pass (every pass egui asks for) and the tessellation of its shapes.
    fn frame(&mut self) {
        self.time += 1.0 / 60.0;
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(1600.0, 1000.0),
            )),
            time: Some(self.time),
            predicted_dt: 1.0 / 60.0,
            ..Default::default()
        };
        let app = &mut self.app;
        let out = self.ctx.run_ui(input, |ui| app.frame(ui));
        let triangles = self.ctx.tessellate(out.shapes, out.pixels_per_point);
        std::hint::black_box(triangles);
    }
}

/// Median and 95th percentile of `n` timed frames, each after `before` ran on the app.
fn time_frames(w: &mut Window, n: usize, mut before: impl FnMut(&mut App, usize)) -> (f64, f64) {
    let mut times: Vec<f64> = (0..n)
        .map(|k| {
            before(&mut w.app, k);
            let t = Instant::now();
            w.frame();
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], times[times.len() * 95 / 100])
}

/// Still and edit frames of every chart tab; returns the worst median and the worst edit/still ratio.
fn run(accesskit: bool) -> (f64, f64) {
    let what = if accesskit { "AccessKit on" } else { "" };
    let mut worst = 0.0f64;
    let mut worst_ratio = 0.0f64;
    for tab in ChartTab::ALL {
        let mut app = twelve_plans();
        app.ui.chart_tab = tab;
        let mut w = Window::new(app, accesskit);
        let (still, still_p95) = time_frames(&mut w, 200, |_, _| {});
        // An edit of plan 2's count before each frame, as typing into its Count field does.
        let (edit, edit_p95) = time_frames(&mut w, 200, |app, k| {
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
            "frame, 12 plans, {:<13} {what:<12} still median {still:.2} ms, p95 {still_p95:.2} ms",
            tab.label()
        );
        println!(
            "frame, 12 plans, {:<13} {what:<12} edit median {edit:.2} ms, p95 {edit_p95:.2} ms ({:.2}x the still frame)",
            tab.label(),
            edit / still
        );
    }
    (worst, worst_ratio)
}

fn main() {
    let (worst, worst_ratio) = run(false);
    println!(
        "worst median over chart tabs: {worst:.2} ms (target: at most 4 ms); worst edit/still ratio {worst_ratio:.2} (target: at most 1.3)"
    );
    if std::env::var_os("FRAME_BENCH_ACCESSKIT").is_some() {
        let (worst, worst_ratio) = run(true);
        println!(
            "with AccessKit on (a screen reader listening): worst median {worst:.2} ms, worst edit/still ratio {worst_ratio:.2}"
        );
    }
}
