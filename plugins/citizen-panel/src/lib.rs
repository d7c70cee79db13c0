//! The citizen panel activity type (a mini-public). Volunteers join a pool, answering the
//! organiser's stratification questions with their consent; the organiser sets quotas per
//! answer; a draw selects a panel that meets every quota while giving each volunteer as even a
//! chance as the quotas allow (LEXIMIN-style, see [`draw`]), from a seed the host commits
//! before the draw and reveals after, so anyone can re-run it. The people drawn are invited,
//! and accept or decline; declined seats are refilled by replacement draws.
//!
//! Contribution kinds: `volunteer` (participants, also entered on paper by facilitators),
//! `draw` (organisers) and `reply` (the people invited).

pub mod draw;
pub mod state;
mod summary;

use std::collections::{BTreeMap, BTreeSet};

use convene_sdk::form::{Field, choice};
use convene_sdk::{
    Activity, ActivityInfo, ContributionKind, FieldError, FormField, Localized, LogLevel, ResultDescription, Results, Submitter, SubmitterRole, Validation,
    Value, host, json, tr,
};
use serde::{Deserialize, Serialize};

pub use draw::{Draw, PoolMember, Replacement, draw, pool_digest, pool_from_rows, replacement, seed_from_hex};
pub use state::{FirstDrawRecord, ReplacementRecord, State};

pub struct CitizenPanel;

convene_sdk::export_activity!(CitizenPanel);

/// The host notifies at most 200 people per call, and a panel's invitations go out in one.
pub const MAX_PANEL: u32 = 200;
pub const MAX_QUESTIONS: usize = 12;
pub const MAX_OPTIONS: usize = 30;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Seats on the panel.
    pub panel_size: u32,
    /// Stratification questions every volunteer answers.
    pub questions: Vec<Question>,
    /// Per question id, per option value: how many seats people giving that answer get.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub quotas: BTreeMap<String, BTreeMap<String, Quota>>,
    /// What volunteers agree to, per language; shown beside the consent box.
    pub consent: BTreeMap<String, String>,
    /// The email sent to people drawn; a bilingual default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invitation: Option<Invitation>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Stable id, e.g. "age"; the key in volunteers' answers and in `quotas`.
    pub id: String,
    pub text: BTreeMap<String, String>,
    pub options: Vec<AnswerOption>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerOption {
    /// What answers store, e.g. "18-29" or "65+".
    pub value: String,
    pub label: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quota {
    #[serde(default)]
    pub min: u32,
    /// No maximum when absent (the panel size).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Invitation {
    pub subject: BTreeMap<String, String>,
    pub body: BTreeMap<String, String>,
}

impl Config {
    /// The (min, max) seats for people giving `option` to `question`; (0, panel size) when no
    /// quota is set.
    pub fn quota(&self, question: &str, option: &str) -> (u32, u32) {
        match self.quotas.get(question).and_then(|q| q.get(option)) {
            Some(q) => (q.min, q.max.unwrap_or(self.panel_size)),
            None => (0, self.panel_size),
        }
    }

    fn invitation(&self) -> (Localized, Localized) {
        match &self.invitation {
            Some(i) => (localized(&i.subject), localized(&i.body)),
            None => (
                tr(&[("en", "You have been drawn for the citizen panel"), ("es", "Has salido en el sorteo del panel ciudadano")]),
                tr(&[
                    (
                        "en",
                        "Thank you for volunteering. You have been drawn by lot, among everyone who volunteered, to take a seat on the citizen panel. \
                         Please say on the activity's page whether you accept or decline: if you decline, someone else from the pool will be invited in your place.",
                    ),
                    (
                        "es",
                        "Gracias por presentarte. Has salido elegido o elegida por sorteo, entre todas las personas voluntarias, para ocupar una plaza en el panel ciudadano. \
                         Indica en la página de la actividad si aceptas o rechazas: si la rechazas, se invitará en tu lugar a otra persona del grupo.",
                    ),
                ]),
            ),
        }
    }
}

fn localized(map: &BTreeMap<String, String>) -> Localized {
    Localized(map.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
}

fn slug(s: &str) -> bool {
    (1..=40).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// Option values may also carry `+` and `.` ("65+"), and capitals.
fn option_value(s: &str) -> bool {
    (1..=40).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'+' | b'.'))
}

/// Text in at least one language, none over `max` characters.
fn check_text(errors: &mut Vec<FieldError>, path: &str, text: &BTreeMap<String, String>, max: usize, what: &str) {
    if text.values().all(|t| t.trim().is_empty()) {
        errors.push(FieldError::new(path, format!("give {what} in at least one language")));
    } else if text.values().any(|t| t.chars().count() > max) {
        errors.push(FieldError::new(path, format!("write at most {max} characters per language")));
    }
}

/// Checks a configuration beyond its shape; [`draw()`] runs it too, so native callers get the
/// same checks.
pub fn check_config(config: &Config) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    if !(2..=MAX_PANEL).contains(&config.panel_size) {
        errors.push(FieldError::new("panel_size", format!("must be between 2 and {MAX_PANEL} (invitations go out in one batch of at most {MAX_PANEL})")));
    }
    check_questions(config, &mut errors);
    check_quotas(config, &mut errors);
    check_text(&mut errors, "consent", &config.consent, 2_000, "the consent text");
    if let Some(i) = &config.invitation {
        check_text(&mut errors, "invitation.subject", &i.subject, 200, "a subject");
        check_text(&mut errors, "invitation.body", &i.body, 5_000, "a message");
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

fn check_questions(config: &Config, errors: &mut Vec<FieldError>) {
    if config.questions.is_empty() || config.questions.len() > MAX_QUESTIONS {
        errors.push(FieldError::new("questions", format!("ask 1 to {MAX_QUESTIONS} questions")));
    }
    let mut ids = BTreeSet::new();
    for (i, q) in config.questions.iter().enumerate() {
        let at = format!("questions[{i}]");
        if !slug(&q.id) {
            errors.push(FieldError::new(format!("{at}.id"), "use 1 to 40 lowercase letters, digits, - or _"));
        } else if !ids.insert(q.id.as_str()) {
            errors.push(FieldError::new(format!("{at}.id"), format!("`{}` is used by another question", q.id)));
        }
        check_text(errors, &format!("{at}.text"), &q.text, 500, "the question");
        if !(2..=MAX_OPTIONS).contains(&q.options.len()) {
            errors.push(FieldError::new(format!("{at}.options"), format!("give 2 to {MAX_OPTIONS} options")));
        }
        let mut values = BTreeSet::new();
        for (j, o) in q.options.iter().enumerate() {
            let at = format!("{at}.options[{j}]");
            if !option_value(&o.value) {
                errors.push(FieldError::new(format!("{at}.value"), "use 1 to 40 letters, digits, -, _, + or ."));
            } else if !values.insert(o.value.as_str()) {
                errors.push(FieldError::new(format!("{at}.value"), format!("`{}` is used by another option of this question", o.value)));
            }
            check_text(errors, &format!("{at}.label"), &o.label, 200, "a label");
        }
    }
}

fn check_quotas(config: &Config, errors: &mut Vec<FieldError>) {
    for (qid, quotas) in &config.quotas {
        let Some(question) = config.questions.iter().find(|q| &q.id == qid) else {
            errors.push(FieldError::new(format!("quotas.{qid}"), format!("there is no question `{qid}`")));
            continue;
        };
        let (mut mins, mut maxes) = (0u64, 0u64);
        for (value, quota) in quotas {
            let at = format!("quotas.{qid}.{value}");
            if !question.options.iter().any(|o| &o.value == value) {
                errors.push(FieldError::new(at, format!("`{value}` is not an option of `{qid}`")));
                continue;
            }
            let max = quota.max.unwrap_or(config.panel_size);
            if quota.min > config.panel_size {
                errors.push(FieldError::new(format!("{at}.min"), format!("is more than the panel's {} seats", config.panel_size)));
            } else if quota.min > max {
                errors.push(FieldError::new(format!("{at}.min"), format!("is more than the maximum ({max})")));
            }
            mins += quota.min as u64;
            maxes += max.min(config.panel_size) as u64;
        }
        if mins > config.panel_size as u64 {
            errors.push(FieldError::new(format!("quotas.{qid}"), format!("the minimums add up to {mins}, more than the panel's {} seats", config.panel_size)));
        }
        let all_capped = question.options.iter().all(|o| quotas.get(&o.value).is_some_and(|q| q.max.is_some()));
        if all_capped && maxes < config.panel_size as u64 {
            errors
                .push(FieldError::new(format!("quotas.{qid}"), format!("the maximums add up to {maxes}, fewer than the panel's {} seats", config.panel_size)));
        }
    }
}

fn reject(field: &str, problem: impl Into<String>) -> Validation {
    Validation::Rejected(vec![FieldError::new(field, problem)])
}

/// Errors for body keys other than `allowed`: a typo must not be silently dropped.
fn unknown_keys(body: &Value, allowed: &[&str]) -> Vec<FieldError> {
    match body.as_object() {
        Some(map) => {
            map.keys().filter(|k| !allowed.contains(&k.as_str())).map(|k| FieldError::new(k.as_str(), "is not a field of this contribution")).collect()
        }
        None => vec![FieldError::new("", "send a JSON object")],
    }
}

impl CitizenPanel {
    /// The answers of a volunteer entry, normalised, or what is wrong with each.
    fn answers(config: &Config, body: &Value, errors: &mut Vec<FieldError>) -> BTreeMap<String, String> {
        let mut answers = BTreeMap::new();
        let given = match body.get("answers") {
            Some(Value::Object(map)) => map.clone(),
            Some(_) => {
                errors.push(FieldError::new("answers", "give the answers as an object, e.g. {\"age\": \"30-44\"}"));
                return answers;
            }
            None => serde_json::Map::new(),
        };
        for q in &config.questions {
            let at = format!("answers.{}", q.id);
            match given.get(&q.id).and_then(Value::as_str).map(str::trim) {
                Some(a) if q.options.iter().any(|o| o.value == a) => {
                    answers.insert(q.id.clone(), a.to_string());
                }
                Some(a) => {
                    let options: Vec<&str> = q.options.iter().map(|o| o.value.as_str()).collect();
                    errors.push(FieldError::new(at, format!("`{a}` is not one of the options ({})", options.join(", "))));
                }
                None => errors.push(FieldError::new(at, "answer this question")),
            }
        }
        for key in given.keys().filter(|k| !config.questions.iter().any(|q| &q.id == *k)) {
            errors.push(FieldError::new(format!("answers.{key}"), format!("there is no question `{key}`")));
        }
        answers
    }

    fn volunteer(config: &Config, body: &Value, by: &Submitter) -> Validation {
        // The pool closes with the first draw: a later volunteer could never have been drawn.
        if host::contributions(Some("draw")).next().is_some() {
            return reject("", "the panel has been drawn, so the pool is closed");
        }
        let mut volunteers = 0usize;
        for c in host::contributions(Some("volunteer")) {
            if c.submitter == by.id {
                return reject("", "you have already volunteered for this panel: each person joins the pool once (edit your entry to change it)");
            }
            volunteers += 1;
        }
        if volunteers >= draw::MAX_POOL {
            return reject("", format!("the pool is full ({} volunteers)", draw::MAX_POOL));
        }
        let mut errors = unknown_keys(body, &["answers", "consent"]);
        let answers = Self::answers(config, body, &mut errors);
        if body.get("consent").and_then(Value::as_bool) != Some(true) {
            errors.push(FieldError::new(
                "consent",
                "agree to the consent statement to join the pool: your answers are used for the draw and published under your pseudonym",
            ));
        }
        if errors.is_empty() { Validation::Accepted(json!({ "answers": answers, "consent": true })) } else { Validation::Rejected(errors) }
    }

    fn run_draw(config: &Config, body: &Value) -> Validation {
        let mut errors = unknown_keys(body, &["replace_declined"]);
        let replace = match body.get("replace_declined") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                errors.push(FieldError::new("replace_declined", "must be true or false"));
                false
            }
        };
        if !errors.is_empty() {
            return Validation::Rejected(errors);
        }
        let seed = host::random_seed();
        if seed.is_empty() {
            return Validation::Rejected(vec![FieldError::new(
                "seed",
                "commit a seed first (POST /api/v1/activities/{id}/seed): the draw uses it, and its SHA-256 in the public ledger lets anyone re-run the draw",
            )]);
        }
        let state = State::load();
        match (&state.first, replace) {
            (None, false) => Self::first_draw(config, &state, &seed),
            (None, true) => reject("replace_declined", "draw the panel first (send {}); replacements come after"),
            (Some(_), false) => {
                reject("replace_declined", "the panel has already been drawn; to refill the seats of people who declined, send {\"replace_declined\": true}")
            }
            (Some(first), true) => Self::replacement_round(config, &state, first, &seed),
        }
    }

    fn first_draw(config: &Config, state: &State, seed: &[u8]) -> Validation {
        let pool: Vec<PoolMember> = state.volunteers.iter().map(|(p, a)| PoolMember { pseudonym: p.clone(), answers: a.clone() }).collect();
        let outcome = match draw::draw(config, &pool, seed) {
            Ok(d) => d,
            Err(errors) => return Validation::Rejected(errors),
        };
        let columns = std::iter::once("pseudonym".to_string()).chain(config.questions.iter().map(|q| q.id.clone())).collect();
        let record = FirstDrawRecord::new(&outcome, columns, &pool);
        let body = serde_json::to_value(&record).unwrap_or_default();
        // The host refuses bodies over 1 MiB; say so in words rather than fail the call.
        if body.to_string().len() > 1_000_000 {
            return reject("pool", "the pool is too large to record with the draw: ask fewer questions or shorter option values");
        }
        Self::invite(config, &outcome.selected);
        Validation::Accepted(body)
    }

    fn replacement_round(config: &Config, state: &State, first: &FirstDrawRecord, seed: &[u8]) -> Validation {
        let round = state.rounds.len() as u32 + 2;
        let to_replace = state.to_replace();
        let withdrawn = state.withdrawn_undrawn();
        let replaced_before: Vec<String> = state.seats().into_iter().filter(|s| s.replaced_in.is_some()).map(|s| s.pseudonym).collect();
        let excluded: Vec<String> = replaced_before.into_iter().chain(withdrawn.iter().cloned()).collect();
        match draw::replacement(config, &first.pool(), seed, round, &state.panel(), &excluded, &to_replace) {
            Ok(r) => {
                Self::invite(config, &r.replacements);
                Validation::Accepted(serde_json::to_value(ReplacementRecord::new(&r, withdrawn)).unwrap_or_default())
            }
            Err(errors) => Validation::Rejected(errors),
        }
    }

    /// Asks the host to email each person drawn; sent only if the draw is stored.
    fn invite(config: &Config, people: &[String]) {
        let (subject, body) = config.invitation();
        for p in people {
            if let Err(e) = host::notify(p, &subject, &body) {
                host::log(LogLevel::Warn, &format!("invitation to {p} refused: {e}"));
            }
        }
    }

    fn reply(body: &Value, by: &Submitter) -> Validation {
        let mut errors = unknown_keys(body, &["accept"]);
        let accept = body.get("accept").and_then(Value::as_bool);
        if accept.is_none() {
            errors.push(FieldError::new("accept", "answer true to accept your seat or false to decline it"));
        }
        let state = State::load();
        let seat = state.seats().into_iter().rev().find(|s| s.pseudonym == by.id);
        let problem = match &seat {
            _ if state.first.is_none() => Some("the panel has not been drawn yet: only people drawn can reply"),
            None => Some("only people invited to the panel can reply, and you have not been drawn"),
            Some(s) if s.replaced_in.is_some() => Some("your seat has been given to someone else"),
            Some(_) if host::contributions(Some("reply")).any(|c| c.submitter == by.id) => Some("you have already replied (edit your reply to change it)"),
            Some(_) => None,
        };
        if let Some(p) = problem {
            return reject("", p);
        }
        match accept {
            Some(a) if errors.is_empty() => Validation::Accepted(json!({ "accept": a })),
            _ => Validation::Rejected(errors),
        }
    }
}

impl Activity for CitizenPanel {
    type Config = Config;

    fn describe() -> ActivityInfo {
        ActivityInfo {
            id: "org.convene.citizen-panel".into(),
            name: tr(&[("en", "Citizen panel"), ("es", "Panel ciudadano"), ("fr", "Panel citoyen")]),
            version: env!("CARGO_PKG_VERSION").into(),
            description: tr(&[
                (
                    "en",
                    "Volunteers join a pool; a verifiable random draw selects a panel that meets the quotas, giving everyone as even a chance as the quotas allow",
                ),
                (
                    "es",
                    "Las personas voluntarias forman un grupo; un sorteo verificable elige un panel que cumple las cuotas, con oportunidades tan parejas como permiten",
                ),
            ]),
            contribution_kinds: vec![
                ContributionKind {
                    id: "volunteer".into(),
                    name: tr(&[("en", "Volunteer"), ("es", "Presentarse")]),
                    description: tr(&[("en", "Join the pool the panel is drawn from"), ("es", "Entrar en el grupo del que se sortea el panel")]),
                    fields: vec![],
                    remote_allowed: false,
                    submitted_by: vec![SubmitterRole::Participant],
                },
                ContributionKind {
                    id: "draw".into(),
                    name: tr(&[("en", "Draw"), ("es", "Sorteo")]),
                    description: tr(&[
                        ("en", "Draw the panel from the pool, or refill declined seats"),
                        ("es", "Sortear el panel entre el grupo, o cubrir las plazas rechazadas"),
                    ]),
                    fields: vec![],
                    remote_allowed: false,
                    submitted_by: vec![SubmitterRole::Organiser],
                },
                ContributionKind {
                    id: "reply".into(),
                    name: tr(&[("en", "Reply to the invitation"), ("es", "Respuesta a la invitación")]),
                    description: tr(&[("en", "Accept or decline your seat on the panel"), ("es", "Aceptar o rechazar tu plaza en el panel")]),
                    fields: vec![],
                    remote_allowed: false,
                    submitted_by: vec![SubmitterRole::Participant],
                },
            ],
            config_fields: vec![],
            results: vec![ResultDescription {
                id: "panel".into(),
                name: tr(&[("en", "The panel, its draw and its pool"), ("es", "El panel, su sorteo y su grupo")]),
                description: tr(&[(
                    "en",
                    "Who was drawn and their replies, the quotas met, the pseudonymous pool and everyone's chance of selection, so anyone can re-run the draw",
                )]),
            }],
        }
    }

    fn validate_config(config: &Config) -> Result<(), Vec<FieldError>> {
        check_config(config)
    }

    fn contribution_form(config: &Config, kind: &str) -> Result<Vec<FormField>, Vec<FieldError>> {
        match kind {
            "volunteer" => {
                let mut fields: Vec<FormField> = config
                    .questions
                    .iter()
                    .map(|q| {
                        let choices = q.options.iter().map(|o| choice(&o.value, localized(&o.label))).collect();
                        Field::single_choice(&format!("answers.{}", q.id), choices).label(localized(&q.text)).required().build()
                    })
                    .collect();
                fields.push(Field::yes_no("consent").label(localized(&config.consent)).required().build());
                Ok(fields)
            }
            "draw" => Ok(vec![
                Field::yes_no("replace_declined")
                    .label(tr(&[("en", "Refill the seats of people who declined"), ("es", "Cubrir las plazas de quienes rechazaron")]))
                    .help(tr(&[("en", "Leave unset for the first draw"), ("es", "Déjalo sin marcar en el primer sorteo")]))
                    .build(),
            ]),
            "reply" => Ok(vec![
                Field::yes_no("accept").label(tr(&[("en", "I accept my seat on the panel"), ("es", "Acepto mi plaza en el panel")])).required().build(),
            ]),
            other => Err(vec![FieldError::new("kind", format!("a citizen panel has no `{other}` contributions"))]),
        }
    }

    fn validate_contribution(config: &Config, kind: &str, body: &Value, by: &Submitter) -> Validation {
        match kind {
            "volunteer" => Self::volunteer(config, body, by),
            "draw" => Self::run_draw(config, body),
            "reply" => Self::reply(body, by),
            other => reject("kind", format!("a citizen panel has no `{other}` contributions")),
        }
    }

    fn compute_results(config: &Config) -> Result<Results, String> {
        Ok(summary::results(config, &State::load()))
    }
}

#[cfg(test)]
mod tests;
