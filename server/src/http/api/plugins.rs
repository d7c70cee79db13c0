//! Activity types: the public list, and their installation by instance administrators.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::Ctx;
use crate::app::AppError;
use crate::app::plugins::{self, InstallMode, InstallOptions, Installer, MAX_COMPONENT_BYTES, PluginView};
use crate::http::auth::Authenticated;
use crate::http::extract::ApiQuery;
use crate::http::upload;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/activity-types", web::get().to(activity_types)).service(
        web::scope("/admin/plugins")
            .route("", web::get().to(list))
            .route("", web::post().to(install))
            .route("/{type_id}", web::put().to(upgrade))
            .route("/{type_id}/disable", web::post().to(disable))
            .route("/{type_id}/enable", web::post().to(enable))
            .route("/{type_id}/rollback", web::post().to(rollback)),
    );
}

/// The activity types organisers can add to a process, with their forms and results.
#[utoipa::path(get, path = "/api/v1/activity-types", tag = "plugins",
    responses((status = 200, body = [Object], description = "[ActivityType]: id, name, version, description, contribution_kinds, config_fields, results")))]
pub async fn activity_types(ctx: Ctx) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(plugins::activity_types(&ctx).await?))
}

/// Every installed version of every plugin (instance admins).
#[utoipa::path(get, path = "/api/v1/admin/plugins", tag = "plugins", security(("bearer" = [])),
    responses((status = 200, body = [PluginView]), (status = 403, description = "not an instance administrator")))]
pub async fn list(ctx: Ctx, Authenticated(viewer): Authenticated) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(plugins::list(&ctx, Some(&viewer)).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct InstallParams {
    /// The SHA-256 you expect the component to have (hex); the install is refused if it differs.
    pub sha256: Option<String>,
    /// For an upgrade: accept a component from a publisher other than the one the type is
    /// bound to (another signing key, or unsigned). That publisher's code then runs every
    /// activity of the type; the ledger records the change.
    pub replace_publisher: Option<bool>,
}

/// The header that carries the publisher's detached signature of the component,
/// `ed25519:<public key>:<signature>` as `convene plugin sign` writes it.
pub const SIGNATURE_HEADER: &str = "convene-signature";

impl InstallParams {
    fn options<'a>(&'a self, req: &'a HttpRequest) -> Result<InstallOptions<'a>, AppError> {
        let signature = match req.headers().get(SIGNATURE_HEADER) {
            None => None,
            Some(v) => Some(v.to_str().map_err(|_| AppError::bad_request("signature", "the Convene-Signature header is not text"))?),
        };
        Ok(InstallOptions { sha256: self.sha256.as_deref(), signature, replace_publisher: self.replace_publisher.unwrap_or(false) })
    }
}

fn check_wasm(req: &HttpRequest) -> Result<(), AppError> {
    let content_type = req.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim();
    if essence == "application/wasm" || essence == "application/octet-stream" {
        Ok(())
    } else {
        Err(AppError::bad_request("content-type", "send the component as application/wasm"))
    }
}

/// Installs a new activity type from a WebAssembly component (instance admins).
#[utoipa::path(post, path = "/api/v1/admin/plugins", tag = "plugins", params(InstallParams, ("Convene-Signature" = Option<String>, Header, description = "the publisher's detached signature; without it the type is installed unsigned")), security(("bearer" = [])),
    request_body(description = "the component (.wasm)", content((String = "application/wasm"), (String = "application/octet-stream"))),
    responses((status = 201, body = PluginView), (status = 403, description = "not an instance administrator"),
              (status = 409, description = "this type is already installed (upgrade it instead)"),
              (status = 422, description = "not a Convene component, the wrong contract, a reserved org.convene. type id, a SHA-256 other than `sha256`, or a signature that does not sign it")))]
pub async fn install(
    ctx: Ctx,
    req: HttpRequest,
    Authenticated(viewer): Authenticated,
    ApiQuery(p): ApiQuery<InstallParams>,
    body: web::Payload,
) -> Result<HttpResponse, AppError> {
    let component = receive_component(&ctx, &req, &viewer, body).await?;
    let view = plugins::install(&ctx, Installer::Admin(&viewer), component, p.options(&req)?, InstallMode::Install, None).await?;
    Ok(HttpResponse::Created().json(view))
}

/// The component in the request body, read only once the caller is known to be allowed to
/// install plugins: anyone else is refused before a byte of it is read.
async fn receive_component(ctx: &Ctx, req: &HttpRequest, viewer: &crate::app::Viewer, body: web::Payload) -> Result<Vec<u8>, AppError> {
    plugins::may_install(viewer)?;
    check_wasm(req)?;
    upload::spool(req, body, MAX_COMPONENT_BYTES as u64, &ctx.settings.upload_dir).await?.into_bytes()
}

/// Upgrades an installed activity type to the component sent (a newer version of the same
/// type). Its activities keep their configuration and data.
#[utoipa::path(put, path = "/api/v1/admin/plugins/{type_id}", tag = "plugins",
    params(("type_id" = String, Path), InstallParams, ("Convene-Signature" = Option<String>, Header, description = "the publisher's detached signature")),
    security(("bearer" = [])), request_body(description = "the component (.wasm)", content((String = "application/wasm"), (String = "application/octet-stream"))),
    responses((status = 200, body = PluginView), (status = 403, description = "not an instance administrator"),
              (status = 409, description = "not a newer version of this type, or from another publisher without `replace_publisher`"),
              (status = 422, description = "not a Convene component, the wrong contract, a reserved org.convene. type id, a SHA-256 other than `sha256`, or a signature that does not sign it")))]
pub async fn upgrade(
    ctx: Ctx,
    req: HttpRequest,
    Authenticated(viewer): Authenticated,
    type_id: web::Path<String>,
    ApiQuery(p): ApiQuery<InstallParams>,
    body: web::Payload,
) -> Result<HttpResponse, AppError> {
    let component = receive_component(&ctx, &req, &viewer, body).await?;
    let view = plugins::install(&ctx, Installer::Admin(&viewer), component, p.options(&req)?, InstallMode::Upgrade, Some(&type_id)).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Disables an activity type: its activities stop taking contributions until it is enabled.
#[utoipa::path(post, path = "/api/v1/admin/plugins/{type_id}/disable", tag = "plugins", params(("type_id" = String, Path)),
    security(("bearer" = [])), responses((status = 200, body = PluginView), (status = 403, description = "not an instance administrator")))]
pub async fn disable(ctx: Ctx, Authenticated(viewer): Authenticated, type_id: web::Path<String>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(plugins::set_enabled(&ctx, Some(&viewer), &type_id, false).await?))
}

#[utoipa::path(post, path = "/api/v1/admin/plugins/{type_id}/enable", tag = "plugins", params(("type_id" = String, Path)),
    security(("bearer" = [])), responses((status = 200, body = PluginView), (status = 403, description = "not an instance administrator")))]
pub async fn enable(ctx: Ctx, Authenticated(viewer): Authenticated, type_id: web::Path<String>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(plugins::set_enabled(&ctx, Some(&viewer), &type_id, true).await?))
}

/// Rolls an activity type back to the version it ran before the current one (instance
/// admins). The version rolled back from is kept as `rolled_back`; the ledger records it.
#[utoipa::path(post, path = "/api/v1/admin/plugins/{type_id}/rollback", tag = "plugins", params(("type_id" = String, Path)),
    security(("bearer" = [])), responses((status = 200, body = PluginView, description = "the version restored"),
              (status = 403, description = "not an instance administrator"), (status = 404, description = "no such activity type"),
              (status = 409, description = "no earlier version, or one that is not available or refuses an existing activity's configuration")))]
pub async fn rollback(ctx: Ctx, Authenticated(viewer): Authenticated, type_id: web::Path<String>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(crate::app::plugin_rollback::rollback(&ctx, Some(&viewer), &type_id).await?))
}
