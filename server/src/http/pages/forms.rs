//! The one renderer of plugin forms. A plugin describes a form as a list of fields (the JSON
//! `activities::form` returns and `config-fields` use, see `adapters::plugins::view`); this
//! module turns it into accessible HTML that works without JavaScript, reads the posted form
//! back into the JSON body the plugin expects, places the plugin's field errors at their
//! fields, and shows a stored body as answers under the fields' labels.
//!
//! Names and paths: a field `answers.q1` is the key `q1` of the object `answers` of the body;
//! its control is named `{root}.answers.q1` (`root` is `body` for contributions, `config` for
//! activity configurations), which is also the path of the errors the app reports for it
//! (`body.answers.q1`). Items of a repeated field are `{root}.{name}[{i}].{leaf}`. Several
//! controls with one name (checkboxes, the places of a ranking) post their values in order.
//!
//! Only what JSON cannot carry is checked here (a number that is not one, a date that is not
//! one, a value that is not one of the choices); every other rule is the plugin's, whose
//! errors come back from the app and are shown at their fields.

use std::collections::{BTreeMap, BTreeSet};

use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::i18n::{Localized, Tr};
use crate::domain::errors::FieldError;
use crate::domain::localized::LocalizedText;

/// One field of a plugin form.
#[derive(Clone, Debug, Deserialize)]
pub struct Field {
    pub name: String,
    #[serde(default)]
    pub label: LocalizedText,
    #[serde(default)]
    pub help: LocalizedText,
    #[serde(default)]
    pub required: bool,
    pub kind: Kind,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Choice {
    pub value: String,
    #[serde(default)]
    pub label: LocalizedText,
}

/// The field kinds of the contract (`field-kind` and `leaf-kind` in the WIT).
#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Kind {
    Text {
        #[serde(default)]
        min_length: u32,
        #[serde(default)]
        max_length: u32,
    },
    LongText {
        #[serde(default)]
        min_length: u32,
        #[serde(default)]
        max_length: u32,
    },
    Number {
        min: Option<f64>,
        max: Option<f64>,
        #[serde(default)]
        integer: bool,
    },
    SingleChoice {
        choices: Vec<Choice>,
    },
    MultipleChoice {
        choices: Vec<Choice>,
        #[serde(default)]
        min_selected: u32,
        max_selected: u32,
    },
    Scale {
        min: i32,
        max: i32,
        #[serde(default)]
        min_label: LocalizedText,
        #[serde(default)]
        max_label: LocalizedText,
    },
    Ranking {
        choices: Vec<Choice>,
    },
    YesNo,
    Date,
    /// Items made of leaf fields (one level of nesting only).
    Repeated {
        fields: Vec<Field>,
    },
    /// A kind of a newer contract: not shown, left out of bodies.
    #[serde(other)]
    Unknown,
}

/// The name of the button that asks for one more item slot of a repeated field (its value is
/// the field's control name): the page shows the form again with what was typed, sends nothing.
pub const MORE_ITEMS: &str = "more-items";
/// The widest scale shown as a row of radios; a wider one is a number input.
const MAX_SCALE_POINTS: i64 = 21;
/// Empty item slots a repeated field offers at least, and beyond its items.
const MIN_SLOTS: usize = 3;
/// At most this many items of a repeated field are read from a post.
const MAX_ITEMS: usize = 200;
/// Values of a body that matches no field shown under a contribution, at most.
const MAX_EXTRA: usize = 30;

/// The fields of a form as the app returns it (a JSON list); fields of a shape this version
/// does not know are left out.
pub fn fields(form: &Value) -> Vec<Field> {
    form.as_array().map(|list| list.iter().filter_map(|f| serde_json::from_value(f.clone()).ok()).collect()).unwrap_or_default()
}

/// What a form's controls hold: posted text, or a stored body written out, by path relative
/// to the root (`answers.q1`, `items[0].title`), several values for checkboxes and rankings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Values(BTreeMap<String, Vec<String>>);

impl Values {
    pub fn get(&self, path: &str) -> &[String] {
        self.0.get(path).map(Vec::as_slice).unwrap_or(&[])
    }

    fn first(&self, path: &str) -> &str {
        self.get(path).first().map(String::as_str).unwrap_or("")
    }

    fn set(&mut self, path: String, values: Vec<String>) {
        self.0.insert(path, values);
    }

    /// How many items of the repeated field `name` there are.
    fn items(&self, name: &str) -> usize {
        let prefix = format!("{name}[");
        self.0.keys().filter_map(|k| k.strip_prefix(&prefix)?.split(']').next()?.parse::<usize>().ok()).map(|i| i + 1).max().unwrap_or(0)
    }
}

/// Text in the language it is in, for `lang` and `dir`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    pub text: String,
    pub lang: String,
    pub dir: &'static str,
}

impl Text {
    fn ui(tr: &Tr, text: String) -> Text {
        Text { text, lang: tr.code().to_string(), dir: "ltr" }
    }
}

/// Plugin text in the reader's language, else the content's, else any.
pub fn pick(tr: &Tr, text: &LocalizedText, content_lang: &str) -> Text {
    let p = Localized::pick(text, tr.code(), content_lang);
    Text { text: p.text.to_string(), lang: p.lang.clone(), dir: p.dir() }
}

/// A link in the error summary: to the control (`#id`), or none for a problem the form cannot
/// place at a field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SummaryItem {
    pub href: Option<String>,
    pub text: String,
}

/// One plugin form on one page.
pub struct Form<'a> {
    pub tr: Tr,
    /// `body` or `config`: the start of control names and of error paths.
    pub root: &'a str,
    /// Unique on the page; the start of every id of the form.
    pub id_prefix: String,
    /// The language plugin text falls back to (the process's default).
    pub content_lang: &'a str,
    pub fields: &'a [Field],
}

/// A form's controls as HTML, and its error summary.
pub struct Rendered {
    pub html: String,
    pub summary: Vec<SummaryItem>,
}

/// A place a problem can be shown: a field, a repeated field's item, or a field in an item.
struct Slot {
    path: String,
    id: String,
    label: String,
}

impl<'a> Form<'a> {
    pub fn new(tr: Tr, root: &'a str, id_prefix: impl Into<String>, content_lang: &'a str, fields: &'a [Field]) -> Form<'a> {
        Form { tr, root, id_prefix: slug(&id_prefix.into()), content_lang, fields }
    }

    fn control_name(&self, path: &str) -> String {
        format!("{}.{path}", self.root)
    }

    /// The posted pairs of this form (others are ignored), with the items of repeated fields
    /// left entirely empty dropped and the others numbered from 0 again, so that the paths of
    /// the plugin's errors (about the body sent) match the items shown.
    pub fn values_from_pairs(&self, pairs: &[(String, String)]) -> Values {
        let prefix = format!("{}.", self.root);
        let mut raw: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (k, v) in pairs {
            if let Some(path) = k.strip_prefix(&prefix) {
                raw.entry(path.to_string()).or_default().push(v.replace("\r\n", "\n"));
            }
        }
        let mut values = Values::default();
        for f in self.fields {
            match &f.kind {
                Kind::Repeated { fields: leaves } => {
                    let mut slots: BTreeMap<usize, Vec<(String, Vec<String>)>> = BTreeMap::new();
                    let start = format!("{}[", f.name);
                    for (path, v) in &raw {
                        let Some(rest) = path.strip_prefix(&start) else { continue };
                        let Some((i, leaf)) = rest.split_once("].") else { continue };
                        let Ok(i) = i.parse::<usize>() else { continue };
                        if i < MAX_ITEMS && leaves.iter().any(|l| l.name == leaf) {
                            slots.entry(i).or_default().push((leaf.to_string(), v.clone()));
                        }
                    }
                    let filled = slots.into_values().filter(|leaves| leaves.iter().any(|(_, v)| v.iter().any(|s| !s.trim().is_empty())));
                    for (n, leaves) in filled.enumerate() {
                        for (leaf, v) in leaves {
                            values.set(format!("{}[{n}].{leaf}", f.name), v);
                        }
                    }
                }
                Kind::Unknown => {}
                _ => {
                    if let Some(v) = raw.get(&f.name) {
                        values.set(f.name.clone(), v.clone());
                    }
                }
            }
        }
        values
    }

    /// A stored body (or configuration) written out into the controls.
    pub fn values_from_json(&self, body: &Value) -> Values {
        let mut values = Values::default();
        for f in self.fields {
            let Some(v) = get_path(body, &f.name) else { continue };
            match &f.kind {
                Kind::Repeated { fields: leaves } => {
                    for (i, item) in v.as_array().into_iter().flatten().take(MAX_ITEMS).enumerate() {
                        for leaf in leaves {
                            if let Some(lv) = item.get(&leaf.name) {
                                values.set(format!("{}[{i}].{}", f.name, leaf.name), written(&leaf.kind, lv));
                            }
                        }
                    }
                }
                Kind::Unknown => {}
                kind => values.set(f.name.clone(), written(kind, v)),
            }
        }
        values
    }

    /// The JSON body the controls hold, and what in them is not a value at all. Empty fields
    /// are left out (the plugin says if they were required); error paths start with the root.
    pub fn parse(&self, values: &Values) -> (Value, Vec<FieldError>) {
        let mut body = Value::Object(Map::new());
        let mut errors = Vec::new();
        for f in self.fields {
            let parsed = match &f.kind {
                Kind::Repeated { fields: leaves } => {
                    let mut items = Vec::new();
                    for i in 0..values.items(&f.name) {
                        let mut item = Map::new();
                        for leaf in leaves {
                            let path = format!("{}[{i}].{}", f.name, leaf.name);
                            match self.parse_one(&leaf.kind, values.get(&path)) {
                                Ok(Some(v)) => {
                                    item.insert(leaf.name.clone(), v);
                                }
                                Ok(None) => {}
                                Err(problem) => errors.push(FieldError::new(self.control_name(&path), problem)),
                            }
                        }
                        items.push(Value::Object(item));
                    }
                    Ok((!items.is_empty()).then_some(Value::Array(items)))
                }
                kind => self.parse_one(kind, values.get(&f.name)),
            };
            match parsed {
                Ok(Some(v)) => set_path(&mut body, &f.name, v),
                Ok(None) => {}
                Err(problem) => errors.push(FieldError::new(self.control_name(&f.name), problem)),
            }
        }
        (body, errors)
    }

    /// One control's value as JSON: None when empty, Err with words when it is not a value.
    fn parse_one(&self, kind: &Kind, raw: &[String]) -> Result<Option<Value>, String> {
        let tr = &self.tr;
        let first = raw.first().map(String::as_str).unwrap_or("");
        let empty = first.trim().is_empty();
        let known = |choices: &[Choice], v: &str| choices.iter().any(|c| c.value == v);
        match kind {
            Kind::Text { .. } | Kind::LongText { .. } => Ok((!empty).then(|| Value::String(first.to_string()))),
            Kind::Number { integer, .. } if !empty => match number(first) {
                Some(n) if *integer && n.fract() != 0.0 => Err(tr.t("form-error-whole-number")),
                Some(n) => Ok(Some(json_number(n))),
                None => Err(tr.t(if *integer { "form-error-whole-number" } else { "form-error-number" })),
            },
            Kind::Scale { min, max, .. } if !empty => match first.trim().parse::<i64>() {
                Ok(n) if (i64::from(*min)..=i64::from(*max)).contains(&n) => Ok(Some(Value::from(n))),
                _ => Err(tr.a("form-error-scale", &[("min", tr.number((*min).into()).into()), ("max", tr.number((*max).into()).into())])),
            },
            Kind::Date if !empty => match NaiveDate::parse_from_str(first.trim(), "%Y-%m-%d") {
                Ok(d) => Ok(Some(Value::String(d.format("%Y-%m-%d").to_string()))),
                Err(_) => Err(tr.t("form-error-date")),
            },
            Kind::SingleChoice { choices } if !empty => {
                if known(choices, first) {
                    Ok(Some(Value::String(first.to_string())))
                } else {
                    Err(tr.t("form-error-choice"))
                }
            }
            Kind::YesNo if !empty => match first {
                "true" => Ok(Some(Value::Bool(true))),
                "false" => Ok(Some(Value::Bool(false))),
                _ => Err(tr.t("form-error-choice")),
            },
            Kind::MultipleChoice { choices, .. } | Kind::Ranking { choices } => {
                let picked: Vec<&String> = raw.iter().filter(|v| !v.trim().is_empty()).collect();
                if picked.iter().any(|v| !known(choices, v)) {
                    return Err(tr.t("form-error-choice"));
                }
                Ok((!picked.is_empty()).then(|| Value::Array(picked.into_iter().map(|v| Value::String(v.clone())).collect())))
            }
            _ => Ok(None),
        }
    }

    /// Every place a problem can be shown, in the order of the form.
    fn slots(&self, values: &Values) -> Vec<Slot> {
        let mut ids = Ids::default();
        let mut out = Vec::new();
        for (index, f) in self.fields.iter().enumerate() {
            let label = self.label(f);
            let id = ids.make(&self.id_prefix, &f.name, index);
            match &f.kind {
                Kind::Repeated { fields: leaves } => {
                    let first_leaf = leaves.iter().position(|l| !matches!(l.kind, Kind::Repeated { .. } | Kind::Unknown));
                    let item_id = |i: usize, j: usize| format!("{id}-{i}-{j}");
                    out.push(Slot {
                        path: self.control_name(&f.name),
                        id: first_leaf.map(|j| item_id(0, j)).unwrap_or_else(|| id.clone()),
                        label: label.clone(),
                    });
                    for i in 0..slot_count(values.items(&f.name)) {
                        let item_label = self.tr.a("form-item-label", &[("label", label.clone().into()), ("number", ((i + 1) as i64).into())]);
                        if let Some(j) = first_leaf {
                            out.push(Slot {
                                path: self.control_name(&format!("{}[{i}]", f.name)),
                                id: item_id(i, j),
                                label: item_label.clone(),
                            });
                        }
                        for (j, leaf) in leaves.iter().enumerate() {
                            out.push(Slot {
                                path: self.control_name(&format!("{}[{i}].{}", f.name, leaf.name)),
                                id: item_id(i, j),
                                label: format!("{item_label}: {}", self.label(leaf)),
                            });
                        }
                    }
                }
                Kind::Unknown => {}
                _ => out.push(Slot { path: self.control_name(&f.name), id, label }),
            }
        }
        out
    }

    fn label(&self, f: &Field) -> String {
        let text = pick(&self.tr, &f.label, self.content_lang).text;
        if text.trim().is_empty() { f.name.clone() } else { text }
    }

    /// The controls with `values` in them and `errors` at their fields; an error no field
    /// claims goes to the summary only.
    pub fn render(&self, values: &Values, errors: &[FieldError]) -> Rendered {
        let slots = self.slots(values);
        // Each error at the most specific place whose path it starts with.
        let mut at: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut unplaced = Vec::new();
        let mut placed: Vec<(usize, String)> = Vec::new();
        for e in errors {
            let best = slots
                .iter()
                .enumerate()
                .filter(|(_, s)| e.field == s.path || e.field.starts_with(&format!("{}.", s.path)) || e.field.starts_with(&format!("{}[", s.path)))
                .max_by_key(|(_, s)| s.path.len());
            match best {
                Some((i, s)) => {
                    let ours = sdk_problem(&self.tr, &e.problem);
                    at.entry(s.path.clone()).or_default().push(ours.clone().unwrap_or_else(|| sentence(&e.problem)));
                    placed.push((i, ours.unwrap_or_else(|| e.problem.clone())));
                }
                None => unplaced.push(SummaryItem { href: None, text: sdk_problem(&self.tr, &e.problem).unwrap_or_else(|| sentence(&e.problem)) }),
            }
        }
        placed.sort_by_key(|(i, _)| *i);
        let mut summary = unplaced;
        summary.extend(placed.into_iter().map(|(i, problem)| SummaryItem { href: Some(format!("#{}", slots[i].id)), text: format!("{}: {problem}", slots[i].label) }));

        let mut ids = Ids::default();
        let mut html = String::new();
        for (index, f) in self.fields.iter().enumerate() {
            let id = ids.make(&self.id_prefix, &f.name, index);
            html.push_str(&self.control(f, &id, &f.name, values, &at));
        }
        Rendered { html, summary }
    }

    /// One field's HTML (a leaf of a repeated field's item too, with its own path).
    fn control(&self, f: &Field, id: &str, path: &str, values: &Values, at: &BTreeMap<String, Vec<String>>) -> String {
        let tr = &self.tr;
        let error = at.get(&self.control_name(path)).map(|e| e.join(" "));
        let mut label = pick(tr, &f.label, self.content_lang);
        if label.text.trim().is_empty() {
            label.text = f.name.clone();
        }
        let help = Some(pick(tr, &f.help, self.content_lang)).filter(|h| !h.text.trim().is_empty());
        let mut view = FieldView {
            tr: self.tr,
            id: id.to_string(),
            name: self.control_name(path),
            kind: "text",
            label,
            required: f.required,
            hint: help,
            limits: None,
            error,
            value: values.first(path).to_string(),
            input_type: "text",
            attrs: Vec::new(),
            options: Vec::new(),
            places: Vec::new(),
            items: Vec::new(),
        };
        let choice_opts = |choices: &[Choice], picked: &[String], optional: bool| -> Vec<Opt> {
            let mut opts: Vec<Opt> = choices
                .iter()
                .enumerate()
                .map(|(j, c)| Opt {
                    id: if j == 0 { id.to_string() } else { format!("{id}-{j}") },
                    value: c.value.clone(),
                    label: if c.label.is_empty() { Text::ui(tr, c.value.clone()) } else { pick(tr, &c.label, self.content_lang) },
                    checked: picked.iter().any(|p| p == &c.value),
                })
                .collect();
            if optional {
                let none = !opts.iter().any(|o| o.checked);
                opts.push(Opt { id: format!("{id}-none"), value: String::new(), label: Text::ui(tr, tr.t("form-no-answer")), checked: none });
            }
            opts
        };
        let picked = values.get(path);
        match &f.kind {
            Kind::Text { min_length, max_length } => {
                view.limits = length_words(tr, *min_length, *max_length);
            }
            Kind::LongText { min_length, max_length } => {
                view.kind = "long_text";
                view.limits = length_words(tr, *min_length, *max_length);
            }
            Kind::Number { min, max, integer } => {
                view.input_type = "number";
                view.limits = Some(number_words(tr, *min, *max, *integer));
                view.attrs.push(("step", if *integer { "1".into() } else { "any".into() }));
                view.attrs.push(("inputmode", if *integer { "numeric".into() } else { "decimal".into() }));
                if let Some(m) = min {
                    view.attrs.push(("min", super::charts::format_value(*m)));
                }
                if let Some(m) = max {
                    view.attrs.push(("max", super::charts::format_value(*m)));
                }
            }
            Kind::Date => {
                view.input_type = "date";
                view.limits = Some(tr.t("form-limit-date"));
            }
            Kind::SingleChoice { choices } => {
                view.kind = "radios";
                view.options = choice_opts(choices, picked, !f.required);
            }
            Kind::YesNo => {
                view.kind = "radios";
                let yes_no = [("true", tr.t("form-yes")), ("false", tr.t("form-no"))];
                view.options = yes_no
                    .into_iter()
                    .enumerate()
                    .map(|(j, (v, l))| Opt { id: if j == 0 { id.to_string() } else { format!("{id}-{j}") }, value: v.into(), label: Text::ui(tr, l), checked: picked.iter().any(|p| p == v) })
                    .collect();
                if !f.required {
                    let none = !view.options.iter().any(|o| o.checked);
                    view.options.push(Opt { id: format!("{id}-none"), value: String::new(), label: Text::ui(tr, tr.t("form-no-answer")), checked: none });
                }
            }
            Kind::Scale { min, max, min_label, max_label } if i64::from(*max) - i64::from(*min) < MAX_SCALE_POINTS && min <= max => {
                view.kind = "scale";
                view.limits = Some(tr.a("form-limit-scale", &[("min", tr.number((*min).into()).into()), ("max", tr.number((*max).into()).into())]));
                let ends = |n: i32, end: &LocalizedText| {
                    let end = pick(tr, end, self.content_lang);
                    if end.text.trim().is_empty() { Text::ui(tr, tr.number(n.into())) } else { Text { text: format!("{} – {}", tr.number(n.into()), end.text), ..end } }
                };
                view.options = (*min..=*max)
                    .enumerate()
                    .map(|(j, n)| Opt {
                        id: if j == 0 { id.to_string() } else { format!("{id}-{j}") },
                        value: n.to_string(),
                        label: if n == *min {
                            ends(n, min_label)
                        } else if n == *max {
                            ends(n, max_label)
                        } else {
                            Text::ui(tr, tr.number(n.into()))
                        },
                        checked: picked.iter().any(|p| p.trim() == n.to_string()),
                    })
                    .collect();
                if !f.required {
                    let none = !view.options.iter().any(|o| o.checked);
                    view.options.push(Opt { id: format!("{id}-none"), value: String::new(), label: Text::ui(tr, tr.t("form-no-answer")), checked: none });
                }
            }
            Kind::Scale { min, max, .. } => {
                // Too many points for a row of radios.
                view.input_type = "number";
                view.limits = Some(number_words(tr, Some((*min).into()), Some((*max).into()), true));
                view.attrs = vec![("step", "1".into()), ("inputmode", "numeric".into()), ("min", min.to_string()), ("max", max.to_string())];
            }
            Kind::MultipleChoice { choices, min_selected, max_selected } => {
                view.kind = "checkboxes";
                view.limits = Some(choose_words(tr, *min_selected, *max_selected, choices.len()));
                view.options = choice_opts(choices, picked, false);
            }
            Kind::Ranking { choices } => {
                view.kind = "ranking";
                view.limits = Some(tr.n("form-limit-ranking", "count", choices.len()));
                view.places = (0..choices.len())
                    .map(|p| Place {
                        id: if p == 0 { id.to_string() } else { format!("{id}-{p}") },
                        label: if p == 0 { tr.t("form-ranking-first") } else { tr.a("form-ranking-place", &[("number", ((p + 1) as i64).into())]) },
                        options: choices
                            .iter()
                            .map(|c| Opt {
                                id: String::new(),
                                value: c.value.clone(),
                                label: if c.label.is_empty() { Text::ui(tr, c.value.clone()) } else { pick(tr, &c.label, self.content_lang) },
                                checked: picked.get(p).is_some_and(|v| v == &c.value),
                            })
                            .collect(),
                    })
                    .collect();
            }
            Kind::Repeated { fields: leaves } => {
                view.kind = "group";
                let count = slot_count(values.items(path));
                view.limits = Some(tr.n("form-limit-items", "count", count));
                let group_label = view.label.text.clone();
                view.items = (0..count)
                    .map(|i| {
                        let legend = tr.a("form-item-label", &[("label", group_label.clone().into()), ("number", ((i + 1) as i64).into())]);
                        let html = leaves
                            .iter()
                            .enumerate()
                            .filter(|(_, l)| !matches!(l.kind, Kind::Repeated { .. } | Kind::Unknown))
                            .map(|(j, leaf)| self.control(leaf, &format!("{id}-{i}-{j}"), &format!("{path}[{i}].{}", leaf.name), values, at))
                            .collect::<String>();
                        let error = at.get(&self.control_name(&format!("{path}[{i}]"))).map(|e| e.join(" "));
                        Item { legend, html, error, error_id: format!("{id}-{i}-error") }
                    })
                    .collect();
            }
            Kind::Unknown => return String::new(),
        }
        view.render().unwrap_or_default()
    }

    /// A stored body as answers under the fields' labels; what no field describes is listed
    /// by its path.
    pub fn answers(&self, body: &Value, body_lang: &str) -> Answers {
        let tr = &self.tr;
        let mut consumed: Vec<String> = Vec::new();
        let mut list = Vec::new();
        let content = |s: &str| Text { text: s.to_string(), lang: body_lang.to_string(), dir: rtl_dir(body_lang) };
        let shown = |kind: &Kind, v: &Value| -> (Vec<Text>, bool) {
            let label_of = |choices: &[Choice], s: &str| {
                choices.iter().find(|c| c.value == s).map(|c| pick(tr, &c.label, self.content_lang)).unwrap_or_else(|| content(s))
            };
            match (kind, v) {
                (Kind::SingleChoice { choices }, Value::String(s)) => (vec![label_of(choices, s)], false),
                (Kind::MultipleChoice { choices, .. }, Value::Array(a)) => (a.iter().map(|x| label_of(choices, &scalar(x))).collect(), false),
                (Kind::Ranking { choices }, Value::Array(a)) => (a.iter().map(|x| label_of(choices, &scalar(x))).collect(), true),
                (Kind::YesNo, Value::Bool(b)) => (vec![Text::ui(tr, tr.t(if *b { "form-yes" } else { "form-no" }))], false),
                (Kind::Date, Value::String(s)) => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                    Ok(d) => (vec![Text::ui(tr, tr.date(d))], false),
                    Err(_) => (vec![content(s)], false),
                },
                (Kind::Number { .. } | Kind::Scale { .. }, Value::Number(n)) => (vec![Text::ui(tr, n.as_f64().map(super::charts::format_value).unwrap_or_else(|| n.to_string()))], false),
                (_, Value::Array(a)) => (a.iter().map(|x| content(&scalar(x))).collect(), false),
                (_, other) => (vec![content(&scalar(other))], false),
            }
        };
        for f in self.fields {
            let Some(v) = get_path(body, &f.name).filter(|v| !v.is_null()) else { continue };
            consumed.push(f.name.clone());
            let label = pick(tr, &f.label, self.content_lang);
            match &f.kind {
                Kind::Repeated { fields: leaves } => {
                    let items = v
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|item| {
                            leaves
                                .iter()
                                .filter_map(|leaf| {
                                    let lv = item.get(&leaf.name).filter(|x| !x.is_null())?;
                                    let (values, ordered) = shown(&leaf.kind, lv);
                                    Some(Answer { label: pick(tr, &leaf.label, self.content_lang), values, ordered, items: Vec::new() })
                                })
                                .collect()
                        })
                        .collect();
                    list.push(Answer { label, values: Vec::new(), ordered: false, items });
                }
                kind => {
                    let (values, ordered) = shown(kind, v);
                    list.push(Answer { label, values, ordered, items: Vec::new() });
                }
            }
        }
        // What no field describes, by path.
        let mut extra = Vec::new();
        let mut more = 0usize;
        flatten(body, String::new(), &mut |path, v| {
            let covered = consumed.iter().any(|c| path == *c || path.starts_with(&format!("{c}.")) || path.starts_with(&format!("{c}[")));
            if covered {
                return;
            }
            if extra.len() < MAX_EXTRA {
                extra.push((if path.is_empty() { tr.t("form-answer-value") } else { path.to_string() }, content(&shorten(&scalar(v), 500))));
            } else {
                more += 1;
            }
        });
        Answers { list, extra, more }
    }
}

/// A stored body shown under the labels of its form.
pub struct Answers {
    pub list: Vec<Answer>,
    /// (path, value) of what no field describes.
    pub extra: Vec<(String, Text)>,
    /// Values left out of `extra`.
    pub more: usize,
}

impl Answers {
    pub fn is_empty(&self) -> bool {
        self.list.is_empty() && self.extra.is_empty()
    }
}

pub struct Answer {
    pub label: Text,
    pub values: Vec<Text>,
    /// A ranking: the order matters.
    pub ordered: bool,
    /// The items of a repeated field, each its answers.
    pub items: Vec<Vec<Answer>>,
}

/// An option of radios, checkboxes or a select.
pub struct Opt {
    pub id: String,
    pub value: String,
    pub label: Text,
    pub checked: bool,
}

/// A place of a ranking: one select.
pub struct Place {
    pub id: String,
    pub label: String,
    pub options: Vec<Opt>,
}

/// An item slot of a repeated field, its leaf controls rendered.
pub struct Item {
    pub legend: String,
    pub html: String,
    pub error: Option<String>,
    pub error_id: String,
}

#[derive(Template)]
#[template(path = "forms.html")]
struct FieldView {
    tr: Tr,
    id: String,
    name: String,
    /// text | long_text | radios | scale | checkboxes | ranking | group
    kind: &'static str,
    label: Text,
    required: bool,
    hint: Option<Text>,
    limits: Option<String>,
    error: Option<String>,
    value: String,
    input_type: &'static str,
    attrs: Vec<(&'static str, String)>,
    options: Vec<Opt>,
    places: Vec<Place>,
    items: Vec<Item>,
}

impl FieldView {
    /// The ids of the hint, limits and error, for `aria-describedby`.
    fn describedby(&self) -> String {
        let mut ids = Vec::new();
        if self.hint.is_some() {
            ids.push(format!("{}-hint", self.id));
        }
        if self.limits.is_some() {
            ids.push(format!("{}-limits", self.id));
        }
        if self.error.is_some() {
            ids.push(format!("{}-error", self.id));
        }
        ids.join(" ")
    }
}

/// Ids made from field names, unique within a form.
#[derive(Default)]
struct Ids(BTreeSet<String>);

impl Ids {
    fn make(&mut self, prefix: &str, name: &str, index: usize) -> String {
        let base = format!("{prefix}-{}", slug(name));
        let id = if self.0.contains(&base) { format!("{base}-{index}") } else { base };
        self.0.insert(id.clone());
        id
    }
}

/// Letters, digits and single hyphens: safe in an id and in a URL fragment.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() { "x".into() } else { out }
}

/// Item slots shown for a repeated field holding `items` items: those and one empty, at least
/// [`MIN_SLOTS`].
fn slot_count(items: usize) -> usize {
    (items + 1).clamp(MIN_SLOTS, MAX_ITEMS)
}

/// A plugin's problem in the reader's language, when it is one of the SDK's checks'
/// (`convene_sdk::form::check_text`, which most plugin forms use) word for word: the rest is
/// the plugin's own words, in its language.
fn sdk_problem(tr: &Tr, problem: &str) -> Option<String> {
    let p = problem.trim();
    let count = |prefix: &str| p.strip_prefix(prefix)?.strip_suffix(" characters")?.parse::<u32>().ok();
    if p == "is required" {
        Some(tr.t("form-problem-required"))
    } else if p == "must be text" {
        Some(tr.t("form-problem-text"))
    } else if let Some(max) = count("must be at most ") {
        Some(tr.n("form-problem-max-length", "max", i64::from(max)))
    } else {
        count("must be at least ").map(|min| tr.n("form-problem-min-length", "min", i64::from(min)))
    }
}

/// A plugin's problem as a sentence: "is required" reads "Is required".
fn sentence(problem: &str) -> String {
    let mut chars = problem.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn rtl_dir(lang: &str) -> &'static str {
    if crate::domain::language::Language::parse(lang).map(|l| l.is_rtl()).unwrap_or(false) { "rtl" } else { "ltr" }
}

fn shorten(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_string(),
    }
}

/// A number as people type it: 12, -3.5, 3,5 (a decimal comma), 1 000.
fn number(raw: &str) -> Option<f64> {
    let mut s: String = raw.trim().chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '_')).collect();
    if s.matches(',').count() == 1 && !s.contains('.') {
        s = s.replace(',', ".");
    }
    s.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// Whole numbers as JSON integers (what `as_u64` reads), others as floats.
fn json_number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 { Value::from(n as i64) } else { Value::from(n) }
}

/// A JSON scalar as text; anything else as compact JSON.
fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A stored value as the texts of its control.
fn written(kind: &Kind, v: &Value) -> Vec<String> {
    match (kind, v) {
        (Kind::MultipleChoice { .. } | Kind::Ranking { .. }, Value::Array(a)) => a.iter().map(scalar).collect(),
        (Kind::Number { .. } | Kind::Scale { .. }, Value::Number(n)) => {
            vec![n.as_i64().map(|i| i.to_string()).or_else(|| n.as_u64().map(|u| u.to_string())).unwrap_or_else(|| n.to_string())]
        }
        (_, v) => vec![scalar(v)],
    }
}

/// The value at a dotted path (`answers.q1`).
fn get_path<'v>(body: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(body, |v, key| v.get(key))
}

/// Sets the value at a dotted path, making the objects on the way.
fn set_path(body: &mut Value, path: &str, value: Value) {
    let mut at = body;
    let mut keys = path.split('.').peekable();
    while let Some(key) = keys.next() {
        let Value::Object(map) = at else { return };
        if keys.peek().is_none() {
            map.insert(key.to_string(), value);
            return;
        }
        at = map.entry(key.to_string()).or_insert_with(|| Value::Object(Map::new()));
    }
}

/// Every scalar of a JSON value with its path (`a.b`, `a[0]`), in order.
fn flatten(v: &Value, path: String, out: &mut impl FnMut(&str, &Value)) {
    match v {
        Value::Object(map) => {
            // By name: JSON objects keep the order they were written in (the federation
            // library turns on serde_json's `preserve_order`), which says nothing to a reader.
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            for k in keys {
                flatten(&map[k.as_str()], if path.is_empty() { k.clone() } else { format!("{path}.{k}") }, out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                flatten(x, format!("{path}[{i}]"), out);
            }
        }
        Value::Null => {}
        scalar => out(&path, scalar),
    }
}

/// "Up to 500 characters".
fn length_words(tr: &Tr, min: u32, max: u32) -> Option<String> {
    let (min_t, max_t) = (tr.number(min.into()), tr.number(max.into()));
    match (min, max) {
        (0, 0) => None,
        (0, _) => Some(tr.a("form-limit-chars-max", &[("max", max_t.into())])),
        (_, 0) => Some(tr.a("form-limit-chars-min", &[("min", min_t.into())])),
        _ => Some(tr.a("form-limit-chars-between", &[("min", min_t.into()), ("max", max_t.into())])),
    }
}

/// "A whole number from 0 to 100".
fn number_words(tr: &Tr, min: Option<f64>, max: Option<f64>, integer: bool) -> String {
    let whole = if integer { "yes" } else { "no" };
    let f = |n: f64| if n.fract() == 0.0 && n.abs() < 9.0e15 { tr.number(n as i64) } else { super::charts::format_value(n) };
    match (min, max) {
        (Some(a), Some(b)) => tr.a("form-limit-number-between", &[("whole", whole.into()), ("min", f(a).into()), ("max", f(b).into())]),
        (Some(a), None) => tr.a("form-limit-number-min", &[("whole", whole.into()), ("min", f(a).into())]),
        (None, Some(b)) => tr.a("form-limit-number-max", &[("whole", whole.into()), ("max", f(b).into())]),
        (None, None) => tr.a("form-limit-number", &[("whole", whole.into())]),
    }
}

/// "Choose 1 to 3", "Choose up to 2", "Choose as many as apply".
fn choose_words(tr: &Tr, min: u32, max: u32, choices: usize) -> String {
    let max = if max == 0 { choices as u32 } else { max.min(choices as u32) };
    let (min_t, max_t) = (tr.number(min.into()), tr.number(max.into()));
    if min == 0 && max as usize >= choices {
        tr.t("form-limit-choose-any")
    } else if min == max {
        tr.a("form-limit-choose-exactly", &[("count", min_t.into())])
    } else if min == 0 {
        tr.a("form-limit-choose-up-to", &[("max", max_t.into())])
    } else if max as usize >= choices {
        tr.a("form-limit-choose-at-least", &[("min", min_t.into())])
    } else {
        tr.a("form-limit-choose-between", &[("min", min_t.into()), ("max", max_t.into())])
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::http::pages::i18n::UiLang;

    fn tr() -> Tr {
        Tr::new(UiLang::En)
    }

    fn choices(values: &[&str]) -> Value {
        values.iter().map(|v| json!({ "value": v, "label": { "en": v.to_uppercase(), "es": format!("es-{v}") } })).collect()
    }

    /// One field of every kind, as `activities::form` returns them.
    fn all_kinds() -> Vec<Field> {
        let form = json!([
            { "name": "answers.title", "label": { "en": "Title <b>" }, "help": { "en": "One line" }, "required": true,
              "kind": { "type": "text", "min_length": 0, "max_length": 120 } },
            { "name": "answers.story", "label": { "en": "Story" }, "help": {}, "required": false,
              "kind": { "type": "long_text", "min_length": 0, "max_length": 500 } },
            { "name": "answers.people", "label": { "en": "People" }, "help": {}, "required": false,
              "kind": { "type": "number", "min": 0.0, "max": 100.0, "integer": true } },
            { "name": "answers.budget", "label": { "en": "Budget" }, "help": {}, "required": false,
              "kind": { "type": "number", "min": null, "max": null, "integer": false } },
            { "name": "answers.priority", "label": { "en": "Priority" }, "help": {}, "required": true,
              "kind": { "type": "single_choice", "choices": choices(&["health", "transport"]) } },
            { "name": "answers.worries", "label": { "en": "Worries" }, "help": {}, "required": false,
              "kind": { "type": "multiple_choice", "choices": choices(&["bias", "privacy", "jobs", "cost"]), "min_selected": 1, "max_selected": 3 } },
            { "name": "answers.trust", "label": { "en": "Trust" }, "help": {}, "required": false,
              "kind": { "type": "scale", "min": 1, "max": 5, "min_label": { "en": "Not at all" }, "max_label": { "en": "Completely" } } },
            { "name": "answers.rank", "label": { "en": "Rank" }, "help": {}, "required": false,
              "kind": { "type": "ranking", "choices": choices(&["a", "b", "c"]) } },
            { "name": "consent", "label": { "en": "I agree" }, "help": {}, "required": true, "kind": { "type": "yes_no" } },
            { "name": "met_on", "label": { "en": "Date" }, "help": {}, "required": false, "kind": { "type": "date" } },
            { "name": "items", "label": { "en": "Items" }, "help": {}, "required": false,
              "kind": { "type": "repeated", "fields": [
                  { "name": "title", "label": { "en": "Item title" }, "help": {}, "required": true, "kind": { "type": "text", "min_length": 0, "max_length": 80 } },
                  { "name": "count", "label": { "en": "How many" }, "help": {}, "required": false, "kind": { "type": "number", "min": 0.0, "max": null, "integer": true } },
                  { "name": "kind", "label": { "en": "Kind" }, "help": {}, "required": false, "kind": { "type": "single_choice", "choices": choices(&["x", "y"]) } },
                  { "name": "ok", "label": { "en": "Done" }, "help": {}, "required": false, "kind": { "type": "yes_no" } },
                  { "name": "on", "label": { "en": "On" }, "help": {}, "required": false, "kind": { "type": "date" } },
                  { "name": "notes", "label": { "en": "Notes" }, "help": {}, "required": false, "kind": { "type": "long_text", "min_length": 0, "max_length": 300 } }
              ] } },
            { "name": "future", "label": { "en": "Future" }, "help": {}, "required": false, "kind": { "type": "hologram" } }
        ]);
        let fields = fields(&form);
        assert_eq!(fields.len(), 12, "every field parses, an unknown kind too");
        fields
    }

    fn form(fields: &[Field]) -> Form<'_> {
        Form::new(tr(), "body", "f-response", "en", fields)
    }

    fn full_body() -> Value {
        json!({
            "answers": { "title": "Bus lanes", "story": "Line one\nLine two", "people": 12, "budget": 3.5, "priority": "transport",
                         "worries": ["bias", "jobs"], "trust": 4, "rank": ["c", "a", "b"] },
            "consent": true,
            "met_on": "2027-03-15",
            "items": [ { "title": "First", "count": 2, "kind": "y", "ok": false, "on": "2027-01-02", "notes": "n" }, { "title": "Second" } ]
        })
    }

    #[test]
    fn every_kind_renders_with_labels_hints_limits_and_groups() {
        let fields = all_kinds();
        let html = form(&fields).render(&Values::default(), &[]).html;
        // Text: a label tied to its input, the hint and the limits in words, required in words.
        assert!(html.contains(r#"<label for="f-response-answers-title">"#), "{html}");
        assert!(html.contains("Title &#60;b&#62;") || html.contains("Title &lt;b&gt;"), "plugin text is escaped: {html}");
        assert!(html.contains(r#"aria-describedby="f-response-answers-title-hint f-response-answers-title-limits""#), "{html}");
        assert!(html.contains("Up to 120 characters.") && html.contains("Up to 500 characters."), "{html}");
        assert!(html.contains("(required)") && html.contains(r#"aria-required="true""#), "{html}");
        assert!(html.contains(r#"<textarea id="f-response-answers-story" name="body.answers.story""#), "{html}");
        // Numbers with their range in words.
        assert!(html.contains("A whole number from 0 to 100.") && html.contains("A number."), "{html}");
        assert!(html.contains(r#"type="number" id="f-response-answers-people""#) && html.contains(r#"step="1""#), "{html}");
        // Choices: fieldset and legend, radios and checkboxes labelled one by one.
        assert!(html.matches("<fieldset").count() >= 7, "{html}");
        assert!(html.contains(r#"<input type="radio" id="f-response-answers-priority" name="body.answers.priority" value="health">"#), "{html}");
        assert!(html.contains(r#"<label for="f-response-answers-priority-1" lang="en" dir="ltr">TRANSPORT</label>"#), "{html}");
        assert!(html.contains(r#"type="checkbox" id="f-response-answers-worries-3" name="body.answers.worries" value="cost""#), "{html}");
        assert!(html.contains("Choose 1 to 3."), "{html}");
        // An optional single answer can be taken back without JavaScript.
        assert!(html.contains(r#"id="f-response-answers-trust-none" name="body.answers.trust" value="" checked"#), "{html}");
        // A scale: radios, its ends labelled.
        assert!(html.contains(r#"class="scale""#) && html.contains("1 – Not at all") && html.contains("5 – Completely"), "{html}");
        // A ranking: one select per place, all with one name, in order.
        assert_eq!(html.matches(r#"name="body.answers.rank""#).count(), 3, "{html}");
        assert!(html.contains(r#"<label for="f-response-answers-rank">Place 1 (your first choice)</label>"#), "{html}");
        assert!(html.contains("Put the 3 options in order"), "{html}");
        // Yes or no.
        assert!(!html.contains(r#"name="consent" value="true""#) && html.contains(r#"name="body.consent" value="true""#), "{html}");
        // A date.
        assert!(html.contains(r#"<input type="date" id="f-response-met-on" name="body.met_on""#), "{html}");
        // A repeated field: a group of item fieldsets, slots said in words, more without JS.
        assert!(html.contains(r#"<fieldset class="group""#) && html.matches(r#"<fieldset class="repeat-item""#).count() == 3, "{html}");
        assert!(html.contains("There is room for 3 items."), "{html}");
        assert!(html.contains(r#"name="body.items[2].title""#) && html.contains(r#"id="f-response-items-2-0""#), "{html}");
        assert!(html.contains(r#"name="more-items" value="body.items""#), "{html}");
        assert!(html.contains("Items, item 2"), "{html}");
        // Nothing inline the CSP would refuse, nothing unknown shown.
        assert!(!html.contains("style=") && !html.contains("<script"), "{html}");
        let handler = html.match_indices(" on").any(|(i, _)| html[i + 3..].chars().take_while(|c| c.is_ascii_alphabetic()).count() > 0 && html[i + 3..].trim_start_matches(|c: char| c.is_ascii_alphabetic()).starts_with('='));
        assert!(!handler, "no event handler attributes: {html}");
        assert!(!html.contains("future") && !html.contains("Future"), "{html}");
        // Every id once.
        let ids: Vec<&str> = html.match_indices(" id=\"").map(|(i, _)| html[i + 5..].split('"').next().unwrap()).collect();
        let unique: BTreeSet<&&str> = ids.iter().collect();
        assert_eq!(ids.len(), unique.len(), "{ids:?}");
    }

    #[test]
    fn labels_follow_the_readers_language_and_fall_back_visibly() {
        let fields = all_kinds();
        let es = Form::new(Tr::new(UiLang::Es), "body", "f", "en", &fields).render(&Values::default(), &[]).html;
        assert!(es.contains(r#"lang="es" dir="ltr">es-health</label>"#), "{es}");
        assert!(es.contains(r#"<span lang="en" dir="ltr">Story</span>"#), "the English label, marked English: {es}");
        assert!(es.contains("(obligatorio)") && es.contains("Hasta 500 caracteres."), "{es}");
    }

    #[test]
    fn a_body_written_into_the_form_reads_back_the_same() {
        let fields = all_kinds();
        let f = form(&fields);
        let body = full_body();
        let values = f.values_from_json(&body);
        assert_eq!(values.get("answers.rank"), ["c", "a", "b"]);
        assert_eq!(values.get("items[0].count"), ["2"]);
        let (back, errors) = f.parse(&values);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(back, body);
        // And shown in the controls.
        let html = f.render(&values, &[]).html;
        assert!(html.contains(r#"value="transport" checked"#) && html.contains(r#"value="4" checked"#), "{html}");
        assert!(html.contains(r#"<option value="c" lang="en" selected>C</option>"#), "{html}");
        assert!(html.contains(">\nLine one\nLine two</textarea>"), "{html}");
        assert!(html.contains(r#"name="body.items[1].title" value="Second""#), "{html}");
        assert!(html.contains("There is room for 3 items."), "two items and one empty slot: {html}");
    }

    #[test]
    fn a_posted_form_becomes_the_body_the_plugin_expects() {
        let fields = all_kinds();
        let f = form(&fields);
        let pairs: Vec<(String, String)> = [
            ("csrf", "t"),
            ("kind", "response"),
            ("body.answers.title", "Bus lanes"),
            ("body.answers.story", "Line one\r\nLine two"),
            ("body.answers.people", " 12 "),
            ("body.answers.budget", "3,5"),
            ("body.answers.priority", "transport"),
            ("body.answers.worries", "bias"),
            ("body.answers.worries", "jobs"),
            ("body.answers.trust", "4"),
            ("body.answers.rank", "c"),
            ("body.answers.rank", "a"),
            ("body.answers.rank", "b"),
            ("body.consent", "true"),
            ("body.met_on", "2027-03-15"),
            // An empty slot first: items are numbered again from what was filled in.
            ("body.items[0].title", ""),
            ("body.items[0].notes", "  "),
            ("body.items[1].title", "First"),
            ("body.items[1].count", "2"),
            ("body.items[1].kind", "y"),
            ("body.items[1].ok", "false"),
            ("body.items[1].on", "2027-01-02"),
            ("body.items[1].notes", "n"),
            ("body.items[2].title", "Second"),
            ("body.items[2].kind", ""),
            ("body.items[2].ok", ""),
            ("body.items[7].nope", "ignored"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let values = f.values_from_pairs(&pairs);
        assert_eq!(values.get("items[0].title"), ["First"]);
        let (body, errors) = f.parse(&values);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(body, full_body());
        assert!(body["answers"]["people"].is_u64(), "whole numbers are JSON integers");
    }

    #[test]
    fn empty_optional_fields_are_left_out_and_what_is_not_a_value_is_said() {
        let fields = all_kinds();
        let f = form(&fields);
        let pairs: Vec<(String, String)> = [
            ("body.answers.title", "   "),
            ("body.answers.people", "2.5"),
            ("body.answers.budget", "a lot"),
            ("body.answers.trust", "9"),
            ("body.answers.priority", "moon"),
            ("body.consent", ""),
            ("body.met_on", "2027-02-30"),
            ("body.items[0].count", "x"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let values = f.values_from_pairs(&pairs);
        let (body, errors) = f.parse(&values);
        let paths: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            paths,
            ["body.answers.people", "body.answers.budget", "body.answers.priority", "body.answers.trust", "body.met_on", "body.items[0].count"]
        );
        assert_eq!(errors[0].problem, "Enter a whole number, for example 12.");
        assert_eq!(body, json!({ "items": [{}] }), "nothing else was given: {body}");
        // Typed values are kept and errors shown at their fields, in the reader's words.
        let html = f.render(&values, &errors).html;
        assert!(html.contains(r#"value="a lot""#) && html.contains(r#"value="2.5""#), "{html}");
        assert!(html.contains(r#"<span class="error-message" id="f-response-answers-budget-error"><span class="visually-hidden">Error:</span> Enter a number"#), "{html}");
        assert!(html.contains(r#"aria-describedby="f-response-answers-budget-limits f-response-answers-budget-error" aria-invalid="true""#), "{html}");
        let (empty, none) = f.parse(&Values::default());
        assert_eq!((empty, none.len()), (json!({}), 0));
    }

    #[test]
    fn the_plugins_errors_are_placed_at_their_fields_and_in_the_summary() {
        let fields = all_kinds();
        let f = form(&fields);
        let values = f.values_from_json(&full_body());
        let errors = vec![
            FieldError::new("body.answers.priority", "`space` is not one of the choices"),
            FieldError::new("body.answers.rank", "must list every choice exactly once, most preferred first"),
            FieldError::new("body.items[1].title", "must be at least 3 characters"),
            FieldError::new("body.items[0]", "is a duplicate"),
            FieldError::new("body.answers.nope", "there is no such question"),
            FieldError::new("body", "you have already volunteered"),
            FieldError::new("body.consent", "agree to the consent statement"),
        ];
        let rendered = f.render(&values, &errors);
        let html = &rendered.html;
        assert!(html.contains(r#"id="f-response-answers-priority-error"><span class="visually-hidden">Error:</span> `space` is not one of the choices"#), "{html}");
        assert!(html.contains(r#"<div class="field field-error">"#), "{html}");
        assert!(html.contains(r#"id="f-response-consent-error""#) && html.contains("Agree to the consent statement"), "{html}");
        assert!(html.contains(r#"id="f-response-items-1-0-error""#) && html.contains("Write at least 3 characters."), "{html}");
        assert!(html.contains(r#"id="f-response-items-0-error""#) && html.contains("Is a duplicate"), "the item's own error: {html}");
        let summary: Vec<(Option<&str>, &str)> = rendered.summary.iter().map(|s| (s.href.as_deref(), s.text.as_str())).collect();
        assert_eq!(
            summary,
            [
                (None, "There is no such question"),
                (None, "You have already volunteered"),
                (Some("#f-response-answers-priority"), "Priority: `space` is not one of the choices"),
                (Some("#f-response-answers-rank"), "Rank: must list every choice exactly once, most preferred first"),
                (Some("#f-response-consent"), "I agree: agree to the consent statement"),
                (Some("#f-response-items-0-0"), "Items, item 1: is a duplicate"),
                (Some("#f-response-items-1-0"), "Items, item 2: Item title: Write at least 3 characters."),
            ]
        );
        // Every link leads to a control of the form.
        for (href, _) in summary.iter().filter_map(|(h, t)| h.map(|h| (h, t))) {
            assert!(html.contains(&format!(r#" id="{}""#, &href[1..])), "{href} in {html}");
        }
    }

    #[test]
    fn the_sdks_problems_are_said_in_the_readers_language_and_the_plugins_own_as_written() {
        let fields = all_kinds();
        let errors = vec![
            FieldError::new("body.answers.priority", "is required"),
            FieldError::new("body.items[1].title", "must be at most 1 characters"),
            FieldError::new("body.answers.rank", "must list every choice exactly once"),
        ];
        let fr = Form::new(Tr::new(UiLang::Fr), "body", "f-response", "en", &fields).render(&Values::default(), &errors);
        let summary: Vec<&str> = fr.summary.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(summary[0], "Priority: Répondez à cette question.");
        assert!(summary[1].ends_with(": must list every choice exactly once"), "{summary:?}");
        assert!(summary[2].ends_with(": Écrivez au plus un caractère."), "{summary:?}");
        assert!(fr.html.contains("</span> Répondez à cette question.</span>"), "{}", fr.html);
        let es = Tr::new(UiLang::Es);
        assert_eq!(sdk_problem(&es, "must be at least 12 characters").as_deref(), Some("Escriba al menos 12 caracteres."));
        assert_eq!(sdk_problem(&es, "must be text").as_deref(), Some("Escriba un texto."));
        assert_eq!(sdk_problem(&es, "must be at least twelve characters"), None);
        assert_eq!(sdk_problem(&tr(), " is required ").as_deref(), Some("Answer this question."));
    }

    #[test]
    fn a_stored_body_is_shown_under_the_labels_of_its_form() {
        let fields = all_kinds();
        let f = form(&fields);
        let mut body = full_body();
        body["extra"] = json!({ "note": "<i>kept</i>", "n": [1, 2] });
        let answers = f.answers(&body, "en");
        let labels: Vec<&str> = answers.list.iter().map(|a| a.label.text.as_str()).collect();
        assert_eq!(labels, ["Title <b>", "Story", "People", "Budget", "Priority", "Worries", "Trust", "Rank", "I agree", "Date", "Items"]);
        let priority = &answers.list[4];
        assert_eq!(priority.values[0].text, "TRANSPORT");
        assert!(answers.list[7].ordered);
        assert_eq!(answers.list[8].values[0].text, "Yes");
        assert_eq!(answers.list[9].values[0].text, "15 March 2027");
        assert_eq!(answers.list[10].items.len(), 2);
        let extra: Vec<(&str, &str)> = answers.extra.iter().map(|(k, v)| (k.as_str(), v.text.as_str())).collect();
        assert_eq!(extra, [("extra.n[0]", "1"), ("extra.n[1]", "2"), ("extra.note", "<i>kept</i>")]);
        // A body no form describes is listed by its paths; a bare value as a value.
        let bare = Form::new(tr(), "body", "x", "en", &[]).answers(&json!("just text"), "en");
        assert_eq!(bare.extra[0].0, "Value");
        let big: Value = (0..100).map(|i| json!({ "i": i })).collect::<Vec<_>>().into();
        let many = Form::new(tr(), "body", "x", "en", &[]).answers(&big, "en");
        assert_eq!((many.extra.len(), many.more), (MAX_EXTRA, 100 - MAX_EXTRA));
        assert!(Form::new(tr(), "body", "x", "en", &fields).answers(&Value::Null, "en").is_empty());
    }

    #[test]
    fn limits_are_said_in_words() {
        let t = tr();
        assert_eq!(choose_words(&t, 0, 4, 4), "Choose as many as apply.");
        assert_eq!(choose_words(&t, 0, 2, 4), "Choose up to 2.");
        assert_eq!(choose_words(&t, 2, 2, 4), "Choose 2.");
        assert_eq!(choose_words(&t, 1, 4, 4), "Choose at least 1.");
        assert_eq!(choose_words(&t, 1, 3, 4), "Choose 1 to 3.");
        assert_eq!(length_words(&t, 3, 2000).unwrap(), "From 3 to 2,000 characters.");
        assert_eq!(number_words(&t, Some(0.5), None, false), "A number, at least 0.50.");
        assert_eq!(number(" 1 000 "), Some(1000.0));
        assert_eq!(number("3,5"), Some(3.5));
        assert_eq!(number("inf"), None);
        assert_eq!(slug("answers.Q 1"), "answers-q-1");
    }
}
