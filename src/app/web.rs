//! The app in a browser (`wasm32`): the page's entry point, the session kept in the browser's storage through
//! eframe's web storage, downloads, and small hooks for the browser test: one reads what the app shows, the others
//! press a region's "Fetch live" and File > Export… > Export (the page has no accessibility tree to find those
//! buttons by; the number fields it finds through where they were drawn).
//! The app itself ([`App`]) is the desktop's; only these edges differ.

use super::{App, NoDialogs};
use crate::persist::session::{self, Restored};
use crate::persist::workspace;
use eframe::egui;
use std::cell::RefCell;
use std::path::Path;
use wasm_bindgen::prelude::*;

/// The storage key of the autosaved workspace (RON, as in `autosave.ron`).
pub const STORE_WORKSPACE: &str = "trainprint.autosave.ron";
/// The storage key of the preferences (RON, as in `prefs.ron`).
pub const STORE_PREFS: &str = "trainprint.prefs.ron";
/// Where a damaged stored workspace is kept (never deleted).
pub const STORE_DAMAGED: &str = "trainprint.autosave.damaged.ron";
/// The download name of an export of several files.
pub const EXPORT_ZIP: &str = "trainprint-export.zip";

/// The eframe app of the page: the shared [`App`], and writing the session to the browser's storage.
pub struct WebApp {
    app: App,
    ctx: egui::Context,
    frames: u64,
    first_frame_ms: Option<f64>,
}

impl WebApp {
    /// Writes the workspace and the preferences to eframe's storage (the browser's local storage).
    fn store(&mut self, storage: &mut dyn eframe::Storage) {
        match workspace::to_text(&self.app.doc.ws) {
            Ok(text) => storage.set_string(STORE_WORKSPACE, text),
            Err(e) => self.app.error(format!("Autosave failed: {e}")),
        }
        match session::prefs_text(&self.app.prefs, Path::new(STORE_PREFS)) {
            Ok(text) => storage.set_string(STORE_PREFS, text),
            Err(e) => self.app.error(format!("Could not save preferences: {e}")),
        }
        storage.flush();
    }
}

impl eframe::App for WebApp {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        self.app.frame(ui);
        self.frames += 1;
        if self.first_frame_ms.is_none() {
            self.first_frame_ms = now_ms();
        }
        if self.app.take_store_due()
            && let Some(storage) = frame.storage_mut()
        {
            self.store(storage);
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.store(storage);
    }

    /// Lets the page's hooks reach the app through eframe's `WebRunner::app_mut`.
    fn as_any_mut(&mut self) -> Option<&mut dyn std::any::Any> {
        Some(self)
    }
}

/// Milliseconds since the page started loading (`performance.now()`).
fn now_ms() -> Option<f64> {
    Some(web_sys::window()?.performance()?.now())
}

/// The session as the page finds it in the browser's storage, read through the same strict loaders as the
/// desktop's files. A damaged workspace is kept under [`STORE_DAMAGED`] and the app starts from the example.
fn restore(
    storage: Option<&dyn eframe::Storage>,
) -> (
    Restored,
    (session::Prefs, Option<crate::persist::FileError>),
) {
    let get = |k: &str| storage.and_then(|s| s.get_string(k));
    let ws_text = get(STORE_WORKSPACE);
    let restored = session::restore_text(
        ws_text.as_deref(),
        Path::new("the browser's storage"),
        &format!("the browser's storage as '{STORE_DAMAGED}'"),
    );
    if let (Restored::Damaged { .. }, Some(text)) = (&restored, &ws_text) {
        eframe::web::storage::local_storage_set(STORE_DAMAGED, text);
    }
    let prefs = match get(STORE_PREFS) {
        Some(text) => session::prefs_from_text(&text, Path::new(STORE_PREFS)),
        None => (session::Prefs::default(), None),
    };
    (restored, prefs)
}

thread_local! {
    static RUNNER: RefCell<Option<eframe::WebRunner>> = const { RefCell::new(None) };
}

/// Starts the app on the canvas with id `canvas_id` (called by `index.html`).
#[wasm_bindgen]
pub async fn start(canvas_id: String) -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let canvas = document
        .get_element_by_id(&canvas_id)
        .ok_or_else(|| JsValue::from_str("no canvas"))?
        .dyn_into::<web_sys::HtmlCanvasElement>()?;
    let runner = eframe::WebRunner::new();
    runner
        .start(
            canvas,
            eframe::WebOptions {
                // glow draws a frame with plain WebGL2 calls; wgpu's GL backend waits on fences, which costs about a
                // second a frame under software WebGL (headless Chromium, browsers without a GPU).
                renderer: eframe::Renderer::Glow,
                ..eframe::WebOptions::default()
            },
            Box::new(|cc| {
                let (restored, prefs) = restore(cc.storage);
                let damaged = matches!(restored, Restored::Damaged { .. });
                let mut app = App::in_browser(restored, prefs, Box::new(NoDialogs))
                    .map_err(|e| format!("cannot start: {e}"))?;
                if damaged {
                    // The damaged text is kept under its own key; the session goes on from the example.
                    app.autosave_now();
                }
                app.rt.net = test_servers(app.rt.net.clone());
                Ok(Box::new(WebApp {
                    app,
                    ctx: cc.egui_ctx.clone(),
                    frames: 0,
                    first_frame_ms: None,
                }))
            }),
        )
        .await?;
    RUNNER.with(|r| r.replace(Some(runner)));
    Ok(())
}

/// Provider addresses given in the page's query (`?gb_base=…&em_base=…`), taken only when they are on this
/// machine (loopback): how the browser test points live intensity at its own server. Anything else is ignored.
fn test_servers(mut net: crate::net::NetConfig) -> crate::net::NetConfig {
    let Some(search) = web_sys::window().and_then(|w| w.location().search().ok()) else {
        return net;
    };
    let Ok(url) = url::Url::parse(&format!("http://page/{search}")) else {
        return net;
    };
    for (k, v) in url.query_pairs() {
        let local = url::Url::parse(&v).is_ok_and(|u| {
            u.scheme() == "http"
                && matches!(u.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"))
        });
        match (k.as_ref(), local) {
            ("gb_base", true) => net.gb_base = v.into_owned(),
            ("em_base", true) => net.electricitymaps_base = v.into_owned(),
            _ => {}
        }
    }
    net
}

/// What the app shows, as JSON, for the browser test (read-only): frames drawn, when the first one ended, the
/// banner, and each plan's count and results. `null` until the app has started.
#[wasm_bindgen]
pub fn trainprint_state() -> String {
    RUNNER.with(|r| {
        let r = r.borrow();
        let Some(runner) = r.as_ref() else {
            return "null".to_owned();
        };
        let Some(web) = runner.app_mut::<WebApp>() else {
            return "null".to_owned();
        };
        let app = &web.app;
        let plans: Vec<serde_json::Value> = app
            .doc
            .ws
            .plans
            .iter()
            .zip(app.rt.cache.outcomes())
            .map(|(p, o)| {
                let e = o.ok();
                serde_json::json!({
                    "name": p.name,
                    "count": p.count,
                    "energy_kwh": e.map(|e| e.facility_energy_kwh),
                    "total_kg_co2e": e.map(|e| e.total_co2e_kg),
                })
            })
            .collect();
        let fields: Vec<serde_json::Value> = web
            .ctx
            .data(|d| d.get_temp::<crate::ui::widgets::FieldRects>(egui::Id::NULL))
            .unwrap_or_default()
            .0
            .iter()
            .map(|(label, r)| serde_json::json!({"label": label, "x": r.min.x, "y": r.min.y, "w": r.width(), "h": r.height()}))
            .collect();
        serde_json::json!({
            "frames": web.frames,
            "first_frame_ms": web.first_frame_ms,
            "workspace": app.doc.ws.name,
            "banner": app.ui.banner.as_ref().map(|b| b.text.clone()),
            "plans": plans,
            "exporting": app.exporting(),
            "fields": fields,
        })
        .to_string()
    })
}

/// For the browser test: fetches the live intensity of region `region` as its "Fetch live" button does (the
/// same command; the outcome shows in the banner). Does nothing before the app has started.
#[wasm_bindgen]
pub fn trainprint_fetch_live(region: String) {
    RUNNER.with(|r| {
        if let Some(runner) = r.borrow().as_ref()
            && let Some(mut web) = runner.app_mut::<WebApp>()
        {
            let ctx = web.ctx.clone();
            web.app
                .run_command(&ctx, crate::ui::Command::FetchLive(region));
            ctx.request_repaint();
        }
    });
}

/// For the browser test: File > Export… with the dialog's defaults (every format), then Export, as a person
/// would click them; the files arrive as a download. Does nothing before the app has started.
#[wasm_bindgen]
pub fn trainprint_export() {
    RUNNER.with(|r| {
        if let Some(runner) = r.borrow().as_ref()
            && let Some(mut web) = runner.app_mut::<WebApp>()
        {
            let ctx = web.ctx.clone();
            web.app.run_command(&ctx, crate::ui::Command::Export);
            web.app.run_command(&ctx, crate::ui::Command::StartExport);
            ctx.request_repaint();
        }
    });
}

/// Resolves on the page's next turn of the event loop (`setTimeout(0)`): lets the browser paint and handle input
/// between two pieces of work.
pub async fn next_tick() {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback(&resolve);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Offers `bytes` to the user as a download named `name` (the browser saves it to its downloads folder or asks).
pub fn download(name: &str, bytes: &[u8]) -> Result<(), String> {
    let fail = |e: JsValue| format!("the browser refused the download: {e:?}");
    let window = web_sys::window().ok_or("no browser window")?;
    let document = window.document().ok_or("no document")?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("application/octet-stream");
    let blob =
        web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let a = document
        .create_element("a")
        .map_err(fail)?
        .dyn_into::<web_sys::HtmlAnchorElement>()
        .map_err(|_| "no link element")?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // The click has started the download; the object URL can go once the browser has taken it.
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}
