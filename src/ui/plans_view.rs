//! The plans side by side: one column per plan with its name, the baseline choice, its results (energy, CO2e in
//! readable units, water, cost, an everyday equivalent, the change against the baseline) and the defaults the
//! engine used, then its inputs; after the plans, one column per measured run (`measured_view`). Columns scroll
//! horizontally.

use super::widgets::{error_color, warn_color};
use super::{Command, View, palette, plan_editor};
use crate::engine::equivalents::{co2e_equivalent, energy_equivalent};
use crate::engine::{Assumption, Estimate};
use crate::model::{Action, MAX_PLANS, TrainingPlan};
use crate::units;
use eframe::egui::{self, RichText, Ui};

/// Width of one plan column.
pub const COLUMN_WIDTH: f32 = 290.0;

/// The plans area.
pub fn show(ui: &mut Ui, view: &View<'_>, state: &mut super::UiState, out: &mut Vec<Command>) {
    ui.scope(|ui| {
        super::widgets::a11y::region(ui, "Plans");
        plans(ui, view, state, out);
    });
}

fn plans(ui: &mut Ui, view: &View<'_>, state: &mut super::UiState, out: &mut Vec<Command>) {
    let n = view.ws.plans.len();
    let baseline = view.ws.baseline_index();
    ui.horizontal(|ui| {
        ui.heading("Plans");
        let add = ui.add_enabled(n < MAX_PLANS, egui::Button::new("Add plan"));
        if add.clicked() {
            let mut plan =
                view.ws.plans.last().cloned().unwrap_or_else(|| {
                    TrainingPlan::new("Plan", "nvidia-h100-sxm", 8, 24.0, "world")
                });
            plan.name =
                crate::model::action::unique_name(&view.ws.plans, &format!("Plan {}", n + 1));
            out.push(Command::Apply(Action::AddPlan(Box::new(plan))));
        }
        if ui
            .button("Import measured run…")
            .on_hover_text(
                "Read a CodeCarbon emissions.csv, an nvidia-smi power log or a Carbontracker log and compare \
                 it with a plan",
            )
            .clicked()
        {
            out.push(Command::ImportMeasured);
        }
        ui.weak(format!(
            "{n} plan{} · baseline: {}",
            if n == 1 { "" } else { "s" },
            view.ws
                .plans
                .get(baseline)
                .map(|p| p.name.as_str())
                .unwrap_or("—")
        ));
    });
    ui.separator();
    let scrolled = egui::ScrollArea::both()
        .id_salt("plans-scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            super::widgets::a11y::scroll_view(ui, "Plan columns");
            ui.horizontal_top(|ui| {
                for i in 0..n {
                    column(ui, i, view, state, out);
                }
                for k in 0..view.ws.measured.len() {
                    super::measured_view::column(ui, k, view, out);
                }
            });
        });
    super::widgets::a11y::name_scroll_bars(ui.ctx(), scrolled.id, "plans");
}

fn column(ui: &mut Ui, i: usize, view: &View<'_>, state: &super::UiState, out: &mut Vec<Command>) {
    let n = view.ws.plans.len();
    let baseline = view.ws.baseline_index();
    let Some(plan) = view.ws.plans.get(i) else {
        return;
    };
    let selected = state.selected_plan == i;
    let mut frame = egui::Frame::group(ui.style()).inner_margin(8.0);
    if selected {
        frame = frame.stroke(egui::Stroke::new(2.0, palette::of(plan, i)));
    }
    frame.show(ui, |ui| {
        ui.set_width(COLUMN_WIDTH);
        ui.vertical(|ui| {
            ui.push_id(("plan-col", i), |ui| {
                // Header: colour key, name, baseline, plan menu.
                ui.horizontal(|ui| {
                    let (rect, _) =
                        ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
                    ui.painter().rect_filled(rect, 2.0, palette::of(plan, i));
                    let mut name = plan.name.clone();
                    let r = ui.add(
                        egui::TextEdit::singleline(&mut name)
                            .desired_width(COLUMN_WIDTH - 110.0)
                            .font(egui::TextStyle::Heading),
                    );
                    let r = r.on_hover_text("Plan name");
                    if r.changed() && name != plan.name {
                        let mut p = plan.clone();
                        p.name = name;
                        out.push(Command::Apply(Action::EditPlan {
                            index: i,
                            plan: Box::new(p),
                        }));
                    }
                    if r.lost_focus() {
                        out.push(Command::SealUndo);
                    }
                    ui.menu_button("Actions", |ui| {
                        if ui.button("Show formula").clicked() {
                            out.push(Command::SelectPlan(i));
                        }
                        if ui
                            .add_enabled(n < MAX_PLANS, egui::Button::new("Duplicate"))
                            .clicked()
                        {
                            out.push(Command::Apply(Action::DuplicatePlan(i)));
                        }
                        if ui
                            .add_enabled(i > 0, egui::Button::new("Move left"))
                            .clicked()
                        {
                            out.push(Command::Apply(Action::MovePlan { from: i, to: i - 1 }));
                        }
                        if ui
                            .add_enabled(i + 1 < n, egui::Button::new("Move right"))
                            .clicked()
                        {
                            out.push(Command::Apply(Action::MovePlan { from: i, to: i + 1 }));
                        }
                        if ui.add_enabled(n > 1, egui::Button::new("Remove")).clicked() {
                            out.push(Command::Apply(Action::RemovePlan(i)));
                        }
                    })
                    .response
                    .on_hover_text("Plan actions");
                });
                ui.horizontal(|ui| {
                    if ui.radio(i == baseline, "Baseline").clicked() && i != baseline {
                        out.push(Command::Apply(Action::SetBaseline(i)));
                    }
                    if ui
                        .selectable_label(selected, "Show formula")
                        .on_hover_text("Show this plan's derivation in the formula view")
                        .clicked()
                    {
                        out.push(Command::SelectPlan(i));
                    }
                });
                ui.separator();
                match view.outcomes.get(i).map(|o| &o.estimate) {
                    Some(Ok(e)) => results(ui, e, i, baseline, view),
                    Some(Err(err)) => {
                        ui.label(
                            RichText::new(format!("Cannot estimate: {err}")).color(error_color(ui)),
                        );
                    }
                    None => {}
                }
                ui.separator();
                let fold = egui::CollapsingHeader::new("Inputs")
                    .id_salt(("inputs", i))
                    .default_open(true)
                    .show(ui, |ui| plan_editor::show(ui, i, view, out));
                super::widgets::a11y::expanded(ui, &fold.header_response);
            });
        });
    });
}

fn row(ui: &mut Ui, label: &str, value: impl Into<egui::WidgetText>) {
    ui.horizontal(|ui| {
        ui.label(RichText::new(label).weak());
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.label(value);
        });
    });
}

fn results(ui: &mut Ui, e: &Estimate, i: usize, baseline: usize, view: &View<'_>) {
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(units::co2e(e.total_co2e_kg))
                .size(22.0)
                .strong(),
        )
        .on_hover_text(format!("{} kgCO2e total", units::sig(e.total_co2e_kg, 8)));
        if i != baseline
            && let Some(d) = view.delta_pct(i, baseline, |e| e.total_co2e_kg)
        {
            let color = if d < 0.0 {
                ui.visuals().hyperlink_color
            } else {
                warn_color(ui)
            };
            ui.label(RichText::new(format!("{d:+.1} % vs baseline")).color(color));
        } else if i == baseline {
            ui.weak("baseline");
        }
    });
    row(ui, "Facility energy", units::energy(e.facility_energy_kwh));
    row(
        ui,
        "IT energy × PUE",
        format!(
            "{} × {}",
            units::energy(e.it_energy_kwh),
            units::sig(e.pue, 4)
        ),
    );
    row(ui, "Operational CO2e", units::co2e(e.co2e_kg));
    if let Some(m) = e.market_co2e_kg {
        row(ui, "Market-based CO2e", units::co2e(m))
    }
    if e.embodied_kg_per_device.is_some() {
        row(ui, "Embodied CO2e", units::co2e(e.embodied_co2e_kg));
    }
    row(
        ui,
        "Accelerator-hours",
        format!("{} h", units::sig(e.accelerator_hours, 5)),
    );
    row(
        ui,
        "Wall-clock",
        e.wall_hours
            .map(units::hours)
            .unwrap_or_else(|| "— (no count)".into()),
    );
    if let Some(w) = e.water_l {
        row(ui, "Water (on-site)", units::water(w));
    }
    if let Some(c) = e.cost_usd {
        row(ui, "Cost", units::usd(c));
    }
    if i != baseline
        && let Some(d) = view.delta_pct(i, baseline, |e| e.facility_energy_kwh)
    {
        row(ui, "Energy vs baseline", format!("{d:+.1} %"));
    }
    let (eq, k) = co2e_equivalent(e.total_co2e_kg);
    ui.label(RichText::new(format!("≈ {} {}", units::sig(k, 3), eq.unit)).italics())
        .on_hover_text(format!("{} {} ({})", eq.per_unit, eq.basis, eq.source));
    let (eq, k) = energy_equivalent(e.facility_energy_kwh);
    ui.label(RichText::new(format!("≈ {} {}", units::sig(k, 3), eq.unit)).italics())
        .on_hover_text(format!("{} {} ({})", eq.per_unit, eq.basis, eq.source));
    for a in e.assumptions.iter() {
        let fallback = a.is_fallback();
        let text = match a {
            Assumption::DefaultPue => format!("Fallback: default PUE {}", e.pue),
            Assumption::DefaultMfu => format!(
                "Default: MFU {} from the utilisation table",
                crate::units::sig(e.mfu.unwrap_or(0.0), 3)
            ),
            Assumption::Fp32MayRunAsTf32 => "Note: FP32 may run as TF32".into(),
            Assumption::GenericEmbodied => "Fallback: generic embodied figure".into(),
            Assumption::DefaultLifetime => "Fallback: default 4-year lifetime".into(),
            Assumption::PowerFromTdp => "Note: power = TDP x utilisation".into(),
            Assumption::NoWallHours => "Note: no count, wall-clock unknown".into(),
            Assumption::NoWaterData => "Note: no water data for this region".into(),
            Assumption::LiveIntensity => {
                "Note: live grid intensity (not the annual average)".into()
            }
        };
        let color = if fallback {
            warn_color(ui)
        } else {
            ui.visuals().weak_text_color()
        };
        let label = ui.label(RichText::new(text).color(color).small());
        if a == Assumption::DefaultMfu
            && let Some(plan) = view.ws.plans.get(i)
        {
            mfu_source_hover(label, plan, view, e);
        } else {
            label.on_hover_text(a.describe());
        }
    }
}

/// The hover of a default MFU: its table entry, range, measurement count, rule and sources.
fn mfu_source_hover(
    label: egui::Response,
    plan: &crate::model::TrainingPlan,
    view: &View<'_>,
    e: &crate::engine::Estimate,
) {
    label.on_hover_ui(|ui| {
        let prov = crate::engine::provenance::Provenance::of(plan, view.catalogue, e);
        if let Some(m) = prov.mfu {
            ui.label(m.long());
        }
    });
}
