//! The pages' interface strings (Fluent, compiled into the binary) and the choice of the
//! reader's language: the account's setting, then the `lang` cookie the switcher sets, then
//! `Accept-Language`, then the instance's default. Dates and numbers are formatted for that
//! language here too, so templates never format by hand.
//!
//! Content (process titles, descriptions) has languages of its own; `Localized` picks the
//! reader's and says when it fell back to another, so the page can mark it with `lang` and a
//! visible note.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid, static_loader};

use crate::domain::localized::LocalizedText;

static_loader! {
    static LOCALES = {
        locales: "./src/http/pages/locales",
        fallback_language: "en",
        // Bidirectional isolation marks around arguments would end up in copied text and in
        // attributes; user text in pages is isolated with <bdi> instead.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The cookie the language switcher sets.
pub const LANG_COOKIE: &str = "lang";

/// The languages the interface is translated into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UiLang {
    En,
    Es,
    Fr,
}

pub const UI_LANGS: [UiLang; 3] = [UiLang::En, UiLang::Es, UiLang::Fr];

impl UiLang {
    pub fn code(self) -> &'static str {
        match self {
            UiLang::En => "en",
            UiLang::Es => "es",
            UiLang::Fr => "fr",
        }
    }

    /// The language's own name, for the switcher (always shown in that language).
    pub fn endonym(self) -> &'static str {
        match self {
            UiLang::En => "English",
            UiLang::Es => "Español",
            UiLang::Fr => "Français",
        }
    }

    /// The interface language for a tag such as `es`, `es-MX` or `FR`.
    pub fn from_tag(tag: &str) -> Option<UiLang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        UI_LANGS.into_iter().find(|l| l.code() == primary)
    }

    fn id(self) -> LanguageIdentifier {
        match self {
            UiLang::En => langid!("en"),
            UiLang::Es => langid!("es"),
            UiLang::Fr => langid!("fr"),
        }
    }
}

/// Picks the interface language, in the order the module comment gives.
pub fn negotiate(account: Option<&str>, cookie: Option<&str>, accept_language: Option<&str>, instance_default: &str) -> UiLang {
    account
        .and_then(UiLang::from_tag)
        .or_else(|| cookie.and_then(UiLang::from_tag))
        .or_else(|| accept_language.and_then(from_accept_language))
        .or_else(|| UiLang::from_tag(instance_default))
        .unwrap_or(UiLang::En)
}

/// The first language of an `Accept-Language` header we have, by quality (RFC 9110 §12.5.4).
fn from_accept_language(header: &str) -> Option<UiLang> {
    let mut offers: Vec<(f32, usize, UiLang)> = header
        .split(',')
        .enumerate()
        .filter_map(|(i, part)| {
            let mut bits = part.split(';');
            let lang = UiLang::from_tag(bits.next()?)?;
            let q = bits
                .find_map(|b| b.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()))
                .unwrap_or(1.0);
            (q > 0.0).then_some((q, i, lang))
        })
        .collect();
    offers.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    offers.first().map(|o| o.2)
}

/// Translations for one page view.
#[derive(Clone, Copy, Debug)]
pub struct Tr {
    pub lang: UiLang,
}

impl Tr {
    pub fn new(lang: UiLang) -> Tr {
        Tr { lang }
    }

    pub fn code(&self) -> &'static str {
        self.lang.code()
    }

    /// The interface string `key`. A missing key is a bug the key-coverage test catches; the
    /// page shows the key rather than failing.
    pub fn t(&self, key: &str) -> String {
        LOCALES.try_lookup(&self.lang.id(), key).unwrap_or_else(|| key.to_string())
    }

    /// The string `key` with arguments, e.g. `tr.a("contributions-count", &[("count", n.into())])`.
    pub fn a(&self, key: &str, args: &[(&'static str, Arg)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue<'static>> =
            args.iter().map(|(k, v)| (Cow::Borrowed(*k), v.to_fluent())).collect();
        LOCALES.try_lookup_with_args(&self.lang.id(), key, &args).unwrap_or_else(|| key.to_string())
    }

    /// Shorthand for one text argument.
    pub fn a1(&self, key: &str, name: &'static str, value: impl ToString) -> String {
        self.a(key, &[(name, Arg::Text(value.to_string()))])
    }

    /// Shorthand for one number argument (plural rules apply).
    pub fn n(&self, key: &str, name: &'static str, value: impl Count) -> String {
        self.a(key, &[(name, Arg::Number(value.count() as f64))])
    }

    /// A whole number with the locale's grouping: 12,345 / 12.345 / 12 345.
    pub fn number(&self, n: i64) -> String {
        let digits = n.unsigned_abs().to_string();
        let sep = match self.lang {
            UiLang::En => ",",
            UiLang::Es => ".",
            // A narrow no-break space, as French typography has it.
            UiLang::Fr => "\u{202f}",
        };
        // Spanish groups only from five digits (RAE: 1000 but 10.000).
        let group = !(self.lang == UiLang::Es && digits.len() <= 4);
        let mut out = String::with_capacity(digits.len() + 4);
        for (i, c) in digits.chars().enumerate() {
            if group && i > 0 && (digits.len() - i) % 3 == 0 {
                out.push_str(sep);
            }
            out.push(c);
        }
        if n < 0 { format!("-{out}") } else { out }
    }

    /// A share as a whole percentage: 42 % in French and Spanish, 42% in English.
    pub fn percent(&self, part: i64, whole: i64) -> String {
        let p = if whole > 0 { (part as f64 * 100.0 / whole as f64).round() as i64 } else { 0 };
        match self.lang {
            UiLang::En => format!("{p}%"),
            UiLang::Es | UiLang::Fr => format!("{p}\u{a0}%"),
        }
    }

    /// A calendar date in words: 3 March 2027 / 3 de marzo de 2027 / 3 mars 2027.
    pub fn date(&self, d: NaiveDate) -> String {
        let month = self.t(&format!("month-{}", d.month()));
        match self.lang {
            UiLang::En => format!("{} {month} {}", d.day(), d.year()),
            UiLang::Es => format!("{} de {month} de {}", d.day(), d.year()),
            UiLang::Fr => format!("{} {month} {}", if d.day() == 1 { "1er".to_string() } else { d.day().to_string() }, d.year()),
        }
    }

    /// A moment as its date and UTC time; the instance's readers may be in any time zone.
    pub fn datetime(&self, t: DateTime<Utc>) -> String {
        format!("{}, {} UTC", self.date(t.date_naive()), t.format("%H:%M"))
    }

    /// Content in the reader's language, else the content's own default, else any.
    pub fn pick<'a>(&self, text: &'a LocalizedText, content_default: &str) -> Localized<'a> {
        Localized::pick(text, self.code(), content_default)
    }
}

/// Whole numbers of any type, however referenced (templates pass `&&i64`).
pub trait Count {
    fn count(&self) -> i64;
}

impl Count for i64 {
    fn count(&self) -> i64 {
        *self
    }
}

impl Count for i32 {
    fn count(&self) -> i64 {
        i64::from(*self)
    }
}

impl Count for u64 {
    fn count(&self) -> i64 {
        i64::try_from(*self).unwrap_or(i64::MAX)
    }
}

impl Count for usize {
    fn count(&self) -> i64 {
        i64::try_from(*self).unwrap_or(i64::MAX)
    }
}

impl<T: Count + ?Sized> Count for &T {
    fn count(&self) -> i64 {
        (**self).count()
    }
}

/// A Fluent argument.
#[derive(Clone, Debug)]
pub enum Arg {
    Text(String),
    Number(f64),
}

impl Arg {
    fn to_fluent(&self) -> FluentValue<'static> {
        match self {
            Arg::Text(s) => FluentValue::from(s.clone()),
            Arg::Number(n) => FluentValue::from(*n),
        }
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_string())
    }
}

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Text(s)
    }
}

impl From<i64> for Arg {
    fn from(n: i64) -> Arg {
        Arg::Number(n as f64)
    }
}

/// A piece of content in the language it is actually in.
#[derive(Clone, Debug)]
pub struct Localized<'a> {
    pub text: &'a str,
    /// The language of `text` (for the `lang` attribute).
    pub lang: String,
    /// Whether the text is right to left (for the `dir` attribute).
    pub rtl: bool,
    /// The reader's language was not available and this is another.
    pub fallback: bool,
}

impl<'a> Localized<'a> {
    pub fn pick(text: &'a LocalizedText, wanted: &str, content_default: &str) -> Localized<'a> {
        let (lang, text, fallback) = if let Some(t) = text.get(wanted) {
            (wanted.to_string(), t, false)
        } else if let Some(t) = text.get(content_default) {
            (content_default.to_string(), t, true)
        } else if let Some((l, t)) = text.iter().next() {
            (l.clone(), t.as_str(), true)
        } else {
            (wanted.to_string(), "", false)
        };
        let rtl = crate::domain::language::Language::parse(&lang).map(|l| l.is_rtl()).unwrap_or(false);
        Localized { text, lang, rtl, fallback }
    }

    pub fn dir(&self) -> &'static str {
        if self.rtl { "rtl" } else { "ltr" }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use super::*;

    /// Every message id defined in one language's `.ftl` files.
    fn keys(lang: &str) -> BTreeSet<String> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/http/pages/locales").join(lang);
        let mut keys = BTreeSet::new();
        for entry in std::fs::read_dir(&dir).expect("the locale folder exists") {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "ftl") {
                for line in std::fs::read_to_string(&path).unwrap().lines() {
                    if let Some((id, _)) = line.split_once(" =")
                        && !id.is_empty()
                        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                    {
                        assert!(keys.insert(id.to_string()), "{lang}: `{id}` is defined twice ({})", path.display());
                    }
                }
            }
        }
        keys
    }

    #[test]
    fn every_key_is_translated_into_every_language() {
        let en = keys("en");
        assert!(en.len() > 20, "the English strings are read ({} keys)", en.len());
        for lang in ["es", "fr"] {
            let other = keys(lang);
            let missing: Vec<_> = en.difference(&other).collect();
            let extra: Vec<_> = other.difference(&en).collect();
            assert!(missing.is_empty(), "{lang} lacks {missing:?}");
            assert!(extra.is_empty(), "{lang} has keys English lacks: {extra:?}");
        }
    }

    #[test]
    fn every_key_used_in_code_and_templates_exists() {
        // Keys appear in code and templates as tr.t("key"), tr.a("key", ...), tr.a1(...),
        // tr.n(...); a typo would show the key to readers.
        let en = keys("en");
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/http/pages");
        let mut missing = Vec::new();
        let mut stack = vec![root];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                // This file's own examples are not keys.
                if !path.extension().is_some_and(|e| e == "rs" || e == "html") || path.ends_with("i18n.rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for call in [".t(\"", ".a(\"", ".a1(\"", ".n(\""] {
                    for (i, _) in text.match_indices(call) {
                        let rest = &text[i + call.len()..];
                        let key: String = rest.chars().take_while(|c| *c != '"').collect();
                        if !key.is_empty() && !key.contains('{') && !en.contains(&key) {
                            missing.push(format!("{}: {key}", path.display()));
                        }
                    }
                }
            }
        }
        assert!(missing.is_empty(), "keys used but not defined in English: {missing:#?}");
    }

    #[test]
    fn negotiation_follows_account_then_cookie_then_header_then_default() {
        assert_eq!(negotiate(Some("fr"), Some("es"), Some("en"), "en"), UiLang::Fr);
        assert_eq!(negotiate(None, Some("es"), Some("fr"), "en"), UiLang::Es);
        assert_eq!(negotiate(None, None, Some("de-DE, fr;q=0.8, es;q=0.9"), "en"), UiLang::Es);
        assert_eq!(negotiate(None, Some("xx"), Some("de"), "fr"), UiLang::Fr);
        assert_eq!(negotiate(Some("ar"), None, None, "es"), UiLang::Es);
    }

    #[test]
    fn numbers_and_dates_follow_the_locale() {
        assert_eq!(Tr::new(UiLang::En).number(1234567), "1,234,567");
        assert_eq!(Tr::new(UiLang::Es).number(1234), "1234");
        assert_eq!(Tr::new(UiLang::Es).number(12345), "12.345");
        assert_eq!(Tr::new(UiLang::Fr).number(12345), "12\u{202f}345");
        let d = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
        assert_eq!(Tr::new(UiLang::En).date(d), "1 March 2027");
        assert_eq!(Tr::new(UiLang::Es).date(d), "1 de marzo de 2027");
        assert_eq!(Tr::new(UiLang::Fr).date(d), "1er mars 2027");
    }

    #[test]
    fn content_falls_back_visibly() {
        let text = LocalizedText::from_stored(serde_json::json!({"ar": "مرحبا", "en": "Hello"}));
        let picked = Localized::pick(&text, "fr", "ar");
        assert_eq!((picked.text, picked.lang.as_str(), picked.rtl, picked.fallback), ("مرحبا", "ar", true, true));
        let picked = Localized::pick(&text, "en", "ar");
        assert!(!picked.fallback && !picked.rtl);
    }
}
