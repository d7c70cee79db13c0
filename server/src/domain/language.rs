//! Language tags (a practical subset of BCP 47: `en`, `es`, `pt-BR`, `zh-Hant`).

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Language(String);

impl Language {
    pub fn parse(tag: &str) -> Result<Language, String> {
        let mut parts = tag.split('-');
        let primary = parts.next().unwrap_or_default();
        let primary_ok = (2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic());
        let rest: Vec<&str> = parts.collect();
        let rest_ok = rest.len() <= 1
            && rest.iter().all(|p| {
                (p.len() == 2 && p.chars().all(|c| c.is_ascii_alphabetic()))
                    || (p.len() == 3 && p.chars().all(|c| c.is_ascii_digit()))
                    || (p.len() == 4 && p.chars().all(|c| c.is_ascii_alphabetic()))
            });
        if !primary_ok || !rest_ok {
            return Err(format!("`{tag}` is not a language tag like en, es or pt-BR"));
        }
        let mut normal = primary.to_ascii_lowercase();
        if let Some(sub) = rest.first() {
            normal.push('-');
            match sub.len() {
                2 => normal.push_str(&sub.to_ascii_uppercase()),
                4 => {
                    let mut c = sub.chars();
                    normal.extend(c.next().map(|f| f.to_ascii_uppercase()));
                    normal.push_str(&c.as_str().to_ascii_lowercase());
                }
                _ => normal.push_str(sub),
            }
        }
        Ok(Language(normal))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Languages written right to left, for the `dir` attribute of pages.
    pub fn is_rtl(&self) -> bool {
        matches!(self.0.split('-').next(), Some("ar" | "he" | "fa" | "ur" | "ps" | "yi"))
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_normalises() {
        assert_eq!(Language::parse("EN").unwrap().as_str(), "en");
        assert_eq!(Language::parse("pt-br").unwrap().as_str(), "pt-BR");
        assert_eq!(Language::parse("es-419").unwrap().as_str(), "es-419");
        assert_eq!(Language::parse("zh-hant").unwrap().as_str(), "zh-Hant");
        for bad in ["", "e", "english", "en_GB", "en-", "en-GB-x", "1a"] {
            assert!(Language::parse(bad).is_err(), "{bad} should be refused");
        }
        assert!(Language::parse("ar").unwrap().is_rtl());
    }
}
