//! Trainprint estimates the energy (kWh) and carbon footprint (CO2e) of training machine-learning models and
//! compares training plans side by side.
//!
//! The core — [`model`], [`engine`], [`persist`], [`export`] — never touches a UI: it builds and tests without
//! the default `gui` feature. The desktop app ([`app`], `ui`) sits behind that feature.

pub mod chart;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod clock;
pub mod engine;
pub mod export;
pub mod model;
pub mod net;
pub mod palette;
pub mod persist;
pub mod units;

#[cfg(feature = "gui")]
pub mod app;
#[cfg(feature = "gui")]
pub mod ui;
