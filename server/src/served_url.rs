//! The address links point to when a command (not the server) makes them, e.g. the sign-in
//! link `convene admin create` prints. The server may listen somewhere its settings do not say
//! (`serve --bind`, or port 0), so when no `public_url` is configured it records the address
//! it derived at start, and commands use that rather than guess from `bind`.

use std::path::PathBuf;

use url::Url;

use crate::config::Settings;

fn record_path(settings: &Settings) -> PathBuf {
    settings.data_dir.join("served-url")
}

/// Called by the server once it listens: the address it derived for its links.
pub fn record(settings: &Settings, public_url: &Url) {
    if let Err(e) = std::fs::write(record_path(settings), format!("{public_url}\n")) {
        tracing::warn!(error = %e, "could not record the server's address for the command line");
    }
}

/// The public URL for links, and which setting it came from (to say so to the operator):
/// `public_url` when configured, else the address the server last started on with this data
/// directory, else the one `bind` gives.
pub fn for_links(settings: &Settings) -> (Url, String) {
    if let Some(url) = &settings.public_url {
        return (url.clone(), "the public_url setting".into());
    }
    let recorded = std::fs::read_to_string(record_path(settings)).ok().and_then(|text| Url::parse(text.trim()).ok());
    match recorded {
        Some(url) => (url, format!("the address the server last started on ({}); set public_url if people reach it elsewhere", record_path(settings).display())),
        None => (
            settings.public_url_or(settings.bind),
            format!("the bind setting ({}), since public_url is not set and no server has started with this data directory", settings.bind),
        ),
    }
}
