//! Carbontracker's log pair: `<id>_carbontracker_output.log` (the totals) and `<id>_carbontracker.log` (the
//! standard log: version, PUE, components, per-epoch durations and average power).
//!
//! The format as Carbontracker writes it (lfwa/carbontracker: `loggerutil.py`, `tracker.py`, and its own reader
//! `parser.py`; the same from 1.2.5 through 2.3.0 in the repository and in 2.4.7, which made the fixture in
//! `tests/fixtures/measured/` with `make_carbontracker.py`): every record starts `YYYY-MM-DD HH:MM:SS - `; the
//! output log's `Actual consumption [for N epoch(s)]:` block gives `Time: H:MM:SS`, `Energy: X kWh` and
//! `CO2eq: X g` (its `Predicted consumption` block is ignored); the energy already includes the PUE that the
//! standard log states (`… multiplied by a PUE coefficient of 1.58 …`); `The following components were found:
//! GPU with device(s) A, B. CPU with device(s) …` lists the GPUs; each epoch logs `Duration: H:MM:SS.ss` and
//! `Average power usage (W) for gpu: …` (one number, a NumPy list `[a b]` with one value per GPU, or `None`
//! when the epoch was too short to measure); `Average carbon intensity during training was X gCO2eq/kWh`
//! (`gCO2/kWh` before 2.4) gives the intensity, with ` at detected location: …` where it found one.

use super::error::{
    MeasuredError, MeasuredErrorKind, bad_value, first_line, non_negative, shorten,
};
use crate::model::{DeviceReading, MeasuredRun, MeasuredSource};
use std::path::{Path, PathBuf};

const OUTPUT_SUFFIX: &str = "_carbontracker_output.log";
const STANDARD_SUFFIX: &str = "_carbontracker.log";

/// The text after a log record's `YYYY-MM-DD HH:MM:SS - ` prefix, or `None` for a continuation line.
fn record(line: &str) -> Option<&str> {
    let b = line.as_bytes();
    let stamped = b.len() >= 22
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b' '
        && b[13] == b':'
        && b[16] == b':'
        && line.get(19..22) == Some(" - ")
        && b[..4].iter().all(u8::is_ascii_digit);
    if stamped { line.get(22..) } else { None }
}

/// True for a Carbontracker log (standard or output): stamped records from Carbontracker.
pub fn looks_like_log(text: &str) -> bool {
    text.lines().filter_map(record).take(5).any(|r| {
        r.starts_with("CarbonTracker:")
            || r.starts_with("carbontracker version")
            || r.starts_with("The following components were found")
    })
}

/// The output and standard logs of the pair `path` belongs to, found by Carbontracker's file names.
pub fn companions(path: &Path, text: &str) -> Result<(PathBuf, PathBuf), MeasuredError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let sibling = |n: String| path.with_file_name(n);
    if let Some(id) = name.strip_suffix(OUTPUT_SUFFIX) {
        Ok((
            path.to_path_buf(),
            sibling(format!("{id}{STANDARD_SUFFIX}")),
        ))
    } else if let Some(id) = name.strip_suffix(STANDARD_SUFFIX) {
        Ok((sibling(format!("{id}{OUTPUT_SUFFIX}")), path.to_path_buf()))
    } else {
        let which = if text.contains(" - CarbonTracker: ") {
            "output"
        } else {
            "standard"
        };
        Err(MeasuredError::whole(
            path,
            MeasuredErrorKind::MissingCompanion {
                which: if which == "output" {
                    "standard"
                } else {
                    "output"
                },
                expected: format!(
                    "a file named like this {which} log: Carbontracker names the pair <id>{OUTPUT_SUFFIX} and <id>{STANDARD_SUFFIX}, and this one is renamed"
                ),
            },
        ))
    }
}

/// Seconds of `H:MM:SS` or `H:MM:SS.ss`.
///
/// ```
/// use trainprint::persist::measured::carbontracker::parse_time;
/// assert_eq!(parse_time("0:02:21.90"), Some(141.9));
/// assert_eq!(parse_time("26:00:09"), Some(93_609.0));
/// assert_eq!(parse_time("0:00"), None);
/// ```
pub fn parse_time(s: &str) -> Option<f64> {
    let mut parts = s.trim().split(':');
    let (h, m, sec) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || m.len() != 2 {
        return None;
    }
    let digits = |x: &str| !x.is_empty() && x.bytes().all(|c| c.is_ascii_digit() || c == b'.');
    if !(digits(h) && digits(m) && digits(sec)) || h.contains('.') || m.contains('.') {
        return None;
    }
    let (h, m, sec): (f64, f64, f64) = (h.parse().ok()?, m.parse().ok()?, sec.parse().ok()?);
    (m < 60.0 && sec < 61.0).then_some(h * 3600.0 + m * 60.0 + sec)
}

/// The GPUs of a `The following components were found: …` record.
fn gpu_devices(rec: &str) -> Option<Vec<String>> {
    let list = rec.split_once("The following components were found:")?.1;
    let mut gpus = Vec::new();
    for part in list.split(". ") {
        let part = part.trim().trim_end_matches('.');
        if let Some((component, devices)) = part.split_once(" with device(s) ")
            && component.trim().eq_ignore_ascii_case("gpu")
        {
            gpus.extend(devices.split(", ").map(|d| d.trim().to_owned()));
        }
    }
    Some(gpus)
}

/// Lines of a text with their 1-based numbers, `\r` trimmed.
fn numbered(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
}

/// A number followed by its unit (`0.0011 kWh`, `0.51 g`), checked against `unit`.
fn value_with_unit(
    path: &Path,
    line: usize,
    label: &str,
    text: &str,
    unit: &'static str,
) -> Result<f64, MeasuredError> {
    let text = text.trim();
    let (number, found) = text.rsplit_once(' ').unwrap_or((text, ""));
    if found != unit {
        if number.trim().parse::<f64>().is_err() || found.is_empty() {
            return Err(MeasuredError::at(
                path,
                line,
                MeasuredErrorKind::Truncated(format!(
                    "'{label}' should read a number and {unit}, not '{}'",
                    shorten(text)
                )),
            ));
        }
        return Err(MeasuredError::at(
            path,
            line,
            MeasuredErrorKind::UnknownUnit {
                column: label.to_owned(),
                unit: shorten(found),
                expected: unit,
            },
        ));
    }
    non_negative(path, line, label, number)
}

/// The totals of the last `Actual consumption` block: (seconds, kWh, g).
fn actual_block(output: &str, path: &Path) -> Result<(f64, f64, f64), MeasuredError> {
    let lines: Vec<(usize, &str)> = numbered(output).collect();
    let Some(start) = lines
        .iter()
        .rposition(|(_, l)| l.trim_start().starts_with("Actual consumption"))
    else {
        let last = lines.last().map_or(1, |(n, _)| *n);
        return Err(MeasuredError::at(
            path,
            last,
            MeasuredErrorKind::NoRuns(
                "no 'Actual consumption' block: Carbontracker writes it when the run stops (tracker.stop() or the last monitored epoch)".into(),
            ),
        ));
    };
    let mut fields = [None; 3];
    const LABELS: [&str; 3] = ["Time:", "Energy:", "CO2eq:"];
    for (k, label) in LABELS.iter().enumerate() {
        let Some(&(n, l)) = lines.get(start + 1 + k) else {
            let n = lines.last().map_or(1, |(n, _)| *n);
            return Err(MeasuredError::at(
                path,
                n,
                MeasuredErrorKind::Truncated(format!(
                    "the 'Actual consumption' block ends before its '{label}' line"
                )),
            ));
        };
        let Some(rest) = l.trim_start().strip_prefix(label) else {
            return Err(MeasuredError::at(
                path,
                n,
                MeasuredErrorKind::Truncated(format!(
                    "expected the block's '{label}' line, found '{}'",
                    shorten(l)
                )),
            ));
        };
        fields[k] = Some(match k {
            0 => parse_time(rest)
                .ok_or_else(|| bad_value(path, n, "Time", rest, "is not H:MM:SS"))?,
            1 => value_with_unit(path, n, "Energy", rest, "kWh")?,
            _ => value_with_unit(path, n, "CO2eq", rest, "g")?,
        });
    }
    match fields {
        [Some(t), Some(e), Some(c)] => Ok((t, e, c)),
        _ => Err(MeasuredError::at(
            path,
            lines[start].0,
            MeasuredErrorKind::Truncated("incomplete 'Actual consumption' block".into()),
        )),
    }
}

/// Per-GPU average power over the epochs of the standard log: (Σ watts x seconds, Σ seconds, epochs) per GPU.
fn gpu_power(
    standard: &str,
    path: &Path,
    gpus: usize,
) -> Result<Vec<(f64, f64, u64)>, MeasuredError> {
    let mut out = vec![(0.0, 0.0, 0u64); gpus];
    let mut duration: Option<f64> = None;
    let lines: Vec<(usize, &str)> = numbered(standard).collect();
    let mut i = 0;
    while i < lines.len() {
        let (n, l) = lines[i];
        i += 1;
        let Some(rec) = record(l) else { continue };
        if let Some(t) = rec.strip_prefix("Duration:") {
            duration = Some(
                parse_time(t)
                    .ok_or_else(|| bad_value(path, n, "Duration", t, "is not H:MM:SS.ss"))?,
            );
        } else if let Some(v) = rec.strip_prefix("Average power usage (W) for gpu:") {
            let mut value = v.trim().to_owned();
            // A NumPy list may wrap onto continuation lines.
            while value.starts_with('[') && !value.contains(']') {
                match lines.get(i) {
                    Some((_, next)) if record(next).is_none() => {
                        value.push(' ');
                        value.push_str(next.trim());
                        i += 1;
                    }
                    _ => {
                        return Err(MeasuredError::at(
                            path,
                            n,
                            MeasuredErrorKind::Truncated(format!(
                                "the GPU power list '{}' is not closed",
                                shorten(&value)
                            )),
                        ));
                    }
                }
            }
            if value == "None" {
                continue;
            }
            let Some(d) = duration.take() else {
                return Err(MeasuredError::at(
                    path,
                    n,
                    MeasuredErrorKind::Truncated(
                        "a GPU power line without the epoch's 'Duration' before it".into(),
                    ),
                ));
            };
            let numbers: Vec<&str> = value
                .trim_start_matches('[')
                .trim_end_matches(']')
                .split_whitespace()
                .collect();
            if numbers.len() != gpus {
                return Err(bad_value(
                    path,
                    n,
                    "Average power usage (W) for gpu",
                    &value,
                    format!(
                        "has {} value(s) for the {gpus} GPU(s) the log lists",
                        numbers.len()
                    ),
                ));
            }
            for (slot, x) in out.iter_mut().zip(numbers) {
                let w = non_negative(path, n, "Average power usage (W) for gpu", x)?;
                slot.0 += w * d;
                slot.1 += d;
                slot.2 += 1;
            }
        }
    }
    Ok(out)
}

/// The run a Carbontracker log pair records.
pub fn parse(
    output: &str,
    output_path: &Path,
    standard: &str,
    standard_path: &Path,
) -> Result<MeasuredRun, MeasuredError> {
    for (text, p) in [(output, output_path), (standard, standard_path)] {
        if first_line(text).is_none() {
            return Err(MeasuredError::at(p, 1, MeasuredErrorKind::Empty));
        }
        if !looks_like_log(text) {
            let (n, l) = first_line(text).unwrap_or((1, ""));
            return Err(MeasuredError::at(
                p,
                n,
                MeasuredErrorKind::NotThisFormat {
                    expected: MeasuredSource::Carbontracker,
                    why: format!("the line reads '{}'", shorten(l)),
                },
            ));
        }
    }
    let (seconds, energy_kwh, co2e_g) = actual_block(output, output_path)?;

    let mut version = None;
    let mut pue = None;
    let mut gpus: Option<Vec<String>> = None;
    for (n, l) in numbered(standard) {
        let Some(rec) = record(l) else { continue };
        if let Some(v) = rec.strip_prefix("carbontracker version ") {
            version = Some(v.trim().to_owned());
        } else if let Some((_, rest)) = rec.split_once("multiplied by a PUE coefficient of ") {
            let number = rest.split_whitespace().next().unwrap_or("");
            let p = non_negative(standard_path, n, "PUE coefficient", number)?;
            if p < 1.0 {
                return Err(bad_value(
                    standard_path,
                    n,
                    "PUE coefficient",
                    number,
                    "must be at least 1",
                ));
            }
            pue = Some(p);
        } else if gpus.is_none() {
            gpus = gpu_devices(rec);
        }
    }
    let Some(pue) = pue else {
        return Err(MeasuredError::at(
            standard_path,
            1,
            MeasuredErrorKind::NotThisFormat {
                expected: MeasuredSource::Carbontracker,
                why: "the standard log does not state the PUE its energy includes ('… multiplied by a PUE coefficient of …', logged since Carbontracker 1.2)".into(),
            },
        ));
    };
    let gpus = gpus.unwrap_or_default();

    let mut started = None;
    let mut intensity = None;
    let mut location = None;
    for (n, l) in numbered(output) {
        let Some(rec) = record(l) else { continue };
        if started.is_none() {
            started = l.get(..19).map(str::to_owned);
        }
        if let Some(rest) = rec
            .split_once("Average carbon intensity during training was ")
            .map(|x| x.1)
        {
            let number = rest.split_whitespace().next().unwrap_or("");
            intensity = Some(non_negative(
                output_path,
                n,
                "average carbon intensity",
                number,
            )?);
            location = rest
                .split_once("at detected location: ")
                .map(|(_, loc)| loc.trim().trim_end_matches('.').to_owned())
                .filter(|loc| !loc.is_empty());
        }
    }

    let power = gpu_power(standard, standard_path, gpus.len())?;
    let devices: Vec<DeviceReading> = gpus
        .iter()
        .zip(&power)
        .filter(|(_, (_, secs, _))| *secs > 0.0)
        .map(|(name, (ws, secs, epochs))| DeviceReading {
            device: name.clone(),
            energy_kwh: ws / 3.6e6,
            avg_power_w: ws / secs,
            samples: *epochs,
        })
        .collect();
    let mut models: Vec<&str> = Vec::new();
    for g in &gpus {
        if !models.contains(&g.as_str()) {
            models.push(g);
        }
    }

    let name = output_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let run_id = name.strip_suffix(OUTPUT_SUFFIX).unwrap_or(&name).to_owned();
    let mut run = MeasuredRun::new(
        MeasuredSource::Carbontracker,
        run_id,
        seconds / 3600.0,
        energy_kwh,
    );
    run.tool_version = version;
    run.started = started;
    run.co2e_kg = Some(co2e_g / 1000.0);
    run.pue = Some(pue);
    run.intensity_g_per_kwh = intensity;
    run.region = location;
    run.accelerators = u32::try_from(gpus.len()).unwrap_or(u32::MAX);
    run.accelerator_model = (!models.is_empty()).then(|| models.join(", "));
    if !devices.is_empty() {
        let ws: f64 = power.iter().map(|p| p.0).sum();
        let secs: f64 = power.iter().map(|p| p.1).sum();
        run.avg_power_w = Some(ws / secs);
    }
    run.devices = devices;
    Ok(run)
}
