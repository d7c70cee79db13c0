//! ActivityPub plumbing on Lemmy's `activitypub_federation` crate: the protocol's JSON shapes
//! ([`protocol`]), the check every remote URL passes (scheme, address, blocked instances), and
//! the crate's errors as our statuses. What federation *does* is in `app::federation`.

pub mod protocol;
pub mod signing;

use activitypub_federation::config::UrlVerifier;
use activitypub_federation::error::Error as FedError;
use sea_orm::{DatabaseConnection, EntityTrait};
use url::Url;

use crate::adapters::store::entities::blocked_instance;

/// What the URL check says about a blocked instance; [`crate::app::AppError`] turns it into 403.
pub const BLOCKED: &str = "this instance is blocked here";

/// An instance as federation names it: the host, with the port when there is one
/// (`town.example`, `localhost:8081`). Blocks and per-instance limits use it.
pub fn instance_of(url: &Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{}:{port}", host.trim_end_matches('.').to_ascii_lowercase()),
        (Some(host), None) => host.trim_end_matches('.').to_ascii_lowercase(),
        (None, _) => String::new(),
    }
}

/// Asked by the crate before every fetch, every delivery and for every incoming activity's id:
/// nothing is exchanged with a blocked instance.
#[derive(Clone)]
pub struct Blocklist {
    pub db: DatabaseConnection,
}

#[async_trait::async_trait]
impl UrlVerifier for Blocklist {
    async fn verify(&self, url: &Url) -> Result<(), FedError> {
        match blocked_instance::Entity::find_by_id(instance_of(url)).one(&self.db).await {
            Ok(None) => Ok(()),
            Ok(Some(_)) => Err(FedError::UrlVerificationError(BLOCKED)),
            Err(e) => Err(FedError::Other(format!("could not read the blocked instances: {e}"))),
        }
    }
}
