//! Per-plan cache of estimates and chart series. A plan is recomputed only when its inputs changed: the plan
//! itself, or the catalogue entries it uses.

use crate::engine::analysis::{self, Point};
use crate::engine::{self, PlanResult, schedule, uncertainty};
use crate::model::{Accelerator, Catalogue, Region, TrainingPlan};
use crate::persist::profiles::{self, Part};

/// Points per chart series.
pub const SERIES_POINTS: usize = 48;

/// The chart series of one estimated plan.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Series {
    /// Cumulative facility energy (kWh) over wall-clock hours, when the count is known.
    pub cumulative_energy: Vec<Point>,
    /// Cumulative total CO2e (kg) over wall-clock hours.
    pub cumulative_co2e: Vec<Point>,
    /// Total CO2e (kg) against grid intensity (g/kWh).
    pub vs_intensity: Vec<Point>,
    /// Total CO2e (kg) against PUE.
    pub vs_pue: Vec<Point>,
    /// P5/P50/P95 of total CO2e from the seeded Monte Carlo.
    pub interval: Option<uncertainty::Interval>,
    /// The tornado: each uncertain input's swing, widest first.
    pub tornado: Vec<uncertainty::Swing>,
}

/// How the schedule chart is set up (UI choices).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScheduleSettings {
    /// Start times considered: now .. now + window.
    pub window_hours: usize,
    /// Part of the year of a representative profile.
    pub part: Part,
    /// Local clock hour that "now" falls on.
    pub start_hour: usize,
    /// Use the region's fetched forecast when it has one.
    pub use_forecast: bool,
    /// Run only in the cleanest hours before the deadline.
    pub pausable: bool,
    /// The deadline of a pausable job, hours from now.
    pub deadline_hours: usize,
    /// Which imported profile is in use (0: none; bumped on every import).
    pub imported: u64,
}

impl Default for ScheduleSettings {
    fn default() -> Self {
        ScheduleSettings {
            window_hours: 48,
            part: Part::Year,
            start_hour: 0,
            use_forecast: true,
            pausable: false,
            deadline_hours: 96,
            imported: 0,
        }
    }
}

/// One plan's schedule: the series used and the result (or why there is none).
#[derive(Clone, Debug, PartialEq)]
pub struct PlanSchedule {
    /// The intensity series.
    pub series: profiles::Series,
    /// The job's hours.
    pub job_hours: f64,
    /// CO2e by start time.
    pub result: Result<schedule::Schedule, String>,
    /// The pausable plan, when asked for.
    pub paused: Option<Result<schedule::Paused, String>>,
}

/// One cached plan.
#[derive(Clone, Debug)]
pub struct Entry {
    plan: TrainingPlan,
    accelerator: Option<Accelerator>,
    region: Option<Region>,
    utilization: Option<(f64, f64, f64)>,
    /// The estimate, or why there is none.
    pub result: PlanResult,
    /// Chart series (empty on error).
    pub series: Series,
}

/// The cache, one entry per plan in plan order.
#[derive(Clone, Debug, Default)]
pub struct Cache {
    entries: Vec<Entry>,
    recomputed: usize,
    schedules: Vec<Option<PlanSchedule>>,
    schedule_key: Option<(ScheduleSettings, usize)>,
    profiles: Option<Vec<profiles::Profile>>,
}

fn inputs(plan: &TrainingPlan, catalogue: &Catalogue) -> (Option<Accelerator>, Option<Region>) {
    (
        catalogue.accelerator(&plan.accelerator).cloned(),
        plan.region
            .as_deref()
            .and_then(|r| catalogue.region(r))
            .cloned(),
    )
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

fn compute(plan: &TrainingPlan, catalogue: &Catalogue) -> Entry {
    let (accelerator, region) = inputs(plan, catalogue);
    let utilization = utilization_key(plan, catalogue);
    let result = engine::estimate(plan, catalogue);
    let series = match &result {
        Ok(e) => {
            let (cumulative_energy, cumulative_co2e) =
                analysis::cumulative(e, SERIES_POINTS).unwrap_or_default();
            let (lo, hi) = analysis::intensity_range(e.intensity_g_per_kwh);
            let (plo, phi) = analysis::pue_range(e.pue);
            let ranges = uncertainty::ranges(plan, e);
            Series {
                cumulative_energy,
                cumulative_co2e,
                vs_intensity: analysis::sample(lo, hi, 2, |g| analysis::co2e_at_intensity(e, g)),
                vs_pue: analysis::sample(plo, phi, 2, |p| analysis::co2e_at_pue(e, p)),
                interval: Some(uncertainty::monte_carlo(
                    e,
                    &ranges,
                    uncertainty::DEFAULT_SEED,
                    uncertainty::SAMPLES,
                )),
                tornado: uncertainty::tornado(e, &ranges),
            }
        }
        Err(_) => Series::default(),
    };
    Entry {
        plan: plan.clone(),
        accelerator,
        region,
        utilization,
        result,
        series,
    }
}

impl Cache {
    /// Brings the cache up to date with the plans; recomputes only plans whose inputs changed. Returns how many
    /// were recomputed.
    pub fn refresh(&mut self, plans: &[TrainingPlan], catalogue: &Catalogue) -> usize {
        let mut recomputed = 0;
        self.entries.truncate(plans.len());
        for (i, plan) in plans.iter().enumerate() {
            let fresh = match self.entries.get(i) {
                Some(e) => {
                    e.plan == *plan && {
                        let (a, r) = (
                            catalogue.accelerator(&plan.accelerator),
                            plan.region.as_deref().and_then(|r| catalogue.region(r)),
                        );
                        e.accelerator.as_ref() == a
                            && e.region.as_ref() == r
                            && e.utilization == utilization_key(plan, catalogue)
                    }
                }
                None => false,
            };
            if !fresh {
                let entry = compute(plan, catalogue);
                if i < self.entries.len() {
                    self.entries[i] = entry;
                } else {
                    self.entries.push(entry);
                }
                recomputed += 1;
            }
        }
        self.recomputed += recomputed;
        recomputed
    }

    /// The cached entries.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The result of plan `i`.
    pub fn result(&self, i: usize) -> Option<&PlanResult> {
        self.entries.get(i).map(|e| &e.result)
    }

    /// How many plan estimates were computed since the cache was made (for tests of "only changed plans").
    pub fn recomputed_total(&self) -> usize {
        self.recomputed
    }

    /// Percentage change of plan `i`'s total CO2e against plan `baseline`.
    pub fn co2e_delta_pct(&self, i: usize, baseline: usize) -> Option<f64> {
        let e = self.result(i)?.as_ref().ok()?;
        let b = self.result(baseline)?.as_ref().ok()?;
        engine::delta_pct(e.total_co2e_kg, b.total_co2e_kg)
    }

    /// Percentage change of plan `i`'s facility energy against plan `baseline`.
    pub fn energy_delta_pct(&self, i: usize, baseline: usize) -> Option<f64> {
        let e = self.result(i)?.as_ref().ok()?;
        let b = self.result(baseline)?.as_ref().ok()?;
        engine::delta_pct(e.facility_energy_kwh, b.facility_energy_kwh)
    }
}

fn plan_schedule(
    e: &engine::Estimate,
    region: Option<&Region>,
    all: &[profiles::Profile],
    st: &ScheduleSettings,
    imported: Option<&profiles::Series>,
) -> Option<PlanSchedule> {
    let job = schedule::job(e)?;
    let needed = job.hours.ceil() as usize;
    let span = if st.pausable {
        st.deadline_hours.max(needed)
    } else {
        st.window_hours + needed
    };
    let series = match (imported, region) {
        (Some(s), _) => s.clone(),
        (None, Some(r)) => match (&r.live, st.use_forecast) {
            (Some(live), true) if !live.forecast.is_empty() => profiles::from_forecast(
                &live.forecast,
                &format!(
                    "forecast fetched from {} for zone {} ({} points)",
                    live.provider.label(),
                    live.zone,
                    live.forecast.len()
                ),
            ),
            _ => profiles::representative(r, all, st.part, st.start_hour, span),
        },
        (None, None) => profiles::Series {
            values: vec![e.intensity_g_per_kwh; span],
            labels: (0..span).map(|h| format!("hour {h}")).collect(),
            source: "no region: a flat profile at the plan's intensity".into(),
            flat: true,
        },
    };
    let result =
        schedule::schedule(&series.values, &job, st.window_hours).map_err(|e| e.to_string());
    let paused = st.pausable.then(|| {
        schedule::pausable(&series.values, &job, st.deadline_hours).map_err(|e| e.to_string())
    });
    Some(PlanSchedule {
        series,
        job_hours: job.hours,
        result,
        paused,
    })
}

impl Cache {
    /// Brings the schedules up to date: recomputed when the settings changed or a plan was re-estimated.
    pub fn refresh_schedules(
        &mut self,
        catalogue: &Catalogue,
        settings: &ScheduleSettings,
        imported: Option<&profiles::Series>,
    ) {
        let key = (*settings, self.recomputed);
        if self.schedule_key == Some(key) && self.schedules.len() == self.entries.len() {
            return;
        }
        if self.profiles.is_none() {
            // The embedded profiles are checked by the tests; if they ever failed to load, every region would
            // get the flat profile, which says so.
            self.profiles = Some(profiles::profiles().unwrap_or_default());
        }
        let all = self.profiles.as_deref().unwrap_or(&[]);
        self.schedules = self
            .entries
            .iter()
            .map(|en| {
                let e = en.result.as_ref().ok()?;
                let region = en.plan.region.as_deref().and_then(|r| catalogue.region(r));
                plan_schedule(e, region, all, settings, imported)
            })
            .collect();
        self.schedule_key = Some(key);
    }

    /// The schedule of plan `i`.
    pub fn schedule(&self, i: usize) -> Option<&PlanSchedule> {
        self.schedules.get(i).and_then(Option::as_ref)
    }

    /// The cached plan `i` (for views that need its inputs).
    pub fn plan(&self, i: usize) -> Option<&TrainingPlan> {
        self.entries.get(i).map(|e| &e.plan)
    }
}
