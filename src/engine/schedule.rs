//! Carbon-aware scheduling over an hourly intensity series: the CO2e of starting a job at every hour of a window
//! (sliding-window sums over prefix sums, O(n) in the series length), the best start and the saving against
//! starting now; or, for a job that can pause, the cleanest hours before a deadline (O(n) selection).
//!
//! The job draws constant power, so each hour it runs adds (facility energy / hours) x that hour's intensity. A
//! fractional duration runs its last hour partly. Embodied carbon does not depend on when the job runs and is
//! added to every start alike.

use std::fmt;

/// Why a schedule cannot be computed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ScheduleError {
    /// The series is shorter than the job.
    #[error(
        "the intensity profile has {series_hours} hours but the job runs {job_hours} hours: give a longer profile"
    )]
    ProfileTooShort {
        /// Hours in the series.
        series_hours: usize,
        /// Hours the job needs.
        job_hours: f64,
    },
    /// The deadline leaves too few hours for a pausable job.
    #[error("the deadline leaves {deadline_hours} hours but the job needs {job_hours}")]
    DeadlineTooSoon {
        /// Hours before the deadline (within the series).
        deadline_hours: usize,
        /// Hours the job needs.
        job_hours: f64,
    },
    /// A value is not usable.
    #[error("{0}")]
    Invalid(String),
}

/// The job to schedule.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Job {
    /// Wall-clock hours of the whole job (all runs back to back), > 0.
    pub hours: f64,
    /// Facility energy of the whole job, kWh.
    pub energy_kwh: f64,
    /// Embodied CO2e, kg (the same whatever the start).
    pub embodied_kg: f64,
}

/// The result of scheduling a job over a window of start times.
#[derive(Clone, Debug, PartialEq)]
pub struct Schedule {
    /// Total CO2e (kg) for each start hour 0..=last start.
    pub co2e_by_start: Vec<f64>,
    /// CO2e starting at hour 0.
    pub start_now_co2e_kg: f64,
    /// The best start hour (the earliest among equals).
    pub best_start: usize,
    /// CO2e at the best start.
    pub best_co2e_kg: f64,
    /// Saving of the best start against starting now, % (>= 0).
    pub savings_pct: f64,
}

impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "start now {:.3} kg, best start at hour {} {:.3} kg ({:.1} % less)",
            self.start_now_co2e_kg, self.best_start, self.best_co2e_kg, self.savings_pct
        )
    }
}

fn check_job(job: &Job) -> Result<(usize, f64), ScheduleError> {
    if !(job.hours.is_finite() && job.hours > 0.0) {
        return Err(ScheduleError::Invalid(format!(
            "the job's duration must be a positive number of hours, got {}",
            job.hours
        )));
    }
    if !(job.energy_kwh.is_finite() && job.energy_kwh >= 0.0) {
        return Err(ScheduleError::Invalid(format!(
            "the job's energy must be a finite number of kWh, got {}",
            job.energy_kwh
        )));
    }
    let full = job.hours.floor();
    Ok((full as usize, job.hours - full))
}

fn check_series(series: &[f64]) -> Result<(), ScheduleError> {
    match series.iter().position(|x| !(x.is_finite() && *x >= 0.0)) {
        Some(i) => Err(ScheduleError::Invalid(format!(
            "intensity at hour {i} is not a finite number >= 0 ({})",
            series[i]
        ))),
        None => Ok(()),
    }
}

/// CO2e of the job for every start hour in `0..=window_hours` that fits in the series (O(n)).
///
/// ```
/// use trainprint::engine::schedule::{Job, schedule};
/// // 2 h at 100 kWh total (50 kWh an hour) over 400, 100, 100, 400 g/kWh: starting at hour 1 is best.
/// let s = schedule(&[400.0, 100.0, 100.0, 400.0], &Job { hours: 2.0, energy_kwh: 100.0, embodied_kg: 0.0 }, 10)?;
/// assert_eq!(s.co2e_by_start, vec![25.0, 10.0, 25.0]);
/// assert_eq!((s.best_start, s.best_co2e_kg, s.savings_pct), (1, 10.0, 60.0));
/// # Ok::<(), trainprint::engine::schedule::ScheduleError>(())
/// ```
pub fn schedule(series: &[f64], job: &Job, window_hours: usize) -> Result<Schedule, ScheduleError> {
    let (full, frac) = check_job(job)?;
    check_series(series)?;
    let needed = full + usize::from(frac > 0.0);
    if series.len() < needed {
        return Err(ScheduleError::ProfileTooShort {
            series_hours: series.len(),
            job_hours: job.hours,
        });
    }
    let last_start = (series.len() - needed).min(window_hours);
    // prefix[i] = sum of series[..i]
    let mut prefix = Vec::with_capacity(series.len() + 1);
    prefix.push(0.0);
    let mut acc = 0.0;
    for &x in series {
        acc += x;
        prefix.push(acc);
    }
    let kwh_per_hour = job.energy_kwh / job.hours;
    let co2e_by_start: Vec<f64> = (0..=last_start)
        .map(|t| {
            let mut g = prefix[t + full] - prefix[t];
            if frac > 0.0 {
                g += frac * series[t + full];
            }
            kwh_per_hour * g / 1000.0 + job.embodied_kg
        })
        .collect();
    // The earliest minimum: a later start must be lower by more than rounding (1e-9 relative) to win, so a
    // repeating day picks its first occurrence.
    let (best_start, best_co2e_kg) =
        co2e_by_start
            .iter()
            .enumerate()
            .fold((0, f64::INFINITY), |(bi, bv), (i, &v)| {
                if bv.is_infinite() || v < bv - 1e-9 * bv.abs() {
                    (i, v)
                } else {
                    (bi, bv)
                }
            });
    let start_now_co2e_kg = co2e_by_start.first().copied().unwrap_or(0.0);
    let savings_pct = if start_now_co2e_kg > 0.0 {
        (start_now_co2e_kg - best_co2e_kg) / start_now_co2e_kg * 100.0
    } else {
        0.0
    };
    Ok(Schedule {
        co2e_by_start,
        start_now_co2e_kg,
        best_start,
        best_co2e_kg,
        savings_pct,
    })
}

/// A pausable job run only in the cleanest hours before a deadline.
#[derive(Clone, Debug, PartialEq)]
pub struct Paused {
    /// The hours the job runs in, ascending (the last one possibly partly, see `last_fraction`).
    pub hours_used: Vec<usize>,
    /// How much of the dirtiest chosen hour is used (1 when the duration is whole).
    pub last_fraction: f64,
    /// Total CO2e, kg.
    pub co2e_kg: f64,
    /// CO2e of running straight from hour 0, kg.
    pub start_now_co2e_kg: f64,
    /// Saving against starting now, %.
    pub savings_pct: f64,
}

/// Runs the job in the cleanest hours among the first `deadline_hours` of the series (O(n) selection).
///
/// ```
/// use trainprint::engine::schedule::{Job, pausable};
/// // 2 h at 50 kWh/h before hour 4 of 400, 100, 300, 50: hours 1 and 3.
/// let p = pausable(&[400.0, 100.0, 300.0, 50.0], &Job { hours: 2.0, energy_kwh: 100.0, embodied_kg: 0.0 }, 4)?;
/// assert_eq!(p.hours_used, vec![1, 3]);
/// assert_eq!(p.co2e_kg, 7.5);
/// # Ok::<(), trainprint::engine::schedule::ScheduleError>(())
/// ```
pub fn pausable(series: &[f64], job: &Job, deadline_hours: usize) -> Result<Paused, ScheduleError> {
    let (full, frac) = check_job(job)?;
    check_series(series)?;
    let needed = full + usize::from(frac > 0.0);
    let horizon = deadline_hours.min(series.len());
    if horizon < needed {
        return Err(ScheduleError::DeadlineTooSoon {
            deadline_hours: horizon,
            job_hours: job.hours,
        });
    }
    let mut idx: Vec<usize> = (0..horizon).collect();
    // Order by intensity, then by hour, so ties go to the earlier hour.
    let key = |i: &usize| (series[*i], *i);
    if needed < horizon {
        idx.select_nth_unstable_by(needed - 1, |a, b| {
            key(a)
                .partial_cmp(&key(b))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
    }
    idx.truncate(needed);
    // The dirtiest chosen hour is the partly used one.
    let dirtiest = idx.iter().copied().max_by(|a, b| {
        key(a)
            .partial_cmp(&key(b))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let kwh_per_hour = job.energy_kwh / job.hours;
    let grams: f64 = idx
        .iter()
        .map(|&i| {
            let w = if frac > 0.0 && Some(i) == dirtiest {
                frac
            } else {
                1.0
            };
            w * series[i]
        })
        .sum();
    let co2e_kg = kwh_per_hour * grams / 1000.0 + job.embodied_kg;
    let straight = schedule(series, job, 0)?;
    idx.sort_unstable();
    let start_now_co2e_kg = straight.start_now_co2e_kg;
    Ok(Paused {
        hours_used: idx,
        last_fraction: if frac > 0.0 { frac } else { 1.0 },
        co2e_kg,
        start_now_co2e_kg,
        savings_pct: if start_now_co2e_kg > 0.0 {
            (start_now_co2e_kg - co2e_kg) / start_now_co2e_kg * 100.0
        } else {
            0.0
        },
    })
}

/// The job an estimate describes (all runs back to back), if its wall-clock hours are known.
pub fn job(e: &super::estimate::Estimate) -> Option<Job> {
    let hours = e.wall_hours? * e.runs;
    (hours > 0.0).then_some(Job {
        hours,
        energy_kwh: e.facility_energy_kwh,
        embodied_kg: e.embodied_co2e_kg,
    })
}
