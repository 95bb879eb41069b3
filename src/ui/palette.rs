//! The shared colour-blind-safe palette ([`crate::palette`]) as egui colours.

use eframe::egui::Color32;

/// The colour of plan `i`.
pub fn plan(i: usize) -> Color32 {
    let [r, g, b] = crate::palette::plan(i);
    Color32::from_rgb(r, g, b)
}

/// The colour of a plan, which follows it when it moves (by its id; `i` is its position, for plans without one).
pub fn of(plan: &crate::model::TrainingPlan, i: usize) -> Color32 {
    let [r, g, b] = crate::palette::of_key(plan.id.key_or(i));
    Color32::from_rgb(r, g, b)
}

/// The colour of breakdown term `i` (accelerators, host, PUE overhead, embodied).
pub fn term(i: usize) -> Color32 {
    let [r, g, b] = crate::palette::TERMS[i % crate::palette::TERMS.len()];
    Color32::from_rgb(r, g, b)
}
