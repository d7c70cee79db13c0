//! What the host gives a plugin during one call: logging, its activity's key-value data,
//! its contributions, the time and a recorded seed. Nothing else is linked, so nothing else is
//! reachable. Key-value writes are kept aside and handed to the caller only when the call
//! succeeds: a call that traps changes nothing.

use std::collections::BTreeMap;
use std::sync::Arc;

use wasmtime::ResourceLimiter;

use super::bindings::convene::activity::host::{self, KvError, LogLevel, NotifyError};
use super::bindings::convene::activity::types::{self, ContributionPage, Localized};
use super::limits::Limits;

/// Where a call reads the activity's contributions from. An error (the database went away)
/// fails the call as the host's fault, not the plugin's.
pub trait ContributionSource: Send + Sync {
    fn page(&self, kind: Option<&str>, cursor: Option<&str>, limit: u32) -> Result<ContributionPage, String>;
}

/// Contributions held in memory (tests, and calls that need none).
impl ContributionSource for Vec<types::Contribution> {
    fn page(&self, kind: Option<&str>, cursor: Option<&str>, limit: u32) -> Result<ContributionPage, String> {
        let start: usize = cursor.and_then(|c| c.parse().ok()).unwrap_or(0);
        let matching: Vec<&types::Contribution> = self.iter().filter(|c| kind.is_none_or(|k| c.kind == k)).collect();
        let end = (start + limit.clamp(1, 500) as usize).min(matching.len());
        Ok(ContributionPage {
            items: matching[start.min(end)..end].iter().map(|c| (*c).clone()).collect(),
            next_cursor: (end < matching.len()).then(|| end.to_string()),
        })
    }
}

/// Where a call reads the activity's key-value data from, key by key as the plugin asks.
pub trait KvSource: Send + Sync {
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, String>;
    /// Bytes of all keys and values stored, for the quota.
    fn stored_bytes(&self) -> Result<usize, String>;
}

/// Key-value data held in memory (tests, and calls that need none).
impl KvSource for BTreeMap<String, Vec<u8>> {
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, String> {
        Ok(BTreeMap::get(self, key).cloned())
    }

    fn stored_bytes(&self) -> Result<usize, String> {
        Ok(self.iter().map(|(k, v)| k.len() + v.len()).sum())
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

pub struct HostState {
    pub(super) store_limits: MemoryCap,
    ctx: CallContext,
    kv_overlay: KvChanges,
    /// Stored values read so far (None: not stored).
    kv_read: BTreeMap<String, Option<Vec<u8>>>,
    kv_stored_bytes: Option<usize>,
    kv_quota: usize,
    kv_max_key: usize,
    kv_max_value: usize,
    notifications: Vec<Notification>,
    read_shared: bool,
    /// Set when the plugin broke a rule that does not trap (e.g. an over-long key).
    pub violation: Option<String>,
    /// Set when the host could not serve a request (its database failed).
    pub host_failure: Option<String>,
}

impl HostState {
    pub fn new(ctx: CallContext, limits: &Limits) -> HostState {
        HostState {
            store_limits: MemoryCap { max_bytes: limits.memory_bytes as usize, refused: false },
            ctx,
            kv_overlay: BTreeMap::new(),
            kv_read: BTreeMap::new(),
            kv_stored_bytes: None,
            kv_quota: limits.kv_quota_bytes,
            kv_max_key: limits.kv_max_key_bytes,
            kv_max_value: limits.kv_max_value_bytes,
            notifications: Vec::new(),
            read_shared: false,
            violation: None,
            host_failure: None,
        }
    }

    pub(super) fn memory_refused(&self) -> bool {
        self.store_limits.refused
    }

    pub fn effects(self) -> CallEffects {
        CallEffects { kv: self.kv_overlay, read_shared: self.read_shared, notifications: self.notifications }
    }

    /// A failure of the host's own storage fails the call (as the host's fault); the plugin
    /// meanwhile sees nothing stored.
    fn host_failed(&mut self, problem: String) {
        self.host_failure.get_or_insert(problem);
    }

    fn stored(&mut self, key: &str) -> Option<Vec<u8>> {
        if let Some(known) = self.kv_read.get(key) {
            return known.clone();
        }
        let value = self.ctx.kv.get(key).unwrap_or_else(|problem| {
            self.host_failed(problem);
            None
        });
        self.kv_read.insert(key.to_string(), value.clone());
        value
    }

    fn kv_value(&mut self, key: &str) -> Option<Vec<u8>> {
        match self.kv_overlay.get(key) {
            Some(change) => change.clone(),
            None => self.stored(key),
        }
    }

    /// Bytes the activity would use without `key`: what is stored, with this call's changes.
    fn kv_used_without(&mut self, key: &str) -> usize {
        let total = match self.kv_stored_bytes {
            Some(total) => total,
            None => {
                let total = self.ctx.kv.stored_bytes().unwrap_or_else(|problem| {
                    self.host_failed(problem);
                    0
                });
                *self.kv_stored_bytes.insert(total)
            }
        };
        let mut changed: std::collections::BTreeSet<String> = self.kv_overlay.keys().cloned().collect();
        changed.insert(key.to_string());
        let replaced: usize = changed.iter().map(|k| self.stored(k).map_or(0, |v| k.len() + v.len())).sum();
        let added: usize = self.kv_overlay.iter().filter(|(k, _)| k.as_str() != key).map(|(k, v)| v.as_ref().map_or(0, |v| k.len() + v.len())).sum();
        total.saturating_sub(replaced) + added
    }
}

impl types::Host for HostState {}

impl host::Host for HostState {
    fn log(&mut self, level: LogLevel, message: String) {
        super::plugin_log::write(&self.ctx.plugin, &self.ctx.activity, level, &message);
    }

    fn kv_get(&mut self, key: String) -> Option<Vec<u8>> {
        self.read_shared = true;
        self.kv_value(&key)
    }

    fn kv_set(&mut self, key: String, value: Vec<u8>) -> Result<(), KvError> {
        if key.len() > self.kv_max_key || value.len() > self.kv_max_value {
            return Err(KvError::TooLarge);
        }
        if self.kv_used_without(&key) + key.len() + value.len() > self.kv_quota {
            return Err(KvError::QuotaExceeded);
        }
        self.kv_overlay.insert(key, Some(value));
        Ok(())
    }

    fn kv_delete(&mut self, key: String) {
        self.kv_overlay.insert(key, None);
    }

    fn contributions(&mut self, kind: Option<String>, cursor: Option<String>, limit: u32) -> ContributionPage {
        self.read_shared = true;
        match self.ctx.contributions.page(kind.as_deref(), cursor.as_deref(), limit.min(500)) {
            Ok(page) => page,
            Err(problem) => {
                self.host_failure.get_or_insert(problem);
                ContributionPage { items: Vec::new(), next_cursor: None }
            }
        }
    }

    fn now(&mut self) -> String {
        self.ctx.now.clone()
    }

    fn random_seed(&mut self) -> Vec<u8> {
        self.ctx.seed.clone()
    }

    fn notify(&mut self, participant: String, subject: Localized, body: Localized) -> Result<(), NotifyError> {
        if self.notifications.len() >= MAX_NOTIFICATIONS {
            return Err(NotifyError::Refused("too many notifications in one call".into()));
        }
        self.notifications.push((participant, subject, body));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::host::Host;
    use super::*;

    /// The quota counts what is stored plus this call's changes, a replaced value once.
    #[test]
    fn the_quota_counts_stored_data_and_this_calls_changes() {
        let stored: BTreeMap<String, Vec<u8>> = [("a".to_string(), vec![0; 10])].into();
        let ctx = CallContext { kv: Arc::new(stored), ..CallContext::empty() };
        let limits = Limits { kv_quota_bytes: 30, ..Limits::default() };
        let mut state = HostState::new(ctx, &limits);
        assert_eq!(state.kv_get("a".into()), Some(vec![0; 10]));
        assert!(state.kv_set("a".into(), vec![1; 20]).is_ok(), "21 bytes replace 11");
        assert!(state.kv_set("a".into(), vec![2; 29]).is_ok(), "30 bytes fit exactly");
        assert!(matches!(state.kv_set("b".into(), vec![1; 1]), Err(KvError::QuotaExceeded)));
        state.kv_delete("a".into());
        assert_eq!(state.kv_get("a".into()), None);
        assert!(state.kv_set("b".into(), vec![1; 29]).is_ok(), "the deleted key no longer counts");
        let effects = state.effects();
        assert!(effects.read_shared);
        assert_eq!(effects.kv.get("a"), Some(&None));
        assert_eq!(effects.kv.get("b").unwrap().as_ref().map(Vec::len), Some(29));
    }
}
