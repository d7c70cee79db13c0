//! What the host gives a plugin during one call: logging, its activity's key-value data,
//! its contributions, the time and a recorded seed. Nothing else is linked, so nothing else is
//! reachable. Key-value writes are kept aside and handed to the caller only when the call
//! succeeds: a call that traps changes nothing.
//!
//! Everything the host does for a call is drawn from the call's [`CallBudget`]: each host
//! call costs fuel (a fixed price plus one unit per byte handed over), and reads count
//! against the bytes, rows and database time the call may use. The wall-clock deadline is
//! checked on every entry into and return from the host (see `PluginHost::new_store`), so a
//! host call cannot carry a call past it, and database reads are cut off at whichever of the
//! deadline and the database-time budget comes first.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use wasmtime::ResourceLimiter;

use super::bindings::convene::activity::host::{self, KvError, LogLevel, NotifyError};
use super::bindings::convene::activity::types::{self, ContributionPage, Localized};
use super::limits::{CallBudget, CallClass, Limits};

/// Why a source could not serve a read.
#[derive(Debug)]
pub enum SourceError {
    /// The plugin asked for something that cannot be (a cursor the host never gave out):
    /// the plugin's fault.
    Invalid(String),
    /// The read did not finish in the time it was given.
    TimedOut,
    /// The host's own storage failed: not the plugin's fault.
    Failed(String),
}

/// A page of contributions read for a plugin.
pub struct SourcePage {
    pub page: ContributionPage,
    /// Rows the database read for it.
    pub rows: usize,
}

/// Where a call reads the activity's contributions from.
pub trait ContributionSource: Send + Sync {
    /// At most `limit` contributions, and no more than `max_bytes` of them (but always at
    /// least one when any is left), within `timeout`.
    fn page(&self, kind: Option<&str>, cursor: Option<&str>, limit: u32, max_bytes: usize, timeout: Duration) -> Result<SourcePage, SourceError>;
}

/// Bytes a contribution costs when handed to a plugin.
pub fn contribution_bytes(c: &types::Contribution) -> usize {
    c.id.len() + c.submitter.len() + c.kind.len() + c.body.len() + c.language.len() + c.created_at.len()
}

/// Contributions held in memory (tests, and calls that need none).
impl ContributionSource for Vec<types::Contribution> {
    fn page(&self, kind: Option<&str>, cursor: Option<&str>, limit: u32, max_bytes: usize, _timeout: Duration) -> Result<SourcePage, SourceError> {
        let start: usize = match cursor {
            None => 0,
            Some(c) => c.parse().map_err(|_| SourceError::Invalid(format!("`{c}` is not a cursor this host gave out")))?,
        };
        let matching: Vec<&types::Contribution> = self.iter().filter(|c| kind.is_none_or(|k| c.kind == k)).collect();
        let sizes: Vec<usize> = matching.iter().skip(start).map(|c| contribution_bytes(c)).collect();
        let taken = within_bytes(&sizes, limit as usize, max_bytes);
        let end = (start + taken).min(matching.len());
        Ok(SourcePage {
            page: ContributionPage {
                items: matching[start.min(end)..end].iter().map(|c| (*c).clone()).collect(),
                next_cursor: (end < matching.len()).then(|| end.to_string()),
            },
            rows: taken,
        })
    }
}

/// How many of the leading items (of these sizes) fit in `max_bytes` and `limit`: at least
/// one, when there is one, so that a page always moves on.
pub fn within_bytes(sizes: &[usize], limit: usize, max_bytes: usize) -> usize {
    let mut total = 0;
    let mut taken = 0;
    for size in sizes.iter().take(limit) {
        if taken > 0 && total + size > max_bytes {
            break;
        }
        total += size;
        taken += 1;
    }
    taken
}

/// What an activity's key-value data uses: entries and bytes of keys and values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KvUsage {
    pub entries: usize,
    pub bytes: usize,
}

impl KvUsage {
    /// What the quota counts: the bytes, and a fixed overhead per entry.
    pub fn quota_bytes(&self) -> usize {
        self.bytes + self.entries * super::limits::KV_ENTRY_OVERHEAD
    }
}

/// Where a call reads the activity's key-value data from, key by key as the plugin asks.
pub trait KvSource: Send + Sync {
    fn get(&self, key: &str, timeout: Duration) -> Result<Option<Vec<u8>>, SourceError>;
    /// What is stored, for the quota (a running total, not a sum over the entries).
    fn usage(&self, timeout: Duration) -> Result<KvUsage, SourceError>;
}

/// Key-value data held in memory (tests, and calls that need none).
impl KvSource for BTreeMap<String, Vec<u8>> {
    fn get(&self, key: &str, _timeout: Duration) -> Result<Option<Vec<u8>>, SourceError> {
        Ok(BTreeMap::get(self, key).cloned())
    }

    fn usage(&self, _timeout: Duration) -> Result<KvUsage, SourceError> {
        Ok(KvUsage { entries: self.len(), bytes: self.iter().map(|(k, v)| k.len() + v.len()).sum() })
    }
}

/// The activity-specific inputs of one call.
pub struct CallContext {
    /// The type id of the plugin called (set by the host), for its log lines.
    pub plugin: String,
    pub activity: String,
    /// Who submits, for `validate-contribution`.
    pub submitter: types::Submitter,
    pub kv: Arc<dyn KvSource>,
    pub contributions: Arc<dyn ContributionSource>,
    pub now: String,
    pub seed: Vec<u8>,
    /// Which budget the call gets; the registry sets it from the export it runs.
    pub class: CallClass,
}

impl CallContext {
    pub fn empty() -> CallContext {
        CallContext {
            plugin: String::new(),
            activity: String::new(),
            submitter: participant("anonymous"),
            kv: Arc::new(BTreeMap::new()),
            contributions: Arc::new(Vec::new()),
            now: chrono::Utc::now().to_rfc3339(),
            seed: Vec::new(),
            class: CallClass::Interactive,
        }
    }
}

/// A participant contributing online, under a pseudonym.
pub fn participant(pseudonym: &str) -> types::Submitter {
    types::Submitter { id: pseudonym.into(), role: types::SubmitterRole::Participant, channel: types::Channel::Online }
}

/// Key-value writes of a successful call: Some(value) to set, None to delete.
pub type KvChanges = BTreeMap<String, Option<Vec<u8>>>;

/// A notification a plugin asked for: (participant pseudonym, subject, body).
pub type Notification = (String, Localized, Localized);

/// What a successful call leaves for its caller to commit.
#[derive(Debug, Default)]
pub struct CallEffects {
    pub kv: KvChanges,
    /// Whether the plugin read the activity's stored data (key-value or contributions): its
    /// verdict then depends on them, and must be committed only if they did not change since.
    pub read_shared: bool,
    /// Sent only if the caller commits what the call decided.
    pub notifications: Vec<Notification>,
    /// What the call spent.
    pub spent: Spent,
    /// Whether the plugin asked the time: its answer may change without any stored change.
    pub read_clock: bool,
}

/// What a call spent of its budget.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Spent {
    pub fuel: u64,
    pub read_bytes: usize,
    pub read_rows: usize,
    pub database_time: Duration,
}

/// Why the host stopped a call, raised from a host function or the call hook as a trap.
#[derive(Debug, thiserror::Error)]
pub enum Stop {
    #[error("ran past its wall-clock deadline")]
    Deadline,
    /// One of the call's budgets ran out: which one, and its size.
    #[error("used up its budget of {what} ({limit})")]
    OverBudget { what: &'static str, limit: String },
    /// The plugin passed the host something invalid.
    #[error("called host function {function} with an invalid argument: {problem}")]
    InvalidArgument { function: &'static str, problem: String },
    /// The host could not serve the call (its database failed).
    #[error("{0}")]
    HostFailed(String),
}

/// Caps linear memory and tables, and remembers a refusal so the error can say "out of memory".
pub struct MemoryCap {
    max_bytes: usize,
    pub refused: bool,
}

impl ResourceLimiter for MemoryCap {
    fn memory_growing(&mut self, _current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        if desired > self.max_bytes {
            self.refused = true;
            return Ok(false);
        }
        Ok(true)
    }

    fn table_growing(&mut self, _current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        Ok(desired <= 100_000)
    }
}

/// Enough to invite a whole citizen panel in one draw.
const MAX_NOTIFICATIONS: usize = 200;
/// Fuel every host call costs, whatever it does: a plugin cannot make the host work for
/// free by calling it in a loop.
pub const HOST_CALL_FUEL: u64 = 1_000;
/// Fuel per byte the host hands to the plugin.
pub const FUEL_PER_BYTE: u64 = 1;

pub struct HostState {
    pub(super) store_limits: MemoryCap,
    ctx: CallContext,
    budget: CallBudget,
    pub(super) deadline_at: Instant,
    spent: Spent,
    /// Fuel owed for host work, taken from the store when the host call returns.
    pub(super) fuel_debt: u64,
    kv_overlay: KvChanges,
    /// Stored values read so far (None: not stored).
    kv_read: BTreeMap<String, Option<Vec<u8>>>,
    /// The activity's usage when first needed, and this call's changes to it.
    kv_stored: Option<KvUsage>,
    kv_delta_entries: isize,
    kv_delta_bytes: isize,
    kv_quota: usize,
    kv_max_entries: usize,
    kv_max_key: usize,
    kv_max_value: usize,
    notifications: Vec<Notification>,
    read_shared: bool,
    read_clock: bool,
}

impl HostState {
    pub fn new(ctx: CallContext, limits: &Limits) -> HostState {
        let budget = limits.budget(ctx.class).clone();
        HostState {
            store_limits: MemoryCap { max_bytes: limits.memory_bytes as usize, refused: false },
            deadline_at: Instant::now() + budget.deadline,
            budget,
            ctx,
            spent: Spent::default(),
            fuel_debt: 0,
            kv_overlay: BTreeMap::new(),
            kv_read: BTreeMap::new(),
            kv_stored: None,
            kv_delta_entries: 0,
            kv_delta_bytes: 0,
            kv_quota: limits.kv_quota_bytes,
            kv_max_entries: limits.kv_max_entries,
            kv_max_key: limits.kv_max_key_bytes,
            kv_max_value: limits.kv_max_value_bytes,
            notifications: Vec::new(),
            read_shared: false,
            read_clock: false,
        }
    }

    pub(super) fn budget(&self) -> &CallBudget {
        &self.budget
    }

    pub(super) fn memory_refused(&self) -> bool {
        self.store_limits.refused
    }

    pub fn effects(self, fuel: u64) -> CallEffects {
        CallEffects {
            kv: self.kv_overlay,
            read_shared: self.read_shared,
            notifications: self.notifications,
            spent: Spent { fuel, ..self.spent },
            read_clock: self.read_clock,
        }
    }

    /// Every host call pays its fixed price.
    fn host_call(&mut self) {
        self.fuel_debt += HOST_CALL_FUEL;
    }

    /// How long a database read may take now: the rest of the database-time budget, or of
    /// the deadline if that comes first. Fails when nothing is left of either.
    fn read_timeout(&self) -> Result<(Duration, bool), Stop> {
        let to_deadline = self.deadline_at.saturating_duration_since(Instant::now());
        let database = self.budget.database_time.saturating_sub(self.spent.database_time);
        if to_deadline.is_zero() {
            return Err(Stop::Deadline);
        }
        if database.is_zero() {
            return Err(self.over("database time"));
        }
        Ok((to_deadline.min(database), to_deadline <= database))
    }

    fn over(&self, what: &'static str) -> Stop {
        let limit = match what {
            "bytes read" => format!("{} bytes", self.budget.read_bytes),
            "rows read" => format!("{} rows", self.budget.read_rows),
            _ => format!("{} ms", self.budget.database_time.as_millis()),
        };
        Stop::OverBudget { what, limit }
    }

    /// Runs one database read for `function` within the time left, and charges its time,
    /// rows and bytes to the call.
    fn read<R>(
        &mut self,
        function: &'static str,
        read: impl FnOnce(&CallContext, Duration) -> Result<R, SourceError>,
        cost: impl FnOnce(&R) -> (usize, usize),
    ) -> Result<R, Stop> {
        if self.spent.read_rows >= self.budget.read_rows {
            return Err(self.over("rows read"));
        }
        let (timeout, deadline_first) = self.read_timeout()?;
        let started = Instant::now();
        let result = read(&self.ctx, timeout);
        self.spent.database_time += started.elapsed();
        let value = match result {
            Ok(value) => value,
            Err(SourceError::Invalid(problem)) => return Err(Stop::InvalidArgument { function, problem }),
            Err(SourceError::TimedOut) if deadline_first => return Err(Stop::Deadline),
            Err(SourceError::TimedOut) => return Err(self.over("database time")),
            Err(SourceError::Failed(problem)) => return Err(Stop::HostFailed(problem)),
        };
        let (rows, bytes) = cost(&value);
        self.spent.read_rows += rows;
        self.spent.read_bytes += bytes;
        self.fuel_debt += bytes as u64 * FUEL_PER_BYTE;
        if self.spent.database_time > self.budget.database_time {
            return Err(self.over("database time"));
        }
        if self.spent.read_rows > self.budget.read_rows {
            return Err(self.over("rows read"));
        }
        if self.spent.read_bytes > self.budget.read_bytes {
            return Err(self.over("bytes read"));
        }
        Ok(value)
    }

    fn stored(&mut self, key: &str) -> Result<Option<Vec<u8>>, Stop> {
        if let Some(known) = self.kv_read.get(key) {
            return Ok(known.clone());
        }
        let value = self.read("kv-get", |ctx, timeout| ctx.kv.get(key, timeout), |v| (1, v.as_ref().map_or(0, Vec::len)))?;
        self.kv_read.insert(key.to_string(), value.clone());
        Ok(value)
    }

    fn kv_value(&mut self, key: &str) -> Result<Option<Vec<u8>>, Stop> {
        match self.kv_overlay.get(key) {
            Some(change) => Ok(change.clone()),
            None => self.stored(key),
        }
    }

    fn kv_stored_usage(&mut self) -> Result<KvUsage, Stop> {
        if let Some(usage) = self.kv_stored {
            return Ok(usage);
        }
        let usage = self.read("kv-set", |ctx, timeout| ctx.kv.usage(timeout), |_| (1, 0))?;
        Ok(*self.kv_stored.insert(usage))
    }

    /// Replaces `key`'s value in this call's changes, keeping the running usage in step.
    /// What replacing `key`'s value with `value` changes in the activity's usage: (entries,
    /// quota bytes).
    fn kv_delta(&mut self, key: &str, value: Option<&[u8]>) -> Result<(isize, isize), Stop> {
        let old = self.kv_value(key)?;
        let size = |v: Option<&[u8]>| v.map_or(0, |v| Limits::kv_entry_bytes(key.len(), v.len()) as isize);
        Ok((value.is_some() as isize - old.is_some() as isize, size(value) - size(old.as_deref())))
    }

    /// Records a change of this call, with its effect on the usage.
    fn kv_change(&mut self, key: String, value: Option<Vec<u8>>, (entries, bytes): (isize, isize)) {
        self.kv_delta_entries += entries;
        self.kv_delta_bytes += bytes;
        self.kv_overlay.insert(key, value);
    }
}

/// A trap that stops the call, from a host function.
fn stop(s: Stop) -> wasmtime::Error {
    wasmtime::Error::new(s)
}

impl types::Host for HostState {}

impl host::Host for HostState {
    fn log(&mut self, level: LogLevel, message: String) -> wasmtime::Result<()> {
        self.host_call();
        super::plugin_log::write(&self.ctx.plugin, &self.ctx.activity, level, &message);
        Ok(())
    }

    fn kv_get(&mut self, key: String) -> wasmtime::Result<Option<Vec<u8>>> {
        self.host_call();
        self.read_shared = true;
        let value = self.kv_value(&key).map_err(stop)?;
        self.fuel_debt += value.as_ref().map_or(0, |v| v.len() as u64 * FUEL_PER_BYTE);
        Ok(value)
    }

    fn kv_set(&mut self, key: String, value: Vec<u8>) -> wasmtime::Result<Result<(), KvError>> {
        self.host_call();
        if key.len() > self.kv_max_key || value.len() > self.kv_max_value {
            return Ok(Err(KvError::TooLarge));
        }
        // Whether it fits depends on what is stored: the verdict rests on it.
        self.read_shared = true;
        let stored = self.kv_stored_usage().map_err(stop)?;
        let delta = self.kv_delta(&key, Some(&value)).map_err(stop)?;
        let bytes_after = stored.quota_bytes() as isize + self.kv_delta_bytes + delta.1;
        let entries_after = stored.entries as isize + self.kv_delta_entries + delta.0;
        if bytes_after > self.kv_quota as isize || entries_after > self.kv_max_entries as isize {
            return Ok(Err(KvError::QuotaExceeded));
        }
        self.kv_change(key, Some(value), delta);
        Ok(Ok(()))
    }

    fn kv_delete(&mut self, key: String) -> wasmtime::Result<()> {
        self.host_call();
        let delta = self.kv_delta(&key, None).map_err(stop)?;
        self.kv_change(key, None, delta);
        Ok(())
    }

    fn contributions(&mut self, kind: Option<String>, cursor: Option<String>, limit: u32) -> wasmtime::Result<ContributionPage> {
        self.host_call();
        self.read_shared = true;
        let rows_left = self.budget.read_rows.saturating_sub(self.spent.read_rows);
        let bytes_left = self.budget.read_bytes.saturating_sub(self.spent.read_bytes);
        let limit = limit.clamp(1, 500).min(rows_left.clamp(1, u32::MAX as usize) as u32);
        let max_bytes = super::limits::PAGE_BYTES.min(bytes_left.max(1));
        let read = self.read(
            "contributions",
            |ctx, timeout| ctx.contributions.page(kind.as_deref(), cursor.as_deref(), limit, max_bytes, timeout),
            |p| (p.rows, p.page.items.iter().map(contribution_bytes).sum()),
        );
        Ok(read.map_err(stop)?.page)
    }

    fn now(&mut self) -> wasmtime::Result<String> {
        self.host_call();
        self.read_clock = true;
        Ok(self.ctx.now.clone())
    }

    fn random_seed(&mut self) -> wasmtime::Result<Vec<u8>> {
        self.host_call();
        Ok(self.ctx.seed.clone())
    }

    fn notify(&mut self, participant: String, subject: Localized, body: Localized) -> wasmtime::Result<Result<(), NotifyError>> {
        self.host_call();
        if self.notifications.len() >= MAX_NOTIFICATIONS {
            return Ok(Err(NotifyError::Refused("too many notifications in one call".into())));
        }
        self.notifications.push((participant, subject, body));
        Ok(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::host::Host;
    use super::*;

    /// The quota counts what is stored plus this call's changes, a replaced value once, and
    /// a fixed overhead per entry.
    #[test]
    fn the_quota_counts_stored_data_and_this_calls_changes() {
        let stored: BTreeMap<String, Vec<u8>> = [("a".to_string(), vec![0; 10])].into();
        let ctx = CallContext { kv: Arc::new(stored), ..CallContext::empty() };
        let o = super::super::limits::KV_ENTRY_OVERHEAD;
        let limits = Limits { kv_quota_bytes: 2 * o + 30, ..Limits::default() };
        let mut state = HostState::new(ctx, &limits);
        assert_eq!(state.kv_get("a".into()).unwrap(), Some(vec![0; 10]));
        assert!(state.kv_set("a".into(), vec![1; 20]).unwrap().is_ok(), "21 bytes replace 11");
        assert!(state.kv_set("b".into(), vec![2; 8]).unwrap().is_ok(), "a second entry: its overhead and 9 bytes");
        assert!(matches!(state.kv_set("c".into(), vec![]).unwrap(), Err(KvError::QuotaExceeded)), "an empty value still costs its entry");
        state.kv_delete("a".into()).unwrap();
        assert_eq!(state.kv_get("a".into()).unwrap(), None);
        assert!(state.kv_set("c".into(), vec![1; 20]).unwrap().is_ok(), "the deleted entry no longer counts");
        let effects = state.effects(0);
        assert!(effects.read_shared);
        assert_eq!(effects.kv.get("a"), Some(&None));
        assert_eq!(effects.kv.get("c").unwrap().as_ref().map(Vec::len), Some(20));
    }

    #[test]
    fn the_number_of_entries_is_capped() {
        let limits = Limits { kv_max_entries: 3, ..Limits::default() };
        let mut state = HostState::new(CallContext::empty(), &limits);
        for key in ["a", "b", "c"] {
            assert!(state.kv_set(key.into(), vec![]).unwrap().is_ok());
        }
        assert!(matches!(state.kv_set("d".into(), vec![]).unwrap(), Err(KvError::QuotaExceeded)));
        assert!(state.kv_set("a".into(), vec![1]).unwrap().is_ok(), "replacing an entry adds none");
    }

    /// Pages stop at the byte bound but always move on; the call's row and byte budgets
    /// stop it with an error that names the budget, never with a silently short answer.
    #[test]
    fn pages_are_bounded_by_bytes_and_calls_by_their_budget() {
        let big = |i: usize| types::Contribution {
            id: i.to_string(),
            submitter: "s".into(),
            kind: "k".into(),
            body: "x".repeat(500_000),
            channel: types::Channel::Online,
            language: "en".into(),
            created_at: "2027-01-01T00:00:00Z".into(),
        };
        let all: Vec<types::Contribution> = (0..10).map(big).collect();
        let ctx = CallContext { contributions: Arc::new(all), ..CallContext::empty() };
        let mut limits = Limits::default();
        limits.interactive.read_bytes = 2 << 20;
        let mut state = HostState::new(ctx, &limits);
        let first = state.contributions(None, None, 500).unwrap();
        assert_eq!(first.items.len(), 2, "two of 500 kB fit in a page of 1 MiB");
        let second = state.contributions(None, first.next_cursor, 500).unwrap();
        assert_eq!(second.items.len(), 2);
        let err = state.contributions(None, second.next_cursor, 500).unwrap_err();
        assert!(matches!(err.downcast_ref::<Stop>(), Some(Stop::OverBudget { what: "bytes read", .. })), "{err}");

        let err = state.contributions(None, Some("not-a-cursor".into()), 1).unwrap_err();
        assert!(matches!(err.downcast_ref::<Stop>(), Some(Stop::InvalidArgument { function: "contributions", .. })), "{err}");
    }

    #[test]
    fn a_page_of_sizes_takes_at_least_one_and_stops_at_the_bound() {
        assert_eq!(within_bytes(&[10, 10, 10], 500, 25), 2);
        assert_eq!(within_bytes(&[100, 1], 500, 25), 1, "one oversized item still moves the page on");
        assert_eq!(within_bytes(&[1, 1, 1], 2, 100), 2);
        assert_eq!(within_bytes(&[], 5, 100), 0);
    }
}
