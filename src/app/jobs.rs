//! Background work that a frame never waits for: exports and live-intensity fetches, each on its own thread,
//! polled once per frame.

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
    /// The export ended.
    Done(Result<(), String>),
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
    /// Where.
    pub dir: PathBuf,
}

/// Starts an export on a background thread; the receiver reports each file and the end.
pub fn start_export(ctx: &egui::Context, w: ExportWork) -> Receiver<ExportMsg> {
    let (tx, rx) = channel();
    let repaint = ctx.clone();
    std::thread::spawn(move || {
        let result = crate::export::report::Report::from_outcomes(
            &w.ws,
            &w.catalogue,
            &w.outcomes,
            crate::export::today(),
        )
        .map_err(|e| e.to_string())
        .and_then(|mut report| {
            report.focus = w.focus;
            report.schedule = w.schedule;
            crate::export::export(&report, &w.opts, &w.dir, |p| {
                let _ = tx.send(ExportMsg::Wrote(p.to_path_buf()));
                repaint.request_repaint();
            })
            .map_err(|e| e.to_string())
        });
        let _ = tx.send(ExportMsg::Done(result.map(|_| ())));
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

/// Starts fetching a zone's live intensity on a background thread (a frame never waits for the network).
pub fn start_fetch(
    ctx: &egui::Context,
    config: NetConfig,
    region: String,
    zone: LiveZone,
) -> FetchJob {
    let (tx, rx) = channel();
    let repaint = ctx.clone();
    let z = zone.clone();
    std::thread::spawn(move || {
        let result = crate::net::provider(z.provider, &config)
            .and_then(|p| crate::net::fetch(p.as_ref(), &z.zone, true));
        // The receiver is gone if the user cancelled: then the result is dropped.
        let _ = tx.send(result);
        repaint.request_repaint();
    });
    FetchJob { region, zone, rx }
}
