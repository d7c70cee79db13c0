//! The one rule for JSON the server keeps and serves back: contribution bodies (as people send
//! them and as plugins normalise them), activity configurations, results. Whatever is stored
//! must read back equal, so it is checked against what the reading side accepts before it is
//! stored:
//!
//! - a size limit, given by the caller (the API's limit for that kind of document);
//! - at most [`MAX_DEPTH`] nested arrays and objects. serde_json, which reads bodies back for
//!   the API and inside every plugin built with the SDK, refuses documents nested 128 levels
//!   or deeper; a body is served inside envelopes (a page of contributions, an export) that
//!   add levels of their own, and API clients in other languages have limits of their own. A
//!   deeper body used to be stored with 201 and served as `null`;
//! - it parses as a `serde_json::Value` (what the API serves), so escapes that only a lenient
//!   scan accepts (a lone surrogate, a number out of range) are refused too.
//!
//! Both databases keep the text as it is (a `text` column), so this is all that can differ.

use std::fmt;

/// The deepest nesting of arrays and objects stored: half of what serde_json reads back.
pub const MAX_DEPTH: usize = 64;

/// Why a JSON document may not be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonProblem {
    TooLarge { bytes: usize, limit: usize },
    TooDeep { limit: usize },
    NotJson(String),
}

impl fmt::Display for JsonProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonProblem::TooLarge { bytes, limit } => write!(f, "is {bytes} bytes; the limit is {limit}"),
            JsonProblem::TooDeep { limit } => write!(f, "nests arrays and objects more than {limit} levels deep"),
            JsonProblem::NotJson(why) => write!(f, "is not valid JSON: {why}"),
        }
    }
}

/// Checks JSON text before it is stored or served, and returns it parsed. The size is checked
/// first and the depth by a scan without recursion, so a hostile document costs at most
/// `max_bytes` of reading.
pub fn check(text: &str, max_bytes: usize) -> Result<serde_json::Value, JsonProblem> {
    if text.len() > max_bytes {
        return Err(JsonProblem::TooLarge { bytes: text.len(), limit: max_bytes });
    }
    if depth_exceeds(text, MAX_DEPTH) {
        return Err(JsonProblem::TooDeep { limit: MAX_DEPTH });
    }
    serde_json::from_str(text).map_err(|e| JsonProblem::NotJson(e.to_string()))
}

/// Whether arrays and objects nest deeper than `limit` anywhere in `text` (brackets inside
/// strings do not count). Stops at the first level too deep.
fn depth_exceeds(text: &str, limit: usize) -> bool {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for b in text.bytes() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(levels: usize) -> String {
        format!("{}1{}", "[".repeat(levels), "]".repeat(levels))
    }

    #[test]
    fn the_deepest_allowed_document_reads_back_inside_the_apis_envelopes() {
        let body: serde_json::Value = check(&nested(MAX_DEPTH), 1 << 20).unwrap();
        // A page of contributions, inside an export of a process: still readable by serde_json.
        let served = serde_json::json!({ "process": { "activities": [{ "items": [{ "body": body }] }] } }).to_string();
        let read: serde_json::Value = serde_json::from_str(&served).expect("serde_json reads it back");
        assert_eq!(read["process"]["activities"][0]["items"][0]["body"], body);
    }

    #[test]
    fn one_level_more_is_refused_before_parsing_however_deep() {
        assert_eq!(check(&nested(MAX_DEPTH + 1), 1 << 20), Err(JsonProblem::TooDeep { limit: MAX_DEPTH }));
        let deep_objects = format!("{}1{}", r#"{"a":"#.repeat(1000), "}".repeat(1000));
        assert_eq!(check(&deep_objects, 1 << 20), Err(JsonProblem::TooDeep { limit: MAX_DEPTH }));
        // What serde_json alone would have made of it: the reason bodies read back as null.
        assert!(serde_json::from_str::<serde_json::Value>(&nested(200)).is_err());
    }

    #[test]
    fn brackets_inside_strings_are_text_not_nesting() {
        let text = serde_json::json!({ "note": "[".repeat(500), "quote": "\\\"[[[" }).to_string();
        assert!(check(&text, 1 << 20).is_ok());
    }

    #[test]
    fn the_size_is_counted_in_bytes_of_the_text() {
        let text = serde_json::Value::String("é".repeat(10)).to_string();
        assert_eq!(text.len(), 22);
        assert!(check(&text, 22).is_ok());
        assert_eq!(check(&text, 21), Err(JsonProblem::TooLarge { bytes: 22, limit: 21 }));
    }

    #[test]
    fn what_serde_json_cannot_read_back_is_refused() {
        for bad in [r#""\ud800""#, "1e400", "{", "[1,]", ""] {
            assert!(matches!(check(bad, 1 << 20), Err(JsonProblem::NotJson(_))), "{bad}");
        }
    }
}
