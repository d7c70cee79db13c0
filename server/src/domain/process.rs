//! Processes: what they are about, how deep the participation goes, who may see them, and
//! their timeline (phases and milestones) and commitments on input.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::errors::FieldError;
use super::localized::{LocalizedText, TextRule};

/// Declares enum <-> string conversions for storage, in one place per enum.
#[macro_export]
macro_rules! string_enum {
    ($name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn from_stored(s: &str) -> Option<$name> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }

            pub fn choices() -> String {
                [$($text),+].join(", ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    National,
    Regional,
    Local,
    Sectoral,
}
crate::string_enum!(Scope { National => "national", Regional => "regional", Local => "local", Sectoral => "sectoral" });

/// The IAP2 spectrum: the promise the organisers make about the public's influence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Iap2Level {
    Inform,
    Consult,
    Involve,
    Collaborate,
    Empower,
}
crate::string_enum!(Iap2Level {
    Inform => "inform",
    Consult => "consult",
    Involve => "involve",
    Collaborate => "collaborate",
    Empower => "empower",
});

/// Who may see a process once it is published.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Listed and readable by everyone.
    Public,
    /// Readable by anyone with the link, not listed.
    Unlisted,
    /// Readable only by its members and instance admins.
    Private,
}
crate::string_enum!(Visibility { Public => "public", Unlisted => "unlisted", Private => "private" });

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProcessStatus {
    /// Being prepared; only members and admins see it.
    Draft,
    Published,
    /// Finished and read-only; still readable under its visibility.
    Archived,
}
crate::string_enum!(ProcessStatus { Draft => "draft", Published => "published", Archived => "archived" });

pub const TITLE: TextRule = TextRule { max_chars: 200, multiline: false };
pub const SUMMARY: TextRule = TextRule { max_chars: 500, multiline: true };
pub const DESCRIPTION: TextRule = TextRule { max_chars: 20_000, multiline: true };
pub const PHASE_NAME: TextRule = TextRule { max_chars: 120, multiline: false };
pub const LONG_NOTE: TextRule = TextRule { max_chars: 1_000, multiline: true };
pub const MAX_PHASES: usize = 20;
pub const MAX_MILESTONES: usize = 50;
pub const MAX_COMMITMENTS: usize = 20;
pub const MAX_TOPICS: usize = 10;

#[derive(Clone, Debug, PartialEq)]
pub struct Phase {
    pub name: LocalizedText,
    pub description: LocalizedText,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PhaseState {
    Past,
    Current,
    Upcoming,
}

impl Phase {
    pub fn state_on(&self, today: NaiveDate) -> PhaseState {
        if today < self.starts_on {
            PhaseState::Upcoming
        } else if today > self.ends_on {
            PhaseState::Past
        } else {
            PhaseState::Current
        }
    }
}

/// Phases must each end on or after their start, come in date order and not overlap, so
/// that "which phase are we in?" always has one answer.
pub fn check_timeline(phases: &[Phase]) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    if phases.len() > MAX_PHASES {
        errors.push(FieldError::new("phases", format!("at most {MAX_PHASES} phases")));
    }
    for (i, p) in phases.iter().enumerate() {
        if p.ends_on < p.starts_on {
            errors.push(FieldError::new(
                format!("phases[{i}].ends_on"),
                format!("{} is before the phase starts ({})", p.ends_on, p.starts_on),
            ));
        }
        if i > 0 && p.starts_on <= phases[i - 1].ends_on {
            errors.push(FieldError::new(
                format!("phases[{i}].starts_on"),
                format!(
                    "{} overlaps phase {} which ends on {}; phases are in date order and do not overlap",
                    p.starts_on,
                    i - 1,
                    phases[i - 1].ends_on
                ),
            ));
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Milestone {
    pub title: LocalizedText,
    pub description: LocalizedText,
    pub due_on: NaiveDate,
}

/// The measurable part of a commitment, which later reports check against what happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Measure {
    /// Respond publicly to every contribution within `days` days of the close of the
    /// activity it was made in.
    RespondWithinDays { days: u16 },
    /// Publish the outcome within `days` days of the end of the last phase.
    PublishOutcomeWithinDays { days: u16 },
}

impl Measure {
    pub fn kind(self) -> &'static str {
        match self {
            Measure::RespondWithinDays { .. } => "respond_within_days",
            Measure::PublishOutcomeWithinDays { .. } => "publish_outcome_within_days",
        }
    }

    pub fn days(self) -> u16 {
        match self {
            Measure::RespondWithinDays { days } | Measure::PublishOutcomeWithinDays { days } => days,
        }
    }

    pub fn from_stored(kind: &str, days: i32) -> Option<Measure> {
        let days = u16::try_from(days).ok()?;
        match kind {
            "respond_within_days" => Some(Measure::RespondWithinDays { days }),
            "publish_outcome_within_days" => Some(Measure::PublishOutcomeWithinDays { days }),
            _ => None,
        }
    }

    pub fn check(self, field: &str) -> Result<Measure, FieldError> {
        if (1..=730).contains(&self.days()) {
            Ok(self)
        } else {
            Err(FieldError::new(format!("{field}.days"), "must be between 1 and 730"))
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Commitment {
    pub text: LocalizedText,
    pub measure: Option<Measure>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phase(start: &str, end: &str) -> Phase {
        Phase {
            name: LocalizedText::default(),
            description: LocalizedText::default(),
            starts_on: start.parse().unwrap(),
            ends_on: end.parse().unwrap(),
        }
    }

    #[test]
    fn timeline_rules() {
        assert!(check_timeline(&[phase("2027-01-01", "2027-01-31"), phase("2027-02-01", "2027-03-01")]).is_ok());
        let errs = check_timeline(&[phase("2027-01-10", "2027-01-01")]).unwrap_err();
        assert_eq!(errs[0].field, "phases[0].ends_on");
        let errs = check_timeline(&[phase("2027-01-01", "2027-01-31"), phase("2027-01-31", "2027-03-01")]).unwrap_err();
        assert_eq!(errs[0].field, "phases[1].starts_on");
    }

    #[test]
    fn phase_state() {
        let p = phase("2027-01-01", "2027-01-31");
        assert_eq!(p.state_on("2026-12-31".parse().unwrap()), PhaseState::Upcoming);
        assert_eq!(p.state_on("2027-01-31".parse().unwrap()), PhaseState::Current);
        assert_eq!(p.state_on("2027-02-01".parse().unwrap()), PhaseState::Past);
    }

    #[test]
    fn enums_round_trip() {
        for s in Scope::ALL {
            assert_eq!(Scope::from_stored(s.as_str()), Some(*s));
        }
        assert_eq!(Visibility::from_stored("secret"), None);
        assert!(Measure::RespondWithinDays { days: 0 }.check("m").is_err());
    }
}

/// Who may read a process. Drafts and private processes are for members and admins; the rest
/// for everyone. Every read of a process goes through this one rule.
pub fn can_view(status: ProcessStatus, visibility: Visibility, is_admin: bool, is_member: bool) -> bool {
    if is_admin || is_member {
        return true;
    }
    status != ProcessStatus::Draft && visibility != Visibility::Private
}

/// Whether everyone may come across a process without being given its link: it is listed,
/// and its public facts go to the ledger (and later to feeds and federation). Published or
/// archived, and public; unlisted processes are readable by link only. Lists build their
/// query from this rule (see [`listed_pairs`]), so the two cannot drift apart.
pub fn is_listed(status: ProcessStatus, visibility: Visibility) -> bool {
    status != ProcessStatus::Draft && visibility == Visibility::Public
}

/// Every (status, visibility) that [`is_listed`] lets through, for building queries.
pub fn listed_pairs() -> impl Iterator<Item = (ProcessStatus, Visibility)> {
    ProcessStatus::ALL
        .iter()
        .flat_map(|s| Visibility::ALL.iter().map(move |v| (*s, *v)))
        .filter(|(s, v)| is_listed(*s, *v))
}

#[cfg(test)]
mod visibility_tests {
    use super::*;

    #[test]
    fn visibility_rule() {
        use ProcessStatus::*;
        use Visibility::*;
        assert!(can_view(Published, Public, false, false));
        assert!(can_view(Archived, Unlisted, false, false));
        assert!(!can_view(Published, Private, false, false));
        assert!(!can_view(Draft, Public, false, false));
        assert!(can_view(Draft, Private, false, true));
        assert!(can_view(Draft, Private, true, false));
        // Listed implies readable by anyone.
        for (s, v) in listed_pairs() {
            assert!(can_view(s, v, false, false));
        }
        assert_eq!(listed_pairs().collect::<Vec<_>>(), [(Published, Public), (Archived, Public)]);
    }
}
