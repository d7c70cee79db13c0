//! Markdown from organisers becomes HTML that is safe to put in a page: rendered with
//! pulldown-cmark, then cleaned by ammonia's allow-list (no scripts, no event handlers, no
//! style, links get rel="noopener noreferrer").

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

fn options() -> Options {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options
}

fn clean<'a>(source: &str, events: impl Iterator<Item = Event<'a>>) -> String {
    let mut unsafe_html = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut unsafe_html, events);
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .clean(&unsafe_html)
        .to_string()
}

pub fn render(source: &str) -> String {
    clean(source, Parser::new_ext(source, options()))
}

/// Like [`render`], for text shown under a heading of level `parent` (2 for a page's h2
/// section): the text's top-most headings become `parent + 1` and the others keep their
/// distance below them (at most h6), so that the page's headings stay in order whether the
/// author started at `#` or `###`.
pub fn render_under(source: &str, parent: u8) -> String {
    let events: Vec<Event> = Parser::new_ext(source, options()).collect();
    let top = events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(*level as i32),
            _ => None,
        })
        .min();
    let shift = top.map_or(0, |t| i32::from(parent) + 1 - t);
    let moved = |level: HeadingLevel| {
        let n = (level as i32 + shift).clamp(1, 6);
        HeadingLevel::try_from(n as usize).unwrap_or(HeadingLevel::H6)
    };
    let events = events.into_iter().map(|e| match e {
        Event::Start(Tag::Heading { level, id, classes, attrs }) => Event::Start(Tag::Heading { level: moved(level), id, classes, attrs }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(moved(level))),
        e => e,
    });
    clean(source, events)
}

#[cfg(test)]
mod tests {
    use super::{render, render_under};

    #[test]
    fn headings_under_a_section_start_one_level_below_it() {
        let html = render_under("# Top\n\ntext\n\n## Sub\n\n#### Deep", 2);
        assert!(html.contains("<h3>Top</h3>") && html.contains("<h4>Sub</h4>") && html.contains("<h6>Deep</h6>"), "{html}");
        let html = render_under("### Starts low\n\n#### Below", 2);
        assert!(html.contains("<h3>Starts low</h3>") && html.contains("<h4>Below</h4>"), "{html}");
        let html = render_under("## A\n\n###### F", 4);
        assert!(html.contains("<h5>A</h5>") && html.contains("<h6>F</h6>"), "never past h6: {html}");
        assert_eq!(render_under("no headings <script>x</script>", 2), render("no headings <script>x</script>"));
    }

    #[test]
    fn keeps_structure_and_drops_scripts() {
        let html = render("## Phases\n\n- one\n- [two](https://example.org)\n\n<script>alert(1)</script><img src=x onerror=alert(1)>");
        assert!(html.contains("<h2>Phases</h2>"));
        assert!(html.contains("<li>one</li>"));
        assert!(html.contains("href=\"https://example.org\""));
        assert!(!html.contains("<script"));
        assert!(!html.contains("onerror"));
        assert!(!render("[x](javascript:alert(1))").contains("javascript:"));
    }
}
