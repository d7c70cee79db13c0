//! Plugin log lines, within a budget per activity type. A plugin may log from every call, and
//! anyone can make calls (each contribution, each results view), so a per-call cap alone lets
//! many requests flood the operator's log. Each type gets a bucket of lines shared by all its
//! calls on this server: a burst, then a steady rate. Lines over the budget are dropped and
//! counted, and the log says how many: at the first, then every [`REPORT_EVERY`] or
//! [`REPORT_BATCH`] lines while they keep coming, and with the next line that gets through.
//! Each line is an
//! [`excerpt`](crate::domain::plugin_text::excerpt): one line, escaped, a few hundred bytes.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

use super::bindings::convene::activity::host::LogLevel;
use crate::domain::plugin_text::excerpt;

/// Lines a type may log at once, after a quiet spell.
pub const BURST: f64 = 60.0;
/// Lines per second a type may log for as long as it likes.
pub const PER_SECOND: f64 = 1.0;
/// How often, at most, the log says that lines are being dropped.
pub const REPORT_EVERY: Duration = Duration::from_secs(10);
/// How many dropped lines, at most, before the log says so.
pub const REPORT_BATCH: u64 = 1_000;

/// One type's budget.
#[derive(Debug)]
struct Bucket {
    tokens: f64,
    refilled: Instant,
    dropped: u64,
    /// When dropped lines were last reported.
    reported: Option<Instant>,
}

impl Bucket {
    fn new(now: Instant) -> Bucket {
        Bucket { tokens: BURST, refilled: now, dropped: 0, reported: None }
    }
}

/// What to do with one line.
#[derive(Debug, PartialEq, Eq)]
struct Decision {
    write: bool,
    /// Lines dropped since the last report, to report now.
    report_dropped: Option<u64>,
}

impl Bucket {
    fn take(&mut self, now: Instant) -> Decision {
        let elapsed = now.saturating_duration_since(self.refilled).as_secs_f64();
        self.tokens = (self.tokens + elapsed * PER_SECOND).min(BURST);
        self.refilled = now;
        let write = self.tokens >= 1.0;
        if write {
            self.tokens -= 1.0;
        } else {
            self.dropped += 1;
        }
        let due = write || self.dropped >= REPORT_BATCH || self.reported.is_none_or(|at| now.saturating_duration_since(at) >= REPORT_EVERY);
        let report_dropped = (self.dropped > 0 && due).then(|| {
            self.reported = Some(now);
            std::mem::take(&mut self.dropped)
        });
        Decision { write, report_dropped }
    }
}

static BUCKETS: LazyLock<Mutex<HashMap<String, Bucket>>> = LazyLock::new(Default::default);

/// Writes one line a plugin logged, if its type's budget allows.
pub fn write(plugin: &str, activity: &str, level: LogLevel, message: &str) {
    let decision = {
        let mut buckets = BUCKETS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let now = Instant::now();
        // Installed types are few; the map holds one small entry per type ever seen.
        buckets.entry(plugin.to_string()).or_insert_with(|| Bucket::new(now)).take(now)
    };
    if let Some(dropped) = decision.report_dropped {
        tracing::warn!(
            target: "plugin",
            plugin,
            dropped,
            "dropped {dropped} log lines of this plugin: over its budget of {BURST} lines at once, then {PER_SECOND} per second"
        );
    }
    if !decision.write {
        return;
    }
    let message = excerpt(message);
    match level {
        LogLevel::Debug => tracing::debug!(target: "plugin", plugin, activity, "{message}"),
        LogLevel::Info => tracing::info!(target: "plugin", plugin, activity, "{message}"),
        LogLevel::Warn => tracing::warn!(target: "plugin", plugin, activity, "{message}"),
        LogLevel::Error => tracing::error!(target: "plugin", plugin, activity, "{message}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_type_gets_a_burst_then_a_steady_rate_and_dropped_lines_are_reported() {
        let start = Instant::now();
        let mut b = Bucket::new(start);
        for _ in 0..BURST as usize {
            assert_eq!(b.take(start), Decision { write: true, report_dropped: None });
        }
        // The first dropped line is reported at once, the next ones only every REPORT_EVERY.
        assert_eq!(b.take(start), Decision { write: false, report_dropped: Some(1) });
        for _ in 1..REPORT_BATCH {
            assert_eq!(b.take(start), Decision { write: false, report_dropped: None });
        }
        assert_eq!(b.take(start), Decision { write: false, report_dropped: Some(REPORT_BATCH) }, "a batch is reported at once");
        for _ in 0..10 {
            assert_eq!(b.take(start), Decision { write: false, report_dropped: None });
        }
        let later = start + REPORT_EVERY;
        // Refilled by PER_SECOND over REPORT_EVERY: the next line passes and reports the rest.
        assert_eq!(b.take(later), Decision { write: true, report_dropped: Some(10) });
        let refill = (REPORT_EVERY.as_secs_f64() * PER_SECOND) as usize - 1;
        for _ in 0..refill {
            assert!(b.take(later).write);
        }
        assert!(!b.take(later).write, "no more than the steady rate");
        // A quiet spell refills the burst, never beyond it.
        let quiet = later + Duration::from_secs(3_600);
        let passed = (0..(BURST as usize * 2)).filter(|_| b.take(quiet).write).count();
        assert_eq!(passed, BURST as usize);
    }
}
