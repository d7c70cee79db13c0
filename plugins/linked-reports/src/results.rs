//! The `reports` result: how many reports arrived and a table of the latest version of each.
//!
//! A linked process that revises its outcome sends it again, as a new contribution from the
//! same sender (the host gives each remote sender one pseudonym per activity). Two reports
//! are versions of one when they come from the same sender with the same source (or, without
//! a source, the same title); the newest is shown, in the place where the first arrived.

use std::collections::HashMap;

use convene_sdk::results::{table, text};
use convene_sdk::{LogLevel, Results, host, tr};

use crate::Report;

/// The reports, each at its latest version, in the order they first arrived; and how many
/// earlier versions the later ones replaced.
pub(crate) fn latest() -> (Vec<Report>, usize) {
    let mut reports: Vec<Report> = Vec::new();
    let mut at: HashMap<(String, String), usize> = HashMap::new();
    let mut replaced = 0;
    // Oldest first: a later version overwrites an earlier one.
    for c in host::contributions(Some("report")) {
        let Ok(report) = Report::parse(&c.body) else {
            host::log(LogLevel::Warn, &format!("contribution {} is not a report this version reads; left out of the results", c.id));
            continue;
        };
        match at.entry((c.submitter, report.identity())) {
            std::collections::hash_map::Entry::Occupied(e) => {
                reports[*e.get()] = report;
                replaced += 1;
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(reports.len());
                reports.push(report);
            }
        }
    }
    (reports, replaced)
}

fn summary(reports: &[Report], replaced: usize) -> convene_sdk::Localized {
    let n = reports.len();
    let (mut en, mut es, mut fr) = match n {
        0 => (
            "No reports from linked processes yet.".to_string(),
            "Aún no hay informes de procesos vinculados.".to_string(),
            "Aucun rapport des processus liés pour l’instant.".to_string(),
        ),
        1 => ("1 report from linked processes.".into(), "1 informe de procesos vinculados.".into(), "1 rapport des processus liés.".into()),
        n => (format!("{n} reports from linked processes."), format!("{n} informes de procesos vinculados."), format!("{n} rapports des processus liés.")),
    };
    let counted: Vec<u64> = reports.iter().filter_map(|r| r.participants).collect();
    if !counted.is_empty() {
        let people: u64 = counted.iter().sum();
        en.push_str(&format!(" People who took part, as the reports give it: {people}."));
        es.push_str(&format!(" Personas que participaron, según los informes: {people}."));
        fr.push_str(&format!(" Personnes ayant participé, selon les rapports : {people}."));
    }
    match replaced {
        0 => {}
        1 => {
            en.push_str(" 1 earlier version was replaced by a newer one.");
            es.push_str(" 1 versión anterior fue reemplazada por una más reciente.");
            fr.push_str(" 1 version antérieure a été remplacée par une plus récente.");
        }
        k => {
            en.push_str(&format!(" {k} earlier versions were replaced by newer ones."));
            es.push_str(&format!(" {k} versiones anteriores fueron reemplazadas por otras más recientes."));
            fr.push_str(&format!(" {k} versions antérieures ont été remplacées par des plus récentes."));
        }
    }
    tr(&[("en", &en), ("es", &es), ("fr", &fr)])
}

pub(crate) fn compute() -> Results {
    let (reports, replaced) = latest();
    let rows = reports
        .iter()
        .map(|r| {
            vec![
                r.title.clone(),
                r.source.clone().unwrap_or_default(),
                r.participants.map(|n| n.to_string()).unwrap_or_default(),
                r.link.clone().unwrap_or_default(),
            ]
        })
        .collect();
    Results {
        sections: vec![
            text(
                tr(&[("en", "Reports from linked processes"), ("es", "Informes de procesos vinculados"), ("fr", "Rapports des processus liés")]),
                summary(&reports, replaced),
            ),
            table(
                tr(&[("en", "Reports"), ("es", "Informes"), ("fr", "Rapports")]),
                vec![
                    tr(&[("en", "Title"), ("es", "Título"), ("fr", "Titre")]),
                    tr(&[("en", "Source"), ("es", "Origen"), ("fr", "Source")]),
                    tr(&[("en", "People who took part"), ("es", "Personas que participaron"), ("fr", "Personnes ayant participé")]),
                    tr(&[("en", "Link"), ("es", "Enlace"), ("fr", "Lien")]),
                ],
                rows,
            ),
        ],
    }
}
