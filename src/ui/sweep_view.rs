//! The Sweep tab: pick the plan (the selected one) and the input, run the sweep (kept in the workspace), see the
//! ranked bars (total CO2e with P5-P95 beside facility energy, the plan's own value marked) and a ranked table
//! with energy, CO2e, time and cost; click a bar, or a row's button, to add that variant as a plan.

use super::plot::draw_clickable;
use super::widgets::warn_color;
use super::{Command, UiState, View};
use crate::chart::sweep::{SweepView, rank_at};
use crate::engine::sweep::{SweepResult, Variant};
use crate::model::action::unique_name;
use crate::model::sweep::{Provider, SweepKind, parse_over};
use crate::model::{Action, Sweep};
use crate::units;
use eframe::egui::{self, RichText, Ui};

/// Height of one bar's row in the sweep chart, points: every name stays readable with ~60 values.
pub const ROW_HEIGHT: f32 = 20.0;

/// The form for a new sweep.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    /// What to vary.
    pub kind: SweepKind,
    /// For a region sweep: one provider's regions (`None`: every region, or the list typed in `values`).
    pub provider: Option<Provider>,
    /// The values, as on the command line (empty: the kind's default).
    pub values: String,
}

impl Default for Draft {
    fn default() -> Self {
        Draft {
            kind: SweepKind::Region,
            provider: None,
            values: String::new(),
        }
    }
}

fn hint(kind: SweepKind) -> &'static str {
    match kind {
        SweepKind::Region => "region ids, comma-separated (empty: every region)",
        SweepKind::Accelerator => "accelerator ids (empty: every one with the plan's precision)",
        SweepKind::Count => "8,16,64 or 8..512 (doubling)",
        SweepKind::Precision => "",
        SweepKind::Pue => "1.1,1.2 or 1.1..1.6/6",
        SweepKind::Utilization => "0.6,0.8 or 0.5..1/6",
    }
}

/// The Sweep tab: the form and the kept sweeps in one row, then the chart and the table, the full width.
pub fn show(ui: &mut Ui, view: &View<'_>, state: &mut UiState, out: &mut Vec<Command>) {
    let w = ui.available_width();
    ui.vertical(|ui| {
        // The whole height, so the resizable chart panel keeps its size when the content is shorter.
        ui.set_min_height(ui.available_height());
        ui.horizontal_wrapped(|ui| controls(ui, view, state, out));
        ui.horizontal_wrapped(|ui| kept(ui, view, state, out));
        let h = ui.available_height();
        result(ui, view, out, w - 16.0, h);
    });
}

fn controls(ui: &mut Ui, view: &View<'_>, state: &mut UiState, out: &mut Vec<Command>) {
    let i = state
        .selected_plan
        .min(view.ws.plans.len().saturating_sub(1));
    let Some(plan) = view.ws.plans.get(i) else {
        return;
    };
    super::planning::plan_note(ui, view, i);
    let d = &mut state.sweep_draft;
    super::widgets::choice(
        ui,
        "sweep-kind",
        "over",
        &mut d.kind,
        SweepKind::ALL,
        SweepKind::label,
    );
    if d.kind == SweepKind::Region {
        super::widgets::choice(
            ui,
            "sweep-provider",
            "of",
            &mut d.provider,
            [
                None,
                Some(Provider::Aws),
                Some(Provider::Gcp),
                Some(Provider::Azure),
            ],
            |p| match p {
                None => "every region / a list",
                Some(Provider::Aws) => "AWS",
                Some(Provider::Gcp) => "Google Cloud",
                Some(Provider::Azure) => "Azure",
            },
        )
        .on_hover_text("Which regions");
    } else {
        d.provider = None;
    }
    let takes_values = d.kind != SweepKind::Precision && d.provider.is_none();
    if takes_values {
        ui.add(
            egui::TextEdit::singleline(&mut d.values)
                .hint_text(hint(d.kind))
                .desired_width(260.0),
        );
    } else if d.kind == SweepKind::Precision {
        ui.weak("every precision the accelerator has");
    }
    let parsed = parse_over(
        d.kind,
        d.provider,
        takes_values.then_some(d.values.as_str()),
    );
    let problem = match &parsed {
        Ok(over) => crate::model::sweep::validate(over)
            .err()
            .map(|e| e.to_string()),
        Err(e) => Some(e.to_string()),
    };
    if ui
        .add_enabled(problem.is_none(), egui::Button::new("Sweep"))
        .on_hover_text("Run the sweep and keep it in the workspace")
        .clicked()
        && let Ok(over) = parsed
    {
        let kind = over.kind();
        out.push(Command::Apply(Action::SetSweep(Box::new(Sweep {
            plan: plan.id,
            over,
        }))));
        // Show the sweep just kept: it replaces the same plan's sweep of this kind, else it is added last.
        state.sweep_index = view
            .ws
            .sweeps
            .iter()
            .position(|s| s.plan == plan.id && s.over.kind() == kind)
            .unwrap_or(view.ws.sweeps.len());
    }
    if let Some(p) = &problem {
        ui.label(RichText::new(p).color(warn_color(ui)));
    }
}

/// The sweeps kept in the workspace: which one is shown, and Remove.
fn kept(ui: &mut Ui, view: &View<'_>, state: &mut UiState, out: &mut Vec<Command>) {
    if view.ws.sweeps.is_empty() {
        return;
    }
    let name = |k: usize| {
        view.ws.sweeps.get(k).map_or_else(String::new, |s| {
            let plan = view
                .ws
                .plans
                .iter()
                .find(|p| p.id == s.plan)
                .map_or("(removed plan)", |p| p.name.as_str());
            format!("{plan} over {}", s.over.kind().label().to_lowercase())
        })
    };
    let l = ui.label("Kept sweeps");
    let kept = egui::ComboBox::new("sweep-kept", "")
        .selected_text(name(state.sweep_index))
        .show_ui(ui, |ui| {
            for k in 0..view.ws.sweeps.len() {
                ui.selectable_value(&mut state.sweep_index, k, name(k));
            }
        })
        .response
        .labelled_by(l.id);
    super::widgets::a11y::combo_value(ui, &kept, &name(state.sweep_index));
    if ui
        .small_button("Remove")
        .on_hover_text("Remove this sweep from the workspace")
        .clicked()
        && state.sweep_index < view.ws.sweeps.len()
    {
        out.push(Command::Apply(Action::RemoveSweep(state.sweep_index)));
        state.sweep_index = state.sweep_index.saturating_sub(1);
    }
}

fn add_plan(view: &View<'_>, v: &Variant) -> Command {
    let mut plan = v.plan.clone();
    plan.name = unique_name(&view.ws.plans, &plan.name);
    Command::Apply(Action::AddPlan(Box::new(plan)))
}

fn result(ui: &mut Ui, view: &View<'_>, out: &mut Vec<Command>, w: f32, h: f32) {
    let Some(sv) = view.sweep else {
        ui.weak(if view.ws.sweeps.is_empty() {
            "No sweep yet: pick what to vary and press Sweep."
        } else {
            "Pick a sweep on the left."
        });
        return;
    };
    let SweepView { result, chart, .. } = sv;
    let r = match result {
        Ok(r) => r,
        Err(e) => {
            ui.label(RichText::new(e).color(warn_color(ui)));
            return;
        }
    };
    let Some(chart) = chart else { return };
    for note in &chart.notes {
        ui.label(RichText::new(note).small());
    }
    ui.horizontal(|ui| {
        // Each button copies one form of the ranked result; Export writes them all to a folder.
        type Render = fn(&SweepResult) -> String;
        let copies: [(&str, &str, Render); 3] = [
            (
                "Copy table (Markdown)",
                "The ranked table, the skipped values and the methods sentence",
                crate::export::sweep::to_markdown,
            ),
            (
                "Copy CSV",
                "One row per value, in rank order",
                crate::export::sweep::to_csv,
            ),
            (
                "Copy methods sentence",
                "\"Training in X instead of Y would have emitted Z % less\"",
                SweepResult::methods_sentence,
            ),
        ];
        for (text, hover, render) in copies {
            if ui.small_button(text).on_hover_text(hover).clicked() {
                ui.ctx().copy_text(render(r));
            }
        }
        let export = ui.small_button("Export…").on_hover_text(
            "Write the chart (PNG, SVG), the CSV and the Markdown table into a folder",
        );
        if export.clicked() {
            out.push(Command::ExportSweep);
        }
    });
    let n = r.variants.len();
    let room = ui.available_height().min(h);
    egui::ScrollArea::vertical()
        .id_salt("sweep-result")
        .max_height(room)
        .min_scrolled_height(room)
        .show(ui, |ui| {
            // Every bar's row readable (scroll for more), or the whole view when the values fit.
            let ch = (90.0 + n as f32 * ROW_HEIGHT).max(room - 30.0);
            // Total CO2e with its P5-P95, the full width; energy, time and cost are in the table below (the
            // exported chart has the energy panel too).
            if let Some([_, y]) = draw_clickable(ui, chart, 1, w, ch)
                && let Some(v) = rank_at(y, n).and_then(|k| r.variants.get(k))
            {
                out.push(add_plan(view, v));
            }
            ui.weak("Click a bar, or Add, to add that variant as a plan.");
            table(ui, view, r, out);
        });
}

fn table(ui: &mut Ui, view: &View<'_>, r: &SweepResult, out: &mut Vec<Command>) {
    egui::Grid::new("sweep-table")
        .striped(true)
        .num_columns(8)
        .show(ui, |ui| {
            for head in [
                "#",
                r.kind.label(),
                "Facility energy",
                "Total CO2e",
                "P5–P95",
                "Wall-clock",
                "Cost",
                "",
            ] {
                ui.label(RichText::new(head).strong());
            }
            ui.end_row();
            for (k, v) in r.variants.iter().enumerate() {
                let Some(e) = v.outcome.ok() else { continue };
                ui.label((k + 1).to_string());
                let name = crate::chart::sweep::category_name(v);
                if v.own {
                    ui.label(RichText::new(name).strong());
                } else {
                    ui.label(name);
                }
                ui.label(units::energy(e.facility_energy_kwh));
                ui.label(units::co2e(e.total_co2e_kg));
                ui.label(v.co2e_range());
                ui.label(e.wall_hours.map_or_else(|| "—".into(), units::hours));
                ui.label(e.cost_usd.map_or_else(|| "—".into(), units::usd));
                if ui
                    .small_button("Add")
                    .on_hover_text(format!("Add '{}' as a plan", v.plan.name))
                    .clicked()
                {
                    out.push(add_plan(view, v));
                }
                ui.end_row();
            }
        });
    if !r.skipped.is_empty() {
        ui.add_space(4.0);
        ui.label(RichText::new(format!("Skipped ({})", r.skipped.len())).strong());
        for s in &r.skipped {
            ui.label(format!("{}: {}", s.value, s.reason));
        }
    }
}
