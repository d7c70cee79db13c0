//! The structured meeting report shared by roundtables and self-convened meetings: one
//! implementation of what a report holds and how it is checked ([`Report`]), of how
//! recommendations from many meetings are merged ([`merge_recommendations`]), and of the
//! result sections every meeting-based activity type shows, so the types cannot drift apart.

mod report;
pub mod sections;
pub mod when;

pub use report::{MAX_ITEM_CHARS, MAX_ITEMS, Report, form, merge_recommendations};

#[cfg(test)]
mod tests;
