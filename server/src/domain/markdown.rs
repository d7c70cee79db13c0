//! Markdown from organisers becomes HTML that is safe to put in a page: rendered with
//! pulldown-cmark, then cleaned by ammonia's allow-list (no scripts, no event handlers, no
//! style, links get rel="noopener noreferrer").

use pulldown_cmark::{Options, Parser, html};

pub fn render(source: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut unsafe_html = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(source, options));
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .clean(&unsafe_html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::render;

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
