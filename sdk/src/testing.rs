//! Run a plugin's logic natively with `cargo test`, against an in-memory fake host: its
//! key-value store, contributions, time and seed are yours to set, and what the plugin logged
//! or asked to notify is yours to check. No server, no WebAssembly.
//!
//! ```ignore
//! let mut h = Harness::<IdeaBox>::new(json!({ "max_ideas": 3 })).unwrap();
//! assert!(h.contribute("idea", json!({ "title": "More benches" })).is_accepted());
//! let results = h.results().unwrap();
//! ```

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::marker::PhantomData;

use serde_json::Value;

use crate::types::*;
use crate::{Activity, parse_config};

/// The fake host's state, per test thread.
#[derive(Clone, Debug)]
pub struct FakeHost {
    pub kv: BTreeMap<String, Vec<u8>>,
    /// Total bytes of keys and values allowed, like the real host's quota.
    pub kv_quota_bytes: usize,
    pub contributions: Vec<Contribution>,
    pub now: String,
    pub seed: Vec<u8>,
    pub logs: Vec<(LogLevel, String)>,
    pub notifications: Vec<(String, Localized, Localized)>,
}

impl Default for FakeHost {
    fn default() -> Self {
        FakeHost {
            kv: BTreeMap::new(),
            kv_quota_bytes: 1024 * 1024,
            contributions: Vec::new(),
            now: "2027-01-15T10:00:00Z".into(),
            seed: vec![7; 32],
            logs: Vec::new(),
            notifications: Vec::new(),
        }
    }
}

thread_local! {
    static HOST: RefCell<FakeHost> = RefCell::new(FakeHost::default());
}

/// Reads or changes the fake host of this thread.
pub fn with_host<R>(f: impl FnOnce(&mut FakeHost) -> R) -> R {
    HOST.with(|h| f(&mut h.borrow_mut()))
}

/// Drives one activity type against the fake host, the way the server would.
pub struct Harness<A: Activity> {
    config: A::Config,
    next_id: u64,
    _activity: PhantomData<A>,
}

impl Validation {
    pub fn is_accepted(&self) -> bool {
        matches!(self, Validation::Accepted(_))
    }

    /// The field errors of a rejection (empty when accepted).
    pub fn errors(&self) -> Vec<FieldError> {
        match self {
            Validation::Rejected(e) => e.clone(),
            Validation::Accepted(_) => vec![],
        }
    }
}

impl<A: Activity> Harness<A> {
    /// Checks the configuration as the host would and starts with a fresh fake host.
    pub fn new(config: Value) -> Result<Harness<A>, Vec<FieldError>> {
        let config = parse_config::<A>(&config.to_string())?;
        with_host(|h| *h = FakeHost::default());
        Ok(Harness { config, next_id: 0, _activity: PhantomData })
    }

    pub fn config(&self) -> &A::Config {
        &self.config
    }

    /// Validates a body as the host would (JSON round trip included), from a participant
    /// contributing online (pseudonym `p1`); when accepted, stores the normalised body as a
    /// contribution the plugin can read back.
    pub fn contribute(&mut self, kind: &str, body: Value) -> Validation {
        self.contribute_as(kind, body, &Submitter::participant("p1"))
    }

    /// The same input arriving through another channel (a facilitator's paper entry, say).
    pub fn contribute_via(&mut self, kind: &str, body: Value, channel: Channel) -> Validation {
        self.contribute_as(kind, body, &Submitter { channel, ..Submitter::participant("p1") })
    }

    /// Validates a body from a given submitter (pseudonym, role, channel).
    pub fn contribute_as(&mut self, kind: &str, body: Value, by: &Submitter) -> Validation {
        let body: Value = serde_json::from_str(&body.to_string()).expect("JSON round trip");
        let verdict = A::validate_contribution(&self.config, kind, &body, by);
        if let Validation::Accepted(normalised) = &verdict {
            self.next_id += 1;
            let id = format!("c{}", self.next_id);
            with_host(|h| {
                h.contributions.push(Contribution {
                    id,
                    submitter: by.id.clone(),
                    kind: kind.to_string(),
                    body: normalised.clone(),
                    channel: by.channel,
                    language: "en".into(),
                    created_at: h.now.clone(),
                })
            });
        }
        verdict
    }

    pub fn phase_change(&self, phase: &str) -> Result<(), String> {
        A::on_phase_change(&self.config, phase)
    }

    pub fn results(&self) -> Result<Results, String> {
        A::compute_results(&self.config)
    }

    pub fn form(&self, kind: &str) -> Result<Vec<FormField>, Vec<FieldError>> {
        A::contribution_form(&self.config, kind)
    }
}

/// The fake host behind [`crate::host`] in native builds.
pub mod host_impl {
    use super::with_host;
    use crate::types::*;

    pub fn log(level: LogLevel, message: &str) {
        with_host(|h| h.logs.push((level, message.to_string())))
    }

    pub fn kv_get(key: &str) -> Option<Vec<u8>> {
        with_host(|h| h.kv.get(key).cloned())
    }

    pub fn kv_set(key: &str, value: &[u8]) -> Result<(), KvError> {
        with_host(|h| {
            if key.len() > 256 || value.len() > 64 * 1024 {
                return Err(KvError::TooLarge);
            }
            let used: usize = h.kv.iter().filter(|(k, _)| k.as_str() != key).map(|(k, v)| k.len() + v.len()).sum();
            if used + key.len() + value.len() > h.kv_quota_bytes {
                return Err(KvError::QuotaExceeded);
            }
            h.kv.insert(key.to_string(), value.to_vec());
            Ok(())
        })
    }

    pub fn kv_delete(key: &str) {
        with_host(|h| {
            h.kv.remove(key);
        })
    }

    pub fn contributions(kind: Option<&str>, cursor: Option<&str>, limit: u32) -> ContributionPage {
        with_host(|h| {
            let start: usize = cursor.and_then(|c| c.parse().ok()).unwrap_or(0);
            let matching: Vec<&Contribution> = h.contributions.iter().filter(|c| kind.is_none_or(|k| c.kind == k)).collect();
            let end = (start + limit.clamp(1, 500) as usize).min(matching.len());
            ContributionPage {
                items: matching[start.min(end)..end].iter().map(|c| (*c).clone()).collect(),
                next_cursor: (end < matching.len()).then(|| end.to_string()),
            }
        })
    }

    pub fn now() -> String {
        with_host(|h| h.now.clone())
    }

    pub fn random_seed() -> Vec<u8> {
        with_host(|h| h.seed.clone())
    }

    pub fn notify(participant: &str, subject: &Localized, body: &Localized) -> Result<(), String> {
        with_host(|h| h.notifications.push((participant.to_string(), subject.clone(), body.clone())));
        Ok(())
    }
}
