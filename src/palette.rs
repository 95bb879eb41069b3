//! The colour-blind-safe palette shared by the app's charts and the exported charts: the Okabe–Ito colours
//! (Okabe & Ito 2008, "Color Universal Design") without black, then Paul Tol's "muted" colours for plans beyond
//! seven. Legible on light and dark backgrounds.

/// An sRGB colour.
pub type Rgb = [u8; 3];

/// Plan colours in order; plan `i` uses `PLANS[i % PLANS.len()]`.
pub const PLANS: [Rgb; 12] = [
    [0x00, 0x72, 0xB2], // blue
    [0xE6, 0x9F, 0x00], // orange
    [0x00, 0x9E, 0x73], // bluish green
    [0xCC, 0x79, 0xA7], // reddish purple
    [0x56, 0xB4, 0xE9], // sky blue
    [0xD5, 0x5E, 0x00], // vermillion
    [0xF0, 0xE4, 0x42], // yellow
    [0x88, 0x22, 0x55], // wine (Tol muted)
    [0x44, 0xAA, 0x99], // teal (Tol muted)
    [0x99, 0x99, 0x33], // olive (Tol muted)
    [0xCC, 0x66, 0x77], // rose (Tol muted)
    [0x88, 0xCC, 0xEE], // cyan (Tol muted)
];

/// The colour of plan `i`.
pub fn plan(i: usize) -> Rgb {
    PLANS[i % PLANS.len()]
}

/// The colour of a plan with stable key `key` (its id): the colour follows the plan when it moves.
pub fn of_key(key: u64) -> Rgb {
    PLANS[(key % PLANS.len() as u64) as usize]
}

/// Colours of the breakdown terms: accelerators, host, PUE overhead, embodied.
pub const TERMS: [Rgb; 4] = [
    [0x00, 0x72, 0xB2], // accelerators: blue
    [0x56, 0xB4, 0xE9], // host: sky blue
    [0xE6, 0x9F, 0x00], // PUE overhead: orange
    [0xCC, 0x79, 0xA7], // embodied: reddish purple
];

/// Bars of a chart with many plans (one colour; the names sit on the axis).
pub const MANY: Rgb = [0x56, 0x8E, 0xB8];

/// The baseline's bar among many plans.
pub const BASELINE: Rgb = [0xD5, 0x5E, 0x00];

/// Ink for whiskers and neutral marks (dark grey, readable on light and dark backgrounds).
pub const INK: Rgb = [0x50, 0x50, 0x50];

/// Neutral curves (the grid-intensity profile, "start now").
pub const GREY: Rgb = [0x99, 0x99, 0x99];

/// Waterfall steps that raise CO2e (vermillion).
pub const RAISES: Rgb = [0xD5, 0x5E, 0x00];

/// Waterfall steps that lower CO2e (bluish green).
pub const LOWERS: Rgb = [0x00, 0x9E, 0x73];

/// `#rrggbb` of a colour.
pub fn hex(c: Rgb) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}
