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

/// The header row of [`Chart::data_tsv`].
pub const DATA_HEADER: &str = "Panel\tSeries\tX axis\tX\tY axis\tY\tLow\tHigh";

/// A field of tab-separated text: tabs and line breaks become spaces.
fn field(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// A number in chart data: six significant digits (what the plots show, and more).
fn num(v: f64) -> String {
    crate::units::sig(v, 6)
}

/// The text of a position on an axis: the category's name on a category axis, else the number.
fn at(pos: f64, axis: &Axis) -> String {
    match &axis.ticks {
        Ticks::Categories(names) if pos >= 0.0 => names
            .get(pos.round() as usize)
            .cloned()
            .unwrap_or_else(|| num(pos)),
        _ => num(pos),
    }
}

impl Chart {
    /// The chart's numbers as tab-separated text ("Copy chart data", pasted into a spreadsheet): the header
    /// [`DATA_HEADER`], then one row per bar, point, error bar or shaded span, in drawing order. Bars give their
    /// length (a stacked segment's own share), error bars their P5 and P95 as Low and High, spans their start and
    /// end; each row names its panel, series and axes (with units).
    pub fn data_tsv(&self) -> String {
        let mut out = String::from(DATA_HEADER);
        out.push('\n');
        for p in &self.panels {
            for row in p.data_rows() {
                out.push_str(&row.join("\t"));
                out.push('\n');
            }
        }
        out
    }

    /// The accessible name of one of the chart's panels: which chart and what the panel shows.
    pub fn panel_name(&self, panel: &Panel) -> String {
        format!("{} chart: {}", self.kind.label(), panel.caption)
    }

    /// The accessible description of one of the chart's panels: the title, the axes, and every value as a
    /// sentence: bars by their hover text (name, value and unit), error bars by their ends, lines by their first
    /// and last points ("Copy chart data" gives every point), markers and spans each.
    pub fn panel_description(&self, panel: &Panel) -> String {
        let mut out = format!(
            "{}. Horizontal axis: {}. Vertical axis: {}.",
            self.title, panel.x.label, panel.y.label
        );
        let mut say = |sentence: String| {
            out.push(' ');
            out.push_str(sentence.trim());
            out.push('.');
        };
        for s in &panel.series {
            match &s.shape {
                // A bar's hover text names its plan or term and gives the value with its unit.
                Shape::Bars { bars, horizontal } => {
                    for b in bars {
                        let axis = if *horizontal { &panel.y } else { &panel.x };
                        say(if b.hover.is_empty() {
                            format!("{}: {}", at(b.pos, axis), num(b.value))
                        } else {
                            b.hover.clone()
                        });
                    }
                }
                Shape::Whiskers { items, horizontal } => {
                    for w in items {
                        let axis = if *horizontal { &panel.y } else { &panel.x };
                        say(format!(
                            "{} of {}: {} to {}",
                            s.name,
                            at(w.pos, axis),
                            num(w.low),
                            num(w.high)
                        ));
                    }
                }
                Shape::Line { points, .. } => {
                    if let (Some(a), Some(z)) = (points.first(), points.last()) {
                        say(format!(
                            "{}: from {} at {} to {} at {}",
                            s.name,
                            num(a[1]),
                            at(a[0], &panel.x),
                            num(z[1]),
                            at(z[0], &panel.x)
                        ));
                    }
                }
                Shape::Markers { points, .. } => {
                    for p in points {
                        say(format!(
                            "{}: {} at {}",
                            s.name,
                            at(p[1], &panel.y),
                            at(p[0], &panel.x)
                        ));
                    }
                }
                Shape::Spans { spans, .. } => {
                    for (a, z) in spans {
                        say(format!("{}: {} to {}", s.name, num(*a), num(*z)));
                    }
                }
            }
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

impl Panel {
    /// One row of [`Chart::data_tsv`] per bar, point, error bar or span.
    fn data_rows(&self) -> Vec<[String; 8]> {
        let caption = field(&self.caption);
        let (xl, yl) = (field(&self.x.label), field(&self.y.label));
        let row = |series: &str, x: String, y: String, low: String, high: String| {
            [
                caption.clone(),
                field(series),
                xl.clone(),
                field(&x),
                yl.clone(),
                field(&y),
                low,
                high,
            ]
        };
        let mut rows = Vec::new();
        for s in &self.series {
            match &s.shape {
                Shape::Bars { bars, horizontal } => {
                    for b in bars {
                        let (x, y) = if *horizontal {
                            (num(b.value), at(b.pos, &self.y))
                        } else {
                            (at(b.pos, &self.x), num(b.value))
                        };
                        rows.push(row(&s.name, x, y, String::new(), String::new()));
                    }
                }
                Shape::Line { points, .. } | Shape::Markers { points, .. } => {
                    for p in points {
                        rows.push(row(
                            &s.name,
                            at(p[0], &self.x),
                            at(p[1], &self.y),
                            String::new(),
                            String::new(),
                        ));
                    }
                }
                Shape::Whiskers { items, horizontal } => {
                    for w in items {
                        let (x, y) = if *horizontal {
                            (String::new(), at(w.pos, &self.y))
                        } else {
                            (at(w.pos, &self.x), String::new())
                        };
                        rows.push(row(&s.name, x, y, num(w.low), num(w.high)));
                    }
                }
                Shape::Spans { spans, .. } => {
                    for (a, z) in spans {
                        rows.push(row(&s.name, String::new(), String::new(), num(*a), num(*z)));
                    }
                }
            }
        }
        rows
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Two plans' energy as bars with a P5–P95 whisker on each, and one line: every number by hand.
    fn chart() -> Chart {
        let bars = Panel {
            id: "t-bars",
            caption: "Facility energy (MWh)".into(),
            x: Axis::categories("plan", vec!["A100".into(), "H100".into()]),
            y: Axis::numeric("Facility energy (MWh)", 0.0, 40.0),
            series: vec![
                Series {
                    id: "a".into(),
                    name: "A100".into(),
                    color: [0, 0, 0],
                    shape: Shape::Bars {
                        bars: vec![Bar {
                            pos: 0.0,
                            base: 0.0,
                            value: 30.55,
                            hover: "A100: 30.55 MWh".into(),
                        }],
                        horizontal: false,
                    },
                },
                Series {
                    id: "h".into(),
                    name: "H\t100".into(),
                    color: [0, 0, 0],
                    shape: Shape::Bars {
                        bars: vec![Bar {
                            pos: 1.0,
                            base: 0.0,
                            value: 23.551234,
                            hover: String::new(),
                        }],
                        horizontal: false,
                    },
                },
                Series {
                    id: "w".into(),
                    name: "P5–P95".into(),
                    color: [0, 0, 0],
                    shape: Shape::Whiskers {
                        items: vec![Whisker {
                            pos: 1.0,
                            low: 7.0,
                            high: 10.9,
                        }],
                        horizontal: false,
                    },
                },
            ],
            labels: Vec::new(),
            link_x: None,
            interactive: false,
        };
        let line = Panel {
            id: "t-line",
            caption: "Cumulative CO2e (t)".into(),
            x: Axis::numeric("hours", 0.0, 10.0),
            y: Axis::numeric("CO2e (t)", 0.0, 2.0),
            series: vec![Series {
                id: "l".into(),
                name: "A100".into(),
                color: [0, 0, 0],
                shape: Shape::Line {
                    points: vec![[0.0, 0.0], [5.0, 1.0], [10.0, 2.0]],
                    width: 2.0,
                },
            }],
            labels: Vec::new(),
            link_x: None,
            interactive: true,
        };
        Chart {
            kind: ChartKind::Totals,
            title: "Energy and carbon per plan".into(),
            panels: vec![bars, line],
            arrangement: Arrangement::Columns,
            legend: Vec::new(),
            notes: Vec::new(),
            footnote: Vec::new(),
        }
    }

    #[test]
    fn chart_data_is_one_tab_separated_row_per_bar_whisker_and_point() {
        assert_eq!(
            chart().data_tsv(),
            "Panel\tSeries\tX axis\tX\tY axis\tY\tLow\tHigh\n\
             Facility energy (MWh)\tA100\tplan\tA100\tFacility energy (MWh)\t30.55\t\t\n\
             Facility energy (MWh)\tH 100\tplan\tH100\tFacility energy (MWh)\t23.5512\t\t\n\
             Facility energy (MWh)\tP5–P95\tplan\tH100\tFacility energy (MWh)\t\t7\t10.9\n\
             Cumulative CO2e (t)\tA100\thours\t0\tCO2e (t)\t0\t\t\n\
             Cumulative CO2e (t)\tA100\thours\t5\tCO2e (t)\t1\t\t\n\
             Cumulative CO2e (t)\tA100\thours\t10\tCO2e (t)\t2\t\t\n"
        );
    }

    #[test]
    fn a_panel_is_named_for_its_chart_and_described_by_its_axes_and_numbers() {
        let c = chart();
        assert_eq!(
            c.panel_name(&c.panels[0]),
            "Totals chart: Facility energy (MWh)"
        );
        assert_eq!(
            c.panel_description(&c.panels[0]),
            "Energy and carbon per plan. Horizontal axis: plan. Vertical axis: Facility energy (MWh). \
             A100: 30.55 MWh. H100: 23.5512. P5–P95 of H100: 7 to 10.9."
        );
        assert_eq!(
            c.panel_description(&c.panels[1]),
            "Energy and carbon per plan. Horizontal axis: hours. Vertical axis: CO2e (t). \
             A100: from 0 at 0 to 2 at 10."
        );
    }
}
