//! Federation over ActivityPub: each public process is a Group actor that remote people and
//! instances follow; what the process publishes (its ledger entries) is announced to them; the
//! instance itself is an Application actor that signs fetches. Everything is sent through the
//! durable job queue (`delivery`) and everything received is checked and handled once (`inbox`).
//!
//! Privacy has one rule: a process has an actor, answers WebFinger and federates only while
//! it is listed ([`crate::domain::process::is_listed`], the ledger's rule too).

pub mod actors;
pub mod admin;
pub mod delivery;
pub mod discovery;
pub mod inbox;
pub mod remote;
pub mod replies;

use std::sync::Arc;

use activitypub_federation::config::{Data, FederationConfig};
use activitypub_federation::error::Error as FedError;
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use url::Url;
use uuid::Uuid;

use super::{AppContext, AppError, now};
use crate::adapters::federation::{BLOCKED, Blocklist};
use crate::adapters::store::entities::federation_key;
use crate::adapters::store::is_unique_violation;

/// Federation as this server runs it: the crate's configuration and the instance's key.
pub struct Federation {
    pub config: FederationConfig<AppContext>,
    /// The RSA key pair every local actor signs with (PEM).
    pub public_key_pem: String,
    pub private_key_pem: String,
    /// Wakes the delivery worker when deliveries are queued.
    pub wake: tokio::sync::Notify,
    /// For asking other instances things outside the crate (WebFinger for remote follows):
    /// short timeouts, no redirects.
    pub client: reqwest::Client,
}

impl Federation {
    pub fn data(&self) -> Data<AppContext> {
        self.config.to_request_data()
    }
}

impl AppContext {
    /// Federation, once started and when enabled.
    pub fn federation(&self) -> Option<&Federation> {
        self.federation.get().map(Arc::as_ref)
    }

    /// The federation, or "not found" for requests that need it when it is switched off.
    pub(crate) fn federating(&self) -> Result<&Federation, AppError> {
        self.federation().ok_or(AppError::NotFound("federation"))
    }
}

/// Loads (or, on the first start, makes) the signing key and builds the configuration. Call it
/// once the database is migrated; until then, and when `federation.enabled` is off, the
/// instance has no actors.
pub async fn start(ctx: &AppContext) -> anyhow::Result<()> {
    let settings = &ctx.settings.federation;
    if !settings.enabled {
        return Ok(());
    }
    let (public_key_pem, private_key_pem) = signing_key(ctx).await?;
    let domain = crate::adapters::federation::instance_of(&ctx.public_url);
    // Every request to another instance goes through a resolver that refuses loopback and
    // private addresses (a handle or an actor naming an internal host must not reach it),
    // unless the operator allows them.
    let resolver = activitypub_federation::resolver::ValidatingDnsResolver::new(vec![], !settings.allow_private_addresses);
    let timeout = std::time::Duration::from_secs(10);
    let client = reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .dns_resolver(resolver)
        .user_agent(concat!("Convene/", env!("CARGO_PKG_VERSION")))
        .build()?;
    let config = FederationConfig::builder()
        .domain(domain)
        .app_data(ctx.clone())
        .url_verifier(Box::new(Blocklist { db: ctx.db.clone() }))
        // Loopback, private addresses, http and ports: only when the operator allows them.
        .debug(settings.allow_private_addresses)
        .allow_http_urls(settings.allow_private_addresses)
        .request_timeout(timeout)
        .client(reqwest_middleware::ClientWithMiddleware::from(client.clone()))
        // Mastodon's "secure mode" answers only signed fetches: fetch as the instance.
        .signed_fetch_actor(&actors::LocalActor::instance(ctx, &public_key_pem, &private_key_pem))
        .http_fetch_limit(20)
        // Sign as Mastodon does (`(request-target) host date digest`, rsa-sha256): what the
        // widest range of software verifies.
        .http_signature_compat(true)
        .build()
        .await?;
    let _ = ctx.federation.set(Arc::new(Federation { config, public_key_pem, private_key_pem, wake: Default::default(), client }));
    Ok(())
}

/// The instance's RSA key pair: read, or made once and stored (several servers sharing a
/// database agree on the first one stored).
async fn signing_key(ctx: &AppContext) -> anyhow::Result<(String, String)> {
    if let Some(k) = federation_key::Entity::find_by_id(1).one(&ctx.db).await? {
        return Ok((k.public_key_pem, k.private_key_pem));
    }
    let pair = tokio::task::spawn_blocking(activitypub_federation::http_signatures::generate_actor_keypair).await??;
    let stored = federation_key::ActiveModel {
        id: Set(1),
        public_key_pem: Set(pair.public_key.clone()),
        private_key_pem: Set(pair.private_key.clone()),
        created_at: Set(now()),
    }
    .insert(&ctx.db)
    .await;
    match stored {
        Ok(_) => Ok((pair.public_key, pair.private_key)),
        Err(e) if is_unique_violation(&e) => {
            let k = federation_key::Entity::find_by_id(1).one(&ctx.db).await?.ok_or_else(|| anyhow::anyhow!("the federation key vanished"))?;
            Ok((k.public_key_pem, k.private_key_pem))
        }
        Err(e) => Err(e.into()),
    }
}

/// Where things live, under the public URL. Ids use the process's id, not its slug, so that
/// they stay the same when the slug is changed.
pub mod urls {
    use super::*;

    pub fn instance_actor(ctx: &AppContext) -> Url {
        ctx.public_url.join("ap/instance").expect("a fixed path")
    }
    pub fn shared_inbox(ctx: &AppContext) -> Url {
        ctx.public_url.join("ap/inbox").expect("a fixed path")
    }
    pub fn process_actor(ctx: &AppContext, process_id: Uuid) -> Url {
        ctx.public_url.join(&format!("ap/processes/{process_id}")).expect("a uuid path")
    }
    pub fn process_part(ctx: &AppContext, process_id: Uuid, part: &str) -> Url {
        ctx.public_url.join(&format!("ap/processes/{process_id}/{part}")).expect("a uuid path")
    }
    pub fn ledger_entry(ctx: &AppContext, seq: i64) -> Url {
        ctx.public_url.join(&format!("ap/ledger/{seq}")).expect("a number path")
    }
    /// Ids of the activities this instance sends (Accept, Announce...).
    pub fn sent(ctx: &AppContext, id: Uuid) -> Url {
        ctx.public_url.join(&format!("ap/sent/{id}")).expect("a uuid path")
    }
    /// A participation activity (a consultation, a roundtable series...) as an object others
    /// can contribute to.
    pub fn activity(ctx: &AppContext, activity_id: Uuid) -> Url {
        ctx.public_url.join(&format!("ap/activities/{activity_id}")).expect("a uuid path")
    }
    /// The participation activity's id, when `url` is one of this instance's activities.
    pub fn activity_of(ctx: &AppContext, url: &Url) -> Option<Uuid> {
        let rest = url.as_str().strip_prefix(ctx.public_url.join("ap/activities/").ok()?.as_str())?;
        Uuid::parse_str(rest.trim_end_matches('/')).ok()
    }
    /// A contribution, as the object a response answers.
    pub fn contribution(ctx: &AppContext, contribution_id: Uuid) -> Url {
        ctx.public_url.join(&format!("ap/contributions/{contribution_id}")).expect("a uuid path")
    }
    /// The process's id, when `url` is one of this instance's process actors.
    pub fn process_of(ctx: &AppContext, url: &Url) -> Option<Uuid> {
        let rest = url.as_str().strip_prefix(ctx.public_url.join("ap/processes/").ok()?.as_str())?;
        Uuid::parse_str(rest.trim_end_matches('/')).ok()
    }
}

impl From<FedError> for AppError {
    fn from(e: FedError) -> Self {
        match e {
            FedError::ActivitySignatureInvalid => AppError::Unauthenticated("the HTTP signature does not verify with the actor's key".into()),
            FedError::ActivityBodyDigestInvalid => AppError::Unauthenticated("the Digest header is missing or does not match the body".into()),
            FedError::ParseReceivedActivity { err, .. } => AppError::bad_request("activity", format!("not an activity this server reads: {err}")),
            FedError::UrlVerificationError(why) if why == BLOCKED => AppError::Forbidden(BLOCKED.into()),
            FedError::UrlVerificationError(why) => AppError::bad_request("id", why),
            // Whatever stopped us from getting the signer's key means the signature cannot be
            // checked: senders (Fedify, say) try another signature scheme only after a 401.
            FedError::NotFound
            | FedError::RequestLimit
            | FedError::ResponseBodyLimit
            | FedError::ObjectDeleted(_)
            | FedError::DomainResolveError(_)
            | FedError::ResolveInternalIpError(..)
            | FedError::ParseFetchedObject(..)
            | FedError::FetchInvalidContentType(_)
            | FedError::FetchWrongId(_)
            | FedError::Reqwest(_)
            | FedError::ReqwestMiddleware(_)
            | FedError::WebfingerResolveFailed(_) => AppError::Unauthenticated(format!("the signing actor could not be fetched: {e}")),
            FedError::Other(why) => AppError::Unauthenticated(why),
            other => AppError::Internal(anyhow::anyhow!("federation: {other}")),
        }
    }
}
