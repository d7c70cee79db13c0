//! The email a plugin's notification becomes. A plugin chooses a subject and a body, but the
//! message goes out as `From:` the instance, so the host writes the frame: the subject names
//! the process and the activity before the plugin's words (cut to one short line), the body
//! says who wrote what, quotes the plugin's text line by line (so it cannot imitate the host's
//! words after it), and ends with the unsubscribe link and the settings.
//!
//! The unsubscribe link carries a token that needs no sign-in: the account's id and a keyed
//! MAC of it (HMAC-SHA256 under a key derived from the instance's secret), so it can turn off
//! activity emails for that account and no other.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

/// The plugin's subject, at most, in characters.
pub const MAX_SUBJECT_CHARS: usize = 100;
/// The plugin's body, at most, in characters.
pub const MAX_BODY_CHARS: usize = 4_000;

/// The plugin's subject as one line: control and formatting characters become spaces, runs of
/// spaces one, and a long subject is cut with an ellipsis.
pub fn subject_line(raw: &str) -> String {
    let spaced: String = raw.chars().map(|c| if shows(c) && !c.is_whitespace() { c } else { ' ' }).collect();
    let words: Vec<&str> = spaced.split_whitespace().collect();
    cut(&words.join(" "), MAX_SUBJECT_CHARS)
}

/// The plugin's body as plain text: line ends made `\n`, control and formatting characters
/// other than newlines and tabs dropped, cut to [`MAX_BODY_CHARS`].
pub fn body_text(raw: &str) -> String {
    let text: String = raw.replace("\r\n", "\n").chars().filter(|&c| c == '\n' || c == '\t' || shows(c)).collect();
    cut(text.trim(), MAX_BODY_CHARS)
}

/// Whether a character shows as itself: not a control, a line or paragraph separator, or an
/// invisible formatting character (a bidirectional override would reorder the frame).
fn shows(c: char) -> bool {
    !(c.is_control() || c == '\u{2028}' || c == '\u{2029}' || super::format_chars::check(c.encode_utf8(&mut [0; 4]), false).is_err())
}

fn cut(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((at, _)) => format!("{}…", text[..at].trim_end()),
        None => text.to_string(),
    }
}

/// What the frame names, all host-side text except `subject` and `body` (already made safe
/// with [`subject_line`] and [`body_text`]).
pub struct Framing<'a> {
    pub instance: &'a str,
    pub process: &'a str,
    pub activity: &'a str,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    /// The activity's page, where the person can act on the message (reply to an invitation).
    pub activity_link: &'a str,
    pub unsubscribe_link: &'a str,
    pub settings_link: &'a str,
}

/// The subject and plain-text body of the email.
pub fn compose(f: &Framing<'_>) -> (String, String) {
    let subject = format!("{} · {}: {}", one_line(f.process), one_line(f.activity), f.subject);
    let quoted: String = f.body.lines().map(|l| if l.is_empty() { ">\n".to_string() } else { format!("> {l}\n") }).collect();
    let text = format!(
        "Hello {recipient},\n\n\
         The activity \"{activity}\" of the process \"{process}\" on {instance} sent you the message below. \
         Its text was written by the activity, not by {instance}:\n\n\
         > {subject}\n>\n{quoted}\n\
         The activity's page: {activity_link}\n\n\
         You receive this because you took part in this activity.\n\n\
         Stop emails from activities (one click, no sign-in): {unsubscribe}\n\
         Your notification settings: {settings}\n",
        recipient = one_line(f.recipient),
        activity = one_line(f.activity),
        process = one_line(f.process),
        instance = one_line(f.instance),
        subject = f.subject,
        activity_link = f.activity_link,
        unsubscribe = f.unsubscribe_link,
        settings = f.settings_link,
    );
    (subject, text)
}

/// Host-side text is checked where it is entered; this only makes sure of one line.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What the MAC of an unsubscribe token is keyed with, derived from the instance's secret for
/// this one purpose, so that no other MAC made with that secret (a JWT's) can pass for one.
fn unsubscribe_key(secret: &[u8]) -> Hmac<Sha256> {
    let mut derive = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    derive.update(b"convene/unsubscribe/v1");
    Hmac::<Sha256>::new_from_slice(&derive.finalize().into_bytes()).expect("HMAC takes any key length")
}

/// Bytes of the MAC kept in a token: 128 bits, beyond guessing.
const TAG_BYTES: usize = 16;

/// The token of `account`'s unsubscribe link: its id and the MAC, base64url (43 characters).
pub fn unsubscribe_token(secret: &[u8], account: Uuid) -> String {
    let mut mac = unsubscribe_key(secret);
    mac.update(account.as_bytes());
    let tag = mac.finalize().into_bytes();
    let mut raw = account.as_bytes().to_vec();
    raw.extend_from_slice(&tag[..TAG_BYTES]);
    URL_SAFE_NO_PAD.encode(raw)
}

/// The account an unsubscribe token was made for, if it was made with this secret.
pub fn unsubscribe_account(secret: &[u8], token: &str) -> Option<Uuid> {
    let raw = URL_SAFE_NO_PAD.decode(token.trim()).ok()?;
    if raw.len() != 16 + TAG_BYTES {
        return None;
    }
    let account = Uuid::from_slice(&raw[..16]).ok()?;
    let mut mac = unsubscribe_key(secret);
    mac.update(account.as_bytes());
    // Constant time: the comparison tells nothing about how much of a forged tag was right.
    mac.verify_truncated_left(&raw[16..]).ok().map(|_| account)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plugins_subject_becomes_one_short_line_and_its_body_plain_text() {
        assert_eq!(subject_line("Urgent:\r\nBcc: all@example.org\t\u{202E}x"), "Urgent: Bcc: all@example.org x");
        let long = subject_line(&"word ".repeat(100));
        assert!(long.chars().count() <= MAX_SUBJECT_CHARS + 1 && long.ends_with('…'), "{long}");
        assert_eq!(body_text("one\r\ntwo\x1b[31m\u{202E}\n\tthree  "), "one\ntwo[31m\n\tthree");
        assert_eq!(body_text(&"x".repeat(10_000)).chars().count(), MAX_BODY_CHARS + 1);
    }

    #[test]
    fn the_frame_names_process_and_activity_and_quotes_every_line_of_the_plugin() {
        let body = body_text("Your account will be closed.\n----- end of the message -----\nThe team: https://evil.example");
        let subject = subject_line("Verify now");
        let (subject, text) = compose(&Framing {
            instance: "Participa",
            process: "Budget 2027",
            activity: "Panel",
            recipient: "Ana",
            subject: &subject,
            body: &body,
            activity_link: "https://p.example/activities/A",
            unsubscribe_link: "https://p.example/unsubscribe?token=T",
            settings_link: "https://p.example/me/notifications",
        });
        assert_eq!(subject, "Budget 2027 · Panel: Verify now");
        assert!(text.contains("The activity \"Panel\" of the process \"Budget 2027\" on Participa"), "{text}");
        assert!(text.contains("written by the activity, not by Participa"), "{text}");
        for line in body.lines() {
            assert!(text.contains(&format!("\n> {line}\n")), "{line} is quoted: {text}");
        }
        assert!(!text.lines().any(|l| l.starts_with("-----")), "the plugin cannot end the quote: {text}");
        assert!(text.contains("\nThe activity's page: https://p.example/activities/A\n"), "{text}");
        assert!(text.ends_with("Your notification settings: https://p.example/me/notifications\n"));
        assert!(text.contains("one click, no sign-in): https://p.example/unsubscribe?token=T\n"));
    }

    #[test]
    fn an_unsubscribe_token_names_one_account_and_cannot_be_forged_or_moved() {
        let (secret, ana, bob) = (b"an instance secret of 32 bytes!!", Uuid::now_v7(), Uuid::now_v7());
        let token = unsubscribe_token(secret, ana);
        assert_eq!(token.len(), 43);
        assert_eq!(unsubscribe_account(secret, &token), Some(ana));
        assert_eq!(unsubscribe_account(b"another instance's secret.......", &token), None);
        // Bob's id with Ana's MAC.
        let mut raw = URL_SAFE_NO_PAD.decode(&token).unwrap();
        raw[..16].copy_from_slice(bob.as_bytes());
        assert_eq!(unsubscribe_account(secret, &URL_SAFE_NO_PAD.encode(&raw)), None);
        for bad in ["", "x", &token[..42], &format!("{token}A"), "not base64 at all!"] {
            assert_eq!(unsubscribe_account(secret, bad), None, "{bad}");
        }
    }
}
