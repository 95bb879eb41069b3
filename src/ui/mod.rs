//! The app's panels, one file each. A panel reads the model through a [`View`] and pushes [`Command`]s; the
//! app applies them once per frame (workspace edits through the undoable reducer).

pub mod catalogue_panel;
pub mod charts;
pub mod dialogs;
pub mod export_dialog;
pub mod formula;
pub mod palette;
pub mod plan_editor;
pub mod planning;
pub mod plans_view;
pub mod top_bar;
pub mod widgets;

use crate::app::cache::Cache;
use crate::engine::derivation::Terms;
use crate::model::{Action, Catalogue, Workspace};
use crate::persist::session::{Prefs, ThemeChoice};

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

/// Which chart is shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ChartTab {
    /// Energy and CO2e per plan, as bars.
    #[default]
    Totals,
    /// The breakdown by term, stacked.
    Breakdown,
    /// Cumulative energy and CO2e over training time.
    OverTime,
    /// CO2e against grid intensity and PUE.
    Sensitivity,
    /// CO2e against start time over the intensity curve.
    Schedule,
    /// P5–P95 ranges and the tornado.
    Uncertainty,
    /// What explains the difference from the baseline (waterfall).
    Difference,
}

impl ChartTab {
    /// All tabs in order.
    pub const ALL: [ChartTab; 7] = [
        ChartTab::Totals,
        ChartTab::Breakdown,
        ChartTab::OverTime,
        ChartTab::Sensitivity,
        ChartTab::Schedule,
        ChartTab::Uncertainty,
        ChartTab::Difference,
    ];

    /// Tab label.
    pub fn label(self) -> &'static str {
        match self {
            ChartTab::Totals => "Totals",
            ChartTab::Breakdown => "Breakdown",
            ChartTab::OverTime => "Over time",
            ChartTab::Sensitivity => "Sensitivity",
            ChartTab::Schedule => "When to run",
            ChartTab::Uncertainty => "Uncertainty",
            ChartTab::Difference => "Why different",
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
    pub schedule: crate::app::cache::ScheduleSettings,
    /// An imported hourly profile, used for every plan's schedule while set.
    pub imported_profile: Option<crate::persist::profiles::Series>,
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
    /// Cached estimates and chart series, one per plan.
    pub cache: &'a Cache,
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
