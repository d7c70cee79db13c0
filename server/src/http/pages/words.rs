//! The product's fixed vocabulary in the reader's words: scopes, statuses, participation
//! levels and their promises, channels, dispositions. One place, so every page says the same.

use super::i18n::Tr;
use crate::domain::participation::{Channel, Disposition};
use crate::domain::process::{Iap2Level, ProcessStatus, Scope};

pub const LEVELS: [Iap2Level; 5] = [Iap2Level::Inform, Iap2Level::Consult, Iap2Level::Involve, Iap2Level::Collaborate, Iap2Level::Empower];

pub const DISPOSITIONS: [Disposition; 5] =
    [Disposition::Adopted, Disposition::PartlyAdopted, Disposition::NotAdopted, Disposition::OutOfScope, Disposition::Noted];

pub fn scope(tr: &Tr, s: Scope) -> String {
    tr.t(&format!("scope-{}", s.as_str()))
}

pub fn status(tr: &Tr, s: ProcessStatus) -> String {
    tr.t(&format!("status-{}", s.as_str()))
}

/// "Consult".
pub fn level_name(tr: &Tr, l: Iap2Level) -> String {
    tr.t(&format!("level-{}", l.as_str()))
}

/// "We ask for your views and tell you what we did with them."
pub fn level_promise(tr: &Tr, l: Iap2Level) -> String {
    tr.t(&format!("level-{}-promise", l.as_str()))
}

pub fn channel(tr: &Tr, c: Channel) -> String {
    tr.t(&format!("channel-{}", c.as_str().replace('_', "-")))
}

pub fn disposition(tr: &Tr, d: Disposition) -> String {
    tr.t(&format!("disposition-{}", d.as_str().replace('_', "-")))
}
