//! The schedule of one plan, set up once for the app, the exports and the command line: which hourly series it
//! runs over (an imported profile, else the region's fetched forecast, else the region's representative day scaled
//! to its annual intensity, else a flat profile that says so), then the best start or the pausable plan.

use super::estimate::Estimate;
use super::schedule::{self, Paused, Schedule};
use crate::model::Region;
use crate::model::profile::{Part, Profile, Series};

/// How a schedule is set up (the app's When-to-run controls, the command line's flags).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
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
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            window_hours: 48,
            part: Part::Year,
            start_hour: 0,
            use_forecast: true,
            pausable: false,
            deadline_hours: 96,
        }
    }
}

/// One plan's schedule: the series used and the result (or why there is none).
#[derive(Clone, Debug, PartialEq)]
pub struct PlanSchedule {
    /// The intensity series.
    pub series: Series,
    /// The job's hours.
    pub job_hours: f64,
    /// CO2e by start time.
    pub result: Result<Schedule, String>,
    /// The pausable plan, when asked for.
    pub paused: Option<Result<Paused, String>>,
}

/// The hourly series a plan is scheduled over, `span` hours long where it is made up.
pub fn series(
    e: &Estimate,
    region: Option<&Region>,
    profiles: &[Profile],
    settings: &Settings,
    imported: Option<&Series>,
    span: usize,
) -> Series {
    match (imported, region) {
        (Some(s), _) => s.clone(),
        (None, Some(r)) => match (&r.live, settings.use_forecast) {
            (Some(live), true) if !live.forecast.is_empty() => from_forecast(
                &live.forecast,
                &format!(
                    "forecast fetched from {} for zone {} ({} points)",
                    live.provider.label(),
                    live.zone,
                    live.forecast.len()
                ),
            ),
            _ => representative(r, profiles, settings.part, settings.start_hour, span),
        },
        (None, None) => Series {
            values: vec![e.intensity_g_per_kwh; span],
            labels: (0..span).map(|h| format!("hour {h}")).collect(),
            source: "no region: a flat profile at the plan's intensity".into(),
            flat: true,
        },
    }
}

/// The plan's schedule, or `None` when the estimate has no wall-clock hours (no count).
pub fn plan_schedule(
    e: &Estimate,
    region: Option<&Region>,
    profiles: &[Profile],
    settings: &Settings,
    imported: Option<&Series>,
) -> Option<PlanSchedule> {
    let job = schedule::job(e)?;
    let needed = job.hours.ceil() as usize;
    let span = if settings.pausable {
        settings.deadline_hours.max(needed)
    } else {
        settings.window_hours + needed
    };
    let series = series(e, region, profiles, settings, imported, span);
    let result =
        schedule::schedule(&series.values, &job, settings.window_hours).map_err(|e| e.to_string());
    let paused = settings.pausable.then(|| {
        schedule::pausable(&series.values, &job, settings.deadline_hours).map_err(|e| e.to_string())
    });
    Some(PlanSchedule {
        series,
        job_hours: job.hours,
        result,
        paused,
    })
}

/// The profile for a region, matched by its grid zone.
pub fn profile_for<'a>(region: &Region, profiles: &'a [Profile]) -> Option<&'a Profile> {
    let zone = region.grid_zone.as_deref()?;
    profiles.iter().find(|p| p.zone.eq_ignore_ascii_case(zone))
}

/// `hours` hours of the region's representative profile, starting at local clock hour `start_hour`, scaled so
/// the day's mean equals the region's annual intensity; flat at that intensity where no profile exists.
pub fn representative(
    region: &Region,
    profiles: &[Profile],
    part: Part,
    start_hour: usize,
    hours: usize,
) -> Series {
    let annual = region.intensity_g_per_kwh;
    let labels = (0..hours)
        .map(|t| {
            let h = start_hour + t;
            format!("day {} {:02}:00", h / 24 + 1, h % 24)
        })
        .collect();
    match profile_for(region, profiles) {
        Some(p) => {
            let (shape, part_name) = match part {
                Part::Year => (&p.hours, "year"),
                Part::AprJun | Part::DecJan => {
                    match p.seasons.iter().find(|s| s.name == part.label()) {
                        Some(s) => (&s.hours, part.label()),
                        None => (&p.hours, "year (no seasonal data)"),
                    }
                }
            };
            let mean = shape.iter().sum::<f64>() / 24.0;
            let values = (0..hours)
                .map(|t| {
                    let h = (start_hour + t) % 24;
                    if mean > 0.0 {
                        annual * shape[h] / mean
                    } else {
                        annual
                    }
                })
                .collect();
            let caveat = if p.modelled {
                "; modelled by the data provider for every hour, not measured".to_owned()
            } else {
                String::new()
            };
            Series {
                values,
                labels,
                source: format!(
                    "hour-of-day shape of {} ({part_name}{caveat}), scaled to {}'s {} g/kWh; {}",
                    p.name,
                    region.name,
                    crate::units::sig(annual, 4),
                    p.source
                ),
                flat: false,
            }
        }
        None => Series {
            values: vec![annual; hours],
            labels,
            source: format!(
                "no hourly data for {}{}: a flat profile at its annual {} g/kWh",
                region.name,
                region
                    .grid_zone
                    .as_deref()
                    .map(|z| format!(" (grid zone {z})"))
                    .unwrap_or_default(),
                crate::units::sig(annual, 4)
            ),
            flat: true,
        },
    }
}

/// A fetched forecast as an hourly series (half-hourly points are averaged in pairs).
pub fn from_forecast(points: &[crate::model::IntensityPoint], source: &str) -> Series {
    let step = match (points.first(), points.get(1)) {
        (Some(a), Some(b)) => match (
            crate::units::parse_minutes(&a.datetime),
            crate::units::parse_minutes(&b.datetime),
        ) {
            (Some(x), Some(y)) => y - x,
            _ => 60,
        },
        _ => 60,
    };
    let (values, labels) = if step == 30 {
        points
            .chunks(2)
            .map(|c| {
                (
                    c.iter().map(|p| p.intensity_g_per_kwh).sum::<f64>() / c.len() as f64,
                    c[0].datetime.clone(),
                )
            })
            .unzip()
    } else {
        points
            .iter()
            .map(|p| (p.intensity_g_per_kwh, p.datetime.clone()))
            .unzip()
    };
    Series {
        values,
        labels,
        source: source.to_owned(),
        flat: false,
    }
}
