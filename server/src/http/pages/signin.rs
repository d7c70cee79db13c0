//! Signing in and out: by a link we email (one page to ask for it, one where it lands), by
//! email and password, and signing out of this device or of every device.
//!
//! Nothing here says whether an address has an account: asking for a link always gets the
//! same "check your email" page, and a refused password the same words whatever was wrong.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::account_forms::{self, Problems, after_sign_in, next_field, next_query};
use super::page::{Chrome, OrPage, PageCtx, PagePost, PageResult, TokenPost};
use crate::app::accounts::{self, PasswordLogin};
use crate::app::AppError;
use crate::http::auth::{cleared_cookies, session_cookies};
use crate::http::client_addr::ClientAddr;

#[derive(Deserialize)]
pub struct NextQuery {
    pub next: Option<String>,
}

#[derive(Template)]
#[template(path = "signin.html")]
struct SigninPage {
    c: Chrome,
    errors: Problems,
    link_email: String,
    email: String,
    next: String,
    signup_href: String,
    minutes: i64,
}

fn signin_page(pc: &PageCtx, status: StatusCode, errors: Problems, link_email: String, email: String, next: String) -> HttpResponse {
    let tr = pc.tr;
    let page = SigninPage {
        c: pc.chrome(errors.title(&tr, tr.t("signin-title"))),
        errors,
        link_email,
        email,
        signup_href: format!("/signup{}", next_query(&next)),
        next,
        minutes: pc.app.settings.auth.magic_link_minutes,
    };
    pc.render_status(status, &page)
}

/// GET /signin: both ways to sign in on one page.
pub async fn show(pc: PageCtx, q: web::Query<NextQuery>) -> PageResult {
    let next = next_field(q.next.as_deref());
    Ok(signin_page(&pc, StatusCode::OK, Problems::new(), String::new(), String::new(), next))
}

#[derive(Deserialize)]
pub struct LinkForm {
    /// The control's id and name (the password form has an `email` of its own).
    #[serde(default, rename = "link-email")]
    email: String,
    next: Option<String>,
}

/// POST /signin/link: emails a sign-in link if the address has an account; the same page
/// either way.
pub async fn request_link(post: PagePost<LinkForm>, ClientAddr(client): ClientAddr) -> PageResult {
    let PagePost { pc, form, .. } = post;
    let next = next_field(form.next.as_deref());
    match accounts::request_login_link(&pc.app, &client, &form.email).await {
        Ok(()) => Ok(pc.redirect("/signin/sent")),
        Err(AppError::Invalid(_) | AppError::BadRequest(_)) => {
            let mut errors = Problems::new();
            errors.push("link-email", account_forms::email_problem(&pc.tr, &form.email));
            Ok(signin_page(&pc, StatusCode::UNPROCESSABLE_ENTITY, errors, form.email, String::new(), next))
        }
        Err(e) => Err(pc.fail(e)),
    }
}

/// GET /signin/sent: check your email.
pub async fn link_sent(pc: PageCtx) -> PageResult {
    let tr = pc.tr;
    let minutes = pc.app.settings.auth.magic_link_minutes;
    Ok(account_forms::message(
        &pc,
        StatusCode::OK,
        tr.t("signin-sent-title"),
        vec![tr.t("signin-sent-body"), tr.n("signin-sent-expiry", "minutes", minutes), tr.t("signin-sent-nothing")],
        vec![("/signin".into(), tr.t("signin-sent-again")), ("/signup".into(), tr.t("signin-create-account"))],
    ))
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

/// POST /signin/password: signs in and goes on to `next`.
pub async fn password(post: PagePost<PasswordForm>, ClientAddr(client): ClientAddr) -> PageResult {
    let PagePost { mut pc, form, .. } = post;
    let tr = pc.tr;
    let next = next_field(form.next.as_deref());
    let mut errors = Problems::new();
    if form.email.trim().is_empty() {
        errors.push("email", tr.t("account-error-email-empty"));
    }
    if form.password.is_empty() {
        errors.push("password", tr.t("signin-error-password-empty"));
    }
    if errors.is_empty() {
        let input = PasswordLogin { email: form.email.clone(), password: form.password.clone() };
        match accounts::login_with_password(&pc.app, &client, input).await {
            Ok(pair) => {
                for c in session_cookies(&pc.app, &pair.access_token, &pair.refresh_token) {
                    pc.set_cookie(c);
                }
                return Ok(pc.redirect(&after_sign_in(Some(&next))));
            }
            Err(AppError::Invalid(_) | AppError::BadRequest(_)) => errors.push("email", account_forms::email_problem(&tr, &form.email)),
            // Wrong password, unknown address, address not confirmed: the same words.
            Err(AppError::Unauthenticated(_)) => errors.push("password", tr.t("signin-error-refused")),
            Err(e) => return Err(pc.fail(e)),
        }
    }
    Ok(signin_page(&pc, StatusCode::UNPROCESSABLE_ENTITY, errors, String::new(), form.email, next))
}

/// GET /signout: the sign-out buttons for a signed-in person, else "you are signed out".
pub async fn signout_page(pc: PageCtx) -> PageResult {
    let tr = pc.tr;
    if pc.person.is_some() {
        let page = SignoutPage { c: pc.chrome(tr.t("signout-title")) };
        return Ok(pc.render(&page));
    }
    Ok(account_forms::message(&pc, StatusCode::OK, tr.t("signout-done-title"), vec![tr.t("signout-done-body")], vec![
        ("/signin".into(), tr.t("signout-sign-in-again")),
        ("/".into(), tr.t("error-home")),
    ]))
}

#[derive(Template)]
#[template(path = "signout.html")]
struct SignoutPage {
    c: Chrome,
}

#[derive(Deserialize)]
pub struct Empty {}

async fn sign_out(post: PagePost<Empty>, everywhere: bool) -> PageResult {
    let PagePost { mut pc, .. } = post;
    if let Some(viewer) = pc.viewer().cloned() {
        accounts::logout(&pc.app, &viewer, everywhere).await.or_page(&pc)?;
    }
    for c in cleared_cookies() {
        pc.set_cookie(c);
    }
    Ok(pc.redirect("/signout"))
}

/// POST /signout: ends this session.
pub async fn signout(post: PagePost<Empty>) -> PageResult {
    sign_out(post, false).await
}

/// POST /signout/everywhere: ends every session of the account.
pub async fn signout_everywhere(post: PagePost<Empty>) -> PageResult {
    sign_out(post, true).await
}

#[derive(Deserialize)]
pub struct MagicQuery {
    token: Option<String>,
    next: Option<String>,
}

#[derive(Template)]
#[template(path = "magic.html")]
struct MagicPage {
    c: Chrome,
    token: String,
    next: String,
}

/// GET /login/magic?token=...: where the emailed link lands. It signs nobody in: mail
/// scanners and link previews open links, and would use the link up. One button posts it.
pub async fn magic_landing(pc: PageCtx, q: web::Query<MagicQuery>) -> PageResult {
    let tr = pc.tr;
    let token = q.token.clone().unwrap_or_default();
    if token.trim().is_empty() {
        return Ok(link_refused(&pc, StatusCode::BAD_REQUEST));
    }
    let page = MagicPage { c: pc.chrome(tr.t("magic-title")), token, next: next_field(q.next.as_deref()) };
    Ok(pc.render(&page))
}

#[derive(Deserialize)]
pub struct MagicForm {
    #[serde(default)]
    token: String,
    next: Option<String>,
}

/// POST /login/magic: trades the link's token for a session.
///
/// This is the one page post that does not need the form token ([`TokenPost`]): the
/// single-use token from the email is proof enough that the post comes from the person the
/// link was sent to, and the page may be opened in a browser that has no cookie of ours yet
/// (a mail app's own browser, cookies just cleared) and sends neither `Origin` nor
/// `Sec-Fetch-Site`. A post the browser says comes from another site is still refused:
/// otherwise another site could sign a visitor into an account of its own (login CSRF).
pub async fn magic_submit(post: TokenPost<MagicForm>) -> PageResult {
    let TokenPost { mut pc, form } = post;
    match accounts::consume_magic_link(&pc.app, form.token.trim()).await {
        Ok(pair) => {
            for c in session_cookies(&pc.app, &pair.access_token, &pair.refresh_token) {
                pc.set_cookie(c);
            }
            Ok(pc.redirect(&after_sign_in(form.next.as_deref())))
        }
        Err(e @ (AppError::BadRequest(_) | AppError::Gone(_) | AppError::Invalid(_))) => {
            let status = actix_web::ResponseError::status_code(&e);
            Ok(link_refused(&pc, status))
        }
        Err(e) => Err(pc.fail(e)),
    }
}

/// A sign-in link that cannot be used: not whole, used already or expired.
fn link_refused(pc: &PageCtx, status: StatusCode) -> actix_web::HttpResponse {
    let tr = pc.tr;
    account_forms::message(
        pc,
        status,
        tr.t("magic-refused-title"),
        vec![tr.n("magic-refused-body", "minutes", pc.app.settings.auth.magic_link_minutes), tr.t("magic-refused-what-now")],
        vec![("/signin".into(), tr.t("magic-refused-new-link"))],
    )
}
