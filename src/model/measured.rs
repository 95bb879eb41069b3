//! A measured training run as plain data: what a tracker (CodeCarbon, an `nvidia-smi` power log, Carbontracker)
//! recorded — duration, energy, CO2e where it has one, power per accelerator — ready to be set beside a plan.
//!
//! The readers live in `persist::measured`, the comparison with a plan in `engine::actual`. A workspace keeps the
//! runs it imported as [`MeasuredEntry`]s (since workspace version 5): the run, the file it came from, the plan it
//! is compared with and the grid the user gave for a file without one.

use super::plan::PlanId;
use serde::{Deserialize, Serialize};

/// The tool that wrote a measurement file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MeasuredSource {
    /// CodeCarbon's `emissions.csv` (one row per tracked run).
    CodeCarbon,
    /// An `nvidia-smi --query-gpu=timestamp,index,power.draw --format=csv -l SECONDS` power log.
    NvidiaSmi,
    /// Carbontracker's log pair (`…_carbontracker_output.log` and `…_carbontracker.log`).
    Carbontracker,
}

impl MeasuredSource {
    /// Every source.
    pub const ALL: [MeasuredSource; 3] = [
        MeasuredSource::CodeCarbon,
        MeasuredSource::NvidiaSmi,
        MeasuredSource::Carbontracker,
    ];

    /// The stable machine name (`codecarbon`, `nvidia-smi`, `carbontracker`), as in JSON.
    pub fn key(self) -> &'static str {
        match self {
            MeasuredSource::CodeCarbon => "codecarbon",
            MeasuredSource::NvidiaSmi => "nvidia-smi",
            MeasuredSource::Carbontracker => "carbontracker",
        }
    }

    /// The tool's name as its authors write it.
    pub fn label(self) -> &'static str {
        match self {
            MeasuredSource::CodeCarbon => "CodeCarbon",
            MeasuredSource::NvidiaSmi => "nvidia-smi",
            MeasuredSource::Carbontracker => "Carbontracker",
        }
    }

    /// True when the tool's energy covers only the accelerators (no CPU, memory or facility share).
    pub fn accelerators_only(self) -> bool {
        matches!(self, MeasuredSource::NvidiaSmi)
    }
}

/// One accelerator's share of a measured run, where the file has it per device.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceReading {
    /// The device as the file names it (`0`, `GPU-1a2b…`, `NVIDIA A100-SXM4-40GB`).
    pub device: String,
    /// Energy the device drew, kWh (without any PUE).
    pub energy_kwh: f64,
    /// Its average power over the time it was sampled, W.
    pub avg_power_w: f64,
    /// How many power samples the file has for it.
    pub samples: u64,
}

/// One measured run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasuredRun {
    /// The tool that measured it.
    pub source: MeasuredSource,
    /// The tool's version as the file states it (`codecarbon_version`, Carbontracker's first log line); `None`
    /// where the file does not say (`nvidia-smi` logs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_version: Option<String>,
    /// The run's id: CodeCarbon's `run_id`, else the log file's name.
    pub run_id: String,
    /// When it started or was recorded, as the file writes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<String>,
    /// Wall-clock duration, hours.
    pub duration_h: f64,
    /// Energy as the file reports it, kWh: with the PUE in [`pue`](Self::pue) already applied where there is one.
    pub energy_kwh: f64,
    /// Emissions as the file reports them, kg CO2e; `None` when the file has none (`nvidia-smi`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub co2e_kg: Option<f64>,
    /// Average power per accelerator, W (without PUE), where the file measures accelerators.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avg_power_w: Option<f64>,
    /// Number of accelerators (GPUs) the run used; 0 for a CPU-only run or when the file does not say.
    pub accelerators: u32,
    /// The accelerator model as the file names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accelerator_model: Option<String>,
    /// Per-device energy and power, where the file has them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub devices: Vec<DeviceReading>,
    /// The PUE the tool multiplied into `energy_kwh`; `None` when it applied none it says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pue: Option<f64>,
    /// The grid intensity the tool states, gCO2e/kWh, where it states one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intensity_g_per_kwh: Option<f64>,
    /// Country as the file gives it (CodeCarbon: ISO 3166 alpha-3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Region or location as the file gives it (free text, not a catalogue id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Cloud provider, where the file gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_provider: Option<String>,
    /// Cloud region, where the file gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_region: Option<String>,
    /// Tokens the run processed, when the user gives them (no tracker records them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokens: Option<f64>,
    /// Samples the run processed, when the user gives them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub samples: Option<f64>,
}

/// A value of a measured run that cannot be used.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{field} must be {rule} (got {value})")]
pub struct MeasuredInvalid {
    /// The field (`duration_h`, …).
    pub field: &'static str,
    /// What it must be.
    pub rule: &'static str,
    /// The value found.
    pub value: f64,
}

impl MeasuredRun {
    /// A run with the required values and every optional one empty.
    pub fn new(
        source: MeasuredSource,
        run_id: impl Into<String>,
        duration_h: f64,
        energy_kwh: f64,
    ) -> Self {
        MeasuredRun {
            source,
            tool_version: None,
            run_id: run_id.into(),
            started: None,
            duration_h,
            energy_kwh,
            co2e_kg: None,
            avg_power_w: None,
            accelerators: 0,
            accelerator_model: None,
            devices: Vec::new(),
            pue: None,
            intensity_g_per_kwh: None,
            country: None,
            region: None,
            cloud_provider: None,
            cloud_region: None,
            tokens: None,
            samples: None,
        }
    }

    /// Checks every number: finite and non-negative, a PUE of at least 1, token and sample counts positive.
    ///
    /// ```
    /// use trainprint::model::{MeasuredRun, MeasuredSource};
    /// let mut run = MeasuredRun::new(MeasuredSource::NvidiaSmi, "log", 2.0, 1.5);
    /// assert!(run.validate().is_ok());
    /// run.energy_kwh = f64::NAN;
    /// assert_eq!(run.validate().unwrap_err().field, "energy_kwh");
    /// ```
    pub fn validate(&self) -> Result<(), MeasuredInvalid> {
        let non_negative = |field, value: f64| {
            if value.is_finite() && value >= 0.0 {
                Ok(())
            } else {
                Err(MeasuredInvalid {
                    field,
                    rule: "a finite number >= 0",
                    value,
                })
            }
        };
        let positive = |field, value: f64| {
            if value.is_finite() && value > 0.0 {
                Ok(())
            } else {
                Err(MeasuredInvalid {
                    field,
                    rule: "a finite number > 0",
                    value,
                })
            }
        };
        non_negative("duration_h", self.duration_h)?;
        non_negative("energy_kwh", self.energy_kwh)?;
        for (field, value) in [
            ("co2e_kg", self.co2e_kg),
            ("avg_power_w", self.avg_power_w),
            ("intensity_g_per_kwh", self.intensity_g_per_kwh),
        ] {
            if let Some(v) = value {
                non_negative(field, v)?;
            }
        }
        for (field, value) in [("tokens", self.tokens), ("samples", self.samples)] {
            if let Some(v) = value {
                positive(field, v)?;
            }
        }
        if let Some(p) = self.pue
            && !(p.is_finite() && p >= 1.0)
        {
            return Err(MeasuredInvalid {
                field: "pue",
                rule: "a finite number >= 1",
                value: p,
            });
        }
        for d in &self.devices {
            non_negative("devices.energy_kwh", d.energy_kwh)?;
            non_negative("devices.avg_power_w", d.avg_power_w)?;
        }
        Ok(())
    }

    /// The energy the hardware drew, kWh: the file's energy without the PUE the tool applied.
    ///
    /// ```
    /// use trainprint::model::{MeasuredRun, MeasuredSource};
    /// let mut run = MeasuredRun::new(MeasuredSource::Carbontracker, "x", 1.0, 1.58);
    /// run.pue = Some(1.58);
    /// assert!((run.it_energy_kwh() - 1.0).abs() < 1e-12);
    /// ```
    pub fn it_energy_kwh(&self) -> f64 {
        match self.pue {
            Some(p) if p > 0.0 => self.energy_kwh / p,
            _ => self.energy_kwh,
        }
    }

    /// A short label for a column or a table row: `CodeCarbon run 49cbf1b1`.
    pub fn label(&self) -> String {
        let id: String = self.run_id.chars().take(12).collect();
        format!("{} {id}", self.source.label())
    }
}

/// The most measured runs a workspace holds.
pub const MAX_MEASURED: usize = 64;

/// A measured run kept in a workspace: a column beside the plans, compared with the plan the user picked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasuredEntry {
    /// The run as the file gave it (with the tokens or samples the user added).
    pub run: MeasuredRun,
    /// The name of the file it was read from (no directory).
    pub file: String,
    /// The plan it is compared with; `None` until one is picked (or when that plan was removed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub against: Option<PlanId>,
    /// For a file without grid intensity (`nvidia-smi`): the catalogue region the user gave.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// For a file without grid intensity: the intensity the user typed, gCO2e/kWh (wins over `region`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intensity_g_per_kwh: Option<f64>,
}

impl MeasuredEntry {
    /// A run read from `file`, compared with nothing yet.
    pub fn new(run: MeasuredRun, file: impl Into<String>) -> Self {
        MeasuredEntry {
            run,
            file: file.into(),
            against: None,
            region: None,
            intensity_g_per_kwh: None,
        }
    }

    /// Checks the run and the given intensity (finite, >= 0).
    ///
    /// ```
    /// use trainprint::model::{MeasuredEntry, MeasuredRun, MeasuredSource};
    /// let mut e = MeasuredEntry::new(MeasuredRun::new(MeasuredSource::NvidiaSmi, "log", 2.0, 1.5), "gpu.csv");
    /// assert!(e.validate().is_ok());
    /// e.intensity_g_per_kwh = Some(-1.0);
    /// assert_eq!(e.validate().unwrap_err().field, "intensity_g_per_kwh");
    /// ```
    pub fn validate(&self) -> Result<(), MeasuredInvalid> {
        self.run.validate()?;
        if let Some(g) = self.intensity_g_per_kwh
            && !(g.is_finite() && g >= 0.0)
        {
            return Err(MeasuredInvalid {
                field: "intensity_g_per_kwh",
                rule: "a finite number >= 0",
                value: g,
            });
        }
        Ok(())
    }
}
