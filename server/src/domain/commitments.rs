//! Checking a commitment's measurable part against what happened: met, missed, at risk, or
//! pending. Pure, so the rule is testable and the same everywhere it is shown.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::process::Measure;

/// A deadline this close (or closer) with the work not done is "at risk".
pub const AT_RISK_WITHIN: Duration = Duration::days(7);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CommitmentStatus {
    /// Done, on time, everywhere it applies.
    Met,
    /// A deadline passed without it, or it was done late.
    Missed,
    /// Not done, and a deadline is near.
    AtRisk,
    /// Not due yet (or nothing to measure yet).
    Pending,
}

/// One thing a commitment applies to: when it is due (None: not yet known, e.g. an activity
/// with no closing date) and when it was done.
#[derive(Clone, Copy, Debug)]
pub struct Obligation {
    pub due: Option<DateTime<Utc>>,
    pub done: Option<DateTime<Utc>>,
}

/// Counts behind a status, for the report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Tally {
    pub on_time: u64,
    pub late: u64,
    /// Due date passed, not done.
    pub overdue: u64,
    /// Not done, due within the at-risk window.
    pub due_soon: u64,
    /// Not done, not due yet (or no due date yet).
    pub open: u64,
}

pub fn tally(obligations: &[Obligation], now: DateTime<Utc>) -> Tally {
    let mut t = Tally::default();
    for o in obligations {
        match (o.done, o.due) {
            (Some(done), Some(due)) if done <= due => t.on_time += 1,
            (Some(_), Some(_)) => t.late += 1,
            (Some(_), None) => t.on_time += 1,
            (None, Some(due)) if now > due => t.overdue += 1,
            (None, Some(due)) if due - now <= AT_RISK_WITHIN => t.due_soon += 1,
            (None, _) => t.open += 1,
        }
    }
    t
}

pub fn status(t: Tally) -> CommitmentStatus {
    if t.late > 0 || t.overdue > 0 {
        CommitmentStatus::Missed
    } else if t.due_soon > 0 {
        CommitmentStatus::AtRisk
    } else if t.open > 0 || t.on_time == 0 {
        CommitmentStatus::Pending
    } else {
        CommitmentStatus::Met
    }
}

/// The due date of a measure, from the moment its clock starts.
pub fn due(measure: Measure, starts: DateTime<Utc>) -> DateTime<Utc> {
    starts + Duration::days(measure.days() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + day * 86_400, 0).unwrap()
    }

    #[test]
    fn statuses_follow_the_worst_obligation() {
        let now = at(100);
        let on_time = Obligation { due: Some(at(90)), done: Some(at(80)) };
        let late = Obligation { due: Some(at(90)), done: Some(at(95)) };
        let overdue = Obligation { due: Some(at(90)), done: None };
        let soon = Obligation { due: Some(at(103)), done: None };
        let later = Obligation { due: Some(at(150)), done: None };
        assert_eq!(status(tally(&[on_time], now)), CommitmentStatus::Met);
        assert_eq!(status(tally(&[on_time, late], now)), CommitmentStatus::Missed);
        assert_eq!(status(tally(&[on_time, overdue], now)), CommitmentStatus::Missed);
        assert_eq!(status(tally(&[on_time, soon, later], now)), CommitmentStatus::AtRisk);
        assert_eq!(status(tally(&[on_time, later], now)), CommitmentStatus::Pending);
        assert_eq!(status(tally(&[], now)), CommitmentStatus::Pending);
        assert_eq!(tally(&[on_time, late, overdue, soon, later], now), Tally { on_time: 1, late: 1, overdue: 1, due_soon: 1, open: 1 });
    }
}
