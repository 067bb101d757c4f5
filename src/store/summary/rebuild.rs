//! The summary graph read and written: whether it is current, its entries for a run's keys,
//! the rebuild from every article graph (four SPARQL aggregates), the commit of new counts.
//! Entry point: [`NewsStore::rebuild_summary`].

use oxigraph::model::{GraphNameRef, NamedNodeRef, Quad, Term};

use super::tally::{EntityTally, PairKey, PairTally, PostKey, MEETING_CLASSES, PAIR_CLASSES};
use super::*;
use crate::rdf::vocab::{ng, rdf, schema};
use crate::store::BULK_MIN_QUADS;

impl NewsStore {
    /// Whether the summary graph matches the article graphs: it carries the up-to-date marker,
    /// or the store has no article yet.
    pub fn summary_is_current(&self) -> Result<bool, StoreError> {
        if self
            .store
            .contains(marker().as_ref())
            .map_err(self.storage())?
        {
            return Ok(true);
        }
        Ok(!self.has_articles()?)
    }

    /// Rebuilds the summary graph from every article graph (ingest and load do this when
    /// needed; it reads the whole store).
    pub fn rebuild_summary(&self) -> Result<(), StoreError> {
        let all = self.summary_from_articles()?;
        self.write_summary(&[], all.to_quads(), true)
    }

    /// Whether any article graph exists (the first `ng:articleId` whose subject is its graph).
    pub(super) fn has_articles(&self) -> Result<bool, StoreError> {
        for q in self
            .store
            .quads_for_pattern(None, Some(ng::ARTICLE_ID), None, None)
        {
            let q = q.map_err(self.storage())?;
            if let (NamedOrBlankNode::NamedNode(s), oxigraph::model::GraphName::NamedNode(g)) =
                (&q.subject, &q.graph_name)
            {
                if s == g {
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }

    /// The summary's current entries for the keys of `tally`, and the quads that hold them.
    pub(super) fn summary_entries(&self, tally: &Tally) -> Result<(Tally, Vec<Quad>), StoreError> {
        let g = GraphNameRef::NamedNode(graph());
        let mut old = Vec::new();
        let mut quads_of = |s: NamedNodeRef<'_>| -> Result<Vec<Quad>, StoreError> {
            let qs = self
                .store
                .quads_for_pattern(Some(s.into()), None, None, Some(g))
                .collect::<Result<Vec<_>, _>>()
                .map_err(self.storage())?;
            old.extend(qs.iter().cloned());
            Ok(qs)
        };
        let mut current = Tally::default();
        for e in tally.entities.keys() {
            let qs = quads_of(e.as_ref())?;
            if qs.is_empty() {
                continue;
            }
            let mut t = EntityTally::default();
            for q in qs {
                match (q.predicate.as_ref(), q.object) {
                    (rdf::TYPE, Term::NamedNode(c)) => {
                        t.types.insert(c);
                    }
                    (schema::NAME, Term::Literal(l)) => t.name = l.value().to_owned(),
                    (ng::ARTICLE_COUNT, o) => t.articles = count_of(&o),
                    _ => {}
                }
            }
            current.entities.insert(e.clone(), t);
        }
        for c in tally.events.keys() {
            for q in quads_of(c.as_ref())? {
                if q.predicate.as_ref() == ng::EVENT_COUNT {
                    current.events.insert(c.clone(), count_of(&q.object));
                }
            }
        }
        for k in tally.posts.keys() {
            for q in quads_of(k.node().as_ref())? {
                if q.predicate.as_ref() == ng::ARTICLE_COUNT {
                    current.posts.insert(k.clone(), count_of(&q.object));
                }
            }
        }
        for k in tally.pairs.keys() {
            let qs = quads_of(k.node().as_ref())?;
            if qs.is_empty() {
                continue;
            }
            let mut p = PairTally::default();
            for q in qs {
                let text = || literal(&q.object).map(str::to_owned);
                match q.predicate.as_ref() {
                    ng::EVENT_COUNT => p.events = count_of(&q.object),
                    ng::ARTICLE_COUNT => p.articles = count_of(&q.object),
                    ng::FIRST_DATE => p.first = text(),
                    ng::LAST_DATE => p.last = text(),
                    _ => {}
                }
            }
            current.pairs.insert(k.clone(), p);
        }
        Ok((current, old))
    }

    /// Counts every article graph, for a rebuild.
    pub(super) fn summary_from_articles(&self) -> Result<Tally, StoreError> {
        tally_from_selects(&mut |q: &str| self.internal_select(q))
    }

    /// Removes `quads` in one transaction.
    pub(super) fn remove_quads(&self, quads: &[Quad]) -> Result<(), StoreError> {
        if quads.is_empty() {
            return Ok(());
        }
        let mut tx = self.store.start_transaction().map_err(self.storage())?;
        for q in quads {
            tx.remove(q.as_ref());
        }
        tx.commit().map_err(self.storage())
    }

    /// Removes `old` (or, for a rebuild, the whole graph) and writes `new` with the up-to-date
    /// marker: in one transaction when small, else the removal first and the new quads with the
    /// marker in one bulk commit (the marker stays off until that commit).
    pub(super) fn write_summary(
        &self,
        old: &[Quad],
        mut new: Vec<Quad>,
        clear: bool,
    ) -> Result<(), StoreError> {
        new.push(marker());
        let small = new.len() < BULK_MIN_QUADS;
        let mut tx = self.store.start_transaction().map_err(self.storage())?;
        if clear {
            tx.clear_graph(graph()).map_err(self.storage())?;
        }
        for q in old {
            tx.remove(q.as_ref());
        }
        tx.insert_named_graph(graph());
        if small {
            tx.extend(new.iter().map(Quad::as_ref));
        }
        tx.commit().map_err(self.storage())?;
        if !small {
            self.bulk_insert_new(new)?;
        }
        Ok(())
    }
}

/// Counts every article graph of a store that `select` runs SELECT queries on (this store, or
/// a remote one that `push` wrote to), with four aggregates.
pub(crate) fn tally_from_selects<E>(
    select: &mut dyn FnMut(&str) -> Result<crate::store::query::Rows, E>,
) -> Result<Tally, E> {
    let classes = iris(&ENTITY_CLASSES);
    let prefixes = format!(
        "PREFIX ng: <{}> PREFIX schema: <{}> PREFIX org: <{}>",
        ng::NS,
        crate::rdf::vocab::schema::NS,
        crate::rdf::vocab::org::NS
    );
    let mut t = Tally::default();
    let entity_rows = select(&format!(
        "{prefixes} SELECT ?e ?t (MIN(?n) AS ?name) (COUNT(DISTINCT ?g) AS ?articles) WHERE {{
           VALUES ?t {{ {classes} }}
           GRAPH ?g {{ ?g ng:articleId ?id . ?e a ?t ; schema:name ?n }}
         }} GROUP BY ?e ?t"
    ))?;
    for r in entity_rows {
        let (Some(Term::NamedNode(e)), Some(Term::NamedNode(c)), Some(name), Some(n)) =
            (&r[0], &r[1], &r[2], &r[3])
        else {
            continue;
        };
        let entry = t.entities.entry(e.clone()).or_default();
        entry.types.insert(c.clone());
        entry.name = literal(name).unwrap_or_default().to_owned();
        entry.articles = entry.articles.max(count_of(n));
    }
    for r in select(&format!(
        "{prefixes} SELECT ?c (COUNT(?ev) AS ?n) WHERE {{
           GRAPH ?g {{ ?g ng:articleId ?id . ?ev a schema:Event , ?c }}
         }} GROUP BY ?c"
    ))? {
        if let (Some(Term::NamedNode(c)), Some(n)) = (&r[0], &r[1]) {
            t.events.insert(c.clone(), count_of(n));
        }
    }
    for r in select(&format!(
        "{prefixes} SELECT ?p ?title ?of ?st (COUNT(DISTINCT ?g) AS ?n) WHERE {{
           GRAPH ?g {{ ?g ng:articleId ?id .
             ?h a ng:PostHolding ; org:member ?p ; ng:postTitle ?title ; ng:status ?st .
             OPTIONAL {{ ?h org:organization ?of }} }}
         }} GROUP BY ?p ?title ?of ?st"
    ))? {
        let (Some(Term::NamedNode(person)), Some(title), Some(Term::NamedNode(status)), Some(n)) =
            (&r[0], &r[1], &r[3], &r[4])
        else {
            continue;
        };
        let key = PostKey {
            person: person.clone(),
            title: literal(title).unwrap_or_default().to_owned(),
            of: r[2].as_ref().and_then(named),
            status: status.clone(),
        };
        t.posts.insert(key, count_of(n));
    }
    let (meeting_classes, pair_classes) = (iris(&MEETING_CLASSES), iris(&PAIR_CLASSES));
    // Per event first (its dates), then per pair: an event counts once per article. An
    // unbound value would make Oxigraph's MIN and MAX unbound, so a missing date is "~" for
    // MIN (after every date) and "" for MAX (before every date).
    for r in select(&format!(
        "{prefixes} SELECT ?x ?y (COUNT(*) AS ?events) (COUNT(DISTINCT ?g) AS ?articles)
                (MIN(?f) AS ?first) (MAX(?l) AS ?last) WHERE {{
           {{ SELECT ?g ?ev ?x ?y (MIN(COALESCE(STR(?d), \"~\")) AS ?f)
                    (MAX(COALESCE(STR(?d), \"\")) AS ?l) WHERE {{
             GRAPH ?g {{ ?g ng:articleId ?id .
               VALUES ?c {{ {meeting_classes} }} VALUES ?tx {{ {pair_classes} }}
               VALUES ?ty {{ {pair_classes} }}
               ?ev a ?c ; ng:status ng:Occurred ;
                   ng:hasParticipation/ng:participant ?x , ?y .
               ?x a ?tx . ?y a ?ty .
               FILTER(STR(?x) < STR(?y))
               OPTIONAL {{ ?ev schema:startDate ?d }} }}
           }} GROUP BY ?g ?ev ?x ?y }}
         }} GROUP BY ?x ?y"
    ))? {
        let (Some(Term::NamedNode(x)), Some(Term::NamedNode(y)), Some(events), Some(n)) =
            (&r[0], &r[1], &r[2], &r[3])
        else {
            continue;
        };
        let text = |i: usize| {
            r[i].as_ref()
                .and_then(literal)
                .filter(|d| !["~", ""].contains(d))
                .map(str::to_owned)
        };
        t.pairs.insert(
            PairKey::new(x, y),
            PairTally {
                events: count_of(events),
                articles: count_of(n),
                first: text(4),
                last: text(5),
            },
        );
    }
    Ok(t)
}
