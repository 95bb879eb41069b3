//! The calculation engine: plain functions over plain data, no I/O, no clock, no UI.
//!
//! facility energy = accelerator-hours x average power x PUE; CO2e = facility energy x grid intensity
//! (+ embodied share). Each formula lives in [`formula`] with its equation and units.

pub mod actual;
pub mod actual_entry;
pub mod analysis;
pub mod compare;
pub mod decompose;
pub mod defaults;
pub mod derivation;
pub mod equivalents;
pub mod error;
pub mod estimate;
pub mod formula;
pub mod plan_schedule;
pub mod provenance;
pub mod results;
pub mod schedule;
pub mod sweep;
pub mod uncertainty;

pub use compare::{Comparison, PlanResult, compare, delta_pct};
pub use error::{EstimateError, Field, Rule};
pub use estimate::{
    Assumption, Assumptions, Estimate, Term, TermShare, ValueSource, estimate, estimate_with,
    validate_plan,
};
