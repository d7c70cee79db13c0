//! Access and refresh tokens: JWTs signed with HS256 by the instance's secret. Only HS256 is
//! accepted on the way in, so `alg: none` and algorithm-confusion tokens are refused.

use chrono::Duration;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, errors::ErrorKind};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::config::Settings;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    Access,
    Refresh,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    pub sub: Uuid,
    /// The session this token belongs to; revoking the session revokes its tokens.
    pub sid: Uuid,
    pub jti: Uuid,
    pub typ: TokenKind,
    pub iat: i64,
    pub exp: i64,
}

pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    issuer: String,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
}

#[derive(Debug, PartialEq, Eq)]
pub enum TokenError {
    Expired,
    Invalid(String),
}

const AUDIENCE: &str = "convene";

impl TokenKeys {
    pub fn new(settings: &Settings, issuer: &str) -> TokenKeys {
        let secret = settings.jwt_secret.expose();
        TokenKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            issuer: issuer.to_string(),
            access_ttl: Duration::seconds(settings.auth.access_token_seconds),
            refresh_ttl: Duration::days(settings.auth.refresh_token_days),
        }
    }

    pub fn issue(&self, kind: TokenKind, account: Uuid, session: Uuid, jti: Uuid) -> String {
        let now = chrono::Utc::now();
        let ttl = match kind {
            TokenKind::Access => self.access_ttl,
            TokenKind::Refresh => self.refresh_ttl,
        };
        let claims = Claims {
            iss: self.issuer.clone(),
            aud: AUDIENCE.to_string(),
            sub: account,
            sid: session,
            jti,
            typ: kind,
            iat: now.timestamp(),
            exp: (now + ttl).timestamp(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .expect("HS256 signing with a byte secret cannot fail")
    }

    pub fn verify(&self, token: &str, kind: TokenKind) -> Result<Claims, TokenError> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 5;
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation).map_err(|e| {
            match e.kind() {
                ErrorKind::ExpiredSignature => TokenError::Expired,
                ErrorKind::InvalidSignature => TokenError::Invalid("the signature does not match".into()),
                ErrorKind::InvalidAlgorithm | ErrorKind::InvalidAlgorithmName => {
                    TokenError::Invalid("only HS256 tokens issued by this instance are accepted".into())
                }
                ErrorKind::InvalidIssuer | ErrorKind::InvalidAudience => {
                    TokenError::Invalid("the token was issued for another instance".into())
                }
                _ => TokenError::Invalid("the token is malformed".into()),
            }
        })?;
        if data.claims.typ != kind {
            return Err(TokenError::Invalid(format!("expected a {kind:?} token").to_lowercase()));
        }
        Ok(data.claims)
    }
}
