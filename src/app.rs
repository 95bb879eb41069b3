//! The desktop app: owns the workspace (with undo), the effective catalogue, the per-plan cache, preferences and
//! transient UI state; draws the panels each frame and applies the commands they emit, once.

pub mod cache;
pub mod window;

pub use window::run;

use crate::model::{Action, Catalogue, History, TrainingPlan, Workspace};
use crate::persist::session::{Prefs, Restored, SessionDir, ThemeChoice};
use crate::persist::{FileError, presets, workspace};
use crate::ui::{self, Command, PanelKind, UiState, View};
use cache::Cache;
use eframe::egui;
use std::path::{Path, PathBuf};

/// Seconds after the last edit before the session is autosaved.
const AUTOSAVE_DELAY_S: f64 = 1.5;

/// Native file dialogs (rfd), or scripted answers in tests.
pub trait FileDialogs {
    /// Choose a workspace to open.
    fn open(&mut self) -> Option<PathBuf>;
    /// Choose where to save a workspace.
    fn save(&mut self, suggested_name: &str) -> Option<PathBuf>;
    /// Choose a folder (exports).
    fn folder(&mut self) -> Option<PathBuf>;
    /// Choose an hourly intensity profile (CSV) to import; none by default.
    fn open_profile(&mut self) -> Option<PathBuf> {
        None
    }
}

/// The platform's dialogs, through `rfd` (the XDG desktop portal on Linux).
pub struct NativeDialogs;

impl FileDialogs for NativeDialogs {
    fn open(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter("Trainprint workspace", &["ron"])
            .set_title("Open workspace")
            .pick_file()
    }
    fn save(&mut self, suggested_name: &str) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter("Trainprint workspace", &["ron"])
            .set_title("Save workspace")
            .set_file_name(suggested_name)
            .save_file()
    }
    fn folder(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .set_title("Export to folder")
            .pick_folder()
    }
    fn open_profile(&mut self) -> Option<PathBuf> {
        rfd::FileDialog::new()
            .add_filter("Hourly intensity (datetime,intensity_g_per_kwh)", &["csv"])
            .set_title("Import an hourly intensity profile")
            .pick_file()
    }
}

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

/// The whole app state.
pub struct App {
    /// The built-in catalogue.
    pub presets: Catalogue,
    /// The document.
    pub ws: Workspace,
    /// Undo and redo.
    pub history: History,
    /// The effective catalogue: presets with the workspace's edits.
    pub catalogue: Catalogue,
    /// Estimates and chart series per plan.
    pub cache: Cache,
    /// Preferences.
    pub prefs: Prefs,
    /// Transient UI state.
    pub ui: UiState,
    /// The workspace file, if the document has one.
    pub file: Option<PathBuf>,
    /// Unsaved changes since the last Save/Open.
    pub dirty: bool,
    /// The banner, if any.
    pub banner: Option<Banner>,
    session: Option<SessionDir>,
    autosave_due: Option<f64>,
    dialogs: Box<dyn FileDialogs>,
    applied_prefs: Option<(ThemeChoice, f32)>,
    quit_requested: bool,
    last_export_dir: Option<PathBuf>,
    export_job: Option<std::sync::mpsc::Receiver<ExportMsg>>,
    /// Where live intensity comes from (tests point it at a local server).
    pub net: crate::net::NetConfig,
    /// The cache of live readings (none in tests unless set).
    pub live_cache: Option<crate::net::cache::Cache>,
    /// The token file (none in tests unless set).
    pub token_file: Option<PathBuf>,
    fetch_job: Option<FetchJob>,
}

/// A live-intensity fetch running on its own thread.
struct FetchJob {
    region: String,
    zone: crate::model::LiveZone,
    rx: std::sync::mpsc::Receiver<Result<crate::net::Reading, crate::net::NetError>>,
}

/// What the export thread reports.
enum ExportMsg {
    /// A file was written.
    Wrote(PathBuf),
    /// The export ended.
    Done(Result<(), String>),
}

impl App {
    /// A new app. With a session directory, the last session (workspace and preferences) is restored; without
    /// one (tests), it starts from the first example. `file` (from the command line) opens over the session.
    pub fn new(
        session: Option<SessionDir>,
        file: Option<&Path>,
        dialogs: Box<dyn FileDialogs>,
    ) -> Result<Self, FileError> {
        let presets_cat = presets::catalogue()?;
        let first = presets::example_workspace(&presets::EXAMPLES[0])?;
        let mut banner = None;
        let (prefs, prefs_error) = match &session {
            Some(s) => s.load_prefs(),
            None => (Prefs::default(), None),
        };
        if let Some(e) = prefs_error {
            banner = Some(Banner {
                severity: Severity::Info,
                text: format!("Preferences could not be read, using defaults: {e}"),
            });
        }
        let ws = match session.as_ref().map(SessionDir::restore) {
            None | Some(Restored::Nothing) => first,
            Some(Restored::Workspace(ws)) => *ws,
            Some(Restored::FromBackup {
                workspace,
                moved_to,
                error,
            }) => {
                banner = Some(Banner {
                    severity: Severity::Info,
                    text: format!(
                        "The autosaved session was damaged ({error}); it was moved to {} and the previous autosave restored.",
                        moved_to.display()
                    ),
                });
                *workspace
            }
            Some(Restored::Damaged { moved_to, error }) => {
                banner = Some(Banner {
                    severity: Severity::Info,
                    text: format!(
                        "The autosaved session was damaged ({error}); it was moved to {} and Trainprint started from the built-in example.",
                        moved_to.display()
                    ),
                });
                first
            }
        };
        let catalogue = workspace::effective_catalogue(&presets_cat, &ws);
        let mut app = App {
            presets: presets_cat,
            ws,
            history: History::default(),
            catalogue,
            cache: Cache::default(),
            file: prefs.file.clone(),
            prefs,
            ui: UiState::default(),
            dirty: false,
            banner,
            session,
            autosave_due: None,
            dialogs,
            applied_prefs: None,
            quit_requested: false,
            last_export_dir: None,
            export_job: None,
            net: crate::net::NetConfig::default(),
            live_cache: None,
            token_file: None,
            fetch_job: None,
        };
        if app.session.is_some() {
            app.token_file = crate::net::token::user_path();
            app.net.token = crate::net::token::load(app.token_file.as_deref());
            app.live_cache = crate::net::cache::Cache::user();
        }
        if let Some(path) = file {
            app.open_path(path);
        }
        app.refresh();
        Ok(app)
    }

    fn refresh(&mut self) {
        self.catalogue = workspace::effective_catalogue(&self.presets, &self.ws);
        self.cache.refresh(&self.ws.plans, &self.catalogue);
        if self.ui.selected_plan >= self.ws.plans.len() {
            self.ui.selected_plan = self.ws.plans.len().saturating_sub(1);
        }
    }

    fn error(&mut self, text: impl Into<String>) {
        self.banner = Some(Banner {
            severity: Severity::Error,
            text: text.into(),
        });
    }

    fn info(&mut self, text: impl Into<String>) {
        self.banner = Some(Banner {
            severity: Severity::Info,
            text: text.into(),
        });
    }

    /// Applies one workspace edit with undo; an invalid edit is refused with a banner and changes nothing.
    pub fn apply(&mut self, action: Action) {
        match self.history.apply(&mut self.ws, &self.presets, action) {
            Ok(()) => self.changed(),
            Err(e) => self.error(format!("Not applied: {e}")),
        }
    }

    fn changed(&mut self) {
        self.dirty = true;
        self.schedule_autosave();
        self.refresh();
    }

    fn schedule_autosave(&mut self) {
        if self.session.is_some() {
            self.autosave_due = Some(f64::NEG_INFINITY);
        }
    }

    /// Opens a workspace file; on failure the banner names file, line and column and nothing changes.
    pub fn open_path(&mut self, path: &Path) {
        match workspace::load(path) {
            Ok(ws) => {
                self.history.clear();
                self.ws = ws;
                self.file = Some(path.to_path_buf());
                self.prefs.file = self.file.clone();
                self.dirty = false;
                self.ui.selected_plan = 0;
                self.schedule_autosave();
                self.refresh();
                self.info(format!("Opened {}", path.display()));
            }
            Err(e) => self.error(format!("Could not open: {e}")),
        }
    }

    /// Loads an hourly intensity CSV for the schedule chart (every plan is scheduled over it).
    pub fn import_profile(&mut self, path: &Path) {
        match crate::persist::profiles::load_csv(path) {
            Ok(series) => {
                self.info(format!(
                    "Imported {} hours of intensity from {}",
                    series.values.len(),
                    path.display()
                ));
                self.ui.imported_profile = Some(series);
                self.ui.schedule.imported = self.ui.schedule.imported.wrapping_add(1).max(1);
            }
            Err(e) => self.error(format!("Could not import the profile: {e}")),
        }
    }

    fn save_to(&mut self, path: PathBuf) {
        match workspace::save(&path, &self.ws, true) {
            Ok(()) => {
                self.info(format!("Saved {}", path.display()));
                self.file = Some(path);
                self.prefs.file = self.file.clone();
                self.dirty = false;
                self.save_prefs();
            }
            Err(e) => self.error(format!("Could not save: {e}")),
        }
    }

    fn save_prefs(&mut self) {
        if let Some(s) = &self.session
            && let Err(e) = s.save_prefs(&self.prefs)
        {
            self.error(format!("Could not save preferences: {e}"));
        }
    }

    /// Writes the autosave now (if there is a session).
    pub fn autosave_now(&mut self) {
        self.autosave_due = None;
        if let Some(s) = &self.session
            && let Err(e) = s.autosave(&self.ws)
        {
            self.error(format!("Autosave failed: {e}"));
        }
    }

    /// Runs one command.
    pub fn run_command(&mut self, ctx: &egui::Context, cmd: Command) {
        match cmd {
            Command::Apply(a) => self.apply(a),
            Command::Undo => {
                if self.history.undo(&mut self.ws) {
                    self.changed();
                }
            }
            Command::Redo => {
                if self.history.redo(&mut self.ws) {
                    self.changed();
                }
            }
            Command::SealUndo => self.history.seal(),
            Command::New => {
                let mut ws = Workspace {
                    name: "Untitled".into(),
                    ..Default::default()
                };
                ws.plans.push(TrainingPlan::new(
                    "Plan 1",
                    "nvidia-h100-sxm",
                    8,
                    24.0,
                    "world",
                ));
                ws.plans.push(TrainingPlan::new(
                    "Plan 2",
                    "nvidia-a100-sxm4-80gb",
                    8,
                    24.0,
                    "world",
                ));
                self.apply(Action::Replace(Box::new(ws)));
                self.file = None;
                self.prefs.file = None;
            }
            Command::Open => {
                if let Some(p) = self.dialogs.open() {
                    self.open_path(&p);
                }
            }
            Command::OpenPath(p) => self.open_path(&p),
            Command::Save => match self.file.clone() {
                Some(p) => self.save_to(p),
                None => self.run_command(ctx, Command::SaveAs),
            },
            Command::SaveAs => {
                let name = format!("{}.ron", sanitize_file_name(&self.ws.name));
                if let Some(mut p) = self.dialogs.save(&name) {
                    if p.extension().is_none() {
                        p.set_extension("ron");
                    }
                    self.save_to(p);
                }
            }
            Command::OpenExample(i) => {
                if let Some(ex) = presets::EXAMPLES.get(i) {
                    match presets::example_workspace(ex) {
                        Ok(ws) => {
                            self.apply(Action::Replace(Box::new(ws)));
                            self.file = None;
                            self.prefs.file = None;
                            self.ui.selected_plan = 0;
                        }
                        Err(e) => self.error(e.to_string()),
                    }
                }
            }
            Command::Export => {
                if self.ui.export.is_none() {
                    let mut d =
                        crate::ui::export_dialog::ExportDialog::new(self.ws.baseline_index());
                    d.dir = self.last_export_dir.clone();
                    self.ui.export = Some(d);
                }
            }
            Command::ChooseExportFolder => {
                if let Some(dir) = self.dialogs.folder()
                    && let Some(d) = &mut self.ui.export
                {
                    d.dir = Some(dir.clone());
                    self.last_export_dir = Some(dir);
                }
            }
            Command::StartExport => self.start_export(ctx),
            Command::CopyMarkdown => {
                match crate::export::summary::summaries(
                    &self.ws.plans,
                    self.ws.baseline_index(),
                    &self.catalogue,
                ) {
                    Ok(rows) => {
                        ctx.copy_text(crate::export::summary::to_markdown_table(&rows));
                        self.info("Copied the comparison table as Markdown.");
                    }
                    Err(e) => self.error(format!("Nothing copied: {e}")),
                }
            }
            Command::Quit => {
                self.quit_requested = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Command::SelectPlan(i) => {
                if i < self.ws.plans.len() {
                    self.ui.selected_plan = i;
                }
            }
            Command::SetTheme(t) => {
                self.prefs.theme = t;
                self.save_prefs();
            }
            Command::SetScale(s) => {
                self.prefs.ui_scale = s.clamp(0.5, 3.0);
                self.save_prefs();
            }
            Command::TogglePanel(k) => {
                let flag = match k {
                    PanelKind::Catalogue => &mut self.prefs.show_catalogue,
                    PanelKind::Charts => &mut self.prefs.show_charts,
                    PanelKind::Formula => &mut self.prefs.show_formula,
                };
                *flag = !*flag;
                self.save_prefs();
            }
            Command::ShowWindow(w) => self.ui.window = Some(w),
            Command::ImportProfile => {
                if let Some(p) = self.dialogs.open_profile() {
                    self.import_profile(&p);
                }
            }
            Command::ClearProfile => {
                self.ui.imported_profile = None;
                self.ui.schedule.imported = 0;
            }
            Command::FetchLive(region) => self.start_fetch(ctx, region),
            Command::CancelFetch => {
                if let Some(job) = self.fetch_job.take() {
                    self.info(format!(
                        "Stopped waiting for the live intensity of '{}'; nothing changed.",
                        job.region
                    ));
                }
            }
            Command::SaveToken(secret) => {
                let t = secret.0.trim().to_owned();
                if t.is_empty() {
                    self.error("The token is empty: nothing saved.");
                } else {
                    match &self.token_file {
                        Some(path) => match crate::net::token::save(path, &t) {
                            Ok(()) => {
                                self.net.token = Some(t);
                                self.ui.token_input = Default::default();
                                self.info(format!(
                                    "Electricity Maps token saved to {} (readable by you only).",
                                    path.display()
                                ));
                            }
                            Err(e) => self.error(format!("Could not save the token: {e}")),
                        },
                        None => {
                            // No config directory (tests, or a platform without one): keep it for this run only.
                            self.net.token = Some(t);
                            self.ui.token_input = Default::default();
                            self.info("Token kept for this session only (no config directory).");
                        }
                    }
                }
            }
            Command::DeleteToken => {
                if let Some(path) = &self.token_file
                    && let Err(e) = crate::net::token::delete(path)
                {
                    self.error(format!("Could not delete the token file: {e}"));
                    return;
                }
                self.net.token = None;
                self.info("Electricity Maps token deleted.");
            }
            Command::AskResetCatalogue => self.ui.confirm_reset = true,
            Command::DismissBanner => self.banner = None,
        }
    }

    /// Starts the export the dialog describes on a background thread (a frame never waits for it).
    fn start_export(&mut self, ctx: &egui::Context) {
        let Some(d) = &mut self.ui.export else {
            return;
        };
        let Some(dir) = d.dir.clone() else {
            return;
        };
        let opts = crate::export::Options {
            formats: d.selected(),
            width: d.width,
            height: d.height,
            card_plan: Some(d.card_plan),
            training_type: "pre-training".into(),
        };
        d.running = true;
        d.written.clear();
        d.outcome = None;
        let ws = self.ws.clone();
        let catalogue = self.catalogue.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        let repaint = ctx.clone();
        std::thread::spawn(move || {
            let result =
                crate::export::report::Report::new(&ws, &catalogue, crate::export::today())
                    .map_err(|e| e.to_string())
                    .and_then(|report| {
                        crate::export::export(&report, &opts, &dir, |p| {
                            let _ = tx.send(ExportMsg::Wrote(p.to_path_buf()));
                            repaint.request_repaint();
                        })
                        .map_err(|e| e.to_string())
                    });
            let _ = tx.send(ExportMsg::Done(result.map(|_| ())));
            repaint.request_repaint();
        });
        self.export_job = Some(rx);
    }

    /// Takes what the export thread reported since the last frame.
    fn poll_export(&mut self) {
        let Some(rx) = &self.export_job else {
            return;
        };
        let mut finished = None;
        while let Ok(msg) = rx.try_recv() {
            match msg {
                ExportMsg::Wrote(p) => {
                    if let Some(d) = &mut self.ui.export {
                        d.written.push(p);
                    }
                }
                ExportMsg::Done(r) => finished = Some(r),
            }
        }
        if let Some(r) = finished {
            self.export_job = None;
            let dir = self.ui.export.as_ref().and_then(|d| d.dir.clone());
            let n = self.ui.export.as_ref().map_or(0, |d| d.written.len());
            if let Some(d) = &mut self.ui.export {
                d.running = false;
                d.outcome = Some(r.clone().map(|()| dir.clone().unwrap_or_default()));
            }
            match r {
                Ok(()) => self.info(format!(
                    "Exported {n} file(s) to {}",
                    dir.map(|d| d.display().to_string()).unwrap_or_default()
                )),
                Err(e) => self.error(format!("Export failed: {e}")),
            }
        }
    }

    /// Starts fetching a region's live intensity on a background thread (a frame never waits for the network).
    fn start_fetch(&mut self, ctx: &egui::Context, region_id: String) {
        if self.fetch_job.is_some() {
            self.info("A live-intensity fetch is already running.");
            return;
        }
        let Some(zone) = self
            .catalogue
            .region(&region_id)
            .and_then(crate::model::Region::effective_live_zone)
        else {
            self.error(format!(
                "Region '{region_id}' has no live zone: set a provider and zone first."
            ));
            return;
        };
        let config = self.net.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        let repaint = ctx.clone();
        let z = zone.clone();
        std::thread::spawn(move || {
            let result = crate::net::provider(z.provider, &config)
                .and_then(|p| crate::net::fetch(p.as_ref(), &z.zone, true));
            // The receiver is gone if the user cancelled: then the result is dropped.
            let _ = tx.send(result);
            repaint.request_repaint();
        });
        self.fetch_job = Some(FetchJob {
            region: region_id,
            zone,
            rx,
        });
    }

    /// Takes the fetch result, if it arrived: a reading is applied (undoable) and cached; with no network a cached
    /// reading stands in, saying how old it is; any other fault goes to the banner and changes nothing.
    fn poll_fetch(&mut self) {
        let Some(job) = &self.fetch_job else {
            return;
        };
        let Ok(result) = job.rx.try_recv() else {
            return;
        };
        let Some(job) = self.fetch_job.take() else {
            return;
        };
        let name = self
            .catalogue
            .region(&job.region)
            .map(|r| r.name.clone())
            .unwrap_or_else(|| job.region.clone());
        match result {
            Ok(reading) => {
                if let Some(c) = &self.live_cache {
                    // Caching is best effort; the reading is applied either way.
                    let _ = c.store(&reading);
                }
                self.apply(Action::SetLive {
                    region: job.region.clone(),
                    live: Some(Box::new(reading.to_live())),
                });
                self.info(format!(
                    "Live intensity for {name}: {} gCO2e/kWh ({}, zone {}, {}).",
                    crate::units::sig(reading.intensity_g_per_kwh, 4),
                    reading.provider.label(),
                    reading.zone,
                    reading.datetime
                ));
            }
            Err(e) => {
                let cached = self
                    .live_cache
                    .as_ref()
                    .and_then(|c| c.load(job.zone.provider, &job.zone.zone))
                    .filter(|_| e.is_offline());
                match cached {
                    Some(reading) => {
                        let age =
                            crate::net::age_text(reading.fetched_at_unix, crate::net::now_unix());
                        self.apply(Action::SetLive {
                            region: job.region.clone(),
                            live: Some(Box::new(reading.to_live())),
                        });
                        self.info(format!(
                            "{e}. Using the cached reading for {name} from {age} ago: {} gCO2e/kWh.",
                            crate::units::sig(reading.intensity_g_per_kwh, 4)
                        ));
                    }
                    None => self.error(format!("Live intensity for {name}: {e}. Nothing changed.")),
                }
            }
        }
    }

    /// The region whose live intensity is being fetched.
    pub fn fetching(&self) -> Option<&str> {
        self.fetch_job.as_ref().map(|j| j.region.as_str())
    }

    /// True while an export runs in the background.
    pub fn exporting(&self) -> bool {
        self.export_job.is_some()
    }

    fn apply_prefs(&mut self, ctx: &egui::Context) {
        let want = (self.prefs.theme, self.prefs.ui_scale);
        if self.applied_prefs != Some(want) {
            ctx.set_theme(match self.prefs.theme {
                ThemeChoice::System => egui::ThemePreference::System,
                ThemeChoice::Light => egui::ThemePreference::Light,
                ThemeChoice::Dark => egui::ThemePreference::Dark,
            });
            ctx.set_zoom_factor(self.prefs.ui_scale);
            self.applied_prefs = Some(want);
        }
    }

    /// Draws one frame into `ui` and applies what the panels asked for. Used by the window and by UI tests.
    pub fn frame(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.apply_prefs(&ctx);
        self.poll_export();
        self.poll_fetch();
        self.cache.refresh_schedules(
            &self.catalogue,
            &self.ui.schedule,
            self.ui.imported_profile.as_ref(),
        );
        let mut commands = Vec::new();
        ui::top_bar::shortcuts(&ctx, &mut commands);
        {
            let view = View {
                ws: &self.ws,
                catalogue: &self.catalogue,
                presets: &self.presets,
                cache: &self.cache,
                prefs: &self.prefs,
                undo_label: self.history.undo_label(),
                redo_label: self.history.redo_label(),
                file: self.file.as_deref(),
                dirty: self.dirty,
                fetching_region: self.fetch_job.as_ref().map(|j| j.region.as_str()),
                now_unix: crate::net::now_unix(),
                has_token: self.net.token.is_some(),
                token_place: self.token_file.as_deref(),
            };
            ui::top_bar::show(ui, &view, self.banner.as_ref(), &mut commands);
            if self.prefs.show_catalogue {
                ui::catalogue_panel::show(ui, &view, &mut self.ui, &mut commands);
            }
            if self.prefs.show_formula {
                ui::formula::show(ui, &view, &mut self.ui, &mut commands);
            }
            egui::CentralPanel::default().show(ui, |ui| {
                if self.prefs.show_charts {
                    ui::charts::show(ui, &view, &mut self.ui, &mut commands);
                }
                ui::plans_view::show(ui, &view, &mut self.ui, &mut commands);
            });
            ui::dialogs::show(&ctx, &view, &mut self.ui, &mut commands);
            ui::export_dialog::show(&ctx, &view, &mut self.ui.export, &mut commands);
        }
        let any = !commands.is_empty();
        for cmd in commands {
            self.run_command(&ctx, cmd);
        }
        if any {
            ctx.request_repaint();
        }
        // Autosave a moment after the last change, never inside the edit itself.
        let now = ctx.input(|i| i.time);
        match self.autosave_due {
            Some(t) if t == f64::NEG_INFINITY => {
                self.autosave_due = Some(now + AUTOSAVE_DELAY_S);
                ctx.request_repaint_after(std::time::Duration::from_secs_f64(AUTOSAVE_DELAY_S));
            }
            Some(t) if now >= t => self.autosave_now(),
            _ => {}
        }
    }

    /// True once Quit was chosen.
    pub fn quit_requested(&self) -> bool {
        self.quit_requested
    }
}

fn sanitize_file_name(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let s = s.trim();
    if s.is_empty() {
        "workspace".into()
    } else {
        s.to_owned()
    }
}
