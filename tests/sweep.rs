//! Sweeps end to end: a region sweep ranks regions by intensity x PUE for a fixed job (hand-checked for three
//! regions), values that cannot apply are listed with their reasons, the JSON keys are those of `estimate` plus
//! `value`, and the exports (CSV, Markdown, chart) hold every value.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use std::path::PathBuf;
use std::process::{Command, Output};
use trainprint::engine::sweep;
use trainprint::model::sweep::{Provider, RegionSet};
use trainprint::model::{SweepOver, TrainingPlan};
use trainprint::persist::{presets, workspace};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trainprint"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run trainprint: {e}"))
}

fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// One line on stderr and exit code 2.
fn fails(args: &[&str]) -> String {
    let out = run(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    err
}

/// A workspace file with the fixed job: 8 accelerators x 100 h at 400 W = 320 kWh of IT energy, in AWS
/// us-east-1; plan 2 is priced at the region's electricity price (which most regions lack).
fn job_file(tag: &str) -> PathBuf {
    let path =
        std::env::temp_dir().join(format!("trainprint-sweep-{tag}-{}.ron", std::process::id()));
    std::fs::write(
        &path,
        r#"#![enable(implicit_some)]
(
  format: "trainprint-workspace",
  version: 4,
  name: "Sweep test",
  plans: [
    (
      name: "job",
      accelerator: "nvidia-a100-sxm4-40gb",
      count: 8,
      duration: WallHours(100.0),
      power: Watts(400.0),
      region: "aws-us-east-1",
      price: None,
    ),
    (
      name: "priced",
      accelerator: "nvidia-a100-sxm4-40gb",
      count: 8,
      duration: WallHours(100.0),
      power: Watts(400.0),
      region: "aws-us-east-1",
      price: RegionElectricity,
    ),
    (
      name: "fp8 job",
      accelerator: "nvidia-h100-sxm",
      count: 64,
      duration: Compute(work: ParamsTokens(params: 7e9, tokens: 1e12), precision: fp8, workload: llm, mfu: 0.4),
      power: Tdp(utilization: 1.0),
      region: "fr",
      price: None,
    ),
  ],
)"#,
    )
    .unwrap();
    path
}

fn f(v: &serde_json::Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn a_region_sweep_ranks_regions_by_intensity_times_pue_by_hand() {
    let path = job_file("rank");
    let p = path.to_str().unwrap();
    let out = ok(&[
        "sweep",
        p,
        "--plan",
        "job",
        "--over",
        "region",
        "--values",
        "gcp-europe-north1,fr,azure-swedencentral",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows = v["rows"].as_array().unwrap();
    // IT energy 8 x 100 h x 0.4 kW = 320 kWh in every region; then x PUE x intensity:
    //   azure-swedencentral 320 x 1.16 = 371.2 kWh x 24.71 g = 9.172352 kg
    //   fr (no published PUE: the 1.56 default) 320 x 1.56 = 499.2 kWh x 52.87 g = 26.392704 kg
    //   gcp-europe-north1 320 x 1.09 = 348.8 kWh x 82.34 g = 28.720192 kg
    //   aws-us-east-1 (the plan's own, added) 320 x 1.15 = 368 kWh x 396.25 g = 145.82 kg
    // France beats Finland although its grid is cleaner by less than Finland's PUE advantage: 52.87 x 1.56 =
    // 82.48 g per IT kWh against 82.34 x 1.09 = 89.75.
    let expect = [
        ("azure-swedencentral", 371.2, 9.172352),
        ("fr", 499.2, 26.392704),
        ("gcp-europe-north1", 348.8, 28.720192),
        ("aws-us-east-1", 368.0, 145.82),
    ];
    assert_eq!(rows.len(), 4, "{out}");
    for (k, (row, (id, kwh, kg))) in rows.iter().zip(expect).enumerate() {
        assert_eq!(row["value"], id);
        assert_eq!(row["region"], id);
        assert_eq!(row["rank"], k + 1);
        assert!((f(&row["facility_energy_kwh"]) - kwh).abs() < 1e-9, "{row}");
        assert!((f(&row["total_co2e_kg"]) - kg).abs() < 1e-9, "{row}");
        assert_eq!(row["own"], id == "aws-us-east-1");
        let (lo, hi) = (f(&row["co2e_kg_p5"]), f(&row["co2e_kg_p95"]));
        assert!(lo < kg && kg < hi, "{row}");
    }
    // Against the plan's own value: Sweden (9.172352 - 145.82) / 145.82 = -93.71 %.
    assert!((f(&rows[0]["co2e_vs_baseline_pct"]) + 93.7099).abs() < 1e-3);
    assert_eq!(v["own_value"], "aws-us-east-1");
    assert_eq!(v["over"], "region");
    assert_eq!(
        v["methods"],
        "Training in Azure swedencentral (Sweden) instead of AWS us-east-1 (N. Virginia) would have emitted \
         93.7 % less CO2e (9.172 kgCO2e instead of 145.8 kgCO2e; lowest of the 4 regions compared for 'job')."
    );
    std::fs::remove_file(&path).ok();
}

#[test]
fn the_json_rows_have_the_keys_of_estimate_plus_value() {
    let path = job_file("keys");
    let p = path.to_str().unwrap();
    let est: serde_json::Value =
        serde_json::from_str(&ok(&["estimate", p, "--format", "json", "--uncertainty"])).unwrap();
    let est_keys: Vec<&str> = est["plans"][0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let sw: serde_json::Value = serde_json::from_str(&ok(&[
        "sweep", p, "--plan", "1", "--over", "count", "--values", "8..64", "--format", "json",
    ]))
    .unwrap();
    let row = sw["rows"][0].as_object().unwrap();
    let mut keys: Vec<&str> = row.keys().map(String::as_str).collect();
    let mut want: Vec<&str> = est_keys.clone();
    want.extend(["value", "rank", "own"]);
    keys.sort_unstable();
    want.sort_unstable();
    assert_eq!(keys, want);
    // Counts 8, 16, 32, 64: the energy of a wall-hours job grows with the count, so 8 (the plan's own) ranks first.
    let values: Vec<&str> = sw["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["value"].as_str().unwrap())
        .collect();
    assert_eq!(values, ["8", "16", "32", "64"]);
    assert!((f(&sw["rows"][3]["total_co2e_kg"]) - 8.0 * 145.82).abs() < 1e-9);
    std::fs::remove_file(&path).ok();
}

#[test]
fn values_that_cannot_apply_are_skipped_with_the_reason() {
    let path = job_file("skip");
    let p = path.to_str().unwrap();
    // A priced plan: every region without an electricity price is skipped, and so is an unknown id.
    let v: serde_json::Value = serde_json::from_str(&ok(&[
        "sweep",
        p,
        "--plan",
        "priced",
        "--over",
        "region",
        "--values",
        "fr,atlantis,aws-eu-north-1",
        "--format",
        "json",
    ]))
    .unwrap();
    let skipped = v["skipped"].as_array().unwrap();
    let reason = |id: &str| {
        skipped
            .iter()
            .find(|s| s["value"] == id)
            .map(|s| s["reason"].as_str().unwrap().to_owned())
            .unwrap_or_else(|| panic!("{id} not skipped: {v}"))
    };
    assert_eq!(reason("atlantis"), "not a region in the catalogue");
    assert!(reason("fr").contains("price"), "{}", reason("fr"));
    // The ranked rows hold only the regions with a price (the plan's own among them).
    let rows: Vec<&str> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["value"].as_str().unwrap())
        .collect();
    assert!(rows.contains(&"aws-us-east-1"), "{v}");
    assert!(!rows.contains(&"fr") && !rows.contains(&"atlantis"));
    // An FP8 plan over accelerators: those without an FP8 peak are skipped with that reason.
    let text = ok(&["sweep", p, "--plan", "fp8 job", "--over", "accelerator"]);
    assert!(
        text.contains("nvidia-a100-sxm4-40gb: no FP8 peak in the catalogue (the plan runs at FP8)"),
        "{text}"
    );
    assert!(text.contains("(plan)"), "{text}");
    // Every precision of the H100 that has a peak; the FP8 plan's own ranks first (fastest, least energy).
    let v: serde_json::Value = serde_json::from_str(&ok(&[
        "sweep",
        p,
        "--plan",
        "3",
        "--over",
        "precision",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(v["rows"][0]["value"], "fp8");
    assert_eq!(v["rows"][0]["own"], true);
    // Bad input: one line, exit 2.
    assert!(fails(&["sweep", p, "--over", "pue", "--values", "0.9,1.2"]).contains("PUE must be"));
    assert!(fails(&["sweep", p, "--over", "precision"]).contains("not compute-based"));
    assert!(fails(&["sweep", p, "--over", "count", "--provider", "aws"]).contains("--provider"));
    assert!(fails(&["sweep", p, "--over", "planets"]).contains("unknown sweep input"));
    std::fs::remove_file(&path).ok();
}

#[test]
fn csv_markdown_and_chart_exports_hold_every_value() {
    let path = job_file("exports");
    let p = path.to_str().unwrap();
    let csv = ok(&[
        "sweep",
        p,
        "--over",
        "region",
        "--provider",
        "gcp",
        "--format",
        "csv",
    ]);
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    assert!(
        header.starts_with("value,rank,own,name,accelerator,count,region,"),
        "{header}"
    );
    assert!(header.ends_with(",skipped_reason"));
    // The five Google Cloud regions plus the plan's own AWS region.
    assert_eq!(lines.count(), 6, "{csv}");
    let md = ok(&[
        "sweep",
        p,
        "--over",
        "region",
        "--provider",
        "gcp",
        "--format",
        "md",
    ]);
    assert!(
        md.contains("| 4 | **AWS us-east-1 (N. Virginia) (plan)** | 368 kWh | 145.8 kgCO2e |"),
        "{md}"
    );
    assert!(md.contains("would have emitted"), "{md}");
    let dir = std::env::temp_dir();
    let png = dir.join(format!("trainprint-sweep-{}.png", std::process::id()));
    let svg = dir.join(format!("trainprint-sweep-{}.svg", std::process::id()));
    ok(&[
        "sweep",
        p,
        "--over",
        "region",
        "--chart",
        png.to_str().unwrap(),
    ]);
    ok(&[
        "sweep",
        p,
        "--over",
        "region",
        "--chart",
        svg.to_str().unwrap(),
    ]);
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[1..4], b"PNG");
    let svg_text = std::fs::read_to_string(&svg).unwrap();
    assert!(svg_text.contains("AWS us-east-1 (N. Virginia) (plan)"));
    assert!(svg_text.contains("Iceland"));
    std::fs::remove_file(&png).ok();
    std::fs::remove_file(&svg).ok();
    std::fs::remove_file(&path).ok();
}

#[test]
fn every_region_is_ranked_or_skipped_and_the_own_value_is_marked() {
    let cat = presets::catalogue().unwrap();
    let mut plan = TrainingPlan::new("job", "nvidia-a100-sxm4-40gb", 8, 100.0, "aws-us-east-1");
    plan.power = trainprint::model::Power::Watts(400.0);
    let r = sweep::run(&plan, &SweepOver::Region(RegionSet::All), &cat).unwrap();
    assert_eq!(r.variants.len() + r.skipped.len(), cat.regions().len());
    assert_eq!(r.variants.iter().filter(|v| v.own).count(), 1);
    // Ranked: totals never decrease, and each equals IT energy x PUE x intensity.
    for w in r.variants.windows(2) {
        assert!(w[0].total_co2e_kg() <= w[1].total_co2e_kg());
    }
    for v in &r.variants {
        let e = v.outcome.ok().unwrap();
        assert!((e.total_co2e_kg - 320.0 * e.pue * e.intensity_g_per_kwh / 1000.0).abs() < 1e-9);
    }
    let aws = sweep::run(
        &plan,
        &SweepOver::Region(RegionSet::Provider(Provider::Aws)),
        &cat,
    )
    .unwrap();
    assert_eq!(aws.variants.len(), 7);
    // The chart: one bar per value in each panel, the own value in its own series.
    let chart = trainprint::export::sweep::chart(&r);
    assert_eq!(chart.panels.len(), 2);
    let bars: usize = chart.panels[0]
        .series
        .iter()
        .map(|s| match &s.shape {
            trainprint::chart::Shape::Bars { bars, .. } => bars.len(),
            _ => 0,
        })
        .sum();
    assert_eq!(bars, r.variants.len());
}

#[test]
fn the_v5_fixture_keeps_its_sweeps_and_older_versions_refuse_them() {
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/workspace-v5-sweeps.ron"
    );
    let ws = workspace::load(std::path::Path::new(fixture)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ws.sweeps.len(), 2);
    assert_eq!(
        ws.sweeps[0].over,
        SweepOver::Region(RegionSet::Provider(Provider::Aws))
    );
    assert_eq!(ws.sweeps[1].over, SweepOver::Count(vec![8, 16, 32]));
    // Saved and loaded again: the same.
    let text = workspace::to_text(&ws).unwrap();
    assert!(text.contains("version: 5"));
    let back = workspace::parse(&text, std::path::Path::new("back.ron")).unwrap();
    assert_eq!(back, ws);
    let old = std::fs::read_to_string(fixture)
        .unwrap()
        .replace("version: 5", "version: 4");
    let msg = workspace::parse(&old, std::path::Path::new("old.ron"))
        .unwrap_err()
        .to_string();
    assert!(msg.contains("need workspace version 5"), "{msg}");
    let bad = std::fs::read_to_string(fixture)
        .unwrap()
        .replace("[8, 16, 32]", "[8, 0]");
    let msg = workspace::parse(&bad, std::path::Path::new("bad.ron"))
        .unwrap_err()
        .to_string();
    assert!(msg.contains("sweep 2: a count must be at least 1"), "{msg}");
}

#[test]
fn a_plan_with_its_own_intensity_is_its_own_bar_as_set() {
    // LLaMA-65B as published: 1,022,362 GPU-hours at 400 W, PUE 1.1, 385 g/kWh; no region.
    let cat = presets::catalogue().unwrap();
    let ws = presets::example("llama-65b").unwrap().unwrap();
    let plan = ws.plans.iter().find(|p| p.name == "LLaMA-65B").unwrap();
    let r = sweep::run(
        plan,
        &SweepOver::Region(RegionSet::List(vec!["fr".into()])),
        &cat,
    )
    .unwrap();
    assert_eq!(r.variants.len(), 2);
    let own = r.own().unwrap();
    assert_eq!(own.value, sweep::AS_SET);
    assert_eq!(own.label, "its own grid (385 gCO2e/kWh)");
    // 1,022,362 h x 0.4 kW x 1.1 x 0.385 kg/kWh = 173,178.1 kg.
    let own_kg = own.outcome.ok().unwrap().total_co2e_kg;
    assert!(
        (own_kg - 1_022_362.0 * 0.4 * 1.1 * 0.385).abs() < 1e-6,
        "{own_kg}"
    );
    // In France the plan's own PUE 1.1 stays and the grid is 52.87 g: 23,782.3 kg, 86.3 % less.
    let fr = &r.variants[0];
    assert_eq!(fr.value, "fr");
    let fr_kg = fr.outcome.ok().unwrap().total_co2e_kg;
    assert!(
        (fr_kg - 1_022_362.0 * 0.4 * 1.1 * 0.05287).abs() < 1e-6,
        "{fr_kg}"
    );
    assert!(r.methods_sentence().starts_with(
        "Training in France instead of its own grid (385 gCO2e/kWh) would have emitted 86.3 % less CO2e"
    ), "{}", r.methods_sentence());
}

#[test]
fn a_plan_in_watts_runs_other_accelerators_at_the_same_share_of_their_tdp() {
    let cat = presets::catalogue().unwrap();
    // 8 x A100 SXM4 40GB (TDP 400 W) at 200 W = half its TDP, 100 h, PUE 1.0, 100 g/kWh.
    let mut plan = TrainingPlan::new("half", "nvidia-a100-sxm4-40gb", 8, 100.0, "fr");
    plan.power = trainprint::model::Power::Watts(200.0);
    plan.pue = Some(1.0);
    plan.intensity_g_per_kwh = Some(100.0);
    let over = SweepOver::Accelerator(vec!["nvidia-h100-sxm".into()]);
    let r = sweep::run(&plan, &over, &cat).unwrap();
    let kwh = |id: &str| {
        r.variants
            .iter()
            .find(|v| v.value == id)
            .unwrap()
            .outcome
            .ok()
            .unwrap()
            .facility_energy_kwh
    };
    // The plan's own: 8 x 100 h x 0.2 kW = 160 kWh; the H100 SXM (700 W TDP) at half: 8 x 100 x 0.35 = 280 kWh.
    assert!((kwh("nvidia-a100-sxm4-40gb") - 160.0).abs() < 1e-9);
    assert!((kwh("nvidia-h100-sxm") - 280.0).abs() < 1e-9);
}
