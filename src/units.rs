//! Readable numbers with units: energy in Wh/kWh/MWh/GWh, mass of CO2e in g/kg/t/kt, water in L/m³, hours,
//! plain numbers with a sensible count of significant digits, and calendar dates from days since 1970.

/// Formats `x` with `sig` significant digits, no exponent for everyday magnitudes, thousands unseparated.
///
/// ```
/// use trainprint::units::sig;
/// assert_eq!(sig(161.28, 4), "161.3");
/// assert_eq!(sig(0.012345, 3), "0.0123");
/// assert_eq!(sig(1234567.0, 3), "1234567");
/// assert_eq!(sig(0.0, 3), "0");
/// ```
pub fn sig(x: f64, sig: usize) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    if x == 0.0 {
        return "0".into();
    }
    let magnitude = x.abs().log10().floor() as i32;
    let decimals = (sig as i32 - 1 - magnitude).max(0) as usize;
    if x.abs() < 1e-4 {
        return format!("{:.*e}", sig.saturating_sub(1), x);
    }
    let s = format!("{x:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

fn scaled(x: f64, steps: &[(f64, &str)]) -> String {
    let mut chosen = steps[0];
    for &(factor, unit) in steps {
        if x.abs() >= factor {
            chosen = (factor, unit);
        }
    }
    format!("{} {}", sig(x / chosen.0, 4), chosen.1)
}

/// Energy from kWh: `384 kWh`, `1.287 GWh`, `850 Wh`.
///
/// ```
/// assert_eq!(trainprint::units::energy(460.8), "460.8 kWh");
/// assert_eq!(trainprint::units::energy(449_000.0), "449 MWh");
/// assert_eq!(trainprint::units::energy(0.85), "850 Wh");
/// ```
pub fn energy(kwh: f64) -> String {
    scaled(
        kwh,
        &[(1e-3, "Wh"), (1.0, "kWh"), (1e3, "MWh"), (1e6, "GWh")],
    )
}

/// CO2e mass from kg: `161.3 kgCO2e`, `173 tCO2e`, `12 gCO2e`.
///
/// ```
/// assert_eq!(trainprint::units::co2e(161.28), "161.3 kgCO2e");
/// assert_eq!(trainprint::units::co2e(173_000.0), "173 tCO2e");
/// ```
pub fn co2e(kg: f64) -> String {
    scaled(
        kg,
        &[
            (1e-3, "gCO2e"),
            (1.0, "kgCO2e"),
            (1e3, "tCO2e"),
            (1e6, "ktCO2e"),
        ],
    )
}

/// Water from litres: `120 L`, `5.4 m³` (1 m³ = 1000 L).
///
/// ```
/// assert_eq!(trainprint::units::water(5400.0), "5.4 m³");
/// ```
pub fn water(litres: f64) -> String {
    scaled(litres, &[(1.0, "L"), (1e3, "m³")])
}

/// Money in US dollars: `$1,234` style without separators: `$1234`, `$12.5k`.
///
/// ```
/// assert_eq!(trainprint::units::usd(1234.0), "$1234");
/// assert_eq!(trainprint::units::usd(2_500_000.0), "$2.5M");
/// ```
pub fn usd(x: f64) -> String {
    if x.abs() >= 1e6 {
        format!("${}M", sig(x / 1e6, 4))
    } else if x.abs() >= 1e4 {
        format!("${}k", sig(x / 1e3, 4))
    } else {
        format!("${}", sig(x, 4))
    }
}

/// Hours, with days from three days on: `48 h`, `504 h (21 d)`.
///
/// ```
/// assert_eq!(trainprint::units::hours(48.0), "48 h");
/// assert_eq!(trainprint::units::hours(504.0), "504 h (21 d)");
/// ```
pub fn hours(h: f64) -> String {
    if h >= 72.0 {
        format!("{} h ({} d)", sig(h, 4), sig(h / 24.0, 3))
    } else {
        format!("{} h", sig(h, 4))
    }
}

/// The proleptic Gregorian (year, month 1..=12, day 1..=31) that is `days` days after 1970-01-01 (Howard Hinnant's
/// `civil_from_days`), without a date-time dependency.
///
/// ```
/// use trainprint::units::civil_from_days;
/// assert_eq!(civil_from_days(0), (1970, 1, 1));
/// assert_eq!(civil_from_days(11_016), (2000, 2, 29));
/// assert_eq!(civil_from_days(-1), (1969, 12, 31));
/// ```
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (y + i64::from(m <= 2), m as u32, d as u32)
}

/// Minutes since 1970 of `YYYY-MM-DDTHH:MM…` (UTC; seconds and the zone suffix ignored).
pub fn parse_minutes(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 16
        || b[4] != b'-'
        || b[7] != b'-'
        || !(b[10] == b'T' || b[10] == b' ')
        || b[13] != b':'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, m, d, hh, mm) = (
        num(0..4)?,
        num(5..7)?,
        num(8..10)?,
        num(11..13)?,
        num(14..16)?,
    );
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 {
        return None;
    }
    // Days from civil (Howard Hinnant).
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 1440 + hh * 60 + mm)
}
