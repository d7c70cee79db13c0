//! HTTP: the JSON API, operational endpoints and the web pages.

pub mod api;
pub mod auth;
pub mod client_addr;
pub mod extract;
pub mod federation;
pub mod openapi;
pub mod ops;
pub mod pages;
pub mod problem;
pub mod upload;

use std::net::TcpListener;

use actix_web::dev::{Server, Service};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{App, FromRequest, HttpMessage, HttpResponse, HttpServer, web};
use tracing_actix_web::{RequestId, TracingLogger};

use crate::app::AppContext;
use problem::Problem;

/// Builds the server on an already bound listener (so tests and `--bind 127.0.0.1:0` work).
pub fn server(ctx: AppContext, metrics: ops::Metrics, listener: TcpListener) -> std::io::Result<Server> {
    // The public port serves /metrics only behind a token; without one it is a 404 like any
    // unknown path.
    let public_metrics = ctx.settings.metrics.token.is_some();
    let ctx = web::Data::new(ctx);
    let metrics = web::Data::new(metrics);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(ctx.clone())
            .app_data(metrics.clone())
            .app_data(web::PathConfig::default().error_handler(extract::path_error))
            .wrap(actix_web::middleware::from_fn(extract::refuse_nul_in_path))
            .wrap_fn(ops::record_metrics)
            .wrap_fn(|req, srv| {
                let request_id = req.extensions().get::<RequestId>().map(|id| id.to_string());
                let fut = srv.call(req);
                async move {
                    let mut res = fut.await?;
                    let headers = res.headers_mut();
                    if let Some(id) = request_id.and_then(|id| HeaderValue::from_str(&id).ok()) {
                        headers.insert(HeaderName::from_static("x-request-id"), id);
                    }
                    // Defence in depth for every response, API or page.
                    headers.insert(HeaderName::from_static("x-content-type-options"), HeaderValue::from_static("nosniff"));
                    headers.insert(HeaderName::from_static("referrer-policy"), HeaderValue::from_static("same-origin"));
                    headers.insert(HeaderName::from_static("x-frame-options"), HeaderValue::from_static("DENY"));
                    Ok(res)
                }
            })
            // Pages, their assets and JSON compress well; brotli or gzip as the client offers.
            .wrap(actix_web::middleware::Compress::default())
            .wrap(TracingLogger::<client_addr::ClientSpan>::new())
            .configure(ops::routes)
            .configure(|cfg| {
                if public_metrics {
                    ops::metrics_route(cfg);
                }
            })
            .configure(api::configure)
            .configure(federation::routes)
            .configure(pages::routes)
            .default_service(web::to(not_found))
    })
    .listen(listener)?
    .shutdown_timeout(10)
    .run();
    Ok(server)
}

/// The metrics listener (`metrics.bind`): `/metrics` and nothing else, on an address of its
/// own (a private interface, say), with the token too when one is configured.
pub fn metrics_server(ctx: AppContext, metrics: ops::Metrics, listener: TcpListener) -> std::io::Result<Server> {
    let ctx = web::Data::new(ctx);
    let metrics = web::Data::new(metrics);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(ctx.clone())
            .app_data(metrics.clone())
            .configure(ops::metrics_route)
            .default_service(web::to(not_found))
    })
    .workers(1)
    .listen(listener)?
    .shutdown_timeout(5)
    .run();
    Ok(server)
}

async fn not_found(req: actix_web::HttpRequest) -> HttpResponse {
    if pages::errors::wants_page(&req) {
        if let Ok(pc) = pages::page::PageCtx::extract(&req).await {
            return pages::errors::not_found(pc).await;
        }
    }
    Problem::new(StatusCode::NOT_FOUND, "not-found", format!("nothing at {} {}", req.method(), req.path())).response()
}
