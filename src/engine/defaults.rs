//! The few defaults the engine falls back on, each with its value, unit and source. Whenever the engine uses one,
//! the estimate says so (see [`super::Assumption`]), so no default is ever silent.

/// A documented default value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Default {
    /// The value.
    pub value: f64,
    /// Its unit.
    pub unit: &'static str,
    /// What it stands for.
    pub what: &'static str,
    /// Where it comes from.
    pub source: &'static str,
    /// The year of the figure.
    pub year: u16,
}

/// PUE used when neither the plan nor its region gives one: the Uptime Institute global average.
pub const PUE: Default = Default {
    value: 1.56,
    unit: "",
    what: "industry-average PUE (used when the region publishes none and the plan sets none)",
    source: "Uptime Institute Global Data Center Survey 2024 (as cited in Green Algorithms data/v3.0/defaults_PUE.csv)",
    year: 2024,
};

/// Device lifetime over which embodied carbon is amortised when the catalogue gives none.
pub const LIFETIME_YEARS: Default = Default {
    value: 4.0,
    unit: "years",
    what: "accelerator service lifetime for amortising embodied carbon",
    source: "Cloud Carbon Footprint server lifespan (4 years, 35,040 h); EcoDiag GPU lifetime (4 years)",
    year: 2023,
};

/// Embodied carbon of one accelerator when the catalogue has no figure for it.
pub const EMBODIED_KGCO2E: Default = Default {
    value: 60.0,
    unit: "kgCO2e per device",
    what: "generic embodied carbon of a powerful GPU card (±60 %)",
    source: "EcoDiag (ecoinfo.cnrs.fr) generic 'powerful GPU', as quoted in Boavizta boaviztapi issue #65",
    year: 2022,
};

/// Host memory power per GB, offered when a user adds a host term.
pub const MEMORY_W_PER_GB: Default = Default {
    value: 0.3725,
    unit: "W/GB",
    what: "DRAM power per GB",
    source: "Green Algorithms data/v3.0/referenceValues.csv memoryPower",
    year: 2025,
};

/// Hours in a (non-leap) year, for lifetimes given in years.
pub const HOURS_PER_YEAR: f64 = 8760.0;
