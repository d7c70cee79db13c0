//! One sea-orm entity per table; the schema itself lives in the migrations crate.

pub mod account;
pub mod account_attribute;
pub mod activity;
pub mod activity_kv;
pub mod activity_result;
pub mod census_entry;
pub mod commitment;
pub mod contribution;
pub mod contribution_report;
pub mod job;
pub mod ledger_entry;
pub mod magic_link;
pub mod milestone;
pub mod moderation_action;
pub mod notification_setting;
pub mod outcome;
pub mod phase;
pub mod plugin;
pub mod process;
pub mod process_member;
pub mod process_topic;
pub mod response;
pub mod session;
pub mod topic;
