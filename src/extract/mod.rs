//! Extraction: article text → [`Facts`]. One module per stage, run in this order:
//! [`text`] (fold, tokens, sentences) → [`mentions`] (names, lexicons, coreference) →
//! [`posts`] → [`dates`] → [`events`]; this module assigns ids and turns folded byte ranges
//! into character spans of the original text.
//!
//! Entry point: [`Extractor::extract`].

pub mod dates;
pub mod events;
pub mod lexicon;
pub mod mentions;
mod portfolio;
pub mod posts;
pub mod tagger;
pub mod text;

use std::collections::HashSet;

use crate::article::{Article, PubDate};
use crate::facts::*;
use crate::names::slug;
use dates::{Found, TimeMention};
use lexicon::Lexicon;
use text::Doc;

/// The extractor: lexicons, the name tagger, and the pipeline. Cheap to share across threads.
pub struct Extractor<'a> {
    lex: &'a Lexicon,
    tagger: Option<&'a tagger::Model>,
}

impl Default for Extractor<'static> {
    fn default() -> Self {
        Extractor::new(Lexicon::bundled())
    }
}

/// Spans in the original text, from folded byte ranges.
struct Spans<'a> {
    doc: &'a Doc,
    /// Byte offset of each char of the original text (plus the end).
    orig_bytes: Vec<usize>,
    original: &'a str,
}

impl Spans<'_> {
    fn span(&self, a: usize, b: usize) -> Span {
        let (s, e) = (self.doc.char_at(a), self.doc.char_at(b));
        Span {
            start: s,
            end: e,
            text: self.original[self.orig_bytes[s]..self.orig_bytes[e]].to_owned(),
        }
    }
}

impl<'a> Extractor<'a> {
    /// An extractor over the given lexicons, with the shipped tagger.
    pub fn new(lex: &'a Lexicon) -> Self {
        Extractor {
            lex,
            tagger: tagger::Model::bundled(),
        }
    }

    /// The same extractor with another tagger, or the rules alone (`None`).
    pub fn with_tagger(self, tagger: Option<&'a tagger::Model>) -> Self {
        Extractor { tagger, ..self }
    }

    /// Extracts the facts of one article. `published` overrides the article's own date.
    pub fn extract(
        &self,
        article: &Article,
        published: Option<PubDate>,
        at: Option<String>,
    ) -> Facts {
        let pub_date = published.or(article.meta.published);
        let mut meta = article.meta.clone();
        meta.published = pub_date;
        let doc = Doc::new(&article.text);
        let mut orig_bytes: Vec<usize> = article.text.char_indices().map(|(i, _)| i).collect();
        orig_bytes.push(article.text.len());
        let sp = Spans {
            doc: &doc,
            orig_bytes,
            original: &article.text,
        };

        let mut m = mentions::detect_with(&doc, self.lex, self.tagger);
        let post_drafts = posts::detect(&doc, self.lex, &m);
        // "the Israeli president" → the one holder of that post: another mention of them.
        for (holder, span) in posts::described_holders(&doc, self.lex, &m, &post_drafts) {
            let e = &mut m.entities[holder];
            if let Err(at) = e.mentions.binary_search(&span) {
                e.mentions.insert(at, span);
            }
        }
        let mut times: Vec<TimeMention> = Vec::new();
        for s in &doc.sentences {
            let text = &doc.text[s.start..s.end];
            let future = text.contains(" will ")
                || text.contains(" is due to ")
                || text.contains(" scheduled ");
            times.extend(dates::find(text, s.start, pub_date, future, self.lex));
        }
        let event_drafts = events::detect(&doc, self.lex, &m, &post_drafts, &times);

        // Entity ids: slugs, unique.
        let mut used = HashSet::new();
        let ids: Vec<String> = m
            .entities
            .iter()
            .map(|e| {
                let base = match slug(&e.name) {
                    s if s.is_empty() => format!("{}-x", e.kind.as_str()),
                    s => s,
                };
                let mut id = base.clone();
                let mut n = 2;
                while !used.insert(id.clone()) {
                    id = format!("{base}-{n}");
                    n += 1;
                }
                id
            })
            .collect();
        let entities: Vec<Entity> = m
            .entities
            .iter()
            .zip(&ids)
            .map(|(e, id)| Entity {
                id: id.clone(),
                kind: e.kind,
                place_kind: e.place_kind,
                name: e.name.clone(),
                aliases: e
                    .aliases
                    .iter()
                    .filter(|a| **a != e.name)
                    .cloned()
                    .collect(),
                mentions: e.mentions.iter().map(|&(a, b)| sp.span(a, b)).collect(),
                evidence: Evidence {
                    spans: vec![sp.span(e.mentions[0].0, e.mentions[0].1)],
                    rule: Some(e.rule.to_owned()),
                    annotator: None,
                    confidence: e.confidence,
                },
            })
            .collect();
        let posts: Vec<PostHolding> = post_drafts
            .iter()
            .map(|p| PostHolding {
                holder: ids[p.holder].clone(),
                title: p.title.clone(),
                of: p.of.map(|o| ids[o].clone()),
                status: p.status,
                as_of: None,
                evidence: Evidence {
                    spans: vec![sp.span(p.span.0, p.span.1)],
                    rule: Some(p.rule.to_owned()),
                    annotator: None,
                    confidence: p.confidence,
                },
            })
            .collect();
        let mut events: Vec<Event> = Vec::with_capacity(event_drafts.len());
        for (i, d) in event_drafts.iter().enumerate() {
            let id = format!("e{}", i + 1);
            let time = d.time.as_ref().map(|t| {
                let span = sp.span(t.start, t.end);
                let (found, resolution) = match &t.how {
                    Found::Explicit => (t.value.clone(), Resolution::Explicit),
                    Found::Publication => (t.value.clone(), Resolution::PublicationDate),
                    Found::Named { key, offset_days } => (
                        t.value.clone(),
                        Resolution::NamedEvent {
                            name: key.clone(),
                            offset_days: *offset_days,
                        },
                    ),
                    // Counted from the previous event, when it has a day.
                    Found::AfterPreviousEvent(days) => {
                        let prev = events.last().and_then(|e: &Event| {
                            let t = e.time.as_ref()?;
                            let day = t
                                .value
                                .as_deref()
                                .filter(|_| t.precision == Some(Precision::Day))?;
                            Some((
                                e.id.clone(),
                                chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?,
                            ))
                        });
                        match prev {
                            Some((event, d0)) => (
                                Some((
                                    (d0 + chrono::Duration::days(*days))
                                        .format("%Y-%m-%d")
                                        .to_string(),
                                    Precision::Day,
                                )),
                                Resolution::RelativeToEvent {
                                    event,
                                    offset_days: *days,
                                },
                            ),
                            None => (None, Resolution::Unresolved),
                        }
                    }
                    Found::Unresolved => (None, Resolution::Unresolved),
                };
                let (value, precision) = match found {
                    Some((v, p)) if resolution != Resolution::Unresolved => (Some(v), Some(p)),
                    _ => (None, None),
                };
                TimeExpr {
                    phrase: span.text.clone(),
                    value,
                    precision,
                    resolution,
                    span: Some(span),
                }
            });
            events.push(Event {
                id,
                kind: d.kind,
                participants: d
                    .participants
                    .iter()
                    .map(|&(e, role)| Participant {
                        entity: ids[e].clone(),
                        role,
                    })
                    .collect(),
                place: d.place.map(|p| ids[p].clone()),
                time,
                status: d.status,
                topics: d
                    .topics
                    .iter()
                    .map(|&(a, b)| sp.span(a, b).text.trim().to_owned())
                    .collect(),
                evidence: Evidence {
                    spans: d.spans.iter().map(|&(a, b)| sp.span(a, b)).collect(),
                    rule: Some(d.rule.to_owned()),
                    annotator: None,
                    confidence: d.confidence,
                },
            });
        }
        Facts {
            format: FACTS_FORMAT.to_owned(),
            article: ArticleRecord {
                id: article.id.clone(),
                meta,
                text: article.text.clone(),
            },
            generated_by: Producer {
                tool: "newsgraph".to_owned(),
                version: Some(crate::VERSION.to_owned()),
                annotator: None,
                at,
            },
            entities,
            posts,
            events,
        }
    }
}
