//! What plugins hand back for the host to store or serve, checked before anything is kept:
//! a normalised contribution body is held to the limits of the bodies people send, a
//! normalised configuration to those of the configurations organisers send, results and forms
//! to the largest output a plugin may hand back. Each by the one rule of
//! [`crate::domain::stored_json`], so what is stored always reads back equal. A refusal is the
//! plugin's fault: the registry fails the call as `malformed` (502 naming the plugin) and
//! nothing is stored.

use serde_json::Value;

use super::activities::MAX_CONFIG_BYTES;
use super::contributions::MAX_BODY_BYTES;
use crate::adapters::plugins::bindings::convene::activity::types::{ActivityResults, FieldError, FormField, Section, Validation};
use crate::adapters::plugins::view;
use crate::domain::stored_json;

/// An accepted body must be what the API would have taken from a person.
pub fn accepted_body(verdict: Validation) -> Result<Validation, String> {
    if let Validation::Accepted(body) = &verdict {
        stored_json::check(body, MAX_BODY_BYTES).map_err(|p| format!("the accepted body {p}"))?;
    }
    Ok(verdict)
}

/// A normalised configuration must be a JSON object the API would have taken from an organiser.
pub fn normalised_config(verdict: Result<String, Vec<FieldError>>) -> Result<Result<String, Vec<FieldError>>, String> {
    if let Ok(config) = &verdict {
        let parsed = stored_json::check(config, MAX_CONFIG_BYTES).map_err(|p| format!("the normalised configuration {p}"))?;
        if !parsed.is_object() {
            return Err("the normalised configuration is not a JSON object".into());
        }
    }
    Ok(verdict)
}

/// Results as the API serves them (JSON text), no larger than `max_bytes`. Refused before they
/// are rendered when their text alone is over the limit, so a huge answer is not copied.
pub fn results(computed: Result<ActivityResults, String>, max_bytes: usize) -> Result<Result<String, String>, String> {
    let Ok(results) = computed else { return Ok(computed.map(|_| String::new())) };
    let text_bytes = results_text_bytes(&results);
    if text_bytes > max_bytes {
        return Err(format!("the results hold {text_bytes} bytes of text; the limit is {max_bytes}"));
    }
    let rendered = view::results(&results).to_string();
    stored_json::check(&rendered, max_bytes).map_err(|p| format!("the results' JSON {p}"))?;
    Ok(Ok(rendered))
}

/// A form as the API serves it, no larger than `max_bytes`.
pub fn form(answer: Result<Vec<FormField>, Vec<FieldError>>, max_bytes: usize) -> Result<Result<Value, Vec<FieldError>>, String> {
    let Ok(fields) = answer else { return Ok(answer.map(|_| Value::Null)) };
    let rendered = view::form(&fields);
    stored_json::check(&rendered.to_string(), max_bytes).map_err(|p| format!("the form {p}"))?;
    Ok(Ok(rendered))
}

/// The bytes of text and numbers in results: less than their JSON, known without rendering it.
fn results_text_bytes(r: &ActivityResults) -> usize {
    let localized = |l: &[(String, String)]| l.iter().map(|(lang, text)| lang.len() + text.len()).sum::<usize>();
    r.sections
        .iter()
        .map(|s| match s {
            Section::Text(t) => localized(&t.title) + localized(&t.body),
            Section::Table(t) => {
                localized(&t.title)
                    + t.columns.iter().map(|c| localized(c)).sum::<usize>()
                    + t.rows.iter().flatten().map(String::len).sum::<usize>()
            }
            Section::Chart(c) => {
                localized(&c.title)
                    + c.labels.iter().map(|l| localized(l)).sum::<usize>()
                    + c.series.iter().map(|s| localized(&s.name) + s.values.len()).sum::<usize>()
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::plugins::bindings::convene::activity::types::{TableSection, TextSection};

    fn table(cells: usize, cell: &str) -> ActivityResults {
        let rows = vec![vec![cell.to_string(); cells]];
        ActivityResults { sections: vec![Section::Table(TableSection { title: vec![], columns: vec![], rows })] }
    }

    #[test]
    fn results_over_the_limit_are_refused_before_rendering_and_after() {
        // 10 cells of 100 bytes: over 900 bytes of text alone.
        let err = results(Ok(table(10, &"x".repeat(100))), 900).unwrap_err();
        assert!(err.contains("1000 bytes of text"), "{err}");
        // Under the limit as text, over it once rendered (quotes, commas, the envelope).
        let err = results(Ok(table(10, &"x".repeat(100))), 1_010).unwrap_err();
        assert!(err.starts_with("the results' JSON is "), "{err}");
        let served = results(Ok(table(10, &"x".repeat(100))), 2_000).unwrap().unwrap();
        assert!(served.starts_with(r#"{"sections":[{"#), "{served}");
    }

    #[test]
    fn text_that_looks_nested_is_served_as_text() {
        let deep = "[".repeat(1000);
        let r = ActivityResults { sections: vec![Section::Text(TextSection { title: vec![], body: vec![("en".into(), deep.clone())] })] };
        let served: Value = serde_json::from_str(&results(Ok(r), 1 << 20).unwrap().unwrap()).unwrap();
        assert_eq!(served["sections"][0]["body"]["en"], deep.as_str());
    }

    #[test]
    fn a_plugins_refusal_is_passed_on_not_judged() {
        assert_eq!(results(Err("no data".into()), 10).unwrap(), Err("no data".to_string()));
        let rejected = Validation::Rejected(vec![]);
        assert!(matches!(accepted_body(rejected), Ok(Validation::Rejected(_))));
    }

    #[test]
    fn accepted_bodies_and_configurations_follow_the_rules_of_input() {
        let big = Value::String("x".repeat(MAX_BODY_BYTES)).to_string();
        let err = accepted_body(Validation::Accepted(big)).unwrap_err();
        assert_eq!(err, format!("the accepted body is {} bytes; the limit is {MAX_BODY_BYTES}", MAX_BODY_BYTES + 2));
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(accepted_body(Validation::Accepted(deep)).unwrap_err().contains("more than 64 levels deep"));
        assert!(normalised_config(Ok("[]".into())).unwrap_err().contains("not a JSON object"));
        assert!(normalised_config(Ok(r#"{"a":1}"#.into())).is_ok());
    }
}
