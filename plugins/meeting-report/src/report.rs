//! The structured report of a meeting, shared by every meeting-based activity type: who came
//! (and, only with their consent, demographics), key points, recommendations, dissent.

use std::collections::BTreeMap;

use convene_sdk::form::Field;
use convene_sdk::{FieldError, FormField, Value, tr};
use serde::{Deserialize, Serialize};

pub const MAX_ITEMS: usize = 30;
pub const MAX_ITEM_CHARS: usize = 1_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub attendance: u32,
    /// Counts per group (e.g. "18-29": 4), collected only from people who consented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demographics: Option<BTreeMap<String, u32>>,
    /// Kept with the report, so the record shows the demographics were given with consent.
    #[serde(default)]
    pub demographics_consented: bool,
    pub key_points: Vec<String>,
    #[serde(default)]
    pub recommendations: Vec<String>,
    /// Views the meeting did not share, recorded so they are not lost.
    #[serde(default)]
    pub dissent: Vec<String>,
}

fn items(body: &Value, field: &str, min: usize, errors: &mut Vec<FieldError>) -> Vec<String> {
    let Some(list) = body.get(field) else {
        if min > 0 {
            errors.push(FieldError::new(field, format!("give at least {min}")));
        }
        return vec![];
    };
    // A form's long text gives one item per line, as its label says; the API may send a list.
    let lines: Vec<Value>;
    let list = match list {
        Value::String(text) => {
            lines = text.lines().map(str::trim).filter(|l| !l.is_empty()).map(|l| Value::String(l.to_string())).collect();
            &lines
        }
        Value::Array(list) => list,
        _ => {
            errors.push(FieldError::new(field, "must be a list of texts"));
            return vec![];
        }
    };
    if list.len() < min || list.len() > MAX_ITEMS {
        errors.push(FieldError::new(field, format!("give {min} to {MAX_ITEMS}")));
    }
    let mut out = Vec::new();
    for (i, item) in list.iter().enumerate() {
        match item.as_str().map(str::trim) {
            Some(t) if !t.is_empty() && t.chars().count() <= MAX_ITEM_CHARS => out.push(t.to_string()),
            _ => errors.push(FieldError::new(format!("{field}[{i}]"), format!("write 1 to {MAX_ITEM_CHARS} characters"))),
        }
    }
    out
}

impl Report {
    pub fn parse(body: &Value) -> Result<Report, Vec<FieldError>> {
        let mut errors = Vec::new();
        let attendance = match body.get("attendance").and_then(Value::as_u64) {
            Some(n) if n <= 100_000 => n as u32,
            _ => {
                errors.push(FieldError::new("attendance", "give the number of people who took part"));
                0
            }
        };
        let demographics = match body.get("demographics") {
            None | Some(Value::Null) => None,
            Some(d) => {
                if body.get("demographics_consented").and_then(Value::as_bool) != Some(true) {
                    errors.push(FieldError::new("demographics_consented", "demographics may be reported only with the participants' consent"));
                }
                match serde_json::from_value::<BTreeMap<String, u32>>(d.clone()) {
                    Ok(map) if map.len() <= 50 && map.keys().all(|k| !k.trim().is_empty() && k.len() <= 64) => {
                        if map.values().map(|n| *n as u64).sum::<u64>() > attendance as u64 {
                            errors.push(FieldError::new("demographics", "counts add up to more than the attendance"));
                        }
                        Some(map)
                    }
                    _ => {
                        errors.push(FieldError::new("demographics", "give counts per group, e.g. {\"18-29\": 4}"));
                        None
                    }
                }
            }
        };
        let key_points = items(body, "key_points", 1, &mut errors);
        let recommendations = items(body, "recommendations", 0, &mut errors);
        let dissent = items(body, "dissent", 0, &mut errors);
        let demographics_consented = demographics.is_some();
        if errors.is_empty() { Ok(Report { attendance, demographics, demographics_consented, key_points, recommendations, dissent }) } else { Err(errors) }
    }
}

/// The report's fields after the meeting choice.
pub fn form() -> Vec<FormField> {
    vec![
        Field::number("attendance", Some(0.0), Some(100_000.0), true).label(tr(&[("en", "People who took part"), ("es", "Personas que participaron")])).required().build(),
        Field::long_text("key_points").label(tr(&[("en", "Key points (one per line)"), ("es", "Puntos clave (uno por línea)")])).required().build(),
        Field::long_text("recommendations").label(tr(&[("en", "Recommendations (one per line)"), ("es", "Recomendaciones (una por línea)")])).build(),
        Field::long_text("dissent").label(tr(&[("en", "Dissenting views (one per line)"), ("es", "Opiniones discrepantes (una por línea)")])).build(),
        Field::yes_no("demographics_consented").label(tr(&[("en", "Participants consented to share demographics"), ("es", "Las personas consintieron compartir datos demográficos")])).build(),
    ]
}

/// Recommendations across reports, grouped by their text (case and spacing ignored), most
/// often made first; each counted once per meeting.
pub fn merge_recommendations<'a>(reports: impl Iterator<Item = &'a Report>) -> Vec<(String, usize)> {
    let mut by: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for r in reports {
        let mut seen = std::collections::HashSet::new();
        for rec in &r.recommendations {
            let key = rec.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
            if seen.insert(key.clone()) {
                by.entry(key).or_insert_with(|| (rec.clone(), 0)).1 += 1;
            }
        }
    }
    let mut merged: Vec<(String, usize)> = by.into_values().collect();
    merged.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    merged
}
