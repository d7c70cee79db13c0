//! The signed-in person's account: their name and language, which emails they get, their
//! password, signing out, and their data.

use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;
use serde::Deserialize;

use super::account_forms::{self, Problems};
use super::i18n::UiLang;
use super::page::{Chrome, OrPage, PageCtx, PagePost, PageResult, lang_cookie};
use crate::app::accounts::{self, AccountPatch, AccountView, PasswordChange};
use crate::app::notifications::{self, NotificationSettingsPatch};
use crate::app::{AppError, Viewer};

/// A language in the select.
pub struct LangOption {
    pub code: &'static str,
    pub name: &'static str,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    c: Chrome,
    errors: Problems,
    account: AccountView,
    display_name: String,
    languages: Vec<LangOption>,
    activity_emails: bool,
    saved: Option<String>,
    min_password: usize,
}

/// What the person typed, to show again with the problems found.
#[derive(Default)]
struct Typed {
    display_name: Option<String>,
    locale: Option<String>,
}

/// The signed-in person, or the sign-in page (which comes back here).
pub(super) fn signed_in(pc: &PageCtx) -> Result<Viewer, super::page::PageError> {
    pc.viewer().cloned().ok_or_else(|| pc.fail(AppError::Unauthenticated("sign in to see your account".into())))
}

async fn account_page(pc: &PageCtx, viewer: &Viewer, status: StatusCode, errors: Problems, typed: Typed, saved: Option<String>) -> PageResult {
    let tr = pc.tr;
    let account = accounts::view(&pc.app, accounts::get(&pc.app, viewer.account_id).await.or_page(pc)?).await.or_page(pc)?;
    let settings = notifications::settings(&pc.app, viewer).await.or_page(pc)?;
    let locale = typed.locale.unwrap_or_else(|| account.locale.clone());
    let languages = account_forms::account_languages(&pc.app)
        .into_iter()
        .map(|l| LangOption { code: l.code(), name: l.endonym(), selected: UiLang::from_tag(&locale) == Some(l) })
        .collect();
    let page = AccountPage {
        c: pc.chrome(errors.title(&tr, tr.t("account-title"))),
        errors,
        display_name: typed.display_name.unwrap_or_else(|| account.display_name.clone()),
        account,
        languages,
        activity_emails: settings.activity_notifications,
        saved,
        min_password: crate::domain::account::PASSWORD_MIN_CHARS,
    };
    Ok(pc.render_status(status, &page))
}

#[derive(Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

/// GET /account.
pub async fn show(pc: PageCtx, q: web::Query<SavedQuery>) -> PageResult {
    let viewer = signed_in(&pc)?;
    let tr = pc.tr;
    let saved = match q.saved.as_deref() {
        Some("details") => Some(tr.t("account-saved-details")),
        Some("emails") => Some(tr.t("account-saved-emails")),
        Some("password") => Some(tr.t("account-saved-password")),
        _ => None,
    };
    account_page(&pc, &viewer, StatusCode::OK, Problems::new(), Typed::default(), saved).await
}

#[derive(Deserialize)]
pub struct DetailsForm {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    locale: String,
}

/// POST /account: the name and the language. The language also goes in the `lang` cookie,
/// as the switcher does, so that it holds after signing out.
pub async fn save_details(post: PagePost<DetailsForm>) -> PageResult {
    let PagePost { mut pc, form, .. } = post;
    let viewer = signed_in(&pc)?;
    let tr = pc.tr;
    let patch = AccountPatch { display_name: Some(form.display_name.clone()), locale: Some(form.locale.clone()) };
    match accounts::update_me(&pc.app, &viewer, patch).await {
        Ok(updated) => {
            let cookie = lang_cookie(&pc.app, &updated.locale);
            pc.set_cookie(cookie);
            Ok(pc.redirect("/account?saved=details"))
        }
        Err(AppError::Invalid(problems)) => {
            let mut errors = Problems::new();
            if problems.iter().any(|p| p.field == "display_name") {
                errors.push("display_name", account_forms::name_problem(&tr, &form.display_name));
            }
            if problems.iter().any(|p| p.field == "locale") {
                errors.push("locale", tr.t("account-error-language"));
            }
            let typed = Typed { display_name: Some(form.display_name), locale: Some(form.locale) };
            account_page(&pc, &viewer, StatusCode::UNPROCESSABLE_ENTITY, errors, typed, None).await
        }
        Err(e) => Err(pc.fail(e)),
    }
}

#[derive(Deserialize)]
pub struct EmailsForm {
    /// A checkbox: present when ticked.
    activity_notifications: Option<String>,
}

/// POST /account/emails: which emails the person gets.
pub async fn save_emails(post: PagePost<EmailsForm>) -> PageResult {
    let PagePost { pc, form, .. } = post;
    let viewer = signed_in(&pc)?;
    let patch = NotificationSettingsPatch { activity_notifications: Some(form.activity_notifications.is_some()) };
    notifications::update_settings(&pc.app, &viewer, patch).await.or_page(&pc)?;
    Ok(pc.redirect("/account?saved=emails#emails-heading"))
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current_password: Option<String>,
    #[serde(default)]
    new_password: String,
}

/// POST /account/password: sets a first password or changes it.
pub async fn save_password(post: PagePost<PasswordForm>) -> PageResult {
    let PagePost { pc, form, .. } = post;
    let viewer = signed_in(&pc)?;
    let tr = pc.tr;
    let input = PasswordChange { current_password: form.current_password.clone(), new_password: form.new_password.clone() };
    match accounts::set_password(&pc.app, &viewer, input).await {
        Ok(()) => Ok(pc.redirect("/account?saved=password#password-heading")),
        Err(AppError::Invalid(problems)) => {
            let mut errors = Problems::new();
            if problems.iter().any(|p| p.field == "current_password") {
                let key = if form.current_password.as_deref().unwrap_or_default().is_empty() { "account-error-current-empty" } else { "account-error-current-wrong" };
                errors.push("current_password", tr.t(key));
            }
            if problems.iter().any(|p| p.field == "new_password") {
                errors.push("new_password", account_forms::password_problem(&tr, &form.new_password));
            }
            account_page(&pc, &viewer, StatusCode::UNPROCESSABLE_ENTITY, errors, Typed::default(), None).await
        }
        Err(e) => Err(pc.fail(e)),
    }
}

/// GET /me/notifications: the settings link of activity emails.
pub async fn notifications_link(pc: PageCtx) -> PageResult {
    Ok(pc.redirect("/account#emails-heading"))
}
