//! Types and rules of participation, with no I/O. Constructors parse raw input into values
//! that cannot be invalid, so code further in never re-checks them.

pub mod account;
pub mod commitments;
pub mod errors;
pub mod format_chars;
pub mod language;
pub mod ledger;
pub mod localized;
pub mod participation;
pub mod plugin_text;
pub mod powers;
pub mod markdown;
pub mod notification;
pub mod process;
pub mod publisher;
pub mod rate;
pub mod slug;
pub mod stored_json;
pub mod text;
