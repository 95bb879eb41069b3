//! Fuzzing without a nightly toolchain: a seeded mutation fuzzer over the RON loaders (workspace, catalogue) and a
//! grammar-based generator over the command-line-to-estimate path. Every generated input must be answered with a
//! value or a typed error, never a panic. The seed corpus lives in `tests/fuzz-corpus/`.
//!
//! `cargo test --test fuzz` runs a short campaign; `TRAINPRINT_FUZZ_ITERS=1000000 cargo test --release --test fuzz`
//! runs a million inputs per target (CI runs a shorter one). A panicking input is written to
//! `target/fuzz-crashes/` and the test fails naming it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use trainprint::engine::{compare, estimate};
use trainprint::persist::{catalogue, presets, workspace};

/// SplitMix64: a tiny, well-known seeded generator (Steele, Lea & Flood 2014), so runs are reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

fn iterations(default: usize) -> usize {
    std::env::var("TRAINPRINT_FUZZ_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "the seed corpus is missing");
    files
        .into_iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

/// Tokens that steer mutations into the grammar's corners.
const TOKENS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "Some(",
    "None",
    "NaN",
    "inf",
    "-inf",
    "-1",
    "0",
    "1e308",
    "-0.0",
    "4294967296",
    "18446744073709551616",
    "#![enable(implicit_some)]",
    "format",
    "version",
    "plans",
    "name",
    "accelerator",
    "count",
    "duration",
    "WallHours(",
    "AcceleratorHours(",
    "Compute(",
    "Flops(",
    "ParamsTokens(",
    "power",
    "Watts(",
    "Tdp(",
    "utilization",
    "mfu",
    "precision",
    "fp8",
    "bf16",
    "region",
    "pue",
    "runs",
    "embodied",
    "host",
    "price",
    "RegionElectricity",
    "UsdPerKwh(",
    "catalogue",
    "accelerators",
    "regions",
    "removed_regions",
    "tdp_watts",
    "peak_tflops",
    "intensity_g_per_kwh",
    "cfe_share",
    "baseline",
    "99",
    "\"trainprint-workspace\"",
    "\"trainprint-catalogue\"",
    "/*",
    "*/",
    "//",
    "\n",
    "\\u{0}",
    "é",
    "\u{FEFF}",
];

fn mutate(rng: &mut Rng, input: &[u8], other: &[u8]) -> Vec<u8> {
    let mut v = input.to_vec();
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        let len = v.len();
        match rng.below(7) {
            0 if len > 0 => {
                let i = rng.below(len);
                v[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                v[i] = *rng.pick(&[
                    0u8, b'(', b')', b'"', b',', b'-', b'9', b'.', b'e', 0xff, b'\\',
                ]);
            }
            2 if len > 1 => {
                let a = rng.below(len);
                let b = (a + 1 + rng.below(64)).min(len);
                v.drain(a..b);
            }
            3 if len > 1 => {
                let a = rng.below(len);
                let b = (a + 1 + rng.below(64)).min(len);
                let chunk = v[a..b].to_vec();
                let at = rng.below(v.len());
                v.splice(at..at, chunk);
            }
            4 => {
                let at = rng.below(len + 1);
                let t = rng.pick(TOKENS).as_bytes().to_vec();
                v.splice(at..at, t);
            }
            5 if !other.is_empty() && len > 0 => {
                // Splice: our head, the other input's tail.
                let a = rng.below(len);
                let b = rng.below(other.len());
                v.truncate(a);
                v.extend_from_slice(&other[b..]);
            }
            _ if len > 0 => {
                // Replace a number-looking run with an extreme value.
                let i = rng.below(len);
                if let Some(start) = (i..len).find(|&j| v[j].is_ascii_digit()) {
                    let end = (start..len)
                        .find(|&j| !(v[j].is_ascii_digit() || v[j] == b'.'))
                        .unwrap_or(len);
                    let t = rng.pick(&[
                        "0",
                        "-1",
                        "1e308",
                        "NaN",
                        "inf",
                        "0.0000001",
                        "4294967295",
                        "999999999999",
                    ]);
                    v.splice(start..end, t.bytes());
                }
            }
            _ => {}
        }
    }
    v
}

fn save_crash(kind: &str, n: usize, data: &[u8]) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-crashes");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(format!("{kind}-{n}.bin"));
    std::fs::write(&p, data).unwrap();
    p
}

/// Loads text as a workspace and as a catalogue; whatever loads is then estimated end to end.
fn exercise(text: &str, presets_cat: &trainprint::model::Catalogue) {
    let path = Path::new("fuzz.ron");
    if let Ok(ws) = workspace::parse(text, path) {
        let cat = workspace::effective_catalogue(presets_cat, &ws);
        let cmp = compare(&ws.plans, ws.baseline_index(), &cat);
        for i in 0..ws.plans.len() {
            let _ = cmp.co2e_delta_pct(i);
        }
        for p in &ws.plans {
            let _ = trainprint::engine::derivation::derive(p, &cat, Default::default());
        }
        let _ = trainprint::export::summary::summaries(&ws.plans, ws.baseline_index(), &cat);
        let _ = workspace::to_text(&ws);
    }
    if let Ok(c) = catalogue::parse(text, path) {
        let _ = catalogue::to_text(&c.intensity_basis, &c.catalogue);
        let ws = presets::example("a100-vs-h100").unwrap().unwrap();
        let _ = compare(&ws.plans, 0, &c.catalogue);
    }
}

#[test]
fn ron_loaders_never_panic() {
    let presets_cat = presets::catalogue().unwrap();
    let corpus = corpus();
    // Every seed must load or fail cleanly too.
    for (_, data) in &corpus {
        exercise(&String::from_utf8_lossy(data), &presets_cat);
    }
    let iters = iterations(20_000);
    let mut rng = Rng(0x7261_696e_7072_696e);
    let mut loaded = 0usize;
    for n in 0..iters {
        let (_, a) = rng.pick(&corpus);
        let (_, b) = rng.pick(&corpus);
        let input = mutate(&mut rng, a, b);
        let text = String::from_utf8_lossy(&input).into_owned();
        let result = catch_unwind(AssertUnwindSafe(|| exercise(&text, &presets_cat)));
        if result.is_err() {
            let p = save_crash("ron", n, &input);
            panic!("input {n} panicked the loaders: saved to {}", p.display());
        }
        if workspace::parse(&text, Path::new("x")).is_ok() {
            loaded += 1;
        }
    }
    // The campaign must reach the engine, not only the parser's error paths.
    assert!(
        loaded > iters / 100,
        "only {loaded} of {iters} mutated inputs loaded as workspaces"
    );
    println!("{iters} mutated RON inputs, {loaded} loaded as workspaces, no panic");
}

const ACCELERATORS: &[&str] = &[
    "nvidia-a100-sxm4-40gb",
    "nvidia-h100-sxm",
    "google-tpu-v5e",
    "google-tpu-v4",
    "nope",
    "",
];
const REGIONS: &[&str] = &[
    "aws-us-east-1",
    "fr",
    "gcp-us-central1",
    "ca-quebec",
    "mars",
    "",
];
const NUMBERS: &[&str] = &[
    "0",
    "1",
    "8",
    "-1",
    "0.5",
    "1.5",
    "1e308",
    "-1e308",
    "NaN",
    "inf",
    "-inf",
    "1e-320",
    "4294967295",
    "4294967296",
    "abc",
    "",
    "0x10",
    "1_000",
    "120",
    "400",
    "350",
    "1.2",
    "7e9",
    "1e12",
    "3.14e23",
];
const FLAGS: &[&str] = &[
    "--accelerator",
    "--count",
    "--hours",
    "--accelerator-hours",
    "--flops",
    "--params",
    "--tokens",
    "--precision",
    "--mfu",
    "--workload",
    "--tokens-per-second",
    "--watts",
    "--utilization",
    "--pue",
    "--region",
    "--intensity",
    "--runs",
    "--embodied",
    "--embodied-kg",
    "--lifetime-years",
    "--host-cpu-watts",
    "--host-memory-gb",
    "--host-memory-w-per-gb",
    "--accelerators-per-host",
    "--price-per-kwh",
    "--price-per-hour",
    "--format",
    "--name",
];

/// A command line shaped like a real one (a duration, power, grid, optional terms), with values that are usually
/// plausible and sometimes extreme or garbage, plus now and then a stray flag.
fn random_args(rng: &mut Rng) -> Vec<String> {
    let mut args: Vec<String> = vec!["trainprint".into(), "estimate".into()];
    let value = |rng: &mut Rng, good: &[&str]| -> String {
        if rng.below(10) < 7 {
            rng.pick(good).to_string()
        } else {
            rng.pick(NUMBERS).to_string()
        }
    };
    let push = |args: &mut Vec<String>, flag: &str, v: String| {
        args.push(flag.into());
        args.push(v);
    };
    let acc = if rng.below(10) < 9 {
        rng.pick(&ACCELERATORS[..4])
    } else {
        rng.pick(ACCELERATORS)
    };
    push(&mut args, "--accelerator", acc.to_string());
    let precision = |rng: &mut Rng| {
        rng.pick(&["fp32", "tf32", "bf16", "fp16", "fp8", "fp64"])
            .to_string()
    };
    match rng.below(5) {
        4 => {
            push(
                &mut args,
                "--tokens",
                value(rng, &["1e12", "1.4e12", "2.6e10"]),
            );
            push(
                &mut args,
                "--tokens-per-second",
                value(rng, &["3000", "10000", "45000"]),
            );
            if rng.below(2) == 0 {
                push(&mut args, "--params", value(rng, &["7e9", "1.3e9"]));
                push(&mut args, "--precision", precision(rng));
            }
            push(&mut args, "--count", value(rng, &["8", "64"]));
        }
        0 => {
            push(&mut args, "--count", value(rng, &["1", "8", "64", "2048"]));
            push(&mut args, "--hours", value(rng, &["1", "24", "120", "336"]));
        }
        1 => {
            push(
                &mut args,
                "--accelerator-hours",
                value(rng, &["960", "82432", "1022362"]),
            );
            if rng.below(2) == 0 {
                push(&mut args, "--count", value(rng, &["8", "2048"]));
            }
        }
        2 => {
            push(
                &mut args,
                "--flops",
                value(rng, &["1e20", "3.14e23", "4.2e22"]),
            );
            push(&mut args, "--precision", precision(rng));
            if rng.below(2) == 0 {
                push(&mut args, "--mfu", value(rng, &["0.3", "0.4", "1"]));
            }
            if rng.below(2) == 0 {
                let w = rng.pick(&["llm", "encoder", "cnn", "rnn"]).to_string();
                push(&mut args, "--workload", w);
            }
            push(&mut args, "--count", value(rng, &["8", "64"]));
        }
        _ => {
            push(
                &mut args,
                "--params",
                value(rng, &["7e9", "6.5e10", "1.3e9"]),
            );
            push(
                &mut args,
                "--tokens",
                value(rng, &["1e12", "1.4e12", "2.6e10"]),
            );
            push(&mut args, "--precision", precision(rng));
            push(&mut args, "--mfu", value(rng, &["0.4", "0.5"]));
        }
    }
    match rng.below(3) {
        0 => push(&mut args, "--watts", value(rng, &["300", "400", "700"])),
        1 => push(&mut args, "--utilization", value(rng, &["0.5", "0.8", "1"])),
        _ => {}
    }
    if rng.below(2) == 0 {
        push(&mut args, "--region", rng.pick(REGIONS).to_string());
    } else {
        push(&mut args, "--intensity", value(rng, &["0", "350", "500"]));
    }
    for (flag, good) in [
        ("--pue", &["1", "1.1", "1.58"][..]),
        ("--runs", &["1", "3"][..]),
        ("--embodied-kg", &["60", "318"][..]),
        ("--lifetime-years", &["4", "5"][..]),
        ("--host-cpu-watts", &["280"][..]),
        ("--host-memory-gb", &["1024"][..]),
        ("--accelerators-per-host", &["8", "1"][..]),
        ("--price-per-kwh", &["0.1"][..]),
        ("--price-per-hour", &["2.5"][..]),
    ] {
        if rng.below(5) == 0 {
            push(&mut args, flag, value(rng, good));
        }
    }
    if rng.below(5) == 0 {
        args.push("--embodied".into());
    }
    if rng.below(10) == 0 {
        let flag = *rng.pick(FLAGS);
        push(&mut args, flag, rng.pick(NUMBERS).to_string());
    }
    push(
        &mut args,
        "--format",
        rng.pick(&["json", "csv", "md", "table"]).to_string(),
    );
    args
}

#[test]
fn the_command_line_to_estimate_path_never_panics() {
    let iters = iterations(20_000);
    let mut rng = Rng(42);
    let mut estimated = 0usize;
    let mut out = Vec::new();
    let presets_cat = presets::catalogue().unwrap();
    for n in 0..iters {
        let args = random_args(&mut rng);
        let result = catch_unwind(AssertUnwindSafe(|| {
            let Ok(cli) = trainprint::cli::parse(args.clone()) else {
                return false;
            };
            let Some(trainprint::cli::Command::Estimate(a)) = cli.command else {
                return false;
            };
            if let Ok(plan) = trainprint::cli::plan_from_args(&a) {
                let _ = estimate(&plan, &presets_cat);
            }
            out.clear();
            trainprint::cli::run(trainprint::cli::Command::Estimate(a), &mut out).is_ok()
        }));
        match result {
            Ok(true) => estimated += 1,
            Ok(false) => {}
            Err(_) => {
                let p = save_crash("cli", n, args.join("\u{1f}").as_bytes());
                panic!("arguments {args:?} panicked (saved to {})", p.display());
            }
        }
    }
    assert!(
        estimated > iters / 10,
        "only {estimated} of {iters} command lines reached a result"
    );
    println!("{iters} generated command lines, {estimated} estimated, no panic");
}
