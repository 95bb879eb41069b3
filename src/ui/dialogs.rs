//! Windows and modals: Help (methodology, sources, keyboard shortcuts, about) and the confirmation before the
//! catalogue is reset to the built-in presets.

use super::{Command, UiState, View, WindowKind};
use crate::engine::defaults;
use crate::model::Action;
use eframe::egui::{self, RichText};

const METHODOLOGY: &[(&str, &str)] = &[
    (
        "Accelerator-hours",
        "count × wall-clock hours; or given; or FLOPs / (peak dense FLOP/s at the precision × MFU) / 3600",
    ),
    (
        "Training FLOPs",
        "given, or 6 × parameters × tokens (Kaplan et al. 2020)",
    ),
    (
        "Power per accelerator",
        "explicit average watts, or TDP × utilisation",
    ),
    (
        "Host per accelerator",
        "(CPU W + memory GB × W/GB) / accelerators per host",
    ),
    (
        "IT energy (kWh)",
        "accelerator-hours × (accelerator W + host W) / 1000 × runs",
    ),
    ("Facility energy (kWh)", "IT energy × PUE"),
    (
        "Operational CO2e (kg)",
        "facility energy × grid intensity (g/kWh) / 1000 — location-based",
    ),
    (
        "Market-based CO2e (kg)",
        "operational × (1 − carbon-free-energy share), shown beside, never instead",
    ),
    (
        "Embodied CO2e (kg)",
        "kgCO2e per device × accelerator-hours / (lifetime years × 8760)",
    ),
    ("Total CO2e (kg)", "operational + embodied"),
    ("Water (L)", "IT energy × WUE (L per kWh of IT energy)"),
    (
        "Cost (USD)",
        "facility energy × USD/kWh, or accelerator-hours × USD per accelerator-hour",
    ),
];

fn methodology(ui: &mut egui::Ui) {
    ui.label("facility energy = count × power × hours × PUE;  CO2e = energy × grid intensity (+ embodied share)");
    ui.separator();
    egui::Grid::new("method-grid")
        .striped(true)
        .num_columns(2)
        .show(ui, |ui| {
            for (q, f) in METHODOLOGY {
                ui.strong(*q);
                ui.label(*f);
                ui.end_row();
            }
        });
    ui.separator();
    ui.strong("Defaults (always flagged when used)");
    for d in [
        defaults::PUE,
        defaults::EMBODIED_KGCO2E,
        defaults::LIFETIME_YEARS,
        defaults::MEMORY_W_PER_GB,
    ] {
        ui.label(format!(
            "{} {} — {} ({}, {})",
            d.value, d.unit, d.what, d.source, d.year
        ));
    }
    ui.label("Grid intensity is never defaulted: a plan needs a region or an explicit intensity.");
}

fn sources(ui: &mut egui::Ui, view: &View<'_>) {
    ui.label(
        "Every grid intensity is a lifecycle (LCA) annual average: Electricity Maps' consumption-based value for \
         the grid zone (2023), or Ember/Our World in Data production-based lifecycle intensity for national and \
         world aggregates. Peak FLOP/s are dense (never 2:4 sparse).",
    );
    ui.separator();
    let scrolled = egui::ScrollArea::vertical()
        .max_height(420.0)
        .show(ui, |ui| {
            ui.strong("Accelerators");
            for a in view.catalogue.accelerators() {
                ui.label(
                    RichText::new(format!("{} ({}) — {}", a.name, a.data_year, a.source)).small(),
                );
            }
            ui.separator();
            ui.strong("Regions");
            for r in view.catalogue.regions() {
                ui.label(
                    RichText::new(format!("{} ({}) — {}", r.name, r.intensity_year, r.source))
                        .small(),
                );
            }
        });
    super::widgets::a11y::name_scroll_bars(ui.ctx(), scrolled.id, "the sources");
}

fn shortcuts(ui: &mut egui::Ui) {
    egui::Grid::new("shortcut-grid")
        .striped(true)
        .show(ui, |ui| {
            for (sc, what) in super::top_bar::SHORTCUTS {
                ui.monospace(ui.ctx().format_shortcut(&sc));
                ui.label(what);
                ui.end_row();
            }
        });
    ui.add_space(8.0);
    ui.strong("Without a mouse");
    egui::Grid::new("keyboard-grid")
        .striped(true)
        .show(ui, |ui| {
            for (keys, what) in NAVIGATION {
                ui.monospace(keys);
                ui.label(what);
                ui.end_row();
            }
        });
}

/// How to reach and use everything by keyboard (Help > Keyboard shortcuts and the README say the same).
pub const NAVIGATION: [(&str, &str); 8] = [
    (
        "Tab / Shift+Tab",
        "Next / previous control: menus, panels, fields, drop-downs, chart tabs, buttons",
    ),
    (
        "Arrow keys",
        "Move to the nearest control in that direction (outside a text field)",
    ),
    (
        "Enter or Space",
        "Press the focused button or tab, open a drop-down or a section (Inputs, ranges)",
    ),
    (
        "In a drop-down",
        "Type to search (Accelerator, Region), arrows or Tab to an item, Enter to pick it",
    ),
    (
        "Escape",
        "Close the open drop-down or menu; leave the focused field",
    ),
    (
        "Ctrl+A",
        "Select the whole text of the focused field, to type over it",
    ),
    (
        "Copy chart data",
        "A button beside the chart tabs: the shown chart's numbers, tab-separated, to the clipboard",
    ),
    (
        "Show formula",
        "A button in each plan's column: opens that plan's derivation in the formula view",
    ),
];

fn settings(ui: &mut egui::Ui, view: &View<'_>, input: &mut super::Secret, out: &mut Vec<Command>) {
    ui.strong("Electricity Maps token");
    ui.label(
        "Live grid intensity from Electricity Maps needs an API token (the GB Carbon Intensity API needs none). \
         It is stored in its own file readable only by you, never in a workspace, an export or a message.",
    );
    let env_set = std::env::var_os(crate::net::token::ENV).is_some();
    ui.label(match (view.has_token, env_set) {
        (true, true) => format!(
            "A token is set by the environment variable {}.",
            crate::net::token::ENV
        ),
        (true, false) => "A token is set.".to_owned(),
        (false, _) => "No token is set.".to_owned(),
    });
    if let Some(p) = view.token_place {
        ui.weak(format!("Token file: {}", p.display()));
    }
    ui.horizontal(|ui| {
        let l = ui.label("New token");
        ui.add(
            egui::TextEdit::singleline(&mut input.0)
                .password(true)
                .desired_width(260.0),
        )
        .labelled_by(l.id);
    });
    ui.horizontal(|ui| {
        if ui
            .add_enabled(!input.0.trim().is_empty(), egui::Button::new("Save token"))
            .clicked()
        {
            out.push(Command::SaveToken(input.clone()));
        }
        if ui
            .add_enabled(view.has_token, egui::Button::new("Delete token"))
            .clicked()
        {
            out.push(Command::DeleteToken);
        }
    });
}

fn about(ui: &mut egui::Ui) {
    ui.heading(format!("Trainprint {}", env!("CARGO_PKG_VERSION")));
    ui.label(env!("CARGO_PKG_DESCRIPTION"));
    ui.label(format!("Licence: {}", env!("CARGO_PKG_LICENSE")));
    ui.label("Works offline: the catalogue and examples are embedded in the program.");
    // The hourly profiles of When to run are derived data with their own attribution and licence.
    if let Ok(set) = crate::persist::profiles::profile_set() {
        ui.separator();
        ui.strong(format!(
            "Hourly grid profiles ({} grid zones)",
            set.profiles.len()
        ));
        ui.label(set.attribution);
        ui.label(RichText::new(set.licence).small());
        ui.label(
            RichText::new("Regions whose grid zone has no profile use a flat profile at their annual intensity.")
                .small(),
        );
    }
}

/// Shows the open window or modal, if any.
pub fn show(ctx: &egui::Context, view: &View<'_>, state: &mut UiState, out: &mut Vec<Command>) {
    if let Some(w) = state.window {
        let title = match w {
            WindowKind::Methodology => "Methodology",
            WindowKind::Sources => "Sources",
            WindowKind::Shortcuts => "Keyboard shortcuts",
            WindowKind::About => "About Trainprint",
            WindowKind::Settings => "Settings",
        };
        let mut open = true;
        egui::Window::new(title)
            .open(&mut open)
            .pivot(egui::Align2::CENTER_TOP)
            .default_pos(ctx.content_rect().center_top() + egui::vec2(0.0, 80.0))
            .collapsible(false)
            .default_width(640.0)
            .show(ctx, |ui| match w {
                WindowKind::Methodology => methodology(ui),
                WindowKind::Sources => sources(ui, view),
                WindowKind::Shortcuts => shortcuts(ui),
                WindowKind::About => about(ui),
                WindowKind::Settings => settings(ui, view, &mut state.token_input, out),
            });
        if !open {
            state.window = None;
        }
    }
    if state.confirm_reset {
        let n = view.ws.catalogue.accelerators.len()
            + view.ws.catalogue.regions.len()
            + view.ws.catalogue.removed_accelerators.len()
            + view.ws.catalogue.removed_regions.len();
        let modal = egui::Modal::new(egui::Id::unique("confirm-reset")).show(ctx, |ui| {
            ui.heading("Reset the catalogue?");
            ui.label(format!(
                "This drops {n} catalogue edit{} in this workspace and goes back to the built-in presets. You can undo it.",
                if n == 1 { "" } else { "s" }
            ));
            ui.horizontal(|ui| {
                if ui.button("Reset to built-in presets").clicked() {
                    out.push(Command::Apply(Action::ResetCatalogue));
                    state.confirm_reset = false;
                }
                if ui.button("Cancel").clicked() {
                    state.confirm_reset = false;
                }
            });
        });
        if modal.should_close() {
            state.confirm_reset = false;
        }
    }
}
