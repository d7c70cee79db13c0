//! An idea box: anyone posts a short idea; results count them and list the latest.
//! The smallest useful activity type — copy this crate to start your own.

use convene_sdk::form::Field;
use convene_sdk::results::{table, text};
use convene_sdk::{Activity, ActivityInfo, ContributionKind, FieldError, Localized, Results, Submitter, Validation, Value, host, json, tr};

pub struct IdeaBox;

convene_sdk::export_activity!(IdeaBox);

impl Activity for IdeaBox {
    /// No configuration: any JSON object is accepted.
    type Config = Value;

    fn describe() -> ActivityInfo {
        ActivityInfo {
            id: "org.example.idea-box".into(),
            name: tr(&[("en", "Idea box"), ("es", "Buzón de ideas")]),
            version: env!("CARGO_PKG_VERSION").into(),
            description: tr(&[("en", "Short ideas from anyone"), ("es", "Ideas breves de cualquier persona")]),
            contribution_kinds: vec![ContributionKind {
                id: "idea".into(),
                name: tr(&[("en", "Idea"), ("es", "Idea")]),
                description: Localized::default(),
                fields: vec![Field::text("title").label(tr(&[("en", "Your idea"), ("es", "Su idea")])).length(3, 120).required().build()],
                remote_allowed: true,
                submitted_by: vec![],
            }],
            config_fields: vec![],
            results: vec![],
        }
    }

    fn validate_contribution(_config: &Value, kind: &str, body: &Value, _by: &Submitter) -> Validation {
        if kind != "idea" {
            return Validation::Rejected(vec![FieldError::new("kind", "an idea box takes `idea`")]);
        }
        match body.get("title").and_then(Value::as_str).map(str::trim) {
            Some(t) if (3..=120).contains(&t.chars().count()) => Validation::Accepted(json!({ "title": t })),
            _ => Validation::Rejected(vec![FieldError::new("title", "write 3 to 120 characters")]),
        }
    }

    fn compute_results(_config: &Value) -> Result<Results, String> {
        let ideas: Vec<String> = host::contributions(Some("idea"))
            .filter_map(|c| c.body.get("title").and_then(Value::as_str).map(str::to_string))
            .collect();
        Ok(Results {
            sections: vec![
                text(tr(&[("en", "Ideas")]), Localized::one("en", &format!("{} ideas", ideas.len()))),
                table(tr(&[("en", "Latest ideas")]), vec![tr(&[("en", "Idea")])], ideas.iter().rev().take(20).map(|t| vec![t.clone()]).collect()),
            ],
        })
    }
}

#[cfg(test)]
mod tests {
    use convene_sdk::testing::Harness;
    use convene_sdk::{Section, json};

    use super::IdeaBox;

    #[test]
    fn ideas_need_a_title_of_3_to_120_characters() {
        let mut h = Harness::<IdeaBox>::new(json!({})).unwrap();
        assert!(h.contribute("idea", json!({ "title": "  More benches in the park " })).is_accepted());
        assert_eq!(h.contribute("idea", json!({ "title": "no" })).errors()[0].field, "title");
        assert_eq!(h.contribute("vote", json!({})).errors()[0].field, "kind");
    }

    #[test]
    fn results_count_and_list_the_ideas() {
        let mut h = Harness::<IdeaBox>::new(json!({})).unwrap();
        for t in ["Shade trees", "Water fountains"] {
            h.contribute("idea", json!({ "title": t }));
        }
        let results = h.results().unwrap();
        match &results.sections[1] {
            Section::Table { rows, .. } => assert_eq!(rows[0][0], "Water fountains", "newest first"),
            other => panic!("{other:?}"),
        }
    }
}
