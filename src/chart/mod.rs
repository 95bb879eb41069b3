//! One model of every chart: plain data without egui or plotters (panels, axes with units, series, labels,
//! legends, notes and the footnote), built once from results computed once. The app draws it with egui_plot
//! (`ui::charts`) and the exports draw the same data with plotters (`export::charts`), so what you export is what
//! you see.

pub mod actual;
mod build;
pub mod scale;
pub mod sweep;

pub use build::{
    Input, PlanInput, ScheduleInput, WaterfallEnd, best_start_text, build, difference_target,
    factor_short, waterfall,
};
pub use scale::Scale;

use crate::palette::Rgb;

/// Above this many plans, plan charts switch to sorted horizontal bars and direct labels (no legend).
pub const MANY_PLANS: usize = 8;

/// Points of each cumulative-over-time line.
pub const OVER_TIME_POINTS: usize = 48;

/// Every chart Trainprint shows and exports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ChartKind {
    /// Facility energy and total CO2e per plan.
    #[default]
    Totals,
    /// Energy and CO2e stacked by term.
    Breakdown,
    /// Cumulative energy and CO2e over wall-clock hours.
    OverTime,
    /// Total CO2e against grid intensity and against PUE.
    Sensitivity,
    /// When to run: the intensity curve with the chosen hours, and CO2e against start time.
    Schedule,
    /// How sure: totals with P5-P95 whiskers, and the tornado of one plan's inputs.
    Uncertainty,
    /// Why different: a waterfall of factor contributions from the baseline to a plan.
    Difference,
    /// A sweep: one plan across the values of one input, ranked (built from a sweep, see [`sweep::build`];
    /// not one of the workspace charts in [`ChartKind::ALL`]).
    Sweep,
}

impl ChartKind {
    /// Every chart, in tab and export order.
    pub const ALL: [ChartKind; 7] = [
        ChartKind::Totals,
        ChartKind::Breakdown,
        ChartKind::OverTime,
        ChartKind::Sensitivity,
        ChartKind::Schedule,
        ChartKind::Uncertainty,
        ChartKind::Difference,
    ];

    /// The tab label in the app.
    pub fn label(self) -> &'static str {
        match self {
            ChartKind::Totals => "Totals",
            ChartKind::Breakdown => "Breakdown",
            ChartKind::OverTime => "Over time",
            ChartKind::Sensitivity => "Sensitivity",
            ChartKind::Schedule => "When to run",
            ChartKind::Uncertainty => "Uncertainty",
            ChartKind::Difference => "Why different",
            ChartKind::Sweep => "Sweep",
        }
    }

    /// The exported file stem (`chart-totals`).
    pub fn stem(self) -> &'static str {
        match self {
            ChartKind::Totals => "chart-totals",
            ChartKind::Breakdown => "chart-breakdown",
            ChartKind::OverTime => "chart-over-time",
            ChartKind::Sensitivity => "chart-sensitivity",
            ChartKind::Schedule => "chart-when-to-run",
            ChartKind::Uncertainty => "chart-uncertainty",
            ChartKind::Difference => "chart-why-different",
            ChartKind::Sweep => "chart-sweep",
        }
    }

    /// The chart's title.
    pub fn title(self) -> &'static str {
        match self {
            ChartKind::Totals => "Energy and carbon per plan",
            ChartKind::Breakdown => "Where the energy and carbon come from",
            ChartKind::OverTime => "Cumulative energy and carbon over training time",
            ChartKind::Sensitivity => "How total CO2e moves with grid intensity and PUE",
            ChartKind::Schedule => "When to run",
            ChartKind::Uncertainty => "How sure: P5-P95 of total CO2e and what drives it",
            ChartKind::Difference => "Why different: contributions to the change in CO2e",
            ChartKind::Sweep => "Sweep",
        }
    }
}

/// How a chart's panels are placed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arrangement {
    /// Side by side.
    Columns,
    /// One above the other (they share the x axis).
    Rows,
}

/// A chart: one or two panels, a legend, notes and a footnote.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    /// Which chart.
    pub kind: ChartKind,
    /// Its title (with the subject, e.g. the workspace or plan name).
    pub title: String,
    /// The panels, in reading order.
    pub panels: Vec<Panel>,
    /// How the panels are placed.
    pub arrangement: Arrangement,
    /// The legend, drawn beside the plots (never over data); empty when direct labels say it all.
    pub legend: Vec<LegendEntry>,
    /// Short notes shown with the chart (what is left out and why, the plan a per-plan chart shows).
    pub notes: Vec<String>,
    /// The footnote: the formula, grid intensities and PUEs with their sources.
    pub footnote: Vec<String>,
}

impl Chart {
    /// Every text the chart carries (title, captions, axis labels and ticks, labels, legend, notes, footnote),
    /// for accessible descriptions and "Copy chart data".
    pub fn describe(&self) -> String {
        let mut out = format!("{}\n", self.title);
        for p in &self.panels {
            out.push_str(&format!("\n{}\n", p.caption));
            out.push_str(&format!("x: {}; y: {}\n", p.x.label, p.y.label));
            for s in &p.series {
                out.push_str(&s.describe(p));
            }
        }
        for n in &self.notes {
            out.push_str(&format!("\n{n}"));
        }
        out
    }
}

/// One plot area.
#[derive(Clone, Debug, PartialEq)]
pub struct Panel {
    /// A stable id (`totals-energy`).
    pub id: &'static str,
    /// The caption above the plot, with the unit.
    pub caption: String,
    /// The horizontal axis.
    pub x: Axis,
    /// The vertical axis.
    pub y: Axis,
    /// The data, drawn in order (later on top).
    pub series: Vec<Series>,
    /// Text at data positions (values above bars, names at line ends).
    pub labels: Vec<Label>,
    /// Panels with the same link share their x axis and cursor.
    pub link_x: Option<&'static str>,
    /// Whether the user may zoom and drag (line charts) or not (bar charts).
    pub interactive: bool,
}

/// An axis: its label (with the unit), the range to show, and how ticks are labelled.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    /// The axis title with its unit.
    pub label: String,
    /// The smallest value that must be visible.
    pub min: f64,
    /// The largest value that must be visible.
    pub max: f64,
    /// Tick labels.
    pub ticks: Ticks,
}

impl Axis {
    pub(crate) fn numeric(label: impl Into<String>, min: f64, max: f64) -> Self {
        Axis {
            label: label.into(),
            min,
            max: if max > min { max } else { min + 1.0 },
            ticks: Ticks::Numeric,
        }
    }

    pub(crate) fn categories(label: impl Into<String>, names: Vec<String>) -> Self {
        let n = names.len();
        Axis {
            label: label.into(),
            min: -0.5,
            max: n.max(1) as f64 - 0.5,
            ticks: Ticks::Categories(names),
        }
    }
}

/// How an axis labels its ticks.
#[derive(Clone, Debug, PartialEq)]
pub enum Ticks {
    /// Round numbers.
    Numeric,
    /// One name per integer position 0, 1, 2, ...
    Categories(Vec<String>),
}

/// One data series.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// A stable id (follows the plan, not its position).
    pub id: String,
    /// Its name (hover text and legend).
    pub name: String,
    /// Its colour.
    pub color: Rgb,
    /// What it draws.
    pub shape: Shape,
}

impl Series {
    fn describe(&self, panel: &Panel) -> String {
        let cat = |pos: f64, ticks: &Ticks| match ticks {
            Ticks::Categories(names) if pos >= 0.0 => {
                names.get(pos.round() as usize).cloned().unwrap_or_default()
            }
            _ => crate::units::sig(pos, 4),
        };
        match &self.shape {
            Shape::Bars {
                bars, horizontal, ..
            } => bars
                .iter()
                .map(|b| {
                    let axis = if *horizontal { &panel.y } else { &panel.x };
                    format!("{}: {}\n", cat(b.pos, &axis.ticks), b.hover)
                })
                .collect(),
            Shape::Line { points, .. } => match (points.first(), points.last()) {
                (Some(a), Some(b)) => format!(
                    "{}: from ({}, {}) to ({}, {})\n",
                    self.name,
                    crate::units::sig(a[0], 4),
                    crate::units::sig(a[1], 4),
                    crate::units::sig(b[0], 4),
                    crate::units::sig(b[1], 4)
                ),
                _ => String::new(),
            },
            Shape::Markers { points, .. } => points
                .iter()
                .map(|p| {
                    format!(
                        "{}: ({}, {})\n",
                        self.name,
                        crate::units::sig(p[0], 4),
                        crate::units::sig(p[1], 4)
                    )
                })
                .collect(),
            Shape::Whiskers { items, horizontal } => items
                .iter()
                .map(|w| {
                    let axis = if *horizontal { &panel.y } else { &panel.x };
                    format!(
                        "{} {}: {}-{}\n",
                        self.name,
                        cat(w.pos, &axis.ticks),
                        crate::units::sig(w.low, 4),
                        crate::units::sig(w.high, 4)
                    )
                })
                .collect(),
            Shape::Spans { .. } => String::new(),
        }
    }
}

/// What a series draws.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// Bars from `base` to `base + value` at category positions.
    Bars {
        /// The bars.
        bars: Vec<Bar>,
        /// Bars run along x (categories on y).
        horizontal: bool,
    },
    /// A polyline.
    Line {
        /// The points.
        points: Vec<[f64; 2]>,
        /// Stroke width, points.
        width: f32,
    },
    /// Markers.
    Markers {
        /// The points.
        points: Vec<[f64; 2]>,
        /// The marker.
        marker: Marker,
        /// Radius, points.
        radius: f32,
    },
    /// Error bars (P5-P95) at category positions.
    Whiskers {
        /// The whiskers.
        items: Vec<Whisker>,
        /// Along x (categories on y), like horizontal bars.
        horizontal: bool,
    },
    /// Shaded x spans from 0 to `top` (the hours a job runs in).
    Spans {
        /// `(start, end)` in x units.
        spans: Vec<(f64, f64)>,
        /// Height of the shading, y units.
        top: f64,
    },
}

/// One bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// Category position (0, 1, 2, ...).
    pub pos: f64,
    /// Where the bar starts (0 unless stacked or floating).
    pub base: f64,
    /// Its length (may be negative).
    pub value: f64,
    /// What hovering shows.
    pub hover: String,
}

/// One error bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Whisker {
    /// Category position.
    pub pos: f64,
    /// Low end.
    pub low: f64,
    /// High end.
    pub high: f64,
}

/// A marker shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marker {
    /// A filled circle.
    Circle,
    /// A filled diamond.
    Diamond,
    /// A filled square.
    Square,
}

/// Where a label sits relative to its point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// Centred above the point.
    Above,
    /// To the right of the point, vertically centred.
    Right,
}

/// Text at a data position.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    /// Where, in data units.
    pub at: [f64; 2],
    /// The text.
    pub text: String,
    /// How it sits.
    pub anchor: Anchor,
    /// Its colour (`None`: the ink colour).
    pub color: Option<Rgb>,
    /// Kept first when labels must be thinned (the baseline's, the selected plan's).
    pub priority: bool,
}

/// One legend entry.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendEntry {
    /// The name.
    pub name: String,
    /// The colour.
    pub color: Rgb,
    /// How it looks.
    pub mark: LegendMark,
}

/// The swatch of a legend entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LegendMark {
    /// A filled box (bars, shading).
    Box,
    /// A line.
    Line,
    /// A marker.
    Marker(Marker),
}
