//! What the app computes from the workspace, kept until its inputs change: each plan's results (recomputed only
//! when the plan or the catalogue entries it uses changed), their schedules (likewise), the chart data of the
//! chart kinds shown and the formula view's derivation. Panels read these; nothing is computed while a frame is drawn.

use crate::chart::actual::{MeasuredView, actual_waterfall};
use crate::chart::sweep::SweepView;
use crate::chart::{self, Chart, ChartKind};
use crate::engine::PlanResult;
use crate::engine::actual_entry::entry_outcome;
use crate::engine::derivation::{self, Derivation, Terms};
use crate::engine::plan_schedule::{PlanSchedule, Settings, plan_schedule};
use crate::engine::results::{self, Outcome};
use crate::engine::sweep;
use crate::model::{Accelerator, Catalogue, Region, TrainingPlan, Workspace};
use crate::persist::profiles;

/// What a plan's results were computed from.
#[derive(Clone, Debug)]
struct Inputs {
    plan: TrainingPlan,
    accelerator: Option<Accelerator>,
    region: Option<Region>,
    utilization: Option<(f64, f64, f64)>,
}

impl Inputs {
    fn of(plan: &TrainingPlan, catalogue: &Catalogue) -> Self {
        Inputs {
            plan: plan.clone(),
            accelerator: catalogue.accelerator(&plan.accelerator).cloned(),
            region: region_of(plan, catalogue).cloned(),
            utilization: utilization_key(plan, catalogue),
        }
    }

    fn same(&self, plan: &TrainingPlan, catalogue: &Catalogue) -> bool {
        self.plan == *plan
            && self.accelerator.as_ref() == catalogue.accelerator(&plan.accelerator)
            && self.region.as_ref() == region_of(plan, catalogue)
            && self.utilization == utilization_key(plan, catalogue)
    }
}

/// The utilisation-table cell a compute-based plan reads (MFU, low, high), so an edit of the table recomputes the
/// plans that use it.
fn utilization_key(plan: &TrainingPlan, catalogue: &Catalogue) -> Option<(f64, f64, f64)> {
    let crate::model::Duration::Compute {
        precision,
        workload,
        ..
    } = plan.duration
    else {
        return None;
    };
    let acc = catalogue.accelerator(&plan.accelerator)?;
    let u = catalogue.utilization().lookup(acc, precision, workload)?;
    let (lo, hi) = u.range();
    Some((u.mfu(), lo, hi))
}

fn region_of<'c>(plan: &TrainingPlan, catalogue: &'c Catalogue) -> Option<&'c Region> {
    plan.region.as_deref().and_then(|r| catalogue.region(r))
}

/// Everything derived from the workspace.
#[derive(Debug, Default)]
pub struct Cache {
    inputs: Vec<Inputs>,
    outcomes: Vec<Outcome>,
    /// For each plan, a stamp that is new whenever its results were recomputed (what its schedule is keyed on).
    stamps: Vec<u64>,
    recomputed: usize,
    /// Bumped whenever a plan's results change.
    version: u64,
    /// Each plan's schedule with the key it was made for: the settings, the plan's stamp and the imported
    /// profile's version. Only the plans whose key moved are scheduled again.
    schedules: Vec<((Settings, u64, u64), Option<PlanSchedule>)>,
    scheduled: usize,
    schedules_version: u64,
    profiles: Option<Vec<profiles::Profile>>,
    /// The charts built for the current `chart_key`, each kind built the first time it is asked for.
    charts: Vec<Chart>,
    chart_key: Option<(u64, usize, u64)>,
    derivation: Option<(u64, Derivation)>,
    sweep: Option<((u64, usize), SweepView)>,
    measured: Vec<MeasuredView>,
    measured_key: Option<(u64, u64)>,
}

impl Cache {
    /// Brings every plan's results up to date; recomputes only plans whose inputs changed. Returns how many were
    /// recomputed.
    pub fn refresh(&mut self, plans: &[TrainingPlan], catalogue: &Catalogue) -> usize {
        let mut recomputed = 0;
        let before = self.outcomes.len();
        self.inputs.truncate(plans.len());
        self.outcomes.truncate(plans.len());
        self.stamps.truncate(plans.len());
        for (i, plan) in plans.iter().enumerate() {
            if self.inputs.get(i).is_some_and(|k| k.same(plan, catalogue)) {
                continue;
            }
            let outcome = results::outcome(plan, catalogue);
            let inputs = Inputs::of(plan, catalogue);
            let stamp = (self.recomputed + recomputed + 1) as u64;
            if i < self.outcomes.len() {
                self.outcomes[i] = outcome;
                self.inputs[i] = inputs;
                self.stamps[i] = stamp;
            } else {
                self.outcomes.push(outcome);
                self.inputs.push(inputs);
                self.stamps.push(stamp);
            }
            recomputed += 1;
        }
        if recomputed > 0 || before != plans.len() {
            self.version += 1;
        }
        self.recomputed += recomputed;
        recomputed
    }

    /// Every plan's results, in plan order.
    pub fn outcomes(&self) -> &[Outcome] {
        &self.outcomes
    }

    /// The results of plan `i`.
    pub fn outcome(&self, i: usize) -> Option<&Outcome> {
        self.outcomes.get(i)
    }

    /// The estimate of plan `i` (or why there is none).
    pub fn result(&self, i: usize) -> Option<&PlanResult> {
        self.outcomes.get(i).map(|o| &o.estimate)
    }

    /// How many plan estimates were computed since the cache was made (for tests of "only changed plans").
    pub fn recomputed_total(&self) -> usize {
        self.recomputed
    }

    /// How many plan schedules were made since the cache was made (for tests of "only changed plans").
    pub fn scheduled_total(&self) -> usize {
        self.scheduled
    }

    /// A number that changes whenever any plan's results change.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The schedule of plan `i`.
    pub fn schedule(&self, i: usize) -> Option<&PlanSchedule> {
        self.schedules.get(i).and_then(|(_, s)| s.as_ref())
    }

    /// The chart data of the kinds built for the current document (by [`Cache::refresh_charts`]).
    pub fn charts(&self) -> &[Chart] {
        &self.charts
    }

    /// The chart data of one kind.
    pub fn chart(&self, kind: ChartKind) -> Option<&Chart> {
        self.charts.iter().find(|c| c.kind == kind)
    }

    /// The formula view's derivation (built by [`Cache::refresh_derivation`]).
    pub fn derivation(&self) -> Option<&Derivation> {
        self.derivation.as_ref().map(|(_, d)| d)
    }

    /// Brings the schedules up to date: a plan is scheduled again when the settings or the imported profile changed
    /// or the plan was re-estimated (an edit of one plan schedules that plan alone).
    pub fn refresh_schedules(
        &mut self,
        catalogue: &Catalogue,
        plans: &[TrainingPlan],
        settings: &Settings,
        imported: Option<(u64, &profiles::Series)>,
    ) {
        let imported_version = imported.map_or(0, |(v, _)| v);
        let key = |stamp: u64| (*settings, stamp, imported_version);
        let mut changed = self.schedules.len() > self.outcomes.len();
        self.schedules.truncate(self.outcomes.len());
        for (i, ((o, plan), stamp)) in self
            .outcomes
            .iter()
            .zip(plans)
            .zip(&self.stamps)
            .enumerate()
        {
            if self
                .schedules
                .get(i)
                .is_some_and(|(k, _)| *k == key(*stamp))
            {
                continue;
            }
            // The embedded profiles are checked by the tests; if they ever failed to load, every region would get
            // the flat profile, which says so.
            let all = self
                .profiles
                .get_or_insert_with(|| profiles::profiles().unwrap_or_default());
            let schedule = o.ok().and_then(|e| {
                plan_schedule(
                    e,
                    region_of(plan, catalogue),
                    all,
                    settings,
                    imported.map(|(_, s)| s),
                )
            });
            self.scheduled += 1;
            changed = true;
            if i < self.schedules.len() {
                self.schedules[i] = (key(*stamp), schedule);
            } else {
                self.schedules.push((key(*stamp), schedule));
            }
        }
        if changed {
            self.schedules_version += 1;
        }
    }

    /// Brings chart `kind`'s data up to date: the charts built so far are dropped when the document (`revision`),
    /// the selected plan or the schedules changed, and `kind` is built when it is missing. Only the kinds asked for
    /// are built, so an edit rebuilds the chart on screen, not all seven.
    pub fn refresh_charts(&mut self, ws: &Workspace, revision: u64, focus: usize, kind: ChartKind) {
        let key = (revision, focus, self.schedules_version);
        if self.chart_key != Some(key) {
            self.charts.clear();
            self.chart_key = Some(key);
        }
        if self.chart(kind).is_none() {
            let input = chart_input(ws, &self.outcomes, focus, self.schedule(focus));
            self.charts.push(chart::build(kind, &input));
        }
    }

    /// Runs sweep `index` of the workspace when the document (`revision`) or the index changed (every value with
    /// the same results function the plans use).
    pub fn refresh_sweep(
        &mut self,
        ws: &Workspace,
        catalogue: &Catalogue,
        revision: u64,
        index: usize,
    ) {
        let key = (revision, index);
        if self.sweep.as_ref().is_some_and(|(k, _)| *k == key) {
            return;
        }
        self.sweep = ws.sweeps.get(index).map(|s| {
            let result = match ws.plans.iter().find(|p| p.id == s.plan) {
                None => Err("the plan of this sweep is no longer in the workspace".to_owned()),
                Some(plan) => sweep::run(plan, &s.over, catalogue).map_err(|e| e.to_string()),
            };
            let chart = result.as_ref().ok().map(crate::export::sweep::chart);
            (
                key,
                SweepView {
                    index,
                    result,
                    chart,
                },
            )
        });
    }

    /// The shown sweep, run (built by [`Cache::refresh_sweep`]).
    pub fn sweep(&self) -> Option<&SweepView> {
        self.sweep.as_ref().map(|(_, v)| v)
    }

    /// Compares every measured run with its plan, when the workspace or the results changed.
    pub fn refresh_measured(&mut self, ws: &Workspace, catalogue: &Catalogue, revision: u64) {
        let key = (revision, self.version);
        if self.measured_key == Some(key) {
            return;
        }
        let outcomes = &self.outcomes;
        self.measured = ws
            .measured
            .iter()
            .enumerate()
            .map(|(k, entry)| {
                let outcome = entry_outcome(entry, ws, catalogue, |i| {
                    outcomes.get(i).and_then(Outcome::ok)
                });
                let chart = match (&outcome.comparison, outcome.plan) {
                    (Ok(cmp), Some(i)) => {
                        let p = &ws.plans[i];
                        let key = p.id.key_or(i);
                        Some(actual_waterfall(
                            &p.name,
                            key,
                            crate::palette::of_key(key),
                            &entry.run.label(),
                            k,
                            cmp,
                        ))
                    }
                    _ => None,
                };
                MeasuredView { outcome, chart }
            })
            .collect();
        self.measured_key = Some(key);
    }

    /// Every measured run's comparison, in workspace order.
    pub fn measured(&self) -> &[MeasuredView] {
        &self.measured
    }

    /// Derives the selected plan step by step with the chosen terms, when either or the results changed.
    pub fn refresh_derivation(
        &mut self,
        plans: &[TrainingPlan],
        catalogue: &Catalogue,
        plan: usize,
        terms: Terms,
    ) {
        let fresh = self
            .derivation
            .as_ref()
            .is_some_and(|(v, d)| *v == self.version && d.plan == plan && d.terms == terms);
        if fresh {
            return;
        }
        self.derivation = plans.get(plan).map(|p| {
            (
                self.version,
                Derivation {
                    plan,
                    terms,
                    result: derivation::derive(p, catalogue, terms),
                },
            )
        });
    }
}

/// The chart input of the app's state: the same builder the exports use, over the cached results.
pub fn chart_input<'a>(
    ws: &'a Workspace,
    outcomes: &'a [Outcome],
    focus: usize,
    schedule: Option<&'a PlanSchedule>,
) -> chart::Input<'a> {
    let footnote = crate::export::report::footnote_lines(
        outcomes.iter().filter_map(|o| o.provenance.as_ref()),
    );
    chart::Input {
        subject: &ws.name,
        plans: ws
            .plans
            .iter()
            .zip(outcomes)
            .enumerate()
            .map(|(i, (p, o))| chart::PlanInput {
                key: p.id.key_or(i),
                name: &p.name,
                color: crate::palette::of_key(p.id.key_or(i)),
                estimate: o.ok(),
                interval: o.uncertainty.as_ref().map(|u| u.interval),
                tornado: o
                    .uncertainty
                    .as_ref()
                    .map_or(&[][..], |u| u.tornado.as_slice()),
                band_note: o.uncertainty.as_ref().and_then(|u| u.note.as_deref()),
            })
            .collect(),
        baseline: ws.baseline_index(),
        focus,
        schedule: schedule.map(chart::ScheduleInput::from),
        footnote,
    }
}
