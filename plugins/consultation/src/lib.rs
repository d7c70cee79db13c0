//! The consultation activity type: the organiser configures questions; each participant's
//! response answers them; results aggregate each question.

use std::collections::{BTreeMap, HashSet};

use convene_sdk::form::{Field, check_text, choice};
use convene_sdk::results::{bar_chart, table, text};
use convene_sdk::{Activity, ActivityInfo, ContributionKind, FieldError, FormField, Localized, ResultDescription, Results, Submitter, TextLimits, Validation, Value, host, tr};
use serde::{Deserialize, Serialize};

pub struct Consultation;

convene_sdk::export_activity!(Consultation);

pub const MAX_QUESTIONS: usize = 100;
pub const MAX_CHOICES: usize = 50;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Question {
    /// Key of the answer in a response's `answers`, e.g. "q1".
    pub id: String,
    /// The question per language.
    pub text: BTreeMap<String, String>,
    #[serde(default)]
    pub help: BTreeMap<String, String>,
    #[serde(default)]
    pub required: bool,
    #[serde(flatten)]
    pub kind: QuestionKind,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum QuestionKind {
    FreeText {
        #[serde(default = "default_max_length")]
        max_length: u32,
    },
    SingleChoice {
        choices: Vec<ChoiceDef>,
    },
    MultipleChoice {
        choices: Vec<ChoiceDef>,
        #[serde(default)]
        min_selected: u32,
        max_selected: Option<u32>,
    },
    Scale {
        min: i32,
        max: i32,
        #[serde(default)]
        min_label: BTreeMap<String, String>,
        #[serde(default)]
        max_label: BTreeMap<String, String>,
    },
    Ranking {
        choices: Vec<ChoiceDef>,
    },
}

fn default_max_length() -> u32 {
    2000
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceDef {
    pub value: String,
    pub label: BTreeMap<String, String>,
}

fn localized(map: &BTreeMap<String, String>) -> Localized {
    Localized(map.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
}

fn choices_of(defs: &[ChoiceDef]) -> Vec<convene_sdk::Choice> {
    defs.iter().map(|c| choice(&c.value, localized(&c.label))).collect()
}

fn check_choices(errors: &mut Vec<FieldError>, at: &str, choices: &[ChoiceDef]) {
    if choices.len() < 2 || choices.len() > MAX_CHOICES {
        errors.push(FieldError::new(format!("{at}.choices"), format!("give 2 to {MAX_CHOICES} choices")));
    }
    let mut seen = HashSet::new();
    for (j, c) in choices.iter().enumerate() {
        if c.value.trim().is_empty() || c.value.len() > 64 {
            errors.push(FieldError::new(format!("{at}.choices[{j}].value"), "must be 1 to 64 characters"));
        }
        if !seen.insert(&c.value) {
            errors.push(FieldError::new(format!("{at}.choices[{j}].value"), format!("`{}` is used twice", c.value)));
        }
        if c.label.is_empty() {
            errors.push(FieldError::new(format!("{at}.choices[{j}].label"), "give a label in at least one language"));
        }
    }
}

impl Activity for Consultation {
    type Config = Config;

    fn describe() -> ActivityInfo {
        ActivityInfo {
            id: "org.convene.consultation".into(),
            name: tr(&[("en", "Consultation"), ("es", "Consulta"), ("fr", "Consultation")]),
            version: env!("CARGO_PKG_VERSION").into(),
            description: tr(&[
                ("en", "Ask questions — open, multiple choice, scales, rankings — and see the answers aggregated per question."),
                ("es", "Haga preguntas —abiertas, de opción múltiple, escalas, rankings— y vea las respuestas agregadas por pregunta."),
            ]),
            contribution_kinds: vec![ContributionKind {
                id: "response".into(),
                name: tr(&[("en", "Response"), ("es", "Respuesta")]),
                description: tr(&[("en", "Answers to the consultation's questions"), ("es", "Respuestas a las preguntas de la consulta")]),
                // The form depends on the questions: see `contribution_form`.
                fields: vec![],
                remote_allowed: true,
                submitted_by: vec![],
            }],
            config_fields: vec![],
            results: vec![ResultDescription {
                id: "per-question".into(),
                name: tr(&[("en", "Answers per question"), ("es", "Respuestas por pregunta")]),
                description: Localized::default(),
            }],
        }
    }

    fn validate_config(config: &Config) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if config.questions.is_empty() || config.questions.len() > MAX_QUESTIONS {
            errors.push(FieldError::new("questions", format!("give 1 to {MAX_QUESTIONS} questions")));
        }
        let mut ids = HashSet::new();
        for (i, q) in config.questions.iter().enumerate() {
            let at = format!("questions[{i}]");
            let id_ok = !q.id.is_empty() && q.id.len() <= 32 && q.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !id_ok {
                errors.push(FieldError::new(format!("{at}.id"), "use 1 to 32 letters, digits, - or _"));
            } else if !ids.insert(q.id.as_str()) {
                errors.push(FieldError::new(format!("{at}.id"), format!("`{}` is used twice", q.id)));
            }
            if q.text.is_empty() || q.text.values().any(|t| t.trim().is_empty() || t.chars().count() > 1000) {
                errors.push(FieldError::new(format!("{at}.text"), "give the question (1 to 1000 characters) in at least one language"));
            }
            match &q.kind {
                QuestionKind::FreeText { max_length } => {
                    if !(1..=20_000).contains(max_length) {
                        errors.push(FieldError::new(format!("{at}.max_length"), "must be between 1 and 20000"));
                    }
                }
                QuestionKind::SingleChoice { choices } | QuestionKind::Ranking { choices } => check_choices(&mut errors, &at, choices),
                QuestionKind::MultipleChoice { choices, min_selected, max_selected } => {
                    check_choices(&mut errors, &at, choices);
                    let max = max_selected.unwrap_or(choices.len() as u32);
                    if *min_selected > max || max as usize > choices.len() || max == 0 {
                        errors.push(FieldError::new(format!("{at}.max_selected"), "need min_selected <= max_selected <= number of choices"));
                    }
                }
                QuestionKind::Scale { min, max, .. } => {
                    if min >= max || max - min > 20 {
                        errors.push(FieldError::new(format!("{at}.max"), "a scale needs min < max and at most 21 points"));
                    }
                }
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    fn contribution_form(config: &Config, kind: &str) -> Result<Vec<FormField>, Vec<FieldError>> {
        if kind != "response" {
            return Err(vec![FieldError::new("kind", format!("a consultation takes `response`, not `{kind}`"))]);
        }
        Ok(config
            .questions
            .iter()
            .map(|q| {
                let name = format!("answers.{}", q.id);
                let field = match &q.kind {
                    QuestionKind::FreeText { max_length } => Field::long_text(&name).length(0, *max_length),
                    QuestionKind::SingleChoice { choices } => Field::single_choice(&name, choices_of(choices)),
                    QuestionKind::MultipleChoice { choices, min_selected, max_selected } => Field::multiple_choice(
                        &name,
                        choices_of(choices),
                        *min_selected,
                        max_selected.unwrap_or(choices.len() as u32),
                    ),
                    QuestionKind::Scale { min, max, min_label, max_label } => {
                        Field::scale(&name, *min, *max, localized(min_label), localized(max_label))
                    }
                    QuestionKind::Ranking { choices } => Field::ranking(&name, choices_of(choices)),
                };
                let field = field.label(localized(&q.text)).help(localized(&q.help));
                if q.required { field.required().build() } else { field.build() }
            })
            .collect())
    }

    fn validate_contribution(config: &Config, kind: &str, body: &Value, _by: &Submitter) -> Validation {
        if kind != "response" {
            return Validation::Rejected(vec![FieldError::new("kind", format!("a consultation takes `response`, not `{kind}`"))]);
        }
        let Some(obj) = body.as_object() else {
            return Validation::Rejected(vec![FieldError::new("body", "must be an object with `answers`")]);
        };
        let mut errors = Vec::new();
        if let Some(extra) = obj.keys().find(|k| k.as_str() != "answers") {
            errors.push(FieldError::new(extra.clone(), "unknown field; a response has only `answers`"));
        }
        let empty = serde_json::Map::new();
        let answers = match obj.get("answers") {
            Some(Value::Object(a)) => a,
            Some(_) => return Validation::Rejected(vec![FieldError::new("answers", "must be an object of question id to answer")]),
            None => &empty,
        };
        for id in answers.keys() {
            if !config.questions.iter().any(|q| &q.id == id) {
                errors.push(FieldError::new(format!("answers.{id}"), "there is no such question"));
            }
        }
        let mut normalised = serde_json::Map::new();
        for q in &config.questions {
            let field = format!("answers.{}", q.id);
            let answer = answers.get(&q.id).unwrap_or(&Value::Null);
            match check_answer(&field, q, answer) {
                Ok(Some(v)) => {
                    normalised.insert(q.id.clone(), v);
                }
                Ok(None) => {}
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() && normalised.is_empty() {
            errors.push(FieldError::new("answers", "answer at least one question"));
        }
        if errors.is_empty() {
            Validation::Accepted(serde_json::json!({ "answers": normalised }))
        } else {
            Validation::Rejected(errors)
        }
    }

    fn compute_results(config: &Config) -> Result<Results, String> {
        let mut tallies: Vec<Tally> = config.questions.iter().map(Tally::for_question).collect();
        let mut responses = 0u64;
        for c in host::contributions(Some("response")) {
            responses += 1;
            let Some(answers) = c.body.get("answers").and_then(Value::as_object) else { continue };
            for (q, t) in config.questions.iter().zip(tallies.iter_mut()) {
                if let Some(a) = answers.get(&q.id) {
                    t.add(a);
                }
            }
        }
        let mut sections = vec![text(
            tr(&[("en", "Responses"), ("es", "Respuestas")]),
            Localized::one("en", &format!("{responses} responses")).and("es", &format!("{responses} respuestas")),
        )];
        for (q, t) in config.questions.iter().zip(tallies) {
            sections.push(t.section(q));
        }
        Ok(Results { sections })
    }
}

fn check_answer(field: &str, q: &Question, answer: &Value) -> Result<Option<Value>, FieldError> {
    if answer.is_null() {
        return if q.required { Err(FieldError::new(field, "is required")) } else { Ok(None) };
    }
    let known = |choices: &[ChoiceDef], v: &str| choices.iter().any(|c| c.value == v);
    match &q.kind {
        QuestionKind::FreeText { max_length } => {
            check_text(field, answer, TextLimits { min_length: 0, max_length: *max_length }, q.required).map(|t| t.map(Value::String))
        }
        QuestionKind::SingleChoice { choices } => match answer.as_str() {
            Some(v) if known(choices, v) => Ok(Some(Value::String(v.into()))),
            Some(v) => Err(FieldError::new(field, format!("`{v}` is not one of the choices"))),
            None => Err(FieldError::new(field, "must be the value of one choice")),
        },
        QuestionKind::MultipleChoice { choices, min_selected, max_selected } => {
            let Some(list) = answer.as_array() else { return Err(FieldError::new(field, "must be a list of choice values")) };
            let mut picked: Vec<String> = Vec::new();
            for v in list {
                match v.as_str() {
                    Some(s) if known(choices, s) => {
                        if !picked.iter().any(|p| p == s) {
                            picked.push(s.into())
                        }
                    }
                    _ => return Err(FieldError::new(field, format!("{v} is not one of the choices"))),
                }
            }
            let max = max_selected.unwrap_or(choices.len() as u32) as usize;
            if picked.len() < *min_selected as usize || picked.len() > max {
                return Err(FieldError::new(field, format!("choose between {min_selected} and {max}")));
            }
            if picked.is_empty() {
                return if q.required { Err(FieldError::new(field, "is required")) } else { Ok(None) };
            }
            Ok(Some(Value::Array(picked.into_iter().map(Value::String).collect())))
        }
        QuestionKind::Scale { min, max, .. } => match answer.as_i64() {
            Some(v) if (*min as i64..=*max as i64).contains(&v) => Ok(Some(Value::from(v))),
            _ => Err(FieldError::new(field, format!("must be a whole number from {min} to {max}"))),
        },
        QuestionKind::Ranking { choices } => {
            let Some(list) = answer.as_array() else { return Err(FieldError::new(field, "must list every choice in order of preference")) };
            let order: Vec<&str> = list.iter().filter_map(Value::as_str).collect();
            let complete = order.len() == choices.len()
                && list.len() == choices.len()
                && choices.iter().all(|c| order.contains(&c.value.as_str()));
            if !complete {
                return Err(FieldError::new(field, "must list every choice exactly once, most preferred first"));
            }
            Ok(Some(answer.clone()))
        }
    }
}

/// Running aggregate of one question's answers.
enum Tally {
    Text(u64),
    Counts(Vec<(String, Localized)>, Vec<u64>),
    Scale { min: i32, counts: Vec<u64> },
    /// Borda points: n-1 for a first place, 0 for a last.
    Ranking(Vec<(String, Localized)>, Vec<u64>),
}

impl Tally {
    fn for_question(q: &Question) -> Tally {
        let labelled = |cs: &[ChoiceDef]| cs.iter().map(|c| (c.value.clone(), localized(&c.label))).collect::<Vec<_>>();
        match &q.kind {
            QuestionKind::FreeText { .. } => Tally::Text(0),
            QuestionKind::SingleChoice { choices } | QuestionKind::MultipleChoice { choices, .. } => {
                Tally::Counts(labelled(choices), vec![0; choices.len()])
            }
            QuestionKind::Scale { min, max, .. } => Tally::Scale { min: *min, counts: vec![0; (max - min + 1) as usize] },
            QuestionKind::Ranking { choices } => Tally::Ranking(labelled(choices), vec![0; choices.len()]),
        }
    }

    fn add(&mut self, answer: &Value) {
        match self {
            Tally::Text(n) => *n += 1,
            Tally::Counts(choices, counts) => {
                let picked: Vec<&str> = match answer {
                    Value::String(s) => vec![s.as_str()],
                    Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                    _ => vec![],
                };
                for p in picked {
                    if let Some(i) = choices.iter().position(|(v, _)| v == p) {
                        counts[i] += 1;
                    }
                }
            }
            Tally::Scale { min, counts } => {
                if let Some(i) = answer.as_i64().and_then(|v| usize::try_from(v - *min as i64).ok()) {
                    if let Some(c) = counts.get_mut(i) {
                        *c += 1;
                    }
                }
            }
            Tally::Ranking(choices, points) => {
                let n = choices.len() as u64;
                for (place, v) in answer.as_array().into_iter().flatten().enumerate() {
                    if let Some(i) = choices.iter().position(|(c, _)| Some(c.as_str()) == v.as_str()) {
                        points[i] += n - 1 - place as u64;
                    }
                }
            }
        }
    }

    fn section(self, q: &Question) -> convene_sdk::Section {
        let title = localized(&q.text);
        match self {
            Tally::Text(n) => text(title, Localized::one("en", &format!("{n} written answers")).and("es", &format!("{n} respuestas escritas"))),
            Tally::Counts(choices, counts) => bar_chart(
                title,
                choices.into_iter().map(|(_, l)| l).collect(),
                tr(&[("en", "Answers"), ("es", "Respuestas")]),
                counts.into_iter().map(|c| c as f64).collect(),
            ),
            Tally::Scale { min, counts } => bar_chart(
                title,
                (0..counts.len()).map(|i| Localized::one("en", &(min + i as i32).to_string())).collect(),
                tr(&[("en", "Answers"), ("es", "Respuestas")]),
                counts.into_iter().map(|c| c as f64).collect(),
            ),
            Tally::Ranking(choices, points) => {
                let mut rows: Vec<(Localized, u64)> = choices.into_iter().map(|(_, l)| l).zip(points).collect();
                rows.sort_by(|a, b| b.1.cmp(&a.1));
                table(
                    title,
                    vec![tr(&[("en", "Choice"), ("es", "Opción")]), tr(&[("en", "Borda points"), ("es", "Puntos Borda")])],
                    rows.into_iter()
                        .map(|(l, p)| vec![l.get("en").or(l.0.first().map(|(_, t)| t.as_str())).unwrap_or("").to_string(), p.to_string()])
                        .collect(),
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use convene_sdk::testing::Harness;
    use convene_sdk::{Channel, Section, json};

    use super::*;

    fn config() -> Value {
        json!({ "questions": [
            { "id": "priority", "type": "single_choice", "required": true,
              "text": { "en": "What should the strategy prioritise?" },
              "choices": [ { "value": "health", "label": { "en": "Health" } }, { "value": "transport", "label": { "en": "Transport" } } ] },
            { "id": "worries", "type": "multiple_choice", "max_selected": 2,
              "text": { "en": "What worries you?" },
              "choices": [ { "value": "bias", "label": { "en": "Bias" } }, { "value": "privacy", "label": { "en": "Privacy" } }, { "value": "jobs", "label": { "en": "Jobs" } } ] },
            { "id": "trust", "type": "scale", "min": 1, "max": 5, "text": { "en": "How much do you trust public AI?" } },
            { "id": "rank", "type": "ranking", "text": { "en": "Rank these" },
              "choices": [ { "value": "a", "label": { "en": "A" } }, { "value": "b", "label": { "en": "B" } }, { "value": "c", "label": { "en": "C" } } ] },
            { "id": "comment", "type": "free_text", "max_length": 20, "text": { "en": "Anything else?" } }
        ]})
    }

    #[test]
    fn configuration_is_checked() {
        assert!(Harness::<Consultation>::new(config()).is_ok());
        let errs = Harness::<Consultation>::new(json!({ "questions": [] })).err().unwrap();
        assert_eq!(errs[0].field, "questions");
        let errs = Harness::<Consultation>::new(json!({ "questions": [
            { "id": "q", "type": "single_choice", "text": { "en": "?" }, "choices": [ { "value": "x", "label": { "en": "X" } } ] },
            { "id": "q", "type": "scale", "min": 5, "max": 1, "text": { "en": "?" } }
        ]})).err().unwrap();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["questions[0].choices", "questions[1].id", "questions[1].max"]);
        assert!(Harness::<Consultation>::new(json!({ "questions": [{ "id": "q", "type": "poll", "text": {} }] })).is_err());
    }

    #[test]
    fn answers_are_validated_and_normalised() {
        let mut h = Harness::<Consultation>::new(config()).unwrap();
        let ok = h.contribute("response", json!({ "answers": {
            "priority": "health", "worries": ["bias", "bias", "privacy"], "trust": 4, "rank": ["b", "a", "c"], "comment": "  fine  " } }));
        assert_eq!(ok, Validation::Accepted(json!({ "answers": {
            "priority": "health", "worries": ["bias", "privacy"], "trust": 4, "rank": ["b", "a", "c"], "comment": "fine" } })));

        let bad = h.contribute("response", json!({ "answers": {
            "priority": "space", "worries": ["bias", "privacy", "jobs"], "trust": 9, "rank": ["a", "a", "b"], "comment": "x".repeat(21), "nope": 1 } }));
        let fields: Vec<String> = bad.errors().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["answers.nope", "answers.priority", "answers.worries", "answers.trust", "answers.rank", "answers.comment"]);

        assert_eq!(h.contribute("response", json!({ "answers": { "trust": 3 } })).errors()[0].field, "answers.priority");
        assert_eq!(h.contribute("response", json!("text")).errors()[0].field, "body");
        assert_eq!(h.contribute("idea", json!({})).errors()[0].field, "kind");
        assert_eq!(h.contribute("response", json!({ "answers": {}, "extra": 1 })).errors()[0].field, "extra");
    }

    #[test]
    fn results_aggregate_each_question() {
        let mut h = Harness::<Consultation>::new(config()).unwrap();
        for (p, t, r) in [("health", 5, ["a", "b", "c"]), ("health", 4, ["a", "c", "b"]), ("transport", 4, ["b", "a", "c"])] {
            let v = h.contribute_via("response", json!({ "answers": { "priority": p, "trust": t, "rank": r, "worries": ["jobs"] } }), Channel::Paper);
            assert!(v.is_accepted());
        }
        let results = h.results().unwrap();
        assert_eq!(results.sections.len(), 6);
        match &results.sections[1] {
            Section::Chart { series, .. } => assert_eq!(series[0].values, vec![2.0, 1.0]),
            other => panic!("{other:?}"),
        }
        match &results.sections[3] {
            Section::Chart { series, .. } => assert_eq!(series[0].values, vec![0.0, 0.0, 0.0, 2.0, 1.0]),
            other => panic!("{other:?}"),
        }
        match &results.sections[4] {
            // a: 2+2+1 = 5, b: 0+1+2... b: first once (2), third once (0), second once (1) = 3; c: 0+1+0 = 1
            Section::Table { rows, .. } => assert_eq!(rows, &vec![vec!["A".to_string(), "5".into()], vec!["B".into(), "3".into()], vec!["C".into(), "1".into()]]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_form_follows_the_questions() {
        let h = Harness::<Consultation>::new(config()).unwrap();
        let form = h.form("response").unwrap();
        assert_eq!(form.len(), 5);
        assert_eq!(form[0].name, "answers.priority");
        assert!(form[0].required);
    }
}
