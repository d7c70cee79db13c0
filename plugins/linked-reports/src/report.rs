//! A report from a linked process, read field by field. Every problem names its field, so the
//! host can point the sender (or the facilitator typing it in) at it; nothing here panics,
//! whatever the body holds.

use convene_sdk::form::check_text;
use convene_sdk::{FieldError, TextLimits, Value};
use serde::{Deserialize, Serialize};

pub const TITLE: TextLimits = TextLimits { min_length: 3, max_length: 200 };
pub const SUMMARY: TextLimits = TextLimits { min_length: 1, max_length: 20_000 };
pub const SOURCE: TextLimits = TextLimits { min_length: 0, max_length: 200 };
pub const MAX_LINK_CHARS: usize = 2_000;
pub const MAX_PARTICIPANTS: u64 = 1_000_000;

/// The fields a report may have, in the order of its form.
pub const FIELDS: [&str; 5] = ["title", "summary", "link", "participants", "source"];

/// The most unknown fields named in one rejection, and the most characters of each name.
const MAX_UNKNOWN_NAMED: usize = 10;
const MAX_NAME_CHARS: usize = 64;

/// A report as stored: trimmed, optional fields left out when not given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub title: String,
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participants: Option<u64>,
    /// The sending process's name and instance, e.g. "Villaluz AI roundtables (convene.villaluz.example)".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Report {
    /// Checks a body and returns the report it holds, or every problem in it.
    pub fn parse(body: &Value) -> Result<Report, Vec<FieldError>> {
        let Some(map) = body.as_object() else {
            return Err(vec![FieldError::new("", "a report is a JSON object with the fields title, summary, link, participants and source")]);
        };
        let mut errors = Vec::new();
        let title = one_line(map.get("title"), "title", TITLE, true, &mut errors);
        let summary = paragraphs(map.get("summary"), &mut errors);
        let link = link(map.get("link"), &mut errors);
        let participants = participants(map.get("participants"), &mut errors);
        let source = one_line(map.get("source"), "source", SOURCE, false, &mut errors);
        // Sorted here: the order of a JSON object's keys depends on serde_json's features.
        let mut unknown: Vec<&String> = map.keys().filter(|k| !FIELDS.contains(&k.as_str())).collect();
        unknown.sort();
        for name in unknown.iter().take(MAX_UNKNOWN_NAMED) {
            let name: String = name.chars().take(MAX_NAME_CHARS).collect();
            errors.push(FieldError::new(name, "is not a field of a report (title, summary, link, participants, source)"));
        }
        match (title, summary) {
            (Some(title), Some(summary)) if errors.is_empty() => Ok(Report { title, summary, link, participants, source }),
            _ => Err(errors),
        }
    }

    /// What tells two reports apart in the results: the process it comes from (its `source`),
    /// else its title; case and spacing ignored. A later report with the same one, from the
    /// same sender, is a new version of the same report.
    pub fn identity(&self) -> String {
        match &self.source {
            Some(source) => format!("source:{}", source.to_lowercase()),
            None => format!("title:{}", self.title.to_lowercase()),
        }
    }
}

fn fail<T>(errors: &mut Vec<FieldError>, e: FieldError) -> Option<T> {
    errors.push(e);
    None
}

/// Without control characters other than line breaks and tabs: invisible, and nothing a
/// report means, so a linked process's outcome is not refused over one.
fn printable(s: &str) -> String {
    s.chars().filter(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t')).collect()
}

/// One line of text: trimmed, runs of whitespace (line breaks included) made one space.
fn one_line(value: Option<&Value>, field: &str, limits: TextLimits, required: bool, errors: &mut Vec<FieldError>) -> Option<String> {
    let value = match value {
        Some(Value::String(s)) => Value::String(printable(s).split_whitespace().collect::<Vec<_>>().join(" ")),
        Some(other) => other.clone(),
        None => Value::Null,
    };
    check_text(field, &value, limits, required).unwrap_or_else(|e| fail(errors, e))
}

/// The summary: paragraphs of text, trimmed, with `\n` line breaks.
fn paragraphs(value: Option<&Value>, errors: &mut Vec<FieldError>) -> Option<String> {
    let value = match value {
        Some(Value::String(s)) => Value::String(printable(s).replace("\r\n", "\n").replace('\r', "\n")),
        Some(other) => other.clone(),
        None => Value::Null,
    };
    check_text("summary", &value, SUMMARY, true).unwrap_or_else(|e| fail(errors, e))
}

/// An optional web address: `http://` or `https://` (the scheme in lower case), a host, no spaces.
fn link(value: Option<&Value>, errors: &mut Vec<FieldError>) -> Option<String> {
    let s = match value {
        None | Some(Value::Null) => return None,
        Some(Value::String(s)) if s.trim().is_empty() => return None,
        Some(Value::String(s)) => s.trim(),
        Some(_) => return fail(errors, FieldError::new("link", "must be text")),
    };
    if s.chars().count() > MAX_LINK_CHARS {
        return fail(errors, FieldError::new("link", format!("must be at most {MAX_LINK_CHARS} characters")));
    }
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    let (scheme, rest) = if lower.starts_with("https://") {
        ("https://", &s[8..])
    } else if lower.starts_with("http://") {
        ("http://", &s[7..])
    } else {
        return fail(errors, FieldError::new("link", "must be a web address starting with https:// or http://"));
    };
    if rest.is_empty() || rest.starts_with('/') || rest.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return fail(errors, FieldError::new("link", "must be a web address with a host and no spaces, e.g. https://example.org/outcome"));
    }
    Some(format!("{scheme}{rest}"))
}

/// An optional whole number of people, 0 to a million; `12.0` counts as 12.
fn participants(value: Option<&Value>, errors: &mut Vec<FieldError>) -> Option<u64> {
    let n = match value {
        None | Some(Value::Null) => return None,
        Some(Value::Number(n)) => {
            n.as_u64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= MAX_PARTICIPANTS as f64).map(|f| f as u64))
        }
        Some(_) => None,
    };
    match n {
        Some(n) if n <= MAX_PARTICIPANTS => Some(n),
        _ => fail(errors, FieldError::new("participants", format!("must be a whole number from 0 to {MAX_PARTICIPANTS}"))),
    }
}
