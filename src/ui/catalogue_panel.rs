//! The catalogue panel: Accelerators and Regions tabs, a searchable list showing each value's source and year
//! and whether the entry is built-in, edited or user-added, and an editor for the selected entry with every field
//! in unit-labelled inputs. Add, duplicate and delete are undoable; so is "Reset to built-in presets". A third tab
//! lists the utilisation table (typical MFU per accelerator, precision and workload, measured or derived) and edits
//! or resets its entries.

use super::widgets::a11y::ComboValue as _;
use super::widgets::{Rule, num_input, warn_color};
use super::{CatalogueTab, Command, UiState, View};
use crate::model::action::fresh_id;
use crate::model::catalogue::id_problem;
use crate::model::{
    Accelerator, Action, CloudRegion, Origin, PeakTflops, Precision, Region, UtilizationEntry,
    UtilizationOrigin, Workload,
};
use crate::units::sig;
use eframe::egui::{self, RichText, Ui};

fn accelerator_origin(view: &View<'_>, a: &Accelerator) -> Origin {
    match view.presets.accelerator(&a.id) {
        None => Origin::UserAdded,
        Some(p) if p == a => Origin::BuiltIn,
        Some(_) => Origin::Edited,
    }
}

fn region_origin(view: &View<'_>, r: &Region) -> Origin {
    match view.presets.region(&r.id) {
        None => Origin::UserAdded,
        Some(p) if p == r => Origin::BuiltIn,
        Some(_) => Origin::Edited,
    }
}

fn origin_badge(ui: &mut Ui, o: Origin) {
    match o {
        Origin::BuiltIn => {}
        Origin::Edited => {
            ui.label(RichText::new("(edited)").small().color(warn_color(ui)));
        }
        Origin::UserAdded => {
            ui.label(
                RichText::new("(user-added)")
                    .small()
                    .color(ui.visuals().hyperlink_color),
            );
        }
    }
}

/// The left-hand panel.
pub fn show(ui: &mut Ui, view: &View<'_>, state: &mut UiState, out: &mut Vec<Command>) {
    let max = super::side_panel_max(ui.ctx(), 0.3);
    egui::Panel::left("catalogue")
        .resizable(true)
        .default_size(380.0)
        .min_size(280.0_f32.min(max))
        .max_size(max)
        .show(ui, |ui| {
            super::widgets::a11y::region(ui, "Catalogue");
            ui.horizontal(|ui| {
                ui.heading("Catalogue");
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui
                        .small_button("Reset to built-in presets…")
                        .on_hover_text("Drop every catalogue edit (undoable; asks first)")
                        .clicked()
                    {
                        out.push(Command::AskResetCatalogue);
                    }
                });
            });
            // Wrapped: zoomed in, the third tab goes to a second row instead of past the panel's edge.
            ui.horizontal_wrapped(|ui| {
                ui.selectable_value(
                    &mut state.catalogue_tab,
                    CatalogueTab::Accelerators,
                    format!("Accelerators ({})", view.catalogue.accelerators().len()),
                );
                ui.selectable_value(
                    &mut state.catalogue_tab,
                    CatalogueTab::Regions,
                    format!("Regions ({})", view.catalogue.regions().len()),
                );
                ui.selectable_value(
                    &mut state.catalogue_tab,
                    CatalogueTab::Utilization,
                    "Utilisation (MFU)",
                );
            });
            ui.horizontal(|ui| {
                let l = ui.label("Search");
                ui.add(
                    egui::TextEdit::singleline(&mut state.catalogue_search)
                        .hint_text("name, id, vendor, country…")
                        .desired_width(f32::INFINITY),
                )
                .labelled_by(l.id);
            });
            match state.catalogue_tab {
                CatalogueTab::Accelerators => entries::<Accelerators>(ui, view, state, out),
                CatalogueTab::Regions => entries::<Regions>(ui, view, state, out),
                CatalogueTab::Utilization => utilization(ui, view, state, out),
            }
        });
    super::widgets::a11y::name_resize_handle(ui, "catalogue", "Resize catalogue panel");
}

fn matches(needle: &str, fields: &[&str]) -> bool {
    needle.is_empty() || fields.iter().any(|f| f.to_lowercase().contains(needle))
}

/// One kind of catalogue entry (accelerators, regions): the table, Add / Duplicate / Delete and the editor are
/// written once for both.
trait Kind {
    /// The entry type.
    type Item: Clone;
    /// A salt for widget ids.
    const SALT: &'static str;
    /// What a list of them is called ("accelerators").
    const PLURAL: &'static str;
    /// The table's column titles (name first).
    const COLUMNS: [&'static str; 4];
    /// What to say while nothing is selected.
    const PROMPT: &'static str;
    /// The id Add starts from.
    const NEW_ID: &'static str;
    /// Every entry of the effective catalogue.
    fn all<'v>(view: &'v View<'_>) -> &'v [Self::Item];
    /// The entry with this id.
    fn get<'v>(view: &'v View<'_>, id: &str) -> Option<&'v Self::Item>;
    /// Its id.
    fn id(item: &Self::Item) -> &str;
    /// Its display name.
    fn name(item: &Self::Item) -> &str;
    /// A copy with another id and name.
    fn renamed(item: &Self::Item, id: String, name: String) -> Self::Item;
    /// The texts the search looks in.
    fn search(item: &Self::Item) -> Vec<&str>;
    /// The table's other three cells.
    fn cells(item: &Self::Item) -> [String; 3];
    /// What hovering its name shows (id, source, year).
    fn hover(item: &Self::Item) -> String;
    /// Built-in, edited or added by the user.
    fn origin(view: &View<'_>, item: &Self::Item) -> Origin;
    /// A new entry for Add.
    fn blank(id: String) -> Self::Item;
    /// The selected id in the UI state.
    fn selected(state: &mut UiState) -> &mut Option<String>;
    /// Add or replace (undoable).
    fn upsert(item: Self::Item) -> Action;
    /// Remove (undoable).
    fn remove(id: String) -> Action;
    /// True when a plan uses the entry.
    fn in_use(view: &View<'_>, id: &str) -> bool;
    /// The entry's editor.
    fn editor(
        ui: &mut Ui,
        view: &View<'_>,
        item: &Self::Item,
        state: &mut UiState,
        out: &mut Vec<Command>,
    );
}

struct Accelerators;

impl Kind for Accelerators {
    type Item = Accelerator;
    const SALT: &'static str = "acc";
    const PLURAL: &'static str = "accelerators";
    const COLUMNS: [&'static str; 4] = ["Name", "TDP", "BF16", "Data year"];
    const PROMPT: &'static str =
        "Select an accelerator to see and edit every value with its source.";
    const NEW_ID: &'static str = "my-accelerator";
    fn all<'v>(view: &'v View<'_>) -> &'v [Accelerator] {
        view.catalogue.accelerators()
    }
    fn get<'v>(view: &'v View<'_>, id: &str) -> Option<&'v Accelerator> {
        view.catalogue.accelerator(id)
    }
    fn id(a: &Accelerator) -> &str {
        &a.id
    }
    fn name(a: &Accelerator) -> &str {
        &a.name
    }
    fn renamed(a: &Accelerator, id: String, name: String) -> Accelerator {
        Accelerator {
            id,
            name,
            ..a.clone()
        }
    }
    fn search(a: &Accelerator) -> Vec<&str> {
        vec![&a.id, &a.name, &a.vendor, &a.notes]
    }
    fn cells(a: &Accelerator) -> [String; 3] {
        [
            a.tdp_watts
                .map(|t| format!("{} W", sig(t, 4)))
                .unwrap_or_else(|| "—".into()),
            a.peak_tflops
                .bf16
                .map(|t| sig(t, 4))
                .unwrap_or_else(|| "—".into()),
            a.data_year.to_string(),
        ]
    }
    fn hover(a: &Accelerator) -> String {
        format!("{} · {} ({})", a.id, a.source, a.data_year)
    }
    fn origin(view: &View<'_>, a: &Accelerator) -> Origin {
        accelerator_origin(view, a)
    }
    fn blank(id: String) -> Accelerator {
        Accelerator {
            id,
            name: "My accelerator".into(),
            vendor: "—".into(),
            year: 2025,
            tdp_watts: Some(300.0),
            memory_gb: 80.0,
            peak_tflops: PeakTflops {
                bf16: Some(300.0),
                ..Default::default()
            },
            embodied_kgco2e: None,
            embodied_scope: String::new(),
            lifetime_years: None,
            source: "user entry".into(),
            data_year: 2025,
            checked_year: None,
            notes: String::new(),
        }
    }
    fn selected(state: &mut UiState) -> &mut Option<String> {
        &mut state.selected_accelerator
    }
    fn upsert(a: Accelerator) -> Action {
        Action::UpsertAccelerator {
            replaces: None,
            accelerator: Box::new(a),
        }
    }
    fn remove(id: String) -> Action {
        Action::RemoveAccelerator(id)
    }
    fn in_use(view: &View<'_>, id: &str) -> bool {
        view.ws.plans.iter().any(|p| p.accelerator == id)
    }
    fn editor(
        ui: &mut Ui,
        view: &View<'_>,
        a: &Accelerator,
        state: &mut UiState,
        out: &mut Vec<Command>,
    ) {
        accelerator_editor(ui, view, a, state, out);
    }
}

struct Regions;

impl Kind for Regions {
    type Item = Region;
    const SALT: &'static str = "reg";
    const PLURAL: &'static str = "regions";
    const COLUMNS: [&'static str; 4] = ["Name", "gCO2e/kWh", "PUE", "Data year"];
    const PROMPT: &'static str = "Select a region to see and edit every value with its source.";
    const NEW_ID: &'static str = "my-region";
    fn all<'v>(view: &'v View<'_>) -> &'v [Region] {
        view.catalogue.regions()
    }
    fn get<'v>(view: &'v View<'_>, id: &str) -> Option<&'v Region> {
        view.catalogue.region(id)
    }
    fn id(r: &Region) -> &str {
        &r.id
    }
    fn name(r: &Region) -> &str {
        &r.name
    }
    fn renamed(r: &Region, id: String, name: String) -> Region {
        Region {
            id,
            name,
            ..r.clone()
        }
    }
    fn search(r: &Region) -> Vec<&str> {
        let provider = r.cloud.as_ref().map(|c| c.provider.as_str()).unwrap_or("");
        vec![&r.id, &r.name, &r.country, provider, &r.notes]
    }
    fn cells(r: &Region) -> [String; 3] {
        [
            sig(r.intensity_g_per_kwh, 4),
            r.pue.map(|p| sig(p, 4)).unwrap_or_else(|| "—".into()),
            r.intensity_year.to_string(),
        ]
    }
    fn hover(r: &Region) -> String {
        format!(
            "{} · {} ({}) · {}",
            r.id, r.intensity_basis, r.intensity_year, r.source
        )
    }
    fn origin(view: &View<'_>, r: &Region) -> Origin {
        region_origin(view, r)
    }
    fn blank(id: String) -> Region {
        Region {
            id,
            name: "My region".into(),
            country: "—".into(),
            cloud: None,
            grid_zone: None,
            intensity_g_per_kwh: 400.0,
            intensity_basis: "user figure".into(),
            intensity_year: 2025,
            pue: None,
            pue_year: None,
            wue_l_per_kwh: None,
            wue_year: None,
            cfe_share: None,
            cfe_year: None,
            electricity_usd_per_kwh: None,
            price_year: None,
            source: "user entry".into(),
            notes: String::new(),
            live_zone: None,
            live: None,
        }
    }
    fn selected(state: &mut UiState) -> &mut Option<String> {
        &mut state.selected_region
    }
    fn upsert(r: Region) -> Action {
        Action::UpsertRegion {
            replaces: None,
            region: Box::new(r),
        }
    }
    fn remove(id: String) -> Action {
        Action::RemoveRegion(id)
    }
    fn in_use(view: &View<'_>, id: &str) -> bool {
        view.ws
            .plans
            .iter()
            .any(|p| p.region.as_deref() == Some(id))
    }
    fn editor(
        ui: &mut Ui,
        view: &View<'_>,
        r: &Region,
        state: &mut UiState,
        out: &mut Vec<Command>,
    ) {
        region_editor(ui, view, r, state, out);
    }
}

/// The table of one kind's entries; selecting one opens its editor below.
fn table<K: Kind>(ui: &mut Ui, view: &View<'_>, state: &mut UiState, height: f32) {
    let needle = state.catalogue_search.trim().to_lowercase();
    // Zoomed in, the panel is narrower than the table: it scrolls sideways to the last columns rather than cutting
    // them off. (Only then: a sideways-scrolling grid lays its name column out wider.)
    egui::ScrollArea::new([ui.ctx().zoom_factor() > 1.0, true])
        .id_salt((K::SALT, "list"))
        .max_height(height)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            super::widgets::a11y::scroll_view(ui, &format!("The {} list", K::PLURAL));
            egui::Grid::new((K::SALT, "grid"))
                .striped(true)
                .num_columns(4)
                .show(ui, |ui| {
                    for c in K::COLUMNS {
                        ui.strong(c);
                    }
                    ui.end_row();
                    for item in K::all(view) {
                        if !matches(&needle, &K::search(item)) {
                            continue;
                        }
                        let id = K::id(item);
                        let sel = K::selected(state).as_deref() == Some(id);
                        let origin = K::origin(view, item);
                        let mark = match origin {
                            Origin::BuiltIn => "",
                            Origin::Edited => " (edited)",
                            Origin::UserAdded => " (new)",
                        };
                        let hover = match origin {
                            Origin::BuiltIn => K::hover(item),
                            o => format!("{} · {}", K::hover(item), o.label()),
                        };
                        if ui
                            .selectable_label(sel, format!("{}{mark}", K::name(item)))
                            .on_hover_text(hover)
                            .clicked()
                        {
                            *K::selected(state) = Some(id.to_owned());
                        }
                        for cell in K::cells(item) {
                            ui.label(cell);
                        }
                        ui.end_row();
                    }
                });
        });
    super::widgets::a11y::name_scroll_bars_of(
        ui,
        (K::SALT, "list"),
        &format!("the {} list", K::PLURAL),
    );
}

/// Add, Duplicate and Delete for one kind (Delete warns when plans use the entry).
fn entry_buttons<K: Kind>(
    ui: &mut Ui,
    view: &View<'_>,
    state: &mut UiState,
    out: &mut Vec<Command>,
) {
    let taken = |c: &str| K::get(view, c).is_some();
    ui.horizontal(|ui| {
        if ui.button("Add").clicked() {
            let id = fresh_id(K::NEW_ID, taken);
            out.push(Command::Apply(K::upsert(K::blank(id.clone()))));
            *K::selected(state) = Some(id);
        }
        let selected = K::selected(state).clone().and_then(|id| K::get(view, &id));
        if ui
            .add_enabled(selected.is_some(), egui::Button::new("Duplicate"))
            .clicked()
            && let Some(item) = selected
        {
            let id = fresh_id(&format!("{}-copy", K::id(item)), taken);
            let copy = K::renamed(item, id.clone(), format!("{} (copy)", K::name(item)));
            out.push(Command::Apply(K::upsert(copy)));
            *K::selected(state) = Some(id);
        }
        let in_use = selected.is_some_and(|item| K::in_use(view, K::id(item)));
        if ui
            .add_enabled(selected.is_some(), egui::Button::new("Delete"))
            .on_hover_text(if in_use {
                "Plans use this entry: they will show an error until you pick another"
            } else {
                "Delete from this workspace's catalogue (undoable)"
            })
            .clicked()
            && let Some(item) = selected
        {
            out.push(Command::Apply(K::remove(K::id(item).to_owned())));
            *K::selected(state) = None;
        }
    });
}

/// One kind's tab: the table (the whole height while nothing is selected), the buttons, then the editor.
fn entries<K: Kind>(ui: &mut Ui, view: &View<'_>, state: &mut UiState, out: &mut Vec<Command>) {
    let selected = K::selected(state)
        .clone()
        .and_then(|id| K::get(view, &id).cloned());
    let buttons_h = ui.spacing().interact_size.y + ui.spacing().item_spacing.y * 3.0 + 8.0;
    let height = match selected {
        Some(_) => (ui.available_height() * 0.42).max(120.0),
        None => (ui.available_height() - buttons_h - 28.0).max(120.0),
    };
    table::<K>(ui, view, state, height);
    entry_buttons::<K>(ui, view, state, out);
    ui.separator();
    match selected {
        Some(item) => {
            egui::ScrollArea::vertical()
                .id_salt((K::SALT, "editor"))
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    super::widgets::a11y::scroll_view(ui, &format!("The {} editor", K::PLURAL));
                    K::editor(ui, view, &item, state, out);
                });
            super::widgets::a11y::name_scroll_bars_of(
                ui,
                (K::SALT, "editor"),
                &format!("the {} editor", K::PLURAL),
            );
        }
        None => {
            ui.add(egui::Label::new(RichText::new(K::PROMPT).weak()).wrap());
        }
    }
}

fn text_field(ui: &mut Ui, label: &str, value: &mut String, multiline: bool) -> bool {
    ui.horizontal(|ui| {
        let l = ui.label(label);
        let edit = if multiline {
            egui::TextEdit::multiline(value).desired_rows(2)
        } else {
            egui::TextEdit::singleline(value)
        };
        ui.add(edit.desired_width(f32::INFINITY))
            .labelled_by(l.id)
            .changed()
    })
    .inner
}

/// An id field that commits on Enter or when focus leaves, and only a valid, free id.
fn id_field(ui: &mut Ui, current: &str, taken: impl Fn(&str) -> bool) -> Option<String> {
    let buf_id = ui.make_persistent_id(("id-buf", current));
    let mut text: String = ui
        .data_mut(|d| d.get_temp(buf_id))
        .unwrap_or_else(|| current.to_owned());
    let mut commit = None;
    ui.horizontal(|ui| {
        let l = ui.label("Id");
        let r = ui
            .add(egui::TextEdit::singleline(&mut text).desired_width(f32::INFINITY))
            .labelled_by(l.id);
        let problem = if text == current {
            None
        } else if let Some(p) = id_problem(&text) {
            Some(p.to_owned())
        } else if taken(&text) {
            Some("already used".to_owned())
        } else {
            None
        };
        if r.lost_focus() {
            if problem.is_none() && text != current {
                commit = Some(text.clone());
            } else {
                text = current.to_owned();
            }
        }
        if let Some(p) = problem {
            ui.label(
                RichText::new(format!("Id {p} — not applied"))
                    .small()
                    .color(super::widgets::error_color(ui)),
            );
        }
    });
    if commit.is_some() {
        ui.data_mut(|d| d.remove::<String>(buf_id));
    } else {
        ui.data_mut(|d| d.insert_temp(buf_id, text));
    }
    commit
}

/// The year of an optional value: it starts at `default` when the value is added, goes with it, and is editable
/// while the value is set (an older entry without a year shows `default` until it is edited).
fn value_year(
    ui: &mut Ui,
    salt: impl egui::AsIdSalt,
    label: &str,
    had: bool,
    has: bool,
    year: &mut Option<u16>,
    default: u16,
) {
    if !has {
        *year = None;
        return;
    }
    if !had && year.is_none() {
        *year = Some(default);
    }
    let shown = year.unwrap_or(default);
    if let Some(v) = num_input(ui, salt, label, f64::from(shown), "", Rule::Year) {
        *year = Some(v as u16);
    }
}

fn optional_num(
    ui: &mut Ui,
    salt: impl egui::AsIdSalt,
    label: &str,
    value: &mut Option<f64>,
    default: f64,
    unit: &str,
    rule: Rule,
) {
    ui.horizontal(|ui| {
        let mut on = value.is_some();
        if ui
            .checkbox(&mut on, "")
            .on_hover_text(format!("{label} known"))
            .changed()
        {
            *value = on.then_some(default);
        }
        match value {
            Some(v) => {
                if let Some(n) = num_input(ui, salt, label, *v, unit, rule) {
                    *v = n;
                }
            }
            None => {
                ui.weak(format!("{label}: —"));
            }
        }
    });
}

fn accelerator_editor(
    ui: &mut Ui,
    view: &View<'_>,
    a: &Accelerator,
    state: &mut UiState,
    out: &mut Vec<Command>,
) {
    let mut e = a.clone();
    ui.horizontal(|ui| {
        ui.strong(&a.name);
        origin_badge(ui, accelerator_origin(view, a));
    });
    ui.label(
        RichText::new(format!("Source ({}): {}", a.data_year, a.source))
            .small()
            .weak(),
    );
    ui.add_space(4.0);
    if let Some(new_id) = id_field(ui, &a.id, |c| view.catalogue.accelerator(c).is_some()) {
        e.id = new_id.clone();
        state.selected_accelerator = Some(new_id);
    }
    text_field(ui, "Name", &mut e.name, false);
    text_field(ui, "Vendor", &mut e.vendor, false);
    let salt = |f: &str| ("acc-field", a.id.clone(), f.to_owned());
    if let Some(v) = num_input(
        ui,
        salt("year"),
        "Release year",
        f64::from(e.year),
        "",
        Rule::Year,
    ) {
        e.year = v as u16;
    }
    optional_num(
        ui,
        salt("tdp"),
        "TDP",
        &mut e.tdp_watts,
        300.0,
        "W",
        Rule::Positive,
    );
    if let Some(v) = num_input(ui, salt("mem"), "Memory", e.memory_gb, "GB", Rule::Positive) {
        e.memory_gb = v;
    }
    ui.label(RichText::new("Peak dense throughput (no sparsity)").strong());
    for p in Precision::ALL {
        let slot = e.peak_tflops.slot_mut(p);
        optional_num(
            ui,
            salt(p.as_str()),
            p.label(),
            slot,
            100.0,
            "TFLOP/s",
            Rule::Positive,
        );
    }
    ui.label(RichText::new("Embodied carbon").strong());
    optional_num(
        ui,
        salt("emb"),
        "Embodied",
        &mut e.embodied_kgco2e,
        60.0,
        "kgCO2e/device",
        Rule::Positive,
    );
    if e.embodied_kgco2e.is_some() {
        text_field(ui, "Scope", &mut e.embodied_scope, false);
        if e.embodied_scope.trim().is_empty() {
            e.embodied_scope = "user figure".into();
        }
    }
    optional_num(
        ui,
        salt("life"),
        "Lifetime",
        &mut e.lifetime_years,
        4.0,
        "years",
        Rule::Positive,
    );
    ui.label(RichText::new("Provenance").strong());
    text_field(ui, "Source", &mut e.source, true);
    if let Some(v) = num_input(
        ui,
        salt("dy"),
        "Data year",
        f64::from(e.data_year),
        "",
        Rule::Year,
    ) {
        e.data_year = v as u16;
    }
    text_field(ui, "Notes", &mut e.notes, true);
    if e != *a {
        out.push(Command::Apply(Action::UpsertAccelerator {
            replaces: Some(a.id.clone()),
            accelerator: Box::new(e),
        }));
    }
}

/// A region's data-centre figures, each optional with its own year: PUE, WUE, carbon-free share, price.
fn data_centre_fields(ui: &mut Ui, id: &str, e: &mut Region) {
    let salt = |f: &str| ("reg-field", id.to_owned(), f.to_owned());
    ui.label(RichText::new("Data centre").strong());
    let y0 = e.intensity_year;
    type Field<'e> = (
        &'static str,
        &'static str,
        &'e mut Option<f64>,
        f64,
        &'static str,
        Rule,
        &'static str,
        &'e mut Option<u16>,
    );
    let fields: [Field<'_>; 4] = [
        (
            "pue",
            "PUE",
            &mut e.pue,
            1.2,
            "",
            Rule::AtLeastOne,
            "PUE year",
            &mut e.pue_year,
        ),
        (
            "wue",
            "WUE",
            &mut e.wue_l_per_kwh,
            0.2,
            "L/kWh",
            Rule::Positive,
            "WUE year",
            &mut e.wue_year,
        ),
        (
            "cfe",
            "CFE share",
            &mut e.cfe_share,
            0.5,
            "0–1",
            Rule::Share,
            "CFE year",
            &mut e.cfe_year,
        ),
        (
            "price",
            "Electricity",
            &mut e.electricity_usd_per_kwh,
            0.1,
            "USD/kWh",
            Rule::Positive,
            "Price year",
            &mut e.price_year,
        ),
    ];
    for (key, label, value, default, unit, rule, year_label, year) in fields {
        let had = value.is_some();
        optional_num(ui, salt(key), label, value, default, unit, rule);
        let has = value.is_some();
        value_year(ui, salt(&format!("{key}y")), year_label, had, has, year, y0);
    }
}

/// The cloud provider and its region name (both empty: not a cloud region).
fn cloud_fields(ui: &mut Ui, e: &mut Region) {
    let mut provider = e
        .cloud
        .as_ref()
        .map(|c| c.provider.clone())
        .unwrap_or_default();
    let mut cloud_region = e
        .cloud
        .as_ref()
        .map(|c| c.region.clone())
        .unwrap_or_default();
    let a = text_field(ui, "Cloud provider", &mut provider, false);
    let b = text_field(ui, "Cloud region", &mut cloud_region, false);
    if a || b {
        let dash = |s: String| if s.trim().is_empty() { "—".into() } else { s };
        e.cloud =
            (!provider.trim().is_empty() || !cloud_region.trim().is_empty()).then(|| CloudRegion {
                provider: dash(provider),
                region: dash(cloud_region),
            });
    }
}

fn region_editor(
    ui: &mut Ui,
    view: &View<'_>,
    r: &Region,
    state: &mut UiState,
    out: &mut Vec<Command>,
) {
    let mut e = r.clone();
    ui.horizontal(|ui| {
        ui.strong(&r.name);
        origin_badge(ui, region_origin(view, r));
    });
    ui.label(
        RichText::new(format!("Source: {}", r.source))
            .small()
            .weak(),
    );
    ui.add_space(4.0);
    if let Some(new_id) = id_field(ui, &r.id, |c| view.catalogue.region(c).is_some()) {
        e.id = new_id.clone();
        state.selected_region = Some(new_id);
    }
    text_field(ui, "Name", &mut e.name, false);
    text_field(ui, "Country", &mut e.country, false);
    let salt = |f: &str| ("reg-field", r.id.clone(), f.to_owned());
    ui.label(RichText::new("Grid").strong());
    if let Some(v) = num_input(
        ui,
        salt("ci"),
        "Intensity",
        e.intensity_g_per_kwh,
        "gCO2e/kWh",
        Rule::Positive,
    ) {
        e.intensity_g_per_kwh = v;
    }
    if let Some(v) = num_input(
        ui,
        salt("ciy"),
        "Intensity year",
        f64::from(e.intensity_year),
        "",
        Rule::Year,
    ) {
        e.intensity_year = v as u16;
    }
    text_field(ui, "Basis", &mut e.intensity_basis, true);
    let mut zone = e.grid_zone.clone().unwrap_or_default();
    if text_field(ui, "Grid zone", &mut zone, false) {
        e.grid_zone = (!zone.trim().is_empty()).then_some(zone);
    }
    data_centre_fields(ui, &r.id, &mut e);
    cloud_fields(ui, &mut e);
    live_section(ui, view, r, &mut e, out);
    ui.label(RichText::new("Provenance").strong());
    text_field(ui, "Source", &mut e.source, true);
    text_field(ui, "Notes", &mut e.notes, true);
    if e != *r {
        out.push(Command::Apply(Action::UpsertRegion {
            replaces: Some(r.id.clone()),
            region: Box::new(e),
        }));
    }
}

/// The region's live intensity: provider and zone, fetch (in the background, with a spinner and Cancel), the
/// reading with its provider and age, and one click back to the catalogue value.
fn live_section(ui: &mut Ui, view: &View<'_>, r: &Region, e: &mut Region, out: &mut Vec<Command>) {
    use crate::model::{LiveZone, ProviderKind};
    ui.label(RichText::new("Live intensity (online)").strong());
    let zone = r.effective_live_zone();
    let mut provider = zone
        .as_ref()
        .map(|z| z.provider)
        .or(Some(ProviderKind::ElectricityMaps));
    let mut zone_text = zone.as_ref().map(|z| z.zone.clone()).unwrap_or_default();
    ui.horizontal(|ui| {
        let l = ui.label("Provider");
        egui::ComboBox::new(("live-provider", &r.id), "")
            .selected_text(provider.map(|p| p.label()).unwrap_or("none"))
            .show_ui(ui, |ui| {
                for p in ProviderKind::ALL {
                    ui.selectable_value(&mut provider, Some(p), p.label());
                }
            })
            .response
            .labelled_by(l.id)
            .combo_value(ui, provider.map(|p| p.label()).unwrap_or("none"));
    });
    let zone_changed = text_field(ui, "Zone", &mut zone_text, false);
    let new_zone = provider.map(|p| LiveZone {
        provider: p,
        zone: zone_text.trim().to_owned(),
    });
    if (zone_changed || new_zone != zone) && new_zone.as_ref().is_some_and(|z| !z.zone.is_empty()) {
        e.live_zone = new_zone;
    }
    if provider == Some(ProviderKind::ElectricityMaps) && !view.has_token {
        ui.label(
            RichText::new("Electricity Maps needs a token: Edit > Settings…")
                .small()
                .color(warn_color(ui)),
        );
    }
    ui.horizontal(|ui| {
        let fetching_this = view.fetching_region == Some(r.id.as_str());
        if fetching_this {
            ui.spinner();
            ui.label("Fetching…");
            if ui.button("Cancel").clicked() {
                out.push(Command::CancelFetch);
            }
        } else if ui
            .add_enabled(
                zone.is_some() && view.fetching_region.is_none(),
                egui::Button::new("Fetch live intensity"),
            )
            .clicked()
        {
            out.push(Command::FetchLive(r.id.clone()));
        }
    });
    if let Some(live) = &r.live {
        ui.label(
            RichText::new(format!(
                "Live: {} gCO2e/kWh — {} zone {}, for {}, fetched {} ago{}",
                sig(live.intensity_g_per_kwh, 4),
                live.provider.label(),
                live.zone,
                live.datetime,
                crate::net::age_text(live.fetched_at_unix, view.now_unix),
                if live.forecast.is_empty() {
                    String::new()
                } else {
                    format!("; forecast of {} points kept", live.forecast.len())
                }
            ))
            .color(ui.visuals().hyperlink_color),
        );
        if ui
            .button(format!(
                "Restore catalogue value ({} gCO2e/kWh, {})",
                sig(r.intensity_g_per_kwh, 4),
                r.intensity_year
            ))
            .clicked()
        {
            out.push(Command::Apply(Action::SetLive {
                region: r.id.clone(),
                live: None,
            }));
        }
    }
}

/// One row of the utilisation list.
struct CellRow {
    accelerator: String,
    name: String,
    precision: Precision,
    workload: Workload,
    entry: UtilizationEntry,
    origin: UtilizationOrigin,
}

fn cell_rows(view: &View<'_>, needle: &str, workload: Option<Workload>) -> Vec<CellRow> {
    let table = view.catalogue.utilization();
    let mut rows = Vec::new();
    for a in view.catalogue.accelerators() {
        if !matches(needle, &[&a.id, &a.name, &a.vendor]) {
            continue;
        }
        for p in a.peak_tflops.available() {
            for w in Workload::ALL {
                if workload.is_some_and(|x| x != w) {
                    continue;
                }
                if let Some((entry, origin)) = table.entry(a, p, w) {
                    rows.push(CellRow {
                        accelerator: a.id.clone(),
                        name: a.name.clone(),
                        precision: p,
                        workload: w,
                        entry,
                        origin,
                    });
                }
            }
        }
    }
    rows
}

/// The utilisation tab: every accelerator x precision x workload with its typical MFU, range, measurement count
/// and whether it is measured, derived by the rule or the workspace's own; the selected cell's sources, rule and
/// an editor.
fn utilization(ui: &mut Ui, view: &View<'_>, state: &mut UiState, out: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        let l = ui.label("Workload");
        egui::ComboBox::new("util-workload", "")
            .selected_text(
                state
                    .utilization_workload
                    .map(|w| w.label())
                    .unwrap_or("every class"),
            )
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut state.utilization_workload, None, "every class");
                for w in Workload::ALL {
                    ui.selectable_value(&mut state.utilization_workload, Some(w), w.label())
                        .on_hover_text(w.description());
                }
            })
            .response
            .labelled_by(l.id)
            .combo_value(
                ui,
                state
                    .utilization_workload
                    .map(|w| w.label())
                    .unwrap_or("every class"),
            );
    });
    let needle = state.catalogue_search.trim().to_lowercase();
    let rows = cell_rows(view, &needle, state.utilization_workload);
    let list_height = (ui.available_height() * 0.5).max(140.0);
    egui::ScrollArea::new([ui.ctx().zoom_factor() > 1.0, true])
        .id_salt("util-list")
        .max_height(list_height)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            super::widgets::a11y::scroll_view(ui, "The utilisation table");
            egui::Grid::new("util-grid")
                .striped(true)
                .num_columns(5)
                .show(ui, |ui| {
                    ui.strong("Accelerator · precision · workload");
                    ui.strong("MFU");
                    ui.strong("Range");
                    ui.strong("n");
                    ui.strong("Basis");
                    ui.end_row();
                    for r in &rows {
                        let key = (r.accelerator.clone(), r.precision, r.workload);
                        let sel = state.selected_utilization.as_ref() == Some(&key);
                        let text = format!("{} · {} · {}", r.name, r.precision.label(), r.workload);
                        if ui
                            .selectable_label(sel, text)
                            .on_hover_text(r.entry.sources.join("; "))
                            .clicked()
                        {
                            state.selected_utilization = Some(key);
                        }
                        ui.label(sig(r.entry.mfu, 3));
                        ui.label(format!("{}–{}", sig(r.entry.low, 3), sig(r.entry.high, 3)));
                        ui.label(r.entry.n.to_string());
                        origin_label(ui, r.origin);
                        ui.end_row();
                    }
                });
        });
    super::widgets::a11y::name_scroll_bars_of(ui, "util-list", "the utilisation table");
    ui.separator();
    let selected = state.selected_utilization.as_ref().and_then(|(a, p, w)| {
        let acc = view.catalogue.accelerator(a)?;
        view.catalogue
            .utilization()
            .entry(acc, *p, *w)
            .map(|(e, o)| (acc, e, o))
    });
    match selected {
        Some((acc, entry, origin)) => {
            egui::ScrollArea::vertical()
                .id_salt("util-editor")
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    super::widgets::a11y::scroll_view(ui, "The utilisation entry");
                    utilization_editor(ui, acc, entry, origin, out);
                });
            super::widgets::a11y::name_scroll_bars_of(ui, "util-editor", "the utilisation entry");
        }
        None => {
            if let Some(rule) = view.catalogue.utilization().rule() {
                ui.label(RichText::new("How the table is made").strong());
                ui.label(RichText::new(&rule.method).small());
            }
            ui.weak("Select a row to see its sources and edit it.");
        }
    }
}

fn origin_label(ui: &mut Ui, o: UtilizationOrigin) {
    let text = RichText::new(o.label()).small();
    match o {
        UtilizationOrigin::Measured => ui.label(text),
        UtilizationOrigin::Derived | UtilizationOrigin::Rule => ui.label(text.italics()),
        UtilizationOrigin::Edited => ui.label(text.color(warn_color(ui))),
    };
}

/// The selected utilisation cell: its value and range (editable, stored in the workspace), measurement count,
/// year, sources and the rule that filled it; Reset drops the workspace's own entry.
fn utilization_editor(
    ui: &mut Ui,
    acc: &Accelerator,
    entry: UtilizationEntry,
    origin: UtilizationOrigin,
    out: &mut Vec<Command>,
) {
    ui.label(
        RichText::new(format!(
            "{} at {} for {}",
            acc.name,
            entry.precision.label(),
            entry.workload.description()
        ))
        .strong(),
    );
    ui.horizontal(|ui| {
        ui.label(format!(
            "{} · {} measurement{} · {}",
            origin.label(),
            entry.n,
            if entry.n == 1 { "" } else { "s" },
            entry.year
        ));
        if origin == UtilizationOrigin::Edited
            && ui
                .small_button("Reset to built-in")
                .on_hover_text("Drop this workspace's own entry (undoable)")
                .clicked()
        {
            out.push(Command::Apply(Action::ResetUtilization {
                accelerator: entry.accelerator.clone(),
                precision: entry.precision,
                workload: entry.workload,
            }));
        }
    });
    let mut e = entry.clone();
    let salt = (e.accelerator.clone(), e.precision, e.workload);
    if let Some(v) = num_input(ui, (&salt, "mfu"), "Typical MFU", e.mfu, "", Rule::Fraction) {
        e.mfu = v;
    }
    if let Some(v) = num_input(ui, (&salt, "low"), "MFU low", e.low, "", Rule::Fraction) {
        e.low = v;
    }
    if let Some(v) = num_input(ui, (&salt, "high"), "MFU high", e.high, "", Rule::Fraction) {
        e.high = v;
    }
    if !(e.low <= e.mfu && e.mfu <= e.high) {
        ui.label(
            RichText::new("The range must contain the typical MFU — not applied")
                .small()
                .color(super::widgets::error_color(ui)),
        );
    }
    if let Some(d) = &e.derived {
        ui.label(RichText::new(d).small().italics());
    }
    ui.label(RichText::new("Sources").strong());
    for s in &e.sources {
        ui.label(RichText::new(format!("• {s}")).small());
    }
    if e != entry && e.low <= e.mfu && e.mfu <= e.high {
        // An edited value is the user's: it is no longer the rule's, and its sources say so.
        if e.mfu != entry.mfu || e.low != entry.low || e.high != entry.high {
            e.derived = None;
            e.n = 0;
            if !e.sources.iter().any(|s| s == "edited in this workspace") {
                e.sources.insert(0, "edited in this workspace".into());
            }
        }
        out.push(Command::Apply(Action::SetUtilization(Box::new(e))));
    }
}
