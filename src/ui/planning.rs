//! The controls beside the planning charts: the schedule's window, season, clock hour, forecast, pause-and-resume
//! and CSV import (When to run), and which plans Why different compares. The charts themselves are the chart model,
//! drawn by `charts`.

use super::widgets::{Rule, num_input, warn_color};
use super::{Command, UiState, View, palette};
use crate::chart::Chart;
use crate::persist::profiles::Part;
use eframe::egui::{self, RichText, Ui};

/// The plan a per-plan view shows, in its colour, and how to pick another.
pub fn plan_note(ui: &mut Ui, view: &View<'_>, i: usize) {
    let Some(plan) = view.ws.plans.get(i) else {
        return;
    };
    ui.label(
        RichText::new(format!("Plan: {}", plan.name))
            .strong()
            .color(palette::of(plan, i)),
    );
    ui.weak("(pick another with Show formula in its column)");
}

/// When to run: the schedule's settings, then what the chart found (its notes).
pub fn schedule_controls(
    ui: &mut Ui,
    view: &View<'_>,
    state: &mut UiState,
    out: &mut Vec<Command>,
    chart: &Chart,
    h: f32,
) {
    let i = state
        .selected_plan
        .min(view.ws.plans.len().saturating_sub(1));
    let imported_hours = state.imported_profile.as_ref().map(|p| p.values.len());
    let st = &mut state.schedule;
    let scrolled = egui::ScrollArea::vertical()
        .id_salt("sched-controls")
        .max_height(h)
        .min_scrolled_height(h)
        .show(ui, |ui| {
            plan_note(ui, view, i);
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
                super::widgets::choice(ui, "sched-season", "Season", &mut st.part, Part::ALL, Part::label);
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
                        .on_hover_text(
                            "An hourly CSV: a header, then datetime,intensity_g_per_kwh rows one hour apart",
                        )
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
            notes(ui, chart);
        });
    super::widgets::a11y::name_scroll_bars(ui.ctx(), scrolled.id, "the schedule settings");
}

/// The chart's notes: the findings first (strong), the source last (small).
fn notes(ui: &mut Ui, chart: &Chart) {
    let n = chart.notes.len();
    for (k, note) in chart.notes.iter().enumerate() {
        if chart.panels.is_empty() {
            ui.label(RichText::new(note).color(warn_color(ui)));
        } else if note.starts_with("Best start") || note.starts_with("Pausable") {
            ui.label(RichText::new(note).strong());
        } else if k + 1 == n {
            ui.label(RichText::new(note).small().weak());
        } else {
            ui.label(note);
        }
    }
}

/// Why different: which plans the waterfall compares and how its contributions are made.
pub fn difference_notes(ui: &mut Ui, chart: &Chart) {
    for note in &chart.notes {
        if chart.panels.is_empty() {
            ui.label(RichText::new(note).color(warn_color(ui)));
        } else {
            ui.label(note);
        }
    }
}
