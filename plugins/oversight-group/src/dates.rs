//! Calendar days, from the SDK (shared with the meeting report's dates).

pub use convene_sdk::calendar::*;
