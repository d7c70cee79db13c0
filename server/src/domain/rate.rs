//! Rules of rate limiting, with no I/O: what a limit is (a count per window), how long a
//! password sign-in waits after repeated failures, and which key a client or a mailbox is
//! counted under. The counters themselves live in the database (app::limits), so that every
//! replica sees the same ones.

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use super::account::EmailAddress;

/// At most `count` events per `window`, written `COUNT/WINDOW` with the window in seconds,
/// minutes, hours or days: `5/15m`, `60/1h`, `1000/1d`.
///
/// Enforced as a generic cell rate (GCRA): a burst of `count` is allowed at once, then one
/// more every `window / count`, so there is no window edge where twice the limit gets through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    pub count: u32,
    pub window: Duration,
}

impl Rate {
    /// Parses `COUNT/WINDOW`; the error says what is expected.
    pub fn parse(raw: &str) -> Result<Rate, String> {
        let expected = || format!("`{raw}` is not a rate like 5/15m (a count, a slash, a window in s, m, h or d)");
        let (count, window) = raw.trim().split_once('/').ok_or_else(expected)?;
        let count: u32 = count.trim().parse().map_err(|_| expected())?;
        if count == 0 {
            return Err(format!("`{raw}`: the count must be at least 1 (write \"off\" to switch the limit off)"));
        }
        let window = parse_duration(window.trim()).ok_or_else(expected)?;
        if window < Duration::from_secs(1) || window > Duration::from_secs(7 * 86_400) {
            return Err(format!("`{raw}`: the window must be between 1s and 7d"));
        }
        if count as u128 > window.as_millis() {
            return Err(format!("`{raw}`: at most one event per millisecond can be counted"));
        }
        Ok(Rate { count, window })
    }

    /// Time between two events at the sustained rate, in milliseconds (at least 1).
    pub fn interval_ms(&self) -> i64 {
        (self.window.as_millis() as i64 / self.count as i64).max(1)
    }

    pub fn window_ms(&self) -> i64 {
        self.window.as_millis() as i64
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.count, format_duration(self.window))
    }
}

/// `30s`, `15m`, `1h`, `1d`.
pub fn parse_duration(raw: &str) -> Option<Duration> {
    let unit_at = raw.find(|c: char| !c.is_ascii_digit())?;
    let (n, unit) = raw.split_at(unit_at);
    let n: u64 = n.parse().ok()?;
    let seconds = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        _ => return None,
    };
    n.checked_mul(seconds).map(Duration::from_secs)
}

/// The largest whole unit that divides the duration: `900s` is `15m`.
pub fn format_duration(d: Duration) -> String {
    let s = d.as_secs();
    for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60)] {
        if s >= size && s % size == 0 {
            return format!("{}{unit}", s / size);
        }
    }
    format!("{s}s")
}

/// Waiting time in words for a problem's detail: "5 seconds", "3 minutes", "2 hours".
pub fn wait_in_words(seconds: u64) -> String {
    let (n, unit) = match seconds {
        0..=90 => (seconds.max(1), "second"),
        91..=5_400 => (seconds.div_ceil(60), "minute"),
        _ => (seconds.div_ceil(3_600), "hour"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

/// How long password sign-in waits after the `strikes`-th failure in a row when `free`
/// failures are allowed without waiting: 1 s after the first failure beyond them, doubling
/// with each further one, never more than `cap`.
pub fn backoff(strikes: u32, free: u32, cap: Duration) -> Duration {
    if strikes <= free {
        return Duration::ZERO;
    }
    let doublings = (strikes - free - 1).min(40);
    Duration::from_secs(1u64 << doublings).min(cap)
}

/// The mailbox an address delivers to, for counting: `ana+1@example.org` and
/// `ana+2@example.org` usually reach the same inbox, so they share one count.
pub fn mailbox_key(email: &EmailAddress) -> String {
    let (local, domain) = email.as_str().split_once('@').expect("a parsed address has an @");
    let local = local.split('+').next().filter(|l| !l.is_empty()).unwrap_or(local);
    format!("{local}@{domain}")
}

/// Where a request comes from, as far as this server can tell (see http::client_addr for how
/// proxies are taken into account).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

impl ClientAddress {
    /// The key a client is counted under. An IPv6 host usually holds a whole /64 and can pick
    /// any address in it, so IPv6 clients are counted per /64; IPv4-mapped addresses count as
    /// the IPv4 address they are.
    pub fn key(&self) -> String {
        match self.0 {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => v4.to_string(),
                None => {
                    let s = v6.segments();
                    format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
                }
            },
        }
    }
}

impl fmt::Display for ClientAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_parse_and_print_back() {
        let r = Rate::parse("5/15m").unwrap();
        assert_eq!(r, Rate { count: 5, window: Duration::from_secs(900) });
        assert_eq!(r.to_string(), "5/15m");
        assert_eq!(r.interval_ms(), 180_000);
        assert_eq!(Rate::parse(" 60 / 1h ").unwrap().to_string(), "60/1h");
        assert_eq!(Rate::parse("10/90s").unwrap().to_string(), "10/90s");
        for bad in ["", "5", "5/", "/15m", "0/1m", "-1/1m", "5/15", "5/15w", "5/0s", "5/8d", "x/1m", "5000/1s"] {
            assert!(Rate::parse(bad).is_err(), "{bad} should not parse");
        }
        assert!(Rate::parse("0/1m").unwrap_err().contains("off"));
    }

    #[test]
    fn backoff_doubles_after_the_free_failures_up_to_the_cap() {
        let cap = Duration::from_secs(900);
        let waits: Vec<u64> = (1..=16).map(|n| backoff(n, 5, cap).as_secs()).collect();
        assert_eq!(waits, [0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900]);
        assert_eq!(backoff(u32::MAX, 5, cap), cap);
        assert_eq!(backoff(1, 0, cap), Duration::from_secs(1));
    }

    #[test]
    fn plus_addresses_share_a_mailbox() {
        let key = |s: &str| mailbox_key(&EmailAddress::parse("email", s).unwrap());
        assert_eq!(key("Ana+News@Example.org"), "ana@example.org");
        assert_eq!(key("ana@example.org"), "ana@example.org");
        assert_eq!(key("+x@example.org"), "+x@example.org");
    }

    #[test]
    fn ipv6_clients_count_per_64() {
        let key = |s: &str| ClientAddress(s.parse().unwrap()).key();
        assert_eq!(key("203.0.113.7"), "203.0.113.7");
        assert_eq!(key("::ffff:203.0.113.7"), "203.0.113.7");
        assert_eq!(key("2001:db8:1:2:aaaa::1"), key("2001:db8:1:2:bbbb::9"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
    }

    #[test]
    fn waits_read_naturally() {
        assert_eq!(wait_in_words(0), "1 second");
        assert_eq!(wait_in_words(45), "45 seconds");
        assert_eq!(wait_in_words(600), "10 minutes");
        assert_eq!(wait_in_words(61 * 60), "61 minutes");
        assert_eq!(wait_in_words(7_200), "2 hours");
    }
}
