//! Assertions on HTTP responses that many tests share.

use serde_json::Value;

/// Asserts that `resp` is an RFC 9457 problem (`Content-Type: application/problem+json`) and
/// returns its JSON body. The status is left to the caller to check.
pub async fn problem(resp: reqwest::Response) -> Value {
    let status = resp.status();
    let content_type = resp
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default();
    let body = resp.text().await.unwrap_or_else(|e| panic!("reading the body of a {status} response: {e}"));
    // Parameters (`; charset=utf-8`) may follow the media type.
    let media_type = content_type.split(';').next().unwrap_or_default().trim();
    assert!(
        media_type.eq_ignore_ascii_case("application/problem+json"),
        "expected Content-Type application/problem+json, got {content_type:?} (status {status}); body: {body}"
    );
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("a problem+json body that is not JSON ({e}), status {status}: {body}"))
}

/// Asserts that `resp` has status `expected` and returns its body as JSON (`Value::Null` for
/// an empty body). On a wrong status the panic shows the body, which usually says why.
pub async fn expect_json(resp: reqwest::Response, expected: u16) -> Value {
    let status = resp.status();
    let url = resp.url().clone();
    let body = resp.text().await.unwrap_or_else(|e| panic!("reading the body of a {status} response from {url}: {e}"));
    assert_eq!(status.as_u16(), expected, "unexpected status from {url}; body: {body}");
    if body.trim().is_empty() {
        return Value::Null;
    }
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("the body from {url} is not JSON ({e}): {body}"))
}
