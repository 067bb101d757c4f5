//! The search box: names and aliases of the store's persons, organisations and places, matched
//! by the prefix of any word, ignoring case and accents (newsgraph's one name folding,
//! [`crate::names::fold`]). Entry point: [`page`]; the index is [`Index::read`] once per
//! served store.

use std::collections::{HashMap, HashSet};

use askama::Template;

use super::rows::{self, Row};
use super::templates::{EntityLink, Hit, Search};
use super::{entity_href, kind_of_types, Params, Site, WebError};
use crate::names;

/// At most this many hits are listed.
const MAX_HITS: usize = 50;

/// One entity of the index.
pub struct Known {
    pub iri: String,
    pub name: String,
    pub kind: &'static str,
    pub articles: u64,
    /// Its names and aliases (indices into the index's labels).
    labels: Vec<u32>,
}

/// Every name and alias, folded, under each word it starts with.
pub struct Index {
    entities: Vec<Known>,
    by_iri: HashMap<String, usize>,
    labels: Vec<String>,
    /// (folded label from one of its words on, entity, label), sorted.
    keys: Vec<(String, u32, u32)>,
}

impl Index {
    /// Reads the index with `queries/pages/search-names.rq`.
    pub fn read(site: &Site<'_>) -> Result<Index, WebError> {
        Ok(Index::from_rows(&rows::run(
            site,
            &rows::SEARCH_NAMES,
            &[],
        )?))
    }

    fn from_rows(rows: &[Row]) -> Index {
        let mut index = Index {
            entities: Vec::new(),
            by_iri: HashMap::new(),
            labels: Vec::new(),
            keys: Vec::new(),
        };
        let mut types: HashMap<usize, Vec<String>> = HashMap::new();
        let mut seen_labels: HashSet<(usize, String)> = HashSet::new();
        for r in rows {
            let iri = r.get("entity");
            let e = *index.by_iri.entry(iri.to_owned()).or_insert_with(|| {
                index.entities.push(Known {
                    iri: iri.to_owned(),
                    name: r.get("name").to_owned(),
                    kind: "entity",
                    articles: r.int("articles"),
                    labels: Vec::new(),
                });
                index.entities.len() - 1
            });
            types.entry(e).or_default().push(r.get("type").to_owned());
            let label = r.get("label");
            if !seen_labels.insert((e, label.to_owned())) {
                continue;
            }
            let folded = names::fold(label);
            index.labels.push(label.to_owned());
            let l = (index.labels.len() - 1) as u32;
            index.entities[e].labels.push(l);
            let mut at_word_start = true;
            for (i, c) in folded.char_indices() {
                if at_word_start {
                    index.keys.push((folded[i..].to_owned(), e as u32, l));
                }
                at_word_start = c == ' ';
            }
        }
        for (e, ts) in types {
            index.entities[e].kind = kind_of_types(ts.iter().map(String::as_str));
        }
        index.keys.sort_unstable();
        index
    }

    /// What the index knows of an entity.
    pub fn known(&self, iri: &str) -> Option<&Known> {
        self.by_iri.get(iri).map(|&i| &self.entities[i])
    }

    /// Every name and alias of an entity but its canonical name, sorted.
    pub fn aliases(&self, iri: &str) -> Vec<String> {
        let Some(k) = self.known(iri) else {
            return Vec::new();
        };
        let mut out: Vec<String> = k
            .labels
            .iter()
            .map(|&l| self.labels[l as usize].clone())
            .filter(|l| *l != k.name)
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The `max` entities of `kind` named by the most articles (then by name).
    pub fn top(&self, kind: &str, max: usize) -> Vec<&Known> {
        let mut all: Vec<&Known> = self.entities.iter().filter(|k| k.kind == kind).collect();
        all.sort_by(|a, b| {
            b.articles
                .cmp(&a.articles)
                .then_with(|| a.name.cmp(&b.name))
                .then_with(|| a.iri.cmp(&b.iri))
        });
        all.truncate(max);
        all
    }

    /// The kind of an entity ("entity" if not in the index).
    pub fn kind(&self, iri: &str) -> &'static str {
        self.known(iri).map_or("entity", |k| k.kind)
    }

    /// Entities with a name or alias that has a word starting with `q` (folded), most-named
    /// first; with the label that matched, and whether more were found than returned.
    pub fn find(&self, q: &str, max: usize) -> (Vec<(&Known, &str)>, bool) {
        let q = names::words(q).join(" ");
        if q.is_empty() {
            return (Vec::new(), false);
        }
        let start = self
            .keys
            .partition_point(|(k, _, _)| k.as_str() < q.as_str());
        let mut best: HashMap<u32, u32> = HashMap::new();
        for (k, e, l) in &self.keys[start..] {
            if !k.starts_with(&q) {
                break;
            }
            best.entry(*e).or_insert(*l);
        }
        let mut hits: Vec<(&Known, &str)> = best
            .into_iter()
            .map(|(e, l)| (&self.entities[e as usize], self.labels[l as usize].as_str()))
            .collect();
        hits.sort_by(|a, b| {
            b.0.articles
                .cmp(&a.0.articles)
                .then_with(|| a.0.name.cmp(&b.0.name))
                .then_with(|| a.0.iri.cmp(&b.0.iri))
        });
        let more = hits.len() > max;
        hits.truncate(max);
        (hits, more)
    }

    /// The entity best named `name` (an exact folded match first, else the most-named prefix
    /// match), for filters typed as names.
    pub fn resolve(&self, name: &str) -> Option<&Known> {
        let (hits, _) = self.find(name, usize::MAX);
        let folded = names::fold(name);
        hits.iter()
            .find(|(k, label)| names::fold(label) == folded || names::fold(&k.name) == folded)
            .or(hits.first())
            .map(|(k, _)| *k)
    }
}

pub fn page(site: &Site<'_>, params: &Params) -> Result<String, WebError> {
    let q = params.get("q").unwrap_or("").to_owned();
    let (found, more) = site.index()?.find(&q, MAX_HITS);
    let hits = found
        .into_iter()
        .map(|(k, label)| Hit {
            entity: link(k),
            matched: if label == k.name {
                String::new()
            } else {
                label.to_owned()
            },
        })
        .collect();
    Ok(Search { q, hits, more }.render()?)
}

/// A link to a known entity.
pub fn link(k: &Known) -> EntityLink {
    EntityLink {
        href: entity_href(&k.iri),
        name: k.name.clone(),
        kind: k.kind,
        articles: k.articles,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> Index {
        let row = |e: &str, label: &str, name: &str, ty: &str, n: &str| {
            Row::of(&[
                ("entity", e),
                ("label", label),
                ("name", name),
                ("type", ty),
                ("articles", n),
            ])
        };
        Index::from_rows(&[
            row(
                "p/aliyev",
                "Ilham Aliyev",
                "Ilham Aliyev",
                "http://schema.org/Person",
                "3",
            ),
            row(
                "p/aliyev",
                "Aliyev",
                "Ilham Aliyev",
                "http://schema.org/Person",
                "3",
            ),
            row("c/tr", "Türkiye", "Türkiye", "http://schema.org/Place", "5"),
            row("c/tr", "Turkey", "Türkiye", "http://schema.org/Place", "5"),
            row(
                "o/un",
                "United Nations",
                "United Nations",
                "http://schema.org/Organization",
                "9",
            ),
            row(
                "o/un",
                "UN",
                "United Nations",
                "http://schema.org/Organization",
                "9",
            ),
            row(
                "p/ali",
                "Ali Khan",
                "Ali Khan",
                "http://schema.org/Person",
                "1",
            ),
        ])
    }

    fn names(hits: &(Vec<(&Known, &str)>, bool)) -> Vec<String> {
        hits.0.iter().map(|(k, _)| k.name.clone()).collect()
    }

    #[test]
    fn any_word_prefix_matches_ignoring_case_and_accents() {
        let ix = index();
        assert_eq!(names(&ix.find("ali", 10)), ["Ilham Aliyev", "Ali Khan"]);
        assert_eq!(names(&ix.find("TÜRK", 10)), ["Türkiye"]);
        assert_eq!(names(&ix.find("nations", 10)), ["United Nations"]);
        assert!(ix.find("liyev", 10).0.is_empty());
        assert!(ix.find("  ", 10).0.is_empty());
        assert_eq!(ix.kind("c/tr"), "place");
        assert_eq!(ix.kind("o/un"), "organisation");
        assert_eq!(ix.aliases("c/tr"), ["Turkey"]);
        let top: Vec<&str> = ix
            .top("person", 5)
            .iter()
            .map(|k| k.name.as_str())
            .collect();
        assert_eq!(top, ["Ilham Aliyev", "Ali Khan"]);
    }

    #[test]
    fn most_named_first_and_capped() {
        let ix = index();
        let (hits, more) = ix.find("u", 1);
        assert_eq!(hits[0].0.name, "United Nations");
        assert!(!more);
        let (hits, more) = ix.find("a", 1);
        assert_eq!(hits.len(), 1);
        assert!(more);
    }

    #[test]
    fn a_filter_name_resolves_to_the_exact_match_first() {
        let ix = index();
        assert_eq!(ix.resolve("turkey").unwrap().iri, "c/tr");
        assert_eq!(ix.resolve("ali khan").unwrap().iri, "p/ali");
        // No exact match: the most-named prefix match.
        assert_eq!(ix.resolve("Ali").unwrap().iri, "p/aliyev");
        assert!(ix.resolve("nobody").is_none());
    }
}
