//! SELECT results read by column name: [`Row`], from [`NewsStore::select_rows`] (the web
//! pages and the network export read their query files' answers this way).

use std::rc::Rc;

use oxigraph::model::Term;

use super::{NewsStore, QueryError, QueryOptions};

/// One result row; columns are read by name, an unbound one reads as "".
pub struct Row {
    vars: Rc<Vec<String>>,
    values: Vec<Option<Term>>,
}

impl Row {
    /// A row of plain literals (tests build inputs with it).
    #[cfg(test)]
    pub fn of(pairs: &[(&str, &str)]) -> Row {
        Row {
            vars: Rc::new(pairs.iter().map(|(k, _)| (*k).to_owned()).collect()),
            values: pairs
                .iter()
                .map(|(_, v)| {
                    Some(Term::Literal(oxigraph::model::Literal::new_simple_literal(
                        *v,
                    )))
                })
                .collect(),
        }
    }

    /// The value of a column: an IRI's text, a literal's lexical form, "" when unbound.
    pub fn get(&self, var: &str) -> &str {
        match self.term(var) {
            Some(Term::NamedNode(n)) => n.as_str(),
            Some(Term::Literal(l)) => l.value(),
            _ => "",
        }
    }

    /// A column as a count (0 when unbound or not a number).
    pub fn int(&self, var: &str) -> u64 {
        self.get(var).parse().unwrap_or(0)
    }

    pub fn term(&self, var: &str) -> Option<&Term> {
        let i = self.vars.iter().position(|v| v == var)?;
        self.values.get(i)?.as_ref()
    }
}

impl NewsStore {
    /// Runs a SELECT query and returns its rows, readable by column name.
    pub fn select_rows(
        &self,
        text: &str,
        source_name: &str,
        opts: &QueryOptions,
    ) -> Result<Vec<Row>, QueryError> {
        let (vars, rows) = self.select_with_vars(text, source_name, opts)?;
        let vars = Rc::new(vars);
        Ok(rows
            .into_iter()
            .map(|values| Row {
                vars: Rc::clone(&vars),
                values,
            })
            .collect())
    }
}
