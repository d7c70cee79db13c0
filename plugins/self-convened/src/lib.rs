//! Self-convened meetings.
