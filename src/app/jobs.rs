//! Background work that a frame never waits for: exports and live-intensity fetches, polled once per frame. On
//! the desktop each runs on its own thread; in the browser (no threads) each is a future on the page's event loop:
//! the export yields to the browser between files and ends in a download, the fetch awaits the browser's `fetch`,
//! and a file the user picks arrives when the file picker answers.

use crate::engine::plan_schedule::PlanSchedule;
use crate::engine::results::Outcome;
use crate::export::Options;
use crate::model::{Catalogue, LiveZone, Workspace};
use crate::net::{NetConfig, NetError, Reading};
use eframe::egui;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};

/// What the export thread reports.
pub enum ExportMsg {
    /// A file was written.
    Wrote(PathBuf),
    /// The export ended: where the files went (the folder, or the download), or why it failed.
    Done(Result<String, String>),
}

/// Everything an export needs, owned, so it can run on its own thread.
pub struct ExportWork {
    /// The workspace.
    pub ws: Workspace,
    /// The effective catalogue.
    pub catalogue: Catalogue,
    /// The results the app already holds, one per plan.
    pub outcomes: Vec<Outcome>,
    /// The plan the per-plan charts show.
    pub focus: usize,
    /// Its schedule, as the app shows it.
    pub schedule: Option<PlanSchedule>,
    /// What to write.
    pub opts: Options,
    /// Where (the browser downloads instead).
    #[cfg_attr(target_arch = "wasm32", allow(dead_code))]
    pub dir: PathBuf,
}

/// The report an export writes: built from the outcomes the app already holds (nothing is estimated again), on
/// the plan and schedule the app shows.
fn report(
    w: &ExportWork,
    today: crate::export::date::Date,
) -> Result<crate::export::report::Report<'_>, String> {
    let mut report =
        crate::export::report::Report::from_outcomes(&w.ws, &w.catalogue, &w.outcomes, today)
            .map_err(|e| e.to_string())?;
    report.focus = w.focus;
    report.schedule = w.schedule.clone();
    Ok(report)
}

/// Starts an export on a background thread; the receiver reports each file and the end.
#[cfg(not(target_arch = "wasm32"))]
pub fn start_export(ctx: &egui::Context, w: ExportWork) -> Receiver<ExportMsg> {
    let (tx, rx) = channel();
    let repaint = ctx.clone();
    std::thread::spawn(move || {
        let result = report(&w, crate::export::today()).and_then(|report| {
            crate::export::export(&report, &w.opts, &w.dir, |p| {
                let _ = tx.send(ExportMsg::Wrote(p.to_path_buf()));
                repaint.request_repaint();
            })
            .map_err(|e| e.to_string())
        });
        let _ = tx.send(ExportMsg::Done(result.map(|_| w.dir.display().to_string())));
        repaint.request_repaint();
    });
    rx
}

/// A live-intensity fetch running on its own thread.
pub struct FetchJob {
    /// The region it is for.
    pub region: String,
    /// The provider and zone.
    pub zone: LiveZone,
    /// Where the result arrives.
    pub rx: Receiver<Result<Reading, NetError>>,
}

/// Starts fetching a zone's live intensity in the background (a frame never waits for the network): on its own
/// thread on the desktop, as a future awaiting the browser's `fetch` in the page.
pub fn start_fetch(
    ctx: &egui::Context,
    config: NetConfig,
    region: String,
    zone: LiveZone,
) -> FetchJob {
    let (tx, rx) = channel();
    let repaint = ctx.clone();
    let z = zone.clone();
    // The receiver is gone if the user cancelled: then the result is dropped.
    let deliver = move |result: Result<Reading, NetError>| {
        let _ = tx.send(result);
        repaint.request_repaint();
    };
    #[cfg(not(target_arch = "wasm32"))]
    std::thread::spawn(move || {
        deliver(
            crate::net::provider(z.provider, &config)
                .and_then(|p| crate::net::fetch(p.as_ref(), &z.zone, true)),
        )
    });
    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_futures::spawn_local(async move {
        deliver(crate::net::web::fetch(z.provider, &config, &z.zone, true).await)
    });
    FetchJob { region, zone, rx }
}

/// In the browser: starts an export as a future that renders one file at a time, yielding to the page between
/// files (so frames keep coming), then offers the result as one download: the file itself, or a zip of them all.
#[cfg(target_arch = "wasm32")]
pub fn start_export(ctx: &egui::Context, w: ExportWork) -> Receiver<ExportMsg> {
    let (tx, rx) = channel();
    let repaint = ctx.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let result = export_in_memory(&w, &tx, &repaint).await;
        let _ = tx.send(ExportMsg::Done(result));
        repaint.request_repaint();
    });
    rx
}

#[cfg(target_arch = "wasm32")]
async fn export_in_memory(
    w: &ExportWork,
    tx: &std::sync::mpsc::Sender<ExportMsg>,
    repaint: &egui::Context,
) -> Result<String, String> {
    let today = crate::export::today();
    let report = report(w, today)?;
    crate::export::check(&report, &w.opts).map_err(|e| e.to_string())?;
    let mut files = Vec::new();
    for item in crate::export::items(&w.opts) {
        let name = item.file_name();
        let bytes = crate::export::render(&report, &w.opts, item).map_err(|e| e.to_string())?;
        let _ = tx.send(ExportMsg::Wrote(PathBuf::from(&name)));
        repaint.request_repaint();
        files.push((name, bytes));
        super::web::next_tick().await;
    }
    let (name, bytes) = match files.len() {
        1 => files.pop().ok_or("nothing exported")?,
        _ => (
            super::web::EXPORT_ZIP.to_owned(),
            crate::export::zip::archive(&files, today).map_err(|e| e.to_string())?,
        ),
    };
    super::web::download(&name, &bytes)?;
    Ok(format!("the download {name}"))
}

#[cfg(target_arch = "wasm32")]
/// What a picked file is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PickKind {
    /// A workspace to open.
    Workspace,
    /// An hourly intensity profile to import.
    Profile,
    /// A measurement file (CodeCarbon, nvidia-smi) to import as measured runs.
    Measured,
}

#[cfg(target_arch = "wasm32")]
/// A file the user is picking; `None` arrives if they cancelled.
pub struct PickJob {
    /// What it is for.
    pub kind: PickKind,
    /// The file's name and bytes.
    pub rx: Receiver<Option<(String, Vec<u8>)>>,
}

/// In the browser: opens the browser's file picker; the file's name and bytes arrive when the user has chosen.
#[cfg(target_arch = "wasm32")]
pub fn pick_file(ctx: &egui::Context, kind: PickKind) -> PickJob {
    let (tx, rx) = channel();
    let repaint = ctx.clone();
    let (title, filter, ext) = match kind {
        PickKind::Workspace => ("Open workspace", "Trainprint workspace", "ron"),
        PickKind::Profile => (
            "Import an hourly intensity profile",
            "Hourly intensity (datetime,intensity_g_per_kwh)",
            "csv",
        ),
        PickKind::Measured => (
            "Import measured run",
            "Measurement (CodeCarbon emissions.csv, nvidia-smi log)",
            "csv",
        ),
    };
    wasm_bindgen_futures::spawn_local(async move {
        let picked = rfd::AsyncFileDialog::new()
            .add_filter(filter, &[ext])
            .set_title(title)
            .pick_file()
            .await;
        let file = match picked {
            Some(handle) => Some((handle.file_name(), handle.read().await)),
            None => None,
        };
        let _ = tx.send(file);
        repaint.request_repaint();
    });
    PickJob { kind, rx }
}
