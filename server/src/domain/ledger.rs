//! The public ledger: an append-only chain of public events (a process published, a response
//! given, a panel's seed committed...). Each entry's hash covers the previous entry's hash, so
//! changing or removing any entry breaks every later link; each hash is signed with the
//! instance's Ed25519 key, so nobody without the key can rebuild a consistent chain.
//!
//! This module is pure: the server uses it to seal entries, and `convene ledger verify` (or
//! anyone re-implementing it from this description) to check a whole chain.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::process::{ProcessStatus, Visibility};

/// What the public ledger may say about a process: only facts about processes that everyone
/// may find (the listing rule, [`super::process::is_listed`]). Drafts, private processes and
/// unlisted ones (readable by link, but their existence is not public knowledge) leave no
/// trace; when a process becomes public its first entry records that, and when it stops being
/// public an entry records that and nothing more is written. Facts about the instance itself
/// (which plugins run on it) are always public.
pub fn may_record(status: ProcessStatus, visibility: Visibility) -> bool {
    super::process::is_listed(status, visibility)
}

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One entry as published. `payload` is JSON text exactly as sealed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Entry {
    /// 1, 2, 3... without gaps.
    pub seq: i64,
    /// RFC 3339 with microseconds, UTC.
    pub at: String,
    /// What happened, e.g. `process.published`.
    pub kind: String,
    /// The process it concerns, if any.
    pub process_id: Option<String>,
    /// Details, as JSON text.
    pub payload: String,
    /// Hex SHA-256 of the previous entry (64 zeros for the first).
    pub prev_hash: String,
    /// Hex SHA-256 of this entry's canonical form (see [`hash_of`]).
    pub hash: String,
    /// Base64 Ed25519 signature of the 32 bytes of `hash`.
    pub signature: String,
}

/// The canonical form hashed: the fields joined by newlines, in this order:
/// `prev_hash`, `seq`, `at`, `kind`, `process_id` (empty when none), `payload`.
pub fn hash_of(prev_hash: &str, seq: i64, at: &str, kind: &str, process_id: Option<&str>, payload: &str) -> String {
    let mut h = Sha256::new();
    for part in [prev_hash, &seq.to_string(), at, kind, process_id.unwrap_or(""), payload] {
        h.update(part.as_bytes());
        h.update(b"\n");
    }
    hex::encode(h.finalize())
}

/// Seals the next entry after `prev` (None for the first).
pub fn seal(key: &SigningKey, prev: Option<(&str, i64)>, at: &str, kind: &str, process_id: Option<&str>, payload: &str) -> Entry {
    let (prev_hash, seq) = match prev {
        Some((hash, seq)) => (hash.to_string(), seq + 1),
        None => (GENESIS.to_string(), 1),
    };
    let hash = hash_of(&prev_hash, seq, at, kind, process_id, payload);
    let digest = hex::decode(&hash).expect("hex we just wrote");
    let signature = base64_encode(&key.sign(&digest).to_bytes());
    Entry { seq, at: at.into(), kind: kind.into(), process_id: process_id.map(str::to_string), payload: payload.into(), prev_hash, hash, signature }
}

/// Why a chain does not verify, at the first entry that fails.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("entry {seq}: {problem}")]
pub struct Broken {
    pub seq: i64,
    pub problem: String,
}

/// Checks a whole chain, from its first entry: sequence without gaps, each link to the
/// previous hash, each hash recomputed from the content, each signature under `key`.
pub fn verify(entries: &[Entry], key: &VerifyingKey) -> Result<(), Broken> {
    let mut prev_hash = GENESIS.to_string();
    for (i, e) in entries.iter().enumerate() {
        let broken = |problem: String| Broken { seq: e.seq, problem };
        let expected_seq = i as i64 + 1;
        if e.seq != expected_seq {
            return Err(broken(format!("expected sequence number {expected_seq}: an entry is missing or out of order")));
        }
        if e.prev_hash != prev_hash {
            return Err(broken("does not link to the previous entry (prev_hash differs)".into()));
        }
        let recomputed = hash_of(&e.prev_hash, e.seq, &e.at, &e.kind, e.process_id.as_deref(), &e.payload);
        if recomputed != e.hash {
            return Err(broken("its content does not match its hash: it was changed after it was sealed".into()));
        }
        let signature = base64_decode(&e.signature)
            .ok()
            .and_then(|b| <[u8; 64]>::try_from(b.as_slice()).ok())
            .map(|b| Signature::from_bytes(&b))
            .ok_or_else(|| broken("the signature is not 64 bytes of base64".into()))?;
        let digest = hex::decode(&e.hash).map_err(|_| broken("the hash is not hex".into()))?;
        key.verify(&digest, &signature).map_err(|_| broken("the signature does not verify under the instance's key".into()))?;
        prev_hash = e.hash.clone();
    }
    Ok(())
}

pub fn public_key_base64(key: &VerifyingKey) -> String {
    base64_encode(key.as_bytes())
}

pub fn parse_public_key(text: &str) -> Result<VerifyingKey, String> {
    let bytes = base64_decode(text.trim()).map_err(|_| "the public key is not base64".to_string())?;
    let bytes: [u8; 32] = bytes.try_into().map_err(|_| "an Ed25519 public key is 32 bytes".to_string())?;
    VerifyingKey::from_bytes(&bytes).map_err(|e| format!("not an Ed25519 public key: {e}"))
}

pub(crate) fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub(crate) fn base64_decode(text: &str) -> Result<Vec<u8>, base64::DecodeError> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(key: &SigningKey, n: usize) -> Vec<Entry> {
        let mut out: Vec<Entry> = Vec::new();
        for i in 0..n {
            let prev = out.last().map(|e| (e.hash.as_str(), e.seq));
            let e = seal(key, prev, "2027-01-10T09:00:00.000000Z", "process.published", Some("p1"), &format!("{{\"n\":{i}}}"));
            out.push(e);
        }
        out
    }

    #[test]
    fn a_sealed_chain_verifies_and_any_change_breaks_it_at_that_entry() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let entries = chain(&key, 5);
        assert_eq!(verify(&entries, &key.verifying_key()), Ok(()));

        let mut changed = entries.clone();
        changed[2].payload = "{\"n\":99}".into();
        assert_eq!(verify(&changed, &key.verifying_key()).unwrap_err().seq, 3);

        let mut removed = entries.clone();
        removed.remove(1);
        assert_eq!(verify(&removed, &key.verifying_key()).unwrap_err().seq, 3);

        // Rebuilding the chain after a change needs the key: another key's signatures fail.
        let other = SigningKey::from_bytes(&[8; 32]);
        let forged = chain(&other, 5);
        assert_eq!(verify(&forged, &key.verifying_key()).unwrap_err().seq, 1);
    }

    #[test]
    fn only_published_public_processes_are_recorded() {
        use ProcessStatus::*;
        use Visibility::*;
        for status in ProcessStatus::ALL {
            for visibility in Visibility::ALL {
                let expected = matches!((status, visibility), (Published | Archived, Public));
                assert_eq!(may_record(*status, *visibility), expected, "{status} {visibility}");
            }
        }
    }

    #[test]
    fn public_keys_round_trip_as_base64() {
        let key = SigningKey::from_bytes(&[7; 32]).verifying_key();
        assert_eq!(parse_public_key(&public_key_base64(&key)).unwrap(), key);
        assert!(parse_public_key("AAAA").is_err());
    }
}
