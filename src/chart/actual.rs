//! Plan against actual as a chart: the waterfall from a plan's CO2e to a measured run's, one floating bar per
//! factor of [`crate::engine::actual::compare_actual`] (the same shape as Why different).

use super::{Chart, ChartKind, WaterfallEnd, waterfall};
use crate::engine::actual::ActualComparison;
use crate::engine::actual_entry::EntryOutcome;
use crate::palette::{self, Rgb};

/// A measured run as its column shows it: the comparison with its plan, the carry-back and the waterfall.
#[derive(Clone, Debug)]
pub struct MeasuredView {
    /// The comparison and the carry-back.
    pub outcome: EntryOutcome,
    /// The waterfall from the plan to the measurement, when there is a comparison.
    pub chart: Option<Chart>,
}

/// The waterfall from plan `plan_name` (series key `plan_key`, colour `plan_color`) to the measured run
/// `run_label` (series key `run_key`).
pub fn actual_waterfall(
    plan_name: &str,
    plan_key: u64,
    plan_color: Rgb,
    run_label: &str,
    run_key: usize,
    cmp: &ActualComparison,
) -> Chart {
    waterfall(
        ChartKind::Difference,
        format!("Plan against actual — {run_label} against {plan_name}"),
        WaterfallEnd {
            key: format!("plan-{plan_key}"),
            name: plan_name,
            color: plan_color,
            kg: cmp.planned_co2e_kg,
        },
        &cmp.contributions,
        WaterfallEnd {
            key: format!("measured-{run_key}"),
            name: "Measured",
            color: palette::GREY,
            kg: cmp.measured_co2e_kg,
        },
        vec![format!("{run_label} against the plan {plan_name}")],
    )
}
