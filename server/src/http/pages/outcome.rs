//! A process's outcome: one version (the latest, or `?version=N`) with its sections and the
//! contributions each cites, what changed from the version before, section by section, with
//! inserted and removed lines marked in words as well as by `<ins>`/`<del>`, and the history
//! of versions with their revision notes.

use std::collections::BTreeMap;

use actix_web::web;
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use super::i18n::{Localized, Tr};
use super::page::{Chrome, OrPage, PageCtx, PageResult};
use crate::app::outcomes::{self, OutcomeView, Section, SectionDiff, VersionSummary};
use crate::app::processes::{self, ProcessView};
use crate::app::AppError;
use crate::domain::localized::LocalizedText;
use crate::domain::markdown;

/// Citations listed under a section; more are counted, and all are in the open data.
const MAX_CITES_SHOWN: usize = 100;

#[derive(Deserialize, Default)]
pub struct OutcomeQuery {
    version: Option<String>,
}

/// A short, readable reference to a contribution: the end of its id, which is random (the
/// start of a UUIDv7 is its time, shared by contributions made together).
pub fn short_ref(id: &Uuid) -> String {
    let s = id.simple().to_string();
    s[s.len() - 8..].to_string()
}

pub struct Cite {
    /// The activity page's anchor for the contribution, when it is a contribution to this process.
    pub href: Option<String>,
    pub reference: String,
    pub id: String,
}

pub struct SectionItem<'a> {
    pub anchor: String,
    pub heading: Localized<'a>,
    pub html: String,
    pub lang: String,
    pub cites: Vec<Cite>,
    pub more_cites: usize,
}

/// One line of a section's difference.
pub struct DiffLine {
    /// `added`, `removed`, `same` or `gap` (lines left out between changes).
    pub kind: &'static str,
    pub text: String,
}

pub struct DiffItem<'a> {
    pub heading: Localized<'a>,
    /// The heading before, when it changed.
    pub old_heading: Option<Localized<'a>>,
    pub change: String,
    pub lines: Vec<DiffLine>,
    pub lines_lang: String,
    pub cites_added: Vec<Cite>,
    pub cites_removed: Vec<Cite>,
}

pub struct VersionItem<'a> {
    pub number: i64,
    pub date: String,
    pub note: Localized<'a>,
    pub current: bool,
    pub latest: bool,
}

#[derive(Template)]
#[template(path = "outcome.html")]
struct OutcomePage<'a> {
    c: Chrome,
    slug: &'a str,
    /// Whether the process is in the public ledger (the ledger's rule), to link there.
    listed: bool,
    process_title: Localized<'a>,
    title: Option<Localized<'a>>,
    version: i64,
    published: String,
    /// The latest version, when this is not it.
    newer: Option<i64>,
    note: Option<Localized<'a>>,
    sections: Vec<SectionItem<'a>>,
    previous: Option<i64>,
    changes_heading: String,
    changes: Vec<DiffItem<'a>>,
    unchanged: Vec<Localized<'a>>,
    versions: Vec<VersionItem<'a>>,
    content_hash: String,
}

pub async fn show(pc: PageCtx, key: web::Path<String>, q: web::Query<OutcomeQuery>) -> PageResult {
    let app = &pc.app;
    let viewer = pc.viewer();
    let p = processes::get(app, viewer, &key).await.or_page(&pc)?;
    let wanted = match q.version.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => Some(v.parse::<i32>().map_err(|_| AppError::bad_request("version", "must be a version number")).or_page(&pc)?),
    };
    let outcome = match outcomes::get(app, viewer, &p.slug, wanted).await {
        Ok(o) => Some(o),
        // No outcome yet is a state of the process, not a missing page; a missing version is.
        Err(AppError::NotFound(_)) if wanted.is_none() => None,
        Err(e) => return Err(pc.fail(e)),
    };
    let versions = if outcome.is_some() { outcomes::versions(app, viewer, &p.slug).await.or_page(&pc)? } else { Vec::new() };
    let previous = outcome.as_ref().and_then(|o| versions.iter().map(|v| v.version).filter(|v| *v < o.version).max());
    let (diff, old) = match (&outcome, previous) {
        (Some(o), Some(prev)) => (
            outcomes::diff(app, viewer, &p.slug, prev, o.version).await.or_page(&pc)?,
            Some(outcomes::get(app, viewer, &p.slug, Some(prev)).await.or_page(&pc)?),
        ),
        _ => (Vec::new(), None),
    };
    let mut cited: Vec<Uuid> = outcome.iter().flat_map(|o| o.sections.iter().flat_map(|s| s.cites.iter().take(MAX_CITES_SHOWN).copied())).collect();
    cited.extend(diff.iter().flat_map(|d| d.cites_added.iter().chain(&d.cites_removed).copied()));
    let activities = if cited.is_empty() { BTreeMap::new() } else { outcomes::cited_activities(app, viewer, &p.slug, &cited).await.or_page(&pc)? };
    let tr = pc.tr;
    let page = build(&pc, &tr, &p, outcome.as_ref(), old.as_ref(), &diff, &versions, &activities);
    Ok(pc.render(&page))
}

#[allow(clippy::too_many_arguments)]
fn build<'a>(
    pc: &PageCtx,
    tr: &Tr,
    p: &'a ProcessView,
    outcome: Option<&'a OutcomeView>,
    old: Option<&'a OutcomeView>,
    diff: &'a [SectionDiff],
    versions: &'a [VersionSummary],
    activities: &BTreeMap<Uuid, Uuid>,
) -> OutcomePage<'a> {
    let dl = p.default_language.as_str();
    let process_title = tr.pick(&p.title, dl);
    let cite = |id: &Uuid| Cite {
        href: activities.get(id).map(|a| format!("/activities/{a}#c-{id}")),
        reference: short_ref(id),
        id: id.to_string(),
    };
    let title = outcome.map(|o| tr.pick(&o.title, dl));
    let page_title = match &title {
        Some(t) => tr.a("outcome-page-title", &[("outcome", t.text.into()), ("process", process_title.text.into())]),
        None => tr.a1("outcome-page-title-none", "process", process_title.text),
    };
    let latest = versions.first().map(|v| i64::from(v.version));
    let sections = outcome
        .map(|o| {
            o.sections
                .iter()
                .map(|s| {
                    let body = tr.pick(&s.body, dl);
                    SectionItem {
                        anchor: format!("section-{}", anchor_safe(&s.id)),
                        heading: tr.pick(&s.heading, dl),
                        // Under the section's h2: the body's own headings start at h3.
                        html: markdown::render_under(body.text, 2),
                        lang: body.lang.clone(),
                        cites: s.cites.iter().take(MAX_CITES_SHOWN).map(cite).collect(),
                        more_cites: s.cites.len().saturating_sub(MAX_CITES_SHOWN),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let (changes, unchanged) = changes(tr, dl, outcome, old, diff, &cite);
    OutcomePage {
        c: pc.chrome(page_title),
        slug: &p.slug,
        listed: crate::domain::process::is_listed(p.status, p.visibility),
        process_title,
        title,
        version: outcome.map_or(0, |o| i64::from(o.version)),
        published: outcome.map(|o| tr.date(o.published_at.date_naive())).unwrap_or_default(),
        newer: latest.filter(|l| outcome.is_some_and(|o| i64::from(o.version) != *l)),
        note: outcome.map(|o| tr.pick(&o.note, dl)).filter(|n| !n.text.is_empty()),
        sections,
        previous: old.map(|o| i64::from(o.version)),
        changes_heading: match (old, outcome) {
            (Some(o), Some(n)) => tr.a("outcome-changes-heading", &[("from", i64::from(o.version).into()), ("to", i64::from(n.version).into())]),
            _ => String::new(),
        },
        changes,
        unchanged,
        versions: versions
            .iter()
            .map(|v| VersionItem {
                number: v.version.into(),
                date: tr.date(v.published_at.date_naive()),
                note: tr.pick(&v.note, dl),
                current: outcome.is_some_and(|o| o.version == v.version),
                latest: Some(i64::from(v.version)) == latest,
            })
            .collect(),
        content_hash: outcome.map(|o| o.content_hash.clone()).unwrap_or_default(),
    }
}

/// Section ids are the organisers' ("2.1", "health"); anchors keep letters, digits, - and _.
pub(crate) fn anchor_safe(id: &str) -> String {
    id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' }).collect()
}

static NO_HEADING: std::sync::LazyLock<LocalizedText> = std::sync::LazyLock::new(LocalizedText::default);

pub(crate) type Changes<'a> = (Vec<DiffItem<'a>>, Vec<Localized<'a>>);

pub(crate) fn changes<'a>(
    tr: &Tr,
    dl: &str,
    new: Option<&'a OutcomeView>,
    old: Option<&'a OutcomeView>,
    diff: &'a [SectionDiff],
    cite: &dyn Fn(&Uuid) -> Cite,
) -> Changes<'a> {
    let (Some(new), Some(old)) = (new, old) else { return (Vec::new(), Vec::new()) };
    let find = |o: &'a OutcomeView, id: &str| -> Option<&'a Section> { o.sections.iter().find(|s| s.id == id) };
    let mut changed = Vec::new();
    let mut unchanged = Vec::new();
    for d in diff {
        let now = find(new, &d.id);
        let before = find(old, &d.id);
        let heading = tr.pick(now.or(before).map_or(&*NO_HEADING, |s| &s.heading), dl);
        if d.change == "unchanged" {
            unchanged.push(heading);
            continue;
        }
        let old_heading = match (now, before) {
            (Some(n), Some(b)) if n.heading != b.heading => Some(tr.pick(&b.heading, dl)),
            _ => None,
        };
        let change = match d.change.as_str() {
            "added" => tr.t("outcome-change-added"),
            "removed" => tr.t("outcome-change-removed"),
            _ => tr.t("outcome-change-changed"),
        };
        let (lines_lang, lines) = pick_diff(tr, dl, &d.body_diff).map(|(l, t)| (l, diff_lines(t))).unwrap_or_default();
        changed.push(DiffItem {
            heading,
            old_heading,
            change,
            lines,
            lines_lang,
            cites_added: if d.change == "added" { Vec::new() } else { d.cites_added.iter().map(cite).collect() },
            cites_removed: if d.change == "removed" { Vec::new() } else { d.cites_removed.iter().map(cite).collect() },
        });
    }
    (changed, unchanged)
}

/// The body's difference in the reader's language, else the content's, else any.
fn pick_diff<'a>(tr: &Tr, dl: &str, by_lang: &'a BTreeMap<String, String>) -> Option<(String, &'a str)> {
    by_lang
        .get_key_value(tr.code())
        .or_else(|| by_lang.get_key_value(dl))
        .or_else(|| by_lang.iter().next())
        .map(|(l, t)| (l.clone(), t.as_str()))
}

/// The lines of a unified diff, without its file headers.
pub fn diff_lines(unified: &str) -> Vec<DiffLine> {
    let mut out = Vec::new();
    let mut in_hunk = false;
    for line in unified.lines() {
        if line.starts_with("@@") {
            if in_hunk {
                out.push(DiffLine { kind: "gap", text: String::new() });
            }
            in_hunk = true;
            continue;
        }
        if !in_hunk || line.starts_with('\\') {
            continue;
        }
        let (kind, text) = match line.chars().next() {
            Some('+') => ("added", &line[1..]),
            Some('-') => ("removed", &line[1..]),
            Some(' ') => ("same", &line[1..]),
            _ => ("same", line),
        };
        // Blank lines between paragraphs say nothing when unchanged.
        if kind == "same" && text.trim().is_empty() {
            continue;
        }
        out.push(DiffLine { kind, text: text.to_string() });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unified_diffs_become_marked_lines() {
        let text = "--- version 1\n+++ version 2\n@@ -1,3 +1,3 @@\n Four people took part.\n \n-Health comes first.\n+Health comes first, then transport.\n@@ -9 +9 @@\n---rule\n+\n\\ No newline at end of file\n";
        let lines = diff_lines(text);
        let kinds: Vec<&str> = lines.iter().map(|l| l.kind).collect();
        assert_eq!(kinds, ["same", "removed", "added", "gap", "removed", "added"]);
        assert_eq!(lines[1].text, "Health comes first.");
        assert_eq!(lines[2].text, "Health comes first, then transport.");
        assert_eq!(lines[4].text, "--rule", "a removed line that starts with dashes is not a header");
        assert_eq!(lines[5].text, "");
    }

    #[test]
    fn references_and_anchors() {
        let id = Uuid::parse_str("0190a0a0-0000-7000-8000-00000000abcd").unwrap();
        assert_eq!(short_ref(&id), "0000abcd");
        assert_eq!(anchor_safe("2.1 health"), "2-1-health");
    }
}
