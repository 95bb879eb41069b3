//! The formula view: the selected plan's derivation step by step with its own numbers, where each input came
//! from, and toggles to leave out PUE, host and embodied terms so each term's effect is visible.

use super::widgets::a11y::ComboValue as _;
use super::widgets::{error_color, warn_color};
use super::{Command, UiState, View, palette};
use crate::engine::derivation::Terms;
use crate::units;
use eframe::egui::{self, RichText, Ui};

/// The right-hand panel.
pub fn show(ui: &mut Ui, view: &View<'_>, state: &mut UiState, out: &mut Vec<Command>) {
    let max = super::side_panel_max(ui.ctx(), 0.27);
    egui::Panel::right("formula")
        .resizable(true)
        .default_size(340.0)
        .min_size(260.0_f32.min(max))
        .max_size(max)
        .show(ui, |ui| {
            super::widgets::a11y::region(ui, "Formula");
            ui.heading("Formula");
            ui.weak("facility energy = accelerator-hours × power × PUE; CO2e = energy × grid intensity (+ embodied)");
            ui.separator();
            let n = view.ws.plans.len();
            let i = state.selected_plan.min(n.saturating_sub(1));
            ui.horizontal(|ui| {
                let l = ui.label("Plan");
                let name = view.ws.plans.get(i).map(|p| p.name.as_str()).unwrap_or("—");
                egui::ComboBox::new("formula-plan", "")
                    .selected_text(name)
                    .show_ui(ui, |ui| {
                        for (j, p) in view.ws.plans.iter().enumerate() {
                            if ui.selectable_label(j == i, &p.name).clicked() {
                                out.push(Command::SelectPlan(j));
                            }
                        }
                    })
                    .response
                    .labelled_by(l.id)
                    .combo_value(ui, name);
                let (rect, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
                if let Some(p) = view.ws.plans.get(i) {
                    ui.painter().rect_filled(rect, 2.0, palette::of(p, i));
                }
            });
            ui.horizontal_wrapped(|ui| {
                ui.label("Include:");
                ui.checkbox(&mut state.formula_terms.pue, "PUE");
                ui.checkbox(&mut state.formula_terms.host, "Host");
                ui.checkbox(&mut state.formula_terms.embodied, "Embodied");
            });
            ui.separator();
            // The derivation is cached by the app for the selected plan and terms; a frame never derives.
            let Some(d) = view.derivation.filter(|d| d.plan == i && d.terms == state.formula_terms)
            else {
                return;
            };
            egui::ScrollArea::vertical()
                .id_salt("formula-scroll")
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    super::widgets::a11y::scroll_view(ui, "The formula");
                    match &d.result {
                    Ok((e, steps)) => {
                        for s in steps {
                            ui.label(RichText::new(s.quantity).strong());
                            ui.label(RichText::new(format!("= {}", s.equation)).monospace());
                            let src = RichText::new(if s.flagged {
                                format!("Fallback: {}", s.source)
                            } else {
                                s.source.clone()
                            })
                            .small();
                            if s.flagged {
                                ui.label(src.color(warn_color(ui)));
                            } else {
                                ui.label(src.weak());
                            }
                            ui.add_space(4.0);
                        }
                        if state.formula_terms != Terms::default()
                            && let Some(full) = view.estimate(i)
                        {
                            // What the toggled-off terms contribute: the plan's own estimate has every term.
                            ui.separator();
                            let d = full.total_co2e_kg - e.total_co2e_kg;
                            ui.label(format!(
                                "Terms left out add {} ({} with every term).",
                                units::co2e(d),
                                units::co2e(full.total_co2e_kg)
                            ));
                        }
                    }
                    Err(err) => {
                        ui.label(RichText::new(format!("Cannot estimate: {err}")).color(error_color(ui)));
                    }
                }});
            super::widgets::a11y::name_scroll_bars_of(ui, "formula-scroll", "the formula");
        });
    super::widgets::a11y::name_resize_handle(ui, "formula", "Resize formula panel");
}
