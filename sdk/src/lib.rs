//! # convene-sdk
//!
//! Write a Convene activity type — a consultation, a roundtable, a citizen panel, or something
//! new — as a sandboxed WebAssembly plugin. Implement [`Activity`], export it with
//! [`export_activity!`], test it natively with [`testing::Harness`], build it for
//! `wasm32-unknown-unknown`, and install the resulting component on any Convene instance.
//!
//! A plugin can only do what the host interface offers ([`host`]): log, keep key-value data
//! for its activity, read the activity's contributions, read the time and a seed the host
//! records. It has no files, no network and no clock or randomness of its own.
//!
//! See `sdk/README.md` for a tutorial.

pub mod calendar;
pub mod form;
pub mod host;
pub mod results;
pub mod types;

#[cfg(not(target_arch = "wasm32"))]
pub mod testing;

#[doc(hidden)]
#[cfg(target_arch = "wasm32")]
pub mod glue;

#[doc(hidden)]
#[cfg(target_arch = "wasm32")]
// The generated export glue takes one argument per WIT parameter, flattened: not ours to fix,
// and a plugin author's `cargo clippy` should not be told about it.
#[allow(clippy::too_many_arguments)]
pub mod bindings {
    wit_bindgen::generate!({
        path: "wit/activity@0.1.0",
        world: "activity",
        pub_export_macro: true,
        export_macro_name: "__export_activity_world",
        default_bindings_module: "convene_sdk::bindings",
    });
}

pub use serde_json::{Value, json};
pub use types::*;

/// The version of the WIT contract this SDK builds against.
pub const CONTRACT_VERSION: &str = "0.1.0";

/// An activity type. Only [`Activity::describe`] and [`Activity::validate_contribution`] are
/// required; the rest have defaults that suit simple types.
///
/// Every call runs in a fresh sandbox: keep state in [`host::kv`], never in statics.
pub trait Activity {
    /// The organiser's configuration, as JSON. Use `serde_json::Value` if you need none.
    type Config: serde::de::DeserializeOwned + serde::Serialize;

    /// What this activity type is and what it accepts.
    fn describe() -> ActivityInfo;

    /// Checks a configuration beyond what deserialising it into `Config` checks.
    fn validate_config(_config: &Self::Config) -> Result<(), Vec<FieldError>> {
        Ok(())
    }

    /// The form for one contribution kind; by default the fields declared in `describe`.
    fn contribution_form(_config: &Self::Config, kind: &str) -> Result<Vec<FormField>, Vec<FieldError>> {
        Self::describe()
            .contribution_kinds
            .into_iter()
            .find(|k| k.id == kind)
            .map(|k| k.fields)
            .ok_or_else(|| vec![FieldError::new("kind", format!("this activity has no contribution kind `{kind}`"))])
    }

    /// Checks one contribution (new, or an edit) from `by`: accept it (normalised) or name
    /// what is wrong. `by.id` is a pseudonym stable within the activity, so a type can allow
    /// one vote per person, or let only a meeting's registrant file its report.
    fn validate_contribution(config: &Self::Config, kind: &str, body: &Value, by: &Submitter) -> Validation;

    /// Told when the process enters another phase.
    fn on_phase_change(_config: &Self::Config, _phase: &str) -> Result<(), String> {
        Ok(())
    }

    /// The activity's results, computed from its contributions ([`host::contributions`]).
    fn compute_results(_config: &Self::Config) -> Result<Results, String> {
        Ok(Results::default())
    }
}

/// Parses and checks a configuration the way the host will: deserialise into `Config`, then
/// [`Activity::validate_config`].
pub fn parse_config<A: Activity>(config: &str) -> Result<A::Config, Vec<FieldError>> {
    let parsed: A::Config = parse_json(config, "config")?;
    A::validate_config(&parsed)?;
    Ok(parsed)
}

/// [`parse_config`], plus the normalised JSON the host stores.
pub fn check_config<A: Activity>(config: &str) -> Result<(A::Config, String), Vec<FieldError>> {
    let parsed = parse_config::<A>(config)?;
    let normalised = serde_json::to_string(&parsed).map_err(|e| vec![FieldError::new("config", e.to_string())])?;
    Ok((parsed, normalised))
}

/// Deserialises JSON, naming where it went wrong.
pub fn parse_json<T: serde::de::DeserializeOwned>(text: &str, field: &str) -> Result<T, Vec<FieldError>> {
    serde_json::from_str(text).map_err(|e| vec![FieldError::new(field, e.to_string())])
}

/// Exports a type implementing [`Activity`] as the plugin's activity type. Use it once, at
/// the root of the plugin crate: `convene_sdk::export_activity!(Consultation);`
#[macro_export]
macro_rules! export_activity {
    ($t:ty) => {
        #[cfg(target_arch = "wasm32")]
        const _: () = {
            struct __ConveneExport;
            impl $crate::bindings::Guest for __ConveneExport {
                fn describe() -> $crate::bindings::convene::activity::types::ActivityType {
                    $crate::glue::describe::<$t>()
                }
                fn validate_config(config: String) -> Result<String, Vec<$crate::bindings::convene::activity::types::FieldError>> {
                    $crate::glue::validate_config::<$t>(&config)
                }
                fn contribution_form(
                    config: String,
                    kind: String,
                ) -> Result<Vec<$crate::bindings::convene::activity::types::FormField>, Vec<$crate::bindings::convene::activity::types::FieldError>> {
                    $crate::glue::contribution_form::<$t>(&config, &kind)
                }
                fn validate_contribution(
                    config: String,
                    kind: String,
                    body: String,
                    submitter: $crate::bindings::convene::activity::types::Submitter,
                ) -> $crate::bindings::convene::activity::types::Validation {
                    $crate::glue::validate_contribution::<$t>(&config, &kind, &body, submitter)
                }
                fn on_phase_change(config: String, phase: String) -> Result<(), String> {
                    $crate::glue::on_phase_change::<$t>(&config, &phase)
                }
                fn compute_results(config: String) -> Result<$crate::bindings::convene::activity::types::ActivityResults, String> {
                    $crate::glue::compute_results::<$t>(&config)
                }
            }
            $crate::bindings::__export_activity_world!(__ConveneExport with_types_in $crate::bindings);
        };
    };
}
