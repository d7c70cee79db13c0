//! A hostile activity type: each export misbehaves as its configuration says, so the host's
//! sandbox can be shown to contain it. `describe` loops forever when the host's clock reads
//! the Unix epoch, since it takes no configuration.

use std::hint::black_box;

use convene_sdk::{Activity, ActivityInfo, ContributionKind, FieldError, KvError, Localized, Results, Submitter, SubmitterRole, Validation, Value, host};
use serde::{Deserialize, Serialize};

pub struct Hostile;

convene_sdk::export_activity!(Hostile);

#[derive(Serialize, Deserialize)]
pub struct Config {
    /// loop | memory | recursion | panic | huge-output | big-output | kv-flood | none, or
    /// whoami (echoes what the plugin is told about the submitter); against the host's
    /// budgets: reread (reads every contribution again and again), host-spin (calls the
    /// host in a loop), bad-cursor (hands the host a cursor it never gave out), kv-dust
    /// (stores empty values until refused). In validate-contribution, a body `{"pad": N}`
    /// is accepted as N bytes, so that a test can fill an activity.
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
const VERSION: &str = if cfg!(feature = "v2") { "0.0.2" } else { "0.0.1" };

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
                if i == 499 {
                    return Some("stored 500 empty values".into());
                }
            }
            None
        }
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

impl Activity for Hostile {
    type Config = Config;

    fn describe() -> ActivityInfo {
        if host::now().starts_with("1970-01-01") {
            attack("loop");
        }
        ActivityInfo {
            id: "test.hostile".into(),
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
        config.attack_in("compute-results");
        Ok(Results::default())
    }
}
