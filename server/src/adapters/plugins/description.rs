//! What a plugin declares in `describe` is shown to people and written to logs: its type id
//! in `convene plugin list`, metrics and URLs; kind ids, field names, labels and its version in
//! forms, errors and the admin API. It is checked once, at load, so that nothing unfit is ever
//! registered: the type id must be a reverse-DNS name, keys short printable single lines, names
//! and labels printable single lines, descriptions and help printable text. A refusal names
//! the place (`contribution_kinds[1].fields[0].label.en`) and quotes the value escaped.

use super::bindings::convene::activity::types::{ActivityType, Choice, FieldKind, FormField, FormFieldLeaf, LeafKind, Localized};
use crate::domain::plugin_text::{excerpt, printable, type_id};

/// Keys: kind ids, field names, choice values, result ids, language tags, the version.
const MAX_KEY_BYTES: usize = 128;
/// Names and labels, per language.
const MAX_NAME_CHARS: usize = 300;
/// Descriptions and help, per language.
const MAX_TEXT_CHARS: usize = 20_000;

/// Checks everything `describe` returned; the error says what and where.
pub fn check(info: &ActivityType) -> Result<(), String> {
    type_id(&info.id)?;
    let mut c = Checker::default();
    c.key("version", &info.version);
    c.name("name", &info.name);
    c.text("description", &info.description);
    for (i, kind) in info.contribution_kinds.iter().enumerate() {
        let at = format!("contribution_kinds[{i}]");
        c.key(&format!("{at}.id"), &kind.id);
        c.name(&format!("{at}.name"), &kind.name);
        c.text(&format!("{at}.description"), &kind.description);
        c.fields(&format!("{at}.fields"), &kind.fields);
    }
    c.fields("config_fields", &info.config_fields);
    for (i, result) in info.results.iter().enumerate() {
        let at = format!("results[{i}]");
        c.key(&format!("{at}.id"), &result.id);
        c.name(&format!("{at}.name"), &result.name);
        c.text(&format!("{at}.description"), &result.description);
    }
    match c.problem {
        None => Ok(()),
        Some(problem) => Err(format!("describe returned {problem}; plugins must declare printable names (see sdk/README.md)")),
    }
}

/// Walks the description and keeps the first problem found.
#[derive(Default)]
struct Checker {
    problem: Option<String>,
}

impl Checker {
    fn refuse(&mut self, at: &str, value: &str, why: &str) {
        self.problem.get_or_insert_with(|| format!("`{}` for {at}, which {why}", excerpt(value)));
    }

    fn key(&mut self, at: &str, value: &str) {
        if value.is_empty() || value.len() > MAX_KEY_BYTES || !printable(value, false) || value.trim() != value {
            self.refuse(at, value, &format!("must be 1 to {MAX_KEY_BYTES} bytes of printable text on one line, without surrounding spaces"));
        }
    }

    fn localized(&mut self, at: &str, texts: &Localized, max_chars: usize, multiline: bool) {
        for (lang, text) in texts {
            self.key(&format!("{at} (language tag)"), lang);
            let at = format!("{at}.{}", excerpt(lang));
            if text.chars().count() > max_chars {
                self.refuse(&at, text, &format!("is over {max_chars} characters long"));
            } else if !printable(text, multiline) {
                let what = if multiline { "must be printable text (newlines and tabs allowed)" } else { "must be printable text on one line" };
                self.refuse(&at, text, what);
            }
        }
    }

    fn name(&mut self, at: &str, texts: &Localized) {
        self.localized(at, texts, MAX_NAME_CHARS, false);
    }

    fn text(&mut self, at: &str, texts: &Localized) {
        self.localized(at, texts, MAX_TEXT_CHARS, true);
    }

    fn choices(&mut self, at: &str, choices: &[Choice]) {
        for (i, choice) in choices.iter().enumerate() {
            self.key(&format!("{at}[{i}].value"), &choice.value);
            self.name(&format!("{at}[{i}].label"), &choice.label);
        }
    }

    fn field_head(&mut self, at: &str, name: &str, label: &Localized, help: &Localized) {
        self.key(&format!("{at}.name"), name);
        self.name(&format!("{at}.label"), label);
        self.text(&format!("{at}.help"), help);
    }

    fn fields(&mut self, at: &str, fields: &[FormField]) {
        for (i, field) in fields.iter().enumerate() {
            let at = format!("{at}[{i}]");
            self.field_head(&at, &field.name, &field.label, &field.help);
            match &field.kind {
                FieldKind::SingleChoice(choices) | FieldKind::Ranking(choices) => self.choices(&format!("{at}.choices"), choices),
                FieldKind::MultipleChoice(limits) => self.choices(&format!("{at}.choices"), &limits.choices),
                FieldKind::Scale(scale) => {
                    self.name(&format!("{at}.min_label"), &scale.min_label);
                    self.name(&format!("{at}.max_label"), &scale.max_label);
                }
                FieldKind::Repeated(leaves) => self.leaves(&format!("{at}.fields"), leaves),
                FieldKind::Text(_) | FieldKind::LongText(_) | FieldKind::Number(_) | FieldKind::YesNo | FieldKind::Date => {}
            }
        }
    }

    fn leaves(&mut self, at: &str, leaves: &[FormFieldLeaf]) {
        for (i, leaf) in leaves.iter().enumerate() {
            let at = format!("{at}[{i}]");
            self.field_head(&at, &leaf.name, &leaf.label, &leaf.help);
            if let LeafKind::SingleChoice(choices) = &leaf.kind {
                self.choices(&format!("{at}.choices"), choices);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::bindings::convene::activity::types::{ContributionKind, TextLimits};
    use super::*;

    fn valid() -> ActivityType {
        let en = |s: &str| vec![("en".to_string(), s.to_string())];
        ActivityType {
            id: "org.example.idea-box".into(),
            name: en("Idea box"),
            version: "1.2.3".into(),
            description: en("Collect ideas.\n\nTwo paragraphs."),
            contribution_kinds: vec![ContributionKind {
                id: "idea".into(),
                name: en("Idea"),
                description: vec![],
                fields: vec![FormField {
                    name: "title".into(),
                    label: en("Title"),
                    help: en("One line"),
                    required: true,
                    kind: FieldKind::SingleChoice(vec![Choice { value: "a".into(), label: en("A") }]),
                }],
                remote_allowed: false,
                submitted_by: vec![],
            }],
            config_fields: vec![FormField {
                name: "items".into(),
                label: en("Items"),
                help: vec![],
                required: false,
                kind: FieldKind::Repeated(vec![FormFieldLeaf {
                    name: "text".into(),
                    label: en("Text"),
                    help: vec![],
                    required: true,
                    kind: LeafKind::Text(TextLimits { min_length: 1, max_length: 10 }),
                }]),
            }],
            results: vec![],
        }
    }

    #[test]
    fn a_printable_description_passes_and_each_unfit_name_is_refused_where_it_is() {
        assert_eq!(check(&valid()), Ok(()));
        let refused = |spoil: &dyn Fn(&mut ActivityType)| {
            let mut info = valid();
            spoil(&mut info);
            check(&info).unwrap_err()
        };
        let leaf = |name: &str| FormFieldLeaf { name: name.into(), label: vec![], help: vec![], required: false, kind: LeafKind::Date };
        for (problem, expected) in [
            (refused(&|i| i.id = "test.hostile\n<b>x</b>".into()), "reverse-DNS"),
            (refused(&|i| i.version = "1.0\r\nFAKE".into()), "for version"),
            (refused(&|i| i.name[0].1 = "Idea\nbox".into()), "for name.en"),
            (refused(&|i| i.description[0].1 = "esc \x1b[2J".into()), "for description.en"),
            (refused(&|i| i.contribution_kinds[0].id = "idea\u{202E}".into()), "for contribution_kinds[0].id"),
            (refused(&|i| i.contribution_kinds[0].fields[0].name = String::new()), "for contribution_kinds[0].fields[0].name"),
            (refused(&|i| i.contribution_kinds[0].fields[0].label = vec![("en\n".into(), "x".into())]), "language tag"),
            (refused(&|i| i.config_fields[0].kind = FieldKind::Repeated(vec![leaf("a\tb")])), "for config_fields[0].fields[0].name"),
            (refused(&|i| i.name[0].1 = "x".repeat(MAX_NAME_CHARS + 1)), "over 300 characters"),
        ] {
            assert!(problem.contains(expected), "{expected}: {problem}");
            assert!(!problem.chars().any(char::is_control), "{problem:?}");
        }
    }
}
