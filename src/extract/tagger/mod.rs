//! The learned name tagger: an averaged perceptron over BIO tags for persons, organisations and
//! places, decoded greedily left to right (Ratinov & Roth 2009's design: word, shape, affix and
//! context features, gazetteers, and what the article already called a word).
//!
//! The weights ship as `weights.bin` (made by `newsgraph train`, see [`train`]) and are loaded
//! once. Mention detection ([`super::mentions`]) asks the tagger about the names its rules
//! cannot place, and about runs where the tagger's reading is clearly better.
//!
//! Entry points: [`Model::bundled`], [`Model::tag`].

pub mod features;
pub mod gazetteer;
pub mod train;

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use super::lexicon::Lexicon;
use super::text::Doc;
use crate::facts::EntityKind;
use features::{DocFeatures, History};
use gazetteer::Gazetteer;

/// The rule name of mentions the tagger found, with the model's version.
pub const RULE: &str = "tagger.perceptron/1";

/// Number of tags.
pub const N_TAGS: usize = 7;

/// A BIO tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tag {
    O,
    BPer,
    IPer,
    BOrg,
    IOrg,
    BLoc,
    ILoc,
}

impl Tag {
    pub const ALL: [Tag; N_TAGS] = [
        Tag::O,
        Tag::BPer,
        Tag::IPer,
        Tag::BOrg,
        Tag::IOrg,
        Tag::BLoc,
        Tag::ILoc,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Tag::O => "O",
            Tag::BPer => "B-PER",
            Tag::IPer => "I-PER",
            Tag::BOrg => "B-ORG",
            Tag::IOrg => "I-ORG",
            Tag::BLoc => "B-LOC",
            Tag::ILoc => "I-LOC",
        }
    }

    /// "PER", "ORG", "LOC" or "O": the tag without its position.
    pub fn kind_str(self) -> &'static str {
        match self {
            Tag::O => "O",
            Tag::BPer | Tag::IPer => "PER",
            Tag::BOrg | Tag::IOrg => "ORG",
            Tag::BLoc | Tag::ILoc => "LOC",
        }
    }

    /// The entity kind of a non-O tag.
    pub fn kind(self) -> Option<EntityKind> {
        match self {
            Tag::O => None,
            Tag::BPer | Tag::IPer => Some(EntityKind::Person),
            Tag::BOrg | Tag::IOrg => Some(EntityKind::Organisation),
            Tag::BLoc | Tag::ILoc => Some(EntityKind::Place),
        }
    }

    /// The begin tag of a kind.
    pub fn begin(kind: EntityKind) -> Tag {
        match kind {
            EntityKind::Person => Tag::BPer,
            EntityKind::Organisation => Tag::BOrg,
            _ => Tag::BLoc,
        }
    }

    /// The inside tag of a kind.
    pub fn inside(kind: EntityKind) -> Tag {
        match kind {
            EntityKind::Person => Tag::IPer,
            EntityKind::Organisation => Tag::IOrg,
            _ => Tag::ILoc,
        }
    }

    fn is_inside(self) -> bool {
        matches!(self, Tag::IPer | Tag::IOrg | Tag::ILoc)
    }

    /// BIO: an inside tag only continues a name of its own kind.
    pub fn may_follow(self, prev: Tag) -> bool {
        !self.is_inside() || prev.kind_str() == self.kind_str()
    }
}

/// A name the tagger found: tokens `[a, b)`, its kind, and its margin (the smallest lead of the
/// chosen tag over the next-best allowed tag on any of its tokens).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TaggedSpan {
    pub a: usize,
    pub b: usize,
    pub kind: EntityKind,
    pub margin: f32,
}

/// The tags of one article's tokens.
#[derive(Debug, Clone)]
pub struct Tagged {
    pub tags: Vec<Tag>,
    pub margins: Vec<f32>,
}

impl Tagged {
    /// The names in token order.
    pub fn spans(&self) -> Vec<TaggedSpan> {
        let mut out: Vec<TaggedSpan> = Vec::new();
        for (i, (&t, &m)) in self.tags.iter().zip(&self.margins).enumerate() {
            let Some(kind) = t.kind() else { continue };
            match out.last_mut() {
                Some(s) if t.is_inside() && s.b == i && s.kind == kind => {
                    s.b = i + 1;
                    s.margin = s.margin.min(m);
                }
                _ => out.push(TaggedSpan {
                    a: i,
                    b: i + 1,
                    kind,
                    margin: m,
                }),
            }
        }
        out
    }

    /// The margin as a confidence in [0.5, 0.9]: a logistic squash of the margin, capped
    /// below the gazetteer rules' 0.95 (it is not calibrated against gold).
    pub fn confidence(margin: f32) -> f64 {
        let c = 1.0 / (1.0 + (-f64::from(margin.max(0.0)) / 8.0).exp());
        (c.min(0.9) * 100.0).round() / 100.0
    }
}

/// What went wrong reading a weights file.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("tagger weights: {0}; retrain with `newsgraph train` (see training/README.md)")]
    Bad(String),
}

const MAGIC: &[u8; 8] = b"NGTAGGER";
const FORMAT_VERSION: u32 = 1;

/// Trained weights: per feature key, one weight per tag.
pub struct Model {
    weights: FxHashMap<u32, [f32; N_TAGS]>,
}

const BUNDLED: &[u8] = include_bytes!("weights.bin");

impl Model {
    /// The shipped model, loaded on first use; `None` when the build carries no weights.
    pub fn bundled() -> Option<&'static Model> {
        static MODEL: OnceLock<Option<Model>> = OnceLock::new();
        MODEL
            .get_or_init(|| {
                (!BUNDLED.is_empty())
                    .then(|| Model::from_bytes(BUNDLED).expect("bundled weights load (tested)"))
            })
            .as_ref()
    }

    /// A model from raw weights.
    pub fn new(weights: FxHashMap<u32, [f32; N_TAGS]>) -> Model {
        Model { weights }
    }

    /// Number of features with weights.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// Reads a weights file: magic, version, scale, count, then (key, 7 × i16) records.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        let bad = |m: &str| ModelError::Bad(m.to_owned());
        if bytes.len() < 20 || &bytes[..8] != MAGIC {
            return Err(bad("not a newsgraph tagger weights file (bad magic)"));
        }
        let u32_at =
            |o: usize| u32::from_le_bytes([bytes[o], bytes[o + 1], bytes[o + 2], bytes[o + 3]]);
        let version = u32_at(8);
        if version != FORMAT_VERSION {
            return Err(ModelError::Bad(format!(
                "format version {version}, this build reads {FORMAT_VERSION}"
            )));
        }
        let scale = f32::from_bits(u32_at(12));
        let n = u32_at(16) as usize;
        const RECORD: usize = 4 + 2 * N_TAGS;
        if !scale.is_finite() || scale <= 0.0 {
            return Err(bad("bad scale"));
        }
        let expected = n.checked_mul(RECORD).and_then(|b| b.checked_add(20));
        if expected != Some(bytes.len()) {
            return Err(ModelError::Bad(format!(
                "{} bytes, expected 20 + {RECORD} per feature for {n} features",
                bytes.len()
            )));
        }
        let mut weights = FxHashMap::default();
        weights.reserve(n);
        for r in bytes[20..].chunks_exact(RECORD) {
            let k = u32::from_le_bytes([r[0], r[1], r[2], r[3]]);
            let mut w = [0f32; N_TAGS];
            for (t, slot) in w.iter_mut().enumerate() {
                let q = i16::from_le_bytes([r[4 + 2 * t], r[5 + 2 * t]]);
                *slot = f32::from(q) / scale;
            }
            weights.insert(k, w);
        }
        Ok(Model { weights })
    }

    /// The weights file of this model (quantised to 16 bits, keys sorted).
    pub fn to_bytes(&self) -> Vec<u8> {
        let max = self
            .weights
            .values()
            .flat_map(|w| w.iter())
            .fold(0f32, |m, &x| m.max(x.abs()))
            .max(1e-6);
        let scale = f32::from(i16::MAX) / max;
        let mut keys: Vec<u32> = self.weights.keys().copied().collect();
        keys.sort_unstable();
        let mut out = Vec::with_capacity(20 + keys.len() * (4 + 2 * N_TAGS));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&scale.to_bits().to_le_bytes());
        out.extend_from_slice(&(keys.len() as u32).to_le_bytes());
        for k in keys {
            out.extend_from_slice(&k.to_le_bytes());
            for w in self.weights[&k] {
                out.extend_from_slice(&((w * scale).round() as i16).to_le_bytes());
            }
        }
        out
    }

    /// Scores of every tag for the feature keys.
    pub fn scores(&self, keys: &[u32]) -> [f32; N_TAGS] {
        let mut s = [0f32; N_TAGS];
        for k in keys {
            if let Some(w) = self.weights.get(k) {
                for (a, b) in s.iter_mut().zip(w) {
                    *a += b;
                }
            }
        }
        s
    }

    /// Tags every token of `doc`.
    pub fn tag(&self, doc: &Doc, lex: &Lexicon) -> Tagged {
        let f = DocFeatures::new(doc, lex, Gazetteer::bundled());
        walk(&f, |keys, _, prev| best(&self.scores(keys), prev))
    }
}

/// The best tag allowed after `prev`, and its lead over the next best.
pub fn best(scores: &[f32; N_TAGS], prev: Tag) -> (Tag, f32) {
    let mut first = (Tag::O, f32::NEG_INFINITY);
    let mut second = f32::NEG_INFINITY;
    for t in Tag::ALL {
        if !t.may_follow(prev) {
            continue;
        }
        let s = scores[t.index()];
        if s > first.1 {
            second = first.1;
            first = (t, s);
        } else if s > second {
            second = s;
        }
    }
    (first.0, first.1 - second)
}

/// Walks the article's sentences left to right: `choose(keys, token, prev)` picks each candidate
/// token's tag and margin; other tokens are `O`.
pub fn walk(f: &DocFeatures, mut choose: impl FnMut(&[u32], usize, Tag) -> (Tag, f32)) -> Tagged {
    let doc = f.doc();
    let n = doc.tokens.len();
    let mut tags = vec![Tag::O; n];
    let mut margins = vec![f32::INFINITY; n];
    let mut history = History::default();
    let mut keys = Vec::with_capacity(96);
    for s in &doc.sentences {
        let (mut prev, mut prev2) = (Tag::O, Tag::O);
        for i in s.tokens.0..s.tokens.1 {
            let (t, m) = if f.candidate[i] {
                f.keys_at(i, prev, prev2, history.get(f.lower(i)), &mut keys);
                let (t, m) = choose(&keys, i, prev);
                history.record(f.lower(i), t);
                (t, m)
            } else {
                (Tag::O, f32::INFINITY)
            };
            tags[i] = t;
            margins[i] = m;
            prev2 = prev;
            prev = t;
        }
    }
    Tagged { tags, margins }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_round_trip_and_bad_files_are_named() {
        let mut w = FxHashMap::default();
        w.insert(7, [1.0, -2.0, 0.5, 0.0, 0.0, 0.0, 3.0]);
        w.insert(3, [0.0; N_TAGS]);
        let bytes = Model::new(w).to_bytes();
        let m = Model::from_bytes(&bytes).unwrap();
        assert_eq!(m.len(), 2);
        let s = m.scores(&[7, 99]);
        assert!(
            (s[6] - 3.0).abs() < 1e-3 && (s[1] + 2.0).abs() < 1e-3,
            "{s:?}"
        );
        for cut in [0, 10, 19, bytes.len() - 1] {
            assert!(Model::from_bytes(&bytes[..cut]).is_err(), "{cut}");
        }
        let mut other = bytes.clone();
        other[8] = 9;
        let e = Model::from_bytes(&other).err().unwrap().to_string();
        assert!(e.contains("format version 9"), "{e}");
    }

    #[test]
    fn mangled_weights_files_are_refused_or_read_never_a_panic() {
        let mut w = FxHashMap::default();
        for k in 0..50u32 {
            w.insert(k * 7919, [k as f32, -1.0, 0.5, 0.0, 2.0, 0.0, -3.0]);
        }
        let good = Model::new(w).to_bytes();
        // A fixed pseudo-random walk over byte flips, cuts and appends (xorshift).
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..2000 {
            let mut b = good.clone();
            match next() % 3 {
                0 => {
                    let i = (next() as usize) % b.len();
                    b[i] ^= (next() % 255 + 1) as u8;
                }
                1 => b.truncate((next() as usize) % b.len()),
                _ => b.extend((0..next() % 40).map(|_| next() as u8)),
            }
            let _ = Model::from_bytes(&b);
        }
        let mut huge = good.clone();
        huge[16..20].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(Model::from_bytes(&huge).is_err());
    }

    #[test]
    fn bio_constraint_and_margin() {
        let mut s = [0f32; N_TAGS];
        s[Tag::IPer.index()] = 5.0;
        s[Tag::BPer.index()] = 2.0;
        assert_eq!(best(&s, Tag::O), (Tag::BPer, 2.0));
        assert_eq!(best(&s, Tag::BPer), (Tag::IPer, 3.0));
    }

    #[test]
    fn the_shipped_model_loads_and_finds_names() {
        let m = Model::bundled().expect("weights.bin ships with the build");
        assert!(m.len() > 10_000, "{} features", m.len());
        let doc = Doc::new("Chidiebere Okonkwo met Jeyhun Bayramov in Lagos on Monday.");
        let spans = m.tag(&doc, Lexicon::bundled()).spans();
        let found: Vec<(String, EntityKind)> = spans
            .iter()
            .map(|s| {
                let text = &doc.text[doc.tokens[s.a].start..doc.tokens[s.b - 1].end];
                (text.to_owned(), s.kind)
            })
            .collect();
        assert!(
            found.contains(&("Jeyhun Bayramov".to_owned(), EntityKind::Person)),
            "{found:?}"
        );
        assert!(
            found.contains(&("Lagos".to_owned(), EntityKind::Place)),
            "{found:?}"
        );
    }
}
