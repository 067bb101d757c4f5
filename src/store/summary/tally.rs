//! One article's (or one run's) contribution to the summary graph: [`Tally::of_article`]
//! counts it from the article's quads, [`Tally::add`] merges, `to_quads` writes it out.

use std::collections::{BTreeSet, HashMap};

use oxigraph::model::{Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term};
use rustc_hash::FxHashMap;

use super::*;
use crate::rdf::vocab::{ng, org, rdf, schema};

/// Counts contributed by some articles: one article's (see [`Tally::of_article`]) or a run's.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Tally {
    pub(super) entities: HashMap<NamedNode, EntityTally>,
    pub(super) events: HashMap<NamedNode, u64>,
    pub(super) posts: HashMap<PostKey, u64>,
    pub(super) pairs: HashMap<PairKey, PairTally>,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct EntityTally {
    pub(super) types: BTreeSet<NamedNode>,
    pub(super) name: String,
    pub(super) articles: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct PostKey {
    pub(super) person: NamedNode,
    pub(super) title: String,
    pub(super) of: Option<NamedNode>,
    pub(super) status: NamedNode,
}

/// Two persons or organisations (in IRI order) that took part in the same meeting-like event.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct PairKey(pub(super) NamedNode, pub(super) NamedNode);

impl PairKey {
    pub(super) fn new(x: &NamedNode, y: &NamedNode) -> Self {
        if x.as_str() <= y.as_str() {
            PairKey(x.clone(), y.clone())
        } else {
            PairKey(y.clone(), x.clone())
        }
    }

    /// The summary node of this pair: a hash of the two IRIs.
    pub(super) fn node(&self) -> NamedNode {
        summary_node("pair", &[self.0.as_str(), self.1.as_str()])
    }
}

/// What the articles report of one pair: events (counted per article that reports them),
/// articles, and the first and last of the events' dates as written (ISO, any precision).
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct PairTally {
    pub(super) events: u64,
    pub(super) articles: u64,
    pub(super) first: Option<String>,
    pub(super) last: Option<String>,
}

impl PairTally {
    pub(super) fn add(&mut self, o: PairTally) {
        self.events += o.events;
        self.articles += o.articles;
        self.first = [self.first.take(), o.first].into_iter().flatten().min();
        self.last = [self.last.take(), o.last].into_iter().flatten().max();
    }
}

/// The event classes of who met whom: meeting-like events.
pub(super) const MEETING_CLASSES: [NamedNodeRef<'static>; 5] =
    [ng::MEETING, ng::TALKS, ng::VISIT, ng::CALL, ng::BRIEFING];

/// The participant classes of who met whom.
pub(super) const PAIR_CLASSES: [NamedNodeRef<'static>; 2] = [schema::PERSON, schema::ORGANIZATION];

impl PostKey {
    /// The summary node of this statement: a hash of its values, so that every run finds it.
    pub(super) fn node(&self) -> NamedNode {
        let of = self.of.as_ref().map_or("", |o| o.as_str());
        summary_node(
            "post",
            &[self.person.as_str(), &self.title, of, self.status.as_str()],
        )
    }
}

/// A node of the summary graph named by a hash of its key's values, so that every run finds it.
pub(super) fn summary_node(kind: &str, key: &[&str]) -> NamedNode {
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
    pub(super) fn to_quads(&self) -> Vec<Quad> {
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
