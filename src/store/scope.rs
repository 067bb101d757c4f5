//! Scoped queries: a query file whose answer grows with the store (one row per mention, per
//! event, per article) declares the variables that narrow it, and runs only with one of them
//! bound (`--bind`) or when the whole store is asked for (`--all`).
//!
//! Entry point: [`Scope::of_query`], which reads the declaration from the query's leading
//! comment lines:
//!
//! ```sparql
//! # Scope: article, name
//! ```
//!
//! Overview queries (persons, places, who met whom) declare no scope: they read the summary
//! graph, whose size grows with the distinct entities, not with the articles.

use oxigraph::model::Variable;

/// The comment that declares a query's scope variables.
const SCOPE_PREFIX: &str = "Scope:";

/// The variables that scope a query; empty for a query that declares none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    pub variables: Vec<Variable>,
}

/// A `# Scope:` line that does not name SPARQL variables.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {message}; write the scope as `# Scope: article, name` (variable names, comma-separated)")]
pub struct ScopeError {
    pub line: usize,
    pub message: String,
}

impl Scope {
    /// Reads the `# Scope:` line among the comment lines that open `text` (blank lines and
    /// comments before the first line of SPARQL).
    pub fn of_query(text: &str) -> Result<Self, ScopeError> {
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let Some(comment) = line.strip_prefix('#') else {
                break;
            };
            let Some(list) = comment.trim_start().strip_prefix(SCOPE_PREFIX) else {
                continue;
            };
            let err = |message: String| ScopeError {
                line: i + 1,
                message,
            };
            let variables = list
                .split(',')
                .map(|v| {
                    let v = v.trim();
                    Variable::new(v.trim_start_matches(['?', '$']))
                        .map_err(|e| err(format!("{v:?} is not a variable name: {e}")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(Scope { variables });
        }
        Ok(Scope::default())
    }

    /// Whether the query may run: it declares no scope, or one of its variables is bound.
    pub fn is_met_by<'a>(&self, mut bound: impl Iterator<Item = &'a Variable>) -> bool {
        self.variables.is_empty() || bound.any(|b| self.variables.contains(b))
    }

    /// The variable names, as a user writes them after `--bind` (`article or name`).
    pub fn names(&self) -> String {
        self.variables
            .iter()
            .map(Variable::as_str)
            .collect::<Vec<_>>()
            .join(" or ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn var(s: &str) -> Variable {
        Variable::new_unchecked(s)
    }

    #[test]
    fn the_scope_line_is_read_from_the_leading_comments() {
        let q = "# Mentions.\n\n# Scope: article, ?name\n# Columns: ...\nSELECT * WHERE {}";
        let s = Scope::of_query(q).unwrap();
        assert_eq!(s.variables, vec![var("article"), var("name")]);
        assert_eq!(s.names(), "article or name");
        assert!(!s.is_met_by([var("x")].iter()));
        assert!(s.is_met_by([var("x"), var("name")].iter()));
    }

    #[test]
    fn a_scope_comment_after_the_query_text_or_none_declares_nothing() {
        for q in [
            "SELECT * WHERE {}",
            "# Persons.\nSELECT * WHERE {}\n# Scope: article",
            "",
        ] {
            let s = Scope::of_query(q).unwrap();
            assert!(s.variables.is_empty(), "{q:?}");
            assert!(s.is_met_by(std::iter::empty()));
        }
    }

    #[test]
    fn a_scope_line_naming_no_variable_is_an_error_with_its_line() {
        let e = Scope::of_query("# x\n# Scope: the article\nSELECT * {}").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.to_string().contains("\"the article\""), "{e}");
        assert!(Scope::of_query("# Scope:\nSELECT * {}").is_err());
    }
}
