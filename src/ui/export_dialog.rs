//! File > Export…: choose the formats, the chart size, the plan for the model card and the destination folder;
//! the export runs off the UI thread, the dialog shows each file as it is written and then the paths; errors go to
//! the banner.

use super::widgets::a11y::ComboValue as _;
use super::widgets::{Rule, error_color, num_input};
use super::{Command, View};
use crate::export::{Format, MAX_SIZE, MIN_SIZE};
use eframe::egui::{self, RichText};
use std::path::PathBuf;

/// The dialog's settings and what the last run reported.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportDialog {
    /// Which formats are ticked, in [`Format::ALL`] order.
    pub formats: [bool; 7],
    /// Chart width, pixels.
    pub width: u32,
    /// Chart height, pixels.
    pub height: u32,
    /// The plan the model card describes.
    pub card_plan: usize,
    /// The destination folder.
    pub dir: Option<PathBuf>,
    /// Files written so far by the running or last export.
    pub written: Vec<PathBuf>,
    /// True while an export runs.
    pub running: bool,
    /// The last run's outcome: `Ok` with the folder, or the error.
    pub outcome: Option<Result<PathBuf, String>>,
}

impl ExportDialog {
    /// A dialog with every format ticked, 1600 x 900 charts, the baseline's model card.
    pub fn new(baseline: usize) -> Self {
        ExportDialog {
            formats: [true; 7],
            width: 1600,
            height: 900,
            card_plan: baseline,
            dir: None,
            written: Vec::new(),
            running: false,
            outcome: None,
        }
    }

    /// The ticked formats.
    pub fn selected(&self) -> Vec<Format> {
        Format::ALL
            .into_iter()
            .zip(self.formats)
            .filter_map(|(f, on)| on.then_some(f))
            .collect()
    }
}

fn format_label(f: Format) -> &'static str {
    match f {
        Format::Csv => "CSV summary (every input and result)",
        Format::Md => "Markdown summary (table, assumptions, formula, methods paragraph)",
        Format::Json => "JSON (same keys as the command line, plus inputs)",
        Format::Bib => "BibTeX references",
        Format::Yaml => "Hugging Face model-card CO2 block (YAML)",
        Format::Png => "Charts as PNG",
        Format::Svg => "Charts as SVG",
    }
}

/// Shows the dialog if it is open.
pub fn show(
    ctx: &egui::Context,
    view: &View<'_>,
    dialog: &mut Option<ExportDialog>,
    out: &mut Vec<Command>,
) {
    let Some(d) = dialog.as_mut() else {
        return;
    };
    let mut open = true;
    egui::Window::new("Export")
        .open(&mut open)
        .pivot(egui::Align2::CENTER_TOP)
        .default_pos(ctx.content_rect().center_top() + egui::vec2(0.0, 80.0))
        .collapsible(false)
        .resizable(true)
        .default_width(560.0)
        .show(ctx, |ui| {
            ui.add_enabled_ui(!d.running, |ui| {
                ui.label(RichText::new("Formats").strong());
                for (k, f) in Format::ALL.into_iter().enumerate() {
                    ui.checkbox(&mut d.formats[k], format_label(f));
                }
                ui.add_space(4.0);
                ui.label(RichText::new("Charts").strong());
                ui.horizontal(|ui| {
                    for (id, label, size) in [
                        ("export-width", "Width", &mut d.width),
                        ("export-height", "Height", &mut d.height),
                    ] {
                        let value = f64::from(*size);
                        if let Some(v) = num_input(ui, id, label, value, "px", Rule::Count) {
                            *size = v as u32;
                        }
                    }
                });
                let size_ok = |v: u32| (MIN_SIZE..=MAX_SIZE).contains(&v);
                if !size_ok(d.width) || !size_ok(d.height) {
                    ui.label(
                        RichText::new(format!(
                            "Chart sides must be {MIN_SIZE} to {MAX_SIZE} pixels."
                        ))
                        .color(error_color(ui)),
                    );
                }
                ui.horizontal(|ui| {
                    let l = ui.label("Model card for");
                    let name = view
                        .ws
                        .plans
                        .get(d.card_plan)
                        .map(|p| p.name.as_str())
                        .unwrap_or("—");
                    egui::ComboBox::new("export-card-plan", "")
                        .selected_text(name)
                        .show_ui(ui, |ui| {
                            for (i, p) in view.ws.plans.iter().enumerate() {
                                ui.selectable_value(&mut d.card_plan, i, &p.name);
                            }
                        })
                        .response
                        .labelled_by(l.id)
                        .combo_value(ui, name);
                });
                ui.add_space(4.0);
                if cfg!(target_arch = "wasm32") {
                    // The browser has no folders to choose: it downloads.
                    ui.label(RichText::new("Destination").strong());
                    ui.label("A download: the file itself, or one zip of them all when there are several.");
                } else {
                    ui.horizontal(|ui| {
                        ui.label(RichText::new("Destination").strong());
                        if ui.button("Choose folder…").clicked() {
                            out.push(Command::ChooseExportFolder);
                        }
                    });
                    ui.label(
                        d.dir
                            .as_ref()
                            .map(|p| p.display().to_string())
                            .unwrap_or_else(|| "no folder chosen".into()),
                    );
                }
            });
            ui.separator();
            let size_ok = (MIN_SIZE..=MAX_SIZE).contains(&d.width)
                && (MIN_SIZE..=MAX_SIZE).contains(&d.height);
            let has_place = d.dir.is_some() || cfg!(target_arch = "wasm32");
            let can = !d.running && has_place && !d.selected().is_empty() && size_ok;
            ui.horizontal(|ui| {
                if ui.add_enabled(can, egui::Button::new("Export")).clicked() {
                    out.push(Command::StartExport);
                }
                if d.running {
                    ui.spinner();
                    ui.label(format!("Writing… {} file(s) so far", d.written.len()));
                }
            });
            match &d.outcome {
                Some(Ok(dir)) => {
                    ui.label(format!(
                        "Wrote {} file(s) to {}:",
                        d.written.len(),
                        dir.display()
                    ));
                }
                Some(Err(e)) => {
                    ui.label(RichText::new(format!("Export failed: {e}")).color(error_color(ui)));
                }
                None => {}
            }
            if !d.written.is_empty() {
                let scrolled = egui::ScrollArea::vertical()
                    .max_height(180.0)
                    .show(ui, |ui| {
                        for p in &d.written {
                            ui.monospace(
                                p.file_name()
                                    .map(|n| n.to_string_lossy().into_owned())
                                    .unwrap_or_default(),
                            );
                        }
                    });
                super::widgets::a11y::name_scroll_bars(ui.ctx(), scrolled.id, "the written files");
            }
        });
    if !open && !d.running {
        *dialog = None;
    }
}
