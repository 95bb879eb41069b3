//! Shared widgets: labelled numeric inputs that flag an invalid value inline (with the reason) and never apply
//! it, searchable pickers, and small text helpers.

use eframe::egui::{self, Color32, RichText, Ui};

/// The colour of inline errors and fallback flags, readable in light and dark themes.
pub fn warn_color(ui: &Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(0xff, 0xb0, 0x4d)
    } else {
        Color32::from_rgb(0xb3, 0x4d, 0x00)
    }
}

/// The colour of errors.
pub fn error_color(ui: &Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(0xff, 0x7b, 0x72)
    } else {
        Color32::from_rgb(0xc0, 0x1c, 0x28)
    }
}

/// What a numeric field accepts: the model's checks, so a field's hint is the rule the reducer, the loaders and
/// the engine apply.
pub use crate::model::validate::Check as Rule;

/// Parses and checks user text against a rule; the error says why in words.
pub fn parse_checked(text: &str, rule: Rule) -> Result<f64, String> {
    let t = text.trim().replace('_', "");
    if t.is_empty() {
        return Err("enter a number".into());
    }
    let v: f64 = t
        .parse()
        .map_err(|_| format!("'{}' is not a number", text.trim()))?;
    rule.apply(v).map_err(|broken| broken.text().to_owned())
}

/// Text of a number for an input box: short but exact enough to round-trip what users type.
pub fn num_text(v: f64) -> String {
    if v != 0.0 && (v.abs() >= 1e9 || v.abs() < 1e-4) {
        format!("{v:e}")
    } else {
        let s = format!("{v}");
        if s.len() > 14 {
            crate::units::sig(v, 10)
        } else {
            s
        }
    }
}

#[derive(Clone, Debug, Default)]
struct Buffer {
    text: String,
    /// The model value the text was last synced with (bits, so NaN compares; inner `None`: empty).
    synced: Option<Option<u64>>,
    error: Option<String>,
}

/// In the browser: where this pass drew each labelled number field (label, rectangle in points), in drawing order,
/// for the browser test to click into (the page has no accessibility tree to find them by).
#[cfg(target_arch = "wasm32")]
#[derive(Clone, Debug, Default)]
pub struct FieldRects(pub Vec<(String, egui::Rect)>);

/// A labelled numeric input. Returns `Some(new value)` when the user typed a valid, different number;
/// an invalid entry shows its reason under the field and returns `None` (the model stays as it was).
///
/// `label` is visible and is what screen readers (and UI tests) read.
pub fn num_input(
    ui: &mut Ui,
    id_salt: impl egui::AsIdSalt,
    label: &str,
    value: f64,
    unit: &str,
    rule: Rule,
) -> Option<f64> {
    number_field(ui, id_salt, label, Some(value), unit, rule, None).flatten()
}

/// A labelled optional number: empty means none (the field then shows `empty` as its hint). Returns
/// `Some(new value)` when the user typed a valid, different one or emptied the field; an invalid entry shows its
/// reason under the field and returns `None`.
pub fn optional_number(
    ui: &mut Ui,
    id_salt: impl egui::AsIdSalt,
    label: &str,
    value: Option<f64>,
    unit: &str,
    rule: Rule,
    empty: &str,
) -> Option<Option<f64>> {
    number_field(ui, id_salt, label, value, unit, rule, Some(empty))
}

/// The one number field behind [`num_input`] and [`optional_number`]; `empty` is `Some(hint)` when the field may
/// be left empty.
fn number_field(
    ui: &mut Ui,
    id_salt: impl egui::AsIdSalt,
    label: &str,
    value: Option<f64>,
    unit: &str,
    rule: Rule,
    empty: Option<&str>,
) -> Option<Option<f64>> {
    let id = ui.make_persistent_id(id_salt);
    let mut buf: Buffer = ui.data_mut(|d| d.get_temp(id)).unwrap_or_default();
    let edit_id = id.with("edit");
    let bits = value.map(f64::to_bits);
    // Resync when the model changed under the field (undo, another panel); the field's own valid edits set
    // `synced` to what they emitted, so they never bounce back.
    if buf.synced != Some(bits) {
        buf.text = value.map(num_text).unwrap_or_default();
        buf.synced = Some(bits);
        buf.error = None;
    }
    let mut out = None;
    ui.horizontal(|ui| {
        let label_resp = ui.label(label);
        let has_error = buf.error.is_some();
        let mut edit = egui::TextEdit::singleline(&mut buf.text)
            .id(edit_id)
            .desired_width(if empty.is_some() { 110.0 } else { 90.0 });
        if let Some(hint) = empty {
            edit = edit.hint_text(hint);
        }
        if has_error {
            edit = edit.text_color(error_color(ui));
        }
        let resp = ui.add(edit).labelled_by(label_resp.id);
        #[cfg(target_arch = "wasm32")]
        ui.ctx().data_mut(|d| {
            d.get_temp_mut_or_default::<FieldRects>(egui::Id::NULL)
                .0
                .push((label.to_owned(), resp.rect));
        });
        if !unit.is_empty() {
            ui.weak(unit);
        }
        if resp.changed() {
            let parsed = if empty.is_some() && buf.text.trim().is_empty() {
                Ok(None)
            } else {
                parse_checked(&buf.text, rule).map(Some)
            };
            match parsed {
                Ok(v) => {
                    buf.error = None;
                    let new_bits = v.map(f64::to_bits);
                    if new_bits != bits {
                        out = Some(v);
                    }
                    buf.synced = Some(new_bits);
                }
                Err(e) => buf.error = Some(e),
            }
        }
    });
    if let Some(e) = &buf.error {
        ui.label(
            RichText::new(format!("{label}: {e} — not applied"))
                .color(error_color(ui))
                .small(),
        );
    }
    ui.data_mut(|d| d.insert_temp(id, buf));
    out
}

/// A drop-down of `options` after a label; a screen reader hears the label and the selected item.
pub fn choice<T: Copy + PartialEq>(
    ui: &mut Ui,
    id: &str,
    label: &str,
    value: &mut T,
    options: impl IntoIterator<Item = T>,
    text: impl Fn(T) -> &'static str,
) -> egui::Response {
    let l = ui.label(label);
    let response = egui::ComboBox::new(id, "")
        .selected_text(text(*value))
        .show_ui(ui, |ui| {
            for o in options {
                ui.selectable_value(value, o, text(o));
            }
        })
        .response
        .labelled_by(l.id);
    a11y::combo_value(ui, &response, text(*value));
    response
}

/// A labelled single-line text input; returns the new text when it changed.
pub fn text_input(
    ui: &mut Ui,
    id_salt: impl egui::AsIdSalt,
    label: &str,
    value: &str,
) -> Option<String> {
    let mut text = value.to_owned();
    let mut changed = false;
    ui.horizontal(|ui| {
        let label_resp = ui.label(label);
        let resp = ui
            .add(
                egui::TextEdit::singleline(&mut text)
                    .id(ui.make_persistent_id(id_salt))
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label_resp.id);
        changed = resp.changed();
    });
    changed.then_some(text)
}

/// A searchable picker: a combo box whose popup starts with a filter box. `items` gives (id, label, detail) and is
/// only called while the popup is open. Returns the chosen id.
pub fn search_combo(
    ui: &mut Ui,
    id_salt: impl egui::AsIdSalt + Copy,
    label: &str,
    selected_text: &str,
    items: impl FnOnce() -> Vec<(String, String, String)>,
    width: f32,
) -> Option<String> {
    let filter_id = ui.make_persistent_id(("combo-filter", label)).with(id_salt);
    let opened_id = filter_id.with("opened");
    let mut chosen = None;
    ui.horizontal(|ui| {
        let label_resp = ui.label(label);
        let resp = egui::ComboBox::new(id_salt, "")
            .selected_text(selected_text)
            .width(width)
            .height(320.0)
            .show_ui(ui, |ui| {
                let mut filter: String = ui.data_mut(|d| d.get_temp(filter_id)).unwrap_or_default();
                let f = ui.add(
                    egui::TextEdit::singleline(&mut filter)
                        .hint_text("search…")
                        .desired_width(f32::INFINITY),
                );
                // Typing goes to the search field as soon as the list opens.
                if !ui.data(|d| d.get_temp::<bool>(opened_id).unwrap_or(false)) {
                    f.request_focus();
                    ui.data_mut(|d| d.insert_temp(opened_id, true));
                }
                if f.changed() {
                    ui.data_mut(|d| d.insert_temp(filter_id, filter.clone()));
                }
                let needle = filter.to_lowercase();
                for (id, name, detail) in &items() {
                    if !needle.is_empty()
                        && !name.to_lowercase().contains(&needle)
                        && !id.to_lowercase().contains(&needle)
                        && !detail.to_lowercase().contains(&needle)
                    {
                        continue;
                    }
                    let r = ui
                        .selectable_label(name == selected_text, name)
                        .on_hover_text(detail);
                    if r.clicked() {
                        chosen = Some(id.clone());
                    }
                }
            });
        if resp.inner.is_none() {
            ui.data_mut(|d| d.insert_temp(opened_id, false));
        }
        let r = resp.response.labelled_by(label_resp.id);
        a11y::combo_value(ui, &r, selected_text);
    });
    chosen
}

/// Accessibility: names, values and states that egui does not give on its own, set on a widget's AccessKit node
/// (a no-op while no assistive technology, UI test or screen reader, asks for the tree).
pub mod a11y {
    use eframe::egui::{self, Id, Response, Ui, accesskit};

    /// Whether the screen readers here go through AT-SPI (Linux and the BSDs), whose AccessKit bridge passes on
    /// neither a combo box's value nor an expanded state: there both are also said in words (as description, and
    /// as a pressed toggle). UI Automation and macOS read the value and state themselves, and would say them twice.
    pub const ATSPI: bool = cfg!(all(
        unix,
        not(target_os = "macos"),
        not(target_arch = "wasm32")
    ));

    /// A combo box's selected item, as its value (UI Automation and macOS read it) and, under AT-SPI, as its
    /// description (AT-SPI has no string value for combo boxes, so Orca reads the selection from there).
    pub fn combo_value(ui: &Ui, combo: &Response, selected: &str) {
        ui.ctx().accesskit_node_builder(combo.id, |node| {
            node.set_value(selected);
            if ATSPI {
                node.set_description(selected);
            }
        });
    }

    /// [`combo_value`] in a builder chain: `.response.labelled_by(l.id).combo_value(ui, text)`.
    pub trait ComboValue {
        /// Sets the selected item as the combo box's value and description.
        fn combo_value(self, ui: &Ui, selected: &str);
    }

    impl ComboValue for Response {
        fn combo_value(self, ui: &Ui, selected: &str) {
            combo_value(ui, &self, selected);
        }
    }

    /// A collapsible section's state: expanded (AccessKit) and, under AT-SPI, pressed (it maps a disclosure button
    /// to a toggle button and reads only its pressed state) and "expanded"/"collapsed" in words.
    /// Call after the section was shown, with its header's response.
    pub fn expanded(ui: &Ui, header: &Response) {
        let open = egui::collapsing_header::CollapsingState::load(ui.ctx(), header.id)
            .is_some_and(|s| s.is_open());
        ui.ctx().accesskit_node_builder(header.id, |node| {
            node.set_expanded(open);
            if ATSPI {
                node.set_toggled(if open {
                    accesskit::Toggled::True
                } else {
                    accesskit::Toggled::False
                });
                node.set_description(if open { "expanded" } else { "collapsed" });
            }
        });
    }

    /// Makes `ui` a named landmark ("Catalogue", "Plans"): what it holds is grouped under that name, and screen
    /// readers can jump from region to region. Call first thing in the panel, before its widgets.
    pub fn region(ui: &Ui, label: &str) {
        ui.ctx().accesskit_node_builder(ui.unique_id(), |node| {
            node.set_role(accesskit::Role::Region);
            node.set_label(label);
        });
    }

    /// Makes the content of a scroll area (call first thing inside it) a named scroll view that clips its
    /// children to the visible part: fields scrolled out of view are then no longer reported as showing.
    pub fn scroll_view(ui: &Ui, label: &str) {
        let r = ui.clip_rect();
        ui.ctx().accesskit_node_builder(ui.unique_id(), |node| {
            node.set_role(accesskit::Role::ScrollView);
            node.set_label(label);
            node.set_bounds(accesskit::Rect {
                x0: r.min.x.into(),
                y0: r.min.y.into(),
                x1: r.max.x.into(),
                y1: r.max.y.into(),
            });
            node.set_clips_children();
        });
    }

    /// Names a node (a resize handle, a scroll bar, a plot) that egui leaves unnamed or names alike.
    /// Only a node the widget made this pass is named (a scroll bar not shown makes none).
    pub fn name(ctx: &egui::Context, id: Id, label: &str) {
        if ctx.has_accesskit_node(id) {
            ctx.accesskit_node_builder(id, |node| node.set_label(label));
        }
    }

    /// A chart panel as an image with a name (what it shows) and a description (its numbers); `texts` gives
    /// both and is only called while the tree is asked for.
    pub fn figure(ui: &Ui, id: Id, texts: impl FnOnce() -> (String, String)) {
        ui.ctx().accesskit_node_builder(id, |node| {
            let (label, description) = texts();
            node.set_role(accesskit::Role::Image);
            node.set_label(label);
            node.set_description(description);
        });
    }

    /// Names the resize handle of the panel shown in `parent` with `id_salt` (egui calls every one "Resize
    /// panel"): call after the panel was shown.
    pub fn name_resize_handle(parent: &Ui, id_salt: &str, label: &str) {
        let id = parent.scope_id().with(id_salt).with("__resize");
        name(parent.ctx(), id, label);
    }

    /// Names the scroll bars of the scroll area shown in `ui` with `id_salt` (call after it was shown).
    pub fn name_scroll_bars_of(
        ui: &Ui,
        id_salt: impl std::hash::Hash + std::fmt::Debug,
        what: &str,
    ) {
        // The scroll area keeps its salt as an `IdSalt` and salts its ui's id with that.
        name_scroll_bars(
            ui.ctx(),
            ui.make_persistent_id(egui::IdSalt::new(id_salt)),
            what,
        );
    }

    /// Names the scroll bars of a scroll area (`id`: its output's id), horizontal and vertical.
    pub fn name_scroll_bars(ctx: &egui::Context, id: Id, what: &str) {
        // egui's scroll area numbers its bars by axis: 0 horizontal, 1 vertical.
        name(ctx, id.with(0usize), &format!("Scroll {what} horizontally"));
        name(ctx, id.with(1usize), &format!("Scroll {what} vertically"));
    }
}
