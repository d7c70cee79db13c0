//! The vocabulary of participation: how input came in, where it stands, and what organisers
//! decided about it.

use serde::{Deserialize, Serialize};

/// How a contribution reached the process. Everything but `online` is entered by a
/// facilitator on someone's behalf, and reports show the mix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Online,
    Paper,
    Phone,
    InPerson,
    Federated,
}
crate::string_enum!(Channel { Online => "online", Paper => "paper", Phone => "phone", InPerson => "in_person", Federated => "federated" });

impl Channel {
    /// The letter that starts generated reference numbers (P-3F9K2A for a paper form).
    pub fn reference_prefix(self) -> &'static str {
        match self {
            Channel::Paper => "P",
            Channel::Phone => "T",
            Channel::InPerson => "I",
            Channel::Online | Channel::Federated => "O",
        }
    }
}

/// Where a contribution stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContributionStatus {
    Visible,
    /// Hidden by moderators, with a public reason.
    Hidden,
    /// Taken back by its author while the activity was open.
    Withdrawn,
}
crate::string_enum!(ContributionStatus { Visible => "visible", Hidden => "hidden", Withdrawn => "withdrawn" });

/// What organisers did with a contribution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Disposition {
    Adopted,
    PartlyAdopted,
    NotAdopted,
    OutOfScope,
    /// Read and taken into account, without a decision that it changes something.
    Noted,
}
crate::string_enum!(Disposition {
    Adopted => "adopted",
    PartlyAdopted => "partly_adopted",
    NotAdopted => "not_adopted",
    OutOfScope => "out_of_scope",
    Noted => "noted",
});

/// A reference for facilitated input, unique enough to find the paper form again.
pub fn generate_reference(channel: Channel) -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let code: String = (0..6).map(|_| ALPHABET[rand::random_range(0..ALPHABET.len())] as char).collect();
    format!("{}-{code}", channel.reference_prefix())
}
