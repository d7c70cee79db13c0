//! Bounded single-line and multi-line text.

use super::errors::FieldError;

/// Trims and checks a length in characters; rejects control characters other than newlines
/// and tabs in multi-line text, and invisible formatting characters by the rule of
/// `format_chars` (none in single-line text, only balanced ones in multi-line text).
pub fn bounded(field: &str, value: &str, max_chars: usize, multiline: bool) -> Result<String, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(FieldError::new(field, "must not be empty"));
    }
    let count = value.chars().count();
    if count > max_chars {
        return Err(FieldError::new(
            field,
            format!("is {count} characters long; the limit is {max_chars}"),
        ));
    }
    let bad_char = value.chars().find(|c| {
        c.is_control() && !(multiline && (*c == '\n' || *c == '\t' || *c == '\r'))
    });
    if let Some(c) = bad_char {
        return Err(FieldError::new(field, format!("must not contain the control character U+{:04X}", c as u32)));
    }
    super::format_chars::check_field(field, value, multiline)?;
    Ok(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_limits() {
        assert_eq!(bounded("f", "  hi ", 5, false).unwrap(), "hi");
        assert!(bounded("f", "   ", 5, false).is_err());
        assert!(bounded("f", "abcdef", 5, false).is_err());
        assert!(bounded("f", "a\nb", 5, false).is_err());
        assert_eq!(bounded("f", "a\nb", 5, true).unwrap(), "a\nb");
        assert!(bounded("f", "ñandú", 5, false).is_ok(), "counts characters, not bytes");
    }

    #[test]
    fn follows_the_format_character_rule() {
        let e = bounded("title", "Vote\u{202E}gnp.exe", 50, false).unwrap_err();
        assert_eq!(e.field, "title");
        assert!(e.problem.contains("U+202E"), "{}", e.problem);
        assert!(bounded("body", "a \u{202B}b\u{202C}\nc", 50, true).is_ok());
        assert!(bounded("body", "a \u{202B}b\nc\u{202C}", 50, true).is_err());
    }
}
