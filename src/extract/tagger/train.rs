//! Training the tagger: labelled articles from gold facts files (every token labelled) and from
//! silver labels (a token is labelled only where spaCy's reading and the rules' reading agree),
//! an averaged perceptron over them, and mention-level scores on a dev set.
//!
//! Entry points: [`load_gold_dir`], [`load_silver`], [`train`], [`score`].

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

use super::features::{candidates, fnv1a, DocFeatures, FNV_OFFSET};
use super::gazetteer::Gazetteer;
use super::{best, walk, Model, Tag, N_TAGS};
use crate::article::{read_text_article, Article, Decode};
use crate::eval::Counts;
use crate::extract::lexicon::Lexicon;
use crate::extract::mentions;
use crate::extract::text::Doc;
use crate::facts::{read_facts_file, EntityKind};

/// What went wrong reading training data.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Line {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error(transparent)]
    Facts(#[from] crate::facts::FactsError),
    #[error(transparent)]
    Article(#[from] crate::article::ArticleError),
    #[error(
        "{id} is in the held-out set ({dir}): held-out articles are never trained on; \
         leave that folder out of --gold"
    )]
    HeldOut { id: String, dir: PathBuf },
}

impl TrainError {
    pub fn kind(&self) -> crate::error::ErrorKind {
        match self {
            TrainError::Io { .. } => crate::error::ErrorKind::Failure,
            _ => crate::error::ErrorKind::BadInput,
        }
    }
}

/// One article with a tag, or no label (`None`: the sources disagree), per token.
pub struct Example {
    pub id: String,
    pub doc: Doc,
    pub labels: Vec<Option<Tag>>,
}

/// What a source says of a span of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanLabel {
    /// A name of this kind.
    Name(EntityKind),
    /// Not one of our names (spaCy's nationalities, say).
    NotName,
    /// Left unlabelled (a span that runs over a line break).
    Unknown,
}

/// Token labels from spans `[start, end)` in chars of the original text. Tokens outside every
/// span are `O`; a span that covers a token only in part, or that is no name (a lower-case word
/// inside, as in "the Israeli president"), leaves its tokens unlabelled.
pub fn labels_from_char_spans(doc: &Doc, spans: &[(usize, usize, SpanLabel)]) -> Vec<Option<Tag>> {
    let n = doc.tokens.len();
    let chars: Vec<(usize, usize)> = doc
        .tokens
        .iter()
        .map(|t| (doc.char_at(t.start), doc.char_at(t.end)))
        .collect();
    let candidate = candidates(doc);
    let mut labels = vec![Some(Tag::O); n];
    for &(s, e, kind) in spans {
        let first = chars.partition_point(|c| c.1 <= s);
        let mut last = first;
        while last < n && chars[last].0 < e {
            last += 1;
        }
        if first >= last {
            continue;
        }
        let whole = chars[first].0 >= s && chars[last - 1].1 <= e;
        let name_like = (first..last).all(|k| candidate[k] || !doc.tokens[k].is_word);
        for (k, slot) in labels.iter_mut().enumerate().take(last).skip(first) {
            *slot = match kind {
                SpanLabel::Unknown => None,
                _ if !whole || !name_like => None,
                SpanLabel::NotName => Some(Tag::O),
                SpanLabel::Name(kind) if k == first => Some(Tag::begin(kind)),
                SpanLabel::Name(kind) => Some(Tag::inside(kind)),
            };
        }
    }
    labels
}

/// The rules' reading of an article as token labels (the tagger not consulted).
pub fn rule_labels(doc: &Doc, lex: &Lexicon) -> Vec<Option<Tag>> {
    let m = mentions::detect_with(doc, lex, None);
    let mut labels = vec![Some(Tag::O); doc.tokens.len()];
    for e in &m.entities {
        for &(s, end) in &e.mentions {
            let first = doc.tokens.partition_point(|t| t.end <= s);
            let last = doc.tokens.partition_point(|t| t.start < end).max(first);
            for (k, label) in labels.iter_mut().enumerate().take(last).skip(first) {
                *label = Some(if k == first {
                    Tag::begin(e.kind)
                } else {
                    Tag::inside(e.kind)
                });
            }
        }
    }
    labels
}

fn gold_example(path: &Path) -> Result<Example, TrainError> {
    let facts = read_facts_file(path)?;
    let doc = Doc::new(&facts.article.text);
    let spans: Vec<(usize, usize, SpanLabel)> = facts
        .entities
        .iter()
        .flat_map(|e| {
            e.mentions
                .iter()
                .map(move |m| (m.start, m.end, SpanLabel::Name(e.kind)))
        })
        .collect();
    let labels = labels_from_char_spans(&doc, &spans);
    Ok(Example {
        id: facts.article.id.clone(),
        doc,
        labels,
    })
}

fn facts_files(dir: &Path) -> Result<Vec<PathBuf>, TrainError> {
    let io = |source| TrainError::Io {
        path: dir.to_owned(),
        source,
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".facts.json"))
        .collect();
    files.sort();
    Ok(files)
}

/// The article ids of a folder of facts files.
pub fn ids_in(dir: &Path) -> Result<HashSet<String>, TrainError> {
    facts_files(dir)?
        .iter()
        .map(|p| Ok(read_facts_file(p)?.article.id))
        .collect()
}

/// Every gold facts file of `dir` as an example; an article of `held_out` is an error.
pub fn load_gold_dir(
    dir: &Path,
    held_out: &HashSet<String>,
    held_out_dir: &Path,
) -> Result<Vec<Example>, TrainError> {
    let mut out = Vec::new();
    for p in facts_files(dir)? {
        let ex = gold_example(&p)?;
        if held_out.contains(&ex.id) {
            return Err(TrainError::HeldOut {
                id: ex.id,
                dir: held_out_dir.to_owned(),
            });
        }
        out.push(ex);
    }
    Ok(out)
}

/// spaCy's labels as newsgraph kinds: nationalities and religions are no entities.
fn spacy_label(label: &str) -> SpanLabel {
    match label {
        "PERSON" => SpanLabel::Name(EntityKind::Person),
        "ORG" => SpanLabel::Name(EntityKind::Organisation),
        "GPE" | "LOC" | "FAC" => SpanLabel::Name(EntityKind::Place),
        _ => SpanLabel::NotName,
    }
}

/// A silver entity: `[start, end)` in chars and spaCy's label.
pub type SilverEntity = (usize, usize, String);

/// One line of a silver file: the article id and its `[start, end, label]` entities.
pub fn parse_silver_line(
    path: &Path,
    line: usize,
    text: &str,
) -> Result<(String, Vec<SilverEntity>), TrainError> {
    #[derive(serde::Deserialize)]
    struct Row {
        id: String,
        ents: Vec<SilverEntity>,
    }
    let row: Row = serde_json::from_str(text).map_err(|e| TrainError::Line {
        path: path.to_owned(),
        line,
        message: format!("{e}; expected {{\"id\":...,\"ents\":[[start,end,label],...]}}"),
    })?;
    Ok((row.id, row.ents))
}

/// The BBC article of a silver id (`bbc-business-001` → `CORPUS/business/001.txt`).
fn bbc_article(corpus: &Path, id: &str) -> Option<PathBuf> {
    let rest = id.strip_prefix("bbc-")?;
    let (cat, num) = rest.rsplit_once('-')?;
    Some(corpus.join(cat).join(format!("{num}.txt")))
}

/// Silver examples: each article of the silver file not in `skip`, labelled where spaCy and the
/// rules agree (spans that run over a line break are left unlabelled).
pub fn load_silver(
    file: &Path,
    corpus: &Path,
    skip: &HashSet<String>,
    lex: &Lexicon,
) -> Result<Vec<Example>, TrainError> {
    let text = std::fs::read_to_string(file).map_err(|source| TrainError::Io {
        path: file.to_owned(),
        source,
    })?;
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if i == 0 && line.contains("\"format\"") {
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        let (id, ents) = parse_silver_line(file, i + 1, line)?;
        if !skip.contains(&id) {
            rows.push((id, ents));
        }
    }
    use rayon::prelude::*;
    rows.into_par_iter()
        .map(|(id, ents)| {
            let path = bbc_article(corpus, &id).ok_or_else(|| TrainError::Line {
                path: file.to_owned(),
                line: 0,
                message: format!("{id}: not a BBC id (bbc-CATEGORY-NNN)"),
            })?;
            let article: Article = read_text_article(&path, &id, Decode::Strict)?;
            let doc = Doc::new(&article.text);
            let chars: Vec<char> = article.text.chars().collect();
            let spans: Vec<(usize, usize, SpanLabel)> = ents
                .iter()
                .map(|(s, e, label)| {
                    let crosses_line = chars.get(*s..*e).is_none_or(|c| c.contains(&'\n'));
                    let label = if crosses_line {
                        SpanLabel::Unknown
                    } else {
                        spacy_label(label)
                    };
                    (*s, *e, label)
                })
                .collect();
            let spacy = labels_from_char_spans(&doc, &spans);
            let rules = rule_labels(&doc, lex);
            let labels = spacy
                .iter()
                .zip(&rules)
                .map(|(a, b)| if a == b { *a } else { None })
                .collect();
            Ok(Example { id, doc, labels })
        })
        .collect()
}

/// How to train.
pub struct Options {
    pub epochs: usize,
    /// Features seen fewer times than this at labelled tokens are dropped.
    pub min_count: u32,
}

struct Row {
    w: [f32; N_TAGS],
    total: [f64; N_TAGS],
    stamp: [u32; N_TAGS],
    count: u32,
}

/// Averaged perceptron state.
struct Trainer {
    index: FxHashMap<u32, usize>,
    rows: Vec<Row>,
    now: u32,
}

impl Trainer {
    fn scores(&self, keys: &[u32]) -> [f32; N_TAGS] {
        let mut s = [0f32; N_TAGS];
        for k in keys {
            if let Some(&r) = self.index.get(k) {
                for (a, b) in s.iter_mut().zip(&self.rows[r].w) {
                    *a += b;
                }
            }
        }
        s
    }

    fn row(&mut self, k: u32) -> &mut Row {
        let n = self.rows.len();
        let r = *self.index.entry(k).or_insert(n);
        if r == n {
            self.rows.push(Row {
                w: [0.0; N_TAGS],
                total: [0.0; N_TAGS],
                stamp: [0; N_TAGS],
                count: 0,
            });
        }
        &mut self.rows[r]
    }

    fn update(&mut self, keys: &[u32], gold: Tag, guess: Tag) {
        let now = self.now;
        for &k in keys {
            let row = self.row(k);
            row.count += 1;
            if gold != guess {
                for (t, d) in [(gold.index(), 1.0f32), (guess.index(), -1.0)] {
                    row.total[t] += f64::from(now - row.stamp[t]) * f64::from(row.w[t]);
                    row.stamp[t] = now;
                    row.w[t] += d;
                }
            }
        }
    }

    fn averaged(self, min_count: u32) -> Model {
        let now = f64::from(self.now.max(1));
        let mut weights = FxHashMap::default();
        for (k, r) in self.index {
            let row = &self.rows[r];
            if row.count < min_count {
                continue;
            }
            let mut w = [0f32; N_TAGS];
            for (t, slot) in w.iter_mut().enumerate() {
                let total = row.total[t] + (now - f64::from(row.stamp[t])) * f64::from(row.w[t]);
                *slot = (total / now) as f32;
            }
            if w.iter().any(|x| x.abs() > 1e-3) {
                weights.insert(k, w);
            }
        }
        Model::new(weights)
    }
}

/// A fixed order of the examples for an epoch (by a hash of epoch and id).
fn order(examples: &[Example], epoch: usize) -> Vec<usize> {
    let mut idx: Vec<(u64, usize)> = examples
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let h = fnv1a(FNV_OFFSET, &(epoch as u64).to_le_bytes());
            (fnv1a(h, e.id.as_bytes()), i)
        })
        .collect();
    idx.sort_unstable();
    idx.into_iter().map(|(_, i)| i).collect()
}

/// Trains an averaged perceptron on the examples (greedy decoding with the model's own history,
/// as at run time; no update at unlabelled tokens).
pub fn train(examples: &[Example], lex: &Lexicon, opts: &Options) -> Model {
    let gaz = Gazetteer::bundled();
    let feats: Vec<DocFeatures> = examples
        .iter()
        .map(|e| DocFeatures::new(&e.doc, lex, gaz))
        .collect();
    let mut tr = Trainer {
        index: FxHashMap::default(),
        rows: Vec::new(),
        now: 0,
    };
    for epoch in 0..opts.epochs {
        for i in order(examples, epoch) {
            let labels = &examples[i].labels;
            walk(&feats[i], |keys, tok, prev| {
                let (guess, margin) = best(&tr.scores(keys), prev);
                if let Some(gold) = labels[tok] {
                    // An inside tag after another kind begins a name of its own.
                    let gold = match gold.kind() {
                        Some(k) if !gold.may_follow(prev) => Tag::begin(k),
                        _ => gold,
                    };
                    tr.now += 1;
                    tr.update(keys, gold, guess);
                }
                (guess, margin)
            });
        }
    }
    tr.averaged(opts.min_count)
}

/// Exact-span mention scores per kind of `model` (or of the rules, with `None`) on fully
/// labelled examples.
pub fn score(
    model: Option<&Model>,
    examples: &[Example],
    lex: &Lexicon,
) -> BTreeMap<&'static str, Counts> {
    let mut out: BTreeMap<&'static str, Counts> = BTreeMap::new();
    let spans_of = |labels: &[Option<Tag>]| {
        let tagged = super::Tagged {
            tags: labels.iter().map(|l| l.unwrap_or(Tag::O)).collect(),
            margins: vec![0.0; labels.len()],
        };
        tagged.spans()
    };
    for e in examples {
        let predicted = match model {
            Some(m) => m.tag(&e.doc, lex).spans(),
            None => spans_of(&rule_labels(&e.doc, lex)),
        };
        let gold = spans_of(&e.labels);
        for p in &predicted {
            let c = out.entry(p.kind.as_str()).or_default();
            c.predicted += 1;
            if gold
                .iter()
                .any(|g| g.a == p.a && g.b == p.b && g.kind == p.kind)
            {
                c.matched += 1;
            }
        }
        for g in &gold {
            out.entry(g.kind.as_str()).or_default().gold += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(id: &str, text: &str, names: &[(&str, EntityKind)]) -> Example {
        let doc = Doc::new(text);
        let spans: Vec<(usize, usize, SpanLabel)> = names
            .iter()
            .map(|(n, k)| {
                let byte = text.find(n).expect("name in text");
                let start = text[..byte].chars().count();
                (start, start + n.chars().count(), SpanLabel::Name(*k))
            })
            .collect();
        let labels = labels_from_char_spans(&doc, &spans);
        Example {
            id: id.to_owned(),
            doc,
            labels,
        }
    }

    #[test]
    fn labels_cover_whole_tokens_of_names_only() {
        let text = "The Israeli president met Ilham Aliyev in Baku.";
        let ex = example(
            "t",
            text,
            &[
                ("Israeli president", EntityKind::Person),
                ("Ilham Aliyev", EntityKind::Person),
                ("Bak", EntityKind::Place),
            ],
        );
        let tags: Vec<(&str, Option<Tag>)> = (0..ex.doc.tokens.len())
            .map(|i| (ex.doc.tok(i), ex.labels[i]))
            .collect();
        // A description with a lower-case word is no name: unlabelled, not a person.
        assert!(tags.contains(&("Israeli", None)), "{tags:?}");
        assert!(tags.contains(&("Ilham", Some(Tag::BPer))), "{tags:?}");
        assert!(tags.contains(&("Aliyev", Some(Tag::IPer))), "{tags:?}");
        // A span that cuts a token leaves it unlabelled.
        assert!(tags.contains(&("Baku", None)), "{tags:?}");
        assert!(tags.contains(&("met", Some(Tag::O))), "{tags:?}");
    }

    #[test]
    fn training_learns_what_it_is_shown() {
        let lex = Lexicon::bundled();
        let mut examples = Vec::new();
        for (i, (p, o)) in [
            ("Zarvo Quillan", "Brimworth Holdings"),
            ("Pella Ostrand", "Vantor Group"),
            ("Miro Keskel", "Dunmere Partners"),
        ]
        .iter()
        .enumerate()
        {
            let text = format!("{p} works at {o}. Later {p} left {o} for good.");
            examples.push(example(
                &format!("t{i}"),
                &text,
                &[(p, EntityKind::Person), (o, EntityKind::Organisation)],
            ));
        }
        let model = train(
            &examples,
            lex,
            &Options {
                epochs: 10,
                min_count: 1,
            },
        );
        let scores = score(Some(&model), &examples, lex);
        for kind in ["person", "organisation"] {
            let c = scores[kind];
            assert!(
                c.matched == c.gold && c.predicted == c.gold,
                "{kind}: {c:?}"
            );
        }
        // The written model reads back to the same tags.
        let back = Model::from_bytes(&model.to_bytes()).unwrap();
        for e in &examples {
            assert_eq!(back.tag(&e.doc, lex).tags, model.tag(&e.doc, lex).tags);
        }
    }

    #[test]
    fn a_bad_silver_line_names_its_file_and_line() {
        let e = parse_silver_line(Path::new("s.jsonl"), 7, "{\"id\": 3}").unwrap_err();
        let msg = e.to_string();
        assert!(msg.starts_with("s.jsonl:7: "), "{msg}");
        assert_eq!(e.kind(), crate::error::ErrorKind::BadInput);
    }
}
