//! What a plugin may ask of the host. In a plugin these call the real host; in native tests
//! they call the fake host of [`crate::testing`].

use crate::types::*;

#[cfg(target_arch = "wasm32")]
use crate::glue::host_impl as imp;
#[cfg(not(target_arch = "wasm32"))]
use crate::testing::host_impl as imp;

pub fn log(level: LogLevel, message: &str) {
    imp::log(level, message)
}

/// Key-value storage scoped to the current activity, with a quota set by the host.
pub mod kv {
    use super::imp;
    use crate::types::KvError;

    pub fn get(key: &str) -> Option<Vec<u8>> {
        imp::kv_get(key)
    }

    pub fn set(key: &str, value: &[u8]) -> Result<(), KvError> {
        imp::kv_set(key, value)
    }

    pub fn delete(key: &str) {
        imp::kv_delete(key)
    }

    /// Reads a JSON value stored with [`set_json`].
    pub fn get_json<T: serde::de::DeserializeOwned>(key: &str) -> Option<T> {
        get(key).and_then(|b| serde_json::from_slice(&b).ok())
    }

    pub fn set_json<T: serde::Serialize>(key: &str, value: &T) -> Result<(), KvError> {
        set(key, &serde_json::to_vec(value).map_err(|_| KvError::TooLarge)?)
    }
}

/// One page of the activity's contributions, oldest first.
pub fn contributions_page(kind: Option<&str>, cursor: Option<&str>, limit: u32) -> ContributionPage {
    imp::contributions(kind, cursor, limit)
}

/// Every contribution of the activity (of one kind, if given), fetched page by page.
pub fn contributions(kind: Option<&str>) -> impl Iterator<Item = Contribution> {
    let kind = kind.map(str::to_string);
    let mut cursor: Option<String> = None;
    let mut buffer: std::vec::IntoIter<Contribution> = Vec::new().into_iter();
    let mut done = false;
    std::iter::from_fn(move || loop {
        if let Some(c) = buffer.next() {
            return Some(c);
        }
        if done {
            return None;
        }
        let page = contributions_page(kind.as_deref(), cursor.as_deref(), 500);
        done = page.next_cursor.is_none();
        cursor = page.next_cursor;
        buffer = page.items.into_iter();
    })
}

/// The current time (RFC 3339) as the host sees it.
pub fn now() -> String {
    imp::now()
}

/// 32 bytes chosen and recorded by the host: use it to seed any draw so it can be re-run.
pub fn random_seed() -> Vec<u8> {
    imp::random_seed()
}

/// Asks the host to notify a participant; the host may refuse (rate limits, consent).
pub fn notify(participant: &str, subject: &Localized, body: &Localized) -> Result<(), String> {
    imp::notify(participant, subject, body)
}
