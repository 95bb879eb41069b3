//! `estimate` does no heap allocation on success: a counting global allocator sees none over many estimates.

#![allow(unsafe_code)] // a counting global allocator needs `unsafe impl GlobalAlloc`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use trainprint::engine::estimate;
use trainprint::model::{
    Duration, EmbodiedSpec, HostOverhead, Power, Precision, Price, TrainingPlan, Work,
};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY-free wrapper: it only counts and forwards to the system allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn estimates_allocate_nothing() {
    let catalogue = trainprint::persist::presets::catalogue().unwrap();
    let mut full = TrainingPlan::new("full", "nvidia-h100-sxm", 64, 1.0, "gcp-us-central1");
    full.duration = Duration::Compute {
        work: Work::ParamsTokens {
            params: 7e9,
            tokens: 1e12,
        },
        precision: Precision::Bf16,
        workload: Default::default(),
        mfu: Some(0.4),
    };
    full.power = Power::Tdp { utilization: 0.9 };
    full.host = Some(HostOverhead {
        cpu_watts: 700.0,
        memory_gb: 2048.0,
        memory_w_per_gb: 0.3725,
        accelerators_per_host: 8,
    });
    full.embodied = Some(EmbodiedSpec::default());
    full.price = Price::UsdPerAcceleratorHour(2.0);
    // A compute-based plan without an MFU reads the utilisation table: a lookup, no allocation.
    let mut table_mfu = full.clone();
    if let Duration::Compute { mfu, .. } = &mut table_mfu.duration {
        *mfu = None;
    }
    let plans = [
        full,
        TrainingPlan::new("simple", "nvidia-a100-sxm4-40gb", 8, 120.0, "aws-us-east-1"),
        table_mfu,
    ];
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let mut sum = 0.0;
    for i in 0..10_000 {
        sum += estimate(&plans[i % plans.len()], &catalogue)
            .map(|e| e.total_co2e_kg)
            .unwrap_or(f64::NAN);
    }
    let after = ALLOCATIONS.load(Ordering::Relaxed);
    assert!(sum.is_finite() && sum > 0.0);
    assert_eq!(
        after - before,
        0,
        "estimate allocated {} times",
        after - before
    );
}
