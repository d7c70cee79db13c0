//! Text written by a plugin, on its way to a person or a log. A plugin is untrusted: an error
//! message or a log line may be megabytes long, hold newlines that forge log lines, terminal
//! escapes that repaint the operator's screen, or bidirectional overrides that make it read
//! as something else. Every path where such text reaches a response or a log goes through
//! [`excerpt`]; the names a plugin declares for people (its type id, kind ids, field names,
//! labels) are checked once at load by [`type_id`] and [`printable`] and refused if unfit.

use std::fmt::Write;

use super::format_chars;

/// The most of a plugin's text that reaches a response or a log line: enough to tell what
/// went wrong, too little to flood anything.
pub const EXCERPT_BYTES: usize = 300;

/// The longest type id, in bytes.
pub const MAX_TYPE_ID_BYTES: usize = 128;

/// `text` made fit for one line of a log or an error message: control characters (newlines
/// included), line separators and invisible formatting characters escaped as `\n`, `\u{1b}`…,
/// and cut to about [`EXCERPT_BYTES`] with a note of the full length. Only the part kept is
/// read, so a 10 MB message costs no more than a short one.
pub fn excerpt(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(EXCERPT_BYTES) + 40);
    for (at, ch) in text.char_indices() {
        if out.len() >= EXCERPT_BYTES {
            let _ = write!(out, "… [cut: {} bytes in all, {} more]", text.len(), text.len() - at);
            return out;
        }
        push_escaped(&mut out, ch);
    }
    out
}

fn push_escaped(out: &mut String, ch: char) {
    match ch {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\\' => out.push_str("\\\\"),
        c if needs_escape(c) => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
        c => out.push(c),
    }
}

/// Characters that change how a line displays rather than show something: C0/C1 controls,
/// the Unicode line and paragraph separators, and format characters (bidi overrides,
/// zero-width characters).
fn needs_escape(c: char) -> bool {
    c.is_control() || c == '\u{2028}' || c == '\u{2029}' || format_chars::check(c.encode_utf8(&mut [0; 4]), false).is_err()
}

/// Checks an activity type id against the reverse-DNS grammar `[a-z0-9-]+(\.[a-z0-9-]+)+`
/// (at most [`MAX_TYPE_ID_BYTES`]): it is printed in lists, logs, metrics labels and URLs,
/// where nothing else is safe everywhere. The error quotes the id through [`excerpt`].
pub fn type_id(id: &str) -> Result<(), String> {
    let label_ok = |l: &str| !l.is_empty() && l.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    let labels: Vec<&str> = id.split('.').collect();
    if id.len() <= MAX_TYPE_ID_BYTES && labels.len() >= 2 && labels.iter().all(|l| label_ok(l)) {
        return Ok(());
    }
    Err(format!(
        "the type id `{}` is not a reverse-DNS name like org.example.idea-box (lowercase letters, digits and hyphens, in at least two dot-separated parts, at most {MAX_TYPE_ID_BYTES} bytes)",
        excerpt(id)
    ))
}

/// Whether `text` can be shown to people as it is: no control characters (in `multiline`
/// text, newlines and tabs only) and invisible formatting characters only by the rule every
/// text field follows (`format_chars`).
pub fn printable(text: &str, multiline: bool) -> bool {
    let control = text.chars().any(|c| (c.is_control() && !(multiline && matches!(c, '\n' | '\t'))) || c == '\u{2028}' || c == '\u{2029}');
    !control && format_chars::check(text, multiline).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_is_one_short_line_whatever_it_is_given() {
        let huge = format!("boom\n2027-01-01T00:00:00Z ERROR forged\x1b[31m{}", "x\n".repeat(5 << 20));
        let e = excerpt(&huge);
        assert!(e.len() < EXCERPT_BYTES + 80, "{} bytes", e.len());
        assert!(!e.chars().any(|c| c.is_control()), "{e:?}");
        assert!(e.starts_with("boom\\n2027-01-01T00:00:00Z ERROR forged\\u{1b}[31m"), "{e}");
        assert!(e.contains(&format!("[cut: {} bytes in all", huge.len())), "{e}");
        assert_eq!(excerpt("short and fine"), "short and fine");
        assert_eq!(excerpt("a\u{202E}b\u{2028}c\\"), "a\\u{202e}b\\u{2028}c\\\\");
        // Multi-byte text is cut on a character boundary.
        let e = excerpt(&"ñ".repeat(1000));
        assert!(e.starts_with("ññ") && e.contains("2000 bytes in all"), "{e}");
    }

    #[test]
    fn type_ids_are_reverse_dns_names() {
        for ok in ["org.convene.consultation", "test.hostile", "org.example.idea-box", "a.b", "x-1.y2"] {
            assert_eq!(type_id(ok), Ok(()), "{ok}");
        }
        let too_long = format!("a.{}", "b".repeat(MAX_TYPE_ID_BYTES));
        for bad in ["", "hostile", "Org.Example", "test.hostile\n<b>x</b>", "a..b", ".a.b", "a.b.", "a b.c", "a_b.c", "ü.example", too_long.as_str()] {
            assert!(type_id(bad).is_err(), "{bad:?}");
        }
        let message = type_id("test.hostile\nORG.FAKE active builtin").unwrap_err();
        assert!(message.contains("test.hostile\\nORG.FAKE") && !message.contains('\n'), "{message}");
    }

    #[test]
    fn printable_text_has_no_controls_and_follows_the_format_rule() {
        assert!(printable("Budget 2027 — ñandú", false));
        assert!(printable("two\nlines\tand a tab", true));
        for bad in ["a\nb", "bell\x07", "esc\x1b[2J", "rlo\u{202E}", "sep\u{2028}", "c1\u{85}"] {
            assert!(!printable(bad, false), "{bad:?}");
        }
        assert!(!printable("esc\x1b[2J\nsecond", true));
        assert!(!printable("unclosed \u{202E} override", true));
    }
}
