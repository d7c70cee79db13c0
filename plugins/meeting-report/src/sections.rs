//! Result sections built from reports, identical wherever meeting reports are shown.

use convene_sdk::results::table;
use convene_sdk::{Section, tr};

use crate::{Report, merge_recommendations};

/// Recommendations across the given reports (one per meeting), merged by
/// [`merge_recommendations`]: the text as first written and how many meetings made it.
pub fn recommendations_table<'a>(reports: impl Iterator<Item = &'a Report>) -> Section {
    table(
        tr(&[("en", "Recommendations, merged"), ("es", "Recomendaciones, agrupadas")]),
        vec![tr(&[("en", "Recommendation")]), tr(&[("en", "Meetings that made it")])],
        merge_recommendations(reports).into_iter().map(|(text, n)| vec![text, n.to_string()]).collect(),
    )
}

/// Every key point, labelled with the meeting that raised it, in the order given.
pub fn key_points_table<'a>(reports: impl Iterator<Item = (&'a str, &'a Report)>) -> Section {
    table(
        tr(&[("en", "Key points"), ("es", "Puntos clave")]),
        vec![tr(&[("en", "Meeting"), ("es", "Encuentro")]), tr(&[("en", "Key point"), ("es", "Punto clave")])],
        rows(reports, |r| &r.key_points),
    )
}

/// Every dissenting view, labelled with its meeting: dissent is never merged or counted, so
/// a view one meeting did not share is read in its own words.
pub fn dissent_table<'a>(reports: impl Iterator<Item = (&'a str, &'a Report)>) -> Section {
    table(
        tr(&[("en", "Dissenting views"), ("es", "Opiniones discrepantes")]),
        vec![tr(&[("en", "Meeting"), ("es", "Encuentro")]), tr(&[("en", "Dissenting view"), ("es", "Opinión discrepante")])],
        rows(reports, |r| &r.dissent),
    )
}

fn rows<'a>(reports: impl Iterator<Item = (&'a str, &'a Report)>, items: impl Fn(&'a Report) -> &'a Vec<String>) -> Vec<Vec<String>> {
    reports.flat_map(|(meeting, r)| items(r).iter().map(move |item| vec![meeting.to_string(), item.clone()])).collect()
}
