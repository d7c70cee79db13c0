//! The disk cache of compiled plugins.
//!
//! A compiled artifact is native code that wasmtime loads without checking it: whoever can
//! write a file the server deserialises can run code as the server. So the cache folder is
//! the server's alone (owner-only, checked at start), and each artifact carries a MAC under a
//! key derived from the instance's secret, over the component's SHA-256, the engine's
//! compatibility hash and the artifact itself. A file without a valid MAC (tampered with,
//! renamed from another component's entry, or written by another instance) is discarded and
//! the component compiled again. The MAC is checked on the very bytes that are deserialised,
//! read once into memory, so the file cannot change between the check and the use.

use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};

use hmac::{Hmac, Mac};
use sha2::Sha256;
use wasmtime::Engine;
use wasmtime::component::Component;

use super::PluginError;

/// Starts every cache file: the format, then the 32-byte MAC, then the artifact.
const MAGIC: &[u8; 16] = b"convene-cwasm-1\n";
const HEADER: usize = MAGIC.len() + 32;

/// A cache folder and the key that authenticates its files.
#[derive(Clone)]
pub struct CompiledCache {
    dir: PathBuf,
    key: [u8; 32],
}

impl std::fmt::Debug for CompiledCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompiledCache").field("dir", &self.dir).finish_non_exhaustive()
    }
}

impl CompiledCache {
    /// The cache in `dir`, its MAC key derived from `secret` (the instance's), so that the
    /// key serves this purpose only.
    pub fn new(dir: PathBuf, secret: &[u8]) -> CompiledCache {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
        mac.update(b"convene compiled-plugin cache MAC key v1");
        CompiledCache { dir, key: mac.finalize().into_bytes().into() }
    }

    /// Each key has its own files (named by a tag of the key, which reveals nothing of it):
    /// servers with different secrets sharing a folder keep apart instead of discarding each
    /// other's files on every start.
    fn path(&self, sha256: &str, engine_hash: u64) -> PathBuf {
        let mut tag = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key length");
        tag.update(b"file names");
        let tag = hex::encode(&tag.finalize().into_bytes()[..6]);
        self.dir.join(format!("{sha256}-{engine_hash:016x}-{tag}.cwasm"))
    }

    fn mac(&self, sha256: &str, engine_hash: u64, artifact: &[u8]) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(format!("{sha256}\n{engine_hash:016x}\n").as_bytes());
        mac.update(artifact);
        mac
    }

    /// The artifact cached for this component and engine, if this server wrote it. Anything
    /// else there is removed, with a warning.
    fn read(&self, sha256: &str, engine_hash: u64) -> Option<Vec<u8>> {
        let path = self.path(sha256, engine_hash);
        let mut data = match std::fs::read(&path) {
            Ok(data) => data,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
            Err(e) => {
                tracing::warn!(error = %e, path = %path.display(), "cannot read a compiled plugin from the cache; compiling it again");
                return None;
            }
        };
        let authentic = data.len() >= HEADER
            && data.starts_with(MAGIC)
            && self.mac(sha256, engine_hash, &data[HEADER..]).verify_slice(&data[MAGIC.len()..HEADER]).is_ok();
        if !authentic {
            tracing::warn!(
                path = %path.display(),
                "discarding a compiled plugin that this server did not write (changed, copied from another entry or another instance); compiling it again"
            );
            let _ = std::fs::remove_file(&path);
            return None;
        }
        data.drain(..HEADER);
        Some(data)
    }

    /// Stores an artifact, owner-only, under a temporary name first: several servers (or
    /// test processes) may share one cache, and none may ever read half a file.
    fn write(&self, sha256: &str, engine_hash: u64, artifact: &[u8]) {
        let path = self.path(sha256, engine_hash);
        let tmp = path.with_extension(format!("{}.{}.tmp", std::process::id(), uuid::Uuid::new_v4().simple()));
        let mac = self.mac(sha256, engine_hash, artifact).finalize().into_bytes();
        let written = create_private_dir(&self.dir)
            .and_then(|_| {
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                let mut file = options.open(&tmp)?;
                file.write_all(MAGIC)?;
                file.write_all(&mac)?;
                file.write_all(artifact)
            })
            .and_then(|_| std::fs::rename(&tmp, &path));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            tracing::warn!(error = %e, path = %path.display(), "could not write the plugin cache");
        }
    }
}

/// Compiles a component, or takes its authenticated artifact from the cache. A component that
/// compiles but does not fit the sandbox (a memory or table minimum above the limits, too
/// many instances) is refused with wasmtime's reason: it is the plugin's problem, not the
/// host's.
pub(super) fn compile(engine: &Engine, cache: Option<&CompiledCache>, bytes: &[u8], sha256: &str) -> Result<Component, PluginError> {
    let engine_hash = engine_hash(engine);
    if let Some(artifact) = cache.and_then(|c| c.read(sha256, engine_hash)) {
        // SAFETY: its MAC shows that this server wrote it, from `precompile_component` of an
        // engine with the same compatibility hash, for this very component.
        match unsafe { Component::deserialize(engine, &artifact) } {
            Ok(component) => return Ok(component),
            Err(e) => tracing::debug!(error = %format!("{e:#}"), "a cached plugin does not load; compiling it again"),
        }
    }
    let compiled = engine
        .precompile_component(bytes)
        .map_err(|e| PluginError::Refused(format!("this is not a valid WebAssembly component: {e:#}")))?;
    // SAFETY: produced just now by this engine.
    let component = unsafe { Component::deserialize(engine, &compiled) }
        .map_err(|e| PluginError::Refused(format!("the plugin does not fit this server's sandbox: {e:#}")))?;
    // Only what loads is cached, so a refused component is compiled (and refused) afresh.
    if let Some(cache) = cache {
        cache.write(sha256, engine_hash, &compiled);
    }
    Ok(component)
}

/// Artifacts are only valid for an engine with the same version and settings.
fn engine_hash(engine: &Engine) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    engine.precompile_compatibility_hash().hash(&mut h);
    h.finish()
}

/// Creates the folder (and missing parents) readable by the owner only, if it is missing.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Makes sure the cache folder is the server's alone: creates it owner-only if missing,
/// refuses one owned by another user, and takes group and other permissions away from one
/// that has them. Returns what it changed, for a warning.
pub fn secure_dir(dir: &Path) -> Result<Option<String>, String> {
    create_private_dir(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let meta = std::fs::metadata(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    if !meta.is_dir() {
        return Err(format!("{} is not a folder", dir.display()));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        if meta.uid() != me {
            return Err(format!(
                "{} belongs to user id {}, not to the user this server runs as ({me}); whoever owns it can put code there that the server would run. Give it to this user (chown) or choose another folder",
                dir.display(),
                meta.uid()
            ));
        }
        let mode = meta.mode() & 0o777;
        if mode & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
                .map_err(|e| format!("{} has mode {mode:04o} and cannot be made owner-only: {e}", dir.display()))?;
            return Ok(Some(format!(
                "the plugin cache folder had mode {mode:04o}, which let other users read or replace compiled plugins; it is now 0700"
            )));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::plugins::{Limits, PluginHost, builtin};

    fn entries(dir: &Path) -> Vec<PathBuf> {
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "cwasm")).collect()
    }

    #[test]
    fn a_tampered_or_foreign_cache_file_is_discarded_and_recompiled() {
        let dir = tempfile::tempdir().unwrap();
        let cache = CompiledCache::new(dir.path().to_path_buf(), b"the instance secret, 32 bytes long");
        let host = PluginHost::new(Limits::default(), Some(cache.clone())).unwrap();
        let bytes = builtin::BUILTIN[0].1;
        let sha = super::super::sha256_hex(bytes);
        host.load(bytes).unwrap();
        let [file] = entries(dir.path()).try_into().expect("one cache entry");
        let engine_hash = engine_hash(&host.engine);
        let genuine = cache.read(&sha, engine_hash).expect("the server reads back what it wrote");

        // One flipped byte in the code: refused, removed, and the next load compiles again
        // (and works).
        let mut tampered = std::fs::read(&file).unwrap();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        std::fs::write(&file, &tampered).unwrap();
        assert!(cache.read(&sha, engine_hash).is_none());
        assert!(!file.exists(), "the tampered file is removed");
        assert_eq!(host.load(bytes).unwrap().id, "org.convene.consultation");
        assert_eq!(cache.read(&sha, engine_hash).unwrap(), genuine, "recompiled and cached again");

        // A file written by another instance (another secret) is not trusted either.
        let foreign = CompiledCache::new(dir.path().to_path_buf(), b"another instance's secret, 32 bytes");
        assert!(foreign.read(&sha, engine_hash).is_none());

        // Nor is another component's genuine artifact moved to this component's name.
        let other = PluginHost::new(Limits::default(), Some(cache.clone())).unwrap();
        let other_bytes = builtin::BUILTIN[1].1;
        other.load(other_bytes).unwrap();
        let other_path = cache.path(&super::super::sha256_hex(other_bytes), engine_hash);
        std::fs::copy(&other_path, cache.path(&sha, engine_hash)).unwrap();
        assert!(cache.read(&sha, engine_hash).is_none());

        // A bare artifact without the header (the old format) is discarded too.
        std::fs::write(cache.path(&sha, engine_hash), &genuine).unwrap();
        assert!(cache.read(&sha, engine_hash).is_none());
    }

    #[cfg(unix)]
    #[test]
    fn the_cache_folder_is_created_owner_only_and_opened_up_ones_are_closed() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("a/plugin-cache");
        assert_eq!(secure_dir(&dir).unwrap(), None);
        let mode = |d: &Path| std::fs::metadata(d).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);

        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
        let fixed = secure_dir(&dir).unwrap().expect("a change is reported");
        assert!(fixed.contains("0777") && fixed.contains("0700"), "{fixed}");
        assert_eq!(mode(&dir), 0o700);

        let file = root.path().join("not-a-folder");
        std::fs::write(&file, b"x").unwrap();
        assert!(secure_dir(&file).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_cache_folder_owned_by_another_user_is_refused() {
        // Root gives a folder away to `nobody`; anyone else meets `/`, which root owns.
        let root = tempfile::tempdir().unwrap();
        let (dir, owner) = if unsafe { libc::geteuid() } == 0 {
            std::os::unix::fs::chown(root.path(), Some(65534), None).unwrap();
            (root.path(), 65534)
        } else {
            (Path::new("/"), 0)
        };
        let err = secure_dir(dir).unwrap_err();
        assert!(err.contains(&format!("belongs to user id {owner}")) && err.contains("chown"), "{err}");
    }
}
