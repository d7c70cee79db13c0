//! `convene plugin keygen` and `convene plugin sign`: a plugin author's publisher key and the
//! detached signatures made with it (see `domain::publisher`). Neither touches an instance.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use crate::domain::publisher::{self, ComponentSignature, Publisher};

/// Writes a new secret key to `output` (owner-only; never over an existing file) and prints
/// the public key to publish.
pub fn keygen(output: &Path) -> anyhow::Result<()> {
    let (secret, text) = publisher::new_secret_key_text();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(output).with_context(|| format!("cannot create {} (an existing key is never overwritten)", output.display()))?;
    file.write_all(text.as_bytes()).and_then(|_| file.sync_all()).with_context(|| format!("cannot write {}", output.display()))?;
    println!("Wrote a secret publisher key to {}: keep it secret, and back it up (a new key cannot upgrade types installed with this one).", output.display());
    println!("Your publisher key, to publish with your plugins: {}", Publisher::Key(secret.verifying_key()));
    Ok(())
}

/// Signs `file` with the key in `key_file`; writes the signature to `output` or `FILE.sig`.
pub fn sign(file: &Path, key_file: &Path, output: Option<&Path>) -> anyhow::Result<()> {
    let component = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let key_text = std::fs::read_to_string(key_file).with_context(|| format!("cannot read {}", key_file.display()))?;
    let secret = publisher::parse_secret_key(&key_text).map_err(|e| anyhow::anyhow!("{}: {e}", key_file.display()))?;
    let sha = crate::adapters::plugins::sha256_hex(&component);
    let signature = ComponentSignature::sign(&secret, &sha);
    let mut default_output = file.as_os_str().to_owned();
    default_output.push(".sig");
    let default_output = std::path::PathBuf::from(default_output);
    let output = output.unwrap_or(&default_output);
    std::fs::write(output, format!("{}\n", signature.to_text())).with_context(|| format!("cannot write {}", output.display()))?;
    println!("Signed {} (sha256 {sha}) as {}; signature in {}.", file.display(), Publisher::Key(signature.key), output.display());
    Ok(())
}
