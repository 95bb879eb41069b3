//! The native window: opens it on a graphics backend that works (trying the next one when one cannot create its
//! device or surface), says which backend and adapter were chosen, and, when none works, says why in a native
//! message box and in a log file in the data directory. Never exits silently.
//!
//! Order (first that starts wins): Windows wgpu's DX12 -> Vulkan -> OpenGL, then glow; macOS wgpu's Metal, then
//! glow; Linux and the BSDs glow (OpenGL through EGL or GLX, with its own fallbacks from GL 3.3 core to GLES and a
//! compatibility profile), the one renderer they build by default: under software rendering it costs a tenth of
//! wgpu's CPU per edit (README, Performance). `TRAINPRINT_BACKEND=gl` (or a list, e.g. `vulkan,gl`) forces the
//! backends tried; wgpu's own `WGPU_BACKEND` is honoured the same way. `TRAINPRINT_TIMING=1` prints the choice and
//! the time to the first frame on stderr; `startup.log` in the data directory always records them.

use super::{App, NativeDialogs};
use crate::persist::session::SessionDir;
use eframe::egui;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// A graphics backend the window can be drawn with: the four of wgpu, and eframe's glow renderer (OpenGL).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// Direct3D 12 through wgpu (Windows; also a software adapter, WARP, on machines without a GPU driver).
    Dx12,
    /// Vulkan through wgpu.
    Vulkan,
    /// Metal through wgpu (macOS).
    Metal,
    /// OpenGL (ES) through wgpu: EGL on Linux, WGL on Windows.
    Gl,
    /// OpenGL through eframe's glow renderer (every native build has it).
    Glow,
}

impl Backend {
    /// Every backend, in the order the names are listed in messages.
    pub const ALL: [Backend; 5] = [
        Backend::Dx12,
        Backend::Vulkan,
        Backend::Metal,
        Backend::Gl,
        Backend::Glow,
    ];

    /// The name users type in `TRAINPRINT_BACKEND` and see in messages.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Dx12 => "dx12",
            Backend::Vulkan => "vulkan",
            Backend::Metal => "metal",
            Backend::Gl => "gl",
            Backend::Glow => "glow",
        }
    }

    /// Parses one name, case-insensitively, with wgpu's aliases (`d3d12`, `vk`, `mtl`, `opengl`, `gles`).
    pub fn parse(name: &str) -> Option<Backend> {
        match name.trim().to_ascii_lowercase().as_str() {
            "dx12" | "d3d12" => Some(Backend::Dx12),
            "vulkan" | "vk" => Some(Backend::Vulkan),
            "metal" | "mtl" => Some(Backend::Metal),
            "gl" | "opengl" | "gles" => Some(Backend::Gl),
            "glow" => Some(Backend::Glow),
            _ => None,
        }
    }
}

/// The platform families whose default backend order differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Platform {
    /// Windows: DX12 first.
    Windows,
    /// macOS: Metal.
    MacOs,
    /// Linux, the BSDs and the rest: Vulkan first.
    Other,
}

impl Platform {
    /// The platform this binary was built for.
    pub fn current() -> Platform {
        if cfg!(windows) {
            Platform::Windows
        } else if cfg!(target_os = "macos") {
            Platform::MacOs
        } else {
            Platform::Other
        }
    }
}

/// Whether this build has eframe's wgpu renderer: Windows and macOS always; Linux and the BSDs only with the `wgpu`
/// feature (Cargo.toml decides per target; build.rs sets the cfg).
pub const WGPU_BUILT: bool = cfg!(wgpu_renderer);

/// Whether `backend` is in this build.
pub fn is_built(backend: Backend, wgpu_built: bool) -> bool {
    backend == Backend::Glow || wgpu_built
}

/// The backends tried when nothing is forced, in order. Where wgpu is built (Windows, macOS), its platform API comes
/// first, as the best-supported path there (on Windows DX12 also runs on WARP where no GPU driver is installed),
/// and glow last: it starts on OpenGL drivers too old for wgpu's OpenGL backend. Elsewhere glow comes first: on
/// Mesa it is the cheapest renderer by far, and Linux always has OpenGL where it has a display.
pub fn default_order(platform: Platform, wgpu_built: bool) -> Vec<Backend> {
    match (platform, wgpu_built) {
        (_, false) => vec![Backend::Glow],
        (Platform::Windows, true) => {
            vec![Backend::Dx12, Backend::Vulkan, Backend::Gl, Backend::Glow]
        }
        (Platform::MacOs, true) => vec![Backend::Metal, Backend::Glow],
        (Platform::Other, true) => vec![Backend::Glow, Backend::Vulkan, Backend::Gl],
    }
}

/// The backends to try and why: the platform default, or what an environment variable forces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// The backends in the order they are tried.
    pub order: Vec<Backend>,
    /// Where the order came from ("default", "TRAINPRINT_BACKEND=gl", ...).
    pub source: String,
}

/// The backends to try: `trainprint_backend` (`TRAINPRINT_BACKEND`) wins over `wgpu_backend` (`WGPU_BACKEND`), which
/// wins over the platform default. A forced list is tried in the order given, each backend once; an unknown name
/// is an error (a typo must not silently fall back to the default). Without wgpu, `WGPU_BACKEND` is not ours to
/// read and is ignored, and `gl` (OpenGL) means glow, the OpenGL there is.
pub fn plan(
    platform: Platform,
    wgpu_built: bool,
    trainprint_backend: Option<&str>,
    wgpu_backend: Option<&str>,
) -> Result<Plan, String> {
    for (var, value) in [
        ("TRAINPRINT_BACKEND", trainprint_backend),
        ("WGPU_BACKEND", wgpu_backend.filter(|_| wgpu_built)),
    ] {
        let Some(value) = value.filter(|v| !v.trim().is_empty()) else {
            continue;
        };
        let mut order = Vec::new();
        for name in value.split(',').filter(|n| !n.trim().is_empty()) {
            let mut backend = Backend::parse(name).ok_or_else(|| {
                format!(
                    "{var}={value}: unknown backend `{}` (known: {})",
                    name.trim(),
                    Backend::ALL.map(Backend::name).join(", ")
                )
            })?;
            if backend == Backend::Gl && !wgpu_built {
                backend = Backend::Glow;
            }
            if !order.contains(&backend) {
                order.push(backend);
            }
        }
        return Ok(Plan {
            order,
            source: format!("{var}={value}"),
        });
    }
    Ok(Plan {
        order: default_order(platform, wgpu_built),
        source: "default".into(),
    })
}

/// What `startup.log` says of a backend as it is tried; when it is the log's last line, the process died inside that
/// backend (a driver that aborts rather than fails, as Wine's vkd3d does without Vulkan).
const TRYING: &str = "trying";
/// What `startup.log` says of a backend that ended an earlier start; carried from each start's log to the next
/// (followed by what this start does about it).
const ENDED: &str = "ended an earlier start while starting";

/// The backends that ended an earlier start, read from the previous `startup.log`: the backend its last line was
/// trying (the process died there), and those that log already carried forward.
pub fn crashed_before(previous_log: &str) -> Vec<Backend> {
    let says = |line: &str, what: &str| {
        let (name, rest) = line.trim().split_once(": ")?;
        rest.starts_with(what)
            .then(|| Backend::parse(name))
            .flatten()
    };
    let mut crashed: Vec<Backend> = previous_log
        .lines()
        .filter_map(|l| says(l, ENDED))
        .collect();
    let last = previous_log.lines().rev().find(|l| !l.trim().is_empty());
    let died_in = last.and_then(|l| {
        let name = l.trim().strip_suffix(TRYING)?.strip_suffix(": ")?;
        Backend::parse(name)
    });
    if let Some(b) = died_in
        && !crashed.contains(&b)
    {
        crashed.push(b);
    }
    crashed
}

/// `order` with the backends in `crashed` moved to its end (each group keeps its order): one that killed the
/// process before is still tried, but only when nothing else starts.
pub fn demote(order: &[Backend], crashed: &[Backend]) -> Vec<Backend> {
    let (last, first): (Vec<Backend>, Vec<Backend>) =
        order.iter().partition(|b| crashed.contains(b));
    first.into_iter().chain(last).collect()
}

/// One backend that was tried and did not start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The backend.
    pub backend: Backend,
    /// Why, as the graphics stack said it.
    pub reason: String,
}

/// The text of the message box (and the log) when no backend could open the window.
pub fn no_backend_message(failures: &[Failure], log: Option<&Path>) -> String {
    let mut text =
        String::from("Trainprint could not open its window: no graphics backend could start.\n");
    for f in failures {
        let _ = write!(text, "\n- {}: {}", f.backend.name(), f.reason);
    }
    text.push_str(
        "\n\nUpdating the graphics driver usually helps. TRAINPRINT_BACKEND=glow (or dx12, vulkan, gl, metal) forces \
         one backend. The command line (trainprint estimate ...) works without a window.",
    );
    if let Some(log) = log {
        let _ = write!(text, "\nDetails: {}", log.display());
    }
    text
}

/// The start-up log: what was tried, what was chosen, how long it took. Written to `startup.log` in the data
/// directory at the first frame, or when the window cannot open (replacing the previous start's).
struct StartupLog {
    path: Option<PathBuf>,
    text: String,
    /// Print each line on stderr as well (`TRAINPRINT_TIMING`).
    echo: bool,
}

impl StartupLog {
    fn new(echo: bool) -> StartupLog {
        let path = directories::ProjectDirs::from("org", "Trainprint", "Trainprint")
            .map(|d| d.data_dir().join("startup.log"));
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let date = crate::export::date::Date::from_days_since_epoch((secs / 86_400) as i64);
        let text = format!(
            "Trainprint {} ({}) started {date} {:02}:{:02}:{:02} UTC\n",
            env!("CARGO_PKG_VERSION"),
            std::env::consts::OS,
            secs % 86_400 / 3600,
            secs % 3600 / 60,
            secs % 60
        );
        StartupLog { path, text, echo }
    }

    fn line(&mut self, line: impl AsRef<str>) {
        let line = line.as_ref();
        if self.echo {
            eprintln!("trainprint: {line}");
        }
        self.text.push_str(line);
        self.text.push('\n');
    }

    /// Writes the log; a failure to write is itself reported on stderr (there is nowhere else to say it).
    fn write(&self) {
        let Some(path) = &self.path else { return };
        let result = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(path, &self.text));
        if let Err(e) = result {
            eprintln!("trainprint: cannot write {}: {e}", path.display());
        }
    }
}

/// Shows `text` in the platform's native message box (rfd: a Windows MessageBox, an NSAlert on macOS). On Linux
/// and the BSDs rfd uses `zenity`; without it `kdialog`, then `xmessage` (X11's own). Returns what showed it, for
/// the log; `None` when nothing could (then stderr and the log file are all there is).
fn message_box(title: &str, text: &str) -> Option<&'static str> {
    let rfd_box = || {
        rfd::MessageDialog::new()
            .set_level(rfd::MessageLevel::Error)
            .set_title(title)
            .set_description(text)
            .set_buttons(rfd::MessageButtons::Ok)
            .show()
    };
    #[cfg(any(windows, target_os = "macos"))]
    {
        rfd_box();
        Some("native message box")
    }
    #[cfg(not(any(windows, target_os = "macos")))]
    {
        use std::io::Write as _;
        use std::process::{Command, Stdio};
        let on_path = |tool: &str| {
            std::env::var_os("PATH")
                .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(tool).is_file()))
        };
        if on_path("zenity") {
            rfd_box();
            return Some("zenity");
        }
        if on_path("kdialog")
            && Command::new("kdialog")
                .args(["--title", title, "--error", text])
                .status()
                .is_ok_and(|s| s.success())
        {
            return Some("kdialog");
        }
        // xmessage can fail to connect to an X server that is still letting go of the window that just failed
        // (seen once in five under Xvfb): when it gives up at once, without having shown anything, try again.
        for attempt in 0..3 {
            if !on_path("xmessage") {
                break;
            }
            let started = std::time::Instant::now();
            let child = Command::new("xmessage")
                .args([
                    "-center", "-title", title, "-buttons", "OK:0", "-default", "OK", "-file", "-",
                ])
                .stdin(Stdio::piped())
                .spawn();
            let Ok(mut child) = child else { break };
            if let Some(mut stdin) = child.stdin.take() {
                let _ = stdin.write_all(text.as_bytes());
            }
            match child.wait() {
                Ok(s) if s.success() => return Some("xmessage"),
                _ if started.elapsed() < std::time::Duration::from_secs(1) && attempt < 2 => {
                    std::thread::sleep(std::time::Duration::from_millis(300));
                }
                _ => break,
            }
        }
        None
    }
}

/// Reports an error that keeps the window from opening: stderr (by the caller), the log, and a message box.
fn report_failure(log: &mut StartupLog, text: &str) {
    log.line(text);
    let shown = message_box("Trainprint cannot open its window", text);
    log.line(format!(
        "message box: {}",
        shown.unwrap_or("none could be shown (no zenity, kdialog or xmessage)")
    ));
    log.write();
}

/// The window options for one backend (which must be built).
fn native_options(backend: Backend) -> eframe::NativeOptions {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title(crate::ui::WINDOW_TITLE)
        .with_app_id("trainprint")
        .with_inner_size([1440.0, 900.0])
        .with_min_inner_size([900.0, 600.0]);
    if let Ok(icon) = eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icon-256.png"))
    {
        viewport = viewport.with_icon(std::sync::Arc::new(icon));
    }
    let mut options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    options.renderer = eframe::Renderer::Glow;
    #[cfg(wgpu_renderer)]
    {
        let backends = match backend {
            Backend::Dx12 => eframe::wgpu::Backends::DX12,
            Backend::Vulkan => eframe::wgpu::Backends::VULKAN,
            Backend::Metal => eframe::wgpu::Backends::METAL,
            Backend::Gl => eframe::wgpu::Backends::GL,
            Backend::Glow => return options,
        };
        options.renderer = eframe::Renderer::Wgpu;
        let mut setup = eframe::egui_wgpu::WgpuSetupCreateNew::without_display_handle();
        setup.instance_descriptor.backends = backends;
        options.wgpu_options.wgpu_setup = setup.into();
    }
    #[cfg(not(wgpu_renderer))]
    let _ = backend;
    options
}

/// What the graphics stack chose, for the log: renderer, backend, adapter, driver.
fn describe_render_state(cc: &eframe::CreationContext<'_>) -> String {
    #[cfg(wgpu_renderer)]
    if let Some(rs) = &cc.wgpu_render_state {
        let info = rs.adapter.get_info();
        return format!(
            "wgpu {:?} on {} ({:?}; driver {} {})",
            info.backend, info.name, info.device_type, info.driver, info.driver_info
        );
    }
    match &cc.gl {
        Some(gl) => {
            use eframe::glow::HasContext as _;
            let version = gl.version();
            format!(
                "glow, OpenGL{} {}.{} {}",
                if version.is_embedded { " ES" } else { "" },
                version.major,
                version.minor,
                version.vendor_info
            )
        }
        None => "no renderer state".into(),
    }
}

/// The eframe wrapper: draws the app and, at the end of the first frame, logs the time since process start (how
/// cold start is measured).
struct WindowApp<'a> {
    app: App,
    started: Option<Instant>,
    log: &'a mut StartupLog,
}

impl eframe::App for WindowApp<'_> {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.app.frame(ui);
        if let Some(t) = self.started.take() {
            self.log.line(format!(
                "first frame {:.0} ms after start",
                t.elapsed().as_secs_f64() * 1e3
            ));
            self.log.write();
        }
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.app.autosave_now();
        self.app.save_prefs();
    }
}

/// The text of a caught panic.
fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

/// Opens the window: the last session (or the first example), with `file` opened over it, on the first graphics
/// backend that starts. `started` is when the process started (for the cold-start report).
pub fn run(file: Option<PathBuf>, started: Instant) -> Result<(), String> {
    let mut log = StartupLog::new(std::env::var_os("TRAINPRINT_TIMING").is_some());
    let env = |name: &str| std::env::var_os(name).map(|v| v.to_string_lossy().into_owned());
    let previous = log
        .path
        .as_deref()
        .and_then(|p| std::fs::read_to_string(p).ok())
        .unwrap_or_default();
    let plan = match plan(
        Platform::current(),
        WGPU_BUILT,
        env("TRAINPRINT_BACKEND").as_deref(),
        env("WGPU_BACKEND").as_deref(),
    ) {
        Ok(plan) => plan,
        Err(e) => {
            report_failure(&mut log, &e);
            return Err(e);
        }
    };
    // The default order puts last what killed an earlier start; a forced list is tried as given. Either way the
    // log carries the memory on to the next start.
    let crashed = crashed_before(&previous);
    let forced = plan.source != "default";
    for b in &crashed {
        let what = if forced {
            "kept in the forced order"
        } else {
            "so it is tried last"
        };
        log.line(format!("{}: {ENDED}, {what}", b.name()));
    }
    let plan = if forced {
        plan
    } else {
        Plan {
            order: demote(&plan.order, &crashed),
            ..plan
        }
    };
    log.line(format!(
        "backends to try ({}): {}",
        plan.source,
        plan.order
            .iter()
            .map(|b| b.name())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    let app = match App::new(SessionDir::user(), file.as_deref(), Box::new(NativeDialogs)) {
        Ok(app) => app,
        Err(e) => {
            let text = format!("cannot start: {e}");
            report_failure(&mut log, &text);
            return Err(text);
        }
    };
    let mut slot = Some(app);
    let mut failures = Vec::new();
    for &backend in &plan.order {
        if !is_built(backend, WGPU_BUILT) {
            let reason = "not in this build (wgpu is built for Windows and macOS, or with the `wgpu` feature)";
            log.line(format!("{}: {reason}", backend.name()));
            failures.push(Failure {
                backend,
                reason: reason.into(),
            });
            continue;
        }
        // Written before the attempt: if the process dies inside it, the next start knows which backend it was.
        log.line(format!("{}: {TRYING}", backend.name()));
        log.write();
        let tried = Instant::now();
        let result = {
            let slot = &mut slot;
            let log = &mut log;
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
                eframe::run_native(
                    "Trainprint",
                    native_options(backend),
                    Box::new(move |cc| {
                        let app = slot
                            .take()
                            .ok_or("the app was already handed to a window")?;
                        log.line(format!(
                            "{}: started in {:.0} ms: {}",
                            backend.name(),
                            tried.elapsed().as_secs_f64() * 1e3,
                            describe_render_state(cc)
                        ));
                        Ok(Box::new(WindowApp {
                            app,
                            started: Some(started),
                            log,
                        }))
                    }),
                )
            }))
        };
        let reason = match result {
            Ok(Ok(())) => return Ok(()),
            Ok(Err(e)) => e.to_string(),
            Err(payload) => format!("panicked: {}", panic_text(payload.as_ref())),
        };
        if slot.is_none() {
            // The window was up and the app running: this is not a start-up failure, and the app is gone.
            let text = format!("the window closed on an error: {reason}");
            report_failure(&mut log, &text);
            return Err(text);
        }
        log.line(format!(
            "{}: failed after {:.0} ms: {reason}",
            backend.name(),
            tried.elapsed().as_secs_f64() * 1e3
        ));
        failures.push(Failure { backend, reason });
    }
    let text = no_backend_message(&failures, log.path.as_deref());
    report_failure(&mut log, &text);
    Err(text)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // tests may fail loudly
mod tests {
    use super::*;

    #[test]
    fn with_wgpu_the_platform_api_comes_first_and_glow_last() {
        assert_eq!(
            default_order(Platform::Windows, true),
            [Backend::Dx12, Backend::Vulkan, Backend::Gl, Backend::Glow]
        );
        assert_eq!(
            default_order(Platform::MacOs, true),
            [Backend::Metal, Backend::Glow]
        );
        assert_eq!(
            default_order(Platform::Other, true),
            [Backend::Glow, Backend::Vulkan, Backend::Gl]
        );
    }

    #[test]
    fn without_wgpu_glow_is_all_there_is() {
        for platform in [Platform::Windows, Platform::MacOs, Platform::Other] {
            assert_eq!(default_order(platform, false), [Backend::Glow]);
        }
        assert!(is_built(Backend::Glow, false));
        assert!(!is_built(Backend::Vulkan, false));
        assert!(is_built(Backend::Dx12, true));
    }

    #[test]
    fn this_build_has_wgpu_exactly_on_windows_and_macos_or_with_the_feature() {
        assert_eq!(
            WGPU_BUILT,
            cfg!(any(windows, target_os = "macos", feature = "wgpu"))
        );
    }

    #[test]
    fn nothing_forced_gives_the_default() {
        let p = plan(Platform::Windows, true, None, None).unwrap();
        assert_eq!(
            p.order,
            [Backend::Dx12, Backend::Vulkan, Backend::Gl, Backend::Glow]
        );
        assert_eq!(p.source, "default");
        // An empty or blank variable forces nothing.
        let p = plan(Platform::Other, false, Some(" "), Some("")).unwrap();
        assert_eq!(p.order, [Backend::Glow]);
    }

    #[test]
    fn a_forced_list_is_tried_in_its_own_order_once_each() {
        let p = plan(Platform::Windows, true, Some("GL, vk,opengl"), None).unwrap();
        assert_eq!(p.order, [Backend::Gl, Backend::Vulkan]);
        assert_eq!(p.source, "TRAINPRINT_BACKEND=GL, vk,opengl");
    }

    #[test]
    fn trainprint_backend_wins_over_wgpu_backend() {
        let p = plan(Platform::Windows, true, Some("vulkan"), Some("gl")).unwrap();
        assert_eq!(p.order, [Backend::Vulkan]);
        let p = plan(Platform::Windows, true, None, Some("d3d12")).unwrap();
        assert_eq!(p.order, [Backend::Dx12]);
        assert_eq!(p.source, "WGPU_BACKEND=d3d12");
    }

    #[test]
    fn without_wgpu_gl_means_glow_and_wgpu_backend_is_ignored() {
        let p = plan(Platform::Other, false, Some("gl"), None).unwrap();
        assert_eq!(p.order, [Backend::Glow]);
        let p = plan(Platform::Other, false, None, Some("vulkan")).unwrap();
        assert_eq!(p.order, [Backend::Glow]);
        assert_eq!(p.source, "default");
        // With wgpu, gl is wgpu's OpenGL backend.
        let p = plan(Platform::Other, true, Some("gl"), None).unwrap();
        assert_eq!(p.order, [Backend::Gl]);
    }

    #[test]
    fn an_unknown_backend_is_an_error_that_names_the_known_ones() {
        let e = plan(Platform::Other, false, Some("vulkan,dx11"), None).unwrap_err();
        assert_eq!(
            e,
            "TRAINPRINT_BACKEND=vulkan,dx11: unknown backend `dx11` (known: dx12, vulkan, metal, gl, glow)"
        );
    }

    #[test]
    fn every_name_parses_back_to_its_backend() {
        for b in Backend::ALL {
            assert_eq!(Backend::parse(b.name()), Some(b));
        }
        assert_eq!(Backend::parse("Metal"), Some(Backend::Metal));
        assert_eq!(Backend::parse("mtl"), Some(Backend::Metal));
        assert_eq!(Backend::parse("gles"), Some(Backend::Gl));
        assert_eq!(Backend::parse("webgpu"), None);
    }

    #[test]
    fn a_backend_the_last_start_died_in_is_tried_last_and_stays_last() {
        use Backend::*;
        let died = "Trainprint 0.1.0 (windows) started 2026-12-07 12:00:00 UTC\n\
                    backends to try (default): dx12, vulkan, gl, glow\n\
                    dx12: trying\n";
        assert_eq!(crashed_before(died), [Dx12]);
        let order = default_order(Platform::Windows, true);
        assert_eq!(demote(&order, &[Dx12]), [Vulkan, Gl, Glow, Dx12]);
        // The next start carries it forward, so the start after that does not die there again.
        let next = "dx12: ended an earlier start while starting, so it is tried last\n\
                    backends to try (default): vulkan, gl, glow, dx12\n\
                    vulkan: trying\n\
                    vulkan: started in 90 ms: Vulkan\n\
                    first frame 400 ms after start\n";
        assert_eq!(crashed_before(next), [Dx12]);
        // A backend that failed and the next one that started are not crashes.
        let failed_over = "dx12: trying\ndx12: failed after 20 ms: no adapter\nvulkan: trying\n\
                           vulkan: started in 90 ms: Vulkan\nfirst frame 400 ms after start\n";
        assert!(crashed_before(failed_over).is_empty());
        assert!(crashed_before("").is_empty());
        // A start with a forced order keeps the memory for the next default start.
        let forced = "dx12: ended an earlier start while starting, kept in the forced order\n\
                      backends to try (TRAINPRINT_BACKEND=gl): gl\ngl: trying\ngl: started in 80 ms: GL\n";
        assert_eq!(crashed_before(forced), [Dx12]);
        // Two that ended starts keep their own order at the end.
        assert_eq!(demote(&order, &[Gl, Dx12]), [Vulkan, Glow, Dx12, Gl]);
    }

    #[test]
    fn the_failure_message_lists_every_attempt_the_way_out_and_the_log() {
        let failures = [
            Failure {
                backend: Backend::Dx12,
                reason: "Parent device is lost".into(),
            },
            Failure {
                backend: Backend::Gl,
                reason: "no adapter".into(),
            },
        ];
        let text = no_backend_message(&failures, Some(Path::new("/data/startup.log")));
        assert!(text.starts_with("Trainprint could not open its window"));
        assert!(text.contains("\n- dx12: Parent device is lost\n- gl: no adapter\n"));
        assert!(text.contains("TRAINPRINT_BACKEND=glow"));
        assert!(text.ends_with("Details: /data/startup.log"));
    }
}
