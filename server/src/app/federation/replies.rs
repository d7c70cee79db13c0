//! Responses go back where input came from: the organisers' response to a contribution from
//! another instance is sent to its author there, as a reply to the object it came as.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use url::Url;
use uuid::Uuid;

use super::actors::RemoteActor;
use super::{delivery, urls};
use crate::adapters::federation::protocol::context;
use crate::adapters::store::entities::{contribution, process, response};
use crate::app::{AppContext, AppResult};
use crate::domain::localized::LocalizedText;
use crate::domain::participation::Disposition;

/// Queues one reply per response in `responses` whose contribution came from elsewhere.
pub async fn reply_to_remote_authors(ctx: &AppContext, p: &process::Model, responses: &[response::Model]) -> AppResult<()> {
    if ctx.federation().is_none() || responses.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = responses.iter().map(|r| r.contribution_id).collect();
    let mut remote = Vec::new();
    for chunk in ids.chunks(500) {
        remote.extend(
            contribution::Entity::find()
                .filter(contribution::Column::Id.is_in(chunk.to_vec()))
                .filter(contribution::Column::RemoteAuthor.is_not_null())
                .all(&ctx.db)
                .await?,
        );
    }
    if remote.is_empty() {
        return Ok(());
    }
    let group = urls::process_actor(ctx, p.id);
    let lang = p.default_language.as_str();
    let page = ctx.public_url.join(&format!("processes/{}", p.slug)).map(|u| u.to_string()).unwrap_or_default();
    let txn = crate::adapters::store::begin_write(&ctx.db).await?;
    for c in remote {
        let Some(r) = responses.iter().find(|r| r.contribution_id == c.id) else { continue };
        let (Some(author), Some(object)) = (c.remote_author.as_deref().and_then(|a| Url::parse(a).ok()), c.remote_object.as_deref()) else { continue };
        let Some(actor) = RemoteActor::read_in(&txn, &author).await? else { continue };
        let disposition = Disposition::from_stored(&r.disposition).map(|d| d.as_str()).unwrap_or("noted");
        let explanation = LocalizedText::from_stored(r.explanation.clone());
        let text = format!("{}: {}", disposition.replace('_', " "), explanation.best(lang, lang));
        let note = json!({
            "type": "Note",
            "id": ctx.public_url.join(&format!("ap/responses/{}", r.id)).expect("a uuid path"),
            "attributedTo": group,
            "inReplyTo": object,
            "to": [author],
            "url": page,
            "content": format!("<p>{}</p>", text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")),
            "convene:response": {
                "contribution": urls::contribution(ctx, c.id),
                "disposition": disposition,
                "explanation": explanation.to_json(),
                "process": page,
                "at": r.created_at,
            },
        });
        let create: Value = json!({
            "@context": delivery::with_convene(context()),
            "type": "Create",
            "id": urls::sent(ctx, Uuid::new_v5(&r.id, b"reply")),
            "actor": group,
            "to": [author],
            "object": note,
        });
        delivery::queue(ctx, &txn, &create, &group, vec![actor.inbox_url()]).await?;
    }
    txn.commit().await?;
    delivery::wake(ctx);
    Ok(())
}

/// A moderator hid (or restored) a contribution that came from elsewhere: its author's
/// instance is told, as a reply to the object it came as, with the public reason. Call it in
/// the moderation's transaction.
pub async fn tell_moderation<C: sea_orm::ConnectionTrait>(
    ctx: &AppContext,
    db: &C,
    p: &process::Model,
    c: &contribution::Model,
    action: &str,
    reason: &str,
) -> AppResult<()> {
    if ctx.federation().is_none() {
        return Ok(());
    }
    let (Some(author), Some(object)) = (c.remote_author.as_deref().and_then(|a| Url::parse(a).ok()), c.remote_object.as_deref()) else {
        return Ok(());
    };
    let Some(actor) = RemoteActor::read_in(db, &author).await? else { return Ok(()) };
    let group = urls::process_actor(ctx, p.id);
    let at = crate::app::now();
    let note_id = ctx.public_url.join(&format!("ap/moderation/{}", Uuid::now_v7())).expect("a uuid path");
    let text = format!("{action}: {reason}");
    let create = json!({
        "@context": delivery::with_convene(context()),
        "type": "Create",
        "id": urls::sent(ctx, Uuid::now_v7()),
        "actor": group,
        "to": [author],
        "object": {
            "type": "Note",
            "id": note_id,
            "attributedTo": group,
            "inReplyTo": object,
            "to": [author],
            "content": format!("<p>{}</p>", text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")),
            "convene:moderation": {"contribution": urls::contribution(ctx, c.id), "action": action, "reason": reason, "at": at},
        },
    });
    delivery::queue(ctx, db, &create, &group, vec![actor.inbox_url()]).await
}
