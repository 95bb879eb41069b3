//! The formulas, one function each, with their equations and units. [`super::estimate`] composes them; the app's
//! formula view and the exports quote them.

use super::defaults::HOURS_PER_YEAR;

/// Accelerator-hours from a count and wall-clock hours: `accelerator_h = count x hours`.
///
/// ```
/// assert_eq!(trainprint::engine::formula::accelerator_hours(8, 120.0), 960.0);
/// ```
#[inline]
pub fn accelerator_hours(count: u32, wall_hours: f64) -> f64 {
    f64::from(count) * wall_hours
}

/// Accelerator-hours of a compute-based plan:
/// `accelerator_h = FLOPs / (peak_FLOP/s x MFU) / 3600 s/h`.
///
/// ```
/// // 3.6e18 FLOPs at 1e15 FLOP/s peak and 50 % MFU take 2 accelerator-hours.
/// assert_eq!(trainprint::engine::formula::compute_accelerator_hours(3.6e18, 1e15, 0.5), 2.0);
/// ```
#[inline]
pub fn compute_accelerator_hours(flops: f64, peak_flops_per_s: f64, mfu: f64) -> f64 {
    flops / (peak_flops_per_s * mfu) / 3600.0
}

/// Accelerator-hours of a measured throughput: `accelerator_h = items / (items/s per accelerator) / 3600 s/h`.
///
/// ```
/// // 1e12 tokens at 10,000 tokens/s per accelerator: 27,777.8 accelerator-hours.
/// let h = trainprint::engine::formula::throughput_accelerator_hours(1e12, 1e4);
/// assert!((h - 27_777.777_777_8).abs() < 1e-6);
/// ```
#[inline]
pub fn throughput_accelerator_hours(items: f64, items_per_second: f64) -> f64 {
    items / items_per_second / 3600.0
}

/// The MFU a measured throughput implies: `MFU = FLOPs per item x items/s / peak FLOP/s`.
///
/// ```
/// // 10,000 tokens/s of a 7B model (6 x 7e9 FLOPs per token) on a 989.4 TFLOP/s peak: MFU 0.4245.
/// let m = trainprint::engine::formula::implied_mfu(4.2e10, 1e4, 989.4e12);
/// assert!((m - 0.424_499).abs() < 1e-6);
/// ```
#[inline]
pub fn implied_mfu(flops_per_item: f64, items_per_second: f64, peak_flops_per_s: f64) -> f64 {
    flops_per_item * items_per_second / peak_flops_per_s
}

/// Training FLOPs of a dense transformer: `FLOPs = 6 x N x D` (Kaplan et al. 2020, "Scaling Laws").
///
/// ```
/// assert_eq!(trainprint::engine::formula::six_n_d(65.2e9, 1.4e12), 5.4768e23);
/// ```
#[inline]
pub fn six_n_d(params: f64, tokens: f64) -> f64 {
    6.0 * params * tokens
}

/// Energy in kWh of a device group: `E_kWh = accelerator_h x W / 1000`.
///
/// ```
/// // 8 GPUs x 120 h at 400 W: 384 kWh.
/// assert_eq!(trainprint::engine::formula::energy_kwh(960.0, 400.0), 384.0);
/// ```
#[inline]
pub fn energy_kwh(accelerator_hours: f64, watts: f64) -> f64 {
    accelerator_hours * watts / 1000.0
}

/// Facility energy: `E_facility = E_IT x PUE` (kWh).
///
/// ```
/// assert!((trainprint::engine::formula::facility_energy_kwh(384.0, 1.2) - 460.8).abs() < 1e-9);
/// ```
#[inline]
pub fn facility_energy_kwh(it_energy_kwh: f64, pue: f64) -> f64 {
    it_energy_kwh * pue
}

/// Operational (location-based) emissions: `CO2e_kg = E_facility_kWh x intensity_g/kWh / 1000`.
///
/// ```
/// let kg = trainprint::engine::formula::operational_co2e_kg(460.8, 350.0);
/// assert!((kg - 161.28).abs() < 1e-9);
/// ```
#[inline]
pub fn operational_co2e_kg(facility_energy_kwh: f64, intensity_g_per_kwh: f64) -> f64 {
    facility_energy_kwh * intensity_g_per_kwh / 1000.0
}

/// Market-based emissions after a carbon-free-energy share: `CO2e_market = CO2e_location x (1 - CFE)`.
///
/// ```
/// assert_eq!(trainprint::engine::formula::market_co2e_kg(100.0, 0.75), 25.0);
/// ```
#[inline]
pub fn market_co2e_kg(operational_co2e_kg: f64, cfe_share: f64) -> f64 {
    operational_co2e_kg * (1.0 - cfe_share)
}

/// Embodied emissions amortised over the device lifetime:
/// `CO2e_embodied = kg_per_device x accelerator_h / (lifetime_years x 8760 h)`
/// (the same as kg x count x training hours / lifetime hours).
///
/// ```
/// // 8 devices of 318 kg for 120 h over a 4-year life: 318 x 960 / 35040 = 8.712... kg.
/// let kg = trainprint::engine::formula::embodied_co2e_kg(318.0, 960.0, 4.0);
/// assert!((kg - 8.712328767).abs() < 1e-6);
/// ```
#[inline]
pub fn embodied_co2e_kg(kg_per_device: f64, accelerator_hours: f64, lifetime_years: f64) -> f64 {
    kg_per_device * accelerator_hours / (lifetime_years * HOURS_PER_YEAR)
}

/// On-site water: `water_L = E_IT_kWh x WUE_L/kWh` (WUE is defined per kWh of IT energy by The Green Grid).
///
/// ```
/// assert_eq!(trainprint::engine::formula::water_l(1000.0, 0.12), 120.0);
/// ```
#[inline]
pub fn water_l(it_energy_kwh: f64, wue_l_per_kwh: f64) -> f64 {
    it_energy_kwh * wue_l_per_kwh
}
