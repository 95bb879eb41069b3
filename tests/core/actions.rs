//! The workspace reducer and undo history, tested without a window: every action, refusals that leave the
//! workspace unchanged, catalogue edits that plans follow, and merged undo steps.

use super::support::catalogue;
use trainprint::model::action::unique_name;
use trainprint::model::{Action, ActionError, History, Power, TrainingPlan, Workspace, apply};
use trainprint::persist::presets;

fn ws() -> Workspace {
    presets::example("virginia-vs-quebec").unwrap().unwrap()
}

#[test]
fn plan_edits_are_validated_and_refusals_change_nothing() {
    let cat = catalogue();
    let mut w = ws();
    let before = w.clone();
    let mut bad = w.plans[0].clone();
    bad.count = Some(0);
    let err = apply(
        &mut w,
        &cat,
        Action::EditPlan {
            index: 0,
            plan: Box::new(bad),
        },
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("count must be at least 1"),
        "{err}"
    );
    assert_eq!(w, before);
    let mut good = w.plans[0].clone();
    good.count = Some(128);
    apply(
        &mut w,
        &cat,
        Action::EditPlan {
            index: 0,
            plan: Box::new(good),
        },
    )
    .unwrap();
    assert_eq!(w.plans[0].count, Some(128));
    assert_eq!(
        apply(&mut w, &cat, Action::RemovePlan(7)),
        Err(ActionError::NoSuchPlan(7))
    );
}

#[test]
fn add_duplicate_move_remove_keep_the_baseline_on_its_plan() {
    let cat = catalogue();
    let mut w = ws();
    w.baseline = 1; // Quebec
    apply(&mut w, &cat, Action::DuplicatePlan(0)).unwrap();
    assert_eq!(w.plans[1].name, "Virginia (PJM) (2)");
    assert_eq!(w.plans[w.baseline].name, "Quebec");
    apply(&mut w, &cat, Action::MovePlan { from: 2, to: 0 }).unwrap();
    assert_eq!(w.plans[0].name, "Quebec");
    assert_eq!(w.baseline, 0);
    apply(&mut w, &cat, Action::RemovePlan(0)).unwrap();
    assert_eq!(w.plans.len(), 2);
    assert!(w.baseline < 2);
    apply(&mut w, &cat, Action::RemovePlan(0)).unwrap();
    assert_eq!(
        apply(&mut w, &cat, Action::RemovePlan(0)),
        Err(ActionError::LastPlan)
    );
    apply(
        &mut w,
        &cat,
        Action::AddPlan(Box::new(TrainingPlan::new("x", "nvidia-t4", 1, 1.0, "fr"))),
    )
    .unwrap();
    apply(&mut w, &cat, Action::SetBaseline(1)).unwrap();
    assert_eq!(w.baseline, 1);
}

#[test]
fn unique_names_count_up() {
    let plans = vec![
        TrainingPlan::new("A", "nvidia-t4", 1, 1.0, "fr"),
        TrainingPlan::new("A (2)", "nvidia-t4", 1, 1.0, "fr"),
    ];
    assert_eq!(unique_name(&plans, "A"), "A (3)");
    assert_eq!(unique_name(&plans, "A (2)"), "A (3)");
    assert_eq!(unique_name(&plans, "B"), "B");
}

#[test]
fn catalogue_edits_are_stored_as_edits_and_plans_follow_renames() {
    let cat = catalogue();
    let mut w = ws();
    let mut h100 = cat.accelerator("nvidia-h100-sxm").unwrap().clone();
    h100.tdp_watts = Some(650.0);
    apply(
        &mut w,
        &cat,
        Action::UpsertAccelerator {
            replaces: Some("nvidia-h100-sxm".into()),
            accelerator: Box::new(h100.clone()),
        },
    )
    .unwrap();
    assert_eq!(w.catalogue.accelerators, vec![h100.clone()]);
    // Renaming the id moves every plan that used it.
    let mut renamed = h100.clone();
    renamed.id = "my-h100".into();
    apply(
        &mut w,
        &cat,
        Action::UpsertAccelerator {
            replaces: Some("nvidia-h100-sxm".into()),
            accelerator: Box::new(renamed),
        },
    )
    .unwrap();
    assert!(w.plans.iter().all(|p| p.accelerator == "my-h100"));
    let eff = cat.with_edits(&w.catalogue);
    assert!(eff.accelerator("nvidia-h100-sxm").is_none());
    assert_eq!(eff.accelerator("my-h100").unwrap().tdp_watts, Some(650.0));
    assert_eq!(
        w.catalogue.removed_accelerators,
        vec!["nvidia-h100-sxm".to_string()]
    );
    // An invalid entry is refused with the field named.
    let mut bad = eff.accelerator("my-h100").unwrap().clone();
    bad.tdp_watts = Some(-1.0);
    let err = apply(
        &mut w,
        &cat,
        Action::UpsertAccelerator {
            replaces: Some("my-h100".into()),
            accelerator: Box::new(bad),
        },
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("tdp_watts must be positive"),
        "{err}"
    );
    // A taken id is refused.
    let mut dup = eff.accelerator("my-h100").unwrap().clone();
    dup.id = "nvidia-t4".into();
    assert_eq!(
        apply(
            &mut w,
            &cat,
            Action::UpsertAccelerator {
                replaces: Some("my-h100".into()),
                accelerator: Box::new(dup)
            }
        ),
        Err(ActionError::DuplicateId("nvidia-t4".into()))
    );
    apply(&mut w, &cat, Action::ResetCatalogue).unwrap();
    assert!(w.catalogue.is_empty());
}

#[test]
fn region_edits_and_removals_round_trip_through_edits() {
    let cat = catalogue();
    let mut w = ws();
    let mut q = cat.region("ca-quebec").unwrap().clone();
    q.intensity_g_per_kwh = 1.5;
    apply(
        &mut w,
        &cat,
        Action::UpsertRegion {
            replaces: Some("ca-quebec".into()),
            region: Box::new(q),
        },
    )
    .unwrap();
    apply(&mut w, &cat, Action::RemoveRegion("world".into())).unwrap();
    let eff = cat.with_edits(&w.catalogue);
    assert_eq!(eff.region("ca-quebec").unwrap().intensity_g_per_kwh, 1.5);
    assert!(eff.region("world").is_none());
    assert_eq!(eff.edits_from(&cat), w.catalogue);
    assert_eq!(
        apply(&mut w, &cat, Action::RemoveRegion("world".into())),
        Err(ActionError::NoSuchEntry("world".into()))
    );
}

#[test]
fn history_undoes_redoes_and_merges_typing_in_one_field() {
    let cat = catalogue();
    let mut w = ws();
    let original = w.clone();
    let mut h = History::default();
    for count in [1, 12, 128] {
        let mut p = w.plans[0].clone();
        p.count = Some(count);
        h.apply(
            &mut w,
            &cat,
            Action::EditPlan {
                index: 0,
                plan: Box::new(p),
            },
        )
        .unwrap();
    }
    h.seal();
    let mut p = w.plans[1].clone();
    p.power = Power::Watts(500.0);
    h.apply(
        &mut w,
        &cat,
        Action::EditPlan {
            index: 1,
            plan: Box::new(p),
        },
    )
    .unwrap();
    assert!(h.undo(&mut w));
    assert_eq!(w.plans[0].count, Some(128));
    assert!(h.undo(&mut w), "three keystrokes in one field are one step");
    assert_eq!(w, original);
    assert!(!h.undo(&mut w));
    assert!(h.redo(&mut w));
    assert_eq!(w.plans[0].count, Some(128));
    assert_eq!(h.redo_label(), Some("edit plan 'Quebec'"));
    // A refused action records nothing.
    let mut bad = w.plans[0].clone();
    bad.runs = -1.0;
    assert!(
        h.apply(
            &mut w,
            &cat,
            Action::EditPlan {
                index: 0,
                plan: Box::new(bad)
            }
        )
        .is_err()
    );
    assert!(h.undo(&mut w));
    assert_eq!(w, original);
}

#[test]
fn utilisation_entries_are_set_validated_reset_and_follow_their_accelerator() {
    use trainprint::model::{Precision, Workload};
    let cat = catalogue();
    let mut w = ws();
    let (mut entry, _) = cat
        .utilization()
        .entry(
            cat.accelerator("nvidia-h100-sxm").unwrap(),
            Precision::Bf16,
            Workload::Llm,
        )
        .unwrap();
    entry.mfu = 0.45;
    entry.sources = vec!["our own run".into()];
    // An entry outside its own range is refused and changes nothing.
    let mut bad = entry.clone();
    bad.mfu = 0.6;
    let before = w.clone();
    let err = apply(&mut w, &cat, Action::SetUtilization(Box::new(bad))).unwrap_err();
    assert!(err.to_string().contains("must contain mfu 0.6"), "{err}");
    assert_eq!(w, before);
    apply(
        &mut w,
        &cat,
        Action::SetUtilization(Box::new(entry.clone())),
    )
    .unwrap();
    assert_eq!(w.catalogue.utilization, vec![entry.clone()]);
    let eff = cat.with_edits(&w.catalogue);
    let acc = eff.accelerator("nvidia-h100-sxm").unwrap();
    assert_eq!(
        eff.utilization()
            .lookup(acc, Precision::Bf16, Workload::Llm)
            .unwrap()
            .mfu(),
        0.45
    );
    // Renaming the accelerator moves the entry; deleting it drops the entry.
    let mut renamed = acc.clone();
    renamed.id = "my-h100".into();
    apply(
        &mut w,
        &cat,
        Action::UpsertAccelerator {
            replaces: Some("nvidia-h100-sxm".into()),
            accelerator: Box::new(renamed),
        },
    )
    .unwrap();
    assert_eq!(w.catalogue.utilization[0].accelerator, "my-h100");
    let mut w2 = w.clone();
    apply(&mut w2, &cat, Action::RemoveAccelerator("my-h100".into())).unwrap();
    assert!(w2.catalogue.utilization.is_empty());
    apply(
        &mut w,
        &cat,
        Action::ResetUtilization {
            accelerator: "my-h100".into(),
            precision: Precision::Bf16,
            workload: Workload::Llm,
        },
    )
    .unwrap();
    assert!(w.catalogue.utilization.is_empty());
    // Setting an entry equal to the built-in one stores no override.
    let (builtin, _) = cat
        .utilization()
        .entry(
            cat.accelerator("nvidia-a100-sxm4-80gb").unwrap(),
            Precision::Bf16,
            Workload::Llm,
        )
        .unwrap();
    apply(&mut w, &cat, Action::SetUtilization(Box::new(builtin))).unwrap();
    assert!(w.catalogue.utilization.is_empty());
}

#[test]
fn plans_keep_their_id_and_colour_when_they_move_and_new_plans_get_unused_ids() {
    use trainprint::model::PlanId;
    let cat = catalogue();
    let mut w = ws();
    // Loaded without ids: numbered in column order.
    let ids = |w: &Workspace| w.plans.iter().map(|p| p.id).collect::<Vec<_>>();
    assert_eq!(ids(&w), [PlanId(0), PlanId(1)]);
    apply(&mut w, &cat, Action::MovePlan { from: 0, to: 1 }).unwrap();
    assert_eq!(
        ids(&w),
        [PlanId(1), PlanId(0)],
        "the ids move with the plans"
    );
    assert_eq!(
        trainprint::palette::of_key(w.plans[1].id.key_or(1)),
        trainprint::palette::plan(0),
        "the first plan keeps its colour in the second column"
    );
    apply(&mut w, &cat, Action::DuplicatePlan(0)).unwrap();
    assert_eq!(ids(&w), [PlanId(1), PlanId(2), PlanId(0)]);
    // An added plan takes the smallest id no plan uses, whatever id it came with; an edit keeps the plan's id.
    apply(&mut w, &cat, Action::RemovePlan(0)).unwrap();
    let mut extra = w.plans[0].clone();
    extra.id = PlanId(0);
    apply(&mut w, &cat, Action::AddPlan(Box::new(extra))).unwrap();
    assert_eq!(ids(&w), [PlanId(2), PlanId(0), PlanId(1)]);
    let mut edited = w.plans[2].clone();
    edited.id = PlanId(7);
    apply(
        &mut w,
        &cat,
        Action::EditPlan {
            index: 2,
            plan: Box::new(edited),
        },
    )
    .unwrap();
    assert_eq!(w.plans[2].id, PlanId(1));
}

#[test]
fn a_sweep_is_kept_replaced_by_kind_refused_when_invalid_and_goes_with_its_plan() {
    use trainprint::model::Sweep;
    use trainprint::model::sweep::{RegionSet, SweepInvalid, SweepOver};
    let cat = catalogue();
    let mut w = ws();
    let (a, b) = (w.plans[0].id, w.plans[1].id);
    let sweep = |plan, over| Action::SetSweep(Box::new(Sweep { plan, over }));
    apply(&mut w, &cat, sweep(a, SweepOver::Region(RegionSet::All))).unwrap();
    apply(&mut w, &cat, sweep(a, SweepOver::Count(vec![8, 16]))).unwrap();
    apply(&mut w, &cat, sweep(b, SweepOver::Count(vec![4]))).unwrap();
    assert_eq!(w.sweeps.len(), 3);
    // The same plan and input again replaces, in place.
    apply(&mut w, &cat, sweep(a, SweepOver::Count(vec![32]))).unwrap();
    assert_eq!(w.sweeps.len(), 3);
    assert_eq!(w.sweeps[1].over, SweepOver::Count(vec![32]));
    // Invalid values and unknown plans are refused and change nothing.
    let before = w.clone();
    assert_eq!(
        apply(&mut w, &cat, sweep(a, SweepOver::Pue(vec![0.8]))),
        Err(ActionError::InvalidSweep(SweepInvalid::Pue(0.8)))
    );
    assert!(matches!(
        apply(
            &mut w,
            &cat,
            sweep(trainprint::model::PlanId(999), SweepOver::Precision)
        ),
        Err(ActionError::NoSuchPlan(_))
    ));
    assert_eq!(
        apply(&mut w, &cat, Action::RemoveSweep(7)),
        Err(ActionError::NoSuchSweep(7))
    );
    assert_eq!(w, before);
    // Removing plan 0 removes its two sweeps; plan 1's stays.
    apply(&mut w, &cat, Action::RemovePlan(0)).unwrap();
    assert_eq!(w.sweeps.len(), 1);
    assert_eq!(w.sweeps[0].plan, b);
    apply(&mut w, &cat, Action::RemoveSweep(0)).unwrap();
    assert!(w.sweeps.is_empty());
}

fn measured_entry(against: Option<trainprint::model::PlanId>) -> trainprint::model::MeasuredEntry {
    use trainprint::model::{MeasuredEntry, MeasuredRun, MeasuredSource};
    let mut run = MeasuredRun::new(MeasuredSource::NvidiaSmi, "gpu.csv", 10.0, 24.0);
    run.accelerators = 8;
    run.avg_power_w = Some(300.0);
    MeasuredEntry {
        against,
        ..MeasuredEntry::new(run, "gpu.csv")
    }
}

#[test]
fn measured_runs_are_added_edited_and_removed_undoably_and_bad_ones_refused() {
    let cat = catalogue();
    let mut w = ws();
    let mut h = History::default();
    let first = w.plans[0].id;
    // One file's runs arrive as one step.
    h.apply(
        &mut w,
        &cat,
        Action::AddMeasured(vec![measured_entry(Some(first)), measured_entry(None)]),
    )
    .unwrap();
    assert_eq!(w.measured.len(), 2);
    assert_eq!(h.undo_label(), Some("import 2 measured runs"));
    // Picking a plan and typing an intensity edit the entry.
    let mut e = w.measured[1].clone();
    e.against = Some(w.plans[1].id);
    e.intensity_g_per_kwh = Some(120.0);
    h.apply(
        &mut w,
        &cat,
        Action::EditMeasured {
            index: 1,
            entry: Box::new(e.clone()),
        },
    )
    .unwrap();
    assert_eq!(w.measured[1], e);
    // A negative intensity, a NaN energy and a missing index are refused and change nothing.
    let before = w.clone();
    let mut bad = e.clone();
    bad.intensity_g_per_kwh = Some(-1.0);
    let err = apply(
        &mut w,
        &cat,
        Action::EditMeasured {
            index: 1,
            entry: Box::new(bad),
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("intensity_g_per_kwh"), "{err}");
    let mut nan = measured_entry(None);
    nan.run.energy_kwh = f64::NAN;
    assert!(matches!(
        apply(&mut w, &cat, Action::AddMeasured(vec![nan])),
        Err(ActionError::InvalidMeasured(_))
    ));
    assert_eq!(
        apply(&mut w, &cat, Action::RemoveMeasured(9)),
        Err(ActionError::NoSuchMeasured(9))
    );
    assert_eq!(w, before);
    // Removing the plan a run is compared with leaves the run compared with nothing (undo restores both).
    h.apply(&mut w, &cat, Action::RemovePlan(0)).unwrap();
    assert_eq!(w.measured[0].against, None);
    assert_eq!(w.measured[1].against, Some(before.plans[1].id));
    assert!(h.undo(&mut w));
    assert_eq!(w, before);
    h.apply(&mut w, &cat, Action::RemoveMeasured(0)).unwrap();
    assert_eq!(w.measured.len(), 1);
    assert!(h.undo(&mut w));
    assert!(h.undo(&mut w));
    assert!(h.undo(&mut w));
    assert!(w.measured.is_empty());
}

#[test]
fn carry_back_is_its_own_undo_step_even_right_after_typing_in_the_plan() {
    let cat = catalogue();
    let mut w = ws();
    let mut h = History::default();
    let original = w.plans[0].clone();
    let mut renamed = original.clone();
    renamed.name = "typed".into();
    h.apply(
        &mut w,
        &cat,
        Action::EditPlan {
            index: 0,
            plan: Box::new(renamed.clone()),
        },
    )
    .unwrap();
    let mut carried = renamed.clone();
    carried.power = Power::Watts(312.5);
    h.apply(
        &mut w,
        &cat,
        Action::CarryBack {
            index: 0,
            plan: Box::new(carried),
        },
    )
    .unwrap();
    assert_eq!(w.plans[0].power, Power::Watts(312.5));
    assert_eq!(h.undo_label(), Some("carry measured run into plan 'typed'"));
    // Undo takes back the carry-back alone: the typed name stays.
    assert!(h.undo(&mut w));
    assert_eq!(w.plans[0], renamed);
    assert!(h.undo(&mut w));
    assert_eq!(w.plans[0], original);
    // An invalid carried plan is refused.
    let mut bad = original.clone();
    bad.power = Power::Watts(-1.0);
    assert!(
        apply(
            &mut w,
            &cat,
            Action::CarryBack {
                index: 0,
                plan: Box::new(bad)
            }
        )
        .is_err()
    );
    assert_eq!(w.plans[0], original);
}
