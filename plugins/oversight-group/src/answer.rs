//! The agency's public answers, one per question, filed by its liaison (a facilitator) or an
//! organiser. Corrections are edits of the same answer.
//!
//! The date of record is the day of the first answer, kept in the key-value store: the host
//! cannot tell the plugin whether a body is new or an edit, and a correction must not move
//! an answer from "late" to "on time" (nor the reverse). A later change is shown as
//! `revised_on`, so a placeholder answered on time and filled in later stays visible.

use convene_sdk::{Contribution, FieldError, Localized, LogLevel, Submitter, Validation, Value, host, json};

use crate::dates::Date;
use crate::fields::{is_https_link, list, number_label, optional_str, parse_number, text};
use crate::question::{self, Asked};
use crate::{Config, pick};

pub const MAX_TEXT: u32 = 10_000;
pub const MAX_WITHHELD: u32 = 5_000;
pub const MAX_DOCUMENTS: usize = 20;

fn answered_key(number: u64) -> String {
    format!("answered-on:{}", number_label(number))
}

/// A visible answer, as results and the other kinds read it.
#[derive(Debug, Clone)]
pub struct Answered {
    pub number: u64,
    pub text: String,
    pub documents: Vec<String>,
    pub withheld: Option<String>,
    pub answered_on: Date,
    pub revised_on: Option<Date>,
}

impl Answered {
    /// Reads a stored answer; `None` for a body this plugin did not write.
    pub fn from_contribution(c: &Contribution) -> Option<Answered> {
        let field = |name: &str| c.body.get(name).and_then(Value::as_str);
        let documents =
            c.body.get("documents").and_then(Value::as_array).map(|d| d.iter().filter_map(Value::as_str).map(str::to_string).collect()).unwrap_or_default();
        Some(Answered {
            number: parse_number(field("question")?)?,
            text: field("text").unwrap_or_default().to_string(),
            documents,
            withheld: field("withheld").map(str::to_string),
            answered_on: Date::parse(field("answered_on")?)?,
            revised_on: field("revised_on").and_then(Date::parse),
        })
    }
}

/// The activity's visible answers, oldest first.
pub fn visible() -> Vec<Answered> {
    host::contributions(Some("answer")).filter_map(|c| Answered::from_contribution(&c)).collect()
}

/// The question being answered: it must exist and have no other visible answer (the host
/// leaves the answer being edited out of the list, so a correction passes).
fn question_answered(body: &Value, errors: &mut Vec<FieldError>) -> Option<Asked> {
    let Some(number) = body.get("question").and_then(Value::as_str).and_then(parse_number) else {
        errors.push(FieldError::new("question", "choose the question this answers, e.g. Q-3"));
        return None;
    };
    let label = number_label(number);
    let Some(asked) = question::visible().into_iter().find(|q| q.number == number) else {
        errors.push(FieldError::new("question", format!("there is no question {label} in this oversight group")));
        return None;
    };
    if visible().iter().any(|a| a.number == number) {
        errors.push(FieldError::new("question", format!("{label} has already been answered; to correct the answer, edit it")));
        return None;
    }
    Some(asked)
}

/// Links to the documents the answer relies on, each https.
fn documents(body: &Value, errors: &mut Vec<FieldError>) -> Vec<String> {
    let links = list(body, "documents", 0, MAX_DOCUMENTS, 2_000, errors);
    for (i, link) in links.iter().enumerate() {
        if !is_https_link(link) {
            errors.push(FieldError::new(format!("documents[{i}]"), "must be an https:// link to a published document"));
        }
    }
    links
}

/// Tells the asker, by their pseudonym, that their question was answered (or the answer
/// corrected). The host may refuse (consent, rate limits): the answer stands regardless.
fn notify_asker(config: &Config, asked: &Asked, by: &Submitter, corrected: bool) {
    if asked.asker == by.id {
        return;
    }
    let label = number_label(asked.number);
    let (en, es) = (pick(&config.agency, "en"), pick(&config.agency, "es"));
    let subject = if corrected {
        Localized::one("en", &format!("The answer to your question {label} has been corrected"))
            .and("es", &format!("Se ha corregido la respuesta a tu pregunta {label}"))
    } else {
        Localized::one("en", &format!("Your question {label} has been answered")).and("es", &format!("Tu pregunta {label} ha recibido respuesta"))
    };
    let title = &asked.title;
    let body =
        Localized::one("en", &format!("{en} has answered your question {label}, “{title}”. The answer is published with the oversight group's results."))
            .and("es", &format!("{es} ha respondido a tu pregunta {label}, «{title}». La respuesta se publica con los resultados del grupo de supervisión."));
    if let Err(reason) = host::notify(&asked.asker, &subject, &body) {
        host::log(LogLevel::Info, &format!("the asker of {label} was not notified: {reason}"));
    }
}

pub fn validate(config: &Config, body: &Value, by: &Submitter) -> Validation {
    if !body.is_object() {
        return Validation::Rejected(vec![FieldError::new("", "send the answer as a JSON object naming the question and giving the text")]);
    }
    let Some(today) = Date::today() else { return crate::clock_unreadable() };
    let mut errors = Vec::new();
    let asked = question_answered(body, &mut errors);
    let answer = text(body, "text", 1, MAX_TEXT, true, &mut errors);
    let documents = documents(body, &mut errors);
    let withheld = optional_str(body, "withheld", &mut errors).map(str::to_string);
    if withheld.as_ref().is_some_and(|w| w.chars().count() > MAX_WITHHELD as usize) {
        errors.push(FieldError::new("withheld", format!("must be at most {MAX_WITHHELD} characters")));
    }
    let (Some(asked), Some(answer), true) = (asked, answer, errors.is_empty()) else {
        return Validation::Rejected(errors);
    };
    let key = answered_key(asked.number);
    let first = host::kv::get(&key).and_then(|d| std::str::from_utf8(&d).ok().and_then(Date::parse));
    let answered_on = first.unwrap_or(today);
    if first.is_none() && host::kv::set(&key, answered_on.to_string().as_bytes()).is_err() {
        return Validation::Rejected(vec![FieldError::new("", "this oversight group's storage is full; it cannot take more answers")]);
    }
    notify_asker(config, &asked, by, first.is_some());
    let mut normalised = json!({
        "question": number_label(asked.number),
        "text": answer,
        "documents": documents,
        "answered_on": answered_on.to_string(),
    });
    if let Some(w) = withheld {
        normalised["withheld"] = json!(w);
    }
    if answered_on != today {
        normalised["revised_on"] = json!(today.to_string());
    }
    Validation::Accepted(normalised)
}
