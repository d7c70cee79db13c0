//! Builders for result sections: text, tables and chart data. Never HTML.

use crate::types::*;

pub fn text(title: Localized, body: Localized) -> Section {
    Section::Text { title, body }
}

pub fn table(title: Localized, columns: Vec<Localized>, rows: Vec<Vec<String>>) -> Section {
    Section::Table { title, columns, rows }
}

/// A bar chart of one series, e.g. the count of each answer to a question.
pub fn bar_chart(title: Localized, labels: Vec<Localized>, name: Localized, values: Vec<f64>) -> Section {
    Section::Chart { title, kind: ChartKind::Bar, labels, series: vec![Series { name, values }] }
}
