//! The inputs of one plan column: accelerator and region pickers, count, duration mode, power mode, PUE and
//! intensity (the region's or an override), runs, and the optional host, embodied and price terms. Every edit
//! becomes one `EditPlan` action; invalid text is flagged inline and never applied.

use super::widgets::a11y::ComboValue as _;
use super::widgets::{Rule, num_input, search_combo, warn_color};
use super::{Command, View};
use crate::engine::uncertainty::{self, Input};
use crate::engine::{Estimate, defaults};
use crate::model::{
    Accelerator, Action, Duration, EmbodiedSpec, HostOverhead, ItemUnit, Power, Precision, Price,
    Range, Region, TrainingPlan, Work, Workload,
};
use crate::units::sig;
use eframe::egui::{self, RichText, Ui};

/// Width of the pickers in a column.
const PICKER_WIDTH: f32 = 170.0;

fn accelerator_items(view: &View<'_>) -> Vec<(String, String, String)> {
    view.catalogue
        .accelerators()
        .iter()
        .map(|a| {
            let tdp = a
                .tdp_watts
                .map(|t| format!("{} W", sig(t, 4)))
                .unwrap_or_else(|| "no published TDP".into());
            let peaks: Vec<String> = a
                .peak_tflops
                .available()
                .map(|p| {
                    format!(
                        "{} {}",
                        p.label(),
                        sig(a.peak_tflops.get(p).unwrap_or(0.0), 4)
                    )
                })
                .collect();
            (
                a.id.clone(),
                a.name.clone(),
                format!(
                    "{} {} · {tdp} · {} GB · TFLOP/s {} · {} ({})",
                    a.vendor,
                    a.year,
                    sig(a.memory_gb, 4),
                    peaks.join(", "),
                    a.source,
                    a.data_year
                ),
            )
        })
        .collect()
}

/// The catalogue's regions for a region picker: id, name, and intensity (year), PUE and source.
pub fn region_items(view: &View<'_>) -> Vec<(String, String, String)> {
    view.catalogue
        .regions()
        .iter()
        .map(|r| {
            (
                r.id.clone(),
                r.name.clone(),
                format!(
                    "{} gCO2e/kWh ({}){} · {}",
                    sig(r.intensity_g_per_kwh, 4),
                    r.intensity_year,
                    r.pue
                        .map(|p| format!(" · PUE {}", sig(p, 4)))
                        .unwrap_or_default(),
                    r.source
                ),
            )
        })
        .collect()
}

/// Which duration form the mode picker shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Wall,
    AccelHours,
    Flops,
    ParamsTokens,
    Measured,
}

impl Mode {
    fn of(d: &Duration) -> Mode {
        match d {
            Duration::WallHours(_) => Mode::Wall,
            Duration::AcceleratorHours(_) => Mode::AccelHours,
            Duration::Compute {
                work: Work::Flops(_),
                ..
            } => Mode::Flops,
            Duration::Compute {
                work: Work::ParamsTokens { .. },
                ..
            } => Mode::ParamsTokens,
            Duration::Throughput { .. } => Mode::Measured,
        }
    }
    fn label(self) -> &'static str {
        match self {
            Mode::Wall => "Wall-clock hours",
            Mode::AccelHours => "Accelerator-hours",
            Mode::Flops => "Compute: FLOPs",
            Mode::ParamsTokens => "Compute: 6·N·D",
            Mode::Measured => "Measured throughput",
        }
    }
}

/// Converts the plan's duration to another mode, keeping the run the same length where the numbers allow.
fn switch_mode(plan: &TrainingPlan, to: Mode, view: &View<'_>, e: Option<&Estimate>) -> Duration {
    let accel_hours = e.map(|e| e.accelerator_hours / e.runs).unwrap_or(1000.0);
    let count = f64::from(plan.count.unwrap_or(8));
    let (precision, workload) = match plan.duration {
        Duration::Compute {
            precision,
            workload,
            ..
        } => (precision, workload),
        Duration::Throughput {
            precision: Some(p), ..
        } => (p, Workload::default()),
        _ => {
            let acc = view.catalogue.accelerator(&plan.accelerator);
            let p = acc
                .and_then(|a| {
                    [
                        Precision::Bf16,
                        Precision::Fp16,
                        Precision::Tf32,
                        Precision::Fp32,
                        Precision::Fp8,
                    ]
                    .into_iter()
                    .find(|p| a.peak_tflops.get(*p).is_some())
                })
                .unwrap_or(Precision::Bf16);
            (p, Workload::default())
        }
    };
    // Keeps the work when the plan already has it; else the FLOPs the current hours stand for at the MFU in use
    // (or a typical 0.4).
    let mfu = e.and_then(|e| e.mfu).unwrap_or(0.4);
    let peak = view
        .catalogue
        .accelerator(&plan.accelerator)
        .and_then(|a| a.peak_flops(precision))
        .unwrap_or(1e14);
    let flops = e
        .and_then(|e| e.training_flops)
        .unwrap_or(accel_hours * 3600.0 * peak * mfu);
    match to {
        Mode::Wall => Duration::WallHours(accel_hours / count),
        Mode::AccelHours => Duration::AcceleratorHours(accel_hours),
        Mode::Flops => Duration::Compute {
            work: Work::Flops(flops),
            precision,
            workload,
            mfu: None,
        },
        Mode::Measured => measured_duration(plan, flops, accel_hours, precision),
        Mode::ParamsTokens => {
            // Keep the FLOPs with a Chinchilla-like 20 tokens per parameter: N = sqrt(F / 120).
            let params = (flops / 120.0).sqrt();
            Duration::Compute {
                work: Work::ParamsTokens {
                    params,
                    tokens: 20.0 * params,
                },
                precision,
                workload,
                mfu: None,
            }
        }
    }
}

/// Shows the inputs of plan `i`; pushes an `EditPlan` action when something changed.
/// What every section of a plan's editor reads: which plan, the view, the plan as it is and its estimate.
struct Ctx<'a> {
    i: usize,
    view: &'a View<'a>,
    plan: &'a TrainingPlan,
    estimate: Option<&'a Estimate>,
}

impl<'a> Ctx<'a> {
    /// The id of a field of this plan.
    fn id(&self, s: &str) -> (usize, String) {
        (self.i, s.to_owned())
    }

    /// The accelerator the (edited) plan names.
    fn accelerator(&self, p: &TrainingPlan) -> Option<&'a Accelerator> {
        self.view.catalogue.accelerator(&p.accelerator)
    }

    /// The region the (edited) plan names.
    fn region(&self, p: &TrainingPlan) -> Option<&'a Region> {
        p.region
            .as_deref()
            .and_then(|r| self.view.catalogue.region(r))
    }

    /// Where the estimate's input came from (the engine's provenance record).
    fn provenance(&self) -> Option<&'a crate::engine::provenance::Provenance> {
        self.view
            .outcomes
            .get(self.i)
            .and_then(|o| o.provenance.as_ref())
    }
}

/// The inputs of plan `i`, section by section; an edit becomes one `EditPlan` command.
pub fn show(ui: &mut Ui, i: usize, view: &View<'_>, out: &mut Vec<Command>) {
    let Some(plan) = view.ws.plans.get(i) else {
        return;
    };
    let c = Ctx {
        i,
        view,
        plan,
        estimate: view.estimate(i),
    };
    let mut p = plan.clone();
    accelerator_section(ui, &c, &mut p);
    count_section(ui, &c, &mut p);
    duration_section(ui, &c, &mut p);
    power_section(ui, &c, &mut p);
    region_section(ui, &c, &mut p);
    pue_section(ui, &c, &mut p);
    intensity_section(ui, &c, &mut p);
    if let Some(v) = num_input(ui, c.id("runs"), "Runs", p.runs, "×", Rule::Positive) {
        p.runs = v;
    }
    host_section(ui, &c, &mut p);
    embodied_section(ui, &c, &mut p);
    ranges_section(ui, i, &mut p, c.estimate);
    price_section(ui, &c, &mut p);
    if p != *plan {
        out.push(Command::Apply(Action::EditPlan {
            index: i,
            plan: Box::new(p),
        }));
    }
}

fn accelerator_section(ui: &mut Ui, c: &Ctx<'_>, p: &mut TrainingPlan) {
    let acc_text = c
        .accelerator(p)
        .map(|a| a.name.clone())
        .unwrap_or_else(|| format!("unknown '{}'", p.accelerator));
    if let Some(a) = search_combo(
        ui,
        ("acc", c.i),
        "Accelerator",
        &acc_text,
        || accelerator_items(c.view),
        PICKER_WIDTH,
    ) {
        p.accelerator = a;
    }
}

fn count_section(ui: &mut Ui, c: &Ctx<'_>, p: &mut TrainingPlan) {
    let count_required = matches!(p.duration, Duration::WallHours(_));
    ui.horizontal(|ui| {
        if !count_required {
            let mut known = p.count.is_some();
            if ui
                .checkbox(&mut known, "")
                .on_hover_text("Count known (needed for wall-clock hours)")
                .changed()
            {
                p.count = if known { Some(8) } else { None };
            }
        }
        match p.count {
            Some(n) => {
                if let Some(v) =
                    num_input(ui, c.id("count"), "Count", f64::from(n), "", Rule::Count)
                {
                    p.count = Some(v as u32);
                }
            }
            None => {
                ui.weak("Count: not given");
            }
        }
    });
}

fn duration_section(ui: &mut Ui, c: &Ctx<'_>, p: &mut TrainingPlan) {
    let mode = Mode::of(&p.duration);
    let mut new_mode = mode;
    ui.horizontal(|ui| {
        let l = ui.label("Duration");
        egui::ComboBox::new(("mode", c.i), "")
            .selected_text(mode.label())
            .width(PICKER_WIDTH)
            .show_ui(ui, |ui| {
                for m in [
                    Mode::Wall,
                    Mode::AccelHours,
                    Mode::Flops,
                    Mode::ParamsTokens,
                    Mode::Measured,
                ] {
                    ui.selectable_value(&mut new_mode, m, m.label());
                }
            })
            .response
            .labelled_by(l.id)
            .combo_value(ui, mode.label());
    });
    if new_mode != mode {
        p.duration = switch_mode(p, new_mode, c.view, c.estimate);
        if new_mode == Mode::Wall && p.count.is_none() {
            p.count = Some(8);
        }
    }
    let acc = c.accelerator(p);
    match &mut p.duration {
        Duration::WallHours(h) => {
            if let Some(v) = num_input(ui, c.id("hours"), "Hours", *h, "h", Rule::NonNegative) {
                *h = v;
            }
        }
        Duration::AcceleratorHours(x) => {
            if let Some(v) = num_input(
                ui,
                c.id("ah"),
                "Accelerator-hours",
                *x,
                "h",
                Rule::NonNegative,
            ) {
                *x = v;
            }
        }
        d @ Duration::Compute { .. } => compute_inputs(ui, c, acc, d),
        d @ Duration::Throughput { .. } => throughput_inputs(ui, c.i, acc, c.estimate, d),
    }
}

/// A compute-based plan's inputs: the work, the precision (with the FP32 note) and the workload with its MFU.
fn compute_inputs(ui: &mut Ui, c: &Ctx<'_>, acc: Option<&Accelerator>, d: &mut Duration) {
    let Duration::Compute {
        work,
        precision,
        workload,
        mfu,
    } = d
    else {
        return;
    };
    work_inputs(ui, c, work);
    precision_picker(ui, c.i, acc, precision);
    fp32_note(ui, acc, precision);
    workload_and_mfu(ui, c.i, c.plan, c.view, c.estimate, workload, mfu);
}

/// The training work of a compute-based plan: FLOPs, or parameters and tokens.
fn work_inputs(ui: &mut Ui, c: &Ctx<'_>, work: &mut Work) {
    match work {
        Work::Flops(f) => {
            if let Some(v) = num_input(ui, c.id("flops"), "FLOPs", *f, "FLOP", Rule::NonNegative) {
                *f = v;
            }
        }
        Work::ParamsTokens { params, tokens } => {
            if let Some(v) = num_input(
                ui,
                c.id("params"),
                "Parameters",
                *params,
                "N",
                Rule::NonNegative,
            ) {
                *params = v;
            }
            if let Some(v) = num_input(
                ui,
                c.id("tokens"),
                "Tokens",
                *tokens,
                "D",
                Rule::NonNegative,
            ) {
                *tokens = v;
            }
        }
    }
}

fn power_section(ui: &mut Ui, c: &Ctx<'_>, p: &mut TrainingPlan) {
    let mut tdp_mode = matches!(p.power, Power::Tdp { .. });
    ui.horizontal(|ui| {
        ui.label("Power");
        if ui
            .radio_value(&mut tdp_mode, true, "TDP × utilisation")
            .changed()
            || ui
                .radio_value(&mut tdp_mode, false, "Average watts")
                .changed()
        {
            p.power = if tdp_mode {
                Power::Tdp { utilization: 1.0 }
            } else {
                Power::Watts(c.estimate.map(|e| e.power_w).unwrap_or(300.0))
            };
        }
    });
    let tdp = c
        .accelerator(p)
        .and_then(|a| a.tdp_watts)
        .map(|t| format!("of TDP {} W", sig(t, 4)))
        .unwrap_or_else(|| "(no published TDP)".into());
    match &mut p.power {
        Power::Tdp { utilization } => {
            if let Some(v) = num_input(
                ui,
                c.id("util"),
                "Utilisation",
                *utilization,
                &tdp,
                Rule::Fraction,
            ) {
                *utilization = v;
            }
        }
        Power::Watts(w) => {
            if let Some(v) = num_input(
                ui,
                c.id("watts"),
                "Watts",
                *w,
                "W per accelerator",
                Rule::NonNegative,
            ) {
                *w = v;
            }
        }
    }
}

fn region_section(ui: &mut Ui, c: &Ctx<'_>, p: &mut TrainingPlan) {
    let region_text = match (&p.region, c.region(p)) {
        (Some(_), Some(r)) => r.name.clone(),
        (Some(id), None) => format!("unknown '{id}'"),
        (None, _) => "none (explicit intensity)".into(),
    };
    let items = || {
        let mut items = region_items(c.view);
        items.insert(
            0,
            (
                String::new(),
                "none (explicit intensity)".into(),
                "Give the grid intensity yourself".into(),
            ),
        );
        items
    };
    if let Some(r) = search_combo(
        ui,
        ("region", c.i),
        "Region",
        &region_text,
        items,
        PICKER_WIDTH,
    ) {
        if r.is_empty() {
            if p.intensity_g_per_kwh.is_none() {
                p.intensity_g_per_kwh =
                    Some(c.estimate.map(|e| e.intensity_g_per_kwh).unwrap_or(400.0));
            }
            p.region = None;
        } else {
            p.region = Some(r);
        }
    }
}

/// Where an input the plan does not set comes from: the engine's provenance record (flagged when it is a
/// fallback), with its source on hover.
fn provenance_hint(ui: &mut Ui, input: &crate::engine::provenance::Input) {
    let text = format!("{}: {}", input.origin.label(), input.short());
    let hover = if input.source.is_empty() {
        input.detail.clone()
    } else {
        format!("{} — {}", input.detail, input.source)
    };
    let r = if input.flagged {
        ui.label(RichText::new(format!("fallback — {text}")).color(warn_color(ui)))
    } else if input.origin == crate::engine::provenance::Origin::Live {
        ui.label(RichText::new(text).color(ui.visuals().hyperlink_color))
    } else {
        ui.weak(text)
    };
    r.on_hover_text(hover);
}

fn pue_section(ui: &mut Ui, c: &Ctx<'_>, p: &mut TrainingPlan) {
    ui.horizontal_wrapped(|ui| {
        let mut over = p.pue.is_some();
        if ui.checkbox(&mut over, "Override PUE").changed() {
            p.pue = if over {
                Some(c.estimate.map(|e| e.pue).unwrap_or(defaults::PUE.value))
            } else {
                None
            };
        }
        if p.pue.is_none()
            && let Some(prov) = c.provenance()
        {
            provenance_hint(ui, &prov.pue);
        }
    });
    if let Some(v0) = p.pue
        && let Some(v) = num_input(ui, c.id("pue"), "PUE", v0, "", Rule::AtLeastOne)
    {
        p.pue = Some(v);
    }
}

fn intensity_section(ui: &mut Ui, c: &Ctx<'_>, p: &mut TrainingPlan) {
    ui.horizontal_wrapped(|ui| {
        let mut over = p.intensity_g_per_kwh.is_some();
        let can_clear = c.region(p).is_some();
        if ui
            .add_enabled(
                can_clear || !over,
                egui::Checkbox::new(&mut over, "Override intensity"),
            )
            .changed()
        {
            p.intensity_g_per_kwh = if over {
                Some(c.estimate.map(|e| e.intensity_g_per_kwh).unwrap_or(400.0))
            } else {
                None
            };
        }
        if p.intensity_g_per_kwh.is_none()
            && let Some(prov) = c.provenance()
        {
            provenance_hint(ui, &prov.intensity);
        }
    });
    if let Some(v0) = p.intensity_g_per_kwh
        && let Some(v) = num_input(
            ui,
            c.id("intensity"),
            "Intensity",
            v0,
            "gCO2e/kWh",
            Rule::NonNegative,
        )
    {
        p.intensity_g_per_kwh = Some(v);
    }
}

fn host_section(ui: &mut Ui, c: &Ctx<'_>, p: &mut TrainingPlan) {
    let mut host_on = p.host.is_some();
    if ui
        .checkbox(&mut host_on, "Host overhead (CPU, memory)")
        .changed()
    {
        p.host = host_on.then_some(HostOverhead {
            cpu_watts: 280.0,
            memory_gb: 1024.0,
            memory_w_per_gb: defaults::MEMORY_W_PER_GB.value,
            accelerators_per_host: 8,
        });
    }
    let Some(h) = &mut p.host else {
        return;
    };
    ui.indent(("host", c.i), |ui| {
        for (key, label, value, unit) in [
            ("cpu", "CPU", &mut h.cpu_watts, "W per host"),
            ("mem", "Memory", &mut h.memory_gb, "GB per host"),
            ("wgb", "Memory power", &mut h.memory_w_per_gb, "W/GB"),
        ] {
            if let Some(v) = num_input(ui, c.id(key), label, *value, unit, Rule::NonNegative) {
                *value = v;
            }
        }
        if let Some(v) = num_input(
            ui,
            c.id("perhost"),
            "Accelerators per host",
            f64::from(h.accelerators_per_host),
            "",
            Rule::Count,
        ) {
            h.accelerators_per_host = v as u32;
        }
    });
}

fn embodied_section(ui: &mut Ui, c: &Ctx<'_>, p: &mut TrainingPlan) {
    let mut emb_on = p.embodied.is_some();
    if ui.checkbox(&mut emb_on, "Embodied carbon").changed() {
        p.embodied = emb_on.then_some(EmbodiedSpec::default());
    }
    let acc = c.accelerator(p);
    let Some(emb) = &mut p.embodied else {
        return;
    };
    ui.indent(("emb", c.i), |ui| {
        let catalogue_kg = acc.and_then(|a| a.embodied_kgco2e);
        ui.horizontal(|ui| {
            let mut over = emb.kgco2e_per_device.is_some();
            if ui.checkbox(&mut over, "Own figure").changed() {
                emb.kgco2e_per_device =
                    over.then(|| catalogue_kg.unwrap_or(defaults::EMBODIED_KGCO2E.value));
            }
            if emb.kgco2e_per_device.is_none() {
                match catalogue_kg {
                    Some(k) => {
                        ui.weak(format!("catalogue: {} kg", sig(k, 4)));
                    }
                    None => {
                        ui.label(
                            RichText::new(format!(
                                "fallback: generic {} kg",
                                defaults::EMBODIED_KGCO2E.value
                            ))
                            .color(warn_color(ui)),
                        )
                        .on_hover_text(crate::engine::Assumption::GenericEmbodied.describe());
                    }
                }
            }
        });
        if let Some(k) = emb.kgco2e_per_device
            && let Some(v) = num_input(
                ui,
                c.id("embkg"),
                "Embodied",
                k,
                "kgCO2e per device",
                Rule::NonNegative,
            )
        {
            emb.kgco2e_per_device = Some(v);
        }
        let life = emb
            .lifetime_years
            .or(acc.and_then(|a| a.lifetime_years))
            .unwrap_or(defaults::LIFETIME_YEARS.value);
        if let Some(v) = num_input(ui, c.id("life"), "Lifetime", life, "years", Rule::Positive) {
            emb.lifetime_years = Some(v);
        }
    });
}

fn price_section(ui: &mut Ui, c: &Ctx<'_>, p: &mut TrainingPlan) {
    let price_label = match p.price {
        Price::None => "No cost",
        Price::RegionElectricity => "Region's electricity price",
        Price::UsdPerKwh(_) => "USD per kWh",
        Price::UsdPerAcceleratorHour(_) => "USD per accelerator-hour",
    };
    let region_price = c.region(p).and_then(|r| r.electricity_usd_per_kwh);
    ui.horizontal(|ui| {
        let l = ui.label("Cost");
        egui::ComboBox::new(("price", c.i), "")
            .selected_text(price_label)
            .width(PICKER_WIDTH)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut p.price, Price::None, "No cost");
                ui.add_enabled_ui(region_price.is_some(), |ui| {
                    ui.selectable_value(
                        &mut p.price,
                        Price::RegionElectricity,
                        "Region's electricity price",
                    )
                    .on_disabled_hover_text(
                        "This region has no electricity price in the catalogue",
                    );
                });
                if !matches!(p.price, Price::UsdPerKwh(_))
                    && ui.selectable_label(false, "USD per kWh").clicked()
                {
                    p.price = Price::UsdPerKwh(region_price.unwrap_or(0.1));
                }
                if !matches!(p.price, Price::UsdPerAcceleratorHour(_))
                    && ui
                        .selectable_label(false, "USD per accelerator-hour")
                        .clicked()
                {
                    p.price = Price::UsdPerAcceleratorHour(2.0);
                }
            })
            .response
            .labelled_by(l.id)
            .combo_value(ui, price_label);
    });
    let (key, unit, x) = match &mut p.price {
        Price::UsdPerKwh(x) => ("pkwh", "USD/kWh", x),
        Price::UsdPerAcceleratorHour(x) => ("phour", "USD/accelerator-hour", x),
        Price::None | Price::RegionElectricity => return,
    };
    if let Some(v) = num_input(ui, c.id(key), "Price", *x, unit, Rule::NonNegative) {
        *x = v;
    }
}

/// The plan's own uncertainty ranges (collapsed by default): each input the plan uses either has its own low..high
/// or shows the documented default the Monte Carlo uses for it.
fn ranges_section(ui: &mut Ui, i: usize, p: &mut TrainingPlan, estimate: Option<&Estimate>) {
    let own = !p.ranges.is_empty();
    let fold = egui::CollapsingHeader::new(if own {
        "Uncertainty ranges (own)"
    } else {
        "Uncertainty ranges"
    })
    .id_salt(("ranges", i))
    .show(ui, |ui| {
        // Only while the fold is open: a closed fold costs the frame nothing.
        let defaults: Vec<uncertainty::InputRange> = estimate
            .map(|e| uncertainty::ranges(p, e))
            .unwrap_or_default();
        let power_tdp = matches!(p.power, Power::Tdp { .. });
        let compute = matches!(p.duration, Duration::Compute { .. });
        let has_embodied = estimate.is_some_and(|e| e.embodied_kg_per_device.is_some());
        let central = |input: Input| defaults.iter().find(|r| r.input == input).copied();
        // (input, label, unit, rule, the plan's value)
        let mut rows: Vec<(Input, &str, &str, Rule, Option<f64>)> = Vec::new();
        match p.power {
            Power::Watts(w) => rows.push((Input::Power, "Watts", "W", Rule::NonNegative, Some(w))),
            Power::Tdp { utilization } => rows.push((
                Input::Power,
                "Utilisation",
                "of TDP",
                Rule::Fraction,
                Some(utilization),
            )),
        }
        rows.push((
            Input::Pue,
            "PUE",
            "",
            Rule::AtLeastOne,
            estimate.map(|e| e.pue),
        ));
        rows.push((
            Input::Intensity,
            "Intensity",
            "g/kWh",
            Rule::NonNegative,
            estimate.map(|e| e.intensity_g_per_kwh),
        ));
        if compute && let Some(mfu) = estimate.and_then(|e| e.mfu) {
            rows.push((Input::Mfu, "MFU", "", Rule::Fraction, Some(mfu)));
        }
        if has_embodied {
            rows.push((
                Input::Embodied,
                "Embodied",
                "kg/device",
                Rule::NonNegative,
                estimate.and_then(|e| e.embodied_kg_per_device),
            ));
        }
        for (input, label, unit, rule, value) in rows {
            let slot = match input {
                Input::Power if power_tdp => &mut p.ranges.utilization,
                Input::Power => &mut p.ranges.watts,
                Input::Pue => &mut p.ranges.pue,
                Input::Intensity => &mut p.ranges.intensity,
                Input::Mfu => &mut p.ranges.mfu,
                Input::Embodied => &mut p.ranges.embodied_kg,
            };
            let mut on = slot.is_some();
            if ui
                .checkbox(&mut on, format!("Own range for {label}"))
                .changed()
            {
                *slot = on.then(|| {
                    let v = value.unwrap_or(0.0);
                    // Start from the default range where one applies (in the field's own unit), else +-10 %.
                    match (central(input), input, power_tdp) {
                        (Some(d), Input::Power, true) if d.central > 0.0 => Range {
                            low: v * d.low / d.central,
                            high: v * d.high / d.central,
                        },
                        (Some(d), _, _) if !d.from_plan => Range {
                            low: d.low.min(v),
                            high: d.high.max(v),
                        },
                        _ => Range {
                            low: v * 0.9,
                            high: v * 1.1,
                        },
                    }
                });
            }
            match slot {
                Some(r) => {
                    ui.indent(("range", i, label), |ui| {
                        if let Some(x) = num_input(
                            ui,
                            (i, label, "lo"),
                            &format!("{label} low"),
                            r.low,
                            unit,
                            rule,
                        ) {
                            r.low = x;
                        }
                        if let Some(x) = num_input(
                            ui,
                            (i, label, "hi"),
                            &format!("{label} high"),
                            r.high,
                            unit,
                            rule,
                        ) {
                            r.high = x;
                        }
                        if let Some(v) = value
                            && !(r.low <= v && v <= r.high)
                        {
                            ui.label(
                                RichText::new(format!(
                                    "The range must contain the value used, {}",
                                    sig(v, 4)
                                ))
                                .color(warn_color(ui)),
                            );
                        }
                    });
                }
                None => {
                    let text = match central(input) {
                        Some(d) => format!(
                            "default {}..{} {}",
                            sig(d.low, 3),
                            sig(d.high, 3),
                            if input == Input::Power { "W" } else { unit }
                        ),
                        None => "no default: the value is taken as exact".to_owned(),
                    };
                    ui.indent(("range-default", i, label), |ui| {
                        ui.weak(text).on_hover_text(default_source(input, estimate));
                    });
                }
            }
        }
    });
    super::widgets::a11y::expanded(ui, &fold.header_response);
}

/// Where the default range of an input comes from.
fn default_source(input: Input, e: Option<&Estimate>) -> &'static str {
    use crate::engine::ValueSource;
    match input {
        Input::Power => uncertainty::POWER_FROM_TDP.source,
        Input::Pue => match e.map(|e| e.pue_source) {
            Some(ValueSource::Default) => uncertainty::DEFAULT_PUE.source,
            _ => uncertainty::PROVIDER_PUE.source,
        },
        Input::Intensity => uncertainty::ANNUAL_INTENSITY.source,
        Input::Mfu => uncertainty::MFU_FROM_TABLE,
        Input::Embodied => uncertainty::EMBODIED.source,
    }
}

/// A measured-throughput duration that keeps the run's accelerator-hours: the tokens of a 6·N·D plan (else the
/// FLOPs over 6 x 7e9 per token), at the rate that takes as long.
fn measured_duration(
    plan: &TrainingPlan,
    flops: f64,
    accel_hours: f64,
    precision: Precision,
) -> Duration {
    let (items, flops_per_item) = match plan.duration {
        Duration::Compute {
            work: Work::ParamsTokens { params, tokens },
            ..
        } => (tokens, 6.0 * params),
        _ => (flops / 4.2e10, 4.2e10),
    };
    let seconds = (accel_hours * 3600.0).max(1.0);
    Duration::Throughput {
        items,
        unit: ItemUnit::Tokens,
        per_second: items / seconds,
        flops_per_item: Some(flops_per_item),
        precision: Some(precision),
    }
}

/// The precision picker of a compute-based plan: each precision with the accelerator's dense peak.
fn precision_picker(ui: &mut Ui, i: usize, acc: Option<&Accelerator>, precision: &mut Precision) {
    ui.horizontal(|ui| {
        let l = ui.label("Precision");
        egui::ComboBox::new(("precision", i), "")
            .selected_text(precision.label())
            .show_ui(ui, |ui| {
                for pr in Precision::ALL {
                    let peak = acc.and_then(|a| a.peak_tflops.get(pr));
                    let text = match peak {
                        Some(t) => format!("{} — {} TFLOP/s dense", pr.label(), sig(t, 4)),
                        None => format!("{} — no peak in catalogue", pr.label()),
                    };
                    ui.add_enabled_ui(peak.is_some(), |ui| {
                        ui.selectable_value(precision, pr, text);
                    });
                }
            })
            .response
            .labelled_by(l.id)
            .combo_value(ui, precision.label());
    });
}

/// Where FP32 is chosen on an accelerator with TF32 tensor cores: says that the framework decides whether FP32
/// matrix multiplies run as TF32, and lets the user pick TF32.
fn fp32_note(ui: &mut Ui, acc: Option<&Accelerator>, precision: &mut Precision) {
    if *precision != Precision::Fp32 || acc.is_none_or(|a| a.peak_tflops.tf32.is_none()) {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new("FP32 here means the vector units; your framework may run it as TF32.")
                .color(warn_color(ui))
                .small(),
        )
        .on_hover_text(crate::engine::estimate::FP32_AS_TF32);
        if ui
            .small_button("Use TF32")
            .on_hover_text("Count FP32 matrix multiplies at the TF32 tensor-core peak")
            .clicked()
        {
            *precision = Precision::Tf32;
        }
    });
}

/// The workload class and the MFU of a compute-based plan: the plan's own MFU, or (unchecked) the utilisation
/// table's typical value, shown flagged with its source.
fn workload_and_mfu(
    ui: &mut Ui,
    i: usize,
    plan: &TrainingPlan,
    view: &View<'_>,
    estimate: Option<&Estimate>,
    workload: &mut Workload,
    mfu: &mut Option<f64>,
) {
    ui.horizontal(|ui| {
        let l = ui.label("Workload");
        egui::ComboBox::new(("workload", i), "")
            .selected_text(workload.label())
            .show_ui(ui, |ui| {
                for w in Workload::ALL {
                    ui.selectable_value(workload, w, w.label())
                        .on_hover_text(w.description());
                }
            })
            .response
            .labelled_by(l.id)
            .combo_value(ui, workload.label());
    });
    ui.horizontal(|ui| {
        let mut own = mfu.is_some();
        if ui
            .checkbox(&mut own, "Own MFU")
            .on_hover_text("Unchecked: the utilisation table's typical MFU for this accelerator, precision and workload")
            .changed()
        {
            *mfu = own.then(|| estimate.and_then(|e| e.mfu).unwrap_or(0.4));
        }
        if mfu.is_none() {
            match estimate.and_then(|e| e.mfu) {
                Some(m) => {
                    let range = estimate
                        .and_then(|e| e.mfu_range)
                        .map(|(lo, hi)| format!(", typical {}–{}", sig(lo, 3), sig(hi, 3)))
                        .unwrap_or_default();
                    ui.label(
                        RichText::new(format!("default MFU {}{range}", sig(m, 3)))
                            .color(warn_color(ui)),
                    )
                    .on_hover_ui(|ui| {
                        if let Some(e) = estimate {
                            let prov = crate::engine::provenance::Provenance::of(plan, view.catalogue, e);
                            if let Some(m) = prov.mfu {
                                ui.label(m.long());
                            }
                        }
                    });
                }
                None => {
                    ui.label(RichText::new("no default MFU: give one").color(warn_color(ui)));
                }
            }
        }
    });
    if mfu.is_none()
        && let Some(text) = default_mfu_source(plan, view)
    {
        ui.label(RichText::new(text).small().weak());
    }
    if let Some(m0) = *mfu
        && let Some(v) = num_input(ui, (i, "mfu"), "MFU", m0, "", Rule::Fraction)
    {
        *mfu = Some(v);
    }
}

/// Where a plan's default MFU comes from, in a few words (the hover has the whole record): the table entry's
/// basis, measurement count and year.
fn default_mfu_source(plan: &TrainingPlan, view: &View<'_>) -> Option<String> {
    let Duration::Compute {
        precision,
        workload,
        mfu: None,
        ..
    } = plan.duration
    else {
        return None;
    };
    let acc = view.catalogue.accelerator(&plan.accelerator)?;
    let u = view
        .catalogue
        .utilization()
        .lookup(acc, precision, workload)?;
    Some(match u {
        crate::model::Utilization::Entry(e, o) => format!(
            "source: utilisation table, {} ({} measurement{}, {}) — hover for sources",
            o.label(),
            e.n,
            if e.n == 1 { "" } else { "s" },
            e.year
        ),
        crate::model::Utilization::Rule(c) => format!(
            "source: utilisation table, derived by rule ({}) — hover for sources",
            c.generation
                .map(|g| g.name.as_str())
                .unwrap_or("generation unknown")
        ),
    })
}

/// The inputs of a measured-throughput duration: tokens (or samples), the measured rate per accelerator, and
/// optionally the FLOPs per item and precision, to show the MFU the rate implies.
fn throughput_inputs(
    ui: &mut Ui,
    i: usize,
    acc: Option<&Accelerator>,
    estimate: Option<&Estimate>,
    duration: &mut Duration,
) {
    let Duration::Throughput {
        items,
        unit,
        per_second,
        flops_per_item,
        precision,
    } = duration
    else {
        return;
    };
    ui.horizontal(|ui| {
        ui.label("Counted in");
        ui.radio_value(unit, ItemUnit::Tokens, "tokens");
        ui.radio_value(unit, ItemUnit::Samples, "samples");
    });
    let what = unit.label();
    if let Some(v) = num_input(ui, (i, "items"), "Items", *items, what, Rule::NonNegative) {
        *items = v;
    }
    if let Some(v) = num_input(
        ui,
        (i, "rate"),
        "Throughput",
        *per_second,
        &format!("{what}/s per accelerator"),
        Rule::Positive,
    ) {
        *per_second = v;
    }
    ui.horizontal(|ui| {
        let mut known = flops_per_item.is_some();
        if ui
            .checkbox(&mut known, "Show implied MFU")
            .on_hover_text("Give the training FLOPs per item (6 x N per token) and the precision")
            .changed()
        {
            *flops_per_item = known.then_some(4.2e10);
            if known && precision.is_none() {
                *precision = Some(Precision::Bf16);
            }
        }
    });
    if let Some(f) = *flops_per_item {
        if let Some(v) = num_input(
            ui,
            (i, "fpi"),
            "FLOPs per item",
            f,
            &format!("FLOP per {}", what.trim_end_matches('s')),
            Rule::Positive,
        ) {
            *flops_per_item = Some(v);
        }
        let mut pr = precision.unwrap_or(Precision::Bf16);
        precision_picker(ui, i, acc, &mut pr);
        *precision = Some(pr);
        match estimate.and_then(|e| e.mfu) {
            Some(m) => {
                let text = RichText::new(format!("implied MFU {}", sig(m, 3)));
                ui.label(if m > 1.0 {
                    text.color(warn_color(ui))
                } else {
                    text
                })
                .on_hover_text(if m > 1.0 {
                    "Above 1: check the FLOPs per item, the throughput or the precision"
                } else {
                    "FLOPs per item x throughput / dense peak at the precision"
                });
            }
            None => {
                ui.weak("implied MFU: the accelerator has no peak at this precision");
            }
        }
    }
}
