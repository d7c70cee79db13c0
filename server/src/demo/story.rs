//! The demo's finished loop: a local AI strategy whose consultation and roundtables have closed,
//! with a few hundred contributions through every channel, a response to each of them, an
//! outcome published and then revised, and so an input-use report and ledger entries worth
//! reading. Also the first contributions to the demo's Arabic consultation.
//!
//! Everything goes through the use cases the API calls (`contributions::submit`,
//! `responses::respond`, `outcomes::publish`), acting as the people who would do it: demo
//! participants contribute online, a facilitator enters paper, phone and in-person input and
//! files the roundtable reports, the organiser responds and publishes. The texts come from
//! `story.json`: a few dozen hand-written sentences per language, combined by a seeded
//! generator, so every load writes the same contributions.

use std::collections::{BTreeMap, HashMap};

use futures_util::stream::{self, StreamExt};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::app::activities;
use crate::app::contributions::{self, NewContribution, Submitted};
use crate::app::outcomes::{self, NewOutcome, SectionInput};
use crate::app::processes::{self, NewMember};
use crate::app::responses::{self, NewResponse};
use crate::app::{AppContext, AppError, Viewer, schedule};
use crate::domain::account::ProcessRole;
use crate::domain::participation::{Channel, Disposition};

const CONTENT: &str = include_str!("story.json");

/// Contributions submitted at once: each activity's plugin checks them in turn, but the rest
/// of the work (loading the activity, the rate limit, the database's round trips) may overlap.
const IN_FLIGHT: usize = 4;

type TextMap = BTreeMap<String, String>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Story {
    /// The slug of the finished process (in processes.json).
    pub process: String,
    pub facilitator: Person,
    /// The first is the featured participant, whose sign-in link the server prints.
    pub participants: Vec<Person>,
    consultation: Consultation,
    roundtable: Roundtable,
    follow_up: FollowUp,
    featured: Featured,
    outcome: Outcome,
    pub arabic: Arabic,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(super) struct Person {
    pub email: String,
    pub name: String,
    pub locale: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Consultation {
    /// Position of the activity in the process.
    activity: usize,
    count: usize,
    seed: u64,
    /// Language tag to weight.
    languages: BTreeMap<String, u32>,
    /// Channel to weight.
    channels: BTreeMap<String, u32>,
    choices: Choices,
    openers: BTreeMap<String, Vec<String>>,
    closers: BTreeMap<String, Vec<String>>,
    themes: Vec<Theme>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Choices {
    priority: Vec<String>,
    red_lines: Vec<String>,
    register: Vec<String>,
}

/// What a group of contributions says, and the response they all get.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Theme {
    id: String,
    disposition: Disposition,
    outcome_refs: Vec<String>,
    weight: u32,
    /// Sentences per language; none for answers without a written comment.
    points: BTreeMap<String, Vec<String>>,
    explanation: TextMap,
    /// Answers that go with the theme, over the generated ones.
    #[serde(default)]
    answers: serde_json::Map<String, Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Reply {
    disposition: Disposition,
    outcome_refs: Vec<String>,
    explanation: TextMap,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Roundtable {
    activity: usize,
    registration_response: Reply,
    reports: Vec<Report>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Report {
    meeting: String,
    language: String,
    disposition: Disposition,
    outcome_refs: Vec<String>,
    body: Value,
    explanation: TextMap,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FollowUp {
    activity: usize,
    count: usize,
    comments: BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Featured {
    consultation_theme: String,
    meeting: String,
    follow_up_comment: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Outcome {
    title: TextMap,
    sections: Vec<Section>,
    revision_note: TextMap,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Section {
    id: String,
    heading: TextMap,
    body: TextMap,
    /// Themes whose contributions the section cites.
    cites_themes: Vec<String>,
    /// Roundtables whose reports the revision cites too.
    #[serde(default)]
    revision_cites_meetings: Vec<String>,
    /// The body in the revision, when it changes.
    #[serde(default)]
    revised_body: Option<TextMap>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Arabic {
    pub process: String,
    contributions: Vec<ArabicContribution>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ArabicContribution {
    participant: usize,
    body: Value,
}

pub(super) fn parse() -> Story {
    serde_json::from_str(CONTENT).expect("demo/story.json is valid (checked by a unit test)")
}

/// SplitMix64: a tiny generator with a fixed seed, so that every load is the same.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn one_of<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn weighted<'a, K>(&mut self, items: impl IntoIterator<Item = (&'a K, u32)>) -> &'a K {
        let items: Vec<(&K, u32)> = items.into_iter().collect();
        let total: u64 = items.iter().map(|(_, w)| *w as u64).sum();
        let mut ticket = self.next() % total.max(1);
        for (item, weight) in &items {
            if ticket < *weight as u64 {
                return item;
            }
            ticket -= *weight as u64;
        }
        items.last().expect("at least one item").0
    }
}

/// Who a planned contribution comes from.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Source {
    /// Online, by the participant at this index.
    Online(usize),
    /// Entered by the facilitator from a paper form, a phone call or a drop-in session, with
    /// the number of the form (or of the call, or of the session's notes).
    Facilitated { channel: Channel, reference: String },
}

#[derive(Clone, Debug, PartialEq)]
pub(super) struct Planned {
    /// Index into the consultation's themes.
    pub theme: usize,
    pub language: String,
    pub source: Source,
    pub body: Value,
}

impl Story {
    fn theme_index(&self, id: &str) -> Option<usize> {
        self.consultation.themes.iter().position(|t| t.id == id)
    }

    /// The consultation's contributions, the same at every load: the featured participant's
    /// first, then one of each theme, then themes, languages and channels by their weights.
    pub(super) fn plan_consultation(&self) -> Vec<Planned> {
        let c = &self.consultation;
        let mut rng = Rng(c.seed);
        let featured = self.theme_index(&self.featured.consultation_theme).unwrap_or(0);
        let mut numbers: HashMap<&'static str, usize> = HashMap::new();
        let mut planned = Vec::with_capacity(c.count);
        for i in 0..c.count {
            let theme = match i {
                0 => featured,
                i if i <= c.themes.len() => i - 1,
                _ => {
                    let picked = rng.weighted(c.themes.iter().map(|t| (&t.id, t.weight)));
                    self.theme_index(picked).unwrap_or(0)
                }
            };
            let language = if i == 0 {
                self.participants[0].locale.clone()
            } else {
                rng.weighted(c.languages.iter().map(|(l, w)| (l, *w))).clone()
            };
            let channel = if i == 0 {
                Channel::Online
            } else {
                let tag = rng.weighted(c.channels.iter().map(|(ch, w)| (ch, *w)));
                Channel::from_stored(tag).unwrap_or(Channel::Online)
            };
            let source = match channel {
                Channel::Online if i == 0 => Source::Online(0),
                // Anyone but the featured participant, who answered once.
                Channel::Online => Source::Online(1 + rng.below(self.participants.len() - 1)),
                other => {
                    let n = numbers.entry(other.as_str()).or_default();
                    *n += 1;
                    Source::Facilitated { channel: other, reference: format!("{}-SB{:04}", other.reference_prefix(), *n) }
                }
            };
            let body = self.answers(&c.themes[theme], &language, &mut rng);
            planned.push(Planned { theme, language, source, body });
        }
        planned
    }

    fn answers(&self, theme: &Theme, language: &str, rng: &mut Rng) -> Value {
        let choices = &self.consultation.choices;
        let mut answers = serde_json::Map::new();
        answers.insert("priority".into(), json!(rng.one_of(&choices.priority)));
        let mut red_lines: Vec<&String> = Vec::new();
        for _ in 0..rng.below(3) {
            let line = rng.one_of(&choices.red_lines);
            if !red_lines.contains(&line) {
                red_lines.push(line);
            }
        }
        if !red_lines.is_empty() {
            answers.insert("red_lines".into(), json!(red_lines));
        }
        answers.insert("trust".into(), json!(1 + rng.below(5)));
        if rng.chance(85) {
            answers.insert("register".into(), json!(rng.one_of(&choices.register)));
        }
        for (question, answer) in &theme.answers {
            answers.insert(question.clone(), answer.clone());
        }
        if let Some(comment) = self.comment(theme, language, rng) {
            answers.insert("comment".into(), json!(comment));
        }
        json!({ "answers": answers })
    }

    /// A comment in the theme's words: perhaps who is writing, one or two of its sentences,
    /// perhaps a closing remark.
    fn comment(&self, theme: &Theme, language: &str, rng: &mut Rng) -> Option<String> {
        let points = theme.points.get(language).filter(|p| !p.is_empty())?;
        let c = &self.consultation;
        let mut parts: Vec<&str> = Vec::new();
        if rng.chance(55)
            && let Some(openers) = c.openers.get(language)
        {
            parts.push(rng.one_of(openers).as_str());
        }
        let first = rng.below(points.len());
        parts.push(&points[first]);
        if points.len() > 1 && rng.chance(25) {
            parts.push(&points[(first + 1 + rng.below(points.len() - 1)) % points.len()]);
        }
        if rng.chance(45)
            && let Some(closers) = c.closers.get(language)
        {
            parts.push(rng.one_of(closers).as_str());
        }
        Some(parts.join(" "))
    }
}

/// An activity the loader created.
#[derive(Clone, Copy, Debug)]
pub(super) struct ActivityRef {
    pub id: Uuid,
}

fn as_viewer(account_id: Uuid) -> Viewer {
    Viewer { account_id, session_id: Uuid::nil(), is_admin: false }
}

/// One contribution, as the API would take it.
#[allow(clippy::too_many_arguments)]
async fn submit(
    ctx: &AppContext,
    viewer: &Viewer,
    activity: Uuid,
    kind: &str,
    body: Value,
    language: &str,
    channel: Channel,
    on_behalf_of: Option<Uuid>,
    reference: Option<String>,
) -> Result<Uuid, AppError> {
    let input = NewContribution { kind: kind.into(), body, language: Some(language.into()), channel: Some(channel), on_behalf_of, reference };
    match contributions::submit(ctx, viewer, activity, input, None).await? {
        Submitted::Created(view) | Submitted::Replayed(view) => Ok(view.id),
    }
}

fn made(result: Result<Uuid, AppError>) -> anyhow::Result<Uuid> {
    result.map_err(|e| anyhow::anyhow!("demo contribution: {e}"))
}

/// Who acts in the story: the accounts the loader found or made.
pub(super) struct Cast<'a> {
    pub organiser: &'a Viewer,
    pub facilitator: Uuid,
    pub participants: &'a [Uuid],
}

/// Plays the finished process's story (if its activities were created now) and the Arabic
/// consultation's first contributions (if given: created now, and not yet contributed to).
pub(super) async fn play(ctx: &AppContext, story: &Story, cast: &Cast<'_>, finished: Option<&[ActivityRef]>, arabic: Option<&[ActivityRef]>) -> anyhow::Result<()> {
    let Some(activities) = finished else {
        if let Some(arabic) = arabic {
            arabic_contributions(ctx, story, cast, arabic).await?;
        }
        return Ok(());
    };
    let slug = story.process.as_str();
    let activity = |i: usize| activities.get(i).copied().ok_or_else(|| anyhow::anyhow!("demo story: the process {slug} has no activity {i}"));
    let (consultation, roundtable, follow_up) = (activity(story.consultation.activity)?, activity(story.roundtable.activity)?, activity(story.follow_up.activity)?);
    processes::add_member(ctx, cast.organiser, slug, NewMember { email: story.facilitator.email.clone(), role: ProcessRole::Facilitator })
        .await
        .map_err(|e| anyhow::anyhow!("demo facilitator: {e}"))?;
    let facilitator = &as_viewer(cast.facilitator);
    // The activities have opened: on the ledger before anything is said in them.
    schedule::announce_transitions(ctx).await.map_err(|e| anyhow::anyhow!("demo: {e}"))?;

    // The consultation: online answers, and the facilitator's paper, phone and drop-in ones.
    let answers = stream::iter(story.plan_consultation())
        .map(|p| async move {
            let result = match p.source {
                Source::Online(who) => {
                    submit(ctx, &as_viewer(cast.participants[who]), consultation.id, "response", p.body, &p.language, Channel::Online, None, None).await
                }
                Source::Facilitated { channel, reference } => {
                    submit(ctx, facilitator, consultation.id, "response", p.body, &p.language, channel, None, Some(reference)).await
                }
            };
            (p.theme, result)
        })
        .buffered(IN_FLIGHT)
        .collect::<Vec<_>>();
    // Meanwhile the roundtables: everyone registers for one (the featured participant by
    // phone, through the facilitator), then the facilitator files each meeting's report.
    let meetings: Vec<&str> = story.roundtable.reports.iter().map(|r| r.meeting.as_str()).collect();
    let meetings = &meetings;
    let roundtables = async {
        let registrations = stream::iter(cast.participants.iter().copied().enumerate())
            .map(|(i, who)| async move {
                if i == 0 {
                    let body = json!({ "meeting": story.featured.meeting });
                    submit(ctx, facilitator, roundtable.id, "registration", body, &story.participants[0].locale, Channel::Phone, Some(who), None).await
                } else {
                    let body = json!({ "meeting": meetings[i % meetings.len()] });
                    submit(ctx, &as_viewer(who), roundtable.id, "registration", body, &story.participants[i].locale, Channel::Online, None, None).await
                }
            })
            .buffered(IN_FLIGHT)
            .collect::<Vec<_>>()
            .await;
        let mut reports = Vec::new();
        for r in &story.roundtable.reports {
            let mut body = r.body.clone();
            body["meeting"] = json!(r.meeting);
            reports.push((r, submit(ctx, facilitator, roundtable.id, "report", body, &r.language, Channel::Online, None, None).await));
        }
        (registrations, reports)
    };
    let started = std::time::Instant::now();
    let (answers, (registered, filed)) = futures_util::future::join(answers, roundtables).await;
    tracing::info!(seconds = started.elapsed().as_secs_f64(), "demo: contributions to the closing activities made");

    let mut by_theme: Vec<Vec<Uuid>> = vec![Vec::new(); story.consultation.themes.len()];
    for (theme, result) in answers {
        by_theme[theme].push(made(result)?);
    }
    let mut registrations = Vec::new();
    for result in registered {
        registrations.push(made(result)?);
    }
    let mut reports: HashMap<&str, Uuid> = HashMap::new();
    let mut report_replies: Vec<(Uuid, &Report)> = Vec::new();
    for (r, result) in filed {
        let id = made(result)?;
        reports.insert(r.meeting.as_str(), id);
        report_replies.push((id, r));
    }

    // The first annual review is open: answers still waiting for their response.
    follow_up_contributions(ctx, story, cast, follow_up.id).await?;
    if let Some(arabic) = arabic {
        arabic_contributions(ctx, story, cast, arabic).await?;
    }

    // Responses come once the consultation and the roundtables have closed: the organiser
    // closes them now that their contributions are in.
    for a in [consultation.id, roundtable.id] {
        activities::close_now(ctx, cast.organiser, a).await.map_err(|e| anyhow::anyhow!("demo: closing an activity: {e}"))?;
    }
    schedule::announce_transitions(ctx).await.map_err(|e| anyhow::anyhow!("demo: {e}"))?;

    let respond = |ids: Vec<Uuid>, disposition: Disposition, explanation: &TextMap, refs: &[String]| {
        let input = NewResponse { contribution_ids: ids, disposition, explanation: explanation.clone(), outcome_refs: refs.to_vec() };
        async move { responses::respond(ctx, cast.organiser, slug, input).await.map_err(|e| anyhow::anyhow!("demo response: {e}")) }
    };
    // Similar contributions are answered together, as organisers do.
    for (theme, ids) in story.consultation.themes.iter().zip(&by_theme) {
        for chunk in ids.chunks(responses::MAX_BATCH) {
            respond(chunk.to_vec(), theme.disposition, &theme.explanation, &theme.outcome_refs).await?;
        }
    }
    if !registrations.is_empty() {
        let reply = &story.roundtable.registration_response;
        respond(registrations, reply.disposition, &reply.explanation, &reply.outcome_refs).await?;
    }
    for (id, r) in &report_replies {
        respond(vec![*id], r.disposition, &r.explanation, &r.outcome_refs).await?;
    }

    // The strategy, citing what it drew on; then its revision once the reports were answered.
    let themes: HashMap<&str, &Vec<Uuid>> = story.consultation.themes.iter().map(|t| t.id.as_str()).zip(&by_theme).collect();
    for revision in [false, true] {
        let sections = story
            .outcome
            .sections
            .iter()
            .map(|s| {
                let mut cites: Vec<Uuid> = s.cites_themes.iter().flat_map(|t| themes.get(t.as_str()).into_iter().flat_map(|ids| ids.iter().copied())).collect();
                let body = match (&s.revised_body, revision) {
                    (Some(revised), true) => revised.clone(),
                    _ => s.body.clone(),
                };
                if revision {
                    cites.extend(s.revision_cites_meetings.iter().filter_map(|m| reports.get(m.as_str()).copied()));
                }
                SectionInput { id: s.id.clone(), heading: s.heading.clone(), body, cites }
            })
            .collect();
        let note = if revision { story.outcome.revision_note.clone() } else { TextMap::new() };
        let input = NewOutcome { title: story.outcome.title.clone(), sections, note };
        outcomes::publish(ctx, cast.organiser, slug, input).await.map_err(|e| anyhow::anyhow!("demo outcome: {e}"))?;
    }
    Ok(())
}

/// The open review: a few participants have answered already, the featured one among them.
async fn follow_up_contributions(ctx: &AppContext, story: &Story, cast: &Cast<'_>, activity: Uuid) -> anyhow::Result<()> {
    let f = &story.follow_up;
    let mut rng = Rng(story.consultation.seed ^ 0x5EED);
    let others = cast.participants.len() - 1;
    for j in 0..f.count {
        // The featured participant, then others, each once.
        let who = if j == 0 { 0 } else { 1 + (j * 7) % others };
        let person = &story.participants[who];
        let language = if f.comments.contains_key(&person.locale) { person.locale.clone() } else { "en".to_string() };
        let comments = &f.comments[&language];
        let comment = if j == 0 { &comments[story.featured.follow_up_comment % comments.len()] } else { rng.one_of(comments) };
        let noticed = if j == 0 { "yes" } else { *rng.one_of(&["yes", "yes", "not_yet", "unsure"]) };
        let body = json!({ "answers": { "noticed": noticed, "comment": comment } });
        submit(ctx, &as_viewer(cast.participants[who]), activity, "response", body, &language, Channel::Online, None, None)
            .await
            .map_err(|e| anyhow::anyhow!("demo contribution to the annual review: {e}"))?;
    }
    Ok(())
}

async fn arabic_contributions(ctx: &AppContext, story: &Story, cast: &Cast<'_>, activities: &[ActivityRef]) -> anyhow::Result<()> {
    for c in &story.arabic.contributions {
        arabic_contribution(ctx, cast, activities, c).await?;
    }
    Ok(())
}

async fn arabic_contribution(ctx: &AppContext, cast: &Cast<'_>, activities: &[ActivityRef], c: &ArabicContribution) -> anyhow::Result<()> {
    let Some(activity) = activities.first() else { return Ok(()) };
    submit(ctx, &as_viewer(cast.participants[c.participant]), activity.id, "response", c.body.clone(), "ar", Channel::Online, None, None)
        .await
        .map_err(|e| anyhow::anyhow!("demo contribution in Arabic: {e}"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn the_story_is_complete() {
        let story = parse();
        let c = &story.consultation;
        for t in &c.themes {
            assert!(t.explanation.contains_key("en") && t.explanation.contains_key("es"), "{}", t.id);
            if t.points.values().any(|p| !p.is_empty()) {
                assert!(t.points.get("en").is_some_and(|p| !p.is_empty()) && t.points.get("es").is_some_and(|p| !p.is_empty()), "{}", t.id);
            }
        }
        // Every disposition the domain has is given somewhere.
        let given: HashSet<&str> = c
            .themes
            .iter()
            .map(|t| t.disposition.as_str())
            .chain(story.roundtable.reports.iter().map(|r| r.disposition.as_str()))
            .chain([story.roundtable.registration_response.disposition.as_str()])
            .collect();
        for d in Disposition::ALL {
            assert!(given.contains(d.as_str()), "no {d} response in the demo");
        }
        // Responses point at sections that exist; sections cite themes and meetings that exist.
        let sections: HashSet<&str> = story.outcome.sections.iter().map(|s| s.id.as_str()).collect();
        let refs = c.themes.iter().flat_map(|t| &t.outcome_refs).chain(story.roundtable.reports.iter().flat_map(|r| &r.outcome_refs));
        for r in refs {
            assert!(sections.contains(r.as_str()), "no outcome section {r}");
        }
        let meetings: HashSet<&str> = story.roundtable.reports.iter().map(|r| r.meeting.as_str()).collect();
        for s in &story.outcome.sections {
            assert!(s.cites_themes.iter().all(|t| story.theme_index(t).is_some()), "{}", s.id);
            assert!(s.revision_cites_meetings.iter().all(|m| meetings.contains(m.as_str())), "{}", s.id);
        }
        assert!(story.theme_index(&story.featured.consultation_theme).is_some());
        assert!(meetings.contains(story.featured.meeting.as_str()));
        assert!(story.arabic.contributions.iter().all(|a| a.participant < story.participants.len()));
    }

    #[test]
    fn the_story_matches_its_process() {
        let story = parse();
        let demo = super::super::parse();
        let p = demo.iter().find(|p| p.slug == story.process).expect("the finished process is in processes.json");
        let roundtable = &p.activities[story.roundtable.activity];
        assert_eq!(roundtable.type_id, "org.convene.roundtable");
        let scheduled: HashSet<&str> = roundtable.config["meetings"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap()).collect();
        let reported: HashSet<&str> = story.roundtable.reports.iter().map(|r| r.meeting.as_str()).collect();
        assert_eq!(scheduled, reported, "one report per meeting");
        assert!(p.activities[story.roundtable.activity].closes_after_loading && p.activities[story.consultation.activity].closes_after_loading);
        assert!(!p.activities[story.follow_up.activity].closes_after_loading);
        // Every answer the generator may give is one of the consultation's choices.
        let questions = p.activities[story.consultation.activity].config["questions"].as_array().unwrap();
        let choices = |id: &str| -> HashSet<String> {
            let q = questions.iter().find(|q| q["id"] == id).unwrap();
            q["choices"].as_array().unwrap().iter().map(|c| c["value"].as_str().unwrap().to_string()).collect()
        };
        let c = &story.consultation.choices;
        assert!(c.priority.iter().all(|v| choices("priority").contains(v)));
        assert!(c.red_lines.iter().all(|v| choices("red_lines").contains(v)));
        assert!(c.register.iter().all(|v| choices("register").contains(v)));
        assert!(demo.iter().any(|p| p.slug == story.arabic.process && p.default_language == "ar"));
    }

    #[test]
    fn the_consultation_is_the_same_at_every_load() {
        let story = parse();
        let plan = story.plan_consultation();
        assert_eq!(plan, story.plan_consultation());
        assert!(plan.len() >= 300);
        assert_eq!(plan[0].source, Source::Online(0), "the featured participant answered online");
        let themes: HashSet<usize> = plan.iter().map(|p| p.theme).collect();
        assert_eq!(themes.len(), story.consultation.themes.len(), "every theme is said");
        let channels: HashSet<&str> = plan
            .iter()
            .map(|p| match &p.source {
                Source::Online(_) => Channel::Online.as_str(),
                Source::Facilitated { channel, .. } => channel.as_str(),
            })
            .collect();
        assert_eq!(channels.len(), 4);
        let references: Vec<&String> = plan.iter().filter_map(|p| if let Source::Facilitated { reference, .. } = &p.source { Some(reference) } else { None }).collect();
        assert_eq!(references.len(), references.iter().collect::<HashSet<_>>().len(), "references are unique");
        // Varied: few comments are said twice.
        let comments: Vec<&str> = plan.iter().filter_map(|p| p.body["answers"]["comment"].as_str()).collect();
        let distinct: HashSet<&str> = comments.iter().copied().collect();
        assert!(distinct.len() * 10 >= comments.len() * 7, "{} distinct of {}", distinct.len(), comments.len());
        // Nobody online comes near the rate limit (60 contributions in 10 minutes by default).
        let mut per_person: HashMap<usize, usize> = HashMap::new();
        for p in &plan {
            if let Source::Online(who) = p.source {
                *per_person.entry(who).or_default() += 1;
            }
        }
        assert!(per_person.values().all(|n| *n <= 20), "{per_person:?}");
    }
}
