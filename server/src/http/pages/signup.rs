//! Creating an account: an email address, the name others see and, if the person wants one,
//! a password. The answer is the same "check your email" page whether or not the address
//! already had an account (its owner is told by email instead), so this page cannot be used
//! to find out who has one.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::account_forms::{self, Problems, next_field, next_query};
use super::page::{Chrome, PageCtx, PagePost, PageResult};
use super::signin::NextQuery;
use crate::app::AppError;
use crate::app::accounts::{self, SignupInput};
use crate::http::client_addr::ClientAddr;

#[derive(Template)]
#[template(path = "signup.html")]
struct SignupPage {
    c: Chrome,
    errors: Problems,
    email: String,
    display_name: String,
    next: String,
    signin_href: String,
    min_password: usize,
}

fn signup_page(pc: &PageCtx, status: StatusCode, errors: Problems, email: String, display_name: String, next: String) -> HttpResponse {
    let tr = pc.tr;
    let page = SignupPage {
        c: pc.chrome(errors.title(&tr, tr.t("signup-title"))),
        errors,
        email,
        display_name,
        signin_href: format!("/signin{}", next_query(&next)),
        next,
        min_password: crate::domain::account::PASSWORD_MIN_CHARS,
    };
    pc.render_status(status, &page)
}

/// GET /signup.
pub async fn show(pc: PageCtx, q: web::Query<NextQuery>) -> PageResult {
    let next = next_field(q.next.as_deref());
    Ok(signup_page(&pc, StatusCode::OK, Problems::new(), String::new(), String::new(), next))
}

#[derive(Deserialize)]
pub struct SignupForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

/// POST /signup: queues the sign-up and says to check the email.
pub async fn submit(post: PagePost<SignupForm>, ClientAddr(client): ClientAddr) -> PageResult {
    let PagePost { pc, form, .. } = post;
    let tr = pc.tr;
    let next = next_field(form.next.as_deref());
    let input = SignupInput {
        email: form.email.clone(),
        display_name: form.display_name.clone(),
        locale: account_forms::signup_locale(&pc.app, &tr),
        // An empty box means no password: signing in by email link always works.
        password: Some(form.password.clone()).filter(|p| !p.is_empty()),
    };
    match accounts::signup(&pc.app, &client, input).await {
        Ok(_) => Ok(pc.redirect("/signup/sent")),
        Err(AppError::Invalid(problems)) => {
            let mut errors = Problems::new();
            // In the order of the form's fields.
            for field in ["email", "display_name", "password"] {
                if problems.iter().any(|p| p.field == field) {
                    match field {
                        "email" => errors.push("email", account_forms::email_problem(&tr, &form.email)),
                        "display_name" => errors.push("display_name", account_forms::name_problem(&tr, &form.display_name)),
                        _ => errors.push("password", account_forms::password_problem(&tr, &form.password)),
                    }
                }
            }
            if errors.is_empty() {
                return Err(pc.fail(AppError::Invalid(problems)));
            }
            Ok(signup_page(&pc, StatusCode::UNPROCESSABLE_ENTITY, errors, form.email, form.display_name, next))
        }
        Err(e) => Err(pc.fail(e)),
    }
}

/// GET /signup/sent: check your email. The same words whoever signed up.
pub async fn sent(pc: PageCtx) -> PageResult {
    let tr = pc.tr;
    let minutes = pc.app.settings.auth.magic_link_minutes;
    Ok(account_forms::message(
        &pc,
        StatusCode::OK,
        tr.t("signup-sent-title"),
        vec![tr.t("signup-sent-body"), tr.n("signin-sent-expiry", "minutes", minutes), tr.t("signup-sent-nothing")],
        vec![("/signin".into(), tr.t("signup-sent-sign-in"))],
    ))
}
