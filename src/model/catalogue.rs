//! The catalogue: accelerators and regions with an id index, validation of every number, and the overlay of a
//! user's edits on the built-in presets.

use super::accelerator::{Accelerator, Precision};
use super::region::Region;
use super::utilization::{UtilizationEntry, UtilizationTable};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Accelerators and regions, indexed by id (ids are unique within each kind), and the utilisation table.
#[derive(Clone, Debug, Default)]
pub struct Catalogue {
    accelerators: Vec<Accelerator>,
    regions: Vec<Region>,
    accelerator_index: FxHashMap<String, usize>,
    region_index: FxHashMap<String, usize>,
    utilization: UtilizationTable,
}

impl PartialEq for Catalogue {
    fn eq(&self, other: &Self) -> bool {
        self.accelerators == other.accelerators
            && self.regions == other.regions
            && self.utilization == other.utilization
    }
}

/// Where a catalogue entry comes from, relative to the built-in presets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Exactly as shipped.
    BuiltIn,
    /// A built-in entry the user changed.
    Edited,
    /// An entry the user added.
    UserAdded,
}

impl Origin {
    /// A short label for the UI and exports.
    pub fn label(self) -> &'static str {
        match self {
            Origin::BuiltIn => "built-in",
            Origin::Edited => "edited",
            Origin::UserAdded => "user-added",
        }
    }
}

/// A problem with one catalogue value.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{kind} '{id}': {field} {problem}")]
pub struct CatalogueIssue {
    /// `accelerator` or `region`.
    pub kind: &'static str,
    /// The entry's id.
    pub id: String,
    /// The field name as in the file.
    pub field: String,
    /// What is wrong.
    pub problem: String,
}

impl Catalogue {
    /// Builds a catalogue; later entries with an id already present replace the earlier ones.
    pub fn new(accelerators: Vec<Accelerator>, regions: Vec<Region>) -> Self {
        let mut c = Catalogue::default();
        for a in accelerators {
            c.upsert_accelerator(a);
        }
        for r in regions {
            c.upsert_region(r);
        }
        c
    }

    /// This catalogue with a utilisation table (the built-in one comes from its own preset file).
    pub fn with_utilization(mut self, table: UtilizationTable) -> Self {
        self.utilization = table;
        self
    }

    /// The utilisation table: typical MFU per accelerator, precision and workload.
    #[inline]
    pub fn utilization(&self) -> &UtilizationTable {
        &self.utilization
    }

    /// The utilisation table, to edit.
    pub fn utilization_mut(&mut self) -> &mut UtilizationTable {
        &mut self.utilization
    }

    /// Every accelerator, in catalogue order.
    pub fn accelerators(&self) -> &[Accelerator] {
        &self.accelerators
    }

    /// Every region, in catalogue order.
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// The accelerator with this id.
    #[inline]
    pub fn accelerator(&self, id: &str) -> Option<&Accelerator> {
        self.accelerator_index
            .get(id)
            .and_then(|&i| self.accelerators.get(i))
    }

    /// The region with this id, or with the id an old id was renamed to (see [`REGION_RENAMES`]).
    #[inline]
    pub fn region(&self, id: &str) -> Option<&Region> {
        self.region_index
            .get(id)
            .or_else(|| self.region_index.get(renamed_region(id)?))
            .and_then(|&i| self.regions.get(i))
    }

    /// Adds an accelerator or replaces the one with the same id (keeping its position).
    pub fn upsert_accelerator(&mut self, a: Accelerator) {
        match self.accelerator_index.get(&a.id) {
            Some(&i) => self.accelerators[i] = a,
            None => {
                self.accelerator_index
                    .insert(a.id.clone(), self.accelerators.len());
                self.accelerators.push(a);
            }
        }
    }

    /// Adds a region or replaces the one with the same id (keeping its position).
    pub fn upsert_region(&mut self, r: Region) {
        match self.region_index.get(&r.id) {
            Some(&i) => self.regions[i] = r,
            None => {
                self.region_index.insert(r.id.clone(), self.regions.len());
                self.regions.push(r);
            }
        }
    }

    /// Removes an accelerator; returns it if it was there.
    pub fn remove_accelerator(&mut self, id: &str) -> Option<Accelerator> {
        let i = self.accelerator_index.remove(id)?;
        let a = self.accelerators.remove(i);
        self.reindex();
        Some(a)
    }

    /// Removes a region; returns it if it was there.
    pub fn remove_region(&mut self, id: &str) -> Option<Region> {
        let i = self.region_index.remove(id)?;
        let r = self.regions.remove(i);
        self.reindex();
        Some(r)
    }

    fn reindex(&mut self) {
        self.accelerator_index = self
            .accelerators
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i))
            .collect();
        self.region_index = self
            .regions
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
    }

    /// This catalogue with the user's edits applied on top: removals, then replacements and additions by id.
    pub fn with_edits(&self, edits: &CatalogueEdits) -> Catalogue {
        let mut c = self.clone();
        for id in &edits.removed_accelerators {
            c.remove_accelerator(id);
        }
        for id in &edits.removed_regions {
            c.remove_region(id);
        }
        for a in &edits.accelerators {
            c.upsert_accelerator(a.clone());
        }
        for r in &edits.regions {
            c.upsert_region(r.clone());
        }
        c.utilization.set_overrides(edits.utilization.clone());
        c
    }

    /// The edits that turn `base` into this catalogue (the inverse of [`Catalogue::with_edits`]).
    pub fn edits_from(&self, base: &Catalogue) -> CatalogueEdits {
        CatalogueEdits {
            accelerators: self
                .accelerators
                .iter()
                .filter(|a| base.accelerator(&a.id) != Some(*a))
                .cloned()
                .collect(),
            regions: self
                .regions
                .iter()
                .filter(|r| base.region(&r.id) != Some(*r))
                .cloned()
                .collect(),
            removed_accelerators: base
                .accelerators
                .iter()
                .filter(|a| self.accelerator(&a.id).is_none())
                .map(|a| a.id.clone())
                .collect(),
            removed_regions: base
                .regions
                .iter()
                .filter(|r| self.region(&r.id).is_none())
                .map(|r| r.id.clone())
                .collect(),
            utilization: self
                .utilization
                .overrides()
                .iter()
                .filter(|e| {
                    base.utilization
                        .preset_entry(&e.accelerator, e.precision, e.workload)
                        != Some(*e)
                })
                .cloned()
                .collect(),
        }
    }

    /// Every problem in the catalogue: empty ids or sources, duplicate ids, numbers that are not finite and
    /// positive (or in range), a peak marked but missing everywhere.
    pub fn issues(&self) -> Vec<CatalogueIssue> {
        let mut out = Vec::new();
        for a in &self.accelerators {
            accelerator_issues(a, &mut out);
        }
        for r in &self.regions {
            region_issues(r, &mut out);
        }
        out
    }
}

/// Region ids renamed since an earlier release, `(old, new)`: the old ids named one grid zone as if it were a whole
/// country (`in` is western India, IN-WE), or a cloud region that does not exist (`azure-northeurope-finland` is
/// Microsoft's Finland Central region). Old workspaces, plans and command lines keep working: a workspace's ids are
/// renamed when it is loaded, and a lookup by an old id finds the renamed entry.
pub const REGION_RENAMES: &[(&str, &str)] = &[
    ("in", "in-west"),
    ("jp", "jp-tokyo"),
    ("it", "it-north"),
    ("br", "br-south-central"),
    ("azure-northeurope-finland", "azure-finlandcentral"),
];

/// The id an old region id was renamed to, if it was.
///
/// ```
/// use trainprint::model::catalogue::renamed_region;
/// assert_eq!(renamed_region("jp"), Some("jp-tokyo"));
/// assert_eq!(renamed_region("fr"), None);
/// ```
pub fn renamed_region(old: &str) -> Option<&'static str> {
    REGION_RENAMES
        .iter()
        .find(|(o, _)| *o == old)
        .map(|(_, new)| *new)
}

fn issue(
    out: &mut Vec<CatalogueIssue>,
    kind: &'static str,
    id: &str,
    field: impl fmt::Display,
    problem: impl Into<String>,
) {
    out.push(CatalogueIssue {
        kind,
        id: id.to_owned(),
        field: field.to_string(),
        problem: problem.into(),
    });
}

fn check_positive(
    out: &mut Vec<CatalogueIssue>,
    kind: &'static str,
    id: &str,
    field: impl fmt::Display,
    v: f64,
) {
    if !v.is_finite() {
        issue(
            out,
            kind,
            id,
            field,
            format!("must be a finite number, got {v}"),
        );
    } else if v <= 0.0 {
        issue(out, kind, id, field, format!("must be positive, got {v}"));
    }
}

fn check_text(out: &mut Vec<CatalogueIssue>, kind: &'static str, id: &str, field: &str, s: &str) {
    if s.trim().is_empty() {
        issue(out, kind, id, field, "must not be empty");
    }
}

fn check_year(out: &mut Vec<CatalogueIssue>, kind: &'static str, id: &str, field: &str, y: u16) {
    if !(1990..=2100).contains(&y) {
        issue(
            out,
            kind,
            id,
            field,
            format!("must be a year between 1990 and 2100, got {y}"),
        );
    }
}

/// Checks an id: lowercase ASCII letters, digits and dashes, 1 to 64 characters.
pub fn id_problem(id: &str) -> Option<&'static str> {
    if id.is_empty() {
        Some("must not be empty")
    } else if id.len() > 64 {
        Some("must be at most 64 characters")
    } else if !id
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        Some("may only hold lowercase letters, digits and '-'")
    } else {
        None
    }
}

/// The problems with one accelerator entry (appended to `out`).
pub fn accelerator_issues(a: &Accelerator, out: &mut Vec<CatalogueIssue>) {
    const K: &str = "accelerator";
    let id = a.id.as_str();
    if let Some(p) = id_problem(id) {
        issue(out, K, id, "id", p);
    }
    check_text(out, K, id, "name", &a.name);
    check_text(out, K, id, "vendor", &a.vendor);
    check_text(out, K, id, "source", &a.source);
    check_year(out, K, id, "year", a.year);
    check_year(out, K, id, "data_year", a.data_year);
    if let Some(y) = a.checked_year {
        check_year(out, K, id, "checked_year", y);
    }
    if let Some(t) = a.tdp_watts {
        check_positive(out, K, id, "tdp_watts", t);
    }
    check_positive(out, K, id, "memory_gb", a.memory_gb);
    for p in Precision::ALL {
        if let Some(v) = a.peak_tflops.get(p) {
            check_positive(out, K, id, format_args!("peak_tflops.{p}"), v);
        }
    }
    if a.peak_tflops.available().next().is_none() {
        issue(out, K, id, "peak_tflops", "needs at least one precision");
    }
    if let Some(e) = a.embodied_kgco2e {
        check_positive(out, K, id, "embodied_kgco2e", e);
        check_text(out, K, id, "embodied_scope", &a.embodied_scope);
    }
    if let Some(l) = a.lifetime_years {
        check_positive(out, K, id, "lifetime_years", l);
    }
}

/// The problems with one region entry (appended to `out`).
pub fn region_issues(r: &Region, out: &mut Vec<CatalogueIssue>) {
    const K: &str = "region";
    let id = r.id.as_str();
    if let Some(p) = id_problem(id) {
        issue(out, K, id, "id", p);
    }
    check_text(out, K, id, "name", &r.name);
    check_text(out, K, id, "country", &r.country);
    check_text(out, K, id, "source", &r.source);
    check_text(out, K, id, "intensity_basis", &r.intensity_basis);
    check_year(out, K, id, "intensity_year", r.intensity_year);
    check_positive(out, K, id, "intensity_g_per_kwh", r.intensity_g_per_kwh);
    if let Some(p) = r.pue {
        if !p.is_finite() || p < 1.0 {
            issue(
                out,
                K,
                id,
                "pue",
                format!("must be a finite number of at least 1, got {p}"),
            );
        }
        match r.pue_year {
            Some(y) => check_year(out, K, id, "pue_year", y),
            None => issue(out, K, id, "pue_year", "must be given with pue"),
        }
    }
    if let Some(w) = r.wue_l_per_kwh {
        check_positive(out, K, id, "wue_l_per_kwh", w);
    }
    for (field, year) in [
        ("wue_year", r.wue_year),
        ("cfe_year", r.cfe_year),
        ("price_year", r.price_year),
    ] {
        if let Some(y) = year {
            check_year(out, K, id, field, y);
        }
    }
    if let Some(c) = r.cfe_share
        && !(c.is_finite() && (0.0..=1.0).contains(&c))
    {
        issue(
            out,
            K,
            id,
            "cfe_share",
            format!("must be between 0 and 1, got {c}"),
        );
    }
    if let Some(p) = r.electricity_usd_per_kwh {
        check_positive(out, K, id, "electricity_usd_per_kwh", p);
    }
    if let Some(c) = &r.cloud {
        check_text(out, K, id, "cloud.provider", &c.provider);
        check_text(out, K, id, "cloud.region", &c.region);
    }
    if let Some(z) = &r.live_zone {
        check_text(out, K, id, "live_zone.zone", &z.zone);
    }
    if let Some(l) = &r.live {
        check_positive_or_zero(
            out,
            K,
            id,
            "live.intensity_g_per_kwh",
            l.intensity_g_per_kwh,
        );
        for (i, p) in l.forecast.iter().enumerate() {
            check_positive_or_zero(
                out,
                K,
                id,
                format_args!("live.forecast[{i}].intensity_g_per_kwh"),
                p.intensity_g_per_kwh,
            );
        }
    }
}

/// The values of a region given without their year (appended to `out`): since catalogue version 3 every WUE,
/// carbon-free-energy share and electricity price carries its own year, as PUE and intensity do. Older catalogues
/// and workspace edits did not, so they are not held to it.
pub fn region_year_issues(r: &Region, out: &mut Vec<CatalogueIssue>) {
    for (value, field, year) in [
        (r.wue_l_per_kwh.is_some(), "wue_year", r.wue_year),
        (r.cfe_share.is_some(), "cfe_year", r.cfe_year),
        (
            r.electricity_usd_per_kwh.is_some(),
            "price_year",
            r.price_year,
        ),
    ] {
        if value && year.is_none() {
            issue(out, "region", &r.id, field, "must be given with its value");
        }
    }
}

fn check_positive_or_zero(
    out: &mut Vec<CatalogueIssue>,
    kind: &'static str,
    id: &str,
    field: impl fmt::Display,
    v: f64,
) {
    if !v.is_finite() || v < 0.0 {
        issue(
            out,
            kind,
            id,
            field,
            format!("must be a finite number of at least 0, got {v}"),
        );
    }
}

/// The problems with one utilisation entry (appended to `out`).
pub fn utilization_issues(e: &UtilizationEntry, out: &mut Vec<CatalogueIssue>) {
    let id = format!("{} {} {}", e.accelerator, e.precision, e.workload);
    let mut push = |field: &str, problem: String| {
        out.push(CatalogueIssue {
            kind: "utilization entry",
            id: id.clone(),
            field: field.to_owned(),
            problem,
        })
    };
    if let Some(p) = id_problem(&e.accelerator) {
        push("accelerator", p.to_owned());
    }
    for (field, v) in [("mfu", e.mfu), ("low", e.low), ("high", e.high)] {
        if !(v.is_finite() && v > 0.0 && v <= 1.0) {
            push(
                field,
                format!("must be greater than 0 and at most 1, got {v}"),
            );
        }
    }
    if !(e.low <= e.mfu && e.mfu <= e.high) {
        push(
            "low..high",
            format!("must contain mfu {} (got {}..{})", e.mfu, e.low, e.high),
        );
    }
    if !(1990..=2100).contains(&e.year) {
        push(
            "year",
            format!("must be a year between 1990 and 2100, got {}", e.year),
        );
    }
    if e.sources.iter().all(|s| s.trim().is_empty()) {
        push("sources", "must name at least one source".into());
    }
}

/// A user's changes to the built-in catalogue, stored in the workspace: entries added or replaced by id, and ids
/// removed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CatalogueEdits {
    /// Accelerators added, or replacing a built-in one with the same id.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub accelerators: Vec<Accelerator>,
    /// Regions added, or replacing a built-in one with the same id.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<Region>,
    /// Built-in accelerator ids the user deleted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub removed_accelerators: Vec<String>,
    /// Built-in region ids the user deleted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub removed_regions: Vec<String>,
    /// Utilisation entries added, or replacing the built-in entry for the same accelerator, precision and
    /// workload (workspace version 4).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub utilization: Vec<UtilizationEntry>,
}

impl CatalogueEdits {
    /// True when there are no edits.
    pub fn is_empty(&self) -> bool {
        self.accelerators.is_empty()
            && self.regions.is_empty()
            && self.removed_accelerators.is_empty()
            && self.removed_regions.is_empty()
            && self.utilization.is_empty()
    }
}
