//! CodeCarbon's `emissions.csv`: one row per tracked run. Columns are found by name, so columns that other
//! versions add, drop or reorder still read; `duration`, `emissions` and `energy_consumed` are required.
//!
//! Checked against files written by CodeCarbon 3.3.2 and 2.3.4 (`tests/fixtures/measured/`, made with
//! `make_codecarbon.py`). Units as CodeCarbon documents them: `duration` in seconds, `emissions` in kg CO2e,
//! `energy_consumed` and `cpu_/gpu_/ram_energy` in kWh, `pue` the PUE CodeCarbon multiplied into every energy (it
//! defaults to 1.0; both checked versions apply it in `_do_measurements`).

use super::error::{
    MeasuredError, MeasuredErrorKind, bad_value, first_line, non_negative, shorten,
};
use crate::model::{MeasuredRun, MeasuredSource};
use std::path::Path;

const REQUIRED: [&str; 3] = ["duration", "emissions", "energy_consumed"];

/// True for a header line with CodeCarbon's required columns.
pub fn is_header(line: &str) -> bool {
    let names: Vec<&str> = line.split(',').map(str::trim).collect();
    REQUIRED.iter().all(|r| names.contains(r))
}

/// Every run (row) of an `emissions.csv`.
///
/// ```
/// use std::path::Path;
/// use trainprint::persist::measured::codecarbon;
/// let text = "run_id,duration,emissions,energy_consumed,gpu_count,gpu_energy,pue\nr1,3600,0.05,1.2,2,0.8,1.0\n";
/// let runs = codecarbon::parse(text, Path::new("emissions.csv"))?;
/// assert_eq!(runs[0].duration_h, 1.0);
/// assert_eq!(runs[0].co2e_kg, Some(0.05));
/// // 0.8 kWh over 2 GPUs x 1 h is 400 W per GPU.
/// assert_eq!(runs[0].avg_power_w, Some(400.0));
/// # Ok::<(), trainprint::persist::measured::MeasuredError>(())
/// ```
pub fn parse(text: &str, path: &Path) -> Result<Vec<MeasuredRun>, MeasuredError> {
    let Some((header_line, first)) = first_line(text) else {
        return Err(MeasuredError::at(path, 1, MeasuredErrorKind::Empty));
    };
    let names: Vec<String> = first.split(',').map(|s| s.trim().to_owned()).collect();
    for r in REQUIRED {
        if !names.iter().any(|n| n == r) {
            let why = format!(
                "the header has no '{r}' column (it reads '{}')",
                shorten(first)
            );
            return Err(MeasuredError::at(
                path,
                header_line,
                MeasuredErrorKind::NotThisFormat {
                    expected: MeasuredSource::CodeCarbon,
                    why,
                },
            ));
        }
    }
    let col = |name: &str| names.iter().position(|n| n == name);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut runs = Vec::new();
    let mut last_line = header_line;
    for rec in reader.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(last_line + 1, |p| p.line() as usize);
            MeasuredError::at(path, line, MeasuredErrorKind::Truncated(e.to_string()))
        })?;
        let line = rec.position().map_or(last_line + 1, |p| p.line() as usize);
        last_line = line;
        if rec.iter().all(str::is_empty) {
            continue;
        }
        if rec.len() != names.len() {
            return Err(MeasuredError::at(
                path,
                line,
                MeasuredErrorKind::Truncated(format!(
                    "the row has {} of the header's {} columns",
                    rec.len(),
                    names.len()
                )),
            ));
        }
        let text_of = |name: &str| -> Option<String> {
            col(name)
                .and_then(|i| rec.get(i))
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let required =
            |name: &str| non_negative(path, line, name, text_of(name).as_deref().unwrap_or(""));
        let optional = |name: &str| -> Result<Option<f64>, MeasuredError> {
            match text_of(name) {
                None => Ok(None),
                Some(v) => non_negative(path, line, name, &v).map(Some),
            }
        };
        let duration_s = required("duration")?;
        let emissions = required("emissions")?;
        let energy = required("energy_consumed")?;
        let pue = optional("pue")?;
        if let Some(p) = pue
            && p < 1.0
        {
            return Err(bad_value(
                path,
                line,
                "pue",
                &p.to_string(),
                "must be at least 1",
            ));
        }
        let gpu_count = match optional("gpu_count")? {
            None => 0,
            Some(n) if n.fract() == 0.0 && n <= f64::from(u32::MAX) => n as u32,
            Some(n) => {
                return Err(bad_value(
                    path,
                    line,
                    "gpu_count",
                    &n.to_string(),
                    "is not a whole number",
                ));
            }
        };
        let gpu_energy = optional("gpu_energy")?;
        let duration_h = duration_s / 3600.0;
        let run_id = text_of("run_id")
            .or_else(|| text_of("experiment_id"))
            .unwrap_or_else(|| format!("row {line}"));
        let mut run = MeasuredRun::new(MeasuredSource::CodeCarbon, run_id, duration_h, energy);
        run.tool_version = text_of("codecarbon_version");
        run.started = text_of("timestamp");
        run.co2e_kg = Some(emissions);
        run.pue = pue;
        run.accelerators = gpu_count;
        run.accelerator_model = text_of("gpu_model");
        run.avg_power_w = match gpu_energy {
            Some(e) if gpu_count > 0 && duration_h > 0.0 => {
                Some(e / pue.unwrap_or(1.0) / (f64::from(gpu_count) * duration_h) * 1000.0)
            }
            _ => None,
        };
        run.country = text_of("country_iso_code").or_else(|| text_of("country_name"));
        run.region = text_of("region");
        run.cloud_provider = text_of("cloud_provider");
        run.cloud_region = text_of("cloud_region");
        run.validate().map_err(|e| {
            bad_value(
                path,
                line,
                e.field,
                &e.value.to_string(),
                format!("must be {}", e.rule),
            )
        })?;
        runs.push(run);
    }
    if runs.is_empty() {
        return Err(MeasuredError::at(
            path,
            header_line + 1,
            MeasuredErrorKind::NoRuns("the file has a header but no rows".into()),
        ));
    }
    Ok(runs)
}
