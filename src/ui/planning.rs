//! Planning charts beyond one number: when to run (CO2e against start time over the intensity curve, the chosen
//! hours shaded), how sure the number is (P5–P95 error bars and a tornado of the inputs), and why a plan differs
//! from the baseline (a waterfall of factor contributions that add up to the difference). All read the cache.

use super::widgets::{Rule, num_input, warn_color};
use super::{Command, UiState, View, palette};
use crate::engine::decompose::{Factor, decompose};
use crate::persist::profiles::Part;
use crate::units;
use eframe::egui::{self, Color32, Id, RichText, Ui};
use egui_plot::{
    Bar, BarChart, Legend, Line, MarkerShape, Plot, PlotPoint, PlotPoints, Points, Polygon, Text,
};

fn selected(view: &View<'_>, state: &UiState) -> usize {
    state
        .selected_plan
        .min(view.ws.plans.len().saturating_sub(1))
}

fn plan_picker_note(ui: &mut Ui, view: &View<'_>, i: usize) {
    let name = view.ws.plans.get(i).map(|p| p.name.as_str()).unwrap_or("—");
    ui.label(
        RichText::new(format!("Plan: {name}"))
            .strong()
            .color(palette::plan(i)),
    );
    ui.weak("(pick another with Show formula in its column)");
}

/// When to run: the selected plan over its region's hourly profile or forecast.
pub fn schedule(
    ui: &mut Ui,
    view: &View<'_>,
    state: &mut UiState,
    out: &mut Vec<Command>,
    w: f32,
    h: f32,
) {
    let i = selected(view, state);
    let imported_hours = state.imported_profile.as_ref().map(|p| p.values.len());
    let st = &mut state.schedule;
    ui.vertical(|ui| {
        ui.set_width(250.0);
        egui::ScrollArea::vertical()
            .id_salt("sched-controls")
            .max_height(h)
            .min_scrolled_height(h)
            .show(ui, |ui| {
                plan_picker_note(ui, view, i);
                if let Some(v) = num_input(
                    ui,
                    "sched-window",
                    "Window",
                    st.window_hours as f64,
                    "h",
                    Rule::Count,
                ) {
                    st.window_hours = (v as usize).min(24 * 366);
                }
                ui.horizontal(|ui| {
                    let l = ui.label("Season");
                    egui::ComboBox::new("sched-season", "")
                        .selected_text(st.part.label())
                        .show_ui(ui, |ui| {
                            for p in Part::ALL {
                                ui.selectable_value(&mut st.part, p, p.label());
                            }
                        })
                        .response
                        .labelled_by(l.id);
                });
                if let Some(v) = num_input(
                    ui,
                    "sched-start",
                    "Now is",
                    st.start_hour as f64,
                    "h local",
                    Rule::NonNegative,
                ) {
                    st.start_hour = (v as usize).min(23);
                }
                match imported_hours {
                    Some(n) => {
                        ui.horizontal(|ui| {
                            ui.label(format!("Imported profile, {n} hours"));
                            if ui.button("Clear").clicked() {
                                out.push(Command::ClearProfile);
                            }
                        });
                    }
                    None => {
                        if ui
                            .button("Import CSV profile...")
                            .on_hover_text("An hourly CSV: a header, then datetime,intensity_g_per_kwh rows one hour apart")
                            .clicked()
                        {
                            out.push(Command::ImportProfile);
                        }
                    }
                }
                ui.checkbox(&mut st.use_forecast, "Use the fetched forecast");
                ui.checkbox(&mut st.pausable, "Pause and resume");
                if st.pausable
                    && let Some(v) = num_input(
                        ui,
                        "sched-deadline",
                        "Deadline",
                        st.deadline_hours as f64,
                        "h",
                        Rule::Count,
                    )
                {
                    st.deadline_hours = (v as usize).min(24 * 366);
                }
                match view.cache.schedule(i) {
                    None => {
                        ui.label(
                            RichText::new("Needs an estimate with wall-clock hours (a count).")
                                .color(warn_color(ui)),
                        );
                    }
                    Some(ps) => {
                        match &ps.result {
                            Ok(s) => {
                                ui.label(format!("Start now: {}", units::co2e(s.start_now_co2e_kg)));
                                ui.label(
                                    RichText::new(format!(
                                        "Best start: {} — {} ({:.1} % less)",
                                        ps.series
                                            .labels
                                            .get(s.best_start)
                                            .map(String::as_str)
                                            .unwrap_or(""),
                                        units::co2e(s.best_co2e_kg),
                                        s.savings_pct
                                    ))
                                    .strong(),
                                );
                            }
                            Err(e) => {
                                ui.label(RichText::new(e).color(warn_color(ui)));
                            }
                        }
                        if let Some(p) = &ps.paused {
                            match p {
                                Ok(p) => {
                                    ui.label(format!(
                                        "Pausable: {} in {} hours ({:.1} % less)",
                                        units::co2e(p.co2e_kg),
                                        p.hours_used.len(),
                                        p.savings_pct
                                    ));
                                }
                                Err(e) => {
                                    ui.label(RichText::new(e).color(warn_color(ui)));
                                }
                            }
                        }
                        ui.label(RichText::new(&ps.series.source).small().weak());
                    }
                }
            });
    });
    let Some(ps) = view.cache.schedule(i) else {
        return;
    };
    let pw = (2.0 * w - 262.0).max(200.0);
    // Two plots that fill the panel's height exactly (a shorter content would shrink the resizable panel).
    let ph = ((h - ui.spacing().item_spacing.y) / 2.0).floor().max(60.0);
    let x_max = ps.series.values.len() as f64;
    let link = Id::unique("schedule-link");
    let job_h = ps.job_hours;
    let shaded: Vec<(f64, f64)> = match (&ps.paused, &ps.result) {
        (Some(Ok(p)), _) => p
            .hours_used
            .iter()
            .map(|&t| (t as f64, t as f64 + 1.0))
            .collect(),
        (_, Ok(s)) => vec![(s.best_start as f64, s.best_start as f64 + job_h)],
        _ => Vec::new(),
    };
    let max_i = ps
        .series
        .values
        .iter()
        .copied()
        .fold(0.0, f64::max)
        .max(1.0);
    let color = palette::plan(i);
    // Both plots share the time axis (hours from now) and its cursor.
    let time_plot = |id: &'static str, y_label: &'static str| {
        Plot::new(id)
            .width(pw)
            .height(ph)
            .legend(Legend::default())
            .link_axis(link, [true, false])
            .link_cursor(link, [true, false])
            .y_axis_label(y_label)
            .include_x(0.0)
            .include_x(x_max)
            .include_y(0.0)
    };
    ui.vertical(|ui| {
        time_plot("schedule-intensity", "g/kWh")
            .include_y(max_i * 1.1)
            .show(ui, |plot| {
                for (a, b) in &shaded {
                    let poly = vec![[*a, 0.0], [*b, 0.0], [*b, max_i * 1.05], [*a, max_i * 1.05]];
                    plot.polygon(
                        Polygon::new("chosen hours", PlotPoints::new(poly))
                            .fill_color(color.gamma_multiply(0.25))
                            .stroke(egui::Stroke::NONE),
                    );
                }
                let pts: PlotPoints = ps
                    .series
                    .values
                    .iter()
                    .enumerate()
                    .flat_map(|(t, v)| [[t as f64, *v], [t as f64 + 1.0, *v]])
                    .collect();
                plot.line(Line::new("intensity", pts).color(Color32::GRAY).width(2.0));
            });
        if let Ok(s) = &ps.result {
            time_plot("schedule-co2e", "kgCO2e")
                .x_axis_label("hours from now (h): intensity above, CO2e if started then below")
                .show(ui, |plot| {
                    let pts: PlotPoints = s
                        .co2e_by_start
                        .iter()
                        .enumerate()
                        .map(|(t, v)| [t as f64, *v])
                        .collect();
                    plot.line(Line::new("CO2e by start time", pts).color(color).width(2.0));
                    plot.points(
                        Points::new("start now", vec![[0.0, s.start_now_co2e_kg]])
                            .shape(MarkerShape::Square)
                            .radius(5.0)
                            .color(Color32::GRAY),
                    );
                    plot.points(
                        Points::new("best start", vec![[s.best_start as f64, s.best_co2e_kg]])
                            .shape(MarkerShape::Diamond)
                            .radius(7.0)
                            .color(color),
                    );
                });
        }
    });
}

/// How sure: totals with P5–P95 error bars, and the tornado of the selected plan.
pub fn uncertainty(ui: &mut Ui, view: &View<'_>, state: &mut UiState, w: f32, h: f32) {
    let entries = view.cache.entries();
    let max = entries
        .iter()
        .filter_map(|e| {
            let central = e.result.as_ref().ok()?.total_co2e_kg;
            e.series.interval.map(|i| i.p95.max(central))
        })
        .fold(0.0, f64::max);
    let (factor, unit) = if max >= 1e3 {
        (1e3, "tCO2e")
    } else {
        (1.0, "kgCO2e")
    };
    let names: Vec<String> = view.ws.plans.iter().map(|p| p.name.clone()).collect();
    Plot::new("uncertainty-totals")
        .width(w)
        .height(h)
        .legend(Legend::default())
        .x_axis_formatter(super::charts::plan_axis(names))
        .x_axis_label("plan")
        .y_axis_label(format!("Total CO2e with P5–P95 ({unit})"))
        .include_y(0.0)
        .include_y(max / factor * 1.25)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .show(ui, |plot| {
            for (i, e) in entries.iter().enumerate() {
                let (Ok(est), Some(iv)) = (&e.result, e.series.interval) else {
                    continue;
                };
                let name = view
                    .ws
                    .plans
                    .get(i)
                    .map(|p| p.name.clone())
                    .unwrap_or_default();
                let x = i as f64;
                plot.bar_chart(
                    BarChart::new(
                        name.clone(),
                        vec![Bar::new(x, est.total_co2e_kg / factor).width(0.6)],
                    )
                    .color(palette::plan(i)),
                );
                let (lo, hi) = (iv.p5 / factor, iv.p95 / factor);
                let whisker = |y: f64| [[x - 0.12, y], [x + 0.12, y]];
                let ink = ui_ink(plot.ctx());
                plot.line(
                    Line::new("P5–P95", PlotPoints::new(vec![[x, lo], [x, hi]]))
                        .color(ink)
                        .width(2.0),
                );
                plot.line(
                    Line::new("P5–P95", PlotPoints::new(whisker(lo).to_vec()))
                        .color(ink)
                        .width(2.0),
                );
                plot.line(
                    Line::new("P5–P95", PlotPoints::new(whisker(hi).to_vec()))
                        .color(ink)
                        .width(2.0),
                );
                plot.text(
                    Text::new(
                        "P5–P95",
                        PlotPoint::new(x, hi.max(est.total_co2e_kg / factor)),
                        format!("{}–{}", units::sig(lo, 3), units::sig(hi, 3)),
                    )
                    .anchor(egui::Align2::CENTER_BOTTOM),
                );
            }
        });
    let i = selected(view, state);
    let Some(entry) = entries.get(i) else {
        return;
    };
    let Ok(est) = &entry.result else {
        return;
    };
    let note = band_note(est, &entry.series);
    let swings = &entry.series.tornado;
    let central = est.total_co2e_kg / factor;
    let labels: Vec<String> = swings
        .iter()
        .map(|s| s.range.input.label().to_owned())
        .collect();
    let n = swings.len();
    let plan_name = view
        .ws
        .plans
        .get(i)
        .map(|p| p.name.clone())
        .unwrap_or_default();
    // The note (when the estimate lies outside its band) sits above the tornado, wrapped to its width.
    ui.vertical(|ui| {
        let mut h = h;
        if let Some(note) = note {
            ui.set_max_width(w);
            let r = ui.add(
                egui::Label::new(
                    egui::RichText::new(note)
                        .small()
                        .color(super::widgets::warn_color(ui)),
                )
                .wrap(),
            );
            h = (h - r.rect.height() - ui.spacing().item_spacing.y).max(h * 0.5);
        }
        Plot::new("uncertainty-tornado")
            .width(w)
            .height(h)
            .y_axis_label(format!("{plan_name}: inputs by swing"))
            .legend(Legend::default())
            .y_axis_formatter(move |mark, _| {
                let v = mark.value;
                if (v - v.round()).abs() < 1e-6 && v >= 0.0 && (v.round() as usize) < n {
                    labels
                        .get(n - 1 - v.round() as usize)
                        .cloned()
                        .unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .x_axis_label(format!("Total ({unit}), one input at its low / high"))
            .include_y(-0.5)
            .include_y(n as f64 + 0.6)
            .allow_drag(false)
            .allow_zoom(false)
            .allow_scroll(false)
            .show(ui, |plot| {
                // One bar per input from the central total to its total with the input at one end.
                let bars = |end: &str,
                            at: fn(&crate::engine::uncertainty::Swing) -> (f64, f64)|
                 -> Vec<Bar> {
                    swings
                        .iter()
                        .enumerate()
                        .map(|(k, s)| {
                            let (value, total) = at(s);
                            Bar::new((n - 1 - k) as f64, total / factor - central)
                                .base_offset(central)
                                .width(0.6)
                                .name(format!(
                                    "{} at its {end} {}: total {} {unit}",
                                    s.range.input.label(),
                                    units::sig(value, 4),
                                    units::sig(total / factor, 4)
                                ))
                        })
                        .collect()
                };
                let low_bars = bars("low", |s| (s.range.low, s.at_low));
                let high_bars = bars("high", |s| (s.range.high, s.at_high));
                plot.bar_chart(
                    BarChart::new("input at its low end", low_bars)
                        .horizontal()
                        .color(palette::plan(4)),
                );
                plot.bar_chart(
                    BarChart::new("input at its high end", high_bars)
                        .horizontal()
                        .color(palette::plan(5)),
                );
            });
    });
}

/// When the selected plan's estimate lies outside its own P5–P95 band, why, in words (the engine's note).
fn band_note(est: &crate::engine::Estimate, series: &crate::app::cache::Series) -> Option<String> {
    let band = series.interval?;
    let ranges: Vec<_> = series.tornado.iter().map(|s| s.range).collect();
    crate::engine::uncertainty::band_note(est.total_co2e_kg, &band, &ranges)
}

fn ui_ink(ctx: &egui::Context) -> Color32 {
    if ctx.global_style().visuals.dark_mode {
        Color32::from_gray(230)
    } else {
        Color32::from_gray(30)
    }
}

/// Why different: the selected plan against the baseline, as a waterfall of factor contributions.
pub fn difference(ui: &mut Ui, view: &View<'_>, state: &mut UiState, w: f32, h: f32) {
    let i = selected(view, state);
    let b = view.ws.baseline_index();
    ui.vertical(|ui| {
        ui.set_width(250.0);
        plan_picker_note(ui, view, i);
        ui.label(
            "Contributions add up exactly to the difference: additive log-mean Divisia index over power, \
             duration, PUE, intensity and runs; embodied on its own.",
        );
        if i == b {
            ui.label(RichText::new("This is the baseline: pick another plan.").color(warn_color(ui)));
        }
    });
    let (Some(Ok(base)), Some(Ok(e))) = (view.cache.result(b), view.cache.result(i)) else {
        return;
    };
    let parts = decompose(base, e);
    let max = base.total_co2e_kg.max(e.total_co2e_kg);
    let (factor, unit) = if max >= 1e3 {
        (1e3, "tCO2e")
    } else {
        (1.0, "kgCO2e")
    };
    let base_name = view
        .ws
        .plans
        .get(b)
        .map(|p| p.name.clone())
        .unwrap_or_default();
    let plan_name = view
        .ws
        .plans
        .get(i)
        .map(|p| p.name.clone())
        .unwrap_or_default();
    let mut labels = vec![base_name.clone()];
    labels.extend(Factor::ALL.iter().map(|f| f.label().to_owned()));
    labels.push(plan_name.clone());
    let axis_labels = labels.clone();
    Plot::new("difference-waterfall")
        .width((2.0 * w - 262.0).max(200.0))
        .height(h)
        .legend(Legend::default())
        // Each bar carries its own label (the axis would drop some of eight names).
        .x_axis_formatter(|_, _| String::new())
        .y_axis_label(format!("Total CO2e ({unit})"))
        .include_y(0.0)
        .include_y(max / factor * 1.3)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .show(ui, |plot| {
            plot.bar_chart(
                BarChart::new(
                    base_name.clone(),
                    vec![
                        Bar::new(0.0, base.total_co2e_kg / factor)
                            .width(0.6)
                            .name(format!(
                                "{base_name}: {} {unit}",
                                units::sig(base.total_co2e_kg / factor, 4)
                            )),
                    ],
                )
                .color(palette::plan(b)),
            );
            let label = |plot: &mut egui_plot::PlotUi<'_>, x: f64, y: f64, text: String| {
                plot.text(
                    Text::new("", PlotPoint::new(x, y), RichText::new(text).small())
                        .anchor(egui::Align2::CENTER_BOTTOM),
                );
            };
            label(
                plot,
                0.0,
                base.total_co2e_kg / factor,
                format!(
                    "{}\n{}",
                    axis_labels[0],
                    units::sig(base.total_co2e_kg / factor, 4)
                ),
            );
            let mut level = base.total_co2e_kg / factor;
            let mut ups = Vec::new();
            let mut downs = Vec::new();
            for (k, (f, kg)) in parts.iter().enumerate() {
                let d = kg / factor;
                let bar = Bar::new((k + 1) as f64, d)
                    .base_offset(level)
                    .width(0.6)
                    .name(format!("{}: {} {unit}", f.label(), signed(d)));
                label(
                    plot,
                    (k + 1) as f64,
                    level.max(level + d),
                    format!("{}\n{}", f.label(), signed(d)),
                );
                if d >= 0.0 {
                    ups.push(bar);
                } else {
                    downs.push(bar);
                }
                level += d;
            }
            plot.bar_chart(
                BarChart::new("raises CO2e", ups).color(Color32::from_rgb(0xD5, 0x5E, 0x00)),
            );
            plot.bar_chart(
                BarChart::new("lowers CO2e", downs).color(Color32::from_rgb(0x00, 0x9E, 0x73)),
            );
            plot.bar_chart(
                BarChart::new(
                    plan_name.clone(),
                    vec![
                        Bar::new((parts.len() + 1) as f64, e.total_co2e_kg / factor)
                            .width(0.6)
                            .name(format!(
                                "{plan_name}: {} {unit}",
                                units::sig(e.total_co2e_kg / factor, 4)
                            )),
                    ],
                )
                .color(palette::plan(i)),
            );
            label(
                plot,
                (parts.len() + 1) as f64,
                e.total_co2e_kg / factor,
                format!(
                    "{}\n{}",
                    axis_labels.last().map(String::as_str).unwrap_or(""),
                    units::sig(e.total_co2e_kg / factor, 4)
                ),
            );
        });
}

/// A contribution with its sign (+ for a rise, - for a fall; 0 plain).
fn signed(d: f64) -> String {
    if d > 0.0 {
        format!("+{}", units::sig(d, 3))
    } else if d < 0.0 {
        format!("-{}", units::sig(-d, 3))
    } else {
        "0".to_owned()
    }
}
