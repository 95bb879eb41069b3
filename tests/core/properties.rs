//! Property tests of the engine: non-negative results; linear in count and hours; CO2e = energy x intensity;
//! monotone in PUE.

use super::support::catalogue;
use proptest::prelude::*;
use trainprint::engine::estimate;
use trainprint::model::{Duration, Power, TrainingPlan};

fn plan(count: u32, hours: f64, watts: f64, pue: f64, intensity: f64) -> TrainingPlan {
    let mut p = TrainingPlan::new("p", "nvidia-h100-sxm", count, hours, "us-virginia");
    p.power = Power::Watts(watts);
    p.pue = Some(pue);
    p.intensity_g_per_kwh = Some(intensity);
    p
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-12)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn results_are_finite_and_non_negative(
        count in 1u32..100_000, hours in 0.0f64..1e5, watts in 0.0f64..2000.0,
        pue in 1.0f64..3.0, intensity in 0.0f64..1500.0, embodied in any::<bool>(),
    ) {
        let mut p = plan(count, hours, watts, pue, intensity);
        if embodied { p.embodied = Some(Default::default()); }
        let e = estimate(&p, &catalogue()).unwrap();
        for v in [e.accelerator_hours, e.it_energy_kwh, e.facility_energy_kwh, e.co2e_kg,
                  e.embodied_co2e_kg, e.total_co2e_kg] {
            prop_assert!(v.is_finite() && v >= 0.0, "{v}");
        }
        prop_assert!(e.facility_energy_kwh >= e.it_energy_kwh);
        prop_assert!(e.total_co2e_kg >= e.co2e_kg);
    }

    #[test]
    fn linear_in_count_and_hours(
        count in 1u32..10_000, hours in 0.1f64..1e4, k in 1u32..50, f in 0.1f64..20.0,
        watts in 1.0f64..1500.0, pue in 1.0f64..2.5, intensity in 1.0f64..1000.0,
    ) {
        let c = catalogue();
        let base = estimate(&plan(count, hours, watts, pue, intensity), &c).unwrap();
        let more = estimate(&plan(count * k, hours, watts, pue, intensity), &c).unwrap();
        let longer = estimate(&plan(count, hours * f, watts, pue, intensity), &c).unwrap();
        prop_assert!(close(more.facility_energy_kwh, base.facility_energy_kwh * f64::from(k)));
        prop_assert!(close(more.co2e_kg, base.co2e_kg * f64::from(k)));
        prop_assert!(close(longer.facility_energy_kwh, base.facility_energy_kwh * f));
        prop_assert!(close(longer.co2e_kg, base.co2e_kg * f));
    }

    #[test]
    fn co2e_is_energy_times_intensity(
        count in 1u32..10_000, hours in 0.0f64..1e4, watts in 0.0f64..1500.0,
        pue in 1.0f64..2.5, intensity in 0.0f64..1000.0,
    ) {
        let e = estimate(&plan(count, hours, watts, pue, intensity), &catalogue()).unwrap();
        prop_assert!(close(e.co2e_kg, e.facility_energy_kwh * intensity / 1000.0));
    }

    #[test]
    fn monotone_in_pue(
        count in 1u32..10_000, hours in 0.1f64..1e4, watts in 1.0f64..1500.0,
        pue in 1.0f64..2.5, extra in 0.0f64..1.0, intensity in 0.0f64..1000.0,
    ) {
        let c = catalogue();
        let lo = estimate(&plan(count, hours, watts, pue, intensity), &c).unwrap();
        let hi = estimate(&plan(count, hours, watts, pue + extra, intensity), &c).unwrap();
        prop_assert!(hi.facility_energy_kwh >= lo.facility_energy_kwh);
        prop_assert!(hi.co2e_kg >= lo.co2e_kg);
        prop_assert!(hi.it_energy_kwh == lo.it_energy_kwh, "PUE never changes IT energy");
    }

    #[test]
    fn accelerator_hours_mode_equals_wall_hours_mode(count in 1u32..5000, hours in 0.0f64..1e4) {
        let c = catalogue();
        let wall = plan(count, hours, 700.0, 1.1, 400.0);
        let mut ah = wall.clone();
        ah.duration = Duration::AcceleratorHours(f64::from(count) * hours);
        let (a, b) = (estimate(&wall, &c).unwrap(), estimate(&ah, &c).unwrap());
        prop_assert!(close(a.co2e_kg, b.co2e_kg) || (a.co2e_kg == 0.0 && b.co2e_kg == 0.0));
    }
}
