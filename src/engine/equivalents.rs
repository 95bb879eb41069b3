//! Everyday equivalents of a footprint, each with its factor and source, so a number like "9.4 tCO2e" can be
//! read at a glance. They are comparisons, not offsets.

/// An everyday equivalent.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Equivalent {
    /// What one unit is (`passenger flights New York–San Francisco`).
    pub unit: &'static str,
    /// The factor: kgCO2e (or kWh) per unit.
    pub per_unit: f64,
    /// What the factor measures.
    pub basis: &'static str,
    /// Where it comes from.
    pub source: &'static str,
}

/// One economy passenger's flight New York–San Francisco: 570 kgCO2e.
pub const FLIGHT_NY_SF: Equivalent = Equivalent {
    unit: "passenger flights New York–San Francisco",
    per_unit: 570.0,
    basis: "kgCO2e per passenger, one way",
    source: "Green Algorithms referenceValues.csv (calculator.carbonfootprint.com)",
};

/// Driving an average new EU car: 175 gCO2e per km.
pub const CAR_KM_EU: Equivalent = Equivalent {
    unit: "km by car",
    per_unit: 0.175,
    basis: "kgCO2e per km, EU average car",
    source: "Green Algorithms referenceValues.csv (EEA/Defra 2019)",
};

/// A US home's electricity for a year: 10,715 kWh.
pub const US_HOME_YEAR_KWH: Equivalent = Equivalent {
    unit: "US homes' electricity for a year",
    per_unit: 10_715.0,
    basis: "kWh per home per year (2020)",
    source: "US EIA FAQ 'How much electricity does an American home use?'",
};

/// The CO2e equivalent that reads best for `kg`: car km below one flight's worth, flights above.
///
/// ```
/// use trainprint::engine::equivalents::{co2e_equivalent, CAR_KM_EU, FLIGHT_NY_SF};
/// let (eq, n) = co2e_equivalent(161.28);
/// assert_eq!(eq, CAR_KM_EU);
/// assert!((n - 921.6).abs() < 1e-9);
/// assert_eq!(co2e_equivalent(5700.0), (FLIGHT_NY_SF, 10.0));
/// ```
pub fn co2e_equivalent(kg: f64) -> (Equivalent, f64) {
    let eq = if kg < FLIGHT_NY_SF.per_unit {
        CAR_KM_EU
    } else {
        FLIGHT_NY_SF
    };
    (eq, kg / eq.per_unit)
}

/// Facility energy in US household-years of electricity.
pub fn energy_equivalent(kwh: f64) -> (Equivalent, f64) {
    (US_HOME_YEAR_KWH, kwh / US_HOME_YEAR_KWH.per_unit)
}
