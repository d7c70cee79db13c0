//! Reports, filed by whoever registered the meeting, and receipts, given by the organisers.
//! "Is there already one for this meeting?" is asked of the visible contributions: the host
//! leaves an edited contribution out of them, so an edit (a correction) passes and a second
//! one is refused.

use convene_meeting_report::Report;
use convene_meeting_report::when::Date;
use convene_sdk::form::check_text;
use convene_sdk::{Contribution, FieldError, LogLevel, Submitter, SubmitterRole, TextLimits, Validation, Value, host, json, tr};

use crate::Config;
use crate::meeting::{Registered, label, named_in, parse_number};

/// The meeting number a stored report or receipt names.
pub(crate) fn meeting_of(c: &Contribution) -> Option<u32> {
    c.body.get("meeting").and_then(Value::as_str).and_then(parse_number)
}

/// The visible reports of a meeting by its registrant (there is at most one).
pub(crate) fn reports_of(meeting: &Registered) -> impl Iterator<Item = Contribution> + '_ {
    host::contributions(Some("report")).filter(move |c| meeting_of(c) == Some(meeting.number) && c.submitter == meeting.submitter)
}

fn has_receipt(number: u32) -> bool {
    host::contributions(Some("receipt")).any(|c| meeting_of(&c) == Some(number))
}

/// Today, as the host sees it; `None` (and a warning) if the host's time cannot be read.
pub(crate) fn today() -> Option<Date> {
    let now = host::now();
    let today = Date::of_timestamp(&now);
    if today.is_none() {
        host::log(LogLevel::Warn, &format!("cannot read the host's time `{now}`; date checks skipped"));
    }
    today
}

/// Why this person may not file a report for this meeting now, if they may not.
fn refusal(meeting: &Registered, by: &Submitter) -> Option<String> {
    let m = label(meeting.number);
    if meeting.submitter != by.id {
        return Some(format!("only the person who registered {m} may file its report"));
    }
    // Any visible report counts here, whoever filed it.
    if host::contributions(Some("report")).any(|c| meeting_of(&c) == Some(meeting.number)) {
        return Some(format!("{m} already has a report: to correct it, edit that report"));
    }
    if today().is_some_and(|today| today < meeting.date) {
        return Some(format!("{m} is on {}: file its report on or after that day", meeting.date));
    }
    None
}

/// The attendance bounds of the configuration, checked on the raw body so they are reported
/// together with any other problem in the report.
fn attendance_errors(config: &Config, body: &Value) -> Option<FieldError> {
    let n = body.get("attendance").and_then(Value::as_i64).filter(|n| (0..=crate::MAX_ATTENDANCE).contains(n))?;
    if n < config.min_participants {
        return Some(FieldError::new("attendance", format!("a self-convened meeting needs at least {} participants", config.min_participants)));
    }
    match config.max_participants {
        Some(max) if n > max => Some(FieldError::new("attendance", format!("a self-convened meeting may have at most {max} participants"))),
        _ => None,
    }
}

pub(crate) fn file_report(config: &Config, body: &Value, by: &Submitter) -> Validation {
    let mut errors = Vec::new();
    let meeting = named_in(body).and_then(|m| match refusal(&m, by) {
        Some(problem) => Err(FieldError::new("meeting", problem)),
        None => Ok(m),
    });
    if let Err(e) = &meeting {
        errors.push(e.clone());
    }
    let report = Report::parse(body);
    if let Err(e) = &report {
        errors.extend(e.iter().cloned());
    }
    errors.extend(attendance_errors(config, body));
    match (meeting, report) {
        (Ok(meeting), Ok(report)) if errors.is_empty() => {
            let mut normalised = serde_json::to_value(&report).unwrap_or_default();
            if let Value::Object(map) = &mut normalised {
                map.insert("meeting".into(), json!(label(meeting.number)));
            }
            Validation::Accepted(normalised)
        }
        _ => Validation::Rejected(errors),
    }
}

pub(crate) fn mark_received(body: &Value, by: &Submitter) -> Validation {
    // The host enforces the kind's role too; this keeps the rule true wherever it is called.
    if by.role != SubmitterRole::Organiser {
        return Validation::Rejected(vec![FieldError::new("", "only the organisers mark reports as received")]);
    }
    let mut errors = Vec::new();
    let meeting = match named_in(body) {
        Ok(m) if reports_of(&m).next().is_none() => Err(FieldError::new("meeting", format!("{} has no report yet", label(m.number)))),
        Ok(m) if has_receipt(m.number) => Err(FieldError::new("meeting", format!("the report of {} is already marked as received", label(m.number)))),
        other => other,
    };
    if let Err(e) = &meeting {
        errors.push(e.clone());
    }
    let note = check_text("note", body.get("note").unwrap_or(&Value::Null), TextLimits { min_length: 0, max_length: 1000 }, false).unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    match meeting {
        Ok(meeting) if errors.is_empty() => {
            tell_registrant(&meeting, note.as_deref());
            let mut normalised = json!({ "meeting": label(meeting.number) });
            if let (Some(note), Value::Object(map)) = (note, &mut normalised) {
                map.insert("note".into(), json!(note));
            }
            Validation::Accepted(normalised)
        }
        _ => Validation::Rejected(errors),
    }
}

/// Tells whoever registered the meeting that their report arrived. The host sends it only
/// once the receipt is stored, and may refuse (consent, rate limits): that is logged, not
/// an error, since the receipt itself stands.
fn tell_registrant(meeting: &Registered, note: Option<&str>) {
    let (m, title) = (label(meeting.number), &meeting.meeting.title);
    let subject = tr(&[("en", "Your meeting report was received"), ("es", "Recibimos el informe de su encuentro")]);
    let mut en = format!("The organisers have received the report of your meeting {m}, \"{title}\". Thank you.");
    let mut es = format!("La organización recibió el informe de su encuentro {m}, \"{title}\". Gracias.");
    if let Some(note) = note {
        en.push_str(&format!("\n\nTheir note: {note}"));
        es.push_str(&format!("\n\nSu nota: {note}"));
    }
    if let Err(reason) = host::notify(&meeting.submitter, &subject, &tr(&[("en", &en), ("es", &es)])) {
        host::log(LogLevel::Info, &format!("the registrant of {m} was not notified: {reason}"));
    }
}
