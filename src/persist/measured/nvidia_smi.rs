//! `nvidia-smi` power logs: the CSV that `nvidia-smi --query-gpu=timestamp,index,power.draw[,...]
//! --format=csv[,noheader][,nounits] -l SECONDS` writes, one row per GPU per sampling round.
//!
//! No driver was run to check it (there is no GPU where Trainprint is built). The format is the one
//! `nvidia-smi --help-query-gpu` documents (`timestamp` is "YYYY/MM/DD HH:MM:SS.msec", local time without a zone)
//! and that logs in public repositories show: fields separated by `, `; the header names each query with its unit
//! in brackets (`timestamp, index, power.draw [W]`); values carry the unit (`120.5 W`) unless `nounits`; a value
//! the driver cannot read is `[N/A]` or `[Not Supported]`. `power.draw.average` and `power.draw.instant` (newer
//! drivers) are read like `power.draw`.
//! With a header the columns are found by name (`index`, `uuid` or `pci.bus_id` names the GPU); without one they
//! must be `timestamp, index, power.draw[, ...]`, or `timestamp, power.draw` for a single GPU.
//!
//! Energy is power integrated over time per GPU (trapezoids between consecutive samples of that GPU). A GPU's
//! timestamps must increase. A gap — an interval longer than 3 x the log's median sampling interval — is
//! reported as an error naming its line, never interpolated across.

use super::error::{
    MeasuredError, MeasuredErrorKind, bad_value, first_line, non_negative, shorten,
};
use crate::model::{DeviceReading, MeasuredRun, MeasuredSource};
use crate::units::parse_minutes;
use std::path::Path;

/// An interval longer than this many median intervals is a gap.
pub const GAP_FACTOR: f64 = 3.0;

const POWER_COLUMNS: [&str; 3] = ["power.draw", "power.draw.average", "power.draw.instant"];
const DEVICE_COLUMNS: [&str; 3] = ["index", "uuid", "pci.bus_id"];

/// A header field split into its name and unit: `power.draw [W]` -> (`power.draw`, `Some("W")`).
fn name_and_unit(field: &str) -> (String, Option<String>) {
    let field = field.trim();
    match field.split_once('[') {
        Some((name, rest)) => (
            name.trim().to_ascii_lowercase(),
            Some(rest.trim_end_matches(']').trim().to_owned()),
        ),
        None => (field.to_ascii_lowercase(), None),
    }
}

/// True for an `nvidia-smi` header with a timestamp and a power column.
pub fn is_header(line: &str) -> bool {
    let names: Vec<String> = line.split(',').map(|f| name_and_unit(f).0).collect();
    names.iter().any(|n| n == "timestamp")
        && names.iter().any(|n| POWER_COLUMNS.contains(&n.as_str()))
}

/// True for a header-less sample row: an `nvidia-smi` timestamp, then at least one more field.
pub fn looks_like_row(line: &str) -> bool {
    line.split_once(',')
        .is_some_and(|(ts, _)| parse_timestamp(ts.trim()).is_some())
}

/// Milliseconds since 1970 of `YYYY/MM/DD HH:MM:SS[.fff]` (`-` also accepted between the date's parts), read
/// as written: nvidia-smi logs local time without a zone, and only differences are used.
///
/// ```
/// use trainprint::persist::measured::nvidia_smi::parse_timestamp;
/// let a = parse_timestamp("2024/01/15 10:00:00.000").unwrap();
/// let b = parse_timestamp("2024/01/16 10:00:01.250").unwrap();
/// assert_eq!(b - a, 86_401_250);
/// assert_eq!(parse_timestamp("2024/01/15 10:00"), None);
/// ```
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 19 || b[16] != b':' || !(b[4] == b'/' || b[4] == b'-') || b[7] != b[4] {
        return None;
    }
    let mut date = [0u8; 16];
    date.copy_from_slice(&b[..16]);
    date[4] = b'-';
    date[7] = b'-';
    let minutes = parse_minutes(std::str::from_utf8(&date).ok()?)?;
    let secs = s.get(17..19)?;
    if !secs.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let secs: i64 = secs.parse().ok()?;
    if secs > 60 {
        return None;
    }
    let millis = match s.get(19..) {
        None | Some("") => 0,
        Some(frac) => {
            let digits = frac.strip_prefix('.')?;
            if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let mut ms = 0i64;
            for (i, c) in digits.bytes().take(3).enumerate() {
                ms += i64::from(c - b'0') * [100, 10, 1][i];
            }
            ms
        }
    };
    Some(minutes * 60_000 + secs * 1000 + millis)
}

struct Layout {
    columns: usize,
    timestamp: usize,
    power: usize,
    power_name: String,
    device: Option<usize>,
    name: Option<usize>,
}

/// Two consecutive samples of one GPU.
struct Interval {
    /// Milliseconds between them.
    ms: u32,
    /// The later sample's line.
    line: u32,
    /// The earlier sample's line.
    previous_line: u32,
}

struct Gpu {
    key: String,
    model: Option<String>,
    first_ms: i64,
    last_ms: i64,
    last_text: String,
    last_line: usize,
    last_w: f64,
    energy_j: f64,
    samples: u64,
}

/// The run a power log records: duration, energy, and average power of every GPU.
///
/// ```
/// use std::path::Path;
/// use trainprint::persist::measured::nvidia_smi;
/// // Two GPUs sampled every 10 s: GPU 0 at 100 then 200 W, GPU 1 at 300 W throughout.
/// let log = "timestamp, index, power.draw [W]\n\
///            2024/01/15 10:00:00.000, 0, 100.00 W\n2024/01/15 10:00:00.000, 1, 300.00 W\n\
///            2024/01/15 10:00:10.000, 0, 200.00 W\n2024/01/15 10:00:10.000, 1, 300.00 W\n";
/// let run = nvidia_smi::parse(log, Path::new("power.csv"))?;
/// assert_eq!(run.accelerators, 2);
/// // 150 W x 10 s + 300 W x 10 s = 4,500 J = 0.00125 kWh.
/// assert!((run.energy_kwh - 0.00125).abs() < 1e-15);
/// assert_eq!(run.avg_power_w, Some(225.0));
/// # Ok::<(), trainprint::persist::measured::MeasuredError>(())
/// ```
pub fn parse(text: &str, path: &Path) -> Result<MeasuredRun, MeasuredError> {
    let Some((first_no, first)) = first_line(text) else {
        return Err(MeasuredError::at(path, 1, MeasuredErrorKind::Empty));
    };
    let not_smi = |why: String| {
        MeasuredError::at(
            path,
            first_no,
            MeasuredErrorKind::NotThisFormat {
                expected: MeasuredSource::NvidiaSmi,
                why,
            },
        )
    };
    let header = is_header(first);
    let layout = if header {
        let fields: Vec<(String, Option<String>)> = first.split(',').map(name_and_unit).collect();
        let find = |names: &[&str]| fields.iter().position(|(n, _)| names.contains(&n.as_str()));
        let timestamp =
            find(&["timestamp"]).ok_or_else(|| not_smi("no timestamp column".into()))?;
        let power = find(&POWER_COLUMNS).ok_or_else(|| not_smi("no power.draw column".into()))?;
        if let Some(unit) = &fields[power].1
            && unit != "W"
        {
            return Err(MeasuredError::at(
                path,
                first_no,
                MeasuredErrorKind::UnknownUnit {
                    column: fields[power].0.clone(),
                    unit: unit.clone(),
                    expected: "W",
                },
            ));
        }
        Layout {
            columns: fields.len(),
            timestamp,
            power,
            power_name: fields[power].0.clone(),
            device: find(&DEVICE_COLUMNS),
            name: find(&["name", "gpu_name"]),
        }
    } else if looks_like_row(first) {
        let columns = first.split(',').count();
        Layout {
            columns,
            timestamp: 0,
            power: if columns == 2 { 1 } else { 2 },
            power_name: "power.draw".into(),
            device: (columns > 2).then_some(1),
            name: None,
        }
    } else {
        return Err(not_smi(format!(
            "line {first_no} is neither a header with timestamp and power.draw nor a sample row ('{}')",
            shorten(first)
        )));
    };

    let mut gpus: Vec<Gpu> = Vec::new();
    // Every pair of consecutive samples of one GPU, in file order.
    let mut intervals: Vec<Interval> = Vec::new();
    let mut first_ms = i64::MAX;
    let mut last_ms = i64::MIN;
    let mut started = String::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let row = raw.trim_end_matches('\r');
        if line <= first_no && header || row.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = row.split(',').map(str::trim).collect();
        if header && is_header(row) {
            return Err(MeasuredError::at(
                path,
                line,
                MeasuredErrorKind::NotThisFormat {
                    expected: MeasuredSource::NvidiaSmi,
                    why: format!(
                        "a second header (line {first_no} has the first): two logs joined into one?"
                    ),
                },
            ));
        }
        if fields.len() != layout.columns {
            return Err(MeasuredError::at(
                path,
                line,
                MeasuredErrorKind::Truncated(format!(
                    "the row has {} of the {} fields of line {first_no}",
                    fields.len(),
                    layout.columns
                )),
            ));
        }
        let ts_text = fields[layout.timestamp];
        let ms = parse_timestamp(ts_text).ok_or_else(|| {
            bad_value(
                path,
                line,
                "timestamp",
                ts_text,
                "is not nvidia-smi's YYYY/MM/DD HH:MM:SS.mmm",
            )
        })?;
        let watts = power_value(fields[layout.power], &layout.power_name, path, line)?;
        let key = layout
            .device
            .map_or_else(|| "0".to_owned(), |d| fields[d].to_owned());
        if started.is_empty() {
            started = ts_text.to_owned();
        }
        first_ms = first_ms.min(ms);
        last_ms = last_ms.max(ms);
        match gpus.iter_mut().find(|g| g.key == key) {
            None => gpus.push(Gpu {
                key,
                model: layout.name.map(|n| fields[n].to_owned()),
                first_ms: ms,
                last_ms: ms,
                last_text: ts_text.to_owned(),
                last_line: line,
                last_w: watts,
                energy_j: 0.0,
                samples: 1,
            }),
            Some(g) => {
                if ms <= g.last_ms {
                    return Err(MeasuredError::at(
                        path,
                        line,
                        MeasuredErrorKind::NonMonotonic {
                            device: g.key.clone(),
                            previous: g.last_text.clone(),
                            previous_line: g.last_line,
                            found: ts_text.to_owned(),
                        },
                    ));
                }
                let dt_ms = ms - g.last_ms;
                g.energy_j += (g.last_w + watts) / 2.0 * dt_ms as f64 / 1000.0;
                intervals.push(Interval {
                    ms: u32::try_from(dt_ms).unwrap_or(u32::MAX),
                    line: u32::try_from(line).unwrap_or(u32::MAX),
                    previous_line: u32::try_from(g.last_line).unwrap_or(u32::MAX),
                });
                g.last_ms = ms;
                g.last_w = watts;
                g.last_text = ts_text.to_owned();
                g.last_line = line;
                g.samples += 1;
            }
        }
    }
    if gpus.is_empty() {
        return Err(MeasuredError::at(
            path,
            first_no + 1,
            MeasuredErrorKind::NoRuns("the log has a header but no samples".into()),
        ));
    }
    if let Some(g) = gpus.iter().find(|g| g.samples < 2) {
        return Err(MeasuredError::at(
            path,
            g.last_line,
            MeasuredErrorKind::SingleSample(g.key.clone()),
        ));
    }
    check_gaps(text, &layout, &intervals, path)?;

    let devices: Vec<DeviceReading> = gpus
        .iter()
        .map(|g| DeviceReading {
            device: g.key.clone(),
            energy_kwh: g.energy_j / 3.6e6,
            avg_power_w: g.energy_j / ((g.last_ms - g.first_ms) as f64 / 1000.0),
            samples: g.samples,
        })
        .collect();
    let energy_j: f64 = gpus.iter().map(|g| g.energy_j).sum();
    let gpu_seconds: f64 = gpus
        .iter()
        .map(|g| (g.last_ms - g.first_ms) as f64 / 1000.0)
        .sum();
    let mut models: Vec<&str> = Vec::new();
    for m in gpus.iter().filter_map(|g| g.model.as_deref()) {
        if !models.contains(&m) {
            models.push(m);
        }
    }
    let run_id = path.file_stem().map_or_else(
        || "nvidia-smi log".to_owned(),
        |s| s.to_string_lossy().into_owned(),
    );
    let mut run = MeasuredRun::new(
        MeasuredSource::NvidiaSmi,
        run_id,
        (last_ms - first_ms) as f64 / 3.6e6,
        energy_j / 3.6e6,
    );
    run.started = Some(started);
    run.avg_power_w = Some(energy_j / gpu_seconds);
    run.accelerators = u32::try_from(gpus.len()).unwrap_or(u32::MAX);
    run.accelerator_model = (!models.is_empty()).then(|| models.join(", "));
    run.devices = devices;
    Ok(run)
}

/// Watts from a power field: `65.43 W`, `65.43`, `65.43W`; `[N/A]` and other units are errors.
fn power_value(field: &str, column: &str, path: &Path, line: usize) -> Result<f64, MeasuredError> {
    if field.starts_with('[') {
        return Err(bad_value(
            path,
            line,
            column,
            field,
            "is not a reading: nvidia-smi could not read this GPU's power",
        ));
    }
    let split = field
        .find(|c: char| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
        .unwrap_or(field.len());
    let (number, unit) = field.split_at(split);
    if number.trim().is_empty() {
        return Err(bad_value(path, line, column, field, "has no number"));
    }
    let unit = unit.trim();
    if !unit.is_empty() && unit != "W" {
        return Err(MeasuredError::at(
            path,
            line,
            MeasuredErrorKind::UnknownUnit {
                column: column.to_owned(),
                unit: shorten(unit),
                expected: "W",
            },
        ));
    }
    non_negative(path, line, column, number)
}

/// The first gap (an interval over [`GAP_FACTOR`] x the median interval), as an error naming its line.
fn check_gaps(
    text: &str,
    layout: &Layout,
    intervals: &[Interval],
    path: &Path,
) -> Result<(), MeasuredError> {
    if intervals.is_empty() {
        return Ok(());
    }
    let mut sorted: Vec<u32> = intervals.iter().map(|i| i.ms).collect();
    let mid = sorted.len() / 2;
    let (_, median, _) = sorted.select_nth_unstable(mid);
    let median = f64::from(*median);
    let limit = GAP_FACTOR * median;
    let mut gaps = intervals.iter().filter(|i| f64::from(i.ms) > limit);
    let Some(gap) = gaps.next() else {
        return Ok(());
    };
    let others = gaps.count();
    let field = |line: u32, column: Option<usize>| {
        text.lines()
            .nth(line as usize - 1)
            .and_then(|row| column.and_then(|c| row.split(',').nth(c)))
            .map(|f| f.trim().to_owned())
    };
    Err(MeasuredError::at(
        path,
        gap.line as usize,
        MeasuredErrorKind::Gap {
            device: field(gap.line, layout.device).unwrap_or_else(|| "0".into()),
            gap_s: f64::from(gap.ms) / 1000.0,
            after: field(gap.previous_line, Some(layout.timestamp)).unwrap_or_default(),
            interval_s: median / 1000.0,
            others,
        },
    ))
}
