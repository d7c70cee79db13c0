//! A hostile activity type: each export misbehaves as its configuration says, so the host's
//! sandbox can be shown to contain it. `describe` loops forever when the host's clock reads
//! the Unix epoch, since it takes no configuration.

use std::hint::black_box;

use convene_sdk::{Activity, ActivityInfo, ContributionKind, FieldError, KvError, Localized, LogLevel, Results, Section, Submitter, SubmitterRole, Validation, Value, host};
use serde::{Deserialize, Serialize};

pub struct Hostile;

convene_sdk::export_activity!(Hostile);

#[derive(Serialize, Deserialize)]
pub struct Config {
    /// loop | memory | recursion | panic | huge-output | big-output | kv-flood | log-flood |
    /// error-10mb | none; in `validate-contribution` also notify-spam (the submitter, 200
    /// times in one call) and notify-all (everyone who contributed, on every contribution);
    /// or whoami (echoes what the plugin is told about the submitter). Against the host's
    /// budgets: reread (reads every contribution again and again), host-spin (calls the
    /// host in a loop), bad-cursor (hands the host a cursor it never gave out), kv-dust
    /// (stores empty values until refused). In validate-contribution, a body `{"pad": N}`
    /// is accepted as N bytes, so that a test can fill an activity. Output the host must
    /// bound: grow-body | nest-N (bodies), huge-results | deep-results (results). Results the
    /// host must cache: tally | clock. And version: accepts a contribution as the plugin's
    /// version, to show which version an activity runs.
    pub attack: String,
    /// Only in this export (e.g. `validate-contribution`), so that an activity can be created
    /// with the attack stored; every export when absent.
    #[serde(default)]
    pub during: Option<String>,
}

impl Config {
    fn attack_in(&self, export: &str) -> Option<String> {
        match &self.during {
            Some(only) if only != export => None,
            _ => attack(&self.attack),
        }
    }
}

/// A second build (feature `v2`) is a newer version, for the registry's upgrade tests.
const VERSION: &str = if cfg!(feature = "impostor") {
    "99.0.0"
} else if cfg!(feature = "v2") {
    "0.0.2"
} else {
    "0.0.1"
};

/// The impostor build (feature `impostor`) claims the built-in consultation's type id, as a
/// takeover would; the `bad-id` build declares a type id that would print a newline and
/// markup wherever it is shown, to spoof rows of `convene plugin list` or pages.
const TYPE_ID: &str = if cfg!(feature = "impostor") {
    "org.convene.consultation"
} else if cfg!(feature = "bad-id") {
    "test.hostile\nORG.CONVENE.FAKE 9.9.9 active builtin <b>x</b>"
} else {
    "test.hostile"
};

/// What a plugin may try to make the instance email: a subject that injects a header, a body
/// that imitates the host's own words and offers a link.
const SPAM_SUBJECT: &str = "Urgent: verify your account\r\nBcc: everyone@example.org";
const SPAM_BODY: &str = "Your account will be closed today.\n----- end of the message from the activity -----\nThe Convene team: sign in at https://evil.example/login to keep it.";

/// Where a failure's or a log line's text could forge a line of the operator's log.
const FORGED: &str = "\n2027-01-01T00:00:00.000000Z ERROR convene::forged: FORGED LOG LINE \x1b[2J\x1b[31mred";

// Unbounded on purpose: the host's stack limit must stop it.
#[allow(unconditional_recursion)]
fn recurse(depth: u64) -> u64 {
    black_box(recurse(black_box(depth + 1))) + 1
}

fn attack(how: &str) -> Option<String> {
    match how {
        "loop" => loop {
            std::hint::spin_loop();
        },
        "memory" => {
            let mut hoard: Vec<Vec<u8>> = Vec::new();
            loop {
                hoard.push(black_box(vec![1u8; 1 << 20]));
            }
        }
        "recursion" => Some(recurse(0).to_string()),
        "panic" => panic!("the hostile plugin panics on purpose"),
        "huge-output" => Some("x".repeat(100 << 20)),
        "big-output" => Some("x".repeat(8 << 20)),
        "reread" => loop {
            // Each pass reads the whole activity: only the call's budget stops it.
            black_box(host::contributions(None).count());
        },
        "host-spin" => loop {
            black_box(host::now());
        },
        "bad-cursor" => Some(host::contributions_page(None, Some("made-up-cursor"), 10).items.len().to_string()),
        "kv-dust" => {
            let prefix = host::now();
            for i in 0.. {
                if host::kv::set(&format!("{prefix}-{i}"), &[]).is_err() {
                    return Some(format!("refused after {i} empty values"));
                }
                if i == 99 {
                    return Some("stored 100 empty values".into());
                }
            }
            None
        }
        "version" => Some(VERSION.into()),
        "log-flood" => {
            for i in 0..1_000 {
                host::log(LogLevel::Error, &format!("hostile log line {i}{FORGED}{}", "x".repeat(5_000)));
            }
            None
        }
        "error-10mb" => Some(format!("HOSTILE-ERROR{FORGED}{}", "y\n".repeat(5 << 20))),
        "kv-flood" => {
            for i in 0.. {
                match host::kv::set(&format!("key-{i}"), &[0u8; 60 * 1024]) {
                    Ok(()) => {}
                    Err(KvError::QuotaExceeded) => return Some(format!("quota reached after {i} keys")),
                    Err(KvError::TooLarge) => return Some("too large".into()),
                }
            }
            None
        }
        _ => None,
    }
}

/// The largest body the host accepts from people, as JSON text (`MAX_BODY_BYTES`).
const BODY_LIMIT: usize = 64 << 10;

/// `n` arrays nested in each other around a number, built without recursion.
fn nested(n: usize) -> Value {
    (0..n).fold(Value::from(1), |inner, _| Value::Array(vec![inner]))
}

/// A body the host must refuse to store, or store so that it reads back equal.
fn body_attack(how: &str) -> Option<Value> {
    match how {
        // A tiny request normalised into a body one byte over the limit (65,535 x in quotes).
        "grow-body" => Some(Value::String("x".repeat(BODY_LIMIT - 1))),
        _ => how.strip_prefix("nest-").and_then(|n| n.parse().ok()).map(nested),
    }
}

/// Results the host must refuse, serve as they are, or compute only when the activity changes.
fn results_attack(how: &str) -> Option<Results> {
    let text = |title: &str, body: String| Section::Text { title: Localized::one("en", title), body: Localized(vec![("en".into(), body)]) };
    let sections = match how {
        // Ten rows of 1 MiB: 10 MiB of results.
        "huge-results" => vec![Section::Table { title: Localized::one("en", "Huge"), columns: vec![], rows: vec![vec!["x".repeat(1 << 20)]; 10] }],
        // Results are typed sections; the nearest thing to nesting is text that looks nested.
        "deep-results" => vec![text("Deep", nested(1000).to_string())],
        // What the host must recompute when a contribution arrives, and only then.
        "tally" => vec![text("Contributions", format!("{} contributions", host::contributions(None).count()))],
        // Depends on the time, not on the activity.
        "clock" => vec![text("Now", host::now())],
        _ => return None,
    };
    Some(Results { sections })
}

impl Activity for Hostile {
    type Config = Config;

    fn describe() -> ActivityInfo {
        if host::now().starts_with("1970-01-01") {
            attack("loop");
        }
        ActivityInfo {
            id: TYPE_ID.into(),
            name: Localized::one("en", "Hostile"),
            version: VERSION.into(),
            description: Localized::default(),
            contribution_kinds: vec![ContributionKind {
                id: "x".into(),
                name: Localized::one("en", "Anything"),
                description: Localized::default(),
                fields: vec![],
                remote_allowed: false,
                submitted_by: vec![],
            }, ContributionKind {
                id: "report".into(),
                name: Localized::one("en", "Facilitators' report"),
                description: Localized::default(),
                fields: vec![],
                remote_allowed: false,
                submitted_by: vec![SubmitterRole::Facilitator, SubmitterRole::Organiser],
            }],
            config_fields: vec![],
            results: vec![],
        }
    }

    fn validate_config(config: &Config) -> Result<(), Vec<FieldError>> {
        config.attack_in("validate-config");
        Ok(())
    }

    fn validate_contribution(config: &Config, _kind: &str, body: &Value, by: &Submitter) -> Validation {
        if let Some(n) = body.get("pad").and_then(Value::as_u64) {
            return Validation::Accepted(Value::String("x".repeat(n as usize)));
        }
        // Not an attack: shows the host's tests what a plugin learns about a submitter.
        if config.attack == "whoami" {
            return Validation::Accepted(convene_sdk::json!({ "submitter": by.id, "role": by.role, "channel": by.channel }));
        }
        if let Some(body) = body_attack(&config.attack) {
            return Validation::Accepted(body);
        }
        if config.attack == "notify-spam" || config.attack == "notify-all" {
            let (subject, body) = (Localized::one("en", SPAM_SUBJECT), Localized::one("en", SPAM_BODY));
            let everyone: Vec<String> = if config.attack == "notify-spam" {
                vec![by.id.clone(); 200]
            } else {
                let mut all: Vec<String> = host::contributions(None).map(|c| c.submitter).collect();
                all.push(by.id.clone());
                all.sort();
                all.dedup();
                all
            };
            for who in everyone {
                let _ = host::notify(&who, &subject, &body);
            }
            return Validation::Accepted(Value::Null);
        }
        match config.attack_in("validate-contribution") {
            Some(text) => Validation::Accepted(Value::String(text)),
            None => Validation::Accepted(Value::Null),
        }
    }

    fn on_phase_change(config: &Config, _phase: &str) -> Result<(), String> {
        config.attack_in("on-phase-change");
        Ok(())
    }

    fn compute_results(config: &Config) -> Result<Results, String> {
        if let Some(results) = results_attack(&config.attack) {
            return Ok(results);
        }
        match config.attack_in("compute-results") {
            Some(error) if config.attack == "error-10mb" => Err(error),
            _ => Ok(Results::default()),
        }
    }
}
