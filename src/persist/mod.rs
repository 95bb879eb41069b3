//! Persistence: the strict, versioned RON formats of catalogues, utilisation tables and workspaces, atomic saves,
//! and the presets embedded in the binary.

pub mod atomic;
pub mod catalogue;
pub mod error;
pub mod measured;
pub mod presets;
pub mod profiles;
pub mod ron_file;
pub mod session;
pub mod utilization;
pub mod workspace;

pub use error::{FileError, FileErrorKind};
