//! Dates and times of meetings, checked strictly (the SDK's calendar): a plugin has no clock
//! of its own, so "today" comes from the host's `now()`.
//!
//! Roundtable keeps its own, older and looser checks (it accepts `2027-02-31` and `+9:30`):
//! tightening them could make a configuration it already stored fail the upgrade re-check.

pub use convene_sdk::calendar::{Date, valid_time};
