//! Persistence: frozen fixtures of every past format version still load; save/load round-trips; malformed,
//! foreign, newer and oversized files are refused with file, line and column; saves are atomic and keep a backup.

use super::support::catalogue;
use std::path::{Path, PathBuf};
use trainprint::engine::compare;
use trainprint::model::{Duration, Power, Price, TrainingPlan, Workspace};
use trainprint::persist::{FileErrorKind, atomic, catalogue as cat_file, workspace};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("trainprint-test-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn workspace_v1_fixture_still_loads_and_estimates() {
    let ws = workspace::load(&fixture("workspace-v1.ron")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ws.name, "Fixture v1");
    assert_eq!(ws.plans.len(), 4);
    assert_eq!(ws.baseline, 1);
    assert!(matches!(ws.plans[1].price, Price::UsdPerAcceleratorHour(p) if p == 2.5));
    assert_eq!(ws.catalogue.removed_regions, vec!["world".to_string()]);
    let cat = workspace::effective_catalogue(&catalogue(), &ws);
    assert!(cat.region("world").is_none());
    assert_eq!(cat.accelerator("user-gpu").unwrap().tdp_watts, Some(500.0));
    let cmp = compare(&ws.plans, ws.baseline, &cat);
    for r in &cmp.results {
        assert!(r.is_ok(), "{r:?}");
    }
    // Plan 2: 1000 accelerator-hours x 3 runs at 500 W x 0.8 plus host (280 + 512 x 0.3725) / 8 W, PUE 1.3.
    let e = cmp.results[1].as_ref().unwrap();
    let host_w = (280.0 + 512.0 * 0.3725) / 8.0;
    let it = 3000.0 * (400.0 + host_w) / 1000.0;
    assert!((e.it_energy_kwh - it).abs() < 1e-9);
    assert!((e.facility_energy_kwh - it * 1.3).abs() < 1e-9);
    assert!((e.market_co2e_kg.unwrap() - e.co2e_kg * 0.6).abs() < 1e-9);
    assert!((e.embodied_co2e_kg - 150.0 * 3000.0 / (5.0 * 8760.0)).abs() < 1e-9);
    assert_eq!(e.cost_usd, Some(7500.0));
}

#[test]
fn catalogue_v1_fixture_still_loads() {
    let f = cat_file::load(&fixture("catalogue-v1.ron")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(f.catalogue.accelerators().len(), 2);
    assert_eq!(
        f.catalogue.accelerator("fixture-tpu").unwrap().tdp_watts,
        None
    );
    assert_eq!(
        f.catalogue.region("fixture-cloud").unwrap().cfe_share,
        Some(0.9)
    );
}

#[test]
fn catalogue_v2_fixture_still_loads_without_the_years_version_3_requires() {
    let f = cat_file::load(&fixture("catalogue-v2.ron")).unwrap_or_else(|e| panic!("{e}"));
    let fin = f.catalogue.region("azure-northeurope-finland").unwrap();
    assert_eq!(fin.wue_l_per_kwh, Some(0.01));
    assert_eq!(
        (fin.wue_year, fin.cfe_year, fin.price_year),
        (None, None, None)
    );
    assert!(f.catalogue.region("jp").unwrap().live_zone.is_some());
    assert_eq!(
        f.catalogue.accelerator("fixture-gpu").unwrap().checked_year,
        None
    );
    // Saved again it is version 3, and its values without years are then named (a version-3 file needs them).
    let text = cat_file::to_text(&f.intensity_basis, &f.catalogue).unwrap();
    assert!(text.contains("version: 3"), "{text}");
    let msg = cat_file::parse(&text, Path::new("c.ron"))
        .unwrap_err()
        .to_string();
    for field in ["wue_year", "cfe_year", "price_year"] {
        assert!(
            msg.contains(&format!(
                "region 'azure-northeurope-finland': {field} must be given with its value"
            )),
            "{msg}"
        );
    }
    // A version-2 file may not carry the version-3 fields.
    let v2 = std::fs::read_to_string(fixture("catalogue-v2.ron"))
        .unwrap()
        .replace(
            "pue_year: Some(2022),",
            "pue_year: Some(2022), wue_year: Some(2022),",
        );
    let msg = cat_file::parse(&v2, Path::new("c.ron"))
        .unwrap_err()
        .to_string();
    assert!(msg.contains("need catalogue version 3"), "{msg}");
}

#[test]
fn old_region_ids_in_an_old_workspace_load_as_the_renamed_regions() {
    // Version 3, as saved before the catalogue renamed `in`, `jp`, `it`, `br` and `azure-northeurope-finland`: plans
    // on four of them, an edit of `it` and the removal of `br`.
    let text = r#"#![enable(implicit_some)]
(
  format: "trainprint-workspace",
  version: 3,
  name: "old ids",
  plans: [
    (name: "a", accelerator: "nvidia-t4", count: 1, duration: WallHours(10.0), power: Watts(70.0), region: "in", price: None),
    (name: "b", accelerator: "nvidia-t4", count: 1, duration: WallHours(10.0), power: Watts(70.0), region: "jp", price: None),
    (name: "c", accelerator: "nvidia-t4", count: 1, duration: WallHours(10.0), power: Watts(70.0), region: "it", price: None),
    (name: "d", accelerator: "nvidia-t4", count: 1, duration: WallHours(10.0), power: Watts(70.0), region: "azure-northeurope-finland", price: None),
  ],
  catalogue: (
    regions: [
      (id: "it", name: "Italy (my figure)", country: "ITA", grid_zone: "IT-NO", intensity_g_per_kwh: 250.0,
       intensity_basis: "user LCA", intensity_year: 2024, source: "me"),
    ],
    removed_regions: ["br"],
  ),
)
"#;
    let ws = workspace::parse(text, Path::new("old.ron")).unwrap_or_else(|e| panic!("{e}"));
    let ids: Vec<_> = ws
        .plans
        .iter()
        .map(|p| p.region.as_deref().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["in-west", "jp-tokyo", "it-north", "azure-finlandcentral"]
    );
    let cat = workspace::effective_catalogue(&catalogue(), &ws);
    assert_eq!(cat.region("it-north").unwrap().name, "Italy (my figure)");
    assert!(
        cat.region("br-south-central").is_none(),
        "the removal follows the rename"
    );
    assert_eq!(cat.regions().len(), catalogue().regions().len() - 1);
    // Every plan estimates on the renamed region: 10 h x 70 W = 0.7 kWh x PUE x that region's intensity.
    let cmp = compare(&ws.plans, 0, &cat);
    for (plan, r) in ws.plans.iter().zip(&cmp.results) {
        let e = r.as_ref().unwrap();
        let region = cat.region(plan.region.as_deref().unwrap()).unwrap();
        let pue = region.pue.unwrap_or(1.56);
        assert!(
            (e.co2e_kg - 0.7 * pue * region.intensity_g_per_kwh / 1000.0).abs() < 1e-12,
            "{}",
            plan.name
        );
    }
    // The old ids still find the renamed entries, and saving writes the new ids.
    assert_eq!(catalogue().region("in").unwrap().id, "in-west");
    assert_eq!(catalogue().region("br").unwrap().id, "br-south-central");
    let saved = workspace::to_text(&ws).unwrap();
    assert!(
        saved.contains("\"jp-tokyo\"") && !saved.contains("\"jp\""),
        "{saved}"
    );
}

#[test]
fn workspaces_round_trip_through_save_and_load() {
    let dir = temp_dir("roundtrip");
    for ex in trainprint::persist::presets::EXAMPLES {
        let ws = trainprint::persist::presets::example_workspace(&ex).unwrap();
        let path = dir.join(format!("{}.ron", ex.key));
        workspace::save(&path, &ws, false).unwrap();
        assert_eq!(workspace::load(&path).unwrap(), ws, "{}", ex.key);
    }
    let ws = workspace::load(&fixture("workspace-v1.ron")).unwrap();
    let path = dir.join("fixture.ron");
    workspace::save(&path, &ws, false).unwrap();
    assert_eq!(workspace::load(&path).unwrap(), ws);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_built_in_catalogue_round_trips() {
    let f = trainprint::persist::presets::catalogue_file().unwrap();
    let dir = temp_dir("catalogue");
    let path = dir.join("catalogue.ron");
    cat_file::save(&path, &f.intensity_basis, &f.catalogue).unwrap();
    assert_eq!(cat_file::load(&path).unwrap(), f);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_malformed_file_names_file_line_and_column() {
    let dir = temp_dir("malformed");
    let path = dir.join("bad.ron");
    std::fs::write(
        &path,
        "(\n  format: \"trainprint-workspace\",\n  version: 1,\n  name: \"x\",\n  plans: [\n    (name: \"a\", accelerator: \"b\", duration: WallHours(1.0), power: Watts(1.0), colour: 3),\n  ],\n)\n",
    )
    .unwrap();
    let err = workspace::load(&path).unwrap_err();
    let (line, col) = err.position().expect("a parse error has a position");
    assert_eq!(line, 6);
    assert!(col > 5, "{col}");
    let msg = err.to_string();
    assert!(msg.starts_with(&format!("{}:6:", path.display())), "{msg}");
    assert!(msg.contains("colour"), "{msg}");

    std::fs::write(
        &path,
        "(format: \"trainprint-workspace\", version: 1, name: \"x\", plans: [",
    )
    .unwrap();
    let err = workspace::load(&path).unwrap_err();
    assert!(err.position().is_some(), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn invalid_values_in_a_file_are_refused_with_the_plan_named() {
    let text = r#"(format: "trainprint-workspace", version: 1, name: "x",
        plans: [(name: "neg", accelerator: "nvidia-t4", count: 0, duration: WallHours(1.0), power: Watts(1.0))])"#;
    let err = workspace::parse(text, Path::new("x.ron")).unwrap_err();
    assert!(
        err.to_string()
            .contains("plan 1 ('neg'): count must be at least 1"),
        "{err}"
    );
    let text = r#"(format: "trainprint-workspace", version: 1, name: "x", baseline: 3,
        plans: [(name: "a", accelerator: "nvidia-t4", count: 1, duration: WallHours(1.0), power: Watts(1.0))])"#;
    assert!(
        workspace::parse(text, Path::new("x.ron"))
            .unwrap_err()
            .to_string()
            .contains("baseline 3")
    );
    let text = r#"(format: "trainprint-workspace", version: 1, name: "x",
        plans: [(name: "a", accelerator: "nvidia-t4", count: 1, duration: WallHours(NaN), power: Watts(1.0))])"#;
    assert!(
        workspace::parse(text, Path::new("x.ron"))
            .unwrap_err()
            .to_string()
            .contains("hours must be a finite number")
    );
}

#[test]
fn newer_and_foreign_files_say_what_they_are() {
    let newer =
        r#"(format: "trainprint-workspace", version: 99, name: "x", plans: [], future_field: 1)"#;
    let err = workspace::parse(newer, Path::new("new.ron")).unwrap_err();
    assert!(
        matches!(
            err.kind,
            FileErrorKind::NewerVersion {
                found: 99,
                supported: workspace::VERSION
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("newer Trainprint"));
    let foreign = r#"(format: "trainprint-catalogue", version: 1, intensity_basis: "x", accelerators: [], regions: [])"#;
    let err = workspace::parse(foreign, Path::new("c.ron")).unwrap_err();
    assert!(
        matches!(err.kind, FileErrorKind::WrongFormat { .. }),
        "{err}"
    );
    let err = workspace::parse("(version: 1)", Path::new("c.ron")).unwrap_err();
    assert!(err.position().is_some(), "{err}");
}

#[test]
fn oversized_files_are_refused_before_parsing() {
    let dir = temp_dir("large");
    let path = dir.join("huge.ron");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(trainprint::persist::ron_file::MAX_FILE_BYTES + 1)
        .unwrap();
    let err = workspace::load(&path).unwrap_err();
    assert!(matches!(err.kind, FileErrorKind::TooLarge { .. }), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_catalogue_with_bad_entries_lists_them() {
    let text = r#"(format: "trainprint-catalogue", version: 1, intensity_basis: "b",
      accelerators: [
        (id: "x", name: "X", vendor: "V", year: 2020, tdp_watts: -1.0, memory_gb: 1.0, peak_tflops: (fp32: 1.0), source: "s", data_year: 2024),
        (id: "x", name: "X", vendor: "V", year: 2020, memory_gb: 1.0, peak_tflops: (), source: " ", data_year: 2024),
      ],
      regions: [])"#;
    let err = cat_file::parse(text, Path::new("c.ron")).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("accelerator 'x': id appears more than once"),
        "{msg}"
    );
    assert!(msg.contains("tdp_watts must be positive"), "{msg}");
    assert!(msg.contains("source must not be empty"), "{msg}");
    assert!(
        msg.contains("peak_tflops needs at least one precision"),
        "{msg}"
    );
}

#[test]
fn atomic_saves_keep_the_previous_file_as_backup() {
    let dir = temp_dir("atomic");
    let path = dir.join("ws.ron");
    let mut ws = Workspace {
        name: "one".into(),
        plans: vec![TrainingPlan::new("a", "nvidia-t4", 1, 1.0, "fr")],
        ..Default::default()
    };
    workspace::save(&path, &ws, true).unwrap();
    ws.name = "two".into();
    ws.plans[0].power = Power::Watts(50.0);
    ws.plans[0].duration = Duration::AcceleratorHours(3.0);
    workspace::save(&path, &ws, true).unwrap();
    assert_eq!(workspace::load(&path).unwrap().name, "two");
    assert_eq!(
        workspace::load(&atomic::backup_path(&path)).unwrap().name,
        "one"
    );
    // No temporary files are left behind.
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn workspace_v2_fixture_with_a_live_reading_loads_and_uses_it() {
    let ws = workspace::load(&fixture("workspace-v2.ron")).unwrap_or_else(|e| panic!("{e}"));
    let cat = workspace::effective_catalogue(&catalogue(), &ws);
    let gb = cat.region("gb").unwrap();
    let live = gb.live.as_ref().unwrap();
    assert_eq!(live.intensity_g_per_kwh, 175.0);
    assert_eq!(live.forecast.len(), 2);
    assert_eq!(
        gb.intensity_g_per_kwh, 187.89,
        "the catalogue value is kept beside the live one"
    );
    let e = trainprint::engine::estimate(&ws.plans[0], &cat).unwrap();
    assert_eq!(e.intensity_g_per_kwh, 175.0);
    assert_eq!(e.intensity_source, trainprint::engine::ValueSource::Live);
    assert!(
        e.assumptions
            .contains(trainprint::engine::Assumption::LiveIntensity)
    );
    // 16 x 48 h x 650 W x 1.2 x 175 g/kWh
    assert!((e.co2e_kg - 16.0 * 48.0 * 0.65 * 1.2 * 0.175).abs() < 1e-9);
    // It round-trips in the current format.
    let dir = temp_dir("v2");
    let path = dir.join("ws.ron");
    workspace::save(&path, &ws, false).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(&format!("version: {}", workspace::VERSION)));
    assert_eq!(workspace::load(&path).unwrap(), ws);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn workspace_v3_fixture_with_ranges_loads_and_its_ranges_drive_the_monte_carlo() {
    use trainprint::engine::uncertainty::{self, Input};
    use trainprint::model::Range;
    let ws = workspace::load(&fixture("workspace-v3.ron")).unwrap_or_else(|e| panic!("{e}"));
    let p = &ws.plans[0];
    assert_eq!(
        p.ranges.utilization,
        Some(Range {
            low: 0.6,
            high: 0.95
        })
    );
    assert_eq!(
        p.ranges.pue,
        Some(Range {
            low: 1.1,
            high: 1.4
        })
    );
    assert_eq!(
        p.ranges.mfu,
        Some(Range {
            low: 0.3,
            high: 0.5
        })
    );
    assert_eq!(p.ranges.watts, None);
    let e = trainprint::engine::estimate(p, &catalogue()).unwrap();
    let r = uncertainty::ranges(p, &e);
    // The utilisation range becomes watts on the H100's 700 W TDP.
    let power = r.iter().find(|x| x.input == Input::Power).unwrap();
    assert!(power.from_plan);
    assert!((power.low - 0.6 * 700.0).abs() < 1e-9 && (power.high - 0.95 * 700.0).abs() < 1e-9);
    let i = uncertainty::monte_carlo(&e, &r, uncertainty::DEFAULT_SEED, uncertainty::SAMPLES);
    assert!(
        i.p5 < e.total_co2e_kg && e.total_co2e_kg < i.p95,
        "{i:?} {}",
        e.total_co2e_kg
    );
    // Saved again it is version 3 with the same ranges.
    let dir = temp_dir("v3");
    let path = dir.join("ws.ron");
    workspace::save(&path, &ws, false).unwrap();
    assert_eq!(workspace::load(&path).unwrap(), ws);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn ranges_in_an_older_version_are_refused_with_the_reason() {
    let text = std::fs::read_to_string(fixture("workspace-v3.ron"))
        .unwrap()
        .replace("version: 3", "version: 2");
    let err = workspace::parse(&text, Path::new("old.ron")).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("old.ron"), "{msg}");
    assert!(msg.contains("need workspace version 3"), "{msg}");
}

#[test]
fn workspace_v4_fixture_with_default_mfu_throughput_and_own_table_entry_loads() {
    use trainprint::engine::{Assumption, ValueSource};
    use trainprint::model::{UtilizationOrigin, Workload};
    let ws = workspace::load(&fixture("workspace-v4.ron")).unwrap_or_else(|e| panic!("{e}"));
    let cat = workspace::effective_catalogue(&catalogue(), &ws);
    // 1: no MFU -> the table's H100 BF16 llm value 0.403, flagged.
    let e = trainprint::engine::estimate(&ws.plans[0], &cat).unwrap();
    assert_eq!(e.mfu, Some(0.403));
    assert!(e.assumptions.contains(Assumption::DefaultMfu));
    // 2: the workspace's own entry (0.5) replaces the built-in A100 TF32 encoder value.
    let e = trainprint::engine::estimate(&ws.plans[1], &cat).unwrap();
    assert_eq!(e.mfu, Some(0.5));
    assert_eq!(
        e.mfu_source,
        Some(ValueSource::Table(UtilizationOrigin::Edited))
    );
    // 1e20 FLOPs / (156e12 x 0.5) / 3600 = 356.13 accelerator-hours.
    assert!((e.accelerator_hours - 1e20 / (156e12 * 0.5) / 3600.0).abs() < 1e-9);
    // 3: 1e12 tokens at 1e4 tokens/s: 27,777.8 accelerator-hours; implied MFU 4.2e14 / 989.4e12 = 0.4245.
    let e = trainprint::engine::estimate(&ws.plans[2], &cat).unwrap();
    assert!((e.accelerator_hours - 1e12 / 1e4 / 3600.0).abs() < 1e-6);
    assert!((e.mfu.unwrap() - 4.2e14 / 989.4e12).abs() < 1e-12);
    assert!(matches!(
        ws.plans[1].duration,
        trainprint::model::Duration::Compute {
            workload: Workload::Encoder,
            mfu: None,
            ..
        }
    ));
    // It round-trips.
    let dir = temp_dir("v4");
    let path = dir.join("ws.ron");
    workspace::save(&path, &ws, false).unwrap();
    assert_eq!(workspace::load(&path).unwrap(), ws);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn version_4_features_in_an_older_version_are_refused_with_the_reason() {
    let text = std::fs::read_to_string(fixture("workspace-v4.ron")).unwrap();
    let older = text.replace("version: 4", "version: 3");
    let msg = workspace::parse(&older, Path::new("old.ron"))
        .unwrap_err()
        .to_string();
    assert!(msg.contains("need workspace version 4"), "{msg}");
    // A version-3 compute plan always had an MFU and reads as the llm class with that MFU.
    let ws = workspace::load(&fixture("workspace-v3.ron")).unwrap();
    assert!(matches!(
        ws.plans[0].duration,
        trainprint::model::Duration::Compute {
            workload: trainprint::model::Workload::Llm,
            mfu: Some(m),
            ..
        } if m == 0.4
    ));
}

#[test]
fn the_built_in_utilisation_table_loads_and_refuses_bad_entries() {
    use trainprint::persist::utilization;
    let t = trainprint::persist::presets::utilization().unwrap_or_else(|e| panic!("{e}"));
    assert!(t.rule().is_some());
    let text = trainprint::persist::presets::UTILIZATION_RON;
    let bad = text.replacen("mfu: 0.403", "mfu: 1.403", 1);
    assert_ne!(bad, text);
    let msg = utilization::parse(&bad, Path::new("u.ron"))
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("must be greater than 0 and at most 1"),
        "{msg}"
    );
    let newer = text.replacen("version: 1", "version: 7", 1);
    assert!(
        utilization::parse(&newer, Path::new("u.ron"))
            .unwrap_err()
            .to_string()
            .contains("newer Trainprint")
    );
}

#[test]
fn workspace_v5_fixture_with_measured_runs_loads_compares_and_round_trips() {
    use trainprint::engine::actual_entry::{EntryError, entry_outcome};
    use trainprint::model::MeasuredSource;
    let ws =
        workspace::load(&fixture("workspace-v5-measured.ron")).unwrap_or_else(|e| panic!("{e}"));
    let cat = workspace::effective_catalogue(&catalogue(), &ws);
    assert_eq!(ws.measured.len(), 2);
    let m = &ws.measured[0];
    assert_eq!(m.run.source, MeasuredSource::NvidiaSmi);
    assert_eq!(m.file, "nvidia-smi-units.csv");
    assert_eq!(m.against, Some(ws.plans[0].id));
    assert_eq!(m.run.tokens, Some(30_000.0));
    let est: Vec<_> = ws
        .plans
        .iter()
        .map(|p| trainprint::engine::estimate(p, &cat).unwrap())
        .collect();
    let out = entry_outcome(m, &ws, &cat, |i| est.get(i));
    assert_eq!(out.plan, Some(0));
    let cmp = out.comparison.unwrap();
    // 2481 J of the two boards x the plan's PUE 1.2 x 50 g/kWh = 4.135e-5 kg.
    assert!((cmp.measured_co2e_kg - 2481.0 / 3.6e6 * 1.2 * 0.05).abs() < 1e-15);
    assert!((cmp.planned_co2e_kg - est[0].total_co2e_kg).abs() < 1e-15);
    // The CodeCarbon run is compared with nothing yet.
    let out = entry_outcome(&ws.measured[1], &ws, &cat, |i| est.get(i));
    assert_eq!(out.comparison, Err(EntryError::NoPlan));
    assert_eq!(ws.measured[1].run.co2e_kg, Some(0.0000017263971037045388));
    // It round-trips, and a workspace without measured runs writes no `measured` field.
    let dir = temp_dir("v5");
    let path = dir.join("ws.ron");
    workspace::save(&path, &ws, false).unwrap();
    assert_eq!(workspace::load(&path).unwrap(), ws);
    let mut bare = ws.clone();
    bare.measured.clear();
    assert!(!workspace::to_text(&bare).unwrap().contains("measured: ["));
    assert!(workspace::to_text(&ws).unwrap().contains("measured: ["));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn measured_runs_in_an_older_version_or_with_bad_values_are_refused() {
    let text = std::fs::read_to_string(fixture("workspace-v5-measured.ron")).unwrap();
    let older = text.replace("version: 5", "version: 4");
    let msg = workspace::parse(&older, Path::new("old.ron"))
        .unwrap_err()
        .to_string();
    assert!(msg.contains("need workspace version 5"), "{msg}");
    let bad = text.replace("intensity_g_per_kwh: 50.0", "intensity_g_per_kwh: -5.0");
    assert_ne!(bad, text);
    let msg = workspace::parse(&bad, Path::new("bad.ron"))
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("measured run 1") && msg.contains("intensity_g_per_kwh"),
        "{msg}"
    );
    let unknown = text.replace(
        "file: \"codecarbon-3.3.2.csv\"",
        "file: \"c.csv\", colour: 3",
    );
    assert!(workspace::parse(&unknown, Path::new("u.ron")).is_err());
}
