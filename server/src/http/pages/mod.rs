//! The web pages: server-rendered HTML over the same app functions as the API, in the reader's
//! language, working without JavaScript. `page` holds what every handler starts from (reader,
//! language, security headers, form posts), `i18n` the strings, `assets` the static files,
//! `errors` the error pages; each page lives in a module of its own beside its template.

pub mod account;
pub mod account_data;
pub mod account_forms;
pub mod activity;
pub mod assets;
pub mod attributes;
pub mod charts;
pub mod contribution;
pub mod errors;
pub mod forms;
pub mod home;
pub mod i18n;
pub mod ledger;
pub mod moderation;
pub mod my_input;
pub mod outcome;
pub mod page;
pub mod process;
pub mod process_follow;
pub mod signin;
pub mod signup;
pub mod staff;
pub mod take_part;
pub mod unsubscribe;
pub mod words;

use actix_web::http::Method;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::app::accounts::{self, AccountPatch};
use page::{PagePost, lang_cookie, local_path};

pub fn routes(cfg: &mut web::ServiceConfig) {
    assets::routes(cfg);
    staff::routes(cfg);
    contribution::routes(cfg);
    attributes::routes(cfg);
    take_part::routes(cfg);
    cfg.route("/", web::get().to(home::home))
        .route("/lang", web::post().to(switch_language))
        .route("/processes/{key}", web::get().to(process::show))
        .route("/processes/{key}/follow", web::get().to(process_follow::show))
        .route("/processes/{key}/follow", web::post().to(process_follow::submit))
        .route("/ledger", web::get().to(ledger::show))
        .route("/processes/{key}/moderation", web::get().to(moderation::show))
        .route("/processes/{key}/outcome", web::get().to(outcome::show))
        .route("/activities/{id}", web::get().to(activity::show))
        .route("/activities/{id}/contributions", web::post().to(activity::contribute))
        .route("/signup", web::get().to(signup::show))
        .route("/signup", web::post().to(signup::submit))
        .route("/signup/sent", web::get().to(signup::sent))
        .route("/signin", web::get().to(signin::show))
        .route("/signin/link", web::post().to(signin::request_link))
        .route("/signin/sent", web::get().to(signin::link_sent))
        .route("/signin/password", web::post().to(signin::password))
        .route("/login/magic", web::get().to(signin::magic_landing))
        .route("/login/magic", web::post().to(signin::magic_submit))
        .route("/signout", web::get().to(signin::signout_page))
        .route("/signout", web::post().to(signin::signout))
        .route("/signout/everywhere", web::post().to(signin::signout_everywhere))
        .route("/account", web::get().to(account::show))
        .route("/account", web::post().to(account::save_details))
        .route("/account/emails", web::post().to(account::save_emails))
        .route("/account/password", web::post().to(account::save_password))
        .route("/account/data", web::get().to(account_data::data))
        .route("/account/data/download", web::get().to(account_data::download))
        .route("/account/delete", web::get().to(account_data::delete))
        .route("/account/delete", web::post().to(account_data::request_deletion))
        .route("/account/delete/sent", web::get().to(account_data::deletion_sent))
        .route("/account/delete/confirm", web::get().to(account_data::confirm_landing))
        .route("/account/delete/confirm", web::post().to(account_data::confirm))
        .route("/account/deleted", web::get().to(account_data::deleted))
        .route("/me/notifications", web::get().to(account::notifications_link))
        .route("/me/input", web::get().to(my_input::show))
        .route("/unsubscribe", web::get().to(unsubscribe::landing))
        .route("/unsubscribe", web::post().to(unsubscribe::submit));
}

/// The page a form is on, when the address it posts to is not a page of its own: a page
/// rendered for such a post (the form with its errors) goes back there when the reader
/// switches language or signs in, and marks it in the menu. Keep in step with `routes`.
pub fn page_of_form(method: &Method, path: &str) -> Option<String> {
    if method != Method::POST {
        return None;
    }
    if let Some(page) = staff::admin::page_of_form(path) {
        return Some(page);
    }
    match path {
        "/signin/link" | "/signin/password" => Some("/signin".into()),
        "/account/emails" | "/account/password" | "/signout/everywhere" => Some("/account".into()),
        _ if path.starts_with("/manage/processes/") && path.contains("/members/") => path.split("/members/").next().map(|p| format!("{p}/members")),
        _ if path.starts_with("/manage/processes/") && (path.ends_with("/hide") || path.ends_with("/restore")) => staff::moderation::page_of_action(path),
        _ => path.strip_prefix("/activities/")?.strip_suffix("/contributions").filter(|id| !id.is_empty() && !id.contains('/')).map(|id| format!("/activities/{id}")),
    }
}

#[derive(Deserialize)]
struct LangChoice {
    lang: String,
    back: Option<String>,
}

/// The language switcher: remembers the choice in a cookie, and in the account of a signed-in
/// reader (whose setting otherwise wins over the cookie), then goes back to the page.
async fn switch_language(post: PagePost<LangChoice>) -> HttpResponse {
    let PagePost { mut pc, form, .. } = post;
    let back = local_path(form.back.as_deref());
    let Some(lang) = i18n::UiLang::from_tag(&form.lang) else {
        return pc.redirect(&back);
    };
    if let Some(viewer) = pc.viewer().cloned() {
        let patch = AccountPatch { display_name: None, locale: Some(lang.code().to_string()) };
        if let Err(e) = accounts::update_me(&pc.app, &viewer, patch).await {
            tracing::warn!(error = %e, "the account's language could not be saved");
        }
    }
    let cookie = lang_cookie(&pc.app, lang.code());
    pc.set_cookie(cookie);
    pc.redirect(&back)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_posted_below_its_page_goes_back_to_the_page() {
        let post = |path: &str| page_of_form(&Method::POST, path);
        assert_eq!(post("/activities/01a2/contributions").as_deref(), Some("/activities/01a2"));
        assert_eq!(post("/signin/password").as_deref(), Some("/signin"));
        assert_eq!(post("/account/password").as_deref(), Some("/account"));
        assert_eq!(post("/manage/processes/p/members/01a2/role").as_deref(), Some("/manage/processes/p/members"));
        // Forms that post to their own page, and anything that is not a page's form.
        for path in ["/signup", "/account", "/account/delete", "/activities/a/b/contributions", "/activities//contributions"] {
            assert_eq!(post(path), None, "{path}");
        }
        assert_eq!(page_of_form(&Method::GET, "/signin/password"), None);
    }
}
