//! The contract's values as the JSON the API serves: translated text as `{"en": "..."}` maps,
//! variants as objects with a `type`, snake_case names. One shape for every plugin, so a
//! client renders any activity type's forms and results without knowing the plugin.

use serde_json::{Map, Value, json};

use super::bindings::convene::activity::types::{
    ActivityResults, ActivityType, ChartKind, Choice, FieldKind, FormField, FormFieldLeaf, LeafKind,
    Localized, NumberLimits, Section, SubmitterRole, TextLimits,
};

pub fn role(r: SubmitterRole) -> &'static str {
    match r {
        SubmitterRole::Participant => "participant",
        SubmitterRole::Facilitator => "facilitator",
        SubmitterRole::Organiser => "organiser",
    }
}

pub fn localized(text: &Localized) -> Value {
    Value::Object(text.iter().map(|(lang, s)| (lang.clone(), Value::String(s.clone()))).collect::<Map<_, _>>())
}

fn choices(cs: &[Choice]) -> Value {
    cs.iter().map(|c| json!({"value": c.value, "label": localized(&c.label)})).collect()
}

fn text_limits(kind: &str, t: &TextLimits) -> Value {
    json!({"type": kind, "min_length": t.min_length, "max_length": t.max_length})
}

fn number(n: &NumberLimits) -> Value {
    json!({"type": "number", "min": n.min, "max": n.max, "integer": n.integer})
}

fn field_kind(k: &FieldKind) -> Value {
    match k {
        FieldKind::Text(t) => text_limits("text", t),
        FieldKind::LongText(t) => text_limits("long_text", t),
        FieldKind::Number(n) => number(n),
        FieldKind::SingleChoice(cs) => json!({"type": "single_choice", "choices": choices(cs)}),
        FieldKind::MultipleChoice(c) => json!({"type": "multiple_choice", "choices": choices(&c.choices),
            "min_selected": c.min_selected, "max_selected": c.max_selected}),
        FieldKind::Scale(s) => json!({"type": "scale", "min": s.min, "max": s.max,
            "min_label": localized(&s.min_label), "max_label": localized(&s.max_label)}),
        FieldKind::Ranking(cs) => json!({"type": "ranking", "choices": choices(cs)}),
        FieldKind::YesNo => json!({"type": "yes_no"}),
        FieldKind::Date => json!({"type": "date"}),
        FieldKind::Repeated(fields) => json!({"type": "repeated", "fields": fields.iter().map(leaf).collect::<Vec<_>>()}),
    }
}

fn leaf_kind(k: &LeafKind) -> Value {
    match k {
        LeafKind::Text(t) => text_limits("text", t),
        LeafKind::LongText(t) => text_limits("long_text", t),
        LeafKind::Number(n) => number(n),
        LeafKind::SingleChoice(cs) => json!({"type": "single_choice", "choices": choices(cs)}),
        LeafKind::YesNo => json!({"type": "yes_no"}),
        LeafKind::Date => json!({"type": "date"}),
    }
}

fn leaf(f: &FormFieldLeaf) -> Value {
    json!({"name": f.name, "label": localized(&f.label), "help": localized(&f.help), "required": f.required, "kind": leaf_kind(&f.kind)})
}

pub fn form(fields: &[FormField]) -> Value {
    fields
        .iter()
        .map(|f| json!({"name": f.name, "label": localized(&f.label), "help": localized(&f.help), "required": f.required, "kind": field_kind(&f.kind)}))
        .collect()
}

pub fn activity_type(t: &ActivityType) -> Value {
    json!({
        "id": t.id,
        "name": localized(&t.name),
        "version": t.version,
        "description": localized(&t.description),
        "contribution_kinds": t.contribution_kinds.iter().map(|k| json!({
            "id": k.id, "name": localized(&k.name), "description": localized(&k.description),
            "fields": form(&k.fields), "remote_allowed": k.remote_allowed,
            "submitted_by": k.submitted_by.iter().map(|r| role(*r)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "config_fields": form(&t.config_fields),
        "results": t.results.iter().map(|r| json!({"id": r.id, "name": localized(&r.name), "description": localized(&r.description)})).collect::<Vec<_>>(),
    })
}

pub fn results(r: &ActivityResults) -> Value {
    let sections: Vec<Value> = r
        .sections
        .iter()
        .map(|s| match s {
            Section::Text(t) => json!({"type": "text", "title": localized(&t.title), "body": localized(&t.body)}),
            Section::Table(t) => json!({"type": "table", "title": localized(&t.title),
                "columns": t.columns.iter().map(localized).collect::<Vec<_>>(), "rows": t.rows}),
            Section::Chart(c) => json!({"type": "chart", "title": localized(&c.title),
                "kind": match c.kind { ChartKind::Bar => "bar", ChartKind::Pie => "pie", ChartKind::Line => "line" },
                "labels": c.labels.iter().map(localized).collect::<Vec<_>>(),
                "series": c.series.iter().map(|s| json!({"name": localized(&s.name), "values": s.values})).collect::<Vec<_>>()}),
        })
        .collect();
    json!({ "sections": sections })
}
