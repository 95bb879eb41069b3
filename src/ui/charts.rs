//! The chart area: the tabs, and the chart model ([`crate::chart`], built once by the app from its cached results,
//! the same data the exports draw) drawn with egui_plot. Nothing is computed inside a plot: each series, label and
//! axis comes from the model. The legend sits above the plots, never over data.

use super::plot::draw;
use super::{ChartTab, Command, UiState, View};
use eframe::egui::{self, Ui};

/// Width of the controls column beside a per-plan chart.
pub const SIDE_WIDTH: f32 = 250.0;

/// The chart area (a resizable panel at the bottom of the central area).
pub fn show(ui: &mut Ui, view: &View<'_>, state: &mut UiState, out: &mut Vec<Command>) {
    egui::Panel::bottom("charts")
        .resizable(true)
        .default_size(340.0)
        .min_size(200.0)
        .show(ui, |ui| {
            super::widgets::a11y::region(ui, "Charts");
            // Wrapped: in a narrow window the tabs take two rows instead of widening the panel past the window.
            let chart = view.chart(state.chart_tab);
            ui.horizontal_wrapped(|ui| {
                ui.heading("Charts");
                for tab in ChartTab::ALL {
                    ui.selectable_value(&mut state.chart_tab, tab, tab.label());
                }
                ui.selectable_value(&mut state.chart_tab, ChartTab::Sweep, ChartTab::Sweep.label())
                    .on_hover_text("One plan across every region, accelerator, count, precision, PUE or utilisation, ranked");
                if state.chart_tab != ChartTab::Sweep {
                    ui.separator();
                    // The numbers of the chart shown, for a spreadsheet or a screen reader (one row per bar or
                    // point).
                    if ui
                        .add_enabled(
                            chart.is_some_and(|c| !c.panels.is_empty()),
                            egui::Button::new("Copy chart data"),
                        )
                        .on_hover_text("Copy this chart's numbers as tab-separated text")
                        .clicked()
                    {
                        out.push(Command::CopyChartData(state.chart_tab));
                    }
                }
            });
            if state.chart_tab == ChartTab::Sweep {
                super::sweep_view::show(ui, view, state, out);
                return;
            }
            let Some(chart) = view.chart(state.chart_tab) else {
                return;
            };
            let h = ui.available_height();
            let w = ui.available_width();
            match state.chart_tab {
                ChartTab::Schedule | ChartTab::Difference => {
                    ui.horizontal(|ui| {
                        ui.vertical(|ui| {
                            ui.set_width(SIDE_WIDTH);
                            if state.chart_tab == ChartTab::Schedule {
                                super::planning::schedule_controls(ui, view, state, out, chart, h);
                            } else {
                                super::planning::difference_notes(ui, chart);
                            }
                        });
                        draw(ui, chart, w - SIDE_WIDTH - 12.0, h);
                    });
                }
                _ => {
                    for note in &chart.notes {
                        ui.weak(note);
                    }
                    let h = ui.available_height();
                    draw(ui, chart, w, h);
                }
            }
        });
    super::widgets::a11y::name_resize_handle(ui, "charts", "Resize charts panel");
}
