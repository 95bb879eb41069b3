//! Runs a sweep: one variant of the plan per value, each estimated with the same [`results::outcome`] the app and
//! the command line use (estimate, P5-P95, provenance), ranked by total CO2e; values that cannot apply are kept
//! as skipped with the reason, and the plan's own value is marked (added when the set does not hold it).

use super::results::{self, Outcome};
use crate::model::sweep::{RegionSet, SweepInvalid, SweepKind, SweepOver, validate};
use crate::model::{Catalogue, Duration, Power, Precision, TrainingPlan};
use crate::units::sig;

/// One value of a sweep, estimated.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    /// The value as on the command line (`aws-us-east-1`, `64`, `bf16`, `1.2`).
    pub value: String,
    /// The value in words (the region's or accelerator's name; else the value).
    pub label: String,
    /// The plan with this value.
    pub plan: TrainingPlan,
    /// Its results (estimate, uncertainty, provenance).
    pub outcome: Outcome,
    /// True for the plan's own value.
    pub own: bool,
}

impl Variant {
    /// Total CO2e, kg (the rank key).
    pub fn total_co2e_kg(&self) -> f64 {
        self.outcome.ok().map_or(f64::INFINITY, |e| e.total_co2e_kg)
    }

    /// The P5–P95 of total CO2e as text (`9.6 tCO2e – 16.2 tCO2e`), empty without a Monte Carlo.
    pub fn co2e_range(&self) -> String {
        self.outcome
            .uncertainty
            .as_ref()
            .map_or_else(String::new, |u| {
                format!(
                    "{} – {}",
                    crate::units::co2e(u.interval.p5),
                    crate::units::co2e(u.interval.p95)
                )
            })
    }
}

/// A value that cannot apply to the plan, and why.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Skipped {
    /// The value.
    pub value: String,
    /// Why it was skipped.
    pub reason: String,
}

/// A sweep's result.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepResult {
    /// What was varied.
    pub kind: SweepKind,
    /// The plan's name.
    pub plan_name: String,
    /// The variants, lowest total CO2e first (ties in value order).
    pub variants: Vec<Variant>,
    /// Values that could not apply.
    pub skipped: Vec<Skipped>,
}

/// Why a sweep cannot run at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SweepError {
    /// The sweep's own values are invalid.
    #[error("{0}")]
    Invalid(#[from] SweepInvalid),
    /// The plan itself cannot be estimated.
    #[error("the plan '{name}' cannot be estimated: {reason}")]
    Plan {
        /// The plan's name.
        name: String,
        /// Why.
        reason: String,
    },
    /// The input does not apply to this kind of plan.
    #[error("{0}")]
    NotApplicable(String),
}

impl SweepResult {
    /// The plan's own variant.
    pub fn own(&self) -> Option<&Variant> {
        self.variants.iter().find(|v| v.own)
    }

    /// The lowest-carbon variant.
    pub fn best(&self) -> Option<&Variant> {
        self.variants.first()
    }

    /// Change of total CO2e of `v` against the plan's own value, %.
    pub fn vs_own_pct(&self, v: &Variant) -> Option<f64> {
        let own = self.own()?.outcome.ok()?.total_co2e_kg;
        super::delta_pct(v.outcome.ok()?.total_co2e_kg, own)
    }

    /// One sentence for a methods paragraph: "Training in X instead of Y would have emitted Z % less CO2e (…)".
    pub fn methods_sentence(&self) -> String {
        let (Some(best), Some(own)) = (self.best(), self.own()) else {
            return String::new();
        };
        let (Some(b), Some(o)) = (best.outcome.ok(), own.outcome.ok()) else {
            return String::new();
        };
        let n = self.variants.len();
        let what = |v: &Variant| match self.kind {
            SweepKind::Region => format!("in {}", v.label),
            SweepKind::Accelerator => format!("on {}", v.label),
            SweepKind::Count => format!("on {} accelerators", v.value),
            SweepKind::Precision => format!("at {}", v.label),
            SweepKind::Pue => format!("at a PUE of {}", v.value),
            SweepKind::Utilization => format!("at {} of TDP", v.value),
        };
        let plural = match self.kind {
            SweepKind::Region => "regions",
            SweepKind::Accelerator => "accelerators",
            SweepKind::Count => "counts",
            SweepKind::Precision => "precisions",
            SweepKind::Pue => "PUE values",
            SweepKind::Utilization => "utilisation values",
        };
        if best.own || b.total_co2e_kg >= o.total_co2e_kg {
            return format!(
                "Training {} ({}) was already the lowest-carbon of the {n} {plural} compared for '{}'.",
                what(own),
                crate::units::co2e(o.total_co2e_kg),
                self.plan_name
            );
        }
        let less = (1.0 - b.total_co2e_kg / o.total_co2e_kg) * 100.0;
        format!(
            "Training {} instead of {} would have emitted {less:.1} % less CO2e ({} instead of {}; lowest of the {n} \
             {plural} compared for '{}').",
            what(best),
            own.label,
            crate::units::co2e(b.total_co2e_kg),
            crate::units::co2e(o.total_co2e_kg),
            self.plan_name
        )
    }
}

/// The plan's own value of the input `kind`, as a value string (`None` when the plan has none).
pub fn own_value(plan: &TrainingPlan, kind: SweepKind, catalogue: &Catalogue) -> Option<String> {
    match kind {
        // A plan with its own intensity is not the region's grid: its value is the plan as set.
        SweepKind::Region if plan.intensity_g_per_kwh.is_some() => None,
        SweepKind::Region => plan.region.clone(),
        SweepKind::Accelerator => Some(plan.accelerator.clone()),
        SweepKind::Count => plan.count.map(|c| c.to_string()),
        SweepKind::Precision => precision_of(plan).map(|p| p.as_str().to_owned()),
        SweepKind::Pue => plan
            .pue
            .map(num)
            .or_else(|| super::estimate(plan, catalogue).ok().map(|e| num(e.pue))),
        SweepKind::Utilization => match plan.power {
            Power::Tdp { utilization } => Some(num(utilization)),
            Power::Watts(_) => None,
        },
    }
}

fn num(x: f64) -> String {
    sig(x, 4)
}

fn precision_of(plan: &TrainingPlan) -> Option<Precision> {
    match &plan.duration {
        Duration::Compute { precision, .. } => Some(*precision),
        Duration::Throughput { precision, .. } => *precision,
        _ => None,
    }
}

/// One candidate value: its text, its label, and the plan with it (or why it cannot apply).
type Candidate = (String, String, Result<TrainingPlan, String>);

fn candidates(
    plan: &TrainingPlan,
    over: &SweepOver,
    catalogue: &Catalogue,
) -> Result<Vec<Candidate>, SweepError> {
    let with = |f: &dyn Fn(&mut TrainingPlan)| {
        let mut p = plan.clone();
        f(&mut p);
        p
    };
    Ok(match over {
        SweepOver::Region(set) => {
            let ids: Vec<String> = match set {
                RegionSet::All => catalogue.regions().iter().map(|r| r.id.clone()).collect(),
                RegionSet::Provider(p) => catalogue
                    .regions()
                    .iter()
                    .filter(|r| {
                        r.cloud
                            .as_ref()
                            .is_some_and(|c| c.provider == p.catalogue_name())
                    })
                    .map(|r| r.id.clone())
                    .collect(),
                RegionSet::List(ids) => ids.clone(),
            };
            ids.into_iter()
                .map(|id| match catalogue.region(&id) {
                    Some(r) => {
                        let rid = r.id.clone();
                        let p = with(&|p| {
                            p.region = Some(rid.clone());
                            p.intensity_g_per_kwh = None;
                        });
                        (r.id.clone(), r.name.clone(), Ok(p))
                    }
                    None => (
                        id.clone(),
                        id.clone(),
                        Err("not a region in the catalogue".to_owned()),
                    ),
                })
                .collect()
        }
        SweepOver::Accelerator(ids) => {
            let precision = precision_of(plan);
            // A plan's own watts belong to its accelerator: another runs at the same fraction of its TDP.
            let share = match plan.power {
                Power::Watts(w) => catalogue
                    .accelerator(&plan.accelerator)
                    .and_then(|a| a.tdp_watts)
                    .filter(|t| *t > 0.0)
                    .map(|t| (w / t).min(1.0)),
                Power::Tdp { .. } => None,
            };
            let list: Vec<String> = if ids.is_empty() {
                catalogue
                    .accelerators()
                    .iter()
                    .map(|a| a.id.clone())
                    .collect()
            } else {
                ids.clone()
            };
            list.into_iter()
                .map(|id| match catalogue.accelerator(&id) {
                    None => (
                        id.clone(),
                        id.clone(),
                        Err("not an accelerator in the catalogue".to_owned()),
                    ),
                    Some(a) => {
                        let label = a.name.clone();
                        let plan = match precision {
                            Some(pr) if a.peak_tflops.get(pr).is_none() => Err(format!(
                                "no {} peak in the catalogue (the plan runs at {})",
                                pr.label(),
                                pr.label()
                            )),
                            _ => {
                                let aid = a.id.clone();
                                let own = aid == plan.accelerator;
                                Ok(with(&|p| {
                                    p.accelerator = aid.clone();
                                    if let (Some(u), false) = (share, own) {
                                        p.power = Power::Tdp { utilization: u };
                                    }
                                }))
                            }
                        };
                        (a.id.clone(), label, plan)
                    }
                })
                .collect()
        }
        SweepOver::Count(counts) => counts
            .iter()
            .map(|&c| {
                (
                    c.to_string(),
                    format!("{c} accelerators"),
                    Ok(with(&|p| p.count = Some(c))),
                )
            })
            .collect(),
        SweepOver::Precision => {
            if !matches!(plan.duration, Duration::Compute { .. }) {
                return Err(SweepError::NotApplicable(format!(
                    "plan '{}' is not compute-based (FLOPs or parameters x tokens): its precision does not change \
                     its energy",
                    plan.name
                )));
            }
            let acc = catalogue.accelerator(&plan.accelerator);
            Precision::ALL
                .into_iter()
                .map(|pr| {
                    let plan = match acc {
                        None => Err(format!(
                            "the accelerator '{}' is not in the catalogue",
                            plan.accelerator
                        )),
                        Some(a) if a.peak_tflops.get(pr).is_none() => Err(format!(
                            "{} has no {} peak in the catalogue",
                            a.name,
                            pr.label()
                        )),
                        Some(_) => Ok(with(&|p| {
                            if let Duration::Compute { precision, .. } = &mut p.duration {
                                *precision = pr;
                            }
                        })),
                    };
                    (pr.as_str().to_owned(), pr.label().to_owned(), plan)
                })
                .collect()
        }
        SweepOver::Pue(values) => values
            .iter()
            .map(|&v| {
                (
                    num(v),
                    format!("PUE {}", num(v)),
                    Ok(with(&|p| p.pue = Some(v))),
                )
            })
            .collect(),
        SweepOver::Utilization(values) => values
            .iter()
            .map(|&v| {
                (
                    num(v),
                    format!("{} of TDP", num(v)),
                    Ok(with(&|p| p.power = Power::Tdp { utilization: v })),
                )
            })
            .collect(),
    })
}

/// The value of the plan's own bar when it has no value of the swept input.
pub const AS_SET: &str = "plan";

fn as_set_label(plan: &TrainingPlan, kind: SweepKind) -> String {
    match (kind, plan.intensity_g_per_kwh, plan.power) {
        (SweepKind::Region, Some(g), _) => format!("its own grid ({} gCO2e/kWh)", num(g)),
        (SweepKind::Utilization, _, Power::Watts(w)) => format!("its own {} W", num(w)),
        _ => "the plan as set".to_owned(),
    }
}

/// The plan's own variant when the swept set does not hold its value.
fn own_candidate(
    plan: &TrainingPlan,
    kind: SweepKind,
    own: &str,
    catalogue: &Catalogue,
) -> Candidate {
    let label = match kind {
        SweepKind::Region => catalogue.region(own).map(|r| r.name.clone()),
        SweepKind::Accelerator => catalogue.accelerator(own).map(|a| a.name.clone()),
        SweepKind::Count => Some(format!("{own} accelerators")),
        SweepKind::Precision => own.parse::<Precision>().ok().map(|p| p.label().to_owned()),
        SweepKind::Pue => Some(format!("PUE {own}")),
        SweepKind::Utilization => Some(format!("{own} of TDP")),
    }
    .unwrap_or_else(|| own.to_owned());
    let mut p = plan.clone();
    if kind == SweepKind::Pue {
        // The estimated PUE, fixed, so the variant matches the plan's own.
        p.pue = own.parse().ok().or(p.pue);
    }
    (own.to_owned(), label, Ok(p))
}

/// Runs the sweep of `plan` over `over`: every value estimated with [`results::outcome`], ranked by total CO2e
/// (lowest first), the plan's own value marked (and added when the set does not hold it), values that cannot
/// apply listed as skipped with the reason.
pub fn run(
    plan: &TrainingPlan,
    over: &SweepOver,
    catalogue: &Catalogue,
) -> Result<SweepResult, SweepError> {
    validate(over)?;
    let kind = over.kind();
    if let Err(e) = super::estimate(plan, catalogue) {
        return Err(SweepError::Plan {
            name: plan.name.clone(),
            reason: e.to_string(),
        });
    }
    if kind == SweepKind::Utilization && matches!(plan.power, Power::Watts(_)) {
        // Allowed: each variant switches to TDP x utilisation; the plan's own watts are then not in the set.
    }
    let own = own_value(plan, kind, catalogue);
    let mut cands = candidates(plan, over, catalogue)?;
    // One value once (the first occurrence keeps its place).
    let mut seen = std::collections::HashSet::new();
    cands.retain(|c| seen.insert(c.0.clone()));
    match &own {
        Some(own) if !cands.iter().any(|c| &c.0 == own) => {
            cands.push(own_candidate(plan, kind, own, catalogue));
        }
        Some(_) => {}
        // No value of this input (its own intensity, watts instead of a TDP share, no count): the plan as set
        // is its own bar.
        None => cands.push((
            AS_SET.to_owned(),
            as_set_label(plan, kind),
            Ok(plan.clone()),
        )),
    }
    let mut variants = Vec::with_capacity(cands.len());
    let mut skipped = Vec::new();
    for (value, label, p) in cands {
        let is_own = own.as_deref().unwrap_or(AS_SET) == value;
        match p {
            Err(reason) => skipped.push(Skipped { value, reason }),
            Ok(mut p) => {
                p.name = format!("{} — {}", plan.name, label);
                let outcome = results::outcome(&p, catalogue);
                match &outcome.estimate {
                    Err(e) => skipped.push(Skipped {
                        value,
                        reason: e.to_string(),
                    }),
                    Ok(_) => variants.push(Variant {
                        value,
                        label,
                        plan: p,
                        outcome,
                        own: is_own,
                    }),
                }
            }
        }
    }
    // Stable: ties keep value order.
    variants.sort_by(|a, b| a.total_co2e_kg().total_cmp(&b.total_co2e_kg()));
    Ok(SweepResult {
        kind,
        plan_name: plan.name.clone(),
        variants,
        skipped,
    })
}
