//! Being found and finding others: WebFinger for `acct:process-slug@host`, NodeInfo, and
//! "follow from your instance" (the person's own server offers the follow, as Mastodon does).

use serde::Serialize;
use serde_json::{Value, json};
use url::Url;

use super::actors::{federates, listed_process_by_slug};
use super::urls;
use crate::adapters::federation::instance_of;
use crate::adapters::federation::protocol::{MEDIA_TYPE, Webfinger, WebfingerLink};
use crate::adapters::store::entities::{account, process};
use crate::app::{AppContext, AppError, AppResult};
use crate::domain::process::listed_pairs;
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter};

/// The WebFinger answer for `resource`: a listed process by `acct:slug@host`, or by its actor
/// id. Anything else (another host, an unlisted, private or draft process) is "not found".
pub async fn webfinger(ctx: &AppContext, resource: &str) -> AppResult<Webfinger> {
    ctx.federating()?;
    let host = instance_of(&ctx.public_url);
    let p = if let Some(acct) = resource.strip_prefix("acct:") {
        let (name, at) = acct.rsplit_once('@').ok_or(AppError::NotFound("account"))?;
        if !at.eq_ignore_ascii_case(&host) {
            return Err(AppError::NotFound("account"));
        }
        listed_process_by_slug(ctx, name.trim_start_matches('@')).await?
    } else if let Some(id) = Url::parse(resource).ok().and_then(|u| urls::process_of(ctx, &u)) {
        super::actors::listed_process(ctx, id).await?
    } else {
        None
    };
    let p = p.ok_or(AppError::NotFound("account"))?;
    let actor = urls::process_actor(ctx, p.id);
    let page = ctx.public_url.join(&format!("processes/{}", p.slug)).map_err(|e| AppError::Internal(e.into()))?;
    Ok(Webfinger {
        subject: format!("acct:{}@{host}", p.slug),
        aliases: vec![actor.to_string(), page.to_string()],
        links: vec![
            WebfingerLink { rel: "self".into(), kind: Some(MEDIA_TYPE.into()), href: Some(actor.to_string()), template: None },
            WebfingerLink {
                rel: "http://webfinger.net/rel/profile-page".into(),
                kind: Some("text/html".into()),
                href: Some(page.to_string()),
                template: None,
            },
        ],
    })
}

/// A process's handle, `@slug@host`, when it federates.
pub fn handle(ctx: &AppContext, p: &process::Model) -> Option<String> {
    (ctx.federation().is_some() && federates(p)).then(|| format!("@{}@{}", p.slug, instance_of(&ctx.public_url)))
}

/// NodeInfo 2.1: what software this is and how much is public here. Counts only what anyone
/// can see: listed processes; accounts as a total.
pub async fn nodeinfo(ctx: &AppContext) -> AppResult<Value> {
    let mut listed = Condition::any();
    for (status, visibility) in listed_pairs() {
        listed = listed.add(Condition::all().add(process::Column::Status.eq(status.as_str())).add(process::Column::Visibility.eq(visibility.as_str())));
    }
    let processes = process::Entity::find().filter(listed).count(&ctx.db).await?;
    let users = account::Entity::find().count(&ctx.db).await?;
    Ok(json!({
        "version": "2.1",
        "software": {"name": "convene", "version": env!("CARGO_PKG_VERSION")},
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": []},
        "openRegistrations": true,
        "usage": {"users": {"total": users}, "localPosts": processes},
        "metadata": {"nodeName": ctx.settings.instance.name, "publicProcesses": processes, "takePart": take_part_template(ctx)},
    }))
}

/// Where to send someone who wants to follow a process from their own instance.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RemoteFollow {
    /// The page on the person's instance that asks them to confirm the follow.
    pub redirect: String,
}

/// Reads a handle as people write it: `@name@host`, `name@host` or `acct:name@host`.
pub fn parse_handle(handle: &str) -> AppResult<(String, String)> {
    let h = handle.trim();
    let h = h.strip_prefix("acct:").unwrap_or(h).trim_start_matches('@');
    let bad = || AppError::invalid("handle", "write your address on your instance as @name@instance.example");
    let (name, host) = h.split_once('@').ok_or_else(bad)?;
    let host_ok = host_chars_ok(host);
    let name_ok = !name.is_empty() && name.len() <= 200 && !name.contains(['/', '?', '#', '@', ' ']);
    if !host_ok || !name_ok {
        return Err(bad());
    }
    Ok((name.to_string(), host.to_ascii_lowercase()))
}

/// Asks the person's instance (WebFinger) where it lets them follow from, and returns that
/// page for the process's actor. Their instance does the following; we only point there.
pub async fn remote_follow(ctx: &AppContext, process_key: &str, handle: &str) -> AppResult<RemoteFollow> {
    let f = ctx.federating()?;
    let p = super::super::processes::load_visible(ctx, None, process_key).await?.process;
    if !federates(&p) {
        return Err(AppError::NotFound("process"));
    }
    let (name, host) = parse_handle(handle)?;
    named_host(ctx, &host, "handle", "write your instance's name (social.example), not an address or a port")?;
    let url = Url::parse_with_params(&format!("{}://{host}/.well-known/webfinger", scheme(ctx)), [("resource", format!("acct:{name}@{host}"))])
        .map_err(|_| AppError::invalid("handle", "that instance's name is not a host name"))?;
    let unreachable = |why: String| AppError::invalid("handle", format!("could not ask {host} about {name}: {why}"));
    let body = get_small(&f.client, url.as_str(), "application/jrd+json, application/json").await.map_err(unreachable)?;
    let finger: Webfinger = serde_json::from_slice(&body).map_err(|e| unreachable(format!("its answer is not WebFinger: {e}")))?;
    let template = finger
        .links
        .iter()
        .find(|l| l.rel == "http://ostatus.org/schema/1.0/subscribe")
        .and_then(|l| l.template.clone())
        .ok_or_else(|| {
            AppError::invalid(
                "handle",
                format!("{host} does not offer following from another site; search for {} in your app instead", handle_of(ctx, &p)),
            )
        })?;
    let actor = urls::process_actor(ctx, p.id);
    let encoded: String = url::form_urlencoded::byte_serialize(actor.as_str().as_bytes()).collect();
    let redirect = template.replace("{uri}", &encoded);
    match Url::parse(&redirect) {
        Ok(u) if matches!(u.scheme(), "https" | "http") => Ok(RemoteFollow { redirect }),
        _ => Err(unreachable("its follow page is not a web address".into())),
    }
}

/// The page here where a signed-in person takes part in an activity elsewhere, `{uri}` standing
/// for the activity's address. Other Convene instances find it in our NodeInfo.
fn take_part_template(ctx: &AppContext) -> String {
    format!("{}take-part?activity={{uri}}", ctx.public_url)
}

/// Someone reading an activity here who has an account on another Convene instance names it;
/// that instance's NodeInfo says where it lets them take part in an activity elsewhere, and
/// they are sent there (a 303 from the page) with this activity's address.
pub async fn take_part_from(ctx: &AppContext, activity_id: uuid::Uuid, site: &str) -> AppResult<RemoteFollow> {
    let f = ctx.federating()?;
    if !open_to_other_sites(ctx, activity_id).await? {
        return Err(AppError::NotFound("activity"));
    }
    let host = parse_site(site)?;
    named_host(ctx, &host, "site", "write your site's name (town.example), not an address or a port")?;
    if host == instance_of(&ctx.public_url) {
        return Err(AppError::invalid("site", "that is this site: take part with the form on this page"));
    }
    let unreachable = |why: String| AppError::invalid("site", format!("could not ask {host}: {why}"));
    let not_convene = || AppError::invalid("site", format!("{host} does not offer taking part in another site's activities"));
    let get_json = async |url: &str| -> Result<Value, String> {
        let body = get_small(&f.client, url, "application/json").await?;
        serde_json::from_slice::<Value>(&body).map_err(|e| format!("its answer is not JSON: {e}"))
    };
    let links = get_json(&format!("{}://{host}/.well-known/nodeinfo", scheme(ctx))).await.map_err(unreachable)?;
    let href = links["links"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|l| l["rel"].as_str().is_some_and(|r| r.starts_with("http://nodeinfo.diaspora.software/ns/schema/2.")))
        .find_map(|l| l["href"].as_str().map(str::to_string))
        .ok_or_else(not_convene)?;
    // Its NodeInfo must be on the site named, not sent elsewhere.
    if Url::parse(&href).map(|u| instance_of(&u)).ok().as_deref() != Some(host.as_str()) {
        return Err(not_convene());
    }
    let info = get_json(&href).await.map_err(unreachable)?;
    let template = info["metadata"]["takePart"].as_str().filter(|t| t.contains("{uri}")).ok_or_else(not_convene)?;
    let activity = urls::activity(ctx, activity_id);
    let encoded: String = url::form_urlencoded::byte_serialize(activity.as_str().as_bytes()).collect();
    let redirect = template.replace("{uri}", &encoded);
    tracing::debug!(activity = %activity_id, %host, "sent to take part from another site");
    match Url::parse(&redirect) {
        Ok(u) if matches!(u.scheme(), "https" | "http") && instance_of(&u) == host => Ok(RemoteFollow { redirect }),
        _ => Err(not_convene()),
    }
}

/// Whether people with an account on another Convene site may take part in this activity
/// from there: this instance federates, the activity's process is listed, and a kind of the
/// activity's type takes input from other sites.
pub async fn open_to_other_sites(ctx: &AppContext, activity_id: uuid::Uuid) -> AppResult<bool> {
    if ctx.federation().is_none() {
        return Ok(false);
    }
    let Some(a) = crate::adapters::store::entities::activity::Entity::find_by_id(activity_id).one(&ctx.db).await? else { return Ok(false) };
    if super::actors::listed_process(ctx, a.process_id).await?.is_none() {
        return Ok(false);
    }
    let plugin = crate::app::plugins::runnable(ctx, &a.type_id, "activity").await?;
    Ok(plugin.info.contribution_kinds.iter().any(|k| k.remote_allowed))
}

/// How other sites are asked: https, or http where the operator allows private addresses
/// (instances on one machine, in tests and the demo).
fn scheme(ctx: &AppContext) -> &'static str {
    if ctx.settings.federation.allow_private_addresses { "http" } else { "https" }
}

/// The resolver refuses private addresses by name; a host written as an address (or with a
/// port) is refused here the same way, at `field`, unless private addresses are allowed.
fn named_host(ctx: &AppContext, host: &str, field: &str, problem: &str) -> AppResult<()> {
    let bare = host.rsplit_once(':').map_or(host, |(h, _)| h);
    if !ctx.settings.federation.allow_private_addresses && (bare.parse::<std::net::IpAddr>().is_ok() || host.contains(':')) {
        return Err(AppError::invalid(field, problem));
    }
    Ok(())
}

/// A small document (at most 64 KiB) from another site, or why not in a few words.
async fn get_small(client: &reqwest::Client, url: &str, accept: &str) -> Result<bytes::Bytes, String> {
    let answer = client.get(url).header("accept", accept).send().await.map_err(|e| e.to_string())?;
    if !answer.status().is_success() {
        return Err(format!("it answered {}", answer.status()));
    }
    let body = answer.bytes().await.map_err(|e| e.to_string())?;
    if body.len() > 64 * 1024 {
        return Err("its answer is too large".into());
    }
    Ok(body)
}

/// Whether a host name is written with the characters host names have (and a port).
fn host_chars_ok(host: &str) -> bool {
    !host.is_empty() && host.len() <= 253 && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
}

/// A site's name as people write it: `town.example`, with or without `https://` or a path.
fn parse_site(site: &str) -> AppResult<String> {
    let s = site.trim();
    let s = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://")).unwrap_or(s);
    let s = s.trim_start_matches('@');
    let host = s.split(['/', '?', '#']).next().unwrap_or("").to_ascii_lowercase();
    let host = host.rsplit_once('@').map_or(host.as_str(), |(_, h)| h).to_string();
    let ok = host_chars_ok(&host) && (host.contains(['.', ':']) || host == "localhost");
    if !ok {
        return Err(AppError::invalid("site", "write your site's name, such as town.example"));
    }
    Ok(host)
}

fn handle_of(ctx: &AppContext, p: &process::Model) -> String {
    format!("@{}@{}", p.slug, instance_of(&ctx.public_url))
}

#[cfg(test)]
mod tests {
    use super::parse_site;

    #[test]
    fn a_site_is_read_as_people_write_it() {
        for written in ["town.example", " Town.Example ", "https://town.example/", "http://town.example/processes/x?y", "@ana@town.example"] {
            assert_eq!(parse_site(written).unwrap(), "town.example", "{written}");
        }
        assert_eq!(parse_site("localhost:8081").unwrap(), "localhost:8081");
        assert_eq!(parse_site("localhost").unwrap(), "localhost");
        for bad in ["", "   ", "town", "town example", "https://", "tówn.example"] {
            assert!(matches!(parse_site(bad), Err(crate::app::AppError::Invalid(ref list)) if list[0].field == "site"), "{bad}");
        }
    }
}
