//! The contract's types in plain Rust. They mirror `wit/activity@0.1.0/types.wit` one to one;
//! the export macro converts them to and from the raw bindings, so plugin code never sees those.

use serde::{Deserialize, Serialize};

/// Text in several languages, e.g. `tr(&[("en", "Budget"), ("es", "Presupuesto")])`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Localized(pub Vec<(String, String)>);

impl Localized {
    /// The same text in one language.
    pub fn one(lang: &str, text: &str) -> Localized {
        Localized(vec![(lang.into(), text.into())])
    }

    /// Adds a translation.
    pub fn and(mut self, lang: &str, text: &str) -> Localized {
        self.0.push((lang.into(), text.into()));
        self
    }

    pub fn get(&self, lang: &str) -> Option<&str> {
        self.0.iter().find(|(l, _)| l == lang).map(|(_, t)| t.as_str())
    }
}

/// Shorthand for [`Localized`]: `tr(&[("en", "Yes"), ("es", "Sí")])`.
pub fn tr(pairs: &[(&str, &str)]) -> Localized {
    Localized(pairs.iter().map(|(l, t)| (l.to_string(), t.to_string())).collect())
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    pub label: Localized,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TextLimits {
    pub min_length: u32,
    pub max_length: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct NumberLimits {
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub integer: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChoiceLimits {
    pub choices: Vec<Choice>,
    pub min_selected: u32,
    pub max_selected: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScaleLimits {
    pub min: i32,
    pub max: i32,
    pub min_label: Localized,
    pub max_label: Localized,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FieldKind {
    Text(TextLimits),
    LongText(TextLimits),
    Number(NumberLimits),
    SingleChoice(Vec<Choice>),
    MultipleChoice(ChoiceLimits),
    Scale(ScaleLimits),
    Ranking(Vec<Choice>),
    YesNo,
    Date,
    Repeated(Vec<LeafField>),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum LeafKind {
    Text(TextLimits),
    LongText(TextLimits),
    Number(NumberLimits),
    SingleChoice(Vec<Choice>),
    YesNo,
    Date,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LeafField {
    pub name: String,
    pub label: Localized,
    pub help: Localized,
    pub required: bool,
    pub kind: LeafKind,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FormField {
    pub name: String,
    pub label: Localized,
    pub help: Localized,
    pub required: bool,
    pub kind: FieldKind,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContributionKind {
    pub id: String,
    pub name: Localized,
    pub description: Localized,
    pub fields: Vec<FormField>,
    pub remote_allowed: bool,
    /// Who may submit this kind (the host enforces it); empty: anyone taking part.
    pub submitted_by: Vec<SubmitterRole>,
}

/// The role someone submits in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubmitterRole {
    Participant,
    Facilitator,
    Organiser,
}

/// Who is submitting: a pseudonym stable within the activity (and different in every other),
/// never who they are; their role; how the input came in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submitter {
    pub id: String,
    pub role: SubmitterRole,
    pub channel: Channel,
}

impl Submitter {
    /// A participant contributing online, as the test harness's default.
    pub fn participant(id: &str) -> Submitter {
        Submitter { id: id.into(), role: SubmitterRole::Participant, channel: Channel::Online }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResultDescription {
    pub id: String,
    pub name: Localized,
    pub description: Localized,
}

/// What an activity type is, returned by [`crate::Activity::describe`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActivityInfo {
    pub id: String,
    pub name: Localized,
    pub version: String,
    pub description: Localized,
    pub contribution_kinds: Vec<ContributionKind>,
    pub config_fields: Vec<FormField>,
    pub results: Vec<ResultDescription>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub problem: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, problem: impl Into<String>) -> FieldError {
        FieldError { field: field.into(), problem: problem.into() }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Online,
    Paper,
    Phone,
    InPerson,
    Federated,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    pub id: String,
    /// The submitter's pseudonym in this activity.
    pub submitter: String,
    pub kind: String,
    /// The body as the plugin accepted it.
    pub body: serde_json::Value,
    pub channel: Channel,
    pub language: String,
    pub created_at: String,
}

/// The answer to "may this contribution be stored?".
#[derive(Clone, Debug, PartialEq)]
pub enum Validation {
    /// Store this (normalised) body.
    Accepted(serde_json::Value),
    /// Refuse, naming each field and its problem.
    Rejected(Vec<FieldError>),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ChartKind {
    Bar,
    Pie,
    Line,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Series {
    pub name: Localized,
    pub values: Vec<f64>,
}

/// One section of an activity's results. Never HTML: the host renders it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Section {
    Text { title: Localized, body: Localized },
    Table { title: Localized, columns: Vec<Localized>, rows: Vec<Vec<String>> },
    Chart { title: Localized, kind: ChartKind, labels: Vec<Localized>, series: Vec<Series> },
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Results {
    pub sections: Vec<Section>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogLevel {
    Debug,
    Info,
    Warn,
    Error,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KvError {
    QuotaExceeded,
    TooLarge,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ContributionPage {
    pub items: Vec<Contribution>,
    pub next_cursor: Option<String>,
}
