//! Throughput you can trust: the utilisation table against measured speedups, the rule that fills it, default
//! MFUs, measured-throughput durations, and the uncertainty band around the headline.
//!
//! The pairs come from `tests/fixtures/throughput/throughput_pairs.csv`, a verbatim copy of
//! `shared/reference/throughput_pairs.csv` (the CI machine has no `../shared`). Set `TRAINPRINT_PAIRS_CSV` to a
//! file with the same columns to score other pairs the same way.

use super::support::{catalogue, rel};
use std::path::PathBuf;
use trainprint::engine::uncertainty::{DEFAULT_SEED, SAMPLES, band_note, monte_carlo, ranges};
use trainprint::engine::{Assumption, ValueSource, estimate};
use trainprint::model::{
    Duration, ItemUnit, Power, Precision, TrainingPlan, UtilizationOrigin, Work, Workload,
};

fn pairs_path() -> PathBuf {
    std::env::var_os("TRAINPRINT_PAIRS_CSV")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/throughput/throughput_pairs.csv")
        })
}

/// `amp-fp16`, `bf16 (pure bf16, MP mode PURE)`, `amp-fp16/bf16 (half precision; not stated)` -> the precision
/// its leading token names.
fn precision(text: &str) -> Precision {
    let t = text.trim().to_lowercase();
    let t = t.strip_prefix("amp-").unwrap_or(&t);
    [
        ("bf16", Precision::Bf16),
        ("fp16", Precision::Fp16),
        ("tf32", Precision::Tf32),
        ("fp32", Precision::Fp32),
        ("fp8", Precision::Fp8),
    ]
    .into_iter()
    .find(|(k, _)| t.starts_with(k))
    .map(|(_, p)| p)
    .unwrap_or_else(|| panic!("unknown precision {text:?}"))
}

/// The catalogue id a pair's accelerator column maps to. The TransformerEngine tutorial does not name its GPU;
/// its pairs compare BF16 with FP8 on one device, so any FP8 GPU gives the same peak ratio: the H100 SXM stands in.
fn accelerator(id: &str) -> &str {
    if id.starts_with("unspecified") {
        "nvidia-h100-sxm"
    } else {
        id
    }
}

/// The same job on one side of a pair: 1e21 FLOPs at the pair's precision, no MFU (the table's).
fn job(acc: &str, precision: Precision, workload: Workload) -> TrainingPlan {
    let mut p = TrainingPlan::new("job", acc, 8, 1.0, "fr");
    p.duration = Duration::Compute {
        work: Work::Flops(1e21),
        precision,
        workload,
        mfu: None,
    };
    p.power = Power::Watts(500.0);
    p
}

struct Scored {
    id: String,
    workload: String,
    comparability: String,
    measured: f64,
    naive: f64,
    predicted: f64,
    scored: bool,
}

fn score_every_pair() -> Vec<Scored> {
    let cat = catalogue();
    let mut reader = csv::Reader::from_path(pairs_path()).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let (id, a, pa, b, pb) = (
        col("pair_id"),
        col("accel_a"),
        col("prec_a"),
        col("accel_b"),
        col("prec_b"),
    );
    let (meas, naive, comp, wl) = (
        col("measured_speedup"),
        col("naive_predicted_speedup"),
        col("comparability"),
        col("workload"),
    );
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let class = &r[wl];
            // `other` rows (RNNs, speech) are reported with the default class and not scored.
            let workload: Workload = class.parse().unwrap_or_default();
            let side = |acc: usize, prec: usize| {
                let plan = job(accelerator(&r[acc]), precision(&r[prec]), workload);
                let e = estimate(&plan, &cat).unwrap_or_else(|e| panic!("{}: {e}", &r[id]));
                assert!(e.assumptions.contains(Assumption::DefaultMfu));
                e.accelerator_hours
            };
            let predicted = side(a, pa) / side(b, pb);
            Scored {
                id: r[id].to_owned(),
                workload: class.to_owned(),
                comparability: r[comp].to_owned(),
                measured: r[meas].parse().unwrap(),
                naive: r[naive].parse().unwrap(),
                predicted,
                scored: &r[comp] == "high" && class != "other",
            }
        })
        .collect()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

#[test]
fn predicted_speedups_match_the_measured_pairs() {
    let rows = score_every_pair();
    println!("pair   workload comparability measured equal-MFU predicted error");
    let mut errors = Vec::new();
    let mut naive_errors = Vec::new();
    for r in &rows {
        let e = rel(r.predicted, r.measured);
        println!(
            "{:6} {:8} {:13} {:8.3} {:9.3} {:9.3} {:5.1} %{}",
            r.id,
            r.workload,
            r.comparability,
            r.measured,
            r.naive,
            r.predicted,
            100.0 * e,
            if r.scored { "" } else { "  (not scored)" }
        );
        if r.scored {
            errors.push(e);
            naive_errors.push(rel(r.naive, r.measured));
        }
    }
    assert!(errors.len() >= 20, "too few scored rows: {}", errors.len());
    let (med, worst) = (
        median(errors.clone()),
        errors.iter().cloned().fold(0.0, f64::max),
    );
    println!(
        "{} scored pairs: median error {:.1} %, worst {:.1} % (equal utilisation: median {:.1} %, worst {:.1} %)",
        errors.len(),
        100.0 * med,
        100.0 * worst,
        100.0 * median(naive_errors.clone()),
        100.0 * naive_errors.iter().cloned().fold(0.0, f64::max)
    );
    assert!(med <= 0.15, "median error {med}");
    assert!(worst <= 0.50, "worst error {worst}");
}

#[test]
fn the_table_of_the_readme_pair_types_by_hand() {
    // A100 BF16 -> H100 BF16, llm: peaks 312 -> 989.4 TFLOP/s; table MFUs 0.563 (A100 SXM4 80GB) and 0.403
    // (H100 SXM): 989.4 x 0.403 / (312 x 0.563) = 2.270.
    let cat = catalogue();
    let h = |acc, p, w| estimate(&job(acc, p, w), &cat).unwrap().accelerator_hours;
    let a100 = h("nvidia-a100-sxm4-80gb", Precision::Bf16, Workload::Llm);
    let h100 = h("nvidia-h100-sxm", Precision::Bf16, Workload::Llm);
    assert!(rel(a100 / h100, 989.4 * 0.403 / (312.0 * 0.563)) < 1e-12);
    // H100 BF16 -> FP8: 1978.9 x 0.233 / (989.4 x 0.403) = 1.156.
    let fp8 = h("nvidia-h100-sxm", Precision::Fp8, Workload::Llm);
    assert!(rel(h100 / fp8, 1978.9 * 0.233 / (989.4 * 0.403)) < 1e-12);
}

#[test]
fn a_plan_without_mfu_uses_the_tables_value_and_says_so() {
    let cat = catalogue();
    let plan = job("nvidia-h100-sxm", Precision::Bf16, Workload::Llm);
    let e = estimate(&plan, &cat).unwrap();
    // presets/utilization.ron: H100 SXM, BF16, llm: 0.403 (0.288..0.494), measured.
    assert_eq!(e.mfu, Some(0.403));
    assert_eq!(e.mfu_range, Some((0.288, 0.494)));
    assert_eq!(
        e.mfu_source,
        Some(ValueSource::Table(UtilizationOrigin::Measured))
    );
    assert!(e.assumptions.contains(Assumption::DefaultMfu));
    // 1e21 FLOPs / (989.4e12 x 0.403) / 3600 = 696.67 accelerator-hours.
    assert!(rel(e.accelerator_hours, 1e21 / (989.4e12 * 0.403) / 3600.0) < 1e-12);
    // The workload changes it: encoder on H100 BF16 is derived (no H100 encoder measurement): level 0.417 x
    // Hopper 0.716 = 0.2986 -> 0.299.
    let enc = estimate(
        &job("nvidia-h100-sxm", Precision::Bf16, Workload::Encoder),
        &cat,
    )
    .unwrap();
    assert_eq!(enc.mfu, Some(0.299));
    assert_eq!(
        enc.mfu_source,
        Some(ValueSource::Table(UtilizationOrigin::Derived))
    );
    // A plan's own MFU is used as given, without the flag, and keeps the entry's relative spread.
    let mut own = plan.clone();
    if let Duration::Compute { mfu, .. } = &mut own.duration {
        *mfu = Some(0.5);
    }
    let e = estimate(&own, &cat).unwrap();
    assert_eq!(e.mfu, Some(0.5));
    assert!(!e.assumptions.contains(Assumption::DefaultMfu));
    let (lo, hi) = e.mfu_range.unwrap();
    assert!(rel(lo, 0.5 * 0.288 / 0.403) < 1e-12 && rel(hi, 0.5 * 0.494 / 0.403) < 1e-12);
}

#[test]
fn fp32_on_a_tensor_core_gpu_is_noted() {
    let cat = catalogue();
    let e = estimate(
        &job("nvidia-a100-sxm4-40gb", Precision::Fp32, Workload::Llm),
        &cat,
    )
    .unwrap();
    assert!(e.assumptions.contains(Assumption::Fp32MayRunAsTf32));
    // V100 has no TF32: nothing to say.
    let e = estimate(
        &job("nvidia-v100-sxm2", Precision::Fp32, Workload::Llm),
        &cat,
    )
    .unwrap();
    assert!(!e.assumptions.contains(Assumption::Fp32MayRunAsTf32));
}

#[test]
fn every_entry_of_the_preset_is_what_the_rule_gives() {
    // presets/utilization.ron is written by tools/utilization/fit.py; the Rust rule fills cells for accelerators
    // the file does not list. Both must agree on every built-in cell.
    let cat = catalogue();
    let table = cat.utilization();
    let rule = table.rule().unwrap();
    assert!(table.preset().len() >= 250);
    for e in table.preset() {
        let acc = cat.accelerator(&e.accelerator).unwrap();
        let c = rule
            .cell(acc, e.precision, e.workload)
            .unwrap_or_else(|| panic!("no rule cell for {e:?}"));
        assert_eq!(
            c.mfu, e.mfu,
            "{} {} {}",
            e.accelerator, e.precision, e.workload
        );
        if e.derived.is_some() {
            assert_eq!((c.low, c.high), (e.low, e.high), "{e:?}");
            assert_eq!(e.n, 0);
        } else {
            assert!(e.n > 0);
        }
        assert!(e.low <= e.mfu && e.mfu <= e.high && e.high <= 1.0, "{e:?}");
    }
    // Every built-in accelerator has an entry for every precision it has a peak for.
    for acc in cat.accelerators() {
        for p in acc.peak_tflops.available() {
            for w in Workload::ALL {
                assert!(
                    table.preset_entry(&acc.id, p, w).is_some(),
                    "{} {p} {w}",
                    acc.id
                );
            }
        }
    }
}

#[test]
fn an_accelerator_the_table_does_not_list_gets_the_rules_cell_by_its_name() {
    let mut cat = catalogue();
    let mut b = cat.accelerator("nvidia-h100-sxm").unwrap().clone();
    b.id = "my-h100-variant".into();
    b.name = "Custom H100 board".into();
    cat.upsert_accelerator(b.clone());
    let u = cat
        .utilization()
        .entry(&b, Precision::Bf16, Workload::Llm)
        .unwrap();
    // Placed in Hopper by its name: the same value as the built-in H100 SXM entry, flagged as the rule's.
    assert_eq!(u.0.mfu, 0.403);
    assert_eq!(u.1, UtilizationOrigin::Rule);
    assert!(u.0.derived.as_deref().unwrap().contains("NVIDIA Hopper"));
    let mut plan = job("my-h100-variant", Precision::Bf16, Workload::Llm);
    plan.region = Some("fr".into());
    let e = estimate(&plan, &cat).unwrap();
    assert_eq!(
        e.mfu_source,
        Some(ValueSource::Table(UtilizationOrigin::Rule))
    );
}

#[test]
fn a_measured_throughput_gives_accelerator_hours_and_the_mfu_it_implies() {
    let cat = catalogue();
    let mut p = TrainingPlan::new("measured", "nvidia-h100-sxm", 64, 1.0, "fr");
    p.duration = Duration::Throughput {
        items: 1e12,
        unit: ItemUnit::Tokens,
        per_second: 1e4,
        flops_per_item: Some(6.0 * 7e9),
        precision: Some(Precision::Bf16),
    };
    let e = estimate(&p, &cat).unwrap();
    // 1e12 tokens / 1e4 tokens/s / 3600 = 27,777.78 accelerator-hours; over 64: 434.03 h of wall clock.
    assert!(rel(e.accelerator_hours, 1e12 / 1e4 / 3600.0) < 1e-12);
    assert!(rel(e.wall_hours.unwrap(), 1e12 / 1e4 / 3600.0 / 64.0) < 1e-12);
    // 4.2e10 FLOPs/token x 1e4 tokens/s / 989.4e12 = 0.4245.
    assert!(rel(e.mfu.unwrap(), 4.2e10 * 1e4 / 989.4e12) < 1e-12);
    assert_eq!(e.mfu_source, Some(ValueSource::Implied));
    assert!(!e.assumptions.contains(Assumption::DefaultMfu));
    // Without FLOPs per item there is no implied MFU, and nothing defaulted.
    if let Duration::Throughput { flops_per_item, .. } = &mut p.duration {
        *flops_per_item = None;
    }
    let e = estimate(&p, &cat).unwrap();
    assert_eq!(e.mfu, None);
}

#[test]
fn the_headline_at_tdp_lies_above_its_band_and_the_note_says_why() {
    let cat = catalogue();
    // 8 H100 at TDP x 1.0 in France: the power range is 74-100 % of TDP, so every draw is at or below TDP.
    let p = TrainingPlan::new("at TDP", "nvidia-h100-sxm", 8, 100.0, "fr");
    let e = estimate(&p, &cat).unwrap();
    let r = ranges(&p, &e);
    let band = monte_carlo(&e, &r, DEFAULT_SEED, SAMPLES);
    assert!(e.total_co2e_kg > band.p95);
    let note = band_note(e.total_co2e_kg, &band, &r).unwrap();
    assert!(note.contains("above its P95"), "{note}");
    assert!(
        note.contains("power per accelerator is at the high end of its range"),
        "{note}"
    );
    // At 80 % of TDP the power range straddles the value: the headline is inside and nothing is said.
    let mut p = p;
    p.power = Power::Tdp { utilization: 0.8 };
    p.ranges.utilization = Some(trainprint::model::Range {
        low: 0.6,
        high: 1.0,
    });
    let e = estimate(&p, &cat).unwrap();
    let r = ranges(&p, &e);
    let band = monte_carlo(&e, &r, DEFAULT_SEED, SAMPLES);
    assert!(band.p5 <= e.total_co2e_kg && e.total_co2e_kg <= band.p95);
    assert_eq!(band_note(e.total_co2e_kg, &band, &r), None);
}

#[test]
fn the_formula_view_and_the_exports_show_the_one_provenance() {
    use trainprint::engine::derivation::{Terms, derive};
    use trainprint::engine::provenance::Provenance;
    let cat = catalogue();
    let ws = trainprint::persist::presets::example("a100-vs-h100")
        .unwrap()
        .unwrap();
    let plan = &ws.plans[1];
    let (e, steps) = derive(plan, &cat, Terms::default()).unwrap();
    let prov = Provenance::of(plan, &cat, &e);
    let mfu = prov.mfu.as_ref().unwrap();
    assert_eq!(mfu.value, 0.403);
    assert!(mfu.flagged);
    let hours = steps
        .iter()
        .find(|s| s.quantity == "Accelerator-hours")
        .unwrap();
    assert!(hours.source.contains(&mfu.long()), "{}", hours.source);
    assert!(hours.flagged);
    assert!(hours.equation.contains("MFU 0.403"), "{}", hours.equation);
    let facility = steps
        .iter()
        .find(|s| s.quantity == "Facility energy")
        .unwrap();
    assert_eq!(facility.source, prov.pue.long());
    // The export's words are the same record's.
    let report = trainprint::export::report::Report::new(
        &ws,
        &cat,
        trainprint::export::date::Date::from_days_since_epoch(20_454),
    )
    .unwrap();
    let p = &report.plans[1];
    assert_eq!(
        trainprint::export::report::mfu_text(p).unwrap(),
        mfu.short()
    );
    assert!(
        mfu.short().starts_with(
            "0.403 (utilisation table: NVIDIA H100 SXM5 80GB at BF16 for llm, measured"
        )
    );
    assert_eq!(p.summary.mfu_source.as_deref(), Some(mfu.short().as_str()));
}
