//! Sandbox limits for plugin calls.
//!
//! Every call has a budget: fuel for the WebAssembly it runs (deterministic: the same call
//! costs the same whatever the machine's load), what it may make the host read for it (bytes
//! handed to the guest, rows, database time), and a wall-clock deadline that is only a
//! generous backstop. Calls come in two classes with their own budgets: interactive ones
//! answer a person who waits (describe, configuration and contribution checks, forms), and
//! background ones summarise a whole activity (results, phase changes).

use std::time::Duration;

/// What one call may spend before it is stopped.
#[derive(Clone, Debug, PartialEq)]
pub struct CallBudget {
    /// Wall-clock backstop: fuel normally stops a call long before this.
    pub deadline: Duration,
    /// Fuel, about one unit per WebAssembly instruction; host calls are charged too.
    pub fuel: u64,
    /// Bytes the host may hand to the guest (contributions, key-value reads).
    pub read_bytes: usize,
    /// Rows the host may read from the database for it.
    pub read_rows: usize,
    /// Time the host may spend in the database for it.
    pub database_time: Duration,
}

/// Which budget a call gets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CallClass {
    /// Someone waits for the answer: describe, validate-config, contribution-form,
    /// validate-contribution.
    #[default]
    Interactive,
    /// Over a whole activity, cached or run by the job worker: compute-results,
    /// on-phase-change.
    Background,
}

impl CallClass {
    /// The class of an export, by its WIT name.
    pub fn of_export(export: &str) -> CallClass {
        match export {
            "compute-results" | "on-phase-change" => CallClass::Background,
            _ => CallClass::Interactive,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Limits {
    pub interactive: CallBudget,
    pub background: CallBudget,
    /// Linear memory per instance (default 64 MiB).
    pub memory_bytes: u64,
    /// Instances alive at once across the process (pooling allocator slots).
    pub max_live_instances: u32,
    /// Calls of one activity type running at once: one type cannot take every instance
    /// slot, nor the database connections its host calls use.
    pub max_calls_per_type: u32,
    /// Key-value storage per activity: bytes of keys and values plus a fixed overhead per
    /// entry ([`KV_ENTRY_OVERHEAD`]).
    pub kv_quota_bytes: usize,
    pub kv_max_entries: usize,
    pub kv_max_key_bytes: usize,
    pub kv_max_value_bytes: usize,
    /// Largest results or form a plugin may hand back (bodies and configurations have the
    /// limits of what people send, see `app::plugin_output`).
    pub max_output_bytes: usize,
}

/// What an entry costs the quota besides its key and value: the row, its index entry, the
/// activity id. Without it, a flood of empty values would be free.
pub const KV_ENTRY_OVERHEAD: usize = 64;

/// A page of contributions handed to a plugin holds at most this many bytes (and at least
/// one contribution), however many rows it asked for.
pub const PAGE_BYTES: usize = 1 << 20;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            // Fuel from BENCHMARKS.md ("Plugin fuel"): the largest realistic interactive call,
            // a citizen panel's draw over 2,000 volunteers, needs 0.49 billion; results over
            // 100,000 consultation answers need 1.15 billion.
            interactive: CallBudget {
                deadline: Duration::from_secs(2),
                fuel: 2_000_000_000,
                read_bytes: 32 << 20,
                read_rows: 50_000,
                database_time: Duration::from_secs(1),
            },
            background: CallBudget {
                deadline: Duration::from_secs(60),
                fuel: 10_000_000_000,
                read_bytes: 512 << 20,
                read_rows: 2_000_000,
                database_time: Duration::from_secs(30),
            },
            memory_bytes: 64 << 20,
            max_live_instances: 64,
            max_calls_per_type: 16,
            kv_quota_bytes: 1 << 20,
            kv_max_entries: 10_000,
            kv_max_key_bytes: 256,
            kv_max_value_bytes: 64 << 10,
            max_output_bytes: 1 << 20,
        }
    }
}

impl Limits {
    pub fn budget(&self, class: CallClass) -> &CallBudget {
        match class {
            CallClass::Interactive => &self.interactive,
            CallClass::Background => &self.background,
        }
    }

    /// Bytes an activity's key-value entry counts against the quota.
    pub fn kv_entry_bytes(key: usize, value: usize) -> usize {
        KV_ENTRY_OVERHEAD + key + value
    }
}

impl CallBudget {
    pub(super) fn deadline_ticks(&self, tick: Duration) -> u64 {
        (self.deadline.as_micros() / tick.as_micros().max(1)).max(1) as u64 + 1
    }
}
