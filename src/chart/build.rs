//! Builds each chart's data from results computed once (estimates, Monte Carlo ranges, the tornado, the schedule):
//! units chosen once per panel, series with ids that follow the plan, labels and legends that list only what the
//! chart has.

use super::scale::{self, Scale};
use super::{
    Anchor, Arrangement, Axis, Bar, Chart, ChartKind, LegendEntry, LegendMark, MANY_PLANS, Marker,
    OVER_TIME_POINTS, Panel, Series, Shape, Ticks, Whisker,
};
use crate::engine::analysis;
use crate::engine::decompose::{Factor, decompose};
use crate::engine::schedule::{Paused, Schedule};
use crate::engine::uncertainty::{Interval, Swing};
use crate::engine::{Estimate, Term};
use crate::palette::{self, Rgb};
use crate::units::{self, sig};

/// One plan as the charts see it.
#[derive(Clone, Debug)]
pub struct PlanInput<'a> {
    /// The plan's stable id: series ids follow it when the plan moves.
    pub key: u64,
    /// Its name.
    pub name: &'a str,
    /// Its colour.
    pub color: Rgb,
    /// Its estimate (`None` when it could not be estimated).
    pub estimate: Option<&'a Estimate>,
    /// P5-P95 of its total CO2e.
    pub interval: Option<Interval>,
    /// Its tornado, widest first.
    pub tornado: &'a [Swing],
    /// Why its estimate lies outside its own P5-P95 band, when it does.
    pub band_note: Option<&'a str>,
}

/// The schedule of the plan a per-plan chart shows.
#[derive(Clone, Debug)]
pub struct ScheduleInput<'a> {
    /// Hourly intensity, gCO2e/kWh, from now.
    pub values: &'a [f64],
    /// A label per hour (clock time or date).
    pub labels: &'a [String],
    /// Where the series comes from.
    pub source: &'a str,
    /// The job's wall-clock hours.
    pub job_hours: f64,
    /// CO2e by start time, or why there is none.
    pub result: Result<&'a Schedule, &'a str>,
    /// The pausable job, when asked for.
    pub paused: Option<Result<&'a Paused, &'a str>>,
}

impl<'a> From<&'a crate::engine::plan_schedule::PlanSchedule> for ScheduleInput<'a> {
    fn from(ps: &'a crate::engine::plan_schedule::PlanSchedule) -> Self {
        ScheduleInput {
            values: &ps.series.values,
            labels: &ps.series.labels,
            source: &ps.series.source,
            job_hours: ps.job_hours,
            result: ps.result.as_ref().map_err(String::as_str),
            paused: ps
                .paused
                .as_ref()
                .map(|p| p.as_ref().map_err(String::as_str)),
        }
    }
}

/// Everything a chart is built from.
#[derive(Clone, Debug)]
pub struct Input<'a> {
    /// What the charts are about (the workspace's name).
    pub subject: &'a str,
    /// The plans, in column order.
    pub plans: Vec<PlanInput<'a>>,
    /// The baseline's index.
    pub baseline: usize,
    /// The plan the per-plan charts (schedule, tornado, waterfall) show.
    pub focus: usize,
    /// The focus plan's schedule, where it has one.
    pub schedule: Option<ScheduleInput<'a>>,
    /// The footnote lines (formula, grids and PUEs with sources).
    pub footnote: Vec<String>,
}

/// The plan Why different compares with the baseline: the focus plan, or the first other plan when the focus is
/// the baseline (a waterfall of the baseline against itself is empty). `None` with fewer than two plans.
pub fn difference_target(focus: usize, baseline: usize, n: usize) -> Option<usize> {
    if n < 2 {
        return None;
    }
    let focus = focus.min(n - 1);
    if focus != baseline {
        Some(focus)
    } else {
        (0..n).find(|&i| i != baseline)
    }
}

/// Builds one chart.
pub fn build(kind: ChartKind, input: &Input<'_>) -> Chart {
    let mut chart = match kind {
        ChartKind::Totals => totals(input),
        ChartKind::Breakdown => breakdown(input),
        ChartKind::OverTime => over_time(input),
        ChartKind::Sensitivity => sensitivity(input),
        ChartKind::Schedule => schedule(input),
        ChartKind::Uncertainty => uncertainty(input),
        ChartKind::Difference => difference(input),
        ChartKind::Sweep => empty(
            kind,
            titled(kind, input.subject),
            "A sweep chart is built from a sweep (see the Sweep tab or `trainprint sweep`).".into(),
        ),
    };
    let failed: Vec<&str> = input
        .plans
        .iter()
        .filter(|p| p.estimate.is_none())
        .map(|p| p.name)
        .collect();
    if !failed.is_empty() && !matches!(kind, ChartKind::Schedule | ChartKind::Difference) {
        chart.notes.push(format!(
            "Not shown (cannot be estimated; see the plan): {}",
            failed.join(", ")
        ));
    }
    chart.footnote = input.footnote.clone();
    chart
}

fn empty(kind: ChartKind, title: String, note: String) -> Chart {
    Chart {
        kind,
        title,
        panels: Vec::new(),
        arrangement: Arrangement::Columns,
        legend: Vec::new(),
        notes: vec![note],
        footnote: Vec::new(),
    }
}

fn chart(kind: ChartKind, title: String, panels: Vec<Panel>, legend: Vec<LegendEntry>) -> Chart {
    Chart {
        kind,
        title,
        panels,
        arrangement: Arrangement::Columns,
        legend,
        notes: Vec::new(),
        footnote: Vec::new(),
    }
}

fn titled(kind: ChartKind, subject: &str) -> String {
    if subject.is_empty() {
        kind.title().to_owned()
    } else {
        format!("{} — {subject}", kind.title())
    }
}

fn energy_of(e: &Estimate) -> f64 {
    e.facility_energy_kwh
}

fn co2e_of(e: &Estimate) -> f64 {
    e.total_co2e_kg
}

/// Which quantity a two-panel plan chart shows on each side.
#[derive(Clone, Copy)]
struct Measure {
    co2e: bool,
}

impl Measure {
    const BOTH: [Measure; 2] = [Measure { co2e: false }, Measure { co2e: true }];

    fn of(self, e: &Estimate) -> f64 {
        if self.co2e { co2e_of(e) } else { energy_of(e) }
    }

    /// The largest value of this measure over the plans, and the unit it reads best in.
    fn largest(self, input: &Input<'_>) -> (f64, Scale) {
        let max = max_of(input, |p| Some(self.of(p.estimate?)));
        (max, self.scale(max))
    }

    fn scale(self, max: f64) -> Scale {
        if self.co2e {
            scale::co2e(max)
        } else {
            scale::energy(max)
        }
    }

    fn tag(self) -> &'static str {
        if self.co2e { "co2e" } else { "energy" }
    }
}

/// The category order of a plan bar chart: plan order for a few plans; for many, sorted by `value` with the
/// largest at the top (horizontal bars count positions from the bottom).
struct Layout {
    horizontal: bool,
    /// `pos[i]`: the category position of plan `i`.
    pos: Vec<f64>,
    /// Category names by position.
    names: Vec<String>,
}

fn layout(input: &Input<'_>, value: impl Fn(&Estimate) -> f64) -> Layout {
    let n = input.plans.len();
    let name = |i: usize| {
        let p = &input.plans[i];
        if i == input.baseline && n > MANY_PLANS {
            format!("{} (baseline)", p.name)
        } else {
            p.name.to_owned()
        }
    };
    if n <= MANY_PLANS {
        return Layout {
            horizontal: false,
            pos: (0..n).map(|i| i as f64).collect(),
            names: (0..n).map(name).collect(),
        };
    }
    let mut order: Vec<usize> = (0..n).collect();
    let v = |i: usize| input.plans[i].estimate.map_or(f64::NEG_INFINITY, &value);
    // Largest first, ties in plan order; position 0 is at the bottom, so the largest gets n - 1.
    order.sort_by(|&a, &b| v(b).total_cmp(&v(a)).then(a.cmp(&b)));
    let mut pos = vec![0.0; n];
    let mut names = vec![String::new(); n];
    for (rank, &i) in order.iter().enumerate() {
        let p = n - 1 - rank;
        pos[i] = p as f64;
        names[p] = name(i);
    }
    Layout {
        horizontal: true,
        pos,
        names,
    }
}

/// The colour of a plan's bar: its own for a few plans; for many, one colour with the baseline marked.
fn bar_color(input: &Input<'_>, i: usize) -> Rgb {
    if input.plans.len() <= MANY_PLANS {
        input.plans[i].color
    } else if i == input.baseline {
        palette::BASELINE
    } else {
        palette::MANY
    }
}

/// A panel of one value per plan: the plans on one axis (in the layout's order), the value from 0 to `top` on the
/// other, captioned with what the value is.
fn plan_panel(
    l: &Layout,
    id: &'static str,
    caption: String,
    top: f64,
    series: Vec<Series>,
    labels: Vec<super::Label>,
) -> Panel {
    let cat = Axis::categories("plan", l.names.clone());
    let val = Axis::numeric(caption.clone(), 0.0, top);
    let (x, y) = if l.horizontal { (val, cat) } else { (cat, val) };
    Panel {
        id,
        caption,
        x,
        y,
        series,
        labels,
        link_x: None,
        interactive: false,
    }
}

fn max_of(input: &Input<'_>, f: impl Fn(&PlanInput<'_>) -> Option<f64>) -> f64 {
    input.plans.iter().filter_map(f).fold(0.0, f64::max)
}

fn value_label(i: usize, input: &Input<'_>, l: &Layout, x: f64, text: String) -> super::Label {
    let pos = l.pos[i];
    super::Label {
        at: if l.horizontal { [x, pos] } else { [pos, x] },
        text,
        anchor: if l.horizontal {
            Anchor::Right
        } else {
            Anchor::Above
        },
        color: Some(bar_color(input, i)),
        priority: i == input.baseline,
    }
}

fn totals(input: &Input<'_>) -> Chart {
    let panels = Measure::BOTH
        .into_iter()
        .map(|m| {
            let interval = |p: &PlanInput<'_>| if m.co2e { p.interval } else { None };
            let max = max_of(input, |p| {
                let v = m.of(p.estimate?);
                Some(v.max(interval(p).map_or(0.0, |iv| iv.p95)))
            });
            let sc = m.scale(max);
            let l = layout(input, |e| m.of(e));
            let mut series = Vec::new();
            let mut labels = Vec::new();
            let mut whiskers = Vec::new();
            for (i, p) in input.plans.iter().enumerate() {
                let Some(e) = p.estimate else { continue };
                let v = sc.of(m.of(e));
                let iv = interval(p);
                series.push(plan_bar(
                    input,
                    &l,
                    i,
                    format!("totals-{}-{}", m.tag(), p.key),
                    v,
                    bar_hover(p.name, v, sc, iv),
                ));
                let top = iv.map_or(v, |iv| v.max(sc.of(iv.p95)));
                labels.push(value_label(
                    i,
                    input,
                    &l,
                    top,
                    format!("{} {}", sig(v, 3), sc.name),
                ));
                if let Some(iv) = iv {
                    whiskers.push(Whisker {
                        pos: l.pos[i],
                        low: sc.of(iv.p5),
                        high: sc.of(iv.p95),
                    });
                }
            }
            if !whiskers.is_empty() {
                series.push(whisker_series(
                    format!("totals-p5-p95-{}", m.tag()),
                    whiskers,
                    l.horizontal,
                ));
            }
            let caption = match (
                m.co2e,
                series
                    .iter()
                    .any(|s| matches!(s.shape, Shape::Whiskers { .. })),
            ) {
                (true, true) => format!("Total CO2e ({}), whiskers P5–P95", sc.name),
                (true, false) => format!("Total CO2e ({})", sc.name),
                (false, _) => format!("Facility energy ({})", sc.name),
            };
            // Headroom for the value labels past the bars.
            let id = if m.co2e {
                "totals-co2e"
            } else {
                "totals-energy"
            };
            plan_panel(&l, id, caption, sc.of(max) * 1.18, series, labels)
        })
        .collect();
    chart(
        ChartKind::Totals,
        titled(ChartKind::Totals, input.subject),
        panels,
        Vec::new(),
    )
}

/// One plan's bar in a plan bar chart.
fn plan_bar(
    input: &Input<'_>,
    l: &Layout,
    i: usize,
    id: String,
    value: f64,
    hover: String,
) -> Series {
    Series {
        id,
        name: input.plans[i].name.to_owned(),
        color: bar_color(input, i),
        shape: Shape::Bars {
            bars: vec![Bar {
                pos: l.pos[i],
                base: 0.0,
                value,
                hover,
            }],
            horizontal: l.horizontal,
        },
    }
}

/// What hovering a plan's bar shows: its value in the panel's unit, with its P5-P95 where known.
fn bar_hover(name: &str, v: f64, sc: Scale, iv: Option<Interval>) -> String {
    match iv {
        Some(iv) => format!(
            "{name}: {} {} (P5–P95 {}–{})",
            sig(v, 4),
            sc.name,
            sig(sc.of(iv.p5), 3),
            sig(sc.of(iv.p95), 3)
        ),
        None => format!("{name}: {} {}", sig(v, 4), sc.name),
    }
}

fn whisker_series(id: String, items: Vec<Whisker>, horizontal: bool) -> Series {
    Series {
        id,
        name: "P5–P95".into(),
        color: palette::INK,
        shape: Shape::Whiskers { items, horizontal },
    }
}

fn breakdown(input: &Input<'_>) -> Chart {
    // Only the terms some plan has.
    let has = |t: Term| {
        input.plans.iter().filter_map(|p| p.estimate).any(|e| {
            let s = e.breakdown()[term_index(t)];
            s.energy_kwh > 0.0 || s.co2e_kg > 0.0
        })
    };
    let present: Vec<Term> = Term::ALL
        .into_iter()
        .filter(|t| *t == Term::Accelerators || has(*t))
        .collect();
    let panels = Measure::BOTH
        .into_iter()
        .map(|m| {
            let (max, sc) = m.largest(input);
            let l = layout(input, |e| m.of(e));
            let mut base = vec![0.0; input.plans.len()];
            let mut series = Vec::new();
            for t in present.iter().filter(|t| m.co2e || **t != Term::Embodied) {
                let k = term_index(*t);
                let bars: Vec<Bar> = input
                    .plans
                    .iter()
                    .enumerate()
                    .filter_map(|(i, p)| {
                        let share = p.estimate?.breakdown()[k];
                        let v = sc.of(if m.co2e {
                            share.co2e_kg
                        } else {
                            share.energy_kwh
                        });
                        let bar = Bar {
                            pos: l.pos[i],
                            base: base[i],
                            value: v,
                            hover: format!("{} — {}: {} {}", p.name, t.label(), sig(v, 4), sc.name),
                        };
                        base[i] += v;
                        Some(bar)
                    })
                    .collect();
                series.push(Series {
                    id: format!("breakdown-{}-{k}", m.tag()),
                    name: t.label().to_owned(),
                    color: palette::TERMS[k],
                    shape: Shape::Bars {
                        bars,
                        horizontal: l.horizontal,
                    },
                });
            }
            let caption = if m.co2e {
                format!("CO2e by term ({})", sc.name)
            } else {
                format!("Energy by term ({})", sc.name)
            };
            let id = if m.co2e {
                "breakdown-co2e"
            } else {
                "breakdown-energy"
            };
            plan_panel(&l, id, caption, sc.of(max) * 1.05, series, Vec::new())
        })
        .collect();
    let legend = present
        .iter()
        .map(|t| LegendEntry {
            name: t.label().to_owned(),
            color: palette::TERMS[term_index(*t)],
            mark: LegendMark::Box,
        })
        .collect();
    chart(
        ChartKind::Breakdown,
        titled(ChartKind::Breakdown, input.subject),
        panels,
        legend,
    )
}

fn term_index(t: Term) -> usize {
    Term::ALL.iter().position(|x| *x == t).unwrap_or(0)
}

/// A legend of the plans (a few), or nothing (many: the lines carry direct labels).
fn plan_legend(
    input: &Input<'_>,
    mark: LegendMark,
    shown: impl Fn(&PlanInput<'_>) -> bool,
) -> Vec<LegendEntry> {
    if input.plans.len() > MANY_PLANS {
        return Vec::new();
    }
    input
        .plans
        .iter()
        .filter(|p| shown(p))
        .map(|p| LegendEntry {
            name: p.name.to_owned(),
            color: p.color,
            mark,
        })
        .collect()
}

/// A plan's name at the end of its line (many plans: instead of a legend).
fn end_label(input: &Input<'_>, i: usize, end: [f64; 2]) -> Option<super::Label> {
    (input.plans.len() > MANY_PLANS).then(|| super::Label {
        at: end,
        text: input.plans[i].name.to_owned(),
        anchor: Anchor::Right,
        color: Some(input.plans[i].color),
        priority: i == input.baseline,
    })
}

fn over_time(input: &Input<'_>) -> Chart {
    type Curves = Option<(Vec<[f64; 2]>, Vec<[f64; 2]>)>;
    let cumulative: Vec<Curves> = input
        .plans
        .iter()
        .map(|p| analysis::cumulative(p.estimate?, OVER_TIME_POINTS))
        .collect();
    let panels = Measure::BOTH
        .into_iter()
        .map(|m| {
            let (max, sc) = m.largest(input);
            let mut series = Vec::new();
            let mut labels = Vec::new();
            let mut x_max: f64 = 0.0;
            for (i, p) in input.plans.iter().enumerate() {
                let Some((energy, carbon)) = &cumulative[i] else {
                    continue;
                };
                let pts: Vec<[f64; 2]> = if m.co2e { carbon } else { energy }
                    .iter()
                    .map(|q| [q[0], sc.of(q[1])])
                    .collect();
                if let Some(end) = pts.last() {
                    x_max = x_max.max(end[0]);
                    labels.extend(end_label(input, i, *end));
                }
                series.push(Series {
                    id: format!("time-{}-{}", m.tag(), p.key),
                    name: p.name.to_owned(),
                    color: p.color,
                    shape: Shape::Line {
                        points: pts,
                        width: 2.0,
                    },
                });
            }
            let caption = if m.co2e {
                format!("Cumulative CO2e ({})", sc.name)
            } else {
                format!("Cumulative facility energy ({})", sc.name)
            };
            Panel {
                id: if m.co2e { "time-co2e" } else { "time-energy" },
                caption: caption.clone(),
                x: Axis::numeric("wall-clock hours (h)", 0.0, (x_max * 1.02).max(1.0)),
                y: Axis::numeric(caption, 0.0, sc.of(max) * 1.1),
                series,
                labels,
                link_x: Some("over-time"),
                interactive: true,
            }
        })
        .collect();
    let mut c = chart(
        ChartKind::OverTime,
        titled(ChartKind::OverTime, input.subject),
        panels,
        plan_legend(input, LegendMark::Line, |p| {
            p.estimate.is_some_and(|e| e.wall_hours.is_some())
        }),
    );
    let missing: Vec<&str> = input
        .plans
        .iter()
        .filter(|p| p.estimate.is_some_and(|e| e.wall_hours.is_none()))
        .map(|p| p.name)
        .collect();
    if !missing.is_empty() {
        c.notes.push(format!(
            "Not shown (no count, so no wall-clock time): {}",
            missing.join(", ")
        ));
    }
    c
}

fn sensitivity(input: &Input<'_>) -> Chart {
    let panels = [false, true]
        .into_iter()
        .map(|by_pue| {
            let estimates = || input.plans.iter().filter_map(|p| p.estimate);
            // One x range for every plan: the union of each plan's own.
            let (lo, hi) = estimates().fold(
                if by_pue { (1.0, 2.0) } else { (0.0, 800.0) },
                |(lo, hi): (f64, f64), e| {
                    let (l, h) = if by_pue {
                        analysis::pue_range(e.pue)
                    } else {
                        analysis::intensity_range(e.intensity_g_per_kwh)
                    };
                    (lo.min(l), hi.max(h))
                },
            );
            let at = |e: &Estimate, x: f64| {
                if by_pue {
                    analysis::co2e_at_pue(e, x)
                } else {
                    analysis::co2e_at_intensity(e, x)
                }
            };
            let max = estimates().map(|e| at(e, hi)).fold(0.0, f64::max);
            let sc = scale::co2e(max);
            let mut series = Vec::new();
            let mut labels = Vec::new();
            let tag = if by_pue { "pue" } else { "intensity" };
            for (i, p) in input.plans.iter().enumerate() {
                let Some(e) = p.estimate else { continue };
                let pts = analysis::sample(lo, hi, 2, |x| sc.of(at(e, x)));
                labels.extend(pts.last().and_then(|end| end_label(input, i, *end)));
                series.push(Series {
                    id: format!("sens-{tag}-{}", p.key),
                    name: p.name.to_owned(),
                    color: p.color,
                    shape: Shape::Line {
                        points: pts,
                        width: 2.0,
                    },
                });
                let now = if by_pue { e.pue } else { e.intensity_g_per_kwh };
                series.push(Series {
                    id: format!("sens-{tag}-now-{}", p.key),
                    name: p.name.to_owned(),
                    color: p.color,
                    shape: Shape::Markers {
                        points: vec![[now, sc.of(e.total_co2e_kg)]],
                        marker: Marker::Diamond,
                        radius: 6.0,
                    },
                });
            }
            let caption = format!("Total CO2e ({})", sc.name);
            Panel {
                id: if by_pue { "sens-pue" } else { "sens-intensity" },
                caption: caption.clone(),
                x: Axis::numeric(
                    if by_pue {
                        "PUE (dot: the plan's own)"
                    } else {
                        "grid intensity (gCO2e/kWh) (dot: the plan's own)"
                    },
                    lo,
                    hi,
                ),
                y: Axis::numeric(caption, 0.0, sc.of(max) * 1.05),
                series,
                labels,
                link_x: None,
                interactive: true,
            }
        })
        .collect();
    chart(
        ChartKind::Sensitivity,
        titled(ChartKind::Sensitivity, input.subject),
        panels,
        plan_legend(input, LegendMark::Line, |p| p.estimate.is_some()),
    )
}

fn focus<'a, 'b>(input: &'b Input<'a>) -> Option<(usize, &'b PlanInput<'a>)> {
    let n = input.plans.len();
    let i = input.focus.min(n.checked_sub(1)?);
    input.plans.get(i).map(|p| (i, p))
}

/// The line under the schedule's controls: the best start and its saving.
pub fn best_start_text(s: &Schedule, labels: &[String]) -> String {
    format!(
        "Best start: {} — {} ({:.1} % less)",
        labels.get(s.best_start).map(String::as_str).unwrap_or(""),
        units::co2e(s.best_co2e_kg),
        s.savings_pct
    )
}

fn schedule(input: &Input<'_>) -> Chart {
    let kind = ChartKind::Schedule;
    let Some((_, plan)) = focus(input) else {
        return empty(kind, kind.title().into(), "No plans.".into());
    };
    let title = format!("{} — {}", kind.title(), plan.name);
    let Some(ps) = &input.schedule else {
        return empty(
            kind,
            title,
            format!(
                "{}: needs an estimate with wall-clock hours (a count).",
                plan.name
            ),
        );
    };
    let mut notes = Vec::new();
    match ps.result {
        Ok(s) => {
            notes.push(format!("Start now: {}", units::co2e(s.start_now_co2e_kg)));
            notes.push(best_start_text(s, ps.labels));
        }
        Err(e) => notes.push(e.to_owned()),
    }
    match ps.paused {
        Some(Ok(p)) => notes.push(format!(
            "Pausable: {} in {} hours ({:.1} % less)",
            units::co2e(p.co2e_kg),
            p.hours_used.len(),
            p.savings_pct
        )),
        Some(Err(e)) => notes.push(e.to_owned()),
        None => {}
    }
    notes.push(ps.source.to_owned());
    let x_max = ps.values.len() as f64;
    let max_i = ps.values.iter().copied().fold(0.0, f64::max).max(1.0);
    let spans: Vec<(f64, f64)> = match (&ps.paused, &ps.result) {
        (Some(Ok(p)), _) => p
            .hours_used
            .iter()
            .map(|&t| (t as f64, t as f64 + 1.0))
            .collect(),
        (_, Ok(s)) => vec![(s.best_start as f64, s.best_start as f64 + ps.job_hours)],
        _ => Vec::new(),
    };
    let steps: Vec<[f64; 2]> = ps
        .values
        .iter()
        .enumerate()
        .flat_map(|(t, v)| [[t as f64, *v], [t as f64 + 1.0, *v]])
        .collect();
    let mut legend = vec![LegendEntry {
        name: "grid intensity".into(),
        color: palette::GREY,
        mark: LegendMark::Line,
    }];
    let mut intensity = vec![Series {
        id: "schedule-intensity".into(),
        name: "grid intensity".into(),
        color: palette::GREY,
        shape: Shape::Line {
            points: steps,
            width: 2.0,
        },
    }];
    if !spans.is_empty() {
        intensity.insert(
            0,
            Series {
                id: format!("schedule-chosen-{}", plan.key),
                name: "chosen hours".into(),
                color: plan.color,
                shape: Shape::Spans {
                    spans,
                    top: max_i * 1.05,
                },
            },
        );
        legend.push(LegendEntry {
            name: "chosen hours".into(),
            color: plan.color,
            mark: LegendMark::Box,
        });
    }
    let mut panels = vec![Panel {
        id: "schedule-intensity",
        caption: "Grid intensity, hour by hour (gCO2e/kWh)".into(),
        x: Axis::numeric("hours from now (h)", 0.0, x_max),
        y: Axis::numeric("gCO2e/kWh", 0.0, max_i * 1.1),
        series: intensity,
        labels: Vec::new(),
        link_x: Some("schedule"),
        interactive: true,
    }];
    if let Ok(s) = ps.result {
        let max_c = s.co2e_by_start.iter().copied().fold(0.0, f64::max);
        let sc = scale::co2e(max_c);
        let pts: Vec<[f64; 2]> = s
            .co2e_by_start
            .iter()
            .enumerate()
            .map(|(t, v)| [t as f64, sc.of(*v)])
            .collect();
        legend.push(LegendEntry {
            name: "CO2e by start time".into(),
            color: plan.color,
            mark: LegendMark::Line,
        });
        legend.push(LegendEntry {
            name: "start now".into(),
            color: palette::GREY,
            mark: LegendMark::Marker(Marker::Square),
        });
        legend.push(LegendEntry {
            name: "best start".into(),
            color: plan.color,
            mark: LegendMark::Marker(Marker::Diamond),
        });
        panels.push(Panel {
            id: "schedule-co2e",
            caption: format!("CO2e if started then ({})", sc.name),
            x: Axis::numeric(
                "hours from now (h): intensity above, CO2e if started then below",
                0.0,
                x_max,
            ),
            y: Axis::numeric(sc.name, 0.0, sc.of(max_c) * 1.1),
            series: vec![
                Series {
                    id: format!("schedule-by-start-{}", plan.key),
                    name: "CO2e by start time".into(),
                    color: plan.color,
                    shape: Shape::Line {
                        points: pts,
                        width: 2.0,
                    },
                },
                Series {
                    id: "schedule-now".into(),
                    name: "start now".into(),
                    color: palette::GREY,
                    shape: Shape::Markers {
                        points: vec![[0.0, sc.of(s.start_now_co2e_kg)]],
                        marker: Marker::Square,
                        radius: 5.0,
                    },
                },
                Series {
                    id: format!("schedule-best-{}", plan.key),
                    name: "best start".into(),
                    color: plan.color,
                    shape: Shape::Markers {
                        points: vec![[s.best_start as f64, sc.of(s.best_co2e_kg)]],
                        marker: Marker::Diamond,
                        radius: 7.0,
                    },
                },
            ],
            labels: Vec::new(),
            link_x: Some("schedule"),
            interactive: true,
        });
    }
    Chart {
        kind,
        title,
        panels,
        arrangement: Arrangement::Rows,
        legend,
        notes,
        footnote: Vec::new(),
    }
}

fn uncertainty(input: &Input<'_>) -> Chart {
    let kind = ChartKind::Uncertainty;
    let max = max_of(input, |p| {
        let c = p.estimate?.total_co2e_kg;
        Some(p.interval.map_or(c, |iv| iv.p95.max(c)))
    });
    let sc = scale::co2e(max);
    let l = layout(input, co2e_of);
    let mut series = Vec::new();
    let mut labels = Vec::new();
    let mut whiskers = Vec::new();
    for (i, p) in input.plans.iter().enumerate() {
        let (Some(e), Some(iv)) = (p.estimate, p.interval) else {
            continue;
        };
        let v = sc.of(e.total_co2e_kg);
        let (lo, hi) = (sc.of(iv.p5), sc.of(iv.p95));
        series.push(plan_bar(
            input,
            &l,
            i,
            format!("uncertainty-{}", p.key),
            v,
            bar_hover(p.name, v, sc, Some(iv)),
        ));
        whiskers.push(Whisker {
            pos: l.pos[i],
            low: lo,
            high: hi,
        });
        labels.push(value_label(
            i,
            input,
            &l,
            hi.max(v),
            format!("{}–{}", sig(lo, 3), sig(hi, 3)),
        ));
    }
    if !whiskers.is_empty() {
        series.push(whisker_series(
            "uncertainty-p5-p95".into(),
            whiskers,
            l.horizontal,
        ));
    }
    let caption = format!("Total CO2e with P5–P95 ({})", sc.name);
    let mut panels = vec![plan_panel(
        &l,
        "uncertainty-totals",
        caption,
        sc.of(max) * 1.25,
        series,
        labels,
    )];
    let mut notes = Vec::new();
    if let Some((_, p)) = focus(input)
        && let Some(e) = p.estimate
    {
        let n = p.tornado.len();
        let central = sc.of(e.total_co2e_kg);
        let names: Vec<String> = (0..n)
            .map(|pos| {
                p.tornado
                    .get(n - 1 - pos)
                    .map(|s| s.range.input.label().to_owned())
                    .unwrap_or_default()
            })
            .collect();
        let bars = |end: &str, at: fn(&Swing) -> (f64, f64)| -> Vec<Bar> {
            p.tornado
                .iter()
                .enumerate()
                .map(|(k, s)| {
                    let (value, total) = at(s);
                    Bar {
                        pos: (n - 1 - k) as f64,
                        base: central,
                        value: sc.of(total) - central,
                        hover: format!(
                            "{} at its {end} {}: total {} {}",
                            s.range.input.label(),
                            sig(value, 4),
                            sig(sc.of(total), 4),
                            sc.name
                        ),
                    }
                })
                .collect()
        };
        let low = bars("low", |s| (s.range.low, s.at_low));
        let high = bars("high", |s| (s.range.high, s.at_high));
        let (lo, hi) = low
            .iter()
            .chain(&high)
            .fold((central, central), |(a, b), bar| {
                (a.min(bar.base + bar.value), b.max(bar.base + bar.value))
            });
        let pad = ((hi - lo) * 0.08).max(central.abs() * 0.01).max(1e-9);
        panels.push(Panel {
            id: "uncertainty-tornado",
            caption: format!("{}: inputs by swing", p.name),
            x: Axis::numeric(
                format!("Total ({}), one input at its low / high", sc.name),
                (lo - pad).max(0.0),
                hi + pad,
            ),
            y: Axis {
                label: "input".into(),
                min: -0.5,
                max: n.max(1) as f64 - 0.5,
                ticks: Ticks::Categories(names),
            },
            series: vec![
                Series {
                    id: format!("tornado-low-{}", p.key),
                    name: "input at its low end".into(),
                    color: palette::plan(4),
                    shape: Shape::Bars {
                        bars: low,
                        horizontal: true,
                    },
                },
                Series {
                    id: format!("tornado-high-{}", p.key),
                    name: "input at its high end".into(),
                    color: palette::plan(5),
                    shape: Shape::Bars {
                        bars: high,
                        horizontal: true,
                    },
                },
            ],
            labels: Vec::new(),
            link_x: None,
            interactive: false,
        });
        notes.push(format!("Tornado: {}", p.name));
        notes.extend(p.band_note.map(str::to_owned));
    }
    let legend = if panels.len() > 1 {
        vec![
            LegendEntry {
                name: "input at its low end".into(),
                color: palette::plan(4),
                mark: LegendMark::Box,
            },
            LegendEntry {
                name: "input at its high end".into(),
                color: palette::plan(5),
                mark: LegendMark::Box,
            },
        ]
    } else {
        Vec::new()
    };
    let mut c = chart(kind, titled(kind, input.subject), panels, legend);
    c.notes = notes;
    c
}

/// A contribution with its sign (+ for a rise, - for a fall; 0 plain).
fn signed(d: f64) -> String {
    if d > 0.0 {
        format!("+{}", sig(d, 3))
    } else if d < 0.0 {
        format!("-{}", sig(-d, 3))
    } else {
        "0".to_owned()
    }
}

/// A short name for a waterfall bar (the axis has room for about ten characters a bar).
pub fn factor_short(f: Factor) -> &'static str {
    match f {
        Factor::Duration => "Duration",
        Factor::Runs => "Runs",
        Factor::Power => "Power",
        Factor::Pue => "PUE",
        Factor::Intensity => "Grid",
        Factor::Embodied => "Embodied",
    }
}

fn difference(input: &Input<'_>) -> Chart {
    let kind = ChartKind::Difference;
    let n = input.plans.len();
    let b = input.baseline.min(n.saturating_sub(1));
    let Some(t) = difference_target(input.focus, b, n) else {
        return empty(
            kind,
            kind.title().into(),
            "Needs two plans: add a plan to compare with the baseline.".into(),
        );
    };
    let (base_plan, plan) = (&input.plans[b], &input.plans[t]);
    let title = format!(
        "{} — {} against {}",
        kind.title(),
        plan.name,
        base_plan.name
    );
    let (Some(base), Some(e)) = (base_plan.estimate, plan.estimate) else {
        return empty(
            kind,
            title,
            "Both plans need an estimate (see the plan columns).".into(),
        );
    };
    let parts = decompose(base, e);
    waterfall(
        kind,
        title,
        WaterfallEnd {
            key: format!("base-{}", base_plan.key),
            name: base_plan.name,
            color: base_plan.color,
            kg: base.total_co2e_kg,
        },
        &parts,
        WaterfallEnd {
            key: format!("plan-{}", plan.key),
            name: plan.name,
            color: plan.color,
            kg: e.total_co2e_kg,
        },
        vec![
            format!("{} against the baseline {}", plan.name, base_plan.name),
            "Contributions add up exactly to the difference: additive log-mean Divisia index over power, \
             duration, PUE, intensity and runs; embodied on its own."
                .into(),
        ],
    )
}

/// One end of a waterfall: a total bar.
pub struct WaterfallEnd<'a> {
    /// Part of the series id (stable: it follows the plan or run).
    pub key: String,
    /// Its name on the axis.
    pub name: &'a str,
    /// Its colour.
    pub color: Rgb,
    /// Its total CO2e, kg.
    pub kg: f64,
}

/// A waterfall of factor contributions (kg) from one total to another: the start bar, a floating bar per factor
/// that moves the total (rises and falls coloured apart), the end bar.
pub fn waterfall(
    kind: ChartKind,
    title: String,
    start: WaterfallEnd<'_>,
    parts: &[(Factor, f64)],
    end: WaterfallEnd<'_>,
    notes: Vec<String>,
) -> Chart {
    let parts: Vec<(Factor, f64)> = parts
        .iter()
        .copied()
        .filter(|(_, kg)| kg.abs() > 1e-12 * start.kg.abs().max(end.kg.abs()))
        .collect();
    let sc = scale::co2e(start.kg.max(end.kg));
    let mut names = vec![start.name.to_owned()];
    names.extend(parts.iter().map(|(f, _)| factor_short(*f).to_owned()));
    names.push(end.name.to_owned());
    let last = (parts.len() + 1) as f64;
    let total_bar = |pos: f64, p: &WaterfallEnd<'_>| Series {
        id: format!("waterfall-{}", p.key),
        name: p.name.to_owned(),
        color: p.color,
        shape: Shape::Bars {
            bars: vec![Bar {
                pos,
                base: 0.0,
                value: sc.of(p.kg),
                hover: format!("{}: {} {}", p.name, sig(sc.of(p.kg), 4), sc.name),
            }],
            horizontal: false,
        },
    };
    let mut labels = vec![super::Label {
        at: [0.0, sc.of(start.kg)],
        text: sig(sc.of(start.kg), 4),
        anchor: Anchor::Above,
        color: None,
        priority: true,
    }];
    let mut level = sc.of(start.kg);
    let (mut ups, mut downs) = (Vec::new(), Vec::new());
    let mut top = level.max(sc.of(end.kg));
    for (k, (f, kg)) in parts.iter().enumerate() {
        let d = sc.of(*kg);
        let pos = (k + 1) as f64;
        let bar = Bar {
            pos,
            base: level,
            value: d,
            hover: format!("{}: {} {}", f.label(), signed(d), sc.name),
        };
        labels.push(super::Label {
            at: [pos, level.max(level + d)],
            text: signed(d),
            anchor: Anchor::Above,
            color: None,
            priority: false,
        });
        if d >= 0.0 {
            ups.push(bar);
        } else {
            downs.push(bar);
        }
        level += d;
        top = top.max(level);
    }
    labels.push(super::Label {
        at: [last, sc.of(end.kg)],
        text: sig(sc.of(end.kg), 4),
        anchor: Anchor::Above,
        color: None,
        priority: true,
    });
    let mut series = vec![total_bar(0.0, &start)];
    let mut legend = Vec::new();
    for (name, color, bars) in [
        ("raises CO2e", palette::RAISES, ups),
        ("lowers CO2e", palette::LOWERS, downs),
    ] {
        if !bars.is_empty() {
            legend.push(LegendEntry {
                name: name.into(),
                color,
                mark: LegendMark::Box,
            });
            series.push(Series {
                id: format!("waterfall-{name}"),
                name: name.into(),
                color,
                shape: Shape::Bars {
                    bars,
                    horizontal: false,
                },
            });
        }
    }
    series.push(total_bar(last, &end));
    Chart {
        kind,
        title,
        panels: vec![Panel {
            id: "difference-waterfall",
            caption: format!("Total CO2e ({})", sc.name),
            x: Axis::categories("", names),
            y: Axis::numeric(format!("Total CO2e ({})", sc.name), 0.0, top * 1.2),
            series,
            labels,
            link_x: None,
            interactive: false,
        }],
        arrangement: Arrangement::Columns,
        legend,
        notes,
        footnote: Vec::new(),
    }
}
