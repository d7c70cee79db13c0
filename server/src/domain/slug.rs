//! URL-friendly identifiers chosen by people: `national-ai-strategy-2027`.

use super::errors::FieldError;

pub fn parse(field: &str, raw: &str, max: usize) -> Result<String, FieldError> {
    let ok_chars = raw.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if raw.len() < 3 || raw.len() > max {
        return Err(FieldError::new(field, format!("must be 3 to {max} characters")));
    }
    if !ok_chars || raw.starts_with('-') || raw.ends_with('-') || raw.contains("--") {
        return Err(FieldError::new(
            field,
            "use lowercase letters, digits and single hyphens, e.g. national-ai-strategy-2027",
        ));
    }
    // A slug that parses as a UUID would be ambiguous in URLs that accept either.
    if uuid::Uuid::parse_str(raw).is_ok() {
        return Err(FieldError::new(field, "must not look like an id"));
    }
    Ok(raw.to_string())
}

/// A slug made from a title, for when the organiser gives none.
pub fn from_title(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        let c = deunicode_char(c);
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 60 {
            break;
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.len() < 3 { format!("process-{out}") } else { out }
}

/// Folds the accented Latin letters common in our languages to ASCII.
fn deunicode_char(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'Á' | 'À' | 'Â' | 'Ä' | 'Ã' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'Ó' | 'Ò' | 'Ô' | 'Ö' | 'Õ' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' => 'u',
        'ñ' | 'Ñ' => 'n',
        'ç' | 'Ç' => 'c',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(parse("slug", "national-ai-strategy-2027", 80).is_ok());
        for bad in ["ab", "Has-Caps", "-lead", "trail-", "dou--ble", "spa ce"] {
            assert!(parse("slug", bad, 80).is_err(), "{bad}");
        }
        assert_eq!(from_title("Estrategia de IA: Valparaíso 2027"), "estrategia-de-ia-valparaiso-2027");
    }
}
