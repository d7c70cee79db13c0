//! Adapters to the world outside the domain: the database, mail.

pub mod federation;
pub mod mail;
pub mod plugins;
pub mod store;
