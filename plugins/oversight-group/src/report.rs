//! The group's public reports: what it found and what it recommends, citing the questions it
//! draws on by number, so readers can check each finding against the agency's answer.

use std::collections::HashSet;

use convene_sdk::{FieldError, Validation, Value};
use serde::{Deserialize, Serialize};

use crate::fields::{list, number_label, parse_number, text};
use crate::question;

pub const MAX_TITLE: u32 = 200;
pub const MAX_SUMMARY: u32 = 5_000;
pub const MAX_ITEMS: usize = 30;
pub const MAX_ITEM_CHARS: usize = 2_000;
pub const MAX_QUESTIONS: usize = 200;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub title: String,
    pub summary: String,
    pub findings: Vec<String>,
    #[serde(default)]
    pub recommendations: Vec<String>,
    /// Numbers of the questions it draws on, e.g. "Q-1".
    #[serde(default)]
    pub questions: Vec<String>,
}

/// The cited questions: each written as a number, listed once, and asked in this group.
/// A list of strings, or one text with the numbers separated by commas, spaces or lines.
fn cited_questions(body: &Value, errors: &mut Vec<FieldError>) -> Vec<String> {
    let given: Vec<Option<&str>> = match body.get("questions") {
        None | Some(Value::Null) => return vec![],
        Some(Value::String(s)) => s.split(|c: char| c == ',' || c.is_whitespace()).filter(|p| !p.is_empty()).map(Some).collect(),
        Some(Value::Array(a)) => a.iter().map(Value::as_str).collect(),
        Some(_) => {
            errors.push(FieldError::new("questions", "must be a list of question numbers, e.g. [\"Q-1\", \"Q-4\"]"));
            return vec![];
        }
    };
    if given.len() > MAX_QUESTIONS {
        errors.push(FieldError::new("questions", format!("cite at most {MAX_QUESTIONS} questions")));
        return vec![];
    }
    let asked: HashSet<u64> = if given.is_empty() { HashSet::new() } else { question::visible().iter().map(|q| q.number).collect() };
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (i, item) in given.into_iter().enumerate() {
        let at = format!("questions[{i}]");
        let Some(number) = item.and_then(parse_number) else {
            errors.push(FieldError::new(at, "write a question number such as Q-3"));
            continue;
        };
        let label = number_label(number);
        if !asked.contains(&number) {
            errors.push(FieldError::new(at, format!("there is no question {label} in this oversight group")));
        } else if !seen.insert(number) {
            errors.push(FieldError::new(at, format!("{label} is listed twice")));
        } else {
            out.push(label);
        }
    }
    out
}

pub fn validate(body: &Value) -> Validation {
    if !body.is_object() {
        return Validation::Rejected(vec![FieldError::new("", "send the report as a JSON object with a title, a summary and findings")]);
    }
    let mut errors = Vec::new();
    let title = text(body, "title", 3, MAX_TITLE, true, &mut errors);
    let summary = text(body, "summary", 1, MAX_SUMMARY, true, &mut errors);
    let findings = list(body, "findings", 1, MAX_ITEMS, MAX_ITEM_CHARS, &mut errors);
    let recommendations = list(body, "recommendations", 0, MAX_ITEMS, MAX_ITEM_CHARS, &mut errors);
    let questions = cited_questions(body, &mut errors);
    match (title, summary, errors.is_empty()) {
        (Some(title), Some(summary), true) => {
            let report = Report { title, summary, findings, recommendations, questions };
            Validation::Accepted(serde_json::to_value(&report).unwrap_or_default())
        }
        _ => Validation::Rejected(errors),
    }
}
