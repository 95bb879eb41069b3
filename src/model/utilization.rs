//! The utilisation table: typical achieved model-FLOPs utilisation (MFU) per accelerator, precision and workload
//! class, each entry with a low..high range, its sources, its year and how many measurements stand behind it, and
//! the structured rule (workload level x architecture generation x precision path, capped) that fills every cell
//! nothing measured. The built-in table is `presets/utilization.ron` (written by `tools/utilization/fit.py`);
//! workspaces override entries like accelerators and regions.

use super::accelerator::{Accelerator, Precision};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

/// The kind of model trained, which sets how much of the peak a run reaches.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Workload {
    /// Decoder language models (GPT, LLaMA, MPT, Transformer-XL).
    #[default]
    Llm,
    /// Transformer encoders (BERT, ELECTRA, ViT-style).
    Encoder,
    /// Convolutional vision models (ResNet, EfficientNet, U-Nets including diffusion U-Nets, detectors).
    Cnn,
}

impl Workload {
    /// Every class, in display order.
    pub const ALL: [Workload; 3] = [Workload::Llm, Workload::Encoder, Workload::Cnn];

    /// The lowercase name used in files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Workload::Llm => "llm",
            Workload::Encoder => "encoder",
            Workload::Cnn => "cnn",
        }
    }

    /// A short label for the UI.
    pub fn label(self) -> &'static str {
        match self {
            Workload::Llm => "LLM (decoder)",
            Workload::Encoder => "Encoder (BERT, ViT)",
            Workload::Cnn => "CNN (ResNet, U-Net)",
        }
    }

    /// What the class covers.
    pub fn description(self) -> &'static str {
        match self {
            Workload::Llm => "decoder language models: GPT, LLaMA, MPT, Transformer-XL",
            Workload::Encoder => "transformer encoders: BERT, ELECTRA and ViT-style models",
            Workload::Cnn => {
                "convolutional vision models: ResNet, EfficientNet, detectors and U-Nets (diffusion U-Nets included)"
            }
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Workload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error for a workload name that is not one of the classes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown workload '{0}' (expected one of llm, encoder, cnn)")]
pub struct UnknownWorkload(pub String);

impl FromStr for Workload {
    type Err = UnknownWorkload;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Workload::ALL
            .into_iter()
            .find(|w| w.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownWorkload(s.to_owned()))
    }
}

/// The hardware path a precision runs on: what sets the share of the peak a run reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrecisionPath {
    /// FP32 on the vector units (no tensor cores).
    Vector,
    /// TF32 on tensor cores.
    Tf32,
    /// 16-bit (BF16 or FP16) on tensor cores.
    Half,
    /// FP8 on tensor cores.
    Fp8,
}

impl PrecisionPath {
    /// The path a precision takes on an accelerator with tensor cores.
    pub fn of(p: Precision) -> Self {
        match p {
            Precision::Fp32 => PrecisionPath::Vector,
            Precision::Tf32 => PrecisionPath::Tf32,
            Precision::Bf16 | Precision::Fp16 => PrecisionPath::Half,
            Precision::Fp8 => PrecisionPath::Fp8,
        }
    }

    /// A label.
    pub fn label(self) -> &'static str {
        match self {
            PrecisionPath::Vector => "vector FP32",
            PrecisionPath::Tf32 => "TF32",
            PrecisionPath::Half => "16-bit",
            PrecisionPath::Fp8 => "FP8",
        }
    }
}

/// One cell of the table: the typical MFU of an accelerator at a precision for a workload class.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UtilizationEntry {
    /// Catalogue id of the accelerator.
    pub accelerator: String,
    /// The precision (its dense peak is what the MFU is a share of).
    pub precision: Precision,
    /// The workload class.
    pub workload: Workload,
    /// Typical model-FLOPs utilisation, in (0, 1].
    pub mfu: f64,
    /// Low end of the typical range.
    pub low: f64,
    /// High end of the typical range.
    pub high: f64,
    /// How many measurements stand behind the entry (0 when the rule fills it).
    pub n: u32,
    /// The year of the newest source.
    pub year: u16,
    /// Where the value comes from.
    pub sources: Vec<String>,
    /// The rule that filled the entry, when nothing measured it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derived: Option<String>,
}

impl UtilizationEntry {
    /// True when the entry is for this accelerator, precision and workload.
    #[inline]
    pub fn is_for(&self, accelerator: &str, precision: Precision, workload: Workload) -> bool {
        self.precision == precision && self.workload == workload && self.accelerator == accelerator
    }
}

/// The ceilings no cell exceeds: the highest MFU measured on tensor cores and on the vector units.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Caps {
    /// Tensor-core paths (TF32, 16-bit, FP8).
    pub tensor: f64,
    /// The vector FP32 path.
    pub vector: f64,
}

/// The typical 16-bit MFU of a workload class on the reference generation, with the spread of models around the
/// rule.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// The class.
    pub workload: Workload,
    /// Typical MFU.
    pub value: f64,
    /// Low end of the spread, as a factor of a cell's value.
    pub low: f64,
    /// High end of the spread, as a factor of a cell's value.
    pub high: f64,
    /// Training setups behind the value.
    pub n: u32,
    /// Year of the newest source.
    pub year: u16,
    /// How it was computed, from what.
    pub source: String,
}

/// Which within-recipe contrast a factor measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FactorKind {
    /// TF32 over 16-bit MFU (Ampere).
    Tf32,
    /// FP8 over 16-bit MFU (Hopper).
    Fp8,
    /// Vector FP32 over 16-bit MFU (Volta).
    Vector,
    /// Volta over Ampere, 16-bit.
    Volta,
    /// Hopper over Ampere, 16-bit.
    Hopper,
}

impl FactorKind {
    /// The lowercase name used in the preset file.
    pub fn as_str(self) -> &'static str {
        match self {
            FactorKind::Tf32 => "tf32",
            FactorKind::Fp8 => "fp8",
            FactorKind::Vector => "vector",
            FactorKind::Volta => "volta",
            FactorKind::Hopper => "hopper",
        }
    }
}

/// One fitted factor of the rule, for one workload class.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Factor {
    /// The contrast.
    pub factor: FactorKind,
    /// The class.
    pub workload: Workload,
    /// The factor.
    pub value: f64,
    /// Model families behind it (0 when pooled).
    pub n: u32,
    /// True when the class had no measurement and the median of the measured classes is used.
    pub pooled: bool,
    /// Year of the newest source.
    pub year: u16,
    /// How it was computed, from what.
    pub source: String,
}

/// How a generation scales the reference generation's 16-bit level.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum GenerationFactor {
    /// The reference generation (factor 1).
    Reference,
    /// A measured contrast, per workload class.
    Contrast(FactorKind),
    /// One measured factor for every class.
    Constant(f64),
    /// No measurement: the factors of the generation with this id.
    Like(String),
}

/// An architecture generation and the accelerators in it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Generation {
    /// Stable id (`hopper`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Catalogue ids in the generation.
    pub accelerators: Vec<String>,
    /// Name fragments that place an accelerator a user adds (matched case-insensitively in its name).
    pub names: Vec<String>,
    /// How the generation's factor is known.
    pub factor: GenerationFactor,
    /// No tensor cores: every precision runs on the vector units.
    #[serde(default)]
    pub vector_only: bool,
    /// Why the factor is what it is.
    pub basis: String,
}

/// The rule that fills the table: `MFU = min(cap, level[workload] x generation x path)`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UtilizationRule {
    /// The method in words.
    pub method: String,
    /// Ceilings.
    pub caps: Caps,
    /// Per-class levels.
    pub levels: Vec<Level>,
    /// Per-class factors.
    pub factors: Vec<Factor>,
    /// The generations.
    pub generations: Vec<Generation>,
}

/// A cell the rule computed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RuleCell<'a> {
    /// The MFU (rounded to three significant digits, like the table).
    pub mfu: f64,
    /// Low end of its range.
    pub low: f64,
    /// High end of its range.
    pub high: f64,
    /// The generation the accelerator was placed in (`None`: unknown, the reference generation is used).
    pub generation: Option<&'a Generation>,
    /// The path the precision runs on.
    pub path: PrecisionPath,
    /// The product before the cap.
    pub uncapped: f64,
    /// The cap, when it applied.
    pub capped_at: Option<f64>,
}

/// Rounds to three significant digits, as the preset table stores values.
pub fn round3(x: f64) -> f64 {
    format!("{x:.2e}").parse().unwrap_or(x)
}

fn sig3(x: f64) -> String {
    let r = round3(x);
    let s = format!("{r}");
    if s.len() > 8 { format!("{r:.3}") } else { s }
}

impl UtilizationRule {
    /// The level of a class.
    pub fn level(&self, w: Workload) -> Option<&Level> {
        self.levels.iter().find(|l| l.workload == w)
    }

    /// A factor of the rule.
    pub fn factor(&self, kind: FactorKind, w: Workload) -> Option<&Factor> {
        self.factors
            .iter()
            .find(|f| f.factor == kind && f.workload == w)
    }

    /// A generation by id.
    pub fn generation(&self, id: &str) -> Option<&Generation> {
        self.generations.iter().find(|g| g.id == id)
    }

    /// The generation of an accelerator: by catalogue id, else by the longest name fragment its name contains.
    pub fn generation_of(&self, acc: &Accelerator) -> Option<&Generation> {
        if let Some(g) = self
            .generations
            .iter()
            .find(|g| g.accelerators.contains(&acc.id))
        {
            return Some(g);
        }
        let name = acc.name.to_uppercase();
        self.generations
            .iter()
            .flat_map(|g| g.names.iter().map(move |n| (g, n)))
            .filter(|(_, n)| !n.is_empty() && name.contains(&n.to_uppercase()))
            .max_by_key(|(_, n)| n.len())
            .map(|(g, _)| g)
    }

    /// The 16-bit factor of a generation for a class, following `Like` links.
    pub fn generation_factor(&self, g: &Generation, w: Workload) -> Option<f64> {
        let mut g = g;
        for _ in 0..8 {
            match &g.factor {
                GenerationFactor::Reference => return Some(1.0),
                GenerationFactor::Contrast(k) => return self.factor(*k, w).map(|f| f.value),
                GenerationFactor::Constant(x) => return Some(*x),
                GenerationFactor::Like(id) => g = self.generation(id)?,
            }
        }
        None
    }

    /// The rule's cell for an accelerator, precision and class (`None` when the rule lacks a level or factor).
    pub fn cell<'a>(
        &'a self,
        acc: &Accelerator,
        precision: Precision,
        w: Workload,
    ) -> Option<RuleCell<'a>> {
        let level = self.level(w)?;
        let generation = self.generation_of(acc);
        let vector_only = generation.is_some_and(|g| g.vector_only);
        let path = if vector_only {
            PrecisionPath::Vector
        } else {
            PrecisionPath::of(precision)
        };
        let (uncapped, cap) = match path {
            PrecisionPath::Vector => (
                level.value
                    * self.factor(FactorKind::Volta, w)?.value
                    * self.factor(FactorKind::Vector, w)?.value,
                self.caps.vector,
            ),
            _ => {
                let g = match generation {
                    Some(g) => self.generation_factor(g, w)?,
                    None => 1.0,
                };
                let p = match path {
                    PrecisionPath::Tf32 => self.factor(FactorKind::Tf32, w)?.value,
                    PrecisionPath::Fp8 => self.factor(FactorKind::Fp8, w)?.value,
                    _ => 1.0,
                };
                (level.value * g * p, self.caps.tensor)
            }
        };
        let mfu = round3(uncapped.min(cap));
        if !(mfu.is_finite() && mfu > 0.0) {
            return None;
        }
        Some(RuleCell {
            mfu,
            low: round3((mfu * level.low).min(mfu)),
            high: round3((mfu * level.high).min(cap).max(mfu)),
            generation,
            path,
            uncapped,
            capped_at: (uncapped > cap).then_some(cap),
        })
    }

    /// How the rule filled a cell, in words.
    pub fn explain(&self, acc: &Accelerator, precision: Precision, w: Workload) -> Option<String> {
        let c = self.cell(acc, precision, w)?;
        let level = self.level(w)?;
        let mut parts = vec![format!("{w} 16-bit level {}", sig3(level.value))];
        let g = c.generation;
        match c.path {
            PrecisionPath::Vector => parts.push(format!(
                "x Volta {} x vector-FP32 path {} (any generation)",
                sig3(self.factor(FactorKind::Volta, w)?.value),
                sig3(self.factor(FactorKind::Vector, w)?.value)
            )),
            path => {
                if let Some(g) = g {
                    let f = self.generation_factor(g, w)?;
                    if f != 1.0 || !matches!(g.factor, GenerationFactor::Reference) {
                        let base = self.base_generation(g).unwrap_or(g);
                        parts.push(format!("x {} {}", base.name, sig3(f)));
                    }
                }
                let kind = match path {
                    PrecisionPath::Tf32 => Some(FactorKind::Tf32),
                    PrecisionPath::Fp8 => Some(FactorKind::Fp8),
                    _ => None,
                };
                if let Some(k) = kind {
                    parts.push(format!(
                        "x {} path {}",
                        c.path.label(),
                        sig3(self.factor(k, w)?.value)
                    ));
                }
            }
        }
        if let Some(cap) = c.capped_at {
            parts.push(format!(
                "= {}, capped at {} (the highest MFU measured on {})",
                sig3(c.uncapped),
                sig3(cap),
                if c.path == PrecisionPath::Vector {
                    "the vector units"
                } else {
                    "tensor cores"
                }
            ));
        }
        let why = match g {
            Some(g) => match (&g.factor, self.base_generation(g)) {
                (GenerationFactor::Like(_), Some(base)) => {
                    format!("{}, as {}: {}", g.name, base.name, g.basis)
                }
                _ => g.name.clone(),
            },
            None => {
                "generation unknown (its name matches none): the reference generation".to_owned()
            }
        };
        Some(format!(
            "rule: {}; {why}; no measurement of {} at {} for {w}",
            parts.join(" "),
            acc.name,
            precision.label()
        ))
    }

    fn base_generation<'a>(&'a self, g: &'a Generation) -> Option<&'a Generation> {
        let mut g = g;
        for _ in 0..8 {
            match &g.factor {
                GenerationFactor::Like(id) => g = self.generation(id)?,
                _ => return Some(g),
            }
        }
        None
    }

    /// The sources a derived cell rests on.
    pub fn sources(&self, acc: &Accelerator, precision: Precision, w: Workload) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(l) = self.level(w) {
            out.push(format!("{w} level: {}", l.source));
        }
        let path = match self.generation_of(acc) {
            Some(g) if g.vector_only => PrecisionPath::Vector,
            _ => PrecisionPath::of(precision),
        };
        let mut kinds = Vec::new();
        match path {
            PrecisionPath::Vector => kinds.extend([FactorKind::Volta, FactorKind::Vector]),
            PrecisionPath::Tf32 => kinds.push(FactorKind::Tf32),
            PrecisionPath::Fp8 => kinds.push(FactorKind::Fp8),
            PrecisionPath::Half => {}
        }
        if path != PrecisionPath::Vector
            && let Some(g) = self
                .generation_of(acc)
                .and_then(|g| self.base_generation(g))
        {
            match &g.factor {
                GenerationFactor::Contrast(k) => kinds.push(*k),
                GenerationFactor::Constant(_) => {
                    out.push(format!("{} factor: {}", g.name, g.basis))
                }
                _ => {}
            }
        }
        for k in kinds {
            if let Some(f) = self.factor(k, w) {
                out.push(format!("{} factor: {}", k.as_str(), f.source));
            }
        }
        out
    }

    /// The newest year of the sources a derived cell rests on.
    pub fn year(&self, w: Workload) -> u16 {
        self.levels
            .iter()
            .filter(|l| l.workload == w)
            .map(|l| l.year)
            .chain(
                self.factors
                    .iter()
                    .filter(|f| f.workload == w)
                    .map(|f| f.year),
            )
            .max()
            .unwrap_or(0)
    }
}

/// Slots per accelerator in the index: 5 precisions x 3 classes.
const SLOTS: usize = 15;
const EMPTY: u32 = u32::MAX;

#[inline]
fn slot(p: Precision, w: Workload) -> usize {
    p as usize * Workload::ALL.len() + w.index()
}

/// Where a utilisation value comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UtilizationOrigin {
    /// A built-in entry with measurements behind it.
    Measured,
    /// A built-in entry the rule filled.
    Derived,
    /// Computed by the rule for an accelerator the built-in table does not list.
    Rule,
    /// The user's own entry (saved in the workspace).
    Edited,
}

impl UtilizationOrigin {
    /// A short label.
    pub fn label(self) -> &'static str {
        match self {
            UtilizationOrigin::Measured => "measured",
            UtilizationOrigin::Derived | UtilizationOrigin::Rule => "derived",
            UtilizationOrigin::Edited => "edited",
        }
    }
}

/// A looked-up cell: a table entry, or the rule's value for an accelerator the table lacks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Utilization<'a> {
    /// An entry of the table (built-in or the user's).
    Entry(&'a UtilizationEntry, UtilizationOrigin),
    /// The rule's cell.
    Rule(RuleCell<'a>),
}

impl Utilization<'_> {
    /// The MFU.
    #[inline]
    pub fn mfu(&self) -> f64 {
        match self {
            Utilization::Entry(e, _) => e.mfu,
            Utilization::Rule(c) => c.mfu,
        }
    }

    /// Low and high end of the typical range.
    #[inline]
    pub fn range(&self) -> (f64, f64) {
        match self {
            Utilization::Entry(e, _) => (e.low, e.high),
            Utilization::Rule(c) => (c.low, c.high),
        }
    }

    /// Where it comes from.
    #[inline]
    pub fn origin(&self) -> UtilizationOrigin {
        match self {
            Utilization::Entry(_, o) => *o,
            Utilization::Rule(_) => UtilizationOrigin::Rule,
        }
    }
}

/// The effective table: the built-in entries, the user's overrides on top, and the rule for the rest.
#[derive(Clone, Debug, Default)]
pub struct UtilizationTable {
    rule: Option<Arc<UtilizationRule>>,
    preset: Arc<[UtilizationEntry]>,
    index: Arc<FxHashMap<String, [u32; SLOTS]>>,
    overrides: Vec<UtilizationEntry>,
}

impl PartialEq for UtilizationTable {
    fn eq(&self, other: &Self) -> bool {
        self.overrides == other.overrides
            && (Arc::ptr_eq(&self.preset, &other.preset) || self.preset == other.preset)
            && self.rule == other.rule
    }
}

impl UtilizationTable {
    /// A table of built-in entries and the rule that fills the rest.
    pub fn new(rule: UtilizationRule, preset: Vec<UtilizationEntry>) -> Self {
        let mut index: FxHashMap<String, [u32; SLOTS]> = FxHashMap::default();
        for (i, e) in preset.iter().enumerate() {
            let slots = index.entry(e.accelerator.clone()).or_insert([EMPTY; SLOTS]);
            slots[slot(e.precision, e.workload)] = u32::try_from(i).unwrap_or(EMPTY);
        }
        UtilizationTable {
            rule: Some(Arc::new(rule)),
            preset: preset.into(),
            index: Arc::new(index),
            overrides: Vec::new(),
        }
    }

    /// The rule, when the table has one.
    pub fn rule(&self) -> Option<&UtilizationRule> {
        self.rule.as_deref()
    }

    /// The built-in entries.
    pub fn preset(&self) -> &[UtilizationEntry] {
        &self.preset
    }

    /// The built-in entry for a cell.
    #[inline]
    pub fn preset_entry(
        &self,
        accelerator: &str,
        precision: Precision,
        w: Workload,
    ) -> Option<&UtilizationEntry> {
        let i = self.index.get(accelerator)?[slot(precision, w)];
        self.preset.get(i as usize)
    }

    /// The user's entries.
    pub fn overrides(&self) -> &[UtilizationEntry] {
        &self.overrides
    }

    /// Replaces the user's entries.
    pub fn set_overrides(&mut self, overrides: Vec<UtilizationEntry>) {
        self.overrides = overrides;
    }

    /// Adds or replaces one user entry.
    pub fn upsert_override(&mut self, e: UtilizationEntry) {
        match self
            .overrides
            .iter_mut()
            .find(|o| o.is_for(&e.accelerator, e.precision, e.workload))
        {
            Some(slot) => *slot = e,
            None => self.overrides.push(e),
        }
    }

    /// Removes the user's entry for a cell; true if there was one.
    pub fn remove_override(
        &mut self,
        accelerator: &str,
        precision: Precision,
        w: Workload,
    ) -> bool {
        let before = self.overrides.len();
        self.overrides
            .retain(|o| !o.is_for(accelerator, precision, w));
        self.overrides.len() != before
    }

    /// Moves the user's entries of an accelerator to its new id.
    pub fn rename_accelerator(&mut self, old: &str, new: &str) {
        for o in &mut self.overrides {
            if o.accelerator == old {
                o.accelerator = new.to_owned();
            }
        }
    }

    /// Drops the user's entries of an accelerator that was deleted.
    pub fn remove_accelerator(&mut self, id: &str) {
        self.overrides.retain(|o| o.accelerator != id);
    }

    /// The typical MFU of an accelerator at a precision for a workload: the user's entry, else the built-in
    /// entry, else the rule's cell. `None` when the accelerator has no peak at the precision or the table has no
    /// rule.
    #[inline]
    pub fn lookup(
        &self,
        acc: &Accelerator,
        precision: Precision,
        w: Workload,
    ) -> Option<Utilization<'_>> {
        acc.peak_tflops.get(precision)?;
        if let Some(e) = self
            .overrides
            .iter()
            .find(|o| o.is_for(&acc.id, precision, w))
        {
            return Some(Utilization::Entry(e, UtilizationOrigin::Edited));
        }
        if let Some(e) = self.preset_entry(&acc.id, precision, w) {
            let origin = if e.derived.is_some() {
                UtilizationOrigin::Derived
            } else {
                UtilizationOrigin::Measured
            };
            return Some(Utilization::Entry(e, origin));
        }
        self.rule()?.cell(acc, precision, w).map(Utilization::Rule)
    }

    /// A looked-up cell as a full entry (for display and editing): the rule's cells get their sources and the
    /// rule in words.
    pub fn entry(
        &self,
        acc: &Accelerator,
        precision: Precision,
        w: Workload,
    ) -> Option<(UtilizationEntry, UtilizationOrigin)> {
        let u = self.lookup(acc, precision, w)?;
        Some(match u {
            Utilization::Entry(e, o) => (e.clone(), o),
            Utilization::Rule(c) => {
                let rule = self.rule()?;
                (
                    UtilizationEntry {
                        accelerator: acc.id.clone(),
                        precision,
                        workload: w,
                        mfu: c.mfu,
                        low: c.low,
                        high: c.high,
                        n: 0,
                        year: rule.year(w),
                        sources: rule.sources(acc, precision, w),
                        derived: rule.explain(acc, precision, w),
                    },
                    UtilizationOrigin::Rule,
                )
            }
        })
    }
}
