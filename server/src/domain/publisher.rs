//! Who publishes an activity type, and how a plugin author proves it.
//!
//! An author makes an Ed25519 key pair once (`convene plugin keygen`) and signs each component
//! they release (`convene plugin sign`): the detached signature names the public key and signs
//! the component's SHA-256. An instance binds each type id to the publisher of its first
//! install (trust on first use): a later upgrade signed by another key, or unsigned, is refused
//! unless the administrator explicitly replaces the publisher. A name anyone can type would
//! prove nothing; a key proves that the upgrade comes from whoever made the first release.
//!
//! The text forms, stable because operators keep them in files and headers:
//! - a publisher: `builtin`, `unsigned` or `ed25519:<public key, base64>`;
//! - a signature: `ed25519:<public key, base64>:<signature, base64>`, where the signature is
//!   over [`signed_message`] of the component's hex SHA-256;
//! - a secret key file: the 32-byte seed as 64 hex characters.

use std::fmt;

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};

use super::ledger::{base64_decode, base64_encode, parse_public_key, public_key_base64};

/// Type ids under this prefix are the activity types built into Convene; nothing installed may
/// take one.
pub const RESERVED_PREFIX: &str = "org.convene.";

/// Whether `type_id` belongs to the built-in namespace (in any letter case: a look-alike
/// `ORG.Convene.x` would fool people as well).
pub fn is_reserved(type_id: &str) -> bool {
    let lower = type_id.to_ascii_lowercase();
    lower.starts_with(RESERVED_PREFIX) || lower == RESERVED_PREFIX.trim_end_matches('.')
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Publisher {
    /// Shipped inside the `convene` binary.
    Builtin,
    /// Installed without a signature: nobody can be held to it, and any unsigned upgrade
    /// matches it.
    Unsigned,
    /// Whoever holds the secret half of this key.
    Key(VerifyingKey),
}

const KEY_PREFIX: &str = "ed25519:";

impl Publisher {
    /// As stored and shown: `builtin`, `unsigned` or `ed25519:<base64>`.
    pub fn to_text(&self) -> String {
        match self {
            Publisher::Builtin => "builtin".into(),
            Publisher::Unsigned => "unsigned".into(),
            Publisher::Key(key) => format!("{KEY_PREFIX}{}", public_key_base64(key)),
        }
    }

    pub fn parse(text: &str) -> Result<Publisher, String> {
        match text {
            "builtin" => Ok(Publisher::Builtin),
            "unsigned" => Ok(Publisher::Unsigned),
            _ => {
                let key = text.strip_prefix(KEY_PREFIX).ok_or_else(|| format!("`{text}` is not builtin, unsigned or ed25519:<key>"))?;
                Ok(Publisher::Key(parse_public_key(key)?))
            }
        }
    }
}

impl fmt::Display for Publisher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}

/// What a publisher signs: a fixed label (so a signature made for anything else never
/// verifies here) and the component's hex SHA-256.
pub fn signed_message(sha256_hex: &str) -> Vec<u8> {
    format!("convene plugin component v1\n{sha256_hex}").into_bytes()
}

/// A detached signature of one component.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComponentSignature {
    pub key: VerifyingKey,
    pub signature: Signature,
}

impl ComponentSignature {
    pub fn sign(secret: &SigningKey, sha256_hex: &str) -> ComponentSignature {
        ComponentSignature { key: secret.verifying_key(), signature: secret.sign(&signed_message(sha256_hex)) }
    }

    /// Reads the text form (surrounding whitespace, such as a file's final newline, ignored).
    pub fn parse(text: &str) -> Result<ComponentSignature, String> {
        let shape = "a signature looks like ed25519:<public key>:<signature> (the file `convene plugin sign` writes)";
        let rest = text.trim().strip_prefix(KEY_PREFIX).ok_or(shape)?;
        let (key, signature) = rest.split_once(':').ok_or(shape)?;
        let key = parse_public_key(key)?;
        let bytes = base64_decode(signature).map_err(|_| "the signature part is not base64".to_string())?;
        let bytes: [u8; 64] = bytes.try_into().map_err(|_| "an Ed25519 signature is 64 bytes".to_string())?;
        Ok(ComponentSignature { key, signature: Signature::from_bytes(&bytes) })
    }

    pub fn to_text(&self) -> String {
        format!("{KEY_PREFIX}{}:{}", public_key_base64(&self.key), base64_encode(&self.signature.to_bytes()))
    }

    /// The publisher this signature proves, if it signs the component with this SHA-256.
    pub fn verify(&self, sha256_hex: &str) -> Result<Publisher, String> {
        self.key
            .verify(&signed_message(sha256_hex), &self.signature)
            .map(|_| Publisher::Key(self.key))
            .map_err(|_| format!("the signature by {} does not sign this component (SHA-256 {sha256_hex})", Publisher::Key(self.key)))
    }
}

/// A new secret key, as the text of its file.
pub fn new_secret_key_text() -> (SigningKey, String) {
    let seed: [u8; 32] = rand::random();
    (SigningKey::from_bytes(&seed), format!("{}\n", hex::encode(seed)))
}

pub fn parse_secret_key(text: &str) -> Result<SigningKey, String> {
    let seed = hex::decode(text.trim()).map_err(|_| "a publisher key file holds 64 hexadecimal characters".to_string())?;
    let seed: [u8; 32] = seed.try_into().map_err(|_| "a publisher key file holds 64 hexadecimal characters".to_string())?;
    Ok(SigningKey::from_bytes(&seed))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    #[test]
    fn a_signature_round_trips_and_verifies_only_its_component() {
        let (secret, text) = new_secret_key_text();
        assert_eq!(parse_secret_key(&text).unwrap().to_bytes(), secret.to_bytes());
        let signed = ComponentSignature::sign(&secret, SHA);
        let parsed = ComponentSignature::parse(&format!("{}\n", signed.to_text())).unwrap();
        assert_eq!(parsed, signed);
        assert_eq!(parsed.verify(SHA).unwrap(), Publisher::Key(secret.verifying_key()));
        let other_sha = SHA.replace('9', "8");
        assert!(parsed.verify(&other_sha).unwrap_err().contains("does not sign this component"));
    }

    #[test]
    fn another_key_cannot_claim_a_signature() {
        let (a, _) = new_secret_key_text();
        let (b, _) = new_secret_key_text();
        let mut forged = ComponentSignature::sign(&a, SHA);
        forged.key = b.verifying_key();
        assert!(forged.verify(SHA).is_err());
    }

    #[test]
    fn malformed_signatures_and_publishers_are_named() {
        for bad in ["", "rsa:abc:def", "ed25519:AAAA", "ed25519:AAAA:BBBB"] {
            assert!(ComponentSignature::parse(bad).is_err(), "{bad}");
        }
        let (secret, _) = new_secret_key_text();
        let key = Publisher::Key(secret.verifying_key());
        for p in [Publisher::Builtin, Publisher::Unsigned, key] {
            assert_eq!(Publisher::parse(&p.to_text()).unwrap(), p);
        }
        assert!(Publisher::parse("someone").is_err());
    }

    #[test]
    fn the_convene_namespace_is_reserved_in_any_case() {
        for id in ["org.convene.consultation", "ORG.Convene.x", "org.convene"] {
            assert!(is_reserved(id), "{id}");
        }
        for id in ["org.example.poll", "org.convenience.x", "test.hostile"] {
            assert!(!is_reserved(id), "{id}");
        }
    }
}
