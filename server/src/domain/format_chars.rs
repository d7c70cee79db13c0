//! Invisible formatting characters (Unicode category Cf) in text people type. Bidirectional
//! overrides and isolates (U+202A–U+202E, U+2066–U+2069) reorder what is displayed, so a title
//! can read "Approve the budget" while saying something else, or a name can pass for another
//! person's; zero-width characters make two different names look the same. This is the one
//! rule every text field follows:
//!
//! - single-line text (names, titles, headings, references) refuses every format character
//!   except those some scripts and emoji need to be written at all;
//! - multi-line text keeps format characters (long text in right-to-left languages uses
//!   them), but every embedding, override or isolate must be closed on the line it opens, so
//!   none leaks into what follows it on the page.
//!
//! Nothing is removed silently: the person is told which character, and why.

use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

use super::errors::FieldError;

/// Why a piece of text was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatProblem {
    /// A format character in single-line text.
    Invisible { ch: char },
    /// An embedding, override or isolate that the line does not close.
    Unclosed { ch: char, line: usize },
    /// A closing character (PDF, PDI) with nothing open before it on its line.
    Unopened { ch: char, line: usize },
}

impl FormatProblem {
    pub fn to_field_error(&self, field: &str) -> FieldError {
        FieldError::new(field, self.to_string())
    }
}

impl std::fmt::Display for FormatProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            FormatProblem::Invisible { ch } => write!(
                f,
                "must not contain the invisible formatting character {}: it can make the text display differently from what it says",
                describe(ch)
            ),
            FormatProblem::Unclosed { ch, line } => write!(
                f,
                "line {line} opens {} and does not close it on that line: it would reorder the text that follows",
                describe(ch)
            ),
            FormatProblem::Unopened { ch, line } => {
                write!(f, "line {line} has {} with nothing open to close", describe(ch))
            }
        }
    }
}

/// `U+202E (right-to-left override)`, or just the code point for characters without a name
/// here.
fn describe(ch: char) -> String {
    let name = match ch {
        '\u{061C}' => Some("Arabic letter mark"),
        '\u{00AD}' => Some("soft hyphen"),
        '\u{200B}' => Some("zero-width space"),
        '\u{200E}' => Some("left-to-right mark"),
        '\u{200F}' => Some("right-to-left mark"),
        '\u{202A}' => Some("left-to-right embedding"),
        '\u{202B}' => Some("right-to-left embedding"),
        '\u{202C}' => Some("pop directional formatting"),
        '\u{202D}' => Some("left-to-right override"),
        '\u{202E}' => Some("right-to-left override"),
        '\u{2060}' => Some("word joiner"),
        '\u{2066}' => Some("left-to-right isolate"),
        '\u{2067}' => Some("right-to-left isolate"),
        '\u{2068}' => Some("first strong isolate"),
        '\u{2069}' => Some("pop directional isolate"),
        '\u{FEFF}' => Some("zero-width no-break space"),
        _ => None,
    };
    match name {
        Some(name) => format!("U+{:04X} ({name})", ch as u32),
        None => format!("U+{:04X}", ch as u32),
    }
}

/// Format characters that single-line text may still hold, because writing some languages
/// or emoji needs them and they cannot reorder text: the zero-width joiner and non-joiner
/// (Persian, Hindi, emoji sequences) and the visible number signs of Arabic, Syriac and Kaithi.
fn needed_by_a_script(ch: char) -> bool {
    matches!(
        ch,
        '\u{200C}' | '\u{200D}' | '\u{0600}'..='\u{0605}' | '\u{06DD}' | '\u{070F}' | '\u{0890}'..='\u{0891}' | '\u{08E2}' | '\u{110BD}' | '\u{110CD}'
    )
}

/// The black flag that starts an emoji tag sequence (the flags of England, Scotland, Wales):
/// tag characters (U+E0020–U+E007F) are allowed only right after it.
const BLACK_FLAG: char = '\u{1F3F4}';

fn is_tag(ch: char) -> bool {
    matches!(ch, '\u{E0020}'..='\u{E007F}')
}

fn is_format(ch: char) -> bool {
    ch.general_category() == GeneralCategory::Format
}

/// Checks text for format characters; `multiline` chooses the rule (see the module comment).
pub fn check(text: &str, multiline: bool) -> Result<(), FormatProblem> {
    if multiline { check_balanced(text) } else { check_single_line(text) }
}

/// `check`, as a problem with the field it concerns.
pub fn check_field(field: &str, text: &str, multiline: bool) -> Result<(), FieldError> {
    check(text, multiline).map_err(|p| p.to_field_error(field))
}

fn check_single_line(text: &str) -> Result<(), FormatProblem> {
    let mut in_tag_sequence = false;
    for ch in text.chars() {
        if is_tag(ch) && in_tag_sequence {
            continue;
        }
        in_tag_sequence = ch == BLACK_FLAG;
        if is_format(ch) && !needed_by_a_script(ch) {
            return Err(FormatProblem::Invisible { ch });
        }
    }
    Ok(())
}

/// Openers push, closers pop the matching kind; the stack must be empty at each line end.
/// Mismatched closers follow the Unicode bidirectional algorithm loosely but safely: a PDI
/// closes the innermost isolate together with any embeddings opened inside it, and a PDF
/// closes an embedding only if no isolate is open inside it.
fn check_balanced(text: &str) -> Result<(), FormatProblem> {
    for (i, line) in text.split('\n').enumerate() {
        let line_no = i + 1;
        let mut open: Vec<char> = Vec::new();
        for ch in line.chars() {
            match ch {
                '\u{202A}' | '\u{202B}' | '\u{202D}' | '\u{202E}' | '\u{2066}' | '\u{2067}' | '\u{2068}' => open.push(ch),
                '\u{202C}' => match open.last() {
                    Some(o) if is_embedding(*o) => {
                        open.pop();
                    }
                    _ => return Err(FormatProblem::Unopened { ch, line: line_no }),
                },
                '\u{2069}' => match open.iter().rposition(|o| is_isolate(*o)) {
                    Some(at) => open.truncate(at),
                    None => return Err(FormatProblem::Unopened { ch, line: line_no }),
                },
                _ => {}
            }
        }
        if let Some(&ch) = open.first() {
            return Err(FormatProblem::Unclosed { ch, line: line_no });
        }
    }
    Ok(())
}

fn is_embedding(ch: char) -> bool {
    matches!(ch, '\u{202A}' | '\u{202B}' | '\u{202D}' | '\u{202E}')
}

fn is_isolate(ch: char) -> bool {
    matches!(ch, '\u{2066}' | '\u{2067}' | '\u{2068}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_line_text_refuses_bidi_controls_and_invisible_characters() {
        for ch in ['\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}', '\u{200B}', '\u{00AD}', '\u{2060}', '\u{FEFF}', '\u{E0041}'] {
            let text = format!("Budget{ch}2027");
            assert_eq!(check(&text, false), Err(FormatProblem::Invisible { ch }), "U+{:04X}", ch as u32);
        }
        let message = check("evil\u{202E}txt.exe", false).unwrap_err().to_string();
        assert!(message.contains("U+202E (right-to-left override)"), "{message}");
        assert!(message.contains("display differently"), "{message}");
    }

    #[test]
    fn single_line_text_keeps_what_scripts_and_emoji_need() {
        for ok in [
            "Estrategia de IA: Valparaíso 2027",
            "مشاركة المواطنين",
            "می\u{200C}خواهم",                           // Persian with a zero-width non-joiner
            "क्\u{200D}ष",                                // Devanagari with a joiner
            "👩\u{200D}👩\u{200D}👧 families",              // an emoji ZWJ sequence
            "\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F} England", // a tag sequence flag
            "\u{0600}123",                               // Arabic number sign
        ] {
            assert_eq!(check(ok, false), Ok(()), "{ok}");
        }
        // Tag characters outside a flag sequence hide text.
        assert!(check("hi\u{E0068}\u{E0069}", false).is_err());
    }

    #[test]
    fn multi_line_text_needs_each_override_closed_on_its_line() {
        assert_eq!(check("plain\ntext", true), Ok(()));
        assert_eq!(check("a \u{202B}quoted\u{202C} b\n\u{2067}name\u{2069}", true), Ok(()));
        assert_eq!(check("marks are fine \u{200F} \u{200E}", true), Ok(()));
        assert_eq!(check("one\ntwo \u{202E}evil", true), Err(FormatProblem::Unclosed { ch: '\u{202E}', line: 2 }));
        assert_eq!(check("\u{2066}open\nclosed later\u{2069}", true), Err(FormatProblem::Unclosed { ch: '\u{2066}', line: 1 }));
        assert_eq!(check("stray \u{202C}", true), Err(FormatProblem::Unopened { ch: '\u{202C}', line: 1 }));
        assert_eq!(check("stray \u{2069}", true), Err(FormatProblem::Unopened { ch: '\u{2069}', line: 1 }));
        // A PDI closes its isolate and whatever was opened inside it.
        assert_eq!(check("\u{2067}x \u{202E}y\u{2069}", true), Ok(()));
        // A PDF cannot reach past an open isolate.
        assert!(check("\u{202E}x \u{2066}y\u{202C}\u{2069}", true).is_err());
        let message = check("x\u{202E}", true).unwrap_err().to_string();
        assert!(message.contains("line 1") && message.contains("U+202E"), "{message}");
    }
}
