//! Charts as files (PNG and SVG): the app's chart model ([`crate::chart`]) laid out in pixels and drawn with
//! `plotters` and the embedded Ubuntu font (the app's own, so no system fonts are needed). The layout is a plain
//! [`Scene`] of shapes and text boxes, computed before anything is drawn, so tests can check that no two texts
//! overlap and that everything lies inside the image, from 2 plans to 50.

use super::report::Report;
use crate::chart::{
    self, Anchor, Arrangement, Axis, Chart as ChartData, LegendMark, Marker, Panel, Shape, Ticks,
};
use crate::palette::{self, Rgb};
use crate::units;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;

pub use crate::chart::ChartKind as Chart;

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

#[cfg(not(target_arch = "wasm32"))]
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
    });
}

/// The chart data of `kind` for a report: the same builder, from the same results, as the app's.
pub fn data(report: &Report<'_>, kind: Chart) -> ChartData {
    chart::build(kind, &input(report))
}

/// The chart input of a report: its plans, baseline, the plan the per-plan charts show and its schedule.
pub fn input<'a>(report: &'a Report<'_>) -> chart::Input<'a> {
    chart::Input {
        subject: &report.ws.name,
        plans: report
            .plans
            .iter()
            .enumerate()
            .map(|(i, p)| chart::PlanInput {
                key: p.plan.id.key_or(i),
                name: &p.plan.name,
                color: palette::of_key(p.plan.id.key_or(i)),
                estimate: Some(&p.estimate),
                interval: Some(p.uncertainty.interval),
                tornado: &p.uncertainty.tornado,
                band_note: p.uncertainty.note.as_deref(),
            })
            .collect(),
        baseline: report.baseline,
        focus: report.focus,
        schedule: report.schedule.as_ref().map(chart::ScheduleInput::from),
        footnote: report.footnote_lines(),
    }
}

/// Renders `chart` as an SVG document of `width` x `height` pixels.
pub fn svg(
    report: &Report<'_>,
    chart: Chart,
    width: u32,
    height: u32,
) -> Result<String, ChartError> {
    svg_of(&data(report, chart), &report.stamp(), width, height)
}

/// Renders chart data already built (a sweep's chart) as an SVG document; `stamp` is the last footnote line.
pub fn svg_of(
    data: &ChartData,
    stamp: &str,
    width: u32,
    height: u32,
) -> Result<String, ChartError> {
    let chart = data.kind;
    let scene = scene(data, stamp, width, height);
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        paint(&root, &scene, false).map_err(err(chart))?;
        root.present().map_err(err(chart))?;
    }
    Ok(out)
}

/// Renders `chart` as a PNG file of `width` x `height` pixels at `path` (atomically).
pub fn png(
    report: &Report<'_>,
    chart: Chart,
    width: u32,
    height: u32,
    path: &Path,
) -> Result<(), ChartError> {
    let bytes = png_bytes(report, chart, width, height)?;
    crate::persist::atomic::write(path, &bytes, false).map_err(err(chart))
}

/// Renders `chart` as the bytes of a PNG image of `width` x `height` pixels (8-bit RGB).
pub fn png_bytes(
    report: &Report<'_>,
    chart: Chart,
    width: u32,
    height: u32,
) -> Result<Vec<u8>, ChartError> {
    png_bytes_of(&data(report, chart), &report.stamp(), width, height)
}

/// Renders chart data already built (a sweep's chart) as the bytes of a PNG image; `stamp` is the last footnote
/// line.
pub fn png_bytes_of(
    data: &ChartData,
    stamp: &str,
    width: u32,
    height: u32,
) -> Result<Vec<u8>, ChartError> {
    let chart = data.kind;
    let scene = scene(data, stamp, width, height);
    let mut rgb = vec![0u8; width as usize * height as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (width, height)).into_drawing_area();
        paint(&root, &scene, true).map_err(err(chart))?;
        root.present().map_err(err(chart))?;
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, width, height);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().map_err(err(chart))?;
        writer.write_image_data(&rgb).map_err(err(chart))?;
        writer.finish().map_err(err(chart))?;
    }
    Ok(out)
}

fn err<E: std::fmt::Debug>(chart: Chart) -> impl Fn(E) -> ChartError {
    move |e| ChartError {
        chart: chart.stem(),
        message: format!("{e:?}"),
    }
}

/// A rectangle in pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    /// Left.
    pub x0: f64,
    /// Top.
    pub y0: f64,
    /// Right.
    pub x1: f64,
    /// Bottom.
    pub y1: f64,
}

impl Rect {
    fn new(x0: f64, y0: f64, x1: f64, y1: f64) -> Self {
        Rect { x0, y0, x1, y1 }
    }

    /// True if the two rectangles share more than a pixel's sliver.
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x0 < o.x1 - 0.5 && o.x0 < self.x1 - 0.5 && self.y0 < o.y1 - 0.5 && o.y0 < self.y1 - 0.5
    }

    /// True if the rectangle lies within `width` x `height`.
    pub fn inside(&self, width: f64, height: f64) -> bool {
        self.x0 >= -0.5 && self.y0 >= -0.5 && self.x1 <= width + 0.5 && self.y1 <= height + 0.5
    }

    fn w(&self) -> f64 {
        self.x1 - self.x0
    }

    fn h(&self) -> f64 {
        self.y1 - self.y0
    }
}

/// A text placed in the image: its box (top-left anchored) and size.
#[derive(Clone, Debug, PartialEq)]
pub struct TextBox {
    /// The text.
    pub text: String,
    /// Where it sits.
    pub rect: Rect,
    /// Font size, pixels.
    pub px: f64,
    /// Colour.
    pub color: Rgb,
}

/// A drawn shape.
#[derive(Clone, Debug, PartialEq)]
pub enum Prim {
    /// A filled rectangle.
    Fill(Rect, Rgb, f64),
    /// An outlined rectangle.
    Frame(Rect, Rgb),
    /// A polyline.
    Path(Vec<(f64, f64)>, Rgb, f64),
    /// A marker centred at a point with a radius.
    Mark(Marker, (f64, f64), f64, Rgb),
}

/// The laid-out chart: every shape and every text box, in pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct Scene {
    /// Image width.
    pub width: f64,
    /// Image height.
    pub height: f64,
    /// Shapes, drawn first, in order.
    pub prims: Vec<Prim>,
    /// Texts, drawn last.
    pub texts: Vec<TextBox>,
}

/// Measures text in the embedded font.
#[cfg(target_arch = "wasm32")]
fn text_size(px: f64, text: &str) -> (f64, f64) {
    match glyphs::width(px, text) {
        Some(w) => (f64::from(w) + 1.0, px * 1.2),
        None => (px * 0.55 * text.chars().count() as f64, px * 1.2),
    }
}

/// Measures text in the embedded font.
#[cfg(not(target_arch = "wasm32"))]
fn text_size(px: f64, text: &str) -> (f64, f64) {
    register_font();
    let font: FontDesc<'_> = (FONT, px).into_font();
    match font.box_size(text) {
        Ok((w, _)) => (f64::from(w) + 1.0, px * 1.2),
        // Without the font (never with the bundled one) an average glyph is about half the size wide.
        Err(_) => (px * 0.55 * text.chars().count() as f64, px * 1.2),
    }
}

/// Font sizes and spacing scaled to the canvas (designed at 1600 x 900).
#[derive(Clone, Copy)]
struct Sizes {
    s: f64,
}

impl Sizes {
    fn title(self) -> f64 {
        (30.0 * self.s).max(9.0)
    }
    fn caption(self) -> f64 {
        (21.0 * self.s).max(8.0)
    }
    fn body(self) -> f64 {
        (17.0 * self.s).max(7.0)
    }
    fn small(self) -> f64 {
        (15.0 * self.s).max(7.0)
    }
    fn gap(self) -> f64 {
        (12.0 * self.s).max(3.0)
    }
}

/// Collects shapes and texts; a text that would overlap one already placed is left out when it may be thinned.
struct Builder {
    prims: Vec<Prim>,
    texts: Vec<TextBox>,
    width: f64,
    height: f64,
    /// Bars drawn in the current panel (value labels may not cover another bar).
    bars: Vec<Rect>,
}

impl Builder {
    /// Places a text with its top-left at (x, y) if it fits the image and overlaps nothing; true if placed.
    fn text(&mut self, text: &str, x: f64, y: f64, px: f64, color: Rgb) -> bool {
        let (w, h) = text_size(px, text);
        let rect = Rect::new(x, y, x + w, y + h);
        if text.is_empty()
            || !rect.inside(self.width, self.height)
            || self.texts.iter().any(|t| t.rect.overlaps(&rect))
        {
            return false;
        }
        self.texts.push(TextBox {
            text: text.to_owned(),
            rect,
            px,
            color,
        });
        true
    }
}

/// Splits `text` into lines no wider than `width` at `px` (words longer than a line are cut with an ellipsis).
fn wrap(text: &str, px: f64, width: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if text_size(px, &candidate).0 <= width || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::take(&mut line));
            line = word.to_owned();
        }
        if text_size(px, &line).0 > width {
            line = ellipsis(&line, px, width);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// `text` cut to fit `width`, ending in an ellipsis when cut.
fn ellipsis(text: &str, px: f64, width: f64) -> String {
    if text_size(px, text).0 <= width {
        return text.to_owned();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut n = chars.len();
    while n > 0 {
        n -= 1;
        let s: String = chars[..n].iter().collect::<String>() + "…";
        if text_size(px, &s).0 <= width {
            return s;
        }
    }
    String::new()
}

const INK: Rgb = [30, 30, 30];
const MUTED: Rgb = [80, 80, 80];
const GRID: Rgb = [225, 225, 225];

/// Lays out a chart on a `width` x `height` canvas: title, legend and notes above, the panels, the footnote
/// (wrapped) and `stamp` below. Texts never overlap and stay inside the image: labels that would collide are
/// thinned (the baseline's kept first).
pub fn scene(chart: &ChartData, stamp: &str, width: u32, height: u32) -> Scene {
    let (w, h) = (f64::from(width), f64::from(height));
    let sz = Sizes {
        s: (w / 1600.0).min(h / 900.0),
    };
    let mut b = Builder {
        prims: vec![Prim::Fill(Rect::new(0.0, 0.0, w, h), [255, 255, 255], 1.0)],
        texts: Vec::new(),
        width: w,
        height: h,
        bars: Vec::new(),
    };
    let m = sz.gap() * 1.5;
    let mut y = m * 0.8;
    for line in wrap(&chart.title, sz.title(), w - 2.0 * m) {
        let lw = text_size(sz.title(), &line).0;
        b.text(&line, (w - lw) / 2.0, y, sz.title(), INK);
        y += sz.title() * 1.25;
    }
    y += sz.gap() * 0.5;
    // The legend: one or more rows of swatch + name, above the plots (never over data).
    if !chart.legend.is_empty() {
        let px = sz.body();
        let sw = px * 0.9;
        let mut x = m;
        for e in &chart.legend {
            let tw = text_size(px, &e.name).0;
            if x + sw + 6.0 + tw > w - m && x > m {
                x = m;
                y += px * 1.4;
            }
            let cy = y + px * 0.6;
            match e.mark {
                LegendMark::Box => b.prims.push(Prim::Fill(
                    Rect::new(x, cy - sw / 2.0, x + sw, cy + sw / 2.0),
                    e.color,
                    1.0,
                )),
                LegendMark::Line => b.prims.push(Prim::Path(
                    vec![(x, cy), (x + sw, cy)],
                    e.color,
                    (3.0 * sz.s).max(1.0),
                )),
                LegendMark::Marker(mk) => {
                    b.prims
                        .push(Prim::Mark(mk, (x + sw / 2.0, cy), sw * 0.45, e.color))
                }
            }
            b.text(
                &ellipsis(&e.name, px, w - 2.0 * m - sw - 6.0),
                x + sw + 6.0,
                y,
                px,
                INK,
            );
            x += sw + 6.0 + tw + sz.gap() * 1.5;
        }
        y += px * 1.5;
    }
    for note in &chart.notes {
        for line in wrap(note, sz.small(), w - 2.0 * m) {
            b.text(&line, m, y, sz.small(), MUTED);
            y += sz.small() * 1.25;
        }
    }
    // The footnote from the bottom up, wrapped to the width.
    let mut foot: Vec<String> = Vec::new();
    for line in chart.footnote.iter().map(String::as_str).chain([stamp]) {
        foot.extend(wrap(line, sz.small(), w - 2.0 * m));
    }
    let line_h = sz.small() * 1.3;
    let foot_top = h - m * 0.6 - line_h * foot.len() as f64;
    for (k, line) in foot.iter().enumerate() {
        b.text(line, m, foot_top + line_h * k as f64, sz.small(), MUTED);
    }
    let body = Rect::new(m, y + sz.gap() * 0.5, w - m, foot_top - sz.gap());
    if body.h() < 40.0 || chart.panels.is_empty() {
        return Scene {
            width: w,
            height: h,
            prims: b.prims,
            texts: b.texts,
        };
    }
    let n = chart.panels.len() as f64;
    let gap = sz.gap() * 3.0;
    for (k, panel) in chart.panels.iter().enumerate() {
        let k = k as f64;
        let area = match chart.arrangement {
            Arrangement::Columns => {
                let pw = (body.w() - gap * (n - 1.0)) / n;
                Rect::new(
                    body.x0 + k * (pw + gap),
                    body.y0,
                    body.x0 + k * (pw + gap) + pw,
                    body.y1,
                )
            }
            Arrangement::Rows => {
                let ph = (body.h() - gap * (n - 1.0)) / n;
                Rect::new(
                    body.x0,
                    body.y0 + k * (ph + gap),
                    body.x1,
                    body.y0 + k * (ph + gap) + ph,
                )
            }
        };
        panel_scene(&mut b, panel, area, sz);
    }
    Scene {
        width: w,
        height: h,
        prims: b.prims,
        texts: b.texts,
    }
}

/// Maps data to pixels inside a plot rectangle.
struct Map {
    r: Rect,
    x: (f64, f64),
    y: (f64, f64),
}

impl Map {
    fn px(&self, x: f64) -> f64 {
        self.r.x0 + (x - self.x.0) / (self.x.1 - self.x.0) * self.r.w()
    }
    fn py(&self, y: f64) -> f64 {
        self.r.y1 - (y - self.y.0) / (self.y.1 - self.y.0) * self.r.h()
    }
    fn pt(&self, p: [f64; 2]) -> (f64, f64) {
        (self.px(p[0]), self.py(p[1]))
    }
    fn clamp(&self, (x, y): (f64, f64)) -> (f64, f64) {
        (x.clamp(self.r.x0, self.r.x1), y.clamp(self.r.y0, self.r.y1))
    }
}

fn tick_text(v: f64) -> String {
    units::sig(v, 4)
}

fn panel_scene(b: &mut Builder, panel: &Panel, area: Rect, sz: Sizes) {
    let px = sz.body();
    let line = px * 1.2;
    // Caption (one line, cut to the panel's width).
    let caption = ellipsis(&panel.caption, sz.caption(), area.w());
    b.text(&caption, area.x0, area.y0, sz.caption(), INK);
    let top = area.y0 + sz.caption() * 1.4;
    // The x axis below: tick labels (two lines for category names) and the axis title.
    let x_cat = matches!(panel.x.ticks, Ticks::Categories(_));
    let x_title_h = if panel.x.label.is_empty() { 0.0 } else { line };
    let bottom = area.y1 - x_title_h - if x_cat { 2.0 * line } else { line } - sz.gap() * 0.5;
    // The y axis on the left: numbers or category names (at most 35 % of the panel).
    let y_ticks = axis_ticks(&panel.y, (bottom - top) / (line * 1.6));
    let y_label_w = match &panel.y.ticks {
        Ticks::Numeric => y_ticks
            .iter()
            .map(|v| text_size(px, &tick_text(*v)).0)
            .fold(0.0, f64::max),
        Ticks::Categories(names) => names
            .iter()
            .map(|n| text_size(px, n).0)
            .fold(0.0, f64::max)
            .min(area.w() * 0.35),
    };
    let plot = Rect::new(
        area.x0 + y_label_w + sz.gap(),
        top,
        area.x1 - sz.gap(),
        bottom,
    );
    if plot.w() < 20.0 || plot.h() < 20.0 {
        return;
    }
    let map = Map {
        r: plot,
        x: (panel.x.min, panel.x.max),
        y: (panel.y.min, panel.y.max),
    };
    // Grid lines at the numeric ticks, then the frame.
    let x_ticks = axis_ticks(&panel.x, plot.w() / (px * 5.0));
    if matches!(panel.y.ticks, Ticks::Numeric) {
        for v in &y_ticks {
            let y = map.py(*v);
            b.prims
                .push(Prim::Path(vec![(plot.x0, y), (plot.x1, y)], GRID, 1.0));
        }
    }
    if matches!(panel.x.ticks, Ticks::Numeric) {
        for v in &x_ticks {
            let x = map.px(*v);
            b.prims
                .push(Prim::Path(vec![(x, plot.y0), (x, plot.y1)], GRID, 1.0));
        }
    }
    b.bars.clear();
    for s in &panel.series {
        series_prims(b, &map, panel, s, sz);
    }
    b.prims.push(Prim::Frame(plot, [150, 150, 150]));
    // Axis texts: categories first with the baseline's (flagged by "(baseline)") kept when thinning.
    match &panel.y.ticks {
        Ticks::Numeric => {
            for v in &y_ticks {
                let t = tick_text(*v);
                let (tw, th) = text_size(px, &t);
                b.text(
                    &t,
                    plot.x0 - sz.gap() * 0.5 - tw,
                    map.py(*v) - th / 2.0,
                    px,
                    MUTED,
                );
            }
        }
        Ticks::Categories(names) => {
            let order = priority_order(names);
            for i in order {
                let t = ellipsis(&names[i], px, y_label_w);
                let (tw, th) = text_size(px, &t);
                b.text(
                    &t,
                    plot.x0 - sz.gap() * 0.5 - tw,
                    map.py(i as f64) - th / 2.0,
                    px,
                    MUTED,
                );
            }
        }
    }
    let tick_y = plot.y1 + sz.gap() * 0.4;
    match &panel.x.ticks {
        Ticks::Numeric => {
            for v in &x_ticks {
                let t = tick_text(*v);
                let tw = text_size(px, &t).0;
                b.text(&t, map.px(*v) - tw / 2.0, tick_y, px, MUTED);
            }
        }
        Ticks::Categories(names) => {
            let slot = plot.w() / names.len().max(1) as f64;
            for i in priority_order(names) {
                let lines = wrap(&names[i], px, slot * 0.96);
                for (k, l) in lines.iter().take(2).enumerate() {
                    let tw = text_size(px, l).0;
                    b.text(
                        l,
                        map.px(i as f64) - tw / 2.0,
                        tick_y + line * k as f64,
                        px,
                        MUTED,
                    );
                }
            }
        }
    }
    if !panel.x.label.is_empty() {
        let t = ellipsis(&panel.x.label, px, plot.w());
        let tw = text_size(px, &t).0;
        b.text(&t, plot.x0 + (plot.w() - tw) / 2.0, area.y1 - line, px, INK);
    }
    // Labels at data points, priority first; one that would collide, cover another bar or leave the plot is left
    // out (a label right of a line's end that does not fit goes to its left).
    let mut labels: Vec<&chart::Label> = panel.labels.iter().collect();
    labels.sort_by_key(|l| !l.priority);
    // Rows thinner than a line of text: only the baseline's value (the others would sit across the next rows).
    let row = match &panel.y.ticks {
        Ticks::Categories(names) => plot.h() / names.len().max(1) as f64,
        Ticks::Numeric => f64::INFINITY,
    };
    let crowded = text_size(sz.small(), "0").1 > row;
    labels.retain(|l| l.priority || !crowded);
    let within =
        |r: &Rect| r.x0 >= plot.x0 && r.x1 <= plot.x1 && r.y0 >= plot.y0 && r.y1 <= plot.y1;
    for l in labels {
        let (x, y) = map.pt(l.at);
        let (tw, th) = text_size(sz.small(), &l.text);
        let candidates = match l.anchor {
            Anchor::Above => vec![(x - tw / 2.0, y - th - 2.0)],
            Anchor::Right => vec![(x + 4.0, y - th / 2.0), (x - tw - 4.0, y - th / 2.0)],
        };
        for (lx, ly) in candidates {
            let r = Rect::new(lx, ly, lx + tw, ly + th);
            let covers_bar = b.bars.iter().any(|bar| bar.overlaps(&r));
            if within(&r)
                && (l.priority || !covers_bar)
                && b.text(&l.text, lx, ly, sz.small(), l.color.unwrap_or(INK))
            {
                break;
            }
        }
    }
}

/// Category positions with the baseline's first, then in order (so thinning never drops the baseline).
fn priority_order(names: &[String]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by_key(|&i| !names[i].ends_with("(baseline)"));
    order
}

fn axis_ticks(axis: &Axis, room: f64) -> Vec<f64> {
    match axis.ticks {
        Ticks::Numeric => chart::scale::ticks(axis.min, axis.max, room.clamp(2.0, 10.0) as usize)
            .into_iter()
            .filter(|v| *v >= axis.min - 1e-9 && *v <= axis.max + 1e-9)
            .collect(),
        Ticks::Categories(_) => Vec::new(),
    }
}

fn series_prims(b: &mut Builder, map: &Map, panel: &Panel, s: &chart::Series, sz: Sizes) {
    match &s.shape {
        Shape::Bars { bars, horizontal } => {
            let slot = if *horizontal {
                map.r.h() / (panel.y.max - panel.y.min)
            } else {
                map.r.w() / (panel.x.max - panel.x.min)
            };
            let half = (slot * 0.3).max(0.5);
            for bar in bars {
                let (a, z) = (bar.base, bar.base + bar.value);
                let r = if *horizontal {
                    let c = map.py(bar.pos);
                    let (x0, x1) = (map.px(a.min(z)), map.px(a.max(z)));
                    Rect::new(x0, c - half, x1, c + half)
                } else {
                    let c = map.px(bar.pos);
                    let (y0, y1) = (map.py(a.max(z)), map.py(a.min(z)));
                    Rect::new(c - half, y0, c + half, y1)
                };
                let (x0, y0) = map.clamp((r.x0, r.y0));
                let (x1, y1) = map.clamp((r.x1, r.y1));
                b.prims
                    .push(Prim::Fill(Rect::new(x0, y0, x1, y1), s.color, 1.0));
            }
        }
        Shape::Line { points, width } => {
            let pts: Vec<(f64, f64)> = points.iter().map(|p| map.clamp(map.pt(*p))).collect();
            b.prims.push(Prim::Path(
                pts,
                s.color,
                f64::from(*width) * 1.5 * sz.s.max(0.5),
            ));
        }
        Shape::Markers {
            points,
            marker,
            radius,
        } => {
            for p in points {
                let c = map.clamp(map.pt(*p));
                b.prims.push(Prim::Mark(
                    *marker,
                    c,
                    f64::from(*radius) * 1.2 * sz.s.max(0.5),
                    s.color,
                ));
            }
        }
        Shape::Whiskers { items, horizontal } => {
            let cap = 8.0 * sz.s.max(0.5);
            let stroke = (2.0 * sz.s).max(1.0);
            for wk in items {
                let (p, q, caps) = if *horizontal {
                    let y = map.py(wk.pos);
                    let (x0, x1) = (map.px(wk.low), map.px(wk.high));
                    (
                        (x0, y),
                        (x1, y),
                        [
                            ((x0, y - cap), (x0, y + cap)),
                            ((x1, y - cap), (x1, y + cap)),
                        ],
                    )
                } else {
                    let x = map.px(wk.pos);
                    let (y0, y1) = (map.py(wk.low), map.py(wk.high));
                    (
                        (x, y0),
                        (x, y1),
                        [
                            ((x - cap, y0), (x + cap, y0)),
                            ((x - cap, y1), (x + cap, y1)),
                        ],
                    )
                };
                b.prims
                    .push(Prim::Path(vec![map.clamp(p), map.clamp(q)], INK, stroke));
                for (a, z) in caps {
                    b.prims
                        .push(Prim::Path(vec![map.clamp(a), map.clamp(z)], INK, stroke));
                }
            }
        }
        Shape::Spans { spans, top } => {
            for (a, z) in spans {
                let (x0, y0) = map.clamp(map.pt([*a, *top]));
                let (x1, y1) = map.clamp(map.pt([*z, 0.0]));
                b.prims
                    .push(Prim::Fill(Rect::new(x0, y0, x1, y1), s.color, 0.25));
            }
        }
    }
}

fn rgb(c: Rgb) -> RGBColor {
    RGBColor(c[0], c[1], c[2])
}

fn ip(p: (f64, f64)) -> (i32, i32) {
    (p.0.round() as i32, p.1.round() as i32)
}

/// Draws a laid-out scene.
fn paint<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    scene: &Scene,
    raster: bool,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let _ = raster; // Used on the web, where the glyphs of a bitmap are drawn here.
    for p in &scene.prims {
        match p {
            Prim::Fill(r, c, alpha) => root.draw(&Rectangle::new(
                [ip((r.x0, r.y0)), ip((r.x1, r.y1))],
                rgb(*c).mix(*alpha).filled(),
            ))?,
            Prim::Frame(r, c) => root.draw(&Rectangle::new(
                [ip((r.x0, r.y0)), ip((r.x1, r.y1))],
                rgb(*c).stroke_width(1),
            ))?,
            Prim::Path(pts, c, width) => root.draw(&PathElement::new(
                pts.iter().copied().map(ip).collect::<Vec<_>>(),
                rgb(*c).stroke_width(width.round().max(1.0) as u32),
            ))?,
            Prim::Mark(m, c, r, color) => {
                let (x, y) = *c;
                let style = rgb(*color).filled();
                match m {
                    Marker::Circle => root.draw(&Circle::new(ip(*c), r.round() as i32, style))?,
                    Marker::Square => root.draw(&Rectangle::new(
                        [ip((x - r, y - r)), ip((x + r, y + r))],
                        style,
                    ))?,
                    Marker::Diamond => root.draw(&Polygon::new(
                        vec![
                            ip((x, y - r)),
                            ip((x + r, y)),
                            ip((x, y + r)),
                            ip((x - r, y)),
                        ],
                        style,
                    ))?,
                }
            }
        }
    }
    for t in &scene.texts {
        let color = rgb(t.color);
        let at = ip((t.rect.x0, t.rect.y0));
        #[cfg(target_arch = "wasm32")]
        if raster {
            // plotters draws no glyphs into bitmaps on the web: rasterize them here, as it does on the desktop.
            let (w, h) = root.dim_in_pixel();
            let mut result = Ok(());
            glyphs::draw(t.px, &t.text, |x, y, a| {
                let (x, y) = (at.0 + x, at.1 + y);
                if result.is_ok() && x >= 0 && y >= 0 && (x as u32) < w && (y as u32) < h {
                    result = root.draw_pixel((x, y), &color.mix(f64::from(a)));
                }
            });
            result?;
            continue;
        }
        let style = TextStyle::from((FONT, t.px).into_font())
            .color(&color)
            .pos(Pos::new(HPos::Left, VPos::Top));
        root.draw_text(&t.text, &style, at)?;
    }
    Ok(())
}

/// Text in the embedded font with `ab_glyph`, for the web, where plotters neither measures nor draws glyphs
/// itself: the same metrics and coverage as plotters' own `ab_glyph` font on the desktop, so a chart is laid out
/// and drawn the same in both.
#[cfg(target_arch = "wasm32")]
mod glyphs {
    use ab_glyph::{Font, FontRef, ScaleFont};

    fn font() -> Option<FontRef<'static>> {
        FontRef::try_from_slice(epaint_default_fonts::UBUNTU_LIGHT).ok()
    }

    /// The advance width of `text` at `px` pixels, whole pixels (as plotters' `estimate_layout`).
    pub fn width(px: f64, text: &str) -> Option<i32> {
        let f = font()?;
        let font = f.as_scaled(px as f32);
        let mut x = 0f32;
        let mut prev = None;
        for c in text.chars() {
            let g = font.glyph_id(c);
            x += font.h_advance(g);
            if let Some(p) = prev {
                x += font.kern(p, g);
            }
            prev = Some(g);
        }
        Some(x as i32)
    }

    /// Calls `put(x, y, coverage)` for each pixel of `text` at `px` pixels, its box's top left at (0, 0).
    pub fn draw(px: f64, text: &str, mut put: impl FnMut(i32, i32, f32)) {
        let Some(f) = font() else {
            return;
        };
        let font = f.as_scaled(px as f32);
        let mut x_shift = 0f32;
        let mut prev: Option<char> = None;
        for c in text.chars() {
            if let Some(pc) = prev {
                x_shift += font.kern(font.glyph_id(pc), font.glyph_id(c));
            }
            prev = Some(c);
            if let Some(q) = font.outline_glyph(font.scaled_glyph(c)) {
                let rect = q.px_bounds();
                let y_shift = ((px as f32) / 2.0 + rect.min.y) as i32;
                let xs = x_shift as i32;
                q.draw(|x, y, a| put(x as i32 + xs, y as i32 + y_shift, a));
            }
            x_shift += font.h_advance(font.glyph_id(c));
        }
    }
}
