//! Charts as files (PNG and SVG), rendered headlessly with `plotters` and the embedded Ubuntu font (the app's own
//! font, so no system fonts are needed): the same four charts as the app — totals, breakdown, cumulative over time,
//! sensitivity — each with a title, axis labels with units, a legend in plan order, the colour-blind-safe palette
//! and a footnote with the key assumptions, sources, Trainprint version and date.

use super::report::Report;
use crate::engine::Term;
use crate::engine::analysis::{self, Point};
use crate::units;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// The charts Trainprint exports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chart {
    /// Facility energy and total CO2e per plan.
    Totals,
    /// Energy and CO2e stacked by term.
    Breakdown,
    /// Cumulative energy and CO2e over wall-clock hours.
    OverTime,
    /// Total CO2e against grid intensity and against PUE.
    Sensitivity,
}

impl Chart {
    /// All charts, in export order.
    pub const ALL: [Chart; 4] = [
        Chart::Totals,
        Chart::Breakdown,
        Chart::OverTime,
        Chart::Sensitivity,
    ];

    /// The file stem (`chart-totals`).
    pub fn stem(self) -> &'static str {
        match self {
            Chart::Totals => "chart-totals",
            Chart::Breakdown => "chart-breakdown",
            Chart::OverTime => "chart-over-time",
            Chart::Sensitivity => "chart-sensitivity",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Chart::Totals => "Energy and carbon per plan",
            Chart::Breakdown => "Where the energy and carbon come from",
            Chart::OverTime => "Cumulative energy and carbon over training time",
            Chart::Sensitivity => "How total CO2e moves with grid intensity and PUE",
        }
    }
}

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
#[error("cannot draw {chart}: {message}")]
pub struct ChartError {
    /// Which chart.
    pub chart: &'static str,
    /// What went wrong.
    pub message: String,
}

const FONT: &str = "sans-serif";

fn register_font() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // The bundled font is valid; if registering ever failed, text would be missing from PNGs, which the
        // export tests catch (they check the image is not blank and the SVG holds the plan names).
        let _ = plotters::style::register_font(
            FONT,
            FontStyle::Normal,
            epaint_default_fonts::UBUNTU_LIGHT,
        );
        let _ = plotters::style::register_font(
            FONT,
            FontStyle::Bold,
            epaint_default_fonts::UBUNTU_LIGHT,
        );
    });
}

fn rgb(c: crate::palette::Rgb) -> RGBColor {
    RGBColor(c[0], c[1], c[2])
}

/// A unit for an axis: values are divided by `factor`.
#[derive(Clone, Copy)]
struct Scale {
    factor: f64,
    name: &'static str,
}

fn energy_scale(max_kwh: f64) -> Scale {
    if max_kwh >= 1e6 {
        Scale {
            factor: 1e6,
            name: "GWh",
        }
    } else if max_kwh >= 1e3 {
        Scale {
            factor: 1e3,
            name: "MWh",
        }
    } else {
        Scale {
            factor: 1.0,
            name: "kWh",
        }
    }
}

fn co2e_scale(max_kg: f64) -> Scale {
    if max_kg >= 1e6 {
        Scale {
            factor: 1e6,
            name: "ktCO2e",
        }
    } else if max_kg >= 1e3 {
        Scale {
            factor: 1e3,
            name: "tCO2e",
        }
    } else {
        Scale {
            factor: 1.0,
            name: "kgCO2e",
        }
    }
}

fn err<E: std::fmt::Debug>(chart: Chart) -> impl Fn(E) -> ChartError {
    move |e| ChartError {
        chart: chart.stem(),
        message: format!("{e:?}"),
    }
}

/// Renders `chart` as an SVG document of `width` x `height` pixels.
pub fn svg(
    report: &Report<'_>,
    chart: Chart,
    width: u32,
    height: u32,
) -> Result<String, ChartError> {
    register_font();
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        draw(&root, report, chart, width, height)?;
        root.present().map_err(err(chart))?;
    }
    Ok(out)
}

/// Renders `chart` as a PNG file of `width` x `height` pixels at `path`.
pub fn png(
    report: &Report<'_>,
    chart: Chart,
    width: u32,
    height: u32,
    path: &Path,
) -> Result<(), ChartError> {
    register_font();
    let root = BitMapBackend::new(path, (width, height)).into_drawing_area();
    draw(&root, report, chart, width, height)?;
    root.present().map_err(err(chart))?;
    Ok(())
}

/// Layout sizes scaled to the canvas (designed at 1600 x 900).
#[derive(Clone, Copy)]
struct Sizes {
    s: f64,
}

impl Sizes {
    fn px(self, x: f64) -> u32 {
        (x * self.s).round().max(1.0) as u32
    }
    fn font(self, x: f64) -> f64 {
        (x * self.s).max(6.0)
    }
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    report: &Report<'_>,
    chart: Chart,
    width: u32,
    height: u32,
) -> Result<(), ChartError> {
    let e = err(chart);
    let sz = Sizes {
        s: (f64::from(width) / 1600.0).min(f64::from(height) / 900.0),
    };
    root.fill(&WHITE).map_err(&e)?;
    let root = root.margin(sz.px(14.0), sz.px(8.0), sz.px(12.0), sz.px(20.0));
    let title_style = TextStyle::from((FONT, sz.font(34.0)).into_font()).color(&BLACK);
    let body = root
        .titled(
            &format!("{} — {}", chart.title(), report.ws.name),
            title_style,
        )
        .map_err(&e)?;
    let foot_lines = report.footnote();
    let line_h = sz.font(17.0) * 1.35;
    let foot_h = (line_h * foot_lines.len() as f64 + sz.font(12.0)) as u32;
    let body_h = body.dim_in_pixel().1.saturating_sub(foot_h);
    let (plots, foot) = body.split_vertically(body_h);
    let panels = plots.split_evenly((1, 2));
    let (left, right) = match panels.as_slice() {
        [l, r] => (l.clone(), r.clone()),
        _ => {
            return Err(ChartError {
                chart: chart.stem(),
                message: "layout".into(),
            });
        }
    };
    match chart {
        Chart::Totals => {
            bars(&left, report, sz, false).map_err(&e)?;
            bars(&right, report, sz, true).map_err(&e)?;
        }
        Chart::Breakdown => {
            stacked(&left, report, sz, false).map_err(&e)?;
            stacked(&right, report, sz, true).map_err(&e)?;
        }
        Chart::OverTime => {
            over_time(&left, report, sz, false).map_err(&e)?;
            over_time(&right, report, sz, true).map_err(&e)?;
        }
        Chart::Sensitivity => {
            sensitivity(&left, report, sz, false).map_err(&e)?;
            sensitivity(&right, report, sz, true).map_err(&e)?;
        }
    }
    let foot_style =
        TextStyle::from((FONT, sz.font(17.0)).into_font()).color(&RGBColor(60, 60, 60));
    for (k, line) in foot_lines.iter().enumerate() {
        foot.draw_text(
            line,
            &foot_style,
            (
                sz.px(24.0) as i32,
                (sz.font(6.0) + line_h * k as f64) as i32,
            ),
        )
        .map_err(&e)?;
    }
    Ok(())
}

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

fn label_style(sz: Sizes) -> TextStyle<'static> {
    TextStyle::from((FONT, sz.font(20.0)).into_font())
}

fn caption_style(sz: Sizes) -> TextStyle<'static> {
    TextStyle::from((FONT, sz.font(24.0)).into_font())
}

fn legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    sz: Sizes,
    pos: SeriesLabelPosition,
) -> DrawResult<DB> {
    chart
        .configure_series_labels()
        .position(pos)
        .margin(sz.px(10.0))
        .label_font(label_style(sz))
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(160, 160, 160))
        .draw()
}

/// Pixels left empty on each side of a bar: a fifth of a plan's slot.
fn bar_gap<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, n: usize, sz: Sizes) -> u32 {
    let slot = f64::from(area.dim_in_pixel().0.saturating_sub(sz.px(120.0))) / n.max(1) as f64;
    (slot * 0.2).round() as u32
}

fn plan_names(report: &Report<'_>) -> Vec<String> {
    report.plans.iter().map(|p| p.plan.name.clone()).collect()
}

fn bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: &Report<'_>,
    sz: Sizes,
    co2e: bool,
) -> DrawResult<DB> {
    let value = |i: usize| {
        report.plans.get(i).map_or(0.0, |p| {
            if co2e {
                p.estimate.total_co2e_kg
            } else {
                p.estimate.facility_energy_kwh
            }
        })
    };
    // P5-P95 whiskers on the CO2e bars, from the seeded Monte Carlo.
    let interval = |i: usize| {
        let s = &report.plans.get(i)?.summary;
        match (co2e, s.co2e_kg_p5, s.co2e_kg_p95) {
            (true, Some(lo), Some(hi)) => Some((lo, hi)),
            _ => None,
        }
    };
    let n = report.plans.len();
    let max = (0..n)
        .map(|i| value(i).max(interval(i).map_or(0.0, |(_, hi)| hi)))
        .fold(0.0, f64::max);
    let scale = if co2e {
        co2e_scale(max)
    } else {
        energy_scale(max)
    };
    let top = (max / scale.factor * 1.18).max(1e-9);
    let names = plan_names(report);
    let caption = if co2e {
        if (0..n).any(|i| interval(i).is_some()) {
            format!("Total CO2e ({}), whiskers P5–P95", scale.name)
        } else {
            format!("Total CO2e ({})", scale.name)
        }
    } else {
        format!("Facility energy ({})", scale.name)
    };
    let mut chart = ChartBuilder::on(area)
        .caption(&caption, caption_style(sz))
        .margin(sz.px(16.0))
        .x_label_area_size(sz.px(60.0))
        .y_label_area_size(sz.px(90.0))
        .build_cartesian_2d((0..n.saturating_sub(1)).into_segmented(), 0.0..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_desc("plan")
        .y_desc(caption.as_str())
        .axis_desc_style(label_style(sz))
        .label_style(label_style(sz))
        .x_labels(n.max(1))
        .x_label_formatter(&|x| match x {
            SegmentValue::CenterOf(i) => names.get(*i).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .y_label_formatter(&|y| units::sig(*y, 4))
        .draw()?;
    let bar_gap = bar_gap(area, n, sz);
    for (i, name) in names.iter().enumerate() {
        let v = value(i) / scale.factor;
        let color = rgb(crate::palette::plan(i));
        chart
            .draw_series(std::iter::once({
                let mut r = Rectangle::new(
                    [
                        (SegmentValue::Exact(i), 0.0),
                        (SegmentValue::Exact(i + 1), v),
                    ],
                    color.filled(),
                );
                r.set_margin(0, 0, bar_gap, bar_gap);
                r
            }))?
            .label(match interval(i) {
                Some((lo, hi)) => format!(
                    "{name}: {} {} (P5–P95 {}–{})",
                    units::sig(v, 4),
                    scale.name,
                    units::sig(lo / scale.factor, 3),
                    units::sig(hi / scale.factor, 3)
                ),
                None => format!("{name}: {} {}", units::sig(v, 4), scale.name),
            })
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], color.filled()));
        let mut label_at = v;
        if let Some((lo, hi)) = interval(i) {
            let (lo, hi) = (lo / scale.factor, hi / scale.factor);
            let ink = ShapeStyle::from(&BLACK).stroke_width(sz.px(2.0));
            let cap = sz.px(10.0) as i32;
            let x = SegmentValue::CenterOf(i);
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(x.clone(), lo), (x.clone(), hi)],
                ink,
            )))?;
            for y in [lo, hi] {
                chart.draw_series(std::iter::once(
                    EmptyElement::at((x.clone(), y))
                        + PathElement::new(vec![(-cap, 0), (cap, 0)], ink),
                ))?;
            }
            label_at = label_at.max(hi);
        }
        chart.draw_series(std::iter::once(Text::new(
            format!("{} {}", units::sig(v, 3), scale.name),
            (SegmentValue::CenterOf(i), label_at + top * 0.02),
            label_style(sz).pos(plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Center,
                plotters::style::text_anchor::VPos::Bottom,
            )),
        )))?;
    }
    legend(&mut chart, sz, SeriesLabelPosition::UpperRight)
}

fn stacked<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: &Report<'_>,
    sz: Sizes,
    co2e: bool,
) -> DrawResult<DB> {
    let n = report.plans.len();
    let max = report
        .plans
        .iter()
        .map(|p| {
            if co2e {
                p.estimate.total_co2e_kg
            } else {
                p.estimate.facility_energy_kwh
            }
        })
        .fold(0.0, f64::max);
    let scale = if co2e {
        co2e_scale(max)
    } else {
        energy_scale(max)
    };
    let top = (max / scale.factor * 1.1).max(1e-9);
    let names = plan_names(report);
    let caption = if co2e {
        format!("CO2e by term ({})", scale.name)
    } else {
        format!("Energy by term ({})", scale.name)
    };
    let mut chart = ChartBuilder::on(area)
        .caption(&caption, caption_style(sz))
        .margin(sz.px(16.0))
        .x_label_area_size(sz.px(60.0))
        .y_label_area_size(sz.px(90.0))
        .build_cartesian_2d((0..n.saturating_sub(1)).into_segmented(), 0.0..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_desc("plan")
        .y_desc(caption.as_str())
        .axis_desc_style(label_style(sz))
        .label_style(label_style(sz))
        .x_labels(n.max(1))
        .x_label_formatter(&|x| match x {
            SegmentValue::CenterOf(i) => names.get(*i).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .y_label_formatter(&|y| units::sig(*y, 4))
        .draw()?;
    let terms: &[Term] = if co2e { &Term::ALL } else { &Term::ALL[..3] };
    let gap = bar_gap(area, n, sz);
    let mut base = vec![0.0; n];
    for (t, term) in terms.iter().enumerate() {
        let color = rgb(crate::palette::TERMS[t % crate::palette::TERMS.len()]);
        let rects: Vec<_> = report
            .plans
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let share = p.estimate.breakdown()[t];
                let v = if co2e {
                    share.co2e_kg
                } else {
                    share.energy_kwh
                } / scale.factor;
                let mut r = Rectangle::new(
                    [
                        (SegmentValue::Exact(i), base[i]),
                        (SegmentValue::Exact(i + 1), base[i] + v),
                    ],
                    color.filled(),
                );
                r.set_margin(0, 0, gap, gap);
                base[i] += v;
                r
            })
            .collect();
        chart
            .draw_series(rects)?
            .label(term.label())
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], color.filled()));
    }
    legend(&mut chart, sz, SeriesLabelPosition::UpperRight)
}

fn line_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    sz: Sizes,
    caption: &str,
    x_desc: &str,
    x_range: (f64, f64),
    y_top: f64,
    series: &[(usize, String, Vec<Point>, Option<Point>)],
) -> DrawResult<DB> {
    let mut chart = ChartBuilder::on(area)
        .caption(caption, caption_style(sz))
        .margin(sz.px(16.0))
        .x_label_area_size(sz.px(60.0))
        .y_label_area_size(sz.px(90.0))
        .build_cartesian_2d(x_range.0..x_range.1, 0.0..y_top.max(1e-9))?;
    chart
        .configure_mesh()
        .x_desc(x_desc)
        .y_desc(caption)
        .axis_desc_style(label_style(sz))
        .label_style(label_style(sz))
        .x_label_formatter(&|x| units::sig(*x, 4))
        .y_label_formatter(&|y| units::sig(*y, 4))
        .draw()?;
    for (i, name, pts, marker) in series {
        let color = rgb(crate::palette::plan(*i));
        let stroke = color.stroke_width(sz.px(3.0));
        chart
            .draw_series(LineSeries::new(pts.iter().map(|p| (p[0], p[1])), stroke))?
            .label(name.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], stroke));
        if let Some(m) = marker {
            chart.draw_series(std::iter::once(Circle::new(
                (m[0], m[1]),
                sz.px(7.0),
                color.filled(),
            )))?;
        }
    }
    legend(&mut chart, sz, SeriesLabelPosition::UpperLeft)
}

fn over_time<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: &Report<'_>,
    sz: Sizes,
    co2e: bool,
) -> DrawResult<DB> {
    let max = report
        .plans
        .iter()
        .map(|p| {
            if co2e {
                p.estimate.total_co2e_kg
            } else {
                p.estimate.facility_energy_kwh
            }
        })
        .fold(0.0, f64::max);
    let scale = if co2e {
        co2e_scale(max)
    } else {
        energy_scale(max)
    };
    let mut x_max: f64 = 0.0;
    let series: Vec<_> = report
        .plans
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let (energy, carbon) = analysis::cumulative(&p.estimate, 48)?;
            let pts: Vec<Point> = if co2e { carbon } else { energy }
                .iter()
                .map(|q| [q[0], q[1] / scale.factor])
                .collect();
            x_max = x_max.max(pts.last().map_or(0.0, |q| q[0]));
            Some((i, p.plan.name.clone(), pts, None))
        })
        .collect();
    let caption = if co2e {
        format!("Cumulative CO2e ({})", scale.name)
    } else {
        format!("Cumulative facility energy ({})", scale.name)
    };
    line_chart(
        area,
        sz,
        &caption,
        "wall-clock hours (h)",
        (0.0, (x_max * 1.02).max(1.0)),
        max / scale.factor * 1.1,
        &series,
    )
}

fn sensitivity<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: &Report<'_>,
    sz: Sizes,
    by_pue: bool,
) -> DrawResult<DB> {
    let (lo, hi) = report.plans.iter().fold(
        if by_pue {
            (1.0_f64, 2.0_f64)
        } else {
            (0.0, 800.0)
        },
        |(lo, hi), p| {
            let (l, h) = if by_pue {
                analysis::pue_range(p.estimate.pue)
            } else {
                analysis::intensity_range(p.estimate.intensity_g_per_kwh)
            };
            (lo.min(l), hi.max(h))
        },
    );
    let f = |p: &super::report::PlanReport<'_>, x: f64| {
        if by_pue {
            analysis::co2e_at_pue(&p.estimate, x)
        } else {
            analysis::co2e_at_intensity(&p.estimate, x)
        }
    };
    let max = report.plans.iter().map(|p| f(p, hi)).fold(0.0, f64::max);
    let scale = co2e_scale(max);
    let series: Vec<_> = report
        .plans
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let pts = analysis::sample(lo, hi, 2, |x| f(p, x) / scale.factor);
            let now = if by_pue {
                p.estimate.pue
            } else {
                p.estimate.intensity_g_per_kwh
            };
            (
                i,
                p.plan.name.clone(),
                pts,
                Some([now, p.estimate.total_co2e_kg / scale.factor]),
            )
        })
        .collect();
    line_chart(
        area,
        sz,
        &format!("Total CO2e ({})", scale.name),
        if by_pue {
            "PUE (dot: the plan's own)"
        } else {
            "grid intensity (gCO2e/kWh) (dot: the plan's own)"
        },
        (lo, hi),
        max / scale.factor * 1.05,
        &series,
    )
}
