//! Time to export every format (CSV, Markdown, JSON, BibTeX, YAML, 4 PNG + 4 SVG charts at 1600 x 900) for a
//! workspace of 12 plans. Run with `cargo bench --bench export`. Target: at most 1 s.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark may fail loudly

use std::time::Instant;
use trainprint::export::report::Report;
use trainprint::export::{self, Options};
use trainprint::model::{Duration, EmbodiedSpec, Power};
use trainprint::persist::{presets, workspace};

fn main() {
    let presets_cat = presets::catalogue().unwrap();
    let mut ws = presets::example("a100-vs-h100").unwrap().unwrap();
    let accelerators = [
        "nvidia-a100-sxm4-80gb",
        "nvidia-h100-sxm",
        "google-tpu-v4",
        "amd-mi300x",
    ];
    let regions = ["aws-us-east-1", "ca-quebec", "gcp-us-central1"];
    while ws.plans.len() < 12 {
        let i = ws.plans.len();
        let mut p = ws.plans[0].clone();
        p.name = format!("Plan {}", i + 1);
        p.accelerator = accelerators[i % accelerators.len()].into();
        p.region = Some(regions[i % regions.len()].into());
        if i.is_multiple_of(3) {
            p.duration = Duration::WallHours(100.0 + i as f64);
            p.power = Power::Watts(350.0);
        }
        if i.is_multiple_of(2) {
            p.embodied = Some(EmbodiedSpec::default());
        }
        ws.plans.push(p);
    }
    let cat = workspace::effective_catalogue(&presets_cat, &ws);
    let dir = std::env::temp_dir().join(format!("trainprint-bench-export-{}", std::process::id()));
    let mut times = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let report = Report::new(&ws, &cat, export::today()).unwrap();
        let files = export::export(&report, &Options::default(), &dir, |_| {}).unwrap();
        times.push(t.elapsed().as_secs_f64());
        assert_eq!(files.len(), 13);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "export of every format, 12 plans, 1600 x 900 charts: median {:.0} ms, best {:.0} ms (target: at most 1000 ms)",
        times[times.len() / 2] * 1e3,
        times[0] * 1e3
    );
    let _ = std::fs::remove_dir_all(dir);
}
