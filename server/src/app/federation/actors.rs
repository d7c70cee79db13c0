//! Actors: the local ones (the instance, each listed process) as documents and as signers,
//! and the remote ones as the crate fetches and keeps them.

use activitypub_federation::config::Data;
use activitypub_federation::protocol::verification::verify_domains_match;
use activitypub_federation::traits::{Actor, Object};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};
use url::Url;
use uuid::Uuid;

use super::urls;
use crate::adapters::federation::instance_of;
use crate::adapters::federation::protocol::{ActorDoc, context};
use crate::adapters::store::entities::{process, remote_actor};
use crate::app::{AppContext, AppError, AppResult, now};
use crate::domain::localized::LocalizedText;
use crate::domain::process::{ProcessStatus, Visibility, is_listed};

/// A local actor as the crate needs it to sign what it sends.
#[derive(Clone, Debug)]
pub struct LocalActor {
    pub id: Url,
    pub inbox: Url,
    pub public_key_pem: String,
    pub private_key_pem: String,
}

impl LocalActor {
    pub fn instance(ctx: &AppContext, public_key_pem: &str, private_key_pem: &str) -> LocalActor {
        LocalActor {
            id: urls::instance_actor(ctx),
            inbox: urls::shared_inbox(ctx),
            public_key_pem: public_key_pem.into(),
            private_key_pem: private_key_pem.into(),
        }
    }

    /// Any local actor by id (the signer of a queued delivery).
    pub fn by_id(ctx: &AppContext, id: Url) -> AppResult<LocalActor> {
        let f = ctx.federating()?;
        Ok(LocalActor { id, inbox: urls::shared_inbox(ctx), public_key_pem: f.public_key_pem.clone(), private_key_pem: f.private_key_pem.clone() })
    }
}

#[async_trait::async_trait]
impl Object for LocalActor {
    type DataType = AppContext;
    type Kind = ActorDoc;
    type Error = AppError;

    fn id(&self) -> &Url {
        &self.id
    }
    async fn read_from_id(_: Url, _: &Data<AppContext>) -> Result<Option<Self>, AppError> {
        Ok(None)
    }
    async fn into_json(self, _: &Data<AppContext>) -> Result<ActorDoc, AppError> {
        Err(AppError::Internal(anyhow::anyhow!("local actors are served by their own routes")))
    }
    async fn verify(_: &ActorDoc, _: &Url, _: &Data<AppContext>) -> Result<(), AppError> {
        Ok(())
    }
    async fn from_json(_: ActorDoc, _: &Data<AppContext>) -> Result<Self, AppError> {
        Err(AppError::Internal(anyhow::anyhow!("local actors are not read from documents")))
    }
}

impl Actor for LocalActor {
    fn public_key_pem(&self) -> &str {
        &self.public_key_pem
    }
    fn private_key_pem(&self) -> Option<String> {
        Some(self.private_key_pem.clone())
    }
    fn inbox(&self) -> Url {
        self.inbox.clone()
    }
}

/// A remote actor, kept in `remote_actors` and fetched again when a day old.
#[derive(Clone, Debug)]
pub struct RemoteActor {
    pub ap_id: Url,
    pub row: remote_actor::Model,
}

impl RemoteActor {
    /// Its own inbox, for what is addressed to it alone.
    pub fn inbox_url(&self) -> Url {
        Url::parse(&self.row.inbox).expect("stored from a parsed URL")
    }

    /// The actor as stored, without fetching it.
    pub async fn read_from_db(ctx: &AppContext, id: &Url) -> AppResult<Option<RemoteActor>> {
        RemoteActor::read_in(&ctx.db, id).await
    }

    /// The same, inside a transaction the caller holds (reading through the pool then could
    /// wait for a connection the transactions around it hold).
    pub async fn read_in<C: sea_orm::ConnectionTrait>(db: &C, id: &Url) -> AppResult<Option<RemoteActor>> {
        let row = remote_actor::Entity::find().filter(remote_actor::Column::ApId.eq(id.as_str())).one(db).await?;
        Ok(row.map(|row| RemoteActor { ap_id: id.clone(), row }))
    }
}

#[async_trait::async_trait]
impl Object for RemoteActor {
    type DataType = AppContext;
    type Kind = ActorDoc;
    type Error = AppError;

    fn id(&self) -> &Url {
        &self.ap_id
    }

    fn last_refreshed_at(&self) -> Option<DateTime<Utc>> {
        Some(self.row.fetched_at)
    }

    async fn read_from_id(id: Url, data: &Data<AppContext>) -> Result<Option<Self>, AppError> {
        RemoteActor::read_from_db(data, &id).await
    }

    async fn into_json(self, _: &Data<AppContext>) -> Result<ActorDoc, AppError> {
        Err(AppError::Internal(anyhow::anyhow!("remote actors are not served here")))
    }

    async fn verify(json: &ActorDoc, expected_domain: &Url, _: &Data<AppContext>) -> Result<(), AppError> {
        verify_domains_match(&json.id, expected_domain)?;
        verify_domains_match(&json.inbox, expected_domain)?;
        // The key must be the actor's own, on its own host: a key owned elsewhere signs nothing.
        if json.public_key.owner != json.id {
            return Err(AppError::Unauthenticated(format!("the key {} is not owned by {}", json.public_key.id, json.id)));
        }
        Ok(())
    }

    async fn from_json(json: ActorDoc, data: &Data<AppContext>) -> Result<Self, AppError> {
        let row = remote_actor::ActiveModel {
            id: Set(Uuid::now_v7()),
            ap_id: Set(json.id.to_string()),
            host: Set(instance_of(&json.id)),
            kind: Set(cut(&json.kind, 40)),
            inbox: Set(json.inbox.to_string()),
            shared_inbox: Set(json.endpoints.as_ref().and_then(|e| e.shared_inbox.as_ref()).map(Url::to_string)),
            public_key_pem: Set(json.public_key.public_key_pem.clone()),
            preferred_username: Set(json.preferred_username.as_deref().map(|s| cut(s, 200))),
            name: Set(json.name.as_deref().map(|s| cut(s, 200))),
            url: Set(json.page().filter(|u| u.starts_with("https://") || u.starts_with("http://")).map(|s| cut(&s, 2_000))),
            fetched_at: Set(now()),
        };
        remote_actor::Entity::insert(row)
            .on_conflict(
                OnConflict::column(remote_actor::Column::ApId)
                    .update_columns([
                        remote_actor::Column::Kind,
                        remote_actor::Column::Inbox,
                        remote_actor::Column::SharedInbox,
                        remote_actor::Column::PublicKeyPem,
                        remote_actor::Column::PreferredUsername,
                        remote_actor::Column::Name,
                        remote_actor::Column::Url,
                        remote_actor::Column::FetchedAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(&data.db)
            .await?;
        RemoteActor::read_from_id(json.id, data).await?.ok_or(AppError::NotFound("actor"))
    }
}

impl Actor for RemoteActor {
    fn public_key_pem(&self) -> &str {
        &self.row.public_key_pem
    }
    fn private_key_pem(&self) -> Option<String> {
        None
    }
    fn inbox(&self) -> Url {
        self.inbox_url()
    }
}

/// Text from another server, cut to a length we are willing to store.
fn cut(s: &str, max_chars: usize) -> String {
    s.chars().take(max_chars).collect()
}

/// A process as federation sees it: listed, or nothing.
pub async fn listed_process(ctx: &AppContext, process_id: Uuid) -> AppResult<Option<process::Model>> {
    let p = process::Entity::find_by_id(process_id).one(&ctx.db).await?;
    Ok(p.filter(federates))
}

/// The one rule: a process federates while it is listed.
pub fn federates(p: &process::Model) -> bool {
    let status = ProcessStatus::from_stored(&p.status).unwrap_or(ProcessStatus::Draft);
    let visibility = Visibility::from_stored(&p.visibility).unwrap_or(Visibility::Private);
    is_listed(status, visibility)
}

/// The listed process with this slug (a WebFinger name).
pub async fn listed_process_by_slug(ctx: &AppContext, slug: &str) -> AppResult<Option<process::Model>> {
    let p = process::Entity::find().filter(process::Column::Slug.eq(slug)).one(&ctx.db).await?;
    Ok(p.filter(federates))
}

fn public_key(id: &Url, pem: &str) -> Value {
    json!({"id": format!("{id}#main-key"), "owner": id, "publicKeyPem": pem})
}

/// A process's Group actor document (FEP-1b12, as Lemmy's communities): followable, and it
/// announces what the process publishes.
pub fn group_document(ctx: &AppContext, p: &process::Model) -> AppResult<Value> {
    let f = ctx.federating()?;
    let id = urls::process_actor(ctx, p.id);
    let title = LocalizedText::from_stored(p.title.clone());
    let summary = LocalizedText::from_stored(p.summary.clone());
    let language = p.default_language.as_str();
    let page = ctx.public_url.join(&format!("processes/{}", p.slug)).map_err(|e| AppError::Internal(e.into()))?;
    Ok(json!({
        "@context": context(),
        "type": "Group",
        "id": id,
        "preferredUsername": p.slug,
        "name": title.best(language, language),
        "summary": summary.best(language, language),
        "nameMap": title.to_json(),
        "summaryMap": summary.to_json(),
        "url": page,
        "inbox": urls::process_part(ctx, p.id, "inbox"),
        "outbox": urls::process_part(ctx, p.id, "outbox"),
        "followers": urls::process_part(ctx, p.id, "followers"),
        "endpoints": {"sharedInbox": urls::shared_inbox(ctx)},
        "publicKey": public_key(&id, &f.public_key_pem),
        "manuallyApprovesFollowers": false,
        "discoverable": true,
        "published": p.published_at,
        "attributedTo": urls::instance_actor(ctx),
    }))
}

/// The instance's Application actor: signs fetches, and is what a process's announcements are
/// attributed to.
pub fn instance_document(ctx: &AppContext) -> AppResult<Value> {
    let f = ctx.federating()?;
    let id = urls::instance_actor(ctx);
    Ok(json!({
        "@context": context(),
        "type": "Application",
        "id": id,
        "preferredUsername": instance_of(&ctx.public_url),
        "name": ctx.settings.instance.name,
        "url": ctx.public_url,
        "inbox": urls::shared_inbox(ctx),
        "outbox": ctx.public_url.join("ap/instance/outbox").expect("a fixed path"),
        "endpoints": {"sharedInbox": urls::shared_inbox(ctx)},
        "publicKey": public_key(&id, &f.public_key_pem),
        "manuallyApprovesFollowers": true,
    }))
}

/// A participation activity as an object other instances can send contributions to: its
/// process's Group, and the kinds (with their forms) that people elsewhere may send.
pub async fn activity_document(ctx: &AppContext, p: &process::Model, a: &crate::adapters::store::entities::activity::Model) -> AppResult<Value> {
    let plugin = crate::app::plugins::runnable(ctx, &a.type_id, "activity").await?;
    let described = crate::adapters::plugins::view::activity_type(&plugin.info);
    let mut remote_kinds: Vec<Value> = described["contribution_kinds"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|k| k["remote_allowed"].as_bool() == Some(true))
        .cloned()
        .collect();
    // A form that depends on the configuration (a consultation's questions) is asked of the
    // plugin, as for the activity's own page, so another instance can show it.
    for k in &mut remote_kinds {
        if k["fields"].as_array().is_some_and(|f| f.is_empty())
            && let Some(kind) = k["id"].as_str().map(str::to_string)
            && let Ok(form) = crate::app::activities::form(ctx, None, a.id, &kind).await
        {
            k["fields"] = form;
        }
    }
    let lang = p.default_language.as_str();
    let title = LocalizedText::from_stored(a.title.clone());
    let description = LocalizedText::from_stored(a.description.clone());
    Ok(json!({
        "@context": super::delivery::with_convene(context()),
        "type": "Page",
        "id": urls::activity(ctx, a.id),
        "name": title.best(lang, lang),
        "content": description.best(lang, lang),
        "attributedTo": urls::process_actor(ctx, p.id),
        "url": ctx.public_url.join(&format!("activities/{}", a.id)).map_err(|e| AppError::Internal(e.into()))?,
        "convene:activityType": a.type_id,
        "convene:remoteKinds": remote_kinds,
    }))
}

/// A local account as the actor that signs what it sends elsewhere. Only accounts that took
/// part elsewhere have one, and it names nobody: no display name, no address.
pub async fn person_document(ctx: &AppContext, account_id: Uuid) -> AppResult<Value> {
    use crate::adapters::store::entities::sent_contribution;
    let f = ctx.federating()?;
    let took_part = sent_contribution::Entity::find()
        .filter(sent_contribution::Column::SenderKind.eq("account"))
        .filter(sent_contribution::Column::SenderId.eq(account_id))
        .one(&ctx.db)
        .await?
        .is_some();
    if !took_part {
        return Err(AppError::NotFound("actor"));
    }
    let id = super::remote::person_actor(ctx, account_id);
    let short: String = account_id.simple().to_string().chars().rev().take(10).collect();
    Ok(json!({
        "@context": context(),
        "type": "Person",
        "id": id,
        "preferredUsername": format!("participant-{short}"),
        "inbox": urls::shared_inbox(ctx),
        "endpoints": {"sharedInbox": urls::shared_inbox(ctx)},
        "publicKey": public_key(&id, &f.public_key_pem),
        "discoverable": false,
    }))
}
