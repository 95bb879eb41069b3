//! The menu bar (File, Edit, View, Help), the keyboard shortcuts behind every menu item, and the banner that
//! shows errors and notices once.

use super::{Banner, Severity};
use super::{Command, PanelKind, View, WindowKind};
use crate::persist::presets::EXAMPLES;
use crate::persist::session::ThemeChoice;
use eframe::egui::{self, Key, KeyboardShortcut, Modifiers, RichText};

const fn sc(modifiers: Modifiers, key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, key)
}

const CMD: Modifiers = Modifiers::COMMAND;
const CMD_SHIFT: Modifiers = Modifiers {
    alt: false,
    ctrl: false,
    shift: true,
    mac_cmd: false,
    command: true,
};

/// Every shortcut, with the command it runs and a description (shown in Help > Keyboard shortcuts).
pub const SHORTCUTS: [(KeyboardShortcut, &str); 18] = [
    (sc(CMD, Key::N), "New workspace"),
    (sc(CMD, Key::O), "Open…"),
    (sc(CMD, Key::S), "Save"),
    (sc(CMD_SHIFT, Key::S), "Save As…"),
    (sc(CMD, Key::E), "Export…"),
    (sc(CMD_SHIFT, Key::C), "Copy table as Markdown"),
    (sc(CMD, Key::Q), "Quit"),
    (sc(CMD_SHIFT, Key::Z), "Redo"),
    (sc(CMD, Key::Z), "Undo"),
    (sc(CMD, Key::Y), "Redo"),
    (sc(CMD, Key::Num1), "Show/hide catalogue"),
    (sc(CMD, Key::Num2), "Show/hide charts"),
    (sc(CMD, Key::Num3), "Show/hide formula view"),
    (sc(CMD, Key::Plus), "Larger UI"),
    (sc(CMD, Key::Minus), "Smaller UI"),
    (sc(Modifiers::NONE, Key::F1), "Methodology"),
    // Ctrl+= is where Ctrl++ lives on keyboards whose plus needs Shift.
    (sc(CMD, Key::Equals), "Larger UI"),
    (sc(CMD, Key::Num0), "UI at 100 %"),
];

fn command_for(i: usize, scale: f32) -> Command {
    match i {
        0 => Command::New,
        1 => Command::Open,
        2 => Command::Save,
        3 => Command::SaveAs,
        4 => Command::Export,
        5 => Command::CopyMarkdown,
        6 => Command::Quit,
        7 | 9 => Command::Redo,
        8 => Command::Undo,
        10 => Command::TogglePanel(PanelKind::Catalogue),
        11 => Command::TogglePanel(PanelKind::Charts),
        12 => Command::TogglePanel(PanelKind::Formula),
        13 | 16 => Command::SetScale(scale + 0.1),
        14 => Command::SetScale(scale - 0.1),
        17 => Command::SetScale(1.0),
        _ => Command::ShowWindow(WindowKind::Methodology),
    }
}

/// Consumes the keyboard shortcuts of this frame and pushes their commands.
pub fn shortcuts(ctx: &egui::Context, out: &mut Vec<Command>) {
    // Our own zoom shortcuts keep the preference in step; egui's built-in ones would bypass it.
    ctx.options_mut(|o| o.zoom_with_keyboard = false);
    let scale = ctx.zoom_factor();
    ctx.input_mut(|input| {
        // Shift variants first: a Ctrl pattern also matches Ctrl+Shift, so Ctrl+Shift+S must be taken before
        // Ctrl+S can claim it.
        for shifted in [true, false] {
            for (i, (shortcut, _)) in SHORTCUTS.iter().enumerate() {
                if shortcut.modifiers.shift == shifted && input.consume_shortcut(shortcut) {
                    out.push(command_for(i, scale));
                }
            }
        }
    });
}

fn item(ui: &mut egui::Ui, label: &str, shortcut: Option<usize>, enabled: bool) -> bool {
    let mut b = egui::Button::new(label);
    if let Some(i) = shortcut {
        b = b.shortcut_text(ui.ctx().format_shortcut(&SHORTCUTS[i].0));
    }
    ui.add_enabled(enabled, b).clicked()
}

/// The menu bar and the banner.
pub fn show(ui: &mut egui::Ui, view: &View<'_>, banner: Option<&Banner>, out: &mut Vec<Command>) {
    egui::Panel::top("menu").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if item(ui, "New", Some(0), true) {
                    out.push(Command::New);
                }
                if item(ui, "Open…", Some(1), true) {
                    out.push(Command::Open);
                }
                if item(ui, "Save", Some(2), true) {
                    out.push(Command::Save);
                }
                if item(ui, "Save As…", Some(3), true) {
                    out.push(Command::SaveAs);
                }
                ui.menu_button("Examples", |ui| {
                    for (i, ex) in EXAMPLES.iter().enumerate() {
                        if ui.button(ex.title).clicked() {
                            out.push(Command::OpenExample(i));
                        }
                    }
                });
                ui.separator();
                if ui
                    .button("Import measured run…")
                    .on_hover_text(
                        "Read a CodeCarbon emissions.csv, an nvidia-smi power log or a Carbontracker log: each run \
                         becomes a column beside the plans",
                    )
                    .clicked()
                {
                    out.push(Command::ImportMeasured);
                }
                if item(ui, "Export…", Some(4), true) {
                    out.push(Command::Export);
                }
                if item(ui, "Copy table as Markdown", Some(5), true) {
                    out.push(Command::CopyMarkdown);
                }
                // A page is closed with its tab.
                if !cfg!(target_arch = "wasm32") {
                    ui.separator();
                    if item(ui, "Quit", Some(6), true) {
                        out.push(Command::Quit);
                    }
                }
            });
            ui.menu_button("Edit", |ui| {
                let undo = match view.undo_label {
                    Some(l) => format!("Undo {l}"),
                    None => "Undo".into(),
                };
                if item(ui, &undo, Some(8), view.undo_label.is_some()) {
                    out.push(Command::Undo);
                }
                let redo = match view.redo_label {
                    Some(l) => format!("Redo {l}"),
                    None => "Redo".into(),
                };
                if item(ui, &redo, Some(7), view.redo_label.is_some()) {
                    out.push(Command::Redo);
                }
                ui.separator();
                if ui.button("Reset catalogue to built-in presets…").clicked() {
                    out.push(Command::AskResetCatalogue);
                }
                if ui.button("Settings…").clicked() {
                    out.push(Command::ShowWindow(WindowKind::Settings));
                }
            });
            ui.menu_button("View", |ui| {
                ui.label("Theme");
                for (t, label) in [
                    (ThemeChoice::System, "Follow system"),
                    (ThemeChoice::Light, "Light"),
                    (ThemeChoice::Dark, "Dark"),
                ] {
                    if ui.radio(view.prefs.theme == t, label).clicked() {
                        out.push(Command::SetTheme(t));
                    }
                }
                ui.separator();
                ui.label(format!("UI scale: {:.0} %", view.prefs.ui_scale * 100.0));
                ui.horizontal(|ui| {
                    if ui.button("Smaller").clicked() {
                        out.push(Command::SetScale(view.prefs.ui_scale - 0.1));
                    }
                    if ui.button("100 %").clicked() {
                        out.push(Command::SetScale(1.0));
                    }
                    if ui.button("Larger").clicked() {
                        out.push(Command::SetScale(view.prefs.ui_scale + 0.1));
                    }
                });
                ui.separator();
                for (k, label, shown, i) in [
                    (
                        PanelKind::Catalogue,
                        "Catalogue",
                        view.prefs.show_catalogue,
                        10,
                    ),
                    (PanelKind::Charts, "Charts", view.prefs.show_charts, 11),
                    (
                        PanelKind::Formula,
                        "Formula view",
                        view.prefs.show_formula,
                        12,
                    ),
                ] {
                    let mut on = shown;
                    let r = ui.add(egui::Checkbox::new(&mut on, label));
                    let r = r.on_hover_text(ui.ctx().format_shortcut(&SHORTCUTS[i].0));
                    if r.clicked() {
                        out.push(Command::TogglePanel(k));
                    }
                }
            });
            ui.menu_button("Help", |ui| {
                if item(ui, "Methodology", Some(15), true) {
                    out.push(Command::ShowWindow(WindowKind::Methodology));
                }
                if ui.button("Sources").clicked() {
                    out.push(Command::ShowWindow(WindowKind::Sources));
                }
                if ui.button("Keyboard shortcuts").clicked() {
                    out.push(Command::ShowWindow(WindowKind::Shortcuts));
                }
                if ui.button("About Trainprint").clicked() {
                    out.push(Command::ShowWindow(WindowKind::About));
                }
            });
            ui.separator();
            let file = view
                .file
                .and_then(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "not saved to a file".into());
            ui.label(RichText::new(&view.ws.name).strong());
            ui.weak(format!("— {file}{}", if view.dirty { " •" } else { "" }));
        });
        if let Some(b) = banner {
            let color = match b.severity {
                Severity::Error => super::widgets::error_color(ui),
                Severity::Info => ui.visuals().hyperlink_color,
            };
            ui.horizontal_wrapped(|ui| {
                let icon = match b.severity {
                    Severity::Error => "Error:",
                    Severity::Info => "Note:",
                };
                ui.label(RichText::new(format!("{icon} {}", b.text)).color(color));
                if ui.small_button("Dismiss").clicked() {
                    out.push(Command::DismissBanner);
                }
            });
        }
    });
}
