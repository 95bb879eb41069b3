//! The commands panels emit, run once per frame: workspace edits (through the undoable reducer), files,
//! dialogs, exports and fetches (started in the background, see `jobs`), view choices.

use super::{App, jobs};
use crate::model::{Action, TrainingPlan, Workspace};
use crate::persist::presets;
use crate::ui::{Command, PanelKind};
use eframe::egui;

impl App {
    /// Runs one command.
    pub fn run_command(&mut self, ctx: &egui::Context, cmd: Command) {
        match cmd {
            Command::Apply(a) => self.apply(a),
            Command::Undo => self.undo(true),
            Command::Redo => self.undo(false),
            Command::SealUndo => self.doc.history.seal(),
            Command::New => self.replace(blank_workspace()),
            Command::Open => self.open(ctx),
            Command::OpenPath(p) => self.open_path(&p),
            Command::Save => match self.doc.file.clone() {
                Some(p) => self.save_to(p),
                None => self.save_as(),
            },
            Command::SaveAs => self.save_as(),
            Command::OpenExample(i) => self.open_example(i),
            Command::Export => self.open_export_dialog(),
            Command::ChooseExportFolder => self.choose_export_folder(),
            Command::StartExport => self.start_export(ctx),
            Command::CopyMarkdown => self.copy_markdown(ctx),
            Command::ExportSweep => self.export_sweep(),
            Command::CopyChartData(kind) => self.copy_chart_data(ctx, kind),
            Command::Quit => {
                // A page is closed by its tab; the menu shows no Quit there.
                self.rt.quit_requested = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Command::SelectPlan(i) => {
                if i < self.doc.ws.plans.len() {
                    self.ui.selected_plan = i;
                }
            }
            Command::SetTheme(t) => {
                self.prefs.theme = t;
                self.save_prefs();
            }
            Command::SetScale(s) => {
                // Whole tenths: ten steps of 0.1 land on 2.0, not 1.9999999.
                self.prefs.ui_scale = ((s * 10.0).round() / 10.0).clamp(0.5, 3.0);
                self.save_prefs();
            }
            Command::TogglePanel(k) => self.toggle_panel(k),
            Command::ShowWindow(w) => self.ui.window = Some(w),
            Command::ImportProfile => self.pick_profile(ctx),
            Command::ImportMeasured => self.pick_measured(ctx),
            Command::ClearProfile => {
                self.ui.imported_profile = None;
                self.ui.profile_version = 0;
            }
            Command::FetchLive(region) => self.start_fetch(ctx, region),
            Command::CancelFetch => self.cancel_fetch(),
            Command::SaveToken(secret) => self.save_token(&secret.0),
            Command::DeleteToken => self.delete_token(),
            Command::AskResetCatalogue => self.ui.confirm_reset = true,
            Command::DismissBanner => self.ui.banner = None,
        }
    }

    fn undo(&mut self, undo: bool) {
        let h = &mut self.doc.history;
        let moved = if undo {
            h.undo(&mut self.doc.ws)
        } else {
            h.redo(&mut self.doc.ws)
        };
        if moved {
            self.changed();
        }
    }

    /// Replaces the whole workspace (undoably) with one that has no file yet.
    fn replace(&mut self, ws: Workspace) {
        self.apply(Action::Replace(Box::new(ws)));
        self.doc.file = None;
        self.prefs.file = None;
        self.ui.selected_plan = 0;
    }

    fn open_example(&mut self, i: usize) {
        if let Some(ex) = presets::EXAMPLES.get(i) {
            match presets::example_workspace(ex) {
                Ok(ws) => self.replace(ws),
                Err(e) => self.error(e.to_string()),
            }
        }
    }

    /// File > Open: the platform's dialog, or in a browser its file picker (the file arrives in a later frame).
    fn open(&mut self, ctx: &egui::Context) {
        #[cfg(target_arch = "wasm32")]
        {
            self.rt.pick_job = Some(jobs::pick_file(ctx, jobs::PickKind::Workspace));
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            let _ = ctx;
            if let Some(p) = self.rt.dialogs.open() {
                self.open_path(&p);
            }
        }
    }

    fn pick_profile(&mut self, ctx: &egui::Context) {
        #[cfg(target_arch = "wasm32")]
        {
            self.rt.pick_job = Some(jobs::pick_file(ctx, jobs::PickKind::Profile));
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            let _ = ctx;
            if let Some(p) = self.rt.dialogs.open_profile() {
                self.import_profile(&p);
            }
        }
    }

    fn pick_measured(&mut self, ctx: &egui::Context) {
        #[cfg(target_arch = "wasm32")]
        {
            self.rt.pick_job = Some(jobs::pick_file(ctx, jobs::PickKind::Measured));
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            let _ = ctx;
            if let Some(p) = self.rt.dialogs.open_measured() {
                self.import_measured(&p);
            }
        }
    }

    /// Reads a measurement file and adds each of its runs as a measured column (one undo step), compared with the
    /// baseline plan until the user picks another; a bad file changes nothing and the banner names file and line.
    pub fn import_measured(&mut self, path: &std::path::Path) {
        match crate::persist::measured::load(path, None) {
            Ok(runs) => self.measured_read(runs, path),
            Err(e) => self.error(format!("Could not import the measured run: {e}")),
        }
    }

    fn measured_read(&mut self, runs: Vec<crate::model::MeasuredRun>, path: &std::path::Path) {
        let file = path.file_name().map_or_else(
            || path.display().to_string(),
            |f| f.to_string_lossy().into_owned(),
        );
        let against = self
            .doc
            .ws
            .plans
            .get(self.doc.ws.baseline_index())
            .map(|p| p.id);
        let n = runs.len();
        let entries = runs
            .into_iter()
            .map(|run| crate::model::MeasuredEntry {
                against,
                ..crate::model::MeasuredEntry::new(run, file.clone())
            })
            .collect();
        let before = self.doc.ws.measured.len();
        self.apply(Action::AddMeasured(entries));
        if self.doc.ws.measured.len() > before {
            self.info(format!(
                "Imported {n} measured run{} from {file}",
                if n == 1 { "" } else { "s" }
            ));
        }
    }

    /// Takes the file the browser's picker gave, if it arrived: a workspace is opened, a profile imported, each
    /// through the same strict parser as a file on disk.
    #[cfg(target_arch = "wasm32")]
    pub(super) fn poll_pick(&mut self) {
        let Some(job) = &self.rt.pick_job else {
            return;
        };
        let Ok(picked) = job.rx.try_recv() else {
            return;
        };
        let kind = job.kind;
        self.rt.pick_job = None;
        let Some((name, bytes)) = picked else {
            return;
        };
        let path = std::path::PathBuf::from(&name);
        let (size, limit) = (bytes.len() as u64, crate::persist::ron_file::MAX_FILE_BYTES);
        if size > limit {
            let e = crate::persist::FileError::new(
                &path,
                crate::persist::FileErrorKind::TooLarge { size, limit },
            );
            self.error(format!("Could not open: {e}"));
            return;
        }
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                self.error(format!("Could not open {name}: it is not UTF-8 text."));
                return;
            }
        };
        match kind {
            jobs::PickKind::Workspace => match crate::persist::workspace::parse(&text, &path) {
                Ok(ws) => self.opened(ws, None, &name),
                Err(e) => self.error(format!("Could not open: {e}")),
            },
            jobs::PickKind::Profile => match crate::persist::profiles::parse_csv(&text, &path) {
                Ok(series) => self.profile_imported(series, &name),
                Err(e) => self.error(format!("Could not import the profile: {e}")),
            },
            jobs::PickKind::Measured => match crate::persist::measured::parse(&text, &path, None) {
                Ok(runs) => self.measured_read(runs, &path),
                Err(e) => self.error(format!("Could not import the measured run: {e}")),
            },
        }
    }

    fn save_as(&mut self) {
        let name = format!("{}.ron", sanitize_file_name(&self.doc.ws.name));
        #[cfg(target_arch = "wasm32")]
        {
            // The browser saves by downloading; the page keeps no file to write back to.
            let text = crate::persist::workspace::to_text(&self.doc.ws).map_err(|e| e.to_string());
            match text.and_then(|t| super::web::download(&name, t.as_bytes())) {
                Ok(()) => {
                    self.doc.dirty = false;
                    self.info(format!("Saved as the download {name}"));
                }
                Err(e) => self.error(format!("Could not save: {e}")),
            }
        }
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(mut p) = self.rt.dialogs.save(&name) {
            if p.extension().is_none() {
                p.set_extension("ron");
            }
            self.save_to(p);
        }
    }

    fn open_export_dialog(&mut self) {
        if self.ui.export.is_none() {
            let mut d = crate::ui::export_dialog::ExportDialog::new(self.doc.ws.baseline_index());
            d.dir = self.rt.last_export_dir.clone();
            self.ui.export = Some(d);
        }
    }

    fn choose_export_folder(&mut self) {
        if let Some(dir) = self.rt.dialogs.folder()
            && let Some(d) = &mut self.ui.export
        {
            d.dir = Some(dir.clone());
            self.rt.last_export_dir = Some(dir);
        }
    }

    /// Writes the shown sweep (its chart as PNG and SVG, its CSV and Markdown) into a folder the user picks.
    fn export_sweep(&mut self) {
        let Some(Ok(result)) = self.rt.cache.sweep().map(|s| s.result.clone()) else {
            self.error("Nothing exported: no sweep is shown.");
            return;
        };
        let Some(dir) = self.rt.dialogs.folder() else {
            return;
        };
        let stem = format!("sweep-{}", result.kind.as_str());
        let files: Result<Vec<(String, Vec<u8>)>, String> = (|| {
            use crate::export::sweep as x;
            Ok(vec![
                (
                    format!("{stem}.png"),
                    x::png(&result, 1200).map_err(|e| e.to_string())?,
                ),
                (
                    format!("{stem}.svg"),
                    x::svg(&result, 1200)
                        .map_err(|e| e.to_string())?
                        .into_bytes(),
                ),
                (format!("{stem}.csv"), x::to_csv(&result).into_bytes()),
                (format!("{stem}.md"), x::to_markdown(&result).into_bytes()),
            ])
        })();
        let written = files.and_then(|files| {
            for (name, bytes) in &files {
                crate::persist::atomic::write(&dir.join(name), bytes, false)
                    .map_err(|e| format!("cannot write {}: {e}", dir.join(name).display()))?;
            }
            Ok(files.len())
        });
        match written {
            Ok(n) => self.info(format!(
                "Wrote {n} files ({stem}.png, .svg, .csv, .md) to {}.",
                dir.display()
            )),
            Err(e) => self.error(format!("Sweep export failed: {e}")),
        }
    }

    /// Puts the comparison table on the clipboard, from the cached results.
    fn copy_markdown(&mut self, ctx: &egui::Context) {
        let results: Vec<_> = self.rt.cache.outcomes().iter().collect();
        match crate::export::summary::summaries_of(
            &self.doc.ws.plans,
            self.doc.ws.baseline_index(),
            &results,
        ) {
            Ok(rows) => {
                ctx.copy_text(crate::export::summary::to_markdown_table(&rows));
                self.info("Copied the comparison table as Markdown.");
            }
            Err(e) => self.error(format!("Nothing copied: {e}")),
        }
    }

    fn copy_chart_data(&mut self, ctx: &egui::Context, kind: crate::chart::ChartKind) {
        let focus = self.ui.selected_plan;
        self.rt
            .cache
            .refresh_charts(&self.doc.ws, self.doc.revision, focus, kind);
        match self.rt.cache.chart(kind) {
            Some(chart) if chart.panels.is_empty() => {
                let why = chart.notes.join(" ");
                self.error(format!(
                    "Nothing copied: the {} chart has no data. {why}",
                    kind.label()
                ));
            }
            Some(chart) => {
                let text = chart.data_tsv();
                let rows = text.lines().count().saturating_sub(1);
                ctx.copy_text(text);
                self.info(format!(
                    "Copied the {} chart's data: {rows} row{} of tab-separated text.",
                    kind.label(),
                    if rows == 1 { "" } else { "s" }
                ));
            }
            None => self.error(format!("Nothing copied: no {} chart.", kind.label())),
        }
    }

    fn toggle_panel(&mut self, k: PanelKind) {
        let flag = match k {
            PanelKind::Catalogue => &mut self.prefs.show_catalogue,
            PanelKind::Charts => &mut self.prefs.show_charts,
            PanelKind::Formula => &mut self.prefs.show_formula,
        };
        *flag = !*flag;
        self.save_prefs();
    }

    fn cancel_fetch(&mut self) {
        if let Some(job) = self.rt.fetch_job.take() {
            self.info(format!(
                "Stopped waiting for the live intensity of '{}'; nothing changed.",
                job.region
            ));
        }
    }

    /// Stores the Electricity Maps token in its own owner-only file (or, without a config directory, for this
    /// session only).
    fn save_token(&mut self, secret: &str) {
        let t = secret.trim().to_owned();
        if t.is_empty() {
            self.error("The token is empty: nothing saved.");
            return;
        }
        let saved = match &self.rt.token_file {
            Some(path) => crate::net::token::save(path, &t).map(|()| {
                format!(
                    "Electricity Maps token saved to {} (readable by you only).",
                    path.display()
                )
            }),
            None if self.rt.in_browser => {
                Ok("Token kept for this tab only: the page never stores it.".to_owned())
            }
            None => Ok("Token kept for this session only (no config directory).".to_owned()),
        };
        match saved {
            Ok(note) => {
                self.rt.net.token = Some(t);
                self.ui.token_input = Default::default();
                self.info(note);
            }
            Err(e) => self.error(format!("Could not save the token: {e}")),
        }
    }

    fn delete_token(&mut self) {
        if let Some(path) = &self.rt.token_file
            && let Err(e) = crate::net::token::delete(path)
        {
            self.error(format!("Could not delete the token file: {e}"));
            return;
        }
        self.rt.net.token = None;
        self.info("Electricity Maps token deleted.");
    }

    /// Starts the export the dialog describes on a background thread (a frame never waits for it), from the
    /// results the app already holds.
    fn start_export(&mut self, ctx: &egui::Context) {
        let Some(d) = &mut self.ui.export else {
            return;
        };
        // The browser downloads the files; the desktop writes them to the chosen folder.
        let dir = if cfg!(target_arch = "wasm32") {
            std::path::PathBuf::new()
        } else {
            let Some(dir) = d.dir.clone() else {
                return;
            };
            dir
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
        let focus = d.card_plan;
        let work = jobs::ExportWork {
            ws: self.doc.ws.clone(),
            catalogue: self.rt.catalogue.clone(),
            outcomes: self.rt.cache.outcomes().to_vec(),
            focus,
            schedule: self.rt.cache.schedule(focus).cloned(),
            opts,
            dir,
        };
        self.rt.export_job = Some(jobs::start_export(ctx, work));
    }

    /// Takes what the export thread reported since the last frame.
    pub(super) fn poll_export(&mut self) {
        let Some(rx) = &self.rt.export_job else {
            return;
        };
        let mut finished = None;
        while let Ok(msg) = rx.try_recv() {
            match msg {
                jobs::ExportMsg::Wrote(p) => {
                    if let Some(d) = &mut self.ui.export {
                        d.written.push(p);
                    }
                }
                jobs::ExportMsg::Done(r) => finished = Some(r),
            }
        }
        if let Some(r) = finished {
            self.rt.export_job = None;
            let dir = self.ui.export.as_ref().and_then(|d| d.dir.clone());
            let n = self.ui.export.as_ref().map_or(0, |d| d.written.len());
            if let Some(d) = &mut self.ui.export {
                d.running = false;
                d.outcome = Some(
                    r.clone()
                        .map(|place| dir.clone().unwrap_or_else(|| place.into())),
                );
            }
            match r {
                Ok(place) => self.info(format!("Exported {n} file(s) to {place}")),
                Err(e) => self.error(format!("Export failed: {e}")),
            }
        }
    }

    /// Starts fetching a region's live intensity on a background thread (a frame never waits for the network).
    fn start_fetch(&mut self, ctx: &egui::Context, region_id: String) {
        if self.rt.fetch_job.is_some() {
            self.info("A live-intensity fetch is already running.");
            return;
        }
        let Some(zone) = self
            .rt
            .catalogue
            .region(&region_id)
            .and_then(crate::model::Region::effective_live_zone)
        else {
            self.error(format!(
                "Region '{region_id}' has no live zone: set a provider and zone first."
            ));
            return;
        };
        self.rt.fetch_job = Some(jobs::start_fetch(ctx, self.rt.net.clone(), region_id, zone));
    }

    /// Takes the fetch result, if it arrived: a reading is applied (undoable) and cached; with no network a cached
    /// reading stands in, saying how old it is; any other fault goes to the banner and changes nothing.
    pub(super) fn poll_fetch(&mut self) {
        let Some(job) = &self.rt.fetch_job else {
            return;
        };
        let Ok(result) = job.rx.try_recv() else {
            return;
        };
        let Some(job) = self.rt.fetch_job.take() else {
            return;
        };
        let name = self
            .rt
            .catalogue
            .region(&job.region)
            .map(|r| r.name.clone())
            .unwrap_or_else(|| job.region.clone());
        match result {
            Ok(reading) => {
                if let Some(c) = &self.rt.live_cache {
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
                    .rt
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

/// File > New: two example plans on the world-average grid.
fn blank_workspace() -> Workspace {
    let mut ws = Workspace {
        name: "Untitled".into(),
        ..Default::default()
    };
    for (name, acc) in [
        ("Plan 1", "nvidia-h100-sxm"),
        ("Plan 2", "nvidia-a100-sxm4-80gb"),
    ] {
        ws.plans
            .push(TrainingPlan::new(name, acc, 8, 24.0, "world"));
    }
    ws
}
