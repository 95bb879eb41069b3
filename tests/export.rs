//! Exports: snapshots of every text format for the example workspaces (reviewed by hand; numbers checked against
//! the engine below), PNG and SVG charts that decode, have the requested size, are not blank and carry the plan
//! names and units, and the `trainprint export` command.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use std::path::{Path, PathBuf};
use std::process::Command;
use trainprint::engine::estimate;
use trainprint::export::charts::{self, Chart};
use trainprint::export::date::Date;
use trainprint::export::report::Report;
use trainprint::export::{self, Format, Options, json, markdown, methods, model_card, table};
use trainprint::model::{Catalogue, Workspace};
use trainprint::persist::{presets, workspace};

/// A fixed date, so snapshots do not change with the calendar.
const DATE: Date = Date {
    year: 2026,
    month: 1,
    day: 15,
};

fn example(key: &str) -> (Workspace, Catalogue) {
    let ws = presets::example(key).unwrap().unwrap();
    let cat = workspace::effective_catalogue(&presets::catalogue().unwrap(), &ws);
    (ws, cat)
}

fn temp(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("trainprint-export-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

#[test]
fn text_exports_of_every_example_match_their_snapshots() {
    for ex in presets::EXAMPLES {
        let (ws, cat) = example(ex.key);
        let report = Report::new(&ws, &cat, DATE).unwrap();
        insta::assert_snapshot!(format!("{}.csv", ex.key), table::csv(&report));
        insta::assert_snapshot!(format!("{}.md", ex.key), markdown::markdown(&report));
        insta::assert_snapshot!(format!("{}.json", ex.key), json::json(&report));
        insta::assert_snapshot!(format!("{}.bib", ex.key), methods::bibtex(&report));
        insta::assert_snapshot!(
            format!("{}.yaml", ex.key),
            model_card::yaml(&report, report.baseline, "pre-training")
        );
    }
}

#[test]
fn exported_numbers_are_the_engines() {
    for ex in presets::EXAMPLES {
        let (ws, cat) = example(ex.key);
        let report = Report::new(&ws, &cat, DATE).unwrap();
        let doc: serde_json::Value = serde_json::from_str(&json::json(&report)).unwrap();
        let plans = doc["plans"].as_array().unwrap();
        assert_eq!(plans.len(), ws.plans.len());
        let csv_text = table::csv(&report);
        let mut csv = csv::Reader::from_reader(csv_text.as_bytes());
        let headers = csv.headers().unwrap().clone();
        let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
        let rows: Vec<csv::StringRecord> = csv.records().map(|r| r.unwrap()).collect();
        for (i, plan) in ws.plans.iter().enumerate() {
            let e = estimate(plan, &cat).unwrap();
            let p = &plans[i];
            assert_eq!(p["name"], plan.name.as_str());
            assert_eq!(
                p["total_co2e_kg"].as_f64().unwrap(),
                e.total_co2e_kg,
                "{}",
                plan.name
            );
            assert_eq!(
                p["facility_energy_kwh"].as_f64().unwrap(),
                e.facility_energy_kwh
            );
            assert_eq!(
                p["accelerator_hours"].as_f64().unwrap(),
                e.accelerator_hours
            );
            assert_eq!(p["inputs"]["accelerator"], plan.accelerator.as_str());
            let parse = |c: &str| rows[i].get(col(c)).unwrap().parse::<f64>().unwrap();
            assert_eq!(parse("Total CO2e (kg)"), e.total_co2e_kg);
            assert_eq!(parse("Facility energy (kWh)"), e.facility_energy_kwh);
            assert_eq!(parse("IT energy (kWh)"), e.it_energy_kwh);
            assert_eq!(parse("PUE"), e.pue);
        }
        // The model card's emissions are the baseline's total in grams.
        let yaml = model_card::yaml(&report, report.baseline, "pre-training");
        let grams = (report.plans[report.baseline].estimate.total_co2e_kg * 1000.0).round();
        assert!(yaml.contains(&format!("  emissions: {grams}\n")), "{yaml}");
    }
}

#[test]
fn the_llama_markdown_reproduces_the_published_table() {
    let (ws, cat) = example("llama-65b");
    let md = markdown::markdown(&Report::new(&ws, &cat, DATE).unwrap());
    // Touvron et al. 2023, Table 15: 65B = 449 MWh, 173 tCO2e.
    assert!(md.contains("| LLaMA-65B | nvidia-a100-sxm4-80gb | 1022362 | 408.9 MWh | 1.1 | 449.8 MWh | 385 | 173.2 tCO2e |"), "{md}");
}

#[test]
fn the_bibtex_is_well_formed_and_cites_only_what_is_used() {
    let (ws, cat) = example("a100-vs-h100");
    let report = Report::new(&ws, &cat, DATE).unwrap();
    let bib = methods::bibtex(&report);
    // Balanced braces and one entry per reference.
    let opens = bib.matches('{').count();
    assert_eq!(opens, bib.matches('}').count());
    let keys: Vec<&str> = methods::references(&report).iter().map(|r| r.key).collect();
    assert!(
        keys.contains(&"kaplan2020scaling"),
        "6·N·D plans cite Kaplan et al."
    );
    assert!(keys.contains(&"electricitymaps2023"));
    assert!(
        !keys.contains(&"uptime2024survey"),
        "no default PUE was used"
    );
    for k in &keys {
        assert!(bib.contains(&format!("{{{k},")), "{k}");
    }
    let para = methods::paragraph(&report);
    for k in &keys {
        assert!(para.contains(k), "the paragraph cites {k}");
    }
    // A grid without provider PUE pulls in the Uptime default and cites it.
    let (ws, cat) = example("virginia-vs-quebec");
    let report = Report::new(&ws, &cat, DATE).unwrap();
    assert!(
        methods::references(&report)
            .iter()
            .any(|r| r.key == "uptime2024survey")
    );
    assert!(methods::paragraph(&report).contains("1.56"));
}

#[test]
fn png_charts_decode_at_the_requested_size_and_are_not_blank() {
    let (ws, cat) = example("fp32-vs-mixed-precision");
    let report = Report::new(&ws, &cat, DATE).unwrap();
    let dir = temp("png");
    std::fs::create_dir_all(&dir).unwrap();
    for (chart, (w, h)) in
        Chart::ALL
            .into_iter()
            .zip([(1600, 900), (800, 600), (1200, 500), (2400, 1350)])
    {
        let path = dir.join(format!("{}.png", chart.stem()));
        charts::png(&report, chart, w, h, &path).unwrap();
        let img = image::open(&path).unwrap().to_rgb8();
        assert_eq!(img.dimensions(), (w, h), "{chart:?}");
        let white = img.pixels().filter(|p| p.0 == [255, 255, 255]).count();
        let total = (w * h) as usize;
        assert!(white < total * 98 / 100, "{chart:?} is blank");
        // The plan colours are painted (the first plan's Okabe–Ito blue).
        let [r, g, b] = trainprint::palette::plan(0);
        assert!(
            img.pixels().any(|p| p.0 == [r, g, b]),
            "{chart:?} lacks the first plan's colour"
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn svg_charts_parse_as_xml_and_carry_plan_names_and_units() {
    let (ws, cat) = example("a100-vs-h100");
    let report = Report::new(&ws, &cat, DATE).unwrap();
    // The four plan charts (the per-plan planning charts are checked in the test after this one).
    for chart in [
        Chart::Totals,
        Chart::Breakdown,
        Chart::OverTime,
        Chart::Sensitivity,
    ] {
        let svg = charts::svg(&report, chart, 1600, 900).unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{chart:?}: {e}"));
        assert_eq!(doc.root_element().tag_name().name(), "svg");
        let text: String = doc
            .descendants()
            .filter(|n| n.is_text())
            .map(|n| n.text().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
        for p in &ws.plans {
            assert!(text.contains(&p.name), "{chart:?} lacks {}", p.name);
        }
        let unit = match chart {
            Chart::Totals | Chart::Breakdown | Chart::OverTime => "(MWh)",
            _ => "(gCO2e/kWh)",
        };
        assert!(text.contains(unit), "{chart:?} lacks unit {unit}");
        assert!(text.contains("tCO2e"), "{chart:?} lacks the CO2e unit");
        assert!(
            text.contains("Trainprint 0.1.0 · 2026-01-15"),
            "{chart:?} lacks the footnote"
        );
    }
}

#[test]
fn export_writes_every_format_with_stable_names() {
    let (ws, cat) = example("llama-65b");
    let report = Report::new(&ws, &cat, DATE).unwrap();
    let dir = temp("all");
    let mut seen = Vec::new();
    let written = export::export(&report, &Options::default(), &dir, |p| {
        seen.push(p.to_path_buf())
    })
    .unwrap();
    let names: Vec<String> = written
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let expected: Vec<String> = Format::ALL
        .into_iter()
        .flat_map(export::file_names)
        .collect();
    assert_eq!(names, expected);
    assert_eq!(seen, written, "progress saw every file");
    for p in &written {
        assert!(std::fs::metadata(p).unwrap().len() > 100, "{}", p.display());
    }
    // No temporary files are left behind.
    let all: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert_eq!(all.len(), written.len());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn bad_sizes_formats_and_destinations_are_refused() {
    let (ws, cat) = example("a100-vs-h100");
    let report = Report::new(&ws, &cat, DATE).unwrap();
    let opts = Options {
        width: 10,
        ..Options::default()
    };
    assert!(matches!(
        export::export(&report, &opts, &temp("x"), |_| {}),
        Err(export::ExportError::BadSize(10, 900))
    ));
    assert!(export::parse_formats("csv,pdf").is_err());
    assert_eq!(
        export::parse_formats("svg,csv,csv").unwrap(),
        vec![Format::Csv, Format::Svg]
    );
    let file = temp("file");
    std::fs::write(&file, "not a directory").unwrap();
    let err = export::export(&report, &Options::default(), &file, |_| {}).unwrap_err();
    assert!(err.to_string().contains("not a directory"), "{err}");
    let _ = std::fs::remove_file(file);
}

fn trainprint(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_trainprint"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_export_command_prints_each_path_and_fails_cleanly() {
    let ws = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/presets/examples/virginia-vs-quebec.ron"
    );
    let dir = temp("cli");
    let out = trainprint(&[
        "export",
        ws,
        "--out",
        dir.to_str().unwrap(),
        "--formats",
        "csv,md,png",
        "--width",
        "800",
        "--height",
        "450",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let paths: Vec<&str> = stdout.lines().collect();
    assert_eq!(paths.len(), 2 + Chart::ALL.len());
    for p in &paths {
        assert!(Path::new(p).exists(), "{p}");
    }
    let img = image::open(dir.join("chart-totals.png")).unwrap();
    assert_eq!((img.width(), img.height()), (800, 450));
    let fail = |args: &[&str], needle: &str| {
        let out = trainprint(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.contains(needle), "{args:?}: {err}");
    };
    fail(
        &[
            "export",
            ws,
            "--out",
            dir.to_str().unwrap(),
            "--formats",
            "csv,docx",
        ],
        "--formats",
    );
    fail(
        &["export", ws, "--out", dir.to_str().unwrap(), "--width", "5"],
        "out of range",
    );
    let file = dir.join("summary.csv");
    fail(
        &["export", ws, "--out", file.to_str().unwrap()],
        "not a directory",
    );
    fail(
        &[
            "export",
            ws,
            "--out",
            dir.to_str().unwrap(),
            "--plan",
            "Mars",
        ],
        "--plan",
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_files_rendered_in_memory_are_the_files_written_to_a_folder() {
    // The browser downloads what `render` makes; the desktop writes the same bytes to a folder.
    let (ws, cat) = example("a100-vs-h100");
    let report = Report::new(&ws, &cat, DATE).unwrap();
    let opts = Options {
        width: 640,
        height: 400,
        ..Options::default()
    };
    let dir = temp("memory");
    let written = export::export(&report, &opts, &dir, |_| {}).unwrap();
    let items = export::items(&opts);
    assert_eq!(items.len(), written.len());
    for (item, path) in items.into_iter().zip(&written) {
        assert_eq!(
            path.file_name().unwrap().to_string_lossy(),
            item.file_name()
        );
        let bytes = export::render(&report, &opts, item).unwrap();
        assert_eq!(bytes, std::fs::read(path).unwrap(), "{}", item.file_name());
    }
    // A PNG from memory decodes to the asked size.
    let png = export::render(
        &report,
        &opts,
        export::Item {
            format: Format::Png,
            chart: Some(Chart::ALL[0]),
        },
    )
    .unwrap();
    let img = image::load_from_memory(&png).unwrap();
    assert_eq!((img.width(), img.height()), (640, 400));
    let _ = std::fs::remove_dir_all(dir);
}

/// A little-endian integer at `at`.
fn le(b: &[u8], at: usize, n: usize) -> u64 {
    (0..n).fold(0, |v, k| v | u64::from(b[at + k]) << (8 * k))
}

#[test]
fn an_export_zip_holds_each_file_whole_where_its_directory_says() {
    use trainprint::export::zip;
    let files = vec![
        ("summary.csv".to_owned(), b"plan,kg\nA,1\n".to_vec()),
        ("chart-totals.svg".to_owned(), b"<svg/>".to_vec()),
    ];
    let z = zip::archive(&files, DATE).unwrap();
    // Hand-counted layout (APPNOTE 4.3): a 30-byte local header + name + data per file, then a 46-byte central
    // header + name per file, then the 22-byte end record.
    let local: usize = files.iter().map(|(n, d)| 30 + n.len() + d.len()).sum();
    let central: usize = files.iter().map(|(n, _)| 46 + n.len()).sum();
    assert_eq!(z.len(), local + central + 22);
    let end = z.len() - 22;
    assert_eq!(le(&z, end, 4), 0x0605_4B50);
    assert_eq!(le(&z, end + 10, 2), 2, "two entries");
    assert_eq!(le(&z, end + 12, 4) as usize, central);
    assert_eq!(le(&z, end + 16, 4) as usize, local);
    // Each central entry points at its local header, whose data is the file, with its CRC-32 and size.
    let mut at = local;
    for (name, data) in &files {
        assert_eq!(le(&z, at, 4), 0x0201_4B50);
        assert_eq!(le(&z, at + 10, 2), 0, "stored");
        assert_eq!(le(&z, at + 14, 2), 0x5C2F, "2026-01-15 as a DOS date");
        assert_eq!(le(&z, at + 16, 4), u64::from(zip::crc32(data)));
        assert_eq!(le(&z, at + 24, 4) as usize, data.len());
        let off = le(&z, at + 42, 4) as usize;
        assert_eq!(&z[at + 46..at + 46 + name.len()], name.as_bytes());
        assert_eq!(le(&z, off, 4), 0x0403_4B50);
        let start = off + 30 + name.len();
        assert_eq!(&z[start..start + data.len()], &data[..]);
        at += 46 + name.len();
    }
    // "123456789" is CRC-32's published check value.
    assert_eq!(zip::crc32(b"123456789"), 0xCBF4_3926);
}
