//! The ActivityPub documents Convene reads, as types. Reading is lenient where other software
//! differs (`to` as one string or a list, `@context` as a string or a list, extra members such
//! as `signature` or `proof` are ignored); what Convene writes is built in `app::federation`.

use activitypub_federation::protocol::public_key::PublicKey;
use serde::{Deserialize, Serialize};
use url::Url;

/// The JSON-LD contexts of what Convene serves: ActivityStreams and the security vocabulary
/// (for `publicKey`). Names only; nothing is fetched from them.
pub fn context() -> serde_json::Value {
    serde_json::json!(["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"])
}

/// The media type of ActivityPub documents.
pub const MEDIA_TYPE: &str = "application/activity+json";

/// Any actor, as fetched from its server: a Person, a Group, an Application, a Service.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActorDoc {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: Url,
    pub inbox: Url,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoints: Option<Endpoints>,
    pub public_key: PublicKey,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A link for people; software writes a string, an object or a list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<serde_json::Value>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoints {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_inbox: Option<Url>,
}

impl ActorDoc {
    /// The first link for people, when it is a plain URL.
    pub fn page(&self) -> Option<String> {
        match &self.url {
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(serde_json::Value::Object(o)) => o.get("href").and_then(|h| h.as_str()).map(str::to_string),
            Some(serde_json::Value::Array(items)) => items.iter().find_map(|i| match i {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Object(o) => o.get("href").and_then(|h| h.as_str()).map(str::to_string),
                _ => None,
            }),
            _ => None,
        }
    }
}

/// What an activity names as its object: an id, or the object itself (Mastodon embeds the
/// Follow it undoes; others send its id).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(untagged)]
pub enum ObjectRef {
    Id(Url),
    Embedded(EmbeddedObject),
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct EmbeddedObject {
    pub id: Url,
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<serde_json::Value>,
}

impl ObjectRef {
    pub fn id(&self) -> &Url {
        match self {
            ObjectRef::Id(id) => id,
            ObjectRef::Embedded(o) => &o.id,
        }
    }
}

/// A WebFinger answer (RFC 7033), as far as Convene reads and writes it.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Webfinger {
    pub subject: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub links: Vec<WebfingerLink>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct WebfingerLink {
    pub rel: String,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_actors_the_way_others_write_them() {
        let doc: ActorDoc = serde_json::from_value(serde_json::json!({
            "@context": ["https://www.w3.org/ns/activitystreams", {"toot": "http://joinmastodon.org/ns#"}],
            "type": "Person",
            "id": "https://social.example/users/ana",
            "inbox": "https://social.example/users/ana/inbox",
            "endpoints": {"sharedInbox": "https://social.example/inbox"},
            "publicKey": {"id": "https://social.example/users/ana#main-key", "owner": "https://social.example/users/ana", "publicKeyPem": "PEM"},
            "url": [{"type": "Link", "href": "https://social.example/@ana"}],
            "proof": {"type": "DataIntegrityProof"}
        }))
        .unwrap();
        assert_eq!(doc.page().as_deref(), Some("https://social.example/@ana"));
        assert_eq!(doc.endpoints.unwrap().shared_inbox.unwrap().as_str(), "https://social.example/inbox");
    }

    #[test]
    fn object_is_an_id_or_embedded() {
        let id: ObjectRef = serde_json::from_value(serde_json::json!("https://a.example/f/1")).unwrap();
        let embedded: ObjectRef = serde_json::from_value(serde_json::json!({"id": "https://a.example/f/1", "type": "Follow", "object": "x"})).unwrap();
        assert_eq!(id.id(), embedded.id());
    }
}
