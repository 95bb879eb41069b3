//! Catalogue ids as a new user types them: matched regardless of case (`--region FR`), old region ids renamed
//! (`--region jp`), and a mistyped id answered with the nearest ids ("did you mean nvidia-h100-sxm?").

use super::CliError;
use crate::model::{Catalogue, TrainingPlan};

/// At most this many suggestions are offered.
const MAX_SUGGESTIONS: usize = 3;

/// Resolves the accelerator and region ids of a plan built from flags against the catalogue: an id matches
/// regardless of case and surrounding spaces, an old region id becomes the id it was renamed to, and an id that
/// matches nothing is an error naming its flag and the nearest ids.
pub fn resolve_plan_ids(
    mut plan: TrainingPlan,
    catalogue: &Catalogue,
) -> Result<TrainingPlan, CliError> {
    let accelerators: Vec<(&str, &str)> = catalogue
        .accelerators()
        .iter()
        .map(|a| (a.id.as_str(), a.name.as_str()))
        .collect();
    let id = resolve("--accelerator", &plan.accelerator, &accelerators, |id| {
        catalogue.accelerator(id).map(|a| a.id.clone())
    })?;
    // A plan named after its accelerator (no --name) takes the id as the catalogue spells it.
    if plan.name == plan.accelerator {
        plan.name = id.clone();
    }
    plan.accelerator = id;
    if let Some(region) = &plan.region {
        let regions: Vec<(&str, &str)> = catalogue
            .regions()
            .iter()
            .map(|r| (r.id.as_str(), r.name.as_str()))
            .collect();
        let id = resolve("--region", region, &regions, |id| {
            catalogue.region(id).map(|r| r.id.clone())
        })?;
        plan.region = Some(id);
    }
    Ok(plan)
}

/// The catalogue id `given` stands for (looked up as given, then lowercased and trimmed), or an error for `flag`
/// with the nearest of `entries` (id, name).
fn resolve(
    flag: &str,
    given: &str,
    entries: &[(&str, &str)],
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<String, CliError> {
    let wanted = given.trim().to_lowercase();
    if let Some(id) = lookup(given).or_else(|| lookup(&wanted)) {
        return Ok(id);
    }
    let kind = if flag == "--region" {
        "regions"
    } else {
        "accelerators"
    };
    let hint = match nearest(&wanted, entries).as_slice() {
        [] => String::new(),
        [one] => format!("; did you mean {one}?"),
        many => format!("; did you mean one of {}?", many.join(", ")),
    };
    Err(CliError::Flag {
        flag: flag.to_owned(),
        message: format!(
            "'{given}' is not in the catalogue{hint} (`trainprint catalogue list --kind {kind}` lists them)"
        ),
    })
}

/// The ids of `entries` (id, display name) nearest to `wanted` (lowercase), at most three: the ids that start with
/// it, then the ids one edit away (a swap of two neighbouring characters counts once); failing both, the entries
/// whose id or name contains it at the start of a word, then anywhere (`us-east-1` finds `aws-us-east-1`, `japan`
/// finds `jp-tokyo`), closest in length first; failing that, the ids fewest edits away if that is at most a
/// quarter of its length (at least 2).
pub fn nearest<'a>(wanted: &str, entries: &[(&'a str, &str)]) -> Vec<&'a str> {
    let distances: Vec<(usize, &str)> = entries
        .iter()
        .map(|(id, _)| (edit_distance(wanted, id), *id))
        .collect();
    let best = distances
        .iter()
        .map(|(d, _)| *d)
        .min()
        .unwrap_or(usize::MAX);
    let ties = |d: usize| {
        let mut v: Vec<&'a str> = distances
            .iter()
            .filter(|(x, _)| *x == d)
            .map(|(_, id)| *id)
            .collect();
        v.sort_unstable();
        v
    };
    // Where `wanted` occurs: 0 at the start of a word of the id, 1 of the name, 2 elsewhere in either.
    let rank = |id: &str, name: &str| {
        let name = name.to_lowercase();
        let word_start = |s: &str| {
            s.match_indices(wanted).any(|(i, _)| {
                s[..i]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric())
            })
        };
        if word_start(id) {
            Some(0)
        } else if word_start(&name) {
            Some(1)
        } else if id.contains(wanted) || name.contains(wanted) {
            Some(2)
        } else {
            None
        }
    };
    let mut contained: Vec<(usize, usize, &'a str)> = if wanted.chars().count() >= 2 {
        entries
            .iter()
            .filter_map(|(id, name)| {
                rank(id, name).map(|r| (r, id.len().abs_diff(wanted.len()), *id))
            })
            .collect()
    } else {
        Vec::new()
    };
    contained.sort_unstable();
    let contained: Vec<&'a str> = contained.into_iter().map(|(_, _, id)| id).collect();
    let mut out: Vec<&'a str> = contained
        .iter()
        .filter(|id| id.starts_with(wanted))
        .copied()
        .collect();
    if best <= 1 {
        out.extend(ties(best));
    }
    if out.is_empty() {
        out = contained;
    }
    if out.is_empty() && best <= (wanted.chars().count() / 4).max(2) {
        out = ties(best);
    }
    let mut seen = Vec::with_capacity(out.len());
    out.retain(|id| {
        let fresh = !seen.contains(id);
        seen.push(*id);
        fresh
    });
    out.truncate(MAX_SUGGESTIONS);
    out
}

/// The optimal-string-alignment distance: insertions, deletions, substitutions and swaps of two neighbouring
/// characters each cost one.
///
/// ```
/// use trainprint::cli::suggest::edit_distance;
/// assert_eq!(edit_distance("nvidia-h100-smx", "nvidia-h100-sxm"), 1);
/// assert_eq!(edit_distance("fr", "fi"), 1);
/// assert_eq!(edit_distance("", "abc"), 3);
/// ```
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows of the dynamic-programming table: two back, one back, current.
    let mut two: Vec<usize> = vec![0; b.len() + 1];
    let mut one: Vec<usize> = (0..=b.len()).collect();
    let mut cur: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (one[j] + 1).min(cur[j - 1] + 1).min(one[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(two[j - 2] + 1);
            }
            cur[j] = d;
        }
        std::mem::swap(&mut two, &mut one);
        std::mem::swap(&mut one, &mut cur);
    }
    one[b.len()]
}
