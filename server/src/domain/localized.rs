//! Text in several languages: one entry per language the instance offers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::errors::{FieldError, FieldErrors};
use super::language::Language;
use super::text::bounded;

/// A map from language tag to text, e.g. `{"en": "Budget", "es": "Presupuesto"}`, holding only
/// languages the instance offers, each entry non-empty and within its limit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct LocalizedText(BTreeMap<String, String>);

/// Limits for one kind of localized text.
#[derive(Clone, Copy)]
pub struct TextRule {
    pub max_chars: usize,
    pub multiline: bool,
}

impl LocalizedText {
    pub fn parse(
        field: &str,
        raw: &BTreeMap<String, String>,
        offered: &[Language],
        rule: TextRule,
    ) -> Result<LocalizedText, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut out = BTreeMap::new();
        if raw.is_empty() {
            errors.push(FieldError::new(field, "give the text in at least one language"));
        }
        for (tag, text) in raw {
            let path = format!("{field}.{tag}");
            let lang = match Language::parse(tag) {
                Ok(l) if offered.contains(&l) => l,
                Ok(l) => {
                    let list: Vec<&str> = offered.iter().map(Language::as_str).collect();
                    errors.push(FieldError::new(
                        path,
                        format!("this instance does not offer `{l}`; it offers {}", list.join(", ")),
                    ));
                    continue;
                }
                Err(p) => {
                    errors.push(FieldError::new(path, p));
                    continue;
                }
            };
            match bounded(&path, text, rule.max_chars, rule.multiline) {
                Ok(t) => {
                    out.insert(lang.as_str().to_string(), t);
                }
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() { Ok(LocalizedText(out)) } else { Err(errors) }
    }

    /// Parses required text, adding any problems to `errors` (so one request reports them all).
    pub fn required(errors: &mut FieldErrors, field: &str, raw: &BTreeMap<String, String>, offered: &[Language], rule: TextRule) -> LocalizedText {
        LocalizedText::parse(field, raw, offered, rule).unwrap_or_else(|e| {
            errors.extend(e);
            LocalizedText::default()
        })
    }

    /// Parses optional text: an empty map is allowed and stays empty.
    pub fn optional(errors: &mut FieldErrors, field: &str, raw: &BTreeMap<String, String>, offered: &[Language], rule: TextRule) -> LocalizedText {
        if raw.is_empty() {
            return LocalizedText::default();
        }
        LocalizedText::required(errors, field, raw, offered, rule)
    }

    /// Rebuilds from storage, where values were validated on the way in.
    pub fn from_stored(value: serde_json::Value) -> LocalizedText {
        serde_json::from_value(value).unwrap_or_default()
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(&self.0).expect("a string map always serialises")
    }

    pub fn get(&self, lang: &str) -> Option<&str> {
        self.0.get(lang).map(String::as_str)
    }

    pub fn has(&self, lang: &Language) -> bool {
        self.0.contains_key(lang.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The text in `lang`, else in `fallback`, else in any language.
    pub fn best(&self, lang: &str, fallback: &str) -> &str {
        self.get(lang)
            .or_else(|| self.get(fallback))
            .or_else(|| self.0.values().next().map(String::as_str))
            .unwrap_or("")
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.0.iter()
    }

    pub fn map(&self, f: impl Fn(&str) -> String) -> LocalizedText {
        LocalizedText(self.0.iter().map(|(k, v)| (k.clone(), f(v))).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn langs() -> Vec<Language> {
        vec![Language::parse("en").unwrap(), Language::parse("es").unwrap()]
    }

    #[test]
    fn names_the_language_that_is_wrong() {
        let rule = TextRule { max_chars: 10, multiline: false };
        let mut raw = BTreeMap::new();
        raw.insert("en".to_string(), "Budget".to_string());
        raw.insert("de".to_string(), "Haushalt".to_string());
        let errs = LocalizedText::parse("title", &raw, &langs(), rule).unwrap_err();
        assert_eq!(errs[0].field, "title.de");
        raw.remove("de");
        raw.insert("ES".to_string(), "Presupuesto largo".to_string());
        let errs = LocalizedText::parse("title", &raw, &langs(), rule).unwrap_err();
        assert_eq!(errs[0].field, "title.ES");
        assert!(errs[0].problem.contains("limit is 10"));
        assert!(LocalizedText::parse("title", &BTreeMap::new(), &langs(), rule).is_err());
    }
}
