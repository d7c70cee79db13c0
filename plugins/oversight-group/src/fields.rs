//! Reading a contribution body field by field. Every problem names its JSON path
//! (`findings[2]`), so the host can point the person at the exact field; nothing here panics,
//! whatever the body holds.

use convene_sdk::form::check_text;
use convene_sdk::{FieldError, TextLimits, Value};

/// A text field, trimmed; `None` when absent (or empty and optional) or wrong.
pub fn text(body: &Value, field: &str, min: u32, max: u32, required: bool, errors: &mut Vec<FieldError>) -> Option<String> {
    let value = body.get(field).unwrap_or(&Value::Null);
    match check_text(field, value, TextLimits { min_length: min, max_length: max }, required) {
        Ok(text) => text,
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

/// An optional text field that is blank when absent: forms post empty strings for empty fields.
pub fn optional_str<'a>(body: &'a Value, field: &str, errors: &mut Vec<FieldError>) -> Option<&'a str> {
    match body.get(field) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => Some(s.trim()),
        Some(_) => {
            errors.push(FieldError::new(field, "must be text"));
            None
        }
    }
}

/// A list of short texts, given as a JSON list of strings or (as a form's text area posts it)
/// one text with an item per line; blank lines are dropped. Item paths are `field[i]`.
pub fn list(body: &Value, field: &str, min: usize, max_items: usize, max_chars: usize, errors: &mut Vec<FieldError>) -> Vec<String> {
    let items: Vec<Option<String>> = match body.get(field) {
        None | Some(Value::Null) => vec![],
        Some(Value::String(s)) => s.lines().map(str::trim).filter(|l| !l.is_empty()).map(|l| Some(l.to_string())).collect(),
        Some(Value::Array(a)) => a.iter().map(|v| v.as_str().map(|s| s.trim().to_string())).collect(),
        Some(_) => {
            errors.push(FieldError::new(field, "must be a list of texts"));
            return vec![];
        }
    };
    if items.len() < min || items.len() > max_items {
        let problem = if min == 0 { format!("give at most {max_items}") } else { format!("give {min} to {max_items}") };
        errors.push(FieldError::new(field, problem));
    }
    let mut out = Vec::new();
    for (i, item) in items.into_iter().enumerate().take(max_items) {
        match item {
            Some(t) if !t.is_empty() && t.chars().count() <= max_chars => out.push(t),
            _ => errors.push(FieldError::new(format!("{field}[{i}]"), format!("write 1 to {max_chars} characters"))),
        }
    }
    out
}

/// A question's number, as people write it: `Q-3`, `q-3`, `Q3`. Numbers start at 1.
pub fn parse_number(s: &str) -> Option<u64> {
    let s = s.trim();
    let rest = s.strip_prefix('Q').or_else(|| s.strip_prefix('q'))?;
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    if rest.is_empty() || rest.len() > 9 || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    rest.parse().ok().filter(|n| *n >= 1)
}

/// How a question's number is shown and stored: `Q-3`.
pub fn number_label(n: u64) -> String {
    format!("Q-{n}")
}

/// A link to a published document: https only, no spaces, a sensible length.
pub fn is_https_link(s: &str) -> bool {
    s.len() > "https://".len() && s.len() <= 2_000 && s.starts_with("https://") && !s.chars().any(char::is_whitespace)
}
