//! Convene: a self-hostable, federated participation server.
//!
//! Layers import only downward: `http` -> `app` -> `domain`, with `adapters` (storage, mail)
//! used by `app`. `cli` and `config` sit on top and wire everything together.

pub mod adapters;
pub mod app;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod http;
pub mod ledger_verify;
pub mod publisher_keys;
pub mod served_url;
pub mod telemetry;
