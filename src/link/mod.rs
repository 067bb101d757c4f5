//! Linking: persons, organisations and places in the store matched against reference datasets
//! (Wikidata ids from EveryPolitician and Our World in Data, RDF files, a curated linkset).
//!
//! Entry point: [`link`]. Matching is blocked by name words, scored with Jaro-Winkler
//! (`strsim`) on normalised labels, restricted to compatible kinds, and decided like a
//! reconciler: the score is 0.97 × name similarity, plus 0.03 when the context agrees (a post's
//! organisation or country against the record's party or area); `owl:sameAs` only above the
//! threshold and clearly ahead of the runner-up;
//! `skos:closeMatch` for weaker unambiguous matches; ambiguous ones are reported, not linked.

mod candidates;
pub mod normalize;
pub mod reference;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use oxigraph::model::{GraphName, Literal, NamedNode, Quad};
use serde::Serialize;

use crate::facts::{EntityKind, PlaceKind};
use crate::names::slug;
use crate::rdf::iri::content_hash;
use crate::rdf::vocab::{ng, owl, rdf, rdfs, skos, void};
use crate::rdf::Base;
pub use candidates::{candidates, Candidate};
pub use reference::{read_mappings, read_reference, CsvMapping, Dataset, Record, ReferenceError};

/// The curated linkset that ships with the tool (see `curated.tsv` for where each id is from).
const CURATED: &str = include_str!("curated.tsv");

/// The curated linkset as a dataset. A malformed row (missing column, unknown kind, an id
/// that is not a Wikidata QID) is an error naming its line, as the lexicon loader's are; a
/// test keeps the shipped file clean.
pub fn curated() -> Result<Dataset, ReferenceError> {
    const SOURCE: &str = "src/link/curated.tsv (bundled)";
    let bad = |line: usize, message: String| ReferenceError::Invalid {
        path: SOURCE.into(),
        message: format!("line {line}: {message}"),
    };
    let mut records = Vec::new();
    for (i, l) in CURATED.lines().enumerate() {
        if l.starts_with('#') || l.trim().is_empty() {
            continue;
        }
        let line = i + 1;
        let c: Vec<&str> = l.split('\t').collect();
        let [name, kind, aliases, qid, ..] = c[..] else {
            return Err(bad(
                line,
                format!(
                    "{} column(s); expected name, kind, aliases, QID, source",
                    c.len()
                ),
            ));
        };
        let kind = match kind {
            "person" => EntityKind::Person,
            "organisation" => EntityKind::Organisation,
            "place" => EntityKind::Place,
            other => {
                return Err(bad(
                    line,
                    format!("kind {other:?}; expected person, organisation or place"),
                ))
            }
        };
        if name.trim().is_empty()
            || !(qid.starts_with('Q')
                && qid.len() > 1
                && qid[1..].bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(bad(
                line,
                format!("name {name:?} / id {qid:?}; expected a name and a Wikidata QID (Q123)"),
            ));
        }
        let mut names = vec![name.to_owned()];
        names.extend(
            aliases
                .split('|')
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
        );
        records.push(Record {
            iri: format!("http://www.wikidata.org/entity/{qid}"),
            names,
            kind: Some(kind),
            context: vec![],
            place_kind: (kind == EntityKind::Place).then_some(PlaceKind::Country),
        });
    }
    Ok(Dataset {
        name: "newsgraph-curated".into(),
        source: "src/link/curated.tsv".into(),
        records,
    })
}

#[cfg(test)]
mod curated_tests {
    #[test]
    fn every_row_of_the_shipped_linkset_reads() {
        let d = super::curated().expect("curated.tsv reads without error");
        assert!(d.records.len() > 200, "{} records", d.records.len());
    }
}

/// Options of a link run.
#[derive(Debug, Clone)]
pub struct LinkOptions {
    /// Minimum score for `owl:sameAs`.
    pub threshold: f64,
    /// How far the best candidate must lead the runner-up.
    pub margin: f64,
    /// Minimum score for `skos:closeMatch`.
    pub weak: f64,
}

impl Default for LinkOptions {
    fn default() -> Self {
        LinkOptions {
            threshold: 0.9,
            margin: 0.025,
            weak: 0.82,
        }
    }
}

/// What was decided for one entity against one dataset.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Decision {
    pub entity: String,
    pub name: String,
    pub kind: &'static str,
    pub dataset: String,
    /// `same_as`, `close_match`, `ambiguous` or `none`.
    pub outcome: &'static str,
    pub target: Option<String>,
    pub score: f64,
    pub runner_up: Option<String>,
    pub runner_up_score: f64,
    pub method: &'static str,
}

fn norm_for(kind: EntityKind, name: &str) -> String {
    match kind {
        EntityKind::Person => normalize::person(name),
        _ => normalize::label(name),
    }
}

/// Score of two normalised names of one kind, and the method that gave it.
fn similarity(kind: EntityKind, a: &str, b: &str) -> (f64, &'static str) {
    if a == b {
        return (1.0, "exact-normalised-label");
    }
    if kind == EntityKind::Person {
        // Surnames must agree; given names may be initials or close spellings.
        let (af, al) = a.rsplit_once(' ').map_or(("", a), |(f, l)| (f, l));
        let (bf, bl) = b.rsplit_once(' ').map_or(("", b), |(f, l)| (f, l));
        let last = strsim::jaro_winkler(al, bl);
        if last < 0.92 || af.is_empty() || bf.is_empty() {
            return (0.0, "person-name");
        }
        let (a1, b1) = (
            af.split(' ').next().unwrap_or(""),
            bf.split(' ').next().unwrap_or(""),
        );
        let first = if a1 == b1 {
            1.0
        } else if (a1.len() == 1 && b1.starts_with(a1)) || (b1.len() == 1 && a1.starts_with(b1)) {
            0.9
        } else {
            strsim::jaro_winkler(a1, b1)
        };
        return (0.5 * first + 0.5 * last, "person-name");
    }
    (strsim::jaro_winkler(a, b), "similar-label")
}

/// Matches every candidate against every record of `dataset`.
pub fn match_dataset(cands: &[Candidate], dataset: &Dataset, opts: &LinkOptions) -> Vec<Decision> {
    // Blocking: records by each word of their normalised names.
    let norm_records: Vec<Vec<String>> = dataset
        .records
        .iter()
        .map(|r| {
            r.names
                .iter()
                .map(|n| norm_for(r.kind.unwrap_or(EntityKind::Organisation), n))
                .collect()
        })
        .collect();
    let mut index: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, names) in norm_records.iter().enumerate() {
        for n in names {
            for w in n.split(' ') {
                index.entry(w).or_default().push(i);
            }
        }
    }
    let mut out = Vec::new();
    for c in cands {
        let names: Vec<String> = c
            .names
            .iter()
            .map(|n| norm_for(c.kind, n))
            .filter(|n| !n.is_empty())
            .collect();
        let context: BTreeSet<String> = c.context.iter().map(|n| normalize::label(n)).collect();
        let mut block: BTreeSet<usize> = BTreeSet::new();
        for n in &names {
            // Persons block on the surname; other kinds on every word.
            let words: Vec<&str> = if c.kind == EntityKind::Person {
                n.rsplit(' ').take(1).collect()
            } else {
                n.split(' ').collect()
            };
            for w in words {
                if let Some(v) = index.get(w) {
                    block.extend(v);
                }
            }
        }
        // Best score per target IRI.
        let mut best: BTreeMap<&str, (f64, &'static str)> = BTreeMap::new();
        for i in block {
            let r = &dataset.records[i];
            // Type compatibility: a person never links to a country, a city never to a country.
            if r.kind.is_some_and(|k| k != c.kind) {
                continue;
            }
            if let (Some(a), Some(b)) = (r.place_kind, c.place_kind) {
                if a != b {
                    continue;
                }
            }
            let mut s = (0.0, "none");
            for a in &names {
                for b in &norm_records[i] {
                    let x = similarity(c.kind, a, b);
                    if x.0 > s.0 {
                        s = x;
                    }
                }
            }
            // Name similarity counts 0.97; agreeing context (party, country) the last 0.03.
            s.0 *= 0.97;
            if s.0 > 0.0
                && r.context
                    .iter()
                    .any(|x| context.contains(&normalize::label(x)))
            {
                s.0 += 0.03;
            }
            let e = best.entry(r.iri.as_str()).or_insert((0.0, "none"));
            if s.0 > e.0 {
                *e = s;
            }
        }
        let mut ranked: Vec<(&str, f64, &'static str)> =
            best.into_iter().map(|(k, (s, m))| (k, s, m)).collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
        let top = ranked.first().copied();
        let second = ranked.get(1).copied();
        let (outcome, target) = match top {
            Some((iri, s, _)) if s >= opts.weak => {
                let clear = second.is_none_or(|r| s - r.1 >= opts.margin);
                match (clear, s >= opts.threshold) {
                    (true, true) => ("same_as", Some(iri.to_owned())),
                    (true, false) => ("close_match", Some(iri.to_owned())),
                    (false, _) => ("ambiguous", None),
                }
            }
            _ => ("none", None),
        };
        if top.is_none() {
            continue;
        }
        let (t, s, m) = top.unwrap_or(("", 0.0, "none"));
        out.push(Decision {
            entity: c.iri.clone(),
            name: c.names.first().cloned().unwrap_or_default(),
            kind: c.kind.as_str(),
            dataset: dataset.name.clone(),
            outcome,
            target: target.or_else(|| (outcome == "ambiguous").then(|| t.to_owned())),
            score: s,
            runner_up: second.map(|r| r.0.to_owned()),
            runner_up_score: second.map_or(0.0, |r| r.1),
            method: m,
        });
    }
    out
}

/// Quads of the links graph for the given decisions: the links themselves, one link node per
/// link with its score, method and dataset, and a VoID linkset per dataset.
pub fn links_quads(decisions: &[Decision], datasets: &[Dataset], base: &Base) -> Vec<Quad> {
    let graph = GraphName::NamedNode(links_graph(base));
    let mut q = Vec::new();
    let mut add =
        |s: &NamedNode, p: oxigraph::model::NamedNodeRef<'_>, o: oxigraph::model::Term| {
            q.push(Quad::new(s.clone(), p.into_owned(), o, graph.clone()));
        };
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for d in decisions {
        let pred = match d.outcome {
            "same_as" => owl::SAME_AS,
            "close_match" => skos::CLOSE_MATCH,
            _ => continue,
        };
        let (Some(t), Ok(e)) = (d.target.as_deref(), NamedNode::new(&d.entity)) else {
            continue;
        };
        let Ok(target) = NamedNode::new(t) else {
            continue;
        };
        *counts.entry(d.dataset.as_str()).or_default() += 1;
        add(&e, pred, target.clone().into());
        let node = base.iri(&format!(
            "link/{}",
            &content_hash(&[&d.entity, t, &d.dataset])[..16]
        ));
        add(&node, rdf::TYPE, ng::LINK.into_owned().into());
        add(&node, ng::LINK_SUBJECT, e.into());
        add(&node, ng::LINK_TARGET, target.into());
        add(&node, ng::LINK_PREDICATE, pred.into_owned().into());
        add(&node, ng::SCORE, Literal::from(d.score).into());
        add(
            &node,
            ng::METHOD,
            Literal::new_simple_literal(d.method).into(),
        );
        add(
            &node,
            void::IN_DATASET,
            linkset_iri(base, &d.dataset).into(),
        );
    }
    for ds in datasets {
        let ls = linkset_iri(base, &ds.name);
        add(&ls, rdf::TYPE, void::LINKSET.into_owned().into());
        add(
            &ls,
            rdfs::LABEL,
            Literal::new_simple_literal(format!("newsgraph links to {}", ds.name)).into(),
        );
        add(
            &ls,
            void::OBJECTS_TARGET,
            base.iri(&format!("dataset/{}", slug(&ds.name))).into(),
        );
        add(&ls, void::LINK_PREDICATE, owl::SAME_AS.into_owned().into());
        add(
            &ls,
            void::TRIPLES,
            Literal::from(counts.get(ds.name.as_str()).copied().unwrap_or(0) as i64).into(),
        );
        add(
            &ls,
            ng::SOURCE_FILE,
            Literal::new_simple_literal(&ds.source).into(),
        );
    }
    q.sort_by_cached_key(|x| x.to_string());
    q.dedup();
    q
}

/// The links graph IRI.
pub fn links_graph(base: &Base) -> NamedNode {
    base.iri("links")
}

fn linkset_iri(base: &Base, name: &str) -> NamedNode {
    base.iri(&format!("linkset/{}", slug(name)))
}

/// Matches the store's entities against the datasets; returns the decisions and the quads
/// of the links graph (to be written with `NewsStore::replace_links`).
pub fn link(
    cands: &[Candidate],
    datasets: &[Dataset],
    opts: &LinkOptions,
    base: &Base,
) -> (Vec<Decision>, Vec<Quad>) {
    let mut decisions = Vec::new();
    for ds in datasets {
        decisions.extend(match_dataset(cands, ds, opts));
    }
    // One entity, one sameAs target across datasets: if datasets disagree, keep none.
    let mut targets: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for d in decisions.iter().filter(|d| d.outcome == "same_as") {
        targets
            .entry(d.entity.as_str())
            .or_default()
            .insert(d.target.as_deref().unwrap_or(""));
    }
    let conflicted: BTreeSet<String> = targets
        .iter()
        .filter(|(_, t)| t.len() > 1)
        .map(|(e, _)| (*e).to_owned())
        .collect();
    for d in decisions
        .iter_mut()
        .filter(|d| conflicted.contains(&d.entity) && d.outcome == "same_as")
    {
        d.outcome = "ambiguous";
    }
    let quads = links_quads(&decisions, datasets, base);
    (decisions, quads)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(iri: &str, name: &str) -> Record {
        Record {
            iri: iri.into(),
            names: vec![name.into()],
            kind: Some(EntityKind::Person),
            context: vec![],
            place_kind: None,
        }
    }

    fn cand(name: &str) -> Candidate {
        Candidate {
            iri: "e".into(),
            kind: EntityKind::Person,
            names: vec![name.into()],
            context: vec![],
            place_kind: None,
        }
    }

    fn decide(name: &str, records: Vec<Record>) -> Decision {
        let ds = Dataset {
            name: "t".into(),
            source: "t".into(),
            records,
        };
        match_dataset(&[cand(name)], &ds, &LinkOptions::default()).remove(0)
    }

    #[test]
    fn two_close_candidates_are_ambiguous_and_not_linked() {
        let d = decide(
            "John Smith",
            vec![person("a", "John Smith"), person("b", "John Smith")],
        );
        assert_eq!(d.outcome, "ambiguous");
        let (_, quads) = link(
            &[cand("John Smith")],
            &[Dataset {
                name: "t".into(),
                source: "t".into(),
                records: vec![person("a", "John Smith"), person("b", "John Smith")],
            }],
            &LinkOptions::default(),
            &Base::default(),
        );
        assert!(
            !quads.iter().any(|q| q.predicate == owl::SAME_AS),
            "no link when ambiguous"
        );
    }

    #[test]
    fn same_surname_other_given_name_is_not_a_match() {
        let d = decide("Rick Scott", vec![person("tim", "Tim Scott")]);
        assert_eq!(d.outcome, "none", "{d:?}");
    }

    #[test]
    fn context_breaks_a_tie() {
        let mut a = person("a", "John Smith");
        a.context = vec!["Labour".into()];
        let b = person("b", "John Smith");
        let mut c = cand("John Smith");
        c.context = vec!["Labour".into()];
        let ds = Dataset {
            name: "t".into(),
            source: "t".into(),
            records: vec![a, b],
        };
        let d = match_dataset(&[c], &ds, &LinkOptions::default()).remove(0);
        assert_eq!((d.outcome, d.target.as_deref()), ("same_as", Some("a")));
    }

    #[test]
    fn a_person_never_links_to_a_place() {
        let place = Record {
            iri: "p".into(),
            names: vec!["Georgia".into()],
            kind: Some(EntityKind::Place),
            context: vec![],
            place_kind: None,
        };
        let ds = Dataset {
            name: "t".into(),
            source: "t".into(),
            records: vec![place],
        };
        assert!(match_dataset(&[cand("Georgia")], &ds, &LinkOptions::default()).is_empty());
    }
}
