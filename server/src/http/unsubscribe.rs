//! The page an email's unsubscribe link opens. Following the link shows one button rather than
//! unsubscribing on GET, because mail scanners follow links; the button, and mail clients
//! that offer their own (`List-Unsubscribe-Post`, RFC 8058), POST to the same address. The
//! token in the link is all it takes: no sign-in.

use actix_web::{HttpResponse, ResponseError, web};
use serde::Deserialize;

use super::legacy_pages::{escape, page};
use crate::app::{AppContext, AppError, notifications};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/unsubscribe", web::get().to(landing)).route("/unsubscribe", web::post().to(submit));
}

#[derive(Deserialize)]
struct TokenParam {
    token: Option<String>,
}

const TITLE: &str = "Emails from activities";

fn refused(ctx: &AppContext, e: &AppError) -> HttpResponse {
    let mut res = page(ctx, TITLE, &format!("<h1>This unsubscribe link does not work</h1><p>{}</p>", escape(&e.to_string())));
    *res.status_mut() = e.status_code();
    res
}

async fn landing(ctx: web::Data<AppContext>, q: web::Query<TokenParam>) -> HttpResponse {
    let token = q.token.clone().unwrap_or_default();
    if let Err(e) = notifications::unsubscribe_target(&ctx, &token) {
        return refused(&ctx, &e);
    }
    let action = format!("/unsubscribe?token={}", url::form_urlencoded::byte_serialize(token.as_bytes()).collect::<String>());
    page(&ctx, TITLE, &format!(
        "<h1>Stop emails from activities on {}?</h1>\
         <p>Activities (consultations, panels, oversight groups…) will email you no more. \
         Sign-in links and the organisers' responses to your input still come.</p>\
         <form method=\"post\" action=\"{}\"><input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">\
         <button type=\"submit\">Stop emails from activities</button></form>",
        escape(&ctx.settings.instance.name),
        escape(&action)
    ))
}

async fn submit(ctx: web::Data<AppContext>, q: web::Query<TokenParam>) -> HttpResponse {
    match notifications::unsubscribe(&ctx, q.token.as_deref().unwrap_or_default()).await {
        Ok(()) => page(&ctx, TITLE, &format!(
            "<h1>Done</h1><p>Activities on {} will email you no more. You can turn their emails back on in your \
             notification settings when signed in.</p>",
            escape(&ctx.settings.instance.name)
        )),
        Err(e) => refused(&ctx, &e),
    }
}
