//! Chart data ([`crate::chart`], the same data the exports draw) drawn with egui_plot: the legend above the plots,
//! then each panel. Nothing is computed inside a plot: each series, label and axis comes from the model. Used by
//! the chart tabs, the sweep view and the measured-run column.

use crate::chart::{Anchor, Arrangement, Chart, LegendMark, Marker, Panel, Shape, Ticks};
use crate::palette::{self, Rgb};
use crate::units;
use eframe::egui::{self, Color32, Id, RichText, Ui};
use egui_plot::{
    AxisHints, Bar, BarChart, GridMark, HoverPosition, Line, MarkerShape, Plot, PlotPoint,
    PlotPoints, Points, Polygon, Text,
};

fn color(c: Rgb) -> Color32 {
    Color32::from_rgb(c[0], c[1], c[2])
}

/// Ink for neutral marks, readable on the current theme.
fn ink(ctx: &egui::Context, c: Rgb) -> Color32 {
    if c != palette::INK {
        color(c)
    } else if ctx.global_style().visuals.dark_mode {
        Color32::from_gray(230)
    } else {
        Color32::from_gray(30)
    }
}

/// The legend: a row of swatches and names above the plots.
fn legend(ui: &mut Ui, chart: &Chart) {
    if chart.legend.is_empty() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        for e in &chart.legend {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(16.0, 12.0), egui::Sense::hover());
            let c = ink(ui.ctx(), e.color);
            let p = ui.painter();
            match e.mark {
                LegendMark::Box => {
                    p.rect_filled(rect.shrink(1.0), 2.0, c);
                }
                LegendMark::Line => {
                    p.line_segment(
                        [rect.left_center(), rect.right_center()],
                        egui::Stroke::new(2.5, c),
                    );
                }
                LegendMark::Marker(_) => {
                    p.circle_filled(rect.center(), 4.5, c);
                }
            }
            ui.label(RichText::new(&e.name).small());
            ui.add_space(8.0);
        }
    });
}

/// Draws a chart's panels into `w` x `h` (the legend first, above them).
pub fn draw(ui: &mut Ui, chart: &Chart, w: f32, h: f32) {
    draw_panels(ui, chart, &chart.panels, w, h, true);
}

/// Draws the first `panels` panels of a chart `h` tall whatever the space left (in a scroll area: a tall sweep)
/// and returns where a panel was clicked, in data units.
pub fn draw_clickable(
    ui: &mut Ui,
    chart: &Chart,
    panels: usize,
    w: f32,
    h: f32,
) -> Option<[f64; 2]> {
    draw_panels(
        ui,
        chart,
        &chart.panels[..panels.min(chart.panels.len())],
        w,
        h,
        false,
    )
}

fn draw_panels(
    ui: &mut Ui,
    chart: &Chart,
    panels: &[Panel],
    w: f32,
    h: f32,
    fit: bool,
) -> Option<[f64; 2]> {
    let mut clicked = None;
    ui.vertical(|ui| {
        legend(ui, chart);
        let h = if fit { ui.available_height().min(h) } else { h };
        let n = panels.len().max(1) as f32;
        let gap = ui.spacing().item_spacing;
        match chart.arrangement {
            Arrangement::Columns => {
                let pw = ((w - gap.x * (n - 1.0)) / n).max(120.0);
                ui.horizontal(|ui| {
                    for p in panels {
                        clicked = clicked.or(plot(ui, chart, p, pw, h));
                    }
                });
            }
            Arrangement::Rows => {
                // Rows that fill the height exactly (a shorter content would shrink the resizable panel).
                let ph = ((h - gap.y * (n - 1.0)) / n).floor().max(60.0);
                for p in panels {
                    clicked = clicked.or(plot(ui, chart, p, w, ph));
                }
            }
        }
    });
    clicked
}

/// Tick labels of a category axis: the name under each integer position, nothing between.
fn category_formatter(
    names: Vec<String>,
) -> impl Fn(egui_plot::GridMark, &std::ops::RangeInclusive<f64>) -> String {
    move |mark, _| {
        let v = mark.value;
        if (v - v.round()).abs() < 1e-6 && v >= 0.0 {
            names.get(v.round() as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    }
}

fn hover_text(pos: &HoverPosition<'_>, x_label: &str, y_label: &str) -> Option<String> {
    match pos {
        HoverPosition::NearDataPoint {
            plot_name,
            position,
            ..
        } => Some(format!(
            "{plot_name}\n{x_label}: {}\n{y_label}: {}",
            units::sig(position.x, 4),
            units::sig(position.y, 4)
        )),
        HoverPosition::Elsewhere { .. } => None,
    }
}

/// Draws one panel; its accessible node is an image named after what it shows and described by its numbers.
/// Returns where a click landed, in plot coordinates.
fn plot(ui: &mut Ui, chart: &Chart, panel: &Panel, w: f32, h: f32) -> Option<[f64; 2]> {
    let mut p = Plot::new(panel.id)
        .width(w)
        .height(h)
        .include_x(panel.x.min)
        .include_x(panel.x.max)
        .include_y(panel.y.min)
        .include_y(panel.y.max)
        .allow_drag(panel.interactive)
        .allow_zoom(panel.interactive)
        .allow_scroll(panel.interactive);
    p = match &panel.x.ticks {
        Ticks::Categories(names) => p
            .x_axis_label(panel.x.label.clone())
            .x_axis_formatter(category_formatter(names.clone())),
        Ticks::Numeric => p.custom_x_axes(vec![
            AxisHints::new_x()
                .label(panel.x.label.clone())
                .formatter(|mark, _| units::sig(mark.value, 4))
                .label_spacing(34.0..=50.0),
        ]),
    };
    p = match &panel.y.ticks {
        // Room for a name at every bar (a tall sweep in a scroll area): one grid mark and label per category.
        Ticks::Categories(names) if h / names.len().max(1) as f32 >= 14.0 => p
            .custom_y_axes(vec![
                AxisHints::new_y()
                    .label(panel.y.label.clone())
                    .formatter(category_formatter(names.clone()))
                    .label_spacing(10.0..=14.0),
            ])
            .y_grid_spacer(|input| {
                let (lo, hi) = input.bounds;
                (lo.ceil().max(0.0) as i64..=hi.floor() as i64)
                    .map(|v| GridMark {
                        value: v as f64,
                        step_size: 1.0,
                    })
                    .collect()
            }),
        Ticks::Categories(names) => p
            .y_axis_label(panel.y.label.clone())
            .y_axis_formatter(category_formatter(names.clone())),
        Ticks::Numeric => p.y_axis_label(panel.y.label.clone()),
    };
    if let Some(link) = panel.link_x {
        p = p
            .link_axis(Id::unique(link), [true, false])
            .link_cursor(Id::unique(link), [true, false]);
    }
    if panel.interactive {
        let (xl, yl) = (panel.x.label.clone(), panel.y.label.clone());
        p = p.label_formatter(move |pos| hover_text(pos, &xl, &yl));
    }
    let shown = p.show(ui, |plot| {
        let ctx = plot.ctx().clone();
        for s in &panel.series {
            let c = ink(&ctx, s.color);
            let id = s.id.as_str();
            match &s.shape {
                Shape::Bars { bars, horizontal } => {
                    let bars = bars
                        .iter()
                        .map(|b| {
                            Bar::new(b.pos, b.value)
                                .base_offset(b.base)
                                .width(0.6)
                                .name(&b.hover)
                        })
                        .collect();
                    let mut chart = BarChart::new(s.name.clone(), bars).id(id).color(c);
                    if *horizontal {
                        chart = chart.horizontal();
                    }
                    plot.bar_chart(chart);
                }
                Shape::Line { points, width } => {
                    let pts: PlotPoints = points.iter().copied().collect();
                    plot.line(Line::new(s.name.clone(), pts).id(id).color(c).width(*width));
                }
                Shape::Markers {
                    points,
                    marker,
                    radius,
                } => {
                    plot.points(
                        Points::new(s.name.clone(), points.clone())
                            .id(id)
                            .color(c)
                            .shape(match marker {
                                Marker::Circle => MarkerShape::Circle,
                                Marker::Diamond => MarkerShape::Diamond,
                                Marker::Square => MarkerShape::Square,
                            })
                            .radius(*radius),
                    );
                }
                Shape::Whiskers { items, horizontal } => {
                    for (k, wk) in items.iter().enumerate() {
                        let cap = 0.12;
                        let at = |a: f64, v: f64| if *horizontal { [v, a] } else { [a, v] };
                        for (j, seg) in [
                            [at(wk.pos, wk.low), at(wk.pos, wk.high)],
                            [at(wk.pos - cap, wk.low), at(wk.pos + cap, wk.low)],
                            [at(wk.pos - cap, wk.high), at(wk.pos + cap, wk.high)],
                        ]
                        .into_iter()
                        .enumerate()
                        {
                            plot.line(
                                Line::new(s.name.clone(), PlotPoints::new(seg.to_vec()))
                                    .id((s.id.as_str(), k, j))
                                    .color(c)
                                    .width(2.0),
                            );
                        }
                    }
                }
                Shape::Spans { spans, top } => {
                    for (k, (a, z)) in spans.iter().enumerate() {
                        let poly = vec![[*a, 0.0], [*z, 0.0], [*z, *top], [*a, *top]];
                        plot.polygon(
                            Polygon::new(s.name.clone(), PlotPoints::new(poly))
                                .id((s.id.as_str(), k))
                                .fill_color(c.gamma_multiply(0.25))
                                .stroke(egui::Stroke::NONE),
                        );
                    }
                }
            }
        }
        for (k, l) in panel.labels.iter().enumerate() {
            let c = l.color.map_or_else(|| ink(&ctx, palette::INK), color);
            plot.text(
                Text::new(
                    "",
                    PlotPoint::new(l.at[0], l.at[1]),
                    RichText::new(&l.text).size(12.5).strong(),
                )
                .id((panel.id, "label", k))
                .color(c)
                .anchor(match l.anchor {
                    Anchor::Above => egui::Align2::CENTER_BOTTOM,
                    Anchor::Right => egui::Align2::LEFT_CENTER,
                }),
            );
        }
    });
    super::widgets::a11y::figure(ui, shown.response.id, || {
        (chart.panel_name(panel), chart.panel_description(panel))
    });
    if !shown.response.clicked() {
        return None;
    }
    let pos = shown.response.interact_pointer_pos()?;
    let v = shown.transform.value_from_position(pos);
    Some([v.x, v.y])
}
