//! Exports: the summary rows shared by the CLI and the export files (CSV, Markdown, JSON).

pub mod summary;
