//! The `trainprint` binary end to end: the worked example, every published case through the command line, the
//! JSON contract, catalogue listing and validation, and bad input as one line with exit code 2.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

#[path = "core/published.rs"]
#[allow(dead_code)]
mod published;
#[path = "core/support.rs"]
#[allow(dead_code)]
mod support;

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trainprint"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run trainprint: {e}"))
}

fn json(args: &[&str]) -> serde_json::Value {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: not JSON: {e}"))
}

/// Runs a command that must fail: exit code 2 and exactly one line on stderr, which is returned.
fn fails(args: &[&str]) -> String {
    let out = run(args);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "{args:?}: not one line: {err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    err
}

fn f(v: &serde_json::Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn the_worked_example_gives_460_8_kwh_and_161_28_kg() {
    let v = json(&[
        "estimate",
        "--accelerator",
        "nvidia-a100-sxm4-40gb",
        "--count",
        "8",
        "--hours",
        "120",
        "--watts",
        "400",
        "--pue",
        "1.2",
        "--intensity",
        "350",
        "--format",
        "json",
    ]);
    let p = &v["plans"][0];
    assert!((f(&p["facility_energy_kwh"]) - 460.8).abs() < 1e-9, "{p}");
    assert!((f(&p["co2e_kg"]) - 161.28).abs() < 1e-9, "{p}");
    assert!((f(&p["it_energy_kwh"]) - 384.0).abs() < 1e-9);
    assert_eq!(f(&p["accelerator_hours"]), 960.0);
    assert_eq!(f(&p["wall_hours"]), 120.0);
    assert_eq!(f(&p["embodied_co2e_kg"]), 0.0);
    assert!((f(&p["total_co2e_kg"]) - 161.28).abs() < 1e-9);
    // The contract keys are all there.
    for key in [
        "name",
        "accelerator_hours",
        "wall_hours",
        "it_energy_kwh",
        "facility_energy_kwh",
        "co2e_kg",
        "embodied_co2e_kg",
        "total_co2e_kg",
    ] {
        assert!(p.get(key).is_some(), "missing {key}");
    }
}

#[test]
fn every_published_case_through_the_binary() {
    for c in published::cases() {
        let mut args: Vec<String> = vec![
            "estimate".into(),
            "--accelerator".into(),
            c.accelerator_id.clone(),
        ];
        match (c.accel_hours, c.count, c.hours) {
            (Some(x), count, _) => {
                args.extend(["--accelerator-hours".into(), x.to_string()]);
                if let Some(n) = count {
                    args.extend(["--count".into(), n.to_string()]);
                }
            }
            (None, Some(n), Some(h)) => args.extend([
                "--count".into(),
                n.to_string(),
                "--hours".into(),
                h.to_string(),
            ]),
            _ => panic!("{}: no duration", c.id),
        }
        for (flag, v) in [
            ("--watts", c.watts),
            ("--pue", c.pue),
            ("--intensity", c.intensity),
        ] {
            args.extend([flag.into(), v.to_string()]);
        }
        args.extend(["--format".into(), "json".into()]);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let v = json(&refs);
        let p = &v["plans"][0];
        let tol = c.tolerance_pct / 100.0;
        let mwh = f(&p["facility_energy_kwh"]) / 1000.0;
        let t = f(&p["co2e_kg"]) / 1000.0;
        assert!(
            support::rel(mwh, c.expected_energy_mwh) <= tol,
            "{}: {mwh} MWh vs {}",
            c.id,
            c.expected_energy_mwh
        );
        assert!(
            support::rel(t, c.expected_tco2e) <= tol,
            "{}: {t} t vs {}",
            c.id,
            c.expected_tco2e
        );
    }
}

#[test]
fn a_workspace_file_estimates_every_plan() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/presets/examples/llama-65b.ron"
    );
    let v = json(&["estimate", path, "--format", "json"]);
    let plans = v["plans"].as_array().unwrap();
    assert_eq!(plans.len(), 4);
    assert_eq!(plans[3]["name"], "LLaMA-65B");
    assert!((f(&plans[3]["total_co2e_kg"]) / 1000.0 - 173.0).abs() < 1.0);
    assert_eq!(f(&plans[3]["co2e_vs_baseline_pct"]), 0.0);
    let csv = run(&["estimate", path, "--format", "csv"]);
    let text = String::from_utf8(csv.stdout).unwrap();
    assert_eq!(text.lines().count(), 5);
    assert!(text.starts_with("name,accelerator,count,region,accelerator_hours,wall_hours"));
    let md = String::from_utf8(run(&["estimate", path, "--format", "md"]).stdout).unwrap();
    assert!(md.contains("| LLaMA-65B | nvidia-a100-sxm4-80gb |"), "{md}");
    let table = String::from_utf8(run(&["estimate", path]).stdout).unwrap();
    assert!(table.contains("facility energy"), "{table}");
}

#[test]
fn compute_based_and_tdp_based_plans_from_flags() {
    let v = json(&[
        "estimate",
        "--accelerator",
        "nvidia-h100-sxm",
        "--count",
        "64",
        "--params",
        "7e9",
        "--tokens",
        "1e12",
        "--precision",
        "bf16",
        "--mfu",
        "0.4",
        "--utilization",
        "0.8",
        "--region",
        "aws-us-east-1",
        "--format",
        "json",
    ]);
    let p = &v["plans"][0];
    let hours = 4.2e22 / (989.4e12 * 0.4) / 3600.0;
    assert!((f(&p["accelerator_hours"]) / hours - 1.0).abs() < 1e-12);
    assert_eq!(f(&p["power_w"]), 560.0);
    assert!(
        p["assumptions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "power_from_tdp")
    );
    assert!(p["water_l"].is_number());
}

#[test]
fn bad_input_is_one_line_naming_the_flag_with_exit_code_2() {
    let base = [
        "estimate",
        "--accelerator",
        "nvidia-a100-sxm4-40gb",
        "--count",
        "8",
        "--intensity",
        "350",
    ];
    let with = |extra: &[&str]| -> Vec<String> {
        base.iter().chain(extra).map(|s| s.to_string()).collect()
    };
    let check = |extra: &[&str], needle: &str| {
        let args = with(extra);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let err = fails(&refs);
        assert!(err.contains(needle), "{extra:?}: {err}");
    };
    check(&["--hours", "-5"], "--hours: must not be negative");
    check(&["--hours", "NaN"], "--hours: must be a finite number");
    check(&["--hours", "abc"], "--hours");
    check(
        &["--hours", "10", "--pue", "0.8"],
        "--pue: must be at least 1",
    );
    check(
        &["--hours", "10", "--utilization", "1.5"],
        "--utilization: must be greater than 0 and at most 1",
    );
    check(
        &["--flops", "1e20", "--precision", "bf16", "--mfu", "0"],
        "--mfu",
    );
    check(
        &["--flops", "1e20", "--precision", "fp8", "--mfu", "0.4"],
        "--precision: accelerator 'nvidia-a100-sxm4-40gb' has no peak FLOP/s for fp8",
    );
    check(
        &["--flops", "1e20", "--precision", "fp64", "--mfu", "0.4"],
        "fp64",
    );
    check(
        &["--flops", "1e20", "--mfu", "0.4"],
        "--precision is required",
    );
    check(&["--hours", "1", "--flops", "1e20"], "--hours");
    check(&[], "give the duration");
    let err = fails(&[
        "estimate",
        "--accelerator",
        "nvidia-a100",
        "--accelerator-hours",
        "5",
        "--intensity",
        "1",
    ]);
    assert!(
        err.contains(
            "--accelerator: 'nvidia-a100' is not in the catalogue; did you mean one of nvidia-a100-pcie-40gb, \
             nvidia-a100-pcie-80gb, nvidia-a100-sxm4-40gb?"
        ),
        "{err}"
    );
    let err = fails(&[
        "estimate",
        "--accelerator",
        "nvidia-t4",
        "--count",
        "0",
        "--hours",
        "1",
        "--intensity",
        "1",
    ]);
    assert!(err.contains("--count: must be at least 1"), "{err}");
    let err = fails(&[
        "estimate",
        "--accelerator",
        "nvidia-t4",
        "--count",
        "-1",
        "--hours",
        "1",
        "--intensity",
        "1",
    ]);
    assert!(err.contains("--count"), "{err}");
    let err = fails(&[
        "estimate",
        "--accelerator",
        "nvidia-t4",
        "--hours",
        "1",
        "--intensity",
        "1",
    ]);
    assert!(err.contains("--count is required"), "{err}");
    let err = fails(&[
        "estimate",
        "--accelerator",
        "nvidia-t4",
        "--accelerator-hours",
        "1",
    ]);
    assert!(err.contains("--region"), "{err}");
    let err = fails(&[
        "estimate",
        "--accelerator",
        "nvidia-t4",
        "--accelerator-hours",
        "1",
        "--region",
        "mars",
    ]);
    assert!(
        err.contains(
            "--region: 'mars' is not in the catalogue (`trainprint catalogue list --kind regions`"
        ),
        "{err}"
    );
    let err = fails(&[
        "estimate",
        "--accelerator",
        "google-tpu-v5e",
        "--accelerator-hours",
        "1",
        "--region",
        "fr",
    ]);
    assert!(err.contains("--watts"), "{err}");
    let err = fails(&["frobnicate", "--x"]);
    assert!(err.starts_with("error:"), "{err}");
}

#[test]
fn a_broken_workspace_names_file_line_and_column() {
    let dir = std::env::temp_dir().join(format!("trainprint-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("broken.ron");
    std::fs::write(
        &path,
        "(\n  format: \"trainprint-workspace\",\n  version: 1,\n  name: 7,\n  plans: [],\n)\n",
    )
    .unwrap();
    let err = fails(&["estimate", path.to_str().unwrap()]);
    assert!(err.contains(&format!("{}:4:", path.display())), "{err}");
    let err = fails(&["catalogue", "validate", path.to_str().unwrap()]);
    assert!(err.contains("not a trainprint-catalogue file"), "{err}");
    let err = fails(&["estimate", dir.join("missing.ron").to_str().unwrap()]);
    assert!(err.contains("missing.ron"), "{err}");
    let err = fails(&["estimate", path.to_str().unwrap(), "--hours", "3"]);
    assert!(err.contains("cannot be combined"), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn catalogue_list_json_has_every_field_and_null_peaks() {
    let v = json(&["catalogue", "list", "--format", "json"]);
    let accs = v["accelerators"].as_array().unwrap();
    assert!(accs.len() >= 30);
    let a100 = accs
        .iter()
        .find(|a| a["id"] == "nvidia-a100-sxm4-40gb")
        .unwrap();
    let peaks = &a100["peak_tflops"];
    for k in ["fp32", "tf32", "bf16", "fp16", "fp8"] {
        assert!(peaks.get(k).is_some(), "missing peak key {k}");
    }
    assert!(peaks["fp8"].is_null());
    assert_eq!(f(&peaks["bf16"]), 312.0);
    for key in [
        "name",
        "vendor",
        "year",
        "tdp_watts",
        "memory_gb",
        "source",
        "data_year",
        "notes",
    ] {
        assert!(a100.get(key).is_some(), "missing {key}");
    }
    let v = json(&["catalogue", "list", "--kind", "regions", "--format", "json"]);
    let regions = v["regions"].as_array().unwrap();
    assert!(regions.len() >= 40);
    assert!(
        regions
            .iter()
            .all(|r| r["source"].as_str().is_some_and(|s| !s.is_empty()))
    );
    let out = run(&["catalogue", "list"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("nvidia-h100-sxm"));
}

#[test]
fn catalogue_validate_accepts_the_presets_and_names_errors() {
    let good = concat!(env!("CARGO_MANIFEST_DIR"), "/presets/catalogue.ron");
    let out = run(&["catalogue", "validate", good]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("valid catalogue"));
    let dir = std::env::temp_dir().join(format!("trainprint-cli-cat-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("cat.ron");
    std::fs::write(&path, "(\n  format: \"trainprint-catalogue\",\n  version: 1,\n  intensity_basis: \"b\",\n  accelerators: [\n    (id: \"x\" name: \"y\"),\n  ],\n  regions: [],\n)\n").unwrap();
    let err = fails(&["catalogue", "validate", path.to_str().unwrap()]);
    assert!(err.contains(&format!("{}:6:", path.display())), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}

// ---- Planning: schedule, compare, ranges ----

/// A profile CSV in a fresh temp dir: 300, 100, 200, 50, 400 g/kWh from 2026-01-01T00:00Z.
fn five_hour_profile(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("trainprint-cli-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("profile.csv");
    std::fs::write(
        &path,
        "datetime,intensity_g_per_kwh\n2026-01-01T00:00Z,300\n2026-01-01T01:00Z,100\n\
         2026-01-01T02:00Z,200\n2026-01-01T03:00Z,50\n2026-01-01T04:00Z,400\n",
    )
    .unwrap();
    path
}

/// One H100 at 500 W, PUE 1, for `hours`: 0.5 kWh an hour.
fn half_kwh_plan(hours: &str) -> Vec<&str> {
    vec![
        "--accelerator",
        "nvidia-h100-sxm",
        "--count",
        "1",
        "--hours",
        hours,
        "--watts",
        "500",
        "--pue",
        "1",
        "--intensity",
        "100",
    ]
}

#[test]
fn schedule_over_an_imported_profile_by_hand() {
    let csv = five_hour_profile("sched");
    let csv = csv.to_str().unwrap();
    // Starts: (300+100) x 0.5 / 1000 = 0.2 kg, then 0.15, 0.125, 0.225: best at 02:00, 37.5 % less.
    let mut args = vec!["schedule"];
    args.extend(half_kwh_plan("2"));
    args.extend(["--profile", csv, "--window-hours", "10", "--format", "json"]);
    let v = json(&args);
    assert!((f(&v["start_now_co2e_kg"]) - 0.2).abs() < 1e-12, "{v}");
    assert_eq!(v["best_start"], "2026-01-01T02:00Z");
    assert_eq!(v["best_start_offset_hours"], 2);
    assert!((f(&v["best_co2e_kg"]) - 0.125).abs() < 1e-12, "{v}");
    assert!((f(&v["savings_pct"]) - 37.5).abs() < 1e-9, "{v}");
    assert_eq!(v["window_hours"], 3, "cut to the last start that fits");
    // Pausable before hour 4: the cleanest two hours, 01:00 and 03:00 -> (100 + 50) x 0.5 / 1000.
    let mut args = vec!["schedule"];
    args.extend(half_kwh_plan("2"));
    args.extend([
        "--profile",
        csv,
        "--deadline-hours",
        "4",
        "--pausable",
        "--format",
        "json",
    ]);
    let v = json(&args);
    assert_eq!(
        v["hours_used"],
        serde_json::json!(["2026-01-01T01:00Z", "2026-01-01T03:00Z"])
    );
    assert!((f(&v["best_co2e_kg"]) - 0.075).abs() < 1e-12, "{v}");
    assert!((f(&v["savings_pct"]) - 62.5).abs() < 1e-9, "{v}");
    // A job longer than the profile is one clear line.
    let mut args = vec!["schedule"];
    args.extend(half_kwh_plan("10"));
    args.extend(["--profile", csv]);
    let err = fails(&args);
    assert!(
        err.contains("the intensity profile has 5 hours but the job runs 10 hours"),
        "{err}"
    );
    // A deadline without --pausable, and a malformed CSV, are refused too.
    let mut args = vec!["schedule"];
    args.extend(half_kwh_plan("2"));
    args.extend(["--profile", csv, "--deadline-hours", "4"]);
    assert!(!run(&args).status.success());
    let bad = std::path::Path::new(csv).with_file_name("bad.csv");
    std::fs::write(
        &bad,
        "datetime,intensity\n2026-01-01T00:00Z,1\n2026-01-01T01:00Z,x\n",
    )
    .unwrap();
    let mut args = vec!["schedule"];
    args.extend(half_kwh_plan("1"));
    args.extend(["--profile", bad.to_str().unwrap()]);
    let err = fails(&args);
    assert!(err.contains("bad.csv") && err.contains('3'), "{err}");
}

#[test]
fn schedule_with_a_profile_needs_no_grid_flag() {
    let csv = five_hour_profile("nogrid");
    let csv = csv.to_str().unwrap();
    // The plan of schedule_over_an_imported_profile_by_hand without --intensity: the profile is the grid, and the
    // same hand-worked numbers come out (0.2 kg now, 0.125 kg from 02:00, 37.5 % less).
    let mut args = vec!["schedule"];
    args.extend(half_kwh_plan("2"));
    let at = args.iter().position(|a| *a == "--intensity").unwrap();
    args.drain(at..at + 2);
    args.extend(["--profile", csv, "--window-hours", "10", "--format", "json"]);
    let v = json(&args);
    assert!((f(&v["start_now_co2e_kg"]) - 0.2).abs() < 1e-12, "{v}");
    assert_eq!(v["best_start"], "2026-01-01T02:00Z");
    assert!((f(&v["best_co2e_kg"]) - 0.125).abs() < 1e-12, "{v}");
    assert!((f(&v["savings_pct"]) - 37.5).abs() < 1e-9, "{v}");
    // A region gives its PUE and nothing else: AWS us-east-1's PUE 1.15 scales every figure, not the saving.
    let mut args = vec!["schedule"];
    args.extend(half_kwh_plan("2"));
    let at = args.iter().position(|a| *a == "--pue").unwrap();
    args.drain(at..at + 4); // --pue 1 --intensity 100
    args.extend([
        "--region",
        "aws-us-east-1",
        "--profile",
        csv,
        "--format",
        "json",
    ]);
    let v = json(&args);
    assert!(
        (f(&v["start_now_co2e_kg"]) - 0.2 * 1.15).abs() < 1e-12,
        "{v}"
    );
    assert!((f(&v["savings_pct"]) - 37.5).abs() < 1e-9, "{v}");
    // Without a profile the grid is still needed.
    let mut args = vec!["schedule"];
    args.extend(half_kwh_plan("2"));
    let at = args.iter().position(|a| *a == "--intensity").unwrap();
    args.drain(at..at + 2);
    assert!(fails(&args).contains("--region"));
}

#[test]
fn mistyped_ids_get_the_nearest_ids_and_ids_match_regardless_of_case() {
    let plan = |acc: &'static str, region: &'static str| {
        vec![
            "estimate",
            "--accelerator",
            acc,
            "--count",
            "8",
            "--hours",
            "10",
            "--region",
            region,
            "--format",
            "json",
        ]
    };
    let err = fails(&plan("nvidia-h100-smx", "fr"));
    assert!(
        err.contains("--accelerator: 'nvidia-h100-smx' is not in the catalogue; did you mean nvidia-h100-sxm?"),
        "{err}"
    );
    let err = fails(&plan("nvidia-h100-sxm", "us-east-1"));
    assert!(err.contains("did you mean aws-us-east-1?"), "{err}");
    let err = fails(&plan("b200", "fr"));
    assert!(err.contains("did you mean nvidia-b200?"), "{err}");
    let err = fails(&plan("nvidia-h100-sxm", "japan"));
    assert!(err.contains("did you mean jp-tokyo?"), "{err}");
    // Case does not matter: FR is fr, NVIDIA-H100-SXM is nvidia-h100-sxm, and the plan names the real ids.
    let lower = json(&plan("nvidia-h100-sxm", "fr"));
    let upper = json(&plan("NVIDIA-H100-SXM", "FR"));
    assert_eq!(lower, upper);
    assert_eq!(upper["plans"][0]["accelerator"], "nvidia-h100-sxm");
    assert_eq!(upper["plans"][0]["region"], "fr");
    // 8 x 700 W x 10 h = 56 kWh x PUE 1.56 (the flagged default) x 52.87 g/kWh = 4.618 723 2 kg.
    assert!((f(&upper["plans"][0]["co2e_kg"]) - 56.0 * 1.56 * 52.87 / 1000.0).abs() < 1e-9);
    // An old region id still works and means the renamed region.
    let old = json(&plan("nvidia-h100-sxm", "jp"));
    assert_eq!(old["plans"][0]["region"], "jp-tokyo");
    assert_eq!(old, json(&plan("nvidia-h100-sxm", "jp-tokyo")));
}

#[test]
fn schedule_for_aws_us_east_1_has_a_real_curve_and_a_saving() {
    // PJM's hour-of-day means (US-MIDA-PJM 2023): a 2-hour job at 18:00 (402.4, 405.5 g) does best at 03:00 the
    // next day (378.2, 378.8 g): 1 - 757.0 / 807.9 = 6.300 28 % less.
    let v = json(&[
        "schedule",
        "--accelerator",
        "nvidia-h100-sxm",
        "--count",
        "8",
        "--hours",
        "2",
        "--region",
        "aws-us-east-1",
        "--start-hour",
        "18",
        "--format",
        "json",
    ]);
    assert_eq!(v["best_start"], "day 2 03:00", "{v}");
    assert!((f(&v["savings_pct"]) - 6.300_284_688_7).abs() < 1e-6, "{v}");
    assert!(
        v["profile"].as_str().unwrap().contains("US-MIDA-PJM"),
        "{v}"
    );
}

#[test]
fn schedule_over_a_regions_representative_day() {
    // Spain's solar trough: a 4 h job starting at midnight does best around midday.
    let v = json(&[
        "schedule",
        "--accelerator",
        "nvidia-h100-sxm",
        "--count",
        "8",
        "--hours",
        "4",
        "--watts",
        "700",
        "--pue",
        "1.1",
        "--region",
        "es",
        "--window-hours",
        "24",
        "--format",
        "json",
    ]);
    let offset = v["best_start_offset_hours"].as_u64().unwrap();
    assert!((10..=13).contains(&offset), "{v}");
    assert!(f(&v["savings_pct"]) > 25.0, "{v}");
    assert!(v["profile"].as_str().unwrap().contains("Spain"), "{v}");
}

#[test]
fn compare_splits_each_difference_into_contributions_that_add_up() {
    let root = env!("CARGO_MANIFEST_DIR");
    for ex in [
        "a100-vs-h100",
        "virginia-vs-quebec",
        "fp32-vs-mixed-precision",
        "llama-65b",
    ] {
        let path = format!("{root}/presets/examples/{ex}.ron");
        let v = json(&["compare", &path, "--format", "json"]);
        let plans = v["plans"].as_array().unwrap();
        let base_total = plans
            .iter()
            .find(|p| p["name"] == v["baseline"])
            .map(|p| f(&p["total_co2e_kg"]))
            .unwrap();
        for p in plans {
            let delta = f(&p["delta_co2e_kg"]);
            assert!((delta - (f(&p["total_co2e_kg"]) - base_total)).abs() <= 1e-9 * base_total);
            let c = p["contributions"].as_object().unwrap();
            let keys: Vec<&str> = c.keys().map(String::as_str).collect();
            for k in ["power", "duration", "pue", "intensity", "runs", "embodied"] {
                assert!(keys.contains(&k), "{ex}: {keys:?}");
            }
            let sum: f64 = c.values().map(f).sum();
            let scale = base_total.max(f(&p["total_co2e_kg"]));
            assert!(
                (sum - delta).abs() <= 1e-9 * scale,
                "{ex}: {sum} vs {delta}"
            );
        }
    }
    // Virginia against Quebec differs only by the grid (and the PUE), so intensity carries most of it.
    let v = json(&[
        "compare",
        &format!("{root}/presets/examples/virginia-vs-quebec.ron"),
        "--format",
        "json",
    ]);
    let quebec = &v["plans"][1];
    assert!(f(&quebec["contributions"]["intensity"]) < 0.0);
    assert_eq!(f(&quebec["contributions"]["duration"]), 0.0);
}

#[test]
fn ranges_add_reproducible_percentiles_to_the_json() {
    let args = [
        "estimate",
        "--accelerator",
        "nvidia-a100-sxm4-40gb",
        "--count",
        "8",
        "--hours",
        "120",
        "--watts",
        "400",
        "--pue",
        "1.2",
        "--intensity",
        "350",
        "--range",
        "pue=1.1..1.5",
        "--range",
        "intensity=300..420",
        "--format",
        "json",
    ];
    let a = json(&args);
    let b = json(&args);
    assert_eq!(a, b, "same inputs, same numbers");
    let p = &a["plans"][0];
    let (p5, p50, p95) = (
        f(&p["co2e_kg_p5"]),
        f(&p["co2e_kg_p50"]),
        f(&p["co2e_kg_p95"]),
    );
    assert!(p5 < p50 && p50 < p95, "{p}");
    // Each end bounded by both inputs at their ends: 134.4 x [1.1 x 300 .. 1.5 x 420] / 350 x 1.2...
    assert!(p5 > 161.28 * (1.1 / 1.2) * (300.0 / 350.0), "{p}");
    assert!(p95 < 161.28 * (1.5 / 1.2) * (420.0 / 350.0), "{p}");
    assert!(p5 < 161.28 && 161.28 < p95, "{p}");
    // Without ranges the keys are absent; a bad range is one line naming --range.
    let v = json(&[
        "estimate",
        "--accelerator",
        "nvidia-a100-sxm4-40gb",
        "--count",
        "8",
        "--hours",
        "120",
        "--watts",
        "400",
        "--pue",
        "1.2",
        "--intensity",
        "350",
        "--format",
        "json",
    ]);
    assert!(v["plans"][0].get("co2e_kg_p5").is_none(), "{v}");
    for (range, what) in [
        ("pue=1.3..1.5", "does not contain"),
        ("pue=1.5..1.1", "LOW must not exceed HIGH"),
        ("speed=1..2", "unknown field"),
        ("utilization=0.5..0.9", "does not use it"),
    ] {
        let err = fails(&[
            "estimate",
            "--accelerator",
            "nvidia-a100-sxm4-40gb",
            "--count",
            "8",
            "--hours",
            "120",
            "--watts",
            "400",
            "--pue",
            "1.2",
            "--intensity",
            "350",
            "--range",
            range,
        ]);
        assert!(
            err.contains("--range") && err.contains(what),
            "{range}: {err}"
        );
    }
}

#[test]
fn compute_plans_without_mfu_use_the_utilisation_table_and_say_so() {
    let base = [
        "estimate",
        "--accelerator",
        "nvidia-h100-sxm",
        "--count",
        "64",
        "--params",
        "7e9",
        "--tokens",
        "1e12",
        "--precision",
        "bf16",
        "--region",
        "fr",
        "--format",
        "json",
    ];
    let v = json(&base);
    let p = &v["plans"][0];
    // presets/utilization.ron: H100 SXM, BF16, llm: 0.403 measured.
    assert_eq!(f(&p["mfu"]), 0.403);
    assert!(
        p["assumptions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "default_mfu")
    );
    let source = p["mfu_source"].as_str().unwrap();
    assert!(
        source.contains("utilisation table") && source.contains("measured"),
        "{source}"
    );
    // 4.2e22 FLOPs / (989.4e12 x 0.403) / 3600 = 29,260 accelerator-hours.
    assert!(
        support::rel(
            f(&p["accelerator_hours"]),
            4.2e22 / (989.4e12 * 0.403) / 3600.0
        ) < 1e-12
    );
    // The workload class picks another entry; an own MFU is used as given and not flagged.
    let mut enc = base.to_vec();
    enc.extend(["--workload", "encoder"]);
    assert_eq!(f(&json(&enc)["plans"][0]["mfu"]), 0.299);
    let mut own = base.to_vec();
    own.extend(["--mfu", "0.5"]);
    let v = json(&own);
    assert_eq!(f(&v["plans"][0]["mfu"]), 0.5);
    assert!(
        !v["plans"][0]["assumptions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "default_mfu")
    );
}

#[test]
fn an_unknown_workload_lists_the_valid_ones() {
    let err = fails(&[
        "estimate",
        "--accelerator",
        "nvidia-h100-sxm",
        "--flops",
        "1e20",
        "--precision",
        "bf16",
        "--workload",
        "rnn",
        "--region",
        "fr",
    ]);
    assert!(err.contains("--workload"), "{err}");
    assert!(err.contains("llm, encoder, cnn"), "{err}");
}

#[test]
fn a_measured_throughput_gives_accelerator_hours_and_its_implied_mfu() {
    let v = json(&[
        "estimate",
        "--accelerator",
        "nvidia-h100-sxm",
        "--count",
        "64",
        "--tokens",
        "1e12",
        "--tokens-per-second",
        "10000",
        "--params",
        "7e9",
        "--precision",
        "bf16",
        "--watts",
        "700",
        "--region",
        "fr",
        "--format",
        "json",
    ]);
    let p = &v["plans"][0];
    // 1e12 / 1e4 / 3600 = 27,777.8 accelerator-hours; MFU 6 x 7e9 x 1e4 / 989.4e12 = 0.4245.
    assert!(support::rel(f(&p["accelerator_hours"]), 1e12 / 1e4 / 3600.0) < 1e-12);
    assert!(support::rel(f(&p["mfu"]), 4.2e14 / 989.4e12) < 1e-12);
    // An MFU makes no sense with a measured throughput.
    let err = fails(&[
        "estimate",
        "--accelerator",
        "nvidia-h100-sxm",
        "--tokens",
        "1e12",
        "--tokens-per-second",
        "10000",
        "--mfu",
        "0.4",
        "--region",
        "fr",
    ]);
    assert!(err.contains("implies"), "{err}");
    // --tokens alone is neither duration.
    let err = fails(&[
        "estimate",
        "--accelerator",
        "nvidia-h100-sxm",
        "--tokens",
        "1e12",
        "--region",
        "fr",
    ]);
    assert!(err.contains("--tokens-per-second"), "{err}");
}
