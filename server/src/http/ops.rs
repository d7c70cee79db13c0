//! Operations: liveness, readiness and Prometheus metrics.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::{Error, HttpResponse, web};
use metrics_exporter_prometheus::PrometheusHandle;

use crate::adapters::store;
use crate::app::AppContext;

#[derive(Clone)]
pub struct Metrics {
    pub handle: PrometheusHandle,
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(healthz))
        .route("/readyz", web::get().to(readyz))
        .route("/metrics", web::get().to(metrics));
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, body = Object, description = "`{\"status\": \"ok\"}`")))]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
}

/// The process can serve: the database answers.
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses((status = 200, body = Object, description = "`{\"status\": \"ready\", \"database\": \"ok\"}`"),
              (status = 503, body = Object, description = "`{\"status\": \"unavailable\", \"database\": \"unreachable\"}`")))]
pub async fn readyz(ctx: web::Data<AppContext>) -> HttpResponse {
    match store::ping(&ctx.db).await {
        Ok(()) => HttpResponse::Ok().json(serde_json::json!({ "status": "ready", "database": "ok" })),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            HttpResponse::ServiceUnavailable().json(serde_json::json!({ "status": "unavailable", "database": "unreachable" }))
        }
    }
}

/// Prometheus text format: requests, latency, database pool, plugin calls, the job queue.
pub async fn metrics(ctx: web::Data<AppContext>, m: web::Data<Metrics>) -> HttpResponse {
    let (size, idle) = store::pool_stats(&ctx.db);
    metrics::gauge!("convene_db_pool_connections").set(size as f64);
    metrics::gauge!("convene_db_pool_idle_connections").set(idle as f64);
    if let Ok(counts) = crate::app::jobs::counts(&ctx).await {
        for status in ["pending", "running", "done", "failed"] {
            metrics::gauge!("convene_jobs", "status" => status).set(counts.get(status).copied().unwrap_or(0) as f64);
        }
    }
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(m.handle.render())
}

/// Counts every request and its duration, labelled by route pattern (not raw path, which
/// would make one series per process id).
pub fn record_metrics<S, B>(
    req: ServiceRequest,
    srv: &S,
) -> impl std::future::Future<Output = Result<ServiceResponse<B>, Error>> + use<S, B>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    let started = Instant::now();
    let method = req.method().to_string();
    let fut = srv.call(req);
    async move {
        let res = fut.await?;
        let route = res.request().match_pattern().unwrap_or_else(|| "unmatched".into());
        let status = res.status().as_u16().to_string();
        let labels = [("method", method), ("route", route), ("status", status)];
        metrics::counter!("convene_http_requests_total", &labels).increment(1);
        metrics::histogram!("convene_http_request_duration_seconds", &labels).record(started.elapsed().as_secs_f64());
        Ok(res)
    }
}
