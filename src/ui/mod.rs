//! The app's panels, one file each. A panel reads the model through a [`View`] and pushes [`Command`]s; the
//! app applies them once per frame (workspace edits through the undoable reducer).

pub mod catalogue_panel;
pub mod charts;
pub mod dialogs;
pub mod export_dialog;
pub mod formula;
pub mod measured_view;
pub mod palette;
pub mod plan_editor;
pub mod planning;
pub mod plans_view;
pub mod plot;
pub mod sweep_view;
pub mod top_bar;
pub mod widgets;

use crate::chart::{Chart, ChartKind};
use crate::engine::derivation::Terms;
use crate::engine::plan_schedule::PlanSchedule;
use crate::engine::results::Outcome;
use crate::model::{Action, Catalogue, Workspace};
use crate::persist::session::{Prefs, ThemeChoice};
use eframe::egui;

/// The window's title, which is also its accessible name (what a screen reader says for the window).
pub const WINDOW_TITLE: &str = "Trainprint";

/// Something a panel asks the app to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// An undoable workspace edit.
    Apply(Action),
    /// Undo the last edit.
    Undo,
    /// Redo the last undone edit.
    Redo,
    /// End the current run of merged edits (a field lost focus).
    SealUndo,
    /// A blank workspace.
    New,
    /// File > Open…
    Open,
    /// Open a workspace file directly.
    OpenPath(std::path::PathBuf),
    /// Save to the current file (or ask where).
    Save,
    /// Save under a new name.
    SaveAs,
    /// Open an embedded example.
    OpenExample(usize),
    /// File > Export… (opens the export dialog)
    Export,
    /// Ask for the export destination folder.
    ChooseExportFolder,
    /// Run the export the dialog describes.
    StartExport,
    /// Copy the comparison table as Markdown to the clipboard.
    CopyMarkdown,
    /// Ask for a folder and write the shown sweep there: its chart (PNG, SVG), CSV and Markdown table.
    ExportSweep,
    /// Copy a chart's numbers as tab-separated text to the clipboard.
    CopyChartData(ChartKind),
    /// Quit the app.
    Quit,
    /// Select a plan (formula view, highlights).
    SelectPlan(usize),
    /// Change the theme.
    SetTheme(ThemeChoice),
    /// Change the UI scale.
    SetScale(f32),
    /// Show or hide a panel.
    TogglePanel(PanelKind),
    /// Open a help window.
    ShowWindow(WindowKind),
    /// Import an hourly intensity CSV for the schedule chart.
    ImportProfile,
    /// Import a measurement file (CodeCarbon, nvidia-smi, Carbontracker): each run becomes a measured column.
    ImportMeasured,
    /// Go back from the imported profile to the regions' own.
    ClearProfile,
    /// Fetch the live intensity of a region in the background.
    FetchLive(String),
    /// Stop waiting for the running fetch.
    CancelFetch,
    /// Store the Electricity Maps token (in its own owner-only file).
    SaveToken(Secret),
    /// Delete the stored token.
    DeleteToken,
    /// Ask before resetting the catalogue to the built-in presets.
    AskResetCatalogue,
    /// Close the banner.
    DismissBanner,
}

/// The panels that can be hidden.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PanelKind {
    /// The catalogue on the left.
    Catalogue,
    /// The charts below the plans.
    Charts,
    /// The formula view on the right.
    Formula,
}

/// The help windows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WindowKind {
    /// How the numbers are computed.
    Methodology,
    /// Where the catalogue's numbers come from.
    Sources,
    /// Keyboard shortcuts.
    Shortcuts,
    /// Version and licence.
    About,
    /// Settings (the Electricity Maps token).
    Settings,
}

/// Which catalogue tab is shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CatalogueTab {
    /// Accelerators.
    #[default]
    Accelerators,
    /// Regions.
    Regions,
    /// The utilisation table (typical MFU per accelerator, precision and workload).
    Utilization,
}

/// Which chart is shown: the chart model's kinds (one enum for the app and the exports).
pub type ChartTab = ChartKind;

/// How serious a banner message is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// Something happened that the user should know (restored from backup, saved to …).
    Info,
    /// Something failed; nothing changed.
    Error,
}

/// The one-line message at the top of the window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Banner {
    /// How serious.
    pub severity: Severity,
    /// The message.
    pub text: String,
}

impl Banner {
    /// A note.
    pub fn info(text: impl Into<String>) -> Self {
        Banner {
            severity: Severity::Info,
            text: text.into(),
        }
    }

    /// A failure.
    pub fn error(text: impl Into<String>) -> Self {
        Banner {
            severity: Severity::Error,
            text: text.into(),
        }
    }
}

/// Transient UI state: selections, tabs, open windows. Not saved.
#[derive(Clone, Debug, Default)]
pub struct UiState {
    /// The selected plan (formula view).
    pub selected_plan: usize,
    /// Catalogue tab.
    pub catalogue_tab: CatalogueTab,
    /// Catalogue search text.
    pub catalogue_search: String,
    /// The accelerator being edited.
    pub selected_accelerator: Option<String>,
    /// The region being edited.
    pub selected_region: Option<String>,
    /// The utilisation-table cell being viewed or edited.
    pub selected_utilization: Option<(String, crate::model::Precision, crate::model::Workload)>,
    /// The workload class the utilisation table lists (`None`: every class).
    pub utilization_workload: Option<crate::model::Workload>,
    /// Chart tab.
    pub chart_tab: ChartTab,
    /// Terms shown in the formula view.
    pub formula_terms: Terms,
    /// Open help window.
    pub window: Option<WindowKind>,
    /// The reset-catalogue confirmation is open.
    pub confirm_reset: bool,
    /// The export dialog, when open.
    pub export: Option<export_dialog::ExportDialog>,
    /// What is typed in the Settings token field.
    pub token_input: Secret,
    /// The schedule chart's settings.
    pub schedule: crate::engine::plan_schedule::Settings,
    /// An imported hourly profile, used for every plan's schedule while set.
    pub imported_profile: Option<crate::persist::profiles::Series>,
    /// Which imported profile is in use (0: none; bumped on every import).
    pub profile_version: u64,
    /// The banner, if any.
    pub banner: Option<Banner>,
    /// Which of the workspace's sweeps the Sweep tab shows.
    pub sweep_index: usize,
    /// The Sweep tab's form for a new sweep.
    pub sweep_draft: sweep_view::Draft,
}

/// Text that must never be printed (the token): `Debug` shows only its length.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secret({} chars)", self.0.chars().count())
    }
}

/// What a panel may read.
pub struct View<'a> {
    /// The workspace.
    pub ws: &'a Workspace,
    /// The effective catalogue (presets with the workspace's edits).
    pub catalogue: &'a Catalogue,
    /// The built-in presets (to mark edited and user-added entries).
    pub presets: &'a Catalogue,
    /// Every plan's results (estimate, uncertainty), in plan order.
    pub outcomes: &'a [Outcome],
    /// The data of every chart, in [`ChartKind::ALL`] order.
    pub charts: &'a [Chart],
    /// Every measured run's comparison with its plan, in workspace order.
    pub measured: &'a [crate::chart::actual::MeasuredView],
    /// The selected plan's schedule.
    pub schedule: Option<&'a PlanSchedule>,
    /// The formula view's derivation of the selected plan.
    pub derivation: Option<&'a crate::engine::derivation::Derivation>,
    /// The shown sweep, run (only while the Sweep tab is open).
    pub sweep: Option<&'a crate::chart::sweep::SweepView>,
    /// Preferences.
    pub prefs: &'a Prefs,
    /// What Undo would undo.
    pub undo_label: Option<&'a str>,
    /// What Redo would redo.
    pub redo_label: Option<&'a str>,
    /// The open file, if any.
    pub file: Option<&'a std::path::Path>,
    /// Unsaved changes since the file was saved or opened.
    pub dirty: bool,
    /// The region whose live intensity is being fetched, if any.
    pub fetching_region: Option<&'a str>,
    /// Now, seconds since 1970 UTC (for "fetched 5 min ago").
    pub now_unix: u64,
    /// Whether an Electricity Maps token is set (its value is never shown).
    pub has_token: bool,
    /// Where the token is stored, and whether the environment variable overrides it.
    pub token_place: Option<&'a std::path::Path>,
}

impl View<'_> {
    /// The estimate of plan `i`, if it could be estimated.
    pub fn estimate(&self, i: usize) -> Option<&crate::engine::Estimate> {
        self.outcomes.get(i).and_then(Outcome::ok)
    }

    /// Percentage change of a quantity of plan `i` against plan `baseline`.
    pub fn delta_pct(
        &self,
        i: usize,
        baseline: usize,
        f: impl Fn(&crate::engine::Estimate) -> f64,
    ) -> Option<f64> {
        crate::engine::delta_pct(f(self.estimate(i)?), f(self.estimate(baseline)?))
    }

    /// The data of chart `kind`.
    pub fn chart(&self, kind: ChartKind) -> Option<&Chart> {
        self.charts.iter().find(|c| c.kind == kind)
    }
}

/// The widest a side panel may be, in points: a share of the window, so that zooming in (or a small window) keeps
/// room for the plans and charts instead of squeezing them behind the side panels. At 100 % in the default window
/// the default sizes are below it.
pub fn side_panel_max(ctx: &egui::Context, share: f32) -> f32 {
    (ctx.content_rect().width() * share).max(160.0)
}

/// Places every panel: the menu bar, the catalogue (left), the formula (right), the charts and the plans
/// (centre), and the windows.
pub fn show(ui: &mut egui::Ui, view: &View<'_>, state: &mut UiState, out: &mut Vec<Command>) {
    let ctx = ui.ctx().clone();
    // egui leaves the window's node unnamed; it is named after the window title.
    ctx.accesskit_node_builder(egui::accesskit_root_id(), |node| {
        node.set_label(WINDOW_TITLE)
    });
    top_bar::show(ui, view, state.banner.as_ref(), out);
    if view.prefs.show_catalogue {
        catalogue_panel::show(ui, view, state, out);
    }
    if view.prefs.show_formula {
        formula::show(ui, view, state, out);
    }
    egui::CentralPanel::default().show(ui, |ui| {
        if view.prefs.show_charts {
            charts::show(ui, view, state, out);
        }
        plans_view::show(ui, view, state, out);
    });
    dialogs::show(&ctx, view, state, out);
    export_dialog::show(&ctx, view, &mut state.export, out);
}
