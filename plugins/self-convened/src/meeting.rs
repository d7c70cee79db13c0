//! Registering a meeting: its fields, and the number (`M-7`) that reports and receipts use to
//! name it.

use convene_meeting_report::when::{Date, valid_time};
use convene_sdk::form::{Field, check_text};
use convene_sdk::{FieldError, FormField, Submitter, TextLimits, Validation, Value, host, tr};
use serde::{Deserialize, Serialize};

use crate::{Config, valid_language};

/// A registered meeting, as stored (the normalised body).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meeting {
    /// Given by the plugin: `M-1`, `M-2`...
    pub number: String,
    pub title: String,
    /// YYYY-MM-DD, a day that exists.
    pub date: String,
    /// HH:MM, local time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    #[serde(default)]
    pub online: bool,
    pub expected_participants: u32,
    /// The language the meeting is held in, e.g. `es`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A visible meeting, with its number and date parsed and who registered it.
pub(crate) struct Registered {
    pub number: u32,
    pub date: Date,
    /// The registrant's pseudonym: only they may file the meeting's report.
    pub submitter: String,
    pub meeting: Meeting,
}

/// The highest number ever given. Kept in the key-value store and only ever raised, so a
/// number is never given twice: "count of meetings + 1" would repeat a number after a
/// withdrawal, and "highest visible number + 1" would hand a withdrawn meeting's number (and
/// any report filed for it) to someone else.
const LAST_NUMBER: &str = "meetings:last-number";

/// Who was given a number, so that an edit may keep it and nobody else may claim it.
fn owner_key(number: u32) -> String {
    format!("meeting-owner:{number}")
}

pub(crate) fn label(number: u32) -> String {
    format!("M-{number}")
}

/// `M-7` (or `m-7`, spaces around ignored) to 7.
pub(crate) fn parse_number(text: &str) -> Option<u32> {
    let text = text.trim();
    let digits = text.strip_prefix("M-").or_else(|| text.strip_prefix("m-"))?;
    if digits.is_empty() || digits.len() > 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|n| *n > 0)
}

/// The activity's visible meetings, in the order of their numbers.
pub(crate) fn registered() -> Vec<Registered> {
    let mut meetings: Vec<Registered> = host::contributions(Some("meeting"))
        .filter_map(|c| {
            let meeting: Meeting = serde_json::from_value(c.body).ok()?;
            let number = parse_number(&meeting.number)?;
            let date = Date::parse(&meeting.date)?;
            Some(Registered { number, date, submitter: c.submitter, meeting })
        })
        .collect();
    meetings.sort_by_key(|m| m.number);
    meetings.dedup_by_key(|m| m.number);
    meetings
}

/// The meeting a report or receipt names in its `meeting` field, if it is visible.
pub(crate) fn named_in(body: &Value) -> Result<Registered, FieldError> {
    let text = body.get("meeting").and_then(Value::as_str).unwrap_or_default();
    if text.trim().is_empty() {
        return Err(FieldError::new("meeting", "give the meeting's number, e.g. M-7"));
    }
    let Some(number) = parse_number(text) else {
        return Err(FieldError::new("meeting", "a meeting number looks like M-7"));
    };
    registered()
        .into_iter()
        .find(|m| m.number == number)
        .ok_or_else(|| FieldError::new("meeting", format!("there is no meeting {} in this activity", label(number))))
}

fn text(body: &Value, field: &str, min: u32, max: u32, required: bool, errors: &mut Vec<FieldError>) -> Option<String> {
    let limits = TextLimits { min_length: min, max_length: max };
    check_text(field, body.get(field).unwrap_or(&Value::Null), limits, required).unwrap_or_else(|e| {
        errors.push(e);
        None
    })
}

/// An optional text that must pass `valid` when given; blank counts as not given.
fn optional(body: &Value, field: &str, valid: fn(&str) -> bool, problem: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    match body.get(field) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) if valid(s.trim()) => Some(s.trim().to_string()),
        Some(_) => {
            errors.push(FieldError::new(field, problem));
            None
        }
    }
}

fn online(body: &Value, errors: &mut Vec<FieldError>) -> bool {
    match body.get("online") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            errors.push(FieldError::new("online", "must be true or false"));
            false
        }
    }
}

fn expected(config: &Config, body: &Value, errors: &mut Vec<FieldError>) -> u32 {
    let (min, max) = (config.min_participants, config.max_participants());
    match body.get("expected_participants").and_then(Value::as_i64) {
        Some(n) if (min..=max).contains(&n) => n as u32,
        _ => {
            errors.push(FieldError::new("expected_participants", format!("give the number of people you expect, {min} to {max}")));
            0
        }
    }
}

/// The fields of a meeting, checked; `number` is filled in afterwards.
fn read(config: &Config, body: &Value, errors: &mut Vec<FieldError>) -> Meeting {
    let title = text(body, "title", 3, 120, true, errors).unwrap_or_default();
    let date = match body.get("date").and_then(Value::as_str).and_then(|d| Date::parse(d.trim())) {
        Some(d) => d.to_string(),
        None => {
            errors.push(FieldError::new("date", "write the date as YYYY-MM-DD, a day that exists"));
            String::new()
        }
    };
    let time = optional(body, "time", valid_time, "write the time as HH:MM, 24-hour", errors);
    let place = text(body, "place", 0, 200, false, errors);
    let online = online(body, errors);
    if place.is_none() && !online && !errors.iter().any(|e| e.field == "place" || e.field == "online") {
        errors.push(FieldError::new("place", "give a place, or say the meeting is online, or both"));
    }
    let expected_participants = expected(config, body, errors);
    let language = optional(body, "language", valid_language, "give a language tag such as `es` or `es-CL`", errors);
    let description = text(body, "description", 0, 2000, false, errors);
    Meeting { number: String::new(), title, date, time, place, online, expected_participants, language, description }
}

/// The number an edit keeps. An edit carries its stored body back, `number` included; the
/// host leaves the edited meeting out of the visible ones, so the number is free, and it was
/// given to this person. Nobody may claim a number that was given to someone else.
fn kept_number(body: &Value, by: &Submitter, visible: &[Registered]) -> Result<Option<u32>, FieldError> {
    let Some(given) = body.get("number").filter(|v| !v.is_null()) else { return Ok(None) };
    let Some(number) = given.as_str().and_then(parse_number) else {
        return Err(FieldError::new("number", "is given when a meeting is registered: leave it out, or keep the number your meeting was given"));
    };
    if host::kv::get(&owner_key(number)).as_deref() != Some(by.id.as_bytes()) {
        return Err(FieldError::new("number", format!("{} is not a meeting you registered", label(number))));
    }
    if visible.iter().any(|m| m.number == number) {
        return Err(FieldError::new("number", format!("{} is already registered: to change it, edit that meeting", label(number))));
    }
    Ok(Some(number))
}

/// A new number, one above any given before (see [`LAST_NUMBER`]).
fn new_number(by: &Submitter, visible: &[Registered]) -> Result<u32, FieldError> {
    let last: u32 = host::kv::get_json(LAST_NUMBER).unwrap_or(0);
    let highest = visible.iter().map(|m| m.number).max().unwrap_or(0);
    let full = || FieldError::new("", "this activity cannot take more meetings");
    let number = last.max(highest).checked_add(1).filter(|n| *n <= 999_999_999).ok_or_else(full)?;
    host::kv::set_json(LAST_NUMBER, &number).and_then(|_| host::kv::set(&owner_key(number), by.id.as_bytes())).map_err(|_| full())?;
    Ok(number)
}

pub(crate) fn register(config: &Config, body: &Value, by: &Submitter) -> Validation {
    let mut errors = Vec::new();
    let mut meeting = read(config, body, &mut errors);
    let visible = registered();
    let kept = kept_number(body, by, &visible).unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    if !errors.is_empty() {
        return Validation::Rejected(errors);
    }
    // Numbers are given only to meetings that are accepted.
    let number = match kept.map(Ok).unwrap_or_else(|| new_number(by, &visible)) {
        Ok(n) => n,
        Err(e) => return Validation::Rejected(vec![e]),
    };
    meeting.number = label(number);
    Validation::Accepted(serde_json::to_value(&meeting).unwrap_or_default())
}

pub(crate) fn form(config: &Config) -> Vec<FormField> {
    let (min, max) = (config.min_participants as f64, config.max_participants() as f64);
    vec![
        Field::text("title")
            .label(tr(&[("en", "Title of your meeting"), ("es", "Título de su encuentro")]))
            .help(config.guide())
            .length(3, 120)
            .required()
            .build(),
        Field::date("date").label(tr(&[("en", "Date"), ("es", "Fecha")])).required().build(),
        Field::text("time").label(tr(&[("en", "Start time (HH:MM)"), ("es", "Hora de inicio (HH:MM)")])).length(0, 5).build(),
        Field::text("place").label(tr(&[("en", "Place"), ("es", "Lugar")])).length(0, 200).build(),
        Field::yes_no("online").label(tr(&[("en", "Held online"), ("es", "En línea")])).build(),
        Field::number("expected_participants", Some(min), Some(max), true)
            .label(tr(&[("en", "People you expect"), ("es", "Personas que espera")]))
            .required()
            .build(),
        Field::text("language").label(tr(&[("en", "Language of the meeting (e.g. es)"), ("es", "Idioma del encuentro (p. ej. es)")])).length(0, 16).build(),
        Field::long_text("description").label(tr(&[("en", "Description"), ("es", "Descripción")])).length(0, 2000).build(),
    ]
}
