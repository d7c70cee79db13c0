//! Builds the first-party plugins in `plugins/` to WebAssembly components and leaves them in
//! OUT_DIR, so the `convene` binary embeds them and the README's commands need no extra step.
//!
//! Each plugin is compiled for `wasm32-unknown-unknown` by a nested cargo with its own target
//! directory (sharing the outer one would deadlock on its lock), then wrapped into a component
//! with `wit-component`. Such a component imports only the Convene host interface: no WASI.

use std::path::{Path, PathBuf};
use std::process::Command;

/// (crate name, file stem of the embedded component)
const PLUGINS: &[(&str, &str)] = &[
    ("convene-plugin-consultation", "consultation"),
    ("convene-plugin-roundtable", "roundtable"),
    ("convene-plugin-self-convened", "self-convened"),
    ("convene-plugin-oversight-group", "oversight-group"),
    ("convene-plugin-citizen-panel", "citizen-panel"),
    ("convene-plugin-linked-reports", "linked-reports"),
    // Built for the sandbox tests only; the binary embeds it under cfg(test).
    ("convene-plugin-hostile", "hostile"),
    // The SDK's template crate: tested to load and run in the real host.
    ("convene-plugin-template", "template"),
];
const TARGET: &str = "wasm32-unknown-unknown";
/// (feature of the hostile plugin, file stem of the component left for the tests)
fn main() {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let root = manifest_dir.parent().unwrap().to_path_buf();
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    for dir in ["plugins", "sdk/src", "sdk/wit"] {
        println!("cargo:rerun-if-changed={}", root.join(dir).display());
    }
    println!("cargo:rerun-if-env-changed=CONVENE_PLUGIN_PROFILE");

    ensure_wasm_target();
    let target_dir = root.join("target").join("plugins");
    let mut cmd = wasm_cargo(&root, &target_dir);
    for (krate, _) in PLUGINS {
        cmd.args(["-p", krate]);
    }
    let status = cmd.status().expect("cargo runs");
    assert!(status.success(), "building the first-party plugins for {TARGET} failed");

    // Also left at a fixed place for the end-to-end tests, which install them like any
    // third-party plugin.
    let components = target_dir.join("components");
    std::fs::create_dir_all(&components).expect("target/plugins is writable");
    for (krate, stem) in PLUGINS {
        let module_path = target_dir.join(TARGET).join("release").join(format!("{}.wasm", krate.replace('-', "_")));
        let component = componentize(&module_path);
        std::fs::write(out_dir.join(format!("{stem}.wasm")), &component).expect("OUT_DIR is writable");
        std::fs::write(components.join(format!("{stem}.wasm")), &component).expect("target/plugins is writable");
    }

    // A newer version of the hostile plugin, for the registry's upgrade tests, and one that
    // claims a built-in type id, for the reserved namespace's.
    hostile_variant(&root, &components, "v2");
    hostile_variant(&root, &components, "impostor");
    // One that declares a type id with a newline and markup, refused at install.
    hostile_variant(&root, &components, "bad-id");
}

/// The hostile plugin built with one feature, left as `components/hostile-FEATURE.wasm`. Each
/// variant has its own target directory: the same crate built with other features would
/// overwrite the other's module.
fn hostile_variant(root: &Path, components: &Path, feature: &str) {
    let dir = root.join("target").join(format!("plugins-{feature}"));
    let mut cmd = wasm_cargo(root, &dir);
    cmd.args(["-p", "convene-plugin-hostile", "--features", feature]);
    assert!(cmd.status().expect("cargo runs").success(), "building the hostile plugin {feature} failed");
    let module_path = dir.join(TARGET).join("release").join("convene_plugin_hostile.wasm");
    std::fs::write(components.join(format!("hostile-{feature}.wasm")), componentize(&module_path)).expect("target/plugins is writable");
}

/// `cargo build --release --target wasm32-unknown-unknown --target-dir DIR`, without the outer
/// build's flags (they are for the host, not for wasm).
fn wasm_cargo(root: &Path, target_dir: &Path) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root).args(["build", "--release", "--target", TARGET, "--target-dir"]).arg(target_dir);
    for var in ["RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS", "CARGO_BUILD_TARGET", "CARGO_TARGET_DIR", "CARGO_PROFILE_RELEASE_LTO"] {
        cmd.env_remove(var);
    }
    cmd
}

fn componentize(module_path: &Path) -> Vec<u8> {
    let module = std::fs::read(module_path).unwrap_or_else(|e| panic!("reading {}: {e}", module_path.display()));
    wit_component::ComponentEncoder::default()
        .module(&module)
        .expect("the plugin module carries its WIT world")
        .validate(true)
        .encode()
        .expect("the plugin module encodes as a component")
}

/// The wasm target is a rustup component; add it on a machine that lacks it, so that a fresh
/// clone builds with the README's command alone.
fn ensure_wasm_target() {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).lines().any(|l| l.trim() == TARGET))
        .unwrap_or(false);
    if !installed {
        let ok = Command::new("rustup").args(["target", "add", TARGET]).status().map(|s| s.success()).unwrap_or(false);
        assert!(ok, "the {TARGET} target is needed to build the plugins: run `rustup target add {TARGET}`");
    }
}
