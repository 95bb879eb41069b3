//! Engine cases by hand: each duration and power mode, optional terms, sources and flags, and every invalid
//! input rejected with the field named.

use super::support::{catalogue, worked_example};
use trainprint::engine::{
    Assumption, EstimateError, Field, Rule, Term, ValueSource, defaults, estimate, validate_plan,
};
use trainprint::model::{Duration, EmbodiedSpec, HostOverhead, Power, Precision, Price, Work};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[test]
fn compute_based_hours_follow_the_precision_peak() {
    let c = catalogue();
    let mut p = worked_example();
    p.duration = Duration::Compute {
        work: Work::ParamsTokens {
            params: 1.3e9,
            tokens: 2.6e10,
        },
        precision: Precision::Bf16,
        workload: Default::default(),
        mfu: Some(0.4),
    };
    let bf16 = estimate(&p, &c).unwrap();
    // 6 x 1.3e9 x 2.6e10 = 2.028e20 FLOPs / (312e12 FLOP/s x 0.4) / 3600 s/h = 451.28... h
    let expected = 2.028e20 / (312e12 * 0.4) / 3600.0;
    assert!(
        close(bf16.accelerator_hours, expected),
        "{}",
        bf16.accelerator_hours
    );
    assert!(close(bf16.wall_hours.unwrap(), expected / 8.0));
    assert_eq!(bf16.training_flops, Some(2.028e20));
    p.duration = Duration::Compute {
        work: Work::Flops(2.028e20),
        precision: Precision::Fp32,
        workload: Default::default(),
        mfu: Some(0.4),
    };
    let fp32 = estimate(&p, &c).unwrap();
    // FP32 peak 19.5 vs BF16 312: 16x the hours and the energy.
    assert!(close(fp32.accelerator_hours / bf16.accelerator_hours, 16.0));
    assert!(close(
        fp32.facility_energy_kwh / bf16.facility_energy_kwh,
        16.0
    ));
}

#[test]
fn accelerator_hours_without_count_have_no_wall_hours_and_say_so() {
    let mut p = worked_example();
    p.count = None;
    p.duration = Duration::AcceleratorHours(1000.0);
    let e = estimate(&p, &catalogue()).unwrap();
    assert_eq!(e.wall_hours, None);
    assert!(e.assumptions.contains(Assumption::NoWallHours));
    assert!(close(e.it_energy_kwh, 400.0));
    p.count = Some(10);
    let e = estimate(&p, &catalogue()).unwrap();
    assert_eq!(e.wall_hours, Some(100.0));
}

#[test]
fn tdp_power_uses_the_catalogue_and_is_flagged() {
    let mut p = worked_example();
    p.power = Power::Tdp { utilization: 0.5 };
    let e = estimate(&p, &catalogue()).unwrap();
    // A100 SXM4 40GB TDP 400 W x 0.5.
    assert_eq!(e.power_w, 200.0);
    assert!(e.assumptions.contains(Assumption::PowerFromTdp));
}

#[test]
fn region_values_are_used_and_their_source_recorded() {
    let c = catalogue();
    let mut p = worked_example();
    p.pue = None;
    p.intensity_g_per_kwh = None;
    p.region = Some("aws-us-east-1".into());
    let r = c.region("aws-us-east-1").unwrap();
    let e = estimate(&p, &c).unwrap();
    assert_eq!(e.pue, r.pue.unwrap());
    assert_eq!(e.pue_source, ValueSource::Region);
    assert_eq!(e.intensity_g_per_kwh, r.intensity_g_per_kwh);
    assert_eq!(e.intensity_source, ValueSource::Region);
    assert!(!e.assumptions.contains(Assumption::DefaultPue));
    let wue = r.wue_l_per_kwh.unwrap();
    assert!(close(e.water_l.unwrap(), 384.0 * wue));
}

#[test]
fn a_region_without_pue_falls_back_to_the_flagged_default() {
    let mut p = worked_example();
    p.pue = None;
    p.region = Some("fr".into());
    let e = estimate(&p, &catalogue()).unwrap();
    assert_eq!(e.pue, defaults::PUE.value);
    assert_eq!(e.pue_source, ValueSource::Default);
    assert!(e.assumptions.contains(Assumption::DefaultPue));
    assert!(Assumption::DefaultPue.describe().contains("1.56"));
    // The plan's intensity override still wins over the region's.
    assert_eq!(e.intensity_g_per_kwh, 350.0);
    assert_eq!(e.intensity_source, ValueSource::Plan);
}

#[test]
fn market_based_uses_the_cfe_share_beside_location_based() {
    let c = catalogue();
    let mut p = worked_example();
    p.intensity_g_per_kwh = None;
    p.region = Some("gcp-us-central1".into());
    let cfe = c.region("gcp-us-central1").unwrap().cfe_share.unwrap();
    let e = estimate(&p, &c).unwrap();
    assert_eq!(e.cfe_share, Some(cfe));
    assert!(close(e.market_co2e_kg.unwrap(), e.co2e_kg * (1.0 - cfe)));
    assert_eq!(e.total_co2e_kg, e.co2e_kg, "total stays location-based");
}

#[test]
fn embodied_uses_catalogue_figure_or_flagged_fallbacks() {
    let c = catalogue();
    let mut p = worked_example();
    p.embodied = Some(EmbodiedSpec::default());
    let kg = c
        .accelerator("nvidia-a100-sxm4-40gb")
        .unwrap()
        .embodied_kgco2e
        .unwrap();
    let e = estimate(&p, &c).unwrap();
    // kg x 960 accelerator-hours / (4 years x 8760 h)
    assert!(close(e.embodied_co2e_kg, kg * 960.0 / (4.0 * 8760.0)));
    assert!(e.assumptions.contains(Assumption::DefaultLifetime));
    assert!(!e.assumptions.contains(Assumption::GenericEmbodied));
    assert!(close(e.total_co2e_kg, e.co2e_kg + e.embodied_co2e_kg));

    p.accelerator = "nvidia-l4".into();
    p.embodied = Some(EmbodiedSpec {
        kgco2e_per_device: None,
        lifetime_years: Some(5.0),
    });
    let e = estimate(&p, &c).unwrap();
    assert!(e.assumptions.contains(Assumption::GenericEmbodied));
    assert!(!e.assumptions.contains(Assumption::DefaultLifetime));
    assert!(close(e.embodied_co2e_kg, 60.0 * 960.0 / (5.0 * 8760.0)));
}

#[test]
fn host_runs_and_price_scale_as_documented() {
    let c = catalogue();
    let mut p = worked_example();
    p.host = Some(HostOverhead {
        cpu_watts: 280.0,
        memory_gb: 1000.0,
        memory_w_per_gb: 0.4,
        accelerators_per_host: 8,
    });
    p.runs = 3.0;
    p.price = Price::UsdPerKwh(0.1);
    let e = estimate(&p, &c).unwrap();
    // host per accelerator (280 + 400) / 8 = 85 W
    assert!(close(e.host_w, 85.0));
    assert!(close(e.accelerator_hours, 2880.0));
    assert!(close(e.accelerator_energy_kwh, 2880.0 * 0.4));
    assert!(close(e.host_energy_kwh, 2880.0 * 0.085));
    assert!(close(e.it_energy_kwh, 2880.0 * 0.485));
    assert!(close(e.cost_usd.unwrap(), e.facility_energy_kwh * 0.1));
    let parts: f64 = e.breakdown().iter().map(|t| t.co2e_kg).sum();
    assert!(close(parts, e.total_co2e_kg));
    let energy: f64 = e.breakdown().iter().map(|t| t.energy_kwh).sum();
    assert!(close(energy, e.facility_energy_kwh));
    assert_eq!(e.breakdown()[2].term, Term::PueOverhead);
    assert!(close(e.breakdown()[2].energy_kwh, e.it_energy_kwh * 0.2));

    p.price = Price::UsdPerAcceleratorHour(2.0);
    assert!(close(estimate(&p, &c).unwrap().cost_usd.unwrap(), 5760.0));
    p.price = Price::RegionElectricity;
    p.region = Some("fr".into());
    assert!(matches!(estimate(&p, &c), Err(EstimateError::MissingRegionPrice(r)) if r == "fr"));
    p.region = Some("us-virginia".into());
    let price = c
        .region("us-virginia")
        .unwrap()
        .electricity_usd_per_kwh
        .unwrap();
    let e = estimate(&p, &c).unwrap();
    assert!(close(e.cost_usd.unwrap(), e.facility_energy_kwh * price));
}

fn invalid(
    field: Field,
    rule: Rule,
) -> impl Fn(&Result<trainprint::engine::Estimate, EstimateError>) -> bool {
    move |r| matches!(r, Err(EstimateError::Invalid { field: f, rule: ru, .. }) if *f == field && *ru == rule)
}

#[test]
fn invalid_numbers_are_typed_errors_naming_the_field() {
    let c = catalogue();
    let check = |edit: &dyn Fn(&mut trainprint::model::TrainingPlan), field: Field, rule: Rule| {
        let mut p = worked_example();
        edit(&mut p);
        let r = estimate(&p, &c);
        assert!(invalid(field, rule)(&r), "{field:?}/{rule:?}: got {r:?}");
        let msg = r.unwrap_err().to_string();
        assert!(msg.starts_with(field.name()), "{msg}");
        // validate_plan agrees with the engine on plan-only fields.
        assert!(validate_plan(&p).is_err());
    };
    check(
        &|p| p.duration = Duration::WallHours(f64::NAN),
        Field::Hours,
        Rule::NotFinite,
    );
    check(
        &|p| p.duration = Duration::WallHours(f64::INFINITY),
        Field::Hours,
        Rule::NotFinite,
    );
    check(
        &|p| p.duration = Duration::WallHours(-1.0),
        Field::Hours,
        Rule::Negative,
    );
    check(&|p| p.count = Some(0), Field::Count, Rule::AtLeastOne);
    check(
        &|p| p.duration = Duration::AcceleratorHours(-5.0),
        Field::AcceleratorHours,
        Rule::Negative,
    );
    check(
        &|p| p.power = Power::Watts(-400.0),
        Field::Watts,
        Rule::Negative,
    );
    check(
        &|p| p.power = Power::Tdp { utilization: 0.0 },
        Field::Utilization,
        Rule::UnitInterval,
    );
    check(
        &|p| p.power = Power::Tdp { utilization: 1.01 },
        Field::Utilization,
        Rule::UnitInterval,
    );
    check(&|p| p.pue = Some(0.9), Field::Pue, Rule::PueBelowOne);
    check(&|p| p.pue = Some(f64::NAN), Field::Pue, Rule::NotFinite);
    check(
        &|p| p.intensity_g_per_kwh = Some(-1.0),
        Field::Intensity,
        Rule::Negative,
    );
    check(&|p| p.runs = 0.0, Field::Runs, Rule::Positive);
    let compute = |mfu| {
        move |p: &mut trainprint::model::TrainingPlan| {
            p.duration = Duration::Compute {
                work: Work::Flops(1e20),
                precision: Precision::Bf16,
                workload: Default::default(),
                mfu: Some(mfu),
            }
        }
    };
    check(&compute(0.0), Field::Mfu, Rule::UnitInterval);
    check(&compute(1.5), Field::Mfu, Rule::UnitInterval);
    check(&compute(f64::NAN), Field::Mfu, Rule::NotFinite);
    check(
        &|p| {
            p.duration = Duration::Compute {
                work: Work::ParamsTokens {
                    params: -1.0,
                    tokens: 1e9,
                },
                precision: Precision::Bf16,
                workload: Default::default(),
                mfu: Some(0.5),
            }
        },
        Field::Params,
        Rule::Negative,
    );
    check(
        &|p| {
            p.host = Some(HostOverhead {
                cpu_watts: 1.0,
                memory_gb: 1.0,
                memory_w_per_gb: 0.3,
                accelerators_per_host: 0,
            })
        },
        Field::AcceleratorsPerHost,
        Rule::AtLeastOne,
    );
    check(
        &|p| {
            p.embodied = Some(EmbodiedSpec {
                kgco2e_per_device: Some(-3.0),
                lifetime_years: None,
            })
        },
        Field::EmbodiedKg,
        Rule::Negative,
    );
    check(
        &|p| {
            p.embodied = Some(EmbodiedSpec {
                kgco2e_per_device: None,
                lifetime_years: Some(0.0),
            })
        },
        Field::LifetimeYears,
        Rule::Positive,
    );
}

#[test]
fn missing_data_is_an_error_not_a_default() {
    let c = catalogue();
    let mut p = worked_example();
    p.duration = Duration::Compute {
        work: Work::Flops(1e20),
        precision: Precision::Fp8,
        workload: Default::default(),
        mfu: Some(0.4),
    };
    match estimate(&p, &c) {
        Err(EstimateError::MissingPeak {
            accelerator,
            precision,
            available,
        }) => {
            assert_eq!(accelerator, "nvidia-a100-sxm4-40gb");
            assert_eq!(precision, Precision::Fp8);
            assert!(available.contains("bf16"), "{available}");
        }
        other => panic!("{other:?}"),
    }
    let mut p = worked_example();
    p.accelerator = "nvidia-a999".into();
    assert_eq!(
        estimate(&p, &c),
        Err(EstimateError::UnknownAccelerator("nvidia-a999".into()))
    );
    let mut p = worked_example();
    p.region = Some("atlantis".into());
    assert_eq!(
        estimate(&p, &c),
        Err(EstimateError::UnknownRegion("atlantis".into()))
    );
    let mut p = worked_example();
    p.intensity_g_per_kwh = None;
    assert_eq!(estimate(&p, &c), Err(EstimateError::MissingIntensity));
    let mut p = worked_example();
    p.count = None;
    assert_eq!(estimate(&p, &c), Err(EstimateError::MissingCount));
    // An accelerator without a published TDP needs explicit watts.
    let mut p = worked_example();
    p.accelerator = "google-tpu-v5e".into();
    p.power = Power::Tdp { utilization: 1.0 };
    assert_eq!(
        estimate(&p, &c),
        Err(EstimateError::MissingTdp("google-tpu-v5e".into()))
    );
    p.power = Power::Watts(200.0);
    assert!(estimate(&p, &c).is_ok());
}

#[test]
fn comparison_deltas_are_against_the_baseline() {
    let c = catalogue();
    let a = worked_example();
    let mut b = worked_example();
    b.intensity_g_per_kwh = Some(175.0);
    let cmp = trainprint::engine::compare(&[a, b], 0, &c);
    assert_eq!(cmp.co2e_delta_pct(0), Some(0.0));
    assert!(close(cmp.co2e_delta_pct(1).unwrap(), -50.0));
    assert_eq!(cmp.energy_delta_pct(1), Some(0.0));
}

#[test]
fn the_derivation_unfolds_the_worked_example_with_its_numbers() {
    use trainprint::engine::derivation::{Terms, derive};
    let (e, steps) = derive(&worked_example(), &catalogue(), Terms::default()).unwrap();
    let eqs: Vec<&str> = steps.iter().map(|s| s.equation.as_str()).collect();
    assert_eq!(eqs[0], "8 accelerators x 120 h = 960 h");
    assert!(eqs.contains(&"960 h x 0.4 kW = 384 kWh"), "{eqs:?}");
    assert!(eqs.contains(&"384 kWh x PUE 1.2 = 460.8 kWh"), "{eqs:?}");
    assert!(
        eqs.contains(&"460.8 kWh x 0.35 kg/kWh = 161.28 kgCO2e"),
        "{eqs:?}"
    );
    assert!((e.co2e_kg - 161.28).abs() < 1e-9);

    // Leaving out PUE shows facility = IT; the default-PUE source is flagged when it is used.
    let (e, steps) = derive(
        &worked_example(),
        &catalogue(),
        Terms {
            pue: false,
            ..Terms::default()
        },
    )
    .unwrap();
    assert_eq!(e.facility_energy_kwh, e.it_energy_kwh);
    assert!(
        steps
            .iter()
            .any(|s| s.equation == "384 kWh x PUE 1 = 384 kWh")
    );
    let mut p = worked_example();
    p.pue = None;
    p.region = Some("fr".into());
    let (_, steps) = derive(&p, &catalogue(), Terms::default()).unwrap();
    let facility = steps
        .iter()
        .find(|s| s.quantity == "Facility energy")
        .unwrap();
    assert!(
        facility.flagged && facility.source.contains("Uptime"),
        "{facility:?}"
    );
}
