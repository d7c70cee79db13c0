//! The panel's state, rebuilt on every call from the activity's contributions (the host keeps
//! no other state for us, and reading contributions sees edits and withdrawals that key-value
//! flags would miss): the live pool, the draw records, the replies.

use std::collections::{BTreeMap, BTreeSet};

use convene_sdk::{Value, host};
use serde::{Deserialize, Serialize};

use crate::draw::{Draw, PoolMember, Replacement};

/// The pool as recorded in the first draw: the columns (`pseudonym`, then the question ids in
/// the configuration's order) and one row per volunteer, sorted by pseudonym.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PoolListing {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The normalised body of the first draw (round 1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FirstDrawRecord {
    pub round: u32,
    pub algorithm: String,
    pub seed_sha256: String,
    pub pool_size: usize,
    pub pool_digest: String,
    pub panels: u32,
    pub panel_index: u32,
    pub selected: Vec<String>,
    pub min_probability: f64,
    pub mean_probability: f64,
    pub zero_probability: usize,
    /// The pool the draw was made from, kept with it so the draw can be re-run even after
    /// someone withdraws.
    pub pool: PoolListing,
    /// Aligned with `pool.rows`: how many of the `panels` panels include each volunteer.
    pub selection_counts: Vec<u32>,
}

impl FirstDrawRecord {
    pub fn new(draw: &Draw, columns: Vec<String>, pool: &[PoolMember]) -> FirstDrawRecord {
        let mut sorted: Vec<&PoolMember> = pool.iter().collect();
        sorted.sort_by(|a, b| a.pseudonym.cmp(&b.pseudonym));
        let rows = sorted
            .iter()
            .map(|m| std::iter::once(m.pseudonym.clone()).chain(columns.iter().skip(1).map(|q| m.answers.get(q).cloned().unwrap_or_default())).collect())
            .collect();
        FirstDrawRecord {
            round: 1,
            algorithm: draw.algorithm.clone(),
            seed_sha256: draw.seed_sha256.clone(),
            pool_size: draw.pool_size,
            pool_digest: draw.pool_digest.clone(),
            panels: draw.panels,
            panel_index: draw.panel_index,
            selected: draw.selected.clone(),
            min_probability: draw.min_probability,
            mean_probability: draw.mean_probability,
            zero_probability: draw.zero_probability,
            selection_counts: sorted.iter().map(|m| draw.selection_counts.get(&m.pseudonym).copied().unwrap_or(0)).collect(),
            pool: PoolListing { columns, rows },
        }
    }

    /// The recorded pool, as [`crate::draw()`] takes it.
    pub fn pool(&self) -> Vec<PoolMember> {
        let questions = self.pool.columns.get(1..).unwrap_or_default();
        self.pool
            .rows
            .iter()
            .filter_map(|row| {
                let (pseudonym, answers) = row.split_first()?;
                Some(PoolMember { pseudonym: pseudonym.clone(), answers: questions.iter().cloned().zip(answers.iter().cloned()).collect() })
            })
            .collect()
    }
}

/// The normalised body of a replacement round.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplacementRecord {
    pub round: u32,
    pub replace_declined: bool,
    pub algorithm: String,
    pub seed_sha256: String,
    /// `replacements[i]` takes the seat of `replaced[i]`.
    pub replaced: Vec<String>,
    pub replacements: Vec<String>,
    /// Volunteers of the recorded pool who had withdrawn by this round, so were not drawn.
    #[serde(default)]
    pub withdrawn: Vec<String>,
}

impl ReplacementRecord {
    pub fn new(r: &Replacement, withdrawn: Vec<String>) -> ReplacementRecord {
        ReplacementRecord {
            round: r.round,
            replace_declined: true,
            algorithm: crate::draw::REPLACEMENT_ALGORITHM.into(),
            seed_sha256: r.seed_sha256.clone(),
            replaced: r.replaced.clone(),
            replacements: r.replacements.clone(),
            withdrawn,
        }
    }
}

/// One person drawn onto the panel, in any round.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seat {
    pub pseudonym: String,
    pub round: u32,
    /// The round whose draw gave the seat to someone else.
    pub replaced_in: Option<u32>,
}

#[derive(Clone, Debug, Default)]
pub struct State {
    /// Live volunteer entries (neither withdrawn nor hidden), by pseudonym; the latest wins.
    pub volunteers: BTreeMap<String, BTreeMap<String, String>>,
    pub first: Option<FirstDrawRecord>,
    pub rounds: Vec<ReplacementRecord>,
    /// The latest reply of each person: accepted or not.
    pub replies: BTreeMap<String, bool>,
}

impl State {
    /// Reads every visible contribution once.
    pub fn load() -> State {
        let mut state = State::default();
        for c in host::contributions(None) {
            match c.kind.as_str() {
                "volunteer" => {
                    let answers = c.body.get("answers").and_then(|a| serde_json::from_value(a.clone()).ok()).unwrap_or_default();
                    state.volunteers.insert(c.submitter, answers);
                }
                "draw" => state.add_draw(&c.body),
                "reply" => {
                    if let Some(accept) = c.body.get("accept").and_then(Value::as_bool) {
                        state.replies.insert(c.submitter, accept);
                    }
                }
                _ => {}
            }
        }
        state
    }

    /// Records one draw body; anything that is not a round we expect next is ignored (a
    /// moderator may hide a draw, but the rounds never go out of order by our own checks).
    fn add_draw(&mut self, body: &Value) {
        let round = body.get("round").and_then(Value::as_u64).unwrap_or(0);
        if round == 1 && self.first.is_none() {
            self.first = serde_json::from_value(body.clone()).ok();
        } else if self.first.is_some()
            && round == self.rounds.len() as u64 + 2
            && let Ok(r) = serde_json::from_value::<ReplacementRecord>(body.clone())
        {
            self.rounds.push(r);
        }
    }

    /// Everyone ever drawn, in the order drawn.
    pub fn seats(&self) -> Vec<Seat> {
        let Some(first) = &self.first else { return vec![] };
        let mut seats: Vec<Seat> = first.selected.iter().map(|p| Seat { pseudonym: p.clone(), round: 1, replaced_in: None }).collect();
        for r in &self.rounds {
            for (gone, new) in r.replaced.iter().zip(&r.replacements) {
                if let Some(seat) = seats.iter_mut().find(|s| &s.pseudonym == gone && s.replaced_in.is_none()) {
                    seat.replaced_in = Some(r.round);
                }
                seats.push(Seat { pseudonym: new.clone(), round: r.round, replaced_in: None });
            }
        }
        seats
    }

    /// Who holds a seat now.
    pub fn panel(&self) -> Vec<String> {
        self.seats().into_iter().filter(|s| s.replaced_in.is_none()).map(|s| s.pseudonym).collect()
    }

    /// Whether a drawn person has withdrawn their volunteer entry since.
    pub fn withdrew(&self, pseudonym: &str) -> bool {
        !self.volunteers.contains_key(pseudonym)
    }

    /// Seats to refill: holders who declined, or who withdrew from the pool.
    pub fn to_replace(&self) -> Vec<String> {
        self.panel().into_iter().filter(|p| self.replies.get(p) == Some(&false) || self.withdrew(p)).collect()
    }

    /// Volunteers of the recorded pool who withdrew and were never drawn.
    pub fn withdrawn_undrawn(&self) -> Vec<String> {
        let Some(first) = &self.first else { return vec![] };
        let drawn: BTreeSet<String> = self.seats().into_iter().map(|s| s.pseudonym).collect();
        first.pool.rows.iter().filter_map(|r| r.first()).filter(|p| !drawn.contains(*p) && self.withdrew(p)).cloned().collect()
    }
}
