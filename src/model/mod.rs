//! The data model: accelerators, regions, the catalogue that holds them, training plans and workspaces. Plain data,
//! no I/O and no UI.

pub mod accelerator;
pub mod action;
pub mod catalogue;
pub mod history;
pub mod live;
pub mod measured;
pub mod plan;
pub mod profile;
pub mod region;
pub mod sweep;
pub mod utilization;
pub mod validate;
pub mod workspace;

pub use accelerator::{Accelerator, PeakTflops, Precision, UnknownPrecision};
pub use action::{Action, ActionError, MAX_PLANS, apply};
pub use catalogue::{Catalogue, CatalogueEdits, CatalogueIssue, Origin};
pub use history::History;
pub use live::{IntensityPoint, LiveIntensity, LiveZone, ProviderKind, UnknownProvider};
pub use measured::{
    DeviceReading, MAX_MEASURED, MeasuredEntry, MeasuredInvalid, MeasuredRun, MeasuredSource,
};
pub use plan::{
    Duration, EmbodiedSpec, HostOverhead, ItemUnit, PlanId, PlanRanges, Power, Price, Range,
    TrainingPlan, Work,
};
pub use region::{CloudRegion, Region};
pub use sweep::{Sweep, SweepKind, SweepOver};
pub use utilization::{
    PrecisionPath, UnknownWorkload, Utilization, UtilizationEntry, UtilizationOrigin,
    UtilizationRule, UtilizationTable, Workload,
};
pub use workspace::Workspace;
