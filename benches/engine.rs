//! Engine throughput: plan estimates per second on one core, for the full path (`estimate`: id lookups plus
//! formulas) and the resolved path (`estimate_with`). Run with `cargo bench --bench engine`.
//!
//! Target: at least 20 million estimates per second on one core, with no heap allocation per estimate; a sweep
//! over every region (one outcome with its Monte Carlo per region) well under a frame's 16 ms.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark may fail loudly

use std::hint::black_box;
use std::time::Instant;
use trainprint::engine::{estimate, estimate_with, sweep};
use trainprint::model::sweep::RegionSet;
use trainprint::model::{
    Duration, EmbodiedSpec, Power, Precision, SweepOver, TrainingPlan, Work, Workload,
};

fn plans() -> Vec<TrainingPlan> {
    let mut a = TrainingPlan::new("wall", "nvidia-a100-sxm4-40gb", 8, 120.0, "aws-us-east-1");
    a.power = Power::Watts(400.0);
    let mut b = TrainingPlan::new("compute", "nvidia-h100-sxm", 64, 1.0, "gcp-us-central1");
    b.duration = Duration::Compute {
        work: Work::ParamsTokens {
            params: 7e9,
            tokens: 1e12,
        },
        precision: Precision::Bf16,
        workload: Default::default(),
        mfu: Some(0.4),
    };
    b.embodied = Some(EmbodiedSpec::default());
    let mut c = TrainingPlan::new("ah", "google-tpu-v4", 512, 1.0, "fr");
    c.duration = Duration::AcceleratorHours(245_760.0);
    c.pue = Some(1.1);
    // Compute-based without an MFU: the utilisation table's value (a lookup per estimate).
    let mut d = TrainingPlan::new(
        "table mfu",
        "nvidia-a100-sxm4-80gb",
        64,
        1.0,
        "aws-us-east-1",
    );
    d.duration = Duration::Compute {
        work: Work::Flops(4.2e22),
        precision: Precision::Bf16,
        workload: Workload::Llm,
        mfu: None,
    };
    vec![a, b, c, d]
}

fn measure(label: &str, n: usize, mut f: impl FnMut(usize) -> f64) {
    // Warm up, then take the best of five runs (least disturbed by other work on the machine).
    let mut sink = 0.0;
    for i in 0..n / 10 {
        sink += f(i);
    }
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let t = Instant::now();
        for i in 0..n {
            sink += f(i);
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    black_box(sink);
    let rate = n as f64 / best;
    println!(
        "{label:<44} {:>8.1} million estimates/s ({:.1} ns each)",
        rate / 1e6,
        best / n as f64 * 1e9
    );
}

fn main() {
    let catalogue = trainprint::persist::presets::catalogue().unwrap();
    let plans = plans();
    let n = 20_000_000;
    measure("estimate (lookup by id + formulas)", n, |i| {
        let p = &plans[i % plans.len()];
        match estimate(black_box(p), black_box(&catalogue)) {
            Ok(e) => e.total_co2e_kg,
            Err(_) => 0.0,
        }
    });
    let resolved: Vec<_> = plans
        .iter()
        .map(|p| {
            (
                p,
                catalogue.accelerator(&p.accelerator).unwrap(),
                p.region.as_deref().and_then(|r| catalogue.region(r)),
            )
        })
        .collect();
    let table = catalogue.utilization();
    measure("estimate_with (resolved accelerator/region)", n, |i| {
        let (p, a, r) = resolved[i % resolved.len()];
        match estimate_with(black_box(p), black_box(a), black_box(r), black_box(table)) {
            Ok(e) => e.total_co2e_kg,
            Err(_) => 0.0,
        }
    });
    // A sweep over every region: one outcome (estimate, 4000-draw Monte Carlo, tornado) per region, ranked.
    let over = SweepOver::Region(RegionSet::All);
    let runs = 20;
    let mut best = f64::INFINITY;
    let mut values = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let r = sweep::run(black_box(&plans[0]), &over, &catalogue).unwrap();
        best = best.min(t.elapsed().as_secs_f64());
        values = r.variants.len() + r.skipped.len();
    }
    println!(
        "{:<44} {:>8.2} ms per sweep of {values} regions (best of {runs})",
        "sweep over every region (with P5-P95)",
        best * 1e3
    );
}
