//! What the forms of the account pages share (plugin forms have `forms`): the problems found
//! in what was sent, each tied to the control it is about (for the error summary and the
//! message beside the field), where to go after signing in, the language choices an account
//! may have, and the page that says one thing.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;

use super::i18n::{Tr, UI_LANGS, UiLang};
use super::page::{Chrome, PageCtx, local_path};
use crate::app::AppContext;

/// A page that says one thing: a heading, paragraphs (the first one larger) and links onward.
#[derive(Template)]
#[template(path = "message.html")]
struct MessagePage {
    c: Chrome,
    heading: String,
    paragraphs: Vec<String>,
    links: Vec<(String, String)>,
}

pub fn message(pc: &PageCtx, status: StatusCode, heading: String, paragraphs: Vec<String>, links: Vec<(String, String)>) -> HttpResponse {
    let page = MessagePage { c: pc.chrome(heading.clone()), heading, paragraphs, links };
    pc.render_status(status, &page)
}

/// One problem with one field: `id` is the control's HTML id.
pub struct Problem {
    pub id: String,
    pub message: String,
}

/// The problems of one form, in the order of its fields.
#[derive(Default)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn new() -> Problems {
        Problems(Vec::new())
    }

    /// The first problem found at a control counts; `id` may be made at run time (one
    /// control per language or per row).
    pub fn push(&mut self, id: impl Into<String>, message: String) {
        let id = id.into();
        if !self.0.iter().any(|p| p.id == id) {
            self.0.push(Problem { id, message });
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn list(&self) -> &[Problem] {
        &self.0
    }

    /// The message for the control `id`, if it has one.
    pub fn get(&self, id: &str) -> Option<&str> {
        self.0.iter().find(|p| p.id == id).map(|p| p.message.as_str())
    }

    pub fn has(&self, id: &str) -> bool {
        self.get(id).is_some()
    }

    /// The ids a control's `aria-describedby` names: its hint, if any, and its error.
    pub fn described(&self, id: &str, hint: bool) -> String {
        self.described_with(id, if hint { format!("{id}-hint") } else { String::new() }.as_str())
    }

    /// As [`Problems::described`], for a hint whose id is not the control's (one hint for
    /// several controls); `hint_id` may be empty.
    pub fn described_with(&self, id: &str, hint_id: &str) -> String {
        let mut ids = Vec::new();
        if !hint_id.is_empty() {
            ids.push(hint_id.to_string());
        }
        if self.has(id) {
            ids.push(format!("{id}-error"));
        }
        ids.join(" ")
    }

    /// Puts the problems in the order of `ids` (the form's order), for the error summary.
    pub fn sort_by(&mut self, ids: &[String]) {
        self.0.sort_by_key(|p| ids.iter().position(|i| *i == p.id).unwrap_or(usize::MAX));
    }

    /// The page title, prefixed "Error: " when something is wrong (so a screen reader says
    /// so first).
    pub fn title(&self, tr: &Tr, title: String) -> String {
        if self.is_empty() { title } else { format!("{} {title}", tr.t("form-error-title-prefix")) }
    }
}

/// Where to go after signing in: the page that sent the person to sign in, if it is one of
/// ours, else their input.
pub fn after_sign_in(next: Option<&str>) -> String {
    match next.map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => local_path(Some(n)),
        None => "/me/input".to_string(),
    }
}

/// `next` for a hidden field: empty unless it is a local path.
pub fn next_field(next: Option<&str>) -> String {
    match next.map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) if local_path(Some(n)) == n => n.to_string(),
        _ => String::new(),
    }
}

/// `?next=...` to carry `next` on to another page, or nothing.
pub fn next_query(next: &str) -> String {
    if next.is_empty() { String::new() } else { format!("?next={}", url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()) }
}

/// The interface languages this instance offers (an account's language must be one of the
/// instance's), all of them if it offers none we translate.
pub fn account_languages(app: &AppContext) -> Vec<UiLang> {
    let offered: Vec<UiLang> = UI_LANGS
        .into_iter()
        .filter(|l| app.settings.instance.languages.iter().any(|i| UiLang::from_tag(i.as_str()) == Some(*l)))
        .collect();
    if offered.is_empty() { UI_LANGS.to_vec() } else { offered }
}

/// The language a new account gets: the one the person is reading in, if the instance
/// offers it.
pub fn signup_locale(app: &AppContext, tr: &Tr) -> Option<String> {
    account_languages(app).contains(&tr.lang).then(|| tr.code().to_string())
}

/// The wording of a problem with a display name (the rules are the app's: 1 to 100
/// characters, no control or invisible formatting characters).
pub fn name_problem(tr: &Tr, raw: &str) -> String {
    let raw = raw.trim();
    if raw.is_empty() {
        tr.t("account-error-name-empty")
    } else if raw.chars().count() > 100 {
        tr.t("account-error-name-long")
    } else {
        tr.t("account-error-name-characters")
    }
}

/// The wording of a problem with a new password (at least 12 characters, at most 128).
pub fn password_problem(tr: &Tr, raw: &str) -> String {
    let n = raw.chars().count();
    if n > crate::domain::account::PASSWORD_MAX_CHARS {
        tr.t("account-error-password-long")
    } else {
        tr.t("account-error-password-short")
    }
}

/// The wording of a problem with an email address.
pub fn email_problem(tr: &Tr, raw: &str) -> String {
    if raw.trim().is_empty() { tr.t("account-error-email-empty") } else { tr.t("account-error-email-format") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_in_goes_back_only_to_our_own_pages() {
        assert_eq!(after_sign_in(Some("/processes/x?y=1")), "/processes/x?y=1");
        assert_eq!(after_sign_in(None), "/me/input");
        assert_eq!(after_sign_in(Some("  ")), "/me/input");
        assert_eq!(after_sign_in(Some("https://evil.example/")), "/");
        assert_eq!(after_sign_in(Some("//evil.example/")), "/");
        assert_eq!(next_field(Some("//evil.example/")), "");
        assert_eq!(next_field(Some("/me/input")), "/me/input");
        assert_eq!(next_query("/me/input"), "?next=%2Fme%2Finput");
        assert_eq!(next_query(""), "");
    }

    #[test]
    fn problems_keep_the_first_message_per_field() {
        let mut p = Problems::new();
        p.push("email", "a".into());
        p.push("email", "b".into());
        p.push("password", "c".into());
        assert_eq!(p.get("email"), Some("a"));
        assert_eq!(p.list().len(), 2);
        assert!(p.has("password") && !p.has("name"));
    }
}
