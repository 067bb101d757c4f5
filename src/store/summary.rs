//! The summary graph: corpus-wide counts that `ingest` and `load` keep up to date, so that the
//! overview queries (persons, organisations, places, posts, events by class, who met whom) read
//! one small graph instead of every article graph of a large store.
//!
//! Entry point: [`SummaryRun`], started before a run writes, fed each new article's [`Tally`],
//! finished after the run's last commit.
//!
//! What it holds, in the graph [`SUMMARY_GRAPH`]:
//! - each person, organisation and place: its types, one `schema:name` (the smallest of the
//!   names the articles give it) and `ng:articleCount`, the number of articles naming it;
//! - each event class: `ng:eventCount`, the number of events asserted of that class;
//! - each post statement (holder, title, organisation, status): a node with those values and
//!   `ng:articleCount`, the number of articles stating it;
//! - each pair of persons or organisations that the articles report taking part in the same
//!   meeting-like event that occurred: a node with the two as `ng:pairMember`, `ng:eventCount`
//!   (events, each counted once per article reporting it), `ng:articleCount`, and the first and
//!   last of the events' dates (`ng:firstDate`, `ng:lastDate`).
//!
//! Entities also carry `ng:sortKey`, a short prefix of the name that the listings sort by
//! (see [`sort_key`]).
//!
//! Crash safety: the graph carries `<SUMMARY_GRAPH> ng:upToDate true` only while it matches the
//! article graphs. A run removes the marker before its first write and puts it back in the same
//! commit as the new counts; a run that dies in between leaves no marker, and the next run that
//! writes (or re-ingests, even with nothing new) rebuilds the summary from every article graph.
//! A run that replaces an existing article also rebuilds: counts and smallest names can be
//! added to, not taken back.

use std::collections::{BTreeSet, HashMap, HashSet};

use oxigraph::model::{
    GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term,
};
use rustc_hash::FxHashMap;

use super::{NewsStore, StoreError, BULK_MIN_QUADS};
use crate::rdf::vocab::{ng, org, rdf, schema, xsd};

/// The name of the summary graph (fixed, like the ontology graph, whatever the data's base IRI).
pub const SUMMARY_GRAPH: &str = "https://w3id.org/newsgraph/ns/summary";

/// Classes that make a node a person, organisation or place of the summary.
const ENTITY_CLASSES: [NamedNodeRef<'static>; 7] = [
    schema::PERSON,
    schema::ORGANIZATION,
    org::ORGANIZATION,
    schema::PLACE,
    schema::COUNTRY,
    schema::CITY,
    schema::ADMINISTRATIVE_AREA,
];

fn graph() -> NamedNodeRef<'static> {
    NamedNodeRef::new_unchecked(SUMMARY_GRAPH)
}

/// Counts contributed by some articles: one article's (see [`Tally::of_article`]) or a run's.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Tally {
    entities: HashMap<NamedNode, EntityTally>,
    events: HashMap<NamedNode, u64>,
    posts: HashMap<PostKey, u64>,
    pairs: HashMap<PairKey, PairTally>,
}

#[derive(Debug, Default, Clone, PartialEq)]
struct EntityTally {
    types: BTreeSet<NamedNode>,
    name: String,
    articles: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct PostKey {
    person: NamedNode,
    title: String,
    of: Option<NamedNode>,
    status: NamedNode,
}

/// Two persons or organisations (in IRI order) that took part in the same meeting-like event.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct PairKey(NamedNode, NamedNode);

impl PairKey {
    fn new(x: &NamedNode, y: &NamedNode) -> Self {
        if x.as_str() <= y.as_str() {
            PairKey(x.clone(), y.clone())
        } else {
            PairKey(y.clone(), x.clone())
        }
    }

    /// The summary node of this pair: a hash of the two IRIs.
    fn node(&self) -> NamedNode {
        summary_node("pair", &[self.0.as_str(), self.1.as_str()])
    }
}

/// What the articles report of one pair: events (counted per article that reports them),
/// articles, and the first and last of the events' dates as written (ISO, any precision).
#[derive(Debug, Default, Clone, PartialEq)]
struct PairTally {
    events: u64,
    articles: u64,
    first: Option<String>,
    last: Option<String>,
}

impl PairTally {
    fn add(&mut self, o: PairTally) {
        self.events += o.events;
        self.articles += o.articles;
        self.first = [self.first.take(), o.first].into_iter().flatten().min();
        self.last = [self.last.take(), o.last].into_iter().flatten().max();
    }
}

/// The event classes of who met whom: meeting-like events.
const MEETING_CLASSES: [NamedNodeRef<'static>; 5] =
    [ng::MEETING, ng::TALKS, ng::VISIT, ng::CALL, ng::BRIEFING];

/// The participant classes of who met whom.
const PAIR_CLASSES: [NamedNodeRef<'static>; 2] = [schema::PERSON, schema::ORGANIZATION];

impl PostKey {
    /// The summary node of this statement: a hash of its values, so that every run finds it.
    fn node(&self) -> NamedNode {
        let of = self.of.as_ref().map_or("", |o| o.as_str());
        summary_node(
            "post",
            &[self.person.as_str(), &self.title, of, self.status.as_str()],
        )
    }
}

/// A node of the summary graph named by a hash of its key's values, so that every run finds it.
fn summary_node(kind: &str, key: &[&str]) -> NamedNode {
    let hash = crate::rdf::iri::content_hash(key);
    NamedNode::new_unchecked(format!("{SUMMARY_GRAPH}#{kind}-{}", &hash[..16]))
}

impl Tally {
    /// One article's contribution, from the quads of its graph: each named entity and each
    /// post statement counts once, each event once per class it is asserted of.
    pub fn of_article<'q>(quads: &'q [Quad]) -> Self {
        // Fx rather than SipHash: keys are the article's own IRIs, hashed whole.
        let mut types: FxHashMap<&NamedNode, Vec<&NamedNode>> = FxHashMap::default();
        let mut names: FxHashMap<&NamedNode, &str> = FxHashMap::default();
        let mut values: FxHashMap<(&NamedNode, NamedNodeRef<'_>), Vec<&Term>> =
            FxHashMap::default();
        for q in quads {
            let NamedOrBlankNode::NamedNode(s) = &q.subject else {
                continue;
            };
            let p = q.predicate.as_ref();
            match (&q.object, p) {
                (Term::NamedNode(o), rdf::TYPE) => types.entry(s).or_default().push(o),
                (Term::Literal(l), schema::NAME) => {
                    let n = names.entry(s).or_insert(l.value());
                    *n = (*n).min(l.value());
                }
                (
                    o,
                    org::MEMBER
                    | ng::POST_TITLE
                    | org::ORGANIZATION_PROP
                    | ng::STATUS
                    | ng::HAS_PARTICIPATION
                    | ng::PARTICIPANT
                    | schema::START_DATE,
                ) => values.entry((s, p)).or_default().push(o),
                _ => {}
            }
        }
        let mut t = Tally::default();
        let mut posts = HashSet::new();
        let one = |s: &'q NamedNode, p: NamedNodeRef<'static>| -> &[&'q Term] {
            values.get(&(s, p)).map(Vec::as_slice).unwrap_or_default()
        };
        let has_type = |s: &NamedNode, classes: &[NamedNodeRef<'_>]| {
            types
                .get(s)
                .is_some_and(|ts| ts.iter().any(|c| classes.contains(&c.as_ref())))
        };
        for (s, ts) in &types {
            let entity_types: BTreeSet<NamedNode> = ts
                .iter()
                .filter(|c| ENTITY_CLASSES.contains(&c.as_ref()))
                .map(|c| (*c).clone())
                .collect();
            if let (false, Some(name)) = (entity_types.is_empty(), names.get(s)) {
                t.entities.insert(
                    (*s).clone(),
                    EntityTally {
                        types: entity_types,
                        name: (*name).to_owned(),
                        articles: 1,
                    },
                );
            }
            if has_type(s, &[schema::EVENT]) {
                for c in ts.iter().collect::<BTreeSet<_>>() {
                    *t.events.entry((*c).clone()).or_default() += 1;
                }
            }
            let occurred = || {
                one(s, ng::STATUS)
                    .iter()
                    .any(|o| matches!(o, Term::NamedNode(n) if n.as_ref() == ng::OCCURRED))
            };
            if has_type(s, &MEETING_CLASSES) && occurred() {
                let who: BTreeSet<NamedNode> = one(s, ng::HAS_PARTICIPATION)
                    .iter()
                    .filter_map(|p| named_ref(p))
                    .flat_map(|p| one(p, ng::PARTICIPANT).iter().filter_map(|o| named(o)))
                    .filter(|x| has_type(x, &PAIR_CLASSES))
                    .collect();
                let date = one(s, schema::START_DATE).iter().filter_map(|d| literal(d));
                let (first, last) = (date.clone().min(), date.max());
                for (i, x) in who.iter().enumerate() {
                    for y in who.iter().skip(i + 1) {
                        t.pairs
                            .entry(PairKey::new(x, y))
                            .or_default()
                            .add(PairTally {
                                events: 1,
                                articles: 0,
                                first: first.map(str::to_owned),
                                last: last.map(str::to_owned),
                            });
                    }
                }
            }
            if has_type(s, &[ng::POST_HOLDING]) {
                let one = |p| one(s, p);
                let orgs: Vec<Option<NamedNode>> = match one(org::ORGANIZATION_PROP) {
                    [] => vec![None],
                    os => os.iter().map(|o| named(o)).collect(),
                };
                for person in one(org::MEMBER).iter().filter_map(|o| named(o)) {
                    for title in one(ng::POST_TITLE).iter().filter_map(|o| literal(o)) {
                        for status in one(ng::STATUS).iter().filter_map(|o| named(o)) {
                            for of in &orgs {
                                posts.insert(PostKey {
                                    person: person.clone(),
                                    title: title.to_owned(),
                                    of: of.clone(),
                                    status: status.clone(),
                                });
                            }
                        }
                    }
                }
            }
        }
        t.posts = posts.into_iter().map(|k| (k, 1)).collect();
        for p in t.pairs.values_mut() {
            p.articles = 1;
        }
        t
    }

    /// Adds `other`'s counts to these; an entity keeps the smallest name and all its types.
    pub fn add(&mut self, other: Tally) {
        for (e, o) in other.entities {
            match self.entities.get_mut(&e) {
                Some(mine) => {
                    mine.types.extend(o.types);
                    if o.name < mine.name {
                        mine.name = o.name;
                    }
                    mine.articles += o.articles;
                }
                None => {
                    self.entities.insert(e, o);
                }
            }
        }
        for (c, n) in other.events {
            *self.events.entry(c).or_default() += n;
        }
        for (k, n) in other.posts {
            *self.posts.entry(k).or_default() += n;
        }
        for (k, p) in other.pairs {
            self.pairs.entry(k).or_default().add(p);
        }
    }

    /// Whether nothing was counted.
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
            && self.events.is_empty()
            && self.posts.is_empty()
            && self.pairs.is_empty()
    }

    /// The summary graph's quads for these counts (without the up-to-date marker).
    fn to_quads(&self) -> Vec<Quad> {
        let g = graph().into_owned();
        let mut out = Vec::new();
        let mut add = |s: &NamedNode, p: NamedNodeRef<'_>, o: Term| {
            out.push(Quad::new(s.clone(), p.into_owned(), o, g.clone()))
        };
        for (e, t) in &self.entities {
            for c in &t.types {
                add(e, rdf::TYPE, c.clone().into());
            }
            add(e, schema::NAME, Literal::new_simple_literal(&t.name).into());
            add(
                e,
                ng::SORT_KEY,
                Literal::new_simple_literal(sort_key(&t.name)).into(),
            );
            add(e, ng::ARTICLE_COUNT, count(t.articles));
        }
        for (c, n) in &self.events {
            add(c, ng::EVENT_COUNT, count(*n));
        }
        for (k, n) in &self.posts {
            let node = k.node();
            add(&node, org::MEMBER, k.person.clone().into());
            add(
                &node,
                ng::POST_TITLE,
                Literal::new_simple_literal(&k.title).into(),
            );
            if let Some(of) = &k.of {
                add(&node, org::ORGANIZATION_PROP, of.clone().into());
            }
            add(&node, ng::STATUS, k.status.clone().into());
            add(&node, ng::ARTICLE_COUNT, count(*n));
        }
        for (k, p) in &self.pairs {
            let node = k.node();
            add(&node, ng::PAIR_MEMBER, k.0.clone().into());
            add(&node, ng::PAIR_MEMBER, k.1.clone().into());
            add(&node, ng::EVENT_COUNT, count(p.events));
            add(&node, ng::ARTICLE_COUNT, count(p.articles));
            for (pred, date) in [(ng::FIRST_DATE, &p.first), (ng::LAST_DATE, &p.last)] {
                if let Some(d) = date {
                    add(&node, pred, Literal::new_simple_literal(d).into());
                }
            }
        }
        out
    }
}

/// The first [`SORT_KEY_CHARS`] characters of a name: sorting by this key, then by the name,
/// gives the name order, and Oxigraph stores strings of up to 15 bytes inline, so an ORDER BY
/// on the key compares them without reading the store (on the BBC ×50 store, sorting persons
/// by name took 47 ms more than by an integer).
fn sort_key(name: &str) -> &str {
    name.char_indices()
        .nth(SORT_KEY_CHARS)
        .map_or(name, |(i, _)| &name[..i])
}

/// Characters of a name kept in its sort key.
const SORT_KEY_CHARS: usize = 15;

/// IRIs written for a SPARQL VALUES list.
fn iris(classes: &[NamedNodeRef<'_>]) -> String {
    classes
        .iter()
        .map(|c| format!("<{}>", c.as_str()))
        .collect::<Vec<_>>()
        .join(" ")
}

fn count(n: u64) -> Term {
    Literal::new_typed_literal(n.to_string(), xsd::INTEGER).into()
}

fn named(t: &Term) -> Option<NamedNode> {
    named_ref(t).cloned()
}

fn named_ref(t: &Term) -> Option<&NamedNode> {
    match t {
        Term::NamedNode(n) => Some(n),
        _ => None,
    }
}

fn literal(t: &Term) -> Option<&str> {
    match t {
        Term::Literal(l) => Some(l.value()),
        _ => None,
    }
}

fn count_of(t: &Term) -> u64 {
    literal(t).and_then(|v| v.parse().ok()).unwrap_or(0)
}

/// How a run left the summary graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryUpdate {
    /// Nothing was written and the summary was up to date: untouched.
    Untouched,
    /// The run's new articles were added to the counts.
    Added,
    /// Rebuilt from every article graph (an article was replaced, or the last run was cut off).
    Rebuilt,
}

/// The summary's side of one writing run (see the module docs for the protocol).
pub struct SummaryRun<'a> {
    store: &'a NewsStore,
    was_current: bool,
    /// The summary graph held nothing at the start: no current entries to read.
    was_empty: bool,
    marker_removed: bool,
    rebuild: bool,
    /// The new counts went out with the run's last bulk batch (see [`Self::hand_over`]).
    handed_over: bool,
    tally: Tally,
}

impl<'a> SummaryRun<'a> {
    /// Notes whether the summary is up to date before the run writes anything.
    pub fn start(store: &'a NewsStore) -> Result<Self, StoreError> {
        let was_empty = store
            .store
            .quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(graph())))
            .next()
            .is_none();
        Ok(SummaryRun {
            store,
            was_current: store.summary_is_current()?,
            was_empty,
            marker_removed: false,
            rebuild: false,
            handed_over: false,
            tally: Tally::default(),
        })
    }

    /// Call before each write to the store: the first call removes the up-to-date marker.
    pub fn before_write(&mut self) -> Result<(), StoreError> {
        if !self.marker_removed {
            self.store.remove_quads(&[marker()])?;
            self.marker_removed = true;
        }
        Ok(())
    }

    /// A new article was written: its counts are added at the end.
    pub fn added(&mut self, tally: Tally) {
        self.tally.add(tally);
    }

    /// An existing article's graph was replaced: the summary is rebuilt at the end.
    pub fn replaced(&mut self) {
        self.rebuild = true;
    }

    /// After the run's last commit: adds the counts, or rebuilds, and marks the summary up to
    /// date. Not calling it (the run failed) leaves the marker off for the next run to mend.
    pub fn finish(mut self) -> Result<SummaryUpdate, StoreError> {
        if self.handed_over {
            return Ok(SummaryUpdate::Added);
        }
        if self.was_current && !self.marker_removed {
            return Ok(SummaryUpdate::Untouched);
        }
        if self.rebuild || !self.was_current {
            self.store.rebuild_summary()?;
            return Ok(SummaryUpdate::Rebuilt);
        }
        let (old, new) = self.merged()?;
        self.store.write_summary(&old, new, false)?;
        Ok(SummaryUpdate::Added)
    }

    /// For a run that only added articles, before its last bulk batch: removes the entries
    /// about to change and returns their new quads with the up-to-date marker, for the caller
    /// to commit with that batch (the batch must then be committed before [`Self::finish`]).
    /// `None` when the summary is to be rebuilt instead.
    pub fn hand_over(&mut self) -> Result<Option<Vec<Quad>>, StoreError> {
        if self.rebuild || !self.was_current {
            return Ok(None);
        }
        self.before_write()?;
        let (old, mut new) = self.merged()?;
        self.store.remove_quads(&old)?;
        new.push(marker());
        self.handed_over = true;
        Ok(Some(new))
    }

    /// The current entries for the run's keys (none when the graph was empty), and the quads
    /// of those entries with the run's counts added.
    fn merged(&mut self) -> Result<(Vec<Quad>, Vec<Quad>), StoreError> {
        let tally = std::mem::take(&mut self.tally);
        let (mut merged, old) = if self.was_empty {
            (Tally::default(), Vec::new())
        } else {
            self.store.summary_entries(&tally)?
        };
        merged.add(tally);
        Ok((old, merged.to_quads()))
    }
}

fn marker() -> Quad {
    Quad::new(
        graph().into_owned(),
        ng::UP_TO_DATE.into_owned(),
        Literal::from(true),
        graph().into_owned(),
    )
}

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
    fn has_articles(&self) -> Result<bool, StoreError> {
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
    fn summary_entries(&self, tally: &Tally) -> Result<(Tally, Vec<Quad>), StoreError> {
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
    fn summary_from_articles(&self) -> Result<Tally, StoreError> {
        let classes = iris(&ENTITY_CLASSES);
        let prefixes = format!(
            "PREFIX ng: <{}> PREFIX schema: <{}> PREFIX org: <{}>",
            ng::NS,
            crate::rdf::vocab::schema::NS,
            crate::rdf::vocab::org::NS
        );
        let mut t = Tally::default();
        let entity_rows = self.internal_select(&format!(
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
        for r in self.internal_select(&format!(
            "{prefixes} SELECT ?c (COUNT(?ev) AS ?n) WHERE {{
               GRAPH ?g {{ ?g ng:articleId ?id . ?ev a schema:Event , ?c }}
             }} GROUP BY ?c"
        ))? {
            if let (Some(Term::NamedNode(c)), Some(n)) = (&r[0], &r[1]) {
                t.events.insert(c.clone(), count_of(n));
            }
        }
        for r in self.internal_select(&format!(
            "{prefixes} SELECT ?p ?title ?of ?st (COUNT(DISTINCT ?g) AS ?n) WHERE {{
               GRAPH ?g {{ ?g ng:articleId ?id .
                 ?h a ng:PostHolding ; org:member ?p ; ng:postTitle ?title ; ng:status ?st .
                 OPTIONAL {{ ?h org:organization ?of }} }}
             }} GROUP BY ?p ?title ?of ?st"
        ))? {
            let (
                Some(Term::NamedNode(person)),
                Some(title),
                Some(Term::NamedNode(status)),
                Some(n),
            ) = (&r[0], &r[1], &r[3], &r[4])
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
        for r in self.internal_select(&format!(
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

    /// Removes `quads` in one transaction.
    fn remove_quads(&self, quads: &[Quad]) -> Result<(), StoreError> {
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
    fn write_summary(
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

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str, p: NamedNodeRef<'_>, o: impl Into<Term>) -> Quad {
        Quad::new(
            NamedNode::new_unchecked(s),
            p.into_owned(),
            o,
            NamedNode::new_unchecked("http://x/a"),
        )
    }

    fn lit(s: &str) -> Term {
        Literal::new_simple_literal(s).into()
    }

    #[test]
    fn an_article_counts_each_entity_and_post_once() {
        let holding = |h: &str| {
            vec![
                q(h, rdf::TYPE, ng::POST_HOLDING.into_owned()),
                q(h, org::MEMBER, NamedNode::new_unchecked("http://x/p")),
                q(h, ng::POST_TITLE, lit("Minister")),
                q(h, ng::STATUS, ng::INCUMBENT.into_owned()),
            ]
        };
        let mut quads = vec![
            q("http://x/p", rdf::TYPE, schema::PERSON.into_owned()),
            q("http://x/p", schema::NAME, lit("Zed")),
            q("http://x/p", schema::NAME, lit("Ann")),
            q("http://x/unnamed", rdf::TYPE, schema::PERSON.into_owned()),
            q("http://x/e", rdf::TYPE, schema::EVENT.into_owned()),
            q("http://x/e", rdf::TYPE, ng::MEETING.into_owned()),
        ];
        // The same statement twice, from two sentences of the same article.
        quads.extend(holding("http://x/h1"));
        quads.extend(holding("http://x/h2"));
        let t = Tally::of_article(&quads);
        assert_eq!(
            t.entities.len(),
            1,
            "an entity without a name is not listed"
        );
        let p = &t.entities[&NamedNode::new_unchecked("http://x/p")];
        assert_eq!((p.name.as_str(), p.articles), ("Ann", 1));
        assert_eq!(t.posts.values().collect::<Vec<_>>(), vec![&1]);
        assert_eq!(t.events[&ng::MEETING.into_owned()], 1);
        assert_eq!(t.events[&schema::EVENT.into_owned()], 1);
    }

    #[test]
    fn adding_keeps_the_smallest_name_and_sums_counts() {
        let one = |name: &str| {
            Tally::of_article(&[
                q("http://x/p", rdf::TYPE, schema::PLACE.into_owned()),
                q("http://x/p", schema::NAME, lit(name)),
            ])
        };
        let mut t = one("Zurich");
        t.add(one("Basel"));
        t.add(one("Geneva"));
        let p = &t.entities[&NamedNode::new_unchecked("http://x/p")];
        assert_eq!((p.name.as_str(), p.articles), ("Basel", 3));
    }
}
