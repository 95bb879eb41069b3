//! A measured run as a column beside the plans: tagged "measured" with its tool and file, its numbers (not
//! editable as a plan), the grid the user gives when the file has none, the plan it is compared with, the gap
//! explained factor by factor (a waterfall and a table), and the buttons that carry the measurement back into the
//! plan (undoable).

use super::widgets::{optional_number, search_combo, warn_color};
use super::{Command, View};
use crate::chart::actual::MeasuredView;
use crate::engine::actual::{ActualComparison, ActualError, BasisSource, CarryBack};
use crate::engine::actual_entry::EntryError;
use crate::model::{Action, MeasuredEntry};
use crate::units;
use eframe::egui::{self, RichText, Ui};

/// Width of a measured column.
pub const COLUMN_WIDTH: f32 = 340.0;

/// The colour of the "measured" tag.
const TAG: egui::Color32 = egui::Color32::from_rgb(0x56, 0x8E, 0xB8);

/// The gap as the column writes it: `+1.2 kgCO2e (+15.0 %)` (measured minus planned).
pub fn delta_text(cmp: &ActualComparison) -> String {
    let d = cmp.delta_co2e_kg;
    let sign = if d < 0.0 { "-" } else { "+" };
    let pct = crate::engine::delta_pct(cmp.measured_co2e_kg, cmp.planned_co2e_kg)
        .map(|p| format!(" ({p:+.1} %)"))
        .unwrap_or_default();
    format!("{sign}{}{pct}", units::co2e(d.abs()))
}

/// One measured run's column.
pub fn column(ui: &mut Ui, k: usize, view: &View<'_>, out: &mut Vec<Command>) {
    let Some(entry) = view.ws.measured.get(k) else {
        return;
    };
    egui::Frame::group(ui.style())
        .inner_margin(8.0)
        .stroke(egui::Stroke::new(1.5, TAG))
        .show(ui, |ui| {
            ui.set_width(COLUMN_WIDTH);
            ui.vertical(|ui| {
                ui.push_id(("measured-col", k), |ui| {
                    header(ui, k, entry, out);
                    ui.separator();
                    numbers(ui, entry);
                    if entry.run.co2e_kg.is_none() {
                        ui.separator();
                        grid(ui, k, entry, view, out);
                    }
                    ui.separator();
                    compare(ui, k, entry, view.measured.get(k), view, out);
                });
            });
        });
}

fn edit(out: &mut Vec<Command>, index: usize, entry: MeasuredEntry) {
    out.push(Command::Apply(Action::EditMeasured {
        index,
        entry: Box::new(entry),
    }));
}

fn header(ui: &mut Ui, k: usize, entry: &MeasuredEntry, out: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(" measured ")
                .strong()
                .color(egui::Color32::WHITE)
                .background_color(TAG),
        );
        let id: String = entry.run.run_id.chars().take(20).collect();
        ui.heading(id)
            .on_hover_text(format!("run {}", entry.run.run_id));
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .button("Remove")
                .on_hover_text("Remove this measured run (undoable)")
                .clicked()
            {
                out.push(Command::Apply(Action::RemoveMeasured(k)));
            }
        });
    });
    let version = entry
        .run
        .tool_version
        .as_deref()
        .map(|v| format!(" {v}"))
        .unwrap_or_default();
    ui.weak(format!(
        "{}{version} · {}",
        entry.run.source.label(),
        entry.file
    ));
    if let Some(s) = &entry.run.started {
        ui.weak(format!("started {s}"));
    }
}

fn row(ui: &mut Ui, label: &str, value: impl Into<egui::WidgetText>) {
    ui.horizontal(|ui| {
        ui.label(RichText::new(label).weak());
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.label(value);
        });
    });
}

/// The run's own numbers, as the file gives them.
fn numbers(ui: &mut Ui, entry: &MeasuredEntry) {
    let run = &entry.run;
    row(ui, "Duration", units::hours(run.duration_h));
    let energy = match run.pue {
        Some(p) => format!(
            "{} (PUE {} applied)",
            units::energy(run.energy_kwh),
            units::sig(p, 3)
        ),
        None => units::energy(run.energy_kwh),
    };
    row(ui, "Energy", energy);
    row(
        ui,
        "CO2e",
        run.co2e_kg
            .map_or_else(|| "— (none in the file)".to_owned(), units::co2e),
    );
    row(
        ui,
        "Power per accelerator",
        run.avg_power_w
            .map_or_else(|| "—".to_owned(), |w| format!("{} W", units::sig(w, 4))),
    );
    let model = run.accelerator_model.as_deref().unwrap_or("");
    row(
        ui,
        "Accelerators",
        if run.accelerators == 0 {
            "— (none measured)".to_owned()
        } else {
            format!("{} {model}", run.accelerators)
                .trim_end()
                .to_owned()
        },
    );
    let place: Vec<&str> = [
        run.country.as_deref(),
        run.region.as_deref(),
        run.cloud_provider.as_deref(),
        run.cloud_region.as_deref(),
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.is_empty())
    .collect();
    if !place.is_empty() {
        row(ui, "Location", place.join(" · "));
    }
    if let Some(g) = run.intensity_g_per_kwh {
        row(ui, "Grid intensity", format!("{} g/kWh", units::sig(g, 4)));
    }
}

/// For a file without CO2e: the region or the intensity the user gives.
fn grid(ui: &mut Ui, k: usize, entry: &MeasuredEntry, view: &View<'_>, out: &mut Vec<Command>) {
    ui.label(
        RichText::new("The file has no grid intensity: give a region or an intensity.")
            .color(warn_color(ui))
            .small(),
    );
    let selected = entry
        .region
        .as_deref()
        .map(|id| view.catalogue.region(id).map_or(id, |r| r.name.as_str()))
        .unwrap_or("none");
    let chosen = search_combo(
        ui,
        ("measured-region", k),
        "Region",
        selected,
        || super::plan_editor::region_items(view),
        COLUMN_WIDTH - 80.0,
    );
    if let Some(id) = chosen {
        let mut e = entry.clone();
        e.region = Some(id);
        e.intensity_g_per_kwh = None;
        edit(out, k, e);
    }
    if let Some(v) = optional_number(
        ui,
        ("measured-intensity", k),
        "Intensity",
        entry.intensity_g_per_kwh,
        "gCO2e/kWh",
        super::widgets::Rule::NonNegative,
        "none",
    ) {
        let mut e = entry.clone();
        e.intensity_g_per_kwh = v;
        edit(out, k, e);
    }
    ui.weak("A typed intensity wins over the region; the region also gives its PUE.");
}

fn plan_picker(
    ui: &mut Ui,
    k: usize,
    entry: &MeasuredEntry,
    view: &View<'_>,
    out: &mut Vec<Command>,
) {
    let current = entry.against.and_then(|id| view.ws.plan_index(id));
    let text = current
        .and_then(|i| view.ws.plans.get(i))
        .map_or("pick a plan", |p| p.name.as_str());
    let mut picked = None;
    ui.horizontal(|ui| {
        let l = ui.label("Compare with");
        let combo = egui::ComboBox::from_id_salt(("measured-plan", k))
            .selected_text(text)
            .width(COLUMN_WIDTH - 110.0)
            .show_ui(ui, |ui| {
                for (i, p) in view.ws.plans.iter().enumerate() {
                    if ui.selectable_label(current == Some(i), &p.name).clicked() {
                        picked = Some(p.id);
                    }
                }
            })
            .response
            .labelled_by(l.id);
        super::widgets::a11y::combo_value(ui, &combo, text);
    });
    if let Some(id) = picked
        && entry.against != Some(id)
    {
        let mut e = entry.clone();
        e.against = Some(id);
        edit(out, k, e);
    }
}

fn source_text(s: BasisSource) -> &'static str {
    match s {
        BasisSource::File => "from the file",
        BasisSource::Region => "from the region given",
        BasisSource::Given => "as given",
        BasisSource::Plan => "from the plan",
        BasisSource::NotApplied => "none applied by the tool",
    }
}

fn compare(
    ui: &mut Ui,
    k: usize,
    entry: &MeasuredEntry,
    shown: Option<&MeasuredView>,
    view: &View<'_>,
    out: &mut Vec<Command>,
) {
    plan_picker(ui, k, entry, view, out);
    let Some(shown) = shown else {
        return;
    };
    match &shown.outcome.comparison {
        Ok(cmp) => comparison(ui, cmp, shown),
        // The grid fields above say what to do; the engine's words name the command-line flags.
        Err(EntryError::Actual(ActualError::MissingIntensity(_))) => {
            ui.label(
                RichText::new("Give a region or an intensity above to compare.")
                    .color(warn_color(ui)),
            );
        }
        Err(e) => {
            ui.label(RichText::new(e.to_string()).color(warn_color(ui)));
        }
    }
    if let Some(i) = shown.outcome.plan {
        ui.separator();
        carry(ui, k, i, entry, shown.outcome.carry.as_ref(), view, out);
    }
}

fn comparison(ui: &mut Ui, cmp: &ActualComparison, shown: &MeasuredView) {
    row(ui, "Planned", units::co2e(cmp.planned_co2e_kg));
    row(ui, "Measured", units::co2e(cmp.measured_co2e_kg));
    ui.horizontal(|ui| {
        ui.label(RichText::new("Measured - planned").weak());
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let color = if cmp.delta_co2e_kg <= 0.0 {
                ui.visuals().hyperlink_color
            } else {
                warn_color(ui)
            };
            ui.label(RichText::new(delta_text(cmp)).strong().color(color))
                .on_hover_text(format!("{} kgCO2e", units::sig(cmp.delta_co2e_kg, 8)));
        });
    });
    if let Some(chart) = &shown.chart {
        super::plot::draw(ui, chart, COLUMN_WIDTH, 190.0);
    }
    contributions(ui, cmp);
    let b = &cmp.basis;
    ui.label(RichText::new("Where the measured values come from").strong());
    for line in [
        format!(
            "Accelerators: {} ({})",
            b.accelerators,
            source_text(b.accelerators_source)
        ),
        format!(
            "Power: {} W per accelerator (the file's energy without PUE, per accelerator-hour)",
            units::sig(b.power_w, 4)
        ),
        format!(
            "PUE: {} ({})",
            units::sig(b.pue, 3),
            source_text(b.pue_source)
        ),
        format!(
            "Intensity: {} g/kWh ({})",
            units::sig(b.intensity_g_per_kwh, 4),
            source_text(b.intensity_source)
        ),
    ] {
        ui.label(RichText::new(line).small());
    }
    for n in &b.notes {
        ui.label(RichText::new(n.describe()).small().color(warn_color(ui)))
            .on_hover_text(n.key());
    }
}

/// The factor table: each contribution in kg with a bar (right: raises CO2e, left: lowers it).
fn contributions(ui: &mut Ui, cmp: &ActualComparison) {
    let biggest = cmp
        .contributions
        .iter()
        .map(|(_, kg)| kg.abs())
        .fold(0.0, f64::max);
    let half = 60.0;
    egui::Grid::new("measured-contributions")
        .num_columns(3)
        .striped(true)
        .show(ui, |ui| {
            for (f, kg) in &cmp.contributions {
                ui.label(f.label());
                ui.label(if *kg == 0.0 {
                    "0".to_owned()
                } else {
                    format!(
                        "{}{}",
                        if *kg < 0.0 { "-" } else { "+" },
                        units::co2e(kg.abs())
                    )
                });
                let (rect, _) =
                    ui.allocate_exact_size(egui::vec2(2.0 * half, 12.0), egui::Sense::hover());
                let mid = rect.center().x;
                ui.painter().vline(
                    mid,
                    rect.y_range(),
                    egui::Stroke::new(1.0, ui.visuals().weak_text_color()),
                );
                if biggest > 0.0 {
                    let w = (kg.abs() / biggest) as f32 * half;
                    // The waterfall's colours: a fall green, a rise orange.
                    let (x0, x1, [r, g, b]) = if *kg < 0.0 {
                        (mid - w, mid, crate::palette::LOWERS)
                    } else {
                        (mid, mid + w, crate::palette::RAISES)
                    };
                    let c = egui::Color32::from_rgb(r, g, b);
                    ui.painter().rect_filled(
                        egui::Rect::from_x_y_ranges(x0..=x1, rect.y_range()),
                        1.0,
                        c,
                    );
                }
                ui.end_row();
            }
        });
}

/// Tokens or samples processed, and the buttons that carry the measurement back into the plan.
fn carry(
    ui: &mut Ui,
    k: usize,
    i: usize,
    entry: &MeasuredEntry,
    carry: Option<&Result<CarryBack, ActualError>>,
    view: &View<'_>,
    out: &mut Vec<Command>,
) {
    ui.label(RichText::new("Carry back into the plan").strong());
    for (label, value, set) in [
        (
            "Tokens processed",
            entry.run.tokens,
            (|e: &mut MeasuredEntry, v| e.run.tokens = v) as fn(&mut MeasuredEntry, Option<f64>),
        ),
        (
            "Samples processed",
            entry.run.samples,
            |e: &mut MeasuredEntry, v| e.run.samples = v,
        ),
    ] {
        if let Some(v) = optional_number(
            ui,
            ("measured-work", k, label),
            label,
            value,
            "",
            super::widgets::Rule::Positive,
            "none",
        ) {
            let mut e = entry.clone();
            set(&mut e, v);
            edit(out, k, e);
        }
    }
    let Some(plan) = view.ws.plans.get(i) else {
        return;
    };
    let back = match carry {
        Some(Ok(b)) => b,
        Some(Err(e)) => {
            ui.label(RichText::new(e.to_string()).color(warn_color(ui)));
            return;
        }
        None => {
            ui.weak("The plan's accelerator is not in the catalogue: nothing to carry back.");
            return;
        }
    };
    let change = |field: &str| back.changes.iter().find(|c| c.field == field);
    let power = change("power");
    let rate = change("throughput").or_else(|| change("mfu"));
    let apply = |out: &mut Vec<Command>, edit: &dyn Fn(&mut crate::model::TrainingPlan)| {
        let mut p = plan.clone();
        edit(&mut p);
        out.push(Command::Apply(Action::CarryBack {
            index: i,
            plan: Box::new(p),
        }));
    };
    let r = ui
        .add_enabled(
            power.is_some(),
            egui::Button::new("Use measured power in plan"),
        )
        .on_disabled_hover_text("The plan already uses this power, or the file measured none");
    if let Some(c) = power {
        ui.weak(format!("power: {} to {}", c.before, c.after));
    }
    if r.clicked() {
        apply(out, &|p| p.power = back.plan.power);
    }
    let r = ui
        .add_enabled(rate.is_some(), egui::Button::new("Use achieved throughput"))
        .on_disabled_hover_text(
            "Give the tokens or samples processed; the plan must be given by parameters and tokens, or as a \
             measured throughput",
        );
    if let Some(c) = rate {
        ui.weak(format!("{}: {} to {}", c.field, c.before, c.after));
    }
    if r.clicked() {
        apply(out, &|p| p.duration = back.plan.duration.clone());
    }
    for s in &back.skipped {
        ui.label(RichText::new(s).small().weak());
    }
}
