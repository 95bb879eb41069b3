//! Build script: on Windows targets, embed the app icon and version information in the executable (a resource
//! compiled with the MinGW or MSVC resource compiler). On every target, set `cfg(wgpu_renderer)` where eframe's
//! wgpu renderer is built, which Cargo.toml decides per target (Windows, macOS) and by the `wgpu` feature.

fn main() {
    println!("cargo:rerun-if-changed=assets/icon.ico");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo::rustc-check-cfg=cfg(wgpu_renderer)");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let gui = std::env::var_os("CARGO_FEATURE_GUI").is_some();
    if gui && (os == "windows" || os == "macos" || std::env::var_os("CARGO_FEATURE_WGPU").is_some())
    {
        println!("cargo::rustc-cfg=wgpu_renderer");
    }
    if os == "windows" {
        let mut res = winresource::WindowsResource::new();
        res.set_icon("assets/icon.ico");
        res.set("ProductName", "Trainprint");
        res.set(
            "FileDescription",
            "Trainprint: energy and carbon footprint of ML training",
        );
        if let Err(e) = res.compile() {
            // A missing resource compiler must fail loudly: an exe without its icon is a broken release.
            println!("cargo:warning=cannot embed the Windows icon: {e}");
            std::process::exit(1);
        }
    }
}
