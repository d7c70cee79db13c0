//! The roundtable activity type: organisers schedule meetings (date, place or online link,
//! capacity, accessibility notes); people register for one; a facilitator files one
//! structured report per meeting (attendance, optional consented demographics, key points,
//! recommendations, dissent). Results list the reports and merge the recommendations,
//! counting how many meetings raised each.

/// The report lives in `convene-meeting-report`, shared with the self-convened type; the
/// old paths (`convene_plugin_roundtable::report::...`, `::Report`) still resolve.
pub use convene_meeting_report as report;

use std::collections::{BTreeMap, HashSet};

use convene_meeting_report::sections::recommendations_table;
use convene_sdk::form::{Field, choice};
use convene_sdk::results::{table, text};
use convene_sdk::{
    Activity, ActivityInfo, ContributionKind, FieldError, FormField, Localized, ResultDescription, Results, Submitter, SubmitterRole, Validation,
    Value, host, json, tr,
};
use serde::{Deserialize, Serialize};

pub use report::Report;

pub struct Roundtable;

convene_sdk::export_activity!(Roundtable);

pub const MAX_MEETINGS: usize = 100;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub meetings: Vec<Meeting>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    /// Stable id, e.g. "valparaiso-1".
    pub id: String,
    pub title: BTreeMap<String, String>,
    /// YYYY-MM-DD.
    pub date: String,
    /// HH:MM, local time.
    #[serde(default)]
    pub time: Option<String>,
    #[serde(default)]
    pub place: Option<String>,
    #[serde(default)]
    pub online_link: Option<String>,
    /// Places available; registrations stop there.
    pub capacity: u32,
    /// Step-free access, sign language, childcare... per language.
    #[serde(default)]
    pub accessibility: BTreeMap<String, String>,
}

fn localized(map: &BTreeMap<String, String>) -> Localized {
    Localized(map.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
}

fn valid_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 3
        && parts[0].len() == 4
        && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && matches!(parts[1].parse::<u32>(), Ok(1..=12))
        && matches!(parts[2].parse::<u32>(), Ok(1..=31))
}

fn valid_time(s: &str) -> bool {
    let Some((h, m)) = s.split_once(':') else { return false };
    matches!(h.parse::<u32>(), Ok(0..=23)) && matches!(m.parse::<u32>(), Ok(0..=59)) && m.len() == 2
}

fn registrations_key(meeting: &str) -> String {
    format!("registrations:{meeting}")
}

fn registered_key(meeting: &str, who: &str) -> String {
    format!("registered:{meeting}:{who}")
}

fn report_key(meeting: &str) -> String {
    format!("report-by:{meeting}")
}

impl Roundtable {
    fn meeting<'a>(config: &'a Config, body: &Value) -> Result<&'a Meeting, FieldError> {
        let id = body.get("meeting").and_then(Value::as_str).ok_or_else(|| FieldError::new("meeting", "choose a meeting"))?;
        config.meetings.iter().find(|m| m.id == id).ok_or_else(|| FieldError::new("meeting", format!("there is no meeting `{id}` in this roundtable")))
    }

    fn register(config: &Config, body: &Value, by: &Submitter) -> Validation {
        let meeting = match Self::meeting(config, body) {
            Ok(m) => m,
            Err(e) => return Validation::Rejected(vec![e]),
        };
        if host::kv::get(&registered_key(&meeting.id, &by.id)).is_some() {
            return Validation::Rejected(vec![FieldError::new("meeting", "you are already registered for this meeting")]);
        }
        let taken: u32 = host::kv::get_json(&registrations_key(&meeting.id)).unwrap_or(0);
        if taken >= meeting.capacity {
            return Validation::Rejected(vec![FieldError::new("meeting", format!("this meeting is full ({} places)", meeting.capacity))]);
        }
        let stored = host::kv::set_json(&registrations_key(&meeting.id), &(taken + 1)).and_then(|_| host::kv::set(&registered_key(&meeting.id, &by.id), b"1"));
        if stored.is_err() {
            return Validation::Rejected(vec![FieldError::new("meeting", "registrations for this roundtable are full")]);
        }
        Validation::Accepted(json!({ "meeting": meeting.id }))
    }

    fn file_report(config: &Config, body: &Value, by: &Submitter) -> Validation {
        let meeting = match Self::meeting(config, body) {
            Ok(m) => m,
            Err(e) => return Validation::Rejected(vec![e]),
        };
        // One report per meeting; its facilitator may correct it, nobody else replaces it.
        match host::kv::get(&report_key(&meeting.id)) {
            Some(owner) if owner != by.id.as_bytes() => {
                return Validation::Rejected(vec![FieldError::new("meeting", "another facilitator has already filed this meeting's report")]);
            }
            _ => {}
        }
        match Report::parse(body) {
            Ok(report) => {
                if host::kv::set(&report_key(&meeting.id), by.id.as_bytes()).is_err() {
                    return Validation::Rejected(vec![FieldError::new("meeting", "this roundtable cannot take more reports")]);
                }
                let mut normalised = serde_json::to_value(&report).unwrap_or_default();
                normalised["meeting"] = json!(meeting.id);
                Validation::Accepted(normalised)
            }
            Err(errors) => Validation::Rejected(errors),
        }
    }
}

impl Activity for Roundtable {
    type Config = Config;

    fn describe() -> ActivityInfo {
        ActivityInfo {
            id: "org.convene.roundtable".into(),
            name: tr(&[("en", "Roundtables"), ("es", "Mesas de diálogo"), ("fr", "Tables rondes")]),
            version: env!("CARGO_PKG_VERSION").into(),
            description: tr(&[
                ("en", "Meetings run by the organisers, in person or online; each files a report of what was said and recommended"),
                ("es", "Encuentros organizados, presenciales o en línea; cada uno presenta un informe de lo dicho y lo recomendado"),
            ]),
            contribution_kinds: vec![
                ContributionKind {
                    id: "registration".into(),
                    name: tr(&[("en", "Registration"), ("es", "Inscripción")]),
                    description: tr(&[("en", "A place at one meeting"), ("es", "Una plaza en un encuentro")]),
                    fields: vec![],
                    remote_allowed: false,
                    submitted_by: vec![],
                },
                ContributionKind {
                    id: "report".into(),
                    name: tr(&[("en", "Meeting report"), ("es", "Informe del encuentro")]),
                    description: tr(&[("en", "Filed by the meeting's facilitator"), ("es", "Lo presenta quien facilitó el encuentro")]),
                    fields: vec![],
                    remote_allowed: false,
                    submitted_by: vec![SubmitterRole::Facilitator, SubmitterRole::Organiser],
                },
            ],
            config_fields: vec![],
            results: vec![ResultDescription {
                id: "reports".into(),
                name: tr(&[("en", "Reports and recommendations"), ("es", "Informes y recomendaciones")]),
                description: Localized::default(),
            }],
        }
    }

    fn validate_config(config: &Config) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if config.meetings.is_empty() || config.meetings.len() > MAX_MEETINGS {
            errors.push(FieldError::new("meetings", format!("schedule 1 to {MAX_MEETINGS} meetings")));
        }
        let mut ids = HashSet::new();
        for (i, m) in config.meetings.iter().enumerate() {
            let at = format!("meetings[{i}]");
            if m.id.trim().is_empty() || m.id.len() > 64 || !m.id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
                errors.push(FieldError::new(format!("{at}.id"), "use 1 to 64 letters, digits, - or _"));
            } else if !ids.insert(m.id.as_str()) {
                errors.push(FieldError::new(format!("{at}.id"), format!("`{}` is used by another meeting", m.id)));
            }
            if m.title.values().all(|t| t.trim().is_empty()) {
                errors.push(FieldError::new(format!("{at}.title"), "give the meeting a title"));
            }
            if !valid_date(&m.date) {
                errors.push(FieldError::new(format!("{at}.date"), "write the date as YYYY-MM-DD"));
            }
            if m.time.as_deref().is_some_and(|t| !valid_time(t)) {
                errors.push(FieldError::new(format!("{at}.time"), "write the time as HH:MM"));
            }
            let place = m.place.as_deref().is_some_and(|p| !p.trim().is_empty());
            let link = m.online_link.as_deref().is_some_and(|l| !l.trim().is_empty());
            if !place && !link {
                errors.push(FieldError::new(format!("{at}.place"), "give a place, an online link, or both"));
            }
            if m.online_link.as_deref().is_some_and(|l| !l.is_empty() && !l.starts_with("https://")) {
                errors.push(FieldError::new(format!("{at}.online_link"), "must be an https:// link"));
            }
            if m.capacity == 0 || m.capacity > 10_000 {
                errors.push(FieldError::new(format!("{at}.capacity"), "must be between 1 and 10000"));
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    fn contribution_form(config: &Config, kind: &str) -> Result<Vec<FormField>, Vec<FieldError>> {
        let meetings = config.meetings.iter().map(|m| choice(&m.id, localized(&m.title))).collect();
        let meeting = Field::single_choice("meeting", meetings).label(tr(&[("en", "Meeting"), ("es", "Encuentro")])).required().build();
        match kind {
            "registration" => Ok(vec![meeting]),
            "report" => Ok(std::iter::once(meeting).chain(report::form()).collect()),
            other => Err(vec![FieldError::new("kind", format!("a roundtable has no `{other}` contributions"))]),
        }
    }

    fn validate_contribution(config: &Config, kind: &str, body: &Value, by: &Submitter) -> Validation {
        match kind {
            "registration" => Self::register(config, body, by),
            "report" => Self::file_report(config, body, by),
            other => Validation::Rejected(vec![FieldError::new("kind", format!("a roundtable has no `{other}` contributions"))]),
        }
    }

    fn compute_results(config: &Config) -> Result<Results, String> {
        let mut reports: BTreeMap<String, Report> = BTreeMap::new();
        // A corrected report replaces the earlier one: the newest wins.
        for c in host::contributions(Some("report")) {
            let meeting = c.body.get("meeting").and_then(Value::as_str).unwrap_or_default().to_string();
            if let Ok(r) = Report::parse(&c.body) {
                reports.insert(meeting, r);
            }
        }
        let registrations = host::contributions(Some("registration")).count();
        let rows = config
            .meetings
            .iter()
            .filter_map(|m| {
                let r = reports.get(&m.id)?;
                Some(vec![m.title.values().next().cloned().unwrap_or_default(), m.date.clone(), r.attendance.to_string(), r.key_points.len().to_string(), r.recommendations.len().to_string()])
            })
            .collect();
        let attendance: u64 = reports.values().map(|r| r.attendance as u64).sum();
        Ok(Results {
            sections: vec![
                text(
                    tr(&[("en", "Participation"), ("es", "Participación")]),
                    Localized::one("en", &format!(
                        "{} of {} meetings reported; {attendance} {} attended; {registrations} {}.",
                        reports.len(),
                        config.meetings.len(),
                        if attendance == 1 { "person" } else { "people" },
                        if registrations == 1 { "registration" } else { "registrations" },
                    )),
                ),
                table(
                    tr(&[("en", "Reports"), ("es", "Informes")]),
                    vec![tr(&[("en", "Meeting")]), tr(&[("en", "Date")]), tr(&[("en", "Attendance")]), tr(&[("en", "Key points")]), tr(&[("en", "Recommendations")])],
                    rows,
                ),
                recommendations_table(reports.values()),
            ],
        })
    }
}

#[cfg(test)]
mod tests;
