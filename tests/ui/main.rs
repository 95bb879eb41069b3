//! UI tests without a GPU (egui_kittest): widgets are found by their accessible labels, clicked and typed into,
//! and the app's state is checked against the engine.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

use eframe::egui::accesskit::Role;
use eframe::egui::{self, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::path::PathBuf;
use trainprint::app::{App, FileDialogs};
use trainprint::engine::estimate;
use trainprint::model::Power;
use trainprint::units;

/// Dialogs that answer from a script.
#[derive(Default)]
struct Scripted {
    open: Vec<PathBuf>,
    save: Vec<PathBuf>,
    folder: Vec<PathBuf>,
    profile: Vec<PathBuf>,
    measured: Vec<PathBuf>,
}

impl FileDialogs for Scripted {
    fn open(&mut self) -> Option<PathBuf> {
        self.open.pop()
    }
    fn save(&mut self, _suggested: &str) -> Option<PathBuf> {
        self.save.pop()
    }
    fn folder(&mut self) -> Option<PathBuf> {
        self.folder.pop()
    }
    fn open_profile(&mut self) -> Option<PathBuf> {
        self.profile.pop()
    }
    fn open_measured(&mut self) -> Option<PathBuf> {
        self.measured.pop()
    }
}

fn app_with(dialogs: Scripted) -> App {
    App::new(None, None, Box::new(dialogs)).unwrap_or_else(|e| panic!("{e}"))
}

fn harness(app: App) -> Harness<'static, App> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1900.0, 1400.0))
        .with_max_steps(60)
        .build_ui_state(|ui, app: &mut App| app.frame(ui), app);
    h.run();
    h
}

/// Replaces the text of the `n`-th text field labelled `label` and runs the UI.
fn type_into(h: &mut Harness<'_, App>, label: &str, n: usize, text: &str) {
    let field = || Role::TextInput;
    let node = h
        .query_all_by_role_and_label(field(), label)
        .nth(n)
        .unwrap_or_else(|| panic!("no text field {label} #{n}"));
    node.focus();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run();
    let node = h
        .query_all_by_role_and_label(field(), label)
        .nth(n)
        .unwrap();
    node.type_text(text);
    h.run();
}

#[test]
fn the_first_start_shows_the_a100_vs_h100_example() {
    let h = harness(app_with(Scripted::default()));
    assert_eq!(h.state().doc.ws.name, "A100 vs H100");
    // Each plan's displayed total is the engine's value.
    for (i, plan) in h.state().doc.ws.plans.iter().enumerate() {
        let e = estimate(plan, &h.state().rt.catalogue).unwrap();
        let text = units::co2e(e.total_co2e_kg);
        assert!(
            h.query_all_by_label(&text).count() >= 1,
            "plan {i}: no label {text}"
        );
    }
    for heading in ["Plans", "Charts", "Formula", "Catalogue"] {
        assert!(
            h.query_all_by_label(heading).count() >= 1,
            "{heading} panel"
        );
    }
}

#[test]
fn switching_a_plan_from_a100_to_h100_shows_the_engines_co2e() {
    let mut app = app_with(Scripted::default());
    app.prefs.show_catalogue = false;
    let mut h = harness(app);
    let h100 = h
        .state()
        .rt
        .catalogue
        .accelerator("nvidia-h100-sxm")
        .unwrap()
        .name
        .clone();
    assert_eq!(
        h.state().doc.ws.plans[0].accelerator,
        "nvidia-a100-sxm4-80gb"
    );
    let before = h.state().rt.cache.recomputed_total();
    let scheduled_before = h.state().rt.cache.scheduled_total();
    let a100_total = units::co2e(
        h.state()
            .rt
            .cache
            .result(0)
            .unwrap()
            .as_ref()
            .unwrap()
            .total_co2e_kg,
    );
    h.get_all_by_label("Accelerator").next().unwrap().click();
    h.run();
    // The search field has the focus as the list opens: typing narrows the list.
    h.get_all_by_label("Accelerator")
        .next()
        .unwrap()
        .type_text("h100 sxm");
    h.run();
    let items: Vec<_> = h.get_all_by_label(&h100).collect();
    assert!(!items.is_empty(), "the picker lists {h100}");
    items.last().unwrap().click();
    h.run();
    let app = h.state();
    assert_eq!(app.doc.ws.plans[0].accelerator, "nvidia-h100-sxm");
    // Only the changed plan was recomputed.
    assert_eq!(app.rt.cache.recomputed_total() - before, 1);
    // ... and only it was scheduled again.
    assert_eq!(app.rt.cache.scheduled_total() - scheduled_before, 1);
    let e = estimate(&app.doc.ws.plans[0], &app.rt.catalogue).unwrap();
    let shown = units::co2e(e.total_co2e_kg);
    // Each column shows its total (and its operational CO2e, equal here): both columns now show the H100 value.
    assert_eq!(
        h.query_all_by_label(&shown).count(),
        4,
        "both plans now show {shown}"
    );
    assert_eq!(
        h.query_all_by_label(&a100_total).count(),
        0,
        "the A100 value {a100_total} is gone"
    );
    assert_eq!(app.rt.cache.result(0).unwrap().as_ref().unwrap(), &e);
}

#[test]
fn editing_a_catalogue_tdp_updates_every_plan_using_it() {
    let mut app = app_with(Scripted::default());
    app.run_command(
        &egui::Context::default(),
        trainprint::ui::Command::OpenExample(1),
    ); // Virginia vs Quebec
    let mut h = harness(app);
    assert!(
        h.state()
            .doc
            .ws
            .plans
            .iter()
            .all(|p| p.accelerator == "nvidia-h100-sxm")
    );
    let h100 = h
        .state()
        .rt
        .catalogue
        .accelerator("nvidia-h100-sxm")
        .unwrap()
        .name
        .clone();
    h.get_by_label(&h100).click();
    h.run();
    type_into(&mut h, "TDP", 0, "350");
    let app = h.state();
    assert_eq!(
        app.rt
            .catalogue
            .accelerator("nvidia-h100-sxm")
            .unwrap()
            .tdp_watts,
        Some(350.0)
    );
    assert_eq!(
        app.doc.ws.catalogue.accelerators.len(),
        1,
        "stored as a workspace edit"
    );
    for (i, plan) in app.doc.ws.plans.iter().enumerate() {
        assert!(matches!(plan.power, Power::Tdp { .. }));
        let e = app.rt.cache.result(i).unwrap().as_ref().unwrap();
        assert_eq!(e.power_w, 350.0, "plan {i}");
        assert_eq!(e, &estimate(plan, &app.rt.catalogue).unwrap());
        assert!(h.query_all_by_label(&units::co2e(e.total_co2e_kg)).count() >= 1);
    }
    assert!(
        h.query_all_by_label("(edited)").count() >= 1,
        "the entry is marked as edited"
    );
}

#[test]
fn a_negative_or_non_numeric_count_is_rejected_with_a_message() {
    let mut h = harness(app_with(Scripted::default()));
    let before = h.state().doc.ws.clone();
    type_into(&mut h, "Count", 0, "-3");
    assert!(
        h.query_by_label_contains("Count: must be a whole number of at least 1 — not applied")
            .is_some(),
        "the reason is shown"
    );
    assert_eq!(h.state().doc.ws, before, "the model is unchanged");
    type_into(&mut h, "Count", 0, "abc");
    assert!(
        h.query_by_label_contains("'abc' is not a number — not applied")
            .is_some()
    );
    assert_eq!(h.state().doc.ws, before);
    // Plan 0 is compute-based in this example and uses the utilisation table's MFU: given its own MFU, a value
    // above 1 is refused too.
    h.query_all_by_role_and_label(Role::CheckBox, "Own MFU")
        .next()
        .unwrap()
        .click();
    h.run();
    let before = h.state().doc.ws.clone();
    type_into(&mut h, "MFU", 0, "1.5");
    assert!(
        h.query_by_label_contains("MFU: must be greater than 0 and at most 1")
            .is_some()
    );
    assert_eq!(h.state().doc.ws, before);
}

#[test]
fn undo_restores_and_redo_reapplies() {
    let mut h = harness(app_with(Scripted::default()));
    let original = h.state().doc.ws.clone();
    type_into(&mut h, "Count", 0, "16");
    assert_eq!(h.state().doc.ws.plans[0].count, Some(16));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().doc.ws, original);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run();
    assert_eq!(h.state().doc.ws.plans[0].count, Some(16));
    // Undo through the menu too.
    h.get_by_label("Edit").click();
    h.run();
    h.get_by_label_contains("Undo edit plan").click();
    h.run();
    assert_eq!(h.state().doc.ws, original);
}

#[test]
fn a_malformed_workspace_shows_the_banner_and_changes_nothing() {
    let dir = std::env::temp_dir().join(format!("trainprint-ui-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.ron");
    std::fs::write(
        &bad,
        "(\n  format: \"trainprint-workspace\",\n  version: 1,\n  name: oops,\n  plans: [],\n)\n",
    )
    .unwrap();
    let mut h = harness(app_with(Scripted {
        open: vec![bad.clone()],
        ..Default::default()
    }));
    let before = h.state().doc.ws.clone();
    h.get_by_label("File").click();
    h.run();
    h.get_by_label_contains("Open…").click();
    h.run();
    let needle = format!("{}:4:", bad.display());
    assert!(
        h.query_by_label_contains(&needle).is_some(),
        "banner names file, line and column"
    );
    assert_eq!(h.state().doc.ws, before);
    assert!(h.state().ui.banner.as_ref().unwrap().text.contains(&needle));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn save_and_reopen_round_trips_through_the_dialogs() {
    let dir = std::env::temp_dir().join(format!("trainprint-ui-save-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("mine.ron");
    let mut h = harness(app_with(Scripted {
        save: vec![path.clone()],
        open: vec![path.clone()],
        ..Default::default()
    }));
    type_into(&mut h, "Count", 0, "32");
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run();
    assert!(path.exists());
    assert!(!h.state().doc.dirty);
    let saved = h.state().doc.ws.clone();
    h.key_press_modifiers(Modifiers::COMMAND, Key::O);
    h.run();
    assert_eq!(h.state().doc.ws, saved);
    assert_eq!(h.state().doc.file.as_deref(), Some(path.as_path()));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn smoke_every_panel_and_menu() {
    let mut h = harness(app_with(Scripted::default()));
    // Menus and their windows.
    for (menu, item, window) in [
        ("Help", "Methodology", "Methodology"),
        ("Help", "Sources", "Sources"),
        ("Help", "Keyboard shortcuts", "Keyboard shortcuts"),
        ("Help", "About Trainprint", "About Trainprint"),
    ] {
        h.get_by_label(menu).click();
        h.run();
        h.get_by_label_contains(item).click();
        h.run();
        assert!(h.query_by_label(window).is_some(), "{window} window");
        h.key_press(Key::Escape);
        h.state_mut().ui.window = None;
        h.run();
    }
    for ex in trainprint::persist::presets::EXAMPLES {
        h.get_by_label("File").click();
        h.run();
        h.get_by_label("Examples").click();
        h.run();
        h.get_by_role_and_label(Role::Button, ex.title).click();
        h.run();
        assert_eq!(h.state().doc.ws.name, ex.title);
        assert!(
            h.state()
                .rt
                .cache
                .outcomes()
                .iter()
                .all(|o| o.estimate.is_ok()),
            "{}",
            ex.title
        );
    }
    for tab in ["Breakdown", "Over time", "Sensitivity", "Totals"] {
        h.get_by_label(tab).click();
        h.run();
    }
    for (label, on) in [("Dark", true), ("Light", true), ("Follow system", true)] {
        h.get_by_label("View").click();
        h.run();
        h.get_by_label(label).click();
        h.run();
        assert!(on);
    }
    h.get_by_label_contains("Regions (").click();
    h.run();
    let quebec = h
        .state()
        .rt
        .catalogue
        .region("ca-quebec")
        .unwrap()
        .name
        .clone();
    h.get_by_label(&quebec).click();
    h.run();
    assert_eq!(
        h.query_all_by_role_and_label(Role::TextInput, "Intensity year")
            .count(),
        1,
        "the region editor is open"
    );
    h.get_by_label_contains("Accelerators (").click();
    h.run();
    // Plan actions.
    let n = h.state().doc.ws.plans.len();
    h.get_by_label("Add plan").click();
    h.run();
    assert_eq!(h.state().doc.ws.plans.len(), n + 1);
    h.get_all_by_label("Baseline")
        .last()
        .unwrap()
        .scroll_to_me();
    h.run();
    h.get_all_by_label("Baseline").last().unwrap().click();
    h.run();
    assert_eq!(h.state().doc.ws.baseline, n);
    for t in ["PUE", "Host", "Embodied"] {
        h.get_by_role_and_label(Role::CheckBox, t).click();
        h.run();
    }
    assert!(!h.state().ui.formula_terms.pue && !h.state().ui.formula_terms.embodied);
    h.get_by_label("Edit").click();
    h.run();
    h.get_by_label("Reset catalogue to built-in presets…")
        .click();
    h.run();
    h.get_by_label("Cancel").click();
    h.run();
    assert!(!h.state().ui.confirm_reset);
    h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    h.run();
    assert_eq!(h.state().doc.ws.name, "Untitled");
}

#[test]
fn file_export_writes_the_files_in_the_background_and_lists_them() {
    let dir = std::env::temp_dir().join(format!("trainprint-ui-export-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut app = app_with(Scripted {
        folder: vec![dir.clone()],
        ..Default::default()
    });
    // A token is set: it must not reach any exported file (nor may the user's home path).
    app.rt.net.token = Some("SECRET-TOKEN-in-app-42".into());
    let mut h = harness(app);
    h.get_by_label("File").click();
    h.run();
    h.get_by_label_contains("Export…").click();
    h.run();
    assert!(h.state().ui.export.is_some(), "the dialog opened");
    // Leave only the fast text formats ticked, then choose the folder and export.
    for label in ["Charts as PNG", "Charts as SVG"] {
        h.get_by_label(label).click();
        h.run();
    }
    h.get_by_label("Choose folder…").click();
    h.run();
    h.get_by_role_and_label(Role::Button, "Export").click();
    h.step();
    let mut steps = 0;
    while h.state().exporting() && steps < 400 {
        std::thread::sleep(std::time::Duration::from_millis(10));
        h.step();
        steps += 1;
    }
    h.run();
    assert!(!h.state().exporting(), "the export finished");
    let d = h.state().ui.export.as_ref().unwrap();
    assert_eq!(d.outcome, Some(Ok(dir.clone())));
    let names: Vec<String> = d
        .written
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "summary.csv",
            "summary.md",
            "summary.json",
            "references.bib",
            "model-card.yaml"
        ]
    );
    for n in &names {
        assert!(dir.join(n).exists(), "{n}");
        assert!(h.query_all_by_label(n).count() >= 1, "the dialog lists {n}");
    }
    assert!(
        h.state()
            .ui
            .banner
            .as_ref()
            .unwrap()
            .text
            .contains("Exported 5 file(s)")
    );
    let home = std::env::var("HOME").unwrap_or_else(|_| "/root".into());
    for n in &names {
        let text = std::fs::read_to_string(dir.join(n)).unwrap();
        assert!(
            !text.contains("SECRET-TOKEN-in-app-42"),
            "{n} holds the token"
        );
        assert!(!text.contains(&home), "{n} holds the home path {home}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[path = "../support_http/mod.rs"]
mod support_http;

/// Opens the Regions tab and selects Great Britain (fetched from the GB API, which needs no token).
fn select_gb(h: &mut Harness<'_, App>) {
    h.get_by_label_contains("Regions (").click();
    h.run();
    let gb = h.state().rt.catalogue.region("gb").unwrap().name.clone();
    h.get_by_label(&gb).click();
    h.run();
}

#[test]
fn a_slow_live_fetch_never_blocks_a_frame_and_its_value_can_be_restored() {
    use support_http::{Canned, start};
    let s = start(vec![(
        "/intensity",
        Canned::json(200, support_http::GB_NATIONAL).delayed(std::time::Duration::from_secs(4)),
    )]);
    let mut app = app_with(Scripted::default());
    app.rt.net.gb_base = s.base.clone();
    app.run_command(
        &egui::Context::default(),
        trainprint::ui::Command::OpenExample(1),
    );
    let mut h = harness(app);
    select_gb(&mut h);
    h.get_by_label("Fetch live intensity").click();
    h.step();
    // Frames keep coming while the server sits on the request: after 30 frames it is still pending.
    for _ in 0..30 {
        h.step();
    }
    assert_eq!(
        h.state().fetching(),
        Some("gb"),
        "the frames did not wait for the network"
    );
    assert!(h.query_by_label("Fetching…").is_some());
    h.get_by_label("Cancel").click();
    h.run();
    assert_eq!(h.state().fetching(), None);
    assert!(
        h.state().rt.catalogue.region("gb").unwrap().live.is_none(),
        "cancel changes nothing"
    );
    assert!(
        h.state()
            .ui
            .banner
            .as_ref()
            .unwrap()
            .text
            .contains("Stopped waiting")
    );

    // Fetch again and let it finish: the value is applied with its tag, undoable, and restorable.
    h.get_by_label("Fetch live intensity").click();
    h.step();
    let mut n = 0;
    while h.state().fetching().is_some() && n < 800 {
        std::thread::sleep(std::time::Duration::from_millis(10));
        h.step();
        n += 1;
    }
    h.run();
    let live = h
        .state()
        .rt
        .catalogue
        .region("gb")
        .unwrap()
        .live
        .clone()
        .expect("live value applied");
    assert_eq!(live.intensity_g_per_kwh, 175.0);
    assert_eq!(live.datetime, "2026-11-23T10:00Z");
    assert!(h.query_all_by_label_contains("Live: 175 gCO2e/kWh").count() >= 1);
    let catalogue_value = h
        .state()
        .rt
        .presets
        .region("gb")
        .unwrap()
        .intensity_g_per_kwh;
    h.get_by_label_contains("Restore catalogue value").click();
    h.run();
    let r = h.state().rt.catalogue.region("gb").unwrap();
    assert!(r.live.is_none());
    assert_eq!(r.intensity_g_per_kwh, catalogue_value);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(
        h.state().rt.catalogue.region("gb").unwrap().live.is_some(),
        "undo brings the live value back"
    );
}

#[test]
fn a_failed_fetch_reports_once_and_changes_nothing() {
    use support_http::{Canned, start};
    let s = start(vec![("/intensity", Canned::json(500, "oops"))]);
    let mut app = app_with(Scripted::default());
    app.rt.net.gb_base = s.base.clone();
    let mut h = harness(app);
    select_gb(&mut h);
    let before = h.state().doc.ws.clone();
    h.get_by_label("Fetch live intensity").click();
    h.step();
    let mut n = 0;
    while h.state().fetching().is_some() && n < 500 {
        std::thread::sleep(std::time::Duration::from_millis(10));
        h.step();
        n += 1;
    }
    h.run();
    assert_eq!(h.state().doc.ws, before);
    let banner = h.state().ui.banner.clone().unwrap();
    assert!(
        banner.text.contains("server error (HTTP 500)") && banner.text.contains("Nothing changed"),
        "{banner:?}"
    );
}

#[test]
fn the_planning_tabs_show_the_engines_schedule_range_and_contributions() {
    use trainprint::engine::decompose::decompose;
    use trainprint::engine::schedule;
    // A 4-hour job of 1 kWh an hour over an imported profile: the best start is the two cleanest hours' run.
    let dir = std::env::temp_dir().join(format!("trainprint-ui-plan-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("profile.csv");
    let mut text = String::from("datetime,intensity_g_per_kwh\n");
    let values = [
        500.0, 450.0, 400.0, 100.0, 90.0, 80.0, 95.0, 420.0, 480.0, 500.0,
    ];
    for (h, v) in values.iter().enumerate() {
        text.push_str(&format!("2026-03-01T{h:02}:00Z,{v}\n"));
    }
    std::fs::write(&csv, text).unwrap();
    let mut app = app_with(Scripted {
        profile: vec![csv.clone()],
        ..Default::default()
    });
    app.prefs.show_catalogue = false;
    let mut plan = trainprint::model::TrainingPlan::new("short", "nvidia-h100-sxm", 2, 4.0, "de");
    plan.power = Power::Watts(500.0);
    plan.pue = Some(1.0);
    app.apply(trainprint::model::Action::AddPlan(Box::new(plan)));
    let mut h = harness(app);
    h.get_by_label("When to run").click();
    h.run();
    // Select the new plan (its formula button), then import the profile.
    let last = h.state().doc.ws.plans.len() - 1;
    h.state_mut().ui.selected_plan = last;
    h.get_by_label("Import CSV profile...").click();
    h.run();
    assert!(h.state().ui.imported_profile.is_some());
    assert!(h.query_by_label("Imported profile, 10 hours").is_some());
    let ps = h.state().rt.cache.schedule(last).unwrap().clone();
    // 2 x 500 W x PUE 1 = 1 kWh an hour; hours 3..6 (100 + 90 + 80 + 95 g) give 0.365 kg; now: 1.45 kg.
    let s = ps.result.as_ref().unwrap();
    assert_eq!(s.best_start, 3);
    assert!((s.best_co2e_kg - 0.365).abs() < 1e-12, "{}", s.best_co2e_kg);
    let want = schedule::schedule(
        &values,
        &schedule::Job {
            hours: 4.0,
            energy_kwh: 4.0,
            embodied_kg: 0.0,
        },
        48,
    )
    .unwrap();
    assert_eq!(s, &want);
    let shown = format!(
        "Best start: 2026-03-01T03:00Z — {} ({:.1} % less)",
        units::co2e(want.best_co2e_kg),
        want.savings_pct
    );
    assert!(h.query_by_label(&shown).is_some(), "no label {shown}");
    // Pause and resume with the deadline: the four cleanest hours.
    h.get_by_label("Pause and resume").click();
    h.run();
    let p = h
        .state()
        .rt
        .cache
        .schedule(last)
        .unwrap()
        .paused
        .clone()
        .unwrap()
        .unwrap();
    assert_eq!(p.hours_used, vec![3, 4, 5, 6]);
    // Clearing goes back to the region's representative day.
    h.get_by_label("Clear").click();
    h.run();
    assert!(h.state().ui.imported_profile.is_none());
    assert!(
        h.state()
            .rt
            .cache
            .schedule(last)
            .unwrap()
            .series
            .source
            .contains("Germany")
    );

    // Uncertainty: the selected plan's P5-P95 is the seeded Monte Carlo's.
    h.get_by_label("Uncertainty").click();
    h.run();
    let entry_interval = h
        .state()
        .rt
        .cache
        .outcome(last)
        .unwrap()
        .uncertainty
        .as_ref()
        .unwrap()
        .interval;
    assert!(entry_interval.p5 < entry_interval.p95);
    let e = estimate(&h.state().doc.ws.plans[last], &h.state().rt.catalogue).unwrap();
    let r = trainprint::engine::uncertainty::ranges(&h.state().doc.ws.plans[last], &e);
    let again = trainprint::engine::uncertainty::monte_carlo(
        &e,
        &r,
        trainprint::engine::uncertainty::DEFAULT_SEED,
        trainprint::engine::uncertainty::SAMPLES,
    );
    assert_eq!(entry_interval, again);

    // Why different: the waterfall's bars are the decomposition's.
    h.get_by_label("Why different").click();
    h.run();
    assert!(
        h.query_by_label("This is the baseline: pick another plan.")
            .is_none()
    );
    let base = estimate(&h.state().doc.ws.plans[0], &h.state().rt.catalogue).unwrap();
    let parts = decompose(&base, &e);
    let sum: f64 = parts.iter().map(|(_, kg)| kg).sum();
    assert!((sum - (e.total_co2e_kg - base.total_co2e_kg)).abs() < 1e-9 * base.total_co2e_kg);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn an_own_range_in_the_plan_editor_reaches_the_plan_and_the_monte_carlo() {
    let mut app = app_with(Scripted::default());
    app.prefs.show_catalogue = false;
    let mut h = harness(app);
    let before = h
        .state()
        .rt
        .cache
        .outcome(0)
        .unwrap()
        .uncertainty
        .as_ref()
        .unwrap()
        .interval;
    h.get_all_by_label("Uncertainty ranges")
        .next()
        .unwrap()
        .click();
    h.run();
    h.get_all_by_label("Own range for PUE")
        .next()
        .unwrap()
        .click();
    h.run();
    let r = h.state().doc.ws.plans[0].ranges.pue.unwrap();
    // Starts from the default: the provider PUE +- 0.03.
    let pue = estimate(&h.state().doc.ws.plans[0], &h.state().rt.catalogue)
        .unwrap()
        .pue;
    assert!((r.low - (pue - 0.03)).abs() < 1e-12 && (r.high - (pue + 0.03)).abs() < 1e-12);
    type_into(&mut h, "PUE high", 0, "1.6");
    assert_eq!(h.state().doc.ws.plans[0].ranges.pue.unwrap().high, 1.6);
    let after = h
        .state()
        .rt
        .cache
        .outcome(0)
        .unwrap()
        .uncertainty
        .as_ref()
        .unwrap()
        .interval;
    assert!(after.p95 > before.p95, "{after:?} vs {before:?}");
    // A range that leaves out the value is shown on the plan, and undo brings the plan back.
    type_into(&mut h, "PUE low", 0, "1.5");
    assert!(h.state().rt.cache.result(0).unwrap().is_err());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(h.state().rt.cache.result(0).unwrap().is_ok());
}

#[test]
fn the_apps_chart_data_is_the_exports_for_every_example_and_chart_kind() {
    use trainprint::chart::ChartKind;
    use trainprint::export::{charts, report::Report};
    for ex in trainprint::persist::presets::EXAMPLES {
        let ws = trainprint::persist::presets::example_workspace(&ex).unwrap();
        for focus in 0..ws.plans.len() {
            let mut app = app_with(Scripted::default());
            app.apply(trainprint::model::Action::Replace(Box::new(ws.clone())));
            app.ui.selected_plan = focus;
            let (doc, catalogue) = (app.doc.ws.clone(), app.rt.catalogue.clone());
            let mut report = Report::new(&doc, &catalogue, trainprint::export::today()).unwrap();
            report.focus_on(focus);
            let mut h = harness(app);
            for kind in ChartKind::ALL {
                // The app builds a chart's data when its tab is shown.
                h.state_mut().ui.chart_tab = kind;
                h.run();
                let shown = h.state().rt.cache.chart(kind).unwrap();
                let exported = charts::data(&report, kind);
                assert_eq!(shown, &exported, "{} (plan {focus}), {kind:?}", ex.key);
                assert!(
                    !shown.panels.is_empty() || kind == ChartKind::Schedule,
                    "{kind:?}"
                );
            }
        }
    }
}

#[test]
fn a_compute_plan_without_mfu_shows_the_tables_default_and_its_source() {
    // The first start shows A100 vs H100: both plans are compute-based without an MFU of their own.
    let mut h = harness(app_with(Scripted::default()));
    let app = h.state();
    assert!(
        app.doc
            .ws
            .plans
            .iter()
            .all(|p| p.duration.own_mfu().is_none())
    );
    // presets/utilization.ron: A100 SXM4 80GB, BF16, llm 0.563 (0.329–0.642), 79 measurements, measured.
    assert!(
        h.query_by_label_contains("default MFU 0.563, typical 0.329–0.642")
            .is_some(),
        "the default is shown with its range"
    );
    assert!(
        h.query_by_label_contains("source: utilisation table, measured (79 measurements, 2024)")
            .is_some(),
        "and its source"
    );
    assert!(
        h.query_by_label_contains("Default: MFU 0.563 from the utilisation table")
            .is_some(),
        "the results flag it like every default"
    );
    // Plan 0 to TF32: the A100 80GB has no TF32 llm measurement, so the rule's value, capped at the highest
    // tensor-core MFU measured: 0.642, derived.
    h.get_all_by_label("Precision").next().unwrap().click();
    h.run();
    h.get_by_label_contains("TF32 — 156 TFLOP/s").click();
    h.run();
    let app = h.state();
    assert!(matches!(
        app.doc.ws.plans[0].duration,
        trainprint::model::Duration::Compute {
            precision: trainprint::model::Precision::Tf32,
            mfu: None,
            ..
        }
    ));
    let e = app.rt.cache.result(0).unwrap().as_ref().unwrap();
    assert_eq!(e.mfu, Some(0.642));
    assert_eq!(
        e,
        &estimate(&app.doc.ws.plans[0], &app.rt.catalogue).unwrap()
    );
    assert!(h.query_by_label_contains("default MFU 0.642").is_some());
    assert!(
        h.query_by_label_contains("source: utilisation table, derived")
            .is_some()
    );
    assert!(h.query_by_label_contains("default MFU 0.563").is_none());
}

#[test]
fn fp32_on_an_ampere_gpu_says_it_may_run_as_tf32_and_offers_tf32() {
    let mut app = app_with(Scripted::default());
    app.run_command(
        &egui::Context::default(),
        trainprint::ui::Command::OpenExample(2),
    ); // FP32 vs mixed precision
    let mut h = harness(app);
    assert!(
        h.query_by_label_contains("FP32 here means the vector units")
            .is_some()
    );
    h.get_all_by_label("Use TF32").next().unwrap().click();
    h.run();
    assert!(matches!(
        h.state().doc.ws.plans[0].duration,
        trainprint::model::Duration::Compute {
            precision: trainprint::model::Precision::Tf32,
            ..
        }
    ));
    assert!(
        h.query_by_label_contains("FP32 here means the vector units")
            .is_none()
    );
}

#[test]
fn the_catalogue_lists_the_utilisation_table_and_edits_an_entry() {
    let mut h = harness(app_with(Scripted::default()));
    h.get_by_label("Utilisation (MFU)").click();
    h.run();
    type_into(&mut h, "Search", 0, "nvidia-h100-sxm");
    let row = "NVIDIA H100 SXM5 80GB · BF16 · llm";
    h.get_by_label(row).click();
    h.run();
    assert!(
        h.query_by_label_contains("measured · 72 measurements · 2024")
            .is_some()
    );
    type_into(&mut h, "Typical MFU", 0, "0.45");
    let app = h.state();
    assert_eq!(app.doc.ws.catalogue.utilization.len(), 1);
    assert_eq!(app.doc.ws.catalogue.utilization[0].mfu, 0.45);
    // Plan 1 (64 x H100) now uses the workspace's entry.
    let e = app.rt.cache.result(1).unwrap().as_ref().unwrap();
    assert_eq!(e.mfu, Some(0.45));
    h.get_by_label("Reset to built-in").click();
    h.run();
    assert!(h.state().doc.ws.catalogue.utilization.is_empty());
    assert_eq!(
        h.state().rt.cache.result(1).unwrap().as_ref().unwrap().mfu,
        Some(0.403)
    );
}

#[test]
fn the_sweep_tab_ranks_every_region_keeps_the_sweep_and_adds_a_variant_as_a_plan() {
    use trainprint::engine::sweep;
    use trainprint::model::sweep::RegionSet;
    let mut app = app_with(Scripted::default());
    app.prefs.show_catalogue = false;
    let mut h = harness(app);
    h.get_by_label("Sweep").click();
    h.run();
    assert!(
        h.query_by_label("No sweep yet: pick what to vary and press Sweep.")
            .is_some()
    );
    // The default form: the selected plan over every region.
    let buttons: Vec<_> = h.query_all_by_label("Sweep").collect();
    assert_eq!(buttons.len(), 2, "the tab and the button");
    buttons[1].click();
    h.run();
    let app = h.state();
    let plan = app.doc.ws.plans[0].clone();
    assert_eq!(app.doc.ws.sweeps.len(), 1);
    assert_eq!(app.doc.ws.sweeps[0].plan, plan.id);
    assert_eq!(
        app.doc.ws.sweeps[0].over,
        trainprint::model::SweepOver::Region(RegionSet::All)
    );
    // What the tab shows is the engine's sweep, every region ranked or skipped.
    let shown = app.rt.cache.sweep().unwrap().result.clone().unwrap();
    let want = sweep::run(&plan, &app.doc.ws.sweeps[0].over, &app.rt.catalogue).unwrap();
    assert_eq!(shown, want);
    assert_eq!(
        shown.variants.len() + shown.skipped.len(),
        app.rt.catalogue.regions().len()
    );
    // The lowest-carbon region's row: Add makes it a plan.
    let best = shown.variants[0].clone();
    let n = app.doc.ws.plans.len();
    // The table sits below the tall chart in the scroll area: bring the row into view, then click.
    h.get_all_by_label("Add").next().unwrap().scroll_to_me();
    h.run();
    h.get_all_by_label("Add").next().unwrap().click();
    h.run();
    let app = h.state();
    assert_eq!(app.doc.ws.plans.len(), n + 1);
    let added = app.doc.ws.plans.last().unwrap();
    assert_eq!(added.region, best.plan.region);
    assert_eq!(added.name, best.plan.name);
    // Removing the plan the sweep belongs to removes the sweep too.
    let mut h = h;
    h.state_mut()
        .apply(trainprint::model::Action::RemovePlan(0));
    h.run();
    assert!(h.state().doc.ws.sweeps.is_empty());
}

fn measured_fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/measured")
        .join(name)
}

#[test]
fn a_measured_run_is_imported_compared_with_a_plan_and_carried_back_undoably() {
    use trainprint::engine::actual_entry::entry_outcome;
    use trainprint::ui::measured_view::delta_text;
    let log = measured_fixture("nvidia-smi-units.csv");
    let dialogs = Scripted {
        measured: vec![log.clone()],
        ..Default::default()
    };
    let ws = measured_fixture("plans.ron");
    let mut app = App::new(None, Some(&ws), Box::new(dialogs)).unwrap();
    app.prefs.show_catalogue = false;
    app.prefs.show_charts = false;
    app.prefs.show_formula = false;
    let mut h = harness(app);
    assert_eq!(h.state().doc.ws.plans.len(), 5);
    // A bad file changes nothing and the banner names it.
    h.state_mut()
        .import_measured(&measured_fixture("bad/does-not-exist.csv"));
    h.run();
    assert!(h.state().doc.ws.measured.is_empty());
    assert!(
        h.state()
            .ui
            .banner
            .as_ref()
            .is_some_and(|b| b.text.contains("does-not-exist.csv")),
        "{:?}",
        h.state().ui.banner
    );
    h.get_by_role_and_label(Role::Button, "Import measured run…")
        .click();
    h.run();
    let app = h.state();
    assert_eq!(app.doc.ws.measured.len(), 1);
    let entry = &app.doc.ws.measured[0];
    assert_eq!(entry.file, "nvidia-smi-units.csv");
    // It starts compared with the baseline plan.
    assert_eq!(entry.against, Some(app.doc.ws.plans[0].id));
    // The column shows the run's numbers: 2481 J over 2 GPUs for 5 s = 248.1 W each (by hand).
    assert!(h.query_by_label(" measured ").is_some(), "the measured tag");
    assert!(
        h.query_by_label("nvidia-smi · nvidia-smi-units.csv")
            .is_some()
    );
    assert!(h.query_by_label("248.1 W").is_some(), "average power");
    assert!(h.query_by_label("2 ").is_none());
    assert!(h.query_by_label(&units::energy(2481.0 / 3.6e6)).is_some());
    assert!(h.query_by_label("— (none in the file)").is_some());
    // No grid in the file: the comparison asks for one; type an intensity.
    assert!(
        h.query_by_label_contains("The file has no grid intensity")
            .is_some()
    );
    assert!(
        h.query_by_label_contains("Give a region or an intensity above")
            .is_some()
    );
    // The measured column comes after the plans: its field is the last one so labelled.
    let last = |h: &Harness<'_, App>, label: &str| {
        h.query_all_by_role_and_label(Role::TextInput, label)
            .count()
            .checked_sub(1)
            .unwrap_or_else(|| panic!("no field {label}"))
    };
    let n = last(&h, "Intensity");
    type_into(&mut h, "Intensity", n, "50");
    assert_eq!(h.state().doc.ws.measured[0].intensity_g_per_kwh, Some(50.0));
    // Pick the compute plan (TDP power) to compare with.
    let target = "Compute: 125M parameters, 30k tokens";
    h.get_by_role_and_label(Role::ComboBox, "Compare with")
        .click();
    h.run();
    h.get_by_label(target).click();
    h.run();
    let app = h.state();
    let m = &app.doc.ws.measured[0];
    assert_eq!(m.against, Some(app.doc.ws.plans[2].id));
    let est: Vec<_> = (0..5)
        .map(|i| app.rt.cache.result(i).unwrap().as_ref().ok().cloned())
        .collect();
    let out = entry_outcome(m, &app.doc.ws, &app.rt.catalogue, |i| {
        est.get(i).and_then(Option::as_ref)
    });
    let cmp = out.comparison.unwrap();
    // Measured: the boards' 2481 J x the plan's PUE x 50 g/kWh; planned: the plan's own estimate.
    let pue = est[2].as_ref().unwrap().pue;
    assert!((cmp.measured_co2e_kg - 2481.0 / 3.6e6 * pue * 0.05).abs() < 1e-15);
    assert_eq!(cmp.planned_co2e_kg, est[2].as_ref().unwrap().total_co2e_kg);
    let delta = delta_text(&cmp);
    // The plan expects 6 x 1.25e8 x 3e4 FLOPs at MFU 0.4 on 2 A100s: 0.09 s; the run took 5 s, so duration
    // dominates and the gap is positive.
    assert!(delta.starts_with('+'), "{delta}");
    let (top, _) = cmp
        .contributions
        .iter()
        .copied()
        .fold(
            (None, 0.0),
            |(f, m), (g, kg)| if kg > m { (Some(g), kg) } else { (f, m) },
        );
    assert_eq!(top, Some(trainprint::engine::decompose::Factor::Duration));
    assert!(h.query_by_label(&delta).is_some(), "no label {delta}");
    // The planned total shows in the plan's column and again in the measured one.
    assert!(
        h.query_all_by_label(&units::co2e(cmp.planned_co2e_kg))
            .count()
            >= 2
    );
    // Carry the measured power back into the plan, then undo it.
    let before = h.state().doc.ws.plans[2].clone();
    assert_eq!(before.power, Power::Tdp { utilization: 1.0 });
    h.get_by_role_and_label(Role::Button, "Use measured power in plan")
        .click();
    h.run();
    let after = &h.state().doc.ws.plans[2];
    match after.power {
        Power::Watts(w) => assert!((w - 248.1).abs() < 1e-9, "{w}"),
        ref p => panic!("{p:?}"),
    }
    assert_eq!(after.duration, before.duration, "only the power changed");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(h.state().doc.ws.plans[2], before);
    assert_eq!(
        h.state().doc.ws.measured.len(),
        1,
        "undo took back the carry-back only"
    );
    // Given the tokens processed, the achieved throughput becomes the plan's MFU:
    // 30,000 tokens in 5.001 s (first to last sample) = 5,998.8 tokens/s; 6 x 1.25e8 x that / (2 x the A100's
    // BF16 peak, 312 TFLOP/s) = 0.00721.
    let n = last(&h, "Tokens processed");
    type_into(&mut h, "Tokens processed", n, "30000");
    h.get_by_role_and_label(Role::Button, "Use achieved throughput")
        .click();
    h.run();
    let peak = h
        .state()
        .rt
        .catalogue
        .accelerator("nvidia-a100-sxm4-40gb")
        .unwrap()
        .peak_flops(trainprint::model::Precision::Bf16)
        .unwrap();
    match h.state().doc.ws.plans[2].duration {
        trainprint::model::Duration::Compute { mfu: Some(m), .. } => {
            assert!(
                (m - 6.0 * 1.25e8 * (30_000.0 / 5.001) / (2.0 * peak)).abs() < 1e-9,
                "{m}"
            )
        }
        ref d => panic!("{d:?}"),
    }
    assert_eq!(h.state().doc.ws.plans[2].power, before.power);
    // Remove the measured run.
    // The column's right edge lies past the harness's width with five plans beside it: scroll it into view.
    h.get_by_role_and_label(Role::Button, "Remove")
        .scroll_to_me();
    h.run();
    h.get_by_role_and_label(Role::Button, "Remove").click();
    h.run();
    assert!(h.state().doc.ws.measured.is_empty());
}

mod a11y;
