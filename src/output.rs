//! Text output shared by commands: aligned tables of SPARQL terms (query results, SHACL
//! reports). Entry point: [`format_table`].

use oxigraph::model::Term;

/// Renders a term for people: IRIs in angle brackets, literals as their plain value.
pub fn display_term(t: &Term) -> String {
    match t {
        Term::Literal(l) => l.value().to_owned(),
        other => other.to_string(),
    }
}

/// An aligned text table, one header line and a rule, then one line per row.
pub fn format_table(vars: &[String], rows: &[Vec<Option<Term>>]) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|t| {
                    t.as_ref()
                        .map(display_term)
                        .unwrap_or_default()
                        .replace('\n', " ")
                })
                .collect()
        })
        .collect();
    let mut widths: Vec<usize> = vars.iter().map(|v| v.chars().count()).collect();
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |items: &[String]| -> String {
        let parts: Vec<String> = items
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        parts.join(" | ").trim_end().to_owned() + "\n"
    };
    let mut s = line(vars);
    s.push_str(
        &widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("-+-"),
    );
    s.push('\n');
    for row in &cells {
        s.push_str(&line(row));
    }
    s.push_str(&format!(
        "({} row{})\n",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_alignment() {
        let t = format_table(
            &["a".into(), "bb".into()],
            &[vec![Some(Term::Literal("xyz".into())), None]],
        );
        assert_eq!(t, "a   | bb\n----+---\nxyz |\n(1 row)\n");
    }
}
