//! Who may do what in a process: the one rule the app layer enforces and the pages read to
//! decide which actions to show. A page never decides authorisation itself; it asks for the
//! viewer's [`Powers`] and shows an action only when the app function behind it would allow
//! it, so a forged post for a hidden action gets the same 403 as the API.

use super::account::ProcessRole;

/// What one person may do in one process (or on the instance, for `admin`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Powers {
    /// Instance administrator: everything, on every process, and the instance's own pages.
    pub admin: bool,
    /// Edit, publish and archive the process; add activities; respond; publish outcomes;
    /// manage members; run the citizen panel's draw.
    pub manage: bool,
    /// Enter paper, phone and in-person input on behalf of others.
    pub facilitate: bool,
    /// See reports, hide and restore contributions, see facilitators' references.
    pub moderate: bool,
}

impl Powers {
    pub fn of(is_admin: bool, role: Option<ProcessRole>) -> Powers {
        let organiser = role == Some(ProcessRole::Organiser);
        let facilitator = role == Some(ProcessRole::Facilitator);
        Powers { admin: is_admin, manage: is_admin || organiser, facilitate: is_admin || organiser || facilitator, moderate: is_admin || organiser || facilitator }
    }

    /// Whether the process has any staff page for this person.
    pub fn any_staff(&self) -> bool {
        self.manage || self.facilitate || self.moderate
    }
}

/// The roles that make someone staff of a process (to find their processes in one query), read
/// off [`Powers::of`] so that the list and the rule cannot differ.
pub fn staff_roles() -> Vec<ProcessRole> {
    ProcessRole::ALL.iter().copied().filter(|r| Powers::of(false, Some(*r)).any_staff()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_gets_its_powers_and_no_more() {
        let none = Powers::of(false, None);
        assert!(!none.any_staff());
        for role in [ProcessRole::Participant, ProcessRole::Observer] {
            assert_eq!(Powers::of(false, Some(role)), none, "{role:?}");
        }
        let f = Powers::of(false, Some(ProcessRole::Facilitator));
        assert!(f.facilitate && f.moderate && !f.manage && !f.admin);
        let o = Powers::of(false, Some(ProcessRole::Organiser));
        assert!(o.manage && o.facilitate && o.moderate && !o.admin);
        assert_eq!(staff_roles(), vec![ProcessRole::Organiser, ProcessRole::Facilitator]);
        let a = Powers::of(true, None);
        assert!(a.admin && a.manage && a.facilitate && a.moderate);
    }
}
