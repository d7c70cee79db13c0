//! Operations: liveness, readiness and Prometheus metrics. Metrics are not for the public:
//! they are served on the public port only behind a configured bearer token, or on a
//! separate listener (`metrics.bind`), and otherwise not at all.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode, header};
use actix_web::{Error, HttpRequest, HttpResponse, web};
use metrics_exporter_prometheus::PrometheusHandle;

use crate::adapters::store;
use crate::app::AppContext;
use crate::http::problem::Problem;

#[derive(Clone)]
pub struct Metrics {
    pub handle: PrometheusHandle,
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(healthz)).route("/readyz", web::get().to(readyz));
}

/// `/metrics`, for the public app when a token is configured and for the metrics listener.
pub fn metrics_route(cfg: &mut web::ServiceConfig) {
    cfg.route("/metrics", web::get().to(metrics));
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

/// True when the request carries `Authorization: Bearer <token>` with the configured token, or
/// when no token is configured. Compared in constant time, so the answer's timing says
/// nothing about how much of a guess was right.
fn token_accepted(req: &HttpRequest, ctx: &AppContext) -> bool {
    use subtle::ConstantTimeEq;
    let Some(expected) = &ctx.settings.metrics.token else { return true };
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim().as_bytes())
        .unwrap_or_default();
    given.ct_eq(expected.expose()).into()
}

/// Prometheus text format: requests, latency, database pool, plugin calls, the job queue.
pub async fn metrics(req: HttpRequest, ctx: web::Data<AppContext>, m: web::Data<Metrics>) -> HttpResponse {
    if !token_accepted(&req, &ctx) {
        return Problem::new(StatusCode::UNAUTHORIZED, "unauthenticated", "send the metrics token: `Authorization: Bearer <metrics.token>`").response();
    }
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

/// The method as a metrics label: the standard ones by name, anything else `other`. A raw
/// method would let anyone create a series per request by inventing methods.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// Counts every request and its duration, labelled by method (bounded, see `method_label`),
/// route pattern (not the raw path, which would make one series per process id, and one
/// `unmatched` for every path that matches no route) and status. Every label value comes from
/// a fixed set, whatever the requests say.
pub fn record_metrics<S, B>(
    req: ServiceRequest,
    srv: &S,
) -> impl std::future::Future<Output = Result<ServiceResponse<B>, Error>> + use<S, B>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    let started = Instant::now();
    let method = method_label(req.method());
    let fut = srv.call(req);
    async move {
        let res = fut.await?;
        let route = res.request().match_pattern().unwrap_or_else(|| "unmatched".into());
        let status = res.status().as_u16().to_string();
        let labels = [("method", method.to_string()), ("route", route), ("status", status)];
        metrics::counter!("convene_http_requests_total", &labels).increment(1);
        metrics::histogram!("convene_http_request_duration_seconds", &labels).record(started.elapsed().as_secs_f64());
        Ok(res)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_standard_methods_are_labelled_by_name() {
        assert_eq!(method_label(&Method::GET), "GET");
        assert_eq!(method_label(&Method::OPTIONS), "OPTIONS");
        for invented in ["FOO", "get", "PROPFIND", "X1234567"] {
            assert_eq!(method_label(&Method::from_bytes(invented.as_bytes()).unwrap()), "other", "{invented}");
        }
    }
}
