//! The public ledger in plain words: every entry with its number, time, what it is about and a
//! sentence saying what happened, its hash, and how anyone can check the whole chain with the
//! command-line tool and the instance's public key. `?process=slug` shows one listed process's
//! entries; the app decides what is listed, so a draft, private or unlisted process is simply
//! not found here.

use actix_web::web;
use askama::Template;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use super::i18n::{Arg, Localized, Tr};
use super::page::{Chrome, OrPage, PageCtx, PageResult};
use super::words;
use crate::app::AppError;
use crate::app::ledger::{self as ledger_app, ListedProcess, Subjects};
use crate::domain::ledger::Entry;
use crate::domain::localized::LocalizedText;
use crate::domain::participation::Disposition;

/// Entries per page unless the reader asks for another number (at most [`MAX_PAGE`]).
const PAGE_SIZE: u64 = 50;
const MAX_PAGE: u64 = 200;

/// Every kind of entry the server writes (`ledger::append` in `app`); each has a sentence of
/// its own in every language, which the tests below check.
pub const KINDS: [&str; 18] = [
    "process.published",
    "process.archived",
    "process.withdrawn",
    "phase.started",
    "activity.created",
    "activity.opened",
    "activity.closed",
    "contribution.hidden",
    "contribution.restored",
    "responses.given",
    "outcome.published",
    "outcome.revised",
    "seed.committed",
    "seed.revealed",
    "plugin.installed",
    "plugin.upgraded",
    "plugin.rolled_back",
    "plugin.publisher_replaced",
];

#[derive(Deserialize, Default)]
pub struct LedgerQuery {
    after: Option<String>,
    process: Option<String>,
    limit: Option<String>,
}

/// A link to a process or an activity, named in the reader's language where it can be.
pub struct Link<'a> {
    pub href: String,
    pub title: Localized<'a>,
}

pub struct EntryItem<'a> {
    pub seq: i64,
    pub when: String,
    /// The moment as written in the entry, for `<time datetime>`.
    pub at: String,
    pub sentence: String,
    pub kind: String,
    pub process: Option<Link<'a>>,
    pub activity: Option<Link<'a>>,
    /// The entry concerns a process that is not listed today: it is named by no link.
    pub unlisted_process: bool,
    pub hash: String,
}

#[derive(Template)]
#[template(path = "ledger.html")]
struct LedgerPage<'a> {
    c: Chrome,
    entries: Vec<EntryItem<'a>>,
    filtered: Option<Link<'a>>,
    next: Option<String>,
    first: Option<String>,
    public_key: String,
    public_url: String,
    json_url: String,
}

fn number(raw: Option<&str>, field: &'static str) -> Result<Option<i64>, AppError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse::<i64>().map(Some).map_err(|_| AppError::bad_request(field, "must be a whole number")),
    }
}

pub async fn show(pc: PageCtx, q: web::Query<LedgerQuery>) -> PageResult {
    let tr = pc.tr;
    let q = q.into_inner();
    let after = number(q.after.as_deref(), "after").or_page(&pc)?.unwrap_or(0);
    let limit = number(q.limit.as_deref(), "limit").or_page(&pc)?.map_or(PAGE_SIZE, |n| n.clamp(1, MAX_PAGE as i64) as u64);
    let process_key = q.process.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let page = ledger_app::page(&pc.app, after, Some(limit), process_key).await.or_page(&pc)?;
    let filtered: Option<ListedProcess> = match process_key {
        Some(key) => Some(ledger_app::listed_process(&pc.app, key).await.or_page(&pc)?),
        None => None,
    };
    let subjects = ledger_app::subjects(&pc.app, &page.entries).await.or_page(&pc)?;

    let link = |extra: &[(&str, String)]| {
        let mut url = url::form_urlencoded::Serializer::new(String::new());
        if let Some(p) = &filtered {
            url.append_pair("process", &p.slug);
        }
        if limit != PAGE_SIZE {
            url.append_pair("limit", &limit.to_string());
        }
        for (k, v) in extra {
            url.append_pair(k, v);
        }
        let query = url.finish();
        if query.is_empty() { "/ledger".to_string() } else { format!("/ledger?{query}") }
    };
    let next = page.next_after.map(|n| link(&[("after", n.to_string())]));
    let first = (after > 0).then(|| link(&[]));
    let title = tr.t("ledger-title");
    let public_url = pc.app.public_url.as_str().trim_end_matches('/').to_string();
    let content = LedgerPage {
        c: pc.chrome(match &filtered {
            Some(p) => tr.a1("ledger-title-process", "process", tr.pick(&p.title, &p.default_language).text),
            None => title,
        }),
        entries: page.entries.iter().map(|e| item(&tr, e, &subjects)).collect(),
        filtered: filtered.as_ref().map(|p| Link { href: format!("/processes/{}", p.slug), title: tr.pick(&p.title, &p.default_language) }),
        next,
        first,
        public_key: page.public_key.clone(),
        json_url: format!("{public_url}/api/v1/ledger"),
        public_url,
    };
    Ok(pc.render(&content))
}

fn item<'a>(tr: &Tr, e: &Entry, subjects: &'a Subjects) -> EntryItem<'a> {
    let payload: Value = serde_json::from_str(&e.payload).unwrap_or(Value::Null);
    let process_id = e.process_id.as_deref().and_then(|id| Uuid::parse_str(id).ok());
    let process = process_id.and_then(|id| subjects.processes.get(&id));
    let activity = ledger_app::activity_of(&e.payload).and_then(|id| subjects.activities.get(&id));
    let content_default = process.map_or("en", |p| p.default_language.as_str());
    EntryItem {
        seq: e.seq,
        when: DateTime::parse_from_rfc3339(&e.at).map(|t| tr.datetime(t.with_timezone(&Utc))).unwrap_or_else(|_| e.at.clone()),
        at: e.at.clone(),
        sentence: explain(tr, &e.kind, &payload, content_default),
        kind: e.kind.clone(),
        process: process.map(|p| Link { href: format!("/processes/{}", p.slug), title: tr.pick(&p.title, &p.default_language) }),
        activity: activity.map(|a| Link { href: format!("/activities/{}", a.id), title: tr.pick(&a.title, content_default) }),
        unlisted_process: process_id.is_some() && process.is_none(),
        hash: e.hash.clone(),
    }
}

/// One entry in a sentence of the reader's language, from the payload's public fields.
pub fn explain(tr: &Tr, kind: &str, payload: &Value, content_default: &str) -> String {
    let text = |k: &str| Arg::Text(payload.get(k).and_then(Value::as_str).unwrap_or("").to_string());
    let whole = |k: &str| Arg::Number(payload.get(k).and_then(Value::as_i64).unwrap_or(0) as f64);
    let count = |k: &str| Arg::Number(payload.get(k).and_then(Value::as_array).map_or(0, Vec::len) as f64);
    let localized = |k: &str| {
        let map = LocalizedText::from_stored(payload.get(k).cloned().unwrap_or(Value::Null));
        Arg::Text(tr.pick(&map, content_default).text.to_string())
    };
    let date = |k: &str| {
        let raw = payload.get(k).and_then(Value::as_str).unwrap_or("");
        Arg::Text(raw.parse::<NaiveDate>().map(|d| tr.date(d)).unwrap_or_else(|_| raw.to_string()))
    };
    match kind {
        "process.published" => tr.a("ledger-event-process-published", &[("activities", count("activities"))]),
        "process.archived" => tr.t("ledger-event-process-archived"),
        "process.withdrawn" => tr.t("ledger-event-process-withdrawn"),
        "phase.started" => tr.a("ledger-event-phase-started", &[("phase", localized("name")), ("from", date("starts_on")), ("to", date("ends_on"))]),
        "activity.created" => tr.a("ledger-event-activity-created", &[("activity", localized("title"))]),
        "activity.opened" => tr.t("ledger-event-activity-opened"),
        "activity.closed" => tr.t("ledger-event-activity-closed"),
        "contribution.hidden" => tr.a("ledger-event-contribution-hidden", &[("reason", text("reason"))]),
        "contribution.restored" => tr.a("ledger-event-contribution-restored", &[("reason", text("reason"))]),
        "responses.given" => {
            let disposition = payload
                .get("disposition")
                .and_then(Value::as_str)
                .and_then(Disposition::from_stored)
                .map(|d| words::disposition(tr, d))
                .unwrap_or_default();
            tr.a("ledger-event-responses-given", &[("count", count("contributions")), ("disposition", disposition.into())])
        }
        "outcome.published" => tr.a("ledger-event-outcome-published", &[("version", whole("version")), ("sections", whole("sections"))]),
        "outcome.revised" => tr.a("ledger-event-outcome-revised", &[("version", whole("version")), ("sections", whole("sections"))]),
        "seed.committed" => tr.a("ledger-event-seed-committed", &[("sha256", text("sha256"))]),
        "seed.revealed" => tr.a("ledger-event-seed-revealed", &[("seed", text("seed")), ("sha256", text("sha256"))]),
        "plugin.installed" => tr.a("ledger-event-plugin-installed", &[("type", text("type")), ("version", text("version")), ("publisher", text("publisher"))]),
        "plugin.upgraded" => tr.a("ledger-event-plugin-upgraded", &[("type", text("type")), ("version", text("version")), ("publisher", text("publisher"))]),
        "plugin.rolled_back" => tr.a("ledger-event-plugin-rolled-back", &[("type", text("type")), ("version", text("version")), ("from_version", text("from_version"))]),
        "plugin.publisher_replaced" => tr.a(
            "ledger-event-plugin-publisher-replaced",
            &[("type", text("type")), ("publisher", text("publisher")), ("previous_publisher", text("previous_publisher"))],
        ),
        other => tr.a("ledger-event-other", &[("kind", Arg::Text(other.to_string()))]),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::http::pages::i18n::UI_LANGS;

    /// A payload as the server writes it for each kind.
    fn sample(kind: &str) -> Value {
        match kind {
            "process.published" => json!({ "slug": "ai", "title": { "en": "AI" }, "activities": [ { "activity": "x" }, { "activity": "y" } ] }),
            "process.archived" | "process.withdrawn" => json!({ "slug": "ai" }),
            "phase.started" => json!({ "phase": "p", "name": { "en": "Roundtables", "es": "Mesas", "fr": "Tables rondes" }, "starts_on": "2027-03-01", "ends_on": "2027-04-30" }),
            "activity.created" => json!({ "activity": "a", "type": "org.convene.consultation", "title": { "en": "Survey", "fr": "Enquête", "es": "Encuesta" } }),
            "activity.opened" | "activity.closed" => json!({ "activity": "a", "type": "org.convene.consultation" }),
            "contribution.hidden" | "contribution.restored" => json!({ "contribution": "c", "reason": "Insults" }),
            "responses.given" => json!({ "batch": "b", "disposition": "partly_adopted", "contributions": ["c1", "c2", "c3"] }),
            "outcome.published" | "outcome.revised" => json!({ "version": 7, "content_hash": "ab", "sections": 4 }),
            "seed.committed" => json!({ "activity": "a", "sha256": "5eed" }),
            "seed.revealed" => json!({ "activity": "a", "seed": "c0ffee", "sha256": "5eed" }),
            _ => json!({ "type": "org.example.poll", "version": "2.0.0", "from_version": "1.0.0", "publisher": "ed25519:NEW", "previous_publisher": "ed25519:OLD" }),
        }
    }

    #[test]
    fn every_known_kind_has_a_sentence_in_every_language() {
        for lang in UI_LANGS {
            let tr = Tr::new(lang);
            let generic = explain(&tr, "something.new", &json!({}), "en");
            assert!(generic.contains("something.new") && !generic.starts_with("ledger-"), "{lang:?}: {generic}");
            for kind in KINDS {
                let sentence = explain(&tr, kind, &sample(kind), "en");
                assert!(!sentence.starts_with("ledger-event"), "{lang:?}: no message for {kind}");
                assert!(!sentence.contains('{') && !sentence.contains('$'), "{lang:?} {kind}: {sentence}");
                assert_ne!(sentence, explain(&tr, "something.new", &json!({}), "en"), "{lang:?}: {kind} falls back to the generic sentence");
            }
        }
    }

    #[test]
    fn sentences_carry_the_payloads_public_facts() {
        let en = Tr::new(super::super::i18n::UiLang::En);
        let fr = Tr::new(super::super::i18n::UiLang::Fr);
        let says = |tr: &Tr, kind: &str, want: &[&str]| {
            let s = explain(tr, kind, &sample(kind), "en");
            for w in want {
                assert!(s.contains(w), "{kind}: `{s}` lacks `{w}`");
            }
        };
        says(&en, "process.published", &["2"]);
        says(&en, "phase.started", &["Roundtables", "1 March 2027", "30 April 2027"]);
        says(&fr, "phase.started", &["Tables rondes", "1er mars 2027"]);
        says(&fr, "activity.created", &["Enquête"]);
        says(&en, "contribution.hidden", &["Insults"]);
        says(&en, "responses.given", &["3", "Partly adopted"]);
        says(&en, "outcome.revised", &["7", "4"]);
        says(&en, "seed.revealed", &["c0ffee", "5eed"]);
        says(&en, "plugin.rolled_back", &["org.example.poll", "2.0.0", "1.0.0"]);
        says(&en, "plugin.publisher_replaced", &["ed25519:NEW", "ed25519:OLD"]);
        // Every kind the app writes is one of KINDS, and every one of KINDS is still written:
        // a new kind must get its own sentence here.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app");
        let mut written = std::collections::BTreeSet::new();
        // The use cases' files; their folders (federation/) only read the ledger.
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                continue;
            }
            let text = std::fs::read_to_string(path).unwrap();
            for piece in text.split('"') {
                let subject = piece.split('.').next().unwrap_or("");
                let kindlike = piece.contains('.') && piece.chars().all(|c| c.is_ascii_lowercase() || c == '_' || c == '.');
                if kindlike && ["process", "phase", "activity", "contribution", "responses", "outcome", "seed", "plugin", "instance"].contains(&subject) {
                    written.insert(piece.to_string());
                }
            }
            if text.contains("format!(\"contribution.{action}\")") {
                written.extend(["contribution.hidden".to_string(), "contribution.restored".to_string()]);
            }
        }
        let known: std::collections::BTreeSet<String> = KINDS.iter().map(|k| k.to_string()).collect();
        assert_eq!(written, known, "the kinds the app writes and the kinds this page explains differ");
    }
}
