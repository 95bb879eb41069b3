//! The charts, read from the per-plan cache (nothing is computed inside a plot): energy and CO2e per plan as
//! bars; the breakdown stacked by term; cumulative energy and CO2e over training time on linked x axes; and the
//! sensitivity of CO2e to grid intensity and to PUE, with each plan's current point marked. Units on every axis,
//! legends in plan order, hover values, the colour-blind-safe palette.

use super::{ChartTab, Command, UiState, View, palette};
use crate::engine::{Estimate, Term};
use crate::units;
use eframe::egui::{self, Id, Ui};
use egui_plot::{
    AxisHints, Bar, BarChart, Corner, Legend, Line, MarkerShape, Plot, PlotPoint, PlotPoints,
    Points, Text,
};

/// A unit for an axis: divide values by `factor` and label with `name`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    /// Divide by this.
    pub factor: f64,
    /// Unit label.
    pub name: &'static str,
}

/// The energy unit that keeps `max_kwh` readable.
pub fn energy_scale(max_kwh: f64) -> Scale {
    match max_kwh {
        m if m >= 1e6 => Scale {
            factor: 1e6,
            name: "GWh",
        },
        m if m >= 1e3 => Scale {
            factor: 1e3,
            name: "MWh",
        },
        _ => Scale {
            factor: 1.0,
            name: "kWh",
        },
    }
}

/// The CO2e unit that keeps `max_kg` readable.
pub fn co2e_scale(max_kg: f64) -> Scale {
    match max_kg {
        m if m >= 1e6 => Scale {
            factor: 1e6,
            name: "ktCO2e",
        },
        m if m >= 1e3 => Scale {
            factor: 1e3,
            name: "tCO2e",
        },
        _ => Scale {
            factor: 1.0,
            name: "kgCO2e",
        },
    }
}

/// The chart area (a resizable panel at the bottom of the central area).
pub fn show(ui: &mut Ui, view: &View<'_>, state: &mut UiState, out: &mut Vec<Command>) {
    egui::Panel::bottom("charts")
        .resizable(true)
        .default_size(340.0)
        .min_size(200.0)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading("Charts");
                for tab in ChartTab::ALL {
                    ui.selectable_value(&mut state.chart_tab, tab, tab.label());
                }
            });
            let estimates: Vec<(usize, &str, Option<&Estimate>)> = view
                .ws
                .plans
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    (
                        i,
                        p.name.as_str(),
                        view.cache.result(i).and_then(|r| r.as_ref().ok()),
                    )
                })
                .collect();
            if state.chart_tab == ChartTab::OverTime {
                let missing: Vec<&str> = estimates
                    .iter()
                    .filter(|(_, _, e)| e.is_some_and(|e| e.wall_hours.is_none()))
                    .map(|(_, n, _)| *n)
                    .collect();
                if !missing.is_empty() {
                    ui.weak(format!(
                        "Not shown (no count, so no wall-clock time): {}",
                        missing.join(", ")
                    ));
                }
            }
            let h = ui.available_height();
            let w = (ui.available_width() - 12.0) / 2.0;
            ui.horizontal(|ui| match state.chart_tab {
                ChartTab::Totals => {
                    totals(ui, &estimates, w, h, false);
                    totals(ui, &estimates, w, h, true);
                }
                ChartTab::Breakdown => {
                    breakdown(ui, &estimates, w, h, false);
                    breakdown(ui, &estimates, w, h, true);
                }
                ChartTab::OverTime => {
                    over_time(ui, view, &estimates, w, h, false);
                    over_time(ui, view, &estimates, w, h, true);
                }
                ChartTab::Sensitivity => {
                    sensitivity(ui, view, &estimates, w, h, false);
                    sensitivity(ui, view, &estimates, w, h, true);
                }
                ChartTab::Schedule => super::planning::schedule(ui, view, state, out, w, h),
                ChartTab::Uncertainty => super::planning::uncertainty(ui, view, state, w, h),
                ChartTab::Difference => super::planning::difference(ui, view, state, w, h),
            });
        });
}

/// A numeric x axis whose tick labels may sit closer together than egui_plot's default (short numbers).
fn number_x_axis<'a>(label: String) -> Vec<AxisHints<'a>> {
    vec![
        AxisHints::new_x()
            .label(label)
            .formatter(|mark, _| units::sig(mark.value, 4))
            .label_spacing(34.0..=50.0),
    ]
}

fn legend() -> Legend {
    Legend::default()
        .position(Corner::RightTop)
        .follow_insertion_order(true)
}

/// Plan names under integer ticks of a bar chart's x axis.
pub(super) fn plan_axis(
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

fn totals(ui: &mut Ui, est: &[(usize, &str, Option<&Estimate>)], w: f32, h: f32, co2e: bool) {
    let value = |e: &Estimate| {
        if co2e {
            e.total_co2e_kg
        } else {
            e.facility_energy_kwh
        }
    };
    let max = est
        .iter()
        .filter_map(|(_, _, e)| e.map(value))
        .fold(0.0, f64::max);
    let scale = if co2e {
        co2e_scale(max)
    } else {
        energy_scale(max)
    };
    let title = if co2e {
        "Total CO2e"
    } else {
        "Facility energy"
    };
    let names: Vec<String> = est.iter().map(|(_, n, _)| n.to_string()).collect();
    Plot::new(if co2e { "totals-co2e" } else { "totals-energy" })
        .width(w)
        .height(h)
        .legend(legend())
        .x_axis_label("plan")
        .y_axis_label(format!("{title} ({})", scale.name))
        .x_axis_formatter(plan_axis(names))
        .include_y(0.0)
        // Headroom for the value labels above the bars.
        .include_y(max / scale.factor * 1.15)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .show(ui, |plot| {
            for (i, name, e) in est {
                if let Some(e) = e {
                    let v = value(e) / scale.factor;
                    let bar = Bar::new(*i as f64, v).width(0.6).name(format!(
                        "{name}: {} {}",
                        units::sig(v, 4),
                        scale.name
                    ));
                    plot.bar_chart(
                        BarChart::new(name.to_string(), vec![bar])
                            .id(("totals", co2e, *i))
                            .color(palette::plan(*i)),
                    );
                    // The value above its bar (same name: one legend entry).
                    plot.text(
                        Text::new(
                            name.to_string(),
                            PlotPoint::new(*i as f64, v),
                            egui::RichText::new(format!("{} {}", units::sig(v, 3), scale.name))
                                .size(13.0)
                                .strong(),
                        )
                        .color(palette::plan(*i))
                        .id(("totals-label", co2e, *i))
                        .anchor(egui::Align2::CENTER_BOTTOM),
                    );
                }
            }
        });
}

fn breakdown(ui: &mut Ui, est: &[(usize, &str, Option<&Estimate>)], w: f32, h: f32, co2e: bool) {
    let max = est
        .iter()
        .filter_map(|(_, _, e)| {
            e.map(|e| {
                if co2e {
                    e.total_co2e_kg
                } else {
                    e.facility_energy_kwh
                }
            })
        })
        .fold(0.0, f64::max);
    let scale = if co2e {
        co2e_scale(max)
    } else {
        energy_scale(max)
    };
    let names: Vec<String> = est.iter().map(|(_, n, _)| n.to_string()).collect();
    let terms: &[Term] = if co2e { &Term::ALL } else { &Term::ALL[..3] };
    Plot::new(if co2e {
        "breakdown-co2e"
    } else {
        "breakdown-energy"
    })
    .width(w)
    .height(h)
    .legend(legend())
    .x_axis_label("plan")
    .y_axis_label(if co2e {
        format!("CO2e by term ({})", scale.name)
    } else {
        format!("Energy by term ({})", scale.name)
    })
    .x_axis_formatter(plan_axis(names))
    .include_y(0.0)
    .allow_drag(false)
    .allow_zoom(false)
    .allow_scroll(false)
    .show(ui, |plot| {
        let mut charts: Vec<BarChart> = Vec::new();
        for (t, term) in terms.iter().enumerate() {
            let bars: Vec<Bar> = est
                .iter()
                .filter_map(|(i, name, e)| {
                    let e = (*e)?;
                    let share = e.breakdown()[t];
                    let v = if co2e {
                        share.co2e_kg
                    } else {
                        share.energy_kwh
                    } / scale.factor;
                    Some(Bar::new(*i as f64, v).width(0.6).name(format!(
                        "{name} — {}: {} {}",
                        term.label(),
                        units::sig(v, 4),
                        scale.name
                    )))
                })
                .collect();
            let refs: Vec<&BarChart> = charts.iter().collect();
            let chart = BarChart::new(term.label(), bars)
                .id(("breakdown", co2e, t))
                .color(palette::term(t))
                .stack_on(&refs);
            charts.push(chart);
        }
        for c in charts {
            plot.bar_chart(c);
        }
    });
}

fn over_time(
    ui: &mut Ui,
    view: &View<'_>,
    est: &[(usize, &str, Option<&Estimate>)],
    w: f32,
    h: f32,
    co2e: bool,
) {
    let entries = view.cache.entries();
    let max = est
        .iter()
        .filter_map(|(_, _, e)| {
            e.map(|e| {
                if co2e {
                    e.total_co2e_kg
                } else {
                    e.facility_energy_kwh
                }
            })
        })
        .fold(0.0, f64::max);
    let scale = if co2e {
        co2e_scale(max)
    } else {
        energy_scale(max)
    };
    let group = Id::unique("over-time-link");
    {
        // Both plots share the x axis (hours) and the cursor.
        Plot::new(if co2e { "time-co2e" } else { "time-energy" })
            .width(w)
            .height(h)
            .legend(legend())
            .custom_x_axes(number_x_axis("wall-clock hours (h)".to_owned()))
            .y_axis_label(if co2e {
                format!("Cumulative CO2e ({})", scale.name)
            } else {
                format!("Cumulative facility energy ({})", scale.name)
            })
            .link_axis(group, [true, false])
            .link_cursor(group, [true, false])
            .include_y(0.0)
            .include_x(0.0)
            .label_formatter(move |pos| label_xy(pos, "h", scale))
            .show(ui, |plot| {
                for (i, name, _) in est {
                    let Some(entry) = entries.get(*i) else {
                        continue;
                    };
                    let pts = if co2e {
                        &entry.series.cumulative_co2e
                    } else {
                        &entry.series.cumulative_energy
                    };
                    if pts.is_empty() {
                        continue;
                    }
                    let scaled: PlotPoints =
                        pts.iter().map(|p| [p[0], p[1] / scale.factor]).collect();
                    plot.line(
                        Line::new(name.to_string(), scaled)
                            .id(("time", co2e, *i))
                            .color(palette::plan(*i))
                            .width(2.0),
                    );
                }
            });
    }
}

fn label_xy(pos: &egui_plot::HoverPosition<'_>, x_unit: &str, scale: Scale) -> Option<String> {
    match pos {
        egui_plot::HoverPosition::NearDataPoint {
            plot_name,
            position,
            ..
        } => Some(format!(
            "{plot_name}\n{} {x_unit}: {} {}",
            units::sig(position.x, 4),
            units::sig(position.y, 4),
            scale.name
        )),
        egui_plot::HoverPosition::Elsewhere { .. } => None,
    }
}

fn sensitivity(
    ui: &mut Ui,
    view: &View<'_>,
    est: &[(usize, &str, Option<&Estimate>)],
    w: f32,
    h: f32,
    by_pue: bool,
) {
    let entries = view.cache.entries();
    let max = entries
        .iter()
        .flat_map(|e| {
            let s = if by_pue {
                &e.series.vs_pue
            } else {
                &e.series.vs_intensity
            };
            s.iter().map(|p| p[1])
        })
        .fold(0.0, f64::max);
    let scale = co2e_scale(max);
    let x_unit = if by_pue { "PUE" } else { "gCO2e/kWh" };
    Plot::new(if by_pue { "sens-pue" } else { "sens-intensity" })
        .width(w)
        .height(h)
        .legend(legend())
        .custom_x_axes(number_x_axis(if by_pue {
            "PUE".to_owned()
        } else {
            "grid intensity (gCO2e/kWh)".to_owned()
        }))
        .y_axis_label(format!("Total CO2e ({})", scale.name))
        .include_y(0.0)
        .label_formatter(move |pos| label_xy(pos, x_unit, scale))
        .show(ui, |plot| {
            for (i, name, e) in est {
                let (Some(entry), Some(e)) = (entries.get(*i), e) else {
                    continue;
                };
                let pts = if by_pue {
                    &entry.series.vs_pue
                } else {
                    &entry.series.vs_intensity
                };
                let scaled: PlotPoints = pts.iter().map(|p| [p[0], p[1] / scale.factor]).collect();
                plot.line(
                    Line::new(name.to_string(), scaled)
                        .id(("sens", by_pue, *i))
                        .color(palette::plan(*i))
                        .width(2.0),
                );
                // The plan's current point; same name as its line, so one legend entry.
                let x = if by_pue { e.pue } else { e.intensity_g_per_kwh };
                plot.points(
                    Points::new(name.to_string(), vec![[x, e.total_co2e_kg / scale.factor]])
                        .id(("sens-now", by_pue, *i))
                        .color(palette::plan(*i))
                        .shape(MarkerShape::Diamond)
                        .radius(6.0),
                );
            }
        });
}
