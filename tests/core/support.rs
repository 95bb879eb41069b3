//! Shared helpers for the core tests.

use trainprint::model::{Catalogue, Power, TrainingPlan};

static CATALOGUE: std::sync::LazyLock<Catalogue> =
    std::sync::LazyLock::new(|| match trainprint::persist::presets::catalogue() {
        Ok(c) => c,
        Err(e) => panic!("built-in catalogue does not load: {e}"),
    });

/// The built-in catalogue (parsed once per test binary).
pub fn catalogue() -> Catalogue {
    CATALOGUE.clone()
}

/// The worked example: 8 x A100 at 400 W for 120 h, PUE 1.2, 350 g/kWh.
pub fn worked_example() -> TrainingPlan {
    let mut p = TrainingPlan::new("worked", "nvidia-a100-sxm4-40gb", 8, 120.0, "us-virginia");
    p.region = None;
    p.power = Power::Watts(400.0);
    p.pue = Some(1.2);
    p.intensity_g_per_kwh = Some(350.0);
    p
}

/// Relative difference |a - b| / |b|.
pub fn rel(a: f64, b: f64) -> f64 {
    ((a - b) / b).abs()
}
