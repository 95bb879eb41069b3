//! Build script: on Windows targets, embed the app icon and version information in the executable (a resource
//! compiled with the MinGW or MSVC resource compiler). Other targets need nothing.

fn main() {
    println!("cargo:rerun-if-changed=assets/icon.ico");
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("windows") {
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
