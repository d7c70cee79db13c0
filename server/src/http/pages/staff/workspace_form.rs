//! The process form of the workspace: what was typed (read from the posted pairs, whose names
//! are made per language and per row), the rows added and removed without JavaScript, the
//! conversion to the app's input, and the app's field errors tied to the form's controls.
//!
//! Names follow the app's field paths with dots: `title.en`, `phases.1.starts_on`,
//! `commitments.0.measure.days`; a control's id is its name with `-` for `.`, so that an
//! error about `phases[1].starts_on` finds the control `phases-1-starts_on`.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::app::processes::{CommitmentInput, MilestoneInput, NewProcess, PhaseInput, ProcessPatch, ProcessView};
use crate::domain::errors::FieldError;
use crate::domain::localized::LocalizedText;
use crate::domain::process::{Iap2Level, Measure, Scope, Visibility};
use crate::http::pages::i18n::{Tr, UiLang};

type Texts = BTreeMap<String, String>;

/// Most rows of each kind a form may have (the app's limits are lower; this only keeps a
/// forged post from making a huge page).
const MAX_ROWS: usize = 60;
/// Most languages in one form.
const MAX_LANGS: usize = 20;

#[derive(Clone, Debug, Default)]
pub struct PhaseRow {
    pub name: Texts,
    pub description: Texts,
    pub starts_on: String,
    pub ends_on: String,
}

#[derive(Clone, Debug, Default)]
pub struct MilestoneRow {
    pub title: Texts,
    pub description: Texts,
    pub due_on: String,
}

#[derive(Clone, Debug, Default)]
pub struct CommitmentRow {
    pub text: Texts,
    /// "", "respond_within_days" or "publish_outcome_within_days".
    pub measure: String,
    pub days: String,
}

/// Everything the process form holds, as typed.
#[derive(Clone, Debug, Default)]
pub struct ProcessForm {
    /// The languages the form has inputs for, in order.
    pub langs: Vec<String>,
    pub slug: String,
    pub title: Texts,
    pub summary: Texts,
    pub description: Texts,
    pub scope: String,
    pub topics: Vec<String>,
    pub iap2_level: String,
    pub visibility: String,
    pub default_language: String,
    pub parent: String,
    /// The parent as the form first showed it: the parent is sent only when it changed, so
    /// that a parent the editor cannot see is never unlinked by saving.
    pub parent_was: String,
    pub phases: Vec<PhaseRow>,
    pub milestones: Vec<MilestoneRow>,
    pub commitments: Vec<CommitmentRow>,
}

/// What a post of the form asks for besides saving.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Intent {
    Save,
    Preview,
    /// A row or a language added or removed: shown again, nothing saved.
    Edit,
}

fn texts(t: &LocalizedText) -> Texts {
    t.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// A language's name for labels: its own name when the interface knows it, else its tag.
pub fn lang_name(tag: &str) -> String {
    match UiLang::from_tag(tag) {
        Some(l) if l.code() == tag => l.endonym().to_string(),
        _ => tag.to_string(),
    }
}

/// The id of the control named `name`.
pub fn id_of(name: &str) -> String {
    name.replace('.', "-")
}

impl ProcessForm {
    /// An empty form for a new process, in the instance's default language.
    pub fn new_process(default_language: &str) -> ProcessForm {
        ProcessForm {
            langs: vec![default_language.to_string()],
            default_language: default_language.to_string(),
            visibility: Visibility::Public.as_str().to_string(),
            ..Default::default()
        }
    }

    /// The stored process, to edit.
    pub fn from_view(p: &ProcessView) -> ProcessForm {
        let mut langs: Vec<String> = vec![p.default_language.clone()];
        let mut seen = |t: &LocalizedText| {
            for (k, _) in t.iter() {
                if !langs.contains(k) {
                    langs.push(k.clone());
                }
            }
        };
        seen(&p.title);
        seen(&p.summary);
        seen(&p.description);
        for ph in &p.phases {
            seen(&ph.name);
        }
        let parent = p.parent.as_ref().map(|r| r.slug.clone()).unwrap_or_default();
        ProcessForm {
            langs,
            slug: p.slug.clone(),
            title: texts(&p.title),
            summary: texts(&p.summary),
            description: texts(&p.description),
            scope: p.scope.as_str().to_string(),
            topics: p.topics.clone(),
            iap2_level: p.iap2_level.as_str().to_string(),
            visibility: p.visibility.as_str().to_string(),
            default_language: p.default_language.clone(),
            parent_was: parent.clone(),
            parent,
            phases: p
                .phases
                .iter()
                .map(|ph| PhaseRow {
                    name: texts(&ph.name),
                    description: texts(&ph.description),
                    starts_on: ph.starts_on.to_string(),
                    ends_on: ph.ends_on.to_string(),
                })
                .collect(),
            milestones: p
                .milestones
                .iter()
                .map(|m| MilestoneRow { title: texts(&m.title), description: texts(&m.description), due_on: m.due_on.to_string() })
                .collect(),
            commitments: p
                .commitments
                .iter()
                .map(|c| CommitmentRow {
                    text: texts(&c.text),
                    measure: c.measure.map(|m| m.kind().to_string()).unwrap_or_default(),
                    days: c.measure.map(|m| m.days().to_string()).unwrap_or_default(),
                })
                .collect(),
        }
    }

    /// Reads a posted form, applying its add and remove buttons; says what else was asked.
    /// `offered` are the instance's languages (a language is added only if offered).
    pub fn from_pairs(pairs: &[(String, String)], offered: &[String]) -> (ProcessForm, Intent) {
        let mut f = ProcessForm::default();
        let count = |name: &str| -> usize {
            pairs.iter().find(|(k, _)| k == name).and_then(|(_, v)| v.trim().parse::<usize>().ok()).unwrap_or(0).min(MAX_ROWS)
        };
        f.phases = vec![PhaseRow::default(); count("phase_rows")];
        f.milestones = vec![MilestoneRow::default(); count("milestone_rows")];
        f.commitments = vec![CommitmentRow::default(); count("commitment_rows")];
        let mut intent = Intent::Save;
        let mut remove: Option<(&str, usize)> = None;
        let mut add: Vec<&str> = Vec::new();
        let mut new_lang = String::new();
        for (k, v) in pairs {
            let v_owned = v.clone();
            match k.as_str() {
                "lang" => {
                    if offered.contains(v) && !f.langs.contains(v) && f.langs.len() < MAX_LANGS {
                        f.langs.push(v_owned);
                    }
                }
                "slug" => f.slug = v_owned,
                "scope" => f.scope = v_owned,
                "topic" => {
                    if !f.topics.contains(v) && f.topics.len() < MAX_ROWS {
                        f.topics.push(v_owned)
                    }
                }
                "iap2_level" => f.iap2_level = v_owned,
                "visibility" => f.visibility = v_owned,
                "default_language" => f.default_language = v_owned,
                "parent" => f.parent = v_owned,
                "parent_was" => f.parent_was = v_owned,
                "new_lang" => new_lang = v_owned,
                "preview" => intent = Intent::Preview,
                "add_lang" => add.push("lang"),
                "add_phase" => add.push("phase"),
                "add_milestone" => add.push("milestone"),
                "add_commitment" => add.push("commitment"),
                "remove_phase" | "remove_milestone" | "remove_commitment" => {
                    if let Ok(i) = v.trim().parse::<usize>() {
                        remove = Some((&k[7..], i));
                    }
                }
                _ => f.put(k, v_owned),
            }
        }
        // Text in a language the form does not list is kept only if the instance offers it.
        if !add.is_empty() || remove.is_some() {
            intent = Intent::Edit;
        }
        for what in add {
            match what {
                "lang" => {
                    if offered.contains(&new_lang) && !f.langs.contains(&new_lang) && f.langs.len() < MAX_LANGS {
                        f.langs.push(new_lang.clone());
                    }
                }
                "phase" if f.phases.len() < MAX_ROWS => f.phases.push(PhaseRow::default()),
                "milestone" if f.milestones.len() < MAX_ROWS => f.milestones.push(MilestoneRow::default()),
                "commitment" if f.commitments.len() < MAX_ROWS => f.commitments.push(CommitmentRow::default()),
                _ => {}
            }
        }
        match remove {
            Some(("phase", i)) if i < f.phases.len() => {
                f.phases.remove(i);
            }
            Some(("milestone", i)) if i < f.milestones.len() => {
                f.milestones.remove(i);
            }
            Some(("commitment", i)) if i < f.commitments.len() => {
                f.commitments.remove(i);
            }
            _ => {}
        }
        (f, intent)
    }

    /// One per-language or per-row field.
    fn put(&mut self, name: &str, value: String) {
        let parts: Vec<&str> = name.split('.').collect();
        let langs = &self.langs;
        let lang_ok = |l: &str| langs.iter().any(|x| x == l);
        match parts.as_slice() {
            ["title", l] if lang_ok(*l) => {
                self.title.insert(l.to_string(), value);
            }
            ["summary", l] if lang_ok(*l) => {
                self.summary.insert(l.to_string(), value);
            }
            ["description", l] if lang_ok(*l) => {
                self.description.insert(l.to_string(), value);
            }
            [list, i, rest @ ..] => {
                let Ok(i) = i.parse::<usize>() else { return };
                match (*list, rest) {
                    ("phases", ["name", l]) if lang_ok(*l) => {
                        if let Some(r) = self.phases.get_mut(i) {
                            r.name.insert(l.to_string(), value);
                        }
                    }
                    ("phases", ["description", l]) if lang_ok(*l) => {
                        if let Some(r) = self.phases.get_mut(i) {
                            r.description.insert(l.to_string(), value);
                        }
                    }
                    ("phases", ["starts_on"]) => {
                        if let Some(r) = self.phases.get_mut(i) {
                            r.starts_on = value;
                        }
                    }
                    ("phases", ["ends_on"]) => {
                        if let Some(r) = self.phases.get_mut(i) {
                            r.ends_on = value;
                        }
                    }
                    ("milestones", ["title", l]) if lang_ok(*l) => {
                        if let Some(r) = self.milestones.get_mut(i) {
                            r.title.insert(l.to_string(), value);
                        }
                    }
                    ("milestones", ["description", l]) if lang_ok(*l) => {
                        if let Some(r) = self.milestones.get_mut(i) {
                            r.description.insert(l.to_string(), value);
                        }
                    }
                    ("milestones", ["due_on"]) => {
                        if let Some(r) = self.milestones.get_mut(i) {
                            r.due_on = value;
                        }
                    }
                    ("commitments", ["text", l]) if lang_ok(*l) => {
                        if let Some(r) = self.commitments.get_mut(i) {
                            r.text.insert(l.to_string(), value);
                        }
                    }
                    ("commitments", ["measure", "kind"]) => {
                        if let Some(r) = self.commitments.get_mut(i) {
                            r.measure = value;
                        }
                    }
                    ("commitments", ["measure", "days"]) => {
                        if let Some(r) = self.commitments.get_mut(i) {
                            r.days = value;
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }

    /// The text of `map` in `lang`, for a control's value.
    pub fn text<'a>(map: &'a Texts, lang: &str) -> &'a str {
        map.get(lang).map(String::as_str).unwrap_or("")
    }

    /// Every control id of the form, in order (errors link to them).
    pub fn ids(&self) -> Vec<String> {
        let mut ids = vec!["slug".to_string()];
        for field in ["title", "summary", "description"] {
            ids.extend(self.langs.iter().map(|l| format!("{field}-{l}")));
        }
        ids.extend(["scope", "topics", "iap2_level", "visibility", "default_language", "parent"].map(String::from));
        ids.push("phases".into());
        for i in 0..self.phases.len() {
            ids.extend(self.langs.iter().map(|l| format!("phases-{i}-name-{l}")));
            ids.extend(self.langs.iter().map(|l| format!("phases-{i}-description-{l}")));
            ids.push(format!("phases-{i}-starts_on"));
            ids.push(format!("phases-{i}-ends_on"));
        }
        ids.push("milestones".into());
        for i in 0..self.milestones.len() {
            ids.extend(self.langs.iter().map(|l| format!("milestones-{i}-title-{l}")));
            ids.extend(self.langs.iter().map(|l| format!("milestones-{i}-description-{l}")));
            ids.push(format!("milestones-{i}-due_on"));
        }
        ids.push("commitments".into());
        for i in 0..self.commitments.len() {
            ids.extend(self.langs.iter().map(|l| format!("commitments-{i}-text-{l}")));
            ids.push(format!("commitments-{i}-measure-kind"));
            ids.push(format!("commitments-{i}-measure-days"));
        }
        ids
    }

    /// The form as the app's input; problems the form itself finds (a date that is not a
    /// date, a choice not made) come back as errors at their controls.
    pub fn to_input(&self, tr: &Tr) -> Result<NewProcess, Problems> {
        let mut errors = Problems::default();
        let filled = |m: &Texts| -> Texts { m.iter().filter(|(_, v)| !v.trim().is_empty()).map(|(k, v)| (k.clone(), v.clone())).collect() };
        let date = |errors: &mut Problems, id: String, raw: &str| -> NaiveDate {
            match NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d") {
                Ok(d) => d,
                Err(_) => {
                    let key = if raw.trim().is_empty() { "workspace-error-date-empty" } else { "workspace-error-date-format" };
                    errors.push(id, tr.t(key));
                    NaiveDate::default()
                }
            }
        };
        let scope = Scope::from_stored(&self.scope);
        if scope.is_none() {
            errors.push("scope", tr.t("workspace-error-scope"));
        }
        let level = Iap2Level::from_stored(&self.iap2_level);
        if level.is_none() {
            errors.push("iap2_level", tr.t("workspace-error-level"));
        }
        let visibility = Visibility::from_stored(&self.visibility);
        if visibility.is_none() {
            errors.push("visibility", tr.t("workspace-error-visibility"));
        }
        let phases = self
            .phases
            .iter()
            .enumerate()
            .map(|(i, p)| PhaseInput {
                name: filled(&p.name),
                description: filled(&p.description),
                starts_on: date(&mut errors, format!("phases-{i}-starts_on"), &p.starts_on),
                ends_on: date(&mut errors, format!("phases-{i}-ends_on"), &p.ends_on),
            })
            .collect();
        let milestones = self
            .milestones
            .iter()
            .enumerate()
            .map(|(i, m)| MilestoneInput {
                title: filled(&m.title),
                description: filled(&m.description),
                due_on: date(&mut errors, format!("milestones-{i}-due_on"), &m.due_on),
            })
            .collect();
        let mut commitments = Vec::new();
        for (i, c) in self.commitments.iter().enumerate() {
            let measure = if c.measure.is_empty() {
                None
            } else {
                match c.days.trim().parse::<u16>() {
                    Ok(days) => match Measure::from_stored(&c.measure, i32::from(days)) {
                        Some(m) => Some(m),
                        None => {
                            errors.push(format!("commitments-{i}-measure-kind"), tr.t("workspace-error-measure"));
                            None
                        }
                    },
                    Err(_) => {
                        errors.push(format!("commitments-{i}-measure-days"), tr.t("workspace-error-days"));
                        None
                    }
                }
            };
            commitments.push(CommitmentInput { text: filled(&c.text), measure });
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(NewProcess {
            slug: Some(self.slug.trim().to_string()).filter(|s| !s.is_empty()),
            title: filled(&self.title),
            summary: filled(&self.summary),
            description: filled(&self.description),
            scope: scope.unwrap_or(Scope::National),
            topics: self.topics.clone(),
            iap2_level: level.unwrap_or(Iap2Level::Inform),
            visibility: visibility.unwrap_or(Visibility::Public),
            default_language: Some(self.default_language.clone()).filter(|s| !s.is_empty()),
            parent: Some(self.parent.trim().to_string()).filter(|s| !s.is_empty()),
            phases,
            milestones,
            commitments,
        })
    }

    /// The form as a change to a stored process: every field, except the slug once the
    /// process is published (`slug_editable`) and the parent when it was not changed.
    pub fn to_patch(&self, tr: &Tr, slug_editable: bool) -> Result<ProcessPatch, Problems> {
        let input = self.to_input(tr)?;
        let parent_changed = self.parent.trim() != self.parent_was.trim();
        Ok(ProcessPatch {
            slug: if slug_editable { input.slug } else { None },
            title: Some(input.title),
            summary: Some(input.summary),
            description: Some(input.description),
            scope: Some(input.scope),
            topics: Some(input.topics),
            iap2_level: Some(input.iap2_level),
            visibility: Some(input.visibility),
            default_language: input.default_language,
            parent: if parent_changed { Some(input.parent) } else { None },
            phases: Some(input.phases),
            milestones: Some(input.milestones),
            commitments: Some(input.commitments),
        })
    }
}

pub use crate::http::pages::account_forms::{Problem, Problems};

/// The control an app field error is about: its own control if the form has one, else the
/// first control below it (`title` -> `title-en`), else the form's top (`slug`).
pub fn control_for(field: &str, ids: &[String]) -> String {
    let norm = id_of(&field.replace('[', ".").replace(']', ""));
    if ids.contains(&norm) {
        return norm;
    }
    let prefix = format!("{norm}-");
    ids.iter().find(|i| i.starts_with(&prefix)).cloned().unwrap_or_else(|| ids.first().cloned().unwrap_or_default())
}

/// The app's field errors at the form's controls, in the reader's words where the form knows
/// the problem, else in the app's (English) words.
pub fn app_problems(tr: &Tr, errors: &[FieldError], ids: &[String]) -> Problems {
    let mut out = Problems::default();
    for e in errors {
        let id = control_for(&e.field, ids);
        let p = e.problem.as_str();
        let message = if p == "give the text in at least one language" || p == "must not be empty" {
            tr.t("workspace-error-text-needed")
        } else if p.contains("default language") {
            tr.t("workspace-error-title-default-language")
        } else if e.field.ends_with("ends_on") && p.contains("before the phase starts") {
            tr.t("workspace-error-phase-ends-before")
        } else if e.field.ends_with("starts_on") && p.contains("overlaps") {
            tr.t("workspace-error-phase-overlap")
        } else if e.field == "slug" && p.contains("another process") {
            tr.t("workspace-error-slug-taken")
        } else if e.field == "parent" {
            tr.t("workspace-error-parent")
        } else if e.field.ends_with(".days") {
            tr.t("workspace-error-days")
        } else {
            p.to_string()
        };
        out.push(id, message);
    }
    out.sort_by(ids);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn rows_are_added_and_removed_without_saving() {
        let offered = vec!["en".to_string(), "es".to_string()];
        let base = [
            ("lang", "en"),
            ("phase_rows", "2"),
            ("phases.0.name.en", "One"),
            ("phases.1.name.en", "Two"),
            ("phases.1.starts_on", "2027-01-01"),
        ];
        let (f, intent) = ProcessForm::from_pairs(&pairs(&base), &offered);
        assert_eq!((f.phases.len(), intent), (2, Intent::Save));
        let mut removing = base.to_vec();
        removing.push(("remove_phase", "0"));
        let (f, intent) = ProcessForm::from_pairs(&pairs(&removing), &offered);
        assert_eq!(intent, Intent::Edit);
        assert_eq!(f.phases.len(), 1);
        assert_eq!((f.phases[0].name["en"].as_str(), f.phases[0].starts_on.as_str()), ("Two", "2027-01-01"));
        let mut adding = base.to_vec();
        adding.extend([("add_lang", ""), ("new_lang", "es"), ("add_phase", "")]);
        let (f, _) = ProcessForm::from_pairs(&pairs(&adding), &offered);
        assert_eq!((f.phases.len(), f.langs.clone()), (3, vec!["en".to_string(), "es".to_string()]));
        // A language the instance does not offer is not added.
        let (f, _) = ProcessForm::from_pairs(&pairs(&[("lang", "en"), ("add_lang", ""), ("new_lang", "xx")]), &offered);
        assert_eq!(f.langs, vec!["en".to_string()]);
    }

    #[test]
    fn app_errors_find_their_controls() {
        let f = ProcessForm { langs: vec!["en".into()], phases: vec![PhaseRow::default(); 2], ..Default::default() };
        let ids = f.ids();
        assert_eq!(control_for("phases[1].starts_on", &ids), "phases-1-starts_on");
        assert_eq!(control_for("title", &ids), "title-en");
        assert_eq!(control_for("phases[0].name", &ids), "phases-0-name-en");
        assert_eq!(control_for("something", &ids), "slug");
    }
}
