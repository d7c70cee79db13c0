//! What every page handler starts from: who is reading (from the session cookies, refreshed
//! when the short-lived access cookie has expired), in which language, and the security
//! headers and cookies every page response carries.
//!
//! Forms are posted through [`PagePost`], the only way a page handler reads a form: it refuses
//! cross-site posts before the session cookie counts. A post counts as same-site when the
//! browser says so (`Sec-Fetch-Site: same-origin`, or an `Origin` equal to ours, the rule the
//! API uses too); a browser that sends neither header must send the form's token, which
//! matches a random HttpOnly cookie of its own (double submit), masked afresh on every page so
//! that compression cannot reveal it.

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::http::{Method, StatusCode, header};
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, ResponseError, dev::Payload, web};
use askama::Template;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use serde::de::DeserializeOwned;
use tracing_actix_web::RequestId;

use super::assets;
use super::i18n::{LANG_COOKIE, Tr, UI_LANGS, negotiate};
use crate::app::{AppContext, AppError, Viewer, accounts};
use crate::http::auth::{ACCESS_COOKIE, REFRESH_COOKIE, session_cookies};

/// The cookie holding the form token's secret.
pub const CSRF_COOKIE: &str = "convene_csrf";
/// The form field carrying the masked token.
pub const CSRF_FIELD: &str = "csrf";
/// Forms are small; a contribution's text is at most a few tens of KB.
const FORM_LIMIT: usize = 256 * 1024;
const CSRF_BYTES: usize = 32;

/// Strict: nothing inline, nothing from elsewhere. Charts are inline SVG drawn with
/// attributes and classes, which this allows.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// The same policy for a page whose form is answered with a redirect to another site (the
/// "follow from another site" form, sent on to the reader's own instance): browsers apply
/// `form-action` to the redirects a form's post answers with as well, so the page names the
/// schemes such a redirect may use. Only web addresses; nothing else is loosened.
const CSP_FORM_OFF_SITE: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    font-src 'self'; connect-src 'self'; form-action 'self' https:; base-uri 'none'; frame-ancestors 'none'";
/// As [`CSP_FORM_OFF_SITE`], where other instances may be reached over plain http (an
/// operator's `federation.allow_private_addresses`, for tests and private networks).
const CSP_FORM_OFF_SITE_HTTP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    font-src 'self'; connect-src 'self'; form-action 'self' https: http:; base-uri 'none'; frame-ancestors 'none'";

/// The signed-in person, as pages show them.
#[derive(Clone, Debug)]
pub struct Person {
    pub viewer: Viewer,
    pub display_name: String,
    /// An instance administrator, or an organiser or facilitator somewhere: the navigation
    /// shows them the staff's pages.
    pub staff: bool,
}

/// One page request: the app, the reader and their language.
pub struct PageCtx {
    pub app: web::Data<AppContext>,
    pub person: Option<Person>,
    pub tr: Tr,
    /// The path and query of this page, for links back to it (language switcher, sign-in).
    pub here: String,
    pub request_id: String,
    csrf_secret: Vec<u8>,
    /// Cookies to set on whatever response this request gets.
    cookies: Vec<Cookie<'static>>,
    /// The page has a form whose post is answered with a redirect to another site.
    /// (A cell: pages find this out while they render, holding the context shared.)
    form_off_site: std::cell::Cell<bool>,
}

impl PageCtx {
    pub fn viewer(&self) -> Option<&Viewer> {
        self.person.as_ref().map(|p| &p.viewer)
    }

    /// A fresh masking of the form token, for a hidden field.
    pub fn csrf_token(&self) -> String {
        let mut pad = vec![0u8; self.csrf_secret.len()];
        rand::rng().fill_bytes(&mut pad);
        let masked: Vec<u8> = pad.iter().zip(&self.csrf_secret).map(|(p, s)| p ^ s).collect();
        pad.extend(masked);
        URL_SAFE_NO_PAD.encode(pad)
    }

    /// The parts every page's layout shows.
    pub fn chrome(&self, title: impl Into<String>) -> Chrome {
        let here = self.here.clone();
        let path = here.split('?').next().unwrap_or("/").to_string();
        Chrome {
            tr: self.tr,
            title: title.into(),
            instance_name: self.app.settings.instance.name.clone(),
            signed_in: self.person.as_ref().map(|p| p.display_name.clone()),
            staff: self.person.as_ref().is_some_and(|p| p.staff),
            csrf: self.csrf_token(),
            here,
            path,
            css: assets::url("site.css"),
            js: assets::url("site.js"),
            icon: assets::icon_data_url(),
        }
    }

    /// Says that this page carries a form whose post may be answered with a redirect to another
    /// site (see [`CSP_FORM_OFF_SITE`]); every other page keeps `form-action 'self'`.
    pub fn allow_form_redirect_off_site(&self) {
        self.form_off_site.set(true);
    }

    /// Sets a cookie on the response.
    pub fn set_cookie(&mut self, cookie: Cookie<'static>) {
        self.cookies.push(cookie);
    }

    /// A response of another kind (a download) with this request's cookies and headers: a
    /// session renewed on the way must reach the browser, or its next request would present
    /// the refresh token already used and end the session.
    pub fn send(&self, res: HttpResponse) -> HttpResponse {
        self.finish(res)
    }

    fn finish(&self, mut res: HttpResponse) -> HttpResponse {
        for c in &self.cookies {
            let _ = res.add_cookie(c);
        }
        page_headers(&mut res, self.person.is_some());
        if self.form_off_site.get() {
            let csp = if self.app.settings.federation.allow_private_addresses { CSP_FORM_OFF_SITE_HTTP } else { CSP_FORM_OFF_SITE };
            res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, header::HeaderValue::from_static(csp));
        }
        res
    }

    /// A rendered page with status 200.
    pub fn render(&self, page: &impl Template) -> HttpResponse {
        self.render_status(StatusCode::OK, page)
    }

    pub fn render_status(&self, status: StatusCode, page: &impl Template) -> HttpResponse {
        match page.render() {
            Ok(html) => self.finish(HttpResponse::build(status).content_type("text/html; charset=utf-8").body(html)),
            Err(e) => {
                tracing::error!(error = %e, "a page template failed to render");
                self.finish(HttpResponse::InternalServerError().content_type("text/plain; charset=utf-8").body("This page could not be shown."))
            }
        }
    }

    /// After a form post: see the result at `to` (303, so reloading does not post again).
    pub fn redirect(&self, to: &str) -> HttpResponse {
        self.finish(HttpResponse::SeeOther().insert_header((header::LOCATION, to.to_string())).finish())
    }

    /// The page for an app error: a sign-in page for 401, an error page otherwise.
    pub fn fail(&self, e: AppError) -> PageError {
        super::errors::page_for(self, e)
    }

    pub(super) fn into_error(self, res: HttpResponse) -> PageError {
        PageError::new(self.finish(res))
    }

    pub(super) fn error_response(&self, res: HttpResponse) -> PageError {
        PageError::new(self.finish(res))
    }
}

/// A page handler's early exit: a finished response (an error page or a redirect), taken out
/// once by actix when it answers.
pub struct PageError {
    status: StatusCode,
    response: std::cell::RefCell<Option<HttpResponse>>,
}

impl PageError {
    fn new(res: HttpResponse) -> PageError {
        PageError { status: res.status(), response: std::cell::RefCell::new(Some(res)) }
    }
}

/// What the request log says about it: the status, not the page.
impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "page answered {}", self.status.as_u16())
    }
}

impl std::fmt::Debug for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        self.response.borrow_mut().take().unwrap_or_else(|| HttpResponse::build(self.status).finish())
    }
}

pub type PageResult = Result<HttpResponse, PageError>;

/// `result.or_page(&pc)?` turns an app error into its page.
pub trait OrPage<T> {
    fn or_page(self, pc: &PageCtx) -> Result<T, PageError>;
}

impl<T> OrPage<T> for Result<T, AppError> {
    fn or_page(self, pc: &PageCtx) -> Result<T, PageError> {
        self.map_err(|e| pc.fail(e))
    }
}

/// Headers on every page: the policy above, and no caching of what a signed-in person sees.
pub fn page_headers(res: &mut HttpResponse, personal: bool) {
    let h = res.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, header::HeaderValue::from_static(CSP));
    h.insert(header::VARY, header::HeaderValue::from_static("Cookie, Accept-Language"));
    if !h.contains_key(header::CACHE_CONTROL) {
        let cache = if personal { "private, no-store" } else { "no-cache" };
        h.insert(header::CACHE_CONTROL, header::HeaderValue::from_static(cache));
    }
}

/// What the layout template shows around every page.
pub struct Chrome {
    pub tr: Tr,
    pub title: String,
    pub instance_name: String,
    /// The display name of the signed-in person.
    pub signed_in: Option<String>,
    /// Whether the navigation links to the staff's pages.
    pub staff: bool,
    pub csrf: String,
    pub here: String,
    pub path: String,
    pub css: String,
    pub js: String,
    pub icon: &'static str,
}

impl Chrome {
    /// (code, endonym, is current) for the language switcher.
    pub fn languages(&self) -> Vec<(&'static str, &'static str, bool)> {
        UI_LANGS.iter().map(|l| (l.code(), l.endonym(), *l == self.tr.lang)).collect()
    }

    /// Whether a navigation link points at the current page.
    pub fn current(&self, href: &str) -> bool {
        if href == "/" { self.path == "/" } else { self.path == href || self.path.starts_with(&format!("{href}/")) }
    }
}

fn cookie_value(req: &HttpRequest, name: &str) -> Option<String> {
    req.cookie(name).map(|c| c.value().to_string())
}

fn app(req: &HttpRequest) -> web::Data<AppContext> {
    req.app_data::<web::Data<AppContext>>().expect("AppContext is registered as app data").clone()
}

fn request_id(req: &HttpRequest) -> String {
    req.extensions().get::<RequestId>().map(|id| id.to_string()).unwrap_or_default()
}

/// Builds the context; `signed_in` says whether the session cookie may count (not on a post
/// that failed the same-site rule).
async fn build(req: &HttpRequest, session_counts: bool) -> PageCtx {
    let app = app(req);
    let mut cookies = Vec::new();
    let secure = app.settings.auth.cookie_secure.unwrap_or(app.public_url.scheme() == "https");

    let csrf_secret = match cookie_value(req, CSRF_COOKIE).and_then(|v| URL_SAFE_NO_PAD.decode(v).ok()).filter(|v| v.len() == CSRF_BYTES) {
        Some(secret) => secret,
        None => {
            let mut secret = vec![0u8; CSRF_BYTES];
            rand::rng().fill_bytes(&mut secret);
            cookies.push(
                Cookie::build(CSRF_COOKIE, URL_SAFE_NO_PAD.encode(&secret))
                    .path("/")
                    .http_only(true)
                    .secure(secure)
                    .same_site(SameSite::Lax)
                    .finish(),
            );
            secret
        }
    };

    let mut person = None;
    if session_counts {
        person = signed_in_person(&app, req, &mut cookies).await;
    }

    let account_lang = person.as_ref().and_then(|(_, lang): &(Person, Option<String>)| lang.clone());
    let accept = req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    let lang = negotiate(account_lang.as_deref(), cookie_value(req, LANG_COOKIE).as_deref(), accept, app.settings.instance.default_language.as_str());
    let here = match (super::page_of_form(req.method(), req.path()), req.uri().query()) {
        (Some(page), _) => page,
        (None, Some(q)) => format!("{}?{q}", req.path()),
        (None, None) => req.path().to_string(),
    };
    PageCtx {
        person: person.map(|(p, _)| p),
        app,
        tr: Tr::new(lang),
        here,
        request_id: request_id(req),
        csrf_secret,
        cookies,
        form_off_site: std::cell::Cell::new(false),
    }
}

/// The person of the session cookies, with their language setting. An expired access cookie
/// is renewed from the refresh cookie; a session that cannot be renewed reads as signed out
/// and its cookies are cleared.
async fn signed_in_person(app: &AppContext, req: &HttpRequest, cookies: &mut Vec<Cookie<'static>>) -> Option<(Person, Option<String>)> {
    let access = cookie_value(req, ACCESS_COOKIE);
    if let Some(token) = &access
        && let Ok((viewer, account)) = accounts::authenticate_account(app, token).await
    {
        let staff = staff_role(app, &viewer).await;
        return Some((Person { viewer, display_name: account.display_name.clone(), staff }, Some(account.locale.clone())));
    }
    let refresh = cookie_value(req, REFRESH_COOKIE)?;
    match accounts::refresh(app, &refresh).await {
        Ok(pair) => {
            let (viewer, account) = accounts::authenticate_account(app, &pair.access_token).await.ok()?;
            cookies.extend(session_cookies(app, &pair.access_token, &pair.refresh_token));
            let staff = staff_role(app, &viewer).await;
            Some((Person { viewer, display_name: account.display_name.clone(), staff }, Some(account.locale.clone())))
        }
        Err(_) => {
            cookies.extend(crate::http::auth::cleared_cookies());
            None
        }
    }
}

/// Whether the navigation shows the staff's pages; a failed query only hides the link.
async fn staff_role(app: &AppContext, viewer: &Viewer) -> bool {
    crate::app::processes::has_staff_role(app, viewer).await.unwrap_or(false)
}

impl FromRequest for PageCtx {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, actix_web::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            // Only reading pages take PageCtx alone; a form post goes through PagePost.
            let safe = matches!(*req.method(), Method::GET | Method::HEAD);
            Ok(build(&req, safe).await)
        })
    }
}

/// A posted form: the page context (with the session only if the post is same-site) and the
/// form's fields, both as raw pairs (for plugin forms, whose fields repeat) and typed.
pub struct PagePost<T> {
    pub pc: PageCtx,
    pub form: T,
    pub pairs: Vec<(String, String)>,
}

/// How a post shows that it comes from our own pages.
fn same_site_by_headers(req: &HttpRequest, app: &AppContext) -> Option<bool> {
    if let Some(site) = req.headers().get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return Some(site == "same-origin");
    }
    let ours = app.public_url.origin().ascii_serialization();
    req.headers().get(header::ORIGIN).and_then(|v| v.to_str().ok()).map(|origin| origin == ours)
}

fn token_matches(secret: &[u8], masked: &str) -> bool {
    let Ok(bytes) = URL_SAFE_NO_PAD.decode(masked.trim()) else { return false };
    if bytes.len() != 2 * secret.len() || secret.is_empty() {
        return false;
    }
    let (pad, rest) = bytes.split_at(secret.len());
    let unmasked: Vec<u8> = pad.iter().zip(rest).map(|(p, r)| p ^ r).collect();
    subtle::ConstantTimeEq::ct_eq(unmasked.as_slice(), secret).into()
}

/// How much a posted form must show that it comes from our own pages.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Proof {
    /// The browser's word (`Sec-Fetch-Site`, `Origin`), or the form token when it says nothing.
    SameSite,
    /// The form carries its own single-use token: only a browser's "another site" refuses it.
    OwnToken,
}

/// Reads a posted form and decides, before anything is read as the person, whether the
/// session cookie may count for it.
async fn read_post(req: &HttpRequest, payload: &mut Payload, proof: Proof) -> Result<(PageCtx, Vec<(String, String)>), actix_web::Error> {
    let app = app(req);
    let body = crate::http::extract::read_limited(payload, FORM_LIMIT, "form").await;
    let verdict = same_site_by_headers(req, &app);
    let pc = build(req, false).await;
    let Ok(body) = body else {
        return Err(super::errors::status_page(pc, StatusCode::PAYLOAD_TOO_LARGE).into());
    };
    let pairs = form_urlencoded_pairs(&body);
    let token_ok = pairs.iter().any(|(k, v)| k == CSRF_FIELD && token_matches(&pc.csrf_secret, v));
    let ours = verdict.unwrap_or(token_ok);
    if verdict == Some(false) || (proof == Proof::SameSite && !ours) {
        return Err(super::errors::status_page(pc, StatusCode::FORBIDDEN).into());
    }
    // The session cookie counts only for a post shown to be ours.
    let pc = if ours { build(req, true).await } else { pc };
    Ok((pc, pairs))
}

impl<T: DeserializeOwned + 'static> FromRequest for PagePost<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, actix_web::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let mut payload = payload.take();
        Box::pin(async move {
            let (pc, pairs) = read_post(&req, &mut payload, Proof::SameSite).await?;
            match typed_form::<T>(&pairs) {
                Ok(form) => Ok(PagePost { pc, form, pairs }),
                Err(()) => Err(super::errors::status_page(pc, StatusCode::BAD_REQUEST).into()),
            }
        })
    }
}

fn typed_form<T: DeserializeOwned>(pairs: &[(String, String)]) -> Result<T, ()> {
    let typed: Vec<(String, String)> = dedupe_for_typed(pairs);
    serde_urlencoded::from_str::<T>(&serde_urlencoded::to_string(&typed).unwrap_or_default()).map_err(|e| {
        tracing::info!(error = %e, "a page form did not parse");
    })
}

/// A form whose own single-use token from an email is its authority (the buttons of a sign-in
/// link's page and of an account deletion link's page): the post is refused only when the
/// browser says it comes from another site, and the form token is not required. See its
/// users, `signin::magic_submit` and `account_data::confirm`, for why.
pub struct TokenPost<T> {
    pub pc: PageCtx,
    pub form: T,
}

impl<T: DeserializeOwned + 'static> FromRequest for TokenPost<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, actix_web::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let mut payload = payload.take();
        Box::pin(async move {
            let (pc, pairs) = read_post(&req, &mut payload, Proof::OwnToken).await?;
            match typed_form::<T>(&pairs) {
                Ok(form) => Ok(TokenPost { pc, form }),
                Err(()) => Err(super::errors::status_page(pc, StatusCode::BAD_REQUEST).into()),
            }
        })
    }
}

/// A posted `multipart/form-data` form (a file upload), under the same rule as [`PagePost`]:
/// a post another site makes is refused, and the session counts only for a post shown to be
/// ours, by the browser's word or, when it says nothing, by the form's token. The body is not
/// read by the extractor: the handler calls [`PageUpload::receive`] with the app's check of
/// who may send it, which runs before a byte of the body is read whenever the browser vouches
/// for the post (every current browser does); only a client that sends neither header has its
/// body read (up to the limit, into an unnamed temporary file) to find the form's token.
pub struct PageUpload {
    req: HttpRequest,
    body: web::Payload,
    verdict: Option<bool>,
}

/// One file of an uploaded form.
pub struct UploadedFile {
    pub name: String,
    /// The file name the browser gave (empty when no file was chosen).
    pub filename: String,
    pub bytes: Vec<u8>,
}

/// An uploaded form's fields: text fields as pairs (as [`PagePost::pairs`]), files apart.
#[derive(Default)]
pub struct Multipart {
    pub pairs: Vec<(String, String)>,
    pub files: Vec<UploadedFile>,
}

impl Multipart {
    /// The text field `name` (the last one given), or "".
    pub fn text(&self, name: &str) -> &str {
        self.pairs.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
    }

    /// The file chosen in `name`, if one was (a file input left empty sends no bytes).
    pub fn file(&self, name: &str) -> Option<&UploadedFile> {
        self.files.iter().find(|f| f.name == name && !(f.filename.is_empty() && f.bytes.is_empty()))
    }
}

impl FromRequest for PageUpload {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, actix_web::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Payload::from_request(&req, payload);
        Box::pin(async move {
            let body = body.await?;
            let verdict = same_site_by_headers(&req, &app(&req));
            if verdict == Some(false) {
                return Err(super::errors::status_page(build(&req, false).await, StatusCode::FORBIDDEN).into());
            }
            Ok(PageUpload { req, body, verdict })
        })
    }
}

impl PageUpload {
    /// Reads the form, at most `limit` bytes, once `may_send` (the app's rule, given the
    /// viewer) allows this person to send it; a refusal is the app error's page (sign-in for
    /// someone signed out, 403 otherwise).
    pub async fn receive(self, limit: u64, may_send: impl Fn(&Viewer) -> Result<(), AppError>) -> Result<(PageCtx, Multipart), PageError> {
        let PageUpload { req, body, verdict } = self;
        let app = app(&req);
        let check = |pc: &PageCtx| -> Result<(), PageError> {
            match pc.viewer() {
                Some(viewer) => may_send(viewer).map_err(|e| pc.fail(e)),
                None => Err(pc.fail(AppError::Unauthenticated("sign in first".into()))),
            }
        };
        let pc = build(&req, verdict == Some(true)).await;
        if verdict == Some(true) {
            check(&pc)?;
        }
        let spooled = match crate::http::upload::spool(&req, body, limit, &app.settings.upload_dir).await {
            Ok(s) => s,
            Err(e) => return Err(pc.fail(e)),
        };
        let bytes = spooled.into_bytes().map_err(|e| pc.fail(e))?;
        let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        let Some(form) = parse_multipart(content_type, &bytes) else {
            return Err(super::errors::status_page(pc, StatusCode::BAD_REQUEST));
        };
        if verdict.is_none() {
            // No word from the browser: the form's token decides whether the session counts.
            let token_ok = form.pairs.iter().any(|(k, v)| k == CSRF_FIELD && token_matches(&pc.csrf_secret, v));
            if !token_ok {
                return Err(super::errors::status_page(pc, StatusCode::FORBIDDEN));
            }
            let pc = build(&req, true).await;
            check(&pc)?;
            return Ok((pc, form));
        }
        Ok((pc, form))
    }
}

/// The boundary of a `multipart/form-data` content type.
fn multipart_boundary(content_type: &str) -> Option<String> {
    let mut parts = content_type.split(';');
    if !parts.next()?.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    parts.find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        k.trim().eq_ignore_ascii_case("boundary").then(|| v.trim().trim_matches('"').to_string())
    }).filter(|b| !b.is_empty() && b.len() <= 200)
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if from > haystack.len() || needle.is_empty() {
        return None;
    }
    // Linear in the body whatever its bytes (a naive search is quadratic on a body made of
    // near-boundaries), and bodies of up to 32 MiB are parsed before the form token is checked
    // when a client sends no same-site header.
    memchr::memmem::find(&haystack[from..], needle).map(|i| i + from)
}

/// `name` and `filename` of a part's `Content-Disposition: form-data; name="..."; filename="..."`.
fn disposition(headers: &str) -> Option<(String, Option<String>)> {
    let line = headers.split("\r\n").find(|l| l.to_ascii_lowercase().starts_with("content-disposition:"))?;
    let value = &line["content-disposition:".len()..];
    let (mut name, mut filename) = (None, None);
    for param in value.split(';').skip(1) {
        let Some((k, v)) = param.trim().split_once('=') else { continue };
        let v = v.trim().trim_matches('"').replace("%22", "\"");
        match k.trim().to_ascii_lowercase().as_str() {
            "name" => name = Some(v),
            "filename" => filename = Some(v),
            _ => {}
        }
    }
    Some((name?, filename))
}

/// Splits a `multipart/form-data` body into its text fields and files; None if it is not one.
fn parse_multipart(content_type: &str, body: &[u8]) -> Option<Multipart> {
    let delimiter = format!("--{}", multipart_boundary(content_type)?).into_bytes();
    let next_delimiter = [b"\r\n".as_slice(), &delimiter].concat();
    let mut form = Multipart::default();
    let mut at = find(body, &delimiter, 0)? + delimiter.len();
    loop {
        if body[at..].starts_with(b"--") {
            return Some(form);
        }
        if !body[at..].starts_with(b"\r\n") {
            return None;
        }
        at += 2;
        let headers_end = find(body, b"\r\n\r\n", at)?;
        let headers = std::str::from_utf8(&body[at..headers_end]).ok()?;
        let content_start = headers_end + 4;
        let content_end = find(body, &next_delimiter, content_start)?;
        let content = &body[content_start..content_end];
        let (name, filename) = disposition(headers)?;
        match filename {
            Some(filename) => form.files.push(UploadedFile { name, filename, bytes: content.to_vec() }),
            None => form.pairs.push((name, String::from_utf8(content.to_vec()).ok()?)),
        }
        at = content_end + next_delimiter.len();
    }
}

fn form_urlencoded_pairs(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

/// Typed forms read each name once (the last value wins); repeated names are for the raw
/// pairs of plugin forms.
fn dedupe_for_typed(pairs: &[(String, String)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (k, v) in pairs {
        if let Some(slot) = out.iter_mut().find(|(ok, _)| ok == k) {
            slot.1 = v.clone();
        } else {
            out.push((k.clone(), v.clone()));
        }
    }
    out
}

/// A safe place to go back to after a form: a path on this site, never another host.
pub fn local_path(raw: Option<&str>) -> String {
    match raw {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') && !p.chars().any(char::is_control) => p.to_string(),
        _ => "/".to_string(),
    }
}

/// The language cookie the switcher sets: a year, readable by pages only.
pub fn lang_cookie(app: &AppContext, code: &str) -> Cookie<'static> {
    let secure = app.settings.auth.cookie_secure.unwrap_or(app.public_url.scheme() == "https");
    Cookie::build(LANG_COOKIE, code.to_string())
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(CookieDuration::days(365))
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masked_tokens_differ_but_match_the_secret() {
        let secret = vec![7u8; CSRF_BYTES];
        let mask = |pad: u8| {
            let mut bytes = vec![pad; CSRF_BYTES];
            bytes.extend(secret.iter().map(|s| s ^ pad));
            URL_SAFE_NO_PAD.encode(bytes)
        };
        assert_ne!(mask(1), mask(2));
        assert!(token_matches(&secret, &mask(1)) && token_matches(&secret, &mask(2)));
        assert!(!token_matches(&[8u8; CSRF_BYTES], &mask(1)));
        assert!(!token_matches(&secret, "not a token"));
        assert!(!token_matches(&secret, ""));
    }

    #[test]
    fn multipart_forms_are_split_into_fields_and_files() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wasm\"\r\nContent-Type: application/wasm\r\n\r\n\0asm\r\n--x\r\n--XyZ--\r\n";
        let form = parse_multipart("multipart/form-data; boundary=XyZ", body).unwrap();
        assert_eq!(form.text("csrf"), "tok");
        let file = form.file("file").unwrap();
        assert_eq!((file.filename.as_str(), file.bytes.as_slice()), ("a.wasm", b"\0asm\r\n--x".as_slice()));
        assert!(parse_multipart("application/x-www-form-urlencoded", body).is_none());
        assert!(parse_multipart("multipart/form-data; boundary=XyZ", b"--XyZ\r\nno headers end").is_none());
    }

    #[test]
    fn the_policy_for_a_form_sent_on_elsewhere_loosens_form_action_alone() {
        let strict = CSP.replace("form-action 'self';", "");
        assert_eq!(CSP_FORM_OFF_SITE.replace("form-action 'self' https:;", ""), strict);
        assert_eq!(CSP_FORM_OFF_SITE_HTTP.replace("form-action 'self' https: http:;", ""), strict);
    }

    #[test]
    fn only_local_paths_are_followed_back() {
        assert_eq!(local_path(Some("/processes/x?lang=es")), "/processes/x?lang=es");
        for bad in ["//evil.example", "https://evil.example", "/\\evil", "evil", "/a\nb"] {
            assert_eq!(local_path(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(local_path(None), "/");
    }
}
