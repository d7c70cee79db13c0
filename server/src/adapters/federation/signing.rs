//! A signed POST whose answer we read. The federation crate signs and sends activities but
//! keeps the answer to itself (a 4xx counts as delivered); sending a contribution to another
//! instance needs the answer (accepted, with its id, or refused, with why). Signed exactly as
//! the crate signs (draft-cavage, RSA-SHA256 over `(request-target) host date digest`), with
//! the library it uses.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use http_signature_normalization_reqwest::prelude::{Config, SignExt};
use rsa::pkcs8::DecodePrivateKey;
use rsa::{Pkcs1v15Sign, RsaPrivateKey};
use sha2::{Digest, Sha256};
use url::Url;

use super::protocol::MEDIA_TYPE;

/// How a signed POST went.
#[derive(Debug)]
pub enum Sent {
    /// 2xx, with the body of the answer.
    Accepted(bytes::Bytes),
    /// 4xx (not 408 or 429): the other instance refuses it; sending again changes nothing.
    Refused(u16, bytes::Bytes),
    /// Not reached, or it failed (5xx, 408, 429, a timeout): worth trying again later.
    Failed(String),
}

/// Signs `body` as `actor_id` (key `actor_id#main-key`) and POSTs it to `inbox`. Reads at most
/// 64 KiB of the answer.
pub async fn signed_post(client: &reqwest::Client, actor_id: &Url, private_key_pem: &str, inbox: &Url, body: Vec<u8>) -> Sent {
    let key = match RsaPrivateKey::from_pkcs8_pem(private_key_pem) {
        Ok(k) => k,
        Err(e) => return Sent::Failed(format!("the signing key does not load: {e}")),
    };
    let config = Config::new().mastodon_compat().set_expiration(std::time::Duration::from_secs(3_600));
    let date = chrono::Utc::now().format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let request = client
        .post(inbox.as_str())
        .header("content-type", MEDIA_TYPE)
        .header("accept", format!("{MEDIA_TYPE}, application/problem+json, application/json"))
        .header("date", date)
        .signature_with_digest(config, format!("{actor_id}#main-key"), Sha256::new(), body, move |signing_string| {
            let signature = key
                .sign(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(signing_string.as_bytes()))
                .map_err(|e| SignFailure(e.to_string()))?;
            Ok::<_, SignFailure>(BASE64.encode(signature))
        })
        .await;
    let request = match request {
        Ok(r) => r,
        Err(e) => return Sent::Failed(format!("could not sign: {}", e.0)),
    };
    let response = match client.execute(request).await {
        Ok(r) => r,
        Err(e) => return Sent::Failed(format!("could not reach {}: {e}", inbox.host_str().unwrap_or("the instance"))),
    };
    let status = response.status().as_u16();
    let mut answer = Vec::new();
    let mut response = response;
    while let Ok(Some(chunk)) = response.chunk().await {
        if answer.len() + chunk.len() > 64 * 1024 {
            break;
        }
        answer.extend_from_slice(&chunk);
    }
    let answer = bytes::Bytes::from(answer);
    match status {
        200..=299 => Sent::Accepted(answer),
        408 | 429 => Sent::Failed(format!("the instance answered {status}")),
        400..=499 => Sent::Refused(status, answer),
        _ => Sent::Failed(format!("the instance answered {status}: {}", String::from_utf8_lossy(&answer).chars().take(300).collect::<String>())),
    }
}

/// Why signing failed, in the shape the signing library's callback wants.
#[derive(Debug)]
pub struct SignFailure(String);

impl From<http_signature_normalization_reqwest::SignError> for SignFailure {
    fn from(e: http_signature_normalization_reqwest::SignError) -> Self {
        SignFailure(e.to_string())
    }
}

impl From<reqwest::Error> for SignFailure {
    fn from(e: reqwest::Error) -> Self {
        SignFailure(e.to_string())
    }
}
