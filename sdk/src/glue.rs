//! Conversions between the SDK's plain types and the raw bindings, and the real host calls.
//! Only compiled for wasm32; the export macro calls into here.

use crate::bindings::convene::activity::host as raw_host;
use crate::bindings::convene::activity::types as w;
use crate::types::*;
use crate::{Activity, check_config, parse_config, parse_json};

fn loc(l: Localized) -> w::Localized {
    l.0
}

fn choice(c: Choice) -> w::Choice {
    w::Choice { value: c.value, label: loc(c.label) }
}

fn choices(cs: Vec<Choice>) -> Vec<w::Choice> {
    cs.into_iter().map(choice).collect()
}

fn text(t: TextLimits) -> w::TextLimits {
    w::TextLimits { min_length: t.min_length, max_length: t.max_length }
}

fn number(n: NumberLimits) -> w::NumberLimits {
    w::NumberLimits { min: n.min, max: n.max, integer: n.integer }
}

fn leaf(f: LeafField) -> w::FormFieldLeaf {
    w::FormFieldLeaf {
        name: f.name,
        label: loc(f.label),
        help: loc(f.help),
        required: f.required,
        kind: match f.kind {
            LeafKind::Text(t) => w::LeafKind::Text(text(t)),
            LeafKind::LongText(t) => w::LeafKind::LongText(text(t)),
            LeafKind::Number(n) => w::LeafKind::Number(number(n)),
            LeafKind::SingleChoice(c) => w::LeafKind::SingleChoice(choices(c)),
            LeafKind::YesNo => w::LeafKind::YesNo,
            LeafKind::Date => w::LeafKind::Date,
        },
    }
}

fn field(f: FormField) -> w::FormField {
    w::FormField {
        name: f.name,
        label: loc(f.label),
        help: loc(f.help),
        required: f.required,
        kind: match f.kind {
            FieldKind::Text(t) => w::FieldKind::Text(text(t)),
            FieldKind::LongText(t) => w::FieldKind::LongText(text(t)),
            FieldKind::Number(n) => w::FieldKind::Number(number(n)),
            FieldKind::SingleChoice(c) => w::FieldKind::SingleChoice(choices(c)),
            FieldKind::MultipleChoice(c) => w::FieldKind::MultipleChoice(w::ChoiceLimits {
                choices: choices(c.choices),
                min_selected: c.min_selected,
                max_selected: c.max_selected,
            }),
            FieldKind::Scale(s) => w::FieldKind::Scale(w::ScaleLimits {
                min: s.min,
                max: s.max,
                min_label: loc(s.min_label),
                max_label: loc(s.max_label),
            }),
            FieldKind::Ranking(c) => w::FieldKind::Ranking(choices(c)),
            FieldKind::YesNo => w::FieldKind::YesNo,
            FieldKind::Date => w::FieldKind::Date,
            FieldKind::Repeated(fs) => w::FieldKind::Repeated(fs.into_iter().map(leaf).collect()),
        },
    }
}

fn fields(fs: Vec<FormField>) -> Vec<w::FormField> {
    fs.into_iter().map(field).collect()
}

fn errors(es: Vec<FieldError>) -> Vec<w::FieldError> {
    es.into_iter().map(|e| w::FieldError { field: e.field, problem: e.problem }).collect()
}

pub fn describe<A: Activity>() -> w::ActivityType {
    let d = A::describe();
    w::ActivityType {
        id: d.id,
        name: loc(d.name),
        version: d.version,
        description: loc(d.description),
        contribution_kinds: d
            .contribution_kinds
            .into_iter()
            .map(|k| w::ContributionKind {
                id: k.id,
                name: loc(k.name),
                description: loc(k.description),
                fields: fields(k.fields),
                remote_allowed: k.remote_allowed,
                submitted_by: k.submitted_by.into_iter().map(role).collect(),
            })
            .collect(),
        config_fields: fields(d.config_fields),
        results: d
            .results
            .into_iter()
            .map(|r| w::ResultDescription { id: r.id, name: loc(r.name), description: loc(r.description) })
            .collect(),
    }
}

pub fn validate_config<A: Activity>(config: &str) -> Result<String, Vec<w::FieldError>> {
    check_config::<A>(config).map(|(_, normalised)| normalised).map_err(errors)
}

pub fn contribution_form<A: Activity>(config: &str, kind: &str) -> Result<Vec<w::FormField>, Vec<w::FieldError>> {
    let config = parse_config::<A>(config).map_err(errors)?;
    A::contribution_form(&config, kind).map(fields).map_err(errors)
}

fn role(r: SubmitterRole) -> w::SubmitterRole {
    match r {
        SubmitterRole::Participant => w::SubmitterRole::Participant,
        SubmitterRole::Facilitator => w::SubmitterRole::Facilitator,
        SubmitterRole::Organiser => w::SubmitterRole::Organiser,
    }
}

fn channel(c: w::Channel) -> Channel {
    match c {
        w::Channel::Online => Channel::Online,
        w::Channel::Paper => Channel::Paper,
        w::Channel::Phone => Channel::Phone,
        w::Channel::InPerson => Channel::InPerson,
        w::Channel::Federated => Channel::Federated,
    }
}

fn submitter(s: w::Submitter) -> Submitter {
    let role = match s.role {
        w::SubmitterRole::Participant => SubmitterRole::Participant,
        w::SubmitterRole::Facilitator => SubmitterRole::Facilitator,
        w::SubmitterRole::Organiser => SubmitterRole::Organiser,
    };
    Submitter { id: s.id, role, channel: channel(s.channel) }
}

pub fn validate_contribution<A: Activity>(config: &str, kind: &str, body: &str, by: w::Submitter) -> w::Validation {
    let config = match parse_config::<A>(config) {
        Ok(c) => c,
        Err(e) => return w::Validation::Rejected(errors(e)),
    };
    let body: serde_json::Value = match parse_json(body, "body") {
        Ok(b) => b,
        Err(e) => return w::Validation::Rejected(errors(e)),
    };
    match A::validate_contribution(&config, kind, &body, &submitter(by)) {
        Validation::Accepted(v) => w::Validation::Accepted(v.to_string()),
        Validation::Rejected(e) => w::Validation::Rejected(errors(e)),
    }
}

pub fn on_phase_change<A: Activity>(config: &str, phase: &str) -> Result<(), String> {
    let config = parse_config::<A>(config).map_err(|e| format!("{e:?}"))?;
    A::on_phase_change(&config, phase)
}

pub fn compute_results<A: Activity>(config: &str) -> Result<w::ActivityResults, String> {
    let config = parse_config::<A>(config).map_err(|e| format!("{e:?}"))?;
    let results = A::compute_results(&config)?;
    Ok(w::ActivityResults {
        sections: results
            .sections
            .into_iter()
            .map(|s| match s {
                Section::Text { title, body } => w::Section::Text(w::TextSection { title: loc(title), body: loc(body) }),
                Section::Table { title, columns, rows } => w::Section::Table(w::TableSection {
                    title: loc(title),
                    columns: columns.into_iter().map(loc).collect(),
                    rows,
                }),
                Section::Chart { title, kind, labels, series } => w::Section::Chart(w::ChartSection {
                    title: loc(title),
                    kind: match kind {
                        ChartKind::Bar => w::ChartKind::Bar,
                        ChartKind::Pie => w::ChartKind::Pie,
                        ChartKind::Line => w::ChartKind::Line,
                    },
                    labels: labels.into_iter().map(loc).collect(),
                    series: series.into_iter().map(|s| w::Series { name: loc(s.name), values: s.values }).collect(),
                }),
            })
            .collect(),
    })
}

/// The real host, through the component's imports.
pub mod host_impl {
    use super::raw_host;
    use crate::types::*;

    pub fn log(level: LogLevel, message: &str) {
        let level = match level {
            LogLevel::Debug => raw_host::LogLevel::Debug,
            LogLevel::Info => raw_host::LogLevel::Info,
            LogLevel::Warn => raw_host::LogLevel::Warn,
            LogLevel::Error => raw_host::LogLevel::Error,
        };
        raw_host::log(level, message)
    }

    pub fn kv_get(key: &str) -> Option<Vec<u8>> {
        raw_host::kv_get(key)
    }

    pub fn kv_set(key: &str, value: &[u8]) -> Result<(), KvError> {
        raw_host::kv_set(key, value).map_err(|e| match e {
            raw_host::KvError::QuotaExceeded => KvError::QuotaExceeded,
            raw_host::KvError::TooLarge => KvError::TooLarge,
        })
    }

    pub fn kv_delete(key: &str) {
        raw_host::kv_delete(key)
    }

    pub fn contributions(kind: Option<&str>, cursor: Option<&str>, limit: u32) -> ContributionPage {
        let page = raw_host::contributions(kind, cursor, limit);
        ContributionPage {
            items: page
                .items
                .into_iter()
                .map(|c| Contribution {
                    id: c.id,
                    submitter: c.submitter,
                    kind: c.kind,
                    body: serde_json::from_str(&c.body).unwrap_or(serde_json::Value::Null),
                    channel: super::channel(c.channel),
                    language: c.language,
                    created_at: c.created_at,
                })
                .collect(),
            next_cursor: page.next_cursor,
        }
    }

    pub fn now() -> String {
        raw_host::now()
    }

    pub fn random_seed() -> Vec<u8> {
        raw_host::random_seed()
    }

    pub fn notify(participant: &str, subject: &Localized, body: &Localized) -> Result<(), String> {
        raw_host::notify(participant, &subject.0, &body.0).map_err(|e| match e {
            raw_host::NotifyError::Refused(why) => why,
        })
    }
}
