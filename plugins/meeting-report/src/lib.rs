//! The structured meeting report shared by roundtables and self-convened meetings.
