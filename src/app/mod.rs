//! The desktop app. Its state is kept in three parts: the [`Document`] (the workspace with its undo history and
//! file, what Save writes), the [`Runtime`] (the effective catalogue, the cache of results and charts, background
//! jobs, network settings, the session) and transient UI state ([`UiState`], never saved). Each frame the panels
//! read a [`View`] and emit [`Command`]s; the commands run once (`commands.rs`), workspace edits through the
//! undoable reducer, and what depends on an edit is refreshed before the frame is painted.

pub mod cache;
mod commands;
mod dialogs;
mod jobs;
#[cfg(target_arch = "wasm32")]
pub mod web;
#[cfg(not(target_arch = "wasm32"))]
pub mod window;

#[cfg(not(target_arch = "wasm32"))]
pub use dialogs::NativeDialogs;
pub use dialogs::{FileDialogs, NoDialogs};
#[cfg(not(target_arch = "wasm32"))]
pub use window::run;

use crate::engine::derivation::Terms;
use crate::engine::plan_schedule::Settings;
use crate::model::{Action, Catalogue, History, Workspace};
use crate::persist::session::{Prefs, Restored, SessionDir, ThemeChoice};
use crate::persist::{FileError, presets, workspace};
use crate::ui::{self, Banner, UiState, View};
use cache::Cache;
use eframe::egui;
use std::path::{Path, PathBuf};

/// Seconds after the last edit before the session is autosaved.
const AUTOSAVE_DELAY_S: f64 = 1.5;

/// The document: what a workspace file holds, with its undo history, where it lives and whether it is saved.
#[derive(Debug)]
pub struct Document {
    /// The workspace.
    pub ws: Workspace,
    /// Undo and redo.
    pub history: History,
    /// The workspace file, if the document has one.
    pub file: Option<PathBuf>,
    /// Unsaved changes since the last Save/Open.
    pub dirty: bool,
    /// Bumped on every change (what is derived from the document is rebuilt when it moves).
    pub revision: u64,
}

/// Runtime state: derived from the document or the machine, rebuilt at start, never saved with the workspace.
pub struct Runtime {
    /// The built-in catalogue.
    pub presets: Catalogue,
    /// The effective catalogue: presets with the workspace's edits.
    pub catalogue: Catalogue,
    /// The edits `catalogue` was built from.
    catalogue_from: Option<crate::model::CatalogueEdits>,
    /// Results, schedules, charts and the derivation, recomputed only when their inputs change.
    pub cache: Cache,
    /// Where live intensity comes from (tests point it at a local server).
    pub net: crate::net::NetConfig,
    /// The cache of live readings (none in tests unless set).
    pub live_cache: Option<crate::net::cache::Cache>,
    /// The token file (none in tests unless set).
    pub token_file: Option<PathBuf>,
    session: Option<SessionDir>,
    /// In a browser: the session is kept in the browser's storage, written by the page when `store_due` is set.
    in_browser: bool,
    store_due: bool,
    autosave_due: Option<f64>,
    dialogs: Box<dyn FileDialogs>,
    applied_prefs: Option<(ThemeChoice, f32)>,
    quit_requested: bool,
    last_export_dir: Option<PathBuf>,
    export_job: Option<std::sync::mpsc::Receiver<jobs::ExportMsg>>,
    fetch_job: Option<jobs::FetchJob>,
    log_frames: bool,
    /// In a browser: a file being picked (the browser's file picker answers later).
    #[cfg(target_arch = "wasm32")]
    pick_job: Option<jobs::PickJob>,
}

/// The whole app state.
pub struct App {
    /// The document.
    pub doc: Document,
    /// Runtime state.
    pub rt: Runtime,
    /// Preferences (saved in their own file).
    pub prefs: Prefs,
    /// Transient UI state.
    pub ui: UiState,
}

/// The workspace a session starts with, and what to tell the user about how it was restored.
fn restore(restored: Restored, first: Workspace) -> (Workspace, Option<String>) {
    match restored {
        Restored::Nothing => (first, None),
        Restored::Workspace(ws) => (*ws, None),
        Restored::FromBackup {
            workspace,
            moved_to,
            error,
        } => (
            *workspace,
            Some(format!(
                "The autosaved session was damaged ({error}); it was moved to {} and the previous autosave restored.",
                moved_to.display()
            )),
        ),
        Restored::Damaged { moved_to, error } => (
            first,
            Some(format!(
                "The autosaved session was damaged ({error}); it was moved to {} and Trainprint started from the built-in example.",
                moved_to.display()
            )),
        ),
    }
}

impl App {
    /// A new app. With a session directory, the last session (workspace and preferences) is restored; without
    /// one (tests), it starts from the first example. `file` (from the command line) opens over the session.
    pub fn new(
        session: Option<SessionDir>,
        file: Option<&Path>,
        dialogs: Box<dyn FileDialogs>,
    ) -> Result<Self, FileError> {
        let prefs = match &session {
            Some(s) => s.load_prefs(),
            None => (Prefs::default(), None),
        };
        let restored = session
            .as_ref()
            .map_or(Restored::Nothing, SessionDir::restore);
        let mut app = App::start(restored, prefs, dialogs)?;
        if session.is_some() {
            app.rt.token_file = crate::net::token::user_path();
            app.rt.net.token = crate::net::token::load(app.rt.token_file.as_deref());
            app.rt.live_cache = crate::net::cache::Cache::user();
            app.rt.log_frames = std::env::var_os("TRAINPRINT_FRAMES").is_some();
        }
        app.rt.session = session;
        if let Some(path) = file {
            app.open_path(path);
        }
        app.refresh();
        Ok(app)
    }

    /// An app whose session is kept in the browser's storage: `restored` and `prefs` are what the page read from
    /// it (through the same strict loaders as the files); the page writes the session back when
    /// [`App::take_store_due`] says so.
    pub fn in_browser(
        restored: Restored,
        prefs: (Prefs, Option<FileError>),
        dialogs: Box<dyn FileDialogs>,
    ) -> Result<Self, FileError> {
        let mut app = App::start(restored, prefs, dialogs)?;
        app.rt.in_browser = true;
        // A file name from another machine means nothing here.
        app.prefs.file = None;
        app.doc.file = None;
        app.refresh();
        Ok(app)
    }

    fn start(
        restored: Restored,
        (prefs, prefs_error): (Prefs, Option<FileError>),
        dialogs: Box<dyn FileDialogs>,
    ) -> Result<Self, FileError> {
        let presets_cat = presets::catalogue()?;
        let first = presets::example_workspace(&presets::EXAMPLES[0])?;
        let (ws, restored) = restore(restored, first);
        let mut ui = UiState::default();
        if let Some(e) = prefs_error {
            ui.banner = Some(Banner::info(format!(
                "Preferences could not be read, using defaults: {e}"
            )));
        }
        if let Some(text) = restored {
            ui.banner = Some(Banner::info(text));
        }
        let catalogue = workspace::effective_catalogue(&presets_cat, &ws);
        Ok(App {
            doc: Document {
                ws,
                history: History::default(),
                file: prefs.file.clone(),
                dirty: false,
                revision: 0,
            },
            rt: Runtime {
                presets: presets_cat,
                catalogue,
                catalogue_from: None,
                cache: Cache::default(),
                net: crate::net::NetConfig::default(),
                live_cache: None,
                token_file: None,
                session: None,
                in_browser: false,
                store_due: false,
                autosave_due: None,
                dialogs,
                applied_prefs: None,
                quit_requested: false,
                last_export_dir: None,
                export_job: None,
                fetch_job: None,
                log_frames: false,
                #[cfg(target_arch = "wasm32")]
                pick_job: None,
            },
            prefs,
            ui,
        })
    }

    /// Recomputes what depends on the document: the effective catalogue (when the workspace's edits changed) and
    /// the results of the plans whose inputs changed.
    fn refresh(&mut self) {
        let edits_changed = self.rt.catalogue_edits_changed(&self.doc.ws);
        if edits_changed {
            self.rt.catalogue = workspace::effective_catalogue(&self.rt.presets, &self.doc.ws);
        }
        self.rt
            .cache
            .refresh(&self.doc.ws.plans, &self.rt.catalogue);
        if self.ui.selected_plan >= self.doc.ws.plans.len() {
            self.ui.selected_plan = self.doc.ws.plans.len().saturating_sub(1);
        }
    }

    /// Brings the schedules, the charts and the derivation up to date with the UI's choices (cheap when nothing
    /// changed).
    fn refresh_views(&mut self) {
        let focus = self.ui.selected_plan;
        let c = &mut self.rt.cache;
        c.refresh_schedules(
            &self.rt.catalogue,
            &self.doc.ws.plans,
            &self.ui.schedule,
            self.ui
                .imported_profile
                .as_ref()
                .map(|p| (self.ui.profile_version, p)),
        );
        if self.prefs.show_charts {
            c.refresh_charts(&self.doc.ws, self.doc.revision, focus, self.ui.chart_tab);
        }
        if self.prefs.show_charts && self.ui.chart_tab == crate::chart::ChartKind::Sweep {
            c.refresh_sweep(
                &self.doc.ws,
                &self.rt.catalogue,
                self.doc.revision,
                self.ui.sweep_index,
            );
        }
        c.refresh_measured(&self.doc.ws, &self.rt.catalogue, self.doc.revision);
        if self.prefs.show_formula {
            c.refresh_derivation(
                &self.doc.ws.plans,
                &self.rt.catalogue,
                focus,
                self.ui.formula_terms,
            );
        }
    }

    fn error(&mut self, text: impl Into<String>) {
        self.ui.banner = Some(Banner::error(text));
    }

    fn info(&mut self, text: impl Into<String>) {
        self.ui.banner = Some(Banner::info(text));
    }

    /// Applies one workspace edit with undo; an invalid edit is refused with a banner and changes nothing.
    pub fn apply(&mut self, action: Action) {
        match self
            .doc
            .history
            .apply(&mut self.doc.ws, &self.rt.presets, action)
        {
            Ok(()) => self.changed(),
            Err(e) => self.error(format!("Not applied: {e}")),
        }
    }

    fn changed(&mut self) {
        self.doc.dirty = true;
        self.doc.revision += 1;
        self.schedule_autosave();
        self.refresh();
    }

    fn schedule_autosave(&mut self) {
        if self.rt.session.is_some() || self.rt.in_browser {
            self.rt.autosave_due = Some(f64::NEG_INFINITY);
        }
    }

    /// Opens a workspace file; on failure the banner names file, line and column and nothing changes.
    pub fn open_path(&mut self, path: &Path) {
        match workspace::load(path) {
            Ok(ws) => self.opened(ws, Some(path.to_path_buf()), &path.display().to_string()),
            Err(e) => self.error(format!("Could not open: {e}")),
        }
    }

    /// Makes `ws` (read from `file`, or from a picked file in the browser, named `name`) the document.
    fn opened(&mut self, ws: Workspace, file: Option<PathBuf>, name: &str) {
        self.doc.history.clear();
        self.doc.ws = ws;
        self.doc.file = file;
        self.doc.revision += 1;
        self.prefs.file = self.doc.file.clone();
        self.doc.dirty = false;
        self.ui.selected_plan = 0;
        self.schedule_autosave();
        self.refresh();
        self.info(format!("Opened {name}"));
    }

    /// Loads an hourly intensity CSV for the schedule chart (every plan is scheduled over it).
    pub fn import_profile(&mut self, path: &Path) {
        match crate::persist::profiles::load_csv(path) {
            Ok(series) => self.profile_imported(series, &path.display().to_string()),
            Err(e) => self.error(format!("Could not import the profile: {e}")),
        }
    }

    fn profile_imported(&mut self, series: crate::persist::profiles::Series, name: &str) {
        self.info(format!(
            "Imported {} hours of intensity from {name}",
            series.values.len()
        ));
        self.ui.imported_profile = Some(series);
        self.ui.profile_version = self.ui.profile_version.wrapping_add(1).max(1);
    }

    fn save_to(&mut self, path: PathBuf) {
        match workspace::save(&path, &self.doc.ws, true) {
            Ok(()) => {
                self.info(format!("Saved {}", path.display()));
                self.doc.file = Some(path);
                self.prefs.file = self.doc.file.clone();
                self.doc.dirty = false;
                self.save_prefs();
            }
            Err(e) => self.error(format!("Could not save: {e}")),
        }
    }

    fn save_prefs(&mut self) {
        if self.rt.in_browser {
            self.rt.store_due = true;
        }
        if let Some(s) = &self.rt.session
            && let Err(e) = s.save_prefs(&self.prefs)
        {
            self.error(format!("Could not save preferences: {e}"));
        }
    }

    /// Writes the autosave now (if there is a session).
    pub fn autosave_now(&mut self) {
        self.rt.autosave_due = None;
        if self.rt.in_browser {
            self.rt.store_due = true;
        }
        if let Some(s) = &self.rt.session
            && let Err(e) = s.autosave(&self.doc.ws)
        {
            self.error(format!("Autosave failed: {e}"));
        }
    }

    /// In a browser: true (once) when the session should be written to the browser's storage now.
    pub fn take_store_due(&mut self) -> bool {
        std::mem::take(&mut self.rt.store_due)
    }

    /// The region whose live intensity is being fetched.
    pub fn fetching(&self) -> Option<&str> {
        self.rt.fetch_job.as_ref().map(|j| j.region.as_str())
    }

    /// True while an export runs in the background.
    pub fn exporting(&self) -> bool {
        self.rt.export_job.is_some()
    }

    fn apply_prefs(&mut self, ctx: &egui::Context) {
        let want = (self.prefs.theme, self.prefs.ui_scale);
        if self.rt.applied_prefs != Some(want) {
            ctx.set_theme(match self.prefs.theme {
                ThemeChoice::System => egui::ThemePreference::System,
                ThemeChoice::Light => egui::ThemePreference::Light,
                ThemeChoice::Dark => egui::ThemePreference::Dark,
            });
            ctx.set_zoom_factor(self.prefs.ui_scale);
            // A steady text cursor: a blinking one repaints the whole window twice a second while a field has
            // focus, which under software rendering is most of a CPU core.
            ctx.all_styles_mut(|s| s.visuals.text_cursor.blink = false);
            self.rt.applied_prefs = Some(want);
        }
    }

    /// Draws one frame into `ui` and applies what the panels asked for. Used by the window and by UI tests.
    pub fn frame(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if self.rt.log_frames {
            // TRAINPRINT_FRAMES=1: why each frame was drawn (how idle repaints are found).
            let causes: Vec<String> = ctx.repaint_causes().iter().map(|c| c.to_string()).collect();
            let wall = crate::clock::unix_seconds_f64();
            eprintln!(
                "trainprint: frame {} at {wall:.3}, pass {}, causes: {}",
                ctx.cumulative_frame_nr(),
                ctx.current_pass_index(),
                causes.join("; ")
            );
        }
        #[cfg(target_arch = "wasm32")]
        ctx.data_mut(|d| d.remove::<crate::ui::widgets::FieldRects>(egui::Id::NULL));
        self.apply_prefs(&ctx);
        self.poll_export();
        self.poll_fetch();
        #[cfg(target_arch = "wasm32")]
        self.poll_pick();
        self.refresh_views();
        let before = self.view_key();
        let mut commands = Vec::new();
        ui::top_bar::shortcuts(&ctx, &mut commands);
        {
            let view = View {
                ws: &self.doc.ws,
                catalogue: &self.rt.catalogue,
                presets: &self.rt.presets,
                outcomes: self.rt.cache.outcomes(),
                charts: self.rt.cache.charts(),
                measured: self.rt.cache.measured(),
                schedule: self.rt.cache.schedule(self.ui.selected_plan),
                derivation: self.rt.cache.derivation(),
                sweep: self.rt.cache.sweep(),
                prefs: &self.prefs,
                undo_label: self.doc.history.undo_label(),
                redo_label: self.doc.history.redo_label(),
                file: self.doc.file.as_deref(),
                dirty: self.doc.dirty,
                fetching_region: self.rt.fetch_job.as_ref().map(|j| j.region.as_str()),
                now_unix: crate::net::now_unix(),
                has_token: self.rt.net.token.is_some(),
                token_place: self.rt.token_file.as_deref(),
            };
            ui::show(ui, &view, &mut self.ui, &mut commands);
        }
        let any = !commands.is_empty();
        for cmd in commands {
            self.run_command(&ctx, cmd);
        }
        if any && self.view_key() == before {
            // A command that opened a window or started a job: show it on the next frame.
            ctx.request_repaint();
        } else if self.view_key() != before {
            // Something the panels show changed in this pass: refresh it and lay the frame out again before it is
            // painted, so an edit shows in the first painted frame (egui discards this pass, at most once).
            self.refresh_views();
            ctx.request_discard("an edit changed what the panels show");
        }
        // Autosave a moment after the last change, never inside the edit itself.
        let now = ctx.input(|i| i.time);
        match self.rt.autosave_due {
            Some(t) if t == f64::NEG_INFINITY => {
                self.rt.autosave_due = Some(now + AUTOSAVE_DELAY_S);
                ctx.request_repaint_after(std::time::Duration::from_secs_f64(AUTOSAVE_DELAY_S));
            }
            Some(t) if now >= t => self.autosave_now(),
            // A frame came before the save was due (or the timer fired a hair early): ask again for the rest, since
            // nothing else may draw a frame while the window is idle.
            Some(t) => ctx.request_repaint_after(std::time::Duration::from_secs_f64(t - now)),
            None => {}
        }
    }

    /// What the panels' content depends on besides the frame's input: when it moves during a pass, the pass is
    /// laid out again.
    fn view_key(
        &self,
    ) -> (
        u64,
        usize,
        Terms,
        Settings,
        u64,
        bool,
        (crate::chart::ChartKind, usize, bool),
    ) {
        (
            self.doc.revision,
            self.ui.selected_plan,
            self.ui.formula_terms,
            self.ui.schedule,
            self.ui.profile_version,
            self.ui.banner.is_some(),
            (
                self.ui.chart_tab,
                self.ui.sweep_index,
                self.prefs.show_charts,
            ),
        )
    }

    /// True once Quit was chosen.
    pub fn quit_requested(&self) -> bool {
        self.rt.quit_requested
    }
}

impl Runtime {
    /// True when the workspace's catalogue edits differ from those the effective catalogue was built from (then
    /// remembers them).
    fn catalogue_edits_changed(&mut self, ws: &Workspace) -> bool {
        if self.catalogue_from.as_ref() == Some(&ws.catalogue) {
            return false;
        }
        self.catalogue_from = Some(ws.catalogue.clone());
        true
    }
}
