//! Core tests: engine, published cases, properties, presets and persistence. They use only the library's
//! engine-side API and run with `--no-default-features` (no egui).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may fail loudly

mod actions;
mod engine;
mod persist;
mod planning;
mod presets;
mod properties;
mod published;
mod session;
mod support;
mod throughput;
