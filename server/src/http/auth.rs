//! Who is calling: a Bearer token for API clients, or the session cookie for pages. Cookies
//! count only for safe methods or same-origin requests, which closes cross-site request
//! forgery without a token dance for API clients.

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::http::{Method, StatusCode, header};
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};

use super::problem::Problem;
use crate::app::{AppContext, Viewer, accounts};

pub const ACCESS_COOKIE: &str = "convene_access";
pub const REFRESH_COOKIE: &str = "convene_refresh";

/// A signed-in caller, or 401.
pub struct Authenticated(pub Viewer);

/// A signed-in caller or an anonymous one. Credentials that are present but wrong are still a
/// 401: silently treating them as anonymous would hide the mistake.
pub struct MaybeViewer(pub Option<Viewer>);

fn bearer(req: &HttpRequest) -> Result<Option<String>, Problem> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else { return Ok(None) };
    let value = value.to_str().unwrap_or("");
    match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() => {
            Ok(Some(token.trim().to_string()))
        }
        _ => Err(Problem::new(StatusCode::UNAUTHORIZED, "unauthenticated", "the Authorization header must be `Bearer <access token>`")),
    }
}

fn same_origin(req: &HttpRequest, ctx: &AppContext) -> bool {
    if let Some(site) = req.headers().get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "same-origin";
    }
    // Exact match of scheme, host and port: a prefix match would let `https://example.or`
    // pass for `https://example.org`.
    let ours = ctx.public_url.origin().ascii_serialization();
    req.headers().get(header::ORIGIN).and_then(|v| v.to_str().ok()).is_some_and(|origin| origin == ours)
}

fn credentials(req: &HttpRequest, ctx: &AppContext) -> Result<Option<String>, Problem> {
    if let Some(token) = bearer(req)? {
        return Ok(Some(token));
    }
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    match req.cookie(ACCESS_COOKIE) {
        Some(c) if safe || same_origin(req, ctx) => Ok(Some(c.value().to_string())),
        _ => Ok(None),
    }
}

async fn resolve(req: HttpRequest) -> Result<Option<Viewer>, Problem> {
    let ctx = req
        .app_data::<web::Data<AppContext>>()
        .expect("AppContext is registered as app data")
        .clone();
    match credentials(&req, &ctx)? {
        None => Ok(None),
        Some(token) => accounts::authenticate(&ctx, &token).await.map(Some).map_err(|e| Problem::from(&e)),
    }
}

impl FromRequest for MaybeViewer {
    type Error = Problem;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Problem>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { resolve(req).await.map(MaybeViewer) })
    }
}

impl FromRequest for Authenticated {
    type Error = Problem;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Problem>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            match resolve(req).await? {
                Some(v) => Ok(Authenticated(v)),
                None => Err(Problem::new(StatusCode::UNAUTHORIZED, "unauthenticated", "sign in first: send `Authorization: Bearer <access token>`")),
            }
        })
    }
}

/// Session cookies for pages: HttpOnly (no script can read them), SameSite=Lax, and Secure
/// whenever the instance is served over https (or when configured so).
pub fn session_cookies(ctx: &AppContext, access: &str, refresh: &str) -> [Cookie<'static>; 2] {
    let secure = ctx.settings.auth.cookie_secure.unwrap_or(ctx.public_url.scheme() == "https");
    let make = |name: &'static str, value: String, max_age: i64| {
        Cookie::build(name, value)
            .path("/")
            .http_only(true)
            .secure(secure)
            .same_site(SameSite::Lax)
            .max_age(CookieDuration::seconds(max_age))
            .finish()
    };
    [
        make(ACCESS_COOKIE, access.to_string(), ctx.tokens.access_ttl.num_seconds()),
        make(REFRESH_COOKIE, refresh.to_string(), ctx.tokens.refresh_ttl.num_seconds()),
    ]
}

pub fn cleared_cookies() -> [Cookie<'static>; 2] {
    let clear = |name: &'static str| {
        let mut c = Cookie::build(name, "").path("/").http_only(true).finish();
        c.make_removal();
        c
    };
    [clear(ACCESS_COOKIE), clear(REFRESH_COOKIE)]
}
