//! CPU time spent by the current thread: what a piece of work cost, unlike wall-clock time,
//! which also counts waiting for the database and for other threads on a busy machine.

use std::time::Duration;

/// A point on the current thread's CPU clock.
pub struct ThreadCpu(Duration);

impl ThreadCpu {
    pub fn now() -> ThreadCpu {
        ThreadCpu(thread_cpu_time())
    }

    /// CPU time this thread spent since `now`; call it on the same thread.
    pub fn elapsed(&self) -> Duration {
        thread_cpu_time().saturating_sub(self.0)
    }
}

#[cfg(unix)]
fn thread_cpu_time() -> Duration {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `t` is a valid timespec to write into; the clock id is a constant of the platform.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) } == 0;
    if ok { Duration::new(t.tv_sec as u64, t.tv_nsec as u32) } else { Duration::ZERO }
}

/// Without a per-thread CPU clock, the process's monotonic clock stands in.
#[cfg(not(unix))]
fn thread_cpu_time() -> Duration {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sleeping_costs_no_cpu_and_working_does() {
        let sleeping = ThreadCpu::now();
        std::thread::sleep(Duration::from_millis(50));
        assert!(sleeping.elapsed() < Duration::from_millis(20), "{:?}", sleeping.elapsed());
        let working = ThreadCpu::now();
        let started = std::time::Instant::now();
        let mut x = 0u64;
        while working.elapsed() < Duration::from_millis(10) {
            assert!(started.elapsed() < Duration::from_secs(10), "the CPU clock does not advance with work");
            x = std::hint::black_box(x.wrapping_add(1));
        }
    }
}
