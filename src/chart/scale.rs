//! Units for chart axes (kWh/MWh/GWh, kg/t/kt CO2e) and round tick values, written once for the app and the
//! exports.

/// A unit for an axis: values are divided by `factor` and labelled with `name`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    /// Divide by this.
    pub factor: f64,
    /// The unit's name.
    pub name: &'static str,
}

impl Scale {
    /// `x` in this unit.
    pub fn of(self, x: f64) -> f64 {
        x / self.factor
    }
}

fn pick(max: f64, steps: [(f64, &'static str); 3]) -> Scale {
    let mut chosen = steps[0];
    for s in steps {
        if max >= s.0 {
            chosen = s;
        }
    }
    Scale {
        factor: chosen.0,
        name: chosen.1,
    }
}

/// The energy unit that keeps `max_kwh` readable.
///
/// ```
/// use trainprint::chart::scale::energy;
/// assert_eq!(energy(460.8).name, "kWh");
/// assert_eq!(energy(449_000.0).name, "MWh");
/// assert_eq!(energy(2.5e6).factor, 1e6);
/// ```
pub fn energy(max_kwh: f64) -> Scale {
    pick(max_kwh, [(1.0, "kWh"), (1e3, "MWh"), (1e6, "GWh")])
}

/// The CO2e unit that keeps `max_kg` readable.
///
/// ```
/// use trainprint::chart::scale::co2e;
/// assert_eq!(co2e(161.28).name, "kgCO2e");
/// assert_eq!(co2e(17_039.6).name, "tCO2e");
/// ```
pub fn co2e(max_kg: f64) -> Scale {
    pick(max_kg, [(1.0, "kgCO2e"), (1e3, "tCO2e"), (1e6, "ktCO2e")])
}

/// Round tick values (1, 2 or 5 x 10^k apart) covering `[lo, hi]`, about `target` of them.
///
/// ```
/// use trainprint::chart::scale::ticks;
/// assert_eq!(ticks(0.0, 10.0, 5), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
/// assert_eq!(ticks(0.0, 0.9, 5), vec![0.0, 0.2, 0.4, 0.6, 0.8]);
/// assert_eq!(ticks(0.0, 0.9, 4), vec![0.0, 0.5]);
/// ```
pub fn ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return vec![lo];
    }
    let raw = (hi - lo) / target.max(1) as f64;
    let exp = raw.log10().floor() as i32;
    let mag = 10f64.powi(exp);
    let m = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .find(|m| m * mag >= raw)
        .unwrap_or(10.0);
    let step = m * mag;
    // k x m x 10^exp, dividing by 10^-exp for small steps so 3 x 0.2 is 0.6, not 0.6000000000000001.
    let at = |k: i64| {
        if exp >= 0 {
            k as f64 * m * mag
        } else {
            k as f64 * m / 10f64.powi(-exp)
        }
    };
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last).map(at).collect()
}
