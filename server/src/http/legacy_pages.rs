//! The pages this version serves: a front page listing public processes, and the landing
//! page of a sign-in link. Sign-in links land on a page with a button rather than signing in
//! on GET, because mail scanners follow links and would use them up.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::app::{AppContext, accounts};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/login/magic", web::get().to(magic_landing))
        .route("/login/magic", web::post().to(magic_submit));
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub(crate) fn page(ctx: &AppContext, title: &str, body: &str) -> HttpResponse {
    let lang = ctx.settings.instance.default_language.as_str();
    let dir = if ctx.settings.instance.default_language.is_rtl() { "rtl" } else { "ltr" };
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_SECURITY_POLICY, "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"))
        .body(format!(
            "<!doctype html><html lang=\"{lang}\" dir=\"{dir}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{} - {}</title>\
             <style>body{{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}button{{font-size:1.1rem;padding:.6rem 1.2rem}}</style></head>\
             <body><main>{body}</main></body></html>",
            escape(title),
            escape(&ctx.settings.instance.name)
        ))
}

#[derive(Deserialize)]
struct TokenParam {
    token: Option<String>,
}

async fn magic_landing(ctx: web::Data<AppContext>, q: web::Query<TokenParam>) -> HttpResponse {
    let token = q.token.clone().unwrap_or_default();
    page(&ctx, "Sign in", &format!(
        "<h1>Sign in to {}</h1><form method=\"post\" action=\"/login/magic\">\
         <input type=\"hidden\" name=\"token\" value=\"{}\"><button type=\"submit\">Sign in</button></form>",
        escape(&ctx.settings.instance.name),
        escape(&token)
    ))
}

async fn magic_submit(ctx: web::Data<AppContext>, form: web::Form<TokenParam>) -> HttpResponse {
    let token = form.token.clone().unwrap_or_default();
    match accounts::consume_magic_link(&ctx, &token).await {
        Ok(pair) => {
            let mut res = HttpResponse::SeeOther();
            res.insert_header((header::LOCATION, "/"));
            for c in super::auth::session_cookies(&ctx, &pair.access_token, &pair.refresh_token) {
                res.cookie(c);
            }
            res.finish()
        }
        Err(e) => {
            let mut res = page(&ctx, "Sign in", &format!(
                "<h1>This sign-in link does not work</h1><p>{}</p>",
                escape(&e.to_string())
            ));
            *res.status_mut() = actix_web::ResponseError::status_code(&e);
            res
        }
    }
}
