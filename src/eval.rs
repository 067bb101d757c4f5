//! Extraction quality: precision, recall and F1 per category against gold facts files.
//!
//! Entry points: [`score`] (one article), [`Totals`] (sums over a gold set), [`report_table`].
//!
//! Matching rules (also in `tests/gold/GUIDELINES.md`):
//! - Entities match one-to-one within a kind when a normalised name or alias of one equals a
//!   normalised name or alias of the other (NFC, ASCII transliteration, lower case,
//!   punctuation folded, a leading "the" dropped).
//! - Posts match when their holders match and their normalised titles are equal.
//! - Meetings (meeting, talks, visit, call; briefings are not scored) match when their participant sets, mapped
//!   through the entity matching, are equal. Place and date accuracy are measured on matched
//!   meetings (both absent counts as agreement).

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::facts::{EntityKind, Facts};

/// Counts for one category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Predicted items that matched a gold item.
    pub matched: usize,
    pub predicted: usize,
    pub gold: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        if self.predicted == 0 {
            if self.gold == 0 {
                1.0
            } else {
                0.0
            }
        } else {
            self.matched as f64 / self.predicted as f64
        }
    }
    pub fn recall(&self) -> f64 {
        if self.gold == 0 {
            1.0
        } else {
            self.matched as f64 / self.gold as f64
        }
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, o: Counts) {
        self.matched += o.matched;
        self.predicted += o.predicted;
        self.gold += o.gold;
    }
}

/// Scores of one article, or sums over many.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Totals {
    pub persons: Counts,
    pub organisations: Counts,
    pub places: Counts,
    pub posts: Counts,
    pub meetings: Counts,
    /// Matched meetings whose place agrees / all matched meetings.
    pub meeting_place_agree: usize,
    /// Matched meetings whose date agrees.
    pub meeting_date_agree: usize,
    pub articles: usize,
}

impl Totals {
    pub fn add(&mut self, o: &Totals) {
        self.persons.add(o.persons);
        self.organisations.add(o.organisations);
        self.places.add(o.places);
        self.posts.add(o.posts);
        self.meetings.add(o.meetings);
        self.meeting_place_agree += o.meeting_place_agree;
        self.meeting_date_agree += o.meeting_date_agree;
        self.articles += o.articles;
    }

    /// (name, counts) for every category, in report order.
    pub fn categories(&self) -> [(&'static str, Counts); 5] {
        [
            ("persons", self.persons),
            ("organisations", self.organisations),
            ("places", self.places),
            ("posts", self.posts),
            ("meetings", self.meetings),
        ]
    }
}

/// Normalised form of a name for matching: the crate's one folding (the linker matches on it
/// too).
pub use crate::names::fold as norm;

fn names(e: &crate::facts::Entity) -> BTreeSet<String> {
    std::iter::once(&e.name)
        .chain(&e.aliases)
        .map(|n| norm(n))
        .filter(|n| !n.is_empty())
        .collect()
}

/// Scores predicted facts against gold facts for the same article.
pub fn score(gold: &Facts, pred: &Facts) -> Totals {
    let mut t = Totals {
        articles: 1,
        ..Default::default()
    };
    // Entities, one-to-one per kind; map predicted id → gold id.
    let mut map: HashMap<&str, &str> = HashMap::new();
    for kind in [
        EntityKind::Person,
        EntityKind::Organisation,
        EntityKind::Place,
    ] {
        let golds: Vec<_> = gold.entities.iter().filter(|e| e.kind == kind).collect();
        let preds: Vec<_> = pred.entities.iter().filter(|e| e.kind == kind).collect();
        let gnames: Vec<BTreeSet<String>> = golds.iter().map(|e| names(e)).collect();
        let mut used = vec![false; golds.len()];
        let mut matched = 0;
        for p in &preds {
            let pn = names(p);
            // Prefer a gold entity whose canonical name matches, then any alias overlap.
            let pick = (0..golds.len())
                .filter(|&i| !used[i])
                .find(|&i| pn.contains(&norm(&golds[i].name)))
                .or_else(|| {
                    (0..golds.len())
                        .filter(|&i| !used[i])
                        .find(|&i| !gnames[i].is_disjoint(&pn))
                });
            if let Some(i) = pick {
                used[i] = true;
                matched += 1;
                map.insert(p.id.as_str(), golds[i].id.as_str());
            }
        }
        let c = Counts {
            matched,
            predicted: preds.len(),
            gold: golds.len(),
        };
        match kind {
            EntityKind::Person => t.persons = c,
            EntityKind::Organisation => t.organisations = c,
            EntityKind::Place => t.places = c,
        }
    }
    // Posts.
    let key = |holder: &str, title: &str| (holder.to_owned(), norm(title));
    let gold_posts: Vec<(String, String)> = gold
        .posts
        .iter()
        .map(|p| key(&p.holder, &p.title))
        .collect();
    let mut used = vec![false; gold_posts.len()];
    let mut matched = 0;
    for p in &pred.posts {
        let Some(h) = map.get(p.holder.as_str()) else {
            continue;
        };
        let k = key(h, &p.title);
        if let Some(i) = (0..gold_posts.len()).find(|&i| !used[i] && gold_posts[i] == k) {
            used[i] = true;
            matched += 1;
        }
    }
    t.posts = Counts {
        matched,
        predicted: pred.posts.len(),
        gold: gold.posts.len(),
    };
    // Meetings.
    let gold_m: Vec<_> = gold
        .events
        .iter()
        .filter(|e| e.kind.is_scored_as_meeting())
        .collect();
    let pred_m: Vec<_> = pred
        .events
        .iter()
        .filter(|e| e.kind.is_scored_as_meeting())
        .collect();
    let gset = |e: &crate::facts::Event| -> BTreeSet<String> {
        e.participants.iter().map(|p| p.entity.clone()).collect()
    };
    let pset = |e: &crate::facts::Event| -> BTreeSet<String> {
        e.participants
            .iter()
            .map(|p| {
                map.get(p.entity.as_str())
                    .map_or_else(|| format!("?{}", p.entity), |g| (*g).to_owned())
            })
            .collect()
    };
    let mut used = vec![false; pred_m.len()];
    let mut matched = 0;
    for g in &gold_m {
        let gs = gset(g);
        let gtime = g.time.as_ref().and_then(|t| t.value.clone());
        let candidates: Vec<usize> = (0..pred_m.len())
            .filter(|&i| !used[i] && pset(pred_m[i]) == gs)
            .collect();
        let agree = |i: usize| {
            let p = pred_m[i];
            let place = p.place.as_deref().and_then(|x| map.get(x).copied()) == g.place.as_deref();
            let date = p.time.as_ref().and_then(|t| t.value.clone()) == gtime;
            (place, date)
        };
        let best = candidates.iter().copied().max_by_key(|&i| {
            let (a, b) = agree(i);
            (a as u8 + b as u8, std::cmp::Reverse(i))
        });
        if let Some(i) = best {
            used[i] = true;
            matched += 1;
            let (place, date) = agree(i);
            t.meeting_place_agree += place as usize;
            t.meeting_date_agree += date as usize;
        }
    }
    t.meetings = Counts {
        matched,
        predicted: pred_m.len(),
        gold: gold_m.len(),
    };
    t
}

/// One system's scores over a gold set.
#[derive(Debug, Clone, Serialize)]
pub struct System {
    pub name: String,
    pub totals: Totals,
    /// False for systems that only find entities (a peer NER model): posts and meetings are
    /// then shown as n/a.
    pub relations: bool,
    /// Per article: (gold file name, scores).
    pub articles: Vec<(String, Totals)>,
}

/// Why an evaluation could not run.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("{path}: cannot list gold folder: {source}")]
    Io {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: no *.facts.json gold files")]
    Empty { path: std::path::PathBuf },
    #[error(transparent)]
    Facts(#[from] crate::facts::FactsError),
    #[error("peer {name}: no facts file {path} for gold file {gold}")]
    MissingPeer {
        name: String,
        path: std::path::PathBuf,
        gold: String,
    },
}

impl EvalError {
    /// Gold facts that do not parse are bad input; the rest is a failure (as before).
    pub fn kind(&self) -> crate::error::ErrorKind {
        match self {
            Self::Facts(_) => crate::error::ErrorKind::BadInput,
            _ => crate::error::ErrorKind::Failure,
        }
    }
}

/// Scores our extractor (and any peers' facts files) on every `*.facts.json` in `gold_dir`.
pub fn evaluate_dir(
    extractor: &crate::extract::Extractor<'_>,
    gold_dir: &std::path::Path,
    peers: &[(String, std::path::PathBuf)],
) -> Result<Vec<System>, EvalError> {
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(gold_dir)
        .map_err(|source| EvalError::Io {
            path: gold_dir.into(),
            source,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".facts.json"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(EvalError::Empty {
            path: gold_dir.into(),
        });
    }
    let mut ours = System {
        name: "newsgraph".into(),
        totals: Totals::default(),
        relations: true,
        articles: vec![],
    };
    let mut others: Vec<System> = peers
        .iter()
        .map(|(n, _)| System {
            name: n.clone(),
            totals: Totals::default(),
            relations: false,
            articles: vec![],
        })
        .collect();
    for f in &files {
        let gold = crate::facts::read_facts_file(f)?;
        let name = f
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let article = crate::article::Article {
            id: gold.article.id.clone(),
            meta: gold.article.meta.clone(),
            text: gold.article.text.clone(),
        };
        let pred = extractor.extract(&article, None, None);
        let t = score(&gold, &pred);
        ours.totals.add(&t);
        ours.articles.push((name.clone(), t));
        for (sys, (pname, dir)) in others.iter_mut().zip(peers) {
            let path = dir.join(&name);
            if !path.exists() {
                return Err(EvalError::MissingPeer {
                    name: pname.clone(),
                    path,
                    gold: name.clone(),
                });
            }
            let p = crate::facts::read_facts_file(&path)?;
            sys.relations |= !p.posts.is_empty() || !p.events.is_empty();
            let t = score(&gold, &p);
            sys.totals.add(&t);
            sys.articles.push((name.clone(), t));
        }
    }
    let mut all = vec![ours];
    all.extend(others);
    Ok(all)
}

/// A table of scores, one column group per system.
pub fn report_table(systems: &[System]) -> String {
    let mut s = format!("{:<14}", "category");
    for sys in systems {
        s.push_str(&format!(
            " | {:<28}",
            format!("{} ({} articles)", sys.name, sys.totals.articles)
        ));
    }
    s.push('\n');
    s.push_str(&format!("{:<14}", ""));
    for _ in systems {
        s.push_str(&format!(
            " | {:>5} {:>5} {:>5} {:>10}",
            "P", "R", "F1", "m/p/g"
        ));
    }
    s.push('\n');
    for i in 0..5 {
        let cat = systems[0].totals.categories()[i].0;
        s.push_str(&format!("{cat:<14}"));
        for sys in systems {
            let c = sys.totals.categories()[i].1;
            if i >= 3 && !sys.relations {
                s.push_str(&format!(" | {:>28}", "n/a"));
            } else {
                s.push_str(&format!(
                    " | {:>5.3} {:>5.3} {:>5.3} {:>10}",
                    c.precision(),
                    c.recall(),
                    c.f1(),
                    format!("{}/{}/{}", c.matched, c.predicted, c.gold)
                ));
            }
        }
        s.push('\n');
    }
    for sys in systems
        .iter()
        .filter(|s| s.relations && s.totals.meetings.matched > 0)
    {
        let t = &sys.totals;
        s.push_str(&format!(
            "{}: of {} matched meetings, place agrees on {}, date agrees on {}\n",
            sys.name, t.meetings.matched, t.meeting_place_agree, t.meeting_date_agree
        ));
    }
    s.push_str("m/p/g = matched / predicted / gold items\n");
    s
}

/// Per article: for each system, F1 of every category (and the gold count in brackets), one
/// line per gold file.
pub fn report_per_article(systems: &[System]) -> String {
    let mut s = format!("{:<34}", "article");
    for sys in systems {
        s.push_str(&format!(" | {:<44}", sys.name));
    }
    s.push('\n');
    s.push_str(&format!("{:<34}", ""));
    for _ in systems {
        s.push_str(&format!(
            " | {:>8} {:>8} {:>8} {:>8} {:>8}",
            "pers", "orgs", "places", "posts", "meet"
        ));
    }
    s.push('\n');
    let Some(first) = systems.first() else {
        return s;
    };
    for (i, (name, _)) in first.articles.iter().enumerate() {
        s.push_str(&format!("{:<34}", name.trim_end_matches(".facts.json")));
        for sys in systems {
            let Some((_, t)) = sys.articles.get(i) else {
                continue;
            };
            for (j, (_, c)) in t.categories().iter().enumerate() {
                let cell = if j >= 3 && !sys.relations {
                    "n/a".to_owned()
                } else {
                    format!("{:.2}({})", c.f1(), c.gold)
                };
                s.push_str(&format!(" {}{cell:>8}", if j == 0 { "|" } else { "" }));
            }
        }
        s.push('\n');
    }
    s.push_str("cells: F1 (gold items); 1.00(0) means nothing to find and nothing found\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scored_meeting_kinds_are_check_golds() {
        // The Python checker and the scorer agree on what counts as a meeting.
        let py = include_str!("../tests/gold/check_gold.py");
        let line = py
            .lines()
            .find(|l| l.starts_with("MEETING_LIKE = {"))
            .expect("check_gold.py defines MEETING_LIKE");
        let kinds: BTreeSet<&str> = line
            .split(['{', '}', ',', '"'])
            .map(str::trim)
            .filter(|w| !w.is_empty() && !w.contains('='))
            .collect();
        let ours: BTreeSet<&str> = crate::facts::EventKind::ALL
            .into_iter()
            .filter(|k| k.is_scored_as_meeting())
            .map(|k| k.as_str())
            .collect();
        assert_eq!(ours, kinds);
    }

    #[test]
    fn normalisation() {
        // One folding with the linker: the apostrophe joins (it split the name before).
        assert_eq!(norm("Gideon Sa`ar"), "gideon saar");
        assert_eq!(
            norm("Gideon Sa`ar"),
            crate::link::normalize::label("Gideon Sa`ar")
        );
        assert_eq!(norm("the US"), "us");
        assert_eq!(norm("Türkiye"), "turkiye");
        assert_eq!(norm("Caliber.Az"), "caliber az");
    }

    #[test]
    fn f1_edge_cases() {
        let c = Counts {
            matched: 0,
            predicted: 0,
            gold: 0,
        };
        assert_eq!((c.precision(), c.recall()), (1.0, 1.0));
        let c = Counts {
            matched: 3,
            predicted: 4,
            gold: 6,
        };
        assert!((c.f1() - 0.6).abs() < 1e-9);
    }
}
