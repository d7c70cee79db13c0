//! Charts drawn on the server as SVG, each followed by the same numbers as an HTML table, so
//! that a screen reader, a printout or a browser without images loses nothing. No chart
//! library runs in the browser.
//!
//! Bars are horizontal: labels in any language and any length fit on the side, and a phone's
//! narrow screen keeps them legible. Series are told apart by a legend, by each bar's value
//! written beside it and by the table, never by colour alone.

use askama::Template;

/// How the series of a chart are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartKind {
    /// One bar per category and series, side by side.
    Bars,
    /// One bar per category made of the series' parts (e.g. dispositions).
    Stacked,
    /// One line per series across the categories (e.g. over time).
    Line,
}

#[derive(Clone, Debug)]
pub struct Series {
    pub name: String,
    pub values: Vec<f64>,
}

#[derive(Clone, Debug)]
pub struct Chart {
    /// Unique on the page: ties the figure to its caption and table.
    pub id: String,
    pub title: String,
    pub kind: ChartKind,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    /// The header of the category column of the table.
    pub category_header: String,
    /// Words for the table's summary row, if it should have one (e.g. "Total").
    pub total_label: Option<String>,
}

const WIDTH: f64 = 640.0;
const LABEL_WIDTH: f64 = 210.0;
const VALUE_WIDTH: f64 = 70.0;
const ROW: f64 = 30.0;
const GAP: f64 = 10.0;
const PAD: f64 = 8.0;
const LINE_HEIGHT: f64 = 240.0;
/// Series colours available as classes `s1`..`s6` in the stylesheet.
const PALETTE: usize = 6;

/// A rectangle of a bar.
pub struct Bar {
    pub x: String,
    pub y: String,
    pub w: String,
    pub h: String,
    pub class: String,
    pub title: String,
}

/// A piece of text in the drawing.
pub struct Label {
    pub x: String,
    pub y: String,
    pub text: String,
    pub anchor: &'static str,
}

pub struct Polyline {
    pub points: String,
    pub class: String,
    pub dots: Vec<(String, String, String)>,
}

/// One row of the table.
pub struct Row {
    pub label: String,
    pub cells: Vec<String>,
}

#[derive(Template)]
#[template(path = "chart.html")]
struct ChartView<'a> {
    chart: &'a Chart,
    height: String,
    bars: Vec<Bar>,
    labels: Vec<Label>,
    lines: Vec<Polyline>,
    axis: Option<(String, String, String, String)>,
    legend: Vec<(String, String)>,
    rows: Vec<Row>,
    total: Option<Row>,
}

fn n(x: f64) -> String {
    format!("{x:.1}")
}

/// A value as people read it: whole numbers without decimals, others with one or two.
pub fn format_value(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

impl Chart {
    fn class(i: usize) -> String {
        format!("s{}", i % PALETTE + 1)
    }

    fn value(&self, series: usize, category: usize) -> f64 {
        self.series.get(series).and_then(|s| s.values.get(category)).copied().filter(|v| v.is_finite()).unwrap_or(0.0)
    }

    /// The figure: caption, SVG, legend and table.
    pub fn html(&self) -> String {
        let mut bars = Vec::new();
        let mut labels = Vec::new();
        let mut lines = Vec::new();
        let axis;
        let cats = self.categories.len();
        let plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
        let height;
        match self.kind {
            ChartKind::Bars | ChartKind::Stacked => {
                let per_row = if self.kind == ChartKind::Bars { self.series.len().max(1) } else { 1 };
                let row_h = ROW * per_row as f64;
                height = PAD * 2.0 + cats as f64 * (row_h + GAP);
                let max = (0..cats)
                    .map(|c| {
                        if self.kind == ChartKind::Stacked {
                            (0..self.series.len()).map(|s| self.value(s, c).max(0.0)).sum::<f64>()
                        } else {
                            (0..self.series.len()).map(|s| self.value(s, c)).fold(0.0, f64::max)
                        }
                    })
                    .fold(0.0, f64::max);
                let scale = if max > 0.0 { plot / max } else { 0.0 };
                for (c, category) in self.categories.iter().enumerate() {
                    let top = PAD + c as f64 * (row_h + GAP);
                    labels.push(Label { x: n(LABEL_WIDTH - 8.0), y: n(top + row_h / 2.0 + 4.0), text: fit(category, LABEL_WIDTH - 12.0), anchor: "end" });
                    let mut x = LABEL_WIDTH;
                    for (s, series) in self.series.iter().enumerate() {
                        let v = self.value(s, c).max(0.0);
                        let w = v * scale;
                        let (bx, by, bh) = if self.kind == ChartKind::Bars { (LABEL_WIDTH, top + s as f64 * ROW + 3.0, ROW - 6.0) } else { (x, top + 3.0, row_h - 6.0) };
                        bars.push(Bar {
                            x: n(bx),
                            y: n(by),
                            w: n(w.max(if v > 0.0 { 1.0 } else { 0.0 })),
                            h: n(bh),
                            class: Chart::class(s),
                            title: format!("{category} – {}: {}", series.name, format_value(v)),
                        });
                        if self.kind == ChartKind::Bars {
                            labels.push(Label { x: n(bx + w + 6.0), y: n(by + bh / 2.0 + 4.0), text: format_value(self.value(s, c)), anchor: "start" });
                        }
                        x += w;
                    }
                    if self.kind == ChartKind::Stacked {
                        let total: f64 = (0..self.series.len()).map(|s| self.value(s, c).max(0.0)).sum();
                        labels.push(Label { x: n(x + 6.0), y: n(top + row_h / 2.0 + 4.0), text: format_value(total), anchor: "start" });
                    }
                }
                axis = Some((n(LABEL_WIDTH), n(PAD / 2.0), n(LABEL_WIDTH), n(height - PAD / 2.0)));
            }
            ChartKind::Line => {
                height = LINE_HEIGHT + 40.0;
                let max = (0..self.series.len()).flat_map(|s| (0..cats).map(move |c| (s, c))).map(|(s, c)| self.value(s, c)).fold(0.0, f64::max);
                let left = 50.0;
                let width = WIDTH - left - 20.0;
                let step = if cats > 1 { width / (cats - 1) as f64 } else { 0.0 };
                let y_of = |v: f64| PAD + LINE_HEIGHT - if max > 0.0 { v.max(0.0) / max * LINE_HEIGHT } else { 0.0 };
                for (s, series) in self.series.iter().enumerate() {
                    let mut points = Vec::new();
                    let mut dots = Vec::new();
                    for (c, category) in self.categories.iter().enumerate() {
                        let (x, y) = (left + c as f64 * step, y_of(self.value(s, c)));
                        points.push(format!("{},{}", n(x), n(y)));
                        dots.push((n(x), n(y), format!("{category} – {}: {}", series.name, format_value(self.value(s, c)))));
                    }
                    lines.push(Polyline { points: points.join(" "), class: Chart::class(s), dots });
                }
                labels.push(Label { x: n(left - 6.0), y: n(PAD + 4.0), text: format_value(max), anchor: "end" });
                labels.push(Label { x: n(left - 6.0), y: n(PAD + LINE_HEIGHT + 4.0), text: "0".into(), anchor: "end" });
                // Category names at the ends only: the table has them all.
                if let Some(first) = self.categories.first() {
                    labels.push(Label { x: n(left), y: n(PAD + LINE_HEIGHT + 22.0), text: shorten(first, 24), anchor: "start" });
                }
                if cats > 1
                    && let Some(last) = self.categories.last()
                {
                    labels.push(Label { x: n(left + width), y: n(PAD + LINE_HEIGHT + 22.0), text: shorten(last, 24), anchor: "end" });
                }
                axis = Some((n(left), n(PAD), n(left), n(PAD + LINE_HEIGHT)));
            }
        }
        let rows = self
            .categories
            .iter()
            .enumerate()
            .map(|(c, label)| Row { label: label.clone(), cells: (0..self.series.len()).map(|s| format_value(self.value(s, c))).collect() })
            .collect();
        let total = self.total_label.as_ref().map(|label| Row {
            label: label.clone(),
            cells: (0..self.series.len()).map(|s| format_value((0..cats).map(|c| self.value(s, c)).sum())).collect(),
        });
        let view = ChartView {
            chart: self,
            height: n(height),
            bars,
            labels,
            lines,
            axis,
            legend: if self.series.len() > 1 { self.series.iter().enumerate().map(|(i, s)| (Chart::class(i), s.name.clone())).collect() } else { Vec::new() },
            rows,
            total,
        };
        view.render().unwrap_or_default()
    }
}

/// How wide a character is drawn at the charts' 13 px, in viewBox units, at most: measured
/// in DejaVu Sans, one of the widest fonts `system-ui` may be, so that a label cut to fit
/// stays inside the room before the bars in any of them.
fn char_width(c: char) -> f64 {
    match c {
        'i' | 'j' | 'l' | 'I' | 'J' | 'í' | 'ì' | 'ï' | 'î' | '.' | ',' | ':' | ';' | '\'' | '’' | '|' | '!' | ' ' => 4.2,
        'f' | 'r' | 't' | '(' | ')' | '-' | '[' | ']' | '/' => 5.2,
        'm' | 'M' | 'W' | '—' | '…' => 13.0,
        'w' => 10.7,
        c if c.is_uppercase() => 10.2,
        c if c.is_alphabetic() && (c as u32) >= 0x2E80 => 13.0,
        _ => 8.4,
    }
}

/// `s` as it fits in `room` viewBox units, ending with … when cut (the table beside the
/// chart has it whole).
fn fit(s: &str, room: f64) -> String {
    let widths: Vec<f64> = s.chars().map(char_width).collect();
    if widths.iter().sum::<f64>() <= room {
        return s.to_string();
    }
    let mut used = char_width('…');
    let kept: String = s.chars().zip(widths).take_while(|(_, w)| {
        used += w;
        used <= room
    }).map(|(c, _)| c).collect();
    format!("{}…", kept.trim_end())
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max - 1).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(kind: ChartKind) -> Chart {
        Chart {
            id: "c1".into(),
            title: "Answers <b>".into(),
            kind,
            categories: vec!["Yes".into(), "No & maybe".into()],
            series: vec![Series { name: "Online".into(), values: vec![3.0, 1.5] }, Series { name: "Paper".into(), values: vec![2.0, 0.0] }],
            category_header: "Answer".into(),
            total_label: Some("Total".into()),
        }
    }

    #[test]
    fn long_bar_labels_are_cut_to_fit_before_the_bars() {
        assert_eq!(fit("Health", 198.0), "Health");
        let cut = fit("Booking and reminders for appointments", 198.0);
        assert!(cut.ends_with('…') && cut.starts_with("Booking and reminders"), "{cut}");
        assert!(cut.chars().map(char_width).sum::<f64>() <= 198.0, "{cut}");
        let wide = fit("WWWWWWWWWWWWWWWWWWWWWWWW", 198.0);
        assert!(wide.chars().count() < 17, "{wide}");
    }

    #[test]
    fn bars_come_with_a_table_of_the_same_numbers_and_escape_text() {
        let html = chart(ChartKind::Bars).html();
        assert!(html.contains("<svg") && html.contains("<table"), "{html}");
        assert!(html.contains("Answers &#60;b&#62;") || html.contains("Answers &lt;b&gt;"), "{html}");
        assert!(html.contains("No &#38; maybe") || html.contains("No &amp; maybe"), "{html}");
        assert_eq!(html.matches("<rect").count(), 4, "{html}");
        assert!(html.contains(">1.50<") && html.contains(">4.50<"), "values and totals in the table: {html}");
        assert!(!html.contains("style="), "no inline styles under the page's CSP");
    }

    #[test]
    fn stacked_and_line_charts_render_and_survive_odd_numbers() {
        let mut c = chart(ChartKind::Stacked);
        c.series[0].values = vec![f64::NAN, -3.0];
        let html = c.html();
        assert!(html.contains("<svg"));
        let line = chart(ChartKind::Line).html();
        assert!(line.contains("<polyline"), "{line}");
        let empty = Chart { categories: vec![], series: vec![], ..chart(ChartKind::Bars) }.html();
        assert!(empty.contains("<table"));
    }
}
