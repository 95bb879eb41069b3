//! The methods paragraph for a paper and the BibTeX entries of the sources it cites (only those the workspace's
//! numbers rest on).

use super::report::{Report, any_assumption};
use crate::engine::{Assumption, ValueSource};
use crate::model::{Duration, Work};

/// A BibTeX entry Trainprint can cite.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reference {
    /// Citation key.
    pub key: &'static str,
    /// The full BibTeX entry.
    pub bibtex: &'static str,
}

/// Trainprint itself.
pub const TRAINPRINT: Reference = Reference {
    key: "trainprint",
    bibtex: "@software{trainprint,
  title   = {Trainprint: energy and carbon footprint of training machine-learning models},
  author  = {{The Trainprint developers}},
  year    = {2026},
  version = {0.1.0}
}",
};

/// Patterson et al. 2021, the per-run accounting method (energy x PUE x intensity).
pub const PATTERSON: Reference = Reference {
    key: "patterson2021carbon",
    bibtex: "@misc{patterson2021carbon,
  title         = {Carbon Emissions and Large Neural Network Training},
  author        = {Patterson, David and Gonzalez, Joseph and Le, Quoc and Liang, Chen and Munguia, Lluis-Miquel and Rothchild, Daniel and So, David and Texier, Maud and Dean, Jeff},
  year          = {2021},
  eprint        = {2104.10350},
  archivePrefix = {arXiv},
  primaryClass  = {cs.LG}
}",
};

/// Strubell et al. 2019.
pub const STRUBELL: Reference = Reference {
    key: "strubell2019energy",
    bibtex: "@inproceedings{strubell2019energy,
  title     = {Energy and Policy Considerations for Deep Learning in {NLP}},
  author    = {Strubell, Emma and Ganesh, Ananya and McCallum, Andrew},
  booktitle = {Proceedings of the 57th Annual Meeting of the Association for Computational Linguistics},
  pages     = {3645--3650},
  year      = {2019},
  publisher = {Association for Computational Linguistics},
  doi       = {10.18653/v1/P19-1355}
}",
};

/// Kaplan et al. 2020: training FLOPs = 6 x parameters x tokens.
pub const KAPLAN: Reference = Reference {
    key: "kaplan2020scaling",
    bibtex: "@misc{kaplan2020scaling,
  title         = {Scaling Laws for Neural Language Models},
  author        = {Kaplan, Jared and McCandlish, Sam and Henighan, Tom and Brown, Tom B. and Chess, Benjamin and Child, Rewon and Gray, Scott and Radford, Alec and Wu, Jeffrey and Amodei, Dario},
  year          = {2020},
  eprint        = {2001.08361},
  archivePrefix = {arXiv},
  primaryClass  = {cs.LG}
}",
};

/// Luccioni et al. 2023: embodied carbon in a training footprint.
pub const LUCCIONI: Reference = Reference {
    key: "luccioni2023bloom",
    bibtex: "@article{luccioni2023bloom,
  title   = {Estimating the Carbon Footprint of {BLOOM}, a 176{B} Parameter Language Model},
  author  = {Luccioni, Alexandra Sasha and Viguier, Sylvain and Ligozat, Anne-Laure},
  journal = {Journal of Machine Learning Research},
  volume  = {24},
  number  = {253},
  pages   = {1--15},
  year    = {2023},
  url     = {http://jmlr.org/papers/v24/23-0069.html}
}",
};

/// Electricity Maps annual lifecycle intensities.
pub const ELECTRICITY_MAPS: Reference = Reference {
    key: "electricitymaps2023",
    bibtex: "@misc{electricitymaps2023,
  title        = {Annual average carbon intensity of electricity consumption, lifecycle basis, 2023},
  author       = {{Electricity Maps}},
  year         = {2024},
  howpublished = {Electricity Maps data portal, \\url{https://www.electricitymaps.com}},
  note         = {Collected via the Green Software Foundation real-time-cloud dataset}
}",
};

/// Ember / Our World in Data lifecycle intensities.
pub const EMBER_OWID: Reference = Reference {
    key: "ember2024owid",
    bibtex: "@misc{ember2024owid,
  title        = {Carbon intensity of electricity generation},
  author       = {{Ember} and {Energy Institute}},
  year         = {2024},
  howpublished = {Our World in Data, \\url{https://ourworldindata.org/grapher/carbon-intensity-electricity}}
}",
};

/// The Uptime Institute survey behind the default PUE.
pub const UPTIME: Reference = Reference {
    key: "uptime2024survey",
    bibtex: "@techreport{uptime2024survey,
  title       = {Global Data Center Survey 2024},
  author      = {{Uptime Institute}},
  institution = {Uptime Institute},
  year        = {2024}
}",
};

/// Green Algorithms (memory power per GB).
pub const GREEN_ALGORITHMS: Reference = Reference {
    key: "lannelongue2021green",
    bibtex: "@article{lannelongue2021green,
  title   = {Green Algorithms: Quantifying the Carbon Footprint of Computation},
  author  = {Lannelongue, Lo{\\\"\\i}c and Grealey, Jason and Inouye, Michael},
  journal = {Advanced Science},
  volume  = {8},
  number  = {12},
  pages   = {2100707},
  year    = {2021},
  doi     = {10.1002/advs.202100707}
}",
};

/// The references the report's numbers rest on, in citation order.
pub fn references(report: &Report<'_>) -> Vec<Reference> {
    let mut refs = vec![TRAINPRINT, PATTERSON, STRUBELL];
    let compute_6nd = report.plans.iter().any(|p| {
        matches!(
            p.plan.duration,
            Duration::Compute {
                work: Work::ParamsTokens { .. },
                ..
            }
        )
    });
    if compute_6nd {
        refs.push(KAPLAN);
    }
    let mut em = false;
    let mut owid = false;
    for p in &report.plans {
        if p.estimate.intensity_source == ValueSource::Region
            && let Some(r) = p
                .plan
                .region
                .as_deref()
                .and_then(|r| report.catalogue.region(r))
        {
            let b = r.intensity_basis.to_lowercase();
            em |= b.contains("electricity maps");
            owid |= b.contains("owid") || b.contains("ember");
        }
    }
    if em {
        refs.push(ELECTRICITY_MAPS);
    }
    if owid {
        refs.push(EMBER_OWID);
    }
    if any_assumption(report, Assumption::DefaultPue) {
        refs.push(UPTIME);
    }
    if report.plans.iter().any(|p| p.plan.host.is_some()) {
        refs.push(GREEN_ALGORITHMS);
    }
    if report.plans.iter().any(|p| p.plan.embodied.is_some()) {
        refs.push(LUCCIONI);
    }
    refs
}

/// The BibTeX file.
pub fn bibtex(report: &Report<'_>) -> String {
    let mut s = format!(
        "% References for \"{}\", exported by Trainprint {} on {}.\n\n",
        report.ws.name, report.version, report.date
    );
    for r in references(report) {
        s.push_str(r.bibtex);
        s.push_str("\n\n");
    }
    s
}

/// The methods paragraph, with `\cite{…}` keys matching [`bibtex`].
pub fn paragraph(report: &Report<'_>) -> String {
    let refs = references(report);
    let has = |k: &str| refs.iter().any(|r| r.key == k);
    let n = report.plans.len();
    let mut s = format!(
        "We estimated the energy use and carbon footprint of {} training plan{} with Trainprint {} \
         \\cite{{trainprint}}, following the accounting of \\cite{{strubell2019energy}} and \\cite{{patterson2021carbon}}. ",
        n,
        if n == 1 { "" } else { "s" },
        report.version
    );
    s.push_str(
        "For each plan, accelerator-hours were taken as the number of accelerators times the wall-clock duration",
    );
    let compute = report
        .plans
        .iter()
        .any(|p| matches!(p.plan.duration, Duration::Compute { .. }));
    if compute {
        s.push_str(
            ", or derived from the training compute as FLOPs divided by the accelerator's peak dense throughput at the \
             training precision times the model FLOPs utilisation (MFU)",
        );
        if has("kaplan2020scaling") {
            s.push_str(", with FLOPs = 6 x parameters x tokens \\cite{kaplan2020scaling}");
        }
        if any_assumption(report, Assumption::DefaultMfu) {
            s.push_str(
                "; where no MFU was measured for the run we used Trainprint's typical MFU for the accelerator, \
                 precision and workload class, fitted to published within-recipe throughput measurements",
            );
        }
    }
    s.push_str(". IT energy is accelerator-hours times the average power per accelerator");
    if report
        .plans
        .iter()
        .any(|p| p.estimate.assumptions.contains(Assumption::PowerFromTdp))
    {
        s.push_str(
            " (the board TDP times a utilisation factor where no measured average was available)",
        );
    }
    if has("lannelongue2021green") {
        s.push_str(
            ", plus the host CPU and memory share (memory at 0.3725 W/GB \\cite{lannelongue2021green})",
        );
    }
    s.push_str(
        ". Facility energy is IT energy times the data centre's power usage effectiveness (PUE)",
    );
    if has("uptime2024survey") {
        s.push_str(
            "; where no PUE was published for the site we used the 2024 industry average of 1.56 \\cite{uptime2024survey}",
        );
    }
    s.push_str(
        ". Operational emissions are location-based: facility energy times the annual-average lifecycle carbon \
         intensity of the grid",
    );
    match (has("electricitymaps2023"), has("ember2024owid")) {
        (true, true) => s.push_str(" \\cite{electricitymaps2023,ember2024owid}"),
        (true, false) => s.push_str(" \\cite{electricitymaps2023}"),
        (false, true) => s.push_str(" \\cite{ember2024owid}"),
        (false, false) => {}
    }
    s.push('.');
    if has("luccioni2023bloom") {
        s.push_str(
            " Embodied emissions of the accelerators were amortised over their service life in proportion to the \
             accelerator-hours used, as in \\cite{luccioni2023bloom}.",
        );
    }
    let totals: Vec<String> = report
        .plans
        .iter()
        .map(|p| {
            format!(
                "{} ({}, {})",
                p.plan.name,
                crate::units::energy(p.estimate.facility_energy_kwh),
                crate::units::co2e(p.estimate.total_co2e_kg)
            )
        })
        .collect();
    s.push_str(&format!(" The estimates are: {}.", totals.join("; ")));
    s
}
