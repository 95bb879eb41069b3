//! What a screen reader gets, read from the AccessKit tree the app builds (no screen reader needed): the window's
//! name, combo box values, chart names and descriptions, expanded states, named panels, resize handles and scroll
//! bars, clipping of scrolled-out fields; and the keyboard paths (add a plan, pick from a drop-down, switch chart
//! tabs, copy a chart's data, zoom).

use super::{Scripted, app_with, harness};
use eframe::egui::accesskit::{Role, Toggled};
use eframe::egui::{self, Key, Modifiers, OutputCommand};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use trainprint::app::App;
use trainprint::chart::ChartKind;
use trainprint::model::{Duration, Price};
use trainprint::persist::session::SessionDir;
use trainprint::ui::widgets::a11y;

/// A harness whose state also keeps every text the app put on the clipboard (a key press spans two passes, and
/// the harness keeps only the last pass's output).
fn clipboard_harness(app: App) -> Harness<'static, (App, Vec<String>)> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1900.0, 1400.0))
        .with_max_steps(60)
        .build_ui_state(
            |ui, (app, copied): &mut (App, Vec<String>)| {
                app.frame(ui);
                ui.ctx().output(|o| {
                    for c in &o.commands {
                        if let OutputCommand::CopyText(t) = c {
                            copied.push(t.clone());
                        }
                    }
                });
            },
            (app, Vec::new()),
        );
    h.run();
    h
}

#[test]
fn the_window_is_named_after_its_title_and_each_panel_is_a_named_region() {
    let h = harness(app_with(Scripted::default()));
    assert_eq!(trainprint::ui::WINDOW_TITLE, "Trainprint");
    let root = h.root();
    assert_eq!(root.accesskit_node().role(), Role::Window);
    assert_eq!(root.accesskit_node().label().as_deref(), Some("Trainprint"));
    for name in ["Catalogue", "Plans", "Charts", "Formula"] {
        assert_eq!(
            h.query_all_by_role_and_label(Role::Region, name).count(),
            1,
            "one region named {name}"
        );
    }
    // The plan editor's fields sit inside the Plans region.
    let count = h
        .get_all_by_role_and_label(Role::TextInput, "Count")
        .next()
        .unwrap();
    let mut up = count.parent();
    let mut regions = Vec::new();
    while let Some(n) = up {
        if n.accesskit_node().role() == Role::Region {
            regions.push(n.accesskit_node().label().unwrap_or_default());
        }
        up = n.parent();
    }
    assert_eq!(regions, ["Plans"]);
}

#[test]
fn resize_handles_and_scroll_bars_say_which_panel_they_belong_to() {
    // A smaller window, where the lists scroll.
    let mut h = Harness::builder()
        .with_size(egui::vec2(1200.0, 800.0))
        .with_max_steps(60)
        .build_ui_state(
            |ui, app: &mut App| app.frame(ui),
            app_with(Scripted::default()),
        );
    h.run();
    let handles: Vec<String> = h
        .query_all_by_role(Role::Splitter)
        .map(|n| n.accesskit_node().label().unwrap_or_default())
        .collect();
    assert_eq!(
        handles,
        [
            "Resize catalogue panel",
            "Resize formula panel",
            "Resize charts panel"
        ]
    );
    let bars: Vec<String> = h
        .query_all_by_role(Role::ScrollBar)
        .map(|n| n.accesskit_node().label().unwrap_or_default())
        .collect();
    assert!(!bars.is_empty());
    assert!(
        bars.iter().all(|b| b.starts_with("Scroll ")),
        "every scroll bar is named: {bars:?}"
    );
    assert!(bars.contains(&"Scroll the accelerators list vertically".to_owned()));
}

#[test]
fn every_combo_box_exposes_its_selected_item_as_value_and_description() {
    let mut h = harness(app_with(Scripted::default()));
    let app = h.state();
    let plans = app.doc.ws.plans.clone();
    let cat = app.rt.catalogue.clone();
    assert_eq!(plans.len(), 2);
    let values = |h: &Harness<'_, App>, label: &str| -> Vec<(String, String)> {
        h.query_all_by_role_and_label(Role::ComboBox, label)
            .map(|n| {
                let a = n.accesskit_node();
                (
                    a.value().unwrap_or_default(),
                    a.description().unwrap_or_default(),
                )
            })
            .collect()
    };
    // Under AT-SPI the selection is the description too (its bridge passes no string value on).
    let expect = |h: &Harness<'_, App>, label: &str, want: &[&str]| {
        let got = values(h, label);
        let want: Vec<(String, String)> = want
            .iter()
            .map(|w| {
                let described = if a11y::ATSPI { *w } else { "" };
                ((*w).to_owned(), described.to_owned())
            })
            .collect();
        assert_eq!(got, want, "{label}");
    };
    // By hand: the example compares 64 A100s with 64 H100s, both sized by 6·N·D in BF16 for an LLM.
    expect(
        &h,
        "Accelerator",
        &["NVIDIA A100 SXM4 80GB", "NVIDIA H100 SXM5 80GB"],
    );
    expect(&h, "Duration", &["Compute: 6·N·D", "Compute: 6·N·D"]);
    expect(&h, "Precision", &["BF16", "BF16"]);
    expect(&h, "Workload", &["LLM (decoder)", "LLM (decoder)"]);
    let regions: Vec<String> = plans
        .iter()
        .map(|p| {
            cat.region(p.region.as_deref().unwrap())
                .unwrap()
                .name
                .clone()
        })
        .collect();
    expect(&h, "Region", &[&regions[0], &regions[1]]);
    let price = |p: &Price| match p {
        Price::None => "No cost",
        Price::RegionElectricity => "Region's electricity price",
        Price::UsdPerKwh(_) => "USD per kWh",
        Price::UsdPerAcceleratorHour(_) => "USD per accelerator-hour",
    };
    expect(
        &h,
        "Cost",
        &[price(&plans[0].price), price(&plans[1].price)],
    );
    expect(&h, "Plan", &[&plans[0].name]);

    // The value follows the model: the formula view shows the second plan.
    h.get_all_by_role_and_label(Role::Button, "Show formula")
        .nth(1)
        .unwrap()
        .click();
    h.run();
    expect(&h, "Plan", &[&plans[1].name]);
}

#[test]
fn sections_expose_their_expanded_state() {
    let mut h = harness(app_with(Scripted::default()));
    let state =
        |h: &Harness<'_, App>, label: &str| -> Vec<(Option<bool>, Option<Toggled>, String)> {
            h.query_all_by_label(label)
                .filter(|n| n.accesskit_node().role() == Role::DisclosureTriangle)
                .map(|n| {
                    let a = n.accesskit_node();
                    (
                        a.data().is_expanded(),
                        a.data().toggled(),
                        a.description().unwrap_or_default(),
                    )
                })
                .collect()
        };
    // Under AT-SPI also pressed and in words (its bridge drops the expanded state).
    let (open, closed) = if a11y::ATSPI {
        (
            (Some(true), Some(Toggled::True), "expanded".to_owned()),
            (Some(false), Some(Toggled::False), "collapsed".to_owned()),
        )
    } else {
        (
            (Some(true), None, String::new()),
            (Some(false), None, String::new()),
        )
    };
    assert_eq!(state(&h, "Inputs"), [open.clone(), open.clone()]);
    assert_eq!(
        state(&h, "Uncertainty ranges"),
        [closed.clone(), closed.clone()]
    );
    // Opening the second plan's ranges (keyboard: focus and Enter) says so.
    h.get_all_by_label("Uncertainty ranges")
        .nth(1)
        .unwrap()
        .focus();
    h.run();
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(
        state(&h, "Uncertainty ranges"),
        [closed.clone(), open.clone()]
    );
    // Folding the first plan's inputs away.
    h.get_all_by_label("Inputs").next().unwrap().click();
    h.run();
    assert_eq!(state(&h, "Inputs"), [closed, open]);
}

#[test]
fn each_chart_is_an_image_named_for_what_it_shows_and_described_by_its_numbers() {
    let mut h = harness(app_with(Scripted::default()));
    for kind in [ChartKind::Totals, ChartKind::Breakdown, ChartKind::OverTime] {
        if kind != ChartKind::Totals {
            h.get_by_role_and_label(Role::Button, kind.label()).click();
            h.run();
        }
        let chart = h.state().rt.cache.chart(kind).unwrap().clone();
        let images: Vec<(String, String)> = h
            .query_all_by_role(Role::Image)
            .map(|n| {
                let a = n.accesskit_node();
                (
                    a.label().unwrap_or_default(),
                    a.description().unwrap_or_default(),
                )
            })
            .collect();
        let want: Vec<(String, String)> = chart
            .panels
            .iter()
            .map(|p| (chart.panel_name(p), chart.panel_description(p)))
            .collect();
        assert_eq!(images, want, "{kind:?}");
    }
    // By hand, the Totals chart of the example: the names say which chart and panel, the descriptions carry the
    // axes and each plan's value with its unit, the very numbers of the bars.
    h.get_by_role_and_label(Role::Button, "Totals").click();
    h.run();
    let app = h.state();
    let names: Vec<String> = h
        .query_all_by_role(Role::Image)
        .map(|n| n.accesskit_node().label().unwrap())
        .collect();
    assert_eq!(names[0], "Totals chart: Facility energy (MWh)");
    assert!(names[1].starts_with("Totals chart: Total CO2e (tCO2e)"));
    let energy = h
        .query_all_by_role(Role::Image)
        .next()
        .unwrap()
        .accesskit_node()
        .description()
        .unwrap();
    assert!(energy.contains("Horizontal axis: plan. Vertical axis: Facility energy (MWh)."));
    for (i, p) in app.doc.ws.plans.iter().enumerate() {
        let kwh = app
            .rt
            .cache
            .result(i)
            .unwrap()
            .as_ref()
            .unwrap()
            .facility_energy_kwh;
        let mwh = trainprint::units::sig(kwh / 1000.0, 4);
        assert!(
            energy.contains(&format!("{}: {mwh} MWh.", p.name)),
            "{energy} has {}: {mwh} MWh",
            p.name
        );
    }
}

#[test]
fn copy_chart_data_puts_one_tab_separated_row_per_bar_on_the_clipboard() {
    let mut h = clipboard_harness(app_with(Scripted::default()));
    // Keyboard only: focus the button and press Enter.
    h.get_by_role_and_label(Role::Button, "Copy chart data")
        .focus();
    h.run();
    assert!(h.state().1.is_empty());
    h.key_press(Key::Enter);
    h.run();
    let (app, copied) = h.state();
    assert_eq!(copied.len(), 1, "copied once");
    let text = copied[0].clone();
    let chart = app.rt.cache.chart(ChartKind::Totals).unwrap();
    assert_eq!(text, chart.data_tsv());
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(
        rows[0],
        [
            "Panel", "Series", "X axis", "X", "Y axis", "Y", "Low", "High"
        ]
    );
    // By hand: plan i's facility energy in MWh, then its CO2e in t with its P5–P95 whisker.
    let plans = &app.doc.ws.plans;
    for (i, p) in plans.iter().enumerate() {
        let e = app.rt.cache.result(i).unwrap().as_ref().unwrap();
        let row = rows
            .iter()
            .find(|r| r[0] == "Facility energy (MWh)" && r[3] == p.name)
            .unwrap_or_else(|| panic!("no energy row for {}", p.name));
        let mwh: f64 = row[5].parse().unwrap();
        assert!(
            (mwh - e.facility_energy_kwh / 1000.0).abs() < 1e-5 * mwh,
            "{row:?}"
        );
        let row = rows
            .iter()
            .find(|r| r[0].starts_with("Total CO2e (tCO2e)") && r[3] == p.name && !r[5].is_empty())
            .unwrap_or_else(|| panic!("no CO2e row for {}", p.name));
        let t: f64 = row[5].parse().unwrap();
        assert!((t - e.total_co2e_kg / 1000.0).abs() < 1e-5 * t, "{row:?}");
    }
    // Two panels, each a bar per plan, and one whisker per plan on the CO2e panel.
    assert_eq!(rows.len(), 1 + 3 * plans.len());
    assert!(
        h.query_by_label_contains("Copied the Totals chart's data: 6 rows")
            .is_some()
    );
}

#[test]
fn the_keyboard_alone_adds_a_plan_picks_from_a_drop_down_and_switches_chart_tabs() {
    let mut h = harness(app_with(Scripted::default()));
    // Add a plan: focus the button, Enter.
    h.get_by_role_and_label(Role::Button, "Add plan").focus();
    h.run();
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(h.state().doc.ws.plans.len(), 3);

    // Pick a duration mode: focus the combo box, Enter opens it, arrows move through the items, Enter picks.
    let duration = |h: &Harness<'_, App>| h.state().doc.ws.plans[0].duration.clone();
    assert!(matches!(duration(&h), Duration::Compute { .. }));
    h.get_all_by_role_and_label(Role::ComboBox, "Duration")
        .next()
        .unwrap()
        .focus();
    h.run();
    h.key_press(Key::Enter);
    h.run();
    assert!(
        h.query_by_role(Role::ListBox).is_some(),
        "Enter opens the list"
    );
    // Down from the combo box reaches the first item, "Wall-clock hours".
    h.key_press(Key::ArrowDown);
    h.run();
    h.key_press(Key::Enter);
    h.run();
    assert!(
        matches!(duration(&h), Duration::WallHours(_)),
        "{:?}",
        duration(&h)
    );
    assert_eq!(
        h.get_all_by_role_and_label(Role::ComboBox, "Duration")
            .next()
            .unwrap()
            .accesskit_node()
            .value()
            .as_deref(),
        Some("Wall-clock hours")
    );

    // Switch the chart tab: focus a tab and press Space.
    h.get_by_role_and_label(Role::Button, "Over time").focus();
    h.run();
    h.key_press(Key::Space);
    h.run();
    assert!(h.query_all_by_role(Role::Image).any(|n| {
        n.accesskit_node()
            .label()
            .unwrap()
            .starts_with("Over time chart:")
    }));

    // Open the formula view of a plan: "Show formula" is a button.
    h.get_all_by_role_and_label(Role::Button, "Show formula")
        .nth(2)
        .unwrap()
        .focus();
    h.run();
    h.key_press(Key::Space);
    h.run();
    assert_eq!(h.state().ui.selected_plan, 2);

    // Export: Ctrl+E opens the dialog.
    h.key_press_modifiers(Modifiers::COMMAND, Key::E);
    h.run();
    assert!(h.state().ui.export.is_some());
}

#[test]
fn fields_scrolled_out_of_view_are_clipped_by_their_scroll_view() {
    let mut app = app_with(Scripted::default());
    app.prefs.show_catalogue = false;
    let h = Harness::builder()
        .with_size(egui::vec2(1200.0, 800.0))
        .with_max_steps(60)
        .build_ui_state(|ui, app: &mut App| app.frame(ui), app);
    let mut h = h;
    h.run();
    let view = h.get_by_role_and_label(Role::ScrollView, "Plan columns");
    assert!(view.accesskit_node().data().clips_children());
    let view_box = view.accesskit_node().bounding_box().unwrap();
    let inside = |label: &str| {
        let n = h
            .get_all_by_role_and_label(Role::ComboBox, label)
            .next()
            .unwrap();
        let b = n.accesskit_node().bounding_box().unwrap();
        !b.intersect(view_box).is_empty()
    };
    assert!(inside("Accelerator"));
    assert!(!inside("Cost"), "the Cost picker is below the fold");
    // AccessKit's own filter (what AT-SPI reports as showing) leaves it out, and keeps the visible one.
    let filtered = |label: &str| {
        let n = h
            .get_all_by_role_and_label(Role::ComboBox, label)
            .next()
            .unwrap();
        accesskit_consumer::common_filter(&n.accesskit_node())
    };
    assert_eq!(
        filtered("Accelerator"),
        accesskit_consumer::FilterResult::Include
    );
    assert_eq!(
        filtered("Cost"),
        accesskit_consumer::FilterResult::ExcludeSubtree
    );
}

#[test]
fn ctrl_plus_and_minus_zoom_and_the_zoom_is_remembered() {
    let dir = std::env::temp_dir().join(format!("trainprint-ui-zoom-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let session = SessionDir::at(&dir);
    let app = App::new(Some(session.clone()), None, Box::new(Scripted::default())).unwrap();
    let mut h = harness(app);
    for _ in 0..5 {
        h.key_press_modifiers(Modifiers::COMMAND, Key::Plus);
        h.run();
    }
    assert_eq!(h.state().prefs.ui_scale, 1.5);
    assert_eq!(h.ctx.zoom_factor(), 1.5);
    // Ctrl+= (the plus key without Shift) zooms in too, Ctrl+minus out.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Equals);
    h.run();
    assert_eq!(h.state().prefs.ui_scale, 1.6);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Minus);
    h.run();
    assert_eq!(h.state().prefs.ui_scale, 1.5);
    // Remembered: the next start reads 150 % back.
    let (prefs, err) = session.load_prefs();
    assert!(err.is_none(), "{err:?}");
    assert_eq!(prefs.ui_scale, 1.5);
    let again =
        harness(App::new(Some(session.clone()), None, Box::new(Scripted::default())).unwrap());
    assert_eq!(again.state().prefs.ui_scale, 1.5);
    assert_eq!(again.ctx.zoom_factor(), 1.5);
    // Ctrl+0 goes back to 100 %.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Num0);
    h.run();
    assert_eq!(h.state().prefs.ui_scale, 1.0);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_chart_of_every_example_has_data_rows_and_descriptions() {
    use trainprint::persist::presets::EXAMPLES;
    for (x, ex) in EXAMPLES.iter().enumerate() {
        let mut h = harness(app_with(Scripted::default()));
        h.get_by_label("File").click();
        h.run();
        h.get_by_label("Examples").click();
        h.run();
        h.get_by_role_and_label(Role::Button, ex.title).click();
        h.run();
        for kind in ChartKind::ALL {
            // The app builds a chart's data when its tab is shown.
            h.state_mut().ui.chart_tab = kind;
            h.run();
            let Some(chart) = h.state().rt.cache.chart(kind) else {
                panic!("example {x} {kind:?}: no chart data with its tab shown");
            };
            let text = chart.data_tsv();
            let rows: Vec<&str> = text.lines().collect();
            if chart.panels.is_empty() {
                // Nothing to plot (a plan without wall-clock hours has no schedule): a note says why.
                assert!(!chart.notes.is_empty(), "example {x} {kind:?}");
                assert_eq!(rows.len(), 1);
                continue;
            }
            assert!(rows.len() > 1, "example {x} {kind:?}: no data rows");
            for r in &rows {
                assert_eq!(r.split('\t').count(), 8, "example {x} {kind:?}: {r}");
            }
            for p in &chart.panels {
                let d = chart.panel_description(p);
                assert!(
                    d.contains(&format!("Vertical axis: {}.", p.y.label)),
                    "example {x} {kind:?}: {d}"
                );
            }
        }
    }
}
