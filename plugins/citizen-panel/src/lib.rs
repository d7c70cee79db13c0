//! Citizen panels.
