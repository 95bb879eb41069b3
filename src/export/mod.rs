//! Exports for proposals and papers: summaries (CSV, Markdown, JSON), a methods paragraph with BibTeX, a Hugging
//! Face model-card block, and the charts as PNG and SVG — all from the engine's numbers, with stable file names.

pub mod charts;
pub mod date;
pub mod json;
pub mod markdown;
pub mod methods;
pub mod model_card;
pub mod report;
pub mod summary;
pub mod sweep;
pub mod table;
pub mod zip;

use charts::Chart;
use date::Date;
use report::Report;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// A kind of export file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// `summary.csv`
    Csv,
    /// `summary.md` (table, assumptions, formula, methods paragraph, sources)
    Md,
    /// `summary.json`
    Json,
    /// `references.bib`
    Bib,
    /// `model-card.yaml`
    Yaml,
    /// `chart-*.png`
    Png,
    /// `chart-*.svg`
    Svg,
}

impl Format {
    /// Every format, in the order files are written.
    pub const ALL: [Format; 7] = [
        Format::Csv,
        Format::Md,
        Format::Json,
        Format::Bib,
        Format::Yaml,
        Format::Png,
        Format::Svg,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Md => "md",
            Format::Json => "json",
            Format::Bib => "bib",
            Format::Yaml => "yaml",
            Format::Png => "png",
            Format::Svg => "svg",
        }
    }
}

impl FromStr for Format {
    type Err = ExportError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| ExportError::UnknownFormat(s.to_owned()))
    }
}

/// Parses a comma-separated format list (`csv,md,png`); duplicates are ignored.
pub fn parse_formats(list: &str) -> Result<Vec<Format>, ExportError> {
    let mut out: Vec<Format> = Vec::new();
    for part in list.split(',').filter(|p| !p.trim().is_empty()) {
        let f: Format = part.parse()?;
        if !out.contains(&f) {
            out.push(f);
        }
    }
    if out.is_empty() {
        return Err(ExportError::UnknownFormat(list.to_owned()));
    }
    out.sort();
    Ok(out)
}

/// Chart size limits, in pixels.
pub const MIN_SIZE: u32 = 320;
/// The largest chart side.
pub const MAX_SIZE: u32 = 8000;

/// What to export.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// The formats.
    pub formats: Vec<Format>,
    /// Chart width, pixels.
    pub width: u32,
    /// Chart height, pixels.
    pub height: u32,
    /// The plan the model card describes (the baseline by default).
    pub card_plan: Option<usize>,
    /// `pre-training` or `fine-tuning`, for the model card.
    pub training_type: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            formats: Format::ALL.to_vec(),
            width: 1600,
            height: 900,
            card_plan: None,
            training_type: "pre-training".into(),
        }
    }
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A format name that is not one of csv, md, json, bib, yaml, png, svg.
    #[error(
        "unknown format '{0}' (expected a comma-separated list of csv, md, json, bib, yaml, png, svg)"
    )]
    UnknownFormat(String),
    /// A chart size out of range.
    #[error("chart size {0} x {1} is out of range ({MIN_SIZE} to {MAX_SIZE} pixels a side)")]
    BadSize(u32, u32),
    /// The workspace has no plans.
    #[error("the workspace has no plans to export")]
    NoPlans,
    /// A plan could not be estimated.
    #[error("{0}")]
    Plan(#[from] summary::PlanError),
    /// The destination is not a writable directory.
    #[error("cannot write to {path}: {message}")]
    Destination {
        /// The path.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// Writing a file failed.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A chart could not be drawn.
    #[error("{0}")]
    Chart(#[from] charts::ChartError),
}

/// The stable file names a format writes.
pub fn file_names(format: Format) -> Vec<String> {
    match format {
        Format::Csv => vec!["summary.csv".into()],
        Format::Md => vec!["summary.md".into()],
        Format::Json => vec!["summary.json".into()],
        Format::Bib => vec!["references.bib".into()],
        Format::Yaml => vec!["model-card.yaml".into()],
        Format::Png => Chart::ALL
            .iter()
            .map(|c| format!("{}.png", c.stem()))
            .collect(),
        Format::Svg => Chart::ALL
            .iter()
            .map(|c| format!("{}.svg", c.stem()))
            .collect(),
    }
}

/// One file of an export: its format, and the chart for PNG and SVG.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Item {
    /// The format.
    pub format: Format,
    /// The chart, for PNG and SVG.
    pub chart: Option<Chart>,
}

impl Item {
    /// The stable file name (`summary.csv`, `chart-totals.png`, …).
    pub fn file_name(&self) -> String {
        match self.chart {
            Some(c) => format!("{}.{}", c.stem(), self.format.name()),
            None => file_names(self.format)
                .into_iter()
                .next()
                .unwrap_or_default(),
        }
    }
}

/// The files `opts` asks for, in the order they are written.
pub fn items(opts: &Options) -> Vec<Item> {
    let mut out = Vec::new();
    for &format in &opts.formats {
        match format {
            Format::Png | Format::Svg => out.extend(Chart::ALL.into_iter().map(|c| Item {
                format,
                chart: Some(c),
            })),
            _ => out.push(Item {
                format,
                chart: None,
            }),
        }
    }
    out
}

/// Checks what an export needs before any file is made: plans to export and a chart size in range.
pub fn check(report: &Report<'_>, opts: &Options) -> Result<(), ExportError> {
    if report.plans.is_empty() {
        return Err(ExportError::NoPlans);
    }
    let size_ok = |v: u32| (MIN_SIZE..=MAX_SIZE).contains(&v);
    if !size_ok(opts.width) || !size_ok(opts.height) {
        return Err(ExportError::BadSize(opts.width, opts.height));
    }
    Ok(())
}

/// The bytes of one export file, in memory (the desktop writes them to a folder, the browser downloads them).
pub fn render(report: &Report<'_>, opts: &Options, item: Item) -> Result<Vec<u8>, ExportError> {
    let (w, h) = (opts.width, opts.height);
    Ok(match (item.format, item.chart) {
        (Format::Png, Some(c)) => charts::png_bytes(report, c, w, h)?,
        (Format::Svg, Some(c)) => charts::svg(report, c, w, h)?.into_bytes(),
        (Format::Csv, _) => table::csv(report).into_bytes(),
        (Format::Md, _) => markdown::markdown(report).into_bytes(),
        (Format::Json, _) => json::json(report).into_bytes(),
        (Format::Bib, _) => methods::bibtex(report).into_bytes(),
        (Format::Yaml, _) => model_card::yaml(
            report,
            opts.card_plan.unwrap_or(report.baseline),
            &opts.training_type,
        )
        .into_bytes(),
        (Format::Png | Format::Svg, None) => Vec::new(),
    })
}

/// Checks `dir` is (or can be made) a writable directory.
pub fn check_destination(dir: &Path) -> Result<(), ExportError> {
    let fail = |message: String| ExportError::Destination {
        path: dir.to_path_buf(),
        message,
    };
    if dir.exists() && !dir.is_dir() {
        return Err(fail("it is a file, not a directory".into()));
    }
    std::fs::create_dir_all(dir).map_err(|e| fail(e.to_string()))?;
    let probe = dir.join(".trainprint-write-test");
    std::fs::write(&probe, b"").map_err(|e| fail(e.to_string()))?;
    let _ = std::fs::remove_file(probe);
    Ok(())
}

/// Writes every requested format into `dir`; returns the paths written, in order. `progress` is told each file
/// as it is written (for the app's progress display). Each file is rendered in memory and saved atomically, so a
/// half-written file never replaces a good one.
pub fn export(
    report: &Report<'_>,
    opts: &Options,
    dir: &Path,
    mut progress: impl FnMut(&Path),
) -> Result<Vec<PathBuf>, ExportError> {
    check(report, opts)?;
    check_destination(dir)?;
    let mut written = Vec::new();
    for item in items(opts) {
        let bytes = render(report, opts, item)?;
        let p = dir.join(item.file_name());
        crate::persist::atomic::write(&p, &bytes, false).map_err(|source| ExportError::Write {
            path: p.clone(),
            source,
        })?;
        progress(&p);
        written.push(p);
    }
    Ok(written)
}

/// Today's date for footnotes.
pub fn today() -> Date {
    Date::today_utc()
}
