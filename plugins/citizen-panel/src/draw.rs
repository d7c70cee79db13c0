//! The draw: a stratified random selection that meets every quota and spreads the chance of
//! being selected as evenly as the quotas allow, from a seed anyone can check.
//!
//! Everything here is pure and deterministic, and usable natively: anyone holding the
//! configuration, the published pool table and the revealed seed can call [`draw`] (and
//! [`replacement`] for later rounds) and must get the published panel.
//!
//! # Canonical input
//!
//! The pool is sorted by pseudonym (byte order) before anything else, so the order in which
//! people volunteered does not matter. Only the configuration's questions count, in the
//! configuration's order; other answers are ignored. The pool digest is the SHA-256 (lowercase
//! hex) of this listing, one line per member, fields separated by a tab:
//!
//! ```text
//! pseudonym\t<question id>\t<question id>...\n
//! <pseudonym>\t<answer>\t<answer>...\n        (one line per member, sorted by pseudonym)
//! ```
//!
//! # Algorithm `convene-leximin-mwu-v1`
//!
//! LEXIMIN (Flanigan et al., Nature 2021) picks the probability distribution over
//! quota-meeting panels that maximises the lowest selection probability of any volunteer, then
//! the second lowest, and so on. We approximate its first (and most important) level, the
//! maximin, with multiplicative weights (MWU) against a greedy panel oracle:
//!
//! 1. **Weights.** Every volunteer starts with weight 1; each time a panel includes them their
//!    weight is multiplied by `1 - eta` (`eta = 0.1`), so it is `0.9^times selected`. Each
//!    round the oracle returns a quota-meeting panel of high total weight, so rarely chosen
//!    people gain priority, and the uniform mixture of the `T` panels approximates the maximin
//!    distribution (the MWU argument: the volunteers play multiplicative weights, the panels
//!    best-respond). Weights are compared through the times selected (fewest first, ties by a
//!    seeded random rank); the few sums of weights are over a table built by repeated
//!    multiplication and added in a fixed order, so every platform computes the same bits.
//! 2. **Oracle, construction.** The pool in a seeded random order; while some option's
//!    minimum is unmet, take the most urgent such option (the fewest volunteers beyond its
//!    minimum, then the first in configuration order) and add its first volunteer in the
//!    order who keeps every quota reachable; once all minimums are met, add volunteers in
//!    order. "Keeps reachable": no option goes over its maximum, and each question's unmet
//!    minimums still fit in the seats left. A volunteer refused once stays refused within that
//!    panel. (Building in weight order instead walks into dead ends: the least-selected
//!    volunteers share the over-represented answers, and taking them first leaves the last
//!    seats needing combinations nobody has.)
//! 3. **Oracle, improvement.** The panel is then improved by swaps that raise its total
//!    weight: for each of the `panel_size + 32` heaviest volunteers off the panel (fewest
//!    selections), a single swap with the most-selected member whose seat they can take
//!    within the quotas, or else the best double swap whose second exchange restores the one
//!    question the first breaks (between two people with the same answers to every other
//!    question). The search is bounded by a count of steps (2,000,000 per draw, shared by its
//!    panels), never by time, so it is reproducible.
//! 4. **Retries.** If construction gets stuck it retries with other orders (8 times; 32 for
//!    the first panel) and otherwise repeats the previous panel; if no first panel can be
//!    found the quotas are reported as conflicting.
//! 5. **Choice.** `T = clamp(ceil(4 * pool / panel_size), 300, 400)` panels are built from a
//!    ChaCha20 stream keyed by the pool digest alone, so the distribution (and everyone's
//!    selection probability, `times selected / T`) is fixed by the pool and quotas before the
//!    seed is known. The seed only picks one of the `T` panels uniformly: ChaCha20 keyed by
//!    `SHA-256("convene-leximin-mwu-v1/pick\n" || seed)`, first unbiased `u64` below `T`.
//!
//! What it is not: exact LEXIMIN needs a linear/integer programming solver and column
//! generation; here the oracle is a heuristic (it may miss the best panel for given weights,
//! or any panel when quotas of several questions interact tightly) and the maximin is met only
//! approximately (to within the granularity `1/T` and the oracle's quality); the lower levels
//! of the leximin order are not optimised at all.
//!
//! # Replacements `convene-replacement-v1`
//!
//! For each declined seat, in pseudonym order, the replacement is drawn from volunteers never
//! selected (nor withdrawn), among those who keep every quota reachable, preferring the most
//! answers in common with the person who declined (the same strata when possible); ties are
//! broken uniformly with ChaCha20 keyed by
//! `SHA-256("convene-replacement-v1\n" || seed || round as u32 little-endian)`.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

use convene_sdk::FieldError;
use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::Config;

/// Named in every draw's record, so a later change of algorithm can never be confused with
/// this one.
pub const ALGORITHM: &str = "convene-leximin-mwu-v1";
pub const REPLACEMENT_ALGORITHM: &str = "convene-replacement-v1";
/// Bounded so a draw fits the host's deadline (100 ms in WebAssembly) and its record the
/// 1 MiB body limit.
pub const MAX_POOL: usize = 2_000;
pub const MIN_PANELS: u32 = 300;
pub const MAX_PANELS: u32 = 400;
const FIRST_TRIES: u32 = 32;
const RETRIES: u32 = 8;
/// The multiplicative-weights step: a selection multiplies a volunteer's weight by 1 - ETA.
const ETA: f64 = 0.1;
/// Work units the swap searches of a whole draw may spend (see [`improve`]), shared equally
/// by its panels.
const IMPROVE_BUDGET: usize = 2_000_000;

/// One volunteer as published in the results' pool table: their pseudonym and their answer
/// (an option value) to each question, by question id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolMember {
    pub pseudonym: String,
    pub answers: BTreeMap<String, String>,
}

impl PoolMember {
    pub fn new(pseudonym: &str, answers: &[(&str, &str)]) -> PoolMember {
        PoolMember { pseudonym: pseudonym.into(), answers: answers.iter().map(|(q, a)| (q.to_string(), a.to_string())).collect() }
    }
}

/// The outcome of a first draw.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Draw {
    pub algorithm: String,
    /// SHA-256 of the seed, lowercase hex: what the ledger's `seed.committed` published.
    pub seed_sha256: String,
    pub pool_digest: String,
    pub pool_size: usize,
    /// `T`, the number of panels in the mixture.
    pub panels: u32,
    /// Which of them the seed picked (0-based).
    pub panel_index: u32,
    /// The selected pseudonyms, sorted.
    pub selected: Vec<String>,
    /// How many of the `panels` panels include each volunteer; probability = count / panels.
    pub selection_counts: BTreeMap<String, u32>,
    pub min_probability: f64,
    pub mean_probability: f64,
    /// Volunteers with no chance of selection under the mixture.
    pub zero_probability: usize,
}

impl Draw {
    /// A volunteer's selection probability under this draw's lottery.
    pub fn probability(&self, pseudonym: &str) -> Option<f64> {
        self.selection_counts.get(pseudonym).map(|c| *c as f64 / self.panels.max(1) as f64)
    }
}

/// The outcome of a replacement round: `replacements[i]` takes the seat of `replaced[i]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replacement {
    pub round: u32,
    pub seed_sha256: String,
    pub replaced: Vec<String>,
    pub replacements: Vec<String>,
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes.iter().flat_map(|b| [DIGITS[(b >> 4) as usize] as char, DIGITS[(b & 15) as usize] as char]).collect()
}

/// Parses the revealed seed as published (hex, any case, spaces ignored).
pub fn seed_from_hex(text: &str) -> Result<Vec<u8>, String> {
    let digits: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if digits.is_empty() || !digits.len().is_multiple_of(2) {
        return Err("a seed is an even number of hex digits".into());
    }
    digits
        .chunks(2)
        .map(|pair| {
            let hi = (pair[0] as char).to_digit(16);
            let lo = (pair[1] as char).to_digit(16);
            match (hi, lo) {
                (Some(h), Some(l)) => Ok((h * 16 + l) as u8),
                _ => Err("a seed is written in hex digits (0-9, a-f)".to_string()),
            }
        })
        .collect()
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Builds the pool from the rows of the results' pool table: the pseudonym, then the answer to
/// each question in the configuration's order (later columns, such as the selection
/// probability, are ignored).
pub fn pool_from_rows(config: &Config, rows: &[Vec<String>]) -> Vec<PoolMember> {
    rows.iter()
        .filter_map(|row| {
            let (pseudonym, answers) = row.split_first()?;
            let answers = config.questions.iter().zip(answers).map(|(q, a)| (q.id.clone(), a.clone())).collect();
            Some(PoolMember { pseudonym: pseudonym.clone(), answers })
        })
        .collect()
}

/// The pool digest of the canonical listing (see the module documentation).
pub fn pool_digest(config: &Config, pool: &[PoolMember]) -> String {
    let mut sorted: Vec<&PoolMember> = pool.iter().collect();
    sorted.sort_by(|a, b| a.pseudonym.cmp(&b.pseudonym));
    digest_sorted(config, &sorted)
}

fn digest_sorted(config: &Config, sorted: &[&PoolMember]) -> String {
    let mut h = Sha256::new();
    h.update(b"pseudonym");
    for q in &config.questions {
        h.update(b"\t");
        h.update(q.id.as_bytes());
    }
    h.update(b"\n");
    for m in sorted {
        h.update(m.pseudonym.as_bytes());
        for q in &config.questions {
            h.update(b"\t");
            h.update(m.answers.get(&q.id).map(String::as_str).unwrap_or("").as_bytes());
        }
        h.update(b"\n");
    }
    hex(&h.finalize())
}

/// A ChaCha20 stream keyed by the SHA-256 of the parts, concatenated.
fn stream(parts: &[&[u8]]) -> ChaCha20Rng {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    ChaCha20Rng::from_seed(h.finalize().into())
}

/// A uniform integer below `n` (n > 0), without modulo bias: draws below `2^64 mod n` are
/// rejected.
fn below(rng: &mut ChaCha20Rng, n: u64) -> u64 {
    let n = n.max(1);
    let reject = n.wrapping_neg() % n;
    loop {
        let x = rng.next_u64();
        if x >= reject {
            return x % n;
        }
    }
}

/// A cheap, well-mixed hash for per-panel tie-break ranks (SplitMix64's finaliser).
fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// How many panels the mixture holds: enough for every volunteer to appear a few times, and
/// never so many that a draw misses its deadline. A function of the inputs only (never of
/// elapsed time), or the draw could not be re-run.
pub fn panel_count(pool: usize, seats: usize) -> u32 {
    let wanted = (4 * pool as u64).div_ceil(seats.max(1) as u64);
    wanted.clamp(MIN_PANELS as u64, MAX_PANELS as u64) as u32
}

/// The pool as the algorithm sees it: each volunteer's option per question, as indices into
/// one list of (question, option) categories, each with its minimum, maximum and pool count.
struct Strata {
    n: usize,
    questions: usize,
    seats: usize,
    /// Member `i`'s category for question `q` is `cat[i * questions + q]`.
    cat: Vec<u16>,
    cat_question: Vec<usize>,
    /// Categories with a minimum, most urgent first: the fewest volunteers beyond the minimum
    /// (a constant: filling a seat lowers the volunteers left and the seats needed alike).
    urgency: Vec<u16>,
    min: Vec<u32>,
    max: Vec<u32>,
    size: Vec<u32>,
    /// (question id, option value) of each category, for messages.
    names: Vec<(String, String)>,
    /// Member `i`'s stratum (the same answer to every question) is `kind[i]`.
    kind: Vec<u32>,
    /// The members of each stratum, and each stratum by its categories.
    kinds: Vec<Vec<u32>>,
    kind_index: BTreeMap<Vec<u16>, u32>,
}

fn people(n: u32) -> &'static str {
    if n == 1 { "person" } else { "people" }
}

impl Strata {
    /// Maps a sorted, checked pool (see [`canonical`]) onto the configuration's categories.
    fn new(config: &Config, sorted: &[&PoolMember], seats: usize) -> Strata {
        let mut names = Vec::new();
        let mut cat_question = Vec::new();
        let mut min = Vec::new();
        let mut max = Vec::new();
        let mut offsets = Vec::new();
        for (qi, q) in config.questions.iter().enumerate() {
            offsets.push(names.len());
            for o in &q.options {
                let (lo, hi) = config.quota(&q.id, &o.value);
                names.push((q.id.clone(), o.value.clone()));
                cat_question.push(qi);
                min.push(lo);
                max.push(hi.min(seats as u32));
            }
        }
        let questions = config.questions.len();
        let mut cat = Vec::with_capacity(sorted.len() * questions);
        let mut size = vec![0u32; names.len()];
        for m in sorted {
            for (qi, q) in config.questions.iter().enumerate() {
                // `canonical` checked every answer; position 0 is never used unchecked.
                let o = m.answers.get(&q.id).and_then(|a| q.options.iter().position(|o| &o.value == a)).unwrap_or(0);
                let c = offsets[qi] + o;
                cat.push(c as u16);
                size[c] += 1;
            }
        }
        let mut kind_index: BTreeMap<Vec<u16>, u32> = BTreeMap::new();
        let mut kinds: Vec<Vec<u32>> = Vec::new();
        let mut kind = Vec::with_capacity(sorted.len());
        for i in 0..sorted.len() {
            let key = cat[i * questions..(i + 1) * questions].to_vec();
            let next = kinds.len() as u32;
            let k = *kind_index.entry(key).or_insert(next);
            if k == next {
                kinds.push(Vec::new());
            }
            kinds[k as usize].push(i as u32);
            kind.push(k);
        }
        let mut urgency: Vec<u16> = (0..names.len()).filter(|c| min[*c] > 0).map(|c| c as u16).collect();
        urgency.sort_by_key(|c| (size[*c as usize] as i64 - min[*c as usize] as i64, *c));
        Strata { n: sorted.len(), questions, seats, cat, cat_question, urgency, min, max, size, names, kind, kinds, kind_index }
    }

    fn category(&self, member: usize, question: usize) -> usize {
        self.cat[member * self.questions + question] as usize
    }

    fn path(&self, c: usize) -> String {
        format!("quotas.{}.{}", self.names[c].0, self.names[c].1)
    }

    /// What the pool cannot meet whatever the draw: too few volunteers, a minimum above the
    /// volunteers who gave that answer, or maximums that leave seats unfillable.
    fn infeasibility(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.n < self.seats {
            errors.push(FieldError::new("panel_size", format!("the pool has only {} volunteers; the panel needs {}", self.n, self.seats)));
        }
        for c in 0..self.min.len() {
            if self.size[c] < self.min[c] {
                errors.push(FieldError::new(
                    format!("{}.min", self.path(c)),
                    format!(
                        "the pool has only {} {} answering {}; the quota asks for at least {}",
                        self.size[c],
                        people(self.size[c]),
                        self.names[c].1,
                        self.min[c]
                    ),
                ));
            }
        }
        let mut capacity = vec![0u64; self.questions];
        for c in 0..self.min.len() {
            capacity[self.cat_question[c]] += self.size[c].min(self.max[c]) as u64;
        }
        for (qi, cap) in capacity.iter().enumerate() {
            if (*cap as usize) < self.seats && self.n >= self.seats {
                let question = self.names.iter().zip(&self.cat_question).find(|(_, q)| **q == qi).map(|(n, _)| n.0.clone()).unwrap_or_default();
                errors.push(FieldError::new(
                    format!("quotas.{question}"),
                    format!("with this pool and these maximums at most {cap} of the {} seats can be filled", self.seats),
                ));
            }
        }
        errors
    }

    /// When the oracle finds no panel although each quota alone can be met: name the tightest
    /// minimum, where the quotas of different questions most likely collide.
    fn conflict(&self) -> Vec<FieldError> {
        let tightest = (0..self.min.len()).filter(|c| self.min[*c] > 0).min_by_key(|c| (self.size[*c].saturating_sub(self.min[*c]), *c));
        let hint = tightest
            .map(|c| format!(" (the tightest is {}.min: {} of {} {})", self.path(c), self.min[c], self.size[c], people(self.size[c])))
            .unwrap_or_default();
        vec![FieldError::new(
            "quotas",
            format!("no panel of {} meeting every quota together was found in this pool: the quotas of different questions conflict{hint}", self.seats),
        )]
    }
}

/// Checks the pool and sorts it by pseudonym, naming what is wrong with an entry.
fn canonical<'a>(config: &Config, pool: &'a [PoolMember]) -> Result<Vec<&'a PoolMember>, Vec<FieldError>> {
    if pool.len() > MAX_POOL {
        return Err(vec![FieldError::new("pool", format!("a draw takes at most {MAX_POOL} volunteers; the pool has {}", pool.len()))]);
    }
    let mut errors = Vec::new();
    let mut sorted: Vec<&PoolMember> = pool.iter().collect();
    sorted.sort_by(|a, b| a.pseudonym.cmp(&b.pseudonym));
    for (i, m) in sorted.iter().enumerate() {
        if m.pseudonym.is_empty() || m.pseudonym.chars().any(char::is_control) {
            errors.push(FieldError::new(format!("pool[{i}].pseudonym"), "must be non-empty, without tabs or line breaks"));
        }
        if i > 0 && sorted[i - 1].pseudonym == m.pseudonym {
            errors.push(FieldError::new(format!("pool[{i}].pseudonym"), format!("`{}` is in the pool twice", m.pseudonym)));
        }
        for q in &config.questions {
            match m.answers.get(&q.id) {
                Some(a) if q.options.iter().any(|o| &o.value == a) => {}
                Some(a) => errors.push(FieldError::new(
                    format!("pool[{i}].answers.{}", q.id),
                    format!("volunteer {} answered `{a}`, which is not an option of `{}`", m.pseudonym, q.id),
                )),
                None => errors.push(FieldError::new(
                    format!("pool[{i}].answers.{}", q.id),
                    format!("volunteer {} has no answer to `{}` (was the question added after they volunteered?)", m.pseudonym, q.id),
                )),
            }
        }
        if errors.len() >= 20 {
            break;
        }
    }
    if errors.is_empty() { Ok(sorted) } else { Err(errors) }
}

/// Members in priority order, produced lazily: building a heap is linear, and the oracle
/// rarely looks far down, so a full sort per panel would waste most of the budget.
struct Lazy {
    heap: BinaryHeap<Reverse<u64>>,
    prefix: Vec<u32>,
}

impl Lazy {
    fn new(members: impl Iterator<Item = u64>) -> Lazy {
        Lazy { heap: members.map(Reverse).collect(), prefix: Vec::new() }
    }

    fn get(&mut self, pos: usize) -> Option<usize> {
        while self.prefix.len() <= pos {
            let Reverse(key) = self.heap.pop()?;
            self.prefix.push((key & 0xFFFF) as u32);
        }
        Some(self.prefix[pos] as usize)
    }
}

/// The pool by weight for one panel, highest first: the volunteers least selected so far,
/// ties in a random order from the panel's key.
struct LazyOrder {
    /// Each member's sort key, lowest first: times selected (16 bits), a random rank from the
    /// panel's key (32 bits), the member's index (16 bits; the pool is at most [`MAX_POOL`]).
    keys: Vec<u64>,
    all: Lazy,
}

impl LazyOrder {
    fn new(s: &Strata, counts: &[u32], key: u64) -> LazyOrder {
        let keys: Vec<u64> = (0..s.n)
            .map(|i| {
                let count = counts[i].min(0xFFFF) as u64;
                let rank = splitmix64(key ^ (i as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93)) >> 32;
                count << 48 | rank << 16 | i as u64
            })
            .collect();
        LazyOrder { all: Lazy::new(keys.iter().copied()), keys }
    }

    fn get(&mut self, pos: usize) -> Option<usize> {
        self.all.get(pos)
    }
}

/// The pool in a random order from `key` (Fisher-Yates over a SplitMix64 stream, each index
/// drawn by multiply-shift).
fn shuffled(n: usize, key: u64) -> Vec<u32> {
    let mut order: Vec<u32> = (0..n as u32).collect();
    let mut state = key;
    for i in (1..n).rev() {
        state = state.wrapping_add(1);
        let j = ((splitmix64(state) as u128 * (i as u128 + 1)) >> 64) as usize;
        order.swap(i, j);
    }
    order
}

/// A panel being filled, with what is needed to tell whether one more volunteer keeps every
/// quota reachable.
struct Fill {
    counts: Vec<u32>,
    /// Per question: seats its unmet minimums still need.
    deficit: Vec<u32>,
    /// Position in `Strata::urgency` before which every minimum is met.
    urgent: usize,
    taken: Vec<bool>,
    size: usize,
    seats: usize,
}

impl Fill {
    fn new(s: &Strata, seats: usize) -> Fill {
        let mut deficit = vec![0u32; s.questions];
        for c in 0..s.min.len() {
            deficit[s.cat_question[c]] += s.min[c];
        }
        Fill { counts: vec![0; s.min.len()], deficit, urgent: 0, taken: vec![false; s.n], size: 0, seats }
    }

    /// No option over its maximum, and each question's unmet minimums still fit in the seats
    /// left. Both only get stricter as the panel fills, so a refusal is final.
    fn can_add(&self, s: &Strata, i: usize) -> bool {
        if self.taken[i] || self.size >= self.seats {
            return false;
        }
        let left_after = (self.seats - self.size - 1) as u32;
        (0..s.questions).all(|q| {
            let c = s.category(i, q);
            let helps = u32::from(self.counts[c] < s.min[c]);
            self.counts[c] < s.max[c] && self.deficit[q].saturating_sub(helps) <= left_after
        })
    }

    fn add(&mut self, s: &Strata, i: usize) {
        for q in 0..s.questions {
            let c = s.category(i, q);
            if self.counts[c] < s.min[c] {
                self.deficit[q] -= 1;
            }
            self.counts[c] += 1;
        }
        self.taken[i] = true;
        self.size += 1;
    }

    /// Adds without the checks: for people already on a panel.
    fn seat(&mut self, s: &Strata, i: usize) {
        for q in 0..s.questions {
            let c = s.category(i, q);
            if self.counts[c] < s.min[c] {
                self.deficit[q] = self.deficit[q].saturating_sub(1);
            }
            self.counts[c] += 1;
        }
        self.taken[i] = true;
        self.size += 1;
    }

    /// The unmet minimum with the least room to spare (volunteers still available in it less
    /// the seats it still needs), if any. A minimum once met stays met.
    fn most_urgent(&mut self, s: &Strata) -> Option<usize> {
        while let Some(&c) = s.urgency.get(self.urgent) {
            if self.counts[c as usize] < s.min[c as usize] {
                return Some(c as usize);
            }
            self.urgent += 1;
        }
        None
    }
}

/// The oracle's construction: one panel meeting every quota, preferring volunteers early in
/// `order`.
fn greedy(s: &Strata, order: &[u32]) -> Option<Vec<u16>> {
    let mut fill = Fill::new(s, s.seats);
    let mut cursors = vec![0usize; s.min.len()];
    let mut global = 0usize;
    let mut panel = Vec::with_capacity(s.seats);
    while fill.size < s.seats {
        let pick = match fill.most_urgent(s) {
            Some(c) => loop {
                let i = *order.get(cursors[c])? as usize;
                cursors[c] += 1;
                if s.category(i, s.cat_question[c]) == c && fill.can_add(s, i) {
                    break i;
                }
            },
            None => loop {
                let i = *order.get(global)? as usize;
                global += 1;
                if fill.can_add(s, i) {
                    break i;
                }
            },
        };
        fill.add(s, pick);
        panel.push(pick as u16);
    }
    Some(panel)
}

/// For each stratum and category, the stratum with the same answers except to that
/// category's question, answered with that category; computed when first asked, kept for the
/// whole draw.
struct Neighbours {
    table: Vec<u32>,
    categories: usize,
}

const UNKNOWN: u32 = u32::MAX;
const NONE: u32 = u32::MAX - 1;

impl Neighbours {
    fn new(s: &Strata) -> Neighbours {
        Neighbours { table: vec![UNKNOWN; s.kinds.len() * s.min.len()], categories: s.min.len() }
    }

    fn get(&mut self, s: &Strata, kind: usize, category: usize) -> Option<usize> {
        let slot = kind * self.categories + category;
        if self.table[slot] == UNKNOWN {
            let member = s.kinds[kind][0] as usize;
            let mut key = s.cat[member * s.questions..(member + 1) * s.questions].to_vec();
            key[s.cat_question[category]] = category as u16;
            self.table[slot] = s.kind_index.get(&key).copied().unwrap_or(NONE);
        }
        match self.table[slot] {
            NONE => None,
            k => Some(k as usize),
        }
    }
}

/// A swap that repairs one question: the panel member in `slot` gives their seat to `to`,
/// who answers everything as they do except that question. Worth `gain` in weight.
#[derive(Clone, Copy)]
struct Repair {
    gain: f64,
    slot: usize,
    to: usize,
}

/// Improves a quota-meeting panel by swaps that raise its total weight (`weight[c]` is the
/// weight of someone selected `c` times so far). The greedy fills minimums category by
/// category and can spend scarce seats (the young, say) on people who did not need them;
/// swaps give them back.
///
/// For each of the first volunteers off the panel in `order` (fewest selections), `j`: a
/// single swap, `j` taking the seat of the panel member selected most often whose departure
/// keeps every quota met; failing that, the best double swap, when the single one breaks the
/// quotas of exactly one question `q`, changing `c1` into `cj`: a second member with `cj`
/// gives their seat to the best volunteer off the panel who answers everything as they do
/// except `q`, answered `c1`. `q`'s counts are then unchanged, and no other question's.
/// The best such repairs are tabulated per (`c1`, `cj`) and refreshed after each move.
fn improve(s: &Strata, panel: &mut [u16], order: &mut LazyOrder, selected: &[u32], weight: &[f64], near: &mut Neighbours, mut budget: usize) {
    let w = |i: usize| weight[(selected[i] as usize).min(weight.len() - 1)];
    let mut counts = vec![0u32; s.min.len()];
    let mut on_panel = vec![false; s.n];
    for &i in panel.iter() {
        on_panel[i as usize] = true;
        for q in 0..s.questions {
            counts[s.category(i as usize, q)] += 1;
        }
    }
    // The best volunteer off the panel in each stratum, and the best repairs per (`c1`, `cj`),
    // found when first needed and forgotten at each move.
    let mut best: Vec<Option<Option<usize>>> = vec![None; s.kinds.len()];
    let mut repairs: BTreeMap<(usize, usize), Option<Repair>> = BTreeMap::new();
    // Work units (a panel member looked at for one question), so that large panels and
    // questionnaires stay within the deadline: a count, never a clock.
    for pos in 0..(s.seats + 32).min(s.n) {
        let Some(j) = order.get(pos) else { break };
        if on_panel[j] {
            continue;
        }
        let Some(left) = budget.checked_sub(panel.len() * s.questions) else { break };
        budget = left;
        let mut single: Option<usize> = None;
        let mut double: Option<(f64, usize, Repair)> = None;
        for (slot, &i) in panel.iter().enumerate() {
            let i = i as usize;
            if selected[i] <= selected[j] {
                continue;
            }
            let mut broken = (0..s.questions).filter(|q| {
                let (ci, cj) = (s.category(i, *q), s.category(j, *q));
                ci != cj && (counts[ci] <= s.min[ci] || counts[cj] >= s.max[cj])
            });
            match (broken.next(), broken.next()) {
                (None, _) if single.is_none_or(|b| selected[panel[b] as usize] < selected[i]) => single = Some(slot),
                (None, _) => {}
                (Some(q), None) if single.is_none() => {
                    let cell = (s.category(i, q), s.category(j, q));
                    let r = match repairs.get(&cell) {
                        Some(r) => *r,
                        None => {
                            let Some(left) = budget.checked_sub(panel.len()) else { continue };
                            budget = left;
                            let r = best_repair(s, panel, cell, &on_panel, &order.keys, &mut best, near, &w);
                            repairs.insert(cell, r);
                            r
                        }
                    };
                    let Some(r) = r else { continue };
                    let gain = w(j) - w(i) + r.gain;
                    if r.to != j && gain > 0.0 && double.is_none_or(|d| gain > d.0) {
                        double = Some((gain, slot, r));
                    }
                }
                _ => {}
            }
        }
        let moves = match (single, double) {
            (Some(slot), _) => vec![(slot, j)],
            (None, Some((_, slot, r))) => vec![(slot, j), (r.slot, r.to)],
            (None, None) => continue,
        };
        for (slot, new) in moves {
            let old = panel[slot] as usize;
            for q in 0..s.questions {
                counts[s.category(old, q)] -= 1;
                counts[s.category(new, q)] += 1;
            }
            on_panel[old] = false;
            on_panel[new] = true;
            panel[slot] = new as u16;
            best[s.kind[old] as usize] = None;
            best[s.kind[new] as usize] = None;
        }
        repairs.clear();
    }
}

/// The best single swap turning a panel member answering `cj` into a volunteer off the panel
/// with the same answers except `c1` (`cell` is (`c1`, `cj`), two options of one question).
#[allow(clippy::too_many_arguments)]
fn best_repair(
    s: &Strata,
    panel: &[u16],
    (c1, cj): (usize, usize),
    on_panel: &[bool],
    keys: &[u64],
    best: &mut [Option<Option<usize>>],
    near: &mut Neighbours,
    w: &dyn Fn(usize) -> f64,
) -> Option<Repair> {
    let q = s.cat_question[cj];
    let mut found: Option<Repair> = None;
    for (slot, &i2) in panel.iter().enumerate() {
        let i2 = i2 as usize;
        if s.category(i2, q) != cj {
            continue;
        }
        let Some(kind) = near.get(s, s.kind[i2] as usize, c1) else { continue };
        let to = *best[kind].get_or_insert_with(|| s.kinds[kind].iter().map(|i| *i as usize).filter(|i| !on_panel[*i]).min_by_key(|i| keys[*i]));
        let Some(to) = to else { continue };
        let gain = w(to) - w(i2);
        if found.is_none_or(|r| gain > r.gain) {
            found = Some(Repair { gain, slot, to });
        }
    }
    found
}

/// The multiplicative-weights loop: `rounds` panels, each built in a fresh random order and,
/// when `adaptive`, improved towards the volunteers selected least so far (not adaptive: the
/// naive baseline the tests compare against). Returns the panels and the times each volunteer
/// was selected, or `None` when not even a first panel was found.
fn mixture(s: &Strata, rounds: u32, rng: &mut ChaCha20Rng, adaptive: bool) -> Option<(Vec<Vec<u16>>, Vec<u32>)> {
    let mut counts = vec![0u32; s.n];
    let mut panels: Vec<Vec<u16>> = Vec::with_capacity(rounds as usize);
    let mut near = Neighbours::new(s);
    let budget = IMPROVE_BUDGET / rounds.max(1) as usize;
    // (1 - eta)^c for c selections so far, by repeated multiplication (the same bits everywhere).
    let mut weight = Vec::with_capacity(rounds as usize + 1);
    let mut w = 1.0f64;
    for _ in 0..=rounds {
        weight.push(w);
        w *= 1.0 - ETA;
    }
    for t in 0..rounds {
        let tries = if t == 0 { FIRST_TRIES } else { RETRIES };
        let mut panel = None;
        for _ in 0..=tries {
            let key = rng.next_u64();
            panel = greedy(s, &shuffled(s.n, key));
            if let Some(p) = &mut panel {
                if adaptive {
                    improve(s, p, &mut LazyOrder::new(s, &counts, key), &counts, &weight, &mut near, budget);
                }
                break;
            }
        }
        let panel = match panel {
            Some(p) => p,
            None => panels.last()?.clone(),
        };
        for &i in &panel {
            counts[i as usize] += 1;
        }
        panels.push(panel);
    }
    Some((panels, counts))
}

fn seed_error() -> FieldError {
    FieldError::new(
        "seed",
        "commit a seed first (POST /api/v1/activities/{id}/seed): the draw uses it, and its SHA-256 in the public ledger lets anyone re-run the draw",
    )
}

/// The first draw of a panel of `config.panel_size` from `pool`, with the committed `seed`.
/// The order of `pool` does not matter.
pub fn draw(config: &Config, pool: &[PoolMember], seed: &[u8]) -> Result<Draw, Vec<FieldError>> {
    let (draw, _) = draw_with_panels(config, pool, seed)?;
    Ok(draw)
}

fn draw_with_panels(config: &Config, pool: &[PoolMember], seed: &[u8]) -> Result<(Draw, Vec<Vec<u16>>), Vec<FieldError>> {
    crate::check_config(config)?;
    if seed.is_empty() {
        return Err(vec![seed_error()]);
    }
    let sorted = canonical(config, pool)?;
    let seats = config.panel_size as usize;
    let s = Strata::new(config, &sorted, seats);
    let errors = s.infeasibility();
    if !errors.is_empty() {
        return Err(errors);
    }
    let pool_digest = digest_sorted(config, &sorted);
    let rounds = panel_count(s.n, seats);
    let mut panels_rng = stream(&[format!("{ALGORITHM}/panels\n").as_bytes(), pool_digest.as_bytes()]);
    let (panels, counts) = mixture(&s, rounds, &mut panels_rng, true).ok_or_else(|| s.conflict())?;
    let mut pick_rng = stream(&[format!("{ALGORITHM}/pick\n").as_bytes(), seed]);
    let panel_index = below(&mut pick_rng, rounds as u64) as u32;
    let mut selected: Vec<String> = panels[panel_index as usize].iter().map(|i| sorted[*i as usize].pseudonym.clone()).collect();
    selected.sort();
    let min_count = counts.iter().copied().min().unwrap_or(0);
    let total: u64 = counts.iter().map(|c| *c as u64).sum();
    let draw = Draw {
        algorithm: ALGORITHM.into(),
        seed_sha256: sha256_hex(seed),
        pool_digest,
        pool_size: s.n,
        panels: rounds,
        panel_index,
        selected,
        selection_counts: sorted.iter().zip(&counts).map(|(m, c)| (m.pseudonym.clone(), *c)).collect(),
        min_probability: min_count as f64 / rounds as f64,
        mean_probability: total as f64 / (rounds as f64 * s.n.max(1) as f64),
        zero_probability: counts.iter().filter(|c| **c == 0).count(),
    };
    Ok((draw, panels))
}

/// Selection probabilities (by pseudonym) of the naive baseline: the same oracle over the
/// same number of panels, each in a fresh random order, without the weights. For comparison
/// only (the tests show the weighted mixture is fairer).
pub fn naive_probabilities(config: &Config, pool: &[PoolMember]) -> Result<BTreeMap<String, f64>, Vec<FieldError>> {
    crate::check_config(config)?;
    let sorted = canonical(config, pool)?;
    let s = Strata::new(config, &sorted, config.panel_size as usize);
    let rounds = panel_count(s.n, s.seats);
    let mut rng = stream(&[b"naive\n", digest_sorted(config, &sorted).as_bytes()]);
    let (_, counts) = mixture(&s, rounds, &mut rng, false).ok_or_else(|| s.conflict())?;
    Ok(sorted.iter().zip(counts).map(|(m, c)| (m.pseudonym.clone(), c as f64 / rounds as f64)).collect())
}

/// A replacement round: a replacement for each of `declined` (people on `panel` whose seats
/// are to be refilled), drawn from `pool` excluding everyone on `panel` and everyone in
/// `excluded` (people selected in earlier rounds and since replaced, and volunteers who
/// withdrew), keeping every quota met for a panel of `panel.len()` seats.
pub fn replacement(
    config: &Config,
    pool: &[PoolMember],
    seed: &[u8],
    round: u32,
    panel: &[String],
    excluded: &[String],
    declined: &[String],
) -> Result<Replacement, Vec<FieldError>> {
    crate::check_config(config)?;
    if seed.is_empty() {
        return Err(vec![seed_error()]);
    }
    let declined: BTreeSet<&String> = declined.iter().collect();
    if declined.is_empty() {
        return Err(vec![FieldError::new("replace_declined", "nobody on the panel has declined since the last round: there is no seat to refill")]);
    }
    let sorted = canonical(config, pool)?;
    let index: BTreeMap<&str, usize> = sorted.iter().enumerate().map(|(i, m)| (m.pseudonym.as_str(), i)).collect();
    let panel: BTreeSet<&String> = panel.iter().collect();
    let s = Strata::new(config, &sorted, panel.len());
    let mut fill = Fill::new(&s, panel.len());
    for who in &panel {
        let Some(&i) = index.get(who.as_str()) else {
            return Err(vec![FieldError::new("pool", format!("{who} is on the panel but not in the pool"))]);
        };
        if declined.contains(who) {
            fill.taken[i] = true;
        } else {
            fill.seat(&s, i);
        }
    }
    if let Some(who) = declined.iter().find(|d| !panel.contains(*d)) {
        return Err(vec![FieldError::new("replace_declined", format!("{who} is not on the panel"))]);
    }
    for who in excluded {
        if let Some(&i) = index.get(who.as_str()) {
            fill.taken[i] = true;
        }
    }
    let mut rng = stream(&[format!("{REPLACEMENT_ALGORITHM}\n").as_bytes(), seed, &round.to_le_bytes()]);
    let mut replacements = Vec::new();
    for who in &declined {
        let Some(&d) = index.get(who.as_str()) else { continue };
        let mut best: Vec<usize> = Vec::new();
        let mut best_match = 0usize;
        for i in 0..s.n {
            if !fill.can_add(&s, i) {
                continue;
            }
            let matching = (0..s.questions).filter(|q| s.category(i, *q) == s.category(d, *q)).count();
            if best.is_empty() || matching > best_match {
                best.clear();
                best_match = matching;
            }
            if matching == best_match {
                best.push(i);
            }
        }
        if best.is_empty() {
            return Err(no_replacement(&s, &fill, who));
        }
        let pick = best[below(&mut rng, best.len() as u64) as usize];
        fill.add(&s, pick);
        replacements.push(sorted[pick].pseudonym.clone());
    }
    Ok(Replacement { round, seed_sha256: sha256_hex(seed), replaced: declined.into_iter().cloned().collect(), replacements })
}

/// Why no one can take a seat: the pool is used up, or a minimum cannot be met any more.
fn no_replacement(s: &Strata, fill: &Fill, who: &str) -> Vec<FieldError> {
    if fill.taken.iter().all(|t| *t) {
        return vec![FieldError::new("replace_declined", format!("everyone in the pool has already been drawn: nobody is left to take the seat of {who}"))];
    }
    for c in 0..s.min.len() {
        let need = s.min[c].saturating_sub(fill.counts[c]);
        let left = (0..s.n).filter(|i| !fill.taken[*i] && s.category(*i, s.cat_question[c]) == c).count();
        if need as usize > left {
            return vec![FieldError::new(
                format!("{}.min", s.path(c)),
                format!(
                    "the quota asks for at least {}; after the declines the panel has {} and only {left} undrawn {} answering {} {} left in the pool",
                    s.min[c],
                    fill.counts[c],
                    people(left as u32),
                    s.names[c].1,
                    if left == 1 { "is" } else { "are" }
                ),
            )];
        }
    }
    vec![FieldError::new("quotas", format!("nobody left in the pool can take the seat of {who} while every quota stays met"))]
}
