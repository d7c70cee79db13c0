//! Use cases: what people do with Convene (sign in, create and publish a process...), each a
//! function that checks who may do it, parses the input into domain types and stores the result.

pub mod account_deletion;
pub mod accounts;
pub mod activities;
pub mod activity_writes;
pub mod census;
pub mod context;
pub mod contributions;
pub mod desk;
pub mod draw_seeds;
pub mod error;
pub mod federation;
pub mod export;
pub mod jobs;
pub mod limits;
pub mod my_data;
pub mod notifications;
pub mod outcomes;
pub mod ledger;
pub mod pagination;
pub mod plugin_output;
pub mod plugin_rollback;
pub mod plugins;
pub mod processes;
pub mod report;
pub mod responses;
pub mod results;
pub mod schedule;
pub mod plugin_data;
pub mod tokens;
pub mod topics;

pub use context::{AppContext, Viewer};
pub use error::{AppError, AppResult};

/// The current time, in one place so that every use case agrees on it.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}
