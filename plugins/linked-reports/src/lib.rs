//! Reports from linked processes, for federation: a national process (say, a national AI
//! strategy) adds this activity, and local processes on other Convene instances (a town's
//! roundtable series) are linked to it as its children. When a child publishes its outcome,
//! its instance sends it here as a `report` (channel `federated`); a facilitator may also type
//! one in by hand. The host validates it with this plugin like any contribution, stores it and
//! shows it, and the organisers respond to it like to any other.
//!
//! A report is a title, a summary, and optionally a link to the full outcome, the number of
//! people who took part and its source (the sending process's name and instance). Results
//! count the reports and list the latest version of each: a child that revises its outcome
//! sends it again, and the newer one replaces the older in the table.

mod report;
mod results;

use convene_sdk::form::Field;
use convene_sdk::{Activity, ActivityInfo, ContributionKind, FieldError, FormField, ResultDescription, Results, Submitter, Validation, Value, tr};
use serde::{Deserialize, Serialize};

pub use report::Report;

pub struct LinkedReports;

convene_sdk::export_activity!(LinkedReports);

/// The type takes no configuration: `{}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {}

fn report_fields() -> Vec<FormField> {
    use report::{MAX_LINK_CHARS, MAX_PARTICIPANTS, SOURCE, SUMMARY, TITLE};
    vec![
        Field::text("title")
            .label(tr(&[("en", "Title"), ("es", "Título"), ("fr", "Titre")]))
            .help(tr(&[
                ("en", "The title of the linked process's outcome"),
                ("es", "El título del resultado del proceso vinculado"),
                ("fr", "Le titre du résultat du processus lié"),
            ]))
            .length(TITLE.min_length, TITLE.max_length)
            .required()
            .build(),
        Field::long_text("summary")
            .label(tr(&[("en", "Summary"), ("es", "Resumen"), ("fr", "Résumé")]))
            .help(tr(&[
                ("en", "What the process concluded and recommends"),
                ("es", "Lo que el proceso concluyó y recomienda"),
                ("fr", "Ce que le processus a conclu et recommande"),
            ]))
            .length(SUMMARY.min_length, SUMMARY.max_length)
            .required()
            .build(),
        Field::text("link")
            .label(tr(&[("en", "Link to the full outcome"), ("es", "Enlace al resultado completo"), ("fr", "Lien vers le résultat complet")]))
            .help(tr(&[
                ("en", "A web address starting with https://"),
                ("es", "Una dirección web que empieza por https://"),
                ("fr", "Une adresse web commençant par https://"),
            ]))
            .length(0, MAX_LINK_CHARS as u32)
            .build(),
        Field::number("participants", Some(0.0), Some(MAX_PARTICIPANTS as f64), true)
            .label(tr(&[("en", "People who took part"), ("es", "Personas que participaron"), ("fr", "Personnes ayant participé")]))
            .build(),
        Field::text("source")
            .label(tr(&[("en", "Source"), ("es", "Origen"), ("fr", "Source")]))
            .help(tr(&[
                ("en", "The process that sent it, and its site, e.g. “AI roundtables, convene.town.example”"),
                ("es", "El proceso que lo envía y su sitio, p. ej. «Mesas sobre IA, convene.town.example»"),
                ("fr", "Le processus qui l’envoie et son site, p. ex. « Tables rondes IA, convene.town.example »"),
            ]))
            .length(SOURCE.min_length, SOURCE.max_length)
            .build(),
    ]
}

impl Activity for LinkedReports {
    type Config = Config;

    fn describe() -> ActivityInfo {
        ActivityInfo {
            id: "org.convene.linked-reports".into(),
            name: tr(&[("en", "Reports from linked processes"), ("es", "Informes de procesos vinculados"), ("fr", "Rapports des processus liés")]),
            version: env!("CARGO_PKG_VERSION").into(),
            description: tr(&[
                ("en", "Processes linked to this one, on this site or others, send their outcome here as a report; the organisers respond to each"),
                ("es", "Los procesos vinculados a este, en este sitio u otros, envían aquí su resultado como informe; la organización responde a cada uno"),
                (
                    "fr",
                    "Les processus liés à celui-ci, sur ce site ou d’autres, envoient ici leur résultat sous forme de rapport ; l’organisation répond à chacun",
                ),
            ]),
            contribution_kinds: vec![ContributionKind {
                id: "report".into(),
                name: tr(&[("en", "Report"), ("es", "Informe"), ("fr", "Rapport")]),
                description: tr(&[
                    ("en", "The outcome of a linked process, sent by its site or entered by a facilitator"),
                    ("es", "El resultado de un proceso vinculado, enviado por su sitio o ingresado por un facilitador"),
                    ("fr", "Le résultat d’un processus lié, envoyé par son site ou saisi par un animateur"),
                ]),
                fields: report_fields(),
                // The point of this type: linked processes on other instances send their reports.
                remote_allowed: true,
                submitted_by: vec![],
            }],
            config_fields: vec![],
            results: vec![ResultDescription {
                id: "reports".into(),
                name: tr(&[("en", "Reports from linked processes"), ("es", "Informes de procesos vinculados"), ("fr", "Rapports des processus liés")]),
                description: tr(&[
                    ("en", "How many reports arrived, and the latest version of each"),
                    ("es", "Cuántos informes llegaron, y la última versión de cada uno"),
                    ("fr", "Combien de rapports sont arrivés, et la dernière version de chacun"),
                ]),
            }],
        }
    }

    /// From any channel: mostly `federated`, but a facilitator may enter one by hand.
    fn validate_contribution(_config: &Config, kind: &str, body: &Value, _by: &Submitter) -> Validation {
        if kind != "report" {
            return Validation::Rejected(vec![FieldError::new("kind", format!("reports from linked processes take `report`, not `{kind}`"))]);
        }
        match Report::parse(body) {
            Ok(report) => Validation::Accepted(serde_json::to_value(&report).unwrap_or_default()),
            Err(errors) => Validation::Rejected(errors),
        }
    }

    fn compute_results(_config: &Config) -> Result<Results, String> {
        Ok(results::compute())
    }
}

#[cfg(test)]
mod tests;
