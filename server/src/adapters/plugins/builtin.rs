//! First-party plugins, built from `plugins/` by build.rs and embedded in the binary.

/// (file stem, component bytes)
pub const BUILTIN: &[(&str, &[u8])] = &[
    ("consultation", include_bytes!(concat!(env!("OUT_DIR"), "/consultation.wasm"))),
    ("roundtable", include_bytes!(concat!(env!("OUT_DIR"), "/roundtable.wasm"))),
    ("self-convened", include_bytes!(concat!(env!("OUT_DIR"), "/self-convened.wasm"))),
    ("oversight-group", include_bytes!(concat!(env!("OUT_DIR"), "/oversight-group.wasm"))),
    ("citizen-panel", include_bytes!(concat!(env!("OUT_DIR"), "/citizen-panel.wasm"))),
    ("linked-reports", include_bytes!(concat!(env!("OUT_DIR"), "/linked-reports.wasm"))),
];

/// The deliberately malicious plugin of the sandbox tests.
#[cfg(test)]
pub const HOSTILE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/hostile.wasm"));

/// The SDK's template crate (an idea box), to prove the tutorial's plugin runs in the host.
#[cfg(test)]
pub const TEMPLATE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/template.wasm"));
