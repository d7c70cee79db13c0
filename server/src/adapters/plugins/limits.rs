//! Sandbox limits for plugin calls.

use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Limits {
    /// Wall-clock budget of one call (default 100 ms).
    pub deadline: Duration,
    /// Linear memory per instance (default 64 MiB).
    pub memory_bytes: u64,
    /// Instances alive at once across the process (pooling allocator slots).
    pub max_live_instances: u32,
    /// Key-value storage per activity: total bytes of keys and values.
    pub kv_quota_bytes: usize,
    pub kv_max_key_bytes: usize,
    pub kv_max_value_bytes: usize,
    /// Largest string a plugin may hand back (a normalised body, a configuration).
    pub max_output_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            deadline: Duration::from_millis(100),
            memory_bytes: 64 << 20,
            max_live_instances: 64,
            kv_quota_bytes: 1 << 20,
            kv_max_key_bytes: 256,
            kv_max_value_bytes: 64 << 10,
            max_output_bytes: 1 << 20,
        }
    }
}

impl Limits {
    pub(super) fn deadline_ticks(&self, tick: Duration) -> u64 {
        (self.deadline.as_micros() / tick.as_micros().max(1)).max(1) as u64 + 1
    }
}
