//! SPARQL queries: parse, bind variables as terms, evaluate with a timeout, write results.
//!
//! Why one file of over 500 lines: the binding rewrite (a LATERAL join on VALUES, into
//! subqueries) is most of it, and it belongs beside the evaluation it prepares; about 170
//! lines are its tests.

use std::io::Write;
use std::str::FromStr;
use std::time::Duration;

use oxigraph::model::{Term, Variable};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{CancellationToken, QueryResults, SparqlEvaluator};

use super::scope::{Scope, ScopeError};
use super::NewsStore;

/// Rows of a SELECT result: terms in projection order, `None` where unbound.
pub type Rows = Vec<Vec<Option<Term>>>;

/// Output formats of `newsgraph query`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ResultFormat {
    /// An aligned text table for people.
    #[default]
    Table,
    Csv,
    Tsv,
    Json,
    Xml,
}

impl FromStr for ResultFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "table" => Self::Table,
            "csv" => Self::Csv,
            "tsv" => Self::Tsv,
            "json" => Self::Json,
            "xml" => Self::Xml,
            _ => {
                return Err(format!(
                    "unknown result format {s:?}; use one of: table, csv, tsv, json, xml"
                ))
            }
        })
    }
}

/// Options of one query run.
#[derive(Debug, Clone, Default)]
pub struct QueryOptions {
    /// Variables replaced by terms before evaluation (never spliced into the text).
    pub bindings: Vec<(Variable, Term)>,
    /// Cancel evaluation after this long.
    pub timeout: Option<Duration>,
    /// SERVICE endpoints that may be called; none by default.
    pub allowed_services: Vec<String>,
    /// Run a scoped query (see [`Scope`]) over the whole store when none of its scope
    /// variables is bound, instead of refusing it.
    pub all: bool,
    /// Refuse a result with more rows (SELECT) or triples (CONSTRUCT, DESCRIBE) than this
    /// (`serve` caps what one request may return); no cap when `None`.
    pub max_rows: Option<usize>,
}

/// Why a query failed.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("{source_name}: SPARQL syntax error: {message}")]
    Syntax {
        source_name: String,
        message: String,
    },
    #[error("{source_name}: {message}")]
    Evaluation {
        source_name: String,
        message: String,
    },
    #[error("{source_name}: the query ran longer than {seconds} s and was cancelled; narrow it (LIMIT, more specific patterns) or raise --timeout")]
    Timeout { source_name: String, seconds: f64 },
    #[error("{source_name}: SERVICE <{service}> is not allowed; pass --allow-service {service} to call it")]
    ServiceNotAllowed {
        source_name: String,
        service: String,
    },
    #[error("{source_name}: bad scope declaration: {source}")]
    Scope {
        source_name: String,
        #[source]
        source: ScopeError,
    },
    #[error("{source_name}: this query lists one row per item of its scope, which grows with the store; \
             bind {names} (e.g. --bind {first}=...), or pass --all to run it over the whole store \
             (seconds on a large one)")]
    Unscoped {
        source_name: String,
        names: String,
        first: String,
    },
    #[error("{source_name}: the result has more than {limit} rows; add a LIMIT (and OFFSET to page through it)")]
    TooManyRows { source_name: String, limit: usize },
    #[error("invalid --bind {binding:?}: {message}")]
    Binding { binding: String, message: String },
    #[error("cannot write query results: {0}")]
    Write(#[source] std::io::Error),
}

impl QueryError {
    /// A timeout, a missing scope (usage), a failed write, else bad input (the query).
    pub fn kind(&self) -> crate::error::ErrorKind {
        use crate::error::ErrorKind;
        match self {
            Self::Timeout { .. } => ErrorKind::Timeout,
            Self::Unscoped { .. } => ErrorKind::Usage,
            Self::Write(_) => ErrorKind::Failure,
            _ => ErrorKind::BadInput,
        }
    }
}

/// Parses `NAME=VALUE` into a variable and a term. VALUE is `<iri>`, an N-Triples literal
/// (`"text"`, `"text"@en`, `"1"^^<http://www.w3.org/2001/XMLSchema#integer>`), or otherwise
/// taken as a plain string literal. The term is bound, never spliced into the query text.
pub fn parse_binding(s: &str) -> Result<(Variable, Term), QueryError> {
    let err = |message: String| QueryError::Binding {
        binding: s.to_owned(),
        message,
    };
    let (name, value) = s
        .split_once('=')
        .ok_or_else(|| err("expected NAME=VALUE, e.g. --bind name=\"Isaac Herzog\"".into()))?;
    let var = Variable::new(name.trim_start_matches(['?', '$']))
        .map_err(|e| err(format!("{name:?} is not a SPARQL variable name: {e}")))?;
    let term = if value.starts_with('<') || value.starts_with('"') {
        Term::from_str(value).map_err(|e| {
            err(format!(
                "{e}; write an IRI as <http://...>, a literal as \"text\" (with @lang or ^^<datatype>), or a bare value for a plain string"
            ))
        })?
    } else {
        Term::Literal(oxigraph::model::Literal::new_simple_literal(value))
    };
    Ok((var, term))
}

/// Joins `VALUES ?var { term }` with the WHERE pattern of `query` as a LATERAL join, so that the
/// pattern is evaluated with the value bound. Oxigraph's `substitute_variable` binds it only
/// when the planned query runs: on the BBC ×50 store `mentions.rq --bind name=...` took 80 s
/// that way. A plain join on VALUES still let the plan evaluate `meetings.rq`'s subquery over
/// every article (`--bind article=...` past 30 s); LATERAL takes 1.5 ms. The join goes below
/// FILTERs, BINDs of other variables and groups keyed by the variable (the answer is the same).
/// A subquery that uses the variable without selecting it gets the same join inside (a paged
/// subquery picks its page for the bound value). Returns false, leaving the query alone, where
/// a join could change the answer: the variable may be made by an aggregate, a BIND or a
/// SELECT expression, or dropped by a group (or the term is a blank node).
fn bind_in_where(query: &mut spargebra::Query, var: &Variable, term: &Term) -> bool {
    use spargebra::algebra::GraphPattern;
    use spargebra::term::GroundTerm;
    fn inject(node: &mut GraphPattern, var: &Variable, values: GraphPattern) -> bool {
        match node {
            GraphPattern::Slice { inner, .. }
            | GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner }
            | GraphPattern::Project { inner, .. }
            | GraphPattern::OrderBy { inner, .. }
            // A FILTER of the WHERE clause must see the bound value: join below it.
            | GraphPattern::Filter { inner, .. } => inject(inner, var, values),
            GraphPattern::Extend {
                inner, variable, ..
            } if variable != var => inject(inner, var, values),
            GraphPattern::Group {
                inner, variables, ..
            } if variables.contains(var) => inject(inner, var, values),
            GraphPattern::Group { .. } | GraphPattern::Extend { .. } => false,
            _ => {
                if !into_subqueries(node, var, &values) {
                    return false;
                }
                let inner = std::mem::replace(node, GraphPattern::Bgp { patterns: vec![] });
                // Lateral: the pattern is evaluated with the value bound, as a substitution.
                *node = GraphPattern::Lateral {
                    left: Box::new(values),
                    right: Box::new(inner),
                };
                true
            }
        }
    }
    /// Joins the binding into each subquery below `node` that uses `var` without selecting it:
    /// a binding outside cannot reach it there (SPARQL scopes it to the subquery), yet the
    /// bound variable is one parameter of the whole file. False if one of them refuses it.
    fn into_subqueries(node: &mut GraphPattern, var: &Variable, values: &GraphPattern) -> bool {
        match node {
            GraphPattern::Project { inner, variables } if !variables.contains(var) => {
                if uses(inner, var) {
                    inject(inner, var, values.clone())
                } else {
                    into_subqueries(inner, var, values)
                }
            }
            GraphPattern::Join { left, right }
            | GraphPattern::LeftJoin { left, right, .. }
            | GraphPattern::Lateral { left, right }
            | GraphPattern::Union { left, right }
            | GraphPattern::Minus { left, right } => {
                into_subqueries(left, var, values) && into_subqueries(right, var, values)
            }
            GraphPattern::Project { inner, .. }
            | GraphPattern::Filter { inner, .. }
            | GraphPattern::Graph { inner, .. }
            | GraphPattern::Extend { inner, .. }
            | GraphPattern::OrderBy { inner, .. }
            | GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner }
            | GraphPattern::Slice { inner, .. }
            | GraphPattern::Group { inner, .. }
            | GraphPattern::Service { inner, .. } => into_subqueries(inner, var, values),
            GraphPattern::Bgp { .. } | GraphPattern::Path { .. } | GraphPattern::Values { .. } => {
                true
            }
        }
    }
    /// True when the WHERE clause of a subquery binds `var`, even if its groups then drop it.
    fn uses(node: &GraphPattern, var: &Variable) -> bool {
        match node {
            GraphPattern::Slice { inner, .. }
            | GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner }
            | GraphPattern::OrderBy { inner, .. }
            | GraphPattern::Filter { inner, .. }
            | GraphPattern::Group { inner, .. } => uses(inner, var),
            GraphPattern::Extend {
                inner, variable, ..
            } => variable == var || uses(inner, var),
            _ => {
                let mut found = false;
                node.on_in_scope_variable(|v| found |= v == var);
                found
            }
        }
    }
    let value = match term {
        Term::NamedNode(n) => GroundTerm::NamedNode(n.clone()),
        Term::Literal(l) => GroundTerm::Literal(l.clone()),
        _ => return false,
    };
    let values = GraphPattern::Values {
        variables: vec![var.clone()],
        bindings: vec![vec![Some(value)]],
    };
    let before = query.clone();
    let joined = match query {
        spargebra::Query::Select { pattern, .. }
        | spargebra::Query::Construct { pattern, .. }
        | spargebra::Query::Describe { pattern, .. }
        | spargebra::Query::Ask { pattern, .. } => inject(pattern, var, values),
    };
    if !joined {
        // One subquery may have taken the join before another refused it.
        *query = before;
    }
    joined
}

/// The columns of a SELECT query; `None` for other query forms.
fn projection(query: &spargebra::Query) -> Option<Vec<Variable>> {
    use spargebra::algebra::GraphPattern;
    let spargebra::Query::Select { pattern, .. } = query else {
        return None;
    };
    let mut node = pattern;
    loop {
        match node {
            GraphPattern::Project { variables, .. } => return Some(variables.clone()),
            GraphPattern::Slice { inner, .. }
            | GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner }
            | GraphPattern::OrderBy { inner, .. } => node = inner,
            _ => return None,
        }
    }
}

impl NewsStore {
    fn prepare(
        &self,
        text: &str,
        source_name: &str,
        opts: &QueryOptions,
    ) -> Result<(oxigraph::sparql::PreparedSparqlQuery, CancellationToken), QueryError> {
        let token = CancellationToken::new();
        let evaluator = SparqlEvaluator::new().with_cancellation_token(token.clone());
        // SERVICE calls go out only with the http feature, and only when allowed.
        #[cfg(feature = "http")]
        let evaluator = if opts.allowed_services.is_empty() {
            evaluator.without_default_http_service_handler()
        } else {
            evaluator
        };
        let mut query = spargebra::SparqlParser::new()
            .parse_query(text)
            .map_err(|e| QueryError::Syntax {
                source_name: source_name.to_owned(),
                message: e.to_string(),
            })?;
        let scope = Scope::of_query(text).map_err(|source| QueryError::Scope {
            source_name: source_name.to_owned(),
            source,
        })?;
        if !opts.all && !scope.is_met_by(opts.bindings.iter().map(|(v, _)| v)) {
            return Err(QueryError::Unscoped {
                source_name: source_name.to_owned(),
                names: scope.names(),
                first: scope.variables[0].as_str().to_owned(),
            });
        }
        for service in service_names(&query) {
            if !opts.allowed_services.iter().any(|a| a == &service) {
                return Err(QueryError::ServiceNotAllowed {
                    source_name: source_name.to_owned(),
                    service,
                });
            }
        }
        // Each binding joins the WHERE clause as VALUES (so that the plan starts from it) and,
        // when it is a column, is substituted at evaluation too (so that, say, `GRAPH ?article`
        // reads one graph; Oxigraph substitutes only projected variables).
        let columns = projection(&query);
        let mut substituted = Vec::new();
        for (var, term) in &opts.bindings {
            let joined = bind_in_where(&mut query, var, term);
            if columns.as_ref().is_none_or(|c| c.contains(var)) {
                substituted.push((var.clone(), term.clone()));
            } else if !joined {
                return Err(QueryError::Binding {
                    binding: format!("{var}={term}"),
                    message: "the query can neither join this variable in its WHERE clause nor \
                              substitute it (it is not a column); bind one of its columns"
                        .into(),
                });
            }
        }
        let mut prepared = evaluator.for_query(query);
        // The default graph is the union of all graphs: articles, links and the ontology.
        prepared.dataset_mut().set_default_graph_as_union();
        for (var, term) in substituted {
            prepared = prepared.substitute_variable(var, term);
        }
        if let Some(timeout) = opts.timeout {
            let t = token.clone();
            std::thread::spawn(move || {
                std::thread::sleep(timeout);
                t.cancel();
            });
        }
        Ok((prepared, token))
    }

    /// Parses, checks, binds and starts a query on the store.
    fn execute(
        &self,
        text: &str,
        source_name: &str,
        opts: &QueryOptions,
    ) -> Result<(QueryResults<'static>, CancellationToken), QueryError> {
        let (prepared, token) = self.prepare(text, source_name, opts)?;
        let results = prepared
            .on_store(&self.store)
            .execute()
            .map_err(|e| Self::eval_error(source_name, opts, e, &token))?;
        Ok((results, token))
    }

    fn eval_error(
        source_name: &str,
        opts: &QueryOptions,
        e: impl std::fmt::Display,
        token: &CancellationToken,
    ) -> QueryError {
        if token.is_cancelled() {
            QueryError::Timeout {
                source_name: source_name.to_owned(),
                seconds: opts.timeout.map_or(0.0, |t| t.as_secs_f64()),
            }
        } else {
            QueryError::Evaluation {
                source_name: source_name.to_owned(),
                message: e.to_string(),
            }
        }
    }

    /// Runs a SELECT query and returns its rows (terms in projection order).
    pub fn select(&self, text: &str, opts: &QueryOptions) -> Result<Rows, QueryError> {
        self.select_with_vars(text, "query", opts)
            .map(|(_, rows)| rows)
    }

    /// Runs a SELECT query; returns the variable names and rows.
    pub fn select_with_vars(
        &self,
        text: &str,
        source_name: &str,
        opts: &QueryOptions,
    ) -> Result<(Vec<String>, Rows), QueryError> {
        let (results, token) = self.execute(text, source_name, opts)?;
        let QueryResults::Solutions(solutions) = results else {
            return Err(QueryError::Evaluation {
                source_name: source_name.to_owned(),
                message: "expected a SELECT query".into(),
            });
        };
        let vars: Vec<String> = solutions
            .variables()
            .iter()
            .map(|v| v.as_str().to_owned())
            .collect();
        let mut rows = Vec::new();
        let mut cap = RowCap::new(source_name, opts);
        for s in solutions {
            let s = s.map_err(|e| Self::eval_error(source_name, opts, e, &token))?;
            cap.one_more()?;
            rows.push(s.values().to_vec());
        }
        Ok((vars, rows))
    }

    /// Runs any query and writes its results to `out` in `format`. SELECT and ASK results use
    /// the W3C result formats (or a table); CONSTRUCT/DESCRIBE results are written as
    /// N-Triples. Errors met while iterating (SERVICE failures) are reported after the rows
    /// written so far.
    ///
    /// With a timeout, the query runs on a worker thread and its results are buffered: Oxigraph
    /// checks its cancellation token only when it reads the store, so an in-memory join could
    /// otherwise run past the deadline. On timeout the token is cancelled and the worker is left
    /// to stop on its own (a CLI process exits right away).
    pub fn run_query(
        &self,
        text: &str,
        source_name: &str,
        opts: &QueryOptions,
        format: ResultFormat,
        out: &mut dyn Write,
    ) -> Result<(), QueryError> {
        let Some(timeout) = opts.timeout else {
            return self.run_query_streaming(text, source_name, opts, format, out);
        };
        let worker = NewsStore {
            store: self.store.clone(),
            path: self.path.clone(),
        };
        let (text_owned, name_owned, opts_owned) =
            (text.to_owned(), source_name.to_owned(), opts.clone());
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let r =
                worker.run_query_streaming(&text_owned, &name_owned, &opts_owned, format, &mut buf);
            let _ = tx.send((r, buf));
        });
        match rx.recv_timeout(timeout + Duration::from_millis(100)) {
            Ok((r, buf)) => {
                out.write_all(&buf).map_err(QueryError::Write)?;
                r
            }
            Err(_) => Err(QueryError::Timeout {
                source_name: source_name.to_owned(),
                seconds: timeout.as_secs_f64(),
            }),
        }
    }

    fn run_query_streaming(
        &self,
        text: &str,
        source_name: &str,
        opts: &QueryOptions,
        format: ResultFormat,
        out: &mut dyn Write,
    ) -> Result<(), QueryError> {
        let (results, token) = self.execute(text, source_name, opts)?;
        match results {
            QueryResults::Solutions(solutions) => {
                let vars: Vec<Variable> = solutions.variables().to_vec();
                let mut cap = RowCap::new(source_name, opts);
                if format == ResultFormat::Table {
                    let mut rows = Vec::new();
                    for s in solutions {
                        let s = s.map_err(|e| Self::eval_error(source_name, opts, e, &token))?;
                        cap.one_more()?;
                        rows.push(s.values().to_vec());
                    }
                    let names: Vec<String> = vars.iter().map(|v| v.as_str().to_owned()).collect();
                    out.write_all(crate::output::format_table(&names, &rows).as_bytes())
                        .map_err(QueryError::Write)?;
                    return Ok(());
                }
                let mut ser = QueryResultsSerializer::from_format(w3c_format(format))
                    .serialize_solutions_to_writer(&mut *out, vars)
                    .map_err(QueryError::Write)?;
                for s in solutions {
                    let s = s.map_err(|e| Self::eval_error(source_name, opts, e, &token))?;
                    cap.one_more()?;
                    ser.serialize(&s).map_err(QueryError::Write)?;
                }
                ser.finish().map_err(QueryError::Write)?;
            }
            QueryResults::Boolean(b) => {
                if format == ResultFormat::Table {
                    writeln!(out, "{b}").map_err(QueryError::Write)?;
                } else {
                    QueryResultsSerializer::from_format(w3c_format(format))
                        .serialize_boolean_to_writer(&mut *out, b)
                        .map_err(QueryError::Write)?;
                }
            }
            QueryResults::Graph(triples) => {
                let mut cap = RowCap::new(source_name, opts);
                for t in triples {
                    let t = t.map_err(|e| Self::eval_error(source_name, opts, e, &token))?;
                    cap.one_more()?;
                    writeln!(out, "{t} .").map_err(QueryError::Write)?;
                }
            }
        }
        Ok(())
    }
}

/// Counts the rows of a result against [`QueryOptions::max_rows`].
struct RowCap<'a> {
    source_name: &'a str,
    limit: Option<usize>,
    seen: usize,
}

impl<'a> RowCap<'a> {
    fn new(source_name: &'a str, opts: &QueryOptions) -> Self {
        RowCap {
            source_name,
            limit: opts.max_rows,
            seen: 0,
        }
    }

    fn one_more(&mut self) -> Result<(), QueryError> {
        self.seen += 1;
        match self.limit {
            Some(limit) if self.seen > limit => Err(QueryError::TooManyRows {
                source_name: self.source_name.to_owned(),
                limit,
            }),
            _ => Ok(()),
        }
    }
}

/// The SERVICE endpoints a query calls, read from its normalised form (`SERVICE <iri>`); a
/// service named by a variable is returned as `?var`, which no allow-list entry matches.
pub fn service_names(query: &spargebra::Query) -> Vec<String> {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r"SERVICE (?:SILENT )?(?:<([^>]*)>|(\?\w+))").expect("valid regex")
    });
    let text = query.to_string();
    re.captures_iter(&text)
        .map(|c| {
            c.get(1)
                .or_else(|| c.get(2))
                .map_or_else(String::new, |m| m.as_str().to_owned())
        })
        .collect()
}

fn w3c_format(f: ResultFormat) -> QueryResultsFormat {
    match f {
        ResultFormat::Csv => QueryResultsFormat::Csv,
        ResultFormat::Tsv => QueryResultsFormat::Tsv,
        ResultFormat::Xml => QueryResultsFormat::Xml,
        ResultFormat::Json | ResultFormat::Table => QueryResultsFormat::Json,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bindings_are_terms() {
        let (v, t) = parse_binding("name=Isaac Herzog").unwrap();
        assert_eq!(v.as_str(), "name");
        assert_eq!(t.to_string(), "\"Isaac Herzog\"");
        let (_, t) = parse_binding("p=<http://schema.org/Person>").unwrap();
        assert!(matches!(t, Term::NamedNode(_)));
        let (_, t) = parse_binding("x=\"1\"^^<http://www.w3.org/2001/XMLSchema#integer>").unwrap();
        assert!(matches!(t, Term::Literal(_)));
        // An injection attempt stays one literal.
        let (_, t) = parse_binding("name=x\" } ; DROP ALL ; {").unwrap();
        assert!(matches!(t, Term::Literal(l) if l.value() == "x\" } ; DROP ALL ; {"));
    }

    #[test]
    fn bindings_join_the_where_clause_unless_an_aggregate_may_make_them() {
        let parse = |q: &str| spargebra::SparqlParser::new().parse_query(q).unwrap();
        let (var, term) = parse_binding("name=Ilham Aliyev").unwrap();
        let mut q = parse(
            "SELECT ?s ?name WHERE { ?s <http://schema.org/name> ?name FILTER(STRLEN(?name) > 3) } ORDER BY ?s LIMIT 5",
        );
        assert!(bind_in_where(&mut q, &var, &term));
        let text = q.to_string();
        assert!(text.contains("LATERAL"), "{text}");
        assert!(
            text.contains("VALUES ( ?name ) { ( \"Ilham Aliyev\" )"),
            "{text}"
        );
        // Joined below the FILTER, so that the filter sees the value.
        use spargebra::algebra::GraphPattern as P;
        let spargebra::Query::Select { pattern, .. } = &q else {
            panic!("a SELECT")
        };
        let mut node = pattern;
        while let P::Slice { inner, .. } | P::Project { inner, .. } | P::OrderBy { inner, .. } =
            node
        {
            node = inner;
        }
        let P::Filter { inner, .. } = node else {
            panic!("the FILTER stays on top: {node:?}")
        };
        assert!(
            matches!(&**inner, P::Lateral { left, .. } if matches!(&**left, P::Values { .. })),
            "{inner:?}"
        );
        for refused in [
            "SELECT (COUNT(*) AS ?name) WHERE { ?s ?p ?o }",
            "SELECT ?name WHERE { ?s ?p ?o BIND(STR(?o) AS ?name) }",
            // Grouped by something else: joining below the group would change its counts.
            "SELECT ?s (COUNT(?o) AS ?n) WHERE { ?s ?p ?o . ?o <http://schema.org/name> ?name } GROUP BY ?s",
        ] {
            let mut q = parse(refused);
            let before = q.clone();
            assert!(!bind_in_where(&mut q, &var, &term), "{refused}");
            assert_eq!(q, before);
        }
        // Below a BIND of another variable, and below a group keyed by the variable.
        for accepted in [
            "SELECT ?k WHERE { ?s <http://schema.org/name> ?name BIND(LCASE(?name) AS ?k) }",
            "SELECT ?name (COUNT(?s) AS ?n) WHERE { ?s <http://schema.org/name> ?name } GROUP BY ?name",
        ] {
            let mut q = parse(accepted);
            assert!(bind_in_where(&mut q, &var, &term), "{accepted}");
            assert!(q.to_string().contains("LATERAL"), "{q}");
        }
    }

    #[test]
    fn bindings_reach_subqueries_that_use_them_without_selecting_them() {
        use spargebra::algebra::GraphPattern as P;
        let parse = |q: &str| spargebra::SparqlParser::new().parse_query(q).unwrap();
        let (var, term) = parse_binding("name=Ilham Aliyev").unwrap();
        // The depth of each VALUES join: 1 in the WHERE clause, 2 in a subquery of it.
        fn joins(node: &P, depth: usize, found: &mut Vec<usize>) {
            match node {
                P::Lateral { left, right } => {
                    if matches!(&**left, P::Values { .. }) {
                        found.push(depth);
                    }
                    joins(left, depth, found);
                    joins(right, depth, found);
                }
                P::Join { left, right } | P::LeftJoin { left, right, .. } => {
                    joins(left, depth, found);
                    joins(right, depth, found);
                }
                P::Project { inner, .. } => joins(inner, depth + 1, found),
                P::Filter { inner, .. }
                | P::Graph { inner, .. }
                | P::Extend { inner, .. }
                | P::OrderBy { inner, .. }
                | P::Distinct { inner }
                | P::Slice { inner, .. }
                | P::Group { inner, .. } => joins(inner, depth, found),
                _ => {}
            }
        }
        let depths = |q: &spargebra::Query| {
            let spargebra::Query::Select { pattern, .. } = q else {
                panic!("a SELECT")
            };
            let mut found = Vec::new();
            joins(pattern, 0, &mut found);
            found
        };
        let paged = "SELECT ?a ?id WHERE { \
            { SELECT DISTINCT ?a WHERE { GRAPH ?a { ?e <http://schema.org/name> ?name } } LIMIT 2 } \
            LATERAL { GRAPH ?a { ?a <http://example.org/id> ?id } } }";
        let mut q = parse(paged);
        assert!(bind_in_where(&mut q, &var, &term));
        // One join in the WHERE clause, one in the page that does not select ?name.
        assert_eq!(depths(&q), [1, 2], "{q}");
        // A subquery that selects the variable gets the value from the one join outside it.
        let selected = "SELECT ?s WHERE { ?s ?p ?o . \
            { SELECT ?s ?name WHERE { ?s ?q ?name } LIMIT 1 } }";
        let mut q = parse(selected);
        assert!(bind_in_where(&mut q, &var, &term));
        assert_eq!(depths(&q), [1], "{q}");
        // One whose groups drop the variable, or whose BIND makes it, refuses it: the query is
        // left alone.
        for refused in [
            "SELECT ?s WHERE { ?s ?p ?o . { SELECT ?s WHERE { ?s ?q ?name } GROUP BY ?s } }",
            "SELECT ?s WHERE { ?s ?p ?o . { SELECT ?s WHERE { ?s ?q ?x BIND(STR(?x) AS ?name) } } }",
            // The first subquery takes the join, the second refuses it: both stay as they were.
            "SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?name } } \
             { SELECT ?s WHERE { ?s ?q ?name } GROUP BY ?s } }",
        ] {
            let mut q = parse(refused);
            let before = q.clone();
            assert!(!bind_in_where(&mut q, &var, &term), "{q}");
            assert_eq!(q, before);
        }
    }

    /// Every shipped scoped file, bound to each of its scope variables, is still a query that
    /// prints and parses back (the join builds valid algebra).
    #[test]
    fn bound_shipped_queries_are_valid_queries() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("queries");
        let mut bound = 0;
        let files = std::fs::read_dir(&dir)
            .unwrap()
            .chain(std::fs::read_dir(dir.join("pages")).unwrap())
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "rq"));
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap();
            let scope = Scope::of_query(&text).unwrap();
            for var in &scope.variables {
                let mut q = spargebra::SparqlParser::new().parse_query(&text).unwrap();
                let term = Term::Literal(oxigraph::model::Literal::new_simple_literal("x"));
                assert!(bind_in_where(&mut q, var, &term), "{}", path.display());
                // (Not a textual fixed point: spargebra prints aggregates through extra
                // projections.)
                if let Err(e) = spargebra::SparqlParser::new().parse_query(&q.to_string()) {
                    panic!("{}: {e}\n{q}", path.display());
                }
                bound += 1;
            }
        }
        assert!(bound >= 6, "{bound}");
    }

    #[test]
    fn bad_bindings_are_refused() {
        assert!(parse_binding("noequals").is_err());
        assert!(parse_binding("p=<not an iri>").is_err());
        assert!(parse_binding("p=\"unterminated").is_err());
        assert!(parse_binding("bad name=1").is_err());
    }
}
