//! Questions to the agency. Each gets a number (`Q-3`) that people cite in letters, meetings
//! and reports, the day it was asked and the day its answer is due.
//!
//! Numbers come from a counter in the key-value store that only grows (and never falls behind
//! the highest visible number), so a withdrawn or hidden question's number is never given to
//! another question: a report that cites Q-5 keeps meaning the same question. The host cannot
//! tell the plugin whether a body is new or an edit, so an edit keeps its number by sending
//! it back (the stored body has it): a number is kept only by the person it was issued to, and
//! only while no visible question holds it.

use convene_sdk::{Channel, Contribution, FieldError, Submitter, SubmitterRole, Validation, Value, host, json};
use serde::{Deserialize, Serialize};

use crate::Config;
use crate::dates::Date;
use crate::fields::{number_label, optional_str, parse_number, text};

pub const MAX_TITLE: u32 = 200;
pub const MAX_TEXT: u32 = 5_000;
/// How far back a question may be dated: letters and meetings of the past year.
pub const MAX_BACKDATE_DAYS: i64 = 365;

const LAST_NUMBER_KEY: &str = "questions:last-number";

fn record_key(number: u64) -> String {
    format!("question:{}", number_label(number))
}

/// What the plugin remembers of each number it issued, so an edit can keep it.
#[derive(Debug, Serialize, Deserialize)]
struct Record {
    /// The pseudonym of the person who asked.
    by: String,
    asked_on: String,
}

/// A visible question, as answers, reports and results read it.
#[derive(Debug, Clone)]
pub struct Asked {
    pub number: u64,
    pub title: String,
    pub text: String,
    pub asked_on: Date,
    pub due_on: Date,
    /// The asker's pseudonym: the person told when the answer comes.
    pub asker: String,
}

impl Asked {
    /// Reads a stored question; `None` for a body this plugin did not write.
    pub fn from_contribution(c: &Contribution) -> Option<Asked> {
        let field = |name: &str| c.body.get(name).and_then(Value::as_str);
        Some(Asked {
            number: parse_number(field("number")?)?,
            title: field("title").unwrap_or_default().to_string(),
            text: field("text").unwrap_or_default().to_string(),
            asked_on: Date::parse(field("asked_on")?)?,
            due_on: Date::parse(field("due_on")?)?,
            asker: c.submitter.clone(),
        })
    }
}

/// The activity's visible questions, oldest first.
pub fn visible() -> Vec<Asked> {
    host::contributions(Some("question")).filter_map(|c| Asked::from_contribution(&c)).collect()
}

/// Whether `by` may date a question other than today: the group's facilitators and organisers,
/// and anyone whose question came on paper, by phone or in person (a facilitator recording a
/// letter the group sent earlier, or a question asked at a meeting). Online and federated
/// participants ask today: otherwise anyone could make a question overdue on arrival.
pub fn may_backdate(by: &Submitter) -> bool {
    matches!(by.role, SubmitterRole::Facilitator | SubmitterRole::Organiser) || matches!(by.channel, Channel::Paper | Channel::Phone | Channel::InPerson)
}

/// Checks `asked_on`: absent or unchanged is fine; any other date must be allowed for `by`,
/// not after today, and at most [`MAX_BACKDATE_DAYS`] back.
fn asked_on(body: &Value, default: Date, today: Date, by: &Submitter, errors: &mut Vec<FieldError>) -> Date {
    let Some(given) = optional_str(body, "asked_on", errors) else { return default };
    let Some(date) = Date::parse(given) else {
        errors.push(FieldError::new("asked_on", "write the date as YYYY-MM-DD, e.g. 2027-01-15"));
        return default;
    };
    if date == default {
        return date;
    }
    let problem = if date > today {
        format!("cannot be after today ({today})")
    } else if today.days_since(date) > MAX_BACKDATE_DAYS {
        format!("cannot be more than {MAX_BACKDATE_DAYS} days before today ({today})")
    } else if !may_backdate(by) {
        format!(
            "only facilitators and organisers, or questions that came on paper, by phone or in person, may give another date; leave it out to use {default}"
        )
    } else {
        return date;
    };
    errors.push(FieldError::new("asked_on", problem));
    default
}

/// The number an edit sends back, if it may keep it: issued to `by`, and not held by another
/// visible question (the edited one is left out of the list by the host).
fn kept_number(body: &Value, by: &Submitter, questions: &[Asked], errors: &mut Vec<FieldError>) -> Option<(u64, Record)> {
    let given = match body.get("number") {
        None | Some(Value::Null) => return None,
        Some(Value::String(s)) if s.trim().is_empty() => return None,
        Some(v) => v.as_str().and_then(parse_number),
    };
    let Some(number) = given else {
        errors.push(FieldError::new("number", "write a question number such as Q-3, or leave it out to ask a new question"));
        return None;
    };
    let label = number_label(number);
    if questions.iter().any(|q| q.number == number) {
        errors.push(FieldError::new("number", format!("{label} is another question; leave the number out to ask a new question")));
        return None;
    }
    match host::kv::get_json::<Record>(&record_key(number)) {
        Some(record) if record.by == by.id => {
            if crate::answer::visible().iter().any(|a| a.number == number) {
                errors.push(FieldError::new("number", format!("{label} has been answered, so it can no longer change; ask a follow-up question instead")));
                return None;
            }
            Some((number, record))
        }
        _ => {
            errors.push(FieldError::new("number", format!("no question of yours is numbered {label}; leave the number out to ask a new question")));
            None
        }
    }
}

/// The next number: one past both the counter and the highest visible number.
fn next_number(questions: &[Asked]) -> u64 {
    let counter: u64 = host::kv::get_json(LAST_NUMBER_KEY).unwrap_or(0);
    counter.max(questions.iter().map(|q| q.number).max().unwrap_or(0)).saturating_add(1)
}

pub fn validate(config: &Config, body: &Value, by: &Submitter) -> Validation {
    if !body.is_object() {
        return Validation::Rejected(vec![FieldError::new("", "send the question as a JSON object with a title and a text")]);
    }
    let Some(today) = Date::today() else { return crate::clock_unreadable() };
    let mut errors = Vec::new();
    let title = text(body, "title", 3, MAX_TITLE, true, &mut errors);
    let question = text(body, "text", 1, MAX_TEXT, true, &mut errors);
    let questions = visible();
    let kept = kept_number(body, by, &questions, &mut errors);
    let default = kept.as_ref().and_then(|(_, r)| Date::parse(&r.asked_on)).unwrap_or(today);
    let asked_on = asked_on(body, default, today, by, &mut errors);
    let (Some(title), Some(question), true) = (title, question, errors.is_empty()) else {
        return Validation::Rejected(errors);
    };
    let number = match &kept {
        Some((n, _)) => *n,
        None => next_number(&questions),
    };
    let record = Record { by: by.id.clone(), asked_on: asked_on.to_string() };
    let stored = host::kv::set_json(&record_key(number), &record).and_then(|_| match kept {
        Some(_) => Ok(()),
        None => host::kv::set_json(LAST_NUMBER_KEY, &number),
    });
    if stored.is_err() {
        return Validation::Rejected(vec![FieldError::new("", "this oversight group's storage is full; it cannot take more questions")]);
    }
    let due_on = asked_on.plus_days(config.answer_days);
    Validation::Accepted(json!({
        "number": number_label(number),
        "title": title,
        "text": question,
        "asked_on": asked_on.to_string(),
        "due_on": due_on.to_string(),
    }))
}
