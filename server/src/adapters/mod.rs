//! Adapters to the world outside the domain: the database, mail.

pub mod cpu_time;
pub mod mail;
pub mod plugins;
pub mod store;
