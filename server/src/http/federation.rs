//! ActivityPub endpoints: WebFinger, NodeInfo, actor documents, collections and inboxes.
//! Every document about a process goes through the one rule (`app::federation::actors::
//! federates`): an unlisted, private or draft process has no actor here.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, guard, web};
use activitypub_federation::actix_web::inbox::receive_activity;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::adapters::federation::protocol::{MEDIA_TYPE, context};
use crate::adapters::store::entities::{ledger_entry, process, process_follower};
use crate::app::federation::actors::{self, RemoteActor};
use crate::app::federation::inbox::{self, Incoming};
use crate::app::federation::{delivery, discovery, urls};
use crate::app::{AppContext, AppError};

type Ctx = web::Data<AppContext>;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/.well-known/webfinger", web::get().to(webfinger))
        .route("/.well-known/nodeinfo", web::get().to(nodeinfo_links))
        .route("/nodeinfo/2.1", web::get().to(nodeinfo))
        .service(
            web::scope("/ap")
                .route("/instance", web::get().to(instance_actor))
                .route("/inbox", web::post().to(shared_inbox))
                .route("/ledger/{seq}", web::get().to(ledger_note))
                // A browser following an activity's address (from "My input" elsewhere, say)
                // is sent to its page.
                .service(web::resource("/activities/{id}").guard(guard::Get()).guard(guard::fn_guard(wants_html)).to(activity_page))
                .route("/activities/{id}", web::get().to(activity_object))
                .route("/accounts/{id}", web::get().to(person))
                .route("/processes/{id}", web::get().to(group))
                .route("/processes/{id}/inbox", web::post().to(process_inbox))
                .route("/processes/{id}/followers", web::get().to(followers))
                .route("/processes/{id}/outbox", web::get().to(outbox)),
        )
        // A process's page asked for as ActivityPub (pasting its address into Mastodon's
        // search, say) answers with its actor.
        .service(web::resource("/processes/{key}").guard(guard::Get()).guard(guard::fn_guard(wants_activity_json)).to(group_by_key));
}

fn wants_activity_json(ctx: &guard::GuardContext) -> bool {
    ctx.head()
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains(MEDIA_TYPE) || a.contains("application/ld+json"))
}

fn wants_html(ctx: &guard::GuardContext) -> bool {
    let html = ctx.head().headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"));
    html && !wants_activity_json(ctx)
}

async fn activity_page(id: web::Path<String>) -> HttpResponse {
    match Uuid::parse_str(&id) {
        Ok(id) => HttpResponse::SeeOther().insert_header((header::LOCATION, format!("/activities/{id}"))).insert_header((header::VARY, "Accept")).finish(),
        Err(_) => HttpResponse::NotFound().finish(),
    }
}

fn activity_json(doc: Value) -> HttpResponse {
    HttpResponse::Ok().content_type(MEDIA_TYPE).insert_header((header::VARY, "Accept")).json(doc)
}

#[derive(Deserialize)]
struct WebfingerQuery {
    resource: String,
}

async fn webfinger(ctx: Ctx, q: web::Query<WebfingerQuery>) -> Result<HttpResponse, AppError> {
    let answer = discovery::webfinger(&ctx, &q.resource).await?;
    Ok(HttpResponse::Ok().content_type("application/jrd+json").json(answer))
}

async fn nodeinfo_links(ctx: Ctx) -> HttpResponse {
    let href = ctx.public_url.join("nodeinfo/2.1").expect("a fixed path");
    HttpResponse::Ok().json(json!({"links": [{"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": href}]}))
}

async fn nodeinfo(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let doc = discovery::nodeinfo(&ctx).await?;
    Ok(HttpResponse::Ok().content_type("application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/2.1#\"").json(doc))
}

async fn instance_actor(ctx: Ctx) -> Result<HttpResponse, AppError> {
    Ok(activity_json(actors::instance_document(&ctx)?))
}

async fn listed(ctx: &AppContext, id: &str) -> Result<process::Model, AppError> {
    ctx.federating()?;
    let id = Uuid::parse_str(id).map_err(|_| AppError::NotFound("process actor"))?;
    actors::listed_process(ctx, id).await?.ok_or(AppError::NotFound("process actor"))
}

async fn group(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let p = listed(&ctx, &id).await?;
    Ok(activity_json(actors::group_document(&ctx, &p)?))
}

async fn group_by_key(ctx: Ctx, key: web::Path<String>) -> Result<HttpResponse, AppError> {
    ctx.federating()?;
    let p = crate::app::processes::load_visible(&ctx, None, &key).await?.process;
    if !actors::federates(&p) {
        return Err(AppError::NotFound("process actor"));
    }
    Ok(activity_json(actors::group_document(&ctx, &p)?))
}

/// Followers as a count only: who follows is not published.
async fn followers(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let p = listed(&ctx, &id).await?;
    let total = process_follower::Entity::find().filter(process_follower::Column::ProcessId.eq(p.id)).count(&ctx.db).await?;
    Ok(activity_json(json!({
        "@context": context(),
        "type": "OrderedCollection",
        "id": urls::process_part(&ctx, p.id, "followers"),
        "totalItems": total,
    })))
}

/// The process's most recent announcements (its newest ledger entries).
async fn outbox(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let p = listed(&ctx, &id).await?;
    let mine = ledger_entry::Column::ProcessId.eq(p.id.to_string());
    let total = ledger_entry::Entity::find().filter(mine.clone()).count(&ctx.db).await?;
    let newest = ledger_entry::Entity::find().filter(mine).order_by_desc(ledger_entry::Column::Seq).limit(20).all(&ctx.db).await?;
    let items: Vec<Value> = newest.iter().map(|e| delivery::announce_entry(&ctx, &p, e)).collect();
    Ok(activity_json(json!({
        "@context": delivery::with_convene(context()),
        "type": "OrderedCollection",
        "id": urls::process_part(&ctx, p.id, "outbox"),
        "totalItems": total,
        "orderedItems": items,
    })))
}

/// One ledger entry as a Note, while its process is listed.
async fn ledger_note(ctx: Ctx, seq: web::Path<i64>) -> Result<HttpResponse, AppError> {
    ctx.federating()?;
    let entry = ledger_entry::Entity::find_by_id(*seq).one(&ctx.db).await?.ok_or(AppError::NotFound("ledger entry"))?;
    let process_id = entry.process_id.as_deref().and_then(|id| Uuid::parse_str(id).ok()).ok_or(AppError::NotFound("ledger entry"))?;
    let p = actors::listed_process(&ctx, process_id).await?.ok_or(AppError::NotFound("ledger entry"))?;
    let mut note = delivery::entry_note(&ctx, &p, &entry);
    note["@context"] = delivery::with_convene(context());
    Ok(activity_json(note))
}

/// An activity of a listed process, as others send contributions to it.
async fn activity_object(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    ctx.federating()?;
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound("activity"))?;
    let (a, visible) = crate::app::activities::load(&ctx, None, id).await.map_err(|_| AppError::NotFound("activity"))?;
    if !actors::federates(&visible.process) {
        return Err(AppError::NotFound("activity"));
    }
    Ok(activity_json(actors::activity_document(&ctx, &visible.process, &a).await?))
}

async fn person(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let id = Uuid::parse_str(&id).map_err(|_| AppError::NotFound("actor"))?;
    Ok(activity_json(actors::person_document(&ctx, id).await?))
}

async fn shared_inbox(ctx: Ctx, req: HttpRequest, body: web::Payload) -> Result<HttpResponse, AppError> {
    receive(&ctx, req, body).await
}

async fn process_inbox(ctx: Ctx, req: HttpRequest, id: web::Path<String>, body: web::Payload) -> Result<HttpResponse, AppError> {
    listed(&ctx, &id).await?;
    receive(&ctx, req, body).await
}

/// The body, refused with 413 as soon as it passes `max` bytes (never read whole first).
async fn read_limited(mut body: web::Payload, max: usize) -> Result<web::Bytes, AppError> {
    use futures_util::StreamExt;
    let too_large = || AppError::TooLarge(crate::domain::errors::FieldError::new("body", format!("an activity may be at most {} KiB", max / 1024)));
    let mut buf = web::BytesMut::new();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| AppError::bad_request("body", format!("could not read the body: {e}")))?;
        if buf.len() + chunk.len() > max {
            return Err(too_large());
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf.freeze())
}

/// Checks what is cheap first (size, date), then lets the crate verify the digest and the
/// signature with the actor's key before the activity is handled (once: see `inbox`).
async fn receive(ctx: &AppContext, req: HttpRequest, body: web::Payload) -> Result<HttpResponse, AppError> {
    let f = ctx.federating()?;
    let body = read_limited(body, ctx.settings.federation.max_activity_bytes).await?;
    // RFC 9421 message signatures come with Signature-Input; say so, so that a sender that
    // tries them first (Fedify does) knows to fall back to draft-cavage.
    if req.headers().contains_key("signature-input") {
        return Err(AppError::Unauthenticated("RFC 9421 HTTP message signatures are not accepted here; sign with draft-cavage (rsa-sha256)".into()));
    }
    if !req.headers().contains_key("signature") {
        return Err(AppError::Unauthenticated("activities must carry an HTTP signature (draft-cavage, RSA-SHA256)".into()));
    }
    inbox::check_date(req.headers().get(header::DATE).and_then(|v| v.to_str().ok()))?;
    inbox::check_key_host(req.headers().get("signature").and_then(|v| v.to_str().ok()).unwrap_or_default(), &body)?;
    let data = f.data();
    receive_activity::<Incoming, RemoteActor, AppContext>(req, body.clone(), &data).await?;
    metrics::counter!("convene_federation_received_total").increment(1);
    // A contribution (verified above) is taken now and answered with its address here, so
    // that its sender can follow it; what the plugin refuses is the sender's 422.
    if let Ok(Incoming::Create(create)) = serde_json::from_slice::<Incoming>(&body)
        && let Some(id) = inbox::take_contribution(ctx, &data, create).await?
    {
        return Ok(HttpResponse::Created().content_type(MEDIA_TYPE).json(json!({"contribution": urls::contribution(ctx, id)})));
    }
    Ok(HttpResponse::Accepted().finish())
}
