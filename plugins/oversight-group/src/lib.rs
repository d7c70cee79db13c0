//! Oversight groups.
