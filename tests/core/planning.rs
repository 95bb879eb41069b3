//! Planning beyond one number: carbon-aware schedules worked by hand (including a window that runs into the end of
//! the series and a profile shorter than the job), pausable jobs, the seeded Monte Carlo (reproducible, and its
//! percentiles against the triangular distribution's own), the tornado, and the factor decomposition whose
//! contributions add up to the difference.

use super::support::{catalogue, rel, worked_example};
use proptest::prelude::*;
use std::path::Path;
use trainprint::engine::decompose::{Factor, decompose};
use trainprint::engine::schedule::{Job, ScheduleError, job, pausable, schedule};
use trainprint::engine::uncertainty::{self, Input, SplitMix64, monte_carlo, ranges, tornado};
use trainprint::engine::{EstimateError, Field, estimate};
use trainprint::model::{Duration, EmbodiedSpec, Power, Precision, Range, TrainingPlan, Work};
use trainprint::persist::{presets, profiles};

fn job_of(hours: f64, energy_kwh: f64) -> Job {
    Job {
        hours,
        energy_kwh,
        embodied_kg: 0.0,
    }
}

fn assert_close(a: f64, b: f64) {
    assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{a} != {b}");
}

// ---- Scheduling ----

#[test]
fn schedule_by_hand() {
    // 2 h at 100 kWh (50 kWh each hour) over 300, 100, 200, 50, 400 g/kWh.
    // Starts: 0 -> (300+100) x 50 / 1000 = 20; 1 -> 15; 2 -> 12.5; 3 -> 22.5. The window (10 h) is cut to the
    // last start that fits (3).
    let s = schedule(&[300.0, 100.0, 200.0, 50.0, 400.0], &job_of(2.0, 100.0), 10).unwrap();
    assert_eq!(s.co2e_by_start.len(), 4);
    for (a, b) in s.co2e_by_start.iter().zip([20.0, 15.0, 12.5, 22.5]) {
        assert_close(*a, b);
    }
    assert_eq!(s.best_start, 2);
    assert_close(s.start_now_co2e_kg, 20.0);
    assert_close(s.best_co2e_kg, 12.5);
    assert_close(s.savings_pct, 37.5);
    // A window of 1 h only looks at starts 0 and 1.
    let s = schedule(&[300.0, 100.0, 200.0, 50.0, 400.0], &job_of(2.0, 100.0), 1).unwrap();
    assert_eq!(s.co2e_by_start.len(), 2);
    assert_eq!(s.best_start, 1);
    assert_close(s.savings_pct, 25.0);
}

#[test]
fn the_best_start_can_be_the_last_one_the_series_allows() {
    // The cleanest hours are the last two: the best start is the last that still fits the 2 h job.
    let s = schedule(&[300.0, 300.0, 300.0, 100.0, 50.0], &job_of(2.0, 100.0), 24).unwrap();
    assert_eq!(s.co2e_by_start.len(), 4);
    assert_eq!(s.best_start, 3);
    assert_close(s.best_co2e_kg, 7.5); // (100 + 50) x 50 / 1000
    assert_close(s.savings_pct, 75.0); // against 30 kg
}

#[test]
fn a_repeating_day_picks_the_first_best_start() {
    // Three identical days: the cleanest start recurs every 24 h, and the first one wins despite rounding in the
    // prefix sums.
    let day: Vec<f64> = (0..24)
        .map(|h| 100.0 + 37.3 * ((h as f64) * 0.7).sin())
        .collect();
    let series: Vec<f64> = day.iter().cycle().take(72).copied().collect();
    let s = schedule(&series, &job_of(10.0, 50.0), 60).unwrap();
    assert!(s.best_start < 24, "{}", s.best_start);
    let again = s.co2e_by_start[s.best_start + 24];
    assert!((again - s.best_co2e_kg).abs() < 1e-9 * s.best_co2e_kg);
}

#[test]
fn a_fractional_hour_runs_the_last_hour_partly() {
    // 1.5 h at 150 kWh (100 kWh an hour) over 100, 200, 300: start 0 -> 100 + 0.5 x 200 = 200 g -> 20 kg;
    // start 1 -> 200 + 0.5 x 300 = 350 g -> 35 kg.
    let s = schedule(&[100.0, 200.0, 300.0], &job_of(1.5, 150.0), 5).unwrap();
    assert_eq!(s.co2e_by_start.len(), 2);
    assert_close(s.co2e_by_start[0], 20.0);
    assert_close(s.co2e_by_start[1], 35.0);
    assert_eq!((s.best_start, s.savings_pct), (0, 0.0));
}

#[test]
fn embodied_carbon_is_the_same_whatever_the_start() {
    let mut j = job_of(2.0, 100.0);
    j.embodied_kg = 10.0;
    let s = schedule(&[300.0, 100.0, 200.0, 50.0, 400.0], &j, 10).unwrap();
    assert_close(s.co2e_by_start[0], 30.0);
    assert_close(s.best_co2e_kg, 22.5);
    assert_close(s.savings_pct, 25.0); // 7.5 of 30
}

#[test]
fn a_profile_shorter_than_the_job_is_a_clear_error() {
    let err = schedule(&[100.0, 200.0, 300.0], &job_of(4.0, 100.0), 10).unwrap_err();
    assert_eq!(
        err,
        ScheduleError::ProfileTooShort {
            series_hours: 3,
            job_hours: 4.0
        }
    );
    assert_eq!(
        err.to_string(),
        "the intensity profile has 3 hours but the job runs 4 hours: give a longer profile"
    );
    // 3.5 h needs a fourth hour too.
    assert!(matches!(
        schedule(&[100.0, 200.0, 300.0], &job_of(3.5, 100.0), 0),
        Err(ScheduleError::ProfileTooShort { .. })
    ));
    // Exactly as long as the job: one start.
    assert_eq!(
        schedule(&[100.0, 200.0, 300.0], &job_of(3.0, 30.0), 10)
            .unwrap()
            .co2e_by_start
            .len(),
        1
    );
}

#[test]
fn unusable_series_and_jobs_are_errors() {
    assert!(matches!(
        schedule(&[100.0, f64::NAN], &job_of(1.0, 1.0), 1),
        Err(ScheduleError::Invalid(m)) if m.contains("hour 1")
    ));
    assert!(matches!(
        schedule(&[100.0, -5.0], &job_of(1.0, 1.0), 1),
        Err(ScheduleError::Invalid(_))
    ));
    assert!(matches!(
        schedule(&[100.0], &job_of(0.0, 1.0), 1),
        Err(ScheduleError::Invalid(_))
    ));
    assert!(matches!(
        schedule(&[100.0], &job_of(1.0, f64::INFINITY), 1),
        Err(ScheduleError::Invalid(_))
    ));
}

#[test]
fn a_pausable_job_runs_in_the_cleanest_hours_before_the_deadline() {
    // 2.5 h at 100 kWh an hour, deadline hour 4 of 400, 100, 300, 50, 500: hours 3 (50), 1 (100) and half of
    // 2 (300) -> 50 + 100 + 150 = 300 g -> 30 kg. Straight from now: 400 + 100 + 150 = 650 g -> 65 kg.
    let p = pausable(&[400.0, 100.0, 300.0, 50.0, 500.0], &job_of(2.5, 250.0), 4).unwrap();
    assert_eq!(p.hours_used, vec![1, 2, 3]);
    assert_eq!(p.last_fraction, 0.5);
    assert_close(p.co2e_kg, 30.0);
    assert_close(p.start_now_co2e_kg, 65.0);
    assert_close(p.savings_pct, (65.0 - 30.0) / 65.0 * 100.0);
    // Ties go to the earlier hour.
    let p = pausable(&[100.0, 100.0, 100.0], &job_of(2.0, 2.0), 3).unwrap();
    assert_eq!(p.hours_used, vec![0, 1]);
    // A deadline that leaves too few hours says so.
    assert_eq!(
        pausable(&[400.0, 100.0, 300.0], &job_of(2.5, 250.0), 2).unwrap_err(),
        ScheduleError::DeadlineTooSoon {
            deadline_hours: 2,
            job_hours: 2.5
        }
    );
    // A deadline past the series is cut to the series.
    assert!(matches!(
        pausable(&[400.0, 100.0], &job_of(2.5, 250.0), 100),
        Err(ScheduleError::DeadlineTooSoon {
            deadline_hours: 2,
            ..
        })
    ));
}

#[test]
fn the_job_of_an_estimate_is_all_its_runs_back_to_back() {
    let mut p = worked_example();
    p.runs = 2.0;
    p.embodied = Some(EmbodiedSpec::default());
    let e = estimate(&p, &catalogue()).unwrap();
    let j = job(&e).unwrap();
    assert_eq!(j.hours, 240.0);
    assert_close(j.energy_kwh, e.facility_energy_kwh);
    assert_close(j.embodied_kg, e.embodied_co2e_kg);
    // On a flat series the schedule gives the estimate's own total.
    let s = schedule(&vec![350.0; 300], &j, 10).unwrap();
    assert_close(s.start_now_co2e_kg, e.total_co2e_kg);
    // Accelerator-hours without a count have no wall-clock time to schedule.
    let mut p = worked_example();
    p.count = None;
    p.duration = Duration::AcceleratorHours(960.0);
    assert!(job(&estimate(&p, &catalogue()).unwrap()).is_none());
}

fn naive(series: &[f64], j: &Job, window: usize) -> Vec<f64> {
    let full = j.hours.floor() as usize;
    let frac = j.hours - full as f64;
    let needed = full + usize::from(frac > 0.0);
    (0..=window.min(series.len() - needed))
        .map(|t| {
            let mut g: f64 = series[t..t + full].iter().sum();
            if frac > 0.0 {
                g += frac * series[t + full];
            }
            j.energy_kwh / j.hours * g / 1000.0 + j.embodied_kg
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_sliding_window_equals_summing_each_start(
        series in prop::collection::vec(0.0f64..900.0, 1..200),
        hours in 0.1f64..50.0, energy in 0.0f64..1e6, window in 0usize..300,
    ) {
        let j = job_of(hours, energy);
        match schedule(&series, &j, window) {
            Ok(s) => {
                let want = naive(&series, &j, window);
                prop_assert_eq!(s.co2e_by_start.len(), want.len());
                for (a, b) in s.co2e_by_start.iter().zip(&want) {
                    prop_assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{} vs {}", a, b);
                }
                let min = want.iter().copied().fold(f64::INFINITY, f64::min);
                prop_assert!((s.best_co2e_kg - min).abs() <= 1e-9 * min.max(1.0));
                prop_assert!(s.savings_pct >= 0.0 && s.savings_pct <= 100.0);
            }
            Err(ScheduleError::ProfileTooShort { .. }) => {
                prop_assert!((series.len() as f64) < hours.ceil());
            }
            Err(e) => prop_assert!(false, "{}", e),
        }
    }

    #[test]
    fn pausing_never_costs_more_than_running_straight(
        series in prop::collection::vec(0.0f64..900.0, 1..100),
        hours in 0.1f64..40.0, deadline in 0usize..120,
    ) {
        let j = job_of(hours, hours * 10.0);
        if let Ok(p) = pausable(&series, &j, deadline) {
            prop_assert!(p.co2e_kg <= p.start_now_co2e_kg * (1.0 + 1e-12) + 1e-12);
            prop_assert_eq!(p.hours_used.len(), hours.ceil() as usize);
            prop_assert!(p.hours_used.iter().all(|&h| h < deadline.min(series.len())));
        }
    }
}

// ---- Profiles ----

#[test]
fn the_bundled_profiles_load_with_sources() {
    let all = profiles::profiles().unwrap();
    let zones: Vec<&str> = all.iter().map(|p| p.zone.as_str()).collect();
    for z in [
        "US-CAL-CISO",
        "GB",
        "DE",
        "ES",
        "US-TEX-ERCO",
        "NO",
        "BR-CS",
    ] {
        assert!(zones.contains(&z), "no profile for {z}: {zones:?}");
    }
    for p in &all {
        assert_eq!(p.hours.len(), 24, "{}", p.key);
        assert!(p.source.contains("Electricity Maps"), "{}", p.key);
        // The stated annual mean is the hour-of-day means' mean, within rounding of the published table.
        let mean = p.hours.iter().sum::<f64>() / 24.0;
        assert!(
            rel(mean, p.annual_mean_g_per_kwh) < 0.02,
            "{}: {mean}",
            p.key
        );
    }
}

#[test]
fn a_representative_day_keeps_the_regions_annual_mean_and_the_grids_shape() {
    let cat = catalogue();
    let all = profiles::profiles().unwrap();
    let es = cat.region("es").unwrap();
    let s =
        trainprint::engine::plan_schedule::representative(es, &all, profiles::Part::Year, 0, 48);
    assert!(!s.flat);
    assert_eq!(s.values.len(), 48);
    let day_mean = s.values[..24].iter().sum::<f64>() / 24.0;
    assert!(rel(day_mean, es.intensity_g_per_kwh) < 1e-12);
    // Spain's solar trough: 14:00 is the cleanest hour, 07:00 the dirtiest.
    let (min_h, _) = s.values[..24]
        .iter()
        .enumerate()
        .fold(
            (0, f64::INFINITY),
            |a, (h, v)| if *v < a.1 { (h, *v) } else { a },
        );
    assert_eq!(min_h, 14);
    assert_eq!(s.labels[14], "day 1 14:00");
    assert_eq!(s.labels[30], "day 2 06:00");
    // Starting the clock at 10:00 shifts the shape.
    let shifted =
        trainprint::engine::plan_schedule::representative(es, &all, profiles::Part::Year, 10, 24);
    assert_eq!(shifted.values[4], s.values[14]);
    // Poland has no hourly data: flat, and it says so.
    let pl = cat.region("pl").unwrap();
    let flat =
        trainprint::engine::plan_schedule::representative(pl, &all, profiles::Part::Year, 0, 24);
    assert!(flat.flat);
    assert!(flat.values.iter().all(|v| *v == pl.intensity_g_per_kwh));
    assert!(
        flat.source.contains("no hourly data") && flat.source.contains("grid zone PL"),
        "{}",
        flat.source
    );
}

#[test]
fn every_region_whose_grid_zone_has_hourly_data_gets_its_profile_and_the_rest_say_flat() {
    let cat = catalogue();
    let all = profiles::profiles().unwrap();
    // One profile (one data release) per zone.
    let mut zones: Vec<&str> = all.iter().map(|p| p.zone.as_str()).collect();
    zones.sort_unstable();
    let n = zones.len();
    zones.dedup();
    assert_eq!(zones.len(), n, "a zone has two profiles: {zones:?}");
    let mut flat = Vec::new();
    for r in cat.regions() {
        let s =
            trainprint::engine::plan_schedule::representative(r, &all, profiles::Part::Year, 0, 24);
        let zone = r.grid_zone.as_deref();
        match zone.and_then(|z| all.iter().find(|p| p.zone == z)) {
            Some(p) => {
                assert!(!s.flat, "{}", r.id);
                assert!(s.source.contains(&p.name), "{}: {}", r.id, s.source);
            }
            None => {
                assert!(s.flat, "{}", r.id);
                flat.push(r.id.as_str());
            }
        }
    }
    // The regions left flat, by hand: no hourly file was found for IT-NO, PL, TW and US-CAR-SC, and the national or
    // world averages have no grid zone.
    flat.sort_unstable();
    assert_eq!(
        flat,
        [
            "au",
            "ca",
            "cn",
            "gcp-asia-east1",
            "is",
            "it-north",
            "pl",
            "tw",
            "us",
            "us-south-carolina",
            "world"
        ]
    );
}

#[test]
fn aws_us_east_1_gets_the_pjm_profile_checked_by_hand_against_the_csv() {
    // shared/data/hourly/profiles_local.csv, US-MIDA-PJM 2023 LCA "year" row (green-dcc @3f6ea95), local clock
    // (America/New_York): h00 388.7 … h03 378.2 (cleanest) … h21 407.2 (dirtiest) … h23 397.6; annual mean 392.4.
    let csv_row = [
        388.7, 382.4, 379.5, 378.2, 378.8, 382.1, 386.9, 391.2, 391.4, 390.7, 391.8, 392.2, 392.2,
        391.9, 391.7, 392.4, 394.4, 397.2, 402.4, 405.5, 407.1, 407.2, 404.3, 397.6,
    ];
    let all = profiles::profiles().unwrap();
    let p = all.iter().find(|p| p.zone == "US-MIDA-PJM").unwrap();
    assert_eq!(p.key, "us-mida-pjm-2023");
    assert_eq!(p.hours, csv_row);
    assert_eq!(p.annual_mean_g_per_kwh, 392.4);
    assert!(!p.modelled);
    assert!(
        p.source.contains("HewlettPackard/green-dcc @3f6ea95")
            && p.source.contains("US-MIDA-PJM_2023_hourly.csv"),
        "{}",
        p.source
    );
    let cat = catalogue();
    let r = cat.region("aws-us-east-1").unwrap();
    let s = trainprint::engine::plan_schedule::representative(r, &all, profiles::Part::Year, 0, 24);
    assert!(!s.flat);
    // The 24 CSV values sum to 9,417.8 (mean 392.408 33); each hour is scaled to the region's 396.25 g/kWh:
    // 03:00 -> 396.25 x 378.2 / 392.408 33 = 381.902 57, 21:00 -> 396.25 x 407.2 / 392.408 33 = 411.186 48.
    assert!(
        (s.values[3] - 381.902_567_478_6).abs() < 1e-6,
        "{}",
        s.values[3]
    );
    assert!(
        (s.values[21] - 411.186_476_671_8).abs() < 1e-6,
        "{}",
        s.values[21]
    );
    let day_mean = s.values.iter().sum::<f64>() / 24.0;
    assert!(rel(day_mean, 396.25) < 1e-12);
    // A 2-hour job at 18:00 does best at 03:00 the next day: 1 - (378.2 + 378.8) / (402.4 + 405.5) = 6.300 28 % less.
    let j = job_of(2.0, 1000.0);
    let s = trainprint::engine::plan_schedule::representative(
        r,
        &all,
        profiles::Part::Year,
        18,
        24 + 2,
    );
    let best = schedule(&s.values, &j, 24).unwrap();
    assert_eq!(s.labels[best.best_start], "day 2 03:00");
    assert!(
        (best.savings_pct - 6.300_284_688_7).abs() < 1e-6,
        "{}",
        best.savings_pct
    );
}

#[test]
fn a_modelled_series_says_so() {
    let cat = catalogue();
    let all = profiles::profiles().unwrap();
    for id in ["jp-tokyo", "in-west", "ie", "ch"] {
        let r = cat.region(id).unwrap();
        let s =
            trainprint::engine::plan_schedule::representative(r, &all, profiles::Part::Year, 0, 24);
        assert!(!s.flat, "{id}");
        assert!(s.source.contains("modelled"), "{id}: {}", s.source);
    }
    let s = trainprint::engine::plan_schedule::representative(
        cat.region("aws-us-east-1").unwrap(),
        &all,
        profiles::Part::Year,
        0,
        24,
    );
    assert!(!s.source.contains("modelled"), "{}", s.source);
    let set = profiles::profile_set().unwrap();
    assert!(set.attribution.contains("Electricity Maps"));
    assert!(set.licence.contains("ODbL"));
}

#[test]
fn a_profile_csv_reads_and_its_errors_name_the_line() {
    let p = Path::new("profile.csv");
    let ok = "datetime,intensity_g_per_kwh\n2026-01-01T00:00Z,120\n2026-01-01T01:00Z,80.5\n2026-01-01T02:00Z,95\n";
    let s = profiles::parse_csv(ok, p).unwrap();
    assert_eq!(s.values, vec![120.0, 80.5, 95.0]);
    assert_eq!(s.labels[1], "2026-01-01T01:00Z");
    // Across a month end.
    let ok2 = "datetime,intensity\n2026-01-31 23:00,1\n2026-02-01 00:00,2\n";
    assert_eq!(profiles::parse_csv(ok2, p).unwrap().values, vec![1.0, 2.0]);
    for (text, line, what) in [
        (
            "datetime,intensity\n2026-01-01T00:00Z,1\n2026-01-01T01:00Z,abc\n",
            3,
            "not a number",
        ),
        ("datetime,intensity\n2026-01-01T00:00Z,-4\n", 2, ">= 0"),
        ("datetime,intensity\nyesterday,4\n", 2, "YYYY-MM-DDTHH:MM"),
        (
            "datetime,intensity\n2026-01-01T00:00Z,1\n2026-01-01T00:30Z,1\n",
            3,
            "one hour apart",
        ),
        (
            "datetime,intensity\n2026-01-01T00:00Z,1\n2026-01-01T03:00Z,1\n",
            3,
            "180 minutes",
        ),
        ("datetime,intensity\n", 2, "no rows"),
        ("datetime\n2026-01-01T00:00Z\n", 1, "header"),
    ] {
        let err = profiles::parse_csv(text, p).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("profile.csv"), "{msg}");
        assert_eq!(err.position().map(|(l, _)| l), Some(line), "{msg}");
        assert!(msg.contains(what), "{msg}");
    }
}

#[test]
fn minutes_since_1970_match_known_dates() {
    assert_eq!(
        trainprint::units::parse_minutes("1970-01-01T00:00Z"),
        Some(0)
    );
    assert_eq!(
        trainprint::units::parse_minutes("2000-03-01T00:00"),
        Some(11_017 * 1440)
    );
    assert_eq!(
        trainprint::units::parse_minutes("2024-02-29T12:30:00+00:00"),
        Some(19_782 * 1440 + 12 * 60 + 30)
    );
    assert_eq!(trainprint::units::parse_minutes("2024-13-01T00:00"), None);
    assert_eq!(trainprint::units::parse_minutes("2024-01-01"), None);
}

// ---- Uncertainty ----

/// The worked example with one range: PUE 1.0..2.0 around its 1.5 (the others exact).
fn one_range_plan() -> TrainingPlan {
    let mut p = worked_example();
    p.pue = Some(1.5);
    p.ranges.pue = Some(Range {
        low: 1.0,
        high: 2.0,
    });
    p
}

#[test]
fn the_monte_carlo_is_reproducible_from_its_seed() {
    let p = one_range_plan();
    let e = estimate(&p, &catalogue()).unwrap();
    let r = ranges(&p, &e);
    let a = monte_carlo(&e, &r, 42, 4000);
    let b = monte_carlo(&e, &r, 42, 4000);
    assert_eq!(a, b);
    assert_eq!(
        monte_carlo(&e, &r, uncertainty::DEFAULT_SEED, uncertainty::SAMPLES),
        monte_carlo(&e, &r, uncertainty::DEFAULT_SEED, uncertainty::SAMPLES)
    );
    let c = monte_carlo(&e, &r, 43, 4000);
    assert_ne!(a, c);
    // Another seed moves the percentiles only by sampling noise.
    assert!(rel(a.p50, c.p50) < 0.02);
    // The generator itself: SplitMix64's published first output for seed 0.
    assert_eq!(SplitMix64::new(0).next_u64(), 0xE220_A839_7B1D_CDAF);
}

#[test]
fn the_percentiles_match_the_triangular_distribution() {
    // PUE triangular on [1, 2] with mode 1.5: P5 at 1 + sqrt(0.05 x 0.5) = 1.1581, P50 at 1.5, P95 at 1.8419.
    // Total CO2e is proportional to PUE: 8 x 120 h x 0.4 kW x PUE x 0.35 kg/kWh = 134.4 x PUE.
    let p = one_range_plan();
    let e = estimate(&p, &catalogue()).unwrap();
    let r = ranges(&p, &e);
    assert_eq!(r.len(), 1, "{r:?}");
    assert!(r[0].from_plan);
    let i = monte_carlo(&e, &r, uncertainty::DEFAULT_SEED, 20_000);
    let k = 8.0 * 120.0 * 0.4 * 0.35;
    let p5 = 1.0 + (0.05f64 * 0.5).sqrt();
    assert!(rel(i.p5, k * p5) < 0.01, "{} vs {}", i.p5, k * p5);
    assert!(rel(i.p50, k * 1.5) < 0.01, "{}", i.p50);
    assert!(rel(i.p95, k * (3.0 - p5)) < 0.01, "{}", i.p95);
    assert!(i.p5 <= e.total_co2e_kg && e.total_co2e_kg <= i.p95);
}

#[test]
fn ranges_that_are_one_point_give_the_central_value() {
    let mut p = worked_example();
    p.ranges.pue = Some(Range {
        low: 1.2,
        high: 1.2,
    });
    p.ranges.watts = Some(Range {
        low: 400.0,
        high: 400.0,
    });
    let e = estimate(&p, &catalogue()).unwrap();
    let i = monte_carlo(&e, &ranges(&p, &e), 7, 500);
    for v in [i.p5, i.p50, i.p95] {
        assert_close(v, e.total_co2e_kg);
    }
}

#[test]
fn default_ranges_come_from_the_documented_spreads() {
    // Power from TDP (400 W A100) in a catalogue region with a provider PUE: power 74-100 % of the draw,
    // PUE +- 0.03, intensity +- 8 %.
    let mut p = TrainingPlan::new("p", "nvidia-a100-sxm4-40gb", 8, 100.0, "aws-us-east-1");
    p.power = Power::Tdp { utilization: 1.0 };
    let e = estimate(&p, &catalogue()).unwrap();
    let r = ranges(&p, &e);
    let get = |i: Input| *r.iter().find(|x| x.input == i).unwrap();
    let power = get(Input::Power);
    assert_close(power.low, 0.74 * 400.0);
    assert_close(power.high, 400.0);
    assert!(!power.from_plan);
    let pue = get(Input::Pue);
    assert_close(pue.low, e.pue - 0.03);
    assert_close(pue.high, e.pue + 0.03);
    let g = get(Input::Intensity);
    assert_close(g.low, 0.92 * e.intensity_g_per_kwh);
    assert_close(g.high, 1.08 * e.intensity_g_per_kwh);
    assert!(
        r.iter()
            .all(|x| x.input != Input::Mfu && x.input != Input::Embodied)
    );
    // A PUE the plan sets and an intensity it gives are its own, exact unless it gives a range.
    let e2 = estimate(&worked_example(), &catalogue()).unwrap();
    assert!(ranges(&worked_example(), &e2).is_empty());
    let mut tdp_default_pue = worked_example();
    tdp_default_pue.pue = None;
    let e3 = estimate(&tdp_default_pue, &catalogue()).unwrap();
    let r3 = ranges(&tdp_default_pue, &e3);
    assert_eq!(
        (r3[0].input, r3[0].low, r3[0].high),
        (Input::Pue, 1.25, 1.63)
    );
}

#[test]
fn the_tornado_ranks_inputs_by_their_swing() {
    // 8 x A100 for 100 h at TDP in aws-us-east-1 (provider PUE): power swings 26 %, intensity 16 %, PUE
    // 0.06 / PUE; each end is the total with that input alone at its end.
    let mut p = TrainingPlan::new("p", "nvidia-a100-sxm4-40gb", 8, 100.0, "aws-us-east-1");
    p.power = Power::Tdp { utilization: 1.0 };
    let e = estimate(&p, &catalogue()).unwrap();
    let t = tornado(&e, &ranges(&p, &e));
    let order: Vec<Input> = t.iter().map(|s| s.range.input).collect();
    assert_eq!(order, vec![Input::Power, Input::Intensity, Input::Pue]);
    let c = e.total_co2e_kg;
    assert_close(t[0].at_low, c * 0.74);
    assert_close(t[0].at_high, c);
    assert_close(t[1].at_low, c * 0.92);
    assert_close(t[1].at_high, c * 1.08);
    assert_close(t[2].at_low, c * (e.pue - 0.03) / e.pue);
    assert!(t.windows(2).all(|w| w[0].width() >= w[1].width()));
}

#[test]
fn mfu_and_embodied_ranges_move_the_total_the_right_way() {
    // Compute-based: a lower MFU means more hours, so more CO2e; embodied scales its own term.
    let mut p = worked_example();
    p.duration = Duration::Compute {
        work: Work::Flops(1e21),
        precision: Precision::Bf16,
        workload: Default::default(),
        mfu: Some(0.4),
    };
    p.embodied = Some(EmbodiedSpec {
        kgco2e_per_device: Some(1000.0),
        lifetime_years: Some(4.0),
    });
    p.ranges.mfu = Some(Range {
        low: 0.2,
        high: 0.5,
    });
    let e = estimate(&p, &catalogue()).unwrap();
    let t = tornado(&e, &ranges(&p, &e));
    let mfu = t.iter().find(|s| s.range.input == Input::Mfu).unwrap();
    // At MFU 0.2 the run takes twice as long: operational and embodied both double.
    assert_close(mfu.at_low, 2.0 * e.total_co2e_kg);
    assert_close(mfu.at_high, 0.8 * e.total_co2e_kg);
    let emb = t.iter().find(|s| s.range.input == Input::Embodied).unwrap();
    assert_close(emb.at_high - emb.at_low, 1.2 * e.embodied_co2e_kg); // 0.4x .. 1.6x
}

#[test]
fn a_range_must_contain_the_value_and_apply_to_the_plan() {
    let cat = catalogue();
    let mut p = worked_example();
    p.ranges.pue = Some(Range {
        low: 1.3,
        high: 1.5,
    });
    assert_eq!(
        estimate(&p, &cat).unwrap_err(),
        EstimateError::RangeExcludesValue {
            field: Field::Pue,
            low: 1.3,
            high: 1.5,
            value: 1.2
        }
    );
    let mut p = worked_example();
    p.ranges.utilization = Some(Range {
        low: 0.5,
        high: 0.9,
    });
    let err = estimate(&p, &cat).unwrap_err();
    assert!(
        matches!(err, EstimateError::RangeUnused(Field::Utilization, _)),
        "{err}"
    );
    assert!(err.is_about_a_range());
    let mut p = worked_example();
    p.ranges.mfu = Some(Range {
        low: 0.3,
        high: 0.5,
    });
    assert!(matches!(
        estimate(&p, &cat),
        Err(EstimateError::RangeUnused(Field::Mfu, _))
    ));
    let mut p = worked_example();
    p.ranges.intensity = Some(Range {
        low: 400.0,
        high: 300.0,
    });
    let err = trainprint::engine::validate_plan(&p).unwrap_err();
    assert!(err.is_about_a_range(), "{err}");
    assert!(err.to_string().contains("low end"), "{err}");
}

// ---- What explains the difference ----

fn assert_adds_up(
    base: &trainprint::engine::Estimate,
    e: &trainprint::engine::Estimate,
    what: &str,
) {
    let parts = decompose(base, e);
    assert_eq!(
        parts.iter().map(|(f, _)| *f).collect::<Vec<_>>(),
        Factor::ALL.to_vec()
    );
    let sum: f64 = parts.iter().map(|(_, kg)| kg).sum();
    let delta = e.total_co2e_kg - base.total_co2e_kg;
    let scale = base.total_co2e_kg.abs().max(e.total_co2e_kg.abs());
    assert!(
        (sum - delta).abs() <= 1e-9 * scale,
        "{what}: contributions {sum} vs difference {delta}"
    );
}

#[test]
fn contributions_add_up_to_the_difference_in_every_example() {
    let cat = catalogue();
    for ex in &presets::EXAMPLES {
        let ws = presets::example_workspace(ex).unwrap();
        let est: Vec<_> = ws
            .plans
            .iter()
            .map(|p| estimate(p, &cat).unwrap())
            .collect();
        for (i, a) in est.iter().enumerate() {
            for (j, b) in est.iter().enumerate() {
                assert_adds_up(a, b, &format!("{}: plan {j} against {i}", ws.name));
            }
        }
    }
}

#[test]
fn one_changed_factor_explains_all_of_the_difference() {
    let cat = catalogue();
    let base = worked_example();
    let e0 = estimate(&base, &cat).unwrap();
    type Change = fn(&mut TrainingPlan);
    let cases: [(Factor, Change); 4] = [
        (Factor::Pue, |p| p.pue = Some(1.5)),
        (Factor::Intensity, |p| p.intensity_g_per_kwh = Some(20.0)),
        (Factor::Runs, |p| p.runs = 3.0),
        (Factor::Power, |p| p.power = Power::Watts(700.0)),
    ];
    for (factor, change) in cases {
        let mut p = base.clone();
        change(&mut p);
        let e = estimate(&p, &cat).unwrap();
        let parts = decompose(&e0, &e);
        let delta = e.total_co2e_kg - e0.total_co2e_kg;
        for (f, kg) in parts {
            let want = if f == factor { delta } else { 0.0 };
            assert!(
                (kg - want).abs() <= 1e-9 * delta.abs(),
                "{f:?}: {kg} vs {want}"
            );
        }
    }
    // Twice the hours: duration explains it all.
    let mut p = base.clone();
    p.duration = Duration::WallHours(240.0);
    let e = estimate(&p, &cat).unwrap();
    let parts = decompose(&e0, &e);
    assert_close(parts[1].1, e0.total_co2e_kg);
    assert_eq!(parts[1].0, Factor::Duration);
}

#[test]
fn a_zero_factor_still_adds_up() {
    // A zero-carbon grid has no logarithm: the Shapley split takes over and still adds up exactly, and only
    // intensity and power changed, so only they get a share.
    let cat = catalogue();
    let e0 = estimate(&worked_example(), &cat).unwrap();
    let mut p = worked_example();
    p.intensity_g_per_kwh = Some(0.0);
    p.power = Power::Watts(200.0);
    let e = estimate(&p, &cat).unwrap();
    assert_adds_up(&e0, &e, "zero intensity");
    let parts = decompose(&e0, &e);
    // Shapley for two factors: intensity (0.35 -> 0) with power 0.4 and 0.2 averaged; power change at zero
    // intensity contributes nothing in one order and -0.2 x 0.35 in the other.
    let k = 8.0 * 120.0 * 1.2; // hours x PUE
    let intensity = 0.5 * (-0.35 * 0.4 - 0.35 * 0.2) * k;
    let power = 0.5 * (-0.2 * 0.35 + 0.0) * k;
    assert_close(parts[3].1, intensity);
    assert_close(parts[0].1, power);
    assert_close(parts[2].1, 0.0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn contributions_add_up_for_any_two_plans(
        c in (1u32..5000, 1u32..5000), h in (0.1f64..1e4, 0.1f64..1e4), w in (1.0f64..1500.0, 1.0f64..1500.0),
        pue in (1.0f64..2.5, 1.0f64..2.5), g in (0.0f64..1200.0, 0.0f64..1200.0),
        runs in (0.5f64..5.0, 0.5f64..5.0), emb in (any::<bool>(), any::<bool>()),
    ) {
        let mk = |c: u32, h: f64, w: f64, pue: f64, g: f64, runs: f64, emb: bool| {
            let mut p = TrainingPlan::new("p", "nvidia-h100-sxm", c, h, "fr");
            p.power = Power::Watts(w);
            p.pue = Some(pue);
            p.intensity_g_per_kwh = Some(g);
            p.runs = runs;
            if emb { p.embodied = Some(EmbodiedSpec::default()); }
            p
        };
        let cat = catalogue();
        let a = estimate(&mk(c.0, h.0, w.0, pue.0, g.0, runs.0, emb.0), &cat).unwrap();
        let b = estimate(&mk(c.1, h.1, w.1, pue.1, g.1, runs.1, emb.1), &cat).unwrap();
        let sum: f64 = decompose(&a, &b).iter().map(|(_, kg)| kg).sum();
        let delta = b.total_co2e_kg - a.total_co2e_kg;
        let scale = a.total_co2e_kg.max(b.total_co2e_kg);
        prop_assert!((sum - delta).abs() <= 1e-9 * scale, "{} vs {}", sum, delta);
    }
}
