//! The facts model (the interchange format), reading facts files, and fact-level checks.
//!
//! Entry points: [`Facts`], [`read_facts_file`] (parse + [`check`]), [`json_schema`].

mod check;
mod model;

use std::path::{Path, PathBuf};

pub use check::{check, Problem};
pub use model::*;

/// Why a facts file could not be used. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum FactsError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: invalid facts JSON: {message}")]
    Json {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: {} problem(s) in the facts:\n{}", problems.len(), format_problems(problems))]
    Invalid {
        path: PathBuf,
        problems: Vec<Problem>,
    },
}

fn format_problems(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  - {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Parses facts JSON from `text`; `path` only names the input in errors.
pub fn parse_facts(path: &Path, text: &str) -> Result<Facts, FactsError> {
    let facts: Facts = serde_json::from_str(text).map_err(|e| FactsError::Json {
        path: path.into(),
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    })?;
    let problems = check(&facts);
    if problems.is_empty() {
        Ok(facts)
    } else {
        Err(FactsError::Invalid {
            path: path.into(),
            problems,
        })
    }
}

/// serde_json appends " at line L column C"; we print the position in front instead.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg.to_owned(),
    }
}

/// Reads and checks one facts file.
pub fn read_facts_file(path: &Path) -> Result<Facts, FactsError> {
    let text = std::fs::read_to_string(path).map_err(|source| FactsError::Io {
        path: path.into(),
        source,
    })?;
    parse_facts(path, &text)
}

/// Serialises facts as pretty JSON with a trailing newline.
pub fn to_json(facts: &Facts) -> String {
    let mut s = serde_json::to_string_pretty(facts).expect("facts always serialise");
    s.push('\n');
    s
}

/// The JSON Schema of the facts format, pretty-printed.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Facts);
    let mut s = serde_json::to_string_pretty(&schema).expect("schema serialises");
    s.push('\n');
    s
}

/// Builds a [`Span`] from char offsets into `text`; `None` when out of range.
pub fn span_of(text: &str, start: usize, end: usize) -> Option<Span> {
    if start > end {
        return None;
    }
    let covered: String = text.chars().skip(start).take(end - start).collect();
    (covered.chars().count() == end - start).then_some(Span {
        start,
        end,
        text: covered,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_error_names_line_and_column() {
        let e = parse_facts(Path::new("f.json"), "{\n  \"format\": 3,\n}").unwrap_err();
        let msg = e.to_string();
        assert!(msg.starts_with("f.json:2:"), "{msg}");
        assert!(!msg.contains(" at line "), "{msg}");
    }

    #[test]
    fn schema_mentions_every_top_level_field() {
        let s = json_schema();
        for field in [
            "format",
            "article",
            "generated_by",
            "entities",
            "posts",
            "events",
        ] {
            assert!(s.contains(&format!("\"{field}\"")), "{field}");
        }
    }

    #[test]
    fn span_of_counts_chars() {
        let s = span_of("Türkiye and Israel", 0, 7).unwrap();
        assert_eq!(s.text, "Türkiye");
        assert!(span_of("abc", 2, 4).is_none());
    }
}

#[cfg(test)]
mod flatten_tests {
    use super::*;

    /// Regression: `ArticleRecord` flattens `ArticleMeta`; unknown keys must still be refused
    /// and positions still reported.
    #[test]
    fn unknown_article_field_is_refused() {
        let json = r#"{"format":"newsgraph-facts/1","article":{"id":"a","text":"x","headlin":"H"},
            "generated_by":{"tool":"hand","annotator":"me"}}"#;
        let e = parse_facts(Path::new("f.json"), json).unwrap_err();
        assert!(e.to_string().contains("headlin"), "{e}");
    }

    #[test]
    fn wrong_type_in_article_meta_is_refused() {
        let json = r#"{"format":"newsgraph-facts/1","article":{"id":"a","text":"x","published":5},
            "generated_by":{"tool":"hand","annotator":"me"}}"#;
        let e = parse_facts(Path::new("f.json"), json).unwrap_err();
        assert!(e.to_string().starts_with("f.json:"), "{e}");
    }
}
