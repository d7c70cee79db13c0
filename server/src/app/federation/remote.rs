//! Contributions across instances, from the sending side: a person here takes part in an
//! activity on another instance, and a process here linked as a child of an activity elsewhere
//! sends it its outcome. Both are kept in `sent_contributions` with what came back (accepted
//! with its id there, or refused with why, and later the organisers' response).

use activitypub_federation::fetch::fetch_object_http;
use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::traits::Actor;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use url::Url;
use uuid::Uuid;

use super::actors::{LocalActor, RemoteActor, federates};
use super::urls;
use crate::adapters::federation::protocol::context;
use crate::adapters::federation::signing::{Sent, signed_post};
use crate::adapters::store::entities::{outcome, process, process_link, sent_contribution};
use crate::app::jobs::{self, Job};
use crate::app::{AppContext, AppError, AppResult, Viewer, now};
use crate::domain::errors::FieldError;
use crate::domain::localized::LocalizedText;

/// An activity on another instance, as it describes itself.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityDoc {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub name: Option<String>,
    /// Its description, as plain text.
    #[serde(default)]
    pub content: Option<String>,
    /// Its page there.
    #[serde(default)]
    pub url: Option<Url>,
    /// The process's Group.
    pub attributed_to: Url,
    /// The kinds people elsewhere may send, with their forms.
    #[serde(rename = "convene:remoteKinds", default)]
    pub remote_kinds: Vec<Value>,
}

/// What a person here asks to send to an activity elsewhere.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemoteContributionRequest {
    /// The activity's address (its ActivityPub id), as its page on the other instance shows it.
    pub activity: String,
    pub kind: String,
    #[schema(value_type = Object)]
    pub body: Value,
    pub language: Option<String>,
}

/// Something sent to another instance and what came of it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SentView {
    pub id: Uuid,
    pub activity: String,
    pub kind: String,
    #[schema(value_type = Object)]
    pub body: Value,
    pub language: Option<String>,
    /// `sending` (waiting for the other instance), `accepted`, `refused`, or `hidden` (by
    /// the other instance's moderators, `problem` saying why).
    pub status: String,
    /// Why it was refused.
    pub problem: Option<String>,
    /// Its address on the other instance, once accepted.
    pub remote_contribution: Option<String>,
    /// The organisers' response there, when it came.
    #[schema(value_type = Option<Object>)]
    pub response: Option<Value>,
    pub sent_at: chrono::DateTime<chrono::Utc>,
    pub responded_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The organisers' response that came back: what they did with it (when this version knows the
/// word) and why.
pub struct Answer {
    pub disposition: Option<crate::domain::participation::Disposition>,
    pub explanation: LocalizedText,
}

impl SentView {
    /// The response as the other site sent it (`convene:response`), read.
    pub fn answer(&self) -> Option<Answer> {
        let r = self.response.as_ref()?;
        Some(Answer {
            disposition: r.get("disposition").and_then(Value::as_str).and_then(crate::domain::participation::Disposition::from_stored),
            explanation: LocalizedText::from_stored(r.get("explanation").cloned().unwrap_or_default()),
        })
    }
}

fn view(r: sent_contribution::Model) -> SentView {
    let stored: Value = serde_json::from_str(&r.body).unwrap_or(Value::Null);
    SentView {
        id: r.id,
        activity: r.remote_activity,
        kind: r.kind,
        body: stored.get("body").cloned().unwrap_or(Value::Null),
        language: stored.get("language").and_then(Value::as_str).map(str::to_string),
        status: r.status,
        problem: r.problem,
        remote_contribution: r.remote_contribution,
        response: r.response.and_then(|t| serde_json::from_str(&t).ok()),
        sent_at: r.sent_at,
        responded_at: r.responded_at,
    }
}

/// What is about to be sent, by whom (`account` or `process`, and its id), to which activity
/// of which Group; `body` holds the body and its language.
fn sending_row(id: Uuid, sender: (&str, Uuid), to: (&str, &str), kind: &str, body: &Value) -> sent_contribution::ActiveModel {
    sent_contribution::ActiveModel {
        id: Set(id),
        sender_kind: Set(sender.0.into()),
        sender_id: Set(sender.1),
        remote_activity: Set(to.0.into()),
        remote_group: Set(to.1.into()),
        kind: Set(kind.into()),
        body: Set(body.to_string()),
        status: Set("sending".into()),
        problem: Set(None),
        remote_contribution: Set(None),
        response: Set(None),
        sent_at: Set(now()),
        responded_at: Set(None),
    }
}

/// Reads an activity's description from its instance.
pub async fn fetch_activity(ctx: &AppContext, address: &str) -> AppResult<ActivityDoc> {
    let f = ctx.federating()?;
    let url = Url::parse(address.trim()).map_err(|_| AppError::invalid("activity", "is not a web address"))?;
    let data = f.data();
    let doc = fetch_object_http::<_, ActivityDoc>(&url, &data)
        .await
        .map_err(|e| AppError::invalid("activity", format!("could not read that activity from its instance: {e}")))?
        .object;
    activitypub_federation::protocol::verification::verify_domains_match(&doc.id, &doc.attributed_to)
        .map_err(|_| AppError::invalid("activity", "its process is on another instance than the activity"))?;
    Ok(doc)
}

/// A kind of contribution an activity elsewhere takes from people here, with its form.
pub struct RemoteKind {
    pub id: String,
    pub name: LocalizedText,
    pub description: LocalizedText,
    /// Its fields, in the shape `activities::form` gives (the one form renderer reads both).
    pub form: Value,
}

/// An activity on another instance, as a person here sees it before taking part.
pub struct RemoteActivity {
    /// Its address (ActivityPub id): what a contribution names.
    pub address: String,
    /// The instance that holds it.
    pub instance: String,
    pub name: String,
    pub description: String,
    /// Its page there, when it says.
    pub page: Option<String>,
    pub kinds: Vec<RemoteKind>,
    /// As it described itself: what a contribution to it is sent with, without reading it again.
    doc: ActivityDoc,
}

/// Reads an activity elsewhere for a person here who wants to take part in it: what it is and
/// the forms of the kinds it takes from other instances. One it takes nothing from is refused
/// at `activity`, as one that cannot be read. Only people signed in here (`Viewer`) make this
/// instance read from elsewhere.
pub async fn describe(ctx: &AppContext, _viewer: &Viewer, address: &str) -> AppResult<RemoteActivity> {
    let doc = fetch_activity(ctx, address).await?;
    let kinds: Vec<RemoteKind> = doc
        .remote_kinds
        .iter()
        .filter_map(|k| {
            let id = k.get("id").and_then(Value::as_str).filter(|id| !id.is_empty() && id.len() <= 100)?;
            let text = |key: &str| LocalizedText::from_stored(k.get(key).cloned().unwrap_or(Value::Null));
            Some(RemoteKind { id: id.to_string(), name: text("name"), description: text("description"), form: k.get("fields").cloned().unwrap_or(json!([])) })
        })
        .collect();
    if kinds.is_empty() {
        return Err(AppError::invalid("activity", "that activity takes no input from other sites"));
    }
    let clip = |t: Option<&String>, n: usize| t.map(|t| t.chars().take(n).collect::<String>()).unwrap_or_default();
    Ok(RemoteActivity {
        address: doc.id.to_string(),
        instance: crate::adapters::federation::instance_of(&doc.id),
        name: clip(doc.name.as_ref(), 300),
        description: clip(doc.content.as_ref(), 5_000),
        page: doc.url.as_ref().filter(|u| matches!(u.scheme(), "https" | "http")).map(Url::to_string),
        kinds,
        doc,
    })
}

/// A local account as the actor that sends its input elsewhere.
pub fn person_actor(ctx: &AppContext, account_id: Uuid) -> Url {
    ctx.public_url.join(&format!("ap/accounts/{account_id}")).expect("a uuid path")
}

/// A person here sends a contribution to an activity on another instance. Sent at once, so
/// that what the other instance's plugin refuses comes back as field errors now; when the
/// other instance cannot be reached it is queued and sent when it can.
pub async fn contribute(ctx: &AppContext, viewer: &Viewer, input: RemoteContributionRequest) -> AppResult<SentView> {
    ctx.federating()?;
    if input.kind.trim().is_empty() || input.kind.len() > 100 {
        return Err(AppError::invalid("kind", "name one of the activity's kinds"));
    }
    let doc = fetch_activity(ctx, &input.activity).await?;
    send_to(ctx, viewer, &doc, &input.kind, input.body, input.language).await
}

/// [`contribute`] to an activity already read (`describe`), for the page that showed its
/// forms: the kind is one the activity offers.
pub async fn contribute_to(ctx: &AppContext, viewer: &Viewer, activity: &RemoteActivity, kind: &str, body: Value, language: Option<String>) -> AppResult<SentView> {
    if !activity.kinds.iter().any(|k| k.id == kind) {
        return Err(AppError::invalid("kind", "name one of the activity's kinds"));
    }
    send_to(ctx, viewer, &activity.doc, kind, body, language).await
}

async fn send_to(ctx: &AppContext, viewer: &Viewer, doc: &ActivityDoc, kind: &str, body: Value, language: Option<String>) -> AppResult<SentView> {
    let body = json!({"body": body, "language": language});
    let row = sending_row(Uuid::now_v7(), ("account", viewer.account_id), (&doc.id.to_string(), &doc.attributed_to.to_string()), kind, &body)
        .insert(&ctx.db)
        .await?;
    match send(ctx, &row).await? {
        // The person gets the other instance's errors and sends again: nothing to keep.
        Outcome::Refused(problem) => {
            sent_contribution::Entity::delete_by_id(row.id).exec(&ctx.db).await?;
            Err(problem)
        }
        Outcome::Done(row) => Ok(view(row)),
    }
}

/// Everything a person here sent elsewhere, newest first.
pub async fn mine(ctx: &AppContext, viewer: &Viewer) -> AppResult<Vec<SentView>> {
    Ok(sent_contribution::Entity::find()
        .filter(sent_contribution::Column::SenderKind.eq("account"))
        .filter(sent_contribution::Column::SenderId.eq(viewer.account_id))
        .order_by_desc(sent_contribution::Column::SentAt)
        .all(&ctx.db)
        .await?
        .into_iter()
        .map(view)
        .collect())
}

enum Outcome {
    Done(sent_contribution::Model),
    /// Refused by the other instance: the problem as our own error (field errors kept).
    Refused(AppError),
}

/// Sends one stored contribution; queues it again when the other instance cannot be reached.
async fn send(ctx: &AppContext, row: &sent_contribution::Model) -> AppResult<Outcome> {
    match try_send(ctx, row).await? {
        Ok(outcome) => Ok(outcome),
        Err(why) => {
            tracing::info!(sent = %row.id, %why, "the other instance could not take a contribution now; queued");
            jobs::enqueue_with_id(&ctx.db, row.id, Job::SendContribution { id: row.id }).await?;
            ctx.jobs_wake();
            Ok(Outcome::Done(row.clone()))
        }
    }
}

/// Runs a queued contribution (`Job::SendContribution`): an error means "try again later".
pub async fn send_queued(ctx: &AppContext, id: Uuid) -> Result<(), String> {
    let Some(row) = sent_contribution::Entity::find_by_id(id).one(&ctx.db).await.map_err(|e| e.to_string())? else { return Ok(()) };
    if row.status != "sending" {
        return Ok(());
    }
    match try_send(ctx, &row).await.map_err(|e| e.to_string())? {
        Ok(_) => Ok(()),
        Err(why) => Err(why),
    }
}

/// One attempt: Ok(outcome) when the other instance decided, Err(why) to try again.
async fn try_send(ctx: &AppContext, row: &sent_contribution::Model) -> AppResult<Result<Outcome, String>> {
    let f = ctx.federating()?;
    let data = f.data();
    let group_url = Url::parse(&row.remote_group).map_err(|e| AppError::Internal(e.into()))?;
    let group: RemoteActor = match ObjectId::<RemoteActor>::from(group_url).dereference(&data).await {
        Ok(g) => g,
        Err(e) => return Ok(Err(format!("could not read the process's actor: {e}"))),
    };
    let sender = match row.sender_kind.as_str() {
        "process" => urls::process_actor(ctx, row.sender_id),
        _ => person_actor(ctx, row.sender_id),
    };
    let stored: Value = serde_json::from_str(&row.body).unwrap_or(Value::Null);
    let object_id = ctx.public_url.join(&format!("ap/sent/{}", row.id)).expect("a uuid path");
    let create = json!({
        "@context": super::delivery::with_convene(context()),
        "type": "Create",
        "id": urls::sent(ctx, Uuid::new_v5(&row.id, b"create")),
        "actor": sender,
        "to": [group.ap_id],
        "object": {
            "type": "Note",
            "id": object_id,
            "attributedTo": sender,
            "to": [group.ap_id],
            "content": summary_html(&row.kind, &stored),
            "convene:contribution": {
                "activity": row.remote_activity,
                "kind": row.kind,
                "body": stored.get("body").cloned().unwrap_or(Value::Null),
                "language": stored.get("language").cloned().unwrap_or(Value::Null),
            },
        },
    });
    let signer = LocalActor::by_id(ctx, sender.clone())?;
    let sent = signed_post(&f.client, &sender, &signer.private_key_pem, &group.inbox(), create.to_string().into_bytes()).await;
    let mut update: sent_contribution::ActiveModel = row.clone().into();
    let outcome = match sent {
        Sent::Accepted(answer) => {
            let id = serde_json::from_slice::<Value>(&answer).ok().and_then(|v| v.get("contribution").and_then(Value::as_str).map(str::to_string));
            update.status = Set("accepted".into());
            update.remote_contribution = Set(id);
            None
        }
        Sent::Refused(status, answer) => {
            let problem = refusal(status, &answer);
            update.status = Set("refused".into());
            update.problem = Set(Some(problem.to_string()));
            Some(problem)
        }
        Sent::Failed(why) => return Ok(Err(why)),
    };
    let saved = update.update(&ctx.db).await?;
    Ok(Ok(match outcome {
        None => Outcome::Done(saved),
        Some(problem) => Outcome::Refused(problem),
    }))
}

/// The other instance's refusal as our error: its field errors under `body`, its status kept.
fn refusal(status: u16, answer: &[u8]) -> AppError {
    let problem: Value = serde_json::from_slice(answer).unwrap_or(Value::Null);
    let detail = problem.get("detail").and_then(Value::as_str).unwrap_or("refused").to_string();
    let errors: Vec<FieldError> = problem
        .get("errors")
        .and_then(Value::as_array)
        .map(|errors| {
            errors
                .iter()
                .filter_map(|e| {
                    let field = e.get("field").and_then(Value::as_str)?;
                    let text = e.get("problem").or_else(|| e.get("message")).and_then(Value::as_str).unwrap_or("is not accepted");
                    Some(FieldError::new(field, text))
                })
                .collect()
        })
        .unwrap_or_default();
    match status {
        422 if !errors.is_empty() => AppError::Invalid(errors),
        403 => AppError::Forbidden(format!("the other instance refused it: {detail}")),
        404 => AppError::invalid("activity", format!("the other instance does not have that activity: {detail}")),
        409 => AppError::conflict("activity", format!("the other instance refused it: {detail}")),
        429 => AppError::TooManyRequests { retry_after: 60, detail },
        _ => AppError::invalid("activity", format!("the other instance refused it ({status}): {detail}")),
    }
}

/// A few plain words for people whose software shows only the Note's content.
fn summary_html(kind: &str, stored: &Value) -> String {
    let body = stored.get("body").cloned().unwrap_or(Value::Null);
    let title = body.get("title").and_then(Value::as_str).map(str::to_string);
    let text = title.unwrap_or_else(|| format!("A contribution ({kind})"));
    format!("<p>{}</p>", text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;"))
}

/// A process here linked as a child of an activity on another instance.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LinkView {
    pub parent_activity: String,
    pub parent_group: String,
    pub parent_title: String,
    pub linked_at: chrono::DateTime<chrono::Utc>,
    /// The reports sent there (one per published outcome version) and their responses.
    pub reports: Vec<SentView>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewLink {
    /// The address of the activity on the other instance that takes this process's reports
    /// (an activity of type "Reports from linked processes").
    pub parent_activity: String,
}

/// The kind a linked process's outcome is sent as.
pub const REPORT_KIND: &str = "report";

/// Links a process as a child of an activity elsewhere: from then on each version of its
/// outcome is sent there as a report.
pub async fn link(ctx: &AppContext, viewer: &Viewer, key: &str, input: NewLink) -> AppResult<LinkView> {
    let managed = crate::app::processes::load_managed(ctx, viewer, key).await?;
    ctx.federating()?;
    if !federates(&managed.process) {
        return Err(AppError::conflict("process", "only a published public process can be linked to another instance"));
    }
    let doc = fetch_activity(ctx, &input.parent_activity).await?;
    let takes_reports = doc.remote_kinds.iter().any(|k| k.get("id").and_then(Value::as_str) == Some(REPORT_KIND));
    if !takes_reports {
        return Err(AppError::invalid("parent_activity", "that activity does not take reports from linked processes (add one of type \"Reports from linked processes\" there)"));
    }
    let row = process_link::ActiveModel {
        process_id: Set(managed.process.id),
        parent_activity: Set(doc.id.to_string()),
        parent_group: Set(doc.attributed_to.to_string()),
        parent_title: Set(doc.name.clone().unwrap_or_default().chars().take(300).collect()),
        created_at: Set(now()),
    };
    process_link::Entity::delete_by_id(managed.process.id).exec(&ctx.db).await?;
    row.insert(&ctx.db).await?;
    tracing::info!(process = %managed.process.id, parent = %doc.id, "process linked to an activity on another instance");
    link_of(ctx, managed.process.id).await?.ok_or(AppError::NotFound("link"))
}

pub async fn unlink(ctx: &AppContext, viewer: &Viewer, key: &str) -> AppResult<()> {
    let managed = crate::app::processes::load_managed(ctx, viewer, key).await?;
    let gone = process_link::Entity::delete_by_id(managed.process.id).exec(&ctx.db).await?.rows_affected;
    if gone == 0 {
        return Err(AppError::NotFound("link"));
    }
    Ok(())
}

/// The process's link and reports, for anyone who may see the process.
pub async fn get_link(ctx: &AppContext, viewer: Option<&Viewer>, key: &str) -> AppResult<Option<LinkView>> {
    let visible = crate::app::processes::load_visible(ctx, viewer, key).await?;
    link_of(ctx, visible.process.id).await
}

async fn link_of(ctx: &AppContext, process_id: Uuid) -> AppResult<Option<LinkView>> {
    let Some(l) = process_link::Entity::find_by_id(process_id).one(&ctx.db).await? else { return Ok(None) };
    let reports = sent_contribution::Entity::find()
        .filter(sent_contribution::Column::SenderKind.eq("process"))
        .filter(sent_contribution::Column::SenderId.eq(process_id))
        .order_by_desc(sent_contribution::Column::SentAt)
        .all(&ctx.db)
        .await?;
    Ok(Some(LinkView {
        parent_activity: l.parent_activity,
        parent_group: l.parent_group,
        parent_title: l.parent_title,
        linked_at: l.created_at,
        reports: reports.into_iter().map(view).collect(),
    }))
}

/// Whether publishing in this process has something to send elsewhere.
pub async fn is_linked<C: sea_orm::ConnectionTrait>(db: &C, process_id: Uuid) -> AppResult<bool> {
    Ok(process_link::Entity::find_by_id(process_id).one(db).await?.is_some())
}

/// A new outcome version of a linked process goes to its parent as a report.
pub async fn send_outcome(ctx: &AppContext, p: &process::Model, version: i32) -> AppResult<()> {
    let Some(l) = process_link::Entity::find_by_id(p.id).one(&ctx.db).await? else { return Ok(()) };
    let Some(o) = outcome::Entity::find()
        .filter(outcome::Column::ProcessId.eq(p.id))
        .filter(outcome::Column::Version.eq(version))
        .one(&ctx.db)
        .await?
    else {
        return Ok(());
    };
    let lang = p.default_language.as_str();
    let process_title = LocalizedText::from_stored(p.title.clone()).best(lang, lang).to_string();
    let outcome_title = LocalizedText::from_stored(o.title.clone()).best(lang, lang).to_string();
    let mut summary = String::new();
    for s in o.sections.as_array().into_iter().flatten() {
        let pick = |v: Option<&Value>| v.map(|m| LocalizedText::from_stored(m.clone()).best(lang, lang).to_string()).unwrap_or_default();
        let heading = pick(s.get("heading"));
        let body = pick(s.get("body"));
        summary.push_str(&format!("{heading}\n\n{body}\n\n"));
    }
    let summary: String = summary.trim().chars().take(19_000).collect();
    let page = ctx.public_url.join(&format!("processes/{}/outcome", p.slug)).map(|u| u.to_string()).unwrap_or_default();
    let host = crate::adapters::federation::instance_of(&ctx.public_url);
    let title: String = format!("{outcome_title} (v{version})").chars().take(200).collect();
    let body = json!({
        "title": title,
        "summary": if summary.is_empty() { outcome_title.clone() } else { summary },
        "link": page,
        "source": format!("{process_title} ({host})").chars().take(200).collect::<String>(),
    });
    let id = Uuid::new_v5(&p.id, format!("outcome report v{version} to {}", l.parent_activity).as_bytes());
    if sent_contribution::Entity::find_by_id(id).one(&ctx.db).await?.is_some() {
        return Ok(());
    }
    let row = sending_row(id, ("process", p.id), (&l.parent_activity, &l.parent_group), REPORT_KIND, &json!({"body": body, "language": lang}))
        .insert(&ctx.db)
        .await?;
    jobs::enqueue_with_id(&ctx.db, row.id, Job::SendContribution { id: row.id }).await?;
    ctx.jobs_wake();
    Ok(())
}

/// What we sent, by the id of the object it went as (`ap/sent/{id}`).
async fn sent_by_object(ctx: &AppContext, object: &Url) -> AppResult<Option<sent_contribution::Model>> {
    let Some(rest) = object.as_str().strip_prefix(ctx.public_url.join("ap/sent/").expect("a fixed path").as_str()) else { return Ok(None) };
    let Ok(id) = Uuid::parse_str(rest) else { return Ok(None) };
    Ok(sent_contribution::Entity::find_by_id(id).one(&ctx.db).await?)
}

/// A response to something we sent arrived: kept with it.
pub async fn record_response(ctx: &AppContext, in_reply_to: &Url, response: &Value) -> AppResult<bool> {
    let Some(row) = sent_by_object(ctx, in_reply_to).await? else { return Ok(false) };
    let mut update: sent_contribution::ActiveModel = row.into();
    update.response = Set(Some(response.to_string()));
    update.responded_at = Set(Some(now()));
    update.update(&ctx.db).await?;
    Ok(true)
}

/// The other instance's moderators hid (or restored) something we sent: its status says so,
/// with their public reason.
pub async fn record_moderation(ctx: &AppContext, in_reply_to: &Url, moderation: &Value) -> AppResult<bool> {
    let Some(row) = sent_by_object(ctx, in_reply_to).await? else { return Ok(false) };
    let hidden = moderation.get("action").and_then(Value::as_str) == Some("hidden");
    let reason: String = moderation.get("reason").and_then(Value::as_str).unwrap_or_default().chars().take(2_000).collect();
    let mut update: sent_contribution::ActiveModel = row.into();
    update.status = Set(if hidden { "hidden" } else { "accepted" }.into());
    update.problem = Set(hidden.then_some(reason));
    update.update(&ctx.db).await?;
    Ok(true)
}
