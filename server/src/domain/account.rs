//! People: email addresses, names, passwords, roles and verified attributes.

use serde::{Deserialize, Serialize};

use super::errors::FieldError;
use super::text::bounded;

/// An email address, trimmed and lower-cased so that one person has one account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(field: &str, raw: &str) -> Result<EmailAddress, FieldError> {
        let value = raw.trim().to_lowercase();
        let invalid = || FieldError::new(field, format!("`{}` is not an email address like name@example.org", raw.trim()));
        if value.len() > 254 || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid());
        }
        // An address is shown to organisers beside a name: no invisible reordering in it.
        super::format_chars::check_field(field, &value, false)?;
        let (local, domain) = value.split_once('@').ok_or_else(invalid)?;
        let domain_ok = !domain.is_empty()
            && domain.len() <= 253
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.contains(['<', '>', '(', ')', ',', ';', ':', '\\', '"', '[', ']', '@']);
        if local_ok && domain_ok { Ok(EmailAddress(value)) } else { Err(invalid()) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

pub fn display_name(field: &str, raw: &str) -> Result<String, FieldError> {
    bounded(field, raw, 100, false)
}

pub const PASSWORD_MIN_CHARS: usize = 12;
pub const PASSWORD_MAX_CHARS: usize = 128;

/// A password we accept to hash: long enough to resist guessing, short enough not to be a
/// denial of service through the hash function.
pub fn password(field: &str, raw: &str) -> Result<(), FieldError> {
    let n = raw.chars().count();
    if n < PASSWORD_MIN_CHARS {
        return Err(FieldError::new(field, format!("must be at least {PASSWORD_MIN_CHARS} characters")));
    }
    if n > PASSWORD_MAX_CHARS {
        return Err(FieldError::new(field, format!("must be at most {PASSWORD_MAX_CHARS} characters")));
    }
    Ok(())
}

/// A verified attribute name such as `resident` or `resident-valparaiso`.
pub fn attribute_name(field: &str, raw: &str) -> Result<String, FieldError> {
    let ok = (2..=64).contains(&raw.len())
        && raw.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if ok {
        Ok(raw.to_string())
    } else {
        Err(FieldError::new(field, "use 2 to 64 lowercase letters, digits, - or _, e.g. resident"))
    }
}

/// Someone's role in one process.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProcessRole {
    /// Runs the process: edits it, publishes it, responds to input.
    Organiser,
    /// Runs activities and enters input on behalf of people who are not online.
    Facilitator,
    /// Takes part, including in private processes they were invited to.
    Participant,
    /// Follows a private process without taking part (an auditor, a journalist).
    Observer,
}

crate::string_enum!(ProcessRole {
    Organiser => "organiser",
    Facilitator => "facilitator",
    Participant => "participant",
    Observer => "observer",
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(EmailAddress::parse("e", " Ana@Example.ORG ").unwrap().as_str(), "ana@example.org");
        for bad in ["", "ana", "ana@", "@x.org", "a b@x.org", "ana@x..org", "ana@-x.org", "<a>@x.org", "ana\u{202E}@x.org"] {
            assert!(EmailAddress::parse("e", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn display_names_refuse_bidi_overrides() {
        let e = display_name("display_name", "Ana \u{202E}nimda").unwrap_err();
        assert_eq!(e.field, "display_name");
        assert!(e.problem.contains("right-to-left override"), "{}", e.problem);
        assert!(display_name("display_name", "مريم").is_ok());
    }

    #[test]
    fn passwords_and_attributes() {
        assert!(password("p", "short").is_err());
        assert!(password("p", "correct horse battery").is_ok());
        assert!(password("p", &"x".repeat(129)).is_err());
        assert!(attribute_name("a", "resident").is_ok());
        assert!(attribute_name("a", "Resident!").is_err());
    }
}
