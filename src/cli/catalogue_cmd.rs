//! `trainprint catalogue list` and `trainprint catalogue validate`.

use super::{CliError, Kind, ListArgs, ListFormat};
use crate::model::Precision;
use crate::persist::catalogue;
use crate::units;
use std::io::Write;
use std::path::Path;

pub(super) fn list(args: &ListArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let c = super::presets()?;
    match (args.kind, args.format) {
        (Kind::Accelerators, ListFormat::Json) => {
            let v = serde_json::json!({ "accelerators": c.accelerators() });
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&v).unwrap_or_default()
            )?;
        }
        (Kind::Regions, ListFormat::Json) => {
            let v = serde_json::json!({ "regions": c.regions() });
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&v).unwrap_or_default()
            )?;
        }
        (Kind::Accelerators, ListFormat::Table) => {
            writeln!(
                out,
                "{:<26} {:<34} {:>6} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}  source year",
                "id", "name", "TDP W", "mem GB", "FP32", "TF32", "BF16", "FP16", "FP8"
            )?;
            for a in c.accelerators() {
                let peak = |p: Precision| {
                    a.peak_tflops
                        .get(p)
                        .map(|v| units::sig(v, 4))
                        .unwrap_or_else(|| "—".into())
                };
                writeln!(
                    out,
                    "{:<26} {:<34} {:>6} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}  {}",
                    a.id,
                    truncate(&a.name, 34),
                    a.tdp_watts
                        .map(|t| units::sig(t, 4))
                        .unwrap_or_else(|| "—".into()),
                    units::sig(a.memory_gb, 4),
                    peak(Precision::Fp32),
                    peak(Precision::Tf32),
                    peak(Precision::Bf16),
                    peak(Precision::Fp16),
                    peak(Precision::Fp8),
                    a.data_year
                )?;
            }
            writeln!(
                out,
                "\nPeak TFLOP/s are dense (no sparsity). Sources: `--format json`."
            )?;
        }
        (Kind::Regions, ListFormat::Table) => {
            writeln!(
                out,
                "{:<26} {:<40} {:>10} {:>5} {:>6} {:>6}",
                "id", "name", "gCO2e/kWh", "year", "PUE", "WUE"
            )?;
            for r in c.regions() {
                let opt =
                    |x: Option<f64>| x.map(|v| units::sig(v, 4)).unwrap_or_else(|| "—".into());
                writeln!(
                    out,
                    "{:<26} {:<40} {:>10} {:>5} {:>6} {:>6}",
                    r.id,
                    truncate(&r.name, 40),
                    units::sig(r.intensity_g_per_kwh, 4),
                    r.intensity_year,
                    opt(r.pue),
                    opt(r.wue_l_per_kwh)
                )?;
            }
            writeln!(
                out,
                "\nIntensities are lifecycle annual averages. Sources: `--format json`."
            )?;
        }
    }
    Ok(())
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

pub(super) fn validate(path: &Path, out: &mut dyn Write) -> Result<(), CliError> {
    let file = catalogue::load(path)?;
    writeln!(
        out,
        "{}: valid catalogue with {} accelerators and {} regions",
        path.display(),
        file.catalogue.accelerators().len(),
        file.catalogue.regions().len()
    )?;
    Ok(())
}
