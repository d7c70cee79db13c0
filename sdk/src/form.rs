//! Builders for declarative forms: `Field::text("title").label(tr(...)).max(120).required()`.

use crate::types::*;

/// Starts a form field of each kind; finish with [`Field::build`] or use `.into()`.
pub struct Field(FormField);

impl Field {
    fn new(name: &str, kind: FieldKind) -> Field {
        Field(FormField { name: name.into(), label: Localized::one("en", name), help: Localized::default(), required: false, kind })
    }

    /// One line of text, up to 200 characters unless changed with [`Field::max`].
    pub fn text(name: &str) -> Field {
        Field::new(name, FieldKind::Text(TextLimits { min_length: 0, max_length: 200 }))
    }

    /// Paragraphs of text, up to 5000 characters unless changed.
    pub fn long_text(name: &str) -> Field {
        Field::new(name, FieldKind::LongText(TextLimits { min_length: 0, max_length: 5000 }))
    }

    pub fn number(name: &str, min: Option<f64>, max: Option<f64>, integer: bool) -> Field {
        Field::new(name, FieldKind::Number(NumberLimits { min, max, integer }))
    }

    pub fn single_choice(name: &str, choices: Vec<Choice>) -> Field {
        Field::new(name, FieldKind::SingleChoice(choices))
    }

    pub fn multiple_choice(name: &str, choices: Vec<Choice>, min_selected: u32, max_selected: u32) -> Field {
        Field::new(name, FieldKind::MultipleChoice(ChoiceLimits { choices, min_selected, max_selected }))
    }

    pub fn scale(name: &str, min: i32, max: i32, min_label: Localized, max_label: Localized) -> Field {
        Field::new(name, FieldKind::Scale(ScaleLimits { min, max, min_label, max_label }))
    }

    pub fn ranking(name: &str, choices: Vec<Choice>) -> Field {
        Field::new(name, FieldKind::Ranking(choices))
    }

    pub fn yes_no(name: &str) -> Field {
        Field::new(name, FieldKind::YesNo)
    }

    pub fn date(name: &str) -> Field {
        Field::new(name, FieldKind::Date)
    }

    pub fn label(mut self, label: Localized) -> Field {
        self.0.label = label;
        self
    }

    pub fn help(mut self, help: Localized) -> Field {
        self.0.help = help;
        self
    }

    pub fn required(mut self) -> Field {
        self.0.required = true;
        self
    }

    /// Length limits of a text field (ignored for other kinds).
    pub fn length(mut self, min: u32, max: u32) -> Field {
        if let FieldKind::Text(l) | FieldKind::LongText(l) = &mut self.0.kind {
            l.min_length = min;
            l.max_length = max;
        }
        self
    }

    pub fn build(self) -> FormField {
        self.0
    }
}

impl From<Field> for FormField {
    fn from(f: Field) -> FormField {
        f.0
    }
}

/// A choice with its label: `choice("yes", tr(&[("en", "Yes"), ("es", "Sí")]))`.
pub fn choice(value: &str, label: Localized) -> Choice {
    Choice { value: value.into(), label }
}

/// Checks a text value against limits, naming `field` in the error.
pub fn check_text(field: &str, value: &serde_json::Value, limits: TextLimits, required: bool) -> Result<Option<String>, FieldError> {
    match value {
        serde_json::Value::Null if !required => Ok(None),
        serde_json::Value::Null => Err(FieldError::new(field, "is required")),
        serde_json::Value::String(s) => {
            let s = s.trim();
            let n = s.chars().count() as u32;
            if s.is_empty() && required {
                Err(FieldError::new(field, "is required"))
            } else if n < limits.min_length {
                Err(FieldError::new(field, format!("must be at least {} characters", limits.min_length)))
            } else if n > limits.max_length {
                Err(FieldError::new(field, format!("must be at most {} characters", limits.max_length)))
            } else if s.is_empty() {
                Ok(None)
            } else {
                Ok(Some(s.to_string()))
            }
        }
        _ => Err(FieldError::new(field, "must be text")),
    }
}
